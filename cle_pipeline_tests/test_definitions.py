"""The code location loads, and its graph is the one we mean to ship."""

from cle_pipeline.definitions import defs


def test_definitions_load_with_every_resource():
    definitions = defs()
    definitions.resolve_all_job_defs()
    assert set(definitions.resources) >= {"settings", "sources"}
