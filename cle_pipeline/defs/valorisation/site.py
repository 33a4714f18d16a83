"""`site`: the static site of the commune, `data/published/<commune>/site/index.html`.

Built after every release, the charts and the map; what it shows is only what was released
(checks passed). Pages (in French, `lib/site.py` for their shape):

- `index.html`: the commune, its datasets (rows, release date, downloads), links to the rest;
- `jeux/<dataset_id>.html`: the sheet, the downloads (CSV, Table Schema, GeoJSON, quality
  report, change log, all copied into `donnees/`), a preview of the first rows, the quality
  report;
- `graphiques.html`: every chart (SVG, copied into `graphiques/`) with its title, source and
  data table;
- `carte.html`: the map (written by `carte`);
- `methodologie.html`: the sources with their dates, how the commune is cut out of them, the
  checks.
"""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.defs.valorisation.charts import CHARTS_FOLDER, chart_families
from cle_pipeline.defs.valorisation.map import MAP_PAGE, SITE_FOLDER, UMAP_FILE
from cle_pipeline.lib.changelog import read_published_csv
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.release import Release, read_release
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline.lib.release_companions import (
    changes_path,
    geojson_path,
    quality_path,
    schema_path,
)
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.site import Download, downloads_list, escape, html_table, markdown_html, page

GROUP = "valorisation"
DATA_FOLDER = "donnees"
DATASET_PAGES = "jeux"
PREVIEW_ROWS = 10


def copy_released_files(release: Release, target: Path) -> list[Download]:
    """Copies the release's files into the site's `donnees/` and lists them for download."""
    folder, dataset_id = release.folder, release.dataset_id
    sheet = load_sheet(dataset_id)
    offered = [
        ("Données (CSV)", release.csv_path),
        ("Schéma (Table Schema, JSON)", schema_path(folder, dataset_id)),
        ("Positions (GeoJSON)", geojson_path(folder, dataset_id)),
        ("Bilan de mise en qualité (Markdown)", quality_path(folder, dataset_id)),
        ("Journal des changements (CSV)", changes_path(folder, dataset_id)),
        ("Fiche descriptive (Markdown)", release.sheet_path),
    ]
    downloads = []
    for label, path in offered:
        if path.is_file():
            shutil.copyfile(path, target / path.name)
            downloads.append(Download(label, f"{DATA_FOLDER}/{path.name}"))
    if sheet.schema:
        name, version = sheet.schema
        downloads.insert(
            1,
            Download(
                f"Schéma officiel {name} {version}",
                f"https://schema.data.gouv.fr/{name}/{version}/",
            ),
        )
    return downloads


def dataset_page(release: Release, downloads: list[Download]) -> str:
    """`jeux/<dataset_id>.html`."""
    sheet = load_sheet(release.dataset_id)
    published = read_published_csv(release.csv_path)
    quality = quality_path(release.folder, release.dataset_id)
    body = (
        markdown_html(release.sheet_path.read_text(encoding="utf-8"))
        + "<h2>Télécharger</h2>"
        + downloads_list(
            [
                d if d.href.startswith("http") else Download(d.label, f"../{d.href}")
                for d in downloads
            ]
        )
        + f"<h2>Aperçu des {min(PREVIEW_ROWS, len(published))} premières lignes</h2>"
        + html_table(
            published,
            f"{sheet.title} : {len(published)} lignes, les {PREVIEW_ROWS} premières",
            limit=PREVIEW_ROWS,
        )
        + (
            # One level below the page's title: the report's own title is a second heading.
            markdown_html(quality.read_text(encoding="utf-8").replace("\n# ", "\n## ", 1))
            .replace("<h1>", "<h2>")
            .replace("</h1>", "</h2>")
            if quality.is_file()
            else ""
        )
    )
    return page(f"{sheet.title} — {release.commune_name}", body, prefix="../")


