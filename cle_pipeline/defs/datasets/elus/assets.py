"""`elus`: the commune's municipal council from the RNE, its checks, and the legal council size.

A person is identified by name, first name and sex within the commune: the RNE publishes no
identifier, and the birth date that would tell two homonyms apart is not read. Two homonyms
of the same sex on one council would thus count as one person: the checks then fail (one row
too many per person and function, or one person short), a visible false alarm, never a silent
pass.

Rule for people holding two functions: one row per function, as in the RNE (the 4th adjoint
who is also maire délégué has two rows); "Conseiller municipal" only for someone who holds no
function at all.
"""

from __future__ import annotations

import re
import unicodedata

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.elus.schema import Elus
from cle_pipeline.defs.datasets.elus.sheet import SHEET
from cle_pipeline.lib.checks import Rule, dataset_checks
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import blank_to_none, iso_date
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.volume import VolumeLimit

NO_FUNCTION = "Conseiller municipal"
ADJOINT = re.compile(r"^(\d+)\s*(?:er|ère|re|ème|eme|e)\s+adjoint", re.IGNORECASE)
# The RNE writes every function in the masculine. Its words and their feminine, for the column
# `fonction_feminin` (words it does not know stay as written: `Maire` is both).
FEMININE_WORDS = {
    "conseiller": "conseillère",
    "adjoint": "adjointe",
    "délégué": "déléguée",
    "municipal": "municipale",
    "spécial": "spéciale",
    "suppléant": "suppléante",
    "premier": "première",
    "1er": "1re",
}
# `2ème`, `3eme`, `10e`: the ordinal's usual abbreviation is `2e` (Imprimerie nationale).
ORDINAL = re.compile(r"^(\d+)(?:ème|eme|e)$", re.IGNORECASE)

# CGCT art. L. 2121-2: members of the municipal council by population municipale (lower bound
# of each tier, members).
LEGAL_SIZE_TIERS = [
    (0, 7),
    (100, 11),
    (500, 15),
    (1_500, 19),
    (2_500, 23),
    (3_500, 27),
    (5_000, 29),
    (10_000, 33),
    (20_000, 35),
    (30_000, 39),
    (40_000, 43),
    (50_000, 45),
    (60_000, 49),
    (80_000, 53),
    (100_000, 55),
    (150_000, 59),
    (200_000, 61),
    (250_000, 65),
    (300_000, 69),
]
# CGCT art. L. 2121-2-1 (loi n° 2025-444): below 1,000 inhabitants a council is complete with
# two members fewer than the table above, from the 2026 renewal on.
COMPLETE_BELOW_1000 = [(0, 5), (100, 9), (500, 13)]
# Paris, Marseille, Lyon: sizes fixed by the electoral code (tableau n° 2 annexé), not by
# L. 2121-2.
PLM_SIZES = {"75056": 163, "13055": 101, "69123": 73}


def _text(value: object) -> str | None:
    value = blank_to_none(value)
    return None if value is None else " ".join(str(value).split())


def feminine_function(function: str) -> str:
    """The RNE's masculine label in the feminine, word by word: `Conseiller municipal` →
    `Conseillère municipale`, `2ème adjoint au Maire` → `2e adjointe au maire` (the ordinal
    abbreviated `2e`, `1re`; `maire` in lower case after its first word), `Maire délégué` →
    `Maire déléguée`."""
    words = []
    for position, word in enumerate(function.split()):
        key = word.casefold()
        if key in FEMININE_WORDS:
            feminine = FEMININE_WORDS[key]
            word = feminine.capitalize() if word[:1].isupper() else feminine
        elif ordinal := ORDINAL.match(word):
            word = f"{ordinal.group(1)}e"
        elif key == "maire" and position > 0:
            word = "maire"
        words.append(word)
    return " ".join(words)


def _sort_key(value: object) -> str:
    # Alphabetical order as a reader expects it: `É` with the `E`, not after `Z`.
    decomposed = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _table_rank(function: str) -> int:
    """The council's table order: the maire, the adjoints by rank, other functions, then the
    councillors without function (CGCT art. L. 2121-1)."""
    if function.casefold() == "maire":
        return 0
    adjoint = ADJOINT.match(function)
    if adjoint:
        return int(adjoint.group(1))
    return 1000 if function == NO_FUNCTION else 500


