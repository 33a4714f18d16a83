"""The published table of the commune's active associations (no official schema exists).

Columns keep the RNA's own names, so that a reader of the national register recognises them.
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.normalise import RNA_ID
from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE
from cle_pipeline.lib.table_schema import DATE, SIRET


class Associations(pa.DataFrameModel):
    """The published associations: one row per RNA number, RNA's columns."""

    id: Series[str] = pa.Field(str_matches=RNA_ID, unique=True, description="Numéro RNA")
    id_ex: Series[str] = pa.Field(nullable=True, description="Ancien numéro de préfecture")
    siret: Series[str] = pa.Field(str_matches=SIRET, nullable=True, description="SIRET")
    rup_mi: Series[str] = pa.Field(nullable=True, description="Reconnue d'utilité publique")
    gestion: Series[str] = pa.Field(nullable=True, description="Préfecture ou sous-préfecture")
    date_creat: Series[str] = pa.Field(str_matches=DATE, description="Date de création")
    date_decla: Series[str] = pa.Field(
        str_matches=DATE, nullable=True, description="Date de la dernière déclaration"
    )
    date_publi: Series[str] = pa.Field(
        str_matches=DATE, nullable=True, description="Date de publication au JO"
    )
    nature: Series[str] = pa.Field(nullable=True, description="Nature (D : déclarée…)")
    groupement: Series[str] = pa.Field(nullable=True, description="S simple, U union, F fédération")
    titre: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom")
    titre_court: Series[str] = pa.Field(nullable=True, description="Sigle")
    objet: Series[str] = pa.Field(nullable=True, description="Objet statutaire")
    objet_social1: Series[str] = pa.Field(nullable=True, description="Code d'objet social")
    objet_social2: Series[str] = pa.Field(nullable=True, description="Second code d'objet")
    adrs_complement: Series[str] = pa.Field(nullable=True, description="Siège : complément")
    adrs_numvoie: Series[str] = pa.Field(nullable=True, description="Siège : numéro")
    adrs_repetition: Series[str] = pa.Field(nullable=True, description="Siège : bis, ter…")
    adrs_typevoie: Series[str] = pa.Field(nullable=True, description="Siège : type de voie")
    adrs_libvoie: Series[str] = pa.Field(nullable=True, description="Siège : voie")
    adrs_distrib: Series[str] = pa.Field(nullable=True, description="Siège : distribution")
    adrs_codeinsee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Siège : code INSEE"
    )
    adrs_codepostal: Series[str] = pa.Field(
        str_matches=r"^\d{5}$", nullable=True, description="Siège : code postal"
    )
    adrs_libcommune: Series[str] = pa.Field(nullable=True, description="Siège : commune")
    siteweb: Series[str] = pa.Field(nullable=True, description="Site web")
    position: Series[str] = pa.Field(isin=["A"], description="A : active")
    maj_time: Series[str] = pa.Field(nullable=True, description="Dernière mise à jour au RNA")

    class Config:
        strict = True
        ordered = True
