"""Géo'DAE: the national register of automated external defibrillators (Ministère de la Santé).

Republished every day on data.gouv.fr as a new resource (`…/<timestamp>/geodae.csv`), so the
current file is resolved through the dataset's API record. `;` separator, UTF-8, often with a
BOM, over 50,000 devices. The columns are the schema DAE's names with `c_` in front, plus the
register's own (`gid`, `c_gid`, `c_etat_valid`, `c_doublon`, `c_maj_don`, `the_geom`, `cc_photo1`…),
selected by name. Only the fields the arrêté du 29 octobre 2019 puts in free access are exported:
no serial number, model, manufacturer, maintainer, phones or e-mails.

Quirks: booleans are PostgreSQL's `t`/`f`; `c_disp_j`/`c_disp_h` are PostgreSQL array literals
(`{lundi,"jours fériés"}`); some devices have no `c_com_insee` and are placed by their
coordinates inside the commune's outline (its postal code 76320 is shared with Saint-Pierre).
In files from October 2026 on, `c_disp_j`/`c_disp_h` are replaced by one `c_dispo_horaires`
column in OpenStreetMap `opening_hours` syntax *(reported by reusers, unconfirmed)*: either
layout is accepted, anything else fails.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import DAILY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher, datagouv_latest_resource
from cle_pipeline.lib.geo import Commune, rows_in_commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.normalise import blank_to_none
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header, sql_name

SOURCE = Source(
    id="geodae",
    title="Géo'DAE - Base nationale des défibrillateurs",
    publisher="Ministère de la Santé (Direction générale de la santé)",
    page="https://www.data.gouv.fr/fr/datasets/geodae-base-nationale-des-defibrillateurs/",
    resolve=datagouv_latest_resource("61556e1e9d6adb2df86eb0fc", r"geodae\.csv$"),
    snapshot="geodae.csv",
    cadence=DAILY,
)
FORMAT = CsvFormat(separator=";", encoding="utf-8")

# The schema fields the open-data export carries, each as `c_<field>`.
EXPORTED_FIELDS = [
    "nom", "lat_coor1", "long_coor1", "adr_num", "adr_voie", "com_cp", "com_insee", "com_nom",
    "acc", "acc_lib", "acc_pcsec", "acc_acc", "dae_mobile", "acc_etg", "acc_complt", "photo1",
    "photo2", "disp_complt", "date_instal", "etat", "etat_fonct", "id_euro", "lc_ped",
    "dtpr_lcped", "dtpr_lcad", "dtpr_bat", "freq_mnt", "dispsurv", "dermnt", "expt_siren",
    "expt_rais",
]  # fmt: skip
# The register's own status columns, which decide what is published.
STATUS_COLUMNS = ["c_gid", "c_etat_valid", "c_doublon"]
COLUMNS = [*STATUS_COLUMNS, *(f"c_{name}" for name in EXPORTED_FIELDS)]
# Availability: two PostgreSQL arrays (2020–2026 files), or one opening_hours text (later files).
AVAILABILITY_LAYOUTS = (["c_disp_j", "c_disp_h"], ["c_dispo_horaires"])
# Contacts of the people on site and at the exploitant: personal data (the schema's own example
# is `p.nom@domaine.fr`) kept out of open data by the arrêté; never read, even if a file has them.
PERSONAL_CONTACTS = {
    "c_tel1",
    "c_tel2",
    "c_site_email",
    "c_expt_tel1",
    "c_expt_tel2",
    "c_expt_email",
}

# Devices with the commune's code, and devices without a code whose coordinates fall in the
# commune's bounding box (a cheap prefilter DuckDB runs while streaming the file).
WHERE = """
    c_com_insee = $code
    OR (coalesce(trim(c_com_insee), '') = ''
        AND TRY_CAST(replace(trim(c_long_coor1), ',', '.') AS DOUBLE) BETWEEN $west AND $east
        AND TRY_CAST(replace(trim(c_lat_coor1), ',', '.') AS DOUBLE) BETWEEN $south AND $north)
