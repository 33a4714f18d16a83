"""`subventions` from the communes' sample files: exact values, the schema, and the lines named.

Broken variants of Caudebec's file are written to a temporary inbox (`CLE_INBOX_DIR`), never
to `data/inbox/`.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
from openpyxl import Workbook

from cle_pipeline.defs.datasets.subventions.assets import (
    RULES,
    commune_siren,
    conditions_of,
    grants_of_other_communes,
    nature_of,
    rna_by_name,
    to_schema,
)
from cle_pipeline.defs.datasets.subventions.schema import (
    DATE,
    NUMBER,
    ONE_OF_REQUIRED,
    OUI_NON,
    POURCENTAGE_MAXIMUM,
    POURCENTAGE_MINIMUM,
    SIRET_COLUMNS,
    Subventions,
)
from cle_pipeline.defs.sources.subventions_inbox import read_subsidies
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import (
    SHARED_SCHEMAS,
    check_outcomes,
    materialize_into,
    published_csv,
    release_metadata,
    released,
)
from devtools.snapshots.subventions_inbox import (
    ATTRIBUANTS,
    CAUDEBEC_HEADER,
    CAUDEBEC_ROWS,
    attribuant_json,
    csv_bytes,
)

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
INBOX = PROJECT_ROOT / "data" / "inbox"
ALL_PASS = {
    "subventions:schema": True,
    "subventions:rows_belong_to_commune": True,
    "subventions:amount_above_zero": True,
    "subventions:no_line_repeated": True,
    "subventions:rows_against_last_release": True,
}
# The commune's associations as the RNA lists them (as in the snapshot).
ASSOCIATIONS = pd.DataFrame(
    {
        "id": ["W760000101", "W760000102", "W760000104", "W760000106", "W760000108"],
        "titre": [
            "ASSOCIATION SPORTIVE CAUDEBECAISE",
            "COMITÉ DES FÊTES DE CAUDEBEC-LÈS-ELBEUF",
            "CLUB DES AÎNÉS CAUDEBÉCAIS",
            "PARENTS D'ÉLÈVES DE L'ÉCOLE JEAN JAURÈS",
            "ANCIENNE HARMONIE MUNICIPALE",
        ],
        "titre_court": ["ASC", None, None, None, None],
        "position": ["A", "A", "A", "A", "D"],
    }
)


def line_of(row: int) -> int:
    """Line in Caudebec's sample file of CAUDEBEC_ROWS[row]: the header is line 1 and the
    fourth row's object is written on two lines."""
    return row + 2 if row <= 3 else row + 3


def write_inbox(folder: Path, rows: list[list[str]], commune: str = "76165") -> Path:
    """A commune's inbox holding `rows` under Caudebec's header, as Excel's CSV UTF-8."""
    target = folder / commune
    target.mkdir(parents=True, exist_ok=True)
    (target / "commune.json").write_bytes(attribuant_json(commune))
    path = target / "subventions_2022.csv"
    path.write_bytes(csv_bytes(CAUDEBEC_HEADER, rows, "utf-8-sig", "\r\n"))
    return path


def table_of(path: Path, associations: pd.DataFrame = ASSOCIATIONS) -> pd.DataFrame:
    """The published frame of a commune file, without Dagster."""
    rows, _, _ = read_subsidies(path, str(path))
    return to_schema(rows.assign(**ATTRIBUANTS["76165"]), associations)


def failures_of(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        outcome.name: outcome.failures for outcome in evaluate(table, Subventions, [], CAUDEBEC)
    }


def inbox_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): checksum_of(p, "sha256") for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    return "\n".join(
        event.step_failure_data.error.to_string()
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error
    )


@pytest.fixture
def run(definitions: dg.Definitions, tmp_path: Path):
    """`run(inbox=folder)`: `subventions`, its upstream and its checks, reading the commune's
    files from `folder` (as CLE_INBOX_DIR would)."""

    def materialize(
        inbox: Path, commune: str = "76165", raise_on_error: bool = False
    ) -> dg.ExecuteInProcessResult:
        return materialize_into(
            definitions,
            tmp_path,
            released("subventions"),
            commune=commune,
            inbox_dir=inbox,
            raise_on_error=raise_on_error,
        )

    return materialize


# -- the samples -------------------------------------------------------------------------------


