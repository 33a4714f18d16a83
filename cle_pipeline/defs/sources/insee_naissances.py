"""INSEE état civil: live births per commune of residence of the mother and year.

By default the current series `DS_ETAT_CIVIL_NAIS_COMMUNES` (2008 to the last year published;
a zip whose `DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv` member is the only one read). The older
wide file `base_naissances_2021_csv.zip` (columns `NAISD14` … `NAISD21`) is still read when
`CLE_SOURCE_INSEE_NAISSANCES` points at it: `lib/insee.py` tells the two apart by the header.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.fetch import FetchedFile, Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.insee import (
    BIRTHS,
    commune_counts,
    counts_from_cuts,
    cut_every_commune_counts,
)
from cle_pipeline.lib.national import (
    CommuneCuts,
    PassDone,
    commune_rows,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.partitions import COMMUNES

SOURCE = Source(
    id="insee_naissances",
    title="Naissances domiciliées par commune (état civil)",
    publisher="INSEE",
    page="https://www.insee.fr/fr/statistiques/1893255",
    url="https://api.insee.fr/melodi/file/DS_ETAT_CIVIL_NAIS_COMMUNES/DS_ETAT_CIVIL_NAIS_COMMUNES_2025_CSV_FR",
    snapshot="DS_ETAT_CIVIL_NAIS_COMMUNES_CSV_FR.zip",
    cadence=YEARLY,
)
# The current series' data member (not its `_metadata.csv` code lists), or the wide file's.
MEMBER = r"^(DS_ETAT_CIVIL_NAIS_COMMUNES_data|base_naissances_\d{4})\.csv$"


def cut_every_commune(
    archive: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
) -> PassDone:
    """The one pass: every commune's rows of the data member."""
    member = sources.extract(archive, MEMBER)
    details = cut_every_commune_counts(member, codes, folder, BIRTHS, archive.location)
    return PassDone(archive.location, details=details)


national_insee_naissances = national_file_asset(SOURCE, cut_every_commune, {"duckdb", "csv"})


@dg.asset(
    group_name="sources",
    partitions_def=COMMUNES,
    kinds={"duckdb", "csv"},
    metadata=SOURCE.definition_metadata(),
    ins=national_input(SOURCE),
)
def insee_naissances(
    commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None
) -> dg.Output[pd.DataFrame]:
    """Les naissances vivantes par année de la commune (`annee`, `valeur` ; vide quand l'INSEE
    déclare la valeur manquante), d'après ses lignes `COM` des séries d'état civil de
    l'INSEE."""
    archive, counts = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: counts_from_cuts(cuts, commune.code, BIRTHS),
        lambda archive: commune_counts(
            sources.extract(archive, MEMBER), commune.code, BIRTHS, archive.location
        ),
    )
    return dg.Output(counts, metadata={**archive.metadata(), "rows_for_commune": len(counts)})
