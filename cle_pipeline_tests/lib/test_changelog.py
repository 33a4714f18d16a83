"""The change log between two releases: exact rows added, removed and changed, by key."""

from pathlib import Path

import pandas as pd
import pytest

from cle_pipeline.lib.changelog import (
    ChangeLogError,
    compare_releases,
    published_text,
    read_published_csv,
    record_release,
)
from cle_pipeline.lib.output import write_csv

# Births and deaths as published (code, name, year, births, deaths; a missing count empty).
PREVIOUS = pd.DataFrame(
    {
        "code_commune_insee": ["76165"] * 3,
        "nom_commune": ["Caudebec-lès-Elbeuf"] * 3,
        "annee": [2019, 2020, 2021],
        "naissances": [118, 121, 109],
        "deces": [101, 117, 112],
    }
)


def current_release() -> pd.DataFrame:
    """2019 removed, 2021's deaths corrected, 2022 added."""
    current = PREVIOUS[PREVIOUS["annee"] != 2019].copy()
    current.loc[current["annee"] == 2021, "deces"] = 114
    extra = pd.DataFrame(
        [["76165", "Caudebec-lès-Elbeuf", 2022, 104, None]], columns=current.columns
    )
    return pd.concat([current, extra], ignore_index=True).astype({"deces": "Int64"})


def test_one_row_added_one_removed_one_changed_exactly():
    changelog = compare_releases(
        published_text(PREVIOUS), published_text(current_release()), ["annee"], "2025-12-01"
    )
    assert changelog.published_changes().to_dict("records") == [
        {"annee": "2022", "changement": "ajout", "colonne": "", "avant": "", "apres": ""},
        {"annee": "2019", "changement": "suppression", "colonne": "", "avant": "", "apres": ""},
        {
            "annee": "2021",
            "changement": "modification",
            "colonne": "deces",
            "avant": "112",
            "apres": "114",
        },
    ]
    assert (changelog.count("ajout"), changelog.count("suppression")) == (1, 1)
    assert changelog.count("modification") == 1
    assert changelog.summary() == (
        "Depuis la publication précédente (2025-12-01) : 1 ligne ajoutée, 1 ligne supprimée, "
        "1 ligne modifiée (clé : annee). Premières valeurs modifiées : 2021 : deces « 112 » → "
        "« 114 »."
    )


def test_first_release_says_so():
    changelog = compare_releases(None, published_text(PREVIOUS), ["annee"])
    assert changelog.first_release
    assert changelog.published_changes().empty
    assert list(changelog.published_changes().columns) == [
        "annee",
        "changement",
        "colonne",
        "avant",
        "apres",
    ]
    assert changelog.summary().startswith("Première publication")


def test_rows_sharing_a_key_are_matched_in_their_order():
    # Two councillors of the same name and function: the second one's date changes.
    before = pd.DataFrame(
        {"nom": ["MARTIN", "MARTIN"], "fonction": ["Conseiller"] * 2, "date": ["2020", "2020"]}
    )
    after = before.assign(date=["2020", "2026"])
    changelog = compare_releases(before, after, ["nom", "fonction"], "x")
    assert changelog.published_changes().to_dict("records") == [
        {
            "nom": "MARTIN",
            "fonction": "Conseiller",
            "changement": "modification",
            "colonne": "date",
            "avant": "2020",
            "apres": "2026",
        }
    ]


def test_a_value_reformatted_is_a_change_and_no_change_says_so():
    before = pd.DataFrame({"id": ["a"], "gratuit": ["oui"]})
    after = pd.DataFrame({"id": ["a"], "gratuit": ["true"]})
    assert compare_releases(before, after, ["id"], "x").count("modification") == 1
    unchanged = compare_releases(before, before, ["id"], "2025-12-01")
    assert unchanged.summary() == (
        "Depuis la publication précédente (2025-12-01) : aucune ligne ajoutée, supprimée ni "
        "modifiée."
    )


def test_a_key_the_release_lacks_names_the_column():
    with pytest.raises(ChangeLogError, match=r"key column\(s\) numero_ecole not in the release"):
        compare_releases(None, published_text(PREVIOUS), ["numero_ecole"])
    with pytest.raises(ChangeLogError, match="no key"):
        compare_releases(None, published_text(PREVIOUS), [])


def release(folder: Path, frame: pd.DataFrame, checked_at: str):
    sha256 = write_csv(frame, folder / "naissances_deces.csv")
    return record_release(folder, "naissances_deces", sha256, checked_at, ["annee"])


def test_releases_in_a_folder_keep_history_and_an_unchanged_release_is_not_new(tmp_path):
    first = release(tmp_path, PREVIOUS, "2025-12-01T08:00:00+00:00")
    assert first is not None and first.first_release
    changes_file = tmp_path / "naissances_deces.changements.csv"
    assert changes_file.read_text(encoding="utf-8") == "annee,changement,colonne,avant,apres\n"

    second = release(tmp_path, current_release(), "2026-12-03T07:23:03+00:00")
    assert second is not None and second.previous_release == "2025-12-01 08:00:00 UTC"
    assert read_published_csv(changes_file).to_dict("records") == (
        second.published_changes().to_dict("records")
    )
    assert len(read_published_csv(changes_file)) == 3

    # The same content again: no new release, the change log stays the last one's.
    assert release(tmp_path, current_release(), "2026-12-04T07:00:00+00:00") is None
    assert len(read_published_csv(changes_file)) == 3
    history = sorted(
        path.name[:15] for path in (tmp_path / "historique" / "naissances_deces").iterdir()
    )
    assert history == ["20251201T080000", "20261203T072303"]
