"""The published table of the 2022 presidential results by polling station.

No official schema exists: this is the project's tidy long format, one row per round × polling
station × candidate, the station's totals repeated on each of its candidates' rows.
"""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE


class ElectionsPresidentielle2022(pa.DataFrameModel):
    """One row per round, polling station and candidate."""

    tour: Series[pd.Int64Dtype] = pa.Field(
        isin=[1, 2], description="Tour de scrutin : 1 (10 avril 2022) ou 2 (24 avril 2022)"
    )
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    code_bureau: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Code du bureau de vote dans la commune (0001…)"
    )
    inscrits: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Électeurs inscrits du bureau")
    abstentions: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Inscrits n'ayant pas voté")
    votants: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Électeurs ayant voté")
    blancs: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Bulletins blancs")
    nuls: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Bulletins nuls")
    exprimes: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Suffrages exprimés : votants moins blancs et nuls"
    )
    numero_panneau: Series[pd.Int64Dtype] = pa.Field(
        ge=1, description="Numéro du panneau d'affichage du candidat (ordre officiel)"
    )
    sexe: Series[str] = pa.Field(isin=["M", "F"], description="Sexe du candidat : M ou F")
    nom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom du candidat")
    prenom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Prénom du candidat")
    voix: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Voix obtenues dans le bureau")
    pct_voix_inscrits: Series[float] = pa.Field(
        ge=0, le=100, description="Voix en pourcentage des inscrits (2 décimales, fichier source)"
    )
    pct_voix_exprimes: Series[float] = pa.Field(
        ge=0, le=100, description="Voix en pourcentage des exprimés (2 décimales, fichier source)"
    )

    class Config:
        strict = True
        ordered = True
        # A candidate appears once per station and round.
        unique = ("tour", "code_bureau", "numero_panneau")
