"""Publication against the real data.gouv.fr server software (udata 17 on 127.0.0.1).

Every dataset is built once from the embedded snapshots (so its files are samples); each test
copies that folder and publishes into an organization of its own, created through the API, so
the tests do not see each other's datasets.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
import pytest
import requests

from cle_pipeline.lib.datagouv import DataGouvPublisher, Publication
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.release import read_release, write_release
from cle_pipeline.lib.sheet import dataset_ids, load_sheet
from cle_pipeline_tests.conftest import check_outcomes, materialize_into

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
IRVE = {"name": "etalab/schema-irve-statique", "version": "2.3.1", "url": None}


def api_get(udata: dict[str, Any], path: str) -> Any:
    response = requests.get(f"{udata['api_url']}{path}", timeout=30)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def built(definitions: dg.Definitions, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every published dataset of 76165 built from the snapshots, checks passed."""
    root = tmp_path_factory.mktemp("built")
    result = materialize_into(
        definitions, root, dg.AssetSelection.groups("sources", "published"), commune="76165"
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
    assert bornes["description"] == sheet_md
    assert "**Échantillon.**" in sheet_md
    [resource] = bornes["resources"]
    csv_bytes = (published_folder / "bornes_recharge.csv").read_bytes()
    assert resource["checksum"] == {"type": "sha1", "value": hashlib.sha1(csv_bytes).hexdigest()}
    assert resource["title"] == "Bornes de recharge pour véhicules électriques (CSV)"
    assert resource["schema"] == IRVE
    assert requests.get(resource["url"], timeout=30).content == csv_bytes

    naissances = api_get(udata_server, f"/datasets/{first['naissances_deces'].datagouv_dataset}/")
    assert naissances["temporal_coverage"] == {"start": "2014-01-01", "end": "2021-12-31"}
    assert naissances["resources"][0]["schema"] is None

    # 2. Again, nothing changed: no upload, no metadata update, same ids.
    again = publish_all(target, published_folder)
    assert actions(again) == dict.fromkeys(dataset_ids(), "unchanged")
    assert not any(p.created or p.metadata_updated for p in again.values())
    assert {n: p.datagouv_resource for n, p in again.items()} == {
        n: p.datagouv_resource for n, p in first.items()
    }

    # 3. The state file lost: the datasets are found again in the organization.
    (published_folder / ".datagouv.json").unlink()
    found = publish_all(target, published_folder)
    assert actions(found) == dict.fromkeys(dataset_ids(), "unchanged")
    assert len(organization_datasets(udata_server, organization)) == len(dataset_ids())

    # 4. One dataset changes: one upload, in place; title and schema kept.
    release = read_release(published_folder, "bornes_recharge")
    frame = pd.read_csv(release.csv_path, dtype=str, keep_default_na=False)
    frame.loc[0, "nom_station"] = "Station modifiée"
    write_release(frame, published_folder, "bornes_recharge", CAUDEBEC, release.source_mode)
    changed = publish_all(target, published_folder)
    assert actions(changed) == {
        **dict.fromkeys(dataset_ids(), "unchanged"),
        "bornes_recharge": "uploaded",
    }
    after = api_get(udata_server, f"/datasets/{first['bornes_recharge'].datagouv_dataset}/")
    [replaced] = after["resources"]
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
