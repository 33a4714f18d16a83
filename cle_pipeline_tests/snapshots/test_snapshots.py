"""The committed snapshots are exactly what their generators write (deterministic, not edited by
hand), so `make snapshots` is a safe way to change them."""

import importlib
import pkgutil

import pytest

import cle_pipeline.snapshots as package
from cle_pipeline.snapshots import common

GENERATORS = sorted(
    info.name
    for info in pkgutil.iter_modules(package.__path__)
    if info.name not in {"common", "__main__"}
)


@pytest.mark.parametrize("name", GENERATORS)
def test_regenerating_a_snapshot_gives_the_committed_bytes(name, tmp_path, monkeypatch):
    # Generators write into temporary folders, never over the committed files.
    committed = {tmp_path / "sources": common.SNAPSHOT_ROOT, tmp_path / "inbox": common.INBOX_ROOT}
    monkeypatch.setattr(common, "SNAPSHOT_ROOT", tmp_path / "sources")
    monkeypatch.setattr(common, "INBOX_ROOT", tmp_path / "inbox")
    written = importlib.import_module(f"{package.__name__}.{name}").write()
    assert written
    for path in written:
        root = next(root for root in committed if root in path.parents)
        original = committed[root] / path.relative_to(root)
        assert path.read_bytes() == original.read_bytes(), f"{original} differs from {name}.write()"
