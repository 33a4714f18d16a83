"""`python -m devtools.snapshots [source_id ...]`: rewrites the committed samples (all by
default) in the checkout's `data/`."""

import importlib
import sys

from devtools.snapshots import committed_folder, generator_names


def main(wanted: list[str]) -> None:
    unknown = set(wanted) - set(generator_names())
    if unknown:
        raise SystemExit(f"no generator named {', '.join(sorted(unknown))}")
    for name in generator_names():
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"devtools.snapshots.{name}")
        for path in module.write(committed_folder(name)):
            print(f"{name}: wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
