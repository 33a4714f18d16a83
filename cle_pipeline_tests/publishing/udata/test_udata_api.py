"""The facts of the real udata API the publisher (cle_pipeline/lib/datagouv.py) relies on.

Every call goes through `call()`, a bare `requests.request`: no Session, so no
cookie jar. That matters: udata answers an API-key request with a session
cookie, and that cookie then authenticates later requests *instead of* their
X-API-KEY header (see test_session_cookie_overrides_api_key). A client keeping
cookies would make 401/403 checks pass or fail for the wrong reason.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest
import requests

COMMUNE = "fr:commune:76165"
IRVE = {"name": "etalab/schema-irve-statique", "version": "2.3.1"}

# UTF-8 with accents, so the checksum check covers the bytes as sent.
CSV_V1 = "id_pdc_itinerance;nom_station\nFRXYZP001;Hôtel de ville\n".encode()
CSV_V2 = "id_pdc_itinerance;nom_station\nFRXYZP001;Hôtel de ville\nFRXYZP002;Gare\n".encode()


def call(method: str, url: str, key: str | None = None, **kwargs: Any) -> requests.Response:
    """One request, one connection, no cookies carried over from anything."""
    headers = dict(kwargs.pop("headers", {}))
    if key is not None:
        headers["X-API-KEY"] = key
    return requests.request(method, url, headers=headers, timeout=30, **kwargs)


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def wait_for_next_second() -> None:
    """Sleep until just after a wall-clock second boundary.

    udata stores an upload under "<dataset slug>/<YYYYmmdd-HHMMSS>/<file name>"
    and refuses to overwrite: the same file name twice within one second of
    the same dataset collides (see test_same_second_same_name_upload_collides).
    """
    time.sleep(1.02 - (time.time() % 1))


def dataset_payload(org_id: str, title: str = "Bornes de recharge IRVE") -> dict[str, Any]:
    return {
        "title": title,
        "description": "Points de recharge pour véhicules électriques de la commune.",
        "organization": org_id,
        "license": "lov2",
        "frequency": "annual",
        "spatial": {"zones": [COMMUNE], "granularity": "fr:commune"},
        "temporal_coverage": {"start": "2024-01-01", "end": "2024-12-31"},
        "tags": ["irve", "mobilite"],
    }


@pytest.fixture
def dataset(udata_server: dict[str, Any]) -> dict[str, Any]:
    """A fresh dataset of the organization, created through the API."""
    resp = call(
        "POST",
        f"{udata_server['api_url']}/datasets/",
        udata_server["api_key"],
        json=dataset_payload(udata_server["organization_id"]),
    )
    assert resp.status_code == 201, resp.text
    created: dict[str, Any] = resp.json()
    return created


def upload(api: str, key: str, dataset_id: str, name: str, data: bytes) -> requests.Response:
    return call(
        "POST",
        f"{api}/datasets/{dataset_id}/upload/",
        key,
        files={"file": (name, data, "text/csv")},
    )


def test_server_is_seeded(udata_server: dict[str, Any]) -> None:
    api = udata_server["api_url"]
    assert call("GET", f"{api}/site/").status_code == 200

    licenses = {lic["id"] for lic in call("GET", f"{api}/datasets/licenses/").json()}
    assert {"lov2", "odc-odbl"} <= licenses

    for code in ("76165", "76231", "76640"):
        zone = call("GET", f"{api}/spatial/zones/fr:commune:{code}/")
        assert zone.status_code == 200
        assert zone.json()["features"][0]["properties"]["code"] == code
    granularities = {g["id"] for g in call("GET", f"{api}/spatial/granularities/").json()}
    assert "fr:commune" in granularities

    me = call("GET", f"{api}/me/", udata_server["api_key"]).json()
    org = call("GET", f"{api}/organizations/{udata_server['organization_slug']}/").json()
    assert org["id"] == udata_server["organization_id"]
    assert [(m["user"]["id"], m["role"]) for m in org["members"]] == [(me["id"], "admin")]
    outsider = call("GET", f"{api}/me/", udata_server["outsider_api_key"]).json()
    assert outsider["id"] != me["id"]
    assert outsider["organizations"] == []


def test_publication_flow(udata_server: dict[str, Any], dataset: dict[str, Any]) -> None:
    api, key = udata_server["api_url"], udata_server["api_key"]
    ds_id = dataset["id"]

    # --- creation echoes what was sent
    assert dataset["organization"]["id"] == udata_server["organization_id"]
    assert dataset["license"] == "lov2"
    assert dataset["frequency"] == "annual"
    assert dataset["spatial"] == {"geom": None, "granularity": "fr:commune", "zones": [COMMUNE]}
    assert dataset["temporal_coverage"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert dataset["tags"] == ["irve", "mobilite"]
    assert dataset["private"] is False

    # --- upload a file as a new resource
    resp = upload(api, key, ds_id, "irve-statique.csv", CSV_V1)
    assert resp.status_code == 201, resp.text
    res = resp.json()
    rid = res["id"]
    assert res["checksum"] == {"type": "sha1", "value": sha1(CSV_V1)}
    assert res["filesize"] == len(CSV_V1)
    assert res["title"] == "irve-statique.csv"  # the title is the stored file name
    assert (res["format"], res["mime"], res["filetype"], res["type"]) == (
        "csv",
        "text/csv",
        "file",
        "main",
    )
    first_url = res["url"]
    assert first_url.startswith(f"http://127.0.0.1:{api.split(':')[2].split('/')[0]}/resources/")
    assert call("GET", first_url).content == CSV_V1  # served back by FS_SERVE

    # --- metadata of the resource, with a schema known to the catalog
    meta = {
        "title": "Bornes IRVE (schéma statique)",
        "description": "Fichier consolidé.",
        "schema": IRVE,
    }
    resp = call("PUT", f"{api}/datasets/{ds_id}/resources/{rid}/", key, json=meta)
    assert resp.status_code == 200, resp.text
    assert resp.json()["schema"] == {**IRVE, "url": None}

    # --- replace the file of that resource (not within the same second, see
    # wait_for_next_second): new checksum and URL, same resource id
    wait_for_next_second()
    resp = call(
        "POST",
        f"{api}/datasets/{ds_id}/resources/{rid}/upload/",
        key,
        files={"file": ("irve-statique.csv", CSV_V2, "text/csv")},
    )
    assert resp.status_code == 200, resp.text
    res = resp.json()
    assert res["id"] == rid
    assert res["checksum"] == {"type": "sha1", "value": sha1(CSV_V2)}
    assert res["filesize"] == len(CSV_V2)
    assert res["url"] != first_url
    # Replacing the file resets the title to the file name; description and
    # schema survive.
    assert res["title"] == "irve-statique.csv"
    assert res["description"] == meta["description"]
    assert res["schema"] == {**IRVE, "url": None}
    assert call("GET", res["url"]).content == CSV_V2
    assert call("GET", first_url).status_code == 404  # the old file is deleted

    # So the title must be PUT again after every file replacement.
    resp = call(
        "PUT", f"{api}/datasets/{ds_id}/resources/{rid}/", key, json={"title": meta["title"]}
    )
    assert resp.status_code == 200, resp.text
    # A resource PUT is a partial update: omitted fields are kept.
    assert resp.json()["description"] == meta["description"]
    assert resp.json()["schema"] == {**IRVE, "url": None}

    # --- PUT on the dataset with the full payload keeps everything
    full = dataset_payload(udata_server["organization_id"])
    full["description"] = "Description mise à jour."
    full["tags"] = ["irve", "mobilite", "recharge"]
    resp = call("PUT", f"{api}/datasets/{ds_id}/", key, json=full)
    assert resp.status_code == 200, resp.text

    # --- GET it back (anonymous) and check
    got = call("GET", f"{api}/datasets/{ds_id}/").json()
    assert got["title"] == full["title"]
    assert got["description"] == full["description"]
    assert got["license"] == "lov2"
    assert got["frequency"] == "annual"
    assert got["spatial"]["zones"] == [COMMUNE]
    assert got["spatial"]["granularity"] == "fr:commune"
    assert got["temporal_coverage"] == full["temporal_coverage"]
    assert got["tags"] == full["tags"]
    assert got["organization"]["id"] == udata_server["organization_id"]
    [resource] = got["resources"]
    assert resource["id"] == rid
    assert resource["title"] == meta["title"]
    assert resource["checksum"] == {"type": "sha1", "value": sha1(CSV_V2)}
    assert resource["schema"] == {**IRVE, "url": None}


def test_dataset_put_is_not_a_patch(udata_server: dict[str, Any], dataset: dict[str, Any]) -> None:
    """PUT /datasets/{id}/ with some fields omitted: tags and temporal_coverage are
    wiped, while license, frequency, spatial, description and organization stay."""
    api, key = udata_server["api_url"], udata_server["api_key"]
    resp = call("PUT", f"{api}/datasets/{dataset['id']}/", key, json={"title": dataset["title"]})
    assert resp.status_code == 200, resp.text
    after = resp.json()
    assert after["tags"] == []
    assert after["temporal_coverage"] is None
    for kept in ("description", "license", "frequency", "spatial", "private"):
        assert after[kept] == dataset[kept], kept
    assert after["organization"]["id"] == udata_server["organization_id"]


def test_dataset_slug_follows_title(udata_server: dict[str, Any], dataset: dict[str, Any]) -> None:
    """Changing the title on PUT changes the slug; the id is the stable handle."""
    api, key = udata_server["api_url"], udata_server["api_key"]
    payload = dataset_payload(udata_server["organization_id"], title="Un tout autre titre")
    after = call("PUT", f"{api}/datasets/{dataset['id']}/", key, json=payload).json()
    assert after["slug"] != dataset["slug"]
    assert after["slug"].startswith("un-tout-autre-titre")
    assert call("GET", f"{api}/datasets/{dataset['id']}/").status_code == 200


def test_auth_errors(udata_server: dict[str, Any], dataset: dict[str, Any]) -> None:
    api = udata_server["api_url"]
    ds_url = f"{api}/datasets/{dataset['id']}/"
    payload = dataset_payload(udata_server["organization_id"])

    wrong = call("PUT", ds_url, "udata_not-a-real-token", json=payload)
    assert wrong.status_code == 401
    assert wrong.json() == {"message": "Invalid API token"}
    assert call("PUT", ds_url, json=payload).status_code == 401  # no key at all
    assert (
        call("POST", f"{api}/datasets/", "udata_not-a-real-token", json=payload).status_code == 401
    )

    outsider = udata_server["outsider_api_key"]
    forbidden = call("PUT", ds_url, outsider, json=payload)
    assert forbidden.status_code == 403
    assert forbidden.json() == {"message": "You do not have the permission to modify that object."}
    assert upload(api, outsider, dataset["id"], "x.csv", CSV_V1).status_code == 403
    rid = upload(api, udata_server["api_key"], dataset["id"], "a.csv", CSV_V1).json()["id"]
    assert (
        call("PUT", f"{ds_url}resources/{rid}/", outsider, json={"title": "x"}).status_code == 403
    )
    assert (
        call(
            "POST", f"{ds_url}resources/{rid}/upload/", outsider, files={"file": ("a.csv", CSV_V2)}
        ).status_code
        == 403
    )
    # Creating a dataset *in* an organization one is not a member of is a 400
    # form error on the `organization` field, not a 403.
    resp = call("POST", f"{api}/datasets/", outsider, json=payload)
    assert resp.status_code == 400
    assert list(resp.json()["errors"]) == ["organization"]
    # The dataset is unchanged.
    assert call("GET", ds_url).json()["title"] == dataset["title"]


def test_session_cookie_overrides_api_key(udata_server: dict[str, Any]) -> None:
    """Why `call()` never keeps cookies: a client holding udata's session cookie
    stays logged in as the key's user, whatever X-API-KEY it sends next."""
    api = udata_server["api_url"]
    with requests.Session() as session:
        first = session.get(
            f"{api}/me/", headers={"X-API-KEY": udata_server["api_key"]}, timeout=30
        )
        assert first.status_code == 200
        assert "session" in session.cookies
        as_wrong = session.get(f"{api}/me/", headers={"X-API-KEY": "udata_wrong"}, timeout=30)
        assert as_wrong.status_code == 200
        assert as_wrong.json()["id"] == first.json()["id"]
    assert call("GET", f"{api}/me/", "udata_wrong").status_code == 401


