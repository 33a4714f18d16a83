"""The commune's completion of its defibrillators: found in the inbox, read as the commune saved
it, keyed by Géo'DAE id or position, optional, never modified."""

import dagster as dg
import pytest
from openpyxl import Workbook

from cle_pipeline.defs.sources.defibrillateurs_inbox import (
    COLUMNS,
    defibrillateurs_inbox,
    field_of,
    read_completion,
)
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.settings import CommuneSettings

SAMPLE = PROJECT_ROOT / "data" / "inbox" / "76165" / "defibrillateurs.csv"


def caudebec() -> dg.AssetExecutionContext:
    """The asset's context for the partition 76165: its inbox is `<inbox_dir>/76165`."""
    return dg.build_asset_context(partition_key="76165")


def inbox(tmp_path, name: str, content: bytes) -> CommuneSettings:
    """`tmp_path/76165/<name>` holding `content`, and the settings that read that inbox."""
    folder = tmp_path / "76165"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    return CommuneSettings(commune="76165", inbox_dir=str(tmp_path))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("c_gid", "c_gid"),
        ("Identifiant Géo'DAE", "c_gid"),
        ("ID GEODAE", None),
        ("latitude", "lat_coor1"),
        ("Téléphone sur site", "tel1"),
        ("FABRICANT", "fab_rais"),
        ("Modèle", "modele"),
        ("N° de série", "num_serie"),
        ("numero de serie", "num_serie"),
        ("Téléphone de l’exploitant", "expt_tel1"),
        ("Courriel de l'exploitant", "expt_email"),
        ("expt_email", "expt_email"),
        ("tel2", None),  # never read
        ("site_email", None),
        ("Nom", None),
    ],
)
def test_headers_are_recognised(header, field):
    assert field_of(header) == field


def test_the_sample_file_completes_by_id_and_by_position():
    rows, table = read_completion(SAMPLE, "sample")
    assert (table.encoding, table.separator) == ("utf-8 (BOM)", ";")
    assert "ÉCHANTILLON" in table.frame["Remarque"].iloc[0]  # labelled a sample, not read
    assert list(rows.columns) == COLUMNS
    assert rows.reset_index().values.tolist() == [
        [
            2, "30412", None, None, "02 61 91 00 10", "Fabricant Exemple", "DAE Exemple 300",
            "EX19-000412", "02 61 91 00 00", "services-techniques@ville-exemple.fr",
        ],
        [
            3, None, "49,2881", "1,0262", "02.61.91.00.11", "Fabricant Exemple",
            "DAE Exemple 300", "EX22-001873", "02 61 91 00 00",
            "services-techniques@ville-exemple.fr",
        ],
        [
            4, "121905", None, None, "+33 2 61 91 00 20", "Autre Fabricant Exemple",
            "Modèle Exemple B", "B-2021-55120", "02 61 91 00 20", "contact@pharmacie-exemple.fr",
        ],
    ]  # fmt: skip


def test_a_workbook_with_some_of_the_fields(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Défibrillateurs de la commune"])
    sheet.append(["c_gid", "num_serie", "Téléphone de l'exploitant", "Remarque"])
    sheet.append([30412, "EX19-000412", 261910000, "le standard"])
    (tmp_path / "76165").mkdir()
    workbook.save(tmp_path / "76165" / "defibrillateurs_2024.xlsx")
    output = defibrillateurs_inbox(
        context=dg.build_asset_context(partition_key="76165"),
        settings=CommuneSettings(inbox_dir=str(tmp_path)),
    )
    assert output.value.reset_index().values.tolist() == [
        [3, "30412", None, None, None, None, None, "EX19-000412", "261910000", None]
    ]
    assert output.metadata["file_name"] == "defibrillateurs_2024.xlsx"
    assert output.metadata["columns_ignored"] == "Remarque"


def test_no_file_is_no_rows_with_a_note(tmp_path):
    for settings in (
        CommuneSettings(inbox_dir=str(tmp_path / "no such folder")),
        inbox(tmp_path, "subventions_2022.csv", b"Objet;Montant\n"),
    ):
        output = defibrillateurs_inbox(
            context=dg.build_asset_context(partition_key="76165"), settings=settings
        )
        assert output.value.empty
        assert list(output.value.columns) == COLUMNS
        assert output.value.index.name == "ligne_source"
        assert "the six fields Géo'DAE withholds stay empty" in output.metadata["note"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Nom;num_serie\nMairie;X1\n",
            r"no column says which device a row completes: give the Géo'DAE id .* \(headers "
            r"read: 'Nom', 'num_serie'\)",
        ),
        (b"c_gid;Nom\n30412;Mairie\n", r"none of the columns tel1, fab_rais, modele"),
        (b"c_gid;latitude;longitude;modele\n30412;;;A\n;49.28;;B\n", r"line\(s\) 3: no Géo'DAE id"),
        (b"latitude;longitude;modele\n49 N;1.02;A\n", r"line 2, column lat_coor1: '49 N' is not"),
        (b"c_gid;modele\n30412;A\n118734;B\n30412;C\n", r"lines 2, 4 complete the same Géo'DAE id"),
        (b"c_gid;Modele;modele\n30412;A;B\n", r"columns 'Modele', 'modele' are all read as"),
    ],
)
def test_a_file_that_cannot_say_what_it_completes_names_the_file_and_line(
    tmp_path, content, message
):
    settings = inbox(tmp_path, "defibrillateurs.csv", content)
    with pytest.raises(SourceFormatError, match=rf"defibrillateurs\.csv: {message}"):
        defibrillateurs_inbox(
            context=dg.build_asset_context(partition_key="76165"), settings=settings
        )


def test_a_file_in_another_format_is_refused_not_ignored(tmp_path):
    settings = inbox(tmp_path, "defibrillateurs.ods", b"PK\x03\x04")
    with pytest.raises(
        SourceError, match=r"found defibrillateurs\.ods: save it as \.csv or \.xlsx"
    ):
        defibrillateurs_inbox(
            context=dg.build_asset_context(partition_key="76165"), settings=settings
        )


def test_the_commune_file_is_never_modified(tmp_path):
    settings = inbox(tmp_path, "defibrillateurs.csv", SAMPLE.read_bytes())
    before = checksum_of(tmp_path / "76165" / "defibrillateurs.csv", "sha256")
    defibrillateurs_inbox(context=caudebec(), settings=settings)
    assert checksum_of(tmp_path / "76165" / "defibrillateurs.csv", "sha256") == before
