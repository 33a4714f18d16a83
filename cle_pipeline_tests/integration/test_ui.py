"""The Dagster UI as a user sees it: a real `dagster-webserver` on 127.0.0.1 over a temporary
DAGSTER_HOME (the project's dagster.yaml) holding a run of `build_commune` and a run whose
check failed; its GraphQL API, and its pages in headless Chromium driven by Selenium (the
charts on their assets' pages saved as screenshots in `test-artefacts/ui/`).

The browser is Debian's (`/usr/bin/chromium` with `/usr/bin/chromedriver`), which `make test`
installs when it runs as root; nothing is downloaded by the test. Without them the browser
test is skipped and says why, except under CI, where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.defs.valorisation.charts import CHARTS_FOLDER, chart_families
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.partitions import register_communes

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Tall enough for the eleven datasets of the `published` group, one under the other.
    "--window-size=1600,3000",
]
STARTUP_SECONDS = 90
# What the job build_commune runs.
BUILT_GROUPS = ("commune_reference", "sources", "published", "releases")
# Caudebec's table, the grant of the Comité des fêtes at 0 €: the check amount_above_zero fails.
# The failing row of amount_above_zero, as the check's table shows it: the line in the
# commune's file, the beneficiary, the amount as the dataset holds it.
FAILING_COLUMNS = ["ligne_source", "nomBeneficiaire", "montant"]
FAILING_ROW = ["3", "Comité des fêtes de Caudebec-lès-Elbeuf", "0.00"]
IRVE_SNAPSHOT = "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
GRANT = "8\u00a0000,00\u00a0€".encode()

ASSET_NODES = """{
  assetNodes {
    assetKey { path }
    groupName description kinds
    owners { ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    tags { key value }
    automationCondition { expandedLabel }
    internalFreshnessPolicy { ... on TimeWindowFreshnessPolicy { failWindowSeconds } }
    assetMaterializations(limit: 1) {
      metadataEntries {
        label
        ... on IntMetadataEntry { intValue }
        ... on TextMetadataEntry { text }
        ... on PathMetadataEntry { path }
        ... on MarkdownMetadataEntry { mdStr }
        ... on TableSchemaMetadataEntry { schema { columns { name type } } }
      }
    }
    assetChecksOrError {
      ... on AssetChecks {
        checks {
          name blocking description
          executionForLatestMaterialization {
            status
            evaluation {
              severity
              metadataEntries {
                label
                ... on IntMetadataEntry { intValue }
                ... on MarkdownMetadataEntry { mdStr }
                ... on TableMetadataEntry { table { records schema { columns { name } } } }
              }
            }
          }
        }
      }
    }
  }
}"""
INSTIGATORS = """{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { sensors { name description sensorState { status } } jobs { name description } }
    }
  }
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Webserver:
    url: str
    home: Path
    failed_run_id: str
    log: Path

    def graphql(self, query: str) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer
        return answer["data"]


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"dagster-webserver not up after {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def build_in(instance: dg.DagsterInstance, home: Path, output: Path, inbox: Path) -> str:
    """`build_commune` for 76165 on `instance` (in `home`), then `subventions` again from a
    table whose grant is 0 €, and `irve` again from a national file without a row of the
    commune; returns the id of the failed run."""
    table = inbox / "76165" / "subventions_2022.csv"
    national_irve = PROJECT_ROOT / "data" / "sources" / "irve" / IRVE_SNAPSHOT
    header_only = home.parent / "irve_without_the_commune.csv"
    header_only.write_text(national_irve.read_text(encoding="utf-8").splitlines()[0] + "\n")
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("CLE_")]:
            patch.delenv(name)
        patch.setenv("DAGSTER_HOME", str(home))
        patch.setenv("CLE_OUTPUT_DIR", str(output))
        patch.setenv("CLE_INBOX_DIR", str(inbox))
        from cle_pipeline.definitions import defs

        definitions = defs()  # resources read the variables above
        job = definitions.resolve_job_def("build_commune")
        register_communes(instance, ["76165"])
        assert job.execute_in_process(instance=instance, partition_key="76165").success
        table.write_bytes(table.read_bytes().replace(GRANT, b"0"))
        failed = job.execute_in_process(
            instance=instance,
            partition_key="76165",
            asset_selection=[dg.AssetKey("subventions_inbox"), dg.AssetKey("subventions")],
            raise_on_error=False,
        )
        patch.setenv("CLE_SOURCE_IRVE", str(header_only))
        assert (
            defs()
            .resolve_job_def("build_commune")
            .execute_in_process(
                instance=instance, partition_key="76165", asset_selection=[dg.AssetKey("irve")]
            )
            .success
        )
    assert not failed.success
    return failed.run_id


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    root = tmp_path_factory.mktemp("ui")
    home, output, inbox = root / "dagster_home", root / "published", root / "inbox"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    shutil.copytree(PROJECT_ROOT / "data" / "inbox" / "76165", inbox / "76165")
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CLE_")}
    environment.update(DAGSTER_HOME=str(home), CLE_OUTPUT_DIR=str(output), CLE_INBOX_DIR=str(inbox))
    log = root / "webserver.log"
    command = [
        str(Path(sys.executable).with_name("dagster-webserver")),
        *("-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)),
    ]
    # The instance's SQLite storage is created here, before the server opens it too; the
    # server is started next, and loads the code location while the graph is built here.
    instance = dg.DagsterInstance.from_config(str(home))
    with log.open("wb") as output_log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its code server child is stopped with it
        )
    try:
        with instance:
            failed_run_id = build_in(instance, home, output, inbox)
        url = f"http://127.0.0.1:{port}"
        wait_for(url, process, log)
        server = Webserver(url, home, failed_run_id, log)
        # What the UI's "Skip" on its welcome dialog does: the dialog would cover the pages.
        server.graphql("mutation { setNuxSeen }")
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def by_name(nodes: list[dict]) -> dict[str, dict]:
    return {"/".join(node["assetKey"]["path"]): node for node in nodes}


