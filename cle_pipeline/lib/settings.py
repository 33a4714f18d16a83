"""The commune the pipeline works for, where its own files are read and its published files go."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
from pydantic import Field

from cle_pipeline.lib.files import default_data_dir

# Five characters: two-digit department (2A/2B for Corsica) and three digits; 97x overseas.
INSEE_COMMUNE_CODE = re.compile(r"^(?:[013-9]\d|2[AB1-9])\d{3}$")


SAMPLE_MARKER = "ECHANTILLON.txt"


class CommuneError(ValueError):
    """The configured commune code is malformed or unknown to the national reference."""


def valid_commune_code(text: str, variable: str = "CLE_COMMUNE") -> str:
    """`text` as an INSEE commune code (upper case for Corsica's 2A/2B), or a `CommuneError`."""
    code = text.strip().upper()
    if not INSEE_COMMUNE_CODE.match(code):
        raise CommuneError(
            f"{variable}={text!r} is not an INSEE commune code "
            "(five characters, e.g. 76165, 2A004, 97411)"
        )
    return code


class CommuneSettings(dg.ConfigurableResource):
    """`commune`: the default commune(s) of the command line (CLE_COMMUNE, default 76165
    Caudebec-lès-Elbeuf; also a list `76165,76231` or `all`); a run works for its partition.
    `output_dir`: where published CSV files are written (CLE_OUTPUT_DIR, default data/published),
    one folder per commune.
    `inbox_dir`: where the files the commune supplies are read (CLE_INBOX_DIR, default
    data/inbox), one folder per commune.
    `accept_drop`: ids of the datasets whose loss of rows since their last release a person
    accepts for this run (CLE_ACCEPT_DROP, comma-separated; see lib/volume.py)."""

    # Field descriptions are what the UI's resources page shows: each names its variable.
    commune: str = Field(
        default="76165", description="CLE_COMMUNE — code INSEE de la commune (défaut 76165)."
    )
    output_dir: str = Field(
        default="",
        description="CLE_OUTPUT_DIR — dossier des fichiers publiés, un sous-dossier par commune "
        "(défaut data/published).",
    )
    inbox_dir: str = Field(
        default="",
        description="CLE_INBOX_DIR — dossier des fichiers fournis par la commune, un "
        "sous-dossier par commune (défaut data/inbox).",
    )
    accept_drop: str = Field(
        default="",
        description="CLE_ACCEPT_DROP — jeux de données dont une baisse du nombre de lignes est "
        "acceptée pour cette exécution (identifiants séparés par des virgules).",
    )

    def insee_code(self) -> str:
        """The default commune when `commune` names one (the first of a list)."""
        return valid_commune_code(self.commune.split(",")[0])

    def published_folder(self, code: str) -> Path:
        """Where the files of commune `code` are published."""
        root = (
            Path(self.output_dir)
            if self.output_dir
            else default_data_dir("published", "CLE_OUTPUT_DIR")
        )
        return root / valid_commune_code(code, "commune")

    def inbox_folder(self, code: str) -> Path:
        """Where commune `code` drops its own files."""
        root = (
            Path(self.inbox_dir) if self.inbox_dir else default_data_dir("inbox", "CLE_INBOX_DIR")
        )
        return root / valid_commune_code(code, "commune")

    def inbox_sample_reason(self, code: str) -> str | None:
        """The sample files shipped with the project carry a marker in their inbox folder: until
        the commune's real files replace them (and the marker is deleted), what is built from
        this inbox is a sample."""
        marker = self.inbox_folder(code) / SAMPLE_MARKER
        return (
            f"{marker} marks the commune's inbox as holding SAMPLE files"
            if marker.exists()
            else None
        )


class SiteSettings(dg.ConfigurableResource):
    """How the commune's site and map are made and where they are hosted.
    `map_tiles`: the background tiles' URL template of the map page and the uMap file
    (CLE_MAP_TILES, default OpenStreetMap's public server; `off`: no background, as in tests).
    `site_url`: the address where `data/published/<commune>/site/` is served (CLE_SITE_URL,
    empty: not hosted, so not declared to data.gouv.fr as a reuse)."""

    map_tiles: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="CLE_MAP_TILES — modèle d'URL des tuiles de fond de la carte (défaut "
        "OpenStreetMap ; off : pas de fond).",
    )
    site_url: str = Field(
        default="",
        description="CLE_SITE_URL — adresse où le site de la commune est servi (vide : non "
        "hébergé, non déclaré comme réutilisation).",
    )

    def tiles_url(self) -> str:
        """The tiles' URL template, empty when the background is off."""
        value = self.map_tiles.strip()
        return "" if value.lower() in {"", "off", "none"} else value
