"""Publication against the real data.gouv.fr server software (udata 17 on 127.0.0.1).

Every dataset is built once from the embedded snapshots (so its files are samples); each test
copies that folder and publishes into an organization of its own, created through the API, so
the tests do not see each other's datasets.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
import pytest
import requests

from cle_pipeline import cli
from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.lib.datagouv import DataGouvPublisher, Publication, PublicationError
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.release import read_release, write_release
from cle_pipeline_tests.conftest import check_outcomes, materialize_into

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SHEET_BORNES = load_sheet("bornes_recharge")
IRVE = {"name": "etalab/schema-irve-statique", "version": "2.3.1", "url": None}


def api_get(udata: dict[str, Any], path: str) -> Any:
    response = requests.get(f"{udata['api_url']}{path}", timeout=30)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dagster instance's folder (DAGSTER_HOME) where `built` ran: the publication reads
    the release materializations there."""
    return tmp_path_factory.mktemp("dagster_home")


@pytest.fixture(scope="module")
def built(
    definitions: dg.Definitions, tmp_path_factory: pytest.TempPathFactory, built_home: Path
) -> Path:
    """Every published dataset of 76165 built from the snapshots, checks passed, released."""
    root = tmp_path_factory.mktemp("built")
    with dg.DagsterInstance.local_temp(tempdir=str(built_home)) as instance:
        result = materialize_into(
            definitions,
            root,
            dg.AssetSelection.groups("commune_reference", "sources", "published", "releases"),
            commune="76165",
            instance=instance,
        )
    assert set(check_outcomes(result).values()) == {True}
    return root / "published" / "76165"


