"""The published table of enrolments per school, rentrée 2022 (no official schema exists: the
columns keep the names of the national file `fr-en-ecoles-effectifs-nb_classes`)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.defs.datasets.school_enrolments import SECTEURS, UAI_PATTERN, count
from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE
from cle_pipeline.lib.table_schema import BOOLEAN


class EffectifsScolaires2022(pa.DataFrameModel):
    """One row per primary school at rentrée 2022, pupils per level."""

    rentree_scolaire: Series[pd.Int64Dtype] = pa.Field(
        eq=2022, description="Année de la rentrée scolaire (2022 pour l'année 2022-2023)"
    )
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    numero_ecole: Series[str] = pa.Field(
        str_matches=UAI_PATTERN, description="Numéro UAI de l'école (7 chiffres et une lettre)"
    )
    denomination_principale: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Dénomination principale (ECOLE PRIMAIRE …)"
    )
    patronyme: Series[str] = pa.Field(nullable=True, description="Patronyme de l'école")
    secteur: Series[str] = pa.Field(isin=SECTEURS, description="public ou privé")
    rep: Series[str] = pa.Field(isin=BOOLEAN, description="École en réseau d'éducation prioritaire")
    rep_plus: Series[str] = pa.Field(isin=BOOLEAN, description="École en REP+")
    nombre_total_classes: Series[pd.Int64Dtype] = count("Nombre de classes")
    nombre_total_eleves: Series[pd.Int64Dtype] = count("Nombre total d'élèves")
    nombre_eleves_preelementaire_hors_ulis: Series[pd.Int64Dtype] = count(
        "Élèves de préélémentaire (maternelle), hors ULIS"
    )
    nombre_eleves_elementaire_hors_ulis: Series[pd.Int64Dtype] = count(
        "Élèves d'élémentaire (CP à CM2), hors ULIS"
    )
    nombre_eleves_ulis: Series[pd.Int64Dtype] = count(
        "Élèves en ULIS (unité localisée pour l'inclusion scolaire)"
    )
    nombre_eleves_ueea: Series[pd.Int64Dtype] = count(
        "Élèves en UEEA (comptés à part à partir de la rentrée 2024 ; vide avant)", nullable=True
    )
    nombre_eleves_cp_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CP, hors ULIS")
    nombre_eleves_ce1_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CE1, hors ULIS")
    nombre_eleves_ce2_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CE2, hors ULIS")
    nombre_eleves_cm1_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CM1, hors ULIS")
    nombre_eleves_cm2_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CM2, hors ULIS")

    class Config:
        strict = True
        ordered = True
