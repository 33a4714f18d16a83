"""The fetching mechanism against a real HTTP server on 127.0.0.1."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from cle_pipeline.lib.cadence import DAILY, MONTHLY
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.fetch import Source, SourceFetcher, datagouv_latest_resource
from cle_pipeline_tests.http_server import local_server

BODY = b"CODGEO;NAISD21\n76165;110\n" * 50


def fetcher(tmp_path: Path, **options) -> SourceFetcher:
    return SourceFetcher(mode="online", cache_dir=str(tmp_path), backoff_seconds=0.01, **options)


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


def test_an_override_variable_wins_in_every_mode(tmp_path, monkeypatch):
    local = tmp_path / "mine.csv"
    local.write_bytes(BODY)
    source = Source(
        id="irve", title="", publisher="", page="", snapshot="x.csv", url="https://x", cadence=DAILY
    )
    monkeypatch.setenv("CLE_SOURCE_IRVE", f"file://{local}")
    for mode in ("snapshot", "online"):
        fetched = SourceFetcher(mode=mode).fetch(source, "76165")
        assert fetched.path == local
        assert fetched.sha256 == hashlib.sha256(BODY).hexdigest()


def test_an_unknown_mode_is_a_clear_error():
    source = Source(
        id="irve", title="", publisher="", page="", snapshot="x.csv", url="https://x", cadence=DAILY
    )
    with pytest.raises(SourceError, match="CLE_SOURCE_MODE is 'offline'"):
        SourceFetcher(mode="offline").fetch(source, "76165")


def test_the_origin_of_a_file_says_when_it_is_a_sample(tmp_path, monkeypatch):
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
    monkeypatch.setenv("CLE_SOURCE_IRVE", str(local))
    assert SourceFetcher().fetch(source, "76165").metadata()["origin"] == "local file"
    with local_server() as server:
        url = server.serve("/irve.csv", BODY)
        assert fetcher(tmp_path).download(url).metadata()["origin"].startswith("downloaded")
