"""DILA directory API: the `records` pages answered for `where=code_insee_commune="<code>"`.

One folder per commune, one file per page, `records-offset-<offset>.json`, each page as the API
returns it: `{"total_count": N, "results": [...]}`, every record with the API's 47 fields in
its order, nested fields serialised as JSON text. Caudebec-lès-Elbeuf's pages were cut with
`limit=2` so that the snapshot goes through the paging the loader does with pages of 100.

Every name, address, phone, hour and identifier is a SAMPLE, plausible but not the
directory's (each record says so in `information_complementaire`). The traps: a `plage_ouverture`
with two ranges a day, a Saturday-morning slot with a comment, a day range `Lundi` → `Vendredi`,
one line per day with an empty second range, times as `08:30:00`, a postal address listed
before the physical one, a typographic apostrophe in a street name, a street without number, a
website without scheme, a non-municipal office (a commissariat open 24/7), the name of a person
heading an office (never read), and, in Caudebec's second page, a record of another commune.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from devtools.snapshots.common import output_folder

FIELDS = [
    "plage_ouverture", "site_internet", "copyright", "siren", "ancien_code_pivot",
    "reseau_social", "texte_reference", "partenaire", "telecopie", "nom", "siret",
    "itm_identifiant", "sigle", "affectation_personne", "date_modification", "adresse_courriel",
    "service_disponible", "organigramme", "pivot", "partenaire_identifiant",
    "ancien_identifiant", "id", "ancien_nom", "commentaire_plage_ouverture", "annuaire", "tchat",
    "hierarchie", "categorie", "sve", "telephone_accessible", "application_mobile",
    "version_type", "type_repertoire", "telephone", "version_etat_modification",
    "date_creation", "partenaire_date_modification", "mission", "formulaire_contact",
    "version_source", "type_organisme", "code_insee_commune", "statut_de_diffusion", "adresse",
    "url_service_public", "information_complementaire", "date_diffusion",
]  # fmt: skip
NESTED = [
    "plage_ouverture", "site_internet", "affectation_personne", "pivot", "telephone", "adresse",
]  # fmt: skip
SAMPLE_NOTE = "Valeurs d'exemple (SAMPLE) : plausibles, non issues de l'annuaire."


def _hours(
    first: str,
    last: str,
    morning: tuple[str, str],
    afternoon: tuple[str, str] = ("", ""),
    comment: str = "",
) -> dict[str, str]:
    return {
        "nom_jour_debut": first,
        "nom_jour_fin": last,
        "valeur_heure_debut_1": morning[0],
        "valeur_heure_fin_1": morning[1],
        "valeur_heure_debut_2": afternoon[0],
        "valeur_heure_fin_2": afternoon[1],
        "commentaire": comment,
    }


def _address(
    street: str,
    postal: str,
    commune: str,
    lon: str,
    lat: str,
    kind: str = "Adresse",
    **extra: str,
) -> dict[str, str]:
    return {
        "type_adresse": kind,
        "complement1": extra.get("complement1", ""),
        "complement2": "",
        "numero_voie": street,
        "service_distribution": extra.get("service_distribution", ""),
        "code_postal": postal,
        "nom_commune": commune,
        "pays": "France" if lon else "",
        "continent": "Europe" if lon else "",
        "longitude": lon,
        "latitude": lat,
        "accessibilite": extra.get("accessibilite", ""),
        "note_accessibilite": "",
    }


def _record(kind: str, insee: str, number: int, **fields: Any) -> dict[str, Any]:
    identifier = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cle-pipeline-sample:{kind}:{insee}"))
    record: dict[str, Any] = dict.fromkeys(FIELDS)
    record.update(
        {
            "copyright": "Direction de l'information légale et administrative (Première ministre)",
            "ancien_code_pivot": f"{kind}-{insee}-{number:02d}",
            "itm_identifiant": str(380000 + int(insee[2:]) * 10 + number),
            "pivot": [{"type_service_local": kind, "code_insee_commune": [insee]}],
            "id": identifier,
            "categorie": "SL",
            "version_type": "Publiable",
            "date_creation": "18/01/2012 00:00:00",
            "code_insee_commune": insee,
            "statut_de_diffusion": "true",
            "url_service_public": "https://lannuaire.service-public.gouv.fr/normandie/"
            f"seine-maritime/{identifier}",
            "information_complementaire": SAMPLE_NOTE,
        }
    )
    record.update(fields)
    # The API serialises nested fields as JSON text (Python's default separators).
    for name in NESTED:
        if isinstance(record[name], list):
            record[name] = json.dumps(record[name], ensure_ascii=False)
    return record


CAUDEBEC = ("76320", "Caudebec-lès-Elbeuf")
ELBEUF = ("76500", "Elbeuf")


def caudebec() -> list[dict[str, Any]]:
    mairie = _record(
        "mairie",
        "76165",
        1,
        nom="Mairie - Caudebec-lès-Elbeuf",
        siren="217601657",
        siret="21760165700018",
        date_modification="14/10/2022 09:12:45",
        adresse_courriel="accueil@caudebec-exemple.fr",
        site_internet=[{"libelle": "", "valeur": "https://www.caudebec-exemple.fr"}],
        telephone=[{"valeur": "02 35 74 64 10", "description": ""}],
        telecopie="02 35 74 64 11",
        # Public by law, but never read: the dataset describes offices, not people.
        affectation_personne=[
            {
                "personne": {"nom": "EXEMPLE", "prenom": "Camille", "civilite": "Mme"},
                "fonction": "Maire",
                "telephone": "",
            }
        ],
        plage_ouverture=[
            _hours("Lundi", "Vendredi", ("08:30:00", "12:00:00"), ("13:30:00", "17:30:00")),
            _hours("Samedi", "Samedi", ("08:30:00", "12:00:00")),
        ],
        adresse=[
            _address(
                "",
                *CAUDEBEC,
                "",
                "",
                kind="Adresse postale",
                complement1="Hôtel de ville",
                service_distribution="BP 50",
            ),
            _address("1 place Jean-Jaurès", *CAUDEBEC, "1.0233", "49.2833", accessibilite="ACC"),
        ],
    )
    ccas = _record(
        "ccas",
        "76165",
        1,
        nom="Centre communal d'action sociale (CCAS) - Caudebec-lès-Elbeuf",
        date_modification="03/06/2022 15:40:02",
        telephone=[
            {"valeur": "02 35 74 64 20", "description": "Accueil"},
            {"valeur": "02 35 74 64 21", "description": "Aide à domicile"},
        ],
        # One line per day, as many communes enter them; Wednesday has no afternoon.
        plage_ouverture=[
            _hours("Lundi", "Lundi", ("09:00:00", "12:00:00"), ("14:00:00", "17:00:00")),
            _hours("Mardi", "Mardi", ("09:00:00", "12:00:00"), ("14:00:00", "17:00:00")),
            _hours("Mercredi", "Mercredi", ("09:00:00", "12:00:00")),
            _hours("Jeudi", "Jeudi", ("09:00:00", "12:00:00"), ("14:00:00", "17:00:00")),
            _hours("Vendredi", "Vendredi", ("09:00:00", "12:00:00"), ("14:00:00", "16:00:00")),
        ],
        adresse=[_address("5 rue de l’Église", *CAUDEBEC, "1.0251", "49.2849")],
    )
    police = _record(
        "police_municipale",
        "76165",
        1,
        nom="Police municipale - Caudebec-lès-Elbeuf",
        date_modification="21/09/2022 11:02:17",
        adresse_courriel="police.municipale@caudebec-exemple.fr",
        telephone=[{"valeur": "02.35.74.64.30", "description": ""}],
        plage_ouverture=[
            _hours("Lundi", "Vendredi", ("08:00:00", "12:00:00"), ("13:30:00", "18:00:00")),
            _hours("Samedi", "Samedi", ("09:00:00", "12:00:00"), comment="Le 1er samedi du mois"),
        ],
        adresse=[_address("12 bis rue Sadi-Carnot", *CAUDEBEC, "1.0209", "49.2818")],
    )
    # The neighbour's police post: another commune's record that the cut must leave out.
    saint_pierre = _record(
        "police_municipale",
        "76640",
        1,
        nom="Police municipale - Saint-Pierre-lès-Elbeuf",
        date_modification="02/02/2022 10:00:00",
        telephone=[{"valeur": "02 35 81 12 12", "description": ""}],
        plage_ouverture=[
            _hours("Lundi", "Vendredi", ("08:00:00", "12:00:00"), ("14:00:00", "17:00:00")),
        ],
        adresse=[
            _address("15 rue de Caudebec", "76320", "Saint-Pierre-lès-Elbeuf", "1.0450", "49.2750")
        ],
    )
    return [mairie, ccas, police, saint_pierre]


def elbeuf() -> list[dict[str, Any]]:
    mairie = _record(
        "mairie",
        "76231",
        1,
        nom="Mairie - Elbeuf",
        siren="217602317",
        siret="21760231700018",
        date_modification="07/10/2022 16:20:00",
        adresse_courriel="mairie@elbeuf-exemple.fr",
        site_internet=[{"libelle": "", "valeur": "www.elbeuf-exemple.fr"}],
        telephone=[{"valeur": "02 32 96 90 00", "description": ""}],
        plage_ouverture=[
            _hours("Lundi", "Vendredi", ("08:30:00", "17:00:00")),
            _hours("Samedi", "Samedi", ("09:00:00", "12:00:00")),
        ],
        adresse=[
            _address(
                "Place Aristide-Briand", *ELBEUF, "1.0086", "49.2867", complement1="Hôtel de ville"
            )
        ],
    )
    ccas = _record(
        "ccas",
        "76231",
        1,
        nom="Centre communal d'action sociale (CCAS) - Elbeuf",
        date_modification="30/08/2022 08:45:10",
        adresse_courriel="ccas@elbeuf-exemple.fr",
        telephone=[{"valeur": "02 32 96 90 50", "description": ""}],
        plage_ouverture=[
            _hours("Lundi", "Jeudi", ("08:30:00", "12:00:00"), ("13:30:00", "17:00:00")),
            _hours("Vendredi", "Vendredi", ("08:30:00", "12:00:00"), ("13:30:00", "16:30:00")),
        ],
        adresse=[_address("28 rue Henry", *ELBEUF, "1.0050", "49.2890")],
    )
    # A State office in the commune: in the directory, not one of the commune's services.
    commissariat = _record(
        "commissariat_police",
        "76231",
        1,
        nom="Commissariat de police - Elbeuf",
        date_modification="12/01/2022 09:00:00",
        telephone=[{"valeur": "02 32 96 94 00", "description": ""}],
        plage_ouverture=[_hours("Lundi", "Dimanche", ("00:00:00", "23:59:00"))],
        adresse=[_address("3 rue Camille-Randoing", *ELBEUF, "1.0120", "49.2850")],
    )
    return [mairie, ccas, commissariat]


def _write_pages(
    folder: Path, commune: str, records: list[dict[str, Any]], limit: int
) -> list[Path]:
    folder = output_folder(folder / commune)
    written = []
    for offset in range(0, len(records), limit):
        page = {"total_count": len(records), "results": records[offset : offset + limit]}
        target = folder / f"records-offset-{offset:05d}.json"
        target.write_text(json.dumps(page, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(target)
    return written


def write(folder: Path) -> list[Path]:
    return [
        *_write_pages(folder, "76165", caudebec(), limit=2),
        *_write_pages(folder, "76231", elbeuf(), limit=100),
    ]
