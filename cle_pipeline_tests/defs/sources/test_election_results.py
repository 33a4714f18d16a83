"""The Ministry's results files: ragged rows, letter codes of overseas departments."""

import pytest

from cle_pipeline.defs.sources.election_results import (
    FIXED_COLUMNS,
    LEGISLATIVE,
    PRESIDENTIAL,
    insee_code,
    read_commune_results,
)
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "data" / "sources"
PRESIDENTIAL_T1 = (
    SOURCES / "presidentielle_2022_t1" / "resultats-par-niveau-burvot-t1-france-entiere.txt"
)
LEGISLATIVE_T1 = (
    SOURCES / "legislatives_2022_t1" / "resultats-par-niveau-burvot-t1-france-entiere.txt"
)
HEADER = ";".join([*FIXED_COLUMNS, *PRESIDENTIAL.candidate_columns])


@pytest.mark.parametrize(
    ("department", "commune", "expected"),
    [
        ("76", "165", "76165"),
        ("01", "001", "01001"),
        ("1", "1", "01001"),  # leading zeros lost by a spreadsheet
        ("2A", "004", "2A004"),
        ("2B", "033", "2B033"),
        ("ZA", "101", "97101"),  # Les Abymes, Guadeloupe
        ("ZB", "209", "97209"),  # Fort-de-France, Martinique
        ("ZC", "302", "97302"),  # Cayenne, Guyane
        ("ZD", "411", "97411"),  # Saint-Denis, La Réunion
        ("ZS", "502", "97502"),  # Saint-Pierre, Saint-Pierre-et-Miquelon
        ("ZM", "611", "97611"),  # Mamoudzou, Mayotte
        ("ZX", "701", "97701"),  # Saint-Barthélemy
        ("ZX", "801", "97801"),  # Saint-Martin
        ("ZW", "612", "98612"),  # Sigave, Wallis-et-Futuna
        ("ZP", "735", "98735"),  # Papeete, Polynésie française
        ("ZN", "818", "98818"),  # Nouméa, Nouvelle-Calédonie
        ("974", "411", "97411"),  # a file writing the number instead of ZD
        ("ZZ", "411", None),  # French people abroad: a consulate, not Saint-Denis
        ("ZD", "101", None),  # a Guadeloupe number under La Réunion's letters
        ("ZW", "001", None),  # Wallis-et-Futuna as one block, no commune
        ("76", "", None),
    ],
)
def test_department_and_commune_codes_give_the_insee_code(department, commune, expected):
    assert insee_code(department, commune) == expected


def _station(department: str, commune: str, station: str, candidates: list[list[str]]) -> str:
    votes = sum(int(candidate[4]) for candidate in candidates)
    fixed = [department, "Dép", "04", "4ème circonscription", commune, "Commune", station]
    fixed += ["1000", "300", "30,00", "700", "70,00", "10", "1,00", "1,43", "5", "0,50", "0,71"]
    fixed += [str(votes), "68,50", "97,86"]
    return ";".join(fixed + [field for candidate in candidates for field in candidate])


TWELVE = [
    [
        str(n),
        "F" if n in (1, 5, 8, 10) else "M",
        f"NOM{n}",
        f"Prénom{n}",
        str(10 * n),
        "1,00",
        "2,00",
    ]
    for n in range(1, 13)
]


def test_a_ragged_row_with_twelve_candidates_loses_none(tmp_path):
    table = tmp_path / "t1.txt"
    lines = [HEADER, _station("76", "165", "0001", TWELVE), _station("76", "231", "0001", TWELVE)]
    table.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    rows = read_commune_results(table, PRESIDENTIAL, "76165", "t1.txt")
    assert len(rows) == 12
    assert rows["N°Panneau"].tolist() == [str(n) for n in range(1, 13)]
    assert rows["Voix"].tolist() == [str(10 * n) for n in range(1, 13)]
    assert rows.iloc[11][["Nom", "Prénom", "Sexe", "% Voix/Exp"]].tolist() == [
        "NOM12",
        "Prénom12",
        "M",
        "2,00",
    ]
    # Every candidate row carries its station's fields.
    assert set(rows["Code du b.vote"]) == {"0001"}
    assert set(rows["Exprimés"]) == {"780"}


