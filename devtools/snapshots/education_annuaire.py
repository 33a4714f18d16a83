"""Annuaire de l'éducation: `fr-en-annuaire-education.csv`, the Opendatasoft export (`;`,
UTF-8 with a BOM, the 72 columns of the dataset in its order).

The open schools of `education_effectifs_ecoles`' snapshot (the closed ones are absent, as in
the real directory, which lists open establishments only), two collèges, and the real file's
quirks: one school's row repeated, Paris placed in its arrondissement (`75115`), three-character
`code_departement` (`076`), `position` as `lat, lon`. Addresses, phone numbers, SIRETs and
coordinates are SAMPLES.
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import CAUDEBEC, ELBEUF, csv_text, output_folder
from devtools.snapshots.education_effectifs_ecoles import SCHOOLS, SampleSchool, uai

HEADER = [
    "identifiant_de_l_etablissement",
    "nom_etablissement",
    "type_etablissement",
    "statut_public_prive",
    "adresse_1",
    "adresse_2",
    "adresse_3",
    "code_postal",
    "code_commune",
    "nom_commune",
    "code_departement",
    "code_academie",
    "code_region",
    "ecole_maternelle",
    "ecole_elementaire",
    "voie_generale",
    "voie_technologique",
    "voie_professionnelle",
    "telephone",
    "fax",
    "web",
    "mail",
    "restauration",
    "hebergement",
    "ulis",
    "apprentissage",
    "segpa",
    "section_arts",
    "section_cinema",
    "section_theatre",
    "section_sport",
    "section_internationale",
    "section_europeenne",
    "lycee_agricole",
    "lycee_militaire",
    "lycee_des_metiers",
    "post_bac",
    "appartenance_education_prioritaire",
    "greta",
    "siren_siret",
    "nombre_d_eleves",
    "fiche_onisep",
    "position",
    "type_contrat_prive",
    "libelle_departement",
    "libelle_academie",
    "libelle_region",
    "coordx_origine",
    "coordy_origine",
    "epsg_origine",
    "nom_circonscription",
    "latitude",
    "longitude",
    "precision_localisation",
    "date_ouverture",
    "date_maj_ligne",
    "etat",
    "ministere_tutelle",
    "multi_uai",
    "rpi_concentre",
    "rpi_disperse",
    "code_nature",
    "libelle_nature",
    "code_type_contrat_prive",
    "pial",
    "etablissement_mere",
    "type_rattachement_etablissement_mere",
    "code_circonscription",
    "code_zone_animation_pedagogique",
    "libelle_zone_animation_pedagogique",
    "code_bassin_formation",
    "libelle_bassin_formation",
]
# (code_academie, code_region, libelle_departement, libelle_academie, libelle_region)
AREAS = {
    "76": ("70", "28", "Seine-Maritime", "Normandie", "Normandie"),
    "75": ("01", "11", "Paris", "Paris", "Ile-de-France"),
    "2A": ("27", "94", "Corse-du-Sud", "Corse", "Corse"),
    "974": ("28", "04", "La Réunion", "La Réunion", "La Réunion"),
}


def _centre(school: SampleSchool) -> tuple[float, float]:
    """(lat, lon) near the middle of the commune's sample outline, shifted per school."""
    outline = school.commune.outline
    lon = sum(point[0] for point in outline[:-1]) / (len(outline) - 1)
    lat = sum(point[1] for point in outline[:-1]) / (len(outline) - 1)
    shift = (int(school.digits) % 7 - 3) * 0.0007
    return round(lat + shift, 6), round(lon - shift, 6)


