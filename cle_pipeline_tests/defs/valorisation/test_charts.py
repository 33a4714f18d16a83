"""The chart families: their tables from the released CSV (exact values), and the assets that
render them to SVG and PNG and show them in their metadata."""

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.valorisation.charts import (
    CHARTS_FOLDER,
    council_charts,
    election_charts,
    function_category,
)
from cle_pipeline.lib.charts import Chart, field, render
from cle_pipeline.lib.ui_files import MARKDOWN_SHOWN_IN_PLACE
from cle_pipeline_tests.conftest import materialize_into

CHART_ASSETS = [
    "graphiques/elections",
    "graphiques/conseil_municipal",
    "graphiques/effectifs_scolaires",
    "graphiques/naissances_deces",
]


def text_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=str)


def station(tour, bureau, inscrits, votants, nom, prenom, voix, nuance=""):
    return {
        "tour": tour,
        "code_bureau": bureau,
        "inscrits": inscrits,
        "votants": votants,
        "nom": nom,
        "prenom": prenom,
        "voix": voix,
        "nuance": nuance,
    }


RESULTS = text_frame(
    [
        station("1", "0001", "1000", "700", "MARTIN", "Claire", "300", "NUP"),
        station("1", "0001", "1000", "700", "LEROY", "Thomas", "350", "ENS"),
        station("1", "0002", "500", "250", "MARTIN", "Claire", "150", "NUP"),
        station("1", "0002", "500", "250", "LEROY", "Thomas", "90", "ENS"),
        station("2", "0001", "1000", "600", "LEROY", "Thomas", "590", "ENS"),
    ]
)


def test_election_charts_sum_votes_per_candidate_station_and_turnout():
    charts = {
        chart.name: chart for chart in election_charts(RESULTS, "elections_presidentielle_2022")
    }
    assert list(charts) == [
        "elections_presidentielle_2022_t1_voix",
        "elections_presidentielle_2022_t1_bureaux",
        "elections_presidentielle_2022_t2_voix",
        "elections_presidentielle_2022_t2_bureaux",
        "elections_presidentielle_2022_participation",
    ]
    assert charts["elections_presidentielle_2022_t1_voix"].data.to_dict("records") == [
        {"Candidat": "Claire MARTIN", "Voix": 450},
        {"Candidat": "Thomas LEROY", "Voix": 440},
    ]
    assert charts["elections_presidentielle_2022_t1_bureaux"].data.to_dict("records")[1] == {
        "Bureau de vote": "0001",
        "Candidat": "Thomas LEROY",
        "Voix": 350,
    }
    assert charts["elections_presidentielle_2022_participation"].data.to_dict("records") == [
        {"Tour": "1er tour", "Bureau de vote": "0001", "Participation": 70.0},
        {"Tour": "1er tour", "Bureau de vote": "0002", "Participation": 50.0},
        {"Tour": "2d tour", "Bureau de vote": "0001", "Participation": 60.0},
    ]


def test_legislative_charts_count_votes_per_nuance():
    [first, *_] = election_charts(RESULTS, "elections_legislatives_2022")
    assert first.title == "Législatives 2022, 1er tour : voix par nuance dans la commune"
    assert first.data.to_dict("records") == [
        {"Nuance": "NUP", "Voix": 450},
        {"Nuance": "ENS", "Voix": 440},
    ]


@pytest.mark.parametrize(
    ("function", "category"),
    [
        ("Maire", "Maire"),
        ("Maire délégué", "Maire délégué"),
        ("1er adjoint au Maire", "Adjoint au maire"),
        ("9ème adjoint au Maire", "Adjoint au maire"),
        ("Conseiller municipal", "Conseiller municipal"),
    ],
)
def test_functions_are_grouped_by_kind(function, category):
    assert function_category(function) == category


def test_council_charts_count_seats_by_function_and_sex():
    council = text_frame(
        [
            {"fonction": "Maire", "sexe": "F"},
            {"fonction": "1er adjoint au Maire", "sexe": "M"},
            {"fonction": "2ème adjoint au Maire", "sexe": "F"},
            {"fonction": "Conseiller municipal", "sexe": "M"},
        ]
    )
    functions, parity = council_charts(council)
    assert functions.data.to_dict("records") == [
        {"Fonction": "Maire", "Sexe": "Femmes", "Sièges": 1},
        {"Fonction": "Adjoint au maire", "Sexe": "Hommes", "Sièges": 1},
        {"Fonction": "Adjoint au maire", "Sexe": "Femmes", "Sièges": 1},
        {"Fonction": "Conseiller municipal", "Sexe": "Hommes", "Sièges": 1},
    ]
    assert parity.data.to_dict("records") == [
        {"Sexe": "Femmes", "Sièges": 2},
        {"Sexe": "Hommes", "Sièges": 2},
    ]


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Iterator[dg.DagsterInstance]:
    """An instance as `make demo` and `make ui` have: its step logs in its storage folder."""
    home = tmp_path_factory.mktemp("dagster_home")
    with dg.DagsterInstance.local_temp(str(home)) as local:
        yield local


