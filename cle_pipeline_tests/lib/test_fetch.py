"""The fetching mechanism against a real HTTP server on 127.0.0.1."""

import hashlib
import io
import logging
import re
import time
import zipfile
from pathlib import Path

import dagster as dg
import pytest
from dagster_shared.serdes import serialize_value

from cle_pipeline.lib.cadence import DAILY, MONTHLY
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.fetch import Source, SourceFetcher, datagouv_latest_resource
from cle_pipeline_tests.http_server import local_server

BODY = b"CODGEO;NAISD21\n76165;110\n" * 50


def fetcher(tmp_path: Path, **options) -> SourceFetcher:
    return SourceFetcher(
        mode="online", cache_dir=str(tmp_path), **{"backoff_seconds": 0.01, **options}
    )


def test_download_is_cached_and_revalidated_with_etag(tmp_path):
    with local_server() as server:
        url = server.serve(
            "/base.csv", BODY, etag='"v1"', last_modified="Tue, 01 Nov 2022 00:00:00 GMT"
        )
        first = fetcher(tmp_path).download(url)
        second = fetcher(tmp_path).download(url)
    assert first.path.read_bytes() == BODY
    assert first.sha256 == hashlib.sha256(BODY).hexdigest()
    assert first.size == len(BODY)
    assert first.last_modified == "Tue, 01 Nov 2022 00:00:00 GMT"
    assert not first.from_cache and second.from_cache
    assert second.path == first.path
    assert server.requests[1][1]["If-None-Match"] == '"v1"'


def test_server_errors_are_retried_with_backoff(tmp_path):
    with local_server() as server:
        url = server.serve("/flaky.csv", BODY, failures=2)
        fetched = fetcher(tmp_path).download(url)
    assert fetched.path.read_bytes() == BODY
    assert server.routes["/flaky.csv"].hits == 3


def test_persistent_server_errors_give_up_with_the_url_in_the_message(tmp_path):
    with local_server() as server:
        url = server.serve("/down.csv", BODY, failures=99)
        with pytest.raises(SourceError, match=r"down\.csv: failed after 3 attempts \(HTTP 500\)"):
            fetcher(tmp_path, retries=2).download(url)


def test_a_client_error_is_not_retried(tmp_path):
    with local_server() as server, pytest.raises(SourceError, match="HTTP 404"):
        fetcher(tmp_path).download(server.url + "/missing.csv")
    assert len(server.requests) == 1


def test_a_timeout_is_retried_then_reported(tmp_path):
    with local_server() as server:
        url = server.serve("/slow.csv", BODY, delay=0.5)
        with pytest.raises(SourceError, match="ReadTimeout"):
            fetcher(tmp_path, retries=1, timeout_seconds=0.1).download(url)
    assert server.routes["/slow.csv"].hits == 2