def council(rne: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """One row per councillor and function, public fields only, ISO dates, in the council's
    table order (then by name). A date in neither RNE format stays as written, so the schema
    check fails on its row."""
    functions = [_text(value) or NO_FUNCTION for value in rne["Libellé de la fonction"]]
    table = pd.DataFrame(
        {
            "code_commune_insee": commune.code,
            "nom_commune": commune.name,
            "nom": [_text(value) for value in rne["Nom de l'élu"]],
            "prenom": [_text(value) for value in rne["Prénom de l'élu"]],
            "sexe": [(_text(value) or "").upper() or None for value in rne["Code sexe"]],
            "fonction": functions,
            "fonction_feminin": [
                feminine_function(function) if (_text(sex) or "").upper() == "F" else None
                for function, sex in zip(functions, rne["Code sexe"], strict=True)
            ],
            "date_debut_mandat": [iso_date(value) for value in rne["Date de début du mandat"]],
            "date_debut_fonction": [
                iso_date(value) for value in rne["Date de début de la fonction"]
            ],
        },
        index=range(len(rne)),
        dtype=object,
    )
    order = table.assign(
        _rank=[_table_rank(function) for function in functions],
        _name=[_sort_key(value) for value in table["nom"]],
        _first=[_sort_key(value) for value in table["prenom"]],
    ).sort_values(["_rank", "_name", "_first", "fonction"], kind="stable")
    return table.loc[order.index].reset_index(drop=True)


def person_keys(frame: pd.DataFrame) -> pd.Series:
    """Who a row is about, within the commune: name, first name and sex, case-insensitive."""
    return (
        frame["nom"].fillna("").str.casefold()
        + "|"
        + frame["prenom"].fillna("").str.casefold()
        + "|"
        + frame["sexe"].fillna("")
    )


def _named(frame: pd.DataFrame, rows: pd.Index, problem: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": [index + 1 for index in rows],
            "nom": frame.loc[rows, "nom"].tolist(),
            "prenom": frame.loc[rows, "prenom"].tolist(),
            "fonction": frame.loc[rows, "fonction"].tolist(),
            "probleme": problem,
        }
    )


