"""RNA (Waldec): `rna_waldec_20221101.zip`, one `;` CSV per department, latin-1.

Associations, their objects and managers are SAMPLES. The manager's mailing block (`adrg_*`)
holds invented private addresses, so that the tests can prove it never reaches the output.
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import csv_text, output_folder, write_zip

HEADER = [
    "id",
    "id_ex",
    "siret",
    "rup_mi",
    "gestion",
    "date_creat",
    "date_decla",
    "date_publi",
    "date_disso",
    "nature",
    "groupement",
    "titre",
    "titre_court",
    "objet",
    "objet_social1",
    "objet_social2",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_distrib",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "adrg_declarant",
    "adrg_complemid",
    "adrg_complemgeo",
    "adrg_libvoie",
    "adrg_distrib",
    "adrg_codepostal",
    "adrg_achemine",
    "adrg_pays",
    "dir_civilite",
    "siteweb",
    "publiweb",
    "observation",
    "position",
    "maj_time",
]
DATE = "2022-11-01"


def _association(
    number: int,
    title: str,
    objet: str,
    insee: str,
    postal: str,
    commune: str,
    street: str,
    created: str,
    position: str = "A",
    **extra: str,
) -> dict[str, str]:
    return {
        "id": f"W76{number:07d}" if insee.startswith("76") else extra.pop("id"),
        "id_ex": f"0763{number:06d}" if insee.startswith("76") else "",
        "siret": extra.pop("siret", ""),
        "rup_mi": "",
        "gestion": "763P",
        "date_creat": created,
        "date_decla": extra.pop("date_decla", created),
        "date_publi": extra.pop("date_publi", created),
        "date_disso": extra.pop("date_disso", "0001-01-01"),
        "nature": "D",
        "groupement": "S",
        "titre": title,
        "titre_court": extra.pop("titre_court", ""),
        "objet": objet,
        "objet_social1": extra.pop("objet_social1", "011000"),
        "objet_social2": "",
        "adrs_complement": "",
        "adrs_numvoie": street.split(" ", 1)[0] if street[0].isdigit() else "",
        "adrs_repetition": "",
        "adrs_typevoie": street.split(" ")[1] if street[0].isdigit() else street.split(" ")[0],
        "adrs_libvoie": street.split(" ", 2)[-1]
        if street[0].isdigit()
        else street.split(" ", 1)[1],
        "adrs_distrib": "",
        "adrs_codeinsee": insee,
        "adrs_codepostal": postal,
        "adrs_libcommune": commune.upper(),
        # The manager's private mailing address: never published.
        "adrg_declarant": "M. EXEMPLE DUPONT",
        "adrg_complemid": "",
        "adrg_complemgeo": "",
        "adrg_libvoie": f"{number % 40 + 1} rue des Particuliers",
        "adrg_distrib": "",
        "adrg_codepostal": postal,
        "adrg_achemine": commune.upper(),
        "adrg_pays": "FRANCE",
        "dir_civilite": "PM",
        "siteweb": extra.pop("siteweb", ""),
        "publiweb": "1",
        "observation": "",
        "position": position,
        "maj_time": extra.pop("maj_time", "2022-10-12 10:41:09"),
    }


def department_76() -> list[dict[str, str]]:
    caudebec = ("76165", "76320", "Caudebec-lès-Elbeuf")
    elbeuf = ("76231", "76500", "Elbeuf")
    saint_pierre = ("76640", "76320", "Saint-Pierre-lès-Elbeuf")
    return [
        _association(
            101,
            "ASSOCIATION SPORTIVE CAUDEBECAISE",
            "pratique du football ; formation des jeunes joueurs",
            *caudebec,
            "12 rue Sadi Carnot",
            "1975-04-12",
            titre_court="ASC",
            objet_social1="011105",
            siret="44306184100013",
        ),
        _association(
            102,
            "COMITÉ DES FÊTES DE CAUDEBEC-LÈS-ELBEUF",
            "organiser des fêtes, animations et manifestations dans la commune",
            *caudebec,
            "Place Jean Jaurès",
            "1982-09-03",
        ),
        _association(
            103,
            "LES AMIS DE LA BIBLIOTHÈQUE",
            "promouvoir la lecture publique et le prêt de livres",
            *caudebec,
            "3 rue de la République",
            "1998-01-20",
            siteweb="www.amis-bibliotheque-exemple.fr",
        ),
        _association(
            104,
            "CLUB DES AÎNÉS CAUDEBÉCAIS",
            "rompre l'isolement des personnes âgées par des activités de loisirs",
            *caudebec,
            "8 rue Félix Faure",
            "2003-06-11",
        ),
        _association(
            105,
            "GYMNASTIQUE VOLONTAIRE CAUDEBEC",
            "gymnastique d'entretien pour adultes",
            *caudebec,
            "1 avenue du Maréchal Leclerc",
            "2010-10-02",
            date_publi="2010-10-16",
        ),
        _association(
            106,
            "PARENTS D'ÉLÈVES DE L'ÉCOLE JEAN JAURÈS",
            "représenter les parents d'élèves auprès de l'école",
            *caudebec,
            "4 rue Jean Jaurès",
            "2015-09-15",
        ),
        _association(
            107,
            "JARDINS PARTAGÉS DU PARC",
            "créer et animer des jardins partagés",
            *caudebec,
            "Rue du Parc",
            "2021-03-08",
            maj_time="2022-03-01 09:00:00",
        ),
        # Dissolved in 2019 and deleted: present in the file, never published.
        _association(
            108,
            "ANCIENNE HARMONIE MUNICIPALE",
            "musique d'harmonie",
            *caudebec,
            "2 rue Sadi Carnot",
            "1950-01-01",
            position="D",
            date_disso="2019-06-30",
        ),
        _association(
            109,
            "ASSOCIATION EN DOUBLE SUPPRIMÉE",
            "doublon supprimé",
            *caudebec,
            "2 rue Sadi Carnot",
            "2005-05-05",
            position="S",
        ),
        _association(
            201,
            "ELBEUF BOXING CLUB",
            "pratique de la boxe anglaise",
            *elbeuf,
            "20 rue Henry",
            "1988-11-30",
        ),
        _association(
            202,
            "THÉÂTRE DE L'ELBEUVIEN",
            "création et diffusion de spectacles",
            *elbeuf,
            "5 cours Carnot",
            "2001-02-14",
        ),
        _association(
            301,
            "SAINT-PIERRE RANDONNÉE",
            "randonnée pédestre",
            *saint_pierre,
            "15 rue de Caudebec",
            "2007-07-07",
        ),
    ]


# Outside mainland departments, ids carry letters: W2A… in Corsica, W9R… in La Réunion.
def department(insee: str, postal: str, commune: str, prefix: str) -> list[dict[str, str]]:
    return [
        _association(
            1,
            f"ASSOCIATION EXEMPLE DE {commune.upper()}",
            "activités culturelles",
            insee,
            postal,
            commune,
            "1 place de la Mairie",
            "1999-09-09",
            id=f"{prefix}0000001",
        ),
    ]


def write(folder: Path) -> list[Path]:
    members = {
        "76": department_76(),
        "2A": department("2A004", "20000", "Ajaccio", "W2A"),
        "75": department("75056", "75001", "Paris", "W75"),
        "974": department("97411", "97400", "Saint-Denis", "W9R"),
    }
    archive = {
        f"rna_waldec_{DATE.replace('-', '')}_dpt_{code}.csv": csv_text(
            HEADER, [[row[name] for name in HEADER] for row in rows], ";"
        ).encode("latin-1")
        for code, rows in members.items()
    }
    target = output_folder(folder) / f"rna_waldec_{DATE.replace('-', '')}.zip"
    write_zip(target, archive)
    return [target]
