"""The descriptive sheet (fiche descriptive) of a published dataset, declared beside its model.

What the students wrote by hand for each dataset: content, collection, licence, sources, legal
and ethical limits, uses. It describes the asset in the UI and, rendered as markdown, the
dataset on data.gouv.fr and the `<dataset_id>.md` file beside the published CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LICENCES = {
    "lov2": "Licence Ouverte / Open Licence version 2.0",
    "odc-odbl": "Open Data Commons Open Database License (ODbL)",
}


@dataclass(frozen=True)
class SourceLink:
    title: str
    url: str


@dataclass(frozen=True)
class DatasetSheet:
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
    extra: dict[str, str] = field(default_factory=dict)

    def markdown(self, commune_name: str, commune_code: str) -> str:
        """The sheet as the dataset's description on data.gouv.fr and in the UI."""
        sources = "\n".join(f"- [{link.title}]({link.url})" for link in self.sources)
        lines = [
            f"# {self.title} — {commune_name}",
            "",
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
            f"**Données personnelles et limites.** {self.personal_data}",
            "",
            f"**Usages possibles.** {self.uses}",
            "",
            f"**Mise à jour.** {self.frequency}. **Couverture spatiale.** commune "
            f"{commune_name} (`fr:commune:{commune_code}`).",
        ]
        if self.temporal_coverage:
            lines.append(
                f"**Couverture temporelle.** {self.temporal_coverage[0]} – "
                f"{self.temporal_coverage[1]}."
            )
        if self.schema:
            lines.append(
                f"**Schéma.** [{self.schema[0]} {self.schema[1]}]"
                f"(https://schema.data.gouv.fr/{self.schema[0]}/{self.schema[1]}/)."
            )
        return "\n".join(lines) + "\n"
