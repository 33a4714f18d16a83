"""How `commerces` pairs each Sirene shop with at most one OpenStreetMap element, and each
element with at most one shop, in three parts.

- the candidate index: only plausible pairs are compared (a city has tens of thousands of
  shops): elements near the shop when Sirene places it, else elements of the same name, and
  those at its address (`CandidateIndex`);
- scoring: what evidence a pair has, the strongest first (`Scorer.pair`, `METHODS`);
- assignment: the pairs kept one-to-one, best evidence first (`assign`).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from cle_pipeline.defs.sources.sirene_etablissements import (
    field_text,
    sirene_names,
    sirene_point,
    sirene_street,
)
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.lambert import distance_metres
from cle_pipeline.lib.normalise import blank_to_none, name_key

# Matching thresholds: names that agree at 85 % (after accents and punctuation are removed)
# and places within 150 m: Sirene geocodes the address point, OSM maps the shop front.
NAME_SIMILARITY = 0.85
MAX_DISTANCE_METRES = 150.0
# 0.0015° of latitude is 167 m: farther in latitude is farther than the limit.
MAX_LATITUDE_GAP = 0.0015
# Methods, from the strongest evidence to the weakest; a pair is only ever kept once.
METHODS = ("adresse", "distance", "nom", "adresse_sans_nom")

Point = tuple[float, float]
Address = tuple[str, str | None]


def house_number(value: object) -> str | None:
    """`20`, `20 bis`, `20B` → `20`: the number part that both sources write alike."""
    match = re.match(r"\s*(\d+)", str(blank_to_none(value) or ""))
    return match.group(1) if match else None


class NameComparer:
    """Similarity of names (keys of `name_key`) to one name: 1 for the same name, 0.9 when one
    name's words (two at least) are all in the other, else the ratio of matching characters.
    One comparer per name, so that the character analysis of that name is done once for all
    the names it is compared with."""

    def __init__(self, name: str) -> None:
        self.name, self.words = name, set(name.split())
        self.matcher = difflib.SequenceMatcher(None, "", name)

    def __call__(self, other: str) -> float:
        """The similarity of `other` to this comparer's name, from 0 to 1."""
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


def grid_cell(lon: float, lat: float) -> tuple[int, int]:
    """A grid cell larger than the matching distance (0.003° of longitude is over 200 m even at
    Dunkirk's latitude), so that a place's neighbours are in the 3 × 3 cells around its own."""
    return math.floor(lon / 0.003), math.floor(lat / 0.002)


@dataclass(frozen=True)
class Places:
    """What the matching compares of each row of one side, computed once: its names (keys of
    `name_key`; one per OSM element, several or none per Sirene shop), street (key), house
    number and point (None when Sirene does not place the shop)."""

    names: list[list[str]]
    streets: list[str]
    numbers: list[str | None]
    points: list[Point | None]

    @property
    def addresses(self) -> list[Address]:
        """(street, house number) of each row."""
        return list(zip(self.streets, self.numbers, strict=True))


def sirene_places(shops: pd.DataFrame, commune: Commune) -> Places:
    """The Sirene shops as the matching compares them."""
    records = shops.to_dict("records")
    return Places(
        names=[[(name_key(name) or "") for name in sirene_names(row)] for row in records],
        streets=[(name_key(sirene_street(row)) or "") for row in records],
        numbers=[house_number(field_text(row["numeroVoieEtablissement"])) for row in records],
        points=[sirene_point(row, commune) for row in records],
    )


def osm_places(elements: pd.DataFrame) -> Places:
    """The OSM elements as the matching compares them."""
    return Places(
        names=[[name_key(name) or ""] for name in elements["name"]],
        streets=[(name_key(street) or "") for street in elements["addr_street"]],
        numbers=[house_number(number) for number in elements["addr_housenumber"]],
        points=list(zip(elements["lon"], elements["lat"], strict=True)),
    )


@dataclass(frozen=True)
class Match:
    """A pair kept: the rows of the Sirene shop and of the OSM element, and its evidence."""

    shop: int  # row of the Sirene shops
    element: int  # row of the OSM elements
    method: str
    similarity: float
    distance: float | None


class CandidateIndex:
    """The OSM elements by grid cell, by name and by full address (street and number)."""

    def __init__(self, osm: Places) -> None:
        self.near: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_address: dict[Address, list[int]] = defaultdict(list)
        for j, (point, [name], address) in enumerate(
            zip(osm.points, osm.names, osm.addresses, strict=True)
        ):
            self.near[grid_cell(*point)].append(j)
            self.by_name[name].append(j)
            if address[0] and address[1]:
                self.by_address[address].append(j)

    def candidates(self, names: list[str], point: Point | None, address: Address) -> list[int]:
        """The elements worth comparing with a shop: around it when Sirene places it and names
        it, else of one of its names; and, either way, at its address."""
        if point and names:
            column, row = grid_cell(*point)
            found = [
                j
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for j in self.near.get((column + dx, row + dy), [])
            ]
        else:
            found = [j for name in names for j in self.by_name.get(name, [])]
        return sorted(set(found) | set(self.by_address.get(address, [])))


