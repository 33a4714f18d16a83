"""Géo'DAE daily export: `geodae.csv`, `;`, UTF-8 WITH a byte-order mark, one row per device.

The header is the register's, as reusers of the real file read it (`gid`, `c_gid`,
`c_etat_valid`, the schema's fields with `c_` in front, `c_maj_don`, `c_doublon`,
`c__edit_datemaj`, `c_dae_mobile`, `the_geom` in hex EWKB, `cc_photo1` the photo's full URL);
the position of `c_dae_mobile` among them is not confirmed (the loader selects by name). As in
the open-data file, there are no serial numbers, models, manufacturers, phones or e-mails.

The quirks of the real file are here on purpose: PostgreSQL booleans `t`/`f` and array literals
(`{lundi,"heures ouvrables"}`), a `;` and a line break inside quoted free text, a device
without `c_com_insee` placed only by its coordinates inside Caudebec-lès-Elbeuf, one in
Saint-Pierre (same postal code 76320) inside Caudebec's bounding box but outside its outline,
and, for Caudebec, one device of each kind the dataset must leave out: mobile, flagged
duplicate, out of service, awaiting validation, to be deleted. Every status is one Géo'DAE is
known to use (a device with another value is left out with a warning; that case is a test
fixture, so that the demo shows no warning). Devices, names, identifiers, photos and dates
are SAMPLES (Caudebec-lès-Elbeuf had one registered device in 2022: the town hall's).
"""

from __future__ import annotations

import struct
from pathlib import Path

from devtools.snapshots.common import csv_text, output_folder

HEADER = [
    "gid", "c_gid", "c_etat_valid", "c_nom", "c_x_coor2", "c_y_coor2", "c_lat_coor1",
    "c_long_coor1", "c_xy_precis", "c_id_adr", "c_adr_num", "c_adr_voie", "c_com_cp",
    "c_com_insee", "c_com_nom", "c_acc", "c_acc_lib", "c_acc_pcsec", "c_acc_acc", "c_acc_etg",
    "c_acc_complt", "c_photo1", "c_photo2", "c_disp_j", "c_disp_h", "c_disp_complt",
    "c_date_instal", "c_etat_fonct", "c_id_euro", "c_lc_ped", "c_dtpr_lcped", "c_dtpr_lcad",
    "c_dtpr_bat", "c_freq_mnt", "c_dispsurv", "c_dermnt", "c_maj_don", "c_expt_siren",
    "c_expt_rais", "c_etat", "c_application_provenance", "c_doublon", "c__edit_datemaj",
    "c_dae_mobile", "c_srid_origin", "the_geom", "cc_photo1",
]  # fmt: skip
PHOTO_ROOT = "https://geodae.exemple.fr/photos/"  # SAMPLE host: the real URL root is not known

COMMON = {
    "c_etat_valid": "validées",
    "c_x_coor2": "",
    "c_y_coor2": "",
    "c_xy_precis": "",
    "c_adr_num": "",
    "c_adr_voie": "",
    "c_acc": "Extérieur",
    "c_acc_lib": "t",
    "c_acc_pcsec": "f",
    "c_acc_acc": "f",
    "c_acc_etg": "0",
    "c_acc_complt": "",
    "c_photo1": "",
    "c_photo2": "",
    "c_disp_j": "{7j/7}",
    "c_disp_h": "{24h/24}",
    "c_disp_complt": "",
    "c_date_instal": "2019-06-14",
    "c_etat_fonct": "En fonctionnement",
    "c_id_euro": "",
    "c_lc_ped": "f",
    "c_dtpr_lcped": "",
    "c_dtpr_lcad": "2024-09-30",
    "c_dtpr_bat": "2026-06-30",
    "c_freq_mnt": "Tous les ans",
    "c_dispsurv": "f",
    "c_dermnt": "2022-06-20",
    "c_maj_don": "2022-06-21",
    "c_etat": "Actif",
    "c_application_provenance": "",
    "c_doublon": "f",
    "c__edit_datemaj": "2022-06-21 10:02:44.118203",
    "c_dae_mobile": "f",
    "c_srid_origin": "4326",
    "cc_photo1": "",
}
CAUDEBEC = {
    "c_com_cp": "76320",
    "c_com_insee": "76165",
    "c_com_nom": "Caudebec-lès-Elbeuf",
    "c_expt_siren": "217601657",
    "c_expt_rais": "COMMUNE DE CAUDEBEC LES ELBEUF",
}
ELBEUF = {
    "c_com_cp": "76500",
    "c_com_insee": "76231",
    "c_com_nom": "Elbeuf",
    "c_expt_siren": "217602317",
    "c_expt_rais": "COMMUNE D ELBEUF",
}