def metadata(entries: list[dict]) -> dict[str, dict]:
    return {entry["label"]: entry for entry in entries}


def test_graphql_shows_every_asset_with_its_description_group_and_checks(webserver, definitions):
    graph = definitions.resolve_asset_graph()
    nodes = by_name(webserver.graphql(ASSET_NODES)["assetNodes"])
    assert set(nodes) == {key.to_user_string() for key in graph.get_all_asset_keys()}
    published = [name for name, node in nodes.items() if node["groupName"] == "published"]
    assert len(published) >= 11
    # Every check blocks its dataset but the warnings a dataset declares non-blocking.
    blocking = {key.to_user_string(): graph.get(key).blocking for key in graph.asset_check_keys}
    statuses = {}
    for name, node in nodes.items():
        assert node["groupName"] == graph.get(dg.AssetKey.from_user_string(name)).group_name
        assert node["description"], name
        assert node["kinds"], name
        if node["groupName"] not in BUILT_GROUPS:
            continue  # the publication, when there is one, is not run by build_commune
        assert node["automationCondition"] or name.endswith("_inbox"), name  # read when sent
        assert any(tag["key"] == "cadence" for tag in node["tags"]), name
        for check in node["assetChecksOrError"]["checks"]:
            execution = check["executionForLatestMaterialization"]
            statuses[f"{name}:{check['name']}"] = execution["status"] if execution else None
            assert check["description"], (name, check["name"])
            assert check["blocking"] == blocking[f"{name}:{check['name']}"], (name, check["name"])
    expected = {
        f"{key.asset_key.to_user_string()}:{key.name}": "SUCCEEDED"
        for key in graph.asset_check_keys
        if graph.get(key.asset_key).group_name in BUILT_GROUPS
    }
    assert statuses == {
        **expected,
        "subventions:amount_above_zero": "FAILED",
        "irve:commune_found": "FAILED",  # a warning: see below
    }

    for name in published:
        node = nodes[name]
        assert node["owners"] == [{"team": "donnees-ouvertes"}], name
        # Fresh means a checked file was published recently: the policy is on the release.
        assert node["internalFreshnessPolicy"] is None, name
        release = nodes[f"release/{name}"]
        assert release["owners"] == [{"team": "donnees-ouvertes"}], name
        assert release["internalFreshnessPolicy"] is not None or name.startswith("elections"), name
        [released] = release["assetMaterializations"]
        released_metadata = metadata(released["metadataEntries"])
        assert len(released_metadata["sha256"]["text"]) == 64, name
        assert released_metadata["published_file"]["path"].endswith(f"/76165/{name}.csv"), name
        [materialization] = node["assetMaterializations"]
        shown = metadata(materialization["metadataEntries"])
        assert shown["dagster/row_count"]["intValue"] > 0, name
        assert shown["dagster/column_schema"]["schema"]["columns"], name
        assert shown["preview"]["mdStr"].startswith("|"), name

    # Every source cut: its owners, its rows and (a frame's) columns.
    for name, node in nodes.items():
        if node["groupName"] not in ("commune_reference", "sources") or name == "commune":
            continue
        assert node["owners"] == [{"team": "donnees-ouvertes"}], name
        [materialization] = node["assetMaterializations"]
        shown = metadata(materialization["metadataEntries"])
        assert shown["dagster/row_count"]["intValue"] == shown["rows_for_commune"]["intValue"] or (
            name == "education_annuaire"  # its department's schools too, to place the commune's
        ), name
        if name != "commune_contours":  # polygons, not a table
            assert shown["dagster/column_schema"]["schema"]["columns"], name

    # irve, cut last from a national file without the commune: no row, and it says so, in its
    # metadata and in its check commune_found, a warning (a commune may have no charging point).
    [cut] = nodes["irve"]["assetMaterializations"]
    assert metadata(cut["metadataEntries"])["rows_for_commune"]["intValue"] == 0
    assert metadata(cut["metadataEntries"])["dagster/row_count"]["intValue"] == 0
    [found] = nodes["irve"]["assetChecksOrError"]["checks"]
    evaluation = found["executionForLatestMaterialization"]["evaluation"]
    assert (found["name"], found["blocking"], evaluation["severity"]) == (
        "commune_found",
        False,
        "WARN",
    )
    assert metadata(evaluation["metadataEntries"])["rows_for_commune"]["intValue"] == 0

    [failed] = [
        check
        for check in nodes["subventions"]["assetChecksOrError"]["checks"]
        if check["name"] == "amount_above_zero"
    ]
    evaluation = metadata(
        failed["executionForLatestMaterialization"]["evaluation"]["metadataEntries"]
    )
    assert evaluation["failing_rows"]["intValue"] == 1
    table = evaluation["failing_rows_sample"]["table"]
    assert [column["name"] for column in table["schema"]["columns"]] == FAILING_COLUMNS
    assert [json.loads(record) for record in table["records"]] == [
        dict(zip(FAILING_COLUMNS, FAILING_ROW, strict=True))
    ]


