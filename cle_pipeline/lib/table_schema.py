"""Table Schema (frictionless) types and constraints for text cells, as validata reads a CSV.

The pandera models written from an official Table Schema (schema.data.gouv.fr) check the text
that is published, cell by cell, the way validata (the validator of those schemas) reads the
CSV. What belongs here is what every such model shares, and nothing of one schema:

- the text form of the Table Schema types and formats (`BOOLEAN`, `INTEGER`, `NUMBER`, `DATE`,
  `LON_LAT`, `EMAIL`, `URI`) and the patterns the schemas all give SIREN and SIRET numbers;
- one-cell predicates for what a pattern cannot say: a real calendar day (`real_date`), a
  `[lon,lat]` point within its ranges (`lon_lat_in_range`), validata's custom checks
  `french-siren-value` and `french-siret-value` (the keys themselves are computed once, in
  `lib/normalise.py`);
- two factories of pandera checks, called in the model's class body with visible arguments:
  `cell_check` (a predicate on each cell) and `range_check` (`minimum` / `maximum`).

Each predicate reports only its own rule: a cell another rule of the column already rejects (a
date that is not in the form of a date, a number that is not a number) passes it, so that a
bad value is reported once, by the rule that names what is wrong. The custom checks are the
exception, as in validata: they are often a column's only rule (`idBeneficiaire`, `expt_siret`
have no pattern), so they reject anything that is not a well-formed number with a valid key.
The patterns and enums of one schema are copied verbatim in its dataset's `schema.py`, field by
field.
"""

import re
from collections.abc import Callable
from datetime import date

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.normalise import siren_key_valid, siret_key_valid

# -- Types and formats, as the text of a CSV cell --------------------------------------------

# boolean: the default trueValues + falseValues (`oui` is not a boolean unless the schema says so).
BOOLEAN = ["true", "false"]
# boolean of the French schemas (DAE, SCDL subventions): their trueValues + falseValues.
OUI_NON = ["oui", "non"]
INTEGER = r"^-?\d+$"
# number: a decimal point, no exponent, no thousands separator (the form the pipeline writes).
NUMBER = r"^-?\d+(\.\d+)?$"
# date, default format: ISO 8601 `YYYY-MM-DD`; that it is a real day is `real_date`'s rule.
DATE = r"^\d{4}-\d{2}-\d{2}$"
# geopoint, format array: `[lon,lat]` in decimal degrees; the ranges are `lon_lat_in_range`'s.
LON_LAT = r"^\[-?\d+(\.\d+)?,-?\d+(\.\d+)?\]$"
# string, format email / uri: their form only, as a validator can check it offline.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URI = r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$"

# -- Patterns the schemas give French identifiers (the same string in each) ------------------

SIREN = r"^\d{9}$"
SIRET = r"^\d{14}$"

# -- One-cell predicates ----------------------------------------------------------------------


def real_date(text: str) -> bool:
    """False for a cell in the form of a date that is no day of the calendar (`2022-02-30`);
    True for a real day, and for any cell not in that form (the `DATE` pattern reports it)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return not re.match(DATE, text)
    return True


def lon_lat_in_range(text: str) -> bool:
    """False for a `[lon,lat]` point outside -180..180 and -90..90; True for one inside, and for
    any cell not in that form (the `LON_LAT` pattern reports it)."""
    if not re.match(LON_LAT, text):
        return True
    lon, lat = (float(part) for part in text.strip("[]").split(","))
    return -180 <= lon <= 180 and -90 <= lat <= 90


def french_siren_value(text: str) -> bool:
    """Validata's custom check `french-siren-value`: nine digits with a valid key."""
    return siren_key_valid(text)


def french_siret_value(text: str) -> bool:
    """Validata's custom check `french-siret-value`: fourteen digits with a valid key (Luhn, or
    La Poste's sum-of-digits rule for its establishments)."""
    return siret_key_valid(text)


# -- Pandera checks ---------------------------------------------------------------------------


def cell_check(
    *columns: str,
    valid: Callable[[str], bool],
    name: str | None = None,
    error: str | None = None,
) -> classmethod:
    """A pandera check of `columns`: each non-empty cell, as text, must satisfy `valid`.

    Named `name`, by default the predicate's own name (`real_date`, `french_siret_value`), so
    that a failure names the rule; `error`, when given, is what a failure says instead (a
    sentence for the commune, where a rule's name is not enough). Assign it in the model's
    class body: `real_dates = cell_check("date_maj", valid=real_date)`."""

    @pa.check(*columns, name=name or valid.__name__, error=error)
    def check(cls, values: Series[str]) -> Series[bool]:
        return values.map(lambda text: valid(str(text))).astype(bool)

    return check


def in_range(
    values: pd.Series, minimum: float | None = None, maximum: float | None = None
) -> pd.Series:
    """True where the number a cell writes is within `minimum`..`maximum` (either may be None),
    and where the cell is not a number at all (the type's pattern reports it)."""
    numbers = pd.to_numeric(values, errors="coerce")
    valid = pd.Series(True, index=values.index)
    if minimum is not None:
        valid &= numbers >= minimum
    if maximum is not None:
        valid &= numbers <= maximum
    return numbers.isna() | valid


def range_check(
    *columns: str,
    minimum: float | None = None,
    maximum: float | None = None,
    name: str | None = None,
) -> classmethod:
    """A pandera check of `columns` for the constraints `minimum` and `maximum` of a number or
    an integer (see `in_range`), named for them (`minimum_-90_maximum_90`, `minimum_0`) unless
    `name` is given."""
    bounds = []
    if minimum is not None:
        bounds.append(f"minimum_{minimum}")
    if maximum is not None:
        bounds.append(f"maximum_{maximum}")
    if not bounds:
        raise ValueError("range_check needs a minimum, a maximum or both")

    @pa.check(*columns, name=name or "_".join(bounds))
    def check(cls, values: Series[str]) -> Series[bool]:
        return in_range(values, minimum, maximum)

    return check
