"""INSEE Sirene stock of establishments: `StockEtablissement_utf8.zip` → its one CSV member.

Comma, UTF-8, the 54 columns of the stock in their order, `true`/`false` for the head office,
ISO dates, Lambert-93 metres for metropolitan coordinates. Every establishment, name, address
and SIRET is a SAMPLE (SIRETs carry valid Luhn keys, so they may collide with real ones by
chance; they are not meant to). The traps of the real file are here on purpose: closed
establishments, activities that are not shops (an accountant, distance selling, a market
stall), an individual in partial diffusion whose protected fields read `[ND]`, an old
establishment still coded in NAF rév. 1, a shop without enseigne (its name is only in the legal
unit), a Paris establishment coded with its arrondissement, an overseas one whose coordinates
are UTM, not Lambert-93.
"""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.lib.lambert import lon_lat_to_lambert93
from cle_pipeline.lib.normalise import luhn_valid
from devtools.snapshots.common import csv_text, output_folder, write_zip

HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
]
# Fields INSEE replaces by `[ND]` for an establishment in partial diffusion.
PROTECTED = [
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "distributionSpecialeEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
]
NOT_DIFFUSED = "[ND]"


def with_key(digits: str) -> str:
    """`digits` followed by the one digit that makes the whole a valid Luhn number."""
    return next(digits + str(key) for key in range(10) if luhn_valid(digits + str(key)))


def siret(siren_base: str, nic_base: str) -> tuple[str, str, str]:
    """(siren, nic, siret) with valid keys from an 8-digit SIREN base and a 4-digit NIC base."""
    siren = with_key(siren_base)
    full = with_key(siren + nic_base)
    return siren, full[9:], full


def lambert(lon: float, lat: float) -> tuple[str, str]:
    x, y = lon_lat_to_lambert93(lon, lat)
    return f"{x:.1f}", f"{y:.1f}"


def establishment(
    siren_base: str,
    nic_base: str,
    naf: str,
    address: tuple[str, str, str, str],
    place: tuple[str, str, str],
    *,
    enseigne: str = "",
    denomination: str = "",
    point: tuple[str, str] = ("", ""),
    state: str = "A",
    diffusion: str = "O",
    nomenclature: str = "NAFRev2",
    created: str = "2012-03-01",
    indice: str = "",
) -> list[str]:
    """One row of the stock; `address` is (number, type, street, BAN id), `place` is (insee
    code, postal code, commune name as INSEE writes it)."""
    siren, nic, full = siret(siren_base, nic_base)
    number, street_type, street, address_id = address
    insee, postal, commune = place
    row = dict.fromkeys(HEADER, "")
    row.update(
        {
            "siren": siren,
            "nic": nic,
            "siret": full,
            "statutDiffusionEtablissement": diffusion,
            "dateCreationEtablissement": created,
            "trancheEffectifsEtablissement": "01" if state == "A" else "",
            "anneeEffectifsEtablissement": "2022" if state == "A" else "",
            "dateDernierTraitementEtablissement": "2024-11-05T10:31:06",
            "etablissementSiege": "true",
            "nombrePeriodesEtablissement": "1" if state == "A" else "2",
            "numeroVoieEtablissement": number,
            "indiceRepetitionEtablissement": indice,
            "typeVoieEtablissement": street_type,
            "libelleVoieEtablissement": street,
            "codePostalEtablissement": postal,
            "libelleCommuneEtablissement": commune,
            "codeCommuneEtablissement": insee,
            "identifiantAdresseEtablissement": address_id,
            "coordonneeLambertAbscisseEtablissement": point[0],
            "coordonneeLambertOrdonneeEtablissement": point[1],
            "dateDebut": created if state == "A" else "2021-06-30",
            "etatAdministratifEtablissement": state,
            "enseigne1Etablissement": enseigne,
            "denominationUsuelleEtablissement": denomination,
            "activitePrincipaleEtablissement": naf,
            "nomenclatureActivitePrincipaleEtablissement": nomenclature,
            "caractereEmployeurEtablissement": "O" if state == "A" else "N",
        }
    )
    if diffusion == "P":
        row.update(dict.fromkeys(PROTECTED, NOT_DIFFUSED))
    return [row[name] for name in HEADER]


