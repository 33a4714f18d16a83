"""The charts the students drew on day 5, one asset per family (group `valorisation`).

Each family reads the released CSV of its datasets (only files whose checks passed, as the
publisher does: `lib/release.read_release`), builds its charts with pure functions of those
tables (tested without Dagster), renders them (`lib/charts.py`) into
`data/published/<commune>/graphiques/` and shows each one, image and data table, in the asset's
metadata: the image on the asset's page itself, without a click (`lib/ui_files.py` says how).

- `graphiques/elections`: for each election (presidential, legislative) and round, the votes
  per candidate (per nuance for the legislative) in the commune and per polling station; the
  turnout per station;
- `graphiques/conseil_municipal`: seats by function and by sex (parity);
- `graphiques/effectifs_scolaires`: pupils per school and level in 2022; the commune's total
  per school year;
- `graphiques/naissances_deces`: births and deaths per year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dagster as dg
import pandas as pd

from cle_pipeline.defs.publishing.sheets import load_sheet
from cle_pipeline.lib.changelog import read_published_csv
from cle_pipeline.lib.charts import Chart, field, render
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.release import read_release
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline.lib.settings import CommuneSettings

GROUP = "valorisation"
CHARTS_FOLDER = "graphiques"
ELECTIONS = {
    "elections_presidentielle_2022": ("Présidentielle 2022", "candidat"),
    "elections_legislatives_2022": ("Législatives 2022", "nuance"),
}
ROUNDS = {"1": "1er tour", "2": "2d tour"}
LEVELS = {
    "nombre_eleves_preelementaire_hors_ulis": "Maternelle",
    "nombre_eleves_cp_hors_ulis": "CP",
    "nombre_eleves_ce1_hors_ulis": "CE1",
    "nombre_eleves_ce2_hors_ulis": "CE2",
    "nombre_eleves_cm1_hors_ulis": "CM1",
    "nombre_eleves_cm2_hors_ulis": "CM2",
    "nombre_eleves_ulis": "ULIS",
}
SEXES = {"F": "Femmes", "M": "Hommes"}
FUNCTIONS = ["Maire", "Maire délégué", "Adjoint au maire", "Conseiller municipal"]


# The source line under each chart: who published the figures, shortly (the dataset's sheet,
# linked beside the chart on the site, names every file).
SOURCES = {
    "elections_presidentielle_2022": "ministère de l'Intérieur, résultats par bureau de vote",
    "elections_legislatives_2022": "ministère de l'Intérieur, résultats par bureau de vote",
    "elus": "ministère de l'Intérieur, répertoire national des élus",
    "effectifs_scolaires_2022": "ministère de l'Éducation nationale, effectifs par école",
    "evolution_effectifs_scolaires": "ministère de l'Éducation nationale, effectifs par école",
    "naissances_deces": "INSEE, état civil",
}


def source_of(dataset_id: str) -> str:
    """The line under a chart: who published the figures, and the dataset they come from."""
    return f"{SOURCES[dataset_id]} ({load_sheet(dataset_id).title.lower()}, cle-pipeline)"


def _numbers(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame.assign(**{c: pd.to_numeric(frame[c], errors="coerce") for c in columns})


def candidate_label(rows: pd.DataFrame, by: str) -> pd.Series:
    """`Prénom NOM` of each row's candidate, or its nuance for the legislative elections."""
    if by == "nuance":
        return rows["nuance"]
    return rows["prenom"].str.strip() + " " + rows["nom"].str.strip()


