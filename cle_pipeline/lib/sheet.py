"""The descriptive sheet (fiche descriptive) of a published dataset, declared beside its model.

What the students wrote by hand for each dataset: content, collection, licence, sources, legal
and ethical limits, uses. It describes the asset in the UI and, rendered as markdown, the
dataset on data.gouv.fr and the `<dataset_id>.md` file beside the published CSV.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field

import dagster as dg

from cle_pipeline.lib.metadata import ColumnEntry, markdown_cell

LICENCES = {
    "lov2": "Licence Ouverte / Open Licence version 2.0",
    "odc-odbl": "Open Data Commons Open Database License (ODbL)",
}

# udata's update frequency ids (GET /api/1/datasets/frequencies/; an unknown one is a 400), in
# French for the rendered sheet.
FREQUENCIES = {
    "continuous": "en temps réel",
    "oneMinute": "chaque minute",
    "fiveMinutes": "toutes les cinq minutes",
    "tenMinutes": "toutes les dix minutes",
    "fifteenMinutes": "tous les quarts d'heure",
    "thirtyMinutes": "toutes les demi-heures",
    "hourly": "toutes les heures",
    "bihourly": "toutes les deux heures",
    "trihourly": "toutes les trois heures",
    "twelveHours": "toutes les douze heures",
    "severalTimesADay": "plusieurs fois par jour",
    "threeTimesADay": "trois fois par jour",
    "semidaily": "deux fois par jour",
    "daily": "quotidienne",
    "fiveTimesAWeek": "cinq fois par semaine",
    "threeTimesAWeek": "trois fois par semaine",
    "semiweekly": "deux fois par semaine",
    "weekly": "hebdomadaire",
    "biweekly": "toutes les deux semaines",
    "threeTimesAMonth": "trois fois par mois",
    "semimonthly": "deux fois par mois",
    "monthly": "mensuelle",
    "bimonthly": "tous les deux mois",
    "quarterly": "trimestrielle",
    "threeTimesAYear": "trois fois par an",
    "semiannual": "semestrielle",
    "annual": "annuelle",
    "biennial": "tous les deux ans",
    "triennial": "tous les trois ans",
    "quadrennial": "tous les quatre ans",
    "quinquennial": "tous les cinq ans",
    "decennial": "tous les dix ans",
    "bidecennial": "tous les vingt ans",
    "tridecennial": "tous les trente ans",
    "punctual": "ponctuelle",
    "irregular": "irrégulière",
    "never": "jamais",
    "notPlanned": "non planifiée",
    "other": "autre",
    "unknown": "inconnue",
}

SAMPLE_WARNING = (
    "> **Échantillon.** Ce jeu a été construit à partir des extraits d'exemple embarqués dans "
    "cle-pipeline : les valeurs sont plausibles mais fictives, ce ne sont pas des chiffres "
    "officiels. Il sert à tester la chaîne de publication."
)


# How `lib/output.write_csv` writes every published file, said in each sheet.
FILE_FORMAT = (
    "fichier CSV encodé en UTF-8 (sans BOM), séparateur virgule (« , »), une ligne d'en-tête, "
    "lignes terminées par un saut de ligne (LF) ; une valeur qui contient une virgule, un "
    "guillemet ou un retour à la ligne est entre guillemets ; une valeur absente est une "
    "cellule vide."
)


def column_dictionary_lines(columns: Sequence[ColumnEntry]) -> list[str]:
    """The columns as a markdown table: name, type, description, example."""
    return [
        "| Colonne | Type | Description | Exemple |",
        "|---|---|---|---|",
        *(
            f"| `{c.name}` | {markdown_cell(c.type)} | {markdown_cell(c.description)} | "
            f"{markdown_cell(c.example) if c.example else '(vide)'} |"
            for c in columns
        ),
    ]


@dataclass(frozen=True)
class SourceLink:
    """A source named in a sheet: its title and its page."""

    title: str
    url: str


@dataclass(frozen=True)
class DatasetSheet:
    """The descriptive sheet of one published dataset, in French."""

    dataset_id: str
    title: str
    content: str  # what one row is, what the columns hold
    collection: str  # how it is built: sources, filters, transformations
    purpose: str  # why it is published
    sources: tuple[SourceLink, ...]
    personal_data: str  # what is left out, and why
    uses: str
    frequency: str  # udata frequency id: daily, monthly, annual, punctual…
    temporal_coverage: tuple[str, str] | None  # ISO dates (start, end)
    tags: tuple[str, ...]
    licence: str = "lov2"
    schema: tuple[str, str] | None = None  # (schema.data.gouv.fr name, version)
    # The columns that name a row, so that two releases can be compared row by row (the change
    # log, `lib/changelog.py`).
    key: tuple[str, ...] = ()
    # Where a row is: (longitude column, latitude column), or one `[lon,lat]` column; empty for
    # a dataset without positions. Gives the dataset its GeoJSON file and its map layer.
    coordinates: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def asset_description(self, docstring: str | None) -> str:
        """What the UI says about the dataset: the sheet's title and content (what a row is,
        what the columns hold), then the asset's docstring (how it is built from its sources)."""
        built = inspect.cleandoc(docstring or "")
        return f"**{self.title}.** {self.content}" + (f"\n\n{built}" if built else "")

    def describes(self, asset: dg.AssetsDefinition) -> dg.AssetsDefinition:
        """Decorator above `@dg.asset`: the dataset's asset described by `asset_description`,
        so that neither the sheet nor the docstring hides the other."""
        return asset.map_asset_specs(
            lambda spec: spec.replace_attributes(
                description=self.asset_description(spec.description)
            )
        )

    def markdown(
        self,
        commune_name: str,
        commune_code: str,
        sample: bool = False,
        notes: Sequence[str] = (),
        columns: Sequence[ColumnEntry] = (),
    ) -> str:
        """The sheet as the dataset's description on data.gouv.fr, in the UI and in
        `<dataset_id>.md`; `sample` (built from the embedded snapshots) says so first; `notes`
        are paragraphs about this release's values (e.g. neutralised formulas, see
        `Release.sheet_notes`), after the limits; `columns`, the dictionary of the published
        file's columns (`lib/metadata.column_dictionary`), at the end."""
        sources = "\n".join(f"- [{link.title}]({link.url})" for link in self.sources)
        lines = [
            f"# {self.title} — {commune_name}",
            "",
            *([SAMPLE_WARNING, ""] if sample else []),
            f"**Contenu.** {self.content}",
            "",
            f"**Collecte.** {self.collection}",
            "",
            "**Sources.**",
            sources,
            "",
            f"**Pourquoi ces données.** {self.purpose}",
            "",
            f"**Licence.** {LICENCES[self.licence]} (`{self.licence}`).",
            "",
            f"**Format.** {FILE_FORMAT[0].upper()}{FILE_FORMAT[1:]}",
            "",
            f"**Données personnelles et limites.** {self.personal_data}",
            "",
            *[line for note in notes for line in (note, "")],
            f"**Usages possibles.** {self.uses}",
            "",
            "**En bref.**",
            f"- Mise à jour : {FREQUENCIES[self.frequency]} (`{self.frequency}`)",
            f"- Couverture spatiale : commune {commune_name} (`fr:commune:{commune_code}`), "
            "granularité commune (`fr:commune`)",
        ]
        if self.temporal_coverage:
            start, end = self.temporal_coverage
            lines.append(f"- Couverture temporelle : du {start} au {end}")
        if self.schema:
            name, version = self.schema
            lines.append(
                f"- Schéma : [{name} {version}](https://schema.data.gouv.fr/{name}/{version}/)"
            )
        lines.append(f"- Mots-clés : {', '.join(self.tags)}")
        if columns:
            lines += ["", "**Dictionnaire des colonnes.**", "", *column_dictionary_lines(columns)]
        return "\n".join(lines) + "\n"
