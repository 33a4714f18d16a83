"""The data.gouv.fr client: publishes one released dataset (CSV + sheet) to a udata API.

`DataGouvPublisher` is a Dagster resource configured from `DATAGOUV_API_URL` (default
demo.data.gouv.fr), `DATAGOUV_API_KEY` and `DATAGOUV_ORGANIZATION`. For one dataset it:

1. finds its data.gouv.fr dataset: the id remembered in the local state file
   (`data/published/<commune>/.datagouv.json`, one section per API URL), else the dataset of the
   organization tagged with our `extras` key or bearing the title's slug, else creates it;
2. keeps the dataset's metadata in line with the sheet (a PUT, only when something differs);
3. uploads the CSV as a resource, or replaces the file of the existing resource, unless the
   resource's sha1 checksum is already the file's; then sets the resource's title, description
   and schema.

Facts of the real API it respects (observed on udata 17, see
`cle_pipeline_tests/publishing/udata/NOTES.md`):

- a dataset PUT is not a patch: omitted tags and temporal coverage are wiped, so the whole
  payload is always sent;
- replacing a file resets the resource's title to the file name: the title is set again;
- no cookie is ever kept: udata answers with a session cookie that would then authenticate
  later calls whatever their key (the project's sessions refuse every cookie);
- an unknown licence is silently stored as `notspecified`: the echoed licence is checked;
- two uploads of one file name to one dataset within the same second fail with a 500: every
  retry waits at least until the next second;
- 5xx, 429 and timeouts are retried by the project's policy (`lib/http.py`, `Retry-After`
  honoured); a POST is retried only after looking again for what it may have created, so a
  lost answer never makes a second dataset or resource; one deadline (`deadline_seconds`)
  bounds a dataset's publication, and every retry is reported as it happens;
- 400/401/403/404 end the publication with an error naming the dataset and quoting the server.

The API key is sent in `X-API-KEY` and nowhere else: never logged, never in metadata, masked
in any server text quoted in an error, and never sent to another host than `DATAGOUV_API_URL`'s
(a redirect elsewhere is an error saying so; only a GET is followed, on the same host).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import dagster as dg
import requests
from pydantic import Field

from cle_pipeline.lib.fetch import NO_VARIABLE, RetrySettings, checksum_of
from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.http import (
    RETRIED_STATUSES,
    DeadlineExceeded,
    attempts_of,
    echo_to_terminal,
    failure_reason,
    request_timeout,
    retrying_session,
)
from cle_pipeline.lib.release import Release
from cle_pipeline.lib.release_companions import companion_files
from cle_pipeline.lib.sheet import DatasetSheet

DEMO_API = "https://demo.data.gouv.fr/api/1"
PRODUCTION_HOSTS = frozenset({"www.data.gouv.fr", "data.gouv.fr"})
# Mark the datasets this pipeline manages, so they are found again without the state file even
# after a title (hence slug) change, and an organization may publish for several communes.
EXTRAS_DATASET = "cle_pipeline:dataset"
EXTRAS_COMMUNE = "cle_pipeline:commune"
STATE_FILE_NAME = ".datagouv.json"
MAX_REDIRECTS = 5

T = TypeVar("T")


class PublicationError(RuntimeError):
    """data.gouv.fr refused the publication, or it must not happen (sample to production)."""


class _Transient(Exception):
    """A 5xx, 429, timeout or connection error, still there after `attempts` requests."""

    def __init__(self, message: str, attempts: int = 1) -> None:
        super().__init__(message)
        self.attempts = attempts


@dataclass(frozen=True)
class Publication:
    """What one publication did, for the asset's metadata and `make publish`."""

    dataset_id: str
    api_url: str
    action: str  # "uploaded", "unchanged", "would upload" (dry run)
    datagouv_dataset: str | None
    datagouv_resource: str | None
    dataset_url: str | None
    resource_url: str | None
    created: bool
    metadata_updated: bool
    sha1: str
    sha256: str
    sample: bool
    # The files beside the CSV (schema, GeoJSON, quality report, change log): what was done.
    companions: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        """What the publication asset shows: the action taken, where, and the dataset's page."""
        metadata: dict[str, Any] = {
            "action": self.action,
            "target": self.api_url,
            "datagouv_dataset_id": self.datagouv_dataset or "(not created)",
            "datagouv_resource_id": self.datagouv_resource or "(not uploaded)",
            "dataset_created": self.created,
            "metadata_updated": self.metadata_updated,
            "checksum_sha1": self.sha1,
            "sha256": self.sha256,
            "sample": self.sample,
            "companion_files": ", ".join(
                f"{name}: {done}" for name, done in self.companions.items()
            )
            or "none",
        }
        if self.dataset_url:
            metadata["dataset_url"] = dg.MetadataValue.url(self.dataset_url)
        if self.resource_url:
            metadata["resource_url"] = dg.MetadataValue.url(self.resource_url)
        return metadata


