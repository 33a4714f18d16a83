"""One mechanism for every published dataset: pandera model + business rules → blocking checks.

`dataset_checks` turns a dataset's pandera model and its business rules into one Dagster
multi-asset check whose results (`schema`, then one per rule) are blocking: when one fails,
nothing downstream of the dataset runs (no publication of unchecked data). A rule may instead
be a warning (`Rule(blocking=False)`, severity WARN), reported the same way but never holding
the file back. A failed result carries the number of failing rows and a sample of them as a
markdown table.

Every dataset also gets `rows_belong_to_commune`: each row names the partition's commune (its
INSEE code column, or what stands for it), so that a value of one commune can never be published
in another's folder.

Checks only check: they write nothing. The dataset's release asset (`release/<dataset_id>`,
`lib/release_asset.py`) writes its files into `data/published/<commune>/`, and only on a
materialization whose blocking checks all passed, so a failed run never replaces the last good
file with bad data, and only checked files can be published.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd
import pandera.pandas as pa

from cle_pipeline.lib.commune_steps import for_each_commune
from cle_pipeline.lib.geo import Commune, arrondissement_codes, outside_commune
from cle_pipeline.lib.inbox import SPREADSHEET_ROWS
from cle_pipeline.lib.metadata import markdown_table, table_of_rows
from cle_pipeline.lib.normalise import blank_to_none
from cle_pipeline.lib.partitions import COMMUNES, commune_of
from cle_pipeline.lib.release import previous_rows
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.sheet import DatasetSheet
from cle_pipeline.lib.volume import (
    DEFAULT_VOLUME_LIMIT,
    VOLUME_CHECK,
    VolumeLimit,
    accepted_datasets,
    volume_verdict,
)

SAMPLE_SIZE = 10
BELONGS_TO_COMMUNE = "rows_belong_to_commune"
# How a dataset's rows name their commune: the column holding its INSEE code, or a function
# `(frame, code) -> rows that do not belong to commune code`.
CommuneOfRows = str | Callable[[pd.DataFrame, str], pd.DataFrame]
# The asset of the commune a run works for: what a rule names to receive it.
COMMUNE = "commune"


@dataclass(frozen=True)
class Rule:
    """A rule of the dataset beyond its column schema, named for what it asserts.

    `failing_rows(frame)` returns the rows (or per-group summaries) that break it; an empty
    frame means the rule holds. A rule that needs more than the dataset (the `commune`, its
    legal population…) names those upstream assets in `inputs`: the check takes them as inputs
    and passes each as a keyword argument of the same name. A rule names nothing it ignores.
    A rule with `blocking=False` is a warning (severity WARN): it is reported like the others,
    in the run and the quality report, but the file is written even when it fails.
    """

    name: str
    description: str
    failing_rows: Callable[..., pd.DataFrame]
    inputs: tuple[str, ...] = ()
    blocking: bool = True


def coordinates_inside_commune(
    description: str,
    shown: Sequence[str],
    *,
    lon: str | None = None,
    lat: str | None = None,
    lon_lat: str | None = None,
    unplaced_pass: bool = False,
    row_numbers: bool = False,
) -> Rule:
    """The one rule `coordinates_inside_commune` of every dataset with positions: the rows whose
    point (`lon`/`lat` columns, or one `lon_lat` column) is outside the commune's outline or
    unreadable (see `geo.outside_commune`), with their `shown` columns, and their 1-based
    `row` when `row_numbers`."""

    def points_outside(frame: pd.DataFrame, commune: Commune) -> pd.DataFrame:
        outside = outside_commune(
            frame, commune, lon, lat, lon_lat=lon_lat, unplaced_pass=unplaced_pass
        )
        failing = frame.loc[outside, list(shown)]
        return failing.assign(row=frame.index[outside] + 1) if row_numbers else failing

    return Rule("coordinates_inside_commune", description, points_outside, inputs=(COMMUNE,))


def one_row_per(
    name: str,
    description: str,
    keys: Sequence[str] | None,
    shown: Sequence[str],
    *,
    blank_keys_pass: bool = False,
    line_column: str | None = None,
    with_index: bool = False,
) -> Rule:
    """The one uniqueness rule of the datasets: the rows whose `keys` (those of them the frame
    has; every column when None) repeat another row's, with their `shown` columns.

    `blank_keys_pass`: a row with a blank key is no duplicate (a key the open data may leave
    empty); `line_column`: the row's 1-based number under that name; `with_index`: the frame's
    index as a column (e.g. `ligne_source`, the line in the commune's file).
    """

    def repeated_rows(frame: pd.DataFrame) -> pd.DataFrame:
        present = [key for key in keys if key in frame] if keys is not None else list(frame)
        values = frame[present].map(blank_to_none) if blank_keys_pass else frame[present]
        repeated = values.duplicated(keep=False)
        if blank_keys_pass:
            repeated &= values.notna().all(axis=1)
        failing = frame.loc[repeated, [column for column in shown if column in frame]]
        if line_column:
            failing = failing.assign(**{line_column: frame.index[repeated.to_numpy()] + 1})
        return failing.reset_index() if with_index else failing

    return Rule(name, description, repeated_rows)


@dataclass(frozen=True)
class Outcome:
    """One check's verdict: its name, the failing rows (empty when it passed), its rule."""

    name: str
    failures: pd.DataFrame
    description: str
    blocking: bool = True

    @property
    def passed(self) -> bool:
        """No failing row."""
        return self.failures.empty


def schema_failures(
    model: type[pa.DataFrameModel], frame: pd.DataFrame, key: Sequence[str] = ()
) -> pd.DataFrame:
    """Every failure of `frame` against `model`: the row, its `key` (the dataset's identifying
    columns, e.g. `id_pdc_itinerance`, so that a person can find the row elsewhere than by its
    number), column, rule and bad value.

    The row is its 1-based position, in a column `row`; when the frame's index is named (e.g.
    `ligne_source`, the line of each row in a file the commune supplied), it is the index
    label itself, in a column of that name, so that the failure points into the source."""
    if frame.empty:
        # No rows, no values to infer a type from: an empty column of text is still text.
        columns = model.to_schema().columns
        frame = frame.astype(
            {name: columns[name].dtype.type for name in frame.columns if name in columns}
        )
    named = frame.index.name is not None
    label = str(frame.index.name) if named else "row"
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        rows = pd.to_numeric(cases["index"], errors="coerce")
        if not named:
            where = (rows + 1).astype("Int64")
        elif rows.notna().sum() == cases["index"].notna().sum():
            where = rows.astype("Int64")
        else:
            where = cases["index"]  # labels that are not numbers (e.g. identifiers)
        labels = cases["index"].tolist()
        found = [label_ is not None and label_ in frame.index for label_ in labels]
        located: dict[str, pd.Series] = {}
        # A file the commune supplied: the row its spreadsheet shows beside the text line.
        spreadsheet_rows = frame.attrs.get(SPREADSHEET_ROWS) if named else None
        if spreadsheet_rows:
            located[SPREADSHEET_ROWS] = pd.Series(
                [spreadsheet_rows.get(line) for line in where], index=cases.index, dtype="Int64"
            )
        for name in (name for name in key if name in frame.columns):
            located[name] = pd.Series(
                [frame.at[at, name] if ok else None for at, ok in zip(labels, found, strict=True)],
                index=cases.index,
                dtype=object,
            )
        return pd.DataFrame(
            {
                label: where,
                **located,
                "column": cases["column"],
                "rule": cases["check"].astype(str),
                "value": cases["failure_case"].astype(str),
            }
        ).reset_index(drop=True)
    return pd.DataFrame(columns=[label, *key, "column", "rule", "value"])


def evaluate(
    frame: pd.DataFrame,
    model: type[pa.DataFrameModel],
    rules: Sequence[Rule],
    commune: Commune,
    inputs: Mapping[str, Any] | None = None,
    key: Sequence[str] = (),
) -> list[Outcome]:
    """The schema and every rule against a frame; pure, so tests need no Dagster. `key`: the
    dataset's identifying columns, given with each failing row (`with_key` for the rules)."""
    outcomes = [Outcome("schema", schema_failures(model, frame, key), "pandera model")]
    for rule in rules:
        # A rule on a frame that already fails its schema may meet unexpected values.
        try:
            available = {COMMUNE: commune, **(inputs or {})}
            failures = rule.failing_rows(frame, **{name: available[name] for name in rule.inputs})
        except (KeyError, ValueError, TypeError) as error:
            failures = pd.DataFrame({"error": [f"{type(error).__name__}: {error}"]})
        failures = with_key(failures, frame, key)
        outcomes.append(Outcome(rule.name, failures, rule.description, rule.blocking))
    return outcomes


def rows_of_other_communes(frame: pd.DataFrame, code: str, commune_of_rows: CommuneOfRows):
    """The rows of `frame` that do not name commune `code` (its arrondissements count as the
    commune for Paris, Lyon and Marseille)."""
    if callable(commune_of_rows):
        return commune_of_rows(frame, code)
    codes = frame[commune_of_rows].fillna("").astype(str).str.strip()
    return frame.loc[~codes.isin([code, *arrondissement_codes(code)]), [commune_of_rows]]


def belongs_to_commune(
    frame: pd.DataFrame, commune: Commune, code: str, commune_of_rows: CommuneOfRows
) -> Outcome:
    """Every row is of the partition's commune `code`, and so is the commune it was built with."""
    description = f"Chaque ligne est de la commune {code} (celle de la partition)"
    if commune.code != code:
        failures = pd.DataFrame({"error": [f"built for commune {commune.code}, not {code}"]})
        return Outcome(BELONGS_TO_COMMUNE, failures, description)
    try:
        failures = rows_of_other_communes(frame, code, commune_of_rows)
    except (KeyError, ValueError, TypeError) as error:
        failures = pd.DataFrame({"error": [f"{type(error).__name__}: {error}"]})
    return Outcome(BELONGS_TO_COMMUNE, failures, description)


def with_key(failures: pd.DataFrame, frame: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """A rule's failing rows with the dataset's `key` columns first, when the rule left them
    out and its rows are the dataset's own: same index labels, and every column they share
    holds the same values there. A rule that re-indexed or summarised its rows is left as is:
    a wrong key would be worse than none."""
    missing = [name for name in key if name in frame.columns and name not in failures.columns]
    shared = [name for name in failures.columns if name in frame.columns]
    if failures.empty or not missing or not shared or not failures.index.isin(frame.index).all():
        return failures
    if failures.index.has_duplicates or frame.index.has_duplicates:
        return failures
    mine = frame.loc[failures.index, shared].astype(object)
    theirs = failures[shared].astype(object)
    if not (mine.where(mine.notna(), None) == theirs.where(theirs.notna(), None)).all().all():
        return failures
    return pd.concat([frame.loc[failures.index, missing], failures], axis=1)


def _result(asset_key: dg.AssetKey, outcome: Outcome, extra: dict[str, Any]) -> dg.AssetCheckResult:
    metadata: dict[str, Any] = {"failing_rows": len(outcome.failures), **extra}
    if not outcome.passed:
        # Shown inline by the UI, values exactly as they are; the markdown copy is what the
        # alerts quote.
        metadata["failing_rows_sample"] = table_of_rows(outcome.failures, SAMPLE_SIZE)
        metadata["failure_sample"] = dg.MetadataValue.md(
            markdown_table(outcome.failures, SAMPLE_SIZE)
        )
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN,
        metadata=metadata,
    )


def dataset_checks(
    sheet: DatasetSheet,
    model: type[pa.DataFrameModel],
    rules: Sequence[Rule] = (),
    volume: VolumeLimit = DEFAULT_VOLUME_LIMIT,
    *,
    commune_of_rows: CommuneOfRows,
) -> dg.AssetChecksDefinition:
    """The blocking checks of the published dataset `sheet` describes, partitioned by commune:
    the schema, every row of the partition's commune (`commune_of_rows`, see `CommuneOfRows`),
    the dataset's rules, and its row count against its last release (`volume`). They write
    nothing: the dataset's release asset does, once they passed."""
    dataset_id = sheet.dataset_id
    asset_key = dg.AssetKey(dataset_id)
    # The commune is an input of every check (rows are checked against it).
    extra_inputs = sorted({name for rule in rules for name in rule.inputs} - {COMMUNE})
    named_by = (
        f"sa colonne {commune_of_rows} est" if isinstance(commune_of_rows, str) else "elle porte"
    )
    descriptions = {
        "schema": f"Chaque ligne respecte le modèle pandera {model.__name__} (types, champs "
        "obligatoires, valeurs permises, motifs).",
        BELONGS_TO_COMMUNE: f"Chaque ligne est de la commune de la partition ({named_by} son "
        "code INSEE) : une valeur construite pour une autre commune n'est jamais publiée ici.",
        **{rule.name: rule.description for rule in rules},
        VOLUME_CHECK: "Le jeu n'est pas vidé et ne perd pas plus de "
        f"{volume.max_drop:.0%} des lignes de sa dernière publication ({volume.reason}), sauf "
        "si `CLE_ACCEPT_DROP` le nomme.",
    }
    warnings = {rule.name for rule in rules if not rule.blocking}
    specs = [
        dg.AssetCheckSpec(
            name,
            asset=asset_key,
            blocking=name not in warnings,
            description=text,
            additional_deps=["commune", *extra_inputs],
            partitions_def=COMMUNES,
        )
        for name, text in descriptions.items()
    ]

    @dg.multi_asset_check(
        name=f"{dataset_id}_checks",
        specs=specs,
        ins={
            "frame": dg.AssetIn(key=asset_key),
            "commune": dg.AssetIn(key="commune"),
            **{name: dg.AssetIn(key=name) for name in extra_inputs},
        },
        description=f"Contrôles de {dataset_id} ; ils n'écrivent rien : quand les contrôles "
        f"bloquants passent, release/{dataset_id} écrit {dataset_id}.csv dans le dossier des "
        "fichiers publiés.",
    )
    @for_each_commune
    def _checks(
        context: dg.AssetCheckExecutionContext,
        settings: CommuneSettings,
        frame: pd.DataFrame,
        commune: Commune,
        **inputs: Any,
    ):
        code = commune_of(context)
        verdict = volume_verdict(
            dataset_id,
            len(frame),
            previous_rows(settings.published_folder(code), dataset_id),
            volume,
            accepted_datasets(settings.accept_drop),
        )
        outcomes = [
            *evaluate(frame, model, rules, commune, inputs, key=sheet.key),
            Outcome(VOLUME_CHECK, verdict.failures, descriptions[VOLUME_CHECK]),
        ]
        outcomes.insert(1, belongs_to_commune(frame, commune, code, commune_of_rows))
        failed = [o.name for o in outcomes if o.blocking and not o.passed]
        if failed:
            context.log.error(
                f"{dataset_id}: checks failed ({', '.join(failed)}); release/{dataset_id} will not "
                "run, the files published before are kept"
            )
        extra = {VOLUME_CHECK: verdict.metadata()}
        for outcome in outcomes:
            yield _result(asset_key, outcome, extra.get(outcome.name, {}))

    return _checks
