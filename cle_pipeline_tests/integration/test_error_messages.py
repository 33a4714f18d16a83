"""Issue 13, messages: the line a user reads names the file and what is wrong in it, in the
project's words, not the library error the project's own error was raised from."""

import csv
import io
import shutil

import pytest

from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import failure_messages

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
LIBRARY_ERRORS = ("BadZipFile", "CSV Error on Line", "UnicodeDecodeError", "KeyError")


def irve_without(column: str) -> bytes:
    rows = list(csv.reader(IRVE.read_text(encoding="utf-8").splitlines()))
    position = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [value for i, value in enumerate(row) if i != position] for row in rows
    )
    return out.getvalue().encode("utf-8")


NATIONAL_FILES = {
    # env var, file name, content, step, what the message must say
    "rna_not_a_zip": (
        "CLE_SOURCE_RNA_WALDEC",
        "rna_waldec_20221201.zip",
        b"<html>Maintenance</html>",
        "rna_waldec",
        "corrupt or truncated zip archive",
    ),
    "irve_unclosed_quote": (
        "CLE_SOURCE_IRVE",
        "irve.csv",
        IRVE.read_bytes().replace(b"Caudebec - Parking du Parc", b'"Caudebec - Parking', 1),
        "irve",
        "irve.csv",
    ),
    "irve_latin1": (
        "CLE_SOURCE_IRVE",
        "irve.csv",
        IRVE.read_bytes().replace("République".encode(), "République".encode("latin-1")),
        "irve",
        "irve.csv",
    ),
    "irve_without_nom_station": (
        "CLE_SOURCE_IRVE",
        "irve.csv",
        irve_without("nom_station"),
        "bornes_recharge",  # the source keeps every column; the dataset needs this one
        "missing column(s) nom_station (schema IRVE statique 2.3.1)",
    ),
}


@pytest.mark.parametrize("case", sorted(NATIONAL_FILES))
def test_a_bad_national_file_is_told_in_the_projects_words(materialize, tmp_path, case):
    variable, name, content, step, expected = NATIONAL_FILES[case]
    bad = tmp_path / name
    bad.write_bytes(content)
    overrides = {variable.removeprefix("CLE_SOURCE_").lower(): str(bad)}
    dataset = "associations" if step == "rna_waldec" else "bornes_recharge"
    result = materialize(dataset, raise_on_error=False, overrides=overrides)
    message = failure_messages(result)[step]
    assert message.startswith("cle_pipeline.lib."), message
    assert str(bad) in message and expected in message
    assert not any(library in message.split(":")[0] for library in LIBRARY_ERRORS)


def test_an_unknown_placeholder_names_the_variable_and_the_placeholders(materialize):
    overrides = {"irve": "/data/irve_{nope}.csv"}
    result = materialize("bornes_recharge", raise_on_error=False, overrides=overrides)
    message = failure_messages(result)["irve"]
    assert message.strip() == (
        "cle_pipeline.lib.errors.SourceError: CLE_SOURCE_IRVE='/data/irve_{nope}.csv': unknown "
        "placeholder {nope}; only {commune} and {department} are replaced"
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("subventions_2023.xlsx", b"not a workbook", "subventions_2023.xlsx"),
        ("subventions_2023.csv", b'objet;montant\n"Fete;100\n', "line 2: not readable as CSV"),
    ],
)
def test_a_bad_commune_file_is_told_in_the_projects_words(
    materialize, tmp_path, name, content, expected
):
    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT_ROOT / "data" / "inbox" / "76165", inbox / "76165")
    for old in (inbox / "76165").glob("subventions*"):
        old.unlink()
    (inbox / "76165" / name).write_bytes(content)
    result = materialize("subventions", inbox_dir=inbox, raise_on_error=False)
    message = failure_messages(result)["subventions_inbox"]
    assert message.startswith("cle_pipeline.lib.errors.SourceFormatError: "), message
    assert expected in message
