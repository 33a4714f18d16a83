"""The data.gouv.fr client's error paths, against a small fake udata on 127.0.0.1.

The happy paths run against the real udata (`cle_pipeline_tests/publishing/`); this fake only
has to answer the calls the publisher makes, and to fail on cue: a 5xx after doing the work, an
answer slower than the client's timeout, a 4xx with the server's message.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cle_pipeline.defs.publishing.sheets import load_sheet
from cle_pipeline.lib.datagouv import (
    DataGouvPublisher,
    PublicationError,
    dataset_differences,
    is_production,
    release_description,
    slugify,
)
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.release import Release, read_release, write_record, write_release
from cle_pipeline_tests.http_server import Answer, Request, local_server

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SHEET = load_sheet("naissances_deces")
KEY = "udata_" + "k" * 64


@dataclass
class Fault:
    """One scripted failure: `status` for the first call matching `method` and `path`;
    `after_work` lets the call take effect first; `delay` answers late; `headers` are added
    (`Retry-After`)."""

    method: str
    path: str
    status: int = 500
    after_work: bool = False
    delay: float = 0.0
    body: dict[str, Any] = field(default_factory=lambda: {"message": "Internal Server Error"})
    headers: dict[str, str] = field(default_factory=dict)


class FakeUdata:
    """Datasets and resources in memory, behind the few endpoints the publisher calls."""

    def __init__(self) -> None:
        self.datasets: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, str, float]] = []
        self.cookies_received = 0
        self.license_stored: str | None = None  # set to mimic an unknown licence
        self.url = ""

    # -- the API ---------------------------------------------------------------------------
    def answer(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, Any]:
        route = path.split("?")[0].removeprefix("/api/1")
        if m := re.fullmatch(r"/organizations/([^/]+)/", route):
            if m[1] not in ("commune", "org1"):
                return 404, {"message": "The requested URL was not found on the server."}
            return 200, {"id": "org1", "slug": "commune"}
        if route == "/organizations/org1/datasets/":
            # One dataset per page, so that the publisher has to follow `next_page`.
            page = int(re.search(r"page=(\d+)", path)[1]) if "page=" in path else 1  # type: ignore[index]
            datasets = list(self.datasets.values())
            more = page < len(datasets)
            return 200, {
                "data": datasets[page - 1 : page],
                "next_page": f"{self.url}/api/1{route}?page={page + 1}" if more else None,
            }
        if route == "/datasets/" and method == "POST":
            dataset_id = uuid.uuid4().hex[:24]
            self.datasets[dataset_id] = self._dataset(dataset_id, json.loads(body))
            return 201, self.datasets[dataset_id]
        if m := re.fullmatch(r"/datasets/(\w+)/", route):
            if m[1] not in self.datasets:
                return 404, {"message": "Not found"}
            if method == "PUT":
                resources = self.datasets[m[1]]["resources"]
                self.datasets[m[1]] = self._dataset(m[1], json.loads(body), resources)
            return 200, self.datasets[m[1]]
        if m := re.fullmatch(r"/datasets/(\w+)/upload/", route):
            resource = {"id": uuid.uuid4().hex, **self._file(body, content_type)}
            self.datasets[m[1]]["resources"].append(resource)
            return 201, resource
        if m := re.fullmatch(r"/datasets/(\w+)/resources/([\w-]+)/(upload/)?", route):
            [resource] = [r for r in self.datasets[m[1]]["resources"] if r["id"] == m[2]]
            resource.update(self._file(body, content_type) if m[3] else json.loads(body))
            return 200, resource
        return 404, {"message": f"no route {method} {route}"}

    def _dataset(
        self, dataset_id: str, payload: dict[str, Any], resources: list | None = None
    ) -> dict[str, Any]:
        return {
            **payload,
            "id": dataset_id,
            "slug": slugify(payload["title"]),
            "page": f"{self.url}/datasets/{slugify(payload['title'])}",
            "organization": {"id": payload["organization"]},
            "license": self.license_stored or payload["license"],
            "resources": resources or [],
            "deleted": None,
        }

    @staticmethod
    def _file(body: bytes, content_type: str) -> dict[str, Any]:
        boundary = content_type.split("boundary=")[1].encode()
        part = body.split(b"--" + boundary)[1]
        content = part.split(b"\r\n\r\n", 1)[1].removesuffix(b"\r\n")
        name = re.search(rb'filename="([^"]+)"', part)[1].decode()  # type: ignore[index]
        return {
            "title": name,
            "url": f"http://files/{int(time.time())}/{name}",
            "checksum": {"type": "sha1", "value": hashlib.sha1(content).hexdigest()},
        }

    def handle(self, request: Request) -> Answer:
        """One HTTP request: the key checked, the scripted fault if any, else the answer."""
        self.calls.append((request.method, request.path, time.time()))
        self.cookies_received += "Cookie" in request.headers
        fault = self.fault_for(request.method, request.path)
        if request.headers.get("X-API-KEY") != KEY:
            status, answer = 401, {"message": "Invalid API token"}
        elif fault and not fault.after_work:
            status, answer = fault.status, fault.body
        else:
            content_type = request.headers.get("Content-Type", "")
            status, answer = self.answer(request.method, request.path, request.body, content_type)
            if fault:
                status, answer = fault.status, fault.body
        # What udata does: a session cookie that must never come back.
        headers = {
            "Set-Cookie": "session=abc; HttpOnly; Path=/",
            **(fault.headers if fault else {}),
        }
        return Answer(
            status, json.dumps(answer).encode(), headers=headers, delay=fault.delay if fault else 0
        )

    # -- faults ----------------------------------------------------------------------------
    def fault_for(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and re.fullmatch(fault.path, path.split("?")[0]):
                self.faults.remove(fault)
                return fault
        return None


@pytest.fixture
def fake() -> Iterator[FakeUdata]:
    udata = FakeUdata()
    with local_server() as server:
        udata.url = server.url
        server.respond("/", udata.handle)
        yield udata


@pytest.fixture
def release(tmp_path: Path) -> Release:
    frame = pd.DataFrame(
        {
            "code_commune_insee": ["76165"],
            "nom_commune": ["Caudebec-lès-Elbeuf"],
            "annee": [2021],
            "naissances": [110],
            "deces": [112],
        }
    )
    return write_release(frame, tmp_path, SHEET, CAUDEBEC, "online")


def publisher(fake: FakeUdata, **options: Any) -> DataGouvPublisher:
    settings = {
        "api_url": f"{fake.url}/api/1",
        "api_key": KEY,
        "organization": "commune",
        "backoff_seconds": 0.05,
        "timeout_seconds": 1.0,
        "retries": 3,
        **options,
    }
    return DataGouvPublisher(**settings)


# -- retries never duplicate ---------------------------------------------------------------
@pytest.mark.parametrize(
    "fault",
    [
        Fault("POST", "/api/1/datasets/", 503),
        Fault("POST", "/api/1/datasets/", 500, after_work=True),
        Fault("POST", "/api/1/datasets/", 201, after_work=True, delay=1.5),  # answer lost
        Fault("POST", r"/api/1/datasets/\w+/upload/", 500, after_work=True),
        Fault("POST", r"/api/1/datasets/\w+/upload/", 201, after_work=True, delay=1.5),
    ],
    ids=["5xx", "5xx-after-creating", "timeout-after-creating", "5xx-after-upload", "lost-upload"],
)
def test_a_failed_post_is_retried_without_creating_twice(fake, release, fault):
    fake.faults.append(fault)
    outcome = publisher(fake).publish(release, SHEET)
    assert (outcome.action, outcome.created) == ("uploaded", True)
    [dataset] = fake.datasets.values()
    [resource] = dataset["resources"]
    assert resource["checksum"]["value"] == hashlib.sha1(release.csv_path.read_bytes()).hexdigest()
    assert resource["title"] == "Naissances et décès par année (CSV)"
    assert fake.cookies_received == 0


def test_a_same_second_collision_is_retried_in_the_next_second(fake, release, tmp_path):
    publisher(fake).publish(release, SHEET)
    frame = pd.read_csv(release.csv_path).assign(deces=113)
    changed = write_release(frame, tmp_path, SHEET, CAUDEBEC, "online")
    # What udata answers when the same file name was stored in this second.
    fake.faults.append(Fault("POST", r"/api/1/datasets/\w+/resources/[\w-]+/upload/", 500))
    outcome = publisher(fake).publish(changed, SHEET)
    assert outcome.action == "uploaded"
    uploads = [at for method, path, at in fake.calls if path.endswith("/upload/")]
    assert len(uploads) == 3  # the first upload, the refused replacement, its retry
    assert int(uploads[2]) > int(uploads[1])
    [dataset] = fake.datasets.values()
    assert dataset["resources"][0]["title"] == "Naissances et décès par année (CSV)"


def test_a_server_down_for_good_is_a_clear_error(fake, release):
    fake.faults += [Fault("GET", "/api/1/organizations/commune/", 502)] * 4
    with pytest.raises(PublicationError) as raised:
        publisher(fake).publish(release, SHEET)
    assert str(raised.value) == (
        f"naissances_deces: GET /organizations/commune/ on {fake.url}/api/1 failed after 4 "
        "attempts (HTTP 502 «Internal Server Error»)"
    )


def test_an_api_always_failing_is_given_up_at_the_publication_deadline(release, caplog):
    # 368 s and 60 requests with nothing printed: now one deadline, and every retry told.
    with local_server() as api:
        api.serve("/api/1/organizations/commune/", b"", failures=99)
        started = time.monotonic()
        with pytest.raises(PublicationError) as raised:
            DataGouvPublisher(
                api_url=f"{api.url}/api/1",
                api_key=KEY,
                organization="commune",
                backoff_seconds=1,
                deadline_seconds=1,
            ).publish(release, SHEET)
    assert time.monotonic() - started < 1
    assert str(raised.value) == (
        f"naissances_deces: GET /organizations/commune/ on {api.url}/api/1 given up at the "
        "publication's deadline (1 s): attempt 2 answered HTTP 500; the next one (in 2 s) would "
        "be past the deadline"
    )
    assert api.routes["/api/1/organizations/commune/"].hits == 2
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "naissances_deces: GET /organizations/commune/: attempt 1 answered HTTP 500; next "
        "attempt in 0 s"
    ]


def test_retry_after_of_the_api_is_honoured(fake, release):
    fake.faults.append(
        Fault("GET", "/api/1/organizations/commune/", 503, headers={"Retry-After": "1"})
    )
    publisher(fake).publish(release, SHEET)
    first, second = [at for _, path, at in fake.calls if path == "/api/1/organizations/commune/"]
    assert second - first >= 1.0


# -- the key stays with the API's host -----------------------------------------------------
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_api_key_never_follows_a_redirect_to_another_host(release, status):
    with local_server() as elsewhere, local_server() as api:
        moved = elsewhere.serve("/api/1/organizations/commune/", b'{"id": "org1"}')
        api.serve("/api/1/organizations/commune/", b"", status=status, headers={"Location": moved})
        with pytest.raises(PublicationError) as raised:
            DataGouvPublisher(
                api_url=f"{api.url}/api/1", api_key=KEY, organization="commune"
            ).publish(release, SHEET)
    assert [(path, headers["X-API-KEY"]) for path, headers in api.requests] == [
        ("/api/1/organizations/commune/", KEY)
    ]
    assert elsewhere.requests == []
    assert str(raised.value) == (
        f"naissances_deces: {api.url}/api/1 redirected GET /organizations/commune/ to {moved} "
        f"(HTTP {status}): not followed, the API key is only sent to {api.url.split('//')[1]}; "
        "if the API has moved, set DATAGOUV_API_URL to its new address"
    )


def test_a_get_redirected_on_the_same_host_is_followed(release):
    # udata redirects a renamed organization's old slug to the new one.
    with local_server() as api:
        api.serve("/api/1/organizations/commune/", b'{"id": "org1"}')
        api.serve(
            "/api/1/organizations/old-name/",
            b"",
            status=301,
            headers={"Location": "/api/1/organizations/commune/"},
        )
        with pytest.raises(PublicationError, match=r"refused GET /organizations/org1/datasets/"):
            DataGouvPublisher(
                api_url=f"{api.url}/api/1", api_key=KEY, organization="old-name"
            ).publish(release, SHEET)
    assert [path for path, _ in api.requests] == [
        "/api/1/organizations/old-name/",
        "/api/1/organizations/commune/",
        "/api/1/organizations/org1/datasets/?page_size=100",
    ]


# -- refusals ------------------------------------------------------------------------------
def test_a_refused_dataset_quotes_the_server_and_masks_the_key(fake, release):
    errors = {"spatial": {"zones": [f"GeoID(s) inconnu(s): fr:commune:76165 {KEY}"]}}
    fake.faults.append(Fault("POST", "/api/1/datasets/", 400, body={"errors": errors}))
    with pytest.raises(PublicationError) as raised:
        publisher(fake).publish(release, SHEET)
    assert str(raised.value) == (
        "naissances_deces: 127.0.0.1 refused POST /datasets/ with HTTP 400: "
        '«{"spatial": {"zones": ["GeoID(s) inconnu(s): fr:commune:76165 ***"]}}»'
    )
    assert fake.datasets == {}


def test_an_unknown_organization_is_a_clear_404(fake, release):
    with pytest.raises(PublicationError, match=r"check DATAGOUV_ORGANIZATION"):
        publisher(fake, organization="autre-commune").publish(release, SHEET)


def test_a_licence_the_server_does_not_know_is_caught(fake, release):
    fake.license_stored = "notspecified"  # what udata silently stores for an unknown id
    with pytest.raises(PublicationError, match=r"stored the licence 'notspecified'"):
        publisher(fake).publish(release, SHEET)


def test_no_key_no_publication(fake, release):
    with pytest.raises(PublicationError, match=r"^naissances_deces: DATAGOUV_API_KEY is not set"):
        publisher(fake, api_key="").publish(release, SHEET)
    assert fake.calls == []


def test_a_deleted_dataset_is_created_again(fake, release):
    first = publisher(fake).publish(release, SHEET)
    fake.datasets[first.datagouv_dataset]["deleted"] = "2025-01-01T00:00:00"  # type: ignore[index]
    again = publisher(fake).publish(release, SHEET)
    assert again.created and again.datagouv_dataset != first.datagouv_dataset


def test_without_its_state_a_dataset_is_found_again_in_the_organization(fake, release, tmp_path):
    associations = load_sheet("associations")
    other = write_release(pd.DataFrame({"x": [1]}), tmp_path, associations, CAUDEBEC, "online")
    publisher(fake).publish(other, associations)
    first = publisher(fake).publish(release, SHEET)
    (tmp_path / ".datagouv.json").unlink()
    again = publisher(fake).publish(release, SHEET)  # on the second page of the listing
    assert (again.action, again.created) == ("unchanged", False)
    assert again.datagouv_dataset == first.datagouv_dataset
    assert len(fake.datasets) == 2


def test_a_dry_run_only_reads(fake, release):
    outcome = publisher(fake, dry_run=True).publish(release, SHEET)
    assert outcome.action == "would upload"
    assert {method for method, _, _ in fake.calls} == {"GET"}


# -- pure helpers --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Naissances et décès par année — Caudebec-lès-Elbeuf (échantillon)",
         "naissances-et-deces-par-annee-caudebec-les-elbeuf-echantillon"),
        ("Bornes IRVE 2024", "bornes-irve-2024"),
        ("  L'Œuvre  ", "l-uvre"),
    ],
)  # fmt: skip
def test_slugify_like_udata(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("url", "production"),
    [
        ("https://www.data.gouv.fr/api/1", True),
        ("https://data.gouv.fr/api/1/", True),
        ("https://demo.data.gouv.fr/api/1", False),
        ("http://127.0.0.1:7000/api/1", False),
    ],
)
def test_is_production(url, production):
    assert is_production(url) is production


def test_dataset_differences_ignore_what_udata_normalises():
    payload = {
        "title": "T",
        "description": "D\n",
        "organization": "org1",
        "license": "lov2",
        "frequency": "annual",
        "tags": ["b-tag", "a-tag"],
        "spatial": {"zones": ["fr:commune:76165"], "granularity": "fr:commune"},
        "temporal_coverage": {"start": "2014-01-01", "end": "2021-12-31"},
        "extras": {"cle_pipeline:dataset": "x"},
    }
    remote = {
        **payload,
        "description": "D",
        "organization": {"id": "org1", "slug": "commune"},
        "tags": ["a-tag", "b-tag"],
        "spatial": {"geom": None, **payload["spatial"]},
        "extras": {"cle_pipeline:dataset": "x", "other": "kept"},
    }
    assert dataset_differences(remote, payload) == []
    wiped = {**remote, "tags": [], "temporal_coverage": None}  # what a partial PUT leaves
    assert dataset_differences(wiped, payload) == ["tags", "temporal_coverage"]


def test_the_description_is_the_sheet_then_the_quality_summary(release, tmp_path):
    assert release_description(SHEET, release) == release.sheet_path.read_text(encoding="utf-8")
    summary = "## Bilan de mise en qualité\n\n**Contrôles** : 1 réussi sur 1 (`schema`).\n"
    write_record(dataclasses.replace(release, quality_summary=summary))
    recorded = read_release(tmp_path, "naissances_deces")
    assert recorded.quality_summary == summary
    sheet = release.sheet_path.read_text(encoding="utf-8").rstrip()
    assert release_description(SHEET, recorded) == f"{sheet}\n\n{summary}"