class Scorer:
    """The evidence of a (shop, element) pair (see `match_osm` for the methods)."""

    def __init__(self, shops: Places, osm: Places) -> None:
        self.shops, self.osm = shops, osm
        self.shop_addresses, self.osm_addresses = shops.addresses, osm.addresses
        self.names_in_sirene = Counter(name for names in shops.names for name in set(names))
        self.names_in_osm = Counter(names[0] for names in osm.names)
        self.nameless_at = Counter(
            address
            for address, names in zip(self.shop_addresses, shops.names, strict=True)
            if not names
        )
        self.elements_at = Counter(self.osm_addresses)

    def pair(self, i: int, j: int, comparers: list[NameComparer]) -> Match | None:
        """The pair's match by its strongest method, or None when it has no evidence."""
        address = self.shop_addresses[i]
        same_address = bool(address[0] and address[1] and address == self.osm_addresses[j])
        point = self.shops.points[i]
        distance = None
        if point:
            target = self.osm.points[j]
            if abs(point[1] - target[1]) > MAX_LATITUDE_GAP and not same_address:
                return None
            distance = distance_metres(*point, *target)
            if distance > MAX_DISTANCE_METRES and not same_address:
                return None
        if not comparers:
            return self._nameless(i, j, same_address, distance)
        name = self.osm.names[j][0]
        similarity = max(compare(name) for compare in comparers)
        if similarity < NAME_SIMILARITY:
            return None
        if same_address:
            return Match(i, j, "adresse", similarity, distance)
        if distance is not None:
            return Match(i, j, "distance", similarity, distance)
        if similarity == 1.0 and self._only_bearers(i, j, name):
            return Match(i, j, "nom", similarity, None)
        return None

    def _nameless(self, i: int, j: int, same_address: bool, distance: float | None) -> Match | None:
        # A shop Sirene names only by its legal unit: the only shop at an address where OSM has
        # a single element.
        address = self.shop_addresses[i]
        if same_address and self.nameless_at[address] == 1 and self.elements_at[address] == 1:
            return Match(i, j, "adresse_sans_nom", 0.0, distance)
        return None

    def _only_bearers(self, i: int, j: int, name: str) -> bool:
        # The exact same name is borne by one shop only on each side, and no street says
        # otherwise.
        shop_street, osm_street = self.shops.streets[i], self.osm.streets[j]
        contradicted = bool(shop_street and osm_street and shop_street != osm_street)
        return self.names_in_osm[name] == 1 and self.names_in_sirene[name] == 1 and not contradicted


def assign(candidates: list[Match]) -> list[Match]:
    """The pairs kept one-to-one, the strongest method first, then the closest names and
    places; sorted by shop."""
    ordered = sorted(
        candidates,
        key=lambda m: (
            METHODS.index(m.method),
            -m.similarity,
            m.distance or 0.0,
            m.shop,
            m.element,
        ),
    )
    kept: list[Match] = []
    used_shops: set[int] = set()
    used_elements: set[int] = set()
    for match in ordered:
        if match.shop in used_shops or match.element in used_elements:
            continue
        kept.append(match)
        used_shops.add(match.shop)
        used_elements.add(match.element)
    return sorted(kept, key=lambda m: m.shop)


def match_osm(shops: pd.DataFrame, elements: pd.DataFrame, commune: Commune) -> list[Match]:
    """Pairs (Sirene shop, OSM element), one-to-one, best evidence first.

    - `adresse`: similar names, same street and house number;
    - `distance`: similar names, OSM place within 150 m of Sirene's geocoded address;
    - `nom`: Sirene has no place for the shop, and the exact same name is borne by one shop
      only on each side (and no address contradicts it);
    - `adresse_sans_nom`: Sirene has no name for the shop (its name is the legal unit's), and
      it is the only shop at an address where OSM has a single element.
    A name alone never matches a shop that Sirene places elsewhere.
    """
    sirene, osm = sirene_places(shops, commune), osm_places(elements)
    index, scorer = CandidateIndex(osm), Scorer(sirene, osm)
    candidates = []
    for i, (names, point, address) in enumerate(
        zip(sirene.names, sirene.points, sirene.addresses, strict=True)
    ):
        comparers = [NameComparer(name) for name in names]
        for j in index.candidates(names, point, address):
            if (match := scorer.pair(i, j, comparers)) is not None:
                candidates.append(match)
    return assign(candidates)
