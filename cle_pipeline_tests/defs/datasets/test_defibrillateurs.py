"""`defibrillateurs` from the Géo'DAE snapshot: exact rows, what is left out and why, the checks."""

import csv
import json
import logging
import shutil

import dagster as dg
import frictionless
import pandas as pd
import pytest

from cle_pipeline.defs.datasets.defibrillateurs.assets import (
    COORDINATES_INSIDE_COMMUNE,
    ONE_ROW_PER_NUM_SERIE,
    PERSONAL_CONTACTS,
    availability,
    completion_not_finished,
    completion_of,
    defibrillateurs_checks,
    exclusion_reason,
    exclusion_reasons,
    personal_contacts_published,
    published_devices,
)
from cle_pipeline.defs.datasets.defibrillateurs.schema import (
    WITHHELD_REQUIRED,
    Defibrillateurs,
    french_siret_value,
)
from cle_pipeline.defs.sources.defibrillateurs_inbox import read_completion
from cle_pipeline.defs.sources.geodae import cut_commune
from cle_pipeline.lib.checks import Rule, evaluate
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune, read_outline
from cle_pipeline_tests.conftest import (
    SHARED_SCHEMAS,
    check_outcomes,
    materialize_into,
    published_csv,
    released,
)
from devtools.snapshots.common import csv_text

SNAPSHOT = PROJECT_ROOT / "data" / "sources" / "geodae" / "geodae.csv"
SCHEMA_JSON = SHARED_SCHEMAS / "atlasante__schema-dae" / "schema.json"
CHECKS = [
    "schema",
    "rows_belong_to_commune",
    "coordinates_inside_commune",
    "one_row_per_num_serie",
    "personal_contacts_withheld",
    "withheld_fields_completed",  # a warning: never holds the file back
    "rows_against_last_release",
]
COMPLETION = PROJECT_ROOT / "data" / "inbox" / "76165" / "defibrillateurs.csv"
RULES = [
    COORDINATES_INSIDE_COMMUNE,
    ONE_ROW_PER_NUM_SERIE,
    Rule("personal_contacts_withheld", "", personal_contacts_published),
]


def commune(code: str, name: str = "") -> Commune:
    outline = read_outline(
        PROJECT_ROOT / "data" / "sources" / "commune_contours" / f"{code}.geojson", code
    )
    return Commune(code, name or code, code[:2], "28", outline)


CAUDEBEC = commune("76165", "Caudebec-lès-Elbeuf")


def caudebec_table() -> pd.DataFrame:
    return published_devices(cut_commune(SNAPSHOT, CAUDEBEC, "x"), CAUDEBEC)[0]


