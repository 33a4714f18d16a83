"""What the UI shows of the code: descriptions in French, and a link to each asset's code.

The users are French communes: every description the UI shows of an asset, a check or a
column is in French (the code and its comments stay in English). The definition panel of every
asset opens the file and line of its code.
"""

import importlib
import re
from pathlib import Path

import dagster as dg
import pandera.pandas as pa
import pytest

import cle_pipeline.definitions as definitions_module
from cle_pipeline.definitions import with_code_references
from cle_pipeline.lib.metadata import column_schema
from cle_pipeline.lib.sheet import DATASETS_PACKAGE, dataset_ids

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
    english = {}
    for checks in definitions.asset_checks or []:
        for spec in checks.check_specs:
            assert spec.description, spec.key
            if words := english_words(spec.description):
                english[f"{spec.asset_key.to_user_string()}:{spec.name}"] = words
    assert english == {}


def dataset_models() -> list[type[pa.DataFrameModel]]:
    models = []
    for dataset_id in dataset_ids():
        module = importlib.import_module(f"{DATASETS_PACKAGE}.{dataset_id}.schema")
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
    line = line_of(
        irve, "def irve(commune: Commune, sources: SourceFetcher) -> dg.Output[pd.DataFrame]:"
    )
    (reference,) = code_references(linked, "irve")
    assert reference == dg.UrlCodeReference(
        url="https://github.com/example/cle-pipeline/tree/main/cle_pipeline/defs/sources/irve.py"
        f"#L{line - 1}"
    )
