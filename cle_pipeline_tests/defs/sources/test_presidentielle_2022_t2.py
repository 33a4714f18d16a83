"""`presidentielle_2022_t2`: two candidates per station, the same stations as round 1."""

from cle_pipeline.defs.sources.presidentielle_2022_t2 import SOURCE, cut_commune
from cle_pipeline.lib.files import PROJECT_ROOT

TABLE = PROJECT_ROOT / "data" / "sources" / SOURCE.id / SOURCE.snapshot


def test_caudebec_has_seven_stations_of_two_candidates():
    rows = cut_commune(TABLE, "76165", "t2")
    assert len(rows) == 7 * 2
    assert rows["Nom"].tolist() == ["MACRON", "LE PEN"] * 7
    assert rows["N°Panneau"].tolist() == ["1", "2"] * 7
    assert rows.iloc[0:2][["Code du b.vote", "Exprimés", "Voix", "% Voix/Exp"]].to_dict(
        "records"
    ) == [
        {"Code du b.vote": "0001", "Exprimés": "680", "Voix": "303", "% Voix/Exp": "44,56"},
        {"Code du b.vote": "0001", "Exprimés": "680", "Voix": "377", "% Voix/Exp": "55,44"},
    ]


def test_overseas_and_corsican_stations_are_found():
    assert len(cut_commune(TABLE, "97411", "t2")) == 2 * 2
    assert len(cut_commune(TABLE, "2A004", "t2")) == 2 * 2
