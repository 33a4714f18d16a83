"""`defibrillateurs`: the commune's defibrillators in working order, in schema DAE 1.0.7.

Géo'DAE's open data withholds six fields the schema requires (`WITHHELD_REQUIRED`); the commune,
operator of its own devices, completes them with its file (source `defibrillateurs_inbox`),
matched to the register's devices by Géo'DAE id or by position. Without it they stay empty and
the warning (non-blocking rule) `withheld_fields_completed` lists them.
"""

import math
import re

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.defibrillateurs.schema import (
    DATE_FIELDS,
    WITHHELD_REQUIRED,
    Defibrillateurs,
)
from cle_pipeline.defs.datasets.defibrillateurs.sheet import SHEET
from cle_pipeline.defs.sources.defibrillateurs_inbox import POSITION_TOLERANCE_METRES, coordinate
from cle_pipeline.defs.sources.geodae import point_of
from cle_pipeline.lib.checks import Rule, coordinates_inside_commune, dataset_checks, one_row_per
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, markdown_table, published_metadata
from cle_pipeline.lib.normalise import (
    MASKED_NUMBER,
    MOBILE_NUMBER,
    blank_to_none,
    international_phone,
    iso_date,
    mask_mobile_numbers,
    number_text,
    oui_non,
    postgres_array,
)
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(Defibrillateurs.to_schema().columns)
FRENCH_BOOLEANS = ["acc_lib", "acc_pcsec", "acc_acc", "dae_mobile", "lc_ped", "dispsurv"]
AS_EXPORTED = [
    "adr_num", "adr_voie", "com_cp", "com_insee", "com_nom", "acc", "acc_etg", "etat",
    "etat_fonct", "id_euro", "freq_mnt", "expt_siren", "expt_rais",
]  # fmt: skip
# Free text written by the exploitant for the public: mobile numbers in it are masked.
FREE_TEXT = ["nom", "acc_complt", "disp_complt"]
# Not in the open-data export (restricted by the arrêté du 29 octobre 2019); taken from
# `c_<field>` if an export ever carries them, else published empty.
NOT_EXPORTED = [
    "fab_siren", "fab_rais", "mnt_siren", "mnt_rais", "modele", "num_serie", "expt_siret",
]  # fmt: skip
# Second contacts and the site's e-mail, that no one needs to reach the device: often a person's
# (the schema's example is p.nom@domaine.fr), never published, whatever the source holds.
PERSONAL_CONTACTS = ["tel2", "site_email", "expt_tel2"]
# The contacts the schema requires: the site's and the operator's switchboard and mailbox, which
# the commune gives in its completion file; published, unless they look like a person's.
SERVICE_CONTACTS = ["tel1", "expt_tel1", "expt_email"]
PHONES = ["tel1", "expt_tel1"]
# Mailboxes of private persons: a consumer provider's domain, or `p.nom@` (an initial and a name).
CONSUMER_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com",
    "outlook.fr", "outlook.com", "live.fr", "live.com", "msn.com", "orange.fr", "wanadoo.fr",
    "free.fr", "sfr.fr", "neuf.fr", "club-internet.fr", "laposte.net", "bbox.fr",
    "numericable.fr", "aliceadsl.fr", "icloud.com", "me.com", "aol.com", "gmx.fr", "gmx.com",
    "protonmail.com", "proton.me",
}  # fmt: skip
INITIAL_AND_NAME = re.compile(r"^[a-z][._-][a-z]+$")

NOT_STATED = "non renseigné"
WORKING = "En fonctionnement"
VALIDATED = "validées"
# Every value the register's status columns are known to hold (the Géo'DAE export, read by its
# reusers); a device with any other value is left out and listed, never guessed about.
KNOWN_STATUS_VALUES = {
    "c_etat_fonct": {
        "En fonctionnement",
        "Hors service",
        "Supprimé définitivement",
        "Absent momentanément",
        "Inconnu",
    },
    "c_etat_valid": {"validées", "en attente de validation"},
    "c_dae_mobile": {"t", "f"},
    "c_doublon": {"t", "f"},
    "c_etat": {"Actif", "A supprimer", "Non identifié", ""},
}
# The newer export's single opening_hours column, for the two spellings that say the same as
# the schema's lists; other schedules keep their text in disp_complt.
OPENING_HOURS_AS_LISTS = {"24/7": ("7j/7", "24h/24"), "Mo-Su off": (NOT_STATED, NOT_STATED)}


