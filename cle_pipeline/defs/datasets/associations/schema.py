"""The published table of the commune's active associations (no official schema exists).

Columns keep the RNA's own names, so that a reader of the national register recognises them;
its one-letter codes (`nature`, `groupement`, `position`) are each followed by their label in
French (`*_libelle`).
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.normalise import RNA_ID
from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE
from cle_pipeline.lib.table_schema import DATE, SIRET

# The RNA's codes and their labels. The ministry publishes no code list with the file: these
# are the labels its reusers give them (the codes seen in the Waldec extracts); a code not
# here gets no label, and the warning `codes_have_a_label` names it.
NATURE_LABELS = {
    "D": "Déclarée",
    "R": "Reconnue d'utilité publique",
    "A": "Assistance",
    "B": "Bienfaisance",
    "G": "Intérêt général",
    "M": "Recherche médicale",
    "S": "Recherche scientifique",
    "U": "Cultuelle",
    "I": "Indéterminée",
}
GROUPEMENT_LABELS = {"S": "Simple", "U": "Union", "F": "Fédération"}
POSITION_LABELS = {"A": "Active", "D": "Dissoute", "S": "Supprimée", "R": "Reprise"}
LABELS = {"nature": NATURE_LABELS, "groupement": GROUPEMENT_LABELS, "position": POSITION_LABELS}


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
    nature: Series[str] = pa.Field(
        nullable=True, description="Code de nature du RNA (D : déclarée…), libellé à côté"
    )
    nature_libelle: Series[str] = pa.Field(
        isin=list(NATURE_LABELS.values()),
        nullable=True,
        description="Nature en clair : "
        + ", ".join(f"{code} {label}" for code, label in NATURE_LABELS.items()),
    )
    groupement: Series[str] = pa.Field(
        nullable=True, description="Code de groupement du RNA : S, U ou F, libellé à côté"
    )
    groupement_libelle: Series[str] = pa.Field(
        isin=list(GROUPEMENT_LABELS.values()),
        nullable=True,
        description="Groupement en clair : S association simple, U union, F fédération",
    )
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
    position: Series[str] = pa.Field(isin=["A"], description="Code de position du RNA : A")
    position_libelle: Series[str] = pa.Field(
        isin=[POSITION_LABELS["A"]],
        description="Position en clair : Active (les dissoutes D et supprimées S sont écartées)",
    )
    maj_time: Series[str] = pa.Field(nullable=True, description="Dernière mise à jour au RNA")

    class Config:
        strict = True
        ordered = True