def test_schema_validated_against_catalog(
    udata_server: dict[str, Any], dataset: dict[str, Any]
) -> None:
    if not udata_server["schema_catalog_url"]:
        pytest.skip("no schema catalog was found to serve to udata")
    api, key = udata_server["api_url"], udata_server["api_key"]
    rid = upload(api, key, dataset["id"], "s.csv", CSV_V1).json()["id"]
    url = f"{api}/datasets/{dataset['id']}/resources/{rid}/"

    bad_name = call(
        "PUT", url, key, json={"schema": {"name": "etalab/inconnu", "version": "1.0.0"}}
    )
    assert bad_name.status_code == 400
    assert list(bad_name.json()["errors"]["schema"]) == ["name"]
    bad_version = call("PUT", url, key, json={"schema": {**IRVE, "version": "9.9.9"}})
    assert bad_version.status_code == 400
    assert list(bad_version.json()["errors"]["schema"]) == ["version"]
    # Nothing of the refused PUTs was stored.
    assert call("GET", f"{api}/datasets/{dataset['id']}/").json()["resources"][0]["schema"] is None

    resp = call("PUT", url, key, json={"schema": {"name": "scdl/subventions", "version": "2.1.1"}})
    assert resp.status_code == 200, resp.text
    # The schema object is merged into the stored one, key by key: a name
    # without a version keeps the *previous* version (2.1.1, unknown to IRVE).
    merged = call("PUT", url, key, json={"schema": {"name": IRVE["name"]}})
    assert merged.status_code == 400
    assert list(merged.json()["errors"]["schema"]) == ["version"]
    # `null` clears it; then a name alone is accepted, with no version.
    cleared = call("PUT", url, key, json={"schema": None})
    assert cleared.status_code == 200
    assert cleared.json()["schema"] is None
    resp = call("PUT", url, key, json={"schema": {"name": IRVE["name"]}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["schema"] == {"name": IRVE["name"], "version": None, "url": None}


def test_invalid_dataset_fields(udata_server: dict[str, Any]) -> None:
    api, key = udata_server["api_url"], udata_server["api_key"]
    base = dataset_payload(udata_server["organization_id"], title="Jeu invalide")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"spatial": {"zones": ["fr:commune:99999"], "granularity": "fr:commune"}}, "spatial"),
        ({"spatial": {"zones": [COMMUNE], "granularity": "fr:canton"}}, "spatial"),
        ({"tags": ["ab"]}, "tags"),  # tags are 3 to 96 characters
    ]
    for change, field in cases:
        resp = call("POST", f"{api}/datasets/", key, json={**base, **change})
        assert resp.status_code == 400, change
        assert field in resp.json()["errors"], resp.text
    # An unknown frequency is a 400 with a message, not a field error.
    resp = call("POST", f"{api}/datasets/", key, json={**base, "frequency": "sometimes"})
    assert resp.status_code == 400
    assert "UpdateFrequency" in resp.json()["message"]
    # An unknown licence is NOT rejected: it is silently stored as "notspecified".
    resp = call("POST", f"{api}/datasets/", key, json={**base, "license": "licence-inconnue"})
    assert resp.status_code == 201
    assert resp.json()["license"] == "notspecified"
    # The API only takes JSON bodies.
    resp = call("POST", f"{api}/datasets/", key, data={"title": "x"})
    assert resp.status_code == 400


