"""The registry of sheets: one per folder of `defs/datasets/`, each as data.gouv.fr accepts it."""

import pytest

from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.lib.sheet import FREQUENCIES, LICENCES


def test_every_dataset_folder_is_a_published_dataset():
    assert dataset_ids() == [
        "associations",
        "bornes_recharge",
        "commerces",
        "defibrillateurs",
        "effectifs_scolaires_2022",
        "elections_legislatives_2022",
        "elections_presidentielle_2022",
        "elus",
        "evolution_effectifs_scolaires",
        "horaires_services",
        "naissances_deces",
        "subventions",
    ]


@pytest.mark.parametrize("dataset_id", dataset_ids())
def test_the_sheet_holds_what_data_gouv_fr_accepts(dataset_id):
    sheet = load_sheet(dataset_id)
    assert sheet.dataset_id == dataset_id
    assert sheet.licence in LICENCES
    assert sheet.frequency in FREQUENCIES
    # udata refuses tags shorter than 3 or longer than 96 characters (400 on the dataset).
    assert all(3 <= len(tag) <= 96 for tag in sheet.tags), sheet.tags
    assert sheet.sources and all(link.url.startswith("https://") for link in sheet.sources)