def index_page(commune: Commune, releases: list[Release]) -> str:
    """`index.html`: the commune, its datasets, links to the charts, the map, the method."""
    rows = pd.DataFrame(
        [
            {
                "Jeu de données": load_sheet(release.dataset_id).title,
                "Lignes": release.rows,
                "Publié le": release.checked_at[:10],
            }
            for release in releases
        ]
    )
    links = "".join(
        f'<li><a href="{DATASET_PAGES}/{release.dataset_id}.html">'
        f"{escape(load_sheet(release.dataset_id).title)}</a> ({release.rows} lignes) — "
        f'<a href="{DATA_FOLDER}/{release.dataset_id}.csv">CSV</a></li>'
        for release in releases
    )
    samples = any(release.sample for release in releases)
    body = (
        f"<h1>Données ouvertes de {escape(commune.name)}</h1>"
        f"<p>Commune {escape(commune.name)} (code INSEE {escape(commune.code)}, département "
        f"{escape(commune.department)}) : {len(releases)} jeux de données construits à partir "
        "des fichiers nationaux, contrôlés, documentés et mis à jour automatiquement.</p>"
        + (
            "<p><strong>Échantillon.</strong> Ces jeux ont été construits à partir des "
            "extraits d'exemple embarqués dans cle-pipeline : les valeurs sont plausibles mais "
            "fictives, ce ne sont pas des chiffres officiels.</p>"
            if samples
            else ""
        )
        + f"<h2>Les jeux de données</h2><ul>{links}</ul>"
        + html_table(rows, "Jeux de données publiés, nombre de lignes et date de publication")
        + '<h2>Voir aussi</h2><ul><li><a href="graphiques.html">Les graphiques</a> : '
        "élections, conseil municipal, effectifs scolaires, naissances et décès</li>"
        f'<li><a href="{MAP_PAGE}">La carte</a> : commerces, services municipaux, bornes de '
        f'recharge et défibrillateurs (aussi pour uMap : <a href="{UMAP_FILE}">carte.umap</a>)'
        '</li><li><a href="methodologie.html">La méthodologie</a> : sources, découpage de la '
        "commune, contrôles</li></ul>"
    )
    return page(f"Données ouvertes de {commune.name}", body, current="index.html")


def charts_page(commune: Commune, charts_folder: Path, target: Path) -> str:
    """`graphiques.html`: each chart's SVG (copied into `target`), title, source and table."""
    sections = []
    for family, title, names in chart_families():
        figures = []
        for name in names:
            spec_file = charts_folder / f"{name}.vl.json"
            if not spec_file.is_file():
                continue
            spec = json.loads(spec_file.read_text(encoding="utf-8"))
            for suffix in (".svg", ".png", ".vl.json"):
                shutil.copyfile(charts_folder / f"{name}{suffix}", target / f"{name}{suffix}")
            chart_title = spec["title"]["text"]
            table = pd.DataFrame(spec["data"]["values"])
            figures.append(
                f'<figure id="{escape(name)}"><h3>{escape(chart_title)}</h3>'
                f'<img src="{CHARTS_FOLDER}/{escape(name)}.svg" alt="{escape(chart_title)}" '
                f'width="{spec["width"]}">'
                f"<figcaption>{escape(spec['title']['subtitle'])}. "
                f'<a href="{CHARTS_FOLDER}/{escape(name)}.png">PNG</a>, '
                f'<a href="{CHARTS_FOLDER}/{escape(name)}.vl.json">spécification Vega-Lite</a>'
                "</figcaption>"
                f"<details><summary>Données du graphique</summary>"
                f"{html_table(table, chart_title)}</details></figure>"
            )
        if figures:
            sections.append(
                f'<section id="{family}"><h2>{escape(title)}</h2>{"".join(figures)}</section>'
            )
    body = f"<h1>Graphiques — {escape(commune.name)}</h1>" + "".join(sections)
    return page(f"Graphiques — {commune.name}", body, current="graphiques.html")


