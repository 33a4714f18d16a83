"""What the Dagster UI shows about a published frame: column schema, row count, preview; and the
same columns as the dictionary of its sheet (`column_dictionary`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd
import pandera.pandas as pa

from cle_pipeline.lib.table_schema import (
    BOOLEAN,
    DATE,
    EMAIL,
    INTEGER,
    LON_LAT,
    NUMBER,
    OUI_NON,
    SIREN,
    SIRET,
    URI,
)

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


@dataclass(frozen=True)
class ColumnEntry:
    """One column of the published file, as its sheet's dictionary describes it."""

    name: str
    type: str  # in French, as a reader of the CSV sees it: texte, entier, date (AAAA-MM-JJ)…
    description: str
    example: str  # the first value of the published file, "" when the column is empty


# The text form a pattern gives a column, as a reader of the CSV sees it.
TYPE_OF_PATTERN = {
    DATE: "date (AAAA-MM-JJ)",
    NUMBER: "nombre (point décimal)",
    INTEGER: "entier",
    LON_LAT: "point [longitude,latitude]",
    EMAIL: "adresse électronique",
    URI: "adresse web",
    SIREN: "numéro SIREN (9 chiffres)",
    SIRET: "numéro SIRET (14 chiffres)",
}
# Beyond this many permitted values, the dictionary says "list" rather than listing them.
MAX_VALUES_LISTED = 6
MAX_EXAMPLE_LENGTH = 60


def column_type(column: pa.Column) -> str:
    """The column's type in French, from its pandera dtype and checks: `entier`, `date
    (AAAA-MM-JJ)`, `booléen (oui/non)`, `texte, valeurs permises : A` and so on."""
    dtype = str(column.dtype).lower()
    if "int" in dtype:
        return "entier"
    if "float" in dtype:
        return "nombre (point décimal)"
    if "bool" in dtype:
        return "booléen (True/False)"
    checks = {check.name: check.statistics for check in column.checks if check is not None}
    pattern = checks.get("str_matches", {}).get("pattern")
    allowed = list(checks.get("isin", {}).get("allowed_values", []))
    if pattern in TYPE_OF_PATTERN:
        return TYPE_OF_PATTERN[pattern]
    if allowed in (OUI_NON, BOOLEAN):
        return f"booléen ({'/'.join(allowed)})"
    if allowed and len(allowed) <= MAX_VALUES_LISTED:
        return "texte, valeurs permises : " + ", ".join(allowed)
    if allowed:
        return f"texte, liste fermée de {len(allowed)} valeurs"
    return "texte au format imposé" if pattern else "texte"


def first_value(values: pd.Series) -> str:
    """The first non-empty value of a column as the CSV writes it, shortened: an example."""
    for value in values:
        text = as_text(value)
        if text:
            short = " ".join(text.split())
            if len(short) > MAX_EXAMPLE_LENGTH:
                return short[: MAX_EXAMPLE_LENGTH - 1] + "…"
            return short
    return ""


def column_dictionary(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> list[ColumnEntry]:
    """The published file's columns for its sheet: name, type, description (the model's, the
    UI's) and an example taken from the file itself."""
    columns = model.to_schema().columns
    return [
        ColumnEntry(
            name,
            column_type(columns[name]),
            columns[name].description or "",
            first_value(frame[name]) if name in frame else "",
        )
        for name in columns
    ]


def published_metadata(frame: pd.DataFrame, model: type[pa.DataFrameModel]) -> dict[str, Any]:
    """What a published dataset shows: row count and column schema (with descriptions)."""
    return {
        "dagster/row_count": len(frame),
        "dagster/column_schema": column_schema(model),
        "preview": dg.MetadataValue.md(markdown_table(frame)),
    }
