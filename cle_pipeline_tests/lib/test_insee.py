"""INSEE état civil in both generations of files: the current long series (`EC_MEASURE;…`) and
the older wide bases communales (`CODGEO;NAISD14;…`), and every bad input named by file,
column and line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.insee import BIRTHS, DEATHS, commune_counts

HEADER = "EC_MEASURE;FREQ;GEO;GEO_OBJECT;OBS_STATUS;TIME_PERIOD;OBS_VALUE"
# A piece of the current series as INSEE lays it out: places of every level, years mixed, a
# value declared missing (M), Paris as a commune and as arrondissements (751XX: unknown one).
SERIES = f"""{HEADER}
LVB;A;76165;COM;A;2008;131
LVB;A;76;DEP;A;2008;15100
LVB;A;28;REG;A;2008;37500
LVB;A;2A004;COM;A;2008;845
LVB;A;97411;COM;A;2008;2290
LVB;A;75056;COM;A;2008;31712
LVB;A;75101;ARM;A;2008;190
LVB;A;751XX;ARM;A;2008;3
LVB;A;01001;COM;M;2008;
LVB;A;76165;COM;A;2009;127
LVB;A;2A004;COM;A;2009;838
LVB;A;97411;COM;M;2009;
LVB;A;75056;COM;A;2009;31455
LVB;A;75101;ARM;A;2009;187
LVB;A;01001;COM;A;2009;7
"""


def write(tmp_path: Path, text: str, name: str = "DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def counts(frame: pd.DataFrame) -> list[tuple[int, int | None]]:
    return [
        (int(year), None if pd.isna(value) else int(value))
        for year, value in zip(frame["annee"], frame["valeur"], strict=True)
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("76165", [(2008, 131), (2009, 127)]),
        ("2A004", [(2008, 845), (2009, 838)]),  # Corsica: a letter in the code
        ("97411", [(2008, 2290), (2009, None)]),  # overseas, 2009 declared missing
        ("01001", [(2008, None), (2009, 7)]),  # leading zero kept, 2008 missing
        ("75056", [(2008, 31712), (2009, 31455)]),  # the COM row: arrondissements not added
    ],
)
def test_the_current_series_gives_the_communes_counts_with_missing_values_empty(
    tmp_path, code, expected
):
    frame = commune_counts(write(tmp_path, SERIES), code, BIRTHS, "births.csv")
    assert counts(frame) == expected
    assert str(frame["valeur"].dtype) == "Int64" and frame["annee"].dtype == "int64"


def test_a_missing_value_is_never_zero(tmp_path):
    frame = commune_counts(write(tmp_path, SERIES), "01001", BIRTHS, "births.csv")
    assert frame["valeur"].isna().tolist() == [True, False]
    assert frame["valeur"].fillna(-1).tolist() == [-1, 7]


def test_every_field_double_quoted_reads_the_same(tmp_path):
    quoted = "\n".join(
        ";".join(f'"{field}"' for field in line.split(";")) for line in SERIES.splitlines()
    )
    frame = commune_counts(write(tmp_path, quoted + "\n"), "01001", BIRTHS, "births.csv")
    assert counts(frame) == [(2008, None), (2009, 7)]


def test_crlf_line_endings_read_the_same(tmp_path):
    frame = commune_counts(
        write(tmp_path, SERIES.replace("\n", "\r\n")), "97411", BIRTHS, "births.csv"
    )
    assert counts(frame) == [(2008, 2290), (2009, None)]


def test_the_rows_of_another_measure_are_not_read(tmp_path):
    deaths = SERIES.replace("LVB;", "DTH;") + "LVB;A;76165;COM;A;2010;124\n"
    frame = commune_counts(write(tmp_path, deaths), "76165", DEATHS, "deaths.csv")
    assert counts(frame) == [(2008, 131), (2009, 127)]


def test_the_births_file_given_as_deaths_is_named(tmp_path):
    with pytest.raises(
        SourceFormatError,
        match=r"^births\.csv: commune 76165 has no row with GEO_OBJECT COM and EC_MEASURE DTH "
        r"\(deaths\) \(it holds EC_MEASURE LVB\)$",
    ):
        commune_counts(write(tmp_path, SERIES), "76165", DEATHS, "births.csv")


def test_a_commune_absent_from_the_file_is_named(tmp_path):
    with pytest.raises(SourceFormatError, match=r"^births\.csv: commune 76231 has no row"):
        commune_counts(write(tmp_path, SERIES), "76231", BIRTHS, "births.csv")


def test_an_arrondissement_is_not_a_commune(tmp_path):
    # 75101 has ARM rows only: the commune reader never takes them for a commune's.
    with pytest.raises(SourceFormatError, match=r"commune 75101 has no row with GEO_OBJECT COM"):
        commune_counts(write(tmp_path, SERIES), "75101", BIRTHS, "births.csv")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "LVB;A;76165;COM;A;2010;douze",
            r"^births\.csv: line 17, column OBS_VALUE: 'douze' is not a count \(OBS_STATUS A\)$",
        ),
        (
            "LVB;A;76165;COM;A;2010;",
            r"^births\.csv: line 17, column OBS_VALUE: '' is not a count \(OBS_STATUS A\)$",
        ),
        (
            "LVB;A;76165;COM;A;2010;12,5",
            r"^births\.csv: line 17, column OBS_VALUE: '12,5' is not a count",
        ),
        (
            "LVB;A;76165;COM;C;2010;12",
            r"^births\.csv: line 17, column OBS_STATUS: unknown status 'C' \(expected A, a value, "
            r"or M, missing\)$",
        ),
        (
            "LVB;A;76165;COM;M;2010;0",
            r"^births\.csv: line 17, column OBS_VALUE: '0' with OBS_STATUS M \(missing\)",
        ),
        (
            "LVB;A;76165;COM;A;2010-S1;12",
            r"^births\.csv: line 17, column TIME_PERIOD: '2010-S1' is not a year$",
        ),
        ("LVB;M;76165;COM;A;2010;12", r"^births\.csv: line 17, column FREQ: 'M', expected A"),
        (
            "LVB;A;76165;COM;A;2009;128",
            r"^births\.csv: year 2009 is given more than once for the commune \(lines 11, 17\)$",
        ),
    ],
)
def test_a_bad_row_of_the_commune_names_file_column_and_line(tmp_path, bad_line, message):
    # The header is line 1, so the row appended after the 15 rows of SERIES is line 17.
    with pytest.raises(SourceFormatError, match=message):
        commune_counts(write(tmp_path, SERIES + bad_line + "\n"), "76165", BIRTHS, "births.csv")


def test_a_missing_column_names_file_and_column(tmp_path):
    text = SERIES.replace(";OBS_STATUS", "").replace(";A;2008;", ";2008;")
    with pytest.raises(SourceFormatError, match=r"^births\.csv: missing column\(s\) OBS_STATUS$"):
        commune_counts(write(tmp_path, text), "76165", BIRTHS, "births.csv")


def test_another_separator_is_named(tmp_path):
    with pytest.raises(SourceFormatError, match=r"^births\.csv: the header has a single column"):
        commune_counts(write(tmp_path, SERIES.replace(";", ",")), "76165", BIRTHS, "births.csv")


# The older wide files, as INSEE published them up to 2021.
WIDE = """CODGEO;NAISD14;NAISD15;NAISD16;NAISD17;NAISD18;NAISD19;NAISD20;NAISD21
01001;8;9;7;10;6;8;9;7
2A004;820;805;790;812;776;760;741;755
76165;121;118;126;109;115;112;104;110
97411;2210;2190;2175;;2140;2105;2080;2095
"""


def test_the_wide_files_still_read(tmp_path):
    path = write(tmp_path, WIDE, "base_naissances_2021.csv")
    frame = commune_counts(path, "76165", BIRTHS, "base.csv")
    assert counts(frame) == list(
        zip(range(2014, 2022), [121, 118, 126, 109, 115, 112, 104, 110], strict=True)
    )
    # An empty cell is a value not published: missing, not zero.
    overseas = commune_counts(path, "97411", BIRTHS, "base.csv")
    assert counts(overseas)[3] == (2017, None)
    assert counts(commune_counts(path, "2A004", BIRTHS, "base.csv"))[0] == (2014, 820)


def test_the_wide_deaths_file_reads_its_own_columns(tmp_path):
    path = write(tmp_path, "CODGEO;DECESD20;DECESD21\n76165;118;112\n", "base_deces_2021.csv")
    assert counts(commune_counts(path, "76165", DEATHS, "base.csv")) == [(2020, 118), (2021, 112)]
    with pytest.raises(SourceFormatError, match=r"^base\.csv: no column NAISDYY"):
        commune_counts(path, "76165", BIRTHS, "base.csv")


def test_a_wide_value_that_is_not_a_count_names_column_and_line(tmp_path):
    path = write(tmp_path, WIDE.replace("76165;121;118;", "76165;121;n/a;"), "base.csv")
    with pytest.raises(
        SourceFormatError, match=r"^base\.csv: line 4, column NAISD15: 'n/a' is not a count$"
    ):
        commune_counts(path, "76165", BIRTHS, "base.csv")


def test_a_commune_twice_in_a_wide_file_names_the_lines(tmp_path):
    path = write(tmp_path, WIDE + "76165;1;2;3;4;5;6;7;8\n", "base.csv")
    with pytest.raises(SourceFormatError, match=r"commune 76165 has 2 rows \(lines 4, 6\)"):
        commune_counts(path, "76165", BIRTHS, "base.csv")
