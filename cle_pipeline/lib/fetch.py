"""Where a national source lives and how its file reaches the disk: the one fetching mechanism.

A `Source` declares a national file: its official location (or how to resolve it through the
data.gouv.fr API when the producer republishes under a new URL) and its snapshot under
`data/sources/<id>/`. `SourceFetcher`, a Dagster resource, turns it into a local file:

- an override (a path, `file://` or `http(s)://` URL; the `overrides` field, filled from
  `CLE_SOURCE_<ID>` by `defs/resources.py`) wins in every mode;
- else `snapshot` mode (the default) reads the embedded snapshot, with no network;
- else `online` mode downloads the official file, streamed to a cache keyed by URL, under the
  project's HTTP policy (`lib/http.py`: retries with backoff, `Retry-After`), one deadline per
  download, progress in the run's log, a conditional request when a copy is cached, and an
  atomic rename so that a failed or truncated download never replaces a good cached file.

Every fetched file carries its size, sha256 and Last-Modified for the asset's metadata; a URL
is recorded (metadata, cache records, messages) with its credentials masked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any

import dagster as dg
import requests
import urllib3
from pydantic import Field

from cle_pipeline.lib.cadence import Cadence
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.files import (
    default_data_dir,
    partial_path,
    runs_from_checkout,
    write_atomically,
)
from cle_pipeline.lib.http import (
    RETRIED_STATUSES,
    DeadlineExceeded,
    TransferProgress,
    attempts_of,
    failure_reason,
    mask_credentials,
    request_timeout,
    retrying_session,
)
from cle_pipeline.lib.tabular import DEFAULT_MAX_UNZIPPED_BYTES, extract_member

DATAGOUV_API = "https://www.data.gouv.fr/api/1"
# How a field's description says that no environment variable sets it (the UI's resources page).
NO_VARIABLE = "Pas de variable d'environnement"


def override_variable(source_id: str) -> str:
    """The environment variable that replaces a source's location: `CLE_SOURCE_IRVE`."""
    return f"CLE_SOURCE_{source_id.upper()}"


@dataclass(frozen=True)
class Source:
    """A national input: its public id, who publishes it, where it lives.

    `url` and `snapshot` may hold `{commune}` and `{department}` for per-commune or
    per-department files. `resolve` replaces `url` for producers that publish each update
    under a new URL: it gets the fetcher and returns the current URL (and, when the API gives
    it, the expected checksum).
    """

    id: str
    title: str
    publisher: str
    page: str
    snapshot: str
    url: str | None = None
    resolve: Callable[[SourceFetcher], ResolvedUrl] | None = None
    # How often the publisher updates it (`lib/cadence.py`): when the automation reads it again.
    cadence: Cadence = field(kw_only=True)

    @property
    def env_var(self) -> str:
        """The variable that overrides the source's location: `CLE_SOURCE_<ID>`."""
        return override_variable(self.id)

    def definition_metadata(self) -> dict[str, Any]:
        """What the UI shows on the source asset before any run: who publishes it, where."""
        return {
            "source_id": self.id,
            "publisher": self.publisher,
            "documentation": dg.MetadataValue.url(self.page),
            "official_location": self.url or "resolved through the data.gouv.fr API",
            "override": self.env_var,
        }


@dataclass(frozen=True)
class ResolvedUrl:
    """Where a resolver found the current file, with the checksum the publisher announces."""

    url: str
    checksum_type: str | None = None
    checksum: str | None = None


@dataclass(frozen=True)
class FetchedFile:
    """A source file on the local disk, with what the asset metadata shows about it."""

    path: Path
    location: str
    size: int
    sha256: str
    last_modified: str | None
    from_cache: bool = False
    # Shown in the UI so that nobody takes the embedded samples for official figures.
    origin: str = "downloaded from the location below"

    def metadata(self) -> dict[str, Any]:
        """What the source asset shows about the file: origin, location, size, sha256, date."""
        return {
            "origin": self.origin,
            "location": dg.MetadataValue.url(self.location)
            if self.location.startswith("http")
            else dg.MetadataValue.path(self.location),
            "size_bytes": self.size,
            "sha256": self.sha256,
            "last_modified": self.last_modified or "unknown",
            "served_from_cache": self.from_cache,
        }


def checksum_of(path: Path, algorithm: str) -> str:
    """Hex digest of a file read in blocks (`sha256` for our records, `sha1` for data.gouv.fr)."""
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def department_of(commune: str) -> str:
    """Department code of an INSEE commune code: `76165` → `76`, `2A004` → `2A`, `97411` → `974`."""
    return commune[:3] if commune.startswith("97") else commune[:2]


