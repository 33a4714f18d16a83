"""Rules that read another upstream asset besides the dataset (`Rule.inputs`)."""

import dagster as dg
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.checks import (
    Rule,
    _result,
    belongs_to_commune,
    coordinates_inside_commune,
    dataset_checks,
    evaluate,
    one_row_per,
    schema_failures,
    with_key,
)
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.partitions import COMMUNES
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")


class Counted(pa.DataFrameModel):
    n: Series[int]


def too_many(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    return frame[frame["n"] > limit]


RULE = Rule("under_limit", "n stays under the limit asset", too_many, inputs=("limit",))
COUNTED = DatasetSheet(
    dataset_id="counted",
    title="Comptes",
    content="Un compte par ligne.",
    collection="Inventé pour le test.",
    purpose="Tester les contrôles.",
    sources=(SourceLink("Test", "https://example.org/"),),
    personal_data="Aucune.",
    uses="Aucun.",
    frequency="punctual",
    temporal_coverage=None,
    tags=("test",),
)


def test_a_rule_receives_its_inputs_by_name():
    frame = pd.DataFrame({"n": [1, 5, 9]})
    outcome = evaluate(frame, Counted, [RULE], CAUDEBEC, {"limit": 4})[1]
    assert outcome.failures["n"].tolist() == [5, 9]


def test_a_missing_input_fails_the_rule_instead_of_passing_it():
    outcome = evaluate(pd.DataFrame({"n": [1]}), Counted, [RULE], CAUDEBEC)[1]
    assert not outcome.passed
    assert outcome.failures["error"].tolist() == ["KeyError: 'limit'"]


def test_the_check_declares_the_input_as_an_upstream_asset():
    checks = dataset_checks(COUNTED, Counted, [RULE], commune_of_rows="code")
    assert dg.AssetKey("limit") in checks.keys_by_input_name.values()
    specs = {spec.name: spec for spec in checks.check_specs}
    assert {dep.asset_key for dep in specs["under_limit"].additional_deps} == {
        dg.AssetKey("commune"),
        dg.AssetKey("limit"),
    }


def test_a_warning_rule_is_a_non_blocking_check_and_its_outcome_says_so():
    warning = Rule("few_rows", "a warning", lambda frame: frame, blocking=False)
    checks = dataset_checks(COUNTED, Counted, [RULE, warning], commune_of_rows="code")
    assert {spec.name: spec.blocking for spec in checks.check_specs} == {
        "schema": True,
        "rows_belong_to_commune": True,
        "under_limit": True,
        "few_rows": False,
        "rows_against_last_release": True,
    }
    outcomes = evaluate(pd.DataFrame({"n": [1]}), Counted, [warning], CAUDEBEC)
    assert [(o.name, o.passed, o.blocking) for o in outcomes] == [
        ("schema", True, True),
        ("few_rows", False, False),
    ]


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


ELBEUF = Commune("76231", "Elbeuf", "76", "28")
PARIS = Commune("75056", "Paris", "75", "11")


def test_rows_of_another_commune_fail_belongs_to_commune_with_their_code():
    frame = pd.DataFrame({"code": ["76165", "76231", "", "76165"], "n": [1, 2, 3, 4]})
    outcome = belongs_to_commune(frame, CAUDEBEC, "76165", "code")
    assert outcome.name == "rows_belong_to_commune"
    assert outcome.failures.to_dict("list") == {"code": ["76231", ""]}
    assert outcome.failures.index.tolist() == [1, 2]


def test_a_commune_built_for_another_partition_fails_every_row():
    frame = pd.DataFrame({"code": ["76231"]})
    outcome = belongs_to_commune(frame, ELBEUF, "76165", "code")
    assert outcome.failures["error"].tolist() == ["built for commune 76231, not 76165"]


def test_arrondissements_belong_to_paris_and_a_function_can_name_the_commune():
    frame = pd.DataFrame({"code": ["75056", "75112", "92012"]})
    assert belongs_to_commune(frame, PARIS, "75056", "code").failures["code"].tolist() == ["92012"]
    prefix = belongs_to_commune(
        frame, PARIS, "75056", lambda rows, code: rows[~rows["code"].str.startswith("751")]
    )
    assert prefix.failures["code"].tolist() == ["75056", "92012"]


def test_every_check_spec_is_partitioned_by_commune_and_includes_belongs_to_commune():
    checks = dataset_checks(COUNTED, Counted, [RULE], commune_of_rows="code")
    assert {spec.name for spec in checks.check_specs} == {
        "schema",
        "rows_belong_to_commune",
        "under_limit",
        "rows_against_last_release",
    }
    assert {spec.partitions_def for spec in checks.check_specs} == {COMMUNES}


class Points(pa.DataFrameModel):
    id_pdc_itinerance: Series[str]
    nom_station: Series[str] = pa.Field(str_matches=r"^[^\\]+$")


def test_a_failing_row_carries_its_key_and_the_ui_shows_it_inline_as_is():
    # Issue 11: "row 5" alone cannot be found in the file; `(\.\d+)` lost its backslash in the
    # markdown sample.
    frame = pd.DataFrame(
        {"id_pdc_itinerance": ["FRS76E1", "FRS76E2"], "nom_station": ["Mairie", r"Parc (\.\d+)"]}
    )
    [schema] = evaluate(frame, Points, [], CAUDEBEC, key=("id_pdc_itinerance",))
    result = _result(dg.AssetKey("bornes_recharge"), schema, {})
    table = result.metadata["failing_rows_sample"]
    assert isinstance(table, dg.TableMetadataValue)
    assert [column.name for column in table.schema.columns] == [
        "row",
        "id_pdc_itinerance",
        "column",
        "rule",
        "value",
    ]
    assert [record.data for record in table.records] == [
        {
            "row": "2",
            "id_pdc_itinerance": "FRS76E2",
            "column": "nom_station",
            "rule": r"str_matches('^[^\\]+$')",
            "value": r"Parc (\.\d+)",
        }
    ]


def test_a_named_index_and_a_key_both_point_into_the_communes_file():
    frame = pd.DataFrame(
        {"montant": ["1.00", "x"], "ref": ["D-1", "D-2"]},
        index=pd.Index([2, 7], name="ligne_source"),
    )
    failures = schema_failures(Amounts, frame, key=("ref",))
    assert failures.values.tolist() == [
        [7, "D-2", "montant", "str_matches('^\\d+\\.\\d{2}$')", "x"]
    ]


# The one rule `coordinates_inside_commune`, on a square commune from (1, 49) to (2, 50).
SQUARE = Commune("76165", "Carré", "76", "28", [[[[1, 49], [2, 49], [2, 50], [1, 50], [1, 49]]]])


def test_points_outside_or_unreadable_fail_with_their_columns_and_row():
    rule = coordinates_inside_commune("", ["id"], lon="lon", lat="lat", row_numbers=True)
    frame = pd.DataFrame(
        {"id": ["in", "out", "text", "empty"], "lon": ["1.5", "3", "x", ""], "lat": [49.5] * 4}
    )
    assert rule.name == "coordinates_inside_commune"
    assert rule.failing_rows(frame, SQUARE).to_dict("records") == [
        {"id": "out", "row": 2},
        {"id": "text", "row": 3},
        {"id": "empty", "row": 4},
    ]


def test_one_lon_lat_column_is_read_as_irve_writes_it():
    rule = coordinates_inside_commune("", ["id"], lon_lat="coordonneesXY")
    frame = pd.DataFrame(
        {"id": ["in", "out", "none"], "coordonneesXY": ["[1.5, 49.5]", "[0.5,49.5]", None]}
    )
    assert rule.failing_rows(frame, SQUARE)["id"].tolist() == ["out", "none"]


def test_unplaced_rows_pass_where_a_place_is_optional():
    rule = coordinates_inside_commune("", ["id"], lon="lon", lat="lat", unplaced_pass=True)
    frame = pd.DataFrame(
        {"id": ["in", "out", "unplaced"], "lon": [1.5, 2.5, None], "lat": [49.5, 49.5, None]}
    )
    assert rule.failing_rows(frame, SQUARE)["id"].tolist() == ["out"]


# The one uniqueness rule `one_row_per`.


def test_rows_repeating_a_key_fail_and_blank_keys_pass_when_the_key_is_optional():
    frame = pd.DataFrame({"serial": ["A", " ", "A", None, "B"], "name": ["a", "b", "c", "d", "e"]})
    rule = one_row_per("one_row_per_serial", "", ["serial"], ["serial", "name"], line_column="row")
    assert rule.failing_rows(frame).to_dict("records") == [
        {"serial": "A", "name": "a", "row": 1},
        {"serial": "A", "name": "c", "row": 3},
    ]
    strict = one_row_per("one_row_per_serial", "", ["serial"], ["name"])
    assert strict.failing_rows(frame)["name"].tolist() == ["a", "c"]
    blanks = one_row_per("x", "", ["serial"], ["name"], blank_keys_pass=True)
    both = frame.assign(serial=["A", " ", "A", " ", "B"])
    assert blanks.failing_rows(both)["name"].tolist() == ["a", "c"]


def test_a_line_pasted_twice_is_named_by_its_line_in_the_communes_file():
    frame = pd.DataFrame(
        {"who": ["X", "Y", "X"], "amount": ["1", "2", "1"]},
        index=pd.Index([2, 3, 5], name="ligne_source"),
    )
    rule = one_row_per("no_line_repeated", "", None, ["who"], with_index=True)
    assert rule.failing_rows(frame).to_dict("records") == [
        {"ligne_source": 2, "who": "X"},
        {"ligne_source": 5, "who": "X"},
    ]


def test_a_rule_receives_the_commune_only_when_it_names_it():
    seen = {}

    def plain(frame: pd.DataFrame, **given) -> pd.DataFrame:
        seen["plain"] = given
        return frame.iloc[:0]

    def placed(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
        seen["placed"] = commune.code
        return frame.iloc[:0]

    rules = [Rule("plain", "", plain), Rule("placed", "", placed, inputs=("commune",))]
    outcomes = evaluate(pd.DataFrame({"n": [1]}), Counted, rules, CAUDEBEC)
    assert [outcome.passed for outcome in outcomes] == [True, True, True]
    assert seen == {"plain": {}, "placed": "76165"}
    checks = dataset_checks(COUNTED, Counted, rules, commune_of_rows="n")
    assert sorted(checks.keys_by_input_name) == ["commune", "frame"]


def test_a_rules_failing_rows_get_the_key_only_when_they_are_the_datasets_rows():
    frame = pd.DataFrame({"siret": ["111", "222", "333"], "n": [1, 9, 12]})
    keyed = with_key(frame[frame["n"] > 5][["n"]], frame, ("siret",))
    assert keyed.to_dict("records") == [{"siret": "222", "n": 9}, {"siret": "333", "n": 12}]
    # Re-indexed rows (the row 0 of the failures is not the dataset's row 0): left as they are.
    reset = frame[frame["n"] > 5][["n"]].reset_index(drop=True)
    assert with_key(reset, frame, ("siret",)).columns.tolist() == ["n"]
    # A summary without a column of the dataset: left as it is.
    summary = pd.DataFrame({"total": [22]})
    assert with_key(summary, frame, ("siret",)).columns.tolist() == ["total"]
