"""The generators of the sample files under `data/`: `python -m devtools.snapshots`.

One module per source, named by its source id, each writing the files that the national
producer publishes, in the same layout, header, separator, encoding and quoting, but holding a
handful of communes: Caudebec-lès-Elbeuf, its neighbours Elbeuf and Saint-Pierre-lès-Elbeuf,
and far-away rows (Paris, a Corsican `2A` code, an overseas `974` one) that the commune cut
must leave out. Every number and name in them is a SAMPLE, plausible but not official.
Generation is deterministic: running it again gives the same bytes.

Each module's `write(folder)` writes into the folder it is given and returns the paths it
wrote; `committed_folder(name)` is where the committed copy of its output lives.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from devtools import DATA

# The modules of this package that are not generators.
NOT_GENERATORS = {"common", "__main__"}
# The generators of what a commune sends (its inbox): they write `data/inbox/`, one folder per
# commune inside; every other generator writes `data/sources/<its name>/`.
INBOX_GENERATORS = {"defibrillateurs_inbox", "subventions_inbox"}


def generator_names() -> list[str]:
    """The generators, by name (the source id they write the files of)."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name not in NOT_GENERATORS
    )


def committed_folder(name: str) -> Path:
    """Where the committed output of generator `name` lives in the checkout."""
    return DATA / "inbox" if name in INBOX_GENERATORS else DATA / "sources" / name
