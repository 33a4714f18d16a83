"""INSEE état civil: deaths per commune of residence and year.

By default the current series `DS_ETAT_CIVIL_DECES_COMMUNES` (2008 to the last year published;
a zip whose `DS_ETAT_CIVIL_DECES_COMMUNES_data.csv` member is the only one read). The older
wide file `base_deces_2021_csv.zip` (columns `DECESD14` … `DECESD21`) is still read when
`CLE_SOURCE_INSEE_DECES` points at it: `lib/insee.py` tells the two apart by the header.
"""

from __future__ import annotations

import dagster as dg

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.insee import (
    DEATHS,
    civil_registry_pass,
    commune_counts,
    counts_from_cuts,
)
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.national import (
    CommuneCuts,
    commune_rows,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.partitions import COMMUNES
from cle_pipeline.lib.source_cut import SourceCut

SOURCE = Source(
    id="insee_deces",
    title="Décès domiciliés par commune (état civil)",
    publisher="INSEE",
    page="https://www.insee.fr/fr/statistiques/1893253",
    url="https://api.insee.fr/melodi/file/DS_ETAT_CIVIL_DECES_COMMUNES/DS_ETAT_CIVIL_DECES_COMMUNES_2025_CSV_FR",
    snapshot="DS_ETAT_CIVIL_DECES_COMMUNES_CSV_FR.zip",
    cadence=YEARLY,
)
# The current series' data member (not its `_metadata.csv` code lists), or the wide file's.
MEMBER = r"^(DS_ETAT_CIVIL_DECES_COMMUNES_data|base_deces_\d{4})\.csv$"


# The one pass: every commune's rows of the data member.
cut_every_commune = civil_registry_pass(MEMBER, DEATHS)


national_insee_deces = national_file_asset(SOURCE, cut_every_commune, {"duckdb", "csv"})


# An error: INSEE publishes every commune, every year.
CUT = SourceCut(
    "insee_deces",
    required=True,
    why="l'INSEE publie chaque commune pour chaque année ; une commune absente est une commune "
    "créée depuis, ou un autre fichier.",
    descriptions={
        "annee": "Année de l'événement",
        "valeur": (
            "Nombre de décès domiciliés dans la commune (vide : valeur manquante selon l'INSEE)"
        ),
    },
    columns=[("annee", "int"), ("valeur", "int")],
)


@dg.asset(
    group_name="sources",
    partitions_def=COMMUNES,
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata={**SOURCE.definition_metadata(), **CUT.definition_metadata()},
    ins=national_input(SOURCE),
    check_specs=CUT.check_specs(),
)
def insee_deces(commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None):
    """Les décès par année de la commune (`annee`, `valeur` ; vide quand l'INSEE déclare la
    valeur manquante), d'après ses lignes `COM` des séries d'état civil de l'INSEE."""
    archive, counts = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: counts_from_cuts(cuts, commune.code, DEATHS),
        lambda archive: commune_counts(
            sources.extract(archive, MEMBER), commune.code, DEATHS, archive.location
        ),
    )
    return CUT.result(counts, archive.metadata())
