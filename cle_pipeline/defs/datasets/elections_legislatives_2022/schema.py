"""The published table of the 2022 legislative results by polling station.

No official schema exists: this is the project's tidy long format, one row per round × polling
station × candidate, the station's totals repeated on each of its candidates' rows; as the
presidential table, plus the constituency and the candidate's political nuance.
"""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE

# The Ministry's grid of nuances for the 2022 legislative elections (the `Nuance` column):
# https://www.data.gouv.fr/fr/datasets/r/67d3987a-3f9d-464c-a678-116c25186f66
NUANCES_2022 = [
    "DXG",  # extrême gauche
    "RDG",  # parti radical de gauche
    "NUP",  # Nouvelle union populaire écologique et sociale
    "DVG",  # divers gauche
    "ECO",  # écologistes
    "DIV",  # divers
    "REG",  # régionalistes
    "ENS",  # Ensemble ! (majorité présidentielle)
    "DVC",  # divers centre
    "UDI",  # Union des démocrates et indépendants
    "LR",  # Les Républicains
    "DVD",  # divers droite
    "DSV",  # droite souverainiste
    "REC",  # Reconquête !
    "RN",  # Rassemblement national
    "DXD",  # extrême droite
]


class ElectionsLegislatives2022(pa.DataFrameModel):
    """One row per round, polling station and candidate, with the nuance."""

    tour: Series[pd.Int64Dtype] = pa.Field(
        isin=[1, 2], description="Tour de scrutin : 1 (12 juin 2022) ou 2 (19 juin 2022)"
    )
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    code_circonscription: Series[str] = pa.Field(
        str_matches=r"^\d{2}$",
        description="Numéro de la circonscription législative dans le département (04 : 4e)",
    )
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
        ge=1, description="Numéro du panneau d'affichage du candidat dans la circonscription"
    )
    sexe: Series[str] = pa.Field(isin=["M", "F"], description="Sexe du candidat : M ou F")
    nom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom du candidat")
    prenom: Series[str] = pa.Field(str_length={"min_value": 1}, description="Prénom du candidat")
    nuance: Series[str] = pa.Field(
        isin=NUANCES_2022,
        description="Nuance politique attribuée au candidat par le ministère de l'Intérieur",
    )
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
