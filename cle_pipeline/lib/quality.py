"""The *bilan de mise en qualité* of a release (`<dataset_id>.qualite.md`), in French.

What the students wrote on day 3 for each dataset, from what the run knows: every check with
its verdict and the rule it asserts; what the transform corrected, reformatted or completed and
how many times (the counts the dataset asset records in its metadata, e.g. duplicates removed,
points placed by their coordinates, RNA numbers found by name); the rows it set aside, with
their reason (the tables it records); and the change log's summary against the previous release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cle_pipeline.lib.sheet import DatasetSheet

# The metadata a dataset asset records about its transform, in French. A count not listed here
# is still reported, under its own name: a new count is never lost for want of a label.
COUNT_LABELS = {
    "duplicates_removed": "Doublons retirés (version la plus récente gardée)",
    "left_out_not_active": "Associations dissoutes ou inactives écartées",
    "establishments_in_sirene": "Établissements lus dans Sirene",
    "partial_diffusion_left_out": "Établissements en diffusion partielle écartés",
    "not_a_shop_left_out": "Établissements hors commerce écartés",
    "osm_elements": "Éléments OpenStreetMap lus",
    "osm_elements_unmatched": "Éléments OpenStreetMap non rapprochés",
    "matched_by_adresse": "Commerces placés par leur adresse (OpenStreetMap)",
    "matched_by_distance": "Commerces placés par leur nom à proximité (OpenStreetMap)",
    "matched_by_nom": "Commerces placés par leur nom (OpenStreetMap)",
    "matched_by_adresse_sans_nom": "Commerces placés par leur adresse, sans nom (OpenStreetMap)",
    "hours_from_osm": "Horaires pris dans OpenStreetMap",
    "hours_from_commune": "Horaires pris dans le fichier de la commune",
    "devices_in_register": "Défibrillateurs lus dans Géo'DAE",
    "devices_left_out": "Défibrillateurs écartés",
    "devices_left_out_for_unexpected_values": "Défibrillateurs écartés pour une valeur inconnue",
    "mobile_numbers_masked": "Numéros de portable masqués",
    "rows_in_commune_file": "Lignes du fichier de la commune",
    "rows_without_siret_or_rna": "Lignes sans SIRET ni RNA",
    "offices_left_out": "Guichets écartés (hors services de la commune)",
    "distinct_councillors": "Conseillers distincts",
    "population_municipale": "Population municipale",
    "legal_council_size": "Effectif légal du conseil",
    "total_montant": "Montant total",
    "pupils": "Élèves",
    "school_years": "Rentrées scolaires",
    "pupils_per_year": "Élèves par rentrée",
}
TABLE_LABELS = {
    "left_out": "Lignes écartées et leur raison",
    "rna_found_by_name": "Numéros RNA retrouvés par le nom de l'association",
}


@dataclass(frozen=True)
class CheckVerdict:
    """One check of the release: its name, the rule it asserts, its verdict."""

    name: str
    description: str
    passed: bool
    failing_rows: int


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def quality_report(
    sheet: DatasetSheet,
    commune_name: str,
    rows: int,
    checked_at: str,
    verdicts: Sequence[CheckVerdict],
    counts: Mapping[str, object],
    tables: Mapping[str, str],
    changes: str,
) -> str:
    """The report as markdown: `counts` and `tables` (markdown) are the dataset asset's
    metadata of this run, `changes` the change log's summary."""
    lines = [
        f"# Bilan de mise en qualité — {sheet.title} — {commune_name}",
        "",
        f"Publication contrôlée le {checked_at} : {rows} ligne{'s' if rows > 1 else ''} "
        f"publiée{'s' if rows > 1 else ''} dans `{sheet.dataset_id}.csv`.",
        "",
        "## Contrôles",
        "",
        "| Contrôle | Verdict | Lignes en défaut | Règle |",
        "|---|---|---:|---|",
    ]
    for verdict in verdicts:
        outcome = "réussi" if verdict.passed else "**échoué**"
        lines.append(
            f"| `{verdict.name}` | {outcome} | {verdict.failing_rows} | "
            f"{_cell(verdict.description)} |"
        )
    lines += ["", "## Corrections et mises en forme", "", sheet.collection, ""]
    if counts:
        lines += ["| Opération | Nombre |", "|---|---:|"]
        lines += [
            f"| {_cell(COUNT_LABELS.get(name, name))} | {_cell(value)} |"
            for name, value in counts.items()
        ]
        lines.append("")
    lines += ["## Lignes écartées", ""]
    if tables:
        for name, table in tables.items():
            lines += [f"### {TABLE_LABELS.get(name, name)}", "", table, ""]
    else:
        lines += ["Aucune ligne écartée n'est détaillée pour ce jeu.", ""]
    lines += ["## Changements depuis la publication précédente", "", changes]
    return "\n".join(lines) + "\n"


def quality_summary(
    dataset_id: str,
    verdicts: Sequence[CheckVerdict],
    counts: Mapping[str, object],
    changes: str,
) -> str:
    """The short *bilan de mise en qualité* that ends the dataset's description on
    data.gouv.fr (French, markdown): the checks and their verdicts, the corrections counted, the
    changes since the previous release. The whole report is published beside it."""
    passed = [verdict for verdict in verdicts if verdict.passed]
    checks = (
        f"**Contrôles** : {len(passed)} réussi{'s' if len(passed) > 1 else ''} sur "
        f"{len(verdicts)} ({', '.join(f'`{verdict.name}`' for verdict in passed)})."
    )
    warned = [
        f"`{verdict.name}` ({verdict.failing_rows} ligne{'s' if verdict.failing_rows > 1 else ''})"
        for verdict in verdicts
        if not verdict.passed
    ]
    if warned:
        checks += f" Avertissement, non bloquant : {', '.join(warned)}."
    corrections = " ; ".join(
        f"{COUNT_LABELS.get(name, name)} : {value}" for name, value in counts.items()
    )
    lines = [
        "## Bilan de mise en qualité",
        "",
        checks,
        "",
        f"**Corrections** : {corrections}." if counts else "**Corrections** : aucune comptée.",
        "",
        f"**Changements** : {changes}",
        "",
        f"Le bilan complet (règle de chaque contrôle, lignes écartées) est publié avec le jeu : "
        f"`{dataset_id}.qualite.txt`.",
    ]
    return "\n".join(lines) + "\n"
