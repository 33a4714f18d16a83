"""`python -m cle_pipeline.snapshots [source_id ...]`: rewrites the snapshots (all by default)."""

import importlib
import pkgutil
import sys

import cle_pipeline.snapshots as package

NOT_SOURCES = {"common", "__main__"}


def main(wanted: list[str]) -> None:
    names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name not in NOT_SOURCES]
    for name in sorted(names):
        if wanted and name not in wanted:
            continue
        for path in importlib.import_module(f"{package.__name__}.{name}").write():
            print(f"{name}: wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
