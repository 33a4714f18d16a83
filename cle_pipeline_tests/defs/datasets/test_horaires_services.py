"""`horaires_services` from the directory snapshot: exact rows, the model against the official
Table Schema, the checks that guard it, and the whole path online against a local API."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cle_pipeline.defs.datasets.horaires_services import schema
from cle_pipeline.defs.datasets.horaires_services.assets import (
    RULES,
    opening_hours_of,
    split_street,
    to_schema,
)
from cle_pipeline.defs.datasets.horaires_services.schema import HorairesServices
from cle_pipeline.defs.sources import annuaire_service_public as source
from cle_pipeline.lib.checks import Outcome, evaluate
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune, read_outline
from cle_pipeline_tests.conftest import SHARED_SCHEMAS, check_outcomes, published_csv
from cle_pipeline_tests.defs.sources.test_annuaire_service_public import (
    DirectoryServer,
    directory_server,
    online_fetcher,
    snapshot_records,
)

SOURCES = PROJECT_ROOT / "data" / "sources"
TABLE_SCHEMA = SHARED_SCHEMAS / "scdl__equipements" / "schema.json"
CHECKS = {
    f"horaires_services:{name}": True
    for name in (
        "schema",
        "rows_belong_to_commune",
        "opening_hours_parse",
        "coordinates_inside_commune",
        "one_row_per_equipement",
        "mairie_present",
        "rows_against_last_release",
    )
}


def commune(code: str, name: str) -> Commune:
    outline = read_outline(SOURCES / "commune_contours" / f"{code}.geojson", code)
    return Commune(code, name, "76", "28", outline)


CAUDEBEC = commune("76165", "Caudebec-lès-Elbeuf")


def caudebec_table() -> pd.DataFrame:
    offices = source.cut_commune(snapshot_records("76165"), "76165", "snapshot")
    return to_schema(offices, CAUDEBEC)[0]


def outcomes(frame: pd.DataFrame) -> dict[str, Outcome]:
    return {o.name: o for o in evaluate(frame, HorairesServices, RULES, CAUDEBEC)}


def test_caudebec_services_and_their_hours(materialize, tmp_path):
    result = materialize("horaires_services")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76165", "horaires_services")
    assert list(published.columns) == list(HorairesServices.to_schema().columns)
    assert published["EQUIP_UID"].tolist() == [
        "76165-01010401-001",
        "76165-01030101-001",
        "76165-04010101-001",
    ]
    mairie, police, ccas = (row for _, row in published.iterrows())
    assert mairie.to_dict() == {
        "COLL_NOM": "Caudebec-lès-Elbeuf",
        "COLL_SIRET": "21760165700018",
        "EQUIP_UID": "76165-01010401-001",
        "EQUIP_THEME": "Equipement administratif",
        "EQUIP_CODE": "01010401-001",
        "EQUIP_TYPE": "Mairie",
        "EQUIP_NOM": "Mairie - Caudebec-lès-Elbeuf",
        "ADR_NUMERO": "1",
        "ADR_NOMVOIE": "Place Jean-Jaurès",
        "ADR_CODEPOSTAL": "76320",
        "ADR_COMMUNE": "Caudebec-lès-Elbeuf",
        "ADR_CLE_INTEROP": "",
        "ERP_ID": "",
        "ERP_TYPE": "",
        "ERP_CATEGORIE": "",
        "EQUIP_LAT": "49.2833",
        "EQUIP_LONG": "1.0233",
        "EQUIP_OUVERTURE": "Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00",
        "EQUIP_TEL": "+33 235746410",
        "EQUIP_EMAIL": "accueil@caudebec-exemple.fr",
        "EQUIP_WEB": "https://www.caudebec-exemple.fr",
    }
    assert police["EQUIP_OUVERTURE"] == (
        'Mo-Fr 08:00-12:00,13:30-18:00; Sa 09:00-12:00 "Le 1er samedi du mois"'
    )
    assert (police["ADR_NUMERO"], police["ADR_NOMVOIE"]) == ("12 bis", "Rue Sadi-Carnot")
    assert police["EQUIP_TEL"] == "+33 235746430"  # written 02.35.74.64.30 in the directory
    # One line per day in the directory, equal days merged, Wednesday without afternoon.
    assert ccas["EQUIP_OUVERTURE"] == (
        "Mo-Tu,Th 09:00-12:00,14:00-17:00; We 09:00-12:00; Fr 09:00-12:00,14:00-16:00"
    )
    assert (ccas["ADR_NOMVOIE"], ccas["EQUIP_EMAIL"], ccas["EQUIP_WEB"]) == (
        "Rue de l'Église",
        "",
        "",
    )
    # The CSV quotes the hours (they hold commas) as the schema asks.
    text = (tmp_path / "published" / "76165" / "horaires_services.csv").read_text()
    assert '"Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00"' in text
    assert "EXEMPLE" not in text and "Saint-Pierre" not in text


def test_elbeuf_passes_without_the_state_office(materialize, tmp_path):
    result = materialize("horaires_services", commune="76231")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76231", "horaires_services")
    assert published["EQUIP_NOM"].tolist() == [
        "Mairie - Elbeuf",
        "Centre communal d'action sociale (CCAS) - Elbeuf",
    ]
    mairie = published.iloc[0]
    assert (mairie["ADR_NUMERO"], mairie["ADR_NOMVOIE"]) == ("99999", "Place Aristide-Briand")
    assert mairie["EQUIP_OUVERTURE"] == "Mo-Fr 08:30-17:00; Sa 09:00-12:00"
    assert mairie["EQUIP_WEB"] == "http://www.elbeuf-exemple.fr"
    assert mairie["COLL_SIRET"] == "21760231700018"
    materialization = result.asset_materializations_for_node("horaires_services")[0]
    assert materialization.metadata["offices_left_out"].value == "commissariat_police: 1"


@pytest.mark.skipif(not TABLE_SCHEMA.is_file(), reason="../shared/schemas is not available")
def test_the_model_agrees_with_the_official_table_schema_field_by_field():
    official = json.loads(TABLE_SCHEMA.read_text(encoding="utf-8"))
    assert official["version"] == schema.SCHEMA_VERSION
    columns = HorairesServices.to_schema().columns
    assert list(columns) == [field["name"] for field in official["fields"]]
    type_patterns = {"integer": [schema.INTEGER], "number": [schema.NUMBER], "string": []}
    format_patterns = {"email": [schema.EMAIL], "uri": [schema.URI]}
    for field in official["fields"]:
        column, constraints = columns[field["name"]], field.get("constraints", {})
        checks = {check.name: check.statistics for check in column.checks}
        patterns = sorted(
            check.statistics["pattern"] for check in column.checks if check.name == "str_matches"
        )
        assert column.nullable is not constraints.get("required", False), field["name"]
        expected_patterns = [
            *([constraints["pattern"]] if "pattern" in constraints else []),
            *type_patterns[field["type"]],
            *format_patterns.get(field.get("format", ""), []),
        ]
        assert patterns == sorted(expected_patterns), field["name"]
        if "enum" in constraints:
            assert checks["isin"]["allowed_values"] == constraints["enum"], field["name"]
        elif "minimum" in constraints:
            allowed = range(constraints["minimum"], constraints["maximum"] + 1)
            assert checks["isin"]["allowed_values"] == [str(v) for v in allowed]
        else:
            assert "isin" not in checks, field["name"]
        lengths = checks.get("str_length", {})
        assert lengths.get("min_value") == constraints.get("minLength"), field["name"]
        assert lengths.get("max_value") == constraints.get("maxLength"), field["name"]
    assert official["custom_checks"] == [
        {"name": "french-siret-value", "params": {"column": "COLL_SIRET"}}
    ]
    assert "french_siret_value" in {check.name for check in columns["COLL_SIRET"].checks}


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("COLL_SIRET", "21760165700019", "french_siret_value"),
        ("COLL_SIRET", "217601657", "str_matches"),
        ("COLL_SIRET", None, "not_nullable"),
        ("EQUIP_THEME", "Equipement municipal", "isin"),
        ("EQUIP_UID", "76165-0101040-001", "str_matches"),
        ("ADR_NOMVOIE", "Place Jean-Jaurès, BP 50", "str_matches"),
        ("ADR_NOMVOIE", "Rue de l’Église", "str_matches"),
        ("ADR_COMMUNE", "Caudebec-lès-Elbeuf 76320", "str_matches"),
        ("EQUIP_LAT", "49,2833", "str_matches"),
        ("EQUIP_LAT", "149.2833", "latitude_range"),
        ("EQUIP_TEL", "+33 (0)2 35 74 64 10", "str_length"),
        ("EQUIP_EMAIL", "accueil.caudebec-exemple.fr", "str_matches"),
        ("EQUIP_WEB", "www.caudebec-exemple.fr", "str_matches"),
        ("ERP_CATEGORIE", "6", "isin"),
    ],
)
def test_each_kind_of_bad_value_fails_the_schema_on_its_row(column, value, rule):
    table = caudebec_table()
    table.loc[1, column] = value
    failures = outcomes(table)["schema"].failures
    assert failures[["row", "column"]].drop_duplicates().values.tolist() == [[2, column]]
    assert any(rule in text for text in failures["rule"])


def test_an_opening_hours_string_that_does_not_parse_fails_its_check():
    table = caudebec_table()
    table.loc[2, "EQUIP_OUVERTURE"] = "Lu-Ve 09:00-12:00"
    result = outcomes(table)
    assert result["schema"].passed  # the schema gives no pattern: the real parser catches it
    failures = result["opening_hours_parse"].failures
    assert failures["EQUIP_UID"].tolist() == ["76165-04010101-001"]
    assert failures["parser_error"].iloc[0].startswith("Failed to parse expression")


def test_hours_the_normaliser_cannot_translate_are_kept_and_fail_the_check():
    plages = json.dumps(
        [{"nom_jour_debut": "Lundy", "valeur_heure_debut_1": "9h", "valeur_heure_fin_1": "12h"}]
    )
    text = opening_hours_of(plages)
    assert text == "(non traduit) jour inconnu 'Lundy'"
    table = caudebec_table()
    table.loc[0, "EQUIP_OUVERTURE"] = text
    assert outcomes(table)["opening_hours_parse"].failures["EQUIP_UID"].tolist() == [
        "76165-01010401-001"
    ]


def test_a_point_outside_the_commune_and_a_missing_mairie_fail_their_rules():
    table = caudebec_table()
    # Saint-Pierre-lès-Elbeuf: inside Caudebec's bounding box, outside its outline.
    table.loc[1, ["EQUIP_LAT", "EQUIP_LONG"]] = ["49.2750", "1.0450"]
    table = table.drop(index=0).reset_index(drop=True)
    result = outcomes(table)
    assert result["coordinates_inside_commune"].failures["EQUIP_UID"].tolist() == [
        "76165-01030101-001"
    ]
    assert not result["mairie_present"].passed
    assert result["one_row_per_equipement"].passed


@pytest.mark.parametrize(
    ("numero_voie", "expected"),
    [
        ("1 place Jean-Jaurès", ("1", "Place Jean-Jaurès")),
        ("12 bis rue Sadi-Carnot", ("12 bis", "Rue Sadi-Carnot")),
        ("4B  place  du Marché", ("4 b", "Place du Marché")),
        ("36-38 avenue Gambetta", ("36/38", "Avenue Gambetta")),
        ("7 quater rue du Cœur", ("7 qua", "Rue du Coeur")),
        ("Place Aristide-Briand", ("99999", "Place Aristide-Briand")),
        ("", (None, None)),
    ],
)
def test_street_numbers_and_names_in_the_schema_form(numero_voie, expected):
    assert split_street(numero_voie) == expected


def test_a_failed_check_keeps_the_file_unwritten(materialize, tmp_path):
    records = snapshot_records("76165")
    records[0] = {
        **records[0],
        "plage_ouverture": json.dumps([{"nom_jour_debut": "Lundi", "valeur_heure_debut_1": "8"}]),
    }
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    result = materialize(
        "horaires_services", raise_on_error=False, overrides={source.SOURCE.id: str(export)}
    )
    assert check_outcomes(result)["horaires_services:opening_hours_parse"] is False
    assert not (tmp_path / "published" / "76165" / "horaires_services.csv").exists()


def test_online_the_published_file_comes_from_two_pages_of_a_local_api(
    materialize, tmp_path, monkeypatch
):
    # The commune reference is read from the snapshots; only the directory is online.
    reference = {
        "cog_communes": str(SOURCES / "cog_communes" / "cog_ensemble_2025_csv.zip"),
        "commune_contours": str(SOURCES / "commune_contours" / "{commune}.geojson"),
    }
    monkeypatch.setattr(source, "PAGE_SIZE", 2)
    server = DirectoryServer(snapshot_records("76165") + snapshot_records("76231"))
    with directory_server(server) as root:
        result = materialize("horaires_services", sources=online_fetcher(root, tmp_path, reference))
    assert check_outcomes(result) == CHECKS
    assert server.served_pages == 2  # three Caudebec records, pages of two
    online = published_csv(tmp_path, "76165", "horaires_services")
    offices = source.cut_commune(snapshot_records("76165"), "76165", "snapshot")
    expected = to_schema(offices, CAUDEBEC)[0].fillna("")
    assert online.equals(expected.astype(online.dtypes.to_dict()))
