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
    committed_root = common.SNAPSHOT_ROOT
    monkeypatch.setattr(common, "SNAPSHOT_ROOT", tmp_path)
    written = importlib.import_module(f"{package.__name__}.{name}").write()
    inside = [path for path in written if tmp_path in path.parents]
    if not inside:
        pytest.skip(f"{name} writes outside data/sources (checked by its own tests)")
    for path in inside:
        committed = committed_root / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed} differs from {name}.write()"
        )