# -- what is sent (pure) ---------------------------------------------------------------------
def is_production(api_url: str) -> bool:
    """Whether `api_url` is the real www.data.gouv.fr."""
    return (urlsplit(api_url).hostname or "").lower() in PRODUCTION_HOSTS


def slugify(text: str) -> str:
    """The slug udata derives from a title: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dataset_title(sheet: DatasetSheet, release: Release) -> str:
    """The dataset's title on data.gouv.fr, marked as a sample when it is one."""
    title = f"{sheet.title} — {release.commune_name}"
    return f"{title} (échantillon)" if release.sample else title


def release_description(sheet: DatasetSheet, release: Release) -> str:
    """The dataset's description: the sheet published with the release (`<id>.md`, with its
    column dictionary and the warnings of its checks), rendered again only when it is absent,
    then the release's short quality summary (checks and verdicts, corrections, changes)."""
    if release.sheet_path.is_file():
        description = release.sheet_path.read_text(encoding="utf-8")
    else:
        description = sheet.markdown(
            release.commune_name,
            release.commune_code,
            sample=release.sample,
            notes=release.sheet_notes(),
        )
    if not release.quality_summary:
        return description
    return f"{description.rstrip()}\n\n{release.quality_summary}"


def dataset_payload(sheet: DatasetSheet, release: Release, organization_id: str) -> dict[str, Any]:
    """The whole dataset object, as every POST and PUT must send it."""
    coverage = sheet.temporal_coverage
    return {
        "title": dataset_title(sheet, release),
        "description": release_description(sheet, release),
        "organization": organization_id,
        "license": sheet.licence,
        "frequency": sheet.frequency,
        "tags": list(sheet.tags),
        "spatial": {"zones": [f"fr:commune:{release.commune_code}"], "granularity": "fr:commune"},
        "temporal_coverage": {"start": coverage[0], "end": coverage[1]} if coverage else None,
        "extras": {EXTRAS_DATASET: sheet.dataset_id, EXTRAS_COMMUNE: release.commune_code},
    }


def resource_payload(sheet: DatasetSheet) -> dict[str, Any]:
    """The CSV resource's fields as data.gouv.fr receives them."""
    schema = {"name": sheet.schema[0], "version": sheet.schema[1]} if sheet.schema else None
    return {
        "title": f"{sheet.title} (CSV)",
        "description": f"{sheet.content}\n\nFichier CSV encodé en UTF-8, séparateur virgule, "
        "une ligne d'en-tête.",
        "schema": schema,
    }


