"""Effectifs d'élèves par école: two Opendatasoft exports of `fr-en-ecoles-effectifs-nb_classes`
(`;`, UTF-8 with a BOM), rentrées 2019 to 2023.

- `fr-en-ecoles-effectifs-nb_classes.csv` (the snapshot the pipeline reads): the current
  header, with `code_departement`, `nombre_eleves_ueea` (empty: UEEA pupils were counted with
  their level until 2023) and `code_commune_insee`, which holds the POSTAL code (76320 for
  Caudebec-lès-Elbeuf and Saint-Pierre-lès-Elbeuf alike), as in the real file.
- `fr-en-ecoles-effectifs-nb_classes-export-2023.csv`: the older header (`…;tri;code_postal`),
  rentrées 2019 to 2022, the same schools and numbers, for the test that both read the same.

Schools: Caudebec-lès-Elbeuf (three public schools, one private, and a maternelle that closed
after rentrée 2020 and is absent from the directory), Elbeuf, Saint-Pierre-lès-Elbeuf (same
postal code, one school closed), Rouen (same department), Paris, Ajaccio, Saint-Denis de La
Réunion, and a closed school of Saint-Denis (93) that must not be taken for the Réunion one.
The open schools of Elbeuf and Saint-Pierre carry the names of real schools of those towns;
every other name (Caudebec's could not be confirmed), the UAIs (with a valid check letter) and
EVERY NUMBER are SAMPLES, consistent (pre-elementary + elementary + ULIS = total, CP … CM2 =
elementary) but not the DEPP's figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devtools.snapshots.common import (
    AJACCIO,
    CAUDEBEC,
    ELBEUF,
    PARIS,
    SAINT_DENIS,
    SAINT_PIERRE,
    SampleCommune,
    csv_text,
    output_folder,
)

YEARS = (2019, 2020, 2021, 2022, 2023)
LEVELS = [
    "nombre_eleves_cp_hors_ulis",
    "nombre_eleves_ce1_hors_ulis",
    "nombre_eleves_ce2_hors_ulis",
    "nombre_eleves_cm1_hors_ulis",
    "nombre_eleves_cm2_hors_ulis",
]
NEW_HEADER = [
    "rentree_scolaire",
    "region_academique",
    "academie",
    "code_departement",
    "departement",
    "code_commune_insee",
    "commune",
    "numero_ecole",
    "denomination_principale",
    "patronyme",
    "secteur",
    "rep",
    "rep_plus",
    "nombre_total_classes",
    "nombre_total_eleves",
    "nombre_eleves_preelementaire_hors_ulis",
    "nombre_eleves_elementaire_hors_ulis",
    "nombre_eleves_ulis",
    "nombre_eleves_ueea",
    *LEVELS,
    "tri",
]
OLD_HEADER = [
    "rentree_scolaire",
    "region_academique",
    "academie",
    "departement",
    "commune",
    "numero_ecole",
    "denomination_principale",
    "patronyme",
    "secteur",
    "rep",
    "rep_plus",
    "nombre_total_classes",
    "nombre_total_eleves",
    "nombre_eleves_preelementaire_hors_ulis",
    "nombre_eleves_elementaire_hors_ulis",
    "nombre_eleves_ulis",
    *LEVELS,
    "tri",
    "code_postal",
]
# Region, académie and department as the file writes them, per department code.
AREAS = {
    "76": ("NORMANDIE", "NORMANDIE", "SEINE-MARITIME", "70"),
    "75": ("ILE-DE-FRANCE", "PARIS", "PARIS", "10"),
    "93": ("ILE-DE-FRANCE", "CRETEIL", "SEINE-SAINT-DENIS", "10"),
    "2A": ("CORSE", "CORSE", "CORSE-DU-SUD", "94"),
    "974": ("LA REUNION", "LA REUNION", "LA REUNION", "04"),
}
UAI_KEYS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# Rouen only appears here: a rough box places its school in the directory (SAMPLE geometry).
ROUEN_OUTLINE = ((1.06, 49.42), (1.14, 49.42), (1.14, 49.47), (1.06, 49.47), (1.06, 49.42))


def uai(digits: str) -> str:
    """A UAI with its check letter: the 7 digits modulo 23, in an alphabet without I, O, Q."""
    return digits + UAI_KEYS[int(digits) % 23]


@dataclass(frozen=True)
class Year:
    """One school year of a school: classes, pre-elementary pupils, CP … CM2, ULIS."""

    classes: int
    preelementaire: int
    cp: int = 0
    ce1: int = 0
    ce2: int = 0
    cm1: int = 0
    cm2: int = 0
    ulis: int = 0

    @property
    def elementaire(self) -> int:
        return self.cp + self.ce1 + self.ce2 + self.cm1 + self.cm2

    @property
    def total(self) -> int:
        return self.preelementaire + self.elementaire + self.ulis


@dataclass(frozen=True)
class SampleSchool:
    digits: str
    commune: SampleCommune
    department: str
    # As the enrolment file spells it (upper case, no accents, sometimes abbreviated).
    commune_as_written: str
    denomination: str
    patronyme: str
    secteur: str  # PUBLIC or PRIVE
    years: dict[int, Year]
    rep: str = "0"
    # The directory lists open establishments only: a closed school is not in it.
    in_directory: bool = True
    # The directory's code_commune: the arrondissement for Paris.
    directory_commune: tuple[str, str] | None = None
    street: str = ""

    @property
    def uai(self) -> str:
        return uai(self.digits)


def _maternelle(classes: int, pupils: list[int]) -> dict[int, Year]:
    return {year: Year(classes, count) for year, count in zip(YEARS, pupils, strict=False)}


def _steady(classes: int, pre: int, per_level: int, ulis: int = 0) -> dict[int, Year]:
    """A school whose numbers drift a little each year (for schools outside the tests)."""
    return {
        year: Year(
            classes,
            max(pre - shift, 0) if pre else 0,
            per_level + shift,
            per_level - shift,
            per_level,
            per_level + 1,
            per_level - 1,
            ulis,
        )
        for shift, year in enumerate(YEARS)
    }


CAUDEBEC_SCHOOLS = [
    SampleSchool(
        "0761587",
        CAUDEBEC,
        "76",
        "CAUDEBEC-LES-ELBEUF",
        "ECOLE MATERNELLE PUBLIQUE",
        "GEORGE SAND",
        "PUBLIC",
        _maternelle(4, [112, 108, 104, 101, 97]),
        street="Rue George Sand",
    ),
    SampleSchool(
        "0761588",
        CAUDEBEC,
        "76",
        "CAUDEBEC-LES-ELBEUF",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "JEAN JAURES",
        "PUBLIC",
        {
            2019: Year(10, 0, 38, 41, 40, 44, 42, 12),
            2020: Year(10, 0, 36, 39, 41, 40, 44, 11),
            2021: Year(10, 0, 40, 37, 39, 42, 40, 12),
            2022: Year(10, 0, 37, 41, 38, 40, 43, 12),
            2023: Year(10, 0, 35, 38, 42, 39, 41, 10),
        },
        street="Rue Jean Jaurès",
    ),
    SampleSchool(
        "0761589",
        CAUDEBEC,
        "76",
        "CAUDEBEC-LES-ELBEUF",
        "ECOLE PRIMAIRE PUBLIQUE",
        "VICTOR HUGO",
        "PUBLIC",
        {
            2019: Year(8, 71, 24, 26, 25, 27, 23),
            2020: Year(8, 69, 22, 25, 26, 24, 27),
            2021: Year(8, 74, 25, 22, 25, 26, 24),
            2022: Year(8, 78, 23, 26, 23, 25, 26),
            2023: Year(8, 75, 21, 24, 26, 23, 25),
        },
        street="Rue Victor Hugo",
    ),
    SampleSchool(
        "0761590",
        CAUDEBEC,
        "76",
        "CAUDEBEC-LES-ELBEUF",
        "ECOLE PRIMAIRE PRIVEE",
        "SAINT JOSEPH",
        "PRIVE",
        {
            2019: Year(5, 45, 16, 15, 17, 14, 16),
            2020: Year(5, 43, 15, 17, 15, 17, 14),
            2021: Year(5, 44, 17, 15, 16, 15, 17),
            2022: Year(5, 42, 14, 17, 16, 16, 15),
            2023: Year(5, 40, 15, 14, 17, 16, 16),
        },
        street="Rue de la République",
    ),
    # Closed after rentrée 2020 (its pupils went to Victor Hugo): gone from the directory.
    SampleSchool(
        "0761591",
        CAUDEBEC,
        "76",
        "CAUDEBEC-LES-ELBEUF",
        "ECOLE MATERNELLE PUBLIQUE",
        "LES MARRONNIERS",
        "PUBLIC",
        _maternelle(2, [48, 44]),
        in_directory=False,
    ),
]
OTHER_SCHOOLS = [
    SampleSchool(
        "0762011",
        ELBEUF,
        "76",
        "ELBEUF",
        "ECOLE MATERNELLE PUBLIQUE",
        "ALPHONSE DAUDET",
        "PUBLIC",
        _maternelle(5, [131, 127, 124, 120, 118]),
        rep="1",
        street="Rue Alphonse Daudet",
    ),
    SampleSchool(
        "0762012",
        ELBEUF,
        "76",
        "ELBEUF",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "GEORGES BRASSENS",
        "PUBLIC",
        _steady(9, 0, 34, ulis=10),
        rep="1",
        street="Rue Georges Brassens",
    ),
    SampleSchool(
        "0762013",
        ELBEUF,
        "76",
        "ELBEUF",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "CONDORCET",
        "PUBLIC",
        _steady(7, 0, 28),
        street="Rue Condorcet",
    ),
    # Saint-Pierre-lès-Elbeuf shares Caudebec's postal code 76320.
    SampleSchool(
        "0761720",
        SAINT_PIERRE,
        "76",
        "ST PIERRE LES ELBEUF",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "JULES VERNE",
        "PUBLIC",
        _steady(9, 0, 46),
        street="Rue de Freneuse",
    ),
    SampleSchool(
        "0761721",
        SAINT_PIERRE,
        "76",
        "ST PIERRE LES ELBEUF",
        "ECOLE MATERNELLE PUBLIQUE",
        "MARIA MONTESSORI",
        "PUBLIC",
        _maternelle(3, [84, 80, 79, 77, 75]),
        street="Rue Maria Montessori",
    ),
    # A closed school of the neighbour, postal code 76320: must stay out of Caudebec.
    SampleSchool(
        "0761722",
        SAINT_PIERRE,
        "76",
        "ST PIERRE LES ELBEUF",
        "ECOLE MATERNELLE PUBLIQUE",
        "LES COQUELICOTS",
        "PUBLIC",
        _maternelle(1, [24]),
        in_directory=False,
    ),
    SampleSchool(
        "0765110",
        SampleCommune("76540", "Rouen", "76", "28", "76000", ROUEN_OUTLINE),
        "76",
        "ROUEN",
        "ECOLE PRIMAIRE PUBLIQUE",
        "GUILLAUME LION",
        "PUBLIC",
        _steady(11, 90, 30),
        street="Rue Guillaume Lion",
    ),
    SampleSchool(
        "0750511",
        PARIS,
        "75",
        "PARIS",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "RUE DE LA CONVENTION",
        "PUBLIC",
        _steady(10, 0, 50),
        directory_commune=("75115", "Paris 15e Arrondissement"),
        street="Rue de la Convention",
    ),
    SampleSchool(
        "6200412",
        AJACCIO,
        "2A",
        "AJACCIO",
        "ECOLE PRIMAIRE PUBLIQUE",
        "CAMPO DELL'ORO",
        "PUBLIC",
        _steady(6, 40, 20),
        street="Route de Campo dell'Oro",
    ),
    SampleSchool(
        "9740321",
        SAINT_DENIS,
        "974",
        "ST DENIS",
        "ECOLE ELEMENTAIRE PUBLIQUE",
        "LES CAMELIAS",
        "PUBLIC",
        _steady(12, 0, 55),
        rep="1",
        street="Rue des Camélias",
    ),
    # Saint-Denis (93), closed: same name as the Réunion commune, another department.
    SampleSchool(
        "0930873",
        SampleCommune("93066", "Saint-Denis", "93", "11", "93200", ()),
        "93",
        "SAINT-DENIS",
        "ECOLE MATERNELLE PUBLIQUE",
        "LES ROSIERS",
        "PUBLIC",
        _maternelle(3, [70, 66]),
        in_directory=False,
    ),
]
SCHOOLS = CAUDEBEC_SCHOOLS + OTHER_SCHOOLS


def _row(school: SampleSchool, year: int) -> dict[str, str]:
    counts = school.years[year]
    region, academie, departement, region_code = AREAS[school.department]
    return {
        "rentree_scolaire": str(year),
        "region_academique": region,
        "academie": academie,
        "code_departement": school.department,
        "departement": departement,
        # The real file's trap: a column named for the INSEE code that holds the postal code.
        "code_commune_insee": school.commune.postal_code,
        "code_postal": school.commune.postal_code,
        "commune": school.commune_as_written,
        "numero_ecole": school.uai,
        "denomination_principale": school.denomination,
        "patronyme": school.patronyme,
        "secteur": school.secteur,
        "rep": school.rep,
        "rep_plus": "0",
        "nombre_total_classes": str(counts.classes),
        "nombre_total_eleves": str(counts.total),
        "nombre_eleves_preelementaire_hors_ulis": str(counts.preelementaire),
        "nombre_eleves_elementaire_hors_ulis": str(counts.elementaire),
        "nombre_eleves_ulis": str(counts.ulis),
        "nombre_eleves_ueea": "",
        "nombre_eleves_cp_hors_ulis": str(counts.cp),
        "nombre_eleves_ce1_hors_ulis": str(counts.ce1),
        "nombre_eleves_ce2_hors_ulis": str(counts.ce2),
        "nombre_eleves_cm1_hors_ulis": str(counts.cm1),
        "nombre_eleves_cm2_hors_ulis": str(counts.cm2),
        "tri": f"{region_code}-{region}-{academie}-{departement}-{school.commune_as_written}-"
        f"{school.uai}",
    }


def rows(years: tuple[int, ...]) -> list[dict[str, str]]:
    # The export is not sorted by school: newest rentrée first, schools interleaved.
    return [
        _row(school, year)
        for year in sorted(years, reverse=True)
        for school in sorted(SCHOOLS, key=lambda s: s.patronyme)
        if year in school.years
    ]


def _export(header: list[str], years: tuple[int, ...]) -> bytes:
    table = [[row[name] for name in header] for row in rows(years)]
    # Opendatasoft exports start with a UTF-8 BOM.
    return ("\ufeff" + csv_text(header, table, ";")).encode("utf-8")


def write(folder: Path) -> list[Path]:
    folder = output_folder(folder)
    current = folder / "fr-en-ecoles-effectifs-nb_classes.csv"
    current.write_bytes(_export(NEW_HEADER, YEARS))
    older = folder / "fr-en-ecoles-effectifs-nb_classes-export-2023.csv"
    older.write_bytes(_export(OLD_HEADER, tuple(year for year in YEARS if year <= 2022)))
    return [current, older]
