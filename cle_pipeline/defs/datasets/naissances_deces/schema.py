"""The published table of births and deaths per year (no official schema exists)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE


class NaissancesDeces(pa.DataFrameModel):
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    annee: Series[pd.Int64Dtype] = pa.Field(
        ge=2000, le=2100, unique=True, description="Année civile"
    )
    naissances: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Naissances domiciliées dans la commune (état civil, INSEE)"
    )
    deces: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Décès domiciliés dans la commune (état civil, INSEE)"
    )

    class Config:
        strict = True
        ordered = True
