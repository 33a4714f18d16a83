"""What every source asset shows about its cut of the commune, and its check `commune_found`.

One `SourceCut` per source module, beside its asset, says whether the commune must be in the
source (`required`) and why, in French, for the UI. The asset's decorator takes its
`check_specs()` (and `owners=OWNERS`), and the asset returns `cut.result(value, metadata)`:

- metadata: `dagster/row_count` (the rows of the value), `rows_for_commune` (the commune's own
  rows, the same but where a cut keeps rows of neighbours to place its own), and
  `dagster/column_schema` (the cut's columns, their types and, where the module knows them,
  their French descriptions), declared before any run too when the module gives `columns`;
- the check `commune_found`, evaluated in the asset's own step (no extra step, no second read
  of the value): no row for the commune is an error that stops every dataset downstream when
  the commune must be there (`required`), a warning otherwise (a commune without a charging
  point, a file the commune did not send), so that an empty cut shows on the graph.

The asset function has no return annotation: with a check in its step, Dagster would take one
for the type of both its outputs (the value and the check's result).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.lib.partitions import COMMUNES

COMMUNE_FOUND = "commune_found"


def column_type(dtype: object) -> str:
    """A pandas dtype as the column schema shows it: `int`, `float`, `bool`, `datetime` or
    `string` (every value a source reads as text, and anything else)."""
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "string"


def rows_of(value: object) -> int:
    """The rows of a cut: a frame's, one for a record (a mapping), a list's items."""
    if isinstance(value, pd.DataFrame | Sequence):
        return len(value)
    if isinstance(value, Mapping):
        return 1 if value else 0
    raise TypeError(f"a source cut is a frame, a record or a list, not {type(value).__name__}")


def columns_of(value: object) -> list[tuple[str, str]] | None:
    """The cut's columns and their types: a frame's, a record's keys; None for a list."""
    if isinstance(value, pd.DataFrame):
        return [(str(name), column_type(dtype)) for name, dtype in value.dtypes.items()]
    if isinstance(value, Mapping):
        return [(str(name), "string") for name in value]
    return None


@dataclass(frozen=True)
class SourceCut:
    """A source asset's cut of the commune: whether the commune must be in it, and what the UI
    says of its columns.

    `asset` is the source asset's name. `required` makes a cut without the commune an error
    that blocks everything downstream; otherwise a warning. `why` (French, shown in the check's
    description) says why. `descriptions` gives French descriptions of columns by name;
    `columns`, when the cut's columns are fixed, their names and types in order, shown on the
    asset before any run.
    """

    asset: str
    required: bool
    why: str
    descriptions: Mapping[str, str] = field(default_factory=dict)
    columns: Sequence[tuple[str, str]] | None = None

    @property
    def description(self) -> str:
        """The check's description, in French."""
        if self.required:
            rule = "La source a au moins une ligne pour la commune, sinon erreur bloquante"
        else:
            rule = "La source a au moins une ligne pour la commune, sinon avertissement"
        return f"{rule} : {self.why}"

    def check_specs(self) -> list[dg.AssetCheckSpec]:
        """The `commune_found` check, for the asset's `check_specs`, partitioned by commune."""
        # A partitioned check is marked preview in Dagster 1.13; the datasets' checks are
        # partitioned the same way, and `make demo` should not print a warning nobody can act on.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.PreviewWarning)
            return [
                dg.AssetCheckSpec(
                    COMMUNE_FOUND,
                    asset=self.asset,
                    blocking=self.required,
                    description=self.description,
                    partitions_def=COMMUNES,
                )
            ]

    def schema(self, columns: Sequence[tuple[str, str]]) -> dg.TableSchema:
        """The column schema of `columns` (name, type), with the descriptions known."""
        return dg.TableSchema(
            columns=[
                dg.TableColumn(name, kind, description=self.descriptions.get(name))
                for name, kind in columns
            ]
        )

    def definition_metadata(self) -> dict[str, Any]:
        """The column schema shown before any run, when the cut's columns are fixed."""
        if self.columns is None:
            return {}
        return {"dagster/column_schema": self.schema(self.columns)}

    def check_result(self, rows_for_commune: int) -> dg.AssetCheckResult:
        """`commune_found` for a cut with `rows_for_commune` rows of the commune."""
        severity = dg.AssetCheckSeverity.ERROR if self.required else dg.AssetCheckSeverity.WARN
        return dg.AssetCheckResult(
            check_name=COMMUNE_FOUND,
            passed=rows_for_commune > 0,
            severity=severity,
            metadata={"rows_for_commune": rows_for_commune},
            description=None if rows_for_commune else f"Aucune ligne pour la commune : {self.why}",
        )

    def result(
        self, value: Any, metadata: Mapping[str, Any], *, rows_for_commune: int | None = None
    ) -> dg.MaterializeResult:
        """The asset's value with its metadata (`metadata`, then the row count and column
        schema) and its `commune_found` check; `rows_for_commune` when not every row of the
        value is the commune's."""
        rows = rows_of(value)
        found = rows if rows_for_commune is None else rows_for_commune
        shown: dict[str, Any] = {
            **metadata,
            "dagster/row_count": rows,
            "rows_for_commune": found,
        }
        if (columns := columns_of(value)) is not None:
            shown["dagster/column_schema"] = self.schema(columns)
        return dg.MaterializeResult(
            value=value, metadata=shown, check_results=[self.check_result(found)]
        )