def test_caudebec_subsidies_exact_values(materialize, tmp_path):
    before = inbox_digest(INBOX)
    result = materialize("subventions")
    assert check_outcomes(result) == ALL_PASS
    assert inbox_digest(INBOX) == before  # the commune's files are read, never rewritten
    published = published_csv(tmp_path, "76165", "subventions")
    assert published.columns.tolist() == list(Subventions.to_schema().columns)
    assert len(published) == 12
    assert published.iloc[0].tolist() == [
        "Commune de Caudebec-lès-Elbeuf",
        "21760165700018",
        "2022-03-14",
        "DEL-2022-031",
        "ASSOCIATION SPORTIVE CAUDEBECAISE",
        "44306184100013",
        "W760000101",
        "Fonctionnement de l'école de football ; saison 2022-2023",
        "24500.00",
        "aide en numéraire",
        "échelonné",
        "2022-04-01/2022-12-31",
        "",
        "non",
        "1.00",
        "",
    ]
    assert published["montant"].tolist() == [
        "24500.00", "8000.00", "1200.00", "2350.50", "650.00", "400.00", "1500.00", "750.00",
        "3000.00", "5000.00", "900.00", "1500.00",
    ]  # fmt: skip
    assert published["idBeneficiaire"].tolist() == [
        "44306184100013", "", "", "", "", "", "", "", "78912345200011", "52041337800016",
        "80233671900017", "44306184100013",
    ]  # fmt: skip
    # Given in the file (W760000105 written `w 760 000 105`), or found in the RNA by name
    # (102, 104, 106); none for the three associations the RNA snapshot does not hold.
    assert published["rnaBeneficiaire"].tolist() == [
        "W760000101", "W760000102", "W760000103", "W760000104", "W760000105", "W760000106",
        "W760000107", "W760000201", "", "", "", "W760000101",
    ]  # fmt: skip
    assert published["dateConvention"].tolist() == [
        "2022-03-14", "2022-03-14", "2022-03-14", "2022-04-11", "2022-04-11", "2022-05-16",
        "2022-05-16", "2022-05-16", "2022-09-19", "2022-09-19", "2022-09-19", "2022-10-17",
    ]  # fmt: skip
    assert published["datesPeriodeVersement"].tolist() == [
        "2022-04-01/2022-12-31", "2022-06-15", "2022-05-02", "2022-05-20", "2022-04-11",
        "2022-06-25", "2022-06-01/2022-09-30", "2022-07-01", "2022-11-15", "2022-10-01",
        "2022-10-17", "2022-11-14",
    ]  # fmt: skip
    assert published["nature"].tolist()[3:7] == [
        "aide en numéraire",
        "aide en nature",
        "aide en nature",
        "aide en numéraire;aide en nature",
    ]
    assert published.loc[3, "objet"] == "Sorties et goûters des adhérents (programme 2022)"
    assert set(published["notificationUE"]) == {"non"}
    assert set(published["pourcentageSubvention"]) == {"1.00"}
    assert set(published["conditionsVersement"]) == {"unique", "échelonné"}
    # One grant is above the €23,000 of the legal duty to publish.
    assert (published["montant"].astype(float) > 23_000).sum() == 1


def test_elbeuf_subsidies_exact_values(materialize, tmp_path):
    result = materialize("subventions", commune="76231")
    assert check_outcomes(result) == ALL_PASS
    published = published_csv(tmp_path, "76231", "subventions")
    assert published[["nomBeneficiaire", "rnaBeneficiaire", "montant"]].values.tolist() == [
        ["ELBEUF BOXING CLUB", "W760000201", "12000.00"],  # RNA found by name
        ["Théâtre de l’Elbeuvien", "W760000202", "28500.00"],
        ["Elbeuf Basket Club", "", "1800.00"],
        ["Union des commerçants elbeuviens", "", "6000.00"],
        ["Comité de jumelage d'Elbeuf", "", "6000.00"],
    ]
    # One grant shared by two beneficiaries: the total amount, and each one's share.
    assert published["pourcentageSubvention"].tolist() == ["1.00", "1.00", "1.00", "0.50", "0.50"]
    assert set(published["idAttribuant"]) == {"21760231700018"}
    assert set(published["nomAttribuant"]) == {"Commune d'Elbeuf"}


# -- the model and the official Table Schema ---------------------------------------------------


