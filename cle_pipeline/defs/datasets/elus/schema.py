"""The published table of the municipal council (no official schema exists)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE

ISO_DATE = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"


class Elus(pa.DataFrameModel):
    """One row per municipal councillor, public fields of the RNE only."""

    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    nom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom de l'élu (RNE)")
    prenom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Prénom de l'élu (RNE)")
    sexe: Series[str] = pa.Field(isin=["M", "F"], description="Code sexe du RNE : M ou F")
    fonction: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="Libellé de la fonction (Maire, 1er adjoint au Maire…) ; « Conseiller "
        "municipal » pour un élu sans fonction. Un élu qui exerce deux fonctions a une ligne "
        "par fonction.",
    )
    fonction_feminin: Series[str] = pa.Field(
        str_length={"min_value": 1},
        nullable=True,
        description="Pour une élue, le libellé de la fonction au féminin (« Maire », "
        "« 1re adjointe au maire », « 2e adjointe au maire », « Conseillère municipale ») ; "
        "vide pour un élu. Le libellé officiel du RNE, que le répertoire écrit au masculin, "
        "est dans `fonction`.",
    )
    date_debut_mandat: Series[str] = pa.Field(
        str_matches=ISO_DATE, description="Début du mandat de conseiller municipal (AAAA-MM-JJ)"
    )
    date_debut_fonction: Series[str] = pa.Field(
        str_matches=ISO_DATE,
        nullable=True,
        description="Début de la fonction (AAAA-MM-JJ) ; vide pour un conseiller sans fonction",
    )

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(name="fonction_feminin_for_women_only", ignore_na=False)
    def feminine_for_women(cls, frame: pd.DataFrame) -> Series[bool]:
        """A feminine label exactly on the rows of a woman (`sexe` F)."""
        return (frame["sexe"] == "F") == frame["fonction_feminin"].notna()
