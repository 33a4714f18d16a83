"""Reading national CSVs: every malformed input gives an error naming the file and the fault."""

import zipfile
from pathlib import Path

import pytest

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.tabular import (
    CsvFormat,
    RaggedLinesError,
    extract_member,
    query_csv,
    read_header,
)

SEMICOLON_UTF8 = CsvFormat(separator=";", encoding="utf-8")
SEMICOLON_LATIN1 = CsvFormat(separator=";", encoding="latin-1")


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_rows_are_cut_by_sql_and_read_as_text(tmp_path):
    table = write(tmp_path / "t.csv", b'CODGEO;LIB\n01001;"A;B"\n76165;Caudebec\n2A004;Ajaccio\n')
    rows = query_csv(
        table, SEMICOLON_UTF8, required=["CODGEO"], where="CODGEO IN ('01001', '2A004')"
    )
    assert rows.to_dict("records") == [
        {"CODGEO": "01001", "LIB": "A;B"},
        {"CODGEO": "2A004", "LIB": "Ajaccio"},
    ]


def test_a_utf8_bom_is_not_part_of_the_first_column_name(tmp_path):
    table = write(tmp_path / "bom.csv", "\ufeffc_com_insee;c_nom\n76165;Mairie\n".encode())
    assert read_header(table, SEMICOLON_UTF8) == ["c_com_insee", "c_nom"]
    rows = query_csv(table, SEMICOLON_UTF8, required=["c_com_insee"], where="c_com_insee = '76165'")
    assert rows["c_nom"].tolist() == ["Mairie"]


def test_a_missing_column_names_the_file_and_the_column(tmp_path):
    table = write(tmp_path / "irve.csv", b"id_pdc_itinerance;nom\nX;Y\n")
    with pytest.raises(
        SourceFormatError, match=r"irve\.csv: missing column\(s\) code_insee_commune"
    ):
        query_csv(
            table,
            SEMICOLON_UTF8,
            required=["id_pdc_itinerance", "code_insee_commune"],
            where="true",
        )


def test_a_wrong_separator_is_named(tmp_path):
    table = write(tmp_path / "comma.csv", b"CODGEO,NAISD21\n76165,110\n")
    with pytest.raises(
        SourceFormatError, match=r"comma\.csv: the header has a single column .* not ';'"
    ):
        query_csv(table, SEMICOLON_UTF8, required=["CODGEO"], where="true")


def test_an_empty_file_is_named(tmp_path):
    table = write(tmp_path / "empty.csv", b"")
    with pytest.raises(SourceFormatError, match=r"empty\.csv: empty file"):
        query_csv(table, SEMICOLON_UTF8, required=["CODGEO"], where="true")


def test_latin1_bytes_read_as_utf8_fail_with_the_line(tmp_path):
    content = "CODGEO;LIB\n76165;Caudebec-lès-Elbeuf\n".encode("latin-1")
    table = write(tmp_path / "latin.csv", content)
    with pytest.raises(SourceFormatError, match=r"latin\.csv: .*(unicode|UTF-8|utf-8)"):
        query_csv(table, SEMICOLON_UTF8, required=["CODGEO"], where="true")
    rows = query_csv(table, SEMICOLON_LATIN1, required=["CODGEO"], where="true")
    assert rows["LIB"].tolist() == ["Caudebec-lès-Elbeuf"]


def test_a_detected_encoding_reads_both_latin1_and_utf8(tmp_path):
    for encoding in ("latin-1", "utf-8"):
        table = write(tmp_path / f"{encoding}.csv", "id;titre\nW1;FÊTES\n".encode(encoding))
        rows = query_csv(table, CsvFormat(";", "detect"), required=["id"], where="true")
        assert rows["titre"].tolist() == ["FÊTES"]


def test_a_ragged_row_fails_with_its_line(tmp_path):
    table = write(tmp_path / "ragged.csv", b"a;b\n1;2\n3;4;5\n")
    with pytest.raises(SourceFormatError, match=r"ragged\.csv: .*[Ll]ine"):
        query_csv(table, SEMICOLON_UTF8, required=["a"], where="true")


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def test_only_the_matching_member_is_extracted(tmp_path):
    archive = zip_with(tmp_path / "rna.zip", {"rna_dpt_75.csv": b"75", "rna_dpt_76.csv": b"76"})
    member = extract_member(archive, r"_dpt_76\.csv$", tmp_path / "out")
    assert member.read_bytes() == b"76"
    assert [p.name.split("-", 1)[1] for p in (tmp_path / "out").iterdir()] == ["rna_dpt_76.csv"]


def test_a_member_path_cannot_escape_the_extraction_folder(tmp_path):
    archive = zip_with(tmp_path / "evil.zip", {"../../escaped_dpt_76.csv": b"x"})
    member = extract_member(archive, r"_dpt_76\.csv$", tmp_path / "out")
    assert member.parent == tmp_path / "out"
    assert not (tmp_path.parent / "escaped_dpt_76.csv").exists()