"""


def availability_layout(header: list[str], label: str) -> list[str]:
    """The availability columns of this file's layout; neither layout is a format error."""
    for layout in AVAILABILITY_LAYOUTS:
        if all(name in header for name in layout):
            return layout
    raise SourceFormatError(
        f"{label}: missing column(s) c_disp_j, c_disp_h (or c_dispo_horaires in the newer layout)"
    )


def point_of(row: pd.Series) -> tuple[float, float] | None:
    """(lon, lat) of a device from `c_long_coor1`/`c_lat_coor1`, None when unreadable."""
    try:
        lon = float(str(blank_to_none(row["c_long_coor1"])).strip().replace(",", "."))
        lat = float(str(blank_to_none(row["c_lat_coor1"])).strip().replace(",", "."))
    except ValueError:
        return None
    return lon, lat


def cut_commune(table: Path, commune: Commune, label: str) -> pd.DataFrame:
    """The commune's devices, every status (filtering is the dataset's job, so that it can say
    what it left out), every column but the personal contacts, as text."""
    header = read_header(table, FORMAT, label)
    availability_layout(header, label)
    kept = [name for name in header if name not in PERSONAL_CONTACTS]
    candidates = query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=WHERE,
        parameters=commune.cut_parameters(),
        select=", ".join(sql_name(name) for name in kept),
        label=label,
    )
    return rows_in_commune(candidates, commune, "c_com_insee", point_of)


# A warning: a commune may have declared no defibrillator yet.
CUT = SourceCut(
    "geodae",
    required=False,
    why="une commune peut n'avoir déclaré aucun défibrillateur dans Géo'DAE ; le jeu "
    "`defibrillateurs` est alors vide.",
    descriptions={
        "gid": "Identifiant technique de la ligne dans l'export",
        "c_gid": "Identifiant Géo'DAE de l'appareil",
        "c_etat_valid": (
            "État de validation de la déclaration (seuls les appareils validés sont gardés par le "
            "jeu publié)"
        ),
        "c_nom": "Nom du site où se trouve l'appareil",
        "c_lat_coor1": "Latitude (WGS 84)",
        "c_long_coor1": "Longitude (WGS 84)",
        "c_com_insee": (
            "Code INSEE de la commune, parfois vide : l'appareil est alors placé par ses "
            "coordonnées dans le contour de la commune"
        ),
        "c_com_cp": "Code postal, partagé par plusieurs communes",
        "c_acc": "Accès de l'appareil (intérieur, extérieur)",
        "c_disp_j": (
            'Jours de disponibilité, tableau PostgreSQL en texte (`{lundi,"jours fériés"}`)'
        ),
        "c_disp_h": "Heures de disponibilité, tableau PostgreSQL en texte",
        "c_etat_fonct": "État de fonctionnement (`En fonctionnement`, `Hors service`…)",
        "c_doublon": "Déclaration en double (`t`/`f`, booléen PostgreSQL)",
        "c_dae_mobile": "Appareil mobile (`t`/`f`) : un appareil mobile n'est pas publié",
        "c_etat": "État de la déclaration dans le registre",
        "c_maj_don": "Date de dernière mise à jour des données",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def geodae(commune: Commune, sources: SourceFetcher):
    """Les défibrillateurs de la commune dans Géo'DAE, quel que soit leur état (en
    fonctionnement ou non, validés ou non, mobiles, signalés comme doublons) : par
    `c_com_insee`, ou par leurs coordonnées dans le contour de la commune quand le code est
    vide ; les colonnes de contact ne sont pas lues."""
    fetched = sources.fetch(SOURCE, commune.code)
    devices = cut_commune(fetched.path, commune, fetched.location)
    by_coordinates = int((devices["c_com_insee"].fillna("").str.strip() == "").sum())
    return CUT.result(
        devices,
        {
            **fetched.metadata(),
            "rows_placed_by_coordinates": by_coordinates,
        },
    )