def dataset_differences(remote: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    """Fields of the data.gouv.fr dataset that are not what the sheet says."""

    def coverage(value: dict[str, Any] | None) -> tuple[str, str] | None:
        return (str(value["start"])[:10], str(value["end"])[:10]) if value else None

    spatial = remote.get("spatial") or {}
    organization = remote.get("organization") or {}
    extras = remote.get("extras") or {}
    checks = {
        "title": remote.get("title") == payload["title"],
        "description": (remote.get("description") or "").strip() == payload["description"].strip(),
        "organization": organization.get("id") == payload["organization"],
        "license": remote.get("license") == payload["license"],
        "frequency": remote.get("frequency") == payload["frequency"],
        "tags": sorted(remote.get("tags") or []) == sorted(payload["tags"]),
        "spatial": spatial.get("zones") == payload["spatial"]["zones"]
        and spatial.get("granularity") == payload["spatial"]["granularity"],
        "temporal_coverage": coverage(remote.get("temporal_coverage"))
        == coverage(payload["temporal_coverage"]),
        "extras": all(extras.get(key) == value for key, value in payload["extras"].items()),
    }
    return [name for name, same in checks.items() if not same]


def resource_differences(remote: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    """The fields of the remote resource that differ from `payload`."""
    schema = remote.get("schema") or None
    remote_schema = (
        {"name": schema.get("name"), "version": schema.get("version")} if schema else None
    )
    checks = {
        "title": remote.get("title") == payload["title"],
        "description": (remote.get("description") or "").strip() == payload["description"].strip(),
        "schema": remote_schema == payload["schema"],
    }
    return [name for name, same in checks.items() if not same]


# The state file's entry of the site's reuse (beside one entry per dataset id).
REUSE_STATE = ".site"


# -- the local state file --------------------------------------------------------------------
@contextlib.contextmanager
def _locked_state(path: Path, api_url: str) -> Iterator[dict[str, Any]]:
    """The state section of `api_url` (dataset id → data.gouv.fr ids), saved on exit.

    The lock is held for the whole publication, so two runs on this machine (the sensor's and
    `make publish`) never both create the same dataset.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        section = state.setdefault(api_url, {})
        try:
            yield section
        finally:
            write_atomically(path, json.dumps(state, indent=2, sort_keys=True).encode("utf-8"))


# -- the resource ----------------------------------------------------------------------------
class DataGouvPublisher(RetrySettings):
    """Publishes released datasets to data.gouv.fr (demo by default)."""

    # Field descriptions are what the UI's resources page shows: each names its variable.
    api_url: str = Field(
        default=DEMO_API,
        description="DATAGOUV_API_URL — l'API de data.gouv.fr (défaut demo.data.gouv.fr).",
    )
    api_key: str = Field(
        default="",
        repr=False,
        description="DATAGOUV_API_KEY — clé d'API d'un administrateur ou éditeur de "
        "l'organisation ; jamais journalisée.",
    )
    organization: str = Field(
        default="",
        description="DATAGOUV_ORGANIZATION — identifiant ou slug de l'organisation de la commune.",
    )
    dry_run: bool = Field(
        default=False,
        description="DATAGOUV_DRY_RUN — 1, true ou yes : montre ce qui serait envoyé, n'envoie "
        "rien.",
    )
    state_file: str = Field(
        default="",
        description=f"{NO_VARIABLE} : fichier d'état (défaut .datagouv.json dans le dossier "
        "publié du jeu).",
    )
    deadline_seconds: float = Field(
        default=300.0,
        description=f"{NO_VARIABLE} : durée maximale de la publication d'un jeu, tentatives "
        "comprises (s).",
    )

    def publish(
        self,
        release: Release,
        sheet: DatasetSheet,
        log: logging.Logger | dg.DagsterLogManager | None = None,
    ) -> Publication:
        """Creates or updates the dataset of `release` on data.gouv.fr; see the module doc."""
        name = release.dataset_id
        api_url = self.api_url.rstrip("/")
        if release.sample and is_production(api_url):
            why = "; ".join(release.sample_reasons) or "CLE_SOURCE_MODE=snapshot"
            raise PublicationError(
                f"{name}: built from SAMPLE inputs ({why}): never sent to "
                f"{urlsplit(api_url).hostname}. Publish it to {DEMO_API}, or rebuild it from the "
                "official files (CLE_SOURCE_MODE=online) and the commune's real files."
            )
        if not self.api_key and not self.dry_run:
            raise PublicationError(f"{name}: DATAGOUV_API_KEY is not set")
        if not self.organization:
            raise PublicationError(
                f"{name}: DATAGOUV_ORGANIZATION is not set (id or slug of the commune's "
                "organization on data.gouv.fr)"
            )
        state_path = Path(self.state_file) if self.state_file else release.folder / STATE_FILE_NAME
        session = _Session(self, name, log or dg.get_dagster_logger())
        with _locked_state(state_path, api_url) as state:
            record = state.get(name)
            publication = session.publish(release, sheet, record)
            if publication.datagouv_resource and not self.dry_run:
                uploaded_at = (record or {}).get("uploaded_at")  # None: uploaded elsewhere
                if publication.action == "uploaded":
                    uploaded_at = datetime.now(UTC).isoformat(timespec="seconds")
                state[name] = {
                    "dataset": publication.datagouv_dataset,
                    "resource": publication.datagouv_resource,
                    "organization": session.organization_id,
                    "sha1": publication.sha1,
                    "url": publication.dataset_url,
                    "uploaded_at": uploaded_at,
                }
        return publication

    def publish_reuse(
        self,
        folder: Path,
        commune_name: str,
        site_url: str,
        log: logging.Logger | dg.DagsterLogManager | None = None,
    ) -> dict[str, Any]:
        """Declares the commune's site (`site_url`) as a reuse of type visualisation linked to
        every dataset published from `folder`, created once and kept in line after; returns
        the reuse as the API answered it."""
        if not self.api_key:
            raise PublicationError("site: DATAGOUV_API_KEY is not set")
        api_url = self.api_url.rstrip("/")
        state_path = Path(self.state_file) if self.state_file else folder / STATE_FILE_NAME
        session = _Session(self, "site", log or dg.get_dagster_logger())
        with _locked_state(state_path, api_url) as state:
            organization = session.call("GET", f"/organizations/{self.organization}/")["id"]
            datasets = sorted(
                record["dataset"]
                for name, record in state.items()
                if name != REUSE_STATE and record.get("organization") == organization
            )
            if not datasets:
                raise PublicationError("site: no dataset published yet to link the site to")
            payload = reuse_payload(commune_name, site_url, organization, datasets)
            reuses = session.call("GET", f"/organizations/{organization}/reuses/")
            listed = reuses if isinstance(reuses, list) else reuses.get("data") or []
            found = next((r for r in listed if r.get("url") == site_url), None)
            if found is None:
                reuse = session.call("POST", "/reuses/", payload)
            elif sorted(d["id"] for d in found.get("datasets") or []) != datasets or (
                found.get("title") != payload["title"]
            ):
                reuse = session.call("PUT", f"/reuses/{found['id']}/", payload)
            else:
                reuse = found
            state[REUSE_STATE] = {"reuse": reuse["id"], "url": site_url}
        return reuse


def reuse_payload(
    commune_name: str, site_url: str, organization: str, datasets: list[str]
) -> dict[str, Any]:
    """The reuse declaring the commune's site on data.gouv.fr."""
    return {
        "title": f"Données ouvertes de {commune_name} : graphiques, carte et jeux de données",
        "description": f"Le site des données ouvertes de {commune_name}, construit par "
        "cle-pipeline à partir des fichiers nationaux : chaque jeu de données avec sa fiche, son "
        "bilan de mise en qualité et ses changements ; les graphiques des élections, du conseil "
        "municipal, des effectifs scolaires, des naissances et des décès ; une carte des "
        "commerces, services municipaux, bornes de recharge et défibrillateurs.",
        "url": site_url,
        "type": "visualization",
        "topic": "politics_and_public_life",
        "organization": organization,
        "datasets": datasets,
    }


class _Session:
    """One dataset's publication: the HTTP calls, their retries and their errors."""

    def __init__(
        self, config: DataGouvPublisher, name: str, log: logging.Logger | dg.DagsterLogManager
    ):
        self.config = config
        self.api_url = config.api_url.rstrip("/")
        self.name = name
        self.log = log
        self.organization_id = ""
        # One deadline for the whole publication of the dataset, retries and waits included.
        self.deadline = time.monotonic() + config.deadline_seconds

    # -- the steps ---------------------------------------------------------------------------
    def publish(
        self, release: Release, sheet: DatasetSheet, record: dict[str, Any] | None
    ) -> Publication:
        dry = self.config.dry_run
        sha1 = checksum_of(release.csv_path, "sha1")
        self.organization_id = self.call("GET", f"/organizations/{self.config.organization}/")["id"]
        payload = dataset_payload(sheet, release, self.organization_id)
        dataset = self.find_dataset(record, payload)
        created = updated = False
        if dataset is None:
            if dry:
                self.log.info(f"{self.name}: dry run, would POST /datasets/ {_json(payload)}")
                return self._outcome(release, sha1, "would upload", None, None, False, False)
            dataset = self.create_dataset(payload)
            created = True
            self.log.info(f"{self.name}: created the dataset {dataset.get('page')}")
        elif differences := dataset_differences(dataset, payload):
            if dry:
                self.log.info(
                    f"{self.name}: dry run, would PUT /datasets/{dataset['id']}/ "
                    f"({', '.join(differences)} differ) {_json(payload)}"
                )
            else:
                # A full PUT: omitted fields would be wiped (tags, temporal coverage).
                dataset = self.call("PUT", f"/datasets/{dataset['id']}/", payload)
                updated = True
                self.log.info(f"{self.name}: updated the dataset's {', '.join(differences)}")
        if not dry and dataset.get("license") != payload["license"]:
            raise PublicationError(
                f"{self.name}: {self.api_url} stored the licence {dataset.get('license')!r} "
                f"instead of {payload['license']!r} (a licence id it does not know)"
            )

        wanted = resource_payload(sheet)
        resource = self.find_resource(dataset, record, wanted["title"])
        if resource is not None and (resource.get("checksum") or {}).get("value") == sha1:
            action = "unchanged"
            self.log.info(f"{self.name}: unchanged (sha1 {sha1}), nothing uploaded")
        elif dry:
            action = "would upload"
            self.log.info(f"{self.name}: dry run, would upload {release.csv_path} (sha1 {sha1})")
        else:
            resource = self.upload(dataset["id"], resource, release.csv_path, sha1)
            action = "uploaded"
            self.log.info(f"{self.name}: uploaded {release.csv_path.name} (sha1 {sha1})")
        if resource is not None and not dry and resource_differences(resource, wanted):
            # Also after every replacement: it resets the title to the file name.
            resource = self.call(
                "PUT", f"/datasets/{dataset['id']}/resources/{resource['id']}/", wanted
            )
        companions = self.publish_companions(dataset, release, sheet)
        outcome = self._outcome(release, sha1, action, dataset, resource, created, updated)
        return replace(outcome, companions=companions)

    def publish_companions(
        self, dataset: dict[str, Any], release: Release, sheet: DatasetSheet
    ) -> dict[str, str]:
        """The schema, GeoJSON, quality report and change log beside the CSV, each a resource
        found by its title, uploaded only when its sha1 changed; what was done, by file."""
        done: dict[str, str] = {}
        companions = companion_files(release.folder, sheet)
        if self.config.dry_run:
            return {companion.path.name: "would upload" for companion in companions}
        current = self.call("GET", f"/datasets/{dataset['id']}/") if companions else {}
        for companion in companions:
            sha1 = checksum_of(companion.path, "sha1")
            wanted = {"title": companion.title, "description": companion.description}
            resource = next(
                (r for r in current.get("resources") or [] if r.get("title") == companion.title),
                None,
            )
            if resource is not None and (resource.get("checksum") or {}).get("value") == sha1:
                done[companion.path.name] = "unchanged"
            else:
                resource = self.upload(
                    dataset["id"],
                    resource,
                    companion.path,
                    sha1,
                    companion.mime,
                    companion.upload_name,
                )
                done[companion.path.name] = "uploaded"
                self.log.info(f"{self.name}: uploaded {companion.path.name} (sha1 {sha1})")
            if resource_differences(resource, {**wanted, "schema": None}):
                self.call("PUT", f"/datasets/{dataset['id']}/resources/{resource['id']}/", wanted)
        return done

    def find_dataset(
        self, record: dict[str, Any] | None, payload: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The remembered dataset if it still exists, else the organization's one."""
        if record and record.get("organization") == self.organization_id:
            found = self.call("GET", f"/datasets/{record['dataset']}/", missing_ok=True)
            if found is not None and not found.get("deleted"):
                return found
            self.log.warning(f"{self.name}: dataset {record['dataset']} is gone, looking again")
        return self.find_in_organization(payload)

    def find_in_organization(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        slug = slugify(payload["title"])
        page: str | None = f"/organizations/{self.organization_id}/datasets/?page_size=100"
        while page:
            listing = self.call("GET", page)
            for dataset in listing.get("data") or []:
                extras = dataset.get("extras") or {}
                ours = all(extras.get(key) == value for key, value in payload["extras"].items())
                if not dataset.get("deleted") and (ours or dataset.get("slug") == slug):
                    return dataset
            page = listing.get("next_page")
        return None

    def create_dataset(self, payload: dict[str, Any]) -> dict[str, Any]:
        def attempt(number: int) -> dict[str, Any]:
            # A timeout or 5xx may hide a dataset the server did create: look before posting.
            if number and (found := self.find_in_organization(payload)) is not None:
                return found
            return self.call("POST", "/datasets/", payload, retry=False)

        return self.retrying("creating the dataset", attempt)

    def find_resource(
        self, dataset: dict[str, Any], record: dict[str, Any] | None, title: str
    ) -> dict[str, Any] | None:
        """The remembered resource, else the one with our title, else our file."""
        resources = dataset.get("resources") or []
        remembered = (record or {}).get("resource")
        stored_name = f"{slugify(self.name)}.csv"  # udata's normalised file name
        for matches in (
            lambda r: remembered is not None and r.get("id") == remembered,
            lambda r: r.get("title") == title,
            lambda r: (r.get("url") or "").rsplit("/", 1)[-1] == stored_name,
        ):
            for resource in resources:
                if matches(resource):
                    return resource
        return None

    def upload(
        self,
        dataset_id: str,
        resource: dict[str, Any] | None,
        file: Path,
        sha1: str,
        mime: str = "text/csv",
        name: str = "",
    ) -> dict[str, Any]:
        path = f"/datasets/{dataset_id}/upload/"
        if resource is not None:
            path = f"/datasets/{dataset_id}/resources/{resource['id']}/upload/"

        def attempt(number: int) -> dict[str, Any]:
            if number:
                # The previous attempt may have landed although its answer was lost.
                current = self.call("GET", f"/datasets/{dataset_id}/")
                for candidate in current.get("resources") or []:
                    if (candidate.get("checksum") or {}).get("value") == sha1 and (
                        resource is None or candidate["id"] == resource["id"]
                    ):
                        return candidate
            with file.open("rb") as stream:
                files = {"file": (name or file.name, stream, mime)}
                return self.call("POST", path, files=files, retry=False)

        uploaded = self.retrying(f"uploading {file.name}", attempt)
        stored = (uploaded.get("checksum") or {}).get("value")
        if stored != sha1:
            raise PublicationError(
                f"{self.name}: after the upload the server holds sha1 {stored}, not {sha1}"
            )
        return uploaded

    def _outcome(
        self,
        release: Release,
        sha1: str,
        action: str,
        dataset: dict[str, Any] | None,
        resource: dict[str, Any] | None,
        created: bool,
        updated: bool,
    ) -> Publication:
        return Publication(
            dataset_id=self.name,
            api_url=self.api_url,
            action=action,
            datagouv_dataset=dataset["id"] if dataset else None,
            datagouv_resource=resource["id"] if resource else None,
            dataset_url=dataset.get("page") if dataset else None,
            resource_url=resource.get("url") if resource else None,
            created=created,
            metadata_updated=updated,
            sha1=sha1,
            sha256=release.sha256,
            sample=release.sample,
        )

    # -- HTTP --------------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        files: dict[str, Any] | None = None,
        retry: bool = True,
        missing_ok: bool = False,
    ) -> Any:
        """One API call; idempotent ones (`retry`) go through the project's retry policy
        (`lib/http.py`: 5xx, 429 and time-outs, `Retry-After` honoured).

        `missing_ok`: a 404 or 410 (deleted) answers None instead of an error.
        """
        if retry:
            try:
                return self._send(method, path, body, files, missing_ok, retries=True)
            except _Transient as error:
                raise PublicationError(
                    f"{self.name}: {method} {path} on {self.api_url} failed after "
                    f"{error.attempts} attempts ({error})"
                ) from None
        return self._send(method, path, body, files, missing_ok, retries=False)

    def retrying(self, what: str, attempt: Callable[[int], T]) -> T:
        """`attempt(number)` until it does not fail transiently: for POSTs, whose attempt looks
        for what a lost answer may have created before posting again."""
        last = ""
        for number in range(self.config.retries + 1):
            if number:
                # At least until the next wall-clock second: udata refuses two uploads of one
                # file name to a dataset within the same second (a 500).
                pause = self.config.backoff_seconds * 2 ** (number - 1)
                pause = max(pause, 1.05 - time.time() % 1)
                self._require_time_for(what, pause, last)
                time.sleep(pause)
            try:
                return attempt(number)
            except _Transient as error:
                last = str(error)
                self._report(f"{what}: {last}; attempt {number + 1} failed")
        raise PublicationError(
            f"{self.name}: {what} on {self.api_url} failed after {self.config.retries + 1} "
            f"attempts ({last})"
        )

    def _require_time_for(self, what: str, pause: float, last: str) -> None:
        if time.monotonic() + pause > self.deadline:
            raise PublicationError(
                f"{self.name}: {what} on {self.api_url} given up at the publication's deadline "
                f"({self.config.deadline_seconds:.0f} s; last attempt: {last})"
            )

    def _report(self, message: str) -> None:
        # A retry is worth telling as it happens: `make publish` shows no log but the summary.
        self.log.warning(f"{self.name}: {message}")
        echo_to_terminal(f"{self.name}: {message}")

    def _send(
        self,
        method: str,
        path: str,
        body: Any,
        files: dict[str, Any] | None,
        missing_ok: bool,
        retries: bool,
    ) -> Any:
        headers = {"Accept": "application/json"}
        if self.config.api_key:
            headers["X-API-KEY"] = self.config.api_key
        if self.config.dry_run and method != "GET":
            raise PublicationError(f"{self.name}: dry run, {method} {path} must not be sent")
        # udata's `next_page` links are absolute.
        url = path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"
        self._require_api_origin(url, f"pointed {method} {path} to {url}")
        # A session keeps no cookie (`lib/http.py`): udata's would authenticate the next call.
        http = retrying_session(
            self.config.retries if retries else 0,
            self.config.backoff_seconds,
            self.deadline,
            report=lambda message: self._report(f"{method} {path}: {message}"),
        )
        response = self._follow(
            http,
            method,
            path,
            url,
            retries,
            headers=headers,
            json=body if files is None else None,
            files=files,
        )
        status = response.status_code
        if status in RETRIED_STATUSES:
            raise _Transient(f"HTTP {status} {self._quote(response)}", attempts_of(response))
        if missing_ok and status in (404, 410):
            return None
        if status >= 400:
            raise PublicationError(
                f"{self.name}: {urlsplit(self.api_url).hostname} refused {method} {path} with "
                f"HTTP {status}{_HINTS.get(status, '')}: {self._quote(response)}"
            )
        return response.json()

    def _follow(
        self,
        http: requests.Session,
        method: str,
        path: str,
        url: str,
        retries: bool,
        **sending: Any,
    ) -> requests.Response:
        """The answer to `method url`, following redirects on the API's own host (GETs only):
        requests would follow them itself, resending X-API-KEY to any host."""
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = http.request(
                    method,
                    url,
                    timeout=request_timeout(self.config.timeout_seconds, self.deadline),
                    allow_redirects=False,
                    **sending,
                )
            except DeadlineExceeded as error:
                raise PublicationError(
                    f"{self.name}: {method} {path} on {self.api_url} given up at the "
                    f"publication's deadline ({self.config.deadline_seconds:.0f} s): {error}"
                ) from None
            except requests.RequestException as error:
                attempts = self.config.retries + 1 if retries else 1
                raise _Transient(failure_reason(error), attempts) from None
            if not response.is_redirect:
                return response
            # A renamed organization's old slug redirects to the new one, on the same host.
            location = urljoin(url, response.headers["Location"])
            what = f"redirected {method} {path} to {location} (HTTP {response.status_code})"
            self._require_api_origin(location, what)
            if method != "GET":
                raise PublicationError(f"{self.name}: {self.api_url} {what}: not followed")
            url = location
        raise PublicationError(
            f"{self.name}: {self.api_url} redirected {method} {path} more than {MAX_REDIRECTS} "
            "times"
        )

    def _require_api_origin(self, url: str, what: str) -> None:
        """The key goes to `DATAGOUV_API_URL`'s scheme, host and port only: neither a redirect
        nor a `next_page` link (URLs the server chose) takes it elsewhere."""
        api = urlsplit(self.api_url)
        target = urlsplit(url)
        if (target.scheme, target.netloc) != (api.scheme, api.netloc):
            raise PublicationError(
                f"{self.name}: {self.api_url} {what}: not followed, the API key is only sent to "
                f"{api.netloc}; if the API has moved, set DATAGOUV_API_URL to its new address"
            )

    def _quote(self, response: requests.Response) -> str:
        """The server's own words (its `message` and field `errors`), key masked."""
        try:
            answer = response.json()
        except ValueError:
            text = response.text[:500]
        else:
            if isinstance(answer, dict) and ("message" in answer or "errors" in answer):
                parts = [str(answer.get("message") or "")]
                if answer.get("errors"):
                    parts.append(json.dumps(answer["errors"], ensure_ascii=False))
                text = " ".join(part for part in parts if part)
            else:
                text = json.dumps(answer, ensure_ascii=False)[:500]
        key = self.config.api_key
        return f"«{text.replace(key, '***') if key else text}»"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_HINTS = {
    401: " (DATAGOUV_API_KEY is wrong or expired)",
    403: " (the key's user may not edit this organization's datasets)",
    404: " (not found: check DATAGOUV_ORGANIZATION and DATAGOUV_API_URL)",
}
