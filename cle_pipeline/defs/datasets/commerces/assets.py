"""`commerces`: the commune's shops, cafés, restaurants and personal services, with opening hours.

Built by hand, top to bottom:
1. Sirene gives the list: the commune's active establishments whose NAF code is in
   `NAF_LABELS`, in full diffusion only (an establishment in partial diffusion is never
   published, see the sheet).
2. OpenStreetMap gives places and opening hours: each Sirene shop is matched to at most one
   OSM element, and each element to at most one shop (`matching.py`).
3. The commune's own shop file (source `commerces_inbox`), when it sent one, gives opening
   hours that override OpenStreetMap's for the SIRETs it lists.
"""

from __future__ import annotations

from collections import Counter

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.commerces.matching import METHODS, match_osm
from cle_pipeline.defs.datasets.commerces.schema import NAF_LABELS, NO_HOURS, Commerces
from cle_pipeline.defs.datasets.commerces.sheet import SHEET
from cle_pipeline.defs.sources.sirene_etablissements import (
    field_text,
    sirene_address,
    sirene_names,
)
from cle_pipeline.lib.checks import Rule, coordinates_inside_commune, dataset_checks, one_row_per
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.inbox import LINE
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import blank_to_none, siret_key_valid
from cle_pipeline.lib.opening_hours import osm_syntax_error
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(Commerces.to_schema().columns)


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
        hours = field_text(element.get("opening_hours"))
        rows.append(
            {
                "siret": row["siret"],
                # Without enseigne nor usual name, OSM's name (see NAME_FIELDS).
                "nom": (sirene_names(row) or [field_text(element.get("name"))])[0],
                "activite_naf": row["activitePrincipaleEtablissement"],
                "libelle_activite": NAF_LABELS[row["activitePrincipaleEtablissement"]],
                "adresse": sirene_address(row),
                "code_postal": field_text(row["codePostalEtablissement"]),
                "code_commune_insee": commune.code,
                "nom_commune": commune.name,
                "latitude": element.get("lat"),
                "longitude": element.get("lon"),
                "horaires_osm": hours,
                "source_horaires": "osm" if hours else NO_HOURS,
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
        return None if source == NO_HOURS else f"no hours, yet source_horaires is {source!r}"
    if source == NO_HOURS:
        return f"hours, yet source_horaires is {NO_HOURS!r}"
    return osm_syntax_error(str(hours))


def invalid_hours(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose hours the OSM parser rejects, or whose `source_horaires` contradicts them,
    with the reason (the parser's message, whole: it says where and what it expected)."""
    errors = pd.Series(
        map(hours_error, frame["horaires_osm"], frame["source_horaires"]),
        index=frame.index,
        dtype=object,
    ).dropna()
    failing = frame.loc[errors.index, ["siret", "nom", "horaires_osm", "source_horaires"]]
    return failing.assign(error=errors)


def invalid_siret_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Shops whose SIRET fails its check digit."""
    bad = ~frame["siret"].map(siret_key_valid).astype(bool)
    return frame.loc[bad, ["siret", "nom"]]


def commune_file_rows_not_published(
    frame: pd.DataFrame, commerces_inbox: pd.DataFrame
) -> pd.DataFrame:
    """Lines of the commune's shop file whose SIRET is not a published shop (closed, not a shop,
    in partial diffusion, or mistyped): their hours would otherwise be lost without a word."""
    given = hours_given(commerces_inbox)
    unknown = given[~given["siret"].isin(frame["siret"])]
    return unknown.reset_index()[[LINE, "siret", "horaires"]]


@SHEET.describes
@commune_asset(
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
    one_row_per(
        "one_row_per_siret", "Aucun SIRET n'apparaît deux fois.", ["siret"], ["siret", "nom"]
    ),
    Rule(
        "opening_hours_syntax",
        "Les horaires, quand ils sont connus, sont acceptés par un véritable analyseur de la "
        "syntaxe opening_hours d'OpenStreetMap (opening-hours-py ; un échec montre son "
        "message), et source_horaires vaut `aucune` exactement quand ils sont inconnus.",
        invalid_hours,
    ),
    coordinates_inside_commune(
        "Chaque commerce placé par OpenStreetMap est dans le contour de la commune.",
        ["siret", "nom", "latitude", "longitude"],
        lon="longitude",
        lat="latitude",
        unplaced_pass=True,  # a shop OpenStreetMap does not know is published without a place
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
    commune_of_rows="code_commune_insee",
)

commerces_release = dataset_release(SHEET, Commerces, commerces_checks)
