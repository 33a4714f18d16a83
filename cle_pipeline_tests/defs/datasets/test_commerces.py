"""`commerces` from the Sirene and Overpass snapshots and Caudebec's shop file: exact rows, what
is left out, how shops are matched to OpenStreetMap, and the checks that guard them."""

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.datasets.commerces import assets
from cle_pipeline.defs.datasets.commerces.assets import (
    hours_error,
    invalid_hours,
    shops_in_sirene,
    shops_of_commune,
)
from cle_pipeline.defs.datasets.commerces.matching import match_osm
from cle_pipeline.defs.datasets.commerces.schema import NAF_LABELS, Commerces
from cle_pipeline.defs.sources.commerces_inbox import commerces_inbox, no_shop_hours
from cle_pipeline.defs.sources.osm_commerces import COLUMNS as OSM_COLUMNS
from cle_pipeline.defs.sources.sirene_etablissements import COLUMNS as SIRENE_COLUMNS
from cle_pipeline.defs.sources.sirene_etablissements import sirene_point
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.lambert import lon_lat_to_lambert93
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline_tests.conftest import check_outcomes, materialize_into, published_csv, released
from devtools.snapshots.common import CAUDEBEC as CAUDEBEC_SAMPLE

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28", [[list(CAUDEBEC_SAMPLE.outline)]])
CHECKS = [
    "schema",
    "rows_belong_to_commune",
    "siret_key_valid",
    "one_row_per_siret",
    "opening_hours_syntax",
    "coordinates_inside_commune",
    "commune_file_rows_published",
    "rows_against_last_release",
]


@pytest.fixture
def caudebec(materialize, tmp_path):
    result = materialize("commerces")
    return result, published_csv(tmp_path, "76165", "commerces")


def test_caudebec_every_check_passes_and_ten_shops_are_published(caudebec):
    result, published = caudebec
    assert check_outcomes(result) == {f"commerces:{name}": True for name in CHECKS}
    assert list(published.columns) == list(Commerces.to_schema().columns)
    assert published["siret"].tolist() == [
        "38912045200021",
        "41236587600017",
        "43987125200011",
        "48812367000017",
        "50432187800028",
        "52103698800033",
        "75320148200019",
        "79845612500011",
        "81234570000015",
        "84561239900012",
    ]
    assert published["source_horaires"].value_counts().to_dict() == {
        "osm": 7,
        "commune": 2,
        "aucune": 1,
    }
    assert set(published["code_commune_insee"]) == {"76165"}
    assert set(published["nom_commune"]) == {"Caudebec-lès-Elbeuf"}


def test_caudebec_exact_rows(caudebec):
    _, published = caudebec
    rows = published.set_index("siret")
    assert rows.loc["41236587600017"].to_dict() == {
        "nom": "BOULANGERIE DU CENTRE",
        "activite_naf": "10.71C",
        "libelle_activite": "Boulangerie et boulangerie-pâtisserie",
        "adresse": "12 RUE SADI CARNOT",
        "code_postal": "76320",
        "code_commune_insee": "76165",
        "nom_commune": "Caudebec-lès-Elbeuf",
        "latitude": "49.28395",
        "longitude": "1.02415",
        "horaires_osm": "Tu-Sa 06:30-13:00,15:00-19:30; Su 07:00-12:30",
        "source_horaires": "osm",
    }
    # A street type spelled out, a repetition index, a shop mapped without hours.
    coiffeur = rows.loc["81234570000015"]
    assert (coiffeur["nom"], coiffeur["adresse"]) == ("COIFF'TIF", "20 BIS RUE SADI CARNOT")
    assert (coiffeur["latitude"], coiffeur["horaires_osm"], coiffeur["source_horaires"]) == (
        "49.28372",
        "",
        "aucune",
    )
    assert rows.loc["38912045200021", "adresse"] == "2 PLACE JEAN JAURES"
    assert rows.loc["48812367000017", "adresse"] == "1 AVENUE DU MARECHAL LECLERC"
    # The name of a shop without enseigne nor usual name comes from OpenStreetMap.
    assert rows.loc["75320148200019", ["nom", "horaires_osm"]].tolist() == [
        "Mode & Vous",
        "Tu-Sa 10:00-12:00,14:00-19:00",
    ]
    # A usual name stands in for the enseigne; the supermarket is a way, placed by its center.
    assert rows.loc["84561239900012", "nom"] == "INSTITUT BELLE EPOQUE"
    assert rows.loc["52103698800033", ["latitude", "longitude"]].tolist() == ["49.288", "1.03"]


