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


def luhn_valid(digits: str) -> bool:
    """The Luhn key of a string of digits (SIREN, SIRET): every second digit from the right
    doubled, the sum a multiple of 10."""
    if not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# La Poste numbered its thousands of establishments (SIREN 356 000 000) beyond what a Luhn key
# allows; INSEE's rule for them is that the SIRET's digits add up to a multiple of 5. Its head
# office (NIC 00048) keeps an ordinary Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def siret_key_valid(value: object) -> bool:
    """A SIRET of 14 digits whose key is valid (Luhn, or La Poste's sum-of-digits rule)."""
    text = str(value) if value is not None else ""
    if not re.fullmatch(r"\d{14}", text):
        return False
    if text.startswith(LA_POSTE_SIREN) and text != LA_POSTE_HEAD_OFFICE:
        return sum(int(character) for character in text) % 5 == 0
    return luhn_valid(text)


def comparable_text(value: object) -> str:
    """Text reduced for comparison between sources: no accents, upper case, letters and digits
    only, single spaces (`Le Bistrot Caudébécais` and `LE BISTROT CAUDEBECAIS` agree)."""
    value = blank_to_none(value)
    if value is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("Œ", "OE").replace("œ", "oe").replace("Æ", "AE")
    return " ".join(re.sub(r"[^0-9A-Za-z]+", " ", ascii_text).upper().split())
