"""The release of a published dataset: the asset `release/<dataset_id>` that writes its files.

Checks only check. What a reuser downloads from `data/published/<commune>/` (the CSV, the sheet
rendered for the commune, the release record, and the companions: quality report, change log,
Table Schema, GeoJSON) is written by one asset per dataset, made here by `dataset_release`
and declared in the dataset's own `assets.py`. It runs after the dataset, and only on a
materialization whose blocking checks all passed:

- in the same run, Dagster's blocking checks already stop it when one fails;
- run alone later (the UI's *Materialize* on the release), it reads the instance: the
  dataset's latest materialization for the partition must have every blocking check evaluated
  on it and passed, otherwise it fails naming the checks, and writes nothing.

The check verdicts it reports (quality report, warnings in the sheet, a drop in rows accepted by
`CLE_ACCEPT_DROP`) are those evaluations, read from the instance, never from a global. Every file
is replaced by a rename, so a failed release keeps the last good file. Its materialization
carries the path and sha256 of the CSV: the publication sensor and assets read them there.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg
import pandas as pd
import pandera.pandas as pa
from dagster._core.event_api import PartitionKeyFilter

from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS, column_dictionary
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.quality import CheckVerdict
from cle_pipeline.lib.release import ReleaseError, previous_sha256, write_release
from cle_pipeline.lib.release_companions import write_companions
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.sheet import DatasetSheet
from cle_pipeline.lib.volume import VOLUME_CHECK

RELEASES_GROUP = "releases"


def release_key(dataset_id: str) -> dg.AssetKey:
    """`release/<dataset_id>`: the asset that writes the dataset's published files."""
    return dg.AssetKey(["release", dataset_id])


class UncheckedRelease(ReleaseError):
    """The dataset's latest materialization has a blocking check failed or not evaluated."""


@dataclass(frozen=True)
class CheckedMaterialization:
    """The dataset's latest materialization for a commune, and its checks' evaluations on it."""

    storage_id: int
    run_id: str
    metadata: Mapping[str, Any]
    # Check name → its evaluation on this materialization (checks not evaluated on it: absent).
    evaluations: Mapping[str, dg.AssetCheckEvaluation]


def latest_materialization(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey, commune: str
) -> dg.EventLogRecord | None:
    """The latest materialization of `asset_key` for the partition `commune`, if any."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[commune]), limit=1
    ).records
    return records[0] if records else None


def evaluations_on(
    instance: dg.DagsterInstance,
    record: dg.EventLogRecord,
    check_keys: Iterable[dg.AssetCheckKey],
    commune: str,
) -> dict[str, dg.AssetCheckEvaluation]:
    """The latest evaluation of each check for `commune`, when it was made on the
    materialization `record` (an evaluation of an older or newer one is not its verdict)."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        list(check_keys), partition_filter=PartitionKeyFilter(key=commune)
    )
    evaluations: dict[str, dg.AssetCheckEvaluation] = {}
    for check_key, execution in latest.items():
        evaluation = execution.evaluation
        if evaluation is None:  # still running, or its step failed before a result
            continue
        target = evaluation.target_materialization_data
        on_it = (
            target.storage_id == record.storage_id
            if target is not None
            else execution.run_id == record.run_id
        )
        if on_it:
            evaluations[check_key.name] = evaluation
    return evaluations


def checked_materialization(
    instance: dg.DagsterInstance,
    asset_key: dg.AssetKey,
    checks: Mapping[str, dg.AssetCheckSpec],
    commune: str,
) -> CheckedMaterialization:
    """The latest materialization of the dataset for `commune` with its checks' evaluations;
    raises `UncheckedRelease` naming the blocking checks that failed on it or were not
    evaluated on it."""
    dataset = asset_key.to_user_string()
    record = latest_materialization(instance, asset_key, commune)
    if record is None:
        raise UncheckedRelease(
            f"{dataset}: never materialized for commune {commune}; nothing to release"
        )
    keys = [dg.AssetCheckKey(asset_key, name) for name in checks]
    evaluations = evaluations_on(instance, record, keys, commune)
    blocking = [name for name, spec in checks.items() if spec.blocking]
    failed = [name for name in blocking if name in evaluations and not evaluations[name].passed]
    missing = [name for name in blocking if name not in evaluations]
    if failed or missing:
        said = [f"failed: {', '.join(failed)}"] if failed else []
        said += [f"not evaluated on it: {', '.join(missing)}"] if missing else []
        raise UncheckedRelease(
            f"{dataset}: the latest materialization for commune {commune} (run "
            f"{record.run_id}) has blocking checks {'; '.join(said)}. Nothing is written; the "
            f"files released before for {commune}, if any, are kept. Materialize {dataset} with "
            "its checks, and release it once they pass."
        )
    materialization = record.asset_materialization
    return CheckedMaterialization(
        storage_id=record.storage_id,
        run_id=record.run_id,
        metadata=dict(materialization.metadata) if materialization else {},
        evaluations=evaluations,
    )


def failing_rows(evaluation: dg.AssetCheckEvaluation) -> int:
    """The number of failing rows a check recorded (0 when it says none)."""
    entry = evaluation.metadata.get("failing_rows")
    return int(entry.value) if entry is not None else 0  # type: ignore[arg-type]