def not_one_maire(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """Every row whose function is Maire when there is more than one; a single line when
    there is none."""
    maires = frame.index[frame["fonction"].fillna("").str.casefold() == "maire"]
    if len(maires) == 1:
        return pd.DataFrame()
    if not len(maires):
        return pd.DataFrame({"probleme": [f"aucun maire pour la commune {commune.code}"]})
    return _named(frame, maires, f"{len(maires)} maires pour la commune {commune.code}")


def repeated_person_and_function(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows repeating a (person, function) pair, and "Conseiller municipal" rows of someone
    who also holds a function."""
    keys = person_keys(frame)
    functions = frame["fonction"].fillna("").str.casefold()
    repeated = frame.index[pd.DataFrame({"k": keys, "f": functions}).duplicated(keep=False)]
    with_function = set(keys[functions != NO_FUNCTION.casefold()])
    stray = frame.index[(functions == NO_FUNCTION.casefold()) & keys.isin(with_function)]
    return pd.concat(
        [
            _named(frame, repeated, "même élu et même fonction sur plusieurs lignes"),
            _named(frame, stray, "ligne sans fonction pour un élu qui exerce une fonction"),
        ],
        ignore_index=True,
    )


def _tier(tiers: list[tuple[int, int]], population: int) -> int:
    return next(members for floor, members in reversed(tiers) if population >= floor)


def legal_council_size(code: str, population: int) -> tuple[int, int]:
    """(fewest, most) members a complete council may have for this population municipale."""
    if code in PLM_SIZES:
        return PLM_SIZES[code], PLM_SIZES[code]
    size = _tier(LEGAL_SIZE_TIERS, population)
    if population >= 1_000:
        return size, size
    return _tier(COMPLETE_BELOW_1000, population), size


def size_text(size: tuple[int, int]) -> str:
    """`33`, or `13 à 15` below 1,000 inhabitants."""
    fewest, most = size
    return str(most) if fewest == most else f"{fewest} à {most}"


def population_municipale(rows: pd.DataFrame) -> tuple[int | None, list[str]]:
    """The commune's population municipale (the sum of its arrondissements' for Paris, Lyon,
    Marseille) and what is wrong with the rows, if anything. Spaces between thousands, as in
    INSEE's spreadsheets, are accepted."""
    problems, total = [], 0
    if rows.empty:
        return None, ["aucune ligne de population légale pour la commune"]
    for _, row in rows.iterrows():
        text = re.sub(r"[\s\u00a0\u202f]", "", str(blank_to_none(row["PMUN"]) or ""))
        if not text.isdigit():
            problems.append(f"PMUN illisible pour {row['code_insee']} : {row['PMUN']!r}")
        else:
            total += int(text)
    return (None if problems else total), problems


def council_size_off(
    frame: pd.DataFrame, commune: Commune, insee_populations_legales: pd.DataFrame
) -> pd.DataFrame:
    """One line when the number of distinct councillors is not the legal size."""
    population, problems = population_municipale(insee_populations_legales)
    if population is None:
        return pd.DataFrame({"probleme": problems})
    fewest, most = legal_council_size(commune.code, population)
    members = person_keys(frame).nunique()
    if fewest <= members <= most:
        return pd.DataFrame()
    expected = size_text((fewest, most))
    return pd.DataFrame(
        {
            "population_municipale": [population],
            "effectif_legal": [expected],
            "elus_distincts": [members],
            "probleme": [f"{members} élus pour un effectif légal de {expected}"],
        }
    )


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id},
)
def elus(
    rne_conseillers_municipaux: pd.DataFrame,
    insee_populations_legales: pd.DataFrame,
    commune: Commune,
) -> dg.Output[pd.DataFrame]:
    """Construit depuis `rne_conseillers_municipaux` : le conseil municipal, une ligne par élu
    et par fonction, noms, sexe, fonction et dates seulement (jamais la date de naissance, la
    profession ni la nationalité) ; `insee_populations_legales` donne la population municipale
    et la taille légale du conseil (dans les métadonnées), que vérifie un contrôle."""
    table = council(rne_conseillers_municipaux, commune)
    population, _ = population_municipale(insee_populations_legales)
    legal = legal_council_size(commune.code, population) if population is not None else None
    return dg.Output(
        table,
        metadata={
            **published_metadata(table, Elus),
            "distinct_councillors": int(person_keys(table).nunique()),
            "population_municipale": population if population is not None else "unknown",
            "legal_council_size": "unknown" if legal is None else size_text(legal),
        },
    )


RULES = [
    Rule("one_maire", "Exactement un élu a la fonction Maire.", not_one_maire, inputs=("commune",)),
    Rule(
        "one_row_per_person_and_function",
        "Une personne (nom, prénom, sexe) a une ligne par fonction, et pas de ligne "
        "« Conseiller municipal » quand elle exerce une fonction.",
        repeated_person_and_function,
    ),
    Rule(
        "council_size_matches_population",
        "Le nombre d'élus distincts est l'effectif légal pour la population municipale de la "
        "commune (CGCT art. L. 2121-2 : 33 de 10 000 à 19 999 habitants ; sous 1 000, il "
        "peut manquer deux élus, art. L. 2121-2-1 ; Paris, Lyon, Marseille à part).",
        council_size_off,
        inputs=("commune", "insee_populations_legales"),
    ),
]
elus_checks = dataset_checks(
    SHEET,
    Elus,
    volume=VolumeLimit(
        0.2,
        "la taille du conseil est fixée par la loi jusqu'à la prochaine élection ; au plus "
        "quelques sièges vacants",
    ),
    rules=RULES,
    commune_of_rows="code_commune_insee",
)

elus_release = dataset_release(SHEET, Elus, elus_checks)
