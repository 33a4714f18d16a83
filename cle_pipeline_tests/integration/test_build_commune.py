"""The whole graph from the embedded snapshots: modes, communes and bad input end to end."""

import hashlib
import importlib
import json
import pkgutil
from urllib.parse import urlparse

import dagster as dg
import pytest

import cle_pipeline.defs.sources as sources_package
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import check_outcomes, failure_messages
from cle_pipeline_tests.http_server import LocalServer, local_server

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"


def published_datasets(definitions: dg.Definitions) -> list[str]:
    graph = definitions.resolve_asset_graph()
    return sorted(
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "published"
    )


def all_sources() -> list[Source]:
    modules = [
        importlib.import_module(f"{sources_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(sources_package.__path__)
    ]
    return [
        module.SOURCE for module in modules if isinstance(getattr(module, "SOURCE", None), Source)
    ]


def published_files(folder) -> dict[str, str]:
    """The datasets' CSV files of a folder, not their companions (`<id>.changements.csv`)."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.csv"))
        if "." not in path.stem
    }


def mirror_official_locations(server: LocalServer, commune: str) -> dict[str, str]:
    """Serves every snapshot at the path of its official URL (and the data.gouv.fr API records
    of resolved sources), and returns the URL rewrites that send the fetcher there."""
    rewrites = {}
    for source in all_sources():
        snapshot = SNAPSHOTS / source.id / source.snapshot.format(commune=commune)
        if not snapshot.is_file():  # paged APIs have their own online tests
            continue
        if source.url:
            official = urlparse(source.url.format(commune=commune))
            path = official.path + (f"?{official.query}" if official.query else "")
            server.serve(path, snapshot.read_bytes())
            rewrites[f"{official.scheme}://{official.netloc}"] = server.url
        else:
            file_url = server.serve(f"/files/{snapshot.name}", snapshot.read_bytes())
            sha1 = hashlib.sha1(snapshot.read_bytes()).hexdigest()
            resource = {
                "title": snapshot.name,
                "url": file_url,
                "last_modified": "2022-11-01",
                "checksum": {"type": "sha1", "value": sha1},
            }
            dataset = source.page.rstrip("/").rsplit("/", 1)[-1]
            server.serve(
                f"/api/1/datasets/{dataset}/", json.dumps({"resources": [resource]}).encode()
            )
            rewrites["https://www.data.gouv.fr"] = server.url
    return rewrites


def test_every_dataset_builds_with_every_check_passing_for_caudebec(
    materialize, definitions, tmp_path
):
    datasets = published_datasets(definitions)
    result = materialize(*datasets)
    outcomes = check_outcomes(result)
    assert outcomes and all(outcomes.values()), outcomes
    assert sorted(published_files(tmp_path / "published" / "76165")) == [
        f"{d}.csv" for d in datasets
    ]


@pytest.mark.parametrize("commune", ["76231", "2A004", "97411"])
def test_other_communes_of_the_snapshots_build_too(materialize, definitions, tmp_path, commune):
    # Elbeuf for every dataset; the far-away communes for the first three sources' datasets.
    datasets = published_datasets(definitions) if commune == "76231" else ["naissances_deces"]
    result = materialize(*datasets, commune=commune)
    failed = [name for name, passed in check_outcomes(result).items() if not passed]
    # Elbeuf sent no completion of its defibrillators: the WARN check says so, nothing blocks.
    assert failed == (["defibrillateurs:withheld_fields_completed"] if commune == "76231" else [])
    assert (tmp_path / "published" / commune / f"{datasets[0]}.csv").exists()


def test_online_mode_against_a_local_server_gives_the_snapshot_output(materialize, tmp_path):
    datasets = ["naissances_deces", "bornes_recharge", "associations"]
    materialize(*datasets)
    expected = published_files(tmp_path / "published" / "76165")
    (tmp_path / "published").rename(tmp_path / "from_snapshots")
    with local_server() as server:
        online = SourceFetcher(
            mode="online",
            cache_dir=str(tmp_path / "cache"),
            url_rewrites=mirror_official_locations(server, "76165"),
        )
        result = materialize(*datasets, sources=online)
    assert all(check_outcomes(result).values())
    assert published_files(tmp_path / "published" / "76165") == expected
    requested = {path.split("?")[0] for path, _ in server.requests}
    assert "/fr/datasets/r/eb76d20a-8501-400e-b336-d85724de5435" in requested
    assert "/api/1/datasets/repertoire-national-des-associations/" in requested


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id_pdc_itinerance,nom_station\nX,Y\n", "missing column"),
        (b"", "empty file"),
        (b"nom_amenageur;code_insee_commune\n", "single column"),
    ],
)
def test_a_broken_national_file_fails_clearly_and_keeps_the_last_good_file(
    materialize, tmp_path, content, message
):
    materialize("bornes_recharge")
    published = tmp_path / "published" / "76165" / "bornes_recharge.csv"
    good = published.read_bytes()
    broken = tmp_path / "irve-broken.csv"
    broken.write_bytes(content)
    result = materialize("bornes_recharge", raise_on_error=False, overrides={"irve": str(broken)})
    assert not result.success
    error = failure_messages(result)["irve"]
    assert "irve-broken.csv" in error and message in error
    assert published.read_bytes() == good


@pytest.mark.parametrize(
    ("commune", "message"),
    [("99999", "no current commune has this code"), ("7616", "is not an INSEE commune code")],
)
def test_an_unknown_or_malformed_commune_is_a_clear_error(materialize, commune, message):
    result = materialize("naissances_deces", commune=commune, raise_on_error=False)
    assert not result.success
    assert message in failure_messages(result)["cog_communes"]
