"""`defibrillateurs`: the commune's defibrillators in working order, in schema DAE 1.0.7."""

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.defibrillateurs.schema import DATE_FIELDS, Defibrillateurs
from cle_pipeline.defs.datasets.defibrillateurs.sheet import SHEET
from cle_pipeline.lib.checks import Rule, coordinates_inside_commune, dataset_checks, one_row_per
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, markdown_table, published_metadata
from cle_pipeline.lib.normalise import (
    MASKED_NUMBER,
    blank_to_none,
    iso_date,
    mask_mobile_numbers,
    number_text,
    oui_non,
    postgres_array,
)
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
# Contacts of a person on site or at the exploitant (the schema's example is p.nom@domaine.fr):
# personal data, never published, whatever the source holds.
PERSONAL_CONTACTS = ["tel1", "tel2", "site_email", "expt_tel1", "expt_tel2", "expt_email"]

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


def to_schema(devices: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """The 46 columns of the schema, in its order, with values in its formats; one row per
    device, in the register's order (`c_gid`)."""
    rows = []
    for _, device in devices.iterrows():
        row: dict[str, object] = {
            name: blank_to_none(device.get(f"c_{name}")) for name in AS_EXPORTED + NOT_EXPORTED
        }
        row |= {name: mask_mobile_numbers(blank_to_none(device[f"c_{name}"])) for name in FREE_TEXT}
        row |= {name: oui_non(device[f"c_{name}"]) for name in FRENCH_BOOLEANS}
        row |= {name: iso_date(device[f"c_{name}"]) for name in DATE_FIELDS}
        row |= {name: None for name in PERSONAL_CONTACTS}
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


def published_devices(geodae: pd.DataFrame, commune: Commune) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the dataset, the devices left out with their reason)."""
    reasons = pd.Series(
        [exclusion_reason(device) for _, device in geodae.iterrows()],
        index=geodae.index,
        dtype=object,
    )
    kept = geodae[reasons.isna()]
    excluded = pd.DataFrame(
        {
            "c_gid": geodae.loc[reasons.notna(), "c_gid"],
            "c_nom": geodae.loc[reasons.notna(), "c_nom"],
            "reason": reasons[reasons.notna()],
        }
    ).reset_index(drop=True)
    return to_schema(kept, commune), excluded


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


def personal_contacts_published(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows where a contact field (a person's phone or e-mail) is not empty."""
    filled = frame[PERSONAL_CONTACTS].map(blank_to_none).notna()
    return frame.loc[filled.any(axis=1), ["nom", *PERSONAL_CONTACTS]].assign(
        row=frame.index[filled.any(axis=1)] + 1
    )


@SHEET.describes
@dg.asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "schema": "atlasante-schema-dae"},
)
def defibrillateurs(
    context: dg.AssetExecutionContext, geodae: pd.DataFrame, commune: Commune
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `geodae` : les défibrillateurs au schéma DAE 1.0.7 en état de
    fonctionnement, validés, fixes et non signalés comme doublons ; les autres sont listés avec
    leur motif dans les métadonnées."""
    table, excluded = published_devices(geodae, commune)
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
            "Les champs de contact (tel1, tel2, site_email, expt_tel1, expt_tel2, expt_email) "
            "sont vides : ce sont le téléphone ou le courriel d'une personne, qui ne sont "
            "pas republiés.",
            personal_contacts_published,
        ),
    ],
)