def test_graphql_shows_the_sensors_and_jobs_with_their_descriptions(webserver):
    [repository] = webserver.graphql(INSTIGATORS)["repositoriesOrError"]["nodes"]
    sensors = {sensor["name"]: sensor for sensor in repository["sensors"]}
    assert set(sensors) >= {
        "build_sources_and_datasets",
        "read_commune_inbox",
        "alert_on_failed_checks_and_runs",
        "alert_on_stale_assets",
    }
    for name in ("build_sources_and_datasets", "read_commune_inbox", "alert_on_stale_assets"):
        assert sensors[name]["sensorState"]["status"] == "RUNNING", name
        assert len(sensors[name]["description"]) > 80, name
    jobs = {job["name"]: job for job in repository["jobs"]}
    assert "Ne publie rien" in jobs["build_commune"]["description"]


def test_make_ui_runs_dg_dev_and_explains_its_warning():
    """`dagster dev` prints at every start that `dg dev` supersedes it; `dg dev` warns that the
    top-level `dagster.yaml` "will not be used" (DAGSTER_HOME is `.dagster/`, where the Makefile
    copies it): `make ui` says so before."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "ui"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = dry_run.stdout.splitlines()
    assert lines[-1] == ".venv/bin/dg dev --host 127.0.0.1 --port 3000"
    assert "'will not be used': it is, as copied into DAGSTER_HOME=.dagster" in lines[-2]
    assert (PROJECT_ROOT / "dagster.yaml").is_file()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = (
            "Debian's chromium and chromium-driver are not installed (make test installs "
            "them with apt-get when run as root: apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        # Both paths given: Selenium Manager never looks for, nor downloads, a browser.
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def wait_until(driver, condition, seconds: float = 30):
    """`condition(driver)` once it is truthy (Selenium's WebDriverWait)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.25).until(condition)


def test_the_asset_graph_shows_every_published_dataset(webserver, browser, definitions, tmp_path):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By

    graph = definitions.resolve_asset_graph()
    datasets = sorted(
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "published"
    )
    browser.get(f"{webserver.url}/locations/cle_pipeline/asset-groups/published")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "svg foreignObject"))

    def names_in_view(driver) -> set[str]:
        """The datasets whose node (title in full) lies wholly inside the window."""
        boxes = driver.execute_script(
            """return [...document.querySelectorAll('svg foreignObject')].map(node => {
                 const box = node.getBoundingClientRect();
                 const text = node.firstElementChild?.innerText ?? '';
                 return [text, box.top, box.bottom, box.left, box.right];
               });"""
        )
        height, width = driver.execute_script("return [innerHeight, innerWidth];")
        return {
            name
            for text, top, bottom, left, right in boxes
            for name in datasets
            if name in text.split() and top >= 0 and bottom <= height and 0 <= left < right <= width
        }

    # The graph opens zoomed in on part of the group: zoom out until every dataset's node is in
    # the window, with its name in full.
    for _ in range(6):
        try:
            wait_until(browser, lambda d: names_in_view(d) == set(datasets), seconds=3)
            break
        except TimeoutException:
            browser.find_element(By.CSS_SELECTOR, "[aria-label='zoom_out']").click()
    # Each node then loads its latest materialization and check results.
    body = browser.find_element(By.TAG_NAME, "body")
    wait_until(browser, lambda d: "Loading" not in body.text and body.text.count("Passed") >= 11)
    shot = tmp_path / "asset_graph_published.png"
    browser.save_screenshot(str(shot))
    assert names_in_view(browser) == set(datasets), f"see {shot}"
    subventions_checks = [
        key for key in graph.asset_check_keys if key.asset_key.path == ["subventions"]
    ]
    passed = len(subventions_checks) - 1  # amount_above_zero failed
    assert f"{passed} / {len(subventions_checks)} Passed" in body.text
    assert shot.stat().st_size > 50_000


