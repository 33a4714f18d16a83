"""A sheet rendered as data.gouv.fr will receive it."""

from cle_pipeline.defs.publishing.sheets import load_sheet
from cle_pipeline.lib.metadata import ColumnEntry
from cle_pipeline.lib.sheet import SAMPLE_WARNING


def test_the_markdown_sheet():
    text = load_sheet("naissances_deces").markdown("Elbeuf", "76231")
    assert text.startswith("# Naissances et décès par année — Elbeuf\n\n**Contenu.** ")
    assert SAMPLE_WARNING not in text
    assert "- Couverture spatiale : commune Elbeuf (`fr:commune:76231`), granularité " in text
    assert "- Couverture temporelle : du 2008-01-01 au 2024-12-31\n" in text
    assert "**Licence.** Licence Ouverte / Open Licence version 2.0 (`lov2`)." in text
    assert (
        "**Format.** Fichier CSV encodé en UTF-8 (sans BOM), séparateur virgule (« , »), une "
        "ligne d'en-tête, lignes terminées par un saut de ligne (LF) ; une valeur qui contient "
        "une virgule, un guillemet ou un retour à la ligne est entre guillemets ; une valeur "
        "absente est une cellule vide.\n"
    ) in text
    assert text.endswith("- Mots-clés : etat-civil, naissances, deces, demographie\n")


def test_a_sample_says_so_first():
    text = load_sheet("bornes_recharge").markdown("Caudebec-lès-Elbeuf", "76165", sample=True)
    assert text.split("\n\n")[1] == SAMPLE_WARNING
    assert (
        "- Schéma : [etalab/schema-irve-statique 2.3.1]"
        "(https://schema.data.gouv.fr/etalab/schema-irve-statique/2.3.1/)"
    ) in text


def test_the_asset_description_gives_the_sheet_then_how_the_dataset_is_built():
    sheet = load_sheet("naissances_deces")
    described = sheet.asset_description(
        """Construit depuis `insee_naissances`.

        Deuxième paragraphe."""
    )
    assert described == (
        f"**Naissances et décès par année.** {sheet.content}\n\n"
        "Construit depuis `insee_naissances`.\n\nDeuxième paragraphe."
    )
    assert sheet.asset_description(None) == f"**Naissances et décès par année.** {sheet.content}"


def test_the_column_dictionary_ends_the_sheet_one_row_per_column():
    columns = [
        ColumnEntry("annee", "entier", "Année civile", "2008"),
        ColumnEntry("motif", "texte au format imposé", r"Motif ^\d{5}$ | ou vide", ""),
    ]
    text = load_sheet("naissances_deces").markdown("Elbeuf", "76231", columns=columns)
    assert text.endswith(
        "- Mots-clés : etat-civil, naissances, deces, demographie\n"
        "\n"
        "**Dictionnaire des colonnes.**\n"
        "\n"
        "| Colonne | Type | Description | Exemple |\n"
        "|---|---|---|---|\n"
        "| `annee` | entier | Année civile | 2008 |\n"
        "| `motif` | texte au format imposé | Motif ^\\\\d{5}$ \\| ou vide | (vide) |\n"
    )
