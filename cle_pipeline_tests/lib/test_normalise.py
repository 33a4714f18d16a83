"""Value normalisers: what they change and what they leave for the checks to show."""

import pandas as pd
import pytest

from cle_pipeline.lib.normalise import (
    NeutralisedCell,
    euro_amount,
    french_date,
    international_phone,
    iso_period,
    luhn_valid,
    mask_mobile_numbers,
    name_key,
    neutralise_formulas,
    oui_non,
    place_name_key,
    postgres_array,
    rna_text,
    share_of_one,
    single_line,
    siren_key_valid,
    siret_key_valid,
    siret_text,
    spreadsheet_formula,
)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Caudebec-lès-Elbeuf", "CAUDEBEC LES ELBEUF"),
        ("CAUDEBEC-LES-ELBEUF", "CAUDEBEC LES ELBEUF"),
        (" caudebec  les elbeuf ", "CAUDEBEC LES ELBEUF"),
        ("ST PIERRE LES ELBEUF", "SAINT PIERRE LES ELBEUF"),
        ("Saint-Pierre-lès-Elbeuf", "SAINT PIERRE LES ELBEUF"),
        ("STE-MARIE", "SAINTE MARIE"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("", None),
        (None, None),
    ],
)
def test_place_name_key(written, key):
    assert place_name_key(written) == key


def test_different_communes_keep_different_keys():
    assert place_name_key("Saint-Pierre-lès-Elbeuf") != place_name_key("Caudebec-lès-Elbeuf")
    # "ST" is only expanded as a whole word.
    assert place_name_key("Stains") == "STAINS"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02 35 77 12 34", "+33 235771234"),
        ("02.35.77.12.34", "+33 235771234"),
        ("+33 2 35 77 12 34", "+33 235771234"),
        ("+33 (0)2 35 77 12 34", "+33 235771234"),
        ("0033235771234", "+33 235771234"),
        ("06-12-34-56-78", "+33 612345678"),
        ("0262 12 34 56", "+262262123456"),
        ("0696 12 34 56", "+596696123456"),
        ("235771234", "+33 235771234"),  # a spreadsheet's number without its leading 0
        ("3939", "3939"),
        ("02 35 77", "02 35 77"),
        ("", None),
        (None, None),
    ],
)
def test_international_phone(raw, expected):
    assert international_phone(raw) == expected


def test_international_phone_without_space_for_the_dae_schema():
    assert international_phone("02 61 91 00 10", separator="") == "+33261910010"
    assert international_phone("0262 12 34 56", separator="") == "+262262123456"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("t", "oui"), ("f", "non"), ("true", "oui"), ("0", "non"), ("", None), (None, None)],
)
def test_oui_non_writes_the_french_words(value, expected):
    assert oui_non(value) == expected


def test_oui_non_leaves_an_unknown_word_for_the_check_to_see():
    assert oui_non("peut-être") == "peut-être"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{7j/7}", ["7j/7"]),
        ("{lundi,mardi}", ["lundi", "mardi"]),
        ('{"jours fériés",samedi}', ["jours fériés", "samedi"]),
        ('{"heures ouvrables","heures de nuit"}', ["heures ouvrables", "heures de nuit"]),
        ('{"non renseigné"}', ["non renseigné"]),
        ('{"a, b","c \\"d\\""}', ["a, b", 'c "d"']),
        ("{}", []),
        ("", None),
        (None, None),
    ],
)
def test_postgres_array_items(value, expected):
    assert postgres_array(value) == expected


@pytest.mark.parametrize("value", ["lundi", "{lundi", '{"lundi}'])
def test_postgres_array_leaves_other_text_unchanged(value):
    assert postgres_array(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clé chez le gardien 06 12 34 56 78", "Clé chez le gardien [numéro masqué]"),
        (
            "Appeler le 07.12.34.56.78 ou +33 6 12 34 56 78",
            "Appeler le [numéro masqué] ou [numéro masqué]",
        ),
        ("Accueil mairie 02 35 74 64 10", "Accueil mairie 02 35 74 64 10"),
        ("Badge n° 0612345678901", "Badge n° 0612345678901"),
        (None, None),
    ],
)
def test_mask_mobile_numbers_keeps_landlines(text, expected):
    assert mask_mobile_numbers(text) == expected


NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1 500,00 €", "1500.00"),
        (f"1{NBSP}500,00{NBSP}€", "1500.00"),  # no-break spaces
        (f"24{NNBSP}500,00{NBSP}€", "24500.00"),  # narrow no-break space between thousands
        ("1.500,00 €", "1500.00"),  # dots between thousands
        ("1,500.00", "1500.00"),  # English writing
        ("750,00€", "750.00"),
        ("2 350,5 €", "2350.50"),
        ("1500 euros", "1500.00"),
        ("EUR 1 200", "1200.00"),
        ("€1500", "1500.00"),
        ("5000", "5000.00"),
        ("1 200 € ", "1200.00"),
        ("1.500", "1500.00"),  # euros have cents: three digits after a dot are thousands
        ("1,50", "1.50"),
        ("0,500", "0.500"),
        ("12,345,678.9", "12345678.90"),
        ("1500.125", "1500.125"),  # a four-digit integer part cannot be a thousands group
        ("-500", "-500.00"),  # kept for the amount_above_zero rule to report
        (None, None),
        ("  ", None),
    ],
)
def test_euro_amounts(written, expected):
    assert euro_amount(written) == expected


@pytest.mark.parametrize("written", ["1.500.00", "1.5.0", "mille euros", "4,43062E+13", "12 €/h"])
def test_amounts_that_cannot_be_read_are_left_for_the_check(written):
    assert euro_amount(written) == written


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("14/03/2022", "2022-03-14"),
        ("11/4/2022", "2022-04-11"),
        ("19/09/22", "2022-09-19"),  # two-digit year
        ("15.03.2022", "2022-03-15"),
        ("2022-03-15", "2022-03-15"),
        ("2022-03-15 00:00:00", "2022-03-15"),  # a datetime cell exported as text
        ("31/02/2022", "31/02/2022"),  # no such day: left for the check
        ("mars 2022", "mars 2022"),
    ],
)
def test_french_dates(written, expected):
    assert french_date(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("15/06/2022", "2022-06-15"),
        ("du 01/04/2022 au 31/12/2022", "2022-04-01/2022-12-31"),
        ("Du 01/04/2022 au 31/12/2022", "2022-04-01/2022-12-31"),
        ("01/06/2022 - 30/09/2022", "2022-06-01/2022-09-30"),
        ("01/06/2022 – 30/09/2022", "2022-06-01/2022-09-30"),
        ("01/04/2022 au 31/12/2022", "2022-04-01/2022-12-31"),
        ("2022-03-01/2022-12-31", "2022-03-01/2022-12-31"),
        ("2022-10-01", "2022-10-01"),
        # Two payments are not a period; words are not dates: left for the check.
        ("15/03/2022 et 15/09/2022", "15/03/2022 et 15/09/2022"),
        ("à partir du 01/04/2022", "à partir du 01/04/2022"),
        ("01/01/2022 - 01/06/2022 - 01/12/2022", "01/01/2022 - 01/06/2022 - 01/12/2022"),
        ("31/02/2022", "31/02/2022"),
    ],
)
def test_payment_dates_and_periods(written, expected):
    assert iso_period(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("100%", "1.00"), ("100 %", "1.00"), ("45%", "0.45"), ("0,45", "0.45"), ("1", "1.00"),
     ("33,33 %", "0.3333"), ("cent", "cent")],
)  # fmt: skip
def test_shares_of_one(written, expected):
    assert share_of_one(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("443 061 841 00013", "44306184100013"),
        ("443.061.841.00013", "44306184100013"),
        ("44306184100013", "44306184100013"),
        ("N/A", None),
        ("n/a", None),
        ("néant", None),
        ("-", None),
        ("en cours", None),
        ("4,43062E+13", "4,43062E+13"),  # Excel's scientific notation lost digits: left
    ],
)
def test_siret_text(written, expected):
    assert siret_text(written) == expected


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("21760165700018", True),
        ("44306184100013", True),
        ("44306184100015", False),  # wrong check digit
        ("4430618410001", False),  # 13 digits
        ("35600000000048", True),  # La Poste's head office keeps a Luhn key
        ("35600000049837", True),  # La Poste: digits add up to a multiple of 5
    ],
)
def test_siret_check_digit(siret, valid):
    assert siret_key_valid(siret) is valid