def exclusion_reason(device: pd.Series) -> str | None:
    """Why a device of the register is not published, or None when it is: the dataset keeps
    devices in working order, validated, fixed (not mobile), not flagged as duplicates and not
    marked for deletion."""
    status = {
        column: str(blank_to_none(device[column]) or "").strip() for column in KNOWN_STATUS_VALUES
    }
    for column, value in status.items():
        if value not in KNOWN_STATUS_VALUES[column]:
            return f"unexpected value {column}={value!r}"
    if status["c_etat_fonct"] != WORKING:
        return f"not in working order ({status['c_etat_fonct']})"
    if status["c_etat_valid"] != VALIDATED:
        return f"not validated ({status['c_etat_valid']})"
    if status["c_dae_mobile"] == "t":
        return "mobile device"
    if status["c_doublon"] == "t":
        return "flagged as a duplicate"
    if status["c_etat"] == "A supprimer":
        return "marked for deletion (A supprimer)"
    return None


def schema_list(value: object) -> object:
    """A PostgreSQL array `{lundi,mardi}` → `lundi|mardi`; empty → `non renseigné`; anything
    else unchanged for the check to see."""
    items = postgres_array(value)
    if items is None or items == []:
        return NOT_STATED
    if isinstance(items, list):
        return "|".join(item.strip() for item in items)
    return items


def availability(device: pd.Series) -> tuple[object, object, object]:
    """(disp_j, disp_h, disp_complt) from either layout of the export."""
    complement = mask_mobile_numbers(blank_to_none(device["c_disp_complt"]))
    if "c_disp_j" in device.index:
        return schema_list(device["c_disp_j"]), schema_list(device["c_disp_h"]), complement
    hours = str(blank_to_none(device["c_dispo_horaires"]) or "").strip()
    if not hours or hours in OPENING_HOURS_AS_LISTS:
        days, periods = OPENING_HOURS_AS_LISTS.get(hours, (NOT_STATED, NOT_STATED))
        return days, periods, complement
    # A detailed schedule has no equivalent in the schema's lists: kept whole, as text.
    stated = f"Horaires : {hours}"
    return NOT_STATED, NOT_STATED, f"{stated}. {complement}" if complement else stated


def photo_url(*candidates: object) -> object:
    """The first candidate that is a web address: the export's `c_photo*` columns hold file
    names on the register's server, `cc_photo1` the full address."""
    for candidate in candidates:
        text = blank_to_none(candidate)
        if text is not None and str(text).strip().startswith(("http://", "https://")):
            return str(text).strip()
    return None


