"""The code location loads, and its graph is the one we mean to ship.

`graph.txt` lists every asset with its group, partitions and checks, and every job, schedule and
sensor: a change to the graph shows in review as a change to that file. After an intended
change, rewrite it with `UPDATE_GRAPH_SNAPSHOT=1 make test`.

What the UI shows of the code is tested here too, so that every change to the graph meets it:
every description of an asset, a check or a column is in French (the users are French
communes; the code and its comments stay in English), and every asset's definition panel
opens the file and line of its code.
"""

import importlib
import os
import re
from pathlib import Path

import dagster as dg
import pandera.pandas as pa
import pytest

import cle_pipeline.definitions as definitions_module
from cle_pipeline.definitions import with_code_references
from cle_pipeline.defs import datasets
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.lib.metadata import column_schema

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


# Words of any English sentence that French never uses as words (identifiers between
# backticks, such as `opening_hours`, are left out of the test).
ENGLISH_WORDS = {"the", "and", "of", "with", "when", "every", "is", "are", "which", "from"}
PUBLICATION_GROUP = "publication"  # its descriptions are the publication's own (partitions)


def english_words(text: str) -> set[str]:
    prose = re.sub(r"`[^`]*`", " ", text)
    return {word for word in re.findall(r"[A-Za-z]+", prose) if word.lower() in ENGLISH_WORDS}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The commune's charging points, every column as text.", {"The", "every"}),
        ("Les points de recharge de la commune (`id_pdc_itinerance`, `is_active`).", set()),
    ],
)
def test_the_english_detector(text, found):
    assert english_words(text) == found


def test_every_asset_is_described_in_french(definitions):
    graph = definitions.resolve_asset_graph()
    english = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.group_name == PUBLICATION_GROUP:
            continue
        assert node.description, key
        if words := english_words(node.description):
            english[key.to_user_string()] = words
    assert english == {}


def test_every_check_is_described_in_french(definitions):
    # The graph's checks: those of the datasets and those declared on the sources themselves.
    graph = definitions.resolve_asset_graph()
    english = {}
    for key in graph.asset_check_keys:
        description = graph.get(key).description
        assert description, key
        if words := english_words(description):
            english[key.to_user_string()] = words
    assert len(graph.asset_check_keys) > 90
    assert english == {}


def test_every_job_and_sensor_is_described_in_french(definitions):
    instigators = [*definitions.resolve_all_job_defs(), *(definitions.sensors or [])]
    english = {}
    for instigator in instigators:
        if instigator.name.startswith("__"):
            continue  # Dagster's implicit asset job
        assert instigator.description, instigator.name
        if words := english_words(instigator.description):
            english[instigator.name] = words
    assert len(english) + len(instigators) > 5
    assert english == {}


def dataset_models() -> list[type[pa.DataFrameModel]]:
    models = []
    for dataset_id in dataset_ids():
        module = importlib.import_module(f"{datasets.__name__}.{dataset_id}.schema")
        models += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, pa.DataFrameModel)
            and value.__module__ == module.__name__
        ]
    return models


def test_every_published_column_is_described_in_french():
    english = {}
    for model in dataset_models():
        for column in column_schema(model).columns:
            assert column.description, (model.__name__, column.name)
            if words := english_words(column.description):
                english[f"{model.__name__}.{column.name}"] = words
    assert len(dataset_models()) == len(dataset_ids())
    assert english == {}


def test_the_dataset_description_keeps_the_sheet_and_the_docstring(definitions):
    description = definitions.resolve_asset_graph().get(dg.AssetKey("bornes_recharge")).description
    assert description.startswith(
        "**Bornes de recharge pour véhicules électriques.** Une ligne par point de recharge (PDC)"
    )
    assert "\n\nConstruit depuis `irve` : une ligne par point de charge" in description


def code_references(definitions: dg.Definitions, key: str) -> list:
    metadata = definitions.resolve_asset_graph().get(dg.AssetKey.from_user_string(key)).metadata
    return metadata["dagster/code_references"].code_references


def test_every_asset_points_to_the_decorator_of_its_function(definitions):
    keys = definitions.resolve_asset_graph().get_all_asset_keys()
    assert len(keys) > 40
    for key in keys:
        (reference,) = code_references(definitions, key.to_user_string())
        assert isinstance(reference, dg.LocalFileCodeReference), key
        lines = Path(reference.file_path).read_text().splitlines()
        following = lines[reference.line_number - 1 : reference.line_number + 20]
        assert following[0].lstrip().startswith("@"), (key, following[0])
        assert any(line.lstrip().startswith("def ") for line in following), key


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line == text)


def test_a_known_repository_turns_references_into_links_to_its_main_branch():
    loaded = dg.load_from_defs_folder(path_within_project=Path(definitions_module.__file__).parent)
    linked = with_code_references(loaded, "https://github.com/example/cle-pipeline")
    irve = Path(importlib.import_module("cle_pipeline.defs.sources.irve").__file__)
    # The decorator of `def irve(`, written over several lines.
    line = line_of(irve, "@commune_asset(")
    following = irve.read_text().splitlines()[line:]
    assert next(text for text in following if text.startswith("def ")).startswith("def irve(")
    (reference,) = code_references(linked, "irve")
    assert reference == dg.UrlCodeReference(
        url="https://github.com/example/cle-pipeline/tree/main/cle_pipeline/defs/sources/irve.py"
        f"#L{line}"
    )
