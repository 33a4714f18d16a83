"""`elus` from the RNE and INSEE snapshots: exact rows, both date formats, no private field in
the output, and the checks that guard the council (one maire, one row per person and
function, the legal size)."""

from __future__ import annotations

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.datasets.elus.assets import (
    RULES,
    council,
    feminine_function,
    legal_council_size,
    not_one_maire,
    population_municipale,
)
from cle_pipeline.defs.datasets.elus.schema import Elus
from cle_pipeline.defs.sources.rne_conseillers_municipaux import cut_commune
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv
from cle_pipeline_tests.defs.sources.test_insee_populations_legales import real_archive
from cle_pipeline_tests.defs.sources.test_rne_conseillers_municipaux import (
    SNAPSHOT,
    french_date,
    write_older_file,
)
from devtools.snapshots import rne_conseillers_municipaux as snapshot

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
CHECKS = [
    "elus:schema",
    "elus:rows_belong_to_commune",
    "elus:one_maire",
    "elus:one_row_per_person_and_function",
    "elus:council_size_matches_population",
    "elus:rows_against_last_release",
]
COLUMNS = [
    "code_commune_insee",
    "nom_commune",
    "nom",
    "prenom",
    "sexe",
    "fonction",
    "fonction_feminin",
    "date_debut_mandat",
    "date_debut_fonction",
]
POPULATION = pd.DataFrame(
    {"code_insee": ["76165"], "nom_commune": ["Caudebec-lès-Elbeuf"], "PMUN": ["10153"]}
)


def _evaluate(table: pd.DataFrame, population: pd.DataFrame = POPULATION) -> dict:
    inputs = {"insee_populations_legales": population}
    return {o.name: o for o in evaluate(table, Elus, RULES, CAUDEBEC, inputs)}


def _caudebec_table() -> pd.DataFrame:
    return council(cut_commune(SNAPSHOT, "76165", "snapshot"), CAUDEBEC)


def test_caudebec_council_with_its_maire_adjoints_and_a_double_function(materialize, tmp_path):
    result = materialize("elus")
    assert check_outcomes(result) == dict.fromkeys(CHECKS, True)
    published = published_csv(tmp_path, "76165", "elus")
    assert list(published.columns) == COLUMNS
    # 33 councillors, 34 rows: the 4th adjoint is also maire délégué.
    assert len(published) == 34
    assert published[["nom", "prenom", "sexe"]].drop_duplicates().shape[0] == 33
    assert published.iloc[0].tolist() == [
        "76165",
        "Caudebec-lès-Elbeuf",
        "DELAUNAY",
        "Hélène",
        "F",
        "Maire",
        "Maire",
        "2026-03-15",
        "2026-03-21",
    ]
    assert published["fonction"].tolist()[1:11] == [
        "1er adjoint au Maire",
        *(f"{rank}ème adjoint au Maire" for rank in range(2, 10)),
        "Maire délégué",
    ]
    assert (published["fonction"] == "Conseiller municipal").sum() == 23
    # The RNE's label as published, and its feminine for the women, empty for the men.
    assert published[["nom", "sexe", "fonction", "fonction_feminin"]].values.tolist()[:4] == [
        ["DELAUNAY", "F", "Maire", "Maire"],
        ["MARCHAL", "M", "1er adjoint au Maire", ""],
        ["POULAIN", "F", "2ème adjoint au Maire", "2e adjointe au maire"],
        ["LEROUX", "M", "3ème adjoint au Maire", ""],
    ]
    women = published[published["sexe"] == "F"]
    assert set(women.loc[women["fonction"] == "Conseiller municipal", "fonction_feminin"]) == {
        "Conseillère municipale"
    }
    assert set(published.loc[published["sexe"] == "M", "fonction_feminin"]) == {""}
    # Documented in the published sheet's dictionary of columns.
    sheet = (tmp_path / "published" / "76165" / "elus.md").read_text(encoding="utf-8")
    assert (
        "| `fonction_feminin` | texte | Pour une élue, le libellé de la fonction au féminin "
        "(« Maire », « 1re adjointe au maire », « 2e adjointe au maire », « Conseillère "
        "municipale ») ; vide pour un élu. Le libellé officiel du RNE, que le répertoire écrit "
        "au masculin, est dans `fonction`. | Maire |\n"
    ) in sheet
    beauvais = published[published["nom"] == "BEAUVAIS"]
    assert beauvais["fonction"].tolist() == ["4ème adjoint au Maire", "Maire délégué"]
    councillors = published[published["fonction"] == "Conseiller municipal"]
    assert set(councillors["date_debut_fonction"]) == {""}
    assert councillors["nom"].tolist()[:3] == ["BAZIN", "BOUCHER", "BRIÈRE"]
    samson = published[published["nom"] == "SAMSON"].iloc[0]
    assert samson["date_debut_mandat"] == "2026-06-02"  # replaced a resigning councillor
    assert result.asset_materializations_for_node("elus")[0].metadata[
        "legal_council_size"
    ] == dg.TextMetadataValue("33")


