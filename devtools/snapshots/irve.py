"""IRVE national consolidation: `consolidation-etalab-schema-irve-statique-v-2.3.1-<date>.csv`.

Comma, UTF-8, the 40 schema fields then 12 consolidation fields, one row per charging point.
The quirks of the real file are here on purpose: a duplicated `id_pdc_itinerance`, a producer
writing `oui`/`non` and French dates, a point without `code_insee_commune` whose coordinates
lie inside Caudebec-lès-Elbeuf, one in Saint-Pierre inside Caudebec's bounding box, spaces in
`coordonneesXY`. Operators, stations and identifiers are SAMPLES.
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import csv_text, output_folder

SCHEMA_FIELDS = [
    "nom_amenageur",
    "siren_amenageur",
    "contact_amenageur",
    "nom_operateur",
    "contact_operateur",
    "telephone_operateur",
    "nom_enseigne",
    "id_station_itinerance",
    "id_station_local",
    "nom_station",
    "implantation_station",
    "adresse_station",
    "code_insee_commune",
    "coordonneesXY",
    "nbre_pdc",
    "id_pdc_itinerance",
    "id_pdc_local",
    "puissance_nominale",
    "prise_type_ef",
    "prise_type_2",
    "prise_type_combo_ccs",
    "prise_type_chademo",
    "prise_type_autre",
    "gratuit",
    "paiement_acte",
    "paiement_cb",
    "paiement_autre",
    "tarification",
    "condition_acces",
    "reservation",
    "horaires",
    "accessibilite_pmr",
    "restriction_gabarit",
    "station_deux_roues",
    "raccordement",
    "num_pdl",
    "date_mise_en_service",
    "observations",
    "date_maj",
    "cable_t2_attache",
]
CONSOLIDATION_FIELDS = [
    "last_modified",
    "datagouv_dataset_id",
    "datagouv_resource_id",
    "datagouv_organization_or_owner",
    "created_at",
    "consolidated_longitude",
    "consolidated_latitude",
    "consolidated_code_postal",
    "consolidated_commune",
    "consolidated_is_lon_lat_correct",
    "consolidated_is_code_insee_verified",
    "consolidated_is_code_insee_modified",
]
HEADER = SCHEMA_FIELDS + CONSOLIDATION_FIELDS

# What most points share; each station below overrides what differs.
COMMON = {
    "nom_amenageur": "Métropole Rouen Normandie (exemple)",
    "siren_amenageur": "200023414",
    "contact_amenageur": "mobilite@exemple-metropole.fr",
    "nom_operateur": "Opérateur Exemple",
    "contact_operateur": "support@exemple-operateur.fr",
    "telephone_operateur": "0232000000",
    "nom_enseigne": "Réseau Exemple",
    "id_station_local": "",
    "implantation_station": "Voirie",
    "prise_type_ef": "true",
    "prise_type_2": "true",
    "prise_type_combo_ccs": "false",
    "prise_type_chademo": "false",
    "prise_type_autre": "false",
    "gratuit": "false",
    "paiement_acte": "true",
    "paiement_cb": "true",
    "paiement_autre": "true",
    "tarification": "0,30 €/kWh",
    "condition_acces": "Accès libre",
    "reservation": "false",
    "horaires": "24/7",
    "accessibilite_pmr": "Accessible mais non réservé PMR",
    "restriction_gabarit": "Pas de restriction",
    "station_deux_roues": "false",
    "raccordement": "Direct",
    "num_pdl": "",
    "date_mise_en_service": "2021-06-15",
    "observations": "Données d'exemple (échantillon)",
    "date_maj": "2022-10-03",
    "cable_t2_attache": "false",
    "last_modified": "2022-10-03T08:12:44.000000+00:00",
    "datagouv_dataset_id": "5f5a0c9b1e6f3b1b5c0e0001",
    "datagouv_resource_id": "7c1c9a3e-2a0b-4c55-9d8e-000000000001",
    "datagouv_organization_or_owner": "exemple-metropole",
    "created_at": "2021-06-20T09:00:00.000000+00:00",
    "consolidated_is_lon_lat_correct": "True",
    "consolidated_is_code_insee_verified": "True",
    "consolidated_is_code_insee_modified": "False",
}


def _point(station: dict[str, str], number: int, **overrides: str) -> dict[str, str]:
    row = {**COMMON, **station, **overrides}
    row["id_pdc_itinerance"] = overrides.get(
        "id_pdc_itinerance", f"{row['id_station_itinerance'].replace('P', 'E', 1)}{number}"
    )
    row["id_pdc_local"] = row.get("id_pdc_local", "")
    return row


def _station(
    station_id: str,
    name: str,
    address: str,
    insee: str,
    lon: float,
    lat: float,
    postal: str,
    commune: str,
    points: int,
    **extra: str,
) -> dict[str, str]:
    return {
        "id_station_itinerance": station_id,
        "nom_station": name,
        "adresse_station": address,
        "code_insee_commune": insee,
        "coordonneesXY": f"[{lon},{lat}]",
        "nbre_pdc": str(points),
        "consolidated_longitude": str(lon),
        "consolidated_latitude": str(lat),
        "consolidated_code_postal": postal,
        "consolidated_commune": commune,
        **extra,
    }


def rows() -> list[dict[str, str]]:
    mairie = _station(
        "FRS76P76165001",
        "Caudebec - Place de la Mairie",
        "Place Jean Jaurès 76320 Caudebec-lès-Elbeuf",
        "76165",
        1.0231,
        49.2836,
        "76320",
        "Caudebec-lès-Elbeuf",
        2,
        puissance_nominale="22",
    )
    gare = _station(
        "FRS76P76165002",
        "Caudebec - Rue de la République",
        "12 Rue de la République 76320 Caudebec-lès-Elbeuf",
        "76165",
        1.0268,
        49.2811,
        "76320",
        "Caudebec-lès-Elbeuf",
        2,
        puissance_nominale="22",
    )
    # Another producer: oui/non booleans, French dates, a space in the coordinates.
    commerce = _station(
        "FRXYZP0001",
        "Supermarché Exemple Caudebec",
        "5 Rue Sadi Carnot 76320 Caudebec-lès-Elbeuf",
        "76165",
        1.0302,
        49.2869,
        "76320",
        "Caudebec-lès-Elbeuf",
        1,
        puissance_nominale="50.0",
        nom_amenageur="Enseigne Exemple SAS",
        siren_amenageur="552100554",
        nom_enseigne="Enseigne Exemple",
        implantation_station="Parking privé à usage public",
        prise_type_combo_ccs="oui",
        prise_type_ef="non",
        prise_type_2="oui",
        gratuit="oui",
        paiement_acte="non",
        reservation="non",
        station_deux_roues="non",
        cable_t2_attache="non",
        date_mise_en_service="02/05/2022",
        date_maj="15/09/2022",
    )
    commerce["coordonneesXY"] = "[1.0302, 49.2869]"
    # No INSEE code: only the coordinates place it in Caudebec-lès-Elbeuf.
    sans_code = _station(
        "FRS76P76165003",
        "Caudebec - Parking du Parc",
        "Rue du Parc 76320 Caudebec-lès-Elbeuf",
        "",
        1.025,
        49.284,
        "76320",
        "",
        1,
        puissance_nominale="7.4",
    )
    elbeuf = _station(
        "FRS76P76231001",
        "Elbeuf - Cours Carnot",
        "Cours Carnot 76500 Elbeuf",
        "76231",
        1.0086,
        49.2867,
        "76500",
        "Elbeuf",
        2,
        puissance_nominale="22",
    )
    elbeuf_sans_code = _station(
        "FRS76P76231002",
        "Elbeuf - Quai",
        "Quai Hamelin 76500 Elbeuf",
        "",
        1.0,
        49.29,
        "76500",
        "",
        1,
        puissance_nominale="22",
    )
    # Saint-Pierre, under Caudebec's south-east edge: inside its box, outside its outline.
    saint_pierre = _station(
        "FRS76P76640001",
        "Saint-Pierre - Rue de Caudebec",
        "Rue de Caudebec 76320 Saint-Pierre-lès-Elbeuf",
        "",
        1.0355,
        49.2712,
        "76320",
        "Saint-Pierre-lès-Elbeuf",
        1,
        puissance_nominale="22",
    )
    paris = _station(
        "FRV75P75056001",
        "Paris - Rue de Rivoli",
        "1 Rue de Rivoli 75001 Paris",
        "75056",
        2.3522,
        48.8566,
        "75001",
        "Paris",
        2,
        puissance_nominale="3.7",
    )
    ajaccio = _station(
        "FRS2AP2A004001",
        "Ajaccio - Cours Napoléon",
        "Cours Napoléon 20000 Ajaccio",
        "2A004",
        8.7369,
        41.9192,
        "20000",
        "Ajaccio",
        1,
        puissance_nominale="22",
    )
    saint_denis = _station(
        "FRS97P97411001",
        "Saint-Denis - Barachois",
        "Le Barachois 97400 Saint-Denis",
        "97411",
        55.4504,
        -20.8823,
        "97400",
        "Saint-Denis",
        1,
        puissance_nominale="22",
    )
    return [
        _point(mairie, 1),
        _point(mairie, 2),
        _point(gare, 1),
        _point(gare, 2),
        # The consolidation keeps both versions of a point republished by its producer.
        _point(
            gare,
            2,
            last_modified="2022-10-28T08:12:44.000000+00:00",
            date_maj="2022-10-28",
            tarification="0,35 €/kWh",
        ),
        _point(commerce, 1),
        _point(sans_code, 1),
        _point(elbeuf, 1),
        _point(elbeuf, 2),
        _point(elbeuf_sans_code, 1),
        _point(saint_pierre, 1),
        _point(paris, 1),
        _point(paris, 2),
        _point(ajaccio, 1),
        _point(saint_denis, 1),
    ]


def write(folder: Path) -> list[Path]:
    target = (
        output_folder(folder) / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
    )
    content = csv_text(HEADER, [[row[name] for name in HEADER] for row in rows()], ",")
    target.write_text(content, encoding="utf-8")
    return [target]