@pytest.mark.skipif(
    not SHARED_SCHEMAS.is_dir(), reason="../shared/schemas is not beside the project"
)
def test_the_model_agrees_with_the_table_schema_field_by_field():
    schema = json.loads((SHARED_SCHEMAS / "scdl__subventions" / "schema.json").read_text())
    assert schema["version"] == "2.1.1"
    columns = Subventions.to_schema().columns
    assert list(columns) == [field["name"] for field in schema["fields"]]
    for field in schema["fields"]:
        column = columns[field["name"]]
        constraints = field.get("constraints", {})
        checks = {check.name: check.statistics for check in column.checks}
        assert column.nullable is not constraints.get("required", False), field["name"]
        if "enum" in constraints:
            assert checks["isin"]["allowed_values"] == constraints["enum"], field["name"]
        if field["type"] == "boolean":
            assert checks["isin"]["allowed_values"] == field["trueValues"] + field["falseValues"]
            assert checks["isin"]["allowed_values"] == OUI_NON
        type_pattern = {"date": DATE, "number": NUMBER}.get(field["type"])
        pattern = constraints.get("pattern", type_pattern)
        assert checks.get("str_matches", {}).get("pattern") == pattern, field["name"]
        if "maxLength" in constraints:
            assert checks["str_length"]["max_value"] == constraints["maxLength"], field["name"]
        else:
            assert "str_length" not in checks, field["name"]
        if "minimum" in constraints:
            assert (
                constraints["minimum"],
                constraints["maximum"],
            ) == (POURCENTAGE_MINIMUM, POURCENTAGE_MAXIMUM)
            assert "minimum_0.01_maximum_1" in checks
    custom = schema["custom_checks"]
    siret_columns = [c["params"]["column"] for c in custom if c["name"] == "french-siret-value"]
    assert tuple(siret_columns) == SIRET_COLUMNS
    for name in siret_columns:
        assert "french_siret_value" in {check.name for check in columns[name].checks}
    (pair,) = [c["params"] for c in custom if c["name"] == "one-of-required"]
    assert (pair["column1"], pair["column2"]) == ONE_OF_REQUIRED
    assert "one_of_required" in {check.name for check in Subventions.to_schema().checks}


# -- identifiers: SIRET, RNA, or neither -------------------------------------------------------


def test_na_sirets_with_rna_ids_pass(tmp_path):
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    for number, row in enumerate(rows):
        row[1] = "N/A"
        row[2] = row[2] if row[2].strip() not in ("", "N/A") else f"W76123{number:04d}"
    table = table_of(write_inbox(tmp_path, rows))
    assert table["idBeneficiaire"].isna().all()
    assert all(failures.empty for failures in failures_of(table).values())


def test_a_row_with_neither_siret_nor_rna_fails_naming_its_line(tmp_path, run):
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    rows[9][1] = "N/A"  # "Caudebec Solidarité", not in the RNA under that name
    inbox = tmp_path / "inbox"
    write_inbox(inbox, rows)
    failures = failures_of(table_of(inbox / "76165" / "subventions_2022.csv"))["schema"]
    assert set(failures["ligne_source"]) == {line_of(9)} == {12}
    assert set(failures["rule"]) == {"one_of_required"}

    result = run(inbox)
    assert check_outcomes(result)["subventions:schema"] is False
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "schema"]
    sample = evaluation.metadata["failure_sample"].value
    assert sample.splitlines()[0].split("|")[1].strip() == "ligne_source"
    assert re.search(r"^\|\s*12\s*\|.*one_of_required", sample, re.MULTILINE)
    assert release_metadata(result, "subventions") is None
    assert not (tmp_path / "published" / "76165" / "subventions.csv").exists()


def test_a_real_rna_id_the_schema_refuses_fails_saying_so(tmp_path):
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    rows[2][2] = "W9T1000001"  # a Mayotte id: real, but not W + 9 digits
    rows[6][2] = "W76000107"  # one digit short: a typo, the pattern's alone to report
    failures = failures_of(table_of(write_inbox(tmp_path, rows)))["schema"]
    assert failures.to_dict("records") == [
        {
            "ligne_source": line_of(2),
            "ligne_tableur": line_of(2),  # before the object on two lines
            "column": "rnaBeneficiaire",
            "rule": "str_matches('^W\\d{9}$')",
            "value": "W9T1000001",
        },
        {
            "ligne_source": line_of(6),
            "ligne_tableur": line_of(6) - 1,
            "column": "rnaBeneficiaire",
            "rule": "str_matches('^W\\d{9}$')",
            "value": "W76000107",
        },
        {
            "ligne_source": line_of(2),
            "ligne_tableur": line_of(2),
            "column": "rnaBeneficiaire",
            "rule": "real RNA id that scdl/subventions 2.1.1 does not accept: the schema "
            "requires W + 9 digits (^W\\d{9}$), but the register gives letters to the ids of "
            "Corsica and overseas departments (W2A…, W9R…, W9T… in Mayotte); the id is right, "
            "the schema refuses it",
            "value": "W9T1000001",
        },
    ]