@pytest.fixture
def published_folder(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built folder (the publisher keeps its state file there)."""
    return Path(shutil.copytree(built, tmp_path / "published" / "76165"))


@pytest.fixture
def organization(udata_server: dict[str, Any]) -> dict[str, Any]:
    """A fresh organization whose admin is the key's user."""
    response = requests.post(
        f"{udata_server['api_url']}/organizations/",
        headers={"X-API-KEY": udata_server["api_key"]},
        json={"name": f"Commune de test {uuid.uuid4().hex[:8]}", "description": "Tests."},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    organization: dict[str, Any] = response.json()
    return organization


def publisher(udata: dict[str, Any], organization: dict[str, Any], **options: Any):
    settings = {
        "api_url": udata["api_url"],
        "api_key": udata["api_key"],
        "organization": organization["slug"],
        "backoff_seconds": 0.2,
        **options,
    }
    return DataGouvPublisher(**settings)


def publish_all(target: DataGouvPublisher, folder: Path) -> dict[str, Publication]:
    return {
        dataset_id: target.publish(read_release(folder, dataset_id), load_sheet(dataset_id))
        for dataset_id in dataset_ids()
    }


def changed_file(folder: Path, dataset_id: str) -> None:
    """A new content of the dataset, released as its checks would release it."""
    release = read_release(folder, dataset_id)
    frame = pd.read_csv(release.csv_path, dtype=str, keep_default_na=False)
    frame.iloc[0, -1] = f"{frame.iloc[0, -1]} (modifié)"
    write_release(frame, folder, load_sheet(dataset_id), CAUDEBEC, release.source_mode)


def actions(publications: dict[str, Publication]) -> dict[str, str]:
    return {name: publication.action for name, publication in publications.items()}


def organization_datasets(udata: dict[str, Any], organization: dict[str, Any]) -> list[dict]:
    listing = api_get(udata, f"/organizations/{organization['id']}/datasets/?page_size=100")
    return listing["data"]


def test_publish_every_dataset_then_again_unchanged_then_one_change(
    udata_server, organization, published_folder
):
    target = publisher(udata_server, organization)

    # 1. First publication: one dataset and one resource per published dataset.
    first = publish_all(target, published_folder)
    assert actions(first) == dict.fromkeys(dataset_ids(), "uploaded")
    assert all(p.created for p in first.values())
    remote = {
        d["extras"]["cle_pipeline:dataset"]: d
        for d in organization_datasets(udata_server, organization)
    }
    assert sorted(remote) == dataset_ids()

    bornes = api_get(udata_server, f"/datasets/{first['bornes_recharge'].datagouv_dataset}/")
    assert bornes["title"] == (
        "Bornes de recharge pour véhicules électriques — Caudebec-lès-Elbeuf (échantillon)"
    )
    assert bornes["license"] == "lov2"
    assert bornes["frequency"] == "daily"
    assert sorted(bornes["tags"]) == ["irve", "mobilite", "recharge", "vehicules-electriques"]
    assert bornes["spatial"]["zones"] == ["fr:commune:76165"]
    assert bornes["spatial"]["granularity"] == "fr:commune"
    sheet_md = (published_folder / "bornes_recharge.md").read_text(encoding="utf-8")
    # The sheet, then the quality summary of the release (issue 12).
    record = json.loads((published_folder / "bornes_recharge.json").read_text(encoding="utf-8"))
    assert bornes["description"] == f"{sheet_md.rstrip()}\n\n{record['quality_summary']}"
    summary = bornes["description"].split("## Bilan de mise en qualité\n\n", 1)[1]
    assert summary.splitlines()[0] == (
        "**Contrôles** : 5 réussis sur 5 (`schema`, `rows_belong_to_commune`, "
        "`coordinates_inside_commune`, `one_row_per_point_de_charge`, "
        "`rows_against_last_release`)."
    )
    assert "Doublons retirés (version la plus récente gardée) : " in summary
    assert "**Changements** : Première publication de ce jeu pour la commune" in summary
    assert "**Échantillon.**" in sheet_md
    by_title = {r["title"]: r for r in bornes["resources"]}
    assert sorted(by_title) == [
        "Bornes de recharge pour véhicules électriques (CSV)",
        "Bornes de recharge pour véhicules électriques (GeoJSON)",
        "Bornes de recharge pour véhicules électriques (bilan de mise en qualité)",
        "Bornes de recharge pour véhicules électriques (journal des changements)",
    ]
    resource = by_title["Bornes de recharge pour véhicules électriques (CSV)"]
    # The files beside the CSV, each as released (IRVE has its official schema: no schema file).
    for title, name in [
        ("GeoJSON", "bornes_recharge.geojson"),
        ("bilan de mise en qualité", "bornes_recharge.qualite.md"),
        ("journal des changements", "bornes_recharge.changements.csv"),
    ]:
        companion = by_title[f"Bornes de recharge pour véhicules électriques ({title})"]
        content = (published_folder / name).read_bytes()
        assert companion["checksum"]["value"] == hashlib.sha1(content).hexdigest(), name
        assert requests.get(companion["url"], timeout=30).content == content, name
    assert first["bornes_recharge"].companions == {
        "bornes_recharge.geojson": "uploaded",
        "bornes_recharge.qualite.md": "uploaded",
        "bornes_recharge.changements.csv": "uploaded",
    }
    births = api_get(udata_server, f"/datasets/{first['naissances_deces'].datagouv_dataset}/")
    assert "Naissances et décès par année (schéma)" in [r["title"] for r in births["resources"]]
    csv_bytes = (published_folder / "bornes_recharge.csv").read_bytes()
    assert resource["checksum"] == {"type": "sha1", "value": hashlib.sha1(csv_bytes).hexdigest()}
    assert resource["title"] == "Bornes de recharge pour véhicules électriques (CSV)"
    assert resource["schema"] == IRVE
    assert requests.get(resource["url"], timeout=30).content == csv_bytes

    naissances = api_get(udata_server, f"/datasets/{first['naissances_deces'].datagouv_dataset}/")
    assert naissances["temporal_coverage"] == {"start": "2008-01-01", "end": "2024-12-31"}
    assert naissances["resources"][0]["schema"] is None

    # 2. Again, nothing changed: no upload, no metadata update, same ids.
    again = publish_all(target, published_folder)
    assert actions(again) == dict.fromkeys(dataset_ids(), "unchanged")
    assert not any(p.created or p.metadata_updated for p in again.values())
    assert set(again["bornes_recharge"].companions.values()) == {"unchanged"}
    assert {n: p.datagouv_resource for n, p in again.items()} == {
        n: p.datagouv_resource for n, p in first.items()
    }

    # 3. The state file lost: the datasets are found again in the organization.
    (published_folder / ".datagouv.json").unlink()
    found = publish_all(target, published_folder)
    assert actions(found) == dict.fromkeys(dataset_ids(), "unchanged")
    assert len(organization_datasets(udata_server, organization)) == len(dataset_ids())

    # 4. One dataset changes: one upload, in place; title and schema kept.
    changed_file(published_folder, "bornes_recharge")
    changed = publish_all(target, published_folder)
    assert actions(changed) == {
        **dict.fromkeys(dataset_ids(), "unchanged"),
        "bornes_recharge": "uploaded",
    }
    after = api_get(udata_server, f"/datasets/{first['bornes_recharge'].datagouv_dataset}/")
    [replaced] = [r for r in after["resources"] if r["title"].endswith("(CSV)")]
    assert replaced["id"] == resource["id"]
    assert (
        replaced["checksum"]["value"]
        == changed["bornes_recharge"].sha1
        != resource["checksum"]["value"]
    )
    assert replaced["title"] == "Bornes de recharge pour véhicules électriques (CSV)"
    assert replaced["schema"] == IRVE
    assert after["tags"] == bornes["tags"]
    assert len(organization_datasets(udata_server, organization)) == len(dataset_ids())


def test_a_wrong_key_is_a_clear_401_and_creates_nothing(
    udata_server, organization, published_folder
):
    wrong = "udata_" + "0" * 64
    target = publisher(udata_server, organization, api_key=wrong)
    release = read_release(published_folder, "naissances_deces")
    with pytest.raises(PublicationError) as raised:
        target.publish(release, load_sheet("naissances_deces"))
    message = str(raised.value)
    assert message.startswith("naissances_deces: 127.0.0.1 refused GET /organizations/")
    assert "HTTP 401 (DATAGOUV_API_KEY is wrong or expired): «Invalid API token»" in message
    assert wrong not in message
    assert organization_datasets(udata_server, organization) == []


def test_a_key_outside_the_organization_is_a_clear_403(
    udata_server, organization, published_folder
):
    target = publisher(udata_server, organization)
    created = target.publish(read_release(published_folder, "bornes_recharge"), SHEET_BORNES)
    changed_file(published_folder, "bornes_recharge")
    # The outsider finds the dataset (it is public) but may not replace its file.
    outsider = publisher(udata_server, organization, api_key=udata_server["outsider_api_key"])
    release = read_release(published_folder, "bornes_recharge")
    with pytest.raises(PublicationError) as raised:
        outsider.publish(release, SHEET_BORNES)
    message = str(raised.value)
    # The new release's sheet (its column dictionary shows the changed first value) is the first
    # thing sent, before the file.
    assert message.startswith(
        f"bornes_recharge: 127.0.0.1 refused PUT /datasets/{created.datagouv_dataset}/ with "
        "HTTP 403 (the key's user may not edit this organization's datasets): «You do not have "
        "the permission to modify that object.»"
    )
    assert udata_server["outsider_api_key"] not in message
    [dataset] = organization_datasets(udata_server, organization)
    [csv] = [r for r in dataset["resources"] if r["title"].endswith("(CSV)")]
    assert csv["checksum"]["value"] == created.sha1


def test_a_dry_run_sends_nothing(udata_server, organization, published_folder):
    target = publisher(udata_server, organization, dry_run=True)
    outcome = target.publish(
        read_release(published_folder, "associations"), load_sheet("associations")
    )
    assert (outcome.action, outcome.datagouv_dataset, outcome.created) == (
        "would upload",
        None,
        False,
    )
    assert organization_datasets(udata_server, organization) == []
    assert (
        not (published_folder / ".datagouv.json").exists()
        or "associations" not in (published_folder / ".datagouv.json").read_text()
    )


def test_samples_never_reach_production(published_folder):
    # No server listens: the refusal comes before any request.
    target = DataGouvPublisher(
        api_url="https://www.data.gouv.fr/api/1", api_key="k" * 20, organization="commune"
    )
    with pytest.raises(
        PublicationError,
        match=r"^associations: built from SAMPLE inputs \(sources read in snapshot mode",
    ):
        target.publish(read_release(published_folder, "associations"), load_sheet("associations"))


def test_the_publication_assets_record_their_outcome_and_never_the_key(
    definitions, udata_server, organization, built, built_home, tmp_path
):
    """The Dagster path: the publish_datagouv assets, as the sensor's runs execute them, on the
    instance that holds the releases."""
    shutil.copytree(built, tmp_path / "published" / "76165")
    instance = dg.DagsterInstance.local_temp(tempdir=str(built_home))
    target = publisher(udata_server, organization)
    result = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.groups("publication"),
        datagouv=target,
        instance=instance,
    )
    assert result.success
    recorded = {
        event.asset_key.path[-1].removeprefix("publication_"): (
            event.step_materialization_data.materialization.metadata
        )
        for event in result.get_asset_materialization_events()
    }
    assert sorted(recorded) == dataset_ids()
    bornes = recorded["bornes_recharge"]
    assert bornes["action"].value == "uploaded"
    assert bornes["dataset_url"].value.startswith(f"{udata_server['api_url'][:-6]}/datasets/")
    assert (
        bornes["checksum_sha1"].value
        == hashlib.sha1(
            (tmp_path / "published" / "76165" / "bornes_recharge.csv").read_bytes()
        ).hexdigest()
    )
    assert "# Bornes de recharge" in bornes["sheet"].value

    # A second run with a wrong key fails with the server's words, and no trace of either key.
    wrong = "udata_" + "1" * 64
    failed = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets(publication_key("naissances_deces")),
        datagouv=publisher(udata_server, organization, api_key=wrong),
        instance=instance,
        raise_on_error=False,
    )
    assert not failed.success
    everything = "\n".join(
        repr(entry) for entry in instance.all_logs(result.run_id) + instance.all_logs(failed.run_id)
    )
    assert "Invalid API token" in everything
    for key in (udata_server["api_key"], wrong):
        assert key not in everything
        assert key not in (tmp_path / "published" / "76165" / ".datagouv.json").read_text()