def test_closed_and_non_shop_establishments_are_left_out(caudebec):
    _, published = caudebec
    names = set(published["nom"])
    assert "BOUCHERIE LEFEVRE" not in names  # closed (F) in Sirene, still in OSM
    assert "CABINET COMPTABLE DE LA SEINE" not in names  # 69.20Z
    assert "CAUDEBEC VENTE EN LIGNE" not in names  # 47.91B: distance selling
    assert "PRIMEUR DES MARCHES" not in names  # 47.81Z: market stall
    assert "ALIMENTATION DES CHAMPS" not in names  # 52.1D in NAF rév. 1
    assert set(published["activite_naf"]) <= set(NAF_LABELS)


def test_a_partial_diffusion_individual_is_not_published(caudebec):
    result, published = caudebec
    assert "85274196600018" not in set(published["siret"])
    assert not published.apply(lambda column: column.str.contains(r"\[ND\]")).any().any()
    metadata = result.asset_materializations_for_node("commerces")[0].metadata
    assert metadata["partial_diffusion_left_out"].value == 1
    assert metadata["not_a_shop_left_out"].value == 4


def test_osm_gives_the_hours_of_the_right_shop(caudebec):
    _, published = caudebec
    rows = published.set_index("siret")
    # The bistrot and the pharmacy are 40 m apart: each gets its own hours.
    assert rows.loc["79845612500011", "horaires_osm"] == "Mo-Fr 12:00-14:00; Fr,Sa 19:00-22:00"
    assert rows.loc["38912045200021", "horaires_osm"] == (
        "Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30,14:00-19:00"
    )
    # OSM has the tobacconist 800 m from its Sirene address: not matched, no place from OSM;
    # its hours come from the commune's file.
    tabac = rows.loc["43987125200011"]
    assert (tabac["latitude"], tabac["longitude"]) == ("", "")
    assert (tabac["horaires_osm"], tabac["source_horaires"]) == (
        "Mo-Sa 06:30-19:30; Su 07:00-12:30",
        "commune",
    )


def test_the_commune_file_overrides_osm_hours(caudebec):
    _, published = caudebec
    cordonnerie = published.set_index("siret").loc["50432187800028"]
    # OSM says Tu-Sa 09:00-18:00; the commune's file knows the lunch break.
    assert cordonnerie["horaires_osm"] == "Tu-Sa 09:00-12:00,14:00-18:30"
    assert cordonnerie["source_horaires"] == "commune"
    # A line of the commune's file without hours leaves OSM's.
    assert published.set_index("siret").loc["48812367000017", "source_horaires"] == "osm"


def test_elbeuf_passes_every_check(materialize, tmp_path):
    result = materialize("commerces", commune="76231")
    assert check_outcomes(result) == {f"commerces:{name}": True for name in CHECKS}
    published = published_csv(tmp_path, "76231", "commerces")
    assert published[["nom", "horaires_osm", "source_horaires"]].values.tolist() == [
        ["BOULANGERIE DU CENTRE", "Mo-Sa 07:00-19:30", "osm"],
        ["LIBRAIRIE DU COURS CARNOT", "Tu-Sa 09:30-19:00", "osm"],
        ["LE CAFE DES ARTS", "", "aucune"],
    ]