def outcomes(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Failures of the schema and of each rule, by check name."""
    return {o.name: o.failures for o in evaluate(table, Defibrillateurs, RULES, CAUDEBEC)}


# -- the published file --------------------------------------------------------------------


def test_caudebec_defibrillators(materialize, tmp_path):
    result = materialize("defibrillateurs")
    assert check_outcomes(result) == {f"defibrillateurs:{name}": True for name in CHECKS}
    published = published_csv(tmp_path, "76165", "defibrillateurs")
    assert list(published.columns) == list(Defibrillateurs.to_schema().columns)
    assert published["nom"].tolist() == [
        "Mairie de Caudebec-lès-Elbeuf",
        "Salle des sports Exemple",
        "Pharmacie Exemple",
    ]
    assert published["lat_coor1"].tolist() == ["49.28352", "49.28815", "49.28021"]
    assert published["long_coor1"].tolist() == ["1.02318", "1.02621", "1.03012"]
    # The pharmacy had no INSEE code: placed by its coordinates, code and name completed.
    assert set(published["com_insee"]) == {"76165"}
    assert set(published["com_nom"]) == {"Caudebec-lès-Elbeuf"}
    assert published["acc"].tolist() == ["Extérieur", "Intérieur", "Extérieur"]
    # PostgreSQL t/f → the schema's oui/non.
    assert published["acc_lib"].tolist() == ["oui", "non", "oui"]
    assert published["dae_mobile"].tolist() == ["non", "non", "non"]
    assert published["dispsurv"].tolist() == ["non", "non", "oui"]
    # PostgreSQL arrays → the schema's `|` lists.
    assert published["disp_j"].tolist() == [
        "7j/7",
        "lundi|mardi|mercredi|jeudi|vendredi|samedi",
        "lundi|mardi|mercredi|jeudi|vendredi|samedi|jours fériés",
    ]
    assert published["disp_h"].tolist() == [
        "24h/24",
        "heures ouvrables|heures de nuit",
        "heures ouvrables",
    ]
    assert published["acc_complt"].tolist() == [
        "À gauche de l'entrée principale de la mairie",
        "Hall d'entrée ; clé auprès du gardien, [numéro masqué]",
        "",
    ]
    assert published["photo1"].tolist() == ["https://geodae.exemple.fr/photos/30412_1.jpg", "", ""]
    assert published["dermnt"].tolist() == ["2022-06-20", "2022-09-05", "2022-06-20"]
    assert published["expt_siren"].tolist() == ["217601657", "217601657", "803254317"]
    assert published["expt_rais"].tolist() == [
        "COMMUNE DE CAUDEBEC LES ELBEUF",
        "COMMUNE DE CAUDEBEC LES ELBEUF",
        "SELARL PHARMACIE EXEMPLE",
    ]
    # Not in open data, completed by the commune's sample file (by id, by position, by id);
    # phones written as the schema wants them.
    assert published[list(WITHHELD_REQUIRED)].values.tolist() == [
        [
            "+33261910010", "Fabricant Exemple", "DAE Exemple 300", "EX19-000412",
            "+33261910000", "services-techniques@ville-exemple.fr",
        ],
        [
            "+33261910011", "Fabricant Exemple", "DAE Exemple 300", "EX22-001873",
            "+33261910000", "services-techniques@ville-exemple.fr",
        ],
        [
            "+33261910020", "Autre Fabricant Exemple", "Modèle Exemple B", "B-2021-55120",
            "+33261910020", "contact@pharmacie-exemple.fr",
        ],
    ]  # fmt: skip
    # Never published: second contacts, the site's e-mail; not given: maintainer, SIREN.
    for column in [*PERSONAL_CONTACTS, "fab_siren", "mnt_rais"]:
        assert set(published[column]) == {""}, column


def validata_errors(path) -> list[list]:
    """[row, field, error type] of each error frictionless finds in the published CSV against
    the official DAE schema, as validata reports them."""
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA_JSON.read_text("utf-8")))
    resource = frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema)
    return resource.validate().flatten(["rowNumber", "fieldName", "type"])


@pytest.mark.skipif(not SCHEMA_JSON.is_file(), reason="../shared/schemas is not available")
def test_with_the_communes_completion_the_file_passes_the_official_schema(materialize, tmp_path):
    materialize("defibrillateurs")
    assert validata_errors(tmp_path / "published" / "76165" / "defibrillateurs.csv") == []
    sheet = (tmp_path / "published" / "76165" / "defibrillateurs.md").read_text("utf-8")
    assert "**Avertissement" not in sheet


@pytest.mark.skipif(not SCHEMA_JSON.is_file(), reason="../shared/schemas is not available")
def test_without_completion_the_six_withheld_fields_are_missing_and_a_warning_lists_them(
    materialize, tmp_path
):
    inbox = tmp_path / "inbox"
    shutil.copytree(COMPLETION.parent, inbox / "76165")
    (inbox / "76165" / COMPLETION.name).unlink()
    result = materialize("defibrillateurs", inbox_dir=inbox)
    # Non-blocking: the file is published all the same.
    assert check_outcomes(result) == {
        f"defibrillateurs:{name}": name != "withheld_fields_completed" for name in CHECKS
    }
    (warning,) = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "withheld_fields_completed"
    ]
    assert warning.severity == dg.AssetCheckSeverity.WARN
    assert warning.metadata["failing_rows"].value == 3
    # The published sheet says so too.
    sheet = (tmp_path / "published" / "76165" / "defibrillateurs.md").read_text("utf-8")
    assert "**Avertissement (withheld_fields_completed).** Avertissement, non bloquant : " in sheet
    assert "Au moment de la publication : 3 ligne(s) concernée(s)." in sheet
    errors = validata_errors(tmp_path / "published" / "76165" / "defibrillateurs.csv")
    assert len(errors) == 18  # what Validata reported on the published file (issue 9)
    assert {(field, kind) for _, field, kind in errors} == {
        (field, "constraint-error") for field in WITHHELD_REQUIRED
    }


def test_the_warning_lists_devices_with_fields_missing_and_lines_that_complete_nothing(tmp_path):
    geodae = cut_commune(SNAPSHOT, CAUDEBEC, "x")
    completion = completion_file(
        tmp_path, "c_gid;num_serie;modele\n30412;A1;M\n61233;A2;M\n121905;;M\n"
    )
    table = published_devices(geodae, CAUDEBEC, completion)[0]
    failures = completion_not_finished(table, geodae, completion)
    assert failures.to_dict("records") == [
        {
            "row": 1,
            "nom": "Mairie de Caudebec-lès-Elbeuf",
            "ligne_source": None,
            "problem": "missing tel1, fab_rais, expt_tel1, expt_email",
        },
        {
            "row": 2,
            "nom": "Salle des sports Exemple",
            "ligne_source": None,
            "problem": "missing tel1, fab_rais, modele, num_serie, expt_tel1, expt_email",
        },
        {
            "row": 3,
            "nom": "Pharmacie Exemple",
            "ligne_source": None,
            "problem": "missing tel1, fab_rais, num_serie, expt_tel1, expt_email",
        },
        {
            "row": None,
            "nom": None,
            "ligne_source": 3,
            "problem": "device 61233 is left out of the dataset (not in working order "
            "(Hors service))",
        },
    ]


def completion_file(tmp_path, text: str) -> pd.DataFrame:
    path = tmp_path / "defibrillateurs.csv"
    path.write_text(text, encoding="utf-8")
    return read_completion(path, path.name)[0]


def test_lines_that_complete_no_published_device_are_listed_with_why(tmp_path):
    geodae = cut_commune(SNAPSHOT, CAUDEBEC, "x")
    completion = completion_file(
        tmp_path,
        "c_gid;lat_coor1;long_coor1;num_serie\n"
        "30412;;;A1\n"
        "61233;;;A2\n"  # out of service: left out of the dataset
        "99999;;;A3\n"
        ";49.28352;1.02318;A4\n"  # the town hall again, by its position
        ";49.2700;1.0100;A5\n"
        ";49.28815;1.02621;A6\n",
    )
    completed, unused = completion_of(geodae, exclusion_reasons(geodae), completion)
    assert {gid: fields["num_serie"] for gid, fields in completed.items()} == {
        "30412": "A1",
        "118734": "A6",
    }
    assert unused.to_dict("records") == [
        {
            "ligne_source": 3,
            "c_gid": "61233",
            "reason": "device 61233 is left out of the dataset (not in working order "
            "(Hors service))",
        },
        {
            "ligne_source": 4,
            "c_gid": "99999",
            "reason": "no device with Géo'DAE id 99999 in the commune's register",
        },
        {
            "ligne_source": 5,
            "c_gid": None,
            "reason": "device 30412 already completed by line 2",
        },
        {"ligne_source": 6, "c_gid": None, "reason": "no device within 15 m of 49.27, 1.01"},
    ]


def test_by_position_the_published_device_is_taken_and_two_are_not_guessed_between(tmp_path):
    geodae = cut_commune(SNAPSHOT, CAUDEBEC, "x")
    # The town hall's flagged duplicate (45871) stands where the town hall (30412) does.
    completion = completion_file(tmp_path, "Latitude;Longitude;Modèle\n49.28352;1.02318;X\n")
    completed, unused = completion_of(geodae, exclusion_reasons(geodae), completion)
    assert (list(completed), unused.empty) == (["30412"], True)
    # Not flagged any more: two published devices at one position.
    geodae.loc[geodae["c_gid"] == "45871", "c_doublon"] = "f"
    completed, unused = completion_of(geodae, exclusion_reasons(geodae), completion)
    assert completed == {}
    assert unused["reason"].tolist() == ["several devices within 15 m: 30412, 45871"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("tel1", "+33612345678"),  # a mobile: most often a person's
        ("expt_tel1", "+33712345678"),
        ("expt_email", "jean.dupont@gmail.com"),  # a consumer mailbox
        ("expt_email", "mairie.caudebec@orange.fr"),
        ("expt_email", "p.nom@ville-exemple.fr"),  # the schema's own example of a person
        ("tel2", "+33261910000"),  # never published
        ("site_email", "accueil@ville-exemple.fr"),
    ],
)
def test_a_contact_that_looks_like_a_persons_blocks_the_publication(column, value):
    table = caudebec_table()
    table.loc[1, column] = value
    failures = outcomes(table)["personal_contacts_withheld"]
    assert failures.to_dict("records") == [
        {"row": 2, "nom": "Salle des sports Exemple", "column": column, "value": value}
    ]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("tel1", "+33235810000"),
        ("expt_tel1", "+33261910000"),
        ("expt_email", "services-techniques@ville-exemple.fr"),
        ("expt_email", "accueil.mairie@caudebec-exemple.fr"),
    ],
)
def test_a_services_contact_passes(column, value):
    table = caudebec_table()
    table.loc[1, column] = value
    assert outcomes(table)["personal_contacts_withheld"].empty


def test_elbeuf_passes_with_its_own_devices(materialize, tmp_path):
    result = materialize("defibrillateurs", commune="76231")
    # Elbeuf sent no completion file: only the warning fails.
    assert check_outcomes(result) == {
        f"defibrillateurs:{name}": name != "withheld_fields_completed" for name in CHECKS
    }
    published = published_csv(tmp_path, "76231", "defibrillateurs")
    assert published["nom"].tolist() == ["Hôtel de ville d'Elbeuf", "Piscine Exemple"]
    assert published["acc_complt"].tolist()[0] == "Sous le porche ; à droite\nde la grille"
    assert published["disp_j"].tolist()[1] == "lundi|mercredi|vendredi|samedi|dimanche|événements"
    assert published["photo1"].tolist() == ["https://geodae.exemple.fr/photos/28841_1.png", ""]


def test_a_device_outside_the_commune_blocks_the_publication(materialize, tmp_path):
    # Saint-Pierre's town hall declared with Caudebec's INSEE code.
    with SNAPSHOT.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream, delimiter=";"))
    for row in rows:
        if row[header.index("c_gid")] == "33107":
            row[header.index("c_com_insee")] = "76165"
    wrong = tmp_path / "geodae.csv"
    wrong.write_text(csv_text(header, rows, ";"), encoding="utf-8-sig")
    result = materialize("defibrillateurs", raise_on_error=False, overrides={"geodae": str(wrong)})
    assert check_outcomes(result)["defibrillateurs:coordinates_inside_commune"] is False
    evaluation = next(
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "coordinates_inside_commune"
    )
    assert "Mairie de Saint-Pierre-lès-Elbeuf" in evaluation.metadata["failure_sample"].value
    assert not (tmp_path / "published" / "76165" / "defibrillateurs.csv").exists()


# -- what is left out, and why ---------------------------------------------------------------


def test_every_left_out_device_is_listed_with_its_reason():
    _, excluded = published_devices(cut_commune(SNAPSHOT, CAUDEBEC, "x"), CAUDEBEC)
    assert excluded.to_dict("records") == [
        {"c_gid": "119020", "c_nom": "DAE mobile Police municipale", "reason": "mobile device"},
        {
            "c_gid": "45871",
            "c_nom": "Mairie de Caudebec-lès-Elbeuf",
            "reason": "flagged as a duplicate",
        },
        {
            "c_gid": "61233",
            "c_nom": "Salle des fêtes Exemple",
            "reason": "not in working order (Hors service)",
        },
        {
            "c_gid": "122310",
            "c_nom": "Stade Exemple",
            "reason": "not validated (en attente de validation)",
        },
        {
            "c_gid": "52004",
            "c_nom": "Ancienne école Exemple",
            "reason": "marked for deletion (A supprimer)",
        },
    ]


def register_with_an_unknown_status(tmp_path) -> str:
    """The snapshot plus one Caudebec device whose `c_dae_mobile` is empty, a value Géo'DAE is
    not known to use (kept out of the snapshot, so that the demo shows no warning)."""
    with SNAPSHOT.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream, delimiter=";"))
    odd = dict(
        zip(header, next(r for r in rows if r[header.index("c_gid")] == "30412"), strict=True)
    )
    odd |= {
        "gid": str(len(rows) + 1),
        "c_gid": "99871",
        "c_nom": "Maison des associations Exemple",
        "c_lat_coor1": "49.28233",
        "c_long_coor1": "1.02745",
        "c_dae_mobile": "",
    }
    path = tmp_path / "geodae_with_unknown_status.csv"
    path.write_text(csv_text(header, [*rows, list(odd.values())], ";"), encoding="utf-8-sig")
    return str(path)


def test_a_status_value_not_known_leaves_the_device_out_with_a_warning(definitions, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    result = materialize_into(
        definitions,
        tmp_path,
        released("defibrillateurs"),
        instance=instance,
        overrides={"geodae": register_with_an_unknown_status(tmp_path)},
    )
    assert all(check_outcomes(result).values())
    metadata = result.asset_materializations_for_node("defibrillateurs")[0].metadata
    assert metadata["devices_left_out"].value == 6
    assert metadata["devices_left_out_for_unexpected_values"].value == 1
    listed = metadata["left_out"].value.splitlines()[-1]
    assert [cell.strip() for cell in listed.strip("|").split("|")] == [
        "99871",
        "Maison des associations Exemple",
        "unexpected value c_dae_mobile=''",
    ]
    warnings = [
        entry.user_message
        for entry in instance.all_logs(result.run_id)
        if entry.level == logging.WARNING and "status value" in entry.user_message
    ]
    assert warnings == [
        "1 device(s) left out for a status value Géo'DAE is not known to use: "
        "99871 unexpected value c_dae_mobile=''"
    ]
    published = published_csv(tmp_path, "76165", "defibrillateurs")
    assert "Maison des associations Exemple" not in set(published["nom"])


WORKING_DEVICE = {
    "c_etat_fonct": "En fonctionnement",
    "c_etat_valid": "validées",
    "c_dae_mobile": "f",
    "c_doublon": "f",
    "c_etat": "Actif",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({}, None),
        ({"c_etat": ""}, None),
        ({"c_etat": "Non identifié"}, None),
        ({"c_etat_fonct": "Absent momentanément"}, "not in working order (Absent momentanément)"),
        ({"c_etat_fonct": "Inconnu"}, "not in working order (Inconnu)"),
        ({"c_etat_valid": "en attente de validation"}, "not validated (en attente de validation)"),
        ({"c_dae_mobile": "t"}, "mobile device"),
        ({"c_doublon": "t"}, "flagged as a duplicate"),
        ({"c_etat": "A supprimer"}, "marked for deletion (A supprimer)"),
        # Values the register is not known to use: left out, never guessed about.
        (
            {"c_etat_fonct": "en fonctionnement"},
            "unexpected value c_etat_fonct='en fonctionnement'",
        ),
        ({"c_etat_valid": "douteuses"}, "unexpected value c_etat_valid='douteuses'"),
        ({"c_etat_valid": None}, "unexpected value c_etat_valid=''"),
        ({"c_doublon": "non"}, "unexpected value c_doublon='non'"),
        ({"c_dae_mobile": None}, "unexpected value c_dae_mobile=''"),
    ],
)
def test_exclusion_reason(change, reason):
    assert exclusion_reason(pd.Series({**WORKING_DEVICE, **change})) == reason


def test_a_commune_without_any_device_publishes_an_empty_table_that_passes():
    paris = commune("75056")
    table, excluded = published_devices(cut_commune(SNAPSHOT, paris, "x"), paris)
    assert (len(table), len(excluded)) == (0, 0)
    assert list(table.columns) == list(Defibrillateurs.to_schema().columns)
    assert all(o.passed for o in evaluate(table, Defibrillateurs, [], paris))


# -- availability in either layout of the export --------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"c_disp_j": "{7j/7}", "c_disp_h": "{24h/24}"}, ("7j/7", "24h/24", None)),
        ({"c_disp_j": "{}", "c_disp_h": ""}, ("non renseigné", "non renseigné", None)),
        ({"c_disp_j": "Lundi", "c_disp_h": "{24h/24}"}, ("Lundi", "24h/24", None)),
        ({"c_dispo_horaires": "24/7"}, ("7j/7", "24h/24", None)),
        ({"c_dispo_horaires": "Mo-Su off"}, ("non renseigné", "non renseigné", None)),
        (
            {"c_dispo_horaires": "Mo-Fr 09:00-18:00; Sa-Su off", "c_disp_complt": "Selon ERP"},
            (
                "non renseigné",
                "non renseigné",
                "Horaires : Mo-Fr 09:00-18:00; Sa-Su off. Selon ERP",
            ),
        ),
    ],
)
def test_availability(cells, expected):
    assert availability(pd.Series({"c_disp_complt": None, **cells})) == expected


# -- the rules -------------------------------------------------------------------------------


def test_a_device_outside_the_outline_is_named():
    table = caudebec_table()
    # The pharmacy moved to Saint-Pierre, inside Caudebec's bounding box.
    table.loc[2, ["lat_coor1", "long_coor1"]] = ["49.27120", "1.03550"]
    failures = outcomes(table)["coordinates_inside_commune"]
    assert failures.to_dict("records") == [
        {
            "nom": "Pharmacie Exemple",
            "lat_coor1": "49.27120",
            "long_coor1": "1.03550",
            "com_insee": "76165",
            "row": 3,
        }
    ]


def test_a_duplicated_serial_number_fails_and_empty_ones_do_not():
    table = caudebec_table()
    assert outcomes(table)["one_row_per_num_serie"].empty  # all empty in open data
    table.loc[[0, 2], "num_serie"] = "X09E409930"
    failures = outcomes(table)["one_row_per_num_serie"]
    assert failures["row"].tolist() == [1, 3]
    assert set(failures["num_serie"]) == {"X09E409930"}


def test_the_checks_definition_runs_the_rules_in_this_order():
    specs = list(defibrillateurs_checks.check_specs)
    assert [spec.name for spec in specs] == CHECKS
    assert [spec.name for spec in specs if not spec.blocking] == ["withheld_fields_completed"]


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("acc_lib", "t", "isin"),
        ("acc", "Exterieur", "isin"),
        ("etat_fonct", "en fonctionnement", "isin"),
        ("disp_j", "Lundi|mardi", "str_matches"),
        ("disp_j", "non renseigné|lundi", "str_matches"),
        ("disp_h", "heures ouvrables,heures de nuit", "str_matches"),
        ("lat_coor1", "49,28352", "str_matches"),
        ("lat_coor1", "149.2", "minimum_-90_maximum_90"),
        ("long_coor1", "-181", "minimum_-180_maximum_180"),
        ("dermnt", "20/06/2022", "str_matches"),
        ("dermnt", "2022-02-30", "real_date"),
        ("com_insee", "7616", "str_matches"),
        ("com_cp", "7632", "str_matches"),
        ("photo1", "30412_1.jpg", "str_matches"),
        ("expt_siren", "217601658", "french_siren_value"),
        ("expt_siret", "21760165700011", "french_siret_value"),
        ("tel1", "02 35 00 00 00", "str_matches"),
        ("expt_email", "mairie-exemple.fr", "str_matches"),
        ("nom", None, "not_nullable"),
        ("dermnt", None, "not_nullable"),
    ],
)
def test_a_bad_value_fails_the_schema_on_its_row(column, value, rule):
    table = caudebec_table()
    table.loc[1, column] = value
    failures = outcomes(table)["schema"]
    assert failures[["row", "column"]].drop_duplicates().values.tolist() == [[2, column]]
    assert any(rule in text for text in failures["rule"])


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("21760165700018", True),
        ("21760165700011", False),
        ("35600000000015", True),  # La Poste: no Luhn key, the digits sum to a multiple of 5
        ("2176016570001", False),
    ],
)
def test_french_siret_value(siret, valid):
    assert french_siret_value(siret) is valid


# -- the model against the official Table Schema --------------------------------------------


@pytest.mark.skipif(not SCHEMA_JSON.is_file(), reason="../shared/schemas is not available")
def test_the_model_agrees_with_the_official_schema_field_by_field():
    official = json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))
    assert official["version"] == "1.0.7"
    columns = Defibrillateurs.to_schema().columns
    assert list(columns) == [field["name"] for field in official["fields"]]
    assert Defibrillateurs.Config.strict and Defibrillateurs.Config.ordered

    relaxed = []
    for field in official["fields"]:
        name, rules = field["name"], field.get("constraints", {})
        checks = {check.name: check.statistics for check in columns[name].checks}
        pattern = checks.get("str_matches", {}).get("pattern")
        required = rules.get("required", False)
        if required and columns[name].nullable:
            relaxed.append(name)
        else:
            assert columns[name].nullable is not required, name
        if "enum" in rules:
            assert checks["isin"]["allowed_values"] == rules["enum"], name
        if "pattern" in rules:
            assert pattern == rules["pattern"], name
        if field["type"] == "boolean":
            assert checks["isin"]["allowed_values"] == field["trueValues"] + field["falseValues"]
        if field["type"] == "date":
            assert pattern == r"^\d{4}-\d{2}-\d{2}$" and "real_date" in checks, name
        if field["type"] == "number":
            assert pattern == r"^-?\d+(\.\d+)?$", name
            bounds = f"minimum_{rules['minimum']}_maximum_{rules['maximum']}"
            assert bounds in checks, name
        if field.get("format") == "email":
            assert pattern == r"^[^@\s]+@[^@\s]+\.[^@\s]+$", name
        if field["type"] == "string" and not (
            {"enum", "pattern"} & set(rules) or "format" in field
        ):
            # Free text: no rule, except the schema's custom checks below.
            assert not checks or name in {"expt_siren", "expt_siret"}, name
    # The one deliberate difference: required fields withheld from open data.
    assert relaxed == list(WITHHELD_REQUIRED)
    # unique: the rule one_row_per_num_serie.
    unique = [field["name"] for field in official["fields"] if field["constraints"].get("unique")]
    assert unique == ["num_serie"]
    assert "one_row_per_num_serie" in [spec.name for spec in defibrillateurs_checks.check_specs]
    # custom_checks: the schema's SIREN/SIRET keys.
    for custom in official["custom_checks"]:
        check = custom["name"].replace("-", "_")
        column = custom["params"]["column"]
        assert check in {c.name for c in columns[column].checks}, (column, check)