def test_same_second_same_name_upload_collides(
    udata_server: dict[str, Any], dataset: dict[str, Any]
) -> None:
    """Two uploads of one file name to one dataset within the same second: the
    second is a 500 (flask_storage FileExists), not a new file."""
    api, key = udata_server["api_url"], udata_server["api_key"]
    for _ in range(3):
        wait_for_next_second()
        first = upload(api, key, dataset["id"], "doublon.csv", CSV_V1)
        second = upload(api, key, dataset["id"], "doublon.csv", CSV_V1)
        assert first.status_code == 201, first.text
        if second.status_code == 500:
            assert second.json() == {"message": "Internal Server Error"}
            return
        # Only acceptable if the two landed in different seconds.
        assert second.status_code == 201
        assert Path(second.json()["url"]).parent != Path(first.json()["url"]).parent
    pytest.fail("never managed two uploads within one second")


def test_same_second_replacement_collides(
    udata_server: dict[str, Any], dataset: dict[str, Any]
) -> None:
    """Replacing a resource's file with one of the same name in the second of
    the previous upload is also a 500, and leaves the resource as it was."""
    api, key = udata_server["api_url"], udata_server["api_key"]
    for _ in range(3):
        wait_for_next_second()
        created = upload(api, key, dataset["id"], "remplace.csv", CSV_V1)
        assert created.status_code == 201, created.text
        rid = created.json()["id"]
        replaced = call(
            "POST",
            f"{api}/datasets/{dataset['id']}/resources/{rid}/upload/",
            key,
            files={"file": ("remplace.csv", CSV_V2, "text/csv")},
        )
        if replaced.status_code == 500:
            got = call("GET", f"{api}/datasets/{dataset['id']}/").json()
            [resource] = [r for r in got["resources"] if r["id"] == rid]
            assert resource["checksum"]["value"] == sha1(CSV_V1)
            assert resource["url"] == created.json()["url"]
            assert call("GET", resource["url"]).content == CSV_V1
            return
        assert replaced.status_code == 200
        assert Path(replaced.json()["url"]).parent != Path(created.json()["url"]).parent
    pytest.fail("never managed two uploads within one second")


