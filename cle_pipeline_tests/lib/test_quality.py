"""The quality summary that ends a dataset's description on data.gouv.fr (issue 12)."""

from cle_pipeline.lib.quality import CheckVerdict, quality_summary

FIRST = "Première publication de ce jeu pour la commune : pas de version précédente."


def test_the_summary_gives_each_verdict_the_corrections_and_the_changes():
    verdicts = [
        CheckVerdict("schema", "Le modèle.", True, 0),
        CheckVerdict("rows_against_last_release", "Le volume.", True, 0),
        CheckVerdict("withheld_fields_completed", "Les champs retenus.", False, 3),
    ]
    counts = {"duplicates_removed": 1, "a_new_count": 2}
    assert quality_summary("defibrillateurs", verdicts, counts, FIRST) == (
        "## Bilan de mise en qualité\n"
        "\n"
        "**Contrôles** : 2 réussis sur 3 (`schema`, `rows_against_last_release`). "
        "Avertissement, non bloquant : `withheld_fields_completed` (3 lignes).\n"
        "\n"
        "**Corrections** : Doublons retirés (version la plus récente gardée) : 1 ; "
        "a_new_count : 2.\n"
        "\n"
        f"**Changements** : {FIRST}\n"
        "\n"
        "Le bilan complet (règle de chaque contrôle, lignes écartées) est publié avec le jeu : "
        "`defibrillateurs.qualite.txt`.\n"
    )


def test_a_summary_without_counts_says_none_were_counted():
    summary = quality_summary("elus", [CheckVerdict("schema", "", True, 0)], {}, FIRST)
    assert "**Contrôles** : 1 réussi sur 1 (`schema`).\n" in summary
    assert "**Corrections** : aucune comptée.\n" in summary
