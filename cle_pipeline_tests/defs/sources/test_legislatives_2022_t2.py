"""`legislatives_2022_t2`: the run-off, two candidates (three in a three-way run-off)."""

from cle_pipeline.defs.sources.legislatives_2022_t2 import SOURCE, cut_commune
from cle_pipeline.lib.files import PROJECT_ROOT

TABLE = PROJECT_ROOT / "data" / "sources" / SOURCE.id / SOURCE.snapshot


def test_caudebec_has_the_run_off_of_constituency_76_04():
    rows = cut_commune(TABLE, "76165", "l2")
    assert len(rows) == 7 * 2
    assert rows[["Nom", "Nuance", "N°Panneau"]].drop_duplicates().to_dict("records") == [
        {"Nom": "MARTIN", "Nuance": "NUP", "N°Panneau": "1"},
        {"Nom": "DUBOIS", "Nuance": "RN", "N°Panneau": "2"},
    ]


def test_a_three_way_run_off_keeps_its_three_candidates():
    rows = cut_commune(TABLE, "27165", "l2")
    assert rows["Nom"].tolist() == ["BERNARD", "ROBERT", "RICHARD"]