def test_a_download_cut_halfway_never_replaces_the_good_cached_file(tmp_path):
    with local_server() as server:
        url = server.serve("/irve.csv", BODY)
        good = fetcher(tmp_path).download(url)
        server.serve("/irve.csv", BODY + b"more rows\n" * 100, truncate_at=len(BODY) // 2)
        with pytest.raises(SourceError, match=r"truncated download|interrupted"):
            fetcher(tmp_path, retries=0).download(url)
    assert good.path.read_bytes() == BODY
    assert not list(tmp_path.glob("*.part"))


def test_a_corrupt_zip_is_refused_and_the_cached_one_kept(tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as opened:
        opened.writestr("base.csv", BODY)
    with local_server() as server:
        url = server.serve("/base.zip", archive.getvalue())
        good = fetcher(tmp_path).download(url)
        server.serve("/base.zip", b"PK\x03\x04 this is not a zip archive at all" * 10)
        with pytest.raises(SourceError, match="not a readable zip archive"):
            fetcher(tmp_path).download(url)
    assert zipfile.ZipFile(good.path).read("base.csv") == BODY


def test_a_resolved_resource_is_verified_against_its_announced_checksum(tmp_path):
    with local_server() as server:
        file_url = server.serve("/files/rna-latest.csv", BODY)
        sha1 = hashlib.sha1(BODY).hexdigest()
        record = (
            '{"resources": [{"title": "rna_waldec_20221001.zip", "url": "%s/old.zip",'
            ' "last_modified": "2022-10-01"}, {"title": "rna_waldec_20221101.zip", "url": "%s",'
            ' "last_modified": "2022-11-01", "checksum": {"type": "sha1", "value": "%s"}}]}'
        )
        server.serve("/api/1/datasets/rna/", (record % (server.url, file_url, sha1)).encode())
        source = Source(
            id="rna_test",
            title="",
            publisher="",
            page="",
            snapshot="",
            resolve=datagouv_latest_resource("rna", r"rna_waldec_\d{8}\.zip"),
            cadence=MONTHLY,
        )
        online = fetcher(tmp_path, url_rewrites={"https://www.data.gouv.fr": server.url})
        assert online.fetch(source, "76165").path.read_bytes() == BODY
        server.serve("/api/1/datasets/rna/", (record % (server.url, file_url, "0" * 40)).encode())
        with pytest.raises(SourceError, match="the publisher announces 0000"):
            online.fetch(source, "76165")


def test_an_override_wins_in_every_mode(tmp_path):
    local = tmp_path / "mine.csv"
    local.write_bytes(BODY)
    source = Source(
        id="irve", title="", publisher="", page="", snapshot="x.csv", url="https://x", cadence=DAILY
    )
    for mode in ("snapshot", "online"):
        fetched = SourceFetcher(mode=mode, overrides={"irve": f"file://{local}"}).fetch(
            source, "76165"
        )
        assert fetched.path == local
        assert fetched.sha256 == hashlib.sha256(BODY).hexdigest()


def test_an_unknown_mode_is_a_clear_error():
    source = Source(
        id="irve", title="", publisher="", page="", snapshot="x.csv", url="https://x", cadence=DAILY
    )
    with pytest.raises(SourceError, match="CLE_SOURCE_MODE is 'offline'"):
        SourceFetcher(mode="offline").fetch(source, "76165")


def test_the_origin_of_a_file_says_when_it_is_a_sample(tmp_path):
    source = Source(
        id="irve",
        title="",
        publisher="",
        page="",
        snapshot="consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv",
        url="https://x",
        cadence=DAILY,
    )
    assert "SAMPLE" in SourceFetcher().fetch(source, "76165").metadata()["origin"]
    local = tmp_path / "irve.csv"
    local.write_bytes(BODY)
    assert (
        SourceFetcher(overrides={"irve": str(local)}).fetch(source, "76165").metadata()["origin"]
        == "local file"
    )
    with local_server() as server:
        url = server.serve("/irve.csv", BODY)
        assert fetcher(tmp_path).download(url).metadata()["origin"].startswith("downloaded")


IRVE = Source(
    id="irve", title="", publisher="", page="", snapshot="x.csv", url="https://x", cadence=DAILY
)


def test_an_unknown_placeholder_in_an_override_names_the_variable():
    # It was `KeyError: 'nope'`.
    fetcher = SourceFetcher(overrides={"irve": "/data/irve-{nope}.csv"})
    with pytest.raises(SourceError) as raised:
        fetcher.fetch(IRVE, "76165")
    assert str(raised.value) == (
        "CLE_SOURCE_IRVE='/data/irve-{nope}.csv': unknown placeholder {nope}; only {commune} "
        "and {department} are replaced"
    )
    with pytest.raises(SourceError, match=r"CLE_SOURCE_IRVE='/data/\{0\}\.csv': a brace"):
        SourceFetcher(overrides={"irve": "/data/{0}.csv"}).fetch(IRVE, "76165")
    assert (
        SourceFetcher(overrides={"irve": "/d/{department}/{commune}.csv"}).location_of(
            IRVE, "2A004"
        )
        == "/d/2A/2A004.csv"
    )


def test_an_interrupted_download_counts_the_bytes_that_arrived(tmp_path):
    # It said `download interrupted after 0 bytes` when 5,688 bytes had arrived.
    with local_server() as server:
        url = server.serve("/irve.csv", b"x" * 20_000, truncate_at=5688)
        with pytest.raises(SourceError) as raised:
            fetcher(tmp_path, retries=0).download(url)
    assert str(raised.value).startswith(
        f"{url}: download interrupted after 5688 bytes of 20000 announced ("
    )
    assert str(raised.value).endswith("; the cached copy (if any) is kept")


def test_a_server_that_never_answers_is_given_up_at_the_deadline(tmp_path):
    # Five tries of 60 s each were 350 s of silence: one deadline bounds them all.
    with local_server() as server:
        url = server.serve("/slow.csv", BODY, delay=1.0)
        started = time.monotonic()
        with pytest.raises(SourceError) as raised:
            fetcher(
                tmp_path, retries=10, timeout_seconds=0.2, backoff_seconds=0.1, deadline_seconds=1
            ).download(url)
        elapsed = time.monotonic() - started
    assert re.fullmatch(
        rf"{re.escape(url)}: given up at the download's deadline \(1 s\): attempt \d failed "
        r"\(ReadTimeoutError\); the next one \(in \d s\) would be past the deadline",
        str(raised.value),
    ), str(raised.value)
    assert 0.6 < elapsed < 1.5
    assert server.routes["/slow.csv"].hits < 10


def test_every_retry_is_reported_and_the_download_logged_with_its_rate(tmp_path, caplog):
    with local_server() as server:
        url = server.serve("/flaky.csv", BODY, failures=1)
        with caplog.at_level(logging.INFO):
            fetcher(tmp_path).download(url)
    messages = [record.getMessage() for record in caplog.records]
    assert f"{url}: attempt 1 answered HTTP 500; next attempt in 0 s" in messages
    assert any(
        re.fullmatch(rf"{re.escape(url)}: downloaded 0\.0 MB in 0 s \(\d+\.\d MB/s\)", m)
        for m in messages
    ), messages


def test_credentials_in_a_source_url_are_never_recorded(tmp_path):
    with local_server() as server:
        server.serve("/private/irve.csv", BODY)
        secret_url = server.url.replace("://", "://user:s3cret@") + "/private/irve.csv"
        fetched = fetcher(tmp_path, overrides={"irve": secret_url}).fetch(IRVE, "76165")
        with pytest.raises(SourceError) as raised:
            fetcher(tmp_path).download(secret_url.replace("irve.csv", "gone.csv"))
    masked = server.url.replace("://", "://***@") + "/private/irve.csv"
    assert fetched.location == masked
    assert fetched.metadata()["location"].value == masked
    assert str(raised.value) == f"{masked.replace('irve.csv', 'gone.csv')}: HTTP 404 Not Found"
    recorded = [path.read_text() for path in tmp_path.glob("*.json")]
    assert len(recorded) == 1 and "s3cret" not in recorded[0] and masked in recorded[0]
    # The credentials still reach the server they are meant for.
    assert server.requests[0][1]["Authorization"] == "Basic dXNlcjpzM2NyZXQ="


def test_credentials_of_a_source_url_never_reach_the_event_log(materialize, tmp_path):
    # They were in clear in the event log and in the cache's records.
    irve = SourceFetcher().location_of(
        Source(
            id="irve",
            title="",
            publisher="",
            page="",
            snapshot="consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv",
            cadence=DAILY,
        ),
        "76165",
    )
    instance = dg.DagsterInstance.ephemeral()
    with local_server() as server:
        server.serve("/irve.csv", Path(irve).read_bytes())
        secret_url = server.url.replace("://", "://user:s3cret@") + "/irve.csv"
        result = materialize("irve", overrides={"irve": secret_url}, instance=instance)
    records = instance.all_logs(result.run_id)
    assert len(records) > 10
    assert not [record for record in records if "s3cret" in serialize_value(record)]
    cached = [path for path in (tmp_path / "cache").rglob("*.json")]
    assert cached and not [path for path in cached if "s3cret" in path.read_text()]
    metadata = result.asset_materializations_for_node("irve")[0].metadata
    assert metadata["location"].value == server.url.replace("://", "://***@") + "/irve.csv"
