"""The commune's shop file: found in the inbox setting's folder, read as the commune saved it,
optional, never modified."""

import os

import dagster as dg
import pytest
from openpyxl import Workbook

from cle_pipeline.defs.sources.commerces_inbox import (
    commerces_inbox,
    field_of,
    read_shop_hours,
)
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.settings import CommuneSettings

SAMPLE = PROJECT_ROOT / "data" / "inbox" / "76165" / "commerces.csv"


def inbox(tmp_path, name: str, content: bytes) -> CommuneSettings:
    """`tmp_path/76165/<name>` holding `content`, and the settings that read that inbox."""
    folder = tmp_path / "76165"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    return CommuneSettings(commune="76165", inbox_dir=str(tmp_path))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("SIRET", "siret"),
        ("N° SIRET", "siret"),
        ("numéro siret", "siret"),
        ("Horaires", "horaires"),
        ("HORAIRES D'OUVERTURE", "horaires"),
        ("opening_hours", "horaires"),
        ("Enseigne", None),
    ],
)
def test_headers_are_recognised(header, field):
    assert field_of(header) == field


def test_the_sample_file_gives_hours_by_siret_and_line():
    rows, table = read_shop_hours(SAMPLE, "sample")
    assert (table.encoding, table.separator) == ("utf-8 (BOM)", ";")
    assert rows.index.name == "ligne_source"
    assert rows.reset_index().values.tolist() == [
        [2, "50432187800028", "Tu-Sa 09:00-12:00,14:00-18:30"],
        [3, "43987125200011", "Mo-Sa 06:30-19:30; Su 07:00-12:30"],
        [4, "48812367000017", None],
    ]


def caudebec() -> dg.AssetExecutionContext:
    """The asset's context for the partition 76165: its inbox is `<inbox_dir>/76165`."""
    return dg.build_asset_context(partition_key="76165")


def test_the_file_as_a_spreadsheet_saves_it(tmp_path):
    settings = inbox(
        tmp_path,
        "commerces.csv",
        "SIRET;Enseigne;HORAIRES\r\n"
        '504 321 878 00028;Cordonnerie Minute Rémi;"Tu-Sa 09:00-12:00; Mo 14:00-18:00 "\r\n'
        "48812367000017;Le Balto;\r\n"
        ";;\r\n".encode("cp1252"),
    )
    output = commerces_inbox(context=caudebec(), settings=settings)
    assert output.value.reset_index().values.tolist() == [
        [2, "50432187800028", "Tu-Sa 09:00-12:00; Mo 14:00-18:00"],
        [3, "48812367000017", None],
    ]
    assert output.metadata["encoding"] == "windows-1252"
    assert output.metadata["blank_lines_skipped"] == "4"
    assert (
        output.metadata["rows_for_commune"],
        output.metadata["rows_with_hours"],
    ) == (2, 1)


def test_a_workbook_is_read_too(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Commerces de la commune (horaires)"])
    sheet.append([])
    sheet.append(["N° SIRET", "Horaires d'ouverture"])
    sheet.append([50432187800028, "Tu-Sa 09:00-12:00,14:00-18:30"])
    (tmp_path / "76165").mkdir()
    workbook.save(tmp_path / "76165" / "commerces_2024.xlsx")
    output = commerces_inbox(context=caudebec(), settings=CommuneSettings(inbox_dir=str(tmp_path)))
    assert output.value.reset_index().values.tolist() == [
        [4, "50432187800028", "Tu-Sa 09:00-12:00,14:00-18:30"]
    ]
    assert output.metadata["file_name"] == "commerces_2024.xlsx"


def test_no_file_is_no_rows_with_a_note(tmp_path):
    for settings in (
        CommuneSettings(inbox_dir=str(tmp_path / "no such folder")),
        inbox(tmp_path, "subventions_2022.csv", b"Objet;Montant\n"),
    ):
        output = commerces_inbox(context=caudebec(), settings=settings)
        assert output.value.empty
        assert list(output.value.columns) == ["siret", "horaires"]
        assert output.value.index.name == "ligne_source"
        assert output.metadata["file_name"] == "none"
        assert "shop hours come from OpenStreetMap only" in output.metadata["note"]


def test_a_shop_file_in_another_format_is_refused_not_ignored(tmp_path):
    settings = inbox(tmp_path, "commerces.ods", b"PK\x03\x04")
    with pytest.raises(SourceError, match=r"found commerces\.ods: save it as \.csv or \.xlsx"):
        commerces_inbox(context=caudebec(), settings=settings)


def test_the_file_without_hours_column_names_file_and_column(tmp_path):
    settings = inbox(
        tmp_path, "commerces.csv", b"siret;enseigne;ouverture\n50432187800028;Cordonnerie;Tu-Sa\n"
    )
    with pytest.raises(
        SourceFormatError,
        match=r"commerces\.csv: missing column\(s\) horaires \(headers read: 'siret', "
        r"'enseigne', 'ouverture'\)",
    ):
        commerces_inbox(context=caudebec(), settings=settings)


def test_two_columns_for_the_hours_are_refused(tmp_path):
    settings = inbox(tmp_path, "commerces.csv", b"siret;horaires;opening_hours\n1;Mo;Tu\n")
    with pytest.raises(SourceFormatError, match="'horaires', 'opening_hours' are all read as"):
        commerces_inbox(context=caudebec(), settings=settings)


def test_an_unquoted_semicolon_in_the_hours_names_the_line(tmp_path):
    settings = inbox(
        tmp_path, "commerces.csv", b"siret;horaires\n50432187800028;Tu-Sa 09:00-12:00; Mo 14:00\n"
    )
    with pytest.raises(SourceFormatError, match="line 2 has 3 values for 2 columns"):
        commerces_inbox(context=caudebec(), settings=settings)


def test_the_commune_file_is_never_modified(tmp_path):
    content = SAMPLE.read_bytes()
    settings = inbox(tmp_path, "commerces.csv", content)
    path = tmp_path / "76165" / "commerces.csv"
    os.utime(path, (1_600_000_000, 1_600_000_000))
    output = commerces_inbox(context=caudebec(), settings=settings)
    assert output.metadata["sha256"] == checksum_of(path, "sha256")
    assert path.read_bytes() == content
    assert path.stat().st_mtime == 1_600_000_000
    assert sorted(p.name for p in path.parent.iterdir()) == ["commerces.csv"]
