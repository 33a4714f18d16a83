"""Presidential election 2022, round 1 (10 April 2022): results by polling station.

Ministry of the Interior, `resultats-par-niveau-burvot-t1-france-entiere.txt` (about 36 MB),
one row per polling station of France (about 69,700): `;`, latin-1, a header naming ONE
candidate block while each row repeats it for each of the 12 candidates. Read line by line by
`election_results.py`: never whole, never by a reader that trusts the header.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.defs.sources.election_results import (
    PRESIDENTIAL,
    column_descriptions,
    read_commune_results,
    read_results_cut,
    results_metadata,
    results_pass,
)
from cle_pipeline.lib.cadence import NEVER
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.national import (
    CommuneCuts,
    commune_rows,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.source_cut import SourceCut

SOURCE = Source(
    id="presidentielle_2022_t1",
    title="Élection présidentielle des 10 et 24 avril 2022 : résultats définitifs du 1er tour "
    "par bureau de vote",
    publisher="Ministère de l'Intérieur",
    page="https://www.data.gouv.fr/fr/datasets/election-presidentielle-des-10-et-24-avril-2022-resultats-definitifs-du-1er-tour/",
    url="https://www.data.gouv.fr/fr/datasets/r/79b5cac4-4957-486b-bbda-322d80868224",
    snapshot="resultats-par-niveau-burvot-t1-france-entiere.txt",
    cadence=NEVER,
)


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The commune's rows, one per polling station × candidate, every field as text; the
    commune is found by its department and 3-digit codes (letters for overseas territories)."""
    return read_commune_results(table, PRESIDENTIAL, code, label)


# The one pass: every commune's rows, in one streaming read of the file.
cut_every_commune = results_pass(PRESIDENTIAL)


national_presidentielle_2022_t1 = national_file_asset(SOURCE, cut_every_commune, {"python", "csv"})


# An error: every commune voted in both rounds.
CUT = SourceCut(
    "presidentielle_2022_t1",
    required=True,
    why="toute commune a voté au 1er tour de la présidentielle 2022 ; une commune absente est une "
    "commune créée depuis, ou un autre fichier.",
    descriptions=column_descriptions(PRESIDENTIAL),
)


@commune_asset(
    group_name="sources",
    kinds={"python", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    ins=national_input(SOURCE),
    check_specs=CUT.check_specs(),
)
def presidentielle_2022_t1(
    commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None
):
    """Les résultats du 1er tour de la présidentielle 2022 dans la commune, une ligne par bureau
    de vote × candidat : les champs du bureau (totaux et pourcentages) et le bloc du candidat,
    en texte."""
    fetched, rows = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: read_results_cut(cuts, commune.code),
        lambda fetched: cut_commune(fetched.path, commune.code, fetched.location),
    )
    return CUT.result(rows, {**fetched.metadata(), **results_metadata(rows)})
