"""The published table of the commune's shops (no official schema exists for it), and the list
of activities that make an establishment a shop.

`NAF_LABELS` is the documented list: `assets.py` keeps the establishments whose NAF code is in
it, and the check fails on any row whose code is not (the filter or the list would be wrong).
"""

import pandera.pandas as pa
from pandera.typing import Series

from cle_pipeline.lib.settings import INSEE_COMMUNE_CODE

# NAF rév. 2 (the nomenclature of `activitePrincipaleEtablissement` until INSEE switches to
# NAF 2025 in January 2027) subclasses of places a resident walks into to buy something or be
# served, with INSEE's labels. What is left out, and why, is said beside each group.
NAF_LABELS = {
    # Craftsmen who sell what they make in their shop are classified in manufacturing (section
    # C), not in retail: without these, the bakeries and charcuteries would be missing.
    "10.13B": "Charcuterie",
    "10.71C": "Boulangerie et boulangerie-pâtisserie",
    "10.71D": "Pâtisserie",
    # Retail in stores (division 47). Left out: 47.81Z, 47.82Z and 47.89Z (stalls and markets:
    # no shop, and the registered address is often the trader's home), 47.91A and 47.91B
    # (distance selling), 47.99A and 47.99B (door-to-door and other non-store retail).
    "47.11A": "Commerce de détail de produits surgelés",
    "47.11B": "Commerce d'alimentation générale",
    "47.11C": "Supérettes",
    "47.11D": "Supermarchés",
    "47.11E": "Magasins multi-commerces",
    "47.11F": "Hypermarchés",
    "47.19A": "Grands magasins",
    "47.19B": "Autres commerces de détail en magasin non spécialisé",
    "47.21Z": "Commerce de détail de fruits et légumes en magasin spécialisé",
    "47.22Z": "Commerce de détail de viandes et de produits à base de viande en magasin spécialisé",
    "47.23Z": "Commerce de détail de poissons, crustacés et mollusques en magasin spécialisé",
    "47.24Z": "Commerce de détail de pain, pâtisserie et confiserie en magasin spécialisé",
    "47.25Z": "Commerce de détail de boissons en magasin spécialisé",
    "47.26Z": "Commerce de détail de produits à base de tabac en magasin spécialisé",
    "47.29Z": "Autres commerces de détail alimentaires en magasin spécialisé",
    "47.30Z": "Commerce de détail de carburants en magasin spécialisé",
    "47.41Z": "Commerce de détail d'ordinateurs, d'unités périphériques et de logiciels en "
    "magasin spécialisé",
    "47.42Z": "Commerce de détail de matériels de télécommunication en magasin spécialisé",
    "47.43Z": "Commerce de détail de matériels audio et vidéo en magasin spécialisé",
    "47.51Z": "Commerce de détail de textiles en magasin spécialisé",
    "47.52A": "Commerce de détail de quincaillerie, peintures et verres en petites surfaces "
    "(moins de 400 m²)",
    "47.52B": "Commerce de détail de quincaillerie, peintures et verres en grandes surfaces "
    "(400 m² et plus)",
    "47.53Z": "Commerce de détail de tapis, moquettes et revêtements de murs et de sols en "
    "magasin spécialisé",
    "47.54Z": "Commerce de détail d'appareils électroménagers en magasin spécialisé",
    "47.59A": "Commerce de détail de meubles",
    "47.59B": "Commerce de détail d'autres équipements du foyer",
    "47.61Z": "Commerce de détail de livres en magasin spécialisé",
    "47.62Z": "Commerce de détail de journaux et papeterie en magasin spécialisé",
    "47.63Z": "Commerce de détail d'enregistrements musicaux et vidéo en magasin spécialisé",
    "47.64Z": "Commerce de détail d'articles de sport en magasin spécialisé",
    "47.65Z": "Commerce de détail de jeux et jouets en magasin spécialisé",
    "47.71Z": "Commerce de détail d'habillement en magasin spécialisé",
    "47.72A": "Commerce de détail de la chaussure",
    "47.72B": "Commerce de détail de maroquinerie et d'articles de voyage",
    "47.73Z": "Commerce de détail de produits pharmaceutiques en magasin spécialisé",
    "47.74Z": "Commerce de détail d'articles médicaux et orthopédiques en magasin spécialisé",
    "47.75Z": "Commerce de détail de parfumerie et de produits de beauté en magasin spécialisé",
    "47.76Z": "Commerce de détail de fleurs, plantes, graines, engrais, animaux de compagnie "
    "et aliments pour ces animaux en magasin spécialisé",
    "47.77Z": "Commerce de détail d'articles d'horlogerie et de bijouterie en magasin spécialisé",
    "47.78A": "Commerces de détail d'optique",
    "47.78B": "Commerces de détail de charbons et combustibles",
    "47.78C": "Autres commerces de détail spécialisés divers",
    "47.79Z": "Commerce de détail de biens d'occasion en magasin",
    # Food service open to the public (division 56). Left out: 56.21Z (event caterers),
    # 56.29A and 56.29B (contract catering for canteens: not open to the public).
    "56.10A": "Restauration traditionnelle",
    "56.10B": "Cafétérias et autres libres-services",
    "56.10C": "Restauration de type rapide",
    "56.30Z": "Débits de boissons",
    # Repair of personal and household goods (group 95.2): cobblers, watchmakers, phone and
    # appliance repairers, who keep a shop.
    "95.21Z": "Réparation de produits électroniques grand public",
    "95.22Z": "Réparation d'appareils électroménagers et d'équipements pour la maison et le jardin",
    "95.23Z": "Réparation de chaussures et d'articles en cuir",
    "95.24Z": "Réparation de meubles et d'équipements du foyer",
    "95.25Z": "Réparation d'articles d'horlogerie et de bijouterie",
    "95.29Z": "Réparation d'autres biens personnels et domestiques",
    # Personal services with premises open to the public (division 96). Left out: 96.01A
    # (industrial laundries), 96.03Z (funeral services), 96.09Z (a catch-all: astrologers,
    # dating agencies, pet sitters, mostly without premises).
    "96.01B": "Blanchisserie-teinturerie de détail",
    "96.02A": "Coiffure",
    "96.02B": "Soins de beauté",
    "96.04Z": "Entretien corporel",
}

