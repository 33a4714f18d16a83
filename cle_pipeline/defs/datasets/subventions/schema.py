"""The pandera model of `subventions`: schema scdl/subventions 2.1.1, field by field.

Written from the official Table Schema (16 fields, in its order): required fields are not
nullable, enums, patterns and maximum lengths are the schema's own, and its custom checks are
here too: `french-siret-value` on both SIRET columns, `one-of-required` on idBeneficiaire /
rnaBeneficiaire (since 2.1.0 an association may be identified by its RNA number alone; in
2.0.x the SIRET was required). Values are checked as the published text, as validata reads the
CSV: `montant` with a decimal point, ISO dates, `notificationUE` `oui`/`non` (the schema's
trueValues/falseValues: `true`/`false` would be invalid here, unlike in IRVE).
"""

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.normalise import RNA_ID
from cle_pipeline.lib.table_schema import (
    DATE,
    NUMBER,
    OUI_NON,
    SIRET,
    cell_check,
    french_siret_value,
    range_check,
    real_date,
)

SCHEMA_NAME = "scdl/subventions"
SCHEMA_VERSION = "2.1.1"

# Constraints of the schema, verbatim (its SIRET pattern is the one of `lib/table_schema`;
# notificationUE's trueValues + falseValues are `OUI_NON`).
RNA = r"^W\d{9}$"
DATES_PERIODE = r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}(\/[0-9]{4}\-[0-9]{2}\-[0-9]{2})?$"
NATURES = [
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
]
MAX_256 = {"max_value": 256}
POURCENTAGE_MINIMUM = 0.01
POURCENTAGE_MAXIMUM = 1
# Custom checks of the schema: french-siret-value columns, one-of-required pair.
SIRET_COLUMNS = ("idAttribuant", "idBeneficiaire")
ONE_OF_REQUIRED = ("idBeneficiaire", "rnaBeneficiaire")


# What a failure says when the RNA id is real but not in the schema's form: the commune should
# not look for a typo in it.
RNA_ID_REFUSED = (
    "real RNA id that scdl/subventions 2.1.1 does not accept: the schema requires W + 9 digits "
    "(^W\\d{9}$), but the register gives letters to the ids of Corsica and overseas "
    "departments (W2A…, W9R…, W9T… in Mayotte); the id is right, the schema refuses it"
)


def rna_id_the_schema_accepts(text: str) -> bool:
    """False for a real RNA id (`lib/normalise.RNA_ID`) outside the schema's pattern, such as
    Mayotte's `W9T1000001`; True otherwise (a malformed id is the pattern's to report)."""
    return not (re.fullmatch(RNA_ID, text) and not re.fullmatch(RNA, text))


def real_dates_in_order(text: str) -> bool:
    """A date or a period `start/end` whose dates are days of the calendar, the end not before
    the start. Text not in that form passes: the pattern rule reports it."""
    parts = text.split("/")
    if not all(re.fullmatch(DATE, part) for part in parts):
        return True
    # ISO dates sort as text in the order of the calendar.
    return all(real_date(part) for part in parts) and parts == sorted(parts)


class Subventions(pa.DataFrameModel):
    """One row per grant (or share of a grant), the fields of scdl/subventions 2.1.1."""

    nomAttribuant: Series[str] = pa.Field(
        nullable=False, description="Nom officiel de la collectivité attribuant la subvention."
    )
    idAttribuant: Series[str] = pa.Field(
        str_matches=SIRET,
        nullable=False,
        description="SIRET de la collectivité attribuant la subvention (SIREN + NIC).",
    )
    dateConvention: Series[str] = pa.Field(
        str_matches=DATE,
        nullable=False,
        description="Date de la convention au format AAAA-MM-JJ.",
    )
    referenceDecision: Series[str] = pa.Field(
        nullable=True,
        description="Identifiant interne de l’acte matérialisant la décision d’attribution.",
    )
    nomBeneficiaire: Series[str] = pa.Field(
        nullable=False, description="Nom officiel ou raison sociale du bénéficiaire."
    )
    idBeneficiaire: Series[str] = pa.Field(
        nullable=True,
        description="SIRET du bénéficiaire; peut manquer si rnaBeneficiaire est renseigné.",
    )
    rnaBeneficiaire: Series[str] = pa.Field(
        str_matches=RNA,
        nullable=True,
        description="Numéro RNA du bénéficiaire, 'W' suivi de 9 chiffres.",
    )
    objet: Series[str] = pa.Field(
        str_length=MAX_256,
        nullable=False,
        description="Objet de la subvention (256 caractères au plus).",
    )
    montant: Series[str] = pa.Field(
        str_matches=NUMBER,
        nullable=False,
        description="Montant total de la subvention en euros, point décimal.",
    )
    nature: Series[str] = pa.Field(
        isin=NATURES, nullable=False, description="Aide en numéraire et/ou en nature."
    )
    conditionsVersement: Series[str] = pa.Field(
        str_length=MAX_256,
        nullable=False,
        description="'unique', 'échelonné' ou description libre des modalités de versement.",
    )
    datesPeriodeVersement: Series[str] = pa.Field(
        str_matches=DATES_PERIODE,
        nullable=False,
        description="Date (AAAA-MM-JJ) ou période (AAAA-MM-JJ/AAAA-MM-JJ) de versement.",
    )
    idRAE: Series[str] = pa.Field(
        str_length={"max_value": 5},
        nullable=True,
        description="Identifiant au Répertoire des Aides aux Entreprises.",
    )
    notificationUE: Series[str] = pa.Field(
        isin=OUI_NON,
        nullable=False,
        description="Aide d'État notifiée à la Commission européenne : 'oui' ou 'non'.",
    )
    pourcentageSubvention: Series[str] = pa.Field(
        str_matches=NUMBER,
        nullable=False,
        description="Part du montant versée au bénéficiaire, de 0.01 à 1 (1.00 s'il est seul).",
    )
    dispositifAide: Series[str] = pa.Field(
        nullable=True,
        description="Identifiant du dispositif d'aide (schéma des dispositifs d'aide).",
    )

    class Config:
        strict = True
        ordered = True

    # The schema's custom check, its minimum / maximum, and dates that are days, in order.
    siret_key = cell_check(*SIRET_COLUMNS, valid=french_siret_value)
    share_in_range = range_check(
        "pourcentageSubvention", minimum=POURCENTAGE_MINIMUM, maximum=POURCENTAGE_MAXIMUM
    )
    dates = cell_check("dateConvention", "datesPeriodeVersement", valid=real_dates_in_order)
    # The schema's pattern stays the rule (a file that passes here passes validata); this says
    # why a real id fails it.
    real_rna_id = cell_check(
        "rnaBeneficiaire", valid=rna_id_the_schema_accepts, error=RNA_ID_REFUSED
    )

    @pa.dataframe_check(name="one_of_required", ignore_na=False)
    def one_of_required(cls, frame: pd.DataFrame) -> Series[bool]:
        """An association is identified by its SIRET or by its RNA number, at least one."""
        return frame[list(ONE_OF_REQUIRED)].notna().any(axis=1)
