"""`insee_naissances`: the snapshot is INSEE's current series as published (a zip with a data and
a metadata member), and only the data member is extracted and read."""

from __future__ import annotations

import re
import zipfile

from cle_pipeline.defs.sources.insee_naissances import MEMBER, SOURCE, insee_naissances
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune

ARCHIVE = PROJECT_ROOT / "data" / "sources" / "insee_naissances" / SOURCE.snapshot


def test_the_snapshot_holds_the_data_and_the_metadata_members():
    with zipfile.ZipFile(ARCHIVE) as archive:
        assert archive.namelist() == [
            "DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv",
            "DS_ETAT_CIVIL_NAIS_COMMUNES_metadata.csv",
        ]
        lines = archive.read("DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv").decode().splitlines()
    assert lines[0] == "EC_MEASURE;FREQ;GEO;GEO_OBJECT;OBS_STATUS;TIME_PERIOD;OBS_VALUE"
    assert {line.split(";")[3] for line in lines[1:]} == {"COM", "ARM", "DEP", "REG"}
    assert "LVB;A;01001;COM;M;2008;" in lines


def test_only_the_data_member_is_extracted_and_read(tmp_path):
    sources = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    counts = insee_naissances(Commune("2A004", "Ajaccio", "2A", "94"), sources).value
    assert counts["annee"].tolist() == list(range(2008, 2025))
    assert counts["valeur"].tolist()[:3] == [845, 838, 851]
    extracted = sorted(path.name for path in (tmp_path / "cache" / "extracted").iterdir())
    assert len(extracted) == 1 and extracted[0].endswith("-DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv")


def test_the_member_pattern_takes_the_data_or_the_wide_file_never_the_code_lists():
    assert re.search(MEMBER, "DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv")
    assert re.search(MEMBER, "base_naissances_2021.csv")
    assert not re.search(MEMBER, "DS_ETAT_CIVIL_NAIS_COMMUNES_metadata.csv")