CAUDEBEC = ("76165", "76320", "CAUDEBEC-LES-ELBEUF")
ELBEUF = ("76231", "76500", "ELBEUF")
SAINT_PIERRE = ("76640", "76320", "SAINT-PIERRE-LES-ELBEUF")
PARIS_4 = ("75104", "75004", "PARIS 4")
AJACCIO = ("2A004", "20000", "AJACCIO")
SAINT_DENIS = ("97411", "97400", "SAINT-DENIS")


def rows() -> list[list[str]]:
    return [
        # --- Caudebec-lès-Elbeuf: the shops that are published -----------------------------
        establishment(
            "41236587", "0001", "10.71C", ("12", "RUE", "SADI CARNOT", "76165_0580_00012"),
            CAUDEBEC, enseigne="BOULANGERIE DU CENTRE", point=lambert(1.0240, 49.2840),
            created="2009-09-01",
        ),
        establishment(
            "38912045", "0002", "47.73Z", ("2", "PL", "JEAN JAURES", "76165_0320_00002"),
            CAUDEBEC, enseigne="PHARMACIE DE LA REPUBLIQUE", point=lambert(1.0262, 49.2851),
            created="1998-01-05",
        ),
        # No coordinates (INSEE could not geocode it): matched to OSM by street and number.
        establishment(
            "52103698", "0003", "47.11D", ("45", "RUE", "DE LA REPUBLIQUE", ""),
            CAUDEBEC, enseigne="CARREFOUR MARKET",
        ),
        establishment(
            "79845612", "0001", "56.10A", ("7", "PL", "JEAN JAURES", "76165_0320_00007"),
            CAUDEBEC, enseigne="LE BISTROT CAUDEBECAIS", point=lambert(1.0258, 49.2848),
            created="2016-04-12",
        ),
        establishment(
            "81234570", "0001", "96.02A", ("20", "RUE", "SADI CARNOT", "76165_0580_00020_bis"),
            CAUDEBEC, enseigne="COIFF'TIF", point=lambert(1.0231, 49.2836), indice="B",
            created="2015-02-02",
        ),
        establishment(
            "43987125", "0001", "47.26Z", ("5", "RUE", "FELIX FAURE", "76165_0210_00005"),
            CAUDEBEC, enseigne="TABAC PRESSE DE LA MAIRIE", point=lambert(1.0251, 49.2861),
        ),
        establishment(
            "50432187", "0002", "95.23Z", ("9", "RUE", "SADI CARNOT", "76165_0580_00009"),
            CAUDEBEC, enseigne="CORDONNERIE MINUTE", point=lambert(1.0236, 49.2838),
        ),
        # The name is the establishment's usual name, not an enseigne.
        establishment(
            "84561239", "0001", "96.02B", ("4", "RUE", "DU PARC", ""),
            CAUDEBEC, denomination="INSTITUT BELLE EPOQUE", created="2018-10-15",
        ),
        # No enseigne nor usual name: the shop's name is only in the legal unit's file.
        establishment(
            "75320148", "0001", "47.71Z", ("30", "RUE", "DE LA REPUBLIQUE", ""),
            CAUDEBEC, created="2013-05-20",
        ),
        establishment(
            "48812367", "0001", "56.30Z", ("1", "AV", "DU MARECHAL LECLERC", "76165_0040_00001"),
            CAUDEBEC, enseigne="LE BALTO", point=lambert(1.0290, 49.2870),
        ),
        # --- Caudebec-lès-Elbeuf: rows the dataset must leave out -----------------------------
        # Closed in 2021 (OpenStreetMap still has it).
        establishment(
            "40125836", "0001", "47.22Z", ("14", "RUE", "SADI CARNOT", "76165_0580_00014"),
            CAUDEBEC, enseigne="BOUCHERIE LEFEVRE", state="F", created="1987-02-01",
        ),
        # Active but not a shop: an accountant, a distance seller, a market stall holder.
        establishment(
            "39874521", "0001", "69.20Z", ("3", "RUE", "FELIX FAURE", "76165_0210_00003"),
            CAUDEBEC, enseigne="CABINET COMPTABLE DE LA SEINE",
        ),
        establishment(
            "89012347", "0001", "47.91B", ("8", "RUE", "DU PARC", "76165_0450_00008"),
            CAUDEBEC, enseigne="CAUDEBEC VENTE EN LIGNE",
        ),
        establishment(
            "82345671", "0001", "47.81Z", ("16", "RUE", "DES CHAMPS", "76165_0120_00016"),
            CAUDEBEC, enseigne="PRIMEUR DES MARCHES",
        ),
        # An individual hairdresser in partial diffusion: protected fields read [ND].
        establishment(
            "85274196", "0001", "96.02A", ("", "", "", ""),
            CAUDEBEC, diffusion="P", created="2019-09-09",
        ),
        # Active since before 2008, still coded in NAF rév. 1 (52.1D: supermarchés).
        establishment(
            "31245678", "0004", "52.1D", ("2", "RUE", "DES CHAMPS", "76165_0120_00002"),
            CAUDEBEC, enseigne="ALIMENTATION DES CHAMPS", nomenclature="NAFRev1",
            created="1992-06-01",
        ),
        # --- Elbeuf ------------------------------------------------------------------------
        establishment(
            "41785236", "0001", "10.71C", ("15", "RUE", "HENRY", "76231_0300_00015"),
            ELBEUF, enseigne="BOULANGERIE DU CENTRE", point=lambert(1.0080, 49.2880),
        ),
        establishment(
            "44512398", "0001", "47.61Z", ("22", "CRS", "CARNOT", "76231_0110_00022"),
            ELBEUF, enseigne="LIBRAIRIE DU COURS CARNOT", point=lambert(1.0100, 49.2900),
        ),
        establishment(
            "46321879", "0001", "56.30Z", ("3", "PL", "DU CALVAIRE", "76231_0090_00003"),
            ELBEUF, enseigne="LE CAFE DES ARTS", point=lambert(1.0060, 49.2860),
        ),
        establishment(
            "47123985", "0001", "47.64Z", ("40", "RUE", "HENRY", "76231_0300_00040"),
            ELBEUF, enseigne="SPORT ELBEUF", state="F",
        ),
        # --- other communes: never in a Caudebec or Elbeuf dataset --------------------------
        establishment(
            "49321578", "0001", "47.11D", ("2", "RUE", "DE CAUDEBEC", "76640_0100_00002"),
            SAINT_PIERRE, enseigne="INTERMARCHE SAINT PIERRE", point=lambert(1.0500, 49.2750),
        ),
        establishment(
            "51234987", "0001", "10.71C", ("18", "RUE", "SAINT ANTOINE", "75104_8555_00018"),
            PARIS_4, enseigne="BOULANGERIE DU MARAIS", point=lambert(2.3560, 48.8540),
        ),
        establishment(
            "52987413", "0001", "10.71C", ("4", "QUAI", "NAPOLEON", "2A004_0500_00004"),
            AJACCIO, enseigne="BOULANGERIE DU PORT", point=lambert(8.7380, 41.9200),
        ),
        # Overseas coordinates are UTM zone 40S metres, not Lambert-93.
        establishment(
            "53741258", "0001", "47.73Z", ("12", "RUE", "DE PARIS", "97411_1400_00012"),
            SAINT_DENIS, enseigne="PHARMACIE DU BARACHOIS", point=("338541.6", "7690772.3"),
        ),
    ]  # fmt: skip


def write(folder: Path) -> list[Path]:
    target = output_folder(folder) / "StockEtablissement_utf8.zip"
    content = csv_text(HEADER, rows(), ",").encode("utf-8")
    write_zip(target, {"StockEtablissement_utf8.csv": content})
    return [target]