@pytest.fixture(scope="module")
def rendered(definitions, tmp_path_factory, instance) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("charts")
    selection = dg.AssetSelection.assets(
        *[dg.AssetKey.from_user_string(key) for key in CHART_ASSETS]
    ).upstream()
    result = materialize_into(definitions, root, selection, instance=instance)
    return root / "published" / "76165" / CHARTS_FOLDER, result


def test_each_chart_is_rendered_to_svg_and_png_with_its_spec(rendered):
    folder, _ = rendered
    stems = sorted(path.name.removesuffix(".vl.json") for path in folder.glob("*.vl.json"))
    assert len(stems) == 15
    for stem in stems:
        spec = json.loads((folder / f"{stem}.vl.json").read_text(encoding="utf-8"))
        svg = (folder / f"{stem}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        # The title is drawn (as text, readable by a screen reader in the page's SVG).
        assert spec["title"]["text"].replace("'", "&#39;") in svg or spec["title"]["text"] in svg
        assert (folder / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "url" not in spec["data"]  # data inline, never fetched


def test_births_and_deaths_chart_holds_the_released_figures(rendered):
    folder, _ = rendered
    spec = json.loads((folder / "naissances_deces.vl.json").read_text(encoding="utf-8"))
    values = spec["data"]["values"]
    assert values[0] == {"Année": "2008", "Événement": "Naissances", "Nombre": 131}
    assert {"Année": "2008", "Événement": "Décès", "Nombre": 92} in values
    assert spec["title"]["text"] == "Naissances et décès domiciliés dans la commune, par année"
    assert spec["title"]["subtitle"] == (
        "Source : INSEE, état civil (naissances et décès par année, cle-pipeline)"
    )


def test_the_council_chart_counts_the_released_council(rendered):
    folder, _ = rendered
    spec = json.loads((folder / "elus_parite.vl.json").read_text(encoding="utf-8"))
    assert spec["data"]["values"] == [
        {"Sexe": "Femmes", "Sièges": 16},
        {"Sexe": "Hommes", "Sièges": 18},
    ]


def test_each_chart_shows_in_its_asset_metadata_as_an_image_and_a_table(rendered, instance):
    """The image by a URL of the UI's webserver, short enough for the UI to show it in place,
    with links to its files; then its data table."""
    folder, result = rendered
    materializations = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    council = materializations["graphiques/conseil_municipal"]
    assert council["charts"].value == 2
    markdown = council["elus_parite"].value
    urls = re.findall(r"\]\((/logs/[^)]+)\)", markdown)
    svg, png, svg_again, spec = urls
    assert markdown == (
        f"![Conseil municipal : parité (sièges par sexe)]({svg})\n\n"
        f"Télécharger : [PNG]({png}) · [SVG]({svg}) · [spécification Vega-Lite]({spec})"
    )
    assert svg == svg_again
    assert re.fullmatch(r"/logs/cle_pipeline/graphiques/76165/elus_parite\.[0-9a-f]{16}/svg", svg)
    for url, name in [
        (svg, "elus_parite.svg"),
        (png, "elus_parite.png"),
        (spec, "elus_parite.vl.json"),
    ]:
        [*log_key, extension] = url.removeprefix("/logs/").split("/")
        served = Path(instance.compute_log_manager.get_captured_local_path(log_key, extension))
        assert served.read_bytes() == (folder / name).read_bytes(), name
    table = council["elus_parite/donnees"]
    assert [record.data for record in table.records] == [
        {"Sexe": "Femmes", "Sièges": "16"},
        {"Sexe": "Hommes", "Sièges": "18"},
    ]
    elections = materializations["graphiques/elections"]
    assert elections["charts"].value == 10
    for metadata in (materializations[key] for key in CHART_ASSETS):
        shown = [
            value for value in metadata.values() if isinstance(value, dg.MarkdownMetadataValue)
        ]
        assert len(shown) == metadata["charts"].value
        assert all(len(value.value) < MARKDOWN_SHOWN_IN_PLACE for value in shown)


def test_without_local_step_logs_the_chart_is_inline_in_its_markdown(tmp_path):
    """An instance whose webserver could not serve the file (here an ephemeral one): the SVG
    itself, as a data: URI, behind the UI's "[Show Markdown]"."""
    chart = Chart(
        name="naissances_deces",
        title="Naissances et décès",
        source="INSEE",
        data=pd.DataFrame({"Année": ["2021"], "Nombre": [3]}),
        mark={"type": "bar"},
        encoding={"x": field("Année", "ordinal"), "y": field("Nombre", "quantitative")},
    )
    item = render(chart, tmp_path)
    metadata = item.metadata(dg.DagsterInstance.ephemeral(), [CHARTS_FOLDER, "76165"])
    svg = base64.b64encode(item.svg.read_bytes()).decode("ascii")
    assert metadata["naissances_deces"].value == (
        f"![Naissances et décès](data:image/svg+xml;base64,{svg})"
    )
    assert [record.data for record in metadata["naissances_deces/donnees"].records] == [
        {"Année": "2021", "Nombre": "3"}
    ]