# Where the hours come from, in the file's language: OpenStreetMap, the commune's file, or
# nowhere (`aucune`: hours unknown).
NO_HOURS = "aucune"
HOURS_SOURCES = ["osm", "commune", NO_HOURS]


class Commerces(pa.DataFrameModel):
    """One row per shop (SIRET), with its place and opening hours when known."""

    siret: Series[str] = pa.Field(
        str_matches=r"^\d{14}$", description="SIRET de l'établissement (répertoire Sirene)"
    )
    nom: Series[str] = pa.Field(
        nullable=True,
        str_length={"min_value": 1},
        description="Enseigne, à défaut nom usuel de l'établissement (Sirene), à défaut nom "
        "du commerce dans OpenStreetMap",
    )
    activite_naf: Series[str] = pa.Field(
        isin=sorted(NAF_LABELS),
        description="Activité principale de l'établissement, code NAF rév. 2 (APE)",
    )
    libelle_activite: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Libellé NAF rév. 2 de l'activité"
    )
    adresse: Series[str] = pa.Field(
        nullable=True,
        str_length={"min_value": 1},
        description="Numéro et voie de l'établissement (Sirene)",
    )
    code_postal: Series[str] = pa.Field(
        str_matches=r"^\d{5}$", nullable=True, description="Code postal (Sirene)"
    )
    code_commune_insee: Series[str] = pa.Field(
        str_matches=INSEE_COMMUNE_CODE.pattern, description="Code INSEE de la commune"
    )
    nom_commune: Series[str] = pa.Field(str_length={"min_value": 1}, description="Nom officiel")
    latitude: Series[float] = pa.Field(
        ge=-90,
        le=90,
        nullable=True,
        description="Latitude WGS84 du commerce dans OpenStreetMap, quand il y est retrouvé",
    )
    longitude: Series[float] = pa.Field(
        ge=-180,
        le=180,
        nullable=True,
        description="Longitude WGS84 du commerce dans OpenStreetMap, quand il y est retrouvé",
    )
    horaires_osm: Series[str] = pa.Field(
        nullable=True,
        str_length={"min_value": 1},
        description="Horaires d'ouverture dans la syntaxe opening_hours d'OpenStreetMap",
    )
    source_horaires: Series[str] = pa.Field(
        isin=HOURS_SOURCES,
        description="D'où viennent les horaires : osm (OpenStreetMap), commune (fichier "
        "de la commune), aucune (horaires inconnus)",
    )

    class Config:
        strict = True
        ordered = True
