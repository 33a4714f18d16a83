"""What a release leaves beside each published CSV, and how the publisher reads it back."""

import json

import pandas as pd
import pytest

from cle_pipeline.defs.datasets.naissances_deces.schema import NaissancesDeces
from cle_pipeline.defs.publishing.sheets import load_sheet
from cle_pipeline.lib.metadata import column_dictionary
from cle_pipeline.lib.release import ReleaseError, read_release, released_datasets
from cle_pipeline_tests.conftest import check_outcomes, release_metadata


def test_the_release_writes_the_csv_its_sheet_and_its_record(materialize, tmp_path):
    result = materialize("naissances_deces")
    folder = tmp_path / "published" / "76165"
    release = read_release(folder, "naissances_deces")
    assert (release.commune_code, release.commune_name) == ("76165", "Caudebec-lès-Elbeuf")
    assert (release.source_mode, release.sample, release.rows) == ("snapshot", True, 17)
    published = pd.read_csv(release.csv_path, dtype=str, keep_default_na=False)
    # The sheet, then the dictionary of the file's columns, with its first values as examples.
    assert release.sheet_path.read_text(encoding="utf-8") == load_sheet(
        "naissances_deces"
    ).markdown(
        "Caudebec-lès-Elbeuf",
        "76165",
        sample=True,
        columns=column_dictionary(NaissancesDeces, published),
    )
    dictionary = release.sheet_path.read_text(encoding="utf-8").split(
        "**Dictionnaire des colonnes.**\n\n"
    )[1]
    assert dictionary.splitlines()[:4] == [
        "| Colonne | Type | Description | Exemple |",
        "|---|---|---|---|",
        "| `code_commune_insee` | texte au format imposé | Code INSEE de la commune | 76165 |",
        "| `nom_commune` | texte | Nom officiel | Caudebec-lès-Elbeuf |",
    ]
    assert released_datasets(folder) == ["naissances_deces"]
    metadata = release_metadata(result, "naissances_deces")
    assert metadata["sha256"].value == release.sha256
    assert metadata["source_mode"].value == "snapshot"
    assert set(check_outcomes(result).values()) == {True}


def test_a_file_changed_after_its_checks_is_not_released(materialize, tmp_path):
    materialize("naissances_deces")
    folder = tmp_path / "published" / "76165"
    with (folder / "naissances_deces.csv").open("a") as csv:
        csv.write("76165,Caudebec-lès-Elbeuf,2025,1,1\n")
    with pytest.raises(ReleaseError, match=r"is not the file its checks passed on"):
        read_release(folder, "naissances_deces")


def test_no_record_no_release(tmp_path):
    with pytest.raises(ReleaseError, match=r"^bornes_recharge: no checked file in "):
        read_release(tmp_path, "bornes_recharge")
    (tmp_path / ".datagouv.json").write_text(json.dumps({}))
    assert released_datasets(tmp_path) == []
