"""The registry of published datasets and their sheets, on the publishing side.

Every folder of `cle_pipeline/defs/datasets/` is a published dataset named by its id, holding
`sheet.py` with its `SHEET`: adding a dataset needs no registration here. `lib/` only knows
what a sheet is (`lib/sheet.py`), never which datasets exist.
"""

from __future__ import annotations

import importlib
import pkgutil

from cle_pipeline.defs import datasets
from cle_pipeline.lib.sheet import DatasetSheet


def dataset_ids() -> list[str]:
    """Every published dataset: the folders of `cle_pipeline/defs/datasets/`."""
    return sorted(module.name for module in pkgutil.iter_modules(datasets.__path__) if module.ispkg)


def load_sheet(dataset_id: str) -> DatasetSheet:
    """The sheet declared in `cle_pipeline/defs/datasets/<dataset_id>/sheet.py` (`SHEET`)."""
    module = f"{datasets.__name__}.{dataset_id}.sheet"
    sheet = importlib.import_module(module).SHEET
    if not isinstance(sheet, DatasetSheet) or sheet.dataset_id != dataset_id:
        raise TypeError(f"{module}.SHEET is not the sheet of {dataset_id}")
    return sheet
