"""The commune's site in Chromium (Debian's, as the UI test), served by a local HTTP server: every
page loads without a console error, each chart is there with its title, the map has one marker
per placed row in each layer, every local link resolves. Screenshots of every page are kept in
`test-artefacts/site/` (phone-sized window)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import dagster as dg
import pytest

from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.defs.valorisation.charts import chart_families
from cle_pipeline.lib.changelog import read_published_csv
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import materialize_into
from cle_pipeline_tests.integration.test_ui import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

ARTEFACTS = PROJECT_ROOT / "test-artefacts" / "site"
# Layer of the map → the published column that holds its position.
POSITIONS = {
    "commerces": "longitude",
    "horaires_services": "EQUIP_LONG",
    "bornes_recharge": "coordonneesXY",
    "defibrillateurs": "long_coor1",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request on the test's output."""


@pytest.fixture(scope="module")
def built(definitions, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    result = materialize_into(definitions, root, dg.AssetSelection.assets("site").upstream())
    assert result.success
    return root / "published" / "76165"


@pytest.fixture(scope="module")
def served(built) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = "Debian's chromium and chromium-driver are not installed (see make browser)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, "--window-size=420,900"]:  # a phone's width
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def visit(driver, url: str) -> list[str]:
    """Opens `url` and returns the console's errors (failed loads included)."""
    driver.get_log("browser")  # what an earlier page left
    driver.get(url)
    driver.execute_script("return document.readyState")
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def local_links(driver, base: str) -> list[str]:
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    return [urljoin(base, href) for href in hrefs if not urlparse(href).scheme]


def test_every_page_loads_without_console_errors_and_every_link_resolves(served, chromium):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    to_visit, seen, resolved = [served], set(), set()
    while to_visit:
        url = to_visit.pop(0)
        if url in seen:
            continue
        seen.add(url)
        errors = visit(chromium, url)
        assert errors == [], url
        assert chromium.execute_script("return document.documentElement.lang") == "fr"
        assert len(chromium.find_elements("tag name", "h1")) == 1, url
        page_name = urlparse(url).path.strip("/").replace("/", "_") or "index.html"
        chromium.save_screenshot(str(ARTEFACTS / page_name.replace(".html", ".png")))
        for link in local_links(chromium, url):
            target = link.split("#")[0]
            if target.endswith(".html"):
                to_visit.append(target)
            elif target not in resolved:
                with urllib.request.urlopen(target, timeout=10) as response:
                    assert response.status == 200, f"{target} (linked from {url})"
                resolved.add(target)
    pages = {urlparse(url).path for url in seen}
    assert {"/", "/graphiques.html", "/carte.html", "/methodologie.html"} <= pages
    assert {f"/jeux/{dataset_id}.html" for dataset_id in dataset_ids()} <= pages
    # The downloads of a dataset with positions and without an official schema.
    assert {f"{served}donnees/commerces.{kind}" for kind in ("csv", "schema.json", "geojson")} <= (
        resolved
    )


def test_each_chart_is_shown_with_its_title(built, served, chromium):
    assert visit(chromium, f"{served}graphiques.html") == []
    figures = chromium.execute_script(
        """return [...document.querySelectorAll('figure')].map(f => {
             const img = f.querySelector('img');
             return [f.id, f.querySelector('h3').textContent, img.alt,
                     img.complete && img.naturalWidth > 0, f.querySelectorAll('td').length];
           });"""
    )
    names = [name for _, _, charts in chart_families() for name in charts]
    assert [figure[0] for figure in figures] == names
    for name, heading, alt, loaded, cells in figures:
        spec = json.loads((built / "graphiques" / f"{name}.vl.json").read_text(encoding="utf-8"))
        assert heading == alt == spec["title"]["text"]
        assert loaded, name
        assert cells == len(spec["data"]["values"]) * len(spec["data"]["values"][0])


def test_the_map_has_one_marker_per_placed_row_in_each_layer(built, served, chromium):
    assert visit(chromium, f"{served}carte.html") == []
    for dataset_id, column in POSITIONS.items():
        published = read_published_csv(built / f"{dataset_id}.csv")
        markers = chromium.find_elements("css selector", f"path.marker-{dataset_id}")
        assert len(markers) == (published[column] != "").sum(), dataset_id
    # A popup opens on a marker, in French.
    chromium.find_elements("css selector", "path.marker-defibrillateurs")[0].click()
    popup = chromium.find_element("css selector", ".leaflet-popup-content").text
    assert "Adresse : " in popup
    chromium.save_screenshot(str(ARTEFACTS / "carte_popup.png"))