def test_rna_by_name_takes_active_associations_and_unambiguous_names():
    associations = pd.concat(
        [
            ASSOCIATIONS,
            pd.DataFrame(
                {
                    "id": ["W760000301", "W760000302"],
                    "titre": ["TENNIS CLUB", "TENNIS CLUB"],  # two associations, one name
                    "titre_court": [None, None],
                    "position": ["A", "A"],
                }
            ),
        ]
    )
    known = rna_by_name(associations)
    assert known["COMITE DES FETES DE CAUDEBEC LES ELBEUF"] == "W760000102"
    assert known["ASC"] == "W760000101"  # the short title counts too
    assert "ANCIENNE HARMONIE MUNICIPALE" not in known  # dissolved
    assert "TENNIS CLUB" not in known


# -- each kind of bad row fails, naming its line -----------------------------------------------

LONG_TEXT = "Objet " + "très " * 60


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        (0, 4, "mille euros", "str_matches"),
        (1, 5, "31/02/2022", "str_matches"),  # no such day: left as written
        (1, 5, "2022-02-31", "real_dates_in_order"),
        (1, 5, "mars 2022", "str_matches"),
        (2, 7, "Fonctionnement", "isin"),
        (4, 10, "peut-être", "isin"),
        (8, 1, "78912345200012", "french_siret_value"),  # one digit mistyped
        (2, 2, "W76000010", "str_matches"),  # a digit missing
        (6, 9, "du 30/09/2022 au 01/06/2022", "real_dates_in_order"),
        (6, 9, "15/03/2022 et 15/09/2022", "str_matches"),
        (3, 3, LONG_TEXT, "str_length"),
        (10, 0, "", "not_nullable"),
    ],
)
def test_each_kind_of_bad_value_fails_on_its_line(tmp_path, row, column, value, rule):
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    rows[row][column] = value
    failures = failures_of(table_of(write_inbox(tmp_path, rows)))["schema"]
    assert not failures.empty
    assert set(failures["ligne_source"]) == {line_of(row)}
    assert any(rule in text for text in failures["rule"])


def test_business_rules_name_the_lines(tmp_path):
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    rows[2][4] = "-1 200,00 €"
    rows.append(copy.deepcopy(rows[10]))  # a line pasted twice: line 15 repeats line 13
    table = table_of(write_inbox(tmp_path, rows))
    outcomes = {o.name: o.failures for o in evaluate(table, Subventions, RULES, CAUDEBEC)}
    assert outcomes["schema"].empty
    assert outcomes["amount_above_zero"]["ligne_source"].tolist() == [4]
    assert outcomes["no_line_repeated"]["ligne_source"].tolist() == [13, 15]


# -- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Aide en numéraire", "aide en numéraire"),
        ("Numéraire", "aide en numéraire"),
        ("NUMERAIRE", "aide en numéraire"),
        ("en nature", "aide en nature"),
        ("Aide en numéraire et en nature", "aide en numéraire;aide en nature"),
        ("aide en nature;aide en numéraire", "aide en nature;aide en numéraire"),
        ("nature + numéraire", "aide en nature;aide en numéraire"),
        ("Fonctionnement", "Fonctionnement"),  # a kind of grant, not a nature: for the check
    ],
)
def test_nature_of(written, expected):
    assert nature_of(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Unique", "unique"),
        ("versement unique", "unique"),
        ("Echelonné", "échelonné"),
        ("Échelonnée", "échelonné"),
        ("50 % à la signature,  50 % au bilan", "50 % à la signature, 50 % au bilan"),
    ],
)
def test_conditions_of(written, expected):
    assert conditions_of(written) == expected