def election_charts(results: pd.DataFrame, dataset_id: str) -> list[Chart]:
    """Votes per candidate (or nuance) in the commune and per station, per round; turnout per
    station and round. `results` is the published CSV (text)."""
    election, by = ELECTIONS[dataset_id]
    source = source_of(dataset_id)
    who = "Candidat" if by == "candidat" else "Nuance"
    results = _numbers(results, ["voix", "inscrits", "votants"])
    results = results.assign(**{who: candidate_label(results, by)})
    charts = []
    for round_number, round_label in ROUNDS.items():
        rows = results[results["tour"] == round_number]
        if rows.empty:
            continue
        commune = (
            rows.groupby(who, sort=False)["voix"]
            .sum()
            .reset_index()
            .rename(columns={"voix": "Voix"})
            .sort_values(["Voix", who], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )
        charts.append(
            Chart(
                name=f"{dataset_id}_t{round_number}_voix",
                title=f"{election}, {round_label} : voix par {by} dans la commune",
                source=source,
                data=commune,
                mark={"type": "bar", "tooltip": True},
                encoding={
                    "y": field(who, "nominal", sort="-x"),
                    "x": field("Voix", "quantitative", "Voix (toute la commune)"),
                },
                height=max(120, 24 * len(commune)),
            )
        )
        stations = (
            rows.rename(columns={"code_bureau": "Bureau de vote", "voix": "Voix"})[
                ["Bureau de vote", who, "Voix"]
            ]
            .groupby(["Bureau de vote", who], sort=False)["Voix"]
            .sum()
            .reset_index()
        )
        charts.append(
            Chart(
                name=f"{dataset_id}_t{round_number}_bureaux",
                title=f"{election}, {round_label} : voix par {by} et par bureau de vote",
                source=source,
                data=stations,
                mark={"type": "bar", "tooltip": True},
                encoding={
                    "x": field("Bureau de vote", "nominal"),
                    "y": field("Voix", "quantitative", stack="zero"),
                    "color": field(who, "nominal", scale={"scheme": "tableau20"}),
                },
            )
        )
    turnout = (
        results.drop_duplicates(["tour", "code_bureau"])
        .assign(
            Tour=lambda frame: frame["tour"].map(ROUNDS),
            Participation=lambda frame: (frame["votants"] / frame["inscrits"] * 100).round(2),
        )
        .rename(columns={"code_bureau": "Bureau de vote"})[
            ["Tour", "Bureau de vote", "Participation"]
        ]
        .reset_index(drop=True)
    )
    charts.append(
        Chart(
            name=f"{dataset_id}_participation",
            title=f"{election} : participation par bureau de vote (votants / inscrits, en %)",
            source=source,
            data=turnout,
            mark={"type": "bar", "tooltip": True},
            encoding={
                "x": field("Bureau de vote", "nominal"),
                "xOffset": field("Tour", "nominal"),
                "y": field("Participation", "quantitative", "Participation (%)"),
                "color": field("Tour", "nominal"),
            },
        )
    )
    return charts


def function_category(function: str) -> str:
    """`3ème adjoint au Maire` → `Adjoint au maire`; Maire, Maire délégué, conseiller as is."""
    if "adjoint" in function.lower():
        return "Adjoint au maire"
    return function


def council_charts(council: pd.DataFrame) -> list[Chart]:
    """Seats by function and sex, and the council's parity."""
    source = source_of("elus")
    seats = council.assign(Fonction=council["fonction"].map(function_category))
    seats["Sexe"] = seats["sexe"].map(SEXES)
    by_function = seats.groupby(["Fonction", "Sexe"], sort=False).size().reset_index(name="Sièges")
    parity = seats.groupby("Sexe", sort=False).size().reset_index(name="Sièges")
    return [
        Chart(
            name="elus_fonctions",
            title="Conseil municipal : sièges par fonction et par sexe",
            source=source,
            data=by_function,
            mark={"type": "bar", "tooltip": True},
            encoding={
                "y": field("Fonction", "nominal", sort=FUNCTIONS),
                "x": field("Sièges", "quantitative", stack="zero"),
                "color": field("Sexe", "nominal"),
            },
            height=160,
        ),
        Chart(
            name="elus_parite",
            title="Conseil municipal : parité (sièges par sexe)",
            source=source,
            data=parity,
            mark={"type": "bar", "tooltip": True},
            encoding={
                "x": field("Sexe", "nominal"),
                "y": field("Sièges", "quantitative"),
                "color": field("Sexe", "nominal", legend=None),
            },
            height=200,
        ),
    ]


def school_charts(enrolments_2022: pd.DataFrame, evolution: pd.DataFrame) -> list[Chart]:
    """Pupils per school and level in 2022; the commune's total per school year."""
    schools = _numbers(enrolments_2022, list(LEVELS))
    schools["École"] = (
        schools["denomination_principale"].str.strip() + " " + schools["patronyme"].str.strip()
    ).str.strip()
    per_level = (
        schools.melt(
            id_vars=["École"], value_vars=list(LEVELS), var_name="niveau", value_name="Élèves"
        )
        .assign(Niveau=lambda frame: frame["niveau"].map(LEVELS))[["École", "Niveau", "Élèves"]]
        .fillna({"Élèves": 0})
    )
    per_level = per_level[per_level["Élèves"] > 0].reset_index(drop=True)
    totals = _numbers(
        evolution[evolution["niveau_agregation"] == "commune"], ["nombre_total_eleves"]
    )
    per_year = totals.rename(
        columns={"rentree_scolaire": "Rentrée", "nombre_total_eleves": "Élèves"}
    )[["Rentrée", "Élèves"]].reset_index(drop=True)
    return [
        Chart(
            name="effectifs_scolaires_2022_ecoles",
            title="Rentrée 2022 : élèves par école et par niveau",
            source=source_of("effectifs_scolaires_2022"),
            data=per_level,
            mark={"type": "bar", "tooltip": True},
            encoding={
                "y": field("École", "nominal"),
                "x": field("Élèves", "quantitative", stack="zero"),
                "color": field("Niveau", "nominal", sort=list(LEVELS.values())),
                "order": {"field": "rang", "type": "quantitative"},
            },
            # Levels stacked in school order (maternelle first), not alphabetically.
            transform=(
                {"calculate": f"indexof({list(LEVELS.values())}, datum.Niveau)", "as": "rang"},
            ),
            height=max(120, 40 * schools["École"].nunique()),
        ),
        Chart(
            name="evolution_effectifs_scolaires_commune",
            title="Élèves des écoles de la commune, par rentrée scolaire",
            source=source_of("evolution_effectifs_scolaires"),
            data=per_year,
            mark={"type": "line", "point": True, "tooltip": True},
            encoding={
                "x": field("Rentrée", "ordinal", "Rentrée scolaire"),
                "y": field("Élèves", "quantitative", "Élèves (toute la commune)"),
            },
        ),
    ]


def births_deaths_charts(births_deaths: pd.DataFrame) -> list[Chart]:
    """Births and deaths per year, as two lines (a year INSEE did not publish is a gap)."""
    table = _numbers(births_deaths, ["naissances", "deces"]).rename(
        columns={"annee": "Année", "naissances": "Naissances", "deces": "Décès"}
    )
    long = table.melt(
        id_vars=["Année"], value_vars=["Naissances", "Décès"], var_name="Événement",
        value_name="Nombre",
    )  # fmt: skip
    return [
        Chart(
            name="naissances_deces",
            title="Naissances et décès domiciliés dans la commune, par année",
            source=source_of("naissances_deces"),
            data=long,
            mark={"type": "line", "point": True, "tooltip": True},
            encoding={
                "x": field("Année", "ordinal"),
                "y": field("Nombre", "quantitative"),
                "color": field("Événement", "nominal"),
            },
        )
    ]


def chart_families() -> list[tuple[str, str, list[str]]]:
    """(family, French title, its charts' names in order), as the site presents them."""
    elections = [
        f"{dataset_id}_{part}"
        for dataset_id in ELECTIONS
        for part in ("t1_voix", "t1_bureaux", "t2_voix", "t2_bureaux", "participation")
    ]
    return [
        ("elections", "Élections de 2022", elections),
        ("conseil_municipal", "Le conseil municipal", ["elus_fonctions", "elus_parite"]),
        (
            "effectifs_scolaires",
            "Les effectifs scolaires",
            ["effectifs_scolaires_2022_ecoles", "evolution_effectifs_scolaires_commune"],
        ),
        ("naissances_deces", "Naissances et décès", ["naissances_deces"]),
    ]


def chart_asset(
    family: str,
    dataset_ids: Sequence[str],
    build: Callable[..., list[Chart]],
    description: str,
) -> dg.AssetsDefinition:
    """The asset drawing `family`'s charts from the released CSV of `dataset_ids` (passed to
    `build` in that order)."""

    @commune_asset(
        key=dg.AssetKey([CHARTS_FOLDER, family]),
        group_name=GROUP,
        deps=[release_key(dataset_id) for dataset_id in dataset_ids],
        owners=OWNERS,
        kinds={"vegalite", "svg"},
        description=description,
        automation_condition=dg.AutomationCondition.eager(),
    )
    def _charts(context, settings: CommuneSettings) -> dg.MaterializeResult:
        folder = settings.published_folder(commune_of(context))
        tables = [
            read_published_csv(read_release(folder, dataset_id).csv_path)
            for dataset_id in dataset_ids
        ]
        rendered = [render(chart, folder / CHARTS_FOLDER) for chart in build(*tables)]
        metadata = {
            "charts": len(rendered),
            "folder": dg.MetadataValue.path(str(folder / CHARTS_FOLDER)),
        }
        for item in rendered:
            metadata |= item.metadata(context.instance, [CHARTS_FOLDER, commune_of(context)])
        return dg.MaterializeResult(metadata=metadata)

    return _charts


elections_charts = chart_asset(
    "elections",
    list(ELECTIONS),
    lambda presidential, legislative: [
        *election_charts(presidential, "elections_presidentielle_2022"),
        *election_charts(legislative, "elections_legislatives_2022"),
    ],
    "Graphiques des élections de 2022 (présidentielle, législatives ; deux tours) : voix par "
    "candidat ou nuance dans la commune et par bureau de vote, participation par bureau.",
)
council_charts_asset = chart_asset(
    "conseil_municipal",
    ["elus"],
    council_charts,
    "Graphiques du conseil municipal : sièges par fonction et par sexe, parité.",
)
school_charts_asset = chart_asset(
    "effectifs_scolaires",
    ["effectifs_scolaires_2022", "evolution_effectifs_scolaires"],
    school_charts,
    "Graphiques des effectifs scolaires : élèves par école et par niveau à la rentrée 2022, "
    "total de la commune par rentrée.",
)
births_deaths_charts_asset = chart_asset(
    "naissances_deces",
    ["naissances_deces"],
    births_deaths_charts,
    "Graphique des naissances et des décès par année.",
)
