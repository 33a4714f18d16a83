"""`presidentielle_2022_t1`: the commune's ragged rows, and the rows the cut leaves out."""

import dagster as dg
import pytest

from cle_pipeline.defs.sources.presidentielle_2022_t1 import SOURCE, cut_commune
from cle_pipeline.lib.files import PROJECT_ROOT

TABLE = PROJECT_ROOT / "data" / "sources" / SOURCE.id / SOURCE.snapshot
PANEL = [
    "ARTHAUD",
    "ROUSSEL",
    "MACRON",
    "LASSALLE",
    "LE PEN",
    "ZEMMOUR",
    "MÉLENCHON",
    "HIDALGO",
    "JADOT",
    "PÉCRESSE",
    "POUTOU",
    "DUPONT-AIGNAN",
]


def test_caudebec_has_seven_stations_of_twelve_candidates():
    rows = cut_commune(TABLE, "76165", "t1")
    assert len(rows) == 7 * 12
    assert sorted(set(rows["Code du b.vote"])) == [f"000{n}" for n in range(1, 8)]
    for _, station in rows.groupby("Code du b.vote"):
        assert station["Nom"].tolist() == PANEL
        assert station["N°Panneau"].tolist() == [str(n) for n in range(1, 13)]
    first = rows.iloc[0]
    codes = ["Code du département", "Code de la circonscription", "Code de la commune"]
    assert first[codes].tolist() == ["76", "04", "165"]
    assert first[["Libellé de la commune", "Inscrits", "Exprimés", "% Abs/Ins"]].tolist() == [
        "Caudebec-lès-Elbeuf",
        "1034",
        "742",
        "25,92",
    ]
    last = rows.iloc[11]
    assert last[["Nom", "Prénom", "Sexe", "Voix", "% Voix/Ins", "% Voix/Exp"]].tolist() == [
        "DUPONT-AIGNAN",
        "Nicolas",
        "M",
        "15",
        "1,45",
        "2,02",
    ]


@pytest.mark.parametrize(
    ("code", "department", "name", "stations"),
    [
        ("76231", "76", "Elbeuf", 5),
        ("2A004", "2A", "Ajaccio", 2),
        ("97411", "ZD", "Saint-Denis", 2),
        ("27165", "27", "Exemple-sur-Eure", 1),
    ],
)
def test_other_communes_are_found_by_department_and_commune_codes(code, department, name, stations):
    rows = cut_commune(TABLE, code, "t1")
    assert len(rows) == stations * 12
    assert set(rows["Code du département"]) == {department}
    assert set(rows["Libellé de la commune"]) == {name}


def test_a_neighbour_the_same_commune_number_elsewhere_and_french_abroad_are_left_out():
    caudebec = cut_commune(TABLE, "76165", "t1")
    assert set(caudebec["Libellé de la commune"]) == {"Caudebec-lès-Elbeuf"}  # not Eure's 165
    # French people abroad vote under ZZ with commune number 411: not Saint-Denis (97411).
    assert "Londres" not in set(cut_commune(TABLE, "97411", "t1")["Libellé de la commune"])


def test_the_source_asset_reports_what_it_cut(materialize):
    result = materialize("presidentielle_2022_t1")
    [materialization] = [
        event
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey("presidentielle_2022_t1")
    ]
    metadata = materialization.materialization.metadata
    assert metadata["rows_for_commune"].value == 84
    assert metadata["polling_stations"].value == 7
    assert metadata["candidates_per_station"].value == "12"
