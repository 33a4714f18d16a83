"""The published table of enrolments per school and school year, with one commune total row
per year (no official schema exists: the columns keep the names of the national file, plus
`niveau_agregation` and `nombre_ecoles`)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.defs.datasets.school_enrolments import (
    SECTEURS,
    UAI_PATTERN,
    count,
)
from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE
from cle_pipeline.lib.table_schema import BOOLEAN

LEVELS = ["ecole", "commune"]


class EvolutionEffectifsScolaires(pa.DataFrameModel):
    """One row per school and school year, and one commune total row per year."""

    niveau_agregation: Series[str] = pa.Field(
        isin=LEVELS,
        description="ecole : une école ; commune : total des écoles de la commune pour l'année",
    )
    rentree_scolaire: Series[pd.Int64Dtype] = pa.Field(
        ge=2000, le=2100, description="Année de la rentrée scolaire (2022 pour 2022-2023)"
    )
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    numero_ecole: Series[str] = pa.Field(
        str_matches=UAI_PATTERN, nullable=True, description="Numéro UAI (vide sur le total)"
    )
    denomination_principale: Series[str] = pa.Field(
        nullable=True, description="Dénomination principale (vide sur le total)"
    )
    patronyme: Series[str] = pa.Field(nullable=True, description="Patronyme de l'école")
    secteur: Series[str] = pa.Field(
        isin=SECTEURS, nullable=True, description="public ou privé (vide sur le total)"
    )
    rep: Series[str] = pa.Field(isin=BOOLEAN, nullable=True, description="École en REP")
    rep_plus: Series[str] = pa.Field(isin=BOOLEAN, nullable=True, description="École en REP+")
    nombre_ecoles: Series[pd.Int64Dtype] = count("1 pour une école ; nombre d'écoles sur le total")
    nombre_total_classes: Series[pd.Int64Dtype] = count("Nombre de classes")
    nombre_total_eleves: Series[pd.Int64Dtype] = count("Nombre total d'élèves")
    nombre_eleves_preelementaire_hors_ulis: Series[pd.Int64Dtype] = count(
        "Élèves de préélémentaire (maternelle), hors ULIS"
    )
    nombre_eleves_elementaire_hors_ulis: Series[pd.Int64Dtype] = count(
        "Élèves d'élémentaire (CP à CM2), hors ULIS"
    )
    nombre_eleves_ulis: Series[pd.Int64Dtype] = count("Élèves en ULIS")
    nombre_eleves_ueea: Series[pd.Int64Dtype] = count(
        "Élèves en UEEA (comptés à part à partir de la rentrée 2024 ; vide avant)", nullable=True
    )
    nombre_eleves_cp_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CP, hors ULIS")
    nombre_eleves_ce1_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CE1, hors ULIS")
    nombre_eleves_ce2_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CE2, hors ULIS")
    nombre_eleves_cm1_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CM1, hors ULIS")
    nombre_eleves_cm2_hors_ulis: Series[pd.Int64Dtype] = count("Élèves de CM2, hors ULIS")

    @pa.dataframe_check(error="a school row names its school (UAI, name, sector); a total does not")
    def school_fields_only_on_school_rows(cls, frame: pd.DataFrame) -> pd.Series:
        """A school row names its school; a commune row names none."""
        school = frame["niveau_agregation"] == "ecole"
        named = (
            frame["numero_ecole"].notna()
            & frame["denomination_principale"].notna()
            & frame["secteur"].notna()
        )
        anonymous = frame[["numero_ecole", "denomination_principale", "secteur"]].isna().all(axis=1)
        return (school & named) | (~school & anonymous)

    class Config:
        strict = True
        ordered = True