def test_a_percentage_column_gives_each_beneficiarys_share(tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_bytes(
        csv_bytes(
            [*CAUDEBEC_HEADER, "Pourcentage"],
            [[*CAUDEBEC_ROWS[0], "45 %"], [*CAUDEBEC_ROWS[1], ""]],
            "utf-8",
            "\n",
        )
    )
    table = table_of(path)
    assert table["pourcentageSubvention"].fillna("(vide)").tolist() == ["0.45", "(vide)"]
    failures = failures_of(table)["schema"]
    assert failures[["ligne_source", "column"]].values.tolist() == [[3, "pourcentageSubvention"]]


# -- the commune's file: XLSX, empty, encrypted, untouched -------------------------------------


def xlsx_of(rows: list[list[str]], path: Path) -> None:
    """Caudebec's table as an Excel workbook: dates, amounts and SIRETs as typed cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Subventions 2022"
    sheet.append(CAUDEBEC_HEADER)
    for row in rows:
        cells: list[object] = list(row)
        day = datetime.strptime(row[5], "%d/%m/%y" if len(row[5]) == 8 else "%d/%m/%Y")
        cells[5] = day
        amount = row[4].replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        amount = amount.removesuffix("€").replace(".", "").replace(",", ".")
        cells[4] = float(amount)
        if row[1].isdigit():
            cells[1] = int(row[1])
        sheet.append(cells)
    workbook.save(path)


def test_an_xlsx_file_gives_the_same_output_as_the_csv(tmp_path, run):
    csv_inbox = tmp_path / "csv"
    write_inbox(csv_inbox, CAUDEBEC_ROWS)
    assert check_outcomes(run(csv_inbox)) == ALL_PASS
    published = tmp_path / "published" / "76165" / "subventions.csv"
    from_csv = published.read_bytes()
    published.unlink()

    xlsx_inbox = tmp_path / "xlsx" / "76165"
    xlsx_inbox.mkdir(parents=True)
    (xlsx_inbox / "commune.json").write_bytes(attribuant_json("76165"))
    xlsx_of(CAUDEBEC_ROWS, xlsx_inbox / "subventions_2022.xlsx")
    assert check_outcomes(run(tmp_path / "xlsx")) == ALL_PASS
    assert published.read_bytes() == from_csv


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("subventions_2022.csv", b"", "empty file"),
        ("subventions_2022.csv", "\ufeff".encode(), "empty file"),
        ("subventions_2022.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "password"),
        ("subventions_2022.xlsx", b"PK\x03\x04 truncated", "not a readable .xlsx workbook"),
    ],
)
def test_an_unreadable_file_stops_the_run_with_a_clear_error(tmp_path, run, name, content, message):
    folder = tmp_path / "inbox" / "76165"
    folder.mkdir(parents=True)
    (folder / "commune.json").write_bytes(attribuant_json("76165"))
    (folder / name).write_bytes(content)
    result = run(tmp_path / "inbox")
    assert not result.success
    text = failure_text(result)
    assert message in text
    assert name in text
    assert not (tmp_path / "published" / "76165" / "subventions.csv").exists()


def test_the_communes_files_are_unchanged_after_runs_that_pass_and_fail(tmp_path, run):
    inbox = tmp_path / "inbox"
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    write_inbox(inbox, rows)
    before = inbox_digest(inbox)
    assert check_outcomes(run(inbox)) == ALL_PASS
    rows[9][1] = "N/A"
    write_inbox(inbox, rows)
    before_failing = inbox_digest(inbox)
    assert check_outcomes(run(inbox))["subventions:schema"] is False
    assert inbox_digest(inbox) == before_failing
    assert (
        before.keys()
        == before_failing.keys()
        == {
            "76165/commune.json",
            "76165/subventions_2022.csv",
        }
    )


@pytest.mark.parametrize(
    ("code", "siren"),
    [("76165", "217601657"), ("97411", "219740115"), ("2A004", "212000046")],
)
def test_a_communes_siren_starts_with_21_its_department_0_and_its_number(code, siren):
    assert commune_siren(code) == siren[:8]


def test_a_grant_of_another_commune_does_not_belong_to_the_partition():
    frame = pd.DataFrame(
        {
            "referenceDecision": ["D1", "D2"],
            "nomAttribuant": ["Commune de Caudebec-lès-Elbeuf", "Commune d'Elbeuf"],
            "idAttribuant": ["21760165700018", "21760231700018"],
        }
    )
    assert grants_of_other_communes(frame, "76165")["referenceDecision"].tolist() == ["D2"]


def test_a_failing_row_gives_the_text_line_the_spreadsheet_row_and_its_key(tmp_path, run):
    # Issue 11: the fourth row's object spans two lines of the file, so from then on the
    # spreadsheet's row is one less than the text file's line.
    rows = copy.deepcopy(CAUDEBEC_ROWS)
    rows[9][1] = "N/A"  # "Caudebec Solidarité": neither SIRET nor RNA number
    inbox = tmp_path / "inbox"
    write_inbox(inbox, rows)
    (evaluation,) = [
        e for e in run(inbox).get_asset_check_evaluations() if e.check_name == "schema"
    ]
    table = evaluation.metadata["failing_rows_sample"]
    first = table.records[0].data
    assert (first["ligne_source"], first["ligne_tableur"]) == ("12", "11")
    assert (first["referenceDecision"], first["nomBeneficiaire"]) == (
        "DEL-2022-102",
        "Caudebec Solidarité",
    )
    assert [column.name for column in table.schema.columns][:4] == [
        "ligne_source",
        "ligne_tableur",
        "referenceDecision",
        "nomBeneficiaire",
    ]