def _school_row(school: SampleSchool) -> dict[str, str]:
    latest = school.years[max(school.years)]
    code, name = school.directory_commune or (school.commune.code, school.commune.name)
    academie, region, departement, libelle_academie, libelle_region = AREAS[school.department]
    lat, lon = _centre(school)
    public = school.secteur == "PUBLIC"
    maternelle = latest.preelementaire > 0
    elementaire = latest.elementaire > 0
    kind = "maternelle" if maternelle and not elementaire else "primaire"
    if elementaire and not maternelle:
        kind = "élémentaire"
    return {
        "identifiant_de_l_etablissement": school.uai,
        "nom_etablissement": f"Ecole {kind} {'' if public else 'privée '}"
        f"{school.patronyme.title()}",
        "type_etablissement": "Ecole",
        "statut_public_prive": "Public" if public else "Privé",
        "adresse_1": school.street,
        "code_postal": school.commune.postal_code,
        "code_commune": code,
        "nom_commune": name,
        "code_departement": school.department.zfill(3),
        "code_academie": academie,
        "code_region": region,
        "ecole_maternelle": "1" if maternelle else "0",
        "ecole_elementaire": "1" if elementaire else "0",
        "telephone": "02 35 00 00 00",
        "mail": f"ce.{school.uai.lower()}@exemple-academie.fr",
        "restauration": "1",
        "hebergement": "0",
        "ulis": "1" if latest.ulis else "0",
        "appartenance_education_prioritaire": "REP" if school.rep == "1" else "",
        "nombre_d_eleves": str(latest.total),
        "position": f"{lat}, {lon}",
        "type_contrat_prive": "SANS OBJET" if public else "CONTRAT D'ASSOCIATION TOUTES CLASSES",
        "libelle_departement": departement,
        "libelle_academie": libelle_academie,
        "libelle_region": libelle_region,
        "epsg_origine": "EPSG:2154",
        "latitude": str(lat),
        "longitude": str(lon),
        "precision_localisation": "Numéro de rue",
        "date_ouverture": "1968-09-01",
        "date_maj_ligne": "2024-09-02",
        "etat": "OUVERT",
        "ministere_tutelle": "MINISTERE DE L'EDUCATION NATIONALE",
        "multi_uai": "0",
        "rpi_concentre": "0",
        "code_nature": "101" if kind == "maternelle" else "151",
        "libelle_nature": "ECOLE MATERNELLE"
        if kind == "maternelle"
        else "ECOLE DE NIVEAU ELEMENTAIRE",
        "code_type_contrat_prive": "99" if public else "30",
    }


def _college(digits: str, name: str, commune_code: str, commune_name: str) -> dict[str, str]:
    return {
        "identifiant_de_l_etablissement": uai(digits),
        "nom_etablissement": name,
        "type_etablissement": "Collège",
        "statut_public_prive": "Public",
        "code_postal": CAUDEBEC.postal_code if commune_code == "76165" else ELBEUF.postal_code,
        "code_commune": commune_code,
        "nom_commune": commune_name,
        "code_departement": "076",
        "code_academie": "70",
        "code_region": "28",
        "restauration": "1",
        "segpa": "1",
        "libelle_departement": "Seine-Maritime",
        "libelle_academie": "Normandie",
        "libelle_region": "Normandie",
        "etat": "OUVERT",
        "ministere_tutelle": "MINISTERE DE L'EDUCATION NATIONALE",
        "code_nature": "340",
        "libelle_nature": "COLLEGE",
        "code_type_contrat_prive": "99",
        "date_ouverture": "1971-09-01",
        "date_maj_ligne": "2024-09-02",
    }


def write(folder: Path) -> list[Path]:
    records = [_school_row(school) for school in SCHOOLS if school.in_directory]
    records += [
        _college("0760031", "Collège Exemple de Caudebec", "76165", "Caudebec-lès-Elbeuf"),
        _college("0760032", "Collège Nelson Mandela", "76231", "Elbeuf"),
    ]
    # The real export repeats some rows: Jean Jaurès appears twice.
    records.insert(3, dict(records[1]))
    table = [[record.get(name, "") for name in HEADER] for record in records]
    target = output_folder(folder) / "fr-en-annuaire-education.csv"
    target.write_bytes(("\ufeff" + csv_text(HEADER, table, ";")).encode("utf-8"))
    return [target]