def test_remote_resource_on_loopback(udata_server: dict[str, Any], dataset: dict[str, Any]) -> None:
    """URLS_ALLOW_LOCAL lets a remote resource point at 127.0.0.1 (production
    refuses it). Remote resources carry no checksum."""
    api, key = udata_server["api_url"], udata_server["api_key"]
    remote = {
        "title": "Catalogue du site",
        "url": f"{api}/site/",
        "filetype": "remote",
        "type": "main",
        "format": "json",
    }
    resp = call("POST", f"{api}/datasets/{dataset['id']}/resources/", key, json=remote)
    assert resp.status_code == 201, resp.text
    assert resp.json()["url"] == remote["url"]
    assert resp.json()["checksum"] is None


def test_server_footprint(udata_server: dict[str, Any]) -> None:
    """Report startup time and memory (run pytest with -s to see them)."""
    status = Path(f"/proc/{udata_server['server_pid']}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss_mib = int(fields["VmRSS"].split()[0]) / 1024
    hwm_mib = int(fields["VmHWM"].split()[0]) / 1024
    print(
        f"\nudata startup {udata_server['startup_seconds']}s, "
        f"RSS {rss_mib:.0f} MiB (peak {hwm_mib:.0f} MiB)"
    )
    assert udata_server["startup_seconds"] < 60
    assert rss_mib < 1024
