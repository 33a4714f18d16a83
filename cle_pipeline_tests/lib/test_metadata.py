"""What the UI shows of a frame: the markdown preview keeps every value as it is."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.metadata import column_dictionary, markdown_table
from cle_pipeline.lib.table_schema import DATE, NUMBER, OUI_NON, SIRET


def test_a_pipe_or_a_backslash_in_a_value_keeps_the_columns_and_the_value():
    # Issue 13: `|` broke the preview's columns; issue 11: `(\.\d+)` showed as `(.\d+)`.
    frame = pd.DataFrame({"nom": ["Bar | Tabac", "Mairie"], "motif": [r"^\d+(\.\d+)?$", None]})
    assert markdown_table(frame).splitlines() == [
        "| nom          | motif            |",
        "|:-------------|:-----------------|",
        r"| Bar \| Tabac | ^\\d+(\\.\\d+)?$ |",
        "| Mairie       |                  |",
    ]


class Sample(pa.DataFrameModel):
    annee: Series[pd.Int64Dtype] = pa.Field(description="Année")
    part: Series[float] = pa.Field(description="Part")
    jour: Series[str] = pa.Field(str_matches=DATE, description="Jour")
    montant: Series[str] = pa.Field(str_matches=NUMBER, description="Montant")
    libre: Series[str] = pa.Field(isin=OUI_NON, description="Accès libre")
    acces: Series[str] = pa.Field(isin=["Intérieur", "Extérieur"], description="Accès")
    code: Series[str] = pa.Field(str_matches=r"^\d{5}$", description="Code postal")
    siret: Series[str] = pa.Field(str_matches=SIRET, nullable=True, description="SIRET")
    nom: Series[str] = pa.Field(description="Nom")


def test_the_column_dictionary_gives_french_types_and_the_first_value_as_example():
    frame = pd.DataFrame(
        {
            "annee": pd.array([2008, 2009], dtype="Int64"),
            "part": [0.5, 1.0],
            "jour": ["2022-01-31", "2022-02-01"],
            "montant": ["1500.00", "10.00"],
            "libre": ["oui", "non"],
            "acces": ["Extérieur", "Intérieur"],
            "code": ["76320", "76500"],
            "siret": [None, "21760165700018"],
            "nom": ["Une très longue dénomination\nsur deux lignes " + "x" * 60, "B"],
        }
    )
    assert [
        (entry.name, entry.type, entry.description, entry.example)
        for entry in column_dictionary(Sample, frame)
    ] == [
        ("annee", "entier", "Année", "2008"),
        ("part", "nombre (point décimal)", "Part", "0.5"),
        ("jour", "date (AAAA-MM-JJ)", "Jour", "2022-01-31"),
        ("montant", "nombre (point décimal)", "Montant", "1500.00"),
        ("libre", "booléen (oui/non)", "Accès libre", "oui"),
        ("acces", "texte, valeurs permises : Intérieur, Extérieur", "Accès", "Extérieur"),
        ("code", "texte au format imposé", "Code postal", "76320"),
        ("siret", "numéro SIRET (14 chiffres)", "SIRET", "21760165700018"),
        ("nom", "texte", "Nom", "Une très longue dénomination sur deux lignes xxxxxxxxxxxxxx…"),
    ]