# -- pure helpers ----------------------------------------------------------------------------
def sirene(**fields: str) -> dict[str, str]:
    row = dict.fromkeys(SIRENE_COLUMNS, "")
    row.update(
        statutDiffusionEtablissement="O",
        etatAdministratifEtablissement="A",
        nomenclatureActivitePrincipaleEtablissement="NAFRev2",
        activitePrincipaleEtablissement="10.71C",
        codePostalEtablissement="76320",
    )
    row.update(fields)
    return row


def lambert(lon: float, lat: float) -> dict[str, str]:
    x, y = lon_lat_to_lambert93(lon, lat)
    return {
        "coordonneeLambertAbscisseEtablissement": f"{x:.1f}",
        "coordonneeLambertOrdonneeEtablissement": f"{y:.1f}",
    }


def osm(name: str, lon: float, lat: float, **tags: str) -> dict:
    element = dict.fromkeys(OSM_COLUMNS)
    element.update(osm_id=f"node/{len(name)}", name=name, lon=lon, lat=lat)
    element.update(tags)
    return element


def test_a_similar_name_far_away_is_not_matched_but_the_close_one_is():
    shops = pd.DataFrame(
        [sirene(siret="1", enseigne1Etablissement="BOULANGERIE DUPONT", **lambert(1.024, 49.284))]
    )
    elements = pd.DataFrame(
        [
            osm("Boulangerie Dupont", 1.0300, 49.2900),  # 800 m away
            osm("Boulangerie Dupond", 1.0241, 49.2841),  # 13 m away, one letter off
        ]
    )
    matches = match_osm(shops, elements, CAUDEBEC)
    assert [(m.element, m.method) for m in matches] == [(1, "distance")]


def test_a_name_alone_matches_only_when_unique_on_both_sides():
    shops = pd.DataFrame(
        [
            sirene(siret="1", enseigne1Etablissement="LE FOURNIL"),
            sirene(siret="2", enseigne1Etablissement="PIZZA ROMA"),
            sirene(siret="3", denominationUsuelleEtablissement="PIZZA ROMA"),
        ]
    )
    elements = pd.DataFrame([osm("Le Fournil", 1.02, 49.28), osm("Pizza Roma", 1.03, 49.28)])
    matches = match_osm(shops, elements, CAUDEBEC)
    assert [(m.shop, m.element, m.method) for m in matches] == [(0, 0, "nom")]


def test_overseas_coordinates_are_not_read_as_lambert_93():
    saint_denis = Commune("97411", "Saint-Denis", "974", "04")
    shops = pd.DataFrame(
        [
            sirene(
                siret="1",
                enseigne1Etablissement="PHARMACIE DU BARACHOIS",
                coordonneeLambertAbscisseEtablissement="338541.6",
                coordonneeLambertOrdonneeEtablissement="7690772.3",
                numeroVoieEtablissement="12",
                typeVoieEtablissement="RUE",
                libelleVoieEtablissement="DE PARIS",
            )
        ]
    )
    elements = pd.DataFrame(
        [
            osm(
                "Pharmacie du Barachois",
                55.448,
                -20.879,
                addr_street="Rue de Paris",
                addr_housenumber="12",
            )
        ]
    )
    assert [m.method for m in match_osm(shops, elements, saint_denis)] == ["adresse"]
    assert sirene_point(shops.iloc[0], saint_denis) is None


