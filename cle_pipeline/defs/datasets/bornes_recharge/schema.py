"""The pandera model of `bornes_recharge`: schema etalab/schema-irve-statique 2.3.1, field by field.

Written from the official Table Schema (40 fields, in its order): required fields are not
nullable, enums and patterns are the schema's own strings. Values are checked as the text that
is published, as a Table Schema validator (validata) reads a CSV: `true`/`false` booleans (a
producer's `oui` is invalid), ISO dates, `[lon,lat]` coordinates.
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.table_schema import (
    BOOLEAN,
    DATE,
    EMAIL,
    INTEGER,
    LON_LAT,
    NUMBER,
    SIREN,
    cell_check,
    lon_lat_in_range,
    range_check,
    real_date,
)

SCHEMA_NAME = "etalab/schema-irve-statique"
SCHEMA_VERSION = "2.3.1"

# Patterns of the schema, verbatim (its SIREN pattern is the one of `lib/table_schema`).
ITINERANCE_ID = r"(?:(?:^|,)(^[A-Z]{2}[A-Z0-9]{4,33}$|Non concerné))+$"
INSEE_CODE = r"^([013-9]\d|2[AB1-9])\d{3}$"
OPENING_HOURS = r"(.*?)((\d{1,2}:\d{2})-(\d{1,2}:\d{2})|24/7)"


class BornesRecharge(pa.DataFrameModel):
    """One row per charge point, the fields of schema IRVE statique 2.3.1."""

    nom_amenageur: Series[str] = pa.Field(
        nullable=True, description="La dénomination sociale du nom de l'aménageur, c'est à dire de…"
    )
    siren_amenageur: Series[str] = pa.Field(
        str_matches=SIREN,
        nullable=True,
        description="Le numero SIREN de l'aménageur issue de la base SIRENE des entreprises",
    )
    contact_amenageur: Series[str] = pa.Field(
        str_matches=EMAIL, nullable=True, description="Adresse courriel de l'aménageur"
    )
    nom_operateur: Series[str] = pa.Field(
        nullable=True, description="La dénomination sociale de l'opérateur"
    )
    contact_operateur: Series[str] = pa.Field(
        str_matches=EMAIL, nullable=False, description="Adresse courriel de l'opérateur"
    )
    telephone_operateur: Series[str] = pa.Field(
        nullable=True, description="Numéro de téléphone permettant de contacter l'opérateur"
    )
    nom_enseigne: Series[str] = pa.Field(nullable=False, description="Le nom commercial du réseau")
    id_station_itinerance: Series[str] = pa.Field(
        str_matches=ITINERANCE_ID,
        nullable=False,
        description="L'identifiant de la station délivré selon les modalités définies à…",
    )
    id_station_local: Series[str] = pa.Field(
        nullable=True, description="Identifiant de la station utilisé localement"
    )
    nom_station: Series[str] = pa.Field(nullable=False, description="Le nom de la station")
    implantation_station: Series[str] = pa.Field(
        isin=[
            "Voirie",
            "Parking public",
            "Parking privé à usage public",
            "Parking privé réservé à la clientèle",
            "Station dédiée à la recharge rapide",
        ],
        nullable=False,
        description="Le type d'implantation de la station",
    )
    adresse_station: Series[str] = pa.Field(
        nullable=False,
        description="L'adresse complète de la station : [numéro] [rue] [code postal]…",
    )
    code_insee_commune: Series[str] = pa.Field(
        str_matches=INSEE_CODE,
        nullable=True,
        description="Le code INSEE de la commune d'implantation",
    )
    coordonneesXY: Series[str] = pa.Field(
        str_matches=LON_LAT,
        nullable=False,
        description="La longitude suivie de la latitude en degrés décimaux (point comme…",
    )
    nbre_pdc: Series[str] = pa.Field(
        str_matches=INTEGER,
        nullable=False,
        description="Le nombre de points de recharge sur la station",
    )
    id_pdc_itinerance: Series[str] = pa.Field(
        str_matches=ITINERANCE_ID,
        nullable=False,
        description="L'identifiant du point de recharge délivré selon les modalités…",
    )
    id_pdc_local: Series[str] = pa.Field(
        nullable=True, description="Identifiant du point de recharge utilisé localement"
    )
    puissance_nominale: Series[str] = pa.Field(
        str_matches=NUMBER,
        nullable=False,
        description="Puissance maximale en kW que peut recevoir un véhicule connecté au…",
    )
    prise_type_ef: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Disponibilité d'une prise de type E/F sur le point de recharge",
    )
    prise_type_2: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Disponibilité d'une prise de type 2 sur le point de recharge",
    )
    prise_type_combo_ccs: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Disponibilité d'une prise de type Combo / CCS sur le point de recharge",
    )
    prise_type_chademo: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Disponibilité d'une prise de type Chademo sur le point de recharge",
    )
    prise_type_autre: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Disponibilité d'une prise d'un autre type sur le point de recharge",
    )
    gratuit: Series[str] = pa.Field(
        isin=BOOLEAN, nullable=True, description="Gratuité de la recharge"
    )
    paiement_acte: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Possibilité de paiement à l'acte (sans identification ni abonnement)",
    )
    paiement_cb: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=True,
        description="Possibilité de paiement par carte bancaire (présence d'un terminal…",
    )
    paiement_autre: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=True,
        description="Possibilité de paiement par un autre moyen (qui peut être précisé…",
    )
    tarification: Series[str] = pa.Field(
        nullable=True, description="Toutes informations pouvant être apportées concernant les…"
    )
    condition_acces: Series[str] = pa.Field(
        isin=["Accès libre", "Accès réservé"],
        nullable=False,
        description="Éventuelles conditions d’accès à la station, hors gabarit",
    )
    reservation: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="Possibilité de réservation à l'avance d'un point de recharge",
    )
    horaires: Series[str] = pa.Field(
        str_matches=OPENING_HOURS, nullable=False, description="Amplitude d’ouverture de la station"
    )
    accessibilite_pmr: Series[str] = pa.Field(
        isin=[
            "Réservé PMR",
            "Accessible mais non réservé PMR",
            "Non accessible",
            "Accessibilité inconnue",
        ],
        nullable=False,
        description="Accessibilité du point de recharge aux personnes à mobilité réduite",
    )
    restriction_gabarit: Series[str] = pa.Field(
        nullable=False,
        description="Toutes informations relatives aux restrictions d’accès liées au…",
    )
    station_deux_roues: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=False,
        description="La station est-elle réservée aux véhicules à deux roues ? Indiquer…",
    )
    raccordement: Series[str] = pa.Field(
        isin=["Direct", "Indirect"],
        nullable=True,
        description="Type de raccordement de la station au réseau de distribution…",
    )
    num_pdl: Series[str] = pa.Field(
        nullable=True,
        description="Numéro du point de livraison d'électricité, y compris en cas de…",
    )
    date_mise_en_service: Series[str] = pa.Field(
        str_matches=DATE, nullable=True, description="Date de mise en service de la station"
    )
    observations: Series[str] = pa.Field(
        nullable=True, description="Champ destiné à préciser les modalités d'accès à la recharge,…"
    )
    date_maj: Series[str] = pa.Field(
        str_matches=DATE, nullable=False, description="Date de mise à jour des données"
    )
    cable_t2_attache: Series[str] = pa.Field(
        isin=BOOLEAN,
        nullable=True,
        description="Champ destiné à préciser si un câble T2 est attaché au point de…",
    )

    class Config:
        strict = True
        ordered = True

    # The schema's `minimum: 0`, the ranges of a geopoint, and dates that are days.
    not_negative = range_check("nbre_pdc", "puissance_nominale", minimum=0)
    lon_lat_ranges = cell_check("coordonneesXY", valid=lon_lat_in_range, name="lon_lat_ranges")
    real_dates = cell_check("date_mise_en_service", "date_maj", valid=real_date)
