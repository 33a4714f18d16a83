"""Values as producers write them → values as the schemas want them.

Each function leaves a value it does not recognise unchanged, so that the dataset's pandera
check fails on it and shows it, instead of guessing: a wrong output is worse than a failed check.
The one exception is `neutralise_formulas`, applied to every published file: a cell a
spreadsheet would execute is made inert, and listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

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
    key = name_key(value)
    return " ".join(SAINT_ABBREVIATIONS.get(word, word) for word in key.split()) if key else None


# Overseas numbers are French numbers with their own country codes (ARCEP numbering plan).
OVERSEAS_PHONE_CODES = {
    **dict.fromkeys(("0262", "0263", "0269", "0639", "0692", "0693"), "262"),
    **dict.fromkeys(("0590", "0690", "0691"), "590"),
    **dict.fromkeys(("0594", "0694"), "594"),
    **dict.fromkeys(("0596", "0696", "0697"), "596"),
    "0508": "508",
}


def international_phone(value: object, separator: str = " ") -> object:
    """`02 35 77 12 34`, `02.35.77.12.34`, `+33 (0)2 35 77 12 34` → `+33 235771234`, the EU
    interinstitutional style the SCDL schemas ask for (`separator=""`: `+33235771234`, the DAE
    schema's); `0262 12 34 56` → `+262262123456` (no space: the schemas allow 13 characters);
    `235771234`, a spreadsheet's number that lost its leading 0, as `02 35 77 12 34`. Short
    numbers (`3939`) and anything else stay unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = re.sub(r"[\s.\-/]|\(0\)", "", str(value).strip())
    if re.fullmatch(r"(?:\+33|0033)?[1-9]\d{8}", text):
        text = "0" + text[-9:]
    if not re.fullmatch(r"0[1-9]\d{8}", text):
        return value
    overseas = OVERSEAS_PHONE_CODES.get(text[:4])
    if overseas:
        return f"+{overseas}{text[1:]}"
    return f"+33{separator}{text[1:]}"


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


# -- French spreadsheets: dates, amounts, shares, identifiers, names ---------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What French spreadsheets add to `iso_date`'s formats: dotted dates and two-digit years.
FRENCH_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%y", "%d.%m.%y", "%d-%m-%y")


def french_date(value: object) -> object:
    """`iso_date`, plus `15.03.2022` and two-digit years (`15/03/22` → `2022-03-15`)."""
    result = iso_date(value)
    if result is None or ISO_DATE.match(str(result)):
        return result
    text = str(value).strip()
    for pattern in FRENCH_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return value


_DATE_TOKEN = re.compile(
    r"(?<!\d)(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}))(?!\d)"
)
# Words and signs that may join the dates of a period: "du 01/03/2022 au 31/12/2022".
_PERIOD_GLUE = re.compile(r"(?:[\s/,–—-]|\bdu\b|\bau\b|\ble\b|\bà\b|\bjusqu'au\b)*", re.IGNORECASE)


def iso_period(value: object) -> object:
    """A date or a period → `2022-03-01` or `2022-03-01/2022-12-31` (ISO 8601 interval).

    Accepts `15/03/2022`, `du 01/03/2022 au 31/12/2022`, `01/03/2022 - 31/12/2022`, ISO
    already; anything else (three dates, "et", free text) is left unchanged for the check."""
    value = blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return iso_date(value)
    text = str(value).strip()
    tokens = _DATE_TOKEN.findall(text)
    if not 1 <= len(tokens) <= 2 or not _PERIOD_GLUE.fullmatch(_DATE_TOKEN.sub(" ", text)):
        return value
    dates = [french_date(token) for token in tokens]
    if not all(ISO_DATE.match(str(day)) for day in dates):
        return value
    return "/".join(str(day) for day in dates)


def _with_cents(number: Decimal) -> str:
    """`Decimal("1500")` → `1500.00`: at least two decimals, never fewer than given."""
    places = max(2, -number.as_tuple().exponent)  # type: ignore[operator]
    return f"{number:.{places}f}"


# A thousands separator is followed by exactly three digits, and euros have cents, not
# thousandths: `1.500` and `1,500` alone are 1500, never 1.5.
_THOUSANDS_ONLY = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")
_CURRENCY = re.compile(r"^(?:€|EUR)|(?:€|EUR|euros?)$", re.IGNORECASE)


def euro_amount(value: object) -> object:
    """`1 500,00 €` (spaces, no-break or narrow no-break spaces), `1.500,00`, `1500 euros`,
    `1,500.00`, `750,00€` → `1500.00`; at least two decimals, a decimal point, no separator
    of thousands. Anything else is left unchanged for the check."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = "".join(str(value).split())  # every Unicode space, U+00A0 and U+202F included
    body = _CURRENCY.sub("", text)
    sign = "-" if body.startswith("-") else ""
    body = body.removeprefix("-")
    if _THOUSANDS_ONLY.fullmatch(body):
        digits = body.replace(".", "").replace(",", "")
    elif re.fullmatch(r"\d+", body):
        digits = body
    else:
        # The last separator is the decimal one; the other, if any, groups thousands.
        match = re.fullmatch(r"(.*?)([.,])(\d+)", body)
        if not match:
            return value
        integer, point, fraction = match.groups()
        grouping = "," if point == "." else "."
        grouped = rf"[1-9]\d{{0,2}}(?:{re.escape(grouping)}\d{{3}})+"
        if not (re.fullmatch(r"\d+", integer) or re.fullmatch(grouped, integer)):
            return value
        digits = f"{integer.replace(grouping, '')}.{fraction}"
    return _with_cents(Decimal(sign + digits))


def share_of_one(value: object) -> object:
    """A share as a decimal number: `100 %` → `1.00`, `45%` → `0.45`, `0,45` → `0.45`."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = "".join(str(value).split())
    percent = text.endswith("%")
    body = text.removesuffix("%").replace(",", ".")
    if not re.fullmatch(r"\d+(?:\.\d+)?", body):
        return value
    share = Decimal(body) / 100 if percent else Decimal(body)
    return _with_cents(share)


# How producers write "no identifier" in a cell meant for one.
NOT_GIVEN = {
    "n/a", "na", "n.a.", "n.a", "nc", "n.c.", "n.c", "néant", "neant", "sans", "aucun", "aucune",
    "-", "--", "/", "?", "inconnu", "en cours", "sans objet", "non communiqué", "non renseigné",
}  # fmt: skip


def siret_text(value: object) -> object:
    """`443 061 841 00015` → `44306184100015`; `N/A`, `néant`… → None; others unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in NOT_GIVEN:
        return None
    compact = re.sub(r"[\s.]", "", text)
    return compact if compact.isdigit() else value


# An RNA id as the register writes it: `W`, the first three characters of the prefecture that
# manages it (`gestion`), seven digits. Mainland ids are all digits (W761000101); Corsica's and
# the overseas departments' carry a letter (W2A…, W9R… La Réunion, W9T1000001 Mayotte, whose
# `gestion` is `9T1P`).
RNA_ID = r"^W[0-9][0-9A-Z]\d{7}$"


def rna_text(value: object) -> object:
    """`w 761 000 101` → `W761000101` (RNA id); `N/A`… → None; others unchanged."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in NOT_GIVEN:
        return None
    compact = re.sub(r"\s", "", text).upper()
    return compact if re.fullmatch(r"W[0-9A-Z]{9}", compact) else value


def single_line(value: object) -> object:
    """Runs of spaces, tabs and line breaks (Alt+Enter in a spreadsheet cell) → one space."""
    value = blank_to_none(value)
    if value is None:
        return None
    return " ".join(str(value).split())


def undo_double_encoding(value: object) -> object:
    """`HÃ©lÃ¨ne` → `Hélène`: UTF-8 text once decoded as latin-1 (or Windows-1252) and written
    again. Repaired only when unambiguous: the whole value, turned back into bytes, is valid
    UTF-8 (correct French text never is: `é` alone is not a UTF-8 sequence); a value mixing
    repaired and correct accents is left as written."""
    if not isinstance(value, str) or value.isascii():
        return value
    for codec in ("latin-1", "cp1252"):
        try:
            return value.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return value


def name_key(value: object) -> str | None:
    """A name reduced for matching: `Comité des fêtes de Caudebec-lès-Elbeuf` and
    `COMITE DES FETES DE CAUDEBEC LES ELBEUF` → the same key (no accents, capitals, words)."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(re.sub(r"[^0-9A-Za-z]+", " ", plain).upper().split()) or None


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


def siren_key_valid(value: object) -> bool:
    """A SIREN of 9 digits whose Luhn key is valid (La Poste's own, 356000000, is one)."""
    text = str(value) if value is not None else ""
    return bool(re.fullmatch(r"\d{9}", text)) and luhn_valid(text)


# -- Spreadsheet formulas in published cells (CSV injection) -----------------------------------

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`
# first, or a tab or carriage return before them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# After a sign, digits, spaces and the punctuation of numbers and phone numbers only: no name,
# no function, no `|` for DDE. `+33 2 35 77 12 34`, `-12.5` and a lone `-` stay as they are.
NUMBER_OR_PHONE_AFTER_SIGN = re.compile(r"[\d .,()/+-]*")
FORMULA_ESCAPE = "'"


def spreadsheet_formula(value: object) -> bool:
    """True for text a spreadsheet would execute when the CSV is opened: `=HYPERLINK(…)`,
    `+cmd|' /C calc'!A0`, `@SUM(…)`, `-2+3+cmd|…`; never for a number or a phone number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return False
    if value[0] in "+-":
        return not NUMBER_OR_PHONE_AFTER_SIGN.fullmatch(value[1:])
    return True


@dataclass(frozen=True)
class NeutralisedCell:
    """A published cell prefixed with an apostrophe: its 1-based data row (the file's line is
    one more, for the header), its column and the value as it came."""

    row: int
    column: str
    value: str


def neutralise_formulas(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[NeutralisedCell]]:
    """`frame` with every cell a spreadsheet would execute prefixed with an apostrophe (shown as
    text, as OWASP recommends for CSV files), and the list of those cells, row by row."""
    neutralised = []
    published = frame.copy()
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        formulas = values.map(spreadsheet_formula).astype(bool)
        if not formulas.any():
            continue
        published.iloc[:, position] = values.where(~formulas, FORMULA_ESCAPE + values.astype(str))
        neutralised += [
            NeutralisedCell(int(row) + 1, str(column), str(values.iloc[row]))
            for row in formulas.to_numpy().nonzero()[0]
        ]
    return published, sorted(neutralised, key=lambda cell: (cell.row, cell.column))