def test_the_real_2023_populations_give_caudebec_a_legal_council_of_33(materialize, tmp_path):
    # INSEE's real `donnees_communes.csv` (current header, CRLF) zipped as `ensemble.zip`.
    result = materialize(
        "elus", overrides={"insee_populations_legales": str(real_archive(tmp_path))}
    )
    assert check_outcomes(result) == dict.fromkeys(CHECKS, True)
    population = result.asset_value("insee_populations_legales")
    assert population[["code_insee", "nom_commune", "PMUN"]].values.tolist() == [
        ["76165", "Caudebec-lès-Elbeuf", "10135"]
    ]
    metadata = result.asset_materializations_for_node("elus")[0].metadata
    assert metadata["population_municipale"] == dg.IntMetadataValue(10135)
    assert metadata["legal_council_size"] == dg.TextMetadataValue("33")


def test_elbeuf_passes_with_its_own_council(materialize, tmp_path):
    result = materialize("elus", commune="76231")
    assert check_outcomes(result) == dict.fromkeys(CHECKS, True)
    published = published_csv(tmp_path, "76231", "elus")
    assert len(published) == 33
    assert set(published["code_commune_insee"]) == {"76231"}
    assert published.iloc[0][["nom", "prenom", "fonction"]].tolist() == [
        "FONTAINE",
        "Arnaud",
        "Maire",
    ]


def test_iso_and_french_dates_publish_the_same_file(materialize, tmp_path):
    materialize("elus")
    target = tmp_path / "published" / "76165" / "elus.csv"
    from_iso = target.read_bytes()
    target.unlink()
    older = write_older_file(tmp_path / "older.csv")
    assert "15/03/2026" in older.read_text(encoding="utf-8")
    result = materialize("elus", overrides={"rne_conseillers_municipaux": str(older)})
    assert all(check_outcomes(result).values())
    assert target.read_bytes() == from_iso


def test_no_birth_date_profession_or_nationality_reaches_the_output(materialize, tmp_path):
    result = materialize("elus")
    # Not even the source asset's value holds them.
    source = result.asset_value("rne_conseillers_municipaux")
    assert not {"Date de naissance", "Code nationalité"} & set(source.columns)
    assert not any("catégorie socio-professionnelle" in name for name in source.columns)
    text = (tmp_path / "published" / "76165" / "elus.csv").read_text(encoding="utf-8")
    caudebec = [row for row in snapshot.rows() if row["Code de la commune"] == "76165"]
    for row in caudebec:
        birth = row["Date de naissance"]
        assert birth not in text and french_date(birth) not in text
        assert row["Libellé de la catégorie socio-professionnelle"] not in text
    assert "nationalit" not in text and ",PT" not in text


def test_two_maires_fail_the_check_naming_both(materialize, tmp_path):
    rows = snapshot.rows()
    for row in rows:
        if row["Nom de l'élu"] == "MARCHAL":  # the 1st adjoint, now written as a second maire
            row["Libellé de la fonction"] = "Maire"
    path = snapshot.write_file(tmp_path / "two_maires.csv", rows)
    result = materialize(
        "elus", raise_on_error=False, overrides={"rne_conseillers_municipaux": str(path)}
    )
    assert check_outcomes(result)["elus:one_maire"] is False
    evaluation = next(
        e for e in result.get_asset_check_evaluations() if e.check_name == "one_maire"
    )
    sample = evaluation.metadata["failure_sample"].value
    assert "DELAUNAY" in sample and "MARCHAL" in sample and "2 maires" in sample
    # A failed check publishes nothing.
    assert not (tmp_path / "published" / "76165" / "elus.csv").exists()


def test_no_maire_fails_with_one_line():
    table = _caudebec_table()
    table.loc[0, "fonction"] = "Conseiller municipal"
    failures = not_one_maire(table, CAUDEBEC)
    assert failures["probleme"].tolist() == ["aucun maire pour la commune 76165"]


def test_a_repeated_row_and_a_stray_councillor_row_fail_naming_them():
    table = _caudebec_table()
    maire = table.iloc[[0]].assign(fonction="Conseiller municipal")
    repeated = table.iloc[[20]]
    outcomes = _evaluate(pd.concat([table, maire, repeated], ignore_index=True))
    failures = outcomes["one_row_per_person_and_function"].failures
    assert failures[["row", "nom", "probleme"]].values.tolist() == [
        [21, table.iloc[20]["nom"], "même élu et même fonction sur plusieurs lignes"],
        [36, table.iloc[20]["nom"], "même élu et même fonction sur plusieurs lignes"],
        [35, "DELAUNAY", "ligne sans fonction pour un élu qui exerce une fonction"],
    ]
    assert outcomes["schema"].passed


