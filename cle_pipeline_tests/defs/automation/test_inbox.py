"""The inbox sensor on a copy of Caudebec's inbox, with a real instance and a real webhook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.defs.automation.inbox import read_commune_inbox
from cle_pipeline.lib.alerts import AlertChannels
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.partitions import register_communes
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline_tests.http_server import LocalServer, local_server

INBOX = PROJECT_ROOT / "data" / "inbox"
FIRST_BUILD = [
    "cog_communes",
    "commerces",
    "commerces_inbox",
    "commune",
    "commune_contours",
    "defibrillateurs",
    "defibrillateurs_inbox",
    "geodae",
    "osm_commerces",
    "release/commerces",
    "release/defibrillateurs",
    "release/subventions",
    "rna_waldec",
    "sirene_etablissements",
    "subventions",
    "subventions_inbox",
]
# A workbook saved with a password is an encrypted OLE2 compound file, not a zip.
ENCRYPTED_XLSX = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)


class Inbox:
    """A copy of Caudebec's inbox under tmp_path, a real instance, and a webhook server."""

    def __init__(self, definitions: dg.Definitions, root: Path, chat: LocalServer) -> None:
        self.definitions = definitions
        self.folder = root / "76165"
        shutil.copytree(INBOX / "76165", self.folder)
        self.instance = dg.DagsterInstance.ephemeral()
        register_communes(self.instance, ["76165"])
        self.settings = CommuneSettings(inbox_dir=str(root))
        self.alerts = AlertChannels(webhook_url=f"{chat.url}/hooks/inbox")
        self.chat = chat
        self.cursor: str | None = None

    def tick(self) -> dg.SensorResult:
        context = dg.build_sensor_context(
            instance=self.instance,
            cursor=self.cursor,
            definitions=self.definitions,
            resources={"settings": self.settings, "alerts": self.alerts},
        )
        result = read_commune_inbox(context)
        assert isinstance(result, dg.SensorResult)
        self.cursor = result.cursor or self.cursor
        return result

    def alerts_sent(self) -> list[str]:
        return [json.loads(body)["text"] for _, body in self.chat.posts]

    def built(self, *names: str) -> None:
        for name in names:
            self.instance.report_runless_asset_event(
                dg.AssetMaterialization(dg.AssetKey.from_user_string(name), partition="76165")
            )


@pytest.fixture
def inbox(definitions, tmp_path):
    with local_server() as chat:
        yield Inbox(definitions, tmp_path / "inbox", chat)


def selections(result: dg.SensorResult) -> list[list[str]]:
    return [
        sorted(key.to_user_string() for key in request.asset_selection or [])
        for request in result.run_requests or []
    ]


def digest(folder: Path) -> dict[str, str]:
    return {path.name: checksum_of(path, "sha256") for path in sorted(folder.iterdir())}


def test_new_same_and_changed_files(inbox):
    before = digest(inbox.folder)
    first = inbox.tick()
    assert selections(first) == [FIRST_BUILD]  # and what they need, never built yet
    assert first.run_requests[0].partition_key == "76165"
    assert first.run_requests[0].tags == {
        "cle/inbox_files": "commerces.csv, commune.json, defibrillateurs.csv, subventions_2022.csv"
    }
    inbox.built(*FIRST_BUILD)
    same = inbox.tick()
    assert selections(same) == []
    assert same.skip_reason.skip_message == f"no new or changed file in {inbox.folder}"
    table = inbox.folder / "subventions_2022.csv"
    written = table.read_bytes() + b"\r\n"
    table.write_bytes(written)
    changed = inbox.tick()
    assert selections(changed) == [["release/subventions", "subventions", "subventions_inbox"]]
    assert changed.run_requests[0].tags == {"cle/inbox_files": "subventions_2022.csv"}
    assert selections(inbox.tick()) == []
    (inbox.folder / "notes.txt").write_text("not a file of the pipeline")
    assert selections(inbox.tick()) == []  # files of no known kind are ignored
    assert inbox.alerts_sent() == []
    assert table.read_bytes() == written  # the sensor only reads
    assert digest(inbox.folder)["commune.json"] == before["commune.json"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("subventions_2023.xlsx", ENCRYPTED_XLSX, "the workbook is password-protected"),
        ("subventions_2023.csv", b"", "empty file"),
        ("subventions_2023.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
        ("subventions_2023.pdf", b"%PDF-1.7", "a .pdf is not read; save it as .csv or .xlsx"),
        ("subventions_2023.csv", b"Nom;Prenom\nDupont;Jean\n", "no header line with known"),
        ("subventions_2023.csv", "Bénéficiaire;Montant\nX;1 €\n".encode(), "missing column(s)"),
        ("commune.json", b"{idAttribuant: 217", "commune.json: not a JSON document"),
        ("defibrillateurs_2023.csv", b"Nom;Modele\nMairie;X\n", "no column says which device"),
    ],
)
def test_an_unreadable_file_is_skipped_with_its_reason_and_one_alert(inbox, name, content, reason):
    inbox.tick()
    inbox.built(*FIRST_BUILD)
    (inbox.folder / name).write_bytes(content)
    before = digest(inbox.folder)
    result = inbox.tick()
    assert selections(result) == []
    assert result.skip_reason.skip_message.startswith("unreadable, nothing rebuilt from it: ")
    assert reason in result.skip_reason.skip_message
    [alert] = inbox.alerts_sent()
    assert f"{name} in the inbox cannot be read" in alert
    assert f"File: {inbox.folder}/{name}" in alert
    assert reason in alert
    reader = "defibrillateurs_inbox" if name.startswith("defibrillateurs") else "subventions_inbox"
    assert f"Not rebuilt until a readable file arrives: {reader}." in alert
    again = inbox.tick()
    assert selections(again) == []
    assert again.skip_reason.skip_message.startswith("still unreadable")
    assert len(inbox.alerts_sent()) == 1  # one alert per file, not one per tick
    assert digest(inbox.folder) == before  # never modified, never deleted


