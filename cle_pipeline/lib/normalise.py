"""Values as producers write them → values as the schemas want them.

Each function leaves a value it does not recognise unchanged, so that the dataset's pandera
check fails on it and shows it, instead of guessing: a wrong output is worse than a failed check.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pandas as pd

TRUE_WORDS = {"true", "vrai", "oui", "o", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "faux", "non", "n", "no", "0", "f"}


def blank_to_none(value: object) -> object:
    """None for every spelling of "missing": None, NaN, pandas NA, blank text."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def schema_boolean(value: object) -> object:
    """`oui`/`non`, `1`/`0`, `True`… → `true`/`false` (Table Schema booleans); None stays None."""
    value = blank_to_none(value)
    if value is None:
        return None
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return "true"
    if word in FALSE_WORDS:
        return "false"
    return value


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S", "%Y%m%d")


def iso_date(value: object) -> object:
    """`05/04/2021`, `2021-04-05T10:00:00+00:00`… → `2021-04-05`; None stays None."""
    value = blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    # Timestamps with a zone or fraction: the date part is what the schemas keep.
    head = (
        re.split(r"[T ]", text, maxsplit=1)[0]
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text)
        else text
    )
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(head, pattern).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return value


def integer_text(value: object) -> object:
    """`"12"`, `"12.0"`, `12` → `"12"`; other values unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(?:[.,]0+)?", text):
        return re.split(r"[.,]", text)[0]
    return value


def number_text(value: object) -> object:
    """`"22,0"`, `"22.00"`, `22` → `"22"`, `"3,7"` → `"3.7"` (decimal point, no trailing zeros)."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).strip().replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


SAINT_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}


def place_name_key(value: object) -> str | None:
    """A commune name reduced to what every spelling shares, for comparing names between files:
    `Caudebec-lès-Elbeuf`, `CAUDEBEC-LES-ELBEUF` and `CAUDEBEC LES ELBEUF` → `CAUDEBEC LES
    ELBEUF`; `ST PIERRE LES ELBEUF` → `SAINT PIERRE LES ELBEUF`. None for a missing name."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(character for character in text if not unicodedata.combining(character))
    words = re.sub(r"[^A-Z0-9]+", " ", text.upper()).split()
    return " ".join(SAINT_ABBREVIATIONS.get(word, word) for word in words) or None


# Overseas numbers are French numbers with their own country codes (ARCEP numbering plan).
OVERSEAS_PHONE_CODES = {
    **dict.fromkeys(("0262", "0263", "0269", "0639", "0692", "0693"), "262"),
    **dict.fromkeys(("0590", "0690", "0691"), "590"),
    **dict.fromkeys(("0594", "0694"), "594"),
    **dict.fromkeys(("0596", "0696", "0697"), "596"),
    "0508": "508",
}


def international_phone(value: object) -> object:
    """`02 35 77 12 34`, `02.35.77.12.34`, `+33 (0)2 35 77 12 34` → `+33 235771234`, the EU
    interinstitutional style the SCDL schemas ask for; `0262 12 34 56` → `+262262123456`
    (no space: the schemas allow 13 characters). Short numbers (`3939`) stay unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = re.sub(r"[\s.\-/]|\(0\)", "", str(value).strip())
    if re.fullmatch(r"(?:\+33|0033)[1-9]\d{8}", text):
        text = "0" + text[-9:]
    if not re.fullmatch(r"0[1-9]\d{8}", text):
        return value
    overseas = OVERSEAS_PHONE_CODES.get(text[:4])
    if overseas:
        return f"+{overseas}{text[1:]}"
    return f"+33 {text[1:]}"


def oui_non(value: object) -> object:
    """`t`/`f` (PostgreSQL exports), `true`, `1`… → `oui`/`non`, for schemas whose booleans are
    French words (schema DAE); None stays None, anything else unchanged."""
    word = schema_boolean(value)
    return {"true": "oui", "false": "non"}.get(word, word) if isinstance(word, str) else word


def postgres_array(value: object) -> object:
    """`{lundi,"jours fériés"}` (a PostgreSQL array exported as text) → `["lundi", "jours fériés"]`;
    `{}` → `[]`; None stays None; text that is not an array literal is returned unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).strip()
    if not (text.startswith("{") and text.endswith("}")):
        return value
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = in_quotes = False
    for character in text[1:-1]:
        if escaped:
            current.append(character)
            escaped = False
        elif character == "\\" and in_quotes:
            escaped = True
        elif character == '"':
            in_quotes = not in_quotes
            quoted = True
        elif character == "," and not in_quotes:
            items.append("".join(current) if quoted else "".join(current).strip())
            current, quoted = [], False
        else:
            current.append(character)
    if in_quotes:
        return value  # an unterminated quote: not an array literal after all
    if current or quoted or items:
        items.append("".join(current) if quoted else "".join(current).strip())
    return items


# A French mobile number (06/07, or +33 6/7), with or without separators.
MOBILE_NUMBER = re.compile(r"(?<!\d)(?:(?:\+|00)33[\s.-]?|0)[67](?:[\s.-]?\d{2}){4}(?!\d)")
MASKED_NUMBER = "[numéro masqué]"


def mask_mobile_numbers(value: object) -> object:
    """Free text with every French mobile number replaced by `[numéro masqué]`: a mobile written
    in a comment is most often a person's (a caretaker's), not an establishment's switchboard."""
    if not isinstance(value, str):
        return value
    return MOBILE_NUMBER.sub(MASKED_NUMBER, value)