def test_a_council_one_short_fails_the_legal_size():
    table = _caudebec_table()
    outcomes = _evaluate(table[table["nom"] != "VIGOR"].reset_index(drop=True))
    failures = outcomes["council_size_matches_population"].failures
    assert failures.iloc[0].tolist() == [10153, "33", 32, "32 élus pour un effectif légal de 33"]
    assert outcomes["one_maire"].passed


def test_an_unreadable_or_missing_population_fails_the_size_check():
    table = _caudebec_table()
    unreadable = POPULATION.assign(PMUN=["n.d."])
    failures = _evaluate(table, unreadable)["council_size_matches_population"].failures
    assert failures["probleme"].tolist() == ["PMUN illisible pour 76165 : 'n.d.'"]
    missing = _evaluate(table, POPULATION.iloc[0:0])["council_size_matches_population"].failures
    assert failures.shape[0] == 1 and missing.shape[0] == 1


def test_a_two_digit_year_is_not_guessed_and_fails_the_schema_on_its_row():
    rne = cut_commune(SNAPSHOT, "76165", "snapshot")
    rne.loc[rne["Nom de l'élu"] == "SAMSON", "Date de début du mandat"] = "02/06/26"
    table = council(rne, CAUDEBEC)
    failures = _evaluate(table)["schema"].failures
    row = int(table.index[table["nom"] == "SAMSON"][0]) + 1
    assert failures[["row", "column", "value"]].values.tolist() == [
        [row, "date_debut_mandat", "02/06/26"]
    ]


@pytest.mark.parametrize(
    ("code", "population", "expected"),
    [
        ("01001", 0, (5, 7)),
        ("01001", 99, (5, 7)),
        ("01001", 100, (9, 11)),
        ("01001", 499, (9, 11)),
        ("01001", 500, (13, 15)),
        ("01001", 999, (13, 15)),
        ("01001", 1_000, (15, 15)),
        ("01001", 1_499, (15, 15)),
        ("01001", 1_500, (19, 19)),
        ("01001", 2_500, (23, 23)),
        ("01001", 3_500, (27, 27)),
        ("76640", 8_412, (29, 29)),
        ("76165", 9_999, (29, 29)),
        ("76165", 10_000, (33, 33)),
        ("76231", 19_999, (33, 33)),
        ("76231", 20_000, (35, 35)),
        ("01001", 30_000, (39, 39)),
        ("01001", 40_000, (43, 43)),
        ("01001", 50_000, (45, 45)),
        ("2A004", 73_717, (49, 49)),
        ("01001", 80_000, (53, 53)),
        ("01001", 100_000, (55, 55)),
        ("97411", 153_810, (59, 59)),
        ("01001", 200_000, (61, 61)),
        ("01001", 250_000, (65, 65)),
        ("01001", 300_000, (69, 69)),
        ("01001", 3_000_000, (69, 69)),
        ("75056", 2_113_705, (163, 163)),
        ("13055", 873_076, (101, 101)),
        ("69123", 522_250, (73, 73)),
    ],
)
def test_legal_council_size_follows_the_cgct_tiers(code, population, expected):
    assert legal_council_size(code, population) == expected


def test_population_municipale_sums_arrondissements_and_reads_spaced_thousands():
    rows = pd.DataFrame({"code_insee": ["75101", "75102"], "PMUN": ["16 252", "21\u202f384"]})
    assert population_municipale(rows) == (37636, [])
    assert population_municipale(rows.iloc[0:0]) == (
        None,
        ["aucune ligne de population légale pour la commune"],
    )


@pytest.mark.parametrize(
    ("function", "feminine"),
    [
        ("Maire", "Maire"),
        ("1er adjoint au Maire", "1re adjointe au maire"),
        ("2ème adjoint au Maire", "2e adjointe au maire"),
        ("10eme adjoint au maire", "10e adjointe au maire"),
        ("Conseiller municipal", "Conseillère municipale"),
        ("Maire délégué", "Maire déléguée"),
        ("Conseiller municipal délégué", "Conseillère municipale déléguée"),
        ("Adjoint spécial", "Adjointe spéciale"),
        ("Premier adjoint", "Première adjointe"),
    ],
)
def test_feminine_function(function, feminine):
    assert feminine_function(function) == feminine


def test_a_feminine_label_on_a_mans_row_or_none_on_a_womans_fails_the_schema():
    table = _caudebec_table()
    table.loc[1, "fonction_feminin"] = "1re adjointe au maire"  # MARCHAL, M
    table.loc[2, "fonction_feminin"] = None  # POULAIN, F
    failures = _evaluate(table)["schema"].failures
    # A frame-wide rule: pandera reports each failing row once per column.
    rows = failures.loc[failures["rule"] == "fonction_feminin_for_women_only", "row"]
    assert sorted(set(rows)) == [2, 3]
