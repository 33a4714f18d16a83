"""What the Dagster UI shows about a published frame: column schema, row count, preview."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pandas as pd
import pandera.pandas as pa

OWNERS = ["team:donnees-ouvertes"]


def markdown_cell(value: object) -> object:
    r"""A value as markdown shows it verbatim: a backslash doubled (`(\.\d+)` stays a
    pattern), a `|` escaped (else it splits the column), line breaks as spaces."""
    if not isinstance(value, str):
        return value
    return " ".join(value.replace("\\", "\\\\").replace("|", "\\|").splitlines())


def markdown_table(frame: pd.DataFrame, limit: int = 10) -> str:
    """The first rows of a frame as a markdown table (empty frames say so)."""
    if frame.empty:
        return "_(no rows)_"
    shown = frame.head(limit).astype(object).where(frame.head(limit).notna(), "")
    shown = shown.map(markdown_cell)
    table = shown.to_markdown(index=False)
    if len(frame) > limit:
        table += f"\n\n_… {len(frame) - limit} more rows_"
    return table


def as_text(value: object) -> str | None:
    """A value as the table metadata shows it: its text exactly (no markdown to eat a
    backslash), None when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value)


def table_of_rows(frame: pd.DataFrame, limit: int = 10) -> dg.TableMetadataValue:
    """The first rows of a frame as Dagster table metadata, which the UI renders inline (not
    behind "Show Markdown"), every value as text exactly as it is."""
    shown = frame.head(limit)
    columns = [str(name) for name in shown.columns]
    records = [
        dg.TableRecord(dict(zip(columns, (as_text(value) for value in row), strict=True)))
        for row in shown.itertuples(index=False, name=None)
    ]
    schema = dg.TableSchema(columns=[dg.TableColumn(name, "string") for name in columns])
    return dg.MetadataValue.table(records=records, schema=schema)


def column_schema(model: type[pa.DataFrameModel]) -> dg.TableSchema:
    """The pandera model as a Dagster column schema: names, types, descriptions, constraints."""
    schema = model.to_schema()
    columns = []
    for name, column in schema.columns.items():
        rules = [
            check.error or check.name or str(check) for check in column.checks if check is not None
        ]
        columns.append(
            dg.TableColumn(
                name=name,
                type=str(column.dtype),
                description=column.description,
                constraints=dg.TableColumnConstraints(
                    nullable=column.nullable, unique=column.unique, other=rules
                ),
            )
        )
    return dg.TableSchema(columns=columns)


def published_metadata(frame: pd.DataFrame, model: type[pa.DataFrameModel]) -> dict[str, Any]:
    """What a published dataset shows: row count and column schema (with descriptions)."""
    return {
        "dagster/row_count": len(frame),
        "dagster/column_schema": column_schema(model),
        "preview": dg.MetadataValue.md(markdown_table(frame)),
    }