def test_a_quoted_field_is_read_as_csv_even_on_lines_only_counted(tmp_path):
    # Lines without a quote are counted, not parsed; a quote sends the line to csv, so a
    # quoted separator (or line end) never shifts a station, the commune's or another's.
    quoted = [[*candidate] for candidate in TWELVE]
    quoted[0][2] = '"NOM;1"'
    spanning = [[*candidate] for candidate in TWELVE]
    spanning[0][2] = '"NOM\r\n1"'
    lines = [
        HEADER,
        _station("76", "231", "0001", quoted),
        _station("76", "231", "0002", spanning),
        _station("76", "165", "0001", quoted),
        _station("76", "165", "0002", TWELVE)[:-5],  # line 6 (the quoted line end counts)
    ]
    table = tmp_path / "t1.txt"
    table.write_bytes(("\r\n".join(lines[:4]) + "\r\n").encode("latin-1"))
    rows = read_commune_results(table, PRESIDENTIAL, "76165", "t1.txt")
    assert len(rows) == 12
    assert rows["Nom"].tolist()[:2] == ["NOM;1", "NOM2"]
    table.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    with pytest.raises(SourceFormatError, match=r"^t1\.txt: line 6 has 104 fields"):
        read_commune_results(table, PRESIDENTIAL, "76165", "t1.txt")


def test_the_snapshot_keeps_every_candidate_of_every_station():
    rows = read_commune_results(PRESIDENTIAL_T1, PRESIDENTIAL, "76165")
    assert rows.groupby("Code du b.vote").size().to_dict() == {f"000{n}": 12 for n in range(1, 8)}
    # A reader trusting the header would have one column per header name and one row per
    # station; pandas would even move the surplus fields into its index.
    assert len(rows) == 84


def test_a_candidate_part_that_is_not_whole_blocks_names_file_and_line(tmp_path):
    lines = PRESIDENTIAL_T1.read_bytes().decode("latin-1").split("\r\n")
    lines[3] = lines[3].rsplit(";", 1)[0]  # the third station loses its last field
    broken = tmp_path / "t1.txt"
    broken.write_bytes("\r\n".join(lines).encode("latin-1"))
    with pytest.raises(SourceFormatError) as error:
        read_commune_results(broken, PRESIDENTIAL, "76165", "national-t1.txt")
    message = str(error.value)
    assert message.startswith("national-t1.txt: line 4 has 104 fields")
    assert "blocks of 7 fields" in message


def test_a_missing_header_column_names_file_and_column(tmp_path):
    text = PRESIDENTIAL_T1.read_bytes().decode("latin-1")
    broken = tmp_path / "t1.txt"
    broken.write_bytes(text.replace(";Exprimés;", ";Exprimes;", 1).encode("latin-1"))
    with pytest.raises(
        SourceFormatError, match=r"^national-t1\.txt: missing column\(s\) Exprimés$"
    ):
        read_commune_results(broken, PRESIDENTIAL, "76165", "national-t1.txt")


def test_a_file_of_the_other_election_is_refused_by_its_header():
    with pytest.raises(
        SourceFormatError, match=r"unexpected column\(s\) 'Nuance' in the candidate"
    ):
        read_commune_results(LEGISLATIVE_T1, PRESIDENTIAL, "76165", "legislatives")
    with pytest.raises(SourceFormatError, match=r"missing column\(s\) Nuance$"):
        read_commune_results(PRESIDENTIAL_T1, LEGISLATIVE, "76165", "presidentielle")


def test_a_utf8_file_is_refused_with_a_hint(tmp_path):
    recoded = tmp_path / "t1.txt"
    recoded.write_bytes(PRESIDENTIAL_T1.read_bytes().decode("latin-1").encode("utf-8"))
    with pytest.raises(SourceFormatError, match=r"is the file UTF-8 rather than latin-1\?"):
        read_commune_results(recoded, PRESIDENTIAL, "76165", "t1")


def test_a_file_with_another_separator_says_so(tmp_path):
    commas = tmp_path / "t1.txt"
    commas.write_text(HEADER.replace(";", ",") + "\n", encoding="latin-1")
    with pytest.raises(SourceFormatError, match=r"single column .* separator is not ';'"):
        read_commune_results(commas, PRESIDENTIAL, "76165", "t1")
