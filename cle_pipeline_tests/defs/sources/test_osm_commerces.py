"""Overpass answers: parsing nodes and ways, refusing truncated answers, the online query."""

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from cle_pipeline.defs.sources.osm_commerces import (
    COLUMNS,
    OVERPASS_INTERPRETER,
    SOURCE,
    elements_frame,
    read_answer,
)
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline_tests.http_server import Answer, Request, local_server


def snapshot_answer(code: str) -> dict:
    path = SourceFetcher().location_of(SOURCE, code)
    return read_answer(open(path, encoding="utf-8").read(), path)


def test_caudebec_answer_nodes_and_a_way_with_its_center():
    elements = elements_frame(snapshot_answer("76165"), "overpass_76165.json")
    assert list(elements.columns) == COLUMNS
    assert len(elements) == 11
    market = elements[elements["osm_id"] == "way/51020301"].iloc[0]
    assert (market["name"], market["lon"], market["lat"]) == ("Carrefour Market", 1.03, 49.288)
    assert market["addr_street"] == "Rue de la République"
    bakery = elements[elements["osm_id"] == "node/4101201"].iloc[0]
    assert bakery["opening_hours"] == "Tu-Sa 06:30-13:00,15:00-19:30; Su 07:00-12:30"
    assert (bakery["lon"], bakery["lat"]) == (1.02415, 49.28395)
    assert elements["opening_hours"].isna().sum() == 1  # the hairdresser's


def test_a_timed_out_answer_is_refused():
    text = json.dumps(
        {
            "version": 0.6,
            "elements": [{"type": "node", "id": 1, "lat": 49.0, "lon": 1.0, "tags": {}}],
            "remark": 'runtime error: Query timed out in "query" at line 4 after 181 seconds.',
        }
    )
    with pytest.raises(SourceFormatError, match=r"timed out.*incomplete"):
        read_answer(text, "overpass.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<osm version='0.6'/>", "not an Overpass JSON answer"),
        ('{"version": 0.6}', "no 'elements' list"),
    ],
)
def test_what_is_not_an_overpass_json_answer_is_refused(text, message):
    with pytest.raises(SourceFormatError, match=message):
        read_answer(text, "overpass.json")


def test_a_way_without_center_names_the_element():
    document = {"elements": [{"type": "way", "id": 7, "nodes": [1, 2], "tags": {"name": "X"}}]}
    with pytest.raises(SourceFormatError, match=r"way/7 has no coordinates \(center"):
        elements_frame(document, "overpass.json")


class OverpassStub:
    """Answers `/api/interpreter?data=…`: first `busy` times 429, then the stored answer."""

    def __init__(self, answer: bytes, busy: int) -> None:
        self.answer, self.busy = answer, busy
        self.requests: list[str] = []
        self.url = ""

    def __call__(self, request: Request) -> Answer:
        self.requests.append(request.path)
        if self.busy:
            self.busy -= 1
            return Answer(429)
        return Answer(200, self.answer)


@pytest.fixture
def overpass() -> Iterator[OverpassStub]:
    stub = OverpassStub(json.dumps(snapshot_answer("76231")).encode(), busy=1)
    with local_server() as server:
        stub.url = server.respond("/api/interpreter", stub)
        yield stub


def test_online_the_commune_query_is_sent_and_a_busy_server_retried(overpass, tmp_path):
    fetcher = SourceFetcher(
        mode="online",
        cache_dir=str(tmp_path),
        backoff_seconds=0,
        url_rewrites={OVERPASS_INTERPRETER: overpass.url},
    )
    fetched = fetcher.fetch(SOURCE, "76231")
    assert len(overpass.requests) == 2  # a 429, then the answer
    query = parse_qs(urlsplit(overpass.requests[-1]).query)["data"][0]
    assert '["ref:INSEE"="76231"]' in query
    assert query.startswith("[out:json]") and query.endswith("out center;")
    elements = elements_frame(read_answer(fetched.path.read_text(), fetched.location), "x")
    assert elements["name"].tolist() == [
        "Boulangerie du Centre",
        "Librairie du Cours Carnot",
        "Fleurs d'Elbeuf",
    ]


def test_online_a_server_that_stays_busy_fails_after_the_retries(overpass, tmp_path):
    overpass.busy = 10
    fetcher = SourceFetcher(
        mode="online",
        cache_dir=str(tmp_path),
        retries=2,
        backoff_seconds=0,
        url_rewrites={OVERPASS_INTERPRETER: overpass.url},
    )
    with pytest.raises(SourceError, match="failed after 3 attempts"):
        fetcher.fetch(SOURCE, "76165")
