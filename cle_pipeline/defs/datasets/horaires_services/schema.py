"""The pandera model of `horaires_services`: schema scdl/equipements 0.1.5, field by field.

Written from the official Table Schema (21 fields, in its order): required fields are not
nullable, enums, patterns and lengths are the schema's own. Values are checked as the text that
is published, as a Table Schema validator reads a CSV: numbers with a decimal point, the
integer ERP category 1 to 5, e-mail addresses and URIs by their form, and the schema's custom
check `french-siret-value` on COLL_SIRET (the SIRET's key; as in validata, a malformed SIRET
fails it as well as the pattern).

The schema gives EQUIP_OUVERTURE no pattern: that its value is OSM `opening_hours` is checked by
the dataset's rule `opening_hours_parse`, with a real parser of that grammar.
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.table_schema import (
    EMAIL,
    INTEGER,
    NUMBER,
    SIRET,
    URI,
    cell_check,
    french_siret_value,
    range_check,
)

SCHEMA_NAME = "scdl/equipements"
SCHEMA_VERSION = "0.1.5"

# Constraints of the schema, verbatim (its SIRET pattern is the one of `lib/table_schema`).
EQUIP_UID = r"^[0-9A-B]{5}-[0-9]{8}-[0-9]{3}"
ADR_NOMVOIE = r"^[a-zA-Z0-9\-\'\s\d\u00C0-\u00FF]+$"
ADR_COMMUNE = r"^[A-Za-z\s\-\u00C0-\u00FF]+$"
ADR_CLE_INTEROP = r"^[A-Za-z0-9_]+$"
THEMES = [
    "Equipement administratif",
    "Equipement de justice",
    "Equipement sanitaire",
    "Equipement social et d'animation",
    "Equipement sportif et de loisirs",
    "Equipement d'enseignement",
    "Equipement cultuel",
    "Equipement culturel",
    "Equipement de mobilité",
    "Autre équipement",
]
ERP_CATEGORIES = ["1", "2", "3", "4", "5"]  # integer, minimum 1, maximum 5


class HorairesServices(pa.DataFrameModel):
    """One row per municipal service, the fields of scdl/equipements 0.1.5."""

    COLL_NOM: Series[str] = pa.Field(
        nullable=False,
        description="Nom officiel de la collectivité sur le territoire de laquelle sont situés…",
    )
    COLL_SIRET: Series[str] = pa.Field(
        str_matches=SIRET,
        nullable=False,
        description="Identifiant SIRET de la collectivité (SIREN + NIC d'un seul tenant)",
    )
    EQUIP_UID: Series[str] = pa.Field(
        str_matches=EQUIP_UID,
        str_length={"max_value": 18},
        nullable=False,
        description="Code INSEE de la commune, tiret, EQUIP_CODE",
    )
    EQUIP_THEME: Series[str] = pa.Field(
        isin=THEMES,
        nullable=False,
        description="Famille de la nomenclature des équipements collectifs publics",
    )
    EQUIP_CODE: Series[str] = pa.Field(
        str_length={"max_value": 12},
        nullable=False,
        description="Code de la nomenclature sur 8 chiffres, tiret, numéro d'ordre sur 3 chiffres",
    )
    EQUIP_TYPE: Series[str] = pa.Field(
        nullable=False, description="Terme de la nomenclature désignant le type d'équipement"
    )
    EQUIP_NOM: Series[str] = pa.Field(
        nullable=False, description="Nom d'usage complet de l'équipement"
    )
    ADR_NUMERO: Series[str] = pa.Field(
        nullable=False,
        description="Numéro dans la voie et son suffixe ('36 bis', '36/38'), 99999 sans numéro",
    )
    ADR_NOMVOIE: Series[str] = pa.Field(
        str_matches=ADR_NOMVOIE,
        str_length={"min_value": 3},
        nullable=False,
        description="Type et nom de la voie ou lieu-dit, en majuscules et minuscules accentuées",
    )
    ADR_CODEPOSTAL: Series[str] = pa.Field(
        str_length={"max_value": 5}, nullable=False, description="Code postal"
    )
    ADR_COMMUNE: Series[str] = pa.Field(
        str_matches=ADR_COMMUNE, nullable=False, description="Commune de l'adresse"
    )
    ADR_CLE_INTEROP: Series[str] = pa.Field(
        str_matches=ADR_CLE_INTEROP,
        str_length={"min_value": 16},
        nullable=True,
        description="Clé d'interopérabilité de la Base adresse locale",
    )
    ERP_ID: Series[str] = pa.Field(
        nullable=True, description="Identifiant d'Etablissement Recevant du Public"
    )
    ERP_TYPE: Series[str] = pa.Field(
        str_length={"max_value": 10},
        nullable=True,
        description="Type d'ERP (une à trois lettres, séparés par des points-virgules)",
    )
    ERP_CATEGORIE: Series[str] = pa.Field(
        str_matches=INTEGER,
        isin=ERP_CATEGORIES,
        nullable=True,
        description="Catégorie d'ERP, de 1 à 5",
    )
    EQUIP_LAT: Series[str] = pa.Field(
        str_matches=NUMBER, nullable=False, description="Latitude WGS 84, point décimal"
    )
    EQUIP_LONG: Series[str] = pa.Field(
        str_matches=NUMBER, nullable=False, description="Longitude WGS 84, point décimal"
    )
    EQUIP_OUVERTURE: Series[str] = pa.Field(
        nullable=True,
        description="Jours et horaires d'ouverture, syntaxe opening_hours d'OpenStreetMap",
    )
    EQUIP_TEL: Series[str] = pa.Field(
        str_length={"max_value": 13},
        nullable=True,
        description="Téléphone, code de rédaction interinstitutionnel européen (+33 140633900)",
    )
    EQUIP_EMAIL: Series[str] = pa.Field(
        str_matches=EMAIL, nullable=True, description="Adresse email (du gestionnaire)"
    )
    EQUIP_WEB: Series[str] = pa.Field(
        str_matches=URI, nullable=True, description="Adresse du site web (du gestionnaire)"
    )

    class Config:
        strict = True
        ordered = True

    # The schema's custom check, and coordinates on the globe (the schema gives no range).
    siret_key = cell_check("COLL_SIRET", valid=french_siret_value)
    latitude_range = range_check("EQUIP_LAT", minimum=-90, maximum=90, name="latitude_range")
    longitude_range = range_check("EQUIP_LONG", minimum=-180, maximum=180, name="longitude_range")