def test_a_failed_check_shows_its_failing_rows_in_the_browser(webserver, browser, tmp_path):
    """The failing rows of a failed check are a table on the page itself, nothing to click:
    the header and the row, each value exactly as it is."""
    from selenium.webdriver.common.by import By

    def page_text(driver) -> str:
        return driver.find_element(By.TAG_NAME, "body").text

    browser.get(f"{webserver.url}/assets/subventions?view=checks")
    shot = tmp_path / "failed_check.png"
    row = f"//tr[td[normalize-space()='{FAILING_ROW[1]}']]"
    try:
        wait_until(browser, lambda d: "amount_above_zero" in page_text(d))
        browser.find_element(By.XPATH, "//*[normalize-space()='amount_above_zero']").click()
        wait_until(browser, lambda d: d.find_elements(By.XPATH, row))
    finally:
        browser.save_screenshot(str(shot))
    cells = browser.find_element(By.XPATH, row).find_elements(By.TAG_NAME, "td")
    assert [cell.text for cell in cells] == FAILING_ROW, f"see {shot}"
    table = browser.find_element(By.XPATH, f"{row}/ancestor::table[1]")
    header = [cell.text for cell in table.find_elements(By.TAG_NAME, "th")]
    assert header == FAILING_COLUMNS, f"see {shot}"
    body = page_text(browser)
    assert "Failed" in body and "failing_rows" in body


