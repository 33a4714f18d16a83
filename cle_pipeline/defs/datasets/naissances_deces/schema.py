"""The published table of births and deaths per year (no official schema exists); a count
INSEE declares missing is empty (nullable), never 0."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE


class NaissancesDeces(pa.DataFrameModel):
    """One row per year: the commune's births and deaths."""

    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    annee: Series[pd.Int64Dtype] = pa.Field(
        ge=2000, le=2100, unique=True, description="Année civile"
    )
    # Empty where INSEE publishes the value as missing (status M): unknown, not zero.
    naissances: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Naissances vivantes domiciliées dans la commune (état civil, INSEE) ; "
        "vide : valeur manquante à l'INSEE, pas zéro",
    )
    deces: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description="Décès domiciliés dans la commune (état civil, INSEE) ; vide : valeur "
        "manquante à l'INSEE, pas zéro",
    )

    class Config:
        strict = True
        ordered = True
