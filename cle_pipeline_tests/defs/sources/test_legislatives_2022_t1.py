"""`legislatives_2022_t1`: 8-field blocks with `Nuance`, a varying number per constituency."""

import pytest

from cle_pipeline.defs.sources.election_results import PRESIDENTIAL, read_commune_results
from cle_pipeline.defs.sources.legislatives_2022_t1 import SOURCE, cut_commune
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT

TABLE = PROJECT_ROOT / "data" / "sources" / SOURCE.id / SOURCE.snapshot


def test_caudebec_has_the_nine_candidates_of_constituency_76_04():
    rows = cut_commune(TABLE, "76165", "l1")
    assert len(rows) == 7 * 9
    assert set(rows["Code de la circonscription"]) == {"04"}
    station = rows[rows["Code du b.vote"] == "0001"]
    assert station["Nuance"].tolist() == [
        "NUP",
        "ENS",
        "RN",
        "LR",
        "REC",
        "DVG",
        "ECO",
        "DXG",
        "DIV",
    ]
    assert station.iloc[0][["Nom", "Prénom", "Sexe", "Voix", "% Voix/Exp"]].tolist() == [
        "MARTIN",
        "Claire",
        "F",
        "125",
        "27,06",
    ]


@pytest.mark.parametrize(
    ("code", "stations", "candidates"),
    [("76231", 5, 9), ("2A004", 2, 8), ("97411", 2, 13), ("75056", 2, 11), ("27165", 1, 7)],
)
def test_each_constituency_has_its_own_number_of_candidates(code, stations, candidates):
    rows = cut_commune(TABLE, code, "l1")
    assert rows.groupby("Code du b.vote").size().tolist() == [candidates] * stations


def test_read_as_a_presidential_file_it_is_refused():
    with pytest.raises(SourceFormatError, match="unexpected column"):
        read_commune_results(TABLE, PRESIDENTIAL, "76165", "l1")
