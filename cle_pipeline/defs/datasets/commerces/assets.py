"""`commerces`: the commune's shops, cafés, restaurants and personal services, with opening hours.

Built by hand, top to bottom:
1. Sirene gives the list: the commune's active establishments whose NAF code is in
   `NAF_LABELS`, in full diffusion only (an establishment in partial diffusion is never
   published, see the sheet).
2. OpenStreetMap gives places and opening hours: each Sirene shop is matched to at most one
   OSM element, and each element to at most one shop (`match_osm`).
3. The commune's own shop file (source `commerces_inbox`), when it sent one, gives opening
   hours that override OpenStreetMap's for the SIRETs it lists.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.commerces.schema import NAF_LABELS, Commerces
from cle_pipeline.defs.datasets.commerces.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.inbox import LINE
from cle_pipeline.lib.lambert import distance_metres, lambert93_to_lon_lat
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import blank_to_none, name_key, siret_key_valid
from cle_pipeline.lib.opening_hours import osm_syntax_error
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(Commerces.to_schema().columns)
NOT_DIFFUSED = "[ND]"  # what INSEE writes in the protected fields of partial diffusion

# Sirene's street types (typeVoieEtablissement) as OSM mappers write them in `addr:street`.
STREET_TYPES = {
    "ALL": "ALLEE", "AV": "AVENUE", "BD": "BOULEVARD", "CAR": "CARREFOUR", "CHE": "CHEMIN",
    "CHS": "CHAUSSEE", "CITE": "CITE", "COR": "CORNICHE", "CRS": "COURS", "DOM": "DOMAINE",
    "DSC": "DESCENTE", "ECA": "ECART", "ESP": "ESPLANADE", "FG": "FAUBOURG", "GR": "GRANDE RUE",
    "HAM": "HAMEAU", "HLE": "HALLE", "IMP": "IMPASSE", "LD": "LIEU DIT", "LOT": "LOTISSEMENT",
    "MAR": "MARCHE", "MTE": "MONTEE", "PARC": "PARC", "PAS": "PASSAGE", "PASS": "PASSAGE",
    "PL": "PLACE", "PLN": "PLAINE", "PLT": "PLATEAU", "PRO": "PROMENADE", "PRV": "PARVIS",
    "QUA": "QUARTIER", "QUAI": "QUAI", "RES": "RESIDENCE", "RLE": "RUELLE", "ROC": "ROCADE",
    "RPT": "ROND POINT", "RTE": "ROUTE", "RUE": "RUE", "SEN": "SENTIER", "SQ": "SQUARE",
    "TPL": "TERRE PLEIN", "TRA": "TRAVERSE", "VLA": "VILLA", "VLGE": "VILLAGE", "VOIE": "VOIE",
    "ZA": "ZONE ARTISANALE", "ZAC": "ZONE D'AMENAGEMENT CONCERTE", "ZI": "ZONE INDUSTRIELLE",
}  # fmt: skip
REPETITION = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}

# Matching thresholds: names that agree at 85 % (after accents and punctuation are removed)
# and places within 150 m: Sirene geocodes the address point, OSM maps the shop front.
NAME_SIMILARITY = 0.85
MAX_DISTANCE_METRES = 150.0
# Methods, from the strongest evidence to the weakest; a pair is only ever kept once.
METHODS = ("adresse", "distance", "nom", "adresse_sans_nom")


# Sirene's names of an establishment, in its order of preference. The legal unit's name is
# never read: for an individual entrepreneur it is the person's.
NAME_FIELDS = [
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
]


def _text(value: object) -> str | None:
    """Text of a Sirene field, None when blank or protected (`[ND]`)."""
    value = blank_to_none(value)
    text = None if value is None else str(value).strip()
    return None if text == NOT_DIFFUSED else text


def sirene_names(row: Mapping[str, Any]) -> list[str]:
    """The names under which the establishment trades, in Sirene's order of preference."""
    return [name for name in (_text(row[field]) for field in NAME_FIELDS) if name]


