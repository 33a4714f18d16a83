"""`horaires_services`: the commune's services and their opening hours, schema scdl/equipements.

One row per municipal office of the commune in the DILA directory (mairie, CCAS, police
municipale): its address, coordinates, contacts and opening hours in OpenStreetMap syntax.
Offices of the State or of social bodies located in the commune (commissariat, CAF…) are in the
directory too, but are not the commune's services: they are left out and counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.horaires_services.schema import HorairesServices
from cle_pipeline.defs.datasets.horaires_services.sheet import SHEET
from cle_pipeline.lib.checks import Rule, coordinates_inside_commune, dataset_checks, one_row_per
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import blank_to_none, international_phone, number_text
from cle_pipeline.lib.opening_hours import (
    OpeningHoursError,
    OpeningRange,
    osm_opening_hours,
    osm_syntax_error,
)
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(HorairesServices.to_schema().columns)


@dataclass(frozen=True)
class Equipement:
    """Where a type of office sits in the nomenclature of public equipment (CRIGE PACA)."""

    theme: str
    code: str  # 8 digits, level 3 or 4 of the nomenclature
    type: str


# The directory's `type_service_local` of the commune's own services. The mairie's code is the
# schema's own example (01010401, "Mairie"); the other two follow the nomenclature's layout
# (family, sub-family, levels 3 and 4) and are to be confirmed against its spreadsheet.
MUNICIPAL_SERVICES = {
    "mairie": Equipement("Equipement administratif", "01010401", "Mairie"),
    "ccas": Equipement(
        "Equipement social et d'animation", "04010101", "Centre communal d'action sociale"
    ),
    "police_municipale": Equipement("Equipement administratif", "01030101", "Police municipale"),
}
NO_STREET_NUMBER = "99999"  # what the schema asks for a street or place without numbers
# `12 bis rue …`, `36-38 avenue …`, `4B place …`: a number, a range, a repetition suffix.
STREET_NUMBER = re.compile(
    r"^(?P<number>\d+(?:\s*[-/]\s*\d+)?)"
    r"(?:\s*(?P<suffix>bis|ter|quater|quinquies|[a-z])\b)?"
    r"[\s,]+(?P<street>\S.*)$",
    re.IGNORECASE,
)
SUFFIXES = {"quater": "qua", "quinquies": "qui"}  # the schema's three-letter codes


def nested(text: object) -> list[dict[str, Any]]:
    """A nested field of the directory (JSON text, checked by the source) as a list of dicts."""
    value = blank_to_none(text)
    if value is None:
        return []
    items = json.loads(value) if isinstance(value, str) else value
    return [item for item in items if isinstance(item, dict)]


def service_type(pivot: object) -> str | None:
    """`[{"type_service_local": "mairie", …}]` → `mairie`: the first type the pivot names."""
    for entry in nested(pivot):
        kind = blank_to_none(entry.get("type_service_local"))
        if kind is not None:
            return str(kind).strip()
    return None


def physical_address(addresses: list[dict[str, Any]]) -> dict[str, Any]:
    """The office's street address: the entry typed `Adresse` (the directory may list the
    postal one, a BP without coordinates, first), else one with coordinates, else the first."""
    for wanted in (
        lambda entry: entry.get("type_adresse") == "Adresse",
        lambda entry: blank_to_none(entry.get("latitude")) is not None,
        lambda entry: True,
    ):
        for entry in addresses:
            if wanted(entry):
                return entry
    return {}


def street_name(text: str) -> str:
    """Spaces collapsed, typographic apostrophes and the œ ligature in the characters the
    schema's pattern allows (Latin-1 letters and `'`), the first letter capitalised."""
    name = " ".join(text.split()).replace("’", "'").replace("œ", "oe").replace("Œ", "Oe")
    return name[:1].upper() + name[1:]


def split_street(numero_voie: object) -> tuple[str | None, str | None]:
    """`12 bis rue Sadi-Carnot` → (`12 bis`, `Rue Sadi-Carnot`); `36-38 rue X` → (`36/38`, …);
    `Place Aristide-Briand` → (`99999`, `Place Aristide-Briand`); nothing → (None, None)."""
    text = blank_to_none(numero_voie)
    if text is None:
        return None, None
    match = STREET_NUMBER.match(" ".join(str(text).split()))
    if not match:
        return NO_STREET_NUMBER, street_name(str(text))
    number = re.sub(r"\s*[-/]\s*", "/", match.group("number"))
    suffix = match.group("suffix")
    if suffix:
        number += " " + SUFFIXES.get(suffix.lower(), suffix.lower())
    return number, street_name(match.group("street"))


def first_value(entries: list[dict[str, Any]]) -> object:
    """The first non-blank `valeur` of the directory's list of entries."""
    for entry in entries:
        value = blank_to_none(entry.get("valeur"))
        if value is not None:
            return str(value).strip()
    return None


def first_email(text: object) -> object:
    """`adresse_courriel` is text in the API and a JSON list in the DILA's dump; several
    addresses may be separated by `;`: the first one."""
    value = blank_to_none(text)
    if value is None:
        return None
    value = str(value).strip()
    if value.startswith("["):
        items = [str(item) for item in json.loads(value) if blank_to_none(item) is not None]
        return items[0].strip() if items else None
    return value.split(";")[0].strip() or None


def web_address(text: object) -> object:
    """`www.example.fr` → `http://www.example.fr` (a URI needs its scheme; every server answers
    http and redirects); other values unchanged for the check to see."""
    value = blank_to_none(text)
    if value is None:
        return None
    value = str(value).strip()
    if re.match(r"^www\.[^\s/]+\.[a-z]{2,}", value, re.IGNORECASE):
        return "http://" + value
    return value


def opening_hours_of(plages: object) -> str | None:
    """The directory's `plage_ouverture` in OSM syntax. What cannot be translated is kept,
    marked and explained, so that the check `opening_hours_parse` fails on its row."""
    ranges = [
        OpeningRange(
            first_day=str(entry.get("nom_jour_debut") or ""),
            last_day=entry.get("nom_jour_fin"),
            times=[
                (entry.get("valeur_heure_debut_1"), entry.get("valeur_heure_fin_1")),
                (entry.get("valeur_heure_debut_2"), entry.get("valeur_heure_fin_2")),
            ],
            comment=entry.get("commentaire"),
        )
        for entry in nested(plages)
    ]
    try:
        return osm_opening_hours(ranges)
    except OpeningHoursError as error:
        return f"(non traduit) {error}"


def to_schema(offices: pd.DataFrame, commune: Commune) -> tuple[pd.DataFrame, Counter[str]]:
    """The commune's municipal offices in the 21 columns of scdl/equipements, and the count of
    offices left out by directory type."""
    left_out: Counter[str] = Counter()
    rows = []
    for office in offices.to_dict("records"):
        kind = service_type(office["pivot"])
        equipement = MUNICIPAL_SERVICES.get(kind or "")
        if equipement is None:
            left_out[kind or "(sans type)"] += 1
            continue
        address = physical_address(nested(office["adresse"]))
        number, street = split_street(address.get("numero_voie"))
        rows.append(
            {
                "_kind": kind,
                "_id": office["id"],
                "_siret": office["siret"],
                "EQUIP_THEME": equipement.theme,
                "_code": equipement.code,
                "EQUIP_TYPE": equipement.type,
                "EQUIP_NOM": " ".join(str(office["nom"]).split()),
                "ADR_NUMERO": number,
                "ADR_NOMVOIE": street,
                "ADR_CODEPOSTAL": blank_to_none(address.get("code_postal")),
                "ADR_COMMUNE": blank_to_none(address.get("nom_commune")) or commune.name,
                "EQUIP_LAT": number_text(address.get("latitude")),
                "EQUIP_LONG": number_text(address.get("longitude")),
                "EQUIP_OUVERTURE": opening_hours_of(office["plage_ouverture"]),
                "EQUIP_TEL": international_phone(first_value(nested(office["telephone"]))),
                "EQUIP_EMAIL": first_email(office["adresse_courriel"]),
                "EQUIP_WEB": web_address(first_value(nested(office["site_internet"]))),
            }
        )
    table = pd.DataFrame(rows, columns=[*COLUMNS, "_kind", "_id", "_siret", "_code"])
    table = table.sort_values(["_code", "EQUIP_NOM", "_id"], kind="stable")
    # Order numbers per nomenclature code, in a stable order (name, then directory id).
    order = table.groupby("_code").cumcount() + 1
    table["EQUIP_CODE"] = table["_code"] + "-" + order.map("{:03d}".format)
    table["EQUIP_UID"] = commune.code + "-" + table["EQUIP_CODE"]
    table["COLL_NOM"] = commune.name
    # The commune's SIRET is its mairie's in the directory; without it the schema fails.
    mairies = table.loc[table["_kind"] == "mairie", "_siret"].map(blank_to_none).dropna()
    table["COLL_SIRET"] = re.sub(r"\s", "", str(mairies.iloc[0])) if len(mairies) else None
    table = table.sort_values("EQUIP_UID", kind="stable").reset_index(drop=True)
    return table[COLUMNS].map(blank_to_none).astype(object), left_out


def unparsable_opening_hours(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose EQUIP_OUVERTURE the OSM parser rejects, with its message."""
    errors = frame["EQUIP_OUVERTURE"].map(
        lambda text: None if blank_to_none(text) is None else osm_syntax_error(str(text))
    )
    failing = frame.loc[errors.notna(), ["EQUIP_UID", "EQUIP_NOM", "EQUIP_OUVERTURE"]]
    return failing.assign(parser_error=errors[errors.notna()].str.slice(0, 200))