def verdicts(
    checks: Mapping[str, dg.AssetCheckSpec], checked: CheckedMaterialization
) -> list[CheckVerdict]:
    """Each check evaluated on the released materialization, in the order of its specs."""
    return [
        CheckVerdict(name, spec.description or "", evaluation.passed, failing_rows(evaluation))
        for name, spec in checks.items()
        if (evaluation := checked.evaluations.get(name)) is not None
    ]


def warnings_said(verdicts_: Iterable[CheckVerdict], checks: Mapping[str, dg.AssetCheckSpec]):
    """A warning that failed, as the published sheet says it (not only in the UI)."""
    return [
        f"**Avertissement ({verdict.name}).** {verdict.description} Au moment de la "
        f"publication : {verdict.failing_rows} ligne(s) concernée(s)."
        for verdict in verdicts_
        if not checks[verdict.name].blocking and not verdict.passed
    ]


def accepted_drop(checked: CheckedMaterialization) -> str:
    """The drop in rows `CLE_ACCEPT_DROP` let through, as the volume check recorded it."""
    evaluation = checked.evaluations.get(VOLUME_CHECK)
    entry = evaluation.metadata.get("accepted_drop") if evaluation else None
    return str(entry.value) if entry is not None else ""


def dataset_release(
    sheet: DatasetSheet, model: type[pa.DataFrameModel], checks: dg.AssetChecksDefinition
) -> dg.AssetsDefinition:
    """The asset `release/<dataset_id>` of the dataset `sheet` describes: it writes the
    dataset's published files once the blocking `checks` passed on its latest
    materialization for the partition (see the module's docstring)."""
    dataset_id = sheet.dataset_id
    dataset_key = dg.AssetKey(dataset_id)
    specs = {spec.name: spec for spec in checks.check_specs if spec.asset_key == dataset_key}

    @commune_asset(
        key=release_key(dataset_id),
        group_name=RELEASES_GROUP,
        ins={"frame": dg.AssetIn(key=dataset_key), "commune": dg.AssetIn(key="commune")},
        owners=OWNERS,
        kinds={"csv"},
        tags={"dataset": dataset_id},
        description=f"Publication contrôlée de « {sheet.title} » pour la commune : écrit "
        f"{dataset_id}.csv, sa fiche ({dataset_id}.md), la notice de publication "
        f"({dataset_id}.json), le bilan de mise en qualité, le journal des changements et, selon "
        "le jeu, le schéma et le GeoJSON, dans data/published/<commune>/. Ne s'exécute que si "
        f"tous les contrôles bloquants de {dataset_id} ont réussi sur sa dernière "
        "matérialisation pour la commune ; sinon rien n'est écrit et les fichiers précédents "
        "restent. Un contenu identique au précédent est marqué `unchanged` et n'est pas "
        "publié à nouveau.",
    )
    def _release(
        context: dg.AssetExecutionContext,
        settings: CommuneSettings,
        sources: SourceFetcher,
        frame: pd.DataFrame,
        commune: Commune,
    ) -> dg.MaterializeResult:
        code = commune_of(context)
        checked = checked_materialization(context.instance, dataset_key, specs, code)
        return release_files(
            context, settings, sources, sheet, model, specs, frame, commune, checked
        )

    return _release


def release_files(
    context: dg.AssetExecutionContext,
    settings: CommuneSettings,
    sources: SourceFetcher,
    sheet: DatasetSheet,
    model: type[pa.DataFrameModel],
    specs: Mapping[str, dg.AssetCheckSpec],
    frame: pd.DataFrame,
    commune: Commune,
    checked: CheckedMaterialization,
) -> dg.MaterializeResult:
    """Writes the release of a checked materialization; its metadata (paths, sha256, …)."""
    code = commune_of(context)
    folder = settings.published_folder(code)
    dataset_id = sheet.dataset_id
    reasons = sources.sample_reasons()
    if inbox := settings.inbox_sample_reason(code):
        reasons.append(inbox)
    verdicts_ = verdicts(specs, checked)
    last_sha256 = previous_sha256(folder, dataset_id)
    release = write_release(
        frame,
        folder,
        sheet,
        commune,
        sources.mode,
        tuple(reasons),
        accepted_drop=accepted_drop(checked),
        columns=column_dictionary(model, frame),
        warnings=warnings_said(verdicts_, specs),
    )
    unchanged = release.sha256 == last_sha256
    metadata: dict[str, Any] = {
        "published_file": dg.MetadataValue.path(str(release.csv_path)),
        "sha256": release.sha256,
        "sheet_file": dg.MetadataValue.path(str(release.sheet_path)),
        "dagster/row_count": release.rows,
        # Publication refuses to send a sample to www.data.gouv.fr.
        "source_mode": release.source_mode,
        "sample": "; ".join(release.sample_reasons) or "no: built from official files",
        # Cells prefixed with an apostrophe so that no spreadsheet executes them.
        "neutralised_cells": len(release.neutralised_cells),
        # The same content as the last release: nothing new to publish.
        "unchanged": unchanged,
        "dataset_run_id": checked.run_id,
        **({"accepted_drop": release.accepted_drop} if release.accepted_drop else {}),
    }
    # Change log, quality report, Table Schema, GeoJSON: beside the CSV.
    metadata |= write_companions(release, sheet, model, verdicts_, dict(checked.metadata))
    said = "unchanged since the last release" if unchanged else "new content"
    context.log.info(f"{dataset_id}: wrote {release.csv_path} ({said}, sha256 {release.sha256})")
    return dg.MaterializeResult(metadata=metadata)
