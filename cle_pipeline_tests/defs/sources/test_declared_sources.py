"""Every source module declares its `SOURCE`, named like the module, found without a list."""

import importlib
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.defs import sources
from cle_pipeline.defs.automation.inbox import INBOX_FILES
from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.inbox import InboxSource
from cle_pipeline.lib.source_cut import COMMUNE_FOUND
from cle_pipeline_tests.conftest import check_outcomes, materialize_into

# Modules of defs/sources/ that are no source: a format several sources share.
SHARED = {"election_results"}
IRVE = (
    PROJECT_ROOT
    / "data"
    / "sources"
    / "irve"
    / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
)


def test_each_source_module_declares_its_source_under_its_name():
    modules = {path.stem for path in Path(sources.__file__).parent.glob("*.py")} - {"__init__"}
    assert set(declared_sources()) == modules - SHARED


def test_the_inbox_watches_what_the_inbox_sources_declare():
    inbox_sources = sorted(
        source.id for source in declared_sources().values() if isinstance(source, InboxSource)
    )
    assert inbox_sources == ["commerces_inbox", "defibrillateurs_inbox", "subventions_inbox"]
    assert [(kind.kind.pattern, kind.suffixes, kind.assets) for kind in INBOX_FILES] == [
        (r"commerces.*", (".csv", ".xlsx"), ("commerces_inbox",)),
        (r"defibrillateurs.*", (".csv", ".xlsx"), ("defibrillateurs_inbox",)),
        (r"subventions.*", (".csv", ".xlsx"), ("subventions_inbox",)),
        (r"commune", (".json",), ("subventions_inbox",)),
    ]


# Where the commune must be in the source (an error that blocks the datasets downstream) or
# may be missing (a warning); each module's `CUT` says why.
REQUIRED = {
    "annuaire_service_public": True,
    "cog_communes": True,
    "commerces_inbox": False,
    "commune_contours": True,
    "defibrillateurs_inbox": False,
    "education_annuaire": False,
    "education_effectifs_ecoles": False,
    "geodae": False,
    "insee_deces": True,
    "insee_naissances": True,
    "insee_populations_legales": True,
    "irve": False,
    "legislatives_2022_t1": True,
    "legislatives_2022_t2": False,
    "osm_commerces": False,
    "presidentielle_2022_t1": True,
    "presidentielle_2022_t2": True,
    "rna_waldec": False,
    "rne_conseillers_municipaux": True,
    "sirene_etablissements": True,
    "subventions_inbox": False,
}


def test_every_source_has_owners_and_its_commune_found_check(definitions):
    graph = definitions.resolve_asset_graph()
    blocking = {}
    for source_id in declared_sources():
        node = graph.get(dg.AssetKey(source_id))
        assert node.owners == ["team:donnees-ouvertes"], source_id
        [check] = [key for key in graph.asset_check_keys if key.asset_key == node.key]
        assert check.name == COMMUNE_FOUND
        blocking[source_id] = graph.get(check).blocking
    assert blocking == REQUIRED


def test_a_cut_shows_its_rows_and_the_columns_of_the_national_file(materialize):
    result = materialize("irve")
    [cut] = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey("irve")
    ]
    header = IRVE.read_text(encoding="utf-8").splitlines()[0].split(",")
    schema = cut.metadata["dagster/column_schema"].schema
    assert len(header) == 52
    assert [column.name for column in schema.columns] == header
    assert {column.type for column in schema.columns} == {"string"}
    assert [column.description for column in schema.columns[15:16]] == [
        "Identifiant du point de recharge (clé du jeu publié)"
    ]
    assert (cut.metadata["dagster/row_count"].value, cut.metadata["rows_for_commune"].value) == (
        7,
        7,
    )
    assert check_outcomes(result, sources=True)["irve:commune_found"] is True


@pytest.mark.parametrize(
    "source_id",
    ["cog_communes", "commerces_inbox", "insee_naissances", "insee_populations_legales"],
)
def test_fixed_columns_are_shown_before_any_run_as_the_cut_has_them(materialize, source_id):
    cut = importlib.import_module(f"{sources.__name__}.{source_id}").CUT
    declared = cut.definition_metadata()["dagster/column_schema"]
    [materialization] = [
        event.materialization
        for event in materialize(source_id).get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(source_id)
    ]
    assert materialization.metadata["dagster/column_schema"].schema == declared


@pytest.fixture(scope="module")
def cut_schemas(definitions, tmp_path_factory) -> dict[str, dg.TableSchema]:
    """The column schema each source's cut of 76165 showed, by source id."""
    result = materialize_into(
        definitions,
        tmp_path_factory.mktemp("sources"),
        dg.AssetSelection.groups("sources").upstream(),
    )
    return {
        event.asset_key.to_user_string(): event.materialization.metadata[
            "dagster/column_schema"
        ].schema
        for event in result.get_asset_materialization_events()
        if "dagster/column_schema" in event.materialization.metadata
    }


def test_every_cut_describes_its_columns_in_french_by_their_real_names(cut_schemas):
    """Each source's `CUT.descriptions` names columns its cut has (a misspelt name would
    describe nothing, silently); the outline, a polygon, has no columns."""
    described = {}
    for source_id in sorted(set(declared_sources()) - {"commune_contours"}):
        cut = importlib.import_module(f"cle_pipeline.defs.sources.{source_id}").CUT
        columns = [column.name for column in cut_schemas[source_id].columns]
        assert set(cut.descriptions) <= set(columns), source_id
        shown = [column for column in cut_schemas[source_id].columns if column.description]
        assert [column.description for column in shown] == [
            cut.descriptions[column.name] for column in shown
        ]
        described[source_id] = len(shown)
    assert described == {
        "annuaire_service_public": 12,
        "cog_communes": 4,
        "commerces_inbox": 2,
        "defibrillateurs_inbox": 9,
        "education_annuaire": 12,
        "education_effectifs_ecoles": 16,
        "geodae": 16,
        "insee_deces": 2,
        "insee_naissances": 2,
        "insee_populations_legales": 5,
        "irve": 5,
        "legislatives_2022_t1": 18,
        "legislatives_2022_t2": 18,
        "osm_commerces": 11,
        "presidentielle_2022_t1": 17,
        "presidentielle_2022_t2": 17,
        "rna_waldec": 19,
        "rne_conseillers_municipaux": 8,
        "sirene_etablissements": 13,
        "subventions_inbox": 13,
    }
    presidential = cut_schemas["presidentielle_2022_t1"].columns
    assert [column.description for column in presidential if column.name == "Code du b.vote"] == [
        "Numéro du bureau de vote dans la commune (`0001`)"
    ]