def _ewkb_point(lon: float, lat: float) -> str:
    """PostGIS hex EWKB of a WGS84 point, as `the_geom` is exported."""
    return struct.pack("<BIIdd", 1, 0x20000001, 4326, lon, lat).hex().upper()


def _device(c_gid: str, nom: str, lat: float, lon: float, *places: dict, **fields: str) -> dict:
    row = {**COMMON, **{k: v for place in places for k, v in place.items()}, **fields}
    row.update(c_gid=c_gid, c_nom=nom, c_lat_coor1=str(lat), c_long_coor1=str(lon))
    row["the_geom"] = _ewkb_point(lon, lat)
    row.setdefault("c_id_adr", "")
    if row["c_photo1"]:
        row["cc_photo1"] = PHOTO_ROOT + row["c_photo1"]
    return row


def rows() -> list[dict[str, str]]:
    devices = [
        # Caudebec-lès-Elbeuf: the three devices the dataset publishes.
        _device(
            "30412",
            "Mairie de Caudebec-lès-Elbeuf",
            49.28352,
            1.02318,
            CAUDEBEC,
            c_adr_voie="Place Jean Jaurès",
            c_id_adr="76165_0420",
            c_acc_complt="À gauche de l'entrée principale de la mairie",
            c_photo1="30412_1.jpg",
            c_lc_ped="t",
            c_dtpr_lcped="2024-03-31",
        ),
        _device(
            "118734",
            "Salle des sports Exemple",
            49.28815,
            1.02621,
            CAUDEBEC,
            c_adr_num="12",
            c_adr_voie="Rue Exemple",
            c_acc="Intérieur",
            c_acc_lib="f",
            c_acc_acc="t",
            c_acc_complt="Hall d'entrée ; clé auprès du gardien, 06 12 34 56 78",
            c_disp_j="{lundi,mardi,mercredi,jeudi,vendredi,samedi}",
            c_disp_h='{"heures ouvrables","heures de nuit"}',
            c_disp_complt="Selon l'ouverture de la salle",
            c_date_instal="2022-09-05",
            c_dermnt="2022-09-05",
            c_maj_don="2022-09-06",
            c__edit_datemaj="2022-09-06 14:21:08.402117",
        ),
        # No INSEE code: only its coordinates place it in Caudebec-lès-Elbeuf.
        _device(
            "121905",
            "Pharmacie Exemple",
            49.28021,
            1.03012,
            c_adr_num="5",
            c_adr_voie="Rue Sadi Carnot",
            c_com_cp="76320",
            c_com_insee="",
            c_com_nom="",
            c_expt_siren="803254317",
            c_expt_rais="SELARL PHARMACIE EXEMPLE",
            c_disp_j='{lundi,mardi,mercredi,jeudi,vendredi,samedi,"jours fériés"}',
            c_disp_h='{"heures ouvrables"}',
            c_disp_complt="Lun-sam 9h-19h30",
            c_date_instal="2021-11-02",
            c_dispsurv="t",
            c_maj_don="2022-10-12",
            c__edit_datemaj="2022-10-12 09:14:03.512304",
        ),
        # Caudebec-lès-Elbeuf: one device of each kind the dataset leaves out.
        _device(
            "119020",
            "DAE mobile Police municipale",
            49.28381,
            1.02362,
            CAUDEBEC,
            c_dae_mobile="t",
            c_acc="Intérieur",
            c_disp_j='{"non renseigné"}',
            c_disp_h='{"non renseigné"}',
        ),
        _device(
            "45871",
            "Mairie de Caudebec-lès-Elbeuf",
            49.28352,
            1.02318,
            CAUDEBEC,
            c_adr_voie="Place Jean Jaurès",
            c_doublon="t",
            c_maj_don="2021-03-02",
        ),
        _device(
            "61233",
            "Salle des fêtes Exemple",
            49.29012,
            1.02514,
            CAUDEBEC,
            c_etat_fonct="Hors service",
        ),
        _device(
            "122310",
            "Stade Exemple",
            49.27654,
            1.02187,
            CAUDEBEC,
            c_etat_valid="en attente de validation",
        ),
        _device(
            "52004", "Ancienne école Exemple", 49.28703, 1.01954, CAUDEBEC, c_etat="A supprimer"
        ),
        # Elbeuf: two devices, free text with a `;` and a line break inside quotes.
        _device(
            "28841",
            "Hôtel de ville d'Elbeuf",
            49.28671,
            1.00862,
            ELBEUF,
            c_adr_voie="Place Aristide Briand",
            c_acc_complt="Sous le porche ; à droite\nde la grille",
            c_photo1="28841_1.png",
        ),
        _device(
            "97322",
            "Piscine Exemple",
            49.29012,
            1.00118,
            ELBEUF,
            c_acc="Intérieur",
            c_acc_lib="f",
            c_acc_pcsec="t",
            c_disp_j='{lundi,mercredi,vendredi,samedi,dimanche,"événements"}',
            c_disp_h='{"heures ouvrables"}',
            c_expt_siren="200023414",
            c_expt_rais="METROPOLE ROUEN NORMANDIE",
            c_date_instal="2020-01-15",
        ),
        # Saint-Pierre-lès-Elbeuf: one with its code; one without, same postal code, inside
        # Caudebec's bounding box but outside its outline.
        _device(
            "33107",
            "Mairie de Saint-Pierre-lès-Elbeuf",
            49.27801,
            1.04302,
            c_com_cp="76320",
            c_com_insee="76640",
            c_com_nom="Saint-Pierre-lès-Elbeuf",
            c_expt_siren="217606409",
            c_expt_rais="COMMUNE DE SAINT PIERRE LES ELBEUF",
        ),
        _device(
            "120447",
            "Boulangerie Exemple",
            49.27120,
            1.03550,
            c_com_cp="76320",
            c_com_insee="",
            c_com_nom="",
            c_expt_siren="412345670",
            c_expt_rais="BOULANGERIE EXEMPLE SARL",
        ),
        # Other departments: Corsica (2A) and La Réunion (974, southern latitude).
        _device(
            "70215",
            "Mairie d'Ajaccio",
            41.91921,
            8.73689,
            c_com_cp="20000",
            c_com_insee="2A004",
            c_com_nom="Ajaccio",
            c_expt_siren="212000046",
            c_expt_rais="COMMUNE D AJACCIO",
        ),
        _device(
            "88190",
            "Mairie de Saint-Denis",
            -20.88231,
            55.45041,
            c_com_cp="97400",
            c_com_insee="97411",
            c_com_nom="Saint-Denis",
            c_expt_siren="219744117",
            c_expt_rais="COMMUNE DE SAINT DENIS",
        ),
    ]
    for number, device in enumerate(devices, start=1):
        device["gid"] = str(number)
    return devices


def write(folder: Path) -> list[Path]:
    target = output_folder(folder) / "geodae.csv"
    content = csv_text(HEADER, [[row[name] for name in HEADER] for row in rows()], ";")
    # The export starts with a UTF-8 byte-order mark.
    target.write_text(content, encoding="utf-8-sig")
    return [target]
