"""`insee_deces`: the deaths (`DTH`) of INSEE's current series, from the data member only."""

from __future__ import annotations

import zipfile

import pandas as pd

from cle_pipeline.defs.sources.insee_deces import SOURCE, insee_deces
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune

ARCHIVE = PROJECT_ROOT / "data" / "sources" / "insee_deces" / SOURCE.snapshot


def test_the_snapshot_holds_the_data_and_the_metadata_members():
    with zipfile.ZipFile(ARCHIVE) as archive:
        assert archive.namelist() == [
            "DS_ETAT_CIVIL_DECES_COMMUNES_data.csv",
            "DS_ETAT_CIVIL_DECES_COMMUNES_metadata.csv",
        ]
        lines = archive.read("DS_ETAT_CIVIL_DECES_COMMUNES_data.csv").decode().splitlines()
    assert {line.split(";")[0] for line in lines[1:]} == {"DTH"}
    assert "DTH;A;76640;COM;M;2013;" in lines


def test_overseas_deaths_for_every_year_and_a_missing_value_as_na(tmp_path):
    sources = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    overseas = insee_deces(Commune("97411", "Saint-Denis", "974", "04"), sources).value
    assert overseas["annee"].tolist() == list(range(2008, 2025))
    assert overseas["valeur"].tolist()[-3:] == [1004, 987, 1012]
    saint_pierre = insee_deces(Commune("76640", "Saint-Pierre-lès-Elbeuf", "76", "28"), sources)
    by_year = dict(zip(saint_pierre.value["annee"], saint_pierre.value["valeur"], strict=True))
    assert by_year[2012] == 65 and by_year[2013] is pd.NA