def test_only_active_fully_diffused_shops_of_the_list_are_kept():
    establishments = pd.DataFrame(
        [
            sirene(siret="1"),
            sirene(siret="2", etatAdministratifEtablissement="F"),
            sirene(siret="3", statutDiffusionEtablissement="P"),
            sirene(siret="4", activitePrincipaleEtablissement="69.20Z"),
            sirene(
                siret="5",
                activitePrincipaleEtablissement="10.71C",
                nomenclatureActivitePrincipaleEtablissement="NAFRev1",
            ),
        ]
    )
    assert shops_in_sirene(establishments)["siret"].tolist() == ["1"]
    table, report = shops_of_commune(establishments, pd.DataFrame(columns=OSM_COLUMNS), CAUDEBEC)
    assert table["siret"].tolist() == ["1"]
    assert (report["partial_diffusion_left_out"], report["not_a_shop_left_out"]) == (1, 3)


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00",
        "24/7",
        "Tu-Sa 06:30-13:00,15:00-19:30; Su 07:00-12:30",
        "Mo-Fr 09:00-18:00; PH off",
        "Mo-Su 08:00-20:00; Dec 25 off",
        "Mo 08:00-12:00, We 14:00-18:00",
        "Mo-Fr 08:00-12:00, 14:00-18:00",
        'Sa 09:00-12:00 "sur rendez-vous"',
        "Jan-Mar Mo-Fr 09:00-17:00; Apr-Dec Mo-Sa 09:00-19:00",
        "Fr 18:00-02:00",
        "Mo-Sa 07:00+",
        "Mo[1] 09:00-12:00",
        "We-Mo 07:30-20:00",
    ],
)
def test_opening_hours_in_the_osm_syntax_pass(text):
    assert hours_error(text, "osm") is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("lun-sam 8h-19h", "1:1"),
        ("Mo-Fr 8h-18h", "1:7"),
        ("Mo-Fr 09:00-", "1:13"),
        ("du lundi au vendredi de 9h à 18h", "1:1"),
        ("Mo-Fr 09:00-18:00;;Sa 09:00-12:00", "1:19"),
        ("09:00-18:00 Mo-Fr", "1:13"),  # selectors out of order
        ("Mo-Fr 09:60-18:00", "1:10"),
        ("Mo-Fr\n09:00-18:00", "1:6"),
    ],
)
def test_opening_hours_that_do_not_parse_fail_with_the_parser_message(text, where):
    error = hours_error(text, "commune")
    assert error is not None and error.startswith(f"Failed to parse expression: --> {where} ")


@pytest.mark.parametrize(
    ("text", "source", "error"),
    [
        (None, "aucune", None),
        ("", "aucune", None),
        ("   ", "aucune", None),
        (None, "osm", "no hours, yet source_horaires is 'osm'"),
        ("   ", "commune", "no hours, yet source_horaires is 'commune'"),
        ("Mo-Fr 09:00-18:00", "aucune", "hours, yet source_horaires is 'aucune'"),
    ],
)
def test_hours_and_their_source_agree(text, source, error):
    assert hours_error(text, source) == error


def published_row(**fields) -> dict:
    row = {
        "siret": "41236587600017",
        "nom": "BOULANGERIE DU CENTRE",
        "activite_naf": "10.71C",
        "libelle_activite": NAF_LABELS["10.71C"],
        "adresse": "12 RUE SADI CARNOT",
        "code_postal": "76320",
        "code_commune_insee": "76165",
        "nom_commune": "Caudebec-lès-Elbeuf",
        "latitude": 49.28395,
        "longitude": 1.02415,
        "horaires_osm": "Tu-Sa 06:30-13:00",
        "source_horaires": "osm",
    }
    row.update(fields)
    return row


def test_bad_rows_fail_their_checks_naming_the_row():
    frame = pd.DataFrame(
        [
            published_row(),
            published_row(siret="41236587600018", horaires_osm="lun-sam 8h-19h"),
            published_row(siret="43987125200011", activite_naf="69.20Z"),
            published_row(siret="43987125200011", horaires_osm=None, source_horaires="osm"),
            published_row(siret="50432187800028", latitude=48.85, longitude=2.35),
        ]
    )
    inputs = {"commerces_inbox": no_shop_hours()}
    outcomes = {o.name: o for o in evaluate(frame, Commerces, assets.RULES, CAUDEBEC, inputs)}
    schema = outcomes["schema"].failures
    assert schema[["row", "column", "value"]].values.tolist() == [[3, "activite_naf", "69.20Z"]]
    assert outcomes["siret_key_valid"].failures["siret"].tolist() == ["41236587600018"]
    assert outcomes["one_row_per_siret"].failures["siret"].tolist() == ["43987125200011"] * 2
    hours = outcomes["opening_hours_syntax"].failures
    assert hours["siret"].tolist() == ["41236587600018", "43987125200011"]
    assert hours["error"].tolist() == [
        "Failed to parse expression: --> 1:1 | 1 | lun-sam 8h-19h | ^--- | = expected EOI, "
        "any_rule_separator, rules_modifier, always_open, small_range_selectors, "
        "week_selector, monthday_range, year, or comment",
        "no hours, yet source_horaires is 'osm'",
    ]
    assert outcomes["coordinates_inside_commune"].failures["siret"].tolist() == ["50432187800028"]
    assert outcomes["commune_file_rows_published"].passed


