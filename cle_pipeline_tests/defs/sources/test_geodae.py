"""Géo'DAE cut: the commune's devices of every status, by code or by outline; BOM and layouts."""

import csv
from pathlib import Path

import pytest

from cle_pipeline.defs.sources.geodae import SOURCE, cut_commune
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune, read_outline
from devtools.snapshots.common import csv_text

SNAPSHOT = PROJECT_ROOT / "data" / "sources" / "geodae" / "geodae.csv"
CONTOURS = PROJECT_ROOT / "data" / "sources" / "commune_contours"


def commune(code: str) -> Commune:
    outline = read_outline(CONTOURS / f"{code}.geojson", code)
    return Commune(code, code, code[:2], "", outline)


def rewritten(tmp_path: Path, edit) -> Path:
    """A copy of the snapshot whose rows (header first) went through `edit`, written back in
    the export's format (`;`, quotes where needed, BOM)."""
    with SNAPSHOT.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream, delimiter=";"))
    header, rows = edit(header, rows)
    target = tmp_path / "geodae.csv"
    target.write_text(csv_text(header, rows, ";"), encoding="utf-8-sig")
    return target


def drop_column(name: str):
    def edit(header: list[str], rows: list[list[str]]):
        position = header.index(name)
        return (
            [field for i, field in enumerate(header) if i != position],
            [[field for i, field in enumerate(row) if i != position] for row in rows],
        )

    return edit


def test_caudebec_devices_of_every_status_by_code_or_outline():
    devices = cut_commune(SNAPSHOT, commune("76165"), "geodae.csv")
    assert devices["c_gid"].tolist() == [
        "30412",  # town hall
        "118734",  # sports hall
        "121905",  # pharmacy: no INSEE code, inside the outline
        "119020",  # mobile
        "45871",  # flagged duplicate
        "61233",  # out of service
        "122310",  # awaiting validation
        "52004",  # to be deleted
    ]


def test_a_device_without_code_in_the_box_but_outside_the_outline_goes_to_its_commune():
    # Boulangerie Exemple: postal code 76320 and inside Caudebec's bounding box.
    assert "120447" not in set(cut_commune(SNAPSHOT, commune("76165"), "x")["c_gid"])
    assert cut_commune(SNAPSHOT, commune("76640"), "x")["c_gid"].tolist() == ["33107", "120447"]


@pytest.mark.parametrize(
    ("code", "gids"),
    [("76231", ["28841", "97322"]), ("2A004", ["70215"]), ("97411", ["88190"])],
)
def test_other_communes(code, gids):
    assert cut_commune(SNAPSHOT, commune(code), "x")["c_gid"].tolist() == gids


def test_the_byte_order_mark_stays_out_of_the_first_column_name():
    assert SNAPSHOT.read_bytes().startswith(b"\xef\xbb\xbfgid;c_gid;")
    devices = cut_commune(SNAPSHOT, commune("76165"), "x")
    assert devices.columns[0] == "gid"
    assert devices["gid"].tolist()[:3] == ["1", "2", "3"]


def test_quoted_free_text_keeps_its_separator_and_line_break():
    devices = cut_commune(SNAPSHOT, commune("76231"), "x").set_index("c_gid")
    assert devices.loc["28841", "c_acc_complt"] == "Sous le porche ; à droite\nde la grille"
    assert devices.loc["97322", "c_disp_h"] == '{"heures ouvrables"}'


@pytest.mark.parametrize("column", ["c_etat_valid", "c_doublon", "c_dae_mobile", "c_expt_siren"])
def test_a_missing_column_names_the_file_and_the_column(tmp_path, column):
    path = rewritten(tmp_path, drop_column(column))
    with pytest.raises(SourceFormatError, match=rf"https://example/geodae\.csv: .*{column}"):
        cut_commune(path, commune("76165"), "https://example/geodae.csv")


def test_neither_availability_layout_is_a_format_error(tmp_path):
    path = rewritten(tmp_path, drop_column("c_disp_h"))
    with pytest.raises(
        SourceFormatError, match=r"geodae\.csv: missing column\(s\) c_disp_j, c_disp_h"
    ):
        cut_commune(path, commune("76165"), "geodae.csv")


def test_the_newer_layout_with_one_opening_hours_column_is_read(tmp_path):
    def newer(header: list[str], rows: list[list[str]]):
        header, rows = drop_column("c_disp_h")(header, rows)
        return [name.replace("c_disp_j", "c_dispo_horaires") for name in header], rows

    devices = cut_commune(rewritten(tmp_path, newer), commune("76165"), "x")
    assert "c_dispo_horaires" in devices.columns
    assert "c_disp_h" not in devices.columns


def test_personal_contact_columns_are_never_read(tmp_path):
    def with_contacts(header: list[str], rows: list[list[str]]):
        return (
            [*header, "c_expt_email", "c_tel1"],
            [[*row, "p.nom@exemple.fr", "+33612345678"] for row in rows],
        )

    path = rewritten(tmp_path, with_contacts)
    devices = cut_commune(path, commune("76165"), "x")
    assert len(devices) == 8
    assert not {"c_expt_email", "c_tel1"} & set(devices.columns)


class RecordOnly:
    """Stands in for SourceFetcher.get_json: answers with a data.gouv.fr dataset record."""

    def __init__(self, record: dict):
        self.record = record

    def get_json(self, url: str) -> dict:
        assert url == "https://www.data.gouv.fr/api/1/datasets/61556e1e9d6adb2df86eb0fc/"
        return self.record


def test_the_resolver_picks_the_newest_csv_export_not_the_geojson():
    def resource(title: str, day: str) -> dict:
        return {
            "title": title,
            "url": f"https://static.data.gouv.fr/resources/geodae/{day}-190012/{title}",
            "last_modified": f"{day[:4]}-{day[4:6]}-{day[6:]}T19:00:12",
            "checksum": {"type": "sha1", "value": day},
        }

    record = {
        "resources": [
            resource("geodae.csv", "20221031"),
            resource("geodae.json", "20221101"),
            resource("geodae.csv", "20221101"),
            resource("joe_20191113_0263_0006.pdf", "20221102"),
        ]
    }
    resolved = SOURCE.resolve(RecordOnly(record))
    assert resolved.url == "https://static.data.gouv.fr/resources/geodae/20221101-190012/geodae.csv"
    assert (resolved.checksum_type, resolved.checksum) == ("sha1", "20221101")


def test_a_commune_without_any_device_gets_an_empty_frame_with_every_column():
    devices = cut_commune(SNAPSHOT, commune("75056"), "x")
    assert len(devices) == 0
    assert {"c_gid", "c_nom", "c_etat_valid", "c_disp_j"} <= set(devices.columns)
