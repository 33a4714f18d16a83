"""The code location loads, and its graph is the one we mean to ship.

`graph.txt` lists every asset with its group, partitions and checks, and every job, schedule and
sensor: a change to the graph shows in review as a change to that file. After an intended
change, rewrite it with `UPDATE_GRAPH_SNAPSHOT=1 make test`.
"""

import os
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).with_name("graph.txt")


def describe(definitions: dg.Definitions) -> str:
    graph = definitions.resolve_asset_graph()
    checks: dict[dg.AssetKey, list[str]] = {}
    for check_key in graph.asset_check_keys:
        checks.setdefault(check_key.asset_key, []).append(check_key.name)
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        upstream = ",".join(sorted(parent.to_user_string() for parent in node.parent_keys))
        partitions = node.partitions_def
        # Dynamic partitions by name (`commune`), anything else by its kind.
        by = f" per {getattr(partitions, 'name', None) or type(partitions).__name__}"
        lines.append(
            f"asset {key.to_user_string()} [{node.group_name}]{by if partitions else ''} "
            f"<- {upstream or '-'}"
        )
        lines += [f"  check {name}" for name in sorted(checks.get(key, []))]
    lines += [f"job {job.name}" for job in sorted(definitions.jobs or [], key=lambda j: j.name)]
    lines += [
        f"schedule {s.name}" for s in sorted(definitions.schedules or [], key=lambda s: s.name)
    ]
    lines += [f"sensor {s.name}" for s in sorted(definitions.sensors or [], key=lambda s: s.name)]
    return "\n".join(lines) + "\n"


def test_definitions_load_with_every_resource(definitions):
    definitions.resolve_all_job_defs()
    assert set(definitions.resources) >= {"settings", "sources"}


def test_the_graph_matches_its_snapshot(definitions):
    current = describe(definitions)
    if os.environ.get("UPDATE_GRAPH_SNAPSHOT"):
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), "graph changed: UPDATE_GRAPH_SNAPSHOT=1 make test"


def test_every_published_dataset_has_checks_a_description_and_owners(definitions):
    graph = definitions.resolve_asset_graph()
    checked = {check_key.asset_key for check_key in graph.asset_check_keys}
    published = [
        key for key in graph.get_all_asset_keys() if graph.get(key).group_name == "published"
    ]
    assert published
    for key in published:
        node = graph.get(key)
        assert key in checked, key
        assert node.description and node.owners, key
        assert "dataset" in node.tags, key
