"""Every source module declares its `SOURCE`, named like the module, found without a list."""

from pathlib import Path

from cle_pipeline.defs import sources
from cle_pipeline.defs.automation.inbox import INBOX_FILES
from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.lib.inbox import InboxSource

# Modules of defs/sources/ that are no source: a format several sources share.
SHARED = {"election_results"}


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
