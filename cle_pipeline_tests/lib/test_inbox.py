"""The commune's files as its software writes them: encodings, separators, line numbers, XLSX."""

import os
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.inbox import newest_file, read_table

KNOWN = {"Nom", "Montant", "Date"}


def known_columns(cells: list[str]) -> int:
    return len(KNOWN & {cell.strip() for cell in cells})


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_windows_1252_file_keeps_its_euro_signs_and_accents(tmp_path):
    # Byte 0x80 is "€" in Windows-1252: read as ISO 8859-1 it would be a control character.
    path = write(
        tmp_path / "t.csv", "Nom;Montant\r\nComité des fêtes;1 500,00 €\r\n".encode("cp1252")
    )
    table = read_table(path, known_columns)
    assert table.encoding == "windows-1252"
    assert table.frame.loc[2].tolist() == ["Comité des fêtes", "1 500,00 €"]


def test_utf8_bom_utf16_comma_and_tab_files(tmp_path):
    bom = write(tmp_path / "a.csv", "\ufeffNom;Montant\n€;1\n".encode())
    assert read_table(bom, known_columns).frame.columns.tolist() == ["Nom", "Montant"]
    utf16 = write(tmp_path / "b.csv", "Nom\tMontant\r\nÉcole\t2\r\n".encode("utf-16"))
    table = read_table(utf16, known_columns)
    assert (table.encoding, table.separator) == ("utf-16", "\t")
    assert table.frame.loc[2, "Nom"] == "École"
    comma = write(tmp_path / "c.csv", b'Nom,Montant\n"Club, section judo",3\n')
    table = read_table(comma, known_columns)
    assert table.separator == ","
    assert table.frame.loc[2].tolist() == ["Club, section judo", "3"]


def test_line_numbers_count_lines_of_the_file_not_records(tmp_path):
    path = write(
        tmp_path / "t.csv",
        b'Subventions 2022\n\nNom;Montant;Date\nA;1;x\n"B\nsur deux lignes";2;y\n;;\nC;3;z\n;;\n',
    )
    table = read_table(path, known_columns)
    assert table.header_line == 3
    assert table.frame.index.name == "ligne_source"
    assert table.frame.index.tolist() == [4, 5, 8]
    assert table.frame.loc[5, "Nom"] == "B\nsur deux lignes"
    assert table.blank_lines == (7, 9)


def test_short_rows_are_padded_and_empty_cells_are_missing(tmp_path):
    path = write(tmp_path / "t.csv", b"Nom;Montant;Date\nA;  \nB;2;3;;\n")
    frame = read_table(path, known_columns).frame
    assert frame.loc[2].tolist() == ["A", None, None]
    assert frame.loc[3].tolist() == ["B", "2", "3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \r\n\r\n", "empty file"),
        (b";;;\n;;;\n", "empty file"),
        (b"Nom;Montant\n", "no data row below the header (line 1)"),
        (b"Nom;Montant\n;\n", "no data row below the header (line 1)"),
        (b"a;b\n1;2\n", "no header line with known column names"),
        (b"Nom;Montant\nA;1\nB;2;unexpected\n", "line 3 has 3 values for 2 columns"),
        (b'Nom;Montant\nA;1\n"B;2\n', "line 3: not readable as CSV"),
        (b"Nom;Nom;Montant\nA;B;1\n", "duplicated column(s) Nom"),
    ],
)
def test_structural_problems_name_the_file_and_line(tmp_path, content, message):
    path = write(tmp_path / "subventions.csv", content)
    with pytest.raises(SourceFormatError, match=r"subventions\.csv") as raised:
        read_table(path, known_columns)
    assert message in str(raised.value)


def test_xlsx_typed_cells_read_as_text_with_sheet_row_numbers(tmp_path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Tableau transmis par le service des finances"])
    sheet = workbook.create_sheet("2022")
    sheet.append(["Subventions 2022"])
    sheet.append([])
    sheet.append(["Nom", "Montant", "Date", None])
    sheet.append(["A", 1500.0, datetime(2022, 3, 14), None])
    sheet.append([])
    sheet.append(["B", 2350.5, "19/09/22", 44306184100013])
    sheet.append(["C", 900, datetime(2022, 3, 14, 10, 30), None])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    table = read_table(path, known_columns)
    assert (table.sheet, table.header_line, table.blank_lines) == ("2022", 3, (5,))
    # A column with neither a name nor a value is the sheet's margin; one with values stays.
    assert table.frame.columns.tolist() == ["Nom", "Montant", "Date", "(colonne 4)"]
    assert table.frame.index.tolist() == [4, 6, 7]
    assert table.frame.loc[4].tolist() == ["A", "1500", "2022-03-14", None]
    assert table.frame.loc[6].tolist() == ["B", "2350.5", "19/09/22", "44306184100013"]
    assert table.frame.loc[7, "Date"] == "2022-03-14 10:30:00"


def test_encrypted_workbook_gives_a_clear_error(tmp_path):
    # What Excel saves with "Encrypt with password": an OLE2 container around the zip.
    path = write(tmp_path / "subventions.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(SourceFormatError, match="password-protected"):
        read_table(path, known_columns)


def test_corrupt_or_truncated_workbook_gives_a_clear_error(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Nom", "Montant"])
    whole = tmp_path / "whole.xlsx"
    workbook.save(whole)
    truncated = write(tmp_path / "truncated.xlsx", whole.read_bytes()[:600])
    junk = write(tmp_path / "junk.xlsx", b"Nom;Montant\nA;1\n")
    for path in (truncated, junk):
        with pytest.raises(SourceFormatError, match=r"not a readable \.xlsx workbook"):
            read_table(path, known_columns)


def test_reading_leaves_the_file_as_it_was(tmp_path):
    path = write(tmp_path / "t.csv", "Nom;Montant\r\nA;1 500 €\r\n".encode("cp1252"))
    before = (checksum_of(path, "sha256"), path.stat().st_mtime_ns)
    read_table(path, known_columns)
    assert (checksum_of(path, "sha256"), path.stat().st_mtime_ns) == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_newest_file_is_the_last_modified_one(tmp_path):
    old = write(tmp_path / "subventions_2021.csv", b"x")
    new = write(tmp_path / "Subventions_2022_v2.XLSX", b"y")
    write(tmp_path / "commune.json", b"{}")
    write(tmp_path / "~$subventions_2022.xlsx", b"lock file of an open workbook")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_600_000_000, 1_600_000_000))
    chosen = newest_file(tmp_path, r"subventions.*")
    assert chosen.path == old
    assert chosen.ignored == ("Subventions_2022_v2.XLSX",)
    assert chosen.sha256 == checksum_of(old, "sha256")


def test_no_readable_file_says_what_was_found(tmp_path):
    with pytest.raises(SourceError, match="no inbox folder"):
        newest_file(tmp_path / "absent", r"subventions.*")
    write(tmp_path / "subventions_2022.ods", b"x")
    with pytest.raises(SourceError, match=r"found subventions_2022\.ods"):
        newest_file(tmp_path, r"subventions.*")


def test_a_row_shifted_by_an_unquoted_separator_is_refused_even_with_empty_extra_cells(tmp_path):
    path = tmp_path / "commerces.csv"
    path.write_text(
        "Nom;Montant;Date;Observations\n"
        "41236587600017;Boulangerie;Tu-Sa 06:30-13:00;\n"
        "50432187800028;Cordonnerie;Mo-Sa 06:30-19:30; Su 07:00-12:30;\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match="line 3 has 5 values for 4 columns"):
        read_table(path, known_columns)
