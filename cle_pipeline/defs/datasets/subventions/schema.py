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
from datetime import date

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.normalise import siret_key_valid

SCHEMA_NAME = "scdl/subventions"
SCHEMA_VERSION = "2.1.1"

# Type rules of Table Schema, for text cells.
NUMBER = r"^-?\d+(\.\d+)?$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
OUI_NON = ["oui", "non"]  # notificationUE: trueValues + falseValues
# Constraints of the schema, verbatim.
SIRET = r"^\d{14}$"
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


class Subventions(pa.DataFrameModel):
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

    @pa.check(*SIRET_COLUMNS, name="french_siret_value")
    def french_siret_value(cls, values: Series[str]) -> Series[bool]:
        return values.map(lambda text: siret_key_valid(str(text))).astype(bool)

    @pa.check("pourcentageSubvention", name="minimum_0.01_maximum_1")
    def share_in_range(cls, values: Series[str]) -> Series[bool]:
        numbers = pd.to_numeric(values, errors="coerce")
        # Text that is not a number is reported by the pattern rule.
        return numbers.isna() | numbers.between(POURCENTAGE_MINIMUM, POURCENTAGE_MAXIMUM)

    @pa.check("dateConvention", "datesPeriodeVersement", name="real_dates_in_order")
    def real_dates_in_order(cls, values: Series[str]) -> Series[bool]:
        def valid(text: str) -> bool:
            parts = str(text).split("/")
            if not all(re.fullmatch(DATE.strip("^$"), part) for part in parts):
                return True  # the pattern rule reports those
            try:
                days = [date.fromisoformat(part) for part in parts]
            except ValueError:
                return False
            return days == sorted(days)

        return values.map(valid).astype(bool)

    @pa.dataframe_check(name="one_of_required", ignore_na=False)
    def one_of_required(cls, frame: pd.DataFrame) -> Series[bool]:
        """An association is identified by its SIRET or by its RNA number, at least one."""
        return frame[list(ONE_OF_REQUIRED)].notna().any(axis=1)
