"""One module per source, named by its id, each declaring its `SOURCE`: a national file
(`lib.fetch.Source`) or what the commune sends to its inbox (`lib.inbox.InboxSource`), with
its rhythm and, for the inbox, the names of its files. `declared_sources()` finds them, so
adding a source is adding its module: the automation reads the rest from its `SOURCE`.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from cle_pipeline.lib.fetch import Source
from cle_pipeline.lib.inbox import InboxSource


@cache
def declared_sources() -> dict[str, Source | InboxSource]:
    """Every `SOURCE` of the modules of this package, by source id (a module without one, such
    as a format shared by several sources, declares none)."""
    found: dict[str, Source | InboxSource] = {}
    for module in pkgutil.iter_modules(__path__):
        source = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SOURCE", None)
        if isinstance(source, Source | InboxSource):
            found[source.id] = source
    return found