def missing_mairie(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Every commune has a mairie in the directory: none means the cut or the source failed."""
    if (frame["EQUIP_TYPE"] == "Mairie").any():
        return pd.DataFrame(columns=["probleme"])
    return pd.DataFrame({"probleme": [f"aucune mairie pour {commune.name} ({commune.code})"]})


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "schema": "scdl-equipements"},
)
def horaires_services(
    annuaire_service_public: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `annuaire_service_public` (annuaire de la DILA) : les services de la
    commune (mairie, CCAS, police municipale) au schéma scdl/equipements 0.1.5, horaires
    d'ouverture en syntaxe OpenStreetMap."""
    table, left_out = to_schema(annuaire_service_public, commune)
    metadata = published_metadata(table, HorairesServices)
    metadata["offices_left_out"] = (
        ", ".join(f"{kind}: {count}" for kind, count in sorted(left_out.items())) or "none"
    )
    return dg.Output(table, metadata=metadata)


RULES = [
    Rule(
        "opening_hours_parse",
        "Chaque EQUIP_OUVERTURE est accepté comme opening_hours d'OpenStreetMap par un "
        "véritable analyseur de cette grammaire (opening-hours-py), pas une expression "
        "régulière.",
        unparsable_opening_hours,
    ),
    coordinates_inside_commune(
        "Les EQUIP_LONG/EQUIP_LAT de chaque service sont dans le contour de la commune.",
        ["EQUIP_UID", "EQUIP_NOM", "EQUIP_LAT", "EQUIP_LONG"],
        lon="EQUIP_LONG",
        lat="EQUIP_LAT",
    ),
    one_row_per(
        "one_row_per_equipement",
        "Aucun EQUIP_UID n'apparaît deux fois.",
        ["EQUIP_UID"],
        ["EQUIP_UID", "EQUIP_NOM"],
    ),
    Rule(
        "mairie_present",
        "La mairie de la commune est dans le jeu (toute commune en a une dans l'annuaire).",
        missing_mairie,
        inputs=("commune",),
    ),
]


def equipments_of_other_communes(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Rows whose EQUIP_UID does not start with the commune's INSEE code (the schema builds
    the identifier as `<code INSEE>-<EQUIP_CODE>`)."""
    other = ~frame["EQUIP_UID"].fillna("").astype(str).str.startswith(f"{code}-")
    return frame.loc[other, ["EQUIP_UID", "EQUIP_NOM", "ADR_COMMUNE"]]


horaires_services_checks = dataset_checks(
    SHEET,
    HorairesServices,
    volume=VolumeLimit(
        0.5,
        "une poignée de services municipaux : un service fermé est une vraie baisse, la moitié ne"
        " l'est pas",
    ),
    rules=RULES,
    commune_of_rows=equipments_of_other_communes,
)

horaires_services_release = dataset_release(SHEET, HorairesServices, horaires_services_checks)
