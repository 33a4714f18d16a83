"""The DILA directory source: snapshot pages, API paging over HTTP, national exports, traps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cle_pipeline.defs.sources import annuaire_service_public as source
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.http_server import Answer, Request, local_server

SNAPSHOT = PROJECT_ROOT / "data" / "sources" / "annuaire_service_public"
RECORDS_PATH = urlsplit(source.RECORDS_ENDPOINT).path


def snapshot_records(commune: str) -> list[dict[str, Any]]:
    return source.read_page_folder(SNAPSHOT / commune).records


class DirectoryServer:
    """A fake of the directory API on 127.0.0.1: `records` pages filtered by the `where` on
    `code_insee_commune`, honouring `limit`/`offset` and the API's bounds."""

    def __init__(self, records: list[dict[str, Any]], fail_once: set[int] = frozenset()):
        self.records = records
        self.fail_once = set(fail_once)  # offsets answered once with a 503
        self.requests: list[dict[str, list[str]]] = []
        self.served_pages = 0

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        self.requests.append(query)
        if path != RECORDS_PATH:
            return 404, {"error": "not found"}
        match = re.fullmatch(r'code_insee_commune="(\w+)"', query.get("where", [""])[0])
        limit, offset = int(query.get("limit", ["10"])[0]), int(query.get("offset", ["0"])[0])
        if not match or limit > 100 or offset + limit > 10_000:
            return 400, {"error_code": "InvalidRESTParameterError"}
        if offset in self.fail_once:
            self.fail_once.discard(offset)
            return 503, {"error": "busy"}
        selected = [r for r in self.records if r["code_insee_commune"] == match.group(1)]
        self.served_pages += 1
        return 200, {
            "total_count": len(selected),
            "results": selected[offset : offset + limit],
        }