def to_schema(
    devices: pd.DataFrame, commune: Commune, completed: dict[str, dict[str, object]] | None = None
) -> pd.DataFrame:
    """The 46 columns of the schema, in its order, with values in its formats; one row per
    device, in the register's order (`c_gid`). `completed` ({c_gid: {field: value}}) holds the
    commune's values of the fields Géo'DAE withholds; phones are written `+33…`."""
    completed = completed or {}
    rows = []
    for _, device in devices.iterrows():
        row: dict[str, object] = {
            name: blank_to_none(device.get(f"c_{name}")) for name in AS_EXPORTED + NOT_EXPORTED
        }
        row |= {name: mask_mobile_numbers(blank_to_none(device[f"c_{name}"])) for name in FREE_TEXT}
        row |= {name: oui_non(device[f"c_{name}"]) for name in FRENCH_BOOLEANS}
        row |= {name: iso_date(device[f"c_{name}"]) for name in DATE_FIELDS}
        row |= {name: None for name in PERSONAL_CONTACTS + SERVICE_CONTACTS}
        given = completed.get(str(device["c_gid"]), {})
        row |= {name: given[name] for name in WITHHELD_REQUIRED if given.get(name) is not None}
        # The schema's pattern: +33 and the digits, no space.
        row |= {name: international_phone(row[name], separator="") for name in PHONES}
        row["lat_coor1"] = number_text(device["c_lat_coor1"])
        row["long_coor1"] = number_text(device["c_long_coor1"])
        row["disp_j"], row["disp_h"], row["disp_complt"] = availability(device)
        row["photo1"] = photo_url(device.get("cc_photo1"), device["c_photo1"])
        row["photo2"] = photo_url(device["c_photo2"])
        # Devices placed by their coordinates get the commune's code and name, now known.
        if row["com_insee"] is None:
            row["com_insee"], row["com_nom"] = commune.code, row["com_nom"] or commune.name
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    order = pd.to_numeric(devices["c_gid"], errors="coerce").reset_index(drop=True)
    table = table.iloc[order.sort_values(kind="stable", na_position="last").index]
    # Text columns (pandas "string"), so that a commune without any device still has a frame
    # of the schema's types.
    return table.reset_index(drop=True).map(blank_to_none).astype("string")


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points a few hundred metres apart at most (flat Earth)."""
    north = (a[1] - b[1]) * 111_320
    east = (a[0] - b[0]) * 111_320 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(north, east)


def devices_near(point: tuple[float, float], devices: pd.DataFrame) -> list[str]:
    """The c_gid of the devices within `POSITION_TOLERANCE_METRES` of (lon, lat)."""
    return [
        str(device["c_gid"])
        for _, device in devices.iterrows()
        if (position := point_of(device)) is not None
        and distance_metres(position, point) <= POSITION_TOLERANCE_METRES
    ]


def device_of_line(
    line: dict[str, object], geodae: pd.DataFrame, published: pd.Series
) -> tuple[str | None, str]:
    """(the c_gid a line of the commune's file names, or None, and why not): by its Géo'DAE
    id, or by position: the one published device (`published`: a mask of `geodae`) within
    `POSITION_TOLERANCE_METRES` of its latitude and longitude, else the one of the register."""
    if line["c_gid"] is not None:
        if line["c_gid"] in set(geodae["c_gid"].astype(str)):
            return str(line["c_gid"]), ""
        return None, f"no device with Géo'DAE id {line['c_gid']} in the commune's register"
    point = (coordinate(line["long_coor1"]), coordinate(line["lat_coor1"]))
    # A left-out duplicate often stands where the published device does: the published first.
    near = devices_near(point, geodae[published]) or devices_near(point, geodae)  # type: ignore[arg-type]
    if len(near) == 1:
        return near[0], ""
    if not near:
        return None, f"no device within {POSITION_TOLERANCE_METRES:g} m of {point[1]}, {point[0]}"
    return None, f"several devices within {POSITION_TOLERANCE_METRES:g} m: {', '.join(near)}"


def completion_of(
    geodae: pd.DataFrame, reasons: pd.Series, completion: pd.DataFrame
) -> tuple[dict[str, dict[str, object]], pd.DataFrame]:
    """({c_gid of a published device: its completed fields}, the lines of the commune's file
    that complete no published device, with why: unknown id, no device or several at that
    position, a device left out of the dataset, a device already completed by another line)."""
    published = set(geodae.loc[reasons.isna(), "c_gid"].astype(str))
    left_out = dict(zip(geodae["c_gid"].astype(str), reasons, strict=True))
    completed: dict[str, dict[str, object]] = {}
    line_of_device: dict[str, int] = {}
    unused = []
    # Lines as dicts: a row Series of pandas' text dtype would turn None into NaN.
    for number, line in completion.to_dict("index").items():
        gid, why = device_of_line(line, geodae, reasons.isna())
        if gid is not None and gid not in published:
            gid, why = None, f"device {gid} is left out of the dataset ({left_out[gid]})"
        elif gid is not None and gid in line_of_device:
            gid, why = None, f"device {gid} already completed by line {line_of_device[gid]}"
        if gid is None:
            unused.append({"ligne_source": number, "c_gid": line["c_gid"], "reason": why})
            continue
        line_of_device[gid] = int(number)  # type: ignore[arg-type]
        completed[gid] = {name: line[name] for name in WITHHELD_REQUIRED}
    return completed, pd.DataFrame(
        unused, columns=["ligne_source", "c_gid", "reason"], dtype=object
    )


def exclusion_reasons(geodae: pd.DataFrame) -> pd.Series:
    """Why each device of the register is left out (None: published), by `exclusion_reason`."""
    return pd.Series(
        [exclusion_reason(device) for _, device in geodae.iterrows()],
        index=geodae.index,
        dtype=object,
    )


def published_devices(
    geodae: pd.DataFrame, commune: Commune, completion: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the dataset, the devices left out with their reason); `completion` is the commune's
    file (`defibrillateurs_inbox`), whose lines that complete no published device are left to
    the check `withheld_fields_completed`."""
    reasons = exclusion_reasons(geodae)
    completed = {}
    if completion is not None and len(completion):
        completed, _ = completion_of(geodae, reasons, completion)
    kept = geodae[reasons.isna()]
    excluded = pd.DataFrame(
        {
            "c_gid": geodae.loc[reasons.notna(), "c_gid"],
            "c_nom": geodae.loc[reasons.notna(), "c_nom"],
            "reason": reasons[reasons.notna()],
        }
    ).reset_index(drop=True)
    return to_schema(kept, commune, completed), excluded


COORDINATES_INSIDE_COMMUNE = coordinates_inside_commune(
    "Les lat_coor1/long_coor1 de chaque appareil sont dans le contour de la commune : une "
    "position fausse envoie un secouriste au mauvais endroit.",
    ["nom", "lat_coor1", "long_coor1", "com_insee"],
    lon="long_coor1",
    lat="lat_coor1",
    row_numbers=True,
)


# The schema's unique key; empty cells are not duplicates (withheld from open data).
ONE_ROW_PER_NUM_SERIE = one_row_per(
    "one_row_per_num_serie",
    "Aucun numéro de série n'apparaît deux fois (la clé unique du schéma ; vide en "
    "données ouvertes).",
    ["num_serie"],
    ["num_serie", "nom"],
    blank_keys_pass=True,
    line_column="row",
)


def looks_personal(column: str, value: object) -> bool:
    """Whether a contact looks like a private person's: any value of `PERSONAL_CONTACTS`, a
    mobile number, a mailbox at a consumer provider or named `p.nom@`."""
    text = blank_to_none(value)
    if text is None:
        return False
    text = str(text).strip()
    if column in PERSONAL_CONTACTS:
        return True
    if column in PHONES:
        return MOBILE_NUMBER.fullmatch(text) is not None
    local, _, domain = text.lower().rpartition("@")
    return domain in CONSUMER_MAIL_DOMAINS or INITIAL_AND_NAME.match(local) is not None


def personal_contacts_published(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per contact that looks like a private person's (`looks_personal`): the row, the
    device, the column and the value, for the commune to replace by the service's."""
    found = [
        {"row": position + 1, "nom": frame.iloc[position]["nom"], "column": column, "value": value}
        for column in PERSONAL_CONTACTS + SERVICE_CONTACTS
        for position, value in enumerate(frame[column])
        if looks_personal(column, value)
    ]
    return pd.DataFrame(found, columns=["row", "nom", "column", "value"])


def completion_not_finished(
    frame: pd.DataFrame,
    geodae: pd.DataFrame,
    defibrillateurs_inbox: pd.DataFrame,
) -> pd.DataFrame:
    """What the commune's completion leaves undone: one row per published device with a field
    of `WITHHELD_REQUIRED` empty (`row`, `nom`, the fields), then one per line of its file that
    completes no published device (`ligne_source`, why)."""
    empty = frame[list(WITHHELD_REQUIRED)].map(blank_to_none).isna()
    found = [
        {"row": position + 1, "nom": frame.iloc[position]["nom"], "ligne_source": None,
         "problem": "missing " + ", ".join(empty.columns[flags])}
        for position, flags in enumerate(empty.to_numpy())
        if flags.any()
    ]  # fmt: skip
    _, unused = completion_of(geodae, exclusion_reasons(geodae), defibrillateurs_inbox)
    found += [
        {"row": None, "nom": None, "ligne_source": line, "problem": reason}
        for line, reason in zip(unused["ligne_source"], unused["reason"], strict=True)
    ]
    return pd.DataFrame(found, columns=["row", "nom", "ligne_source", "problem"], dtype=object)


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "schema": "atlasante-schema-dae"},
)
def defibrillateurs(
    context: dg.AssetExecutionContext,
    geodae: pd.DataFrame,
    commune: Commune,
    defibrillateurs_inbox: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `geodae` : les défibrillateurs au schéma DAE 1.0.7 en état de
    fonctionnement, validés, fixes et non signalés comme doublons ; les autres sont listés avec
    leur motif dans les métadonnées. Les six champs que Géo'DAE ne diffuse pas viennent du
    fichier de la commune (`defibrillateurs_inbox`) quand elle en a déposé un."""
    table, excluded = published_devices(geodae, commune, defibrillateurs_inbox)
    unexpected = excluded[excluded["reason"].str.startswith("unexpected value")]
    if len(unexpected):
        context.log.warning(
            f"{len(unexpected)} device(s) left out for a status value Géo'DAE is not known to "
            f"use: {', '.join(unexpected['c_gid'].astype(str) + ' ' + unexpected['reason'])}"
        )
    masked = sum(
        str(value).count(MASKED_NUMBER) for column in FREE_TEXT for value in table[column].dropna()
    )
    metadata = published_metadata(table, Defibrillateurs)
    metadata |= {
        "devices_in_register": len(geodae),
        "devices_left_out": len(excluded),
        "devices_left_out_for_unexpected_values": len(unexpected),
        "left_out": dg.MetadataValue.md(markdown_table(excluded, 50)),
        "mobile_numbers_masked": masked,
        "devices_completed_by_the_commune": int(
            table[list(WITHHELD_REQUIRED)].notna().any(axis=1).sum()
        ),
    }
    return dg.Output(table, metadata=metadata)


defibrillateurs_checks = dataset_checks(
    SHEET,
    Defibrillateurs,
    volume=VolumeLimit(
        0.5,
        "les appareils sont déclarés hors service un par un ; la moitié disparue d'un coup, c'est"
        " un export Géo'DAE raté",
    ),
    rules=[
        COORDINATES_INSIDE_COMMUNE,
        ONE_ROW_PER_NUM_SERIE,
        Rule(
            "personal_contacts_withheld",
            "Aucun contact ne semble celui d'une personne : tel2, site_email et expt_tel2 sont "
            "vides ; tel1, expt_tel1 et expt_email, fournis par la commune, sont le standard et "
            "la boîte d'un service (ni numéro de mobile, ni messagerie grand public, ni adresse "
            "« p.nom@ »).",
            personal_contacts_published,
        ),
        Rule(
            "withheld_fields_completed",
            "Avertissement, non bloquant : chaque appareil publié a les six champs exigés par le "
            "schéma DAE que Géo'DAE ne diffuse pas (tel1, fab_rais, modele, num_serie, "
            "expt_tel1, expt_email), complétés par le fichier defibrillateurs*.csv|xlsx de la "
            "commune, et chaque ligne de ce fichier complète un appareil publié. Sans ce "
            "fichier, le jeu est publié mais n'est pas entièrement conforme au schéma.",
            completion_not_finished,
            inputs=("geodae", "defibrillateurs_inbox"),
            blocking=False,
        ),
    ],
    commune_of_rows="com_insee",
)

defibrillateurs_release = dataset_release(SHEET, Defibrillateurs, defibrillateurs_checks)
