"""Images served to the Dagster UI: copied where dagster-webserver reads `/logs/<key…>/<ext>`,
named by their content; markdown the UI shows in place."""

from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.lib.ui_files import MARKDOWN_SHOWN_IN_PLACE, markdown_shown_in_place, served_url

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
SVG_DIGEST = "437ee613687b95a6"  # sha256 of SVG, first 16 hex digits


@pytest.fixture
def instance(tmp_path: Path):
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as local:
        yield local


def webserver_path(instance: dg.DagsterInstance, url: str) -> Path:
    """The file dagster-webserver answers `url` with (its download_captured_logs_endpoint)."""
    [*log_key, extension] = url.removeprefix("/logs/").split("/")
    return Path(instance.compute_log_manager.get_captured_local_path(log_key, extension))


def test_a_file_is_copied_where_the_webserver_serves_it_under_its_content(instance, tmp_path):
    chart = tmp_path / "elus_parite.svg"
    chart.write_bytes(SVG)
    url = served_url(instance, ["graphiques", "76165"], chart)
    assert url == f"/logs/cle_pipeline/graphiques/76165/elus_parite.{SVG_DIGEST}/svg"
    served = webserver_path(instance, url)
    assert served.read_bytes() == SVG
    assert served.is_relative_to(tmp_path / "home" / "storage")
    # The same image again: the same file; another image: another file, the first one kept.
    assert served_url(instance, ["graphiques", "76165"], chart) == url
    chart.write_bytes(SVG.replace(b'"4"', b'"5"'))
    changed = served_url(instance, ["graphiques", "76165"], chart)
    assert changed != url
    assert webserver_path(instance, changed).read_bytes() == chart.read_bytes()
    assert served.read_bytes() == SVG


def test_a_double_suffix_keeps_its_last_extension(instance, tmp_path):
    spec = tmp_path / "naissances_deces.vl.json"
    spec.write_text("{}\n")
    url = served_url(instance, ["graphiques", "76165"], spec)
    assert url is not None
    assert url.startswith("/logs/cle_pipeline/graphiques/76165/naissances_deces.vl.")
    assert url.endswith("/json")
    assert webserver_path(instance, url).name.endswith(".json")


def test_an_instance_without_local_logs_serves_nothing(tmp_path):
    chart = tmp_path / "elus_parite.svg"
    chart.write_bytes(SVG)
    assert served_url(dg.DagsterInstance.ephemeral(), ["graphiques", "76165"], chart) is None


def test_markdown_the_ui_would_hide_behind_a_button_is_refused():
    shown = "x" * (MARKDOWN_SHOWN_IN_PLACE - 1)
    assert markdown_shown_in_place(shown).value == shown
    with pytest.raises(ValueError, match="1000 characters of markdown"):
        markdown_shown_in_place(shown + "x")
