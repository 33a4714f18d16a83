"""A frictionless Table Schema (`<dataset_id>.schema.json`) for a dataset without an official one,
generated from its pandera model and its sheet, never written by hand.

The models check the published text (`lib/table_schema.py`), so a field's Table Schema type is
read from its rule: the pattern of an integer, a number or a date, the `true`/`false` enum of a
boolean, the `[lon,lat]` pattern of a geopoint; a column of numbers (`float64`, `Int64`) is a
number or an integer. A typed field keeps the constraints its type supports (`minimum`,
`maximum`, `enum`), a text field its pattern, enum and minimum length. `required` is the
model's `nullable=False`, `unique` its `unique=True`. The example is the first value of the
published file, when there is one.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pandera.pandas as pa

from cle_pipeline.lib.sheet import LICENCES, DatasetSheet
from cle_pipeline.lib.table_schema import BOOLEAN, DATE, EMAIL, INTEGER, LON_LAT, NUMBER, URI

TABLE_SCHEMA_PROFILE = "https://specs.frictionlessdata.io/schemas/table-schema.json"
LICENCE_PATHS = {
    "lov2": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "odc-odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
}
# A pattern of `lib/table_schema` names the type the cell's text is in.
TYPED_PATTERNS = {
    INTEGER: ("integer", None),
    NUMBER: ("number", None),
    DATE: ("date", None),
    LON_LAT: ("geopoint", "array"),
    EMAIL: ("string", "email"),
    URI: ("string", "uri"),
}
# A day of the calendar, as some models write it (month 01–12, day 01–31).
DAY_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"


def _rules(column: pa.Column) -> dict[str, Any]:
    """The statistics of the column's checks by check name (`isin`, `str_matches`, …)."""
    rules: dict[str, Any] = {}
    for check in column.checks:
        if check is not None and check.statistics:
            rules.setdefault(check.name, {}).update(check.statistics)
    return rules


def _type(column: pa.Column, rules: dict[str, Any]) -> tuple[str, str | None]:
    dtype = str(column.dtype).lower()
    if dtype.startswith("int"):
        return "integer", None
    if dtype.startswith("float"):
        return "number", None
    if dtype.startswith("bool"):
        return "boolean", None
    pattern = rules.get("str_matches", {}).get("pattern")
    if pattern == DAY_PATTERN:
        return "date", None
    if pattern in TYPED_PATTERNS:
        return TYPED_PATTERNS[pattern]
    if sorted(rules.get("isin", {}).get("allowed_values", [])) == sorted(BOOLEAN):
        return "boolean", None
    return "string", None


def _constraints(column: pa.Column, rules: dict[str, Any], kind: str) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not column.nullable}
    if column.unique:
        constraints["unique"] = True
    if "isin" in rules and kind != "boolean":
        constraints["enum"] = list(rules["isin"]["allowed_values"])
    if kind in ("integer", "number"):
        for check, bound in (
            ("greater_than_or_equal_to", "minimum"),
            ("less_than_or_equal_to", "maximum"),
        ):
            if check in rules:
                constraints[bound] = rules[check][
                    "min_value" if bound == "minimum" else "max_value"
                ]
    if kind == "string":
        if pattern := rules.get("str_matches", {}).get("pattern"):
            constraints["pattern"] = pattern
        length = rules.get("str_length", {})
        if length.get("min_value") is not None:
            constraints["minLength"] = length["min_value"]
        if length.get("max_value") is not None:
            constraints["maxLength"] = length["max_value"]
    return constraints


def _example(frame: pd.DataFrame, name: str) -> str | None:
    if name not in frame.columns:
        return None
    values = [str(value) for value in frame[name] if str(value) != ""]
    return values[0] if values else None


def table_schema(
    model: type[pa.DataFrameModel], sheet: DatasetSheet, published: pd.DataFrame
) -> dict[str, Any]:
    """The Table Schema of the dataset: its fields in the model's order, typed and constrained
    as the model checks them, described by the model and exemplified by `published` (the
    published CSV read as text)."""
    fields = []
    for name, column in model.to_schema().columns.items():
        rules = _rules(column)
        kind, format_ = _type(column, rules)
        field: dict[str, Any] = {"name": name, "type": kind}
        if format_:
            field["format"] = format_
        if kind == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        if column.description:
            field["description"] = column.description
        if (example := _example(published, name)) is not None:
            field["example"] = example
        field["constraints"] = _constraints(column, rules, kind)
        fields.append(field)
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": sheet.dataset_id,
        "title": sheet.title,
        "description": sheet.content,
        "licenses": [
            {
                "name": sheet.licence,
                "title": LICENCES[sheet.licence],
                "path": LICENCE_PATHS[sheet.licence],
            }
        ],
        "missingValues": [""],
        "fields": fields,
    }


def schema_json(schema: dict[str, Any]) -> bytes:
    """The Table Schema as the published `.schema.json` file (UTF-8)."""
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
