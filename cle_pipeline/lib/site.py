"""The static site of a commune: plain HTML pages in French, readable on a phone, no JavaScript
but the map's.

What belongs here is the shape of the pages (layout, navigation, tables, markdown rendered to
HTML with raw HTML escaped); what they say about the datasets is gathered by
`defs/valorisation/site.py`. Every value is escaped; every link is relative, so the folder can
be served from anywhere (or opened from the disk).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from markdown_it import MarkdownIt

# CommonMark and tables; HTML in a sheet or a report is shown as text, never run.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")

NAVIGATION = (
    ("index.html", "Accueil"),
    ("graphiques.html", "Graphiques"),
    ("carte.html", "Carte"),
    ("methodologie.html", "Méthodologie"),
)
STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 72rem;
  padding: 0 1rem; color: #1b1b1b; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
nav a[aria-current] { font-weight: bold; }
table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
figure { margin: 2rem 0; }
figure img { max-width: 100%; height: auto; }
.downloads li { margin: 0.2rem 0; }
"""


def markdown_html(text: str) -> str:
    """Markdown (a sheet, a quality report) as HTML, its own HTML escaped."""
    return _MARKDOWN.render(text)


def escape(value: object) -> str:
    """Text for HTML, None as empty."""
    return html.escape("" if value is None else str(value))


def navigation(current: str, prefix: str = "") -> str:
    """The site's navigation, `current` marked; `prefix` leads from the page to the site's root."""
    items = "".join(
        f'<li><a href="{prefix}{href}"'
        + (' aria-current="page"' if href == current else "")
        + f">{escape(label)}</a></li>"
        for href, label in NAVIGATION
    )
    return f'<header><nav aria-label="Navigation du site"><ul>{items}</ul></nav></header>'


def page(title: str, body: str, current: str = "", prefix: str = "") -> str:
    """A whole page: doctype, language, viewport, title, navigation, then `body` (HTML)."""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="data:,">
<style>{STYLE}</style>
</head>
<body>
{navigation(current, prefix)}
<main>
{body}
</main>
<footer><p>Site construit par cle-pipeline à partir des fichiers nationaux ; données sous
licence ouverte (Licence Ouverte 2.0, ODbL pour les commerces).</p></footer>
</body>
</html>
"""


def html_table(frame: pd.DataFrame, caption: str, limit: int | None = None) -> str:
    """A frame as an HTML table with a caption and column headers (`limit` first rows)."""
    shown = frame if limit is None else frame.head(limit)
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>"
        for row in shown.astype(object).where(shown.notna(), "").itertuples(index=False)
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


@dataclass(frozen=True)
class Download:
    """A file offered on a dataset's page: its label and its path relative to the site."""

    label: str
    href: str


def downloads_list(downloads: Sequence[Download], prefix: str = "") -> str:
    """The list of download links."""
    items = "".join(
        f'<li><a href="{prefix}{escape(item.href)}">{escape(item.label)}</a></li>'
        for item in downloads
    )
    return f'<ul class="downloads">{items}</ul>'
