"""Schema failures point at the row: its position, or its line in the source when indexed so."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.checks import schema_failures


class Amounts(pa.DataFrameModel):
    montant: Series[str] = pa.Field(str_matches=r"^\d+\.\d{2}$")


def test_a_plain_index_gives_the_1_based_row():
    frame = pd.DataFrame({"montant": ["1.00", "x", "2.00"]})
    failures = schema_failures(Amounts, frame)
    assert failures.columns.tolist() == ["row", "column", "rule", "value"]
    assert failures[["row", "value"]].values.tolist() == [[2, "x"]]


def test_a_named_index_gives_its_label_the_line_in_the_commune_file():
    frame = pd.DataFrame(
        {"montant": ["1.00", "x", "2.00"]}, index=pd.Index([2, 5, 6], name="ligne_source")
    )
    failures = schema_failures(Amounts, frame)
    assert failures.columns.tolist() == ["ligne_source", "column", "rule", "value"]
    assert failures[["ligne_source", "value"]].values.tolist() == [[5, "x"]]
    assert schema_failures(Amounts, frame.drop(index=5)).columns[0] == "ligne_source"


def test_a_named_index_of_text_labels_is_shown_as_is():
    frame = pd.DataFrame({"montant": ["x", "1.00"]}, index=pd.Index(["A-1", "A-2"], name="ref"))
    assert schema_failures(Amounts, frame)[["ref", "value"]].values.tolist() == [["A-1", "x"]]
