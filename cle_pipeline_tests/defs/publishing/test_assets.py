"""The publication assets: one per published dataset, found with no registration."""

import dagster as dg

from cle_pipeline.defs.publishing.sheets import dataset_ids


def test_every_published_dataset_has_its_publication_asset(definitions):
    graph = definitions.resolve_asset_graph()
    groups = {key: graph.get(key).group_name for key in graph.get_all_asset_keys()}
    published = sorted(
        key.to_user_string() for key, group in groups.items() if group == "published"
    )
    assert published == dataset_ids()
    publications = sorted(key for key, group in groups.items() if group == "publication")
    # One per dataset, and the site declared as a reuse (defs/valorisation/reuse.py).
    assert publications == sorted(
        [
            *[dg.AssetKey(["datagouv", f"publication_{name}"]) for name in published],
            dg.AssetKey(["datagouv", "site"]),
        ]
    )
    for name in published:
        node = graph.get(dg.AssetKey(["datagouv", f"publication_{name}"]))
        assert node.parent_keys == {dg.AssetKey(["release", name])}


def test_only_the_publication_job_publishes(definitions):
    def selected(job_name: str) -> set[str]:
        job = definitions.resolve_job_def(job_name)
        return {key.to_user_string() for key in job.asset_layer.executable_asset_keys}

    publications = {f"datagouv/publication_{name}" for name in dataset_ids()} | {"datagouv/site"}
    assert selected("publish_datagouv") == publications
    assert not selected("build_commune") & publications


def test_a_publication_asset_is_labelled_as_one_and_says_how_to_turn_publication_on(definitions):
    node = definitions.resolve_asset_graph().get(
        dg.AssetKey(["datagouv", "publication_bornes_recharge"])
    )
    assert node.key.to_user_string() != "bornes_recharge"
    for variable in ("DATAGOUV_API_KEY", "DATAGOUV_ORGANIZATION", "make publish"):
        assert variable in node.description
    assert "publish_checked_datasets" in node.description