def source_dates(instance: dg.DagsterInstance) -> pd.DataFrame:
    """Each national source: who publishes it, its date as served (Last-Modified) and when the
    pipeline last read it, from the source assets' latest materializations."""
    rows = []
    for source_id, source in sorted(declared_sources().items()):
        event = instance.get_latest_materialization_event(dg.AssetKey(source_id))
        metadata: dict[str, Any] = {}
        read_at = "jamais lu"
        if event and event.asset_materialization:
            metadata = dict(event.asset_materialization.metadata)
            read_at = datetime.fromtimestamp(event.timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
        last_modified = metadata.get("last_modified")
        rows.append(
            {
                "Source": getattr(source, "title", source_id),
                "Producteur": getattr(source, "publisher", "la commune"),
                "Identifiant": source_id,
                "Date du fichier (Last-Modified)": getattr(last_modified, "value", "inconnue"),
                "Lue le": read_at,
            }
        )
    return pd.DataFrame(rows)


def methodology_page(commune: Commune, releases: list[Release], sources: pd.DataFrame) -> str:
    """`methodologie.html`: sources and dates, how the commune is cut out, the checks."""
    cut = "".join(
        f"<h3>{escape(load_sheet(release.dataset_id).title)}</h3>"
        f"<p>{escape(load_sheet(release.dataset_id).collection)}</p>"
        f'<p>Contrôles et corrections : <a href="{DATASET_PAGES}/{release.dataset_id}.html">'
        "bilan de mise en qualité</a>.</p>"
        for release in releases
    )
    modes = sorted({release.source_mode for release in releases})
    body = (
        f"<h1>Méthodologie — {escape(commune.name)}</h1>"
        "<h2>Les sources et leurs dates</h2>"
        f"<p>Mode des sources lors de la dernière construction : {escape(', '.join(modes))}.</p>"
        + html_table(sources, "Sources nationales et fichiers de la commune")
        + "<h2>Comment la commune est découpée</h2>"
        "<p>Chaque fichier national est lu une fois ; la commune en est extraite par son code "
        "INSEE (code officiel géographique) et, quand un enregistrement n'a pas de code, par "
        "sa position dans le contour de la commune. Le code postal n'est jamais utilisé : il "
        "est partagé avec les communes voisines.</p>"
        + cut
        + "<h2>Les contrôles</h2><p>Avant toute publication, chaque jeu passe des contrôles "
        "bloquants : son modèle (types, champs obligatoires, valeurs permises, motifs du schéma "
        "national quand il existe), ses règles métier (par exemple des coordonnées dans le "
        "contour de la commune, des voix qui s'additionnent aux exprimés) et son volume comparé "
        "à la publication précédente. Un jeu dont un contrôle échoue n'est pas publié ; la "
        "version précédente reste en ligne. Le bilan de chaque jeu liste ses contrôles et leur "
        "verdict.</p>"
    )
    return page(f"Méthodologie — {commune.name}", body, current="methodologie.html")


@commune_asset(
    key="site",
    group_name=GROUP,
    deps=[
        *[release_key(dataset_id) for dataset_id in dataset_ids()],
        *[dg.AssetKey([CHARTS_FOLDER, family]) for family, _, _ in chart_families()],
        dg.AssetKey("carte"),
    ],
    owners=OWNERS,
    kinds={"html"},
    description="Le site statique de la commune (data/published/<commune>/site/index.html) : "
    "les jeux de données (fiche, aperçu, téléchargements, bilan de qualité, changements), les "
    "graphiques, la carte et la méthodologie. En français, sans JavaScript hors carte.",
    automation_condition=dg.AutomationCondition.eager(),
)
def site(
    context: dg.AssetExecutionContext, settings: CommuneSettings, commune: Commune
) -> dg.MaterializeResult:
    """Writes every page of the site and copies the files they offer beside them."""
    folder = settings.published_folder(commune_of(context))
    target = folder / SITE_FOLDER
    for sub in (DATA_FOLDER, DATASET_PAGES, CHARTS_FOLDER):
        (target / sub).mkdir(parents=True, exist_ok=True)
    releases = [read_release(folder, dataset_id) for dataset_id in dataset_ids()]
    for release in releases:
        downloads = copy_released_files(release, target / DATA_FOLDER)
        write_atomically(
            target / DATASET_PAGES / f"{release.dataset_id}.html",
            dataset_page(release, downloads).encode("utf-8"),
        )
    pages = {
        "index.html": index_page(commune, releases),
        "graphiques.html": charts_page(commune, folder / CHARTS_FOLDER, target / CHARTS_FOLDER),
        "methodologie.html": methodology_page(commune, releases, source_dates(context.instance)),
    }
    for name, content in pages.items():
        write_atomically(target / name, content.encode("utf-8"))
    index = target / "index.html"
    context.log.info(f"site of {commune.name}: {index}")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(index)),
            "pages": len(pages) + len(releases) + 1,  # and the map's
            "datasets": len(releases),
        }
    )