def body_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def test_a_source_without_a_row_for_the_commune_says_so_in_the_browser(
    webserver, browser, tmp_path
):
    """The page of `irve`: its French description ending with its next refresh, the link that
    opens its code, and its last cut, from a file without a row of the commune: 0 rows, and its
    check `commune_found` failed as a warning."""
    from selenium.webdriver.common.by import By

    browser.get(f"{webserver.url}/assets/irve")
    shot = tmp_path / "source_without_rows.png"
    row = "//tr[td[normalize-space()='rows_for_commune']]"
    try:
        wait_until(browser, lambda d: d.find_elements(By.XPATH, row))
    finally:
        browser.save_screenshot(str(shot))
    assert browser.find_element(By.XPATH, row).find_elements(By.TAG_NAME, "td")[-1].text == "0"
    shown = [
        "Les points de recharge de la commune dans la consolidation nationale IRVE",
        "Prochaine actualisation : chaque jour à 6 h (heure de Paris",
        "Source code\nOpen\nirve.py\nin editor",  # the code reference of definitions.py
    ]
    body = browser.find_element(By.TAG_NAME, "body")
    try:
        wait_until(browser, lambda d: all(text in body.text for text in shown), seconds=10)
    except Exception:
        (tmp_path / "source_without_rows.txt").write_text(body.text)
        raise

    # Its check says, on the Checks tab, that the commune was not found: a warning (its icon),
    # with why, for which commune, and the count.
    browser.get(f"{webserver.url}/assets/irve?view=checks")
    shot = tmp_path / "source_without_rows_check.png"
    try:
        wait_until(browser, lambda d: "Evaluation result" in body_text(d))
    finally:
        browser.save_screenshot(str(shot))
    text = body_text(browser)
    for shown in (
        "commune_found\nFailed",
        "This is a non-blocking asset check.",
        "Aucune ligne pour la commune : beaucoup de communes n'ont aucun point de recharge",
        "Evaluation result\nFailed",
        "Partition\n76165",
        "rows_for_commune 0",
    ):
        assert shown in text, f"{shown!r}, see {shot}"
    # Dagster's icon of a failed check of severity WARN (an error's is `cancel`).
    assert browser.find_elements(By.CSS_SELECTOR, "[aria-label='warning_outline']"), f"see {shot}"


CHART_SHOTS = PROJECT_ROOT / "test-artefacts" / "ui"
SHOWN_CHARTS = """return [...document.images]
  .filter(image => new URL(image.src).pathname.startsWith('/logs/cle_pipeline/graphiques/'))
  .map(image => [image.alt, image.complete, image.naturalWidth]);"""
CHART_LINKS = """return [...document.querySelectorAll('a[href^="/logs/cle_pipeline/graphiques/"]')]
  .map(link => link.href);"""


@pytest.mark.parametrize(
    ("family", "page"),
    [
        *[(family, "") for family, _, _ in chart_families()],
        ("conseil_municipal", "?view=partitions&partition=76165"),
    ],
)
def test_each_chart_shows_on_its_asset_page_without_a_click(webserver, browser, family, page):
    """The asset page of each chart family (Overview: its latest materialization; Partitions:
    a commune's) shows every chart as an image, loaded from the webserver, at the SVG's width;
    nothing hides behind "[Show Markdown]"."""
    from selenium.webdriver.common.by import By

    folder = webserver.home.parent / "published" / "76165" / CHARTS_FOLDER
    [names] = [names for name, _, names in chart_families() if name == family]
    expected = {}
    for name in names:
        title = json.loads((folder / f"{name}.vl.json").read_text(encoding="utf-8"))["title"]
        width = re.search(r'<svg[^>]* width="(\d+)"', (folder / f"{name}.svg").read_text())
        expected[title["text"]] = [True, int(width[1])]
    browser.get(f"{webserver.url}/assets/{CHARTS_FOLDER}/{family}{page}")
    CHART_SHOTS.mkdir(parents=True, exist_ok=True)
    shot = CHART_SHOTS / f"{family}{'_partition' if page else ''}.png"

    def shown(driver) -> dict[str, list]:
        images = {alt: [done, width] for alt, done, width in driver.execute_script(SHOWN_CHARTS)}
        return images if images == expected else {}

    try:
        wait_until(browser, shown)
    finally:
        browser.save_screenshot(str(shot))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "[Show Markdown]" not in body, f"see {shot}"
    assert all(f"{name}/donnees" in body for name in names), f"see {shot}"
    # Under each chart, its PNG, SVG and spec: each link answers with the file the asset wrote.
    links = browser.execute_script(CHART_LINKS)
    assert len(links) == 3 * len(names), f"see {shot}"
    for link in links:
        stem_and_digest, extension = urllib.parse.urlparse(link).path.split("/")[-2:]
        with urllib.request.urlopen(link, timeout=30) as response:
            served = response.read()
        assert served == (folder / f"{stem_and_digest.rsplit('.', 1)[0]}.{extension}").read_bytes()
