"""Whatever is built from sample inputs is marked as a sample, in every mode: snapshot mode, an
override pointing into the embedded snapshots, or the commune's inbox still holding the shipped
sample files (its ECHANTILLON.txt marker)."""

import shutil

import pytest

from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.release import read_release

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
ONLINE_INPUTS = {
    "cog_communes": SNAPSHOTS / "cog_communes" / "cog_ensemble_2025_csv.zip",
    "commune_contours": SNAPSHOTS / "commune_contours" / "76165.geojson",
    "irve": IRVE,
}


def online_from_copies(tmp_path, keep_in_snapshots: str | None = None) -> SourceFetcher:
    """Online mode with every input of bornes_recharge outside the snapshot folder (like files
    downloaded by hand), except `keep_in_snapshots`, left pointing at the embedded sample."""
    overrides = {}
    for source_id, path in ONLINE_INPUTS.items():
        if source_id != keep_in_snapshots:
            path = shutil.copy(path, tmp_path / path.name)
        overrides[source_id] = str(path)
    return SourceFetcher(mode="online", cache_dir=str(tmp_path / "cache"), overrides=overrides)


@pytest.mark.parametrize(
    ("keep_in_snapshots", "sample"),
    [(None, False), ("irve", True)],
)
def test_an_override_into_the_snapshots_makes_a_sample(
    materialize, tmp_path, keep_in_snapshots, sample
):
    online = online_from_copies(tmp_path, keep_in_snapshots)
    materialize("bornes_recharge", sources=online, inbox_dir=tmp_path / "inbox")
    release = read_release(tmp_path / "published" / "76165", "bornes_recharge")
    assert release.source_mode == "online"
    assert release.sample is sample
    if sample:
        assert release.sample_reasons == ("CLE_SOURCE_IRVE points into the embedded snapshots",)


def test_the_shipped_inbox_marks_what_is_built_from_it_as_a_sample(materialize, tmp_path):
    online = online_from_copies(tmp_path)
    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT_ROOT / "data" / "inbox" / "76165", inbox / "76165")
    materialize("bornes_recharge", sources=online, inbox_dir=inbox)
    release = read_release(tmp_path / "published" / "76165", "bornes_recharge")
    assert release.sample and "ECHANTILLON.txt" in release.sample_reasons[0]
    assert "ÉCHANTILLON" in release.sheet_path.read_text(encoding="utf-8").upper()