def sirene_street(row: Mapping[str, Any]) -> str | None:
    """`RUE SADI CARNOT` from `RUE` + `SADI CARNOT`, street types spelled out (`PL` → PLACE)."""
    street = _text(row["libelleVoieEtablissement"])
    if street is None:
        return None
    kind = _text(row["typeVoieEtablissement"])
    return " ".join(filter(None, [STREET_TYPES.get(kind or "", kind), street]))


def sirene_address(row: Mapping[str, Any]) -> str | None:
    """`20 BIS RUE SADI CARNOT`, preceded by the address complement when there is one."""
    number = _text(row["numeroVoieEtablissement"])
    repetition = _text(row["indiceRepetitionEtablissement"])
    street = sirene_street(row)
    line = " ".join(filter(None, [number, REPETITION.get(repetition or "", repetition), street]))
    complement = _text(row["complementAdresseEtablissement"])
    return ", ".join(filter(None, [complement, line])) or None


def sirene_point(row: Mapping[str, Any], commune: Commune) -> tuple[float, float] | None:
    """(lon, lat) of the establishment from its Lambert-93 coordinates; None overseas (Sirene
    writes UTM there) and when INSEE did not geocode it."""
    if commune.department.startswith("97"):
        return None
    x = _text(row["coordonneeLambertAbscisseEtablissement"])
    y = _text(row["coordonneeLambertOrdonneeEtablissement"])
    if x is None or y is None:
        return None
    try:
        return lambert93_to_lon_lat(float(x), float(y))
    except ValueError:
        return None


def house_number(value: object) -> str | None:
    """`20`, `20 bis`, `20B` → `20`: the number part that both sources write alike."""
    match = re.match(r"\s*(\d+)", str(blank_to_none(value) or ""))
    return match.group(1) if match else None


class _NameComparer:
    """Similarity of names (keys of `name_key`) to one name: 1 for the same name, 0.9 when one
    name's words (two at least) are all in the other, else the ratio of matching characters.
    One comparer per name, so that the character analysis of that name is done once for all
    the names it is compared with."""

    def __init__(self, name: str) -> None:
        self.name, self.words = name, set(name.split())
        self.matcher = difflib.SequenceMatcher(None, "", name)

    def __call__(self, other: str) -> float:
        if not self.name or not other:
            return 0.0
        if other == self.name:
            return 1.0
        words = set(other.split())
        shorter = min(words, self.words, key=len)
        if len(shorter) >= 2 and (words <= self.words or self.words <= words):
            return 0.9
        self.matcher.set_seq1(other)
        # Cheap upper bounds first: most pairs are told apart without the full comparison.
        for bound in (self.matcher.real_quick_ratio, self.matcher.quick_ratio):
            if (ratio := bound()) < NAME_SIMILARITY:
                return ratio
        return self.matcher.ratio()


def _cell(lon: float, lat: float) -> tuple[int, int]:
    """A grid cell larger than the matching distance (0.003° of longitude is over 200 m even at
    Dunkirk's latitude), so that a place's neighbours are in the 3 × 3 cells around its own."""
    return math.floor(lon / 0.003), math.floor(lat / 0.002)