@pytest.mark.parametrize(
    ("written", "expected"),
    [("W760000101", "W760000101"), ("w 760 000 105", "W760000105"), ("N/A", None),
     ("760000101", "760000101"), ("w9t 100 0001", "W9T1000001")],
)  # fmt: skip
def test_rna_text(written, expected):
    assert rna_text(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("oui", "oui"), ("Non", "non"), ("NON", "non"), ("true", "oui"), ("0", "non"),
     ("peut-être", "peut-être"), ("", None)],
)  # fmt: skip
def test_oui_non(written, expected):
    assert oui_non(written) == expected


def test_names_match_across_accents_case_apostrophes_and_hyphens():
    assert name_key("Parents d’élèves de l’école Jean-Jaurès") == name_key(
        "PARENTS D'ÉLÈVES DE L'ÉCOLE JEAN JAURÈS"
    )
    assert name_key("Cœur de ville") == "COEUR DE VILLE"
    assert name_key(" - ") is None


def test_single_line_joins_a_cell_written_on_two_lines():
    assert (
        single_line("Sorties et goûters\r\n(programme  2022) ")
        == "Sorties et goûters (programme 2022)"
    )


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("41236587600017", True),
        ("41236587600018", False),  # last digit off by one
        ("4123658760001", False),  # 13 digits
        ("412 365 876 00017", False),  # spaces are the caller's to remove
        ("4123658760001A", False),
        (None, False),
        # La Poste's establishments: digits summing to a multiple of 5 (15), not a Luhn key.
        ("35600000000001", True),
        ("35600000000014", False),  # a valid Luhn number, but not La Poste's rule
        ("35600000000048", True),  # La Poste's head office keeps a Luhn key
    ],
)
def test_siret_key_with_la_poste_rules(siret, valid):
    assert siret_key_valid(siret) is valid


def test_la_poste_establishment_is_not_a_luhn_number():
    assert not luhn_valid("35600000000001")
    assert luhn_valid("35600000000014")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Bistrot Caudébécais", "LE BISTROT CAUDEBECAIS"),
        ("COIFF'TIF", "COIFF TIF"),
        ("Intermarché  Saint-Pierre", "INTERMARCHE SAINT PIERRE"),
        ("Cœur de Bœuf", "COEUR DE BOEUF"),
        ("  ", None),
        (None, None),
    ],
)
def test_name_key_for_matching_between_sources(text, expected):
    assert name_key(text) == expected


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("217601657", True),
        ("217601658", False),  # last digit off by one
        ("356000000", True),  # La Poste's SIREN is a Luhn number; its SIRETs are not
        ("21760165", False),  # 8 digits
        ("217 601 657", False),  # spaces are the caller's to remove
        (None, False),
    ],
)
def test_siren_key(siren, valid):
    assert siren_key_valid(siren) is valid


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=",
        "- Ouvert le lundi",
    ],
)
def test_what_a_spreadsheet_would_execute(value):
    assert spreadsheet_formula(value)


@pytest.mark.parametrize(
    "value",
    ["+33 2 35 77 12 34", "+33 (0)2 35 77 12 34", "-12.5", "-1,5", "-", "--", "0232000000", "a=b"],
)
def test_numbers_phones_and_placeholders_are_left_alone(value):
    assert not spreadsheet_formula(value)


def test_neutralise_formulas_prefixes_and_lists_by_row_and_column():
    frame = pd.DataFrame(
        {
            "nom": ["=1+1", "Mairie", "@x"],
            "telephone": ["+33 2 35 77 12 34", "+cmd|' /C calc'!A0", None],
            "solde": [-3, 4, -5],
        },
        dtype=object,  # as every dataset hands its frame to the checks
    )
    published, cells = neutralise_formulas(frame)
    assert published.to_dict("list") == {
        "nom": ["'=1+1", "Mairie", "'@x"],
        "telephone": ["+33 2 35 77 12 34", "'+cmd|' /C calc'!A0", None],
        "solde": [-3, 4, -5],
    }
    assert cells == [
        NeutralisedCell(1, "nom", "=1+1"),
        NeutralisedCell(2, "telephone", "+cmd|' /C calc'!A0"),
        NeutralisedCell(3, "nom", "@x"),
    ]
    assert frame["nom"].tolist() == ["=1+1", "Mairie", "@x"]  # the input is left as it was
