"""What a dataset leaves in `data/published/<commune>/` when its checks pass, read back by the
publisher.

Three files per dataset, written by its release asset (`release/<dataset_id>`,
`lib/release_asset.py`) and only when every blocking check passed on what it releases:

- `<dataset_id>.csv`: the data, every cell a spreadsheet would execute as a formula prefixed
  with an apostrophe (listed in the record and said in the sheet);
- `<dataset_id>.md`: its descriptive sheet rendered for the commune;
- `<dataset_id>.json`: the release record: the CSV's sha256 and row count, the commune, the
  short quality summary, the source mode it was built in and why it is a sample, if it is
  (snapshot mode, an override into the snapshots, the shipped sample inbox). This travels
  with the file because publication happens later, in another run: a sample must never reach
  www.data.gouv.fr, whatever the mode of the publishing run.

The record is written last (and again with the quality summary once the companions are
written), so a record whose sha256 matches the CSV on disk vouches for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import ColumnEntry
from cle_pipeline.lib.normalise import neutralise_formulas
from cle_pipeline.lib.output import write_csv
from cle_pipeline.lib.sheet import DatasetSheet


class ReleaseError(RuntimeError):
    """No checked file to publish, or a file that no longer matches its release record."""


@dataclass(frozen=True)
class Release:
    """A published CSV whose checks passed, as recorded beside it."""

    dataset_id: str
    commune_code: str
    commune_name: str
    source_mode: str
    rows: int
    sha256: str
    checked_at: str
    folder: Path
    # Why the file is a sample, when it is: snapshot mode, an override pointing into the
    # snapshots, or the commune's inbox still holding the shipped sample files.
    sample_reasons: tuple[str, ...] = ()
    # A drop in rows past the dataset's volume limit that a person accepted (CLE_ACCEPT_DROP,
    # see lib/volume.py), said here because the next build compares with this release.
    accepted_drop: str = ""
    # Cells a spreadsheet would have executed, prefixed with an apostrophe in the CSV
    # (`normalise.neutralise_formulas`): {"row", "column", "value"} each, the value as it came.
    neutralised_cells: tuple[dict[str, object], ...] = ()
    # The short quality summary (`lib/quality.quality_summary`) the data.gouv.fr description
    # ends with, recorded once the companions are written.
    quality_summary: str = ""

    @property
    def sample(self) -> bool:
        """Built from sample inputs: plausible values, not official figures."""
        return self.source_mode == "snapshot" or bool(self.sample_reasons)

    def sheet_notes(self) -> list[str]:
        """What the sheet says about this release's values (French, as the sheet)."""
        cells = self.neutralised_cells
        if not cells:
            return []
        plural = len(cells) > 1
        shown = ", ".join(f"`{cell['column']}` ligne {cell['row']}" for cell in cells[:10])
        more = f" et {len(cells) - 10} autres" if len(cells) > 10 else ""
        return [
            f"**Formules neutralisées.** {len(cells)} cellule{'s' if plural else ''} commençant "
            "par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot, qu'un tableur "
            f"exécuterait comme une formule, {'ont' if plural else 'a'} été "
            f"préfixée{'s' if plural else ''} d'une apostrophe (`'`) : {shown}{more} (ligne de "
            f"données, en-tête non compté). La liste complète, avec les valeurs reçues, est dans "
            f"`{self.dataset_id}.json` (`neutralised_cells`)."
        ]

    @property
    def csv_path(self) -> Path:
        """The published CSV."""
        return self.folder / f"{self.dataset_id}.csv"

    @property
    def sheet_path(self) -> Path:
        """The sheet rendered for the commune, beside the CSV."""
        return self.folder / f"{self.dataset_id}.md"


def write_release(
    frame: pd.DataFrame,
    folder: Path,
    sheet: DatasetSheet,
    commune: Commune,
    source_mode: str,
    sample_reasons: tuple[str, ...] = (),
    accepted_drop: str = "",
    columns: Sequence[ColumnEntry] = (),
    warnings: Sequence[str] = (),
) -> Release:
    """Writes the CSV of the dataset `sheet` describes, the sheet rendered for the commune (with
    the `warnings` its checks gave, and the dictionary of its `columns`) and the release
    record (in that order)."""
    dataset_id = sheet.dataset_id
    published, neutralised = neutralise_formulas(frame)
    sha256 = write_csv(published, folder / f"{dataset_id}.csv")
    release = Release(
        dataset_id=dataset_id,
        commune_code=commune.code,
        commune_name=commune.name,
        source_mode=source_mode,
        rows=len(frame),
        sha256=sha256,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
        folder=folder,
        sample_reasons=tuple(sample_reasons),
        accepted_drop=accepted_drop,
        neutralised_cells=tuple(asdict(cell) for cell in neutralised),
    )
    markdown = sheet.markdown(
        commune.name,
        commune.code,
        sample=release.sample,
        notes=[*release.sheet_notes(), *warnings],
        columns=columns,
    )
    write_atomically(release.sheet_path, markdown.encode("utf-8"))
    write_record(release)
    return release


def write_record(release: Release) -> None:
    """Writes the release record `<dataset_id>.json` beside the CSV (atomically)."""
    record = {key: value for key, value in asdict(release).items() if key != "folder"}
    path = release.folder / f"{release.dataset_id}.json"
    write_atomically(path, json.dumps(record, indent=2).encode("utf-8"))


def read_release(folder: Path, dataset_id: str) -> Release:
    """The release of `dataset_id` in `folder`, after checking the CSV is the one recorded."""
    record_path = folder / f"{dataset_id}.json"
    if not record_path.is_file():
        raise ReleaseError(
            f"{dataset_id}: no checked file in {folder} (its checks have not passed there yet: "
            "build it first, e.g. `make demo`)"
        )
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["sample_reasons"] = tuple(record.get("sample_reasons", ()))
    record["neutralised_cells"] = tuple(record.get("neutralised_cells", ()))
    release = Release(**record, folder=folder)
    actual = checksum_of(release.csv_path, "sha256") if release.csv_path.is_file() else "missing"
    if actual != release.sha256:
        raise ReleaseError(
            f"{dataset_id}: {release.csv_path} is not the file its checks passed on (sha256 "
            f"{actual}, recorded {release.sha256}); rebuild the dataset"
        )
    return release


def _record(folder: Path, dataset_id: str) -> dict[str, object]:
    """The last release record of `dataset_id` in `folder` (empty when there is none)."""
    record_path = folder / f"{dataset_id}.json"
    if not record_path.is_file():
        return {}
    return json.loads(record_path.read_text(encoding="utf-8"))


def previous_rows(folder: Path, dataset_id: str) -> int | None:
    """The row count of the last release of `dataset_id` in `folder` (None when there is none),
    read from its record alone: a CSV changed since is still compared with what was released."""
    rows = _record(folder, dataset_id).get("rows")
    return rows if isinstance(rows, int) else None


def previous_sha256(folder: Path, dataset_id: str) -> str | None:
    """The sha256 of the last release of `dataset_id` in `folder` (None when there is none)."""
    sha256 = _record(folder, dataset_id).get("sha256")
    return sha256 if isinstance(sha256, str) else None


def released_datasets(folder: Path) -> list[str]:
    """Ids of the datasets with a release record in `folder` (`<id>.json`; not the Table
    Schemas `<id>.schema.json` beside them, nor hidden state files)."""
    return sorted(path.stem for path in folder.glob("*.json") if "." not in path.stem)
