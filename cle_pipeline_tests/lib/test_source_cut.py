"""What a source asset shows about its cut (row count, column schema) and its `commune_found`."""

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.lib.source_cut import COMMUNE_FOUND, SourceCut, column_type, rows_of

WARNED = SourceCut("irve", required=False, why="une commune peut n'avoir aucune borne.")
REQUIRED = SourceCut(
    "insee_naissances",
    required=True,
    why="l'INSEE publie chaque commune.",
    descriptions={"annee": "Année"},
    columns=[("annee", "int"), ("valeur", "int")],
)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (pd.Series(["a"], dtype=object), "string"),
        (pd.Series(["a"], dtype="string"), "string"),
        (pd.Series([2008]), "int"),
        (pd.Series([1, None], dtype="Int64"), "int"),
        (pd.Series([1.5]), "float"),
        (pd.Series([True]), "bool"),
        (pd.Series(pd.to_datetime(["2022-01-01"])), "datetime"),
    ],
)
def test_column_types(values, kind):
    assert column_type(values.dtype) == kind


@pytest.mark.parametrize(
    ("value", "rows"),
    [
        (pd.DataFrame({"a": ["x", "y"]}), 2),
        ({"code": "76165"}, 1),
        ({}, 0),
        ([[(1.0, 49.0)]], 1),
    ],
)
def test_rows_of_a_frame_a_record_and_a_list(value, rows):
    assert rows_of(value) == rows


def test_a_cut_is_a_frame_a_record_or_a_list():
    with pytest.raises(TypeError, match="not int"):
        rows_of(3)


def test_a_cut_shows_its_rows_and_columns_and_passes():
    frame = pd.DataFrame({"annee": [2021, 2022], "valeur": pd.array([845, None], dtype="Int64")})
    result = REQUIRED.result(frame, {"sha256": "abc"})
    assert result.value is frame
    assert result.metadata == {
        "sha256": "abc",
        "dagster/row_count": 2,
        "rows_for_commune": 2,
        "dagster/column_schema": dg.TableSchema(
            columns=[
                dg.TableColumn("annee", "int", description="Année"),
                dg.TableColumn("valeur", "int"),
            ]
        ),
    }
    [check] = result.check_results
    assert (check.check_name, check.passed, check.severity) == (
        COMMUNE_FOUND,
        True,
        dg.AssetCheckSeverity.ERROR,
    )
    assert check.metadata == {"rows_for_commune": dg.IntMetadataValue(2)}


def test_the_definition_shows_the_fixed_columns_and_the_same_schema():
    frame = pd.DataFrame({"annee": [2021], "valeur": [3]})
    shown = REQUIRED.definition_metadata()["dagster/column_schema"]
    assert shown == REQUIRED.result(frame, {}).metadata["dagster/column_schema"]
    assert WARNED.definition_metadata() == {}


@pytest.mark.parametrize(
    ("cut", "severity", "blocking"),
    [(WARNED, dg.AssetCheckSeverity.WARN, False), (REQUIRED, dg.AssetCheckSeverity.ERROR, True)],
)
def test_no_row_for_the_commune_fails_as_a_warning_or_an_error(cut, severity, blocking):
    [check] = cut.result(pd.DataFrame({"annee": []}), {}).check_results
    assert (check.passed, check.severity) == (False, severity)
    assert check.description == f"Aucune ligne pour la commune : {cut.why}"
    [spec] = cut.check_specs()
    assert (spec.name, spec.blocking, spec.partitions_def.name) == (
        COMMUNE_FOUND,
        blocking,
        "commune",
    )
    assert spec.description.endswith(f" : {cut.why}")


def test_rows_of_neighbours_kept_to_place_the_communes_are_not_the_communes():
    frame = pd.DataFrame({"uai": ["a", "b", "c"]})
    result = WARNED.result(frame, {}, rows_for_commune=0)
    assert (result.metadata["dagster/row_count"], result.metadata["rows_for_commune"]) == (3, 0)
    assert not result.check_results[0].passed


def test_a_record_shows_its_keys_as_columns():
    result = REQUIRED.result({"code": "76165", "name": "Caudebec-lès-Elbeuf"}, {})
    schema = result.metadata["dagster/column_schema"]
    assert [(column.name, column.type) for column in schema.columns] == [
        ("code", "string"),
        ("name", "string"),
    ]
