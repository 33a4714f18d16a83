"""The pandera model of `defibrillateurs`: schema atlasante/schema-dae 1.0.7, field by field.

Written from the official Table Schema (46 fields, in its order): required fields are not
nullable, enums and patterns are the schema's own strings, and its custom checks (SIREN and
SIRET keys) are checks here. Values are checked as the text that is published, as a Table
Schema validator (validata) reads a CSV: booleans are the schema's `oui`/`non`, dates ISO,
numbers with a decimal point.

One deliberate difference: six fields the schema requires are withheld from open data by the
arrêté du 29 octobre 2019 (the national export does not carry them) and are published empty,
so they are nullable here: `tel1`, `fab_rais`, `modele`, `num_serie`, `expt_tel1`, `expt_email`
(`WITHHELD_REQUIRED`). Their patterns still apply to any value. The schema's `unique` on
`num_serie` is the rule `one_row_per_num_serie` of the dataset (pandera's `unique` would count
empty cells as duplicates).
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.table_schema import (
    DATE,
    EMAIL,
    NUMBER,
    OUI_NON,
    SIREN,
    cell_check,
    french_siren_value,
    french_siret_value,
    range_check,
    real_date,
)

SCHEMA_NAME = "atlasante/schema-dae"
SCHEMA_VERSION = "1.0.7"

# Fields the schema requires that open data does not carry (published empty).
WITHHELD_REQUIRED = ("tel1", "fab_rais", "modele", "num_serie", "expt_tel1", "expt_email")

# Patterns of the schema, verbatim (its SIREN pattern is the one of `lib/table_schema`).
CODE_POSTAL = r"^\d{5}$"
CODE_INSEE = r"^\d[AB\d]\d{3}$"
TELEPHONE = r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+590|\+508|\+681)(\d){6,9}$"
PHOTO = r"^https?://(?:[a-z0-9\-]+\.)+[a-z]{2,6}(?:/[^/#?]+)+\.(?:jpg|jpeg|gif|png)"
DISP_J = (
    r"^(7j/7|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|jours fériés|événements){1}"
    r"(\|(7j/7|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|jours fériés|événements))*$"
    r"|^(non renseigné){1}$"
)
DISP_H = (
    r"^(heures ouvrables|heures de nuit|24h/24){1}(\|(heures ouvrables|heures de nuit|24h/24))*$"
    r"|^(non renseigné){1}$"
)
DATE_FIELDS = ("date_instal", "dtpr_lcped", "dtpr_lcad", "dtpr_bat", "dermnt")


class Defibrillateurs(pa.DataFrameModel):
    """One row per defibrillator, the fields of schema DAE 1.0.7."""

    nom: Series[str] = pa.Field(nullable=False, description="Nom donné au DAE")
    lat_coor1: Series[str] = pa.Field(str_matches=NUMBER, nullable=False, description="Latitude")
    long_coor1: Series[str] = pa.Field(str_matches=NUMBER, nullable=False, description="Longitude")
    adr_num: Series[str] = pa.Field(nullable=True, description="Numéro de la voie")
    adr_voie: Series[str] = pa.Field(nullable=True, description="Type et nom de la voie")
    com_cp: Series[str] = pa.Field(
        str_matches=CODE_POSTAL,
        nullable=True,
        description="Code Postal de la commune d'implantation du DAE",
    )
    com_insee: Series[str] = pa.Field(
        str_matches=CODE_INSEE,
        nullable=True,
        description="Code Insee de la commune d'implantation du DAE",
    )
    com_nom: Series[str] = pa.Field(
        nullable=True, description="Nom de la commune d'implantation du DAE"
    )
    acc: Series[str] = pa.Field(
        isin=["Intérieur", "Extérieur"], nullable=False, description="Environnement d'accès du DAE"
    )
    acc_lib: Series[str] = pa.Field(isin=OUI_NON, nullable=False, description="Accès libre du DAE")
    acc_pcsec: Series[str] = pa.Field(isin=OUI_NON, nullable=True, description="Poste de sécurité")
    acc_acc: Series[str] = pa.Field(
        isin=OUI_NON, nullable=True, description="Présence d'un accueil public"
    )
    dae_mobile: Series[str] = pa.Field(isin=OUI_NON, nullable=True, description="DAE mobile")
    acc_etg: Series[str] = pa.Field(nullable=True, description="Etage d'accessibilité du DAE")
    acc_complt: Series[str] = pa.Field(
        nullable=True, description="Complément d'information sur l'accès au DAE"
    )
    photo1: Series[str] = pa.Field(
        str_matches=PHOTO,
        nullable=True,
        description="Photo 1 du DAE dans son environnement (URL d'un fichier jpg, png ou gif)",
    )
    photo2: Series[str] = pa.Field(
        str_matches=PHOTO,
        nullable=True,
        description="Photo 2 du DAE dans son environnement (URL d'un fichier jpg, png ou gif)",
    )
    disp_j: Series[str] = pa.Field(
        str_matches=DISP_J,
        nullable=False,
        description="Pour les DAE non-disponibles 7j/7, détail de la disponibilité de l'appareil",
    )
    disp_h: Series[str] = pa.Field(
        str_matches=DISP_H,
        nullable=False,
        description="Pour les DAE non-disponibles 24h/24, détail de la disponibilité de l'appareil",
    )
    disp_complt: Series[str] = pa.Field(
        nullable=True, description="Complément d'information sur la disponibilité du DAE"
    )
    # Required by the schema, withheld from open data: see WITHHELD_REQUIRED.
    tel1: Series[str] = pa.Field(
        str_matches=TELEPHONE,
        nullable=True,
        description="Numéro de téléphone 1 sur le site d'implantation du DAE",
    )
    tel2: Series[str] = pa.Field(
        str_matches=TELEPHONE,
        nullable=True,
        description="Numéro 2 de téléphone 1 sur le site d'implantation du DAE",
    )
    site_email: Series[str] = pa.Field(
        str_matches=EMAIL,
        nullable=True,
        description="Adresse email de contact du site où le DAE a été implanté",
    )
    date_instal: Series[str] = pa.Field(
        str_matches=DATE, nullable=True, description="Date d'installation du DAE"
    )
    etat: Series[str] = pa.Field(
        isin=["Actif", "A supprimer", "Non identifié"], nullable=True, description="Etat du DAE"
    )
    etat_fonct: Series[str] = pa.Field(
        isin=[
            "En fonctionnement",
            "Hors service",
            "Supprimé définitivement",
            "Absent momentanément",
            "Inconnu",
        ],
        nullable=False,
        description="Etat de fonctionnement du DAE",
    )
    fab_siren: Series[str] = pa.Field(
        str_matches=SIREN, nullable=True, description="Numéro SIREN du fabricant du DAE"
    )
    # Required by the schema, withheld from open data.
    fab_rais: Series[str] = pa.Field(
        nullable=True, description="Raison sociale du fabricant du DAE"
    )
    mnt_siren: Series[str] = pa.Field(
        str_matches=SIREN, nullable=True, description="Numéro SIREN du mainteneur du DAE"
    )
    mnt_rais: Series[str] = pa.Field(
        nullable=True, description="Raison sociale du mainteneur du DAE"
    )
    # Required by the schema, withheld from open data.
    modele: Series[str] = pa.Field(nullable=True, description="Nom du modèle de DAE")
    # Required (and unique) by the schema, withheld from open data.
    num_serie: Series[str] = pa.Field(nullable=True, description="Numéro de série du DAE")
    id_euro: Series[str] = pa.Field(
        nullable=True, description="Identifiant unique du dispositif (IUD européen)"
    )
    lc_ped: Series[str] = pa.Field(
        isin=OUI_NON, nullable=True, description="Présence d'électrodes pédiatriques"
    )
    dtpr_lcped: Series[str] = pa.Field(
        str_matches=DATE,
        nullable=True,
        description="Date de péremption des électrodes pédiatriques exprimée au format ISO 8601",
    )
    dtpr_lcad: Series[str] = pa.Field(
        str_matches=DATE,
        nullable=True,
        description="Date de péremption des électrodes adultes exprimée au format ISO 8601",
    )
    dtpr_bat: Series[str] = pa.Field(
        str_matches=DATE,
        nullable=True,
        description="Date de péremption de la batterie exprimée au format ISO 8601",
    )
    freq_mnt: Series[str] = pa.Field(nullable=True, description="Fréquence de la maintenance")
    dispsurv: Series[str] = pa.Field(
        isin=OUI_NON, nullable=True, description="Dispositif de surveillance à distance du DAE"
    )
    dermnt: Series[str] = pa.Field(
        str_matches=DATE, nullable=False, description="Date de la dernière maintenance du DAE"
    )
    expt_siren: Series[str] = pa.Field(
        nullable=False, description="Numéro SIREN de l'exploitant du DAE"
    )
    expt_siret: Series[str] = pa.Field(
        nullable=True, description="Numéro SIRET de l'exploitant du DAE"
    )
    expt_rais: Series[str] = pa.Field(
        nullable=False, description="Raison sociale de l'exploitant du DAE"
    )
    # Required by the schema, withheld from open data.
    expt_tel1: Series[str] = pa.Field(
        str_matches=TELEPHONE, nullable=True, description="Numéro de téléphone 1 de l'exploitant"
    )
    expt_tel2: Series[str] = pa.Field(
        str_matches=TELEPHONE, nullable=True, description="Numéro de téléphone 2 de l'exploitant"
    )
    # Required by the schema, withheld from open data.
    expt_email: Series[str] = pa.Field(
        str_matches=EMAIL, nullable=True, description="Adresse électronique de l'exploitant"
    )

    class Config:
        strict = True
        ordered = True

    # The schema's minimum / maximum, dates that are days, and its custom checks.
    latitude_range = range_check("lat_coor1", minimum=-90, maximum=90)
    longitude_range = range_check("long_coor1", minimum=-180, maximum=180)
    real_dates = cell_check(*DATE_FIELDS, valid=real_date)
    siren_value = cell_check("expt_siren", "fab_siren", "mnt_siren", valid=french_siren_value)
    siret_value = cell_check("expt_siret", valid=french_siret_value)
