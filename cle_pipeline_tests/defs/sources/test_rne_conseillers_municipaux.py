"""The RNE councillors' cut: INSEE codes rebuilt from the file's columns, the traps of older
files (dd/mm/yyyy dates, lost leading zeros), a BOM, columns by name, data minimisation, and
the newest file found through a data.gouv.fr API served on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cle_pipeline.defs.sources.rne_conseillers_municipaux import (
    COLUMNS,
    SOURCE,
    cut_commune,
    insee_code,
    prefilter_values,
    read_councillors,
)
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import failure_messages
from cle_pipeline_tests.http_server import LocalServer, local_server
from devtools.snapshots import rne_conseillers_municipaux as snapshot

SNAPSHOT = PROJECT_ROOT / "data" / "sources" / "rne_conseillers_municipaux" / snapshot.FILE_NAME
DATES = ["Date de naissance", "Date de début du mandat", "Date de début de la fonction"]
PRIVATE = [
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Code nationalité",
]


def french_date(iso: str) -> str:
    """`2026-03-15` → `15/03/2026`, as the RNE wrote dates before 2026."""
    if not iso:
        return iso
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def older_rows() -> list[dict[str, str]]:
    """The snapshot's rows as an older RNE file writes them: dd/mm/yyyy dates, and codes
    that lost their leading zeros (`1` for the Ain, `1001` for 01001)."""
    rows = []
    for row in snapshot.rows():
        older = {**row, **{name: french_date(row[name]) for name in DATES}}
        older["Code du département"] = row["Code du département"].lstrip("0")
        older["Code de la commune"] = row["Code de la commune"].lstrip("0")
        rows.append(older)
    return rows


def write_older_file(path: Path) -> Path:
    return snapshot.write_file(path, older_rows())


@pytest.mark.parametrize(
    ("department", "collectivity", "commune", "expected"),
    [
        ("76", "", "76165", "76165"),
        ("01", "", "01001", "01001"),
        ("1", "", "1001", "01001"),  # an older file: both leading zeros lost
        ("2A", "20R", "2A004", "2A004"),
        ("2a", "", "2a004", "2A004"),
        ("974", "", "97411", "97411"),
        ("", "972", "97209", "97209"),  # Martinique: no department code at all
        ("75", "75C", "75056", "75056"),
        (" 76 ", "", " 76165 ", "76165"),
        # Only the number inside the department: the department goes in front.
        ("76", "", "165", "76165"),
        ("1", "", "1", "01001"),
        ("2A", "", "4", "2A004"),
        ("974", "", "11", "97411"),
        ("974", "", "411", "97411"),
        ("", "972", "209", "97209"),
        ("", "", "165", None),
        ("76", "", "", None),
        (None, None, None, None),
        ("ZZ", "", "165", None),
    ],
)
def test_insee_code_is_rebuilt_from_the_three_code_columns(
    department, collectivity, commune, expected
):
    assert insee_code(department, collectivity, commune) == expected


def test_the_prefilter_keeps_every_spelling_of_the_commune_code():
    assert prefilter_values("76165") == ["165", "76165"]
    assert prefilter_values("01001") == ["1", "1001"]
    assert prefilter_values("97411") == ["11", "411", "97411"]


def test_caudebec_rows_are_the_public_columns_of_its_council():
    rows = cut_commune(SNAPSHOT, "76165", "snapshot")
    assert list(rows.columns) == COLUMNS
    assert not set(PRIVATE) & set(rows.columns)
    assert len(rows) == 34  # 33 councillors, the 4th adjoint twice
    assert set(rows["Code de la commune"]) == {"76165"}
    assert rows["Libellé de la fonction"].notna().sum() == 11  # maire, 9 adjoints, maire délégué
    maire = rows[rows["Libellé de la fonction"] == "Maire"].iloc[0]
    assert (maire["Nom de l'élu"], maire["Prénom de l'élu"]) == ("DELAUNAY", "Hélène")


@pytest.mark.parametrize(
    ("code", "count"),
    [("76231", 33), ("76640", 2), ("01001", 1), ("2A004", 1), ("97411", 2), ("97209", 1)],
)
def test_every_sample_commune_gets_only_its_rows(code, count):
    rows = cut_commune(SNAPSHOT, code, "snapshot")
    assert len(rows) == count
    assert set(rows["Code de la commune"]) == {code}


def test_an_older_file_without_leading_zeros_gives_the_same_rows(tmp_path):
    older = write_older_file(tmp_path / "older.csv")
    assert "\n1;Ain;;;1001;" in older.read_text(encoding="utf-8")
    ain = cut_commune(older, "01001", "older")
    assert ain[["Nom de l'élu", "Libellé de la fonction"]].values.tolist() == [["EXEMPLE", "Maire"]]
    assert len(cut_commune(older, "76165", "older")) == 34


def test_a_utf8_bom_and_another_column_order_change_nothing(tmp_path):
    shuffled = [*reversed(snapshot.HEADER)]
    path = snapshot.write_file(tmp_path / "bom.csv", snapshot.rows(), shuffled)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    expected = cut_commune(SNAPSHOT, "76165", "snapshot")
    assert cut_commune(path, "76165", "bom").equals(expected)


def test_a_missing_column_names_the_file_and_the_column(tmp_path):
    header = [name for name in snapshot.HEADER if name != "Libellé de la fonction"]
    path = snapshot.write_file(tmp_path / "elus.csv", snapshot.rows(), header)
    with pytest.raises(SourceFormatError) as raised:
        cut_commune(path, "76165", str(path))
    assert str(path) in str(raised.value)
    assert "missing column(s) Libellé de la fonction" in str(raised.value)


def test_the_birth_date_and_profession_columns_may_disappear_from_the_file(tmp_path):
    # They are never read, so a file without them is still a valid source.
    header = [name for name in snapshot.HEADER if name not in PRIVATE]
    path = snapshot.write_file(tmp_path / "elus.csv", snapshot.rows(), header)
    assert len(cut_commune(path, "76165", "without private columns")) == 34


# -- online: the newest municipal councillors' file through the data.gouv.fr API --------------

STATIC = "https://static.data.gouv.fr/resources/repertoire-national-des-elus-1"


@pytest.fixture
def datagouv() -> Iterator[LocalServer]:
    with local_server() as server:
        yield server


def _resource(title: str, path: str, modified: str, content: bytes = b"") -> dict:
    return {
        "title": title,
        "url": f"{STATIC}/{path}",
        "last_modified": modified,
        "checksum": {"type": "sha1", "value": hashlib.sha1(content).hexdigest()},
    }


def test_online_mode_resolves_the_newest_councillors_file(datagouv, tmp_path):
    current = SNAPSHOT.read_bytes()
    older = write_older_file(tmp_path / "older.csv").read_bytes()
    newest = "20260811-154802/elus-conseiller-municipal-cm.csv"
    previous = "20251223-103336/elus-conseillers-municipaux-cm.csv"
    record = {
        "resources": [
            _resource(
                "elus-maire-mai.csv", "20260811-155100/elus-maire-mai.csv", "2026-08-11T15:51"
            ),
            _resource("Conseillers municipaux", previous, "2025-12-23T10:33", older),
            _resource("elus-conseiller-municipal-cm.csv", newest, "2026-08-11T15:48", current),
            _resource(
                "elus-conseillers-darrondissements-ca.csv",
                "20260811-154700/elus-conseillers-darrondissements-ca.csv",
                "2026-08-11T15:47",
            ),
        ]
    }
    datagouv.serve("/api/1/datasets/repertoire-national-des-elus-1/", json.dumps(record).encode())
    datagouv.serve(f"/resources/repertoire-national-des-elus-1/{newest}", current)
    datagouv.serve(f"/resources/repertoire-national-des-elus-1/{previous}", older)
    local = datagouv.url
    fetcher = SourceFetcher(
        mode="online",
        cache_dir=str(tmp_path / "cache"),
        retries=0,
        url_rewrites={"https://www.data.gouv.fr": local, "https://static.data.gouv.fr": local},
    )
    fetched = fetcher.fetch(SOURCE, "76165")
    assert fetched.location.endswith(newest)
    assert fetched.path.read_bytes() == current
    assert len(cut_commune(fetched.path, "76165", fetched.location)) == 34


# -- files as reusers find them: a commune without row, latin-1, double-encoded, ragged -------


def test_a_commune_absent_from_the_file_is_a_clear_error_naming_it_and_the_file(
    materialize, tmp_path
):
    others = [row for row in snapshot.rows() if row["Code de la commune"] != "76165"]
    path = snapshot.write_file(tmp_path / "sans-caudebec.csv", others)
    result = materialize(
        "rne_conseillers_municipaux",
        raise_on_error=False,
        overrides={"rne_conseillers_municipaux": str(path)},
    )
    assert failure_messages(result) == {
        "rne_conseillers_municipaux": "cle_pipeline.lib.errors.SourceError: "
        f"{path}: no councillor of the commune 76165 "
        "(Caudebec-lès-Elbeuf) in the file (Code de la commune); is the commune new, or the "
        "file another one than the municipal councillors'?\n"
    }
    # The cut itself keeps its columns when no row is the commune's.
    assert cut_commune(path, "76165", str(path)).columns.tolist() == COLUMNS


def _lines(path: Path = SNAPSHOT) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_latin1_copy_reads_the_same(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(SNAPSHOT.read_text(encoding="utf-8").encode("latin-1"))
    assert b"H\xe9l\xe8ne" in path.read_bytes()  # latin-1 bytes, not UTF-8
    assert cut_commune(path, "76165", "latin-1").equals(cut_commune(SNAPSHOT, "76165", "utf-8"))


def test_double_encoded_values_in_a_latin1_file_are_repaired(tmp_path):
    # A latin-1 file whose Caudebec rows were pasted in as UTF-8: read as latin-1, they show
    # `HÃ©lÃ¨ne` and `Caudebec-lÃ¨s-Elbeuf`.
    lines = _lines()
    data = b"".join(line.encode("utf-8" if ";76165;" in line else "latin-1") for line in lines)
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    assert "HÃ©lÃ¨ne".encode("latin-1") in data and b"Elbeuf;H\xe9l\xe8ne" not in data
    read = read_councillors(path, "76165", "mixed")
    assert read.rows.equals(cut_commune(SNAPSHOT, "76165", "utf-8"))
    maire = read.rows.iloc[0]
    assert (maire["Prénom de l'élu"], maire["Libellé de la commune"]) == (
        "Hélène",
        "Caudebec-lès-Elbeuf",
    )
    # Every Caudebec row's commune name, plus each accented name, function or department.
    assert read.values_repaired == sum(
        value != value.encode("utf-8").decode("latin-1")
        for _, row in read.rows[COLUMNS].iterrows()
        for value in row.dropna()
    )
    assert read.values_repaired > 34


def test_a_file_double_encoded_throughout_header_included_is_repaired(tmp_path):
    path = tmp_path / "double.csv"
    path.write_bytes(
        SNAPSHOT.read_text(encoding="utf-8").encode("utf-8").decode("latin-1").encode()
    )
    assert path.read_text(encoding="utf-8").startswith("Code du dÃ©partement;")
    assert cut_commune(path, "76165", "double").equals(cut_commune(SNAPSHOT, "76165", "utf-8"))


def test_a_correct_value_is_never_repaired(tmp_path):
    # Correct latin-1 French text never decodes as UTF-8: nothing to repair in the snapshot.
    assert read_councillors(SNAPSHOT, "76165", "snapshot").values_repaired == 0


def _with_extra_field(line_number: int, tmp_path: Path) -> Path:
    lines = _lines()
    lines[line_number - 1] = lines[line_number - 1].rstrip("\n") + ";en trop\n"
    path = tmp_path / "ragged.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_ragged_line_of_another_commune_is_skipped_and_named(materialize, tmp_path):
    path = _with_extra_field(24, tmp_path)  # Elbeuf's maire
    read = read_councillors(path, "76165", str(path))
    assert [line.describe() for line in read.ragged_lines_skipped] == ["line 24 (17 fields)"]
    assert read.rows.equals(cut_commune(SNAPSHOT, "76165", "snapshot"))
    result = materialize(
        "rne_conseillers_municipaux", overrides={"rne_conseillers_municipaux": str(path)}
    )
    metadata = result.asset_materializations_for_node("rne_conseillers_municipaux")[0].metadata
    assert metadata["ragged_lines_skipped"].value == "line 24 (17 fields)"
    assert metadata["rows_for_commune"].value == 34


def test_a_ragged_line_that_may_be_the_communes_is_an_error_naming_it(tmp_path):
    path = _with_extra_field(6, tmp_path)  # Caudebec's 2nd adjoint
    with pytest.raises(SourceFormatError) as raised:
        cut_commune(path, "76165", str(path))
    assert str(raised.value) == (
        f"{path}: ragged line(s) that may be the commune 76165's councillors, where the header "
        "has 16 fields: line 6 (17 fields); correct or remove them"
    )