def test_make_publish_prints_each_dataset_uploaded_then_unchanged(
    udata_server, organization, built, built_home, tmp_path, monkeypatch, capsys
):
    shutil.copytree(built, tmp_path / "published" / "76165")
    # The instance of the build (as `make demo` then `make publish` share .dagster/).
    monkeypatch.setenv("DAGSTER_HOME", str(built_home))
    monkeypatch.setenv("CLE_OUTPUT_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("DATAGOUV_API_URL", udata_server["api_url"])
    monkeypatch.setenv("DATAGOUV_API_KEY", udata_server["api_key"])
    monkeypatch.setenv("DATAGOUV_ORGANIZATION", organization["id"])

    assert cli.publish() == 0
    first = capsys.readouterr().out.splitlines()
    assert cli.publish() == 0
    second = capsys.readouterr().out.splitlines()

    assert first[0] == (
        f"cle-pipeline: publishing {tmp_path}/published/76165 to {udata_server['api_url']} "
        f"(organization {organization['id']})"
    )
    site = udata_server["api_url"].removesuffix("/api/1")
    for lines, action in ((first, "uploaded"), (second, "unchanged")):
        rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
        assert sorted(rows) == dataset_ids()
        for dataset_id, (done, url) in rows.items():
            assert done == action, dataset_id
            assert url.startswith(f"{site}/datasets/"), url
    assert udata_server["api_key"] not in "\n".join(first + second)


def test_the_site_is_declared_once_as_a_reuse_of_every_dataset(
    udata_server, organization, published_folder
):
    target = publisher(udata_server, organization)
    published = publish_all(target, published_folder)
    # udata refuses reserved domains (.example): a plausible one, never contacted.
    site_url = f"https://donnees.caudebec-les-elbeuf.fr/{organization['slug']}/"
    reuse = target.publish_reuse(published_folder, "Caudebec-lès-Elbeuf", site_url)
    remote = api_get(udata_server, f"/reuses/{reuse['id']}/")
    assert remote["url"] == site_url
    assert remote["type"] == "visualization"
    assert remote["title"] == (
        "Données ouvertes de Caudebec-lès-Elbeuf : graphiques, carte et jeux de données"
    )
    assert sorted(d["id"] for d in remote["datasets"]) == sorted(
        p.datagouv_dataset for p in published.values()
    )
    # Again: the same reuse, found by its URL, not a second one.
    assert (
        target.publish_reuse(published_folder, "Caudebec-lès-Elbeuf", site_url)["id"]
        == (reuse["id"])
    )
    listed = api_get(udata_server, f"/organizations/{organization['id']}/reuses/")
    assert [r["id"] for r in (listed if isinstance(listed, list) else listed["data"])] == [
        reuse["id"]
    ]
