"""The committed samples are exactly what their generators write (deterministic, not edited by
hand), so `make snapshots` is a safe way to change them."""

import importlib

import pytest

from devtools.snapshots import committed_folder, generator_names


def test_every_source_folder_has_its_generator():
    sources = committed_folder("irve").parent
    assert {folder.name for folder in sources.iterdir() if folder.is_dir()} <= set(
        generator_names()
    )


@pytest.mark.parametrize("name", generator_names())
def test_regenerating_a_snapshot_gives_the_committed_bytes(name, tmp_path):
    # Each generator writes into a temporary folder, never over the committed files.
    written = importlib.import_module(f"devtools.snapshots.{name}").write(tmp_path)
    assert written
    for path in written:
        committed = committed_folder(name) / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), f"{committed} differs from {name}"