def test_a_change_held_back_by_an_unreadable_file_runs_once_it_is_gone(inbox):
    inbox.tick()
    inbox.built(*FIRST_BUILD)
    broken = inbox.folder / "subventions_2023.xlsx"
    broken.write_bytes(ENCRYPTED_XLSX)
    inbox.tick()
    described = inbox.folder / "commune.json"
    described.write_text(described.read_text(encoding="utf-8").replace("Commune de", "Ville de"))
    held = inbox.tick()
    assert selections(held) == []
    assert "still unreadable" in held.skip_reason.skip_message
    broken.unlink()  # the commune removed it
    assert selections(inbox.tick()) == [["release/subventions", "subventions", "subventions_inbox"]]


def test_removing_a_file_rebuilds_what_read_it(inbox):
    inbox.tick()
    inbox.built(*FIRST_BUILD)
    # A newer table, readable but wrong (no SIRET nor RNA id: the checks will fail on it).
    wrong = inbox.folder / "subventions_2023.csv"
    wrong.write_bytes(
        "Nom du bénéficiaire;SIRET;Objet;Montant;Date de la convention;Nature;"
        "Conditions de versement;Date(s) de versement;Notification UE\r\n"
        "Club;N/A;Tournoi;100;01/02/2023;numéraire;unique;01/03/2023;non\r\n".encode()
    )
    assert selections(inbox.tick()) == [["release/subventions", "subventions", "subventions_inbox"]]
    wrong.unlink()  # the commune takes it back: subventions_2022.csv is read again
    removed = inbox.tick()
    assert selections(removed) == [["release/subventions", "subventions", "subventions_inbox"]]
    assert removed.run_requests[0].tags == {"cle/inbox_files": "subventions_2023.csv (removed)"}
    assert selections(inbox.tick()) == []
    (inbox.folder / "commerces.csv").unlink()  # an optional file: commerces from OSM alone
    assert selections(inbox.tick()) == [["commerces", "commerces_inbox", "release/commerces"]]
    (inbox.folder / "defibrillateurs.csv").unlink()  # the six fields Géo'DAE withholds: empty
    assert selections(inbox.tick()) == [
        ["defibrillateurs", "defibrillateurs_inbox", "release/defibrillateurs"]
    ]
    assert inbox.alerts_sent() == []


def test_removing_an_unreadable_file_alone_rebuilds_nothing(inbox):
    inbox.tick()
    inbox.built(*FIRST_BUILD)
    broken = inbox.folder / "subventions_2023.csv"
    broken.write_bytes(b"")
    inbox.tick()
    broken.unlink()  # it never fed a run: what was built from subventions_2022.csv stands
    result = inbox.tick()
    assert selections(result) == []
    assert result.skip_reason.skip_message == f"no new or changed file in {inbox.folder}"


def test_a_fixed_file_runs(inbox):
    inbox.tick()
    inbox.built(*FIRST_BUILD)
    sent = inbox.folder / "subventions_2023.csv"
    sent.write_bytes(b"")
    inbox.tick()
    shutil.copy(inbox.folder / "subventions_2022.csv", sent)
    assert selections(inbox.tick()) == [["release/subventions", "subventions", "subventions_inbox"]]


def test_a_commune_not_yet_a_partition_is_skipped(definitions, tmp_path):
    with local_server() as chat:
        inbox = Inbox(definitions, tmp_path / "inbox", chat)
        shutil.copytree(INBOX / "76231", tmp_path / "inbox" / "76231")
        inbox.settings = CommuneSettings(commune="76231", inbox_dir=str(tmp_path / "inbox"))
        result = inbox.tick()
    assert result.skip_reason.skip_message == (
        "commune 76231 is not a partition yet (build it once, e.g. `make demo`)"
    )
    assert result.run_requests == []


def test_a_commune_without_an_inbox_folder_is_skipped(definitions, tmp_path):
    with local_server() as chat:
        inbox = Inbox(definitions, tmp_path / "inbox", chat)
        inbox.settings = CommuneSettings(commune="76231", inbox_dir=str(tmp_path / "elsewhere"))
        result = inbox.tick()
    assert result.skip_reason.skip_message == (
        f"no inbox folder {tmp_path / 'elsewhere' / '76231'} (nothing sent yet)"
    )


def test_an_unreachable_webhook_does_not_break_the_sensor(inbox):
    inbox.alerts = AlertChannels(webhook_url="http://127.0.0.1:9/hooks/inbox")
    inbox.tick()
    (inbox.folder / "subventions_2023.csv").write_bytes(b"")
    result = inbox.tick()
    assert "empty file" in result.skip_reason.skip_message


def test_the_sensor_is_on_by_default_with_a_clear_description(definitions):
    sensor = definitions.resolve_sensor_def("read_commune_inbox")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert "data/inbox/<commune>/" in sensor.description
