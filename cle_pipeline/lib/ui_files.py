"""Images shown on an asset's page in the Dagster UI, in the asset's metadata.

dagster-webserver 1.13 renders a markdown metadata value in place (the "Metadata" section of an
asset's Overview, a partition's page under Partitions, the graph's side panel) only when the
text is shorter than 1,000 characters; a longer one, such as an image inlined as a `data:` URI,
sits behind a "[Show Markdown]" button. Its markdown keeps `![…](…)` images, by URL or `data:`
URI, but it serves no file of the project. The one folder it serves from disk is the instance's
compute-log storage, at `/logs/<key…>/<extension>` (the UI's download of a step's log): a file
copied there is shown by `![title](/logs/…)`, a few dozen characters.

Copies are named by their content (`<stem>.<sha256 prefix>.<extension>`): each materialization
keeps showing its own image, and an unchanged image is not copied again. The URL is a path from
the UI's root (the project runs it without `--path-prefix`).

The webserver must read the folder the steps write: one machine (`make ui`, `make demo`), or
`DAGSTER_HOME/storage` shared by every worker and the webserver. An instance without local
compute logs (an ephemeral one, `NoOpComputeLogManager`, logs in cloud storage) gets the image
inline instead, behind the button.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import dagster as dg
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

from cle_pipeline.lib.files import write_atomically

# dagster-webserver shows a markdown value shorter than this in place, a longer one behind a button.
MARKDOWN_SHOWN_IN_PLACE = 1000
# The project's folder in the compute-log storage, apart from the runs' logs (one per run id).
NAMESPACE = "cle_pipeline"
DIGEST_LENGTH = 16


def served_url(instance: dg.DagsterInstance, folder: Sequence[str], path: Path) -> str | None:
    """Copies `path` where the UI's webserver serves it (`folder` under the project's namespace)
    and returns its URL; None when the instance keeps no local compute logs (an ephemeral
    instance, logs in cloud storage), whose webserver could not serve it."""
    manager = instance.compute_log_manager
    if not isinstance(manager, LocalComputeLogManager):
        return None
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
    extension = path.suffix.removeprefix(".")
    key = [NAMESPACE, *folder, f"{path.name.removesuffix(path.suffix)}.{digest}"]
    target = Path(manager.get_captured_local_path(key, extension))
    if not target.exists():
        write_atomically(target, content)
    return "/logs/" + "/".join(quote(part, safe="") for part in [*key, extension])


def markdown_shown_in_place(text: str) -> dg.MarkdownMetadataValue:
    """A markdown value the UI shows on the page itself; a longer one would hide behind a button,
    so it is refused."""
    if len(text) >= MARKDOWN_SHOWN_IN_PLACE:
        raise ValueError(
            f"{len(text)} characters of markdown: the Dagster UI shows in place only fewer than "
            f"{MARKDOWN_SHOWN_IN_PLACE}; {text[:80]!r}…"
        )
    return dg.MetadataValue.md(text)
