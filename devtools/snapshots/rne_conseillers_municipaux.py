"""RNE municipal councillors: `elus-conseillers-municipaux-cm.csv` (`;`, UTF-8, no BOM).

The 16 columns of the national file in its order, ISO dates as in the recent files, codes with
their leading zeros. Every name, birth date, profession and nationality is an invented SAMPLE,
not a real councillor. The birth dates and professions are there because the real file has
them: the tests prove that none of them reaches the published dataset.

- Caudebec-lès-Elbeuf (76165): a full council of 33 (1 maire, 9 adjoints, 23 conseillers whose
  function is empty); the 4th adjoint is also maire délégué of the delegated commune, so he
  has two rows (34 rows); a conseillère replaced a resigning one in June 2026 (later mandate
  start); a conseiller of Portuguese nationality (EU citizens may sit on the council).
- Elbeuf (76231, about 16,000 inhabitants): a full council of 33.
- Left out by the cut: Saint-Pierre-lès-Elbeuf (same department and postal code as
  Caudebec), a commune of the Ain written `01001`, Paris, Ajaccio (`2A`), Saint-Denis de La
  Réunion (`974`) and Fort-de-France, whose department column is empty (Martinique).
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import csv_text, output_folder

HEADER = [
    "Code du département",
    "Libellé du département",
    "Code de la collectivité à statut particulier",
    "Libellé de la collectivité à statut particulier",
    "Code de la commune",
    "Libellé de la commune",
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
    "Code nationalité",
]
FILE_NAME = "elus-conseillers-municipaux-cm.csv"
# Councils elected in the first round on 15 March 2026 installed their maire within the week.
INSTALLED = "2026-03-22"

PROFESSIONS = [
    ("38", "Ingénieur et cadre technique d'entreprise"),
    ("42", "Professeur des écoles, instituteur et assimilé"),
    ("74", "Ancien cadre"),
    ("54", "Employé administratif d'entreprise"),
    ("22", "Commerçant et assimilé"),
    ("46", "Profession intermédiaire administrative et commerciale des entreprises"),
    ("34", "Professeur, profession scientifique"),
    ("76", "Ancien employé"),
    ("31", "Profession libérale"),
    ("63", "Ouvrier qualifié de type artisanal"),
]
ADJOINTS = [
    "1er adjoint au Maire",
    *(f"{rank}ème adjoint au Maire" for rank in range(2, 10)),
]

# (nom, prénom, sexe) in the order of the council's table: maire, adjoints, conseillers.
CAUDEBEC_COUNCIL = [
    ("DELAUNAY", "Hélène", "F"),
    ("MARCHAL", "Thierry", "M"),
    ("POULAIN", "Sandrine", "F"),
    ("LEROUX", "Jean-Marc", "M"),
    ("BEAUVAIS", "Didier", "M"),
    ("AUBERT", "Nathalie", "F"),
    ("GODEFROY", "Patrick", "M"),
    ("LECLERC", "Isabelle", "F"),
    ("HAMEL", "Olivier", "M"),
    ("PICARD", "Valérie", "F"),
    ("BOUCHER", "Alain", "M"),
    ("DUVAL", "Céline", "F"),
    ("LEMAÎTRE", "Franck", "M"),
    ("COLLET", "Martine", "F"),
    ("D'ALMEIDA", "Joaquim", "M"),
    ("HÉBERT", "Sophie", "F"),
    ("LANGLOIS", "Christophe", "M"),
    ("VASSEUR", "Aurélie", "F"),
    ("RENAULT", "Bruno", "M"),
    ("FLEURY", "Émilie", "F"),
    ("GUÉRIN", "Pascal", "M"),
    ("LEGRAND", "Chantal", "F"),
    ("MOREL", "Yannick", "M"),
    ("BAZIN", "Karine", "F"),
    ("TESSIER", "Mickaël", "M"),
    ("CARON", "Laetitia", "F"),
    ("DESCHAMPS", "Gilles", "M"),
    ("PRÉVOST", "Annie", "F"),
    ("QUESNEL", "Romain", "M"),
    ("LAUNAY", "Marie-Claude", "F"),
    ("BRIÈRE", "Kévin", "M"),
    ("SAMSON", "Élodie", "F"),
    ("VIGOR", "Jean", "M"),
]
ELBEUF_COUNCIL = [
    ("FONTAINE", "Arnaud", "M"),
    ("GAUTIER", "Corinne", "F"),
    ("BRETON", "Stéphane", "M"),
    ("MALLET", "Fatima", "F"),
    ("LEBRUN", "Hervé", "M"),
    ("CHEVALIER", "Delphine", "F"),
    ("ROUSSEL", "Ludovic", "M"),
    ("BENOIT", "Samira", "F"),
    ("HUET", "Frédéric", "M"),
    ("LAMBERT", "Virginie", "F"),
    ("MARTINEZ", "José", "M"),
    ("PERRIN", "Sylvie", "F"),
    ("LEMOINE", "Damien", "M"),
    ("GIRAUD", "Nadia", "F"),
    ("BARBIER", "Cédric", "M"),
    ("ROLLAND", "Agnès", "F"),
    ("COUSIN", "Rachid", "M"),
    ("MEUNIER", "Patricia", "F"),
    ("BLANCHARD", "Sébastien", "M"),
    ("LUCAS", "Monique", "F"),
    ("VINCENT", "Guillaume", "M"),
    ("MASSON", "Estelle", "F"),
    ("RIVIÈRE", "Anthony", "M"),
    ("DUMONT", "Brigitte", "F"),
    ("COLIN", "Julien", "M"),
    ("ANDRÉ", "Mélanie", "F"),
    ("LEFÈVRE", "Dominique", "M"),
    ("NOËL", "Jacqueline", "F"),
    ("ROGER", "Maxime", "M"),
    ("KEITA", "Aminata", "F"),
    ("BOYER", "Thomas", "M"),
    ("CLÉMENT", "Odile", "F"),
    ("PETIT", "Loïc", "M"),
]


def _birth_date(serial: int) -> str:
    """A distinct SAMPLE birth date per councillor (ISO), between 1946 and 1999."""
    return f"{1946 + serial * 7 % 54}-{serial * 5 % 12 + 1:02d}-{serial * 11 % 28 + 1:02d}"


def _council(
    place: dict[str, str],
    members: list[tuple[str, str, str]],
    mandate_start: str,
    function_start: str,
    serial_base: int,
) -> list[dict[str, str]]:
    rows = []
    for rank, (name, first_name, sex) in enumerate(members):
        function = "Maire" if rank == 0 else ADJOINTS[rank - 1] if rank <= 9 else ""
        code, label = PROFESSIONS[(serial_base + rank) % len(PROFESSIONS)]
        rows.append(
            {
                **place,
                "Nom de l'élu": name,
                "Prénom de l'élu": first_name,
                "Code sexe": sex,
                "Date de naissance": _birth_date(serial_base + rank),
                "Code de la catégorie socio-professionnelle": code,
                "Libellé de la catégorie socio-professionnelle": label,
                "Date de début du mandat": mandate_start,
                "Libellé de la fonction": function,
                "Date de début de la fonction": function_start if function else "",
                "Code nationalité": "FR",
            }
        )
    return rows


def _place(
    department: str,
    department_label: str,
    code: str,
    label: str,
    collectivity: str = "",
    collectivity_label: str = "",
) -> dict[str, str]:
    return {
        "Code du département": department,
        "Libellé du département": department_label,
        "Code de la collectivité à statut particulier": collectivity,
        "Libellé de la collectivité à statut particulier": collectivity_label,
        "Code de la commune": code,
        "Libellé de la commune": label,
    }


def _one(place: dict[str, str], name: str, first_name: str, sex: str, **other: str) -> dict:
    return {
        **place,
        "Nom de l'élu": name,
        "Prénom de l'élu": first_name,
        "Code sexe": sex,
        "Date de naissance": other.get("birth", "1970-01-15"),
        "Code de la catégorie socio-professionnelle": "38",
        "Libellé de la catégorie socio-professionnelle": PROFESSIONS[0][1],
        "Date de début du mandat": "2026-03-15",
        "Libellé de la fonction": other.get("function", ""),
        "Date de début de la fonction": other.get("function_start", ""),
        "Code nationalité": "FR",
    }


def rows() -> list[dict[str, str]]:
    """Every row of the snapshot, in the file's order (mixed, as the national file is)."""
    caudebec_place = _place("76", "Seine-Maritime", "76165", "Caudebec-lès-Elbeuf")
    caudebec = _council(caudebec_place, CAUDEBEC_COUNCIL, "2026-03-15", "2026-03-21", 0)
    # The 4th adjoint is also maire délégué: one more row, same person, another function.
    caudebec.insert(5, {**caudebec[4], "Libellé de la fonction": "Maire délégué"})
    # A councillor who replaced a resigning one: her mandate began later.
    caudebec[-2]["Date de début du mandat"] = "2026-06-02"
    # A citizen of another EU member state (Code électoral art. LO 228-1).
    caudebec[15]["Code nationalité"] = "PT"

    elbeuf_place = _place("76", "Seine-Maritime", "76231", "Elbeuf")
    elbeuf = _council(elbeuf_place, ELBEUF_COUNCIL, "2026-03-15", "2026-03-20", 40)

    saint_pierre = _place("76", "Seine-Maritime", "76640", "Saint-Pierre-lès-Elbeuf")
    ain = _place("01", "Ain", "01001", "L'Abergement-Clémenciat")
    paris = _place("75", "Paris", "75056", "Paris", "75C", "Ville de Paris")
    ajaccio = _place("2A", "Corse-du-Sud", "2A004", "Ajaccio", "20R", "Collectivité de Corse")
    saint_denis = _place("974", "La Réunion", "97411", "Saint-Denis")
    fort_de_france = _place("", "", "97209", "Fort-de-France", "972", "Martinique")
    others = [
        _one(saint_pierre, "GRENIER", "Paul", "M", function="Maire", function_start="2026-03-21"),
        _one(saint_pierre, "LOISEL", "Anne", "F", birth="1981-09-30"),
        _one(ain, "EXEMPLE", "Line", "F", function="Maire", function_start="2026-03-23"),
        _one(paris, "SAMPLE", "Claire", "F", function="Maire", function_start="2026-03-29"),
        _one(paris, "MODÈLE", "Louis", "M", birth="1990-02-11"),
        _one(ajaccio, "SANTONI", "Ghjuvan", "M", function="Maire", function_start=INSTALLED),
        _one(saint_denis, "PAYET", "Josiane", "F", function="Maire", function_start=INSTALLED),
        _one(saint_denis, "HOARAU", "Jean-Luc", "M", birth="1968-12-03"),
        _one(fort_de_france, "LOUISY", "Marius", "M", function="Maire", function_start=INSTALLED),
    ]
    # The national file is not grouped by commune: interleave to keep the cut honest.
    return [*others[:2], *caudebec[:17], *others[2:5], *elbeuf, *caudebec[17:], *others[5:]]


def write_file(path: Path, table: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    """The rows as the ministry writes them (`;`, UTF-8, quotes only where needed)."""
    content = csv_text(header, [[row[name] for name in header] for row in table], ";")
    path.write_text(content, encoding="utf-8")
    return path


def write(folder: Path) -> list[Path]:
    return [write_file(output_folder(folder) / FILE_NAME, rows())]