def test_an_unparsable_hours_string_fails_the_check():
    frame = pd.DataFrame([published_row(horaires_osm="Mo-Fr 8h-18h")])
    assert invalid_hours(frame)["horaires_osm"].tolist() == ["Mo-Fr 8h-18h"]


# -- the commune's file -----------------------------------------------------------------------
def shop_file(folder, text: str):
    """`folder/76165/commerces.csv` holding `text`, and the settings that read it."""
    (folder / "76165").mkdir(parents=True, exist_ok=True)
    (folder / "76165" / "commerces.csv").write_text(text, encoding="utf-8")
    return CommuneSettings(commune="76165", inbox_dir=str(folder))


def test_a_commune_file_siret_that_is_not_published_fails_naming_its_line(tmp_path):
    settings = shop_file(
        tmp_path,
        "siret;horaires\n41236587600017;Mo 09:00-12:00\n40125836100011;Mo 08:00-19:00\n"
        "40125836100029;\n",
    )
    given = commerces_inbox(
        context=dg.build_asset_context(partition_key="76165"), settings=settings
    ).value
    failures = assets.commune_file_rows_not_published(pd.DataFrame([published_row()]), given)
    # Line 4 gives no hours: nothing is lost if its SIRET is not published.
    assert failures.values.tolist() == [[3, "40125836100011", "Mo 08:00-19:00"]]
    assert list(failures.columns) == ["ligne_source", "siret", "horaires"]


def test_the_commune_file_is_read_from_the_inbox_setting(definitions, tmp_path):
    """A shop file in CLE_INBOX_DIR (not in data/inbox) gives Elbeuf's café its hours."""
    (tmp_path / "inbox" / "76231").mkdir(parents=True)
    (tmp_path / "inbox" / "76231" / "commerces.csv").write_bytes(
        "N° SIRET;Nom;Horaires d'ouverture\r\n"
        "463 218 792 00018;Le Café des Arts;Mo-Sa 07:00-20:00\r\n".encode("cp1252")
    )
    result = materialize_into(
        definitions,
        tmp_path,
        released("commerces"),
        commune="76231",
        inbox_dir=tmp_path / "inbox",
    )
    assert check_outcomes(result) == {f"commerces:{name}": True for name in CHECKS}
    published = published_csv(tmp_path, "76231", "commerces").set_index("nom")
    assert published.loc["LE CAFE DES ARTS", ["horaires_osm", "source_horaires"]].tolist() == [
        "Mo-Sa 07:00-20:00",
        "commune",
    ]
    inbox = result.asset_materializations_for_node("commerces_inbox")[0].metadata
    assert inbox["file_name"].value == "commerces.csv"
    assert inbox["encoding"].value == "windows-1252"
    assert inbox["rows_for_commune"].value == 1


def test_without_a_commune_file_the_hours_come_from_osm_only(definitions, tmp_path):
    result = materialize_into(
        definitions,
        tmp_path,
        released("commerces"),
        inbox_dir=tmp_path / "empty",
    )
    assert check_outcomes(result) == {f"commerces:{name}": True for name in CHECKS}
    published = published_csv(tmp_path, "76165", "commerces")
    assert published["source_horaires"].value_counts().to_dict() == {"osm": 8, "aucune": 2}
    inbox = result.asset_materializations_for_node("commerces_inbox")[0].metadata
    assert inbox["file_name"].value == "none"
    assert inbox["rows_for_commune"].value == 0