def test_a_truncated_zip_is_named(tmp_path):
    rows = b"".join(f"{n:05d};{n * 7919 % 1000}\n".encode() for n in range(5000))
    archive = zip_with(tmp_path / "full.zip", {"base.csv": b"CODGEO;NAISD21\n" + rows})
    cut = write(tmp_path / "cut.zip", archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(SourceFormatError, match=r"cut\.zip: corrupt or truncated zip"):
        extract_member(cut, r"base\.csv$", tmp_path / "out")


def test_the_uncompressed_size_is_bounded(tmp_path):
    archive = zip_with(tmp_path / "bomb.zip", {"base.csv": b"0" * 100_000})
    with pytest.raises(SourceFormatError, match="over the 1000 bytes allowed"):
        extract_member(archive, r"base\.csv$", tmp_path / "out", max_bytes=1000)


def test_a_missing_member_lists_what_the_archive_holds(tmp_path):
    archive = zip_with(tmp_path / "rna.zip", {"rna_dpt_75.csv": b"75"})
    with pytest.raises(SourceFormatError, match=r"found 0 \(members: rna_dpt_75\.csv\)"):
        extract_member(archive, r"_dpt_76\.csv$", tmp_path / "out")


def test_line_numbers_follow_the_file_whatever_rows_the_cut_keeps(tmp_path):
    rows = b"".join(f"{code:05d};{code % 7}\n".encode() for code in range(1, 200_001))
    table = write(tmp_path / "lines.csv", b"CODGEO;V\n" + rows)
    cut = query_csv(
        table,
        SEMICOLON_UTF8,
        required=["CODGEO"],
        where="CODGEO IN ('00001', '150000', '200000')",
        line_column="line",
    )
    # The header is line 1: the commune numbered n is on line n + 1.
    assert cut[["line", "CODGEO"]].values.tolist() == [
        [2, "00001"],
        [150001, "150000"],
        [200001, "200000"],
    ]


def test_ragged_lines_are_named_by_their_line_numbers(tmp_path):
    table = write(
        tmp_path / "t.csv",
        # The quoted field of line 2 runs over line 3.
        b'CODGEO;LIB\r\n01001;"A;\r\nB"\r\n'
        b"76165;Caudebec;en trop\r\n2A004\r\n97411;Saint-Denis\r\n",
    )
    with pytest.raises(RaggedLinesError) as raised:
        query_csv(table, SEMICOLON_UTF8, required=["CODGEO"], where="true")
    assert str(raised.value) == (
        f"{table}: 2 line(s) do not have the header's 2 fields: line 4 (3 fields), "
        "line 5 (1 fields)"
    )


def test_windows_1252_bytes_that_duckdb_refuses_as_latin1_are_read(tmp_path):
    # `’` (0x92) and `œ` (0x9c): Windows-1252, which DuckDB's latin-1 decoder refuses.
    table = write(tmp_path / "t.csv", b"CODGEO;LIB\n76165;L\x92\x9cuvre \xe9t\xe9\n")
    rows = query_csv(table, SEMICOLON_LATIN1, required=["LIB"], where="true")
    assert rows["LIB"].tolist() == ["L’œuvre été"]


RNA_HEADER = b"id;id_ex;siret;gestion;date_creat;titre;objet;adrs_codeinsee;position\n"


def test_a_zip_bomb_under_the_size_guard_is_stopped_by_its_expansion_ratio(tmp_path):
    # The scenario scaled down: a header then NUL bytes, deflated about 1000 to 1; the
    # size guard (8 GiB) alone let 5 GiB of it into the cache, read as 0 rows.
    archive = zip_with(
        tmp_path / "rna.zip", {"rna_waldec_20221101_dpt_76.csv": RNA_HEADER + bytes(20 * 1024**2)}
    )
    with pytest.raises(
        SourceFormatError,
        match=r"rna\.zip: member rna_waldec_20221101_dpt_76\.csv expands to \d+ bytes from "
        r"\d+ compressed, over the 100× expansion allowed: a zip bomb\?",
    ):
        extract_member(archive, r"_dpt_76\.csv$", tmp_path / "out")
    assert list(tmp_path.glob("out/*")) == []


def test_a_member_announcing_less_than_it_holds_is_stopped_and_nothing_kept(tmp_path):
    filling = RNA_HEADER + bytes(20 * 1024**2)
    archive = zip_with(tmp_path / "liar.zip", {"base.csv": filling})
    # The announced size (local header and central directory) rewritten to a harmless 1,000.
    content = archive.read_bytes()
    announced = len(filling).to_bytes(4, "little")
    assert content.count(announced) == 2
    write(archive, content.replace(announced, (1000).to_bytes(4, "little")))
    with pytest.raises(SourceFormatError, match=r"liar\.zip: corrupt or truncated zip archive"):
        extract_member(archive, r"base\.csv$", tmp_path / "out")
    assert list(tmp_path.glob("out/*")) == []


def test_nul_bytes_in_a_text_file_are_a_format_error_naming_the_line(tmp_path):
    # Past DuckDB's line limit, NUL bytes after the header were read as zero rows, no error.
    table = write(tmp_path / "nul.csv", RNA_HEADER + b"W1;;;;;T;O;76165;A\n" + bytes(10 * 1024**2))
    with pytest.raises(
        SourceFormatError, match=r"nul\.csv: line 3 holds NUL bytes \(byte 0\): not a text file"
    ):
        query_csv(table, SEMICOLON_UTF8, required=["id"], where="true")


def test_a_nul_byte_inside_a_value_is_named_too(tmp_path):
    table = write(tmp_path / "nul.csv", b"a;b\n1;2\n3;x\x00y\n")
    with pytest.raises(SourceFormatError, match=r"nul\.csv: line 3 holds NUL bytes \(byte 3\)"):
        query_csv(table, SEMICOLON_UTF8, required=["a"], where="true")


def test_the_header_read_is_bounded(tmp_path):
    # A file with no line break was read whole to check its first line (636 MB for 200 MB).
    table = write(tmp_path / "one_line.csv", b"a;" * (1024**2))
    with pytest.raises(
        SourceFormatError,
        match=r"one_line\.csv: no line break in the first 1048576 bytes: not a CSV header",
    ):
        read_header(table, SEMICOLON_UTF8)