class RetrySettings(dg.ConfigurableResource):
    """The settings of the one retry policy (`lib/http.retrying_session`), shared by every
    resource that talks HTTP."""

    timeout_seconds: float = Field(
        default=60.0, description=f"{NO_VARIABLE} : délai d'attente d'une requête (s)."
    )
    retries: int = Field(
        default=4, description=f"{NO_VARIABLE} : nouvelles tentatives après un échec (5xx, 429)."
    )
    backoff_seconds: float = Field(
        default=2.0, description=f"{NO_VARIABLE} : base de l'attente entre deux tentatives (s)."
    )


class SourceFetcher(RetrySettings):
    """Finds and downloads the national files (snapshot by default, official files online)."""

    # Field descriptions are what the UI's resources page shows: each names its variable.
    mode: str = Field(
        default="snapshot",
        description="CLE_SOURCE_MODE — snapshot (échantillons embarqués, sans réseau) ou online "
        "(fichiers officiels).",
    )
    snapshot_dir: str = Field(
        default="", description=f"{NO_VARIABLE} : dossier des échantillons (défaut data/sources)."
    )
    cache_dir: str = Field(
        default="",
        description="CLE_CACHE_DIR — cache des téléchargements et des membres de zip extraits "
        "(défaut data/cache).",
    )
    # One download, retries included: national files are hundreds of MB (Sirene's stock 2 GB).
    deadline_seconds: float = Field(
        default=3600.0,
        description=f"{NO_VARIABLE} : durée maximale d'un téléchargement, tentatives comprises "
        "(s).",
    )
    # Prefix rewrites applied to official URLs: a mirror of data.gouv.fr, or a test server.
    url_rewrites: dict[str, str] = Field(
        default_factory=dict,
        description=f"{NO_VARIABLE} : préfixes d'URL officielles remplacés (miroir, tests).",
    )
    overrides: dict[str, str] = Field(
        default_factory=dict,
        description="CLE_SOURCE_<ID> — identifiant de source → chemin local, URL file:// ou "
        "http(s):// lu à la place de la source, dans tous les modes ; {commune} et "
        "{department} y sont remplacés.",
    )

    # -- where -----------------------------------------------------------------------------
    def location_of(self, source: Source, commune: str) -> str:
        """The path or URL this run reads for `source` (no download)."""
        names = {"commune": commune, "department": department_of(commune)}
        override = self._override(source)
        if override:
            return _fill(override, names, source.env_var)
        if self.mode == "snapshot":
            return str(self._snapshot_root() / source.id / source.snapshot.format(**names))
        if self.mode != "online":
            raise SourceError(f"CLE_SOURCE_MODE is {self.mode!r}: expected 'snapshot' or 'online'")
        if self._uses_resolver(source):
            return self._rewrite(source.resolve(self).url)  # type: ignore[misc]
        if source.url is None:
            raise SourceError(f"source {source.id} has no official URL: set {source.env_var}")
        return self._rewrite(source.url.format(**names))

    def fetch(self, source: Source, commune: str) -> FetchedFile:
        """The source's file on the local disk, downloading it when the location is a URL."""
        resolved: ResolvedUrl | None = None
        if self._uses_resolver(source):
            resolved = source.resolve(self)  # type: ignore[misc]
            location = self._rewrite(resolved.url)
        else:
            location = self.location_of(source, commune)
        if location.startswith(("http://", "https://")):
            fetched = self.download(location)
            if resolved is not None and resolved.checksum and resolved.checksum_type:
                actual = checksum_of(fetched.path, resolved.checksum_type)
                if actual != resolved.checksum.lower():
                    raise SourceError(
                        f"{fetched.location}: {resolved.checksum_type} is {actual}, the publisher "
                        f"announces {resolved.checksum}; the file was not used"
                    )
            return fetched
        path = Path(location.removeprefix("file://"))
        if not path.is_file():
            raise SourceError(
                f"source {source.id}: no file at {path} (set by {source.env_var} or the "
                "snapshot folder)"
            )
        stat = path.stat()
        embedded = self._embedded_snapshots()
        in_snapshots = embedded is not None and embedded.resolve() in path.resolve().parents
        return FetchedFile(
            path,
            str(path),
            stat.st_size,
            checksum_of(path, "sha256"),
            formatdate(stat.st_mtime, usegmt=True),
            origin="embedded snapshot: SAMPLE values, not official figures"
            if in_snapshots
            else "local file",
        )

    def _uses_resolver(self, source: Source) -> bool:
        return source.resolve is not None and self.mode == "online" and not self._override(source)

    def _override(self, source: Source) -> str:
        return self.overrides.get(source.id, "").strip()

    def sample_reasons(self) -> list[str]:
        """Why what this fetcher serves is (partly) SAMPLE data: snapshot mode, or overrides
        (`CLE_SOURCE_<ID>`) pointing into the embedded snapshots."""
        if self.mode == "snapshot":
            return ["sources read in snapshot mode (embedded samples)"]
        embedded = self._embedded_snapshots()
        if embedded is None:
            return []
        root = embedded.resolve()
        return [
            f"{override_variable(source_id)} points into the embedded snapshots"
            for source_id, value in sorted(self.overrides.items())
            if not value.startswith(("http://", "https://"))
            and root in Path(value.strip().removeprefix("file://")).resolve().parents
        ]

    def extract(
        self,
        fetched: FetchedFile,
        member_pattern: str,
        max_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    ) -> Path:
        """The one member of a fetched zip matching `member_pattern`, extracted to the cache
        (`max_bytes` raises the zip-bomb guard for the few members known to be larger)."""
        return extract_member(
            fetched.path,
            member_pattern,
            self._cache_root() / "extracted",
            fetched.location,
            max_bytes=max_bytes,
        )

    # -- how -------------------------------------------------------------------------------
    def get_json(self, url: str) -> Any:
        """A JSON document (data.gouv.fr API record, directory API page), with retries."""
        url = self._rewrite(url)
        deadline = time.monotonic() + self.deadline_seconds
        response = self._request(url, {"Accept": "application/json"}, deadline)
        try:
            return response.json()
        except ValueError as error:
            raise SourceError(
                f"{mask_credentials(url)}: the answer is not JSON ({error})"
            ) from error

    def download(self, url: str) -> FetchedFile:
        """Streams `url` into the cache; reuses the cached copy when the server says 304.

        One deadline (`deadline_seconds`) covers the whole download, retries included; the
        bytes and rate go to the run's log (and to the terminal, when there is one). The URL
        is recorded with its credentials masked."""
        deadline = time.monotonic() + self.deadline_seconds
        shown = mask_credentials(url)
        cache = self._cache_root()
        cache.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(url.encode()).hexdigest()[:16]
        name = re.sub(r"[^A-Za-z0-9._-]", "_", url.rsplit("/", 1)[-1].split("?")[0]) or "file"
        target = cache / f"{key}-{name}"
        sidecar = target.with_name(target.name + ".json")
        known = json.loads(sidecar.read_text()) if sidecar.is_file() and target.is_file() else None

        headers = {}
        if known and known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known and known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        partial = partial_path(target)
        response = self._request(url, headers, deadline, stream=True)
        if response.status_code == 304 and known:
            response.close()
            return FetchedFile(
                target,
                shown,
                known["size"],
                known["sha256"],
                known.get("last_modified"),
                from_cache=True,
            )
        try:
            size, digest = self._stream_to(response, partial, shown, deadline)
        finally:
            response.close()
        if target.suffix.lower() == ".zip" or zipfile.is_zipfile(partial):
            _require_readable_zip(partial, shown)
        os.replace(partial, target)
        record = {
            "url": shown,
            "size": size,
            "sha256": digest,
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_atomically(sidecar, json.dumps(record, indent=2).encode())
        return FetchedFile(target, shown, size, digest, record["last_modified"])

    def _stream_to(
        self, response: requests.Response, partial: Path, shown: str, deadline: float
    ) -> tuple[int, str]:
        announced = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        total = int(announced) if announced and announced.isdigit() and not encoded else None
        progress = TransferProgress(shown, total, dg.get_dagster_logger())
        digest = hashlib.sha256()
        size = 0
        try:
            with partial.open("wb") as out:
                for block in response.raw.stream(1 << 20, decode_content=True):
                    out.write(block)
                    digest.update(block)
                    size += len(block)
                    progress.advance(len(block))
                    if time.monotonic() > deadline:
                        partial.unlink(missing_ok=True)
                        raise SourceError(
                            f"{shown}: download stopped at its deadline "
                            f"({self.deadline_seconds:.0f} s) after {size} bytes; the cached "
                            "copy (if any) is kept"
                        )
        # urllib3 raises its own errors (ProtocolError on a connection closed mid-body).
        except (requests.RequestException, OSError, urllib3.exceptions.HTTPError) as error:
            partial.unlink(missing_ok=True)
            # The bytes of the read that failed never reach the loop: count them on the wire.
            received = max(size, response.raw.tell())
            of = f" of {announced} announced" if announced else ""
            raise SourceError(
                f"{shown}: download interrupted after {received} bytes{of} ({error}); the "
                "cached copy (if any) is kept"
            ) from error
        progress.finish()
        # A server that closes the connection early sends fewer bytes than announced.
        if total is not None and size != total:
            partial.unlink(missing_ok=True)
            raise SourceError(
                f"{shown}: truncated download, {size} bytes received of {announced} announced; "
                "the cached copy (if any) is kept"
            )
        if size == 0:
            partial.unlink(missing_ok=True)
            raise SourceError(f"{shown}: the server sent an empty file")
        return size, digest.hexdigest()

    def _request(
        self, url: str, headers: dict[str, str], deadline: float, stream: bool = False
    ) -> requests.Response:
        """A GET under the project's retry policy (`lib/http.py`); an error names the URL,
        its credentials masked, and what the last attempt got."""
        shown = mask_credentials(url)
        log = dg.get_dagster_logger()
        session = retrying_session(
            self.retries,
            self.backoff_seconds,
            deadline,
            report=lambda message: log.warning(f"{shown}: {message}"),
        )
        try:
            response = session.get(
                url,
                headers=headers,
                timeout=request_timeout(self.timeout_seconds, deadline),
                stream=stream,
            )
        except DeadlineExceeded as error:
            raise SourceError(
                f"{shown}: given up at the download's deadline ({self.deadline_seconds:.0f} s): "
                f"{error}"
            ) from error
        except requests.RequestException as error:
            raise SourceError(
                f"{shown}: failed after {self.retries + 1} attempts ({failure_reason(error)})"
            ) from error
        status = response.status_code
        if status in RETRIED_STATUSES:
            response.close()
            raise SourceError(
                f"{shown}: failed after {attempts_of(response)} attempts (HTTP {status})"
            )
        if status >= 400:
            response.close()
            raise SourceError(f"{shown}: HTTP {status} {response.reason}")
        return response

    def _rewrite(self, url: str) -> str:
        for prefix, replacement in self.url_rewrites.items():
            if url.startswith(prefix):
                return replacement + url[len(prefix) :]
        return url

    def _snapshot_root(self) -> Path:
        if self.snapshot_dir:
            return Path(self.snapshot_dir)
        return default_data_dir("sources", "the snapshot_dir of the sources resource")

    def _embedded_snapshots(self) -> Path | None:
        """The folder of the embedded samples, if there is one: an installed package without a
        `snapshot_dir` has none, so no file can come from it."""
        if self.snapshot_dir or runs_from_checkout():
            return self._snapshot_root()
        return None

    def _cache_root(self) -> Path:
        return (
            Path(self.cache_dir) if self.cache_dir else default_data_dir("cache", "CLE_CACHE_DIR")
        )


def datagouv_latest_resource(
    dataset: str, title_pattern: str
) -> Callable[[SourceFetcher], ResolvedUrl]:
    """A resolver: the newest resource of a data.gouv.fr dataset whose title (or file name)
    matches a pattern.

    For producers who publish every update as a new resource (Géo'DAE daily, RNA monthly).
    """

    def resolve(fetcher: SourceFetcher) -> ResolvedUrl:
        record = fetcher.get_json(f"{DATAGOUV_API}/datasets/{dataset}/")
        matching = [
            resource
            for resource in record.get("resources", [])
            if re.search(title_pattern, resource.get("title") or "")
            or re.search(title_pattern, (resource.get("url") or "").rsplit("/", 1)[-1])
        ]
        if not matching:
            raise SourceError(
                f"data.gouv.fr dataset {dataset}: no resource title matches {title_pattern!r}"
            )
        newest = max(matching, key=lambda r: (r.get("last_modified") or "", r.get("title") or ""))
        checksum = newest.get("checksum") or {}
        return ResolvedUrl(newest["url"], checksum.get("type"), checksum.get("value"))

    return resolve


def _fill(template: str, names: dict[str, str], setting: str) -> str:
    """`template` with its `{commune}` and `{department}` replaced; any other brace is an error
    naming the setting (not Python's `KeyError: 'nope'`)."""
    try:
        return template.format(**names)
    except KeyError as error:
        problem = f"unknown placeholder {{{error.args[0]}}}"
    except (IndexError, ValueError):
        problem = "a brace that is not a placeholder (write {{ and }} for a literal brace)"
    raise SourceError(
        f"{setting}={mask_credentials(template)!r}: {problem}; only {{commune}} and "
        "{department} are replaced"
    )


def _require_readable_zip(path: Path, url: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            archive.infolist()
    except zipfile.BadZipFile as error:
        path.unlink(missing_ok=True)
        raise SourceError(f"{url}: not a readable zip archive ({error})") from error