def shops_in_sirene(establishments: pd.DataFrame) -> pd.DataFrame:
    """The establishments that may be published: active, in full diffusion, with a NAF rév. 2
    code of the documented list."""
    keep = (
        (establishments["etatAdministratifEtablissement"] == "A")
        # Partial diffusion: never published, not even its non-protected fields (see the sheet).
        & (establishments["statutDiffusionEtablissement"] == "O")
        # A NAF rév. 1 code may look like a rév. 2 one; only rév. 2 codes are compared.
        & (establishments["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2")
        & establishments["activitePrincipaleEtablissement"].isin(list(NAF_LABELS))
    )
    return establishments[keep].sort_values("siret", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Match:
    shop: int  # row of the Sirene shops
    element: int  # row of the OSM elements
    method: str
    similarity: float
    distance: float | None


def match_osm(shops: pd.DataFrame, elements: pd.DataFrame, commune: Commune) -> list[Match]:
    """Pairs (Sirene shop, OSM element), one-to-one, best evidence first:

    - `adresse`: similar names, same street and house number;
    - `distance`: similar names, OSM place within 150 m of Sirene's geocoded address;
    - `nom`: Sirene has no place for the shop, and the exact same name is borne by one shop
      only on each side (and no address contradicts it);
    - `adresse_sans_nom`: Sirene has no name for the shop (its name is the legal unit's), and
      it is the only shop at an address where OSM has a single element.
    A name alone never matches a shop that Sirene places elsewhere.
    """
    records = shops.to_dict("records")
    shop_names = [[(name_key(name) or "") for name in sirene_names(row)] for row in records]
    shop_points = [sirene_point(row, commune) for row in records]
    shop_streets = [(name_key(sirene_street(row)) or "") for row in records]
    shop_numbers = [house_number(_text(row["numeroVoieEtablissement"])) for row in records]
    osm_names = [(name_key(name) or "") for name in elements["name"]]
    osm_streets = [(name_key(street) or "") for street in elements["addr_street"]]
    osm_numbers = [house_number(number) for number in elements["addr_housenumber"]]
    osm_points = list(zip(elements["lon"], elements["lat"], strict=True))

    name_counts_sirene = Counter(name for names in shop_names for name in set(names))
    name_counts_osm = Counter(osm_names)
    addresses = list(zip(shop_streets, shop_numbers, strict=True))
    nameless_at = Counter(a for a, names in zip(addresses, shop_names, strict=True) if not names)
    osm_addresses = list(zip(osm_streets, osm_numbers, strict=True))
    osm_at = Counter(osm_addresses)

    # Only plausible pairs are compared (a city has tens of thousands of shops): elements near
    # the shop when Sirene places it, else elements of the same name, and those at its address.
    near: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, point in enumerate(osm_points):
        near[_cell(*point)].append(j)
    by_name: dict[str, list[int]] = defaultdict(list)
    for j, name in enumerate(osm_names):
        by_name[name].append(j)
    by_address: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for j, address in enumerate(osm_addresses):
        if address[0] and address[1]:
            by_address[address].append(j)

    candidates: list[Match] = []
    for i in range(len(shops)):
        point = shop_points[i]
        comparers = [_NameComparer(name) for name in shop_names[i]]
        if point and shop_names[i]:
            column, row = _cell(*point)
            others = [
                j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in near[column + dx, row + dy]
            ]
        else:
            others = [j for name in shop_names[i] for j in by_name.get(name, [])]
        for j in sorted(set(others) | set(by_address.get(addresses[i], []))):
            same_address = bool(
                shop_streets[i] and shop_numbers[i] and addresses[i] == osm_addresses[j]
            )
            distance = None
            if point:
                # 0.0015° of latitude is 167 m: farther in latitude is farther than the limit.
                if abs(point[1] - osm_points[j][1]) > 0.0015 and not same_address:
                    continue
                distance = distance_metres(*point, *osm_points[j])
                if distance > MAX_DISTANCE_METRES and not same_address:
                    continue
            if not shop_names[i]:
                if same_address and nameless_at[addresses[i]] == 1 and osm_at[addresses[i]] == 1:
                    candidates.append(Match(i, j, "adresse_sans_nom", 0.0, distance))
                continue
            similarity = max(compare(osm_names[j]) for compare in comparers)
            if similarity < NAME_SIMILARITY:
                continue
            if same_address:
                candidates.append(Match(i, j, "adresse", similarity, distance))
            elif distance is not None:
                candidates.append(Match(i, j, "distance", similarity, distance))
            elif (
                similarity == 1.0
                and name_counts_osm[osm_names[j]] == 1
                and name_counts_sirene[osm_names[j]] == 1
                and not (osm_streets[j] and shop_streets[i] and osm_streets[j] != shop_streets[i])
            ):
                candidates.append(Match(i, j, "nom", similarity, None))

    candidates.sort(
        key=lambda m: (METHODS.index(m.method), -m.similarity, m.distance or 0.0, m.shop, m.element)
    )
    kept: list[Match] = []
    used_shops: set[int] = set()
    used_elements: set[int] = set()
    for match in candidates:
        if match.shop in used_shops or match.element in used_elements:
            continue
        kept.append(match)
        used_shops.add(match.shop)
        used_elements.add(match.element)
    return sorted(kept, key=lambda m: m.shop)


# -- the transform ---------------------------------------------------------------------------
def hours_given(shop_file: pd.DataFrame) -> pd.DataFrame:
    """The rows of the commune's shop file (`commerces_inbox`) that give hours: a row without
    hours says nothing, it neither overrides OpenStreetMap nor needs a published shop."""
    return shop_file[shop_file["horaires"].map(blank_to_none).notna()]


def shops_of_commune(
    establishments: pd.DataFrame,
    elements: pd.DataFrame,
    commune: Commune,
    shop_file: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The published table, and counts of what was left out or matched (for the metadata)."""
    shops = shops_in_sirene(establishments)
    elements = elements.reset_index(drop=True)
    matches = {m.shop: m for m in match_osm(shops, elements, commune)}

    rows = []
    for i, row in enumerate(shops.to_dict("records")):
        match = matches.get(i)
        element = elements.loc[match.element] if match else {}
        hours = _text(element.get("opening_hours"))
        rows.append(
            {
                "siret": row["siret"],
                # Without enseigne nor usual name, OSM's name (see NAME_FIELDS).
                "nom": (sirene_names(row) or [_text(element.get("name"))])[0],
                "activite_naf": row["activitePrincipaleEtablissement"],
                "libelle_activite": NAF_LABELS[row["activitePrincipaleEtablissement"]],
                "adresse": sirene_address(row),
                "code_postal": _text(row["codePostalEtablissement"]),
                "code_commune_insee": commune.code,
                "nom_commune": commune.name,
                "latitude": element.get("lat"),
                "longitude": element.get("lon"),
                "horaires_osm": hours,
                "source_horaires": "osm" if hours else "none",
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"latitude": float, "longitude": float})

    listed = pd.Series(False, index=table.index)
    if shop_file is not None:
        # The commune knows its shops: its hours win over OpenStreetMap's.
        given = hours_given(shop_file).drop_duplicates("siret", keep="last")
        commune_hours = given.set_index("siret")["horaires"]
        listed = table["siret"].isin(commune_hours.index)
        table.loc[listed, "horaires_osm"] = table.loc[listed, "siret"].map(commune_hours)
        table.loc[listed, "source_horaires"] = "commune"

    partial = int((establishments["statutDiffusionEtablissement"] != "O").sum())
    methods = Counter(m.method for m in matches.values())
    report = {
        "establishments_in_sirene": len(establishments),
        "partial_diffusion_left_out": partial,
        "not_a_shop_left_out": len(establishments) - len(shops) - partial,
        "osm_elements": len(elements),
        "osm_elements_unmatched": len(elements) - len(matches),
        **{f"matched_by_{method}": methods[method] for method in METHODS},
        "hours_from_osm": int((table["source_horaires"] == "osm").sum()),
        "hours_from_commune": int(listed.sum()),
    }
    return table, report


# -- business rules ---------------------------------------------------------------------------
def hours_error(hours: object, source: str) -> str | None:
    """What is wrong with a row's hours: the OSM parser's message, or a `source_horaires` that
    contradicts them (`none` exactly when there are none); None when nothing is."""
    if blank_to_none(hours) is None:
        return None if source == "none" else f"no hours, yet source_horaires is {source!r}"
    if source == "none":
        return "hours, yet source_horaires is 'none'"
    return osm_syntax_error(str(hours))


def invalid_hours(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Rows whose hours the OSM parser rejects, or whose `source_horaires` contradicts them,
    with the reason (the parser's message, whole: it says where and what it expected)."""
    errors = pd.Series(
        map(hours_error, frame["horaires_osm"], frame["source_horaires"]),
        index=frame.index,
        dtype=object,
    ).dropna()
    failing = frame.loc[errors.index, ["siret", "nom", "horaires_osm", "source_horaires"]]
    return failing.assign(error=errors)


def invalid_siret_keys(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    bad = ~frame["siret"].map(siret_key_valid).astype(bool)
    return frame.loc[bad, ["siret", "nom"]]


def duplicated_sirets(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    duplicated = frame["siret"].duplicated(keep=False)
    return frame.loc[duplicated, ["siret", "nom"]]


def points_outside_commune(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Shops placed by OpenStreetMap outside the commune's outline (unplaced shops pass)."""
    placed = frame.dropna(subset=["latitude", "longitude"])
    outside = [
        not commune.contains(lon, lat)
        for lon, lat in zip(placed["longitude"], placed["latitude"], strict=True)
    ]
    return placed.loc[outside, ["siret", "nom", "latitude", "longitude"]]


def commune_file_rows_not_published(
    frame: pd.DataFrame, commune: Commune, commerces_inbox: pd.DataFrame
) -> pd.DataFrame:
    """Lines of the commune's shop file whose SIRET is not a published shop (closed, not a shop,
    in partial diffusion, or mistyped): their hours would otherwise be lost without a word."""
    given = hours_given(commerces_inbox)
    unknown = given[~given["siret"].isin(frame["siret"])]
    return unknown.reset_index()[[LINE, "siret", "horaires"]]


@SHEET.describes
@dg.asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "licence": SHEET.licence},
)
def commerces(
    sirene_etablissements: pd.DataFrame,
    osm_commerces: pd.DataFrame,
    commerces_inbox: pd.DataFrame,
    commune: Commune,
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `sirene_etablissements` (commerces, cafés, restaurants et services à
    la personne actifs), placés et dotés d'horaires par `osm_commerces` ou par le fichier de la
    commune `commerces_inbox` (ODbL)."""
    table, report = shops_of_commune(sirene_etablissements, osm_commerces, commune, commerces_inbox)
    return dg.Output(table, metadata={**published_metadata(table, Commerces), **report})


RULES = [
    Rule(
        "siret_key_valid",
        "Chaque SIRET a 14 chiffres et une clé de Luhn valide (les établissements de La Poste, "
        "SIREN 356000000 hors siège, suivent la règle de l'INSEE : somme des chiffres "
        "multiple de 5).",
        invalid_siret_keys,
    ),
    Rule("one_row_per_siret", "Aucun SIRET n'apparaît deux fois.", duplicated_sirets),
    Rule(
        "opening_hours_syntax",
        "Les horaires, quand ils sont connus, sont acceptés par un véritable analyseur de la "
        "syntaxe opening_hours d'OpenStreetMap (opening-hours-py ; un échec montre son "
        "message), et source_horaires vaut `none` exactement quand ils sont inconnus.",
        invalid_hours,
    ),
    Rule(
        "coordinates_inside_commune",
        "Chaque commerce placé par OpenStreetMap est dans le contour de la commune.",
        points_outside_commune,
    ),
    Rule(
        "commune_file_rows_published",
        "Chaque SIRET auquel le fichier des commerces de la commune donne des horaires (source "
        "commerces_inbox : CLE_INBOX_DIR/<commune>/commerces*.csv|xlsx) est un commerce "
        "publié : aucun horaire fourni par la commune n'est perdu en silence.",
        commune_file_rows_not_published,
        inputs=("commerces_inbox",),
    ),
]

commerces_checks = dataset_checks(
    SHEET,
    Commerces,
    volume=VolumeLimit(
        0.3,
        "les commerces ferment quelques-uns à la fois ; un tiers disparu d'un stock Sirene au "
        "suivant, c'est une découpe ratée",
    ),
    rules=RULES,
)
