"""The school directory cut: the commune's establishments and its department's UAIs."""

from pathlib import Path

import pytest

from cle_pipeline.defs.sources.education_annuaire import (
    SOURCE,
    commune_codes,
    cut_commune,
    uai_prefix,
)
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune

DIRECTORY = PROJECT_ROOT / "data" / "sources" / "education_annuaire" / SOURCE.snapshot
CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
PARIS = Commune("75056", "Paris", "75", "11")


@pytest.mark.parametrize(
    ("department", "prefix"),
    [("76", "076"), ("01", "001"), ("2A", "620"), ("2B", "720"), ("974", "974")],
)
def test_uai_prefix_of_a_department(department, prefix):
    assert uai_prefix(department) == prefix


def test_paris_lyon_marseille_are_found_under_their_arrondissements():
    assert commune_codes("76165") == ["76165"]
    assert commune_codes("75056")[1:3] == ["75101", "75102"]
    assert len(commune_codes("75056")) == 21
    assert commune_codes("69123")[-1] == "69389"
    assert commune_codes("13055")[-1] == "13216"


def test_the_cut_keeps_the_communes_establishments_and_the_departments_uais():
    rows = cut_commune(DIRECTORY, CAUDEBEC, "annuaire")
    own = rows[rows["dans_la_commune"]]
    # Four schools (Jean Jaurès repeated, as in the real export) and a collège.
    assert own["identifiant_de_l_etablissement"].tolist() == [
        "0761587M",
        "0761588N",
        "0761589P",
        "0761588N",
        "0761590R",
        "0760031W",
    ]
    assert set(own["code_postal"]) == {"76320"}
    # Elbeuf, Saint-Pierre (also 76320) and Rouen: known to the directory, not the commune's.
    others = rows[~rows["dans_la_commune"]]
    assert set(others["code_commune"]) == {"76231", "76640", "76540"}
    assert others["identifiant_de_l_etablissement"].str.startswith("076").all()
    # Every column of the national file is kept, as text.
    assert "libelle_bassin_formation" in rows.columns
    assert rows.loc[0, "code_departement"] == "076"


def test_paris_schools_are_placed_by_their_arrondissement():
    rows = cut_commune(DIRECTORY, PARIS, "annuaire")
    assert rows.loc[rows["dans_la_commune"], "code_commune"].tolist() == ["75115"]


def without_column(source: Path, name: str, target: Path) -> Path:
    """A copy of a `;` snapshot (no quoted separators in it) without one column."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    position = lines[0].split(";").index(name)
    kept = [";".join(v for i, v in enumerate(line.split(";")) if i != position) for line in lines]
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def test_a_missing_column_names_the_file_and_the_column(tmp_path: Path):
    broken = without_column(DIRECTORY, "code_commune", tmp_path / "fr-en-annuaire-education.csv")
    with pytest.raises(SourceFormatError, match=r"fr-en-annuaire-education\.csv.*code_commune"):
        cut_commune(broken, CAUDEBEC, str(broken))


# -- the portal's web export, as a user downloads it: labels as header, BOM, CRLF ------------

REAL = PROJECT_ROOT.parent / "shared" / "real"
# A verbatim copy of Ille-et-Vilaine's directory (996 rows, 69 columns), see ../shared/real.
REAL_DIRECTORY = REAL / "fr-en-annuaire-education.csv"
RENNES = Commune("35238", "Rennes", "35", "53")


def with_field_names(source: Path, labels: dict[str, str], target: Path) -> Path:
    """The same file with the API export's field names as header, the rows' bytes untouched."""
    header, _, rows = source.read_bytes().partition(b"\r\n")
    names = [labels[name] for name in header.decode("utf-8-sig").split(";")]
    target.write_bytes(b"\xef\xbb\xbf" + ";".join(names).encode() + b"\r\n" + rows)
    return target


def test_the_web_export_with_labels_places_rennes_establishments():
    assert REAL_DIRECTORY.read_bytes().startswith(b"\xef\xbb\xbfIdentifiant_de_l_etablissement;")
    rows = cut_commune(REAL_DIRECTORY, RENNES, "fr-en-annuaire-education.csv")
    own = rows[rows["dans_la_commune"]]
    assert len(own) == 193
    schools = own[own["type_etablissement"] == "Ecole"]
    assert schools["identifiant_de_l_etablissement"].nunique() == 97
    # Every row of the department file is numbered in Ille-et-Vilaine (035…).
    assert len(rows) == 996
    lotte = own[own["identifiant_de_l_etablissement"] == "0350592D"].iloc[0]
    assert (lotte["nom_etablissement"], lotte["code_postal"], lotte["code_commune"]) == (
        "Ecole élémentaire publique Joseph Lotte",
        "35000",
        "35238",
    )


def test_labels_and_field_names_read_the_same(tmp_path: Path):
    from cle_pipeline.defs.sources.education_annuaire import LABELS

    assert len(LABELS) == 69
    renamed = with_field_names(REAL_DIRECTORY, LABELS, tmp_path / "api.csv")
    by_labels = cut_commune(REAL_DIRECTORY, RENNES, "labels")
    assert cut_commune(renamed, RENNES, "field names").equals(by_labels)


def test_a_header_of_neither_names_the_file_and_the_columns_found(tmp_path: Path):
    path = tmp_path / "annuaire.csv"
    path.write_text("UAI;Nom;Commune\r\n0350592D;Joseph Lotte;35238\r\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as raised:
        cut_commune(path, RENNES, str(path))
    assert str(raised.value).startswith(
        f"{path}: neither field names nor labels as header: missing column(s) "
        "identifiant_de_l_etablissement, nom_etablissement, type_etablissement, code_commune, "
        "nom_commune, etat, or label(s) Identifiant_de_l_etablissement, Nom_etablissement, "
        "Type_etablissement, Code_commune, Nom_commune, etat; columns found: UAI;Nom;Commune"
    )