@contextmanager
def directory_server(server: DirectoryServer) -> Iterator[str]:
    """Serves `server` on 127.0.0.1 and yields its root URL."""

    def respond(request: Request) -> Answer:
        parts = urlsplit(request.path)
        status, body = server.answer(parts.path, parse_qs(parts.query))
        return Answer(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    with local_server() as http:
        http.respond("/", respond)
        yield http.url


def online_fetcher(
    root: str, tmp_path: Path, overrides: dict[str, str] | None = None
) -> SourceFetcher:
    return SourceFetcher(
        mode="online",
        url_rewrites={source.API_ROOT: root},
        cache_dir=str(tmp_path / "cache"),
        backoff_seconds=0,
        timeout_seconds=5,
        overrides=overrides or {},
    )


def test_snapshot_pages_cut_to_the_commune():
    read = source.read_page_folder(SNAPSHOT / "76165")
    assert (read.pages, read.total_count, len(read.records)) == (2, 4, 4)
    offices = source.cut_commune(read.records, "76165", read.location)
    assert list(offices.columns) == source.COLUMNS
    # The Saint-Pierre record mixed into the second page is left out.
    assert offices["nom"].tolist() == [
        "Mairie - Caudebec-lès-Elbeuf",
        "Centre communal d'action sociale (CCAS) - Caudebec-lès-Elbeuf",
        "Police municipale - Caudebec-lès-Elbeuf",
    ]
    assert "affectation_personne" not in offices.columns
    hours = json.loads(offices.loc[0, "plage_ouverture"])
    assert hours[0] == {
        "nom_jour_debut": "Lundi",
        "nom_jour_fin": "Vendredi",
        "valeur_heure_debut_1": "08:30:00",
        "valeur_heure_fin_1": "12:00:00",
        "valeur_heure_debut_2": "13:30:00",
        "valeur_heure_fin_2": "17:30:00",
        "commentaire": "",
    }


def test_paging_through_two_pages_of_the_api_with_a_retry(tmp_path):
    records = [
        {**snapshot_records("76165")[0], "id": f"id-{number:03d}", "nom": f"Service {number}"}
        for number in range(130)
    ]
    server = DirectoryServer(records, fail_once={100})
    with directory_server(server) as root:
        fetcher = online_fetcher(root, tmp_path)
        location = fetcher.location_of(source.SOURCE, "76165")
        read = source.read_records(fetcher, location, "76165")
    assert location.startswith(root + RECORDS_PATH)
    assert (read.pages, read.total_count, len(read.records)) == (2, 130, 130)
    assert [record["id"] for record in read.records] == [f"id-{n:03d}" for n in range(130)]
    # Page 2 was refused once (503) and asked again; every request names the commune.
    assert [(q["limit"], q["offset"]) for q in server.requests] == [
        (["100"], ["0"]),
        (["100"], ["100"]),
        (["100"], ["100"]),
    ]
    assert {q["where"][0] for q in server.requests} == {'code_insee_commune="76165"'}


def test_a_directory_that_changes_while_paging_is_an_error(tmp_path):
    records = [{**snapshot_records("76165")[0], "id": "same-id"} for _ in range(3)]
    with directory_server(DirectoryServer(records)) as root:
        fetcher = online_fetcher(root, tmp_path)
        with pytest.raises(SourceError, match=r"3 records read \(1 distinct\)"):
            source.fetch_pages(fetcher, fetcher.location_of(source.SOURCE, "76165"), 2)


def test_a_page_without_results_names_the_url(tmp_path):
    class Broken(DirectoryServer):
        def answer(self, path, query):
            return 200, {"total_count": 1, "records": []}

    with directory_server(Broken([])) as root:
        fetcher = online_fetcher(root, tmp_path)
        with pytest.raises(SourceFormatError, match=r"127\.0\.0\.1.*has no 'results'"):
            source.read_records(fetcher, fetcher.location_of(source.SOURCE, "76165"), "76165")


def test_a_missing_snapshot_page_is_noticed(tmp_path):
    (tmp_path / "records-offset-00000.json").write_bytes(
        (SNAPSHOT / "76165" / "records-offset-00000.json").read_bytes()
    )
    with pytest.raises(SourceFormatError, match=r"1 page\(s\) hold 2 records"):
        source.read_page_folder(tmp_path)


@pytest.mark.parametrize("layout", ["array", "lines", "dila-dump-with-real-lists"])
def test_a_national_export_gives_the_same_cut_as_the_api(tmp_path, layout):
    records = snapshot_records("76165") + snapshot_records("76231")
    path = tmp_path / "api-lannuaire-administration.json"
    if layout == "lines":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    else:
        if layout == "dila-dump-with-real-lists":
            records = [
                {k: json.loads(v) if k in source.NESTED and v else v for k, v in r.items()}
                for r in records
            ]
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    read = source.read_records(SourceFetcher(), str(path), "76165")
    offices = source.cut_commune(read.records, "76165", read.location)
    expected = source.cut_commune(snapshot_records("76165"), "76165", "snapshot")
    assert offices.equals(expected)


def test_an_export_without_a_required_field_names_it(tmp_path):
    record = {k: v for k, v in snapshot_records("76165")[0].items() if k != "plage_ouverture"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([record]))
    with pytest.raises(SourceFormatError, match=r"missing field\(s\) plage_ouverture"):
        source.read_records(SourceFetcher(), str(path), "76165")


def test_a_nested_field_that_is_not_json_names_the_record():
    record = {**snapshot_records("76165")[0], "plage_ouverture": "Lundi-Vendredi 8h30-12h"}
    with pytest.raises(SourceFormatError, match=r"record 1 \(.*\): plage_ouverture is not a JSON"):
        source.cut_commune([record], "76165", "page")


def test_the_override_wins_and_an_absent_path_says_where(tmp_path):
    fetcher = SourceFetcher(overrides={source.SOURCE.id: str(tmp_path / "nothing-{commune}")})
    with pytest.raises(SourceError, match="nothing-76165"):
        source.read_records(fetcher, fetcher.location_of(source.SOURCE, "76165"), "76165")


# The directory's hosts before October 2025, when service-public.fr became service-public.gouv.fr.
OLD_HOST = re.compile(r"\b(?:api-)?lannuaire\.service-public\.fr\b")


def test_the_directory_is_named_by_its_new_host_everywhere():
    assert urlsplit(source.RECORDS_ENDPOINT).hostname == "api-lannuaire.service-public.gouv.fr"
    texts = [PROJECT_ROOT / "README.md"]
    for package in ("cle_pipeline", "devtools"):
        texts += sorted((PROJECT_ROOT / package).rglob("*.py"))
    texts += sorted((SNAPSHOT).rglob("*.json"))
    naming_old = [str(path) for path in texts if OLD_HOST.search(path.read_text(encoding="utf-8"))]
    assert naming_old == []
