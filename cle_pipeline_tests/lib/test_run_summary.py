"""Issue 11: `make demo` on a failed check printed two Dagster stack traces before its summary;
it now prints one line per failure and puts the traces in a file."""

import zipfile

import dagster as dg
import pandas as pd

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.metadata import table_of_rows
from cle_pipeline.lib.run_summary import failure_lines, write_traces

LINK = "http://127.0.0.1:3000/runs/abc"


@dg.asset
def bornes_recharge() -> int:
    return 2


@dg.asset_check(asset=bornes_recharge, blocking=True)
def schema() -> dg.AssetCheckResult:
    failures = pd.DataFrame(
        {"row": [2], "id_pdc_itinerance": ["FRS76E2"], "value": [r"Parc (\.\d+)"]}
    )
    return dg.AssetCheckResult(
        passed=False,
        metadata={"failing_rows": 1, "failing_rows_sample": table_of_rows(failures)},
    )


@dg.asset
def rna_waldec() -> None:
    try:
        zipfile.ZipFile(__file__)
    except zipfile.BadZipFile as error:
        raise SourceFormatError("rna.zip: corrupt or truncated zip archive") from error


def test_one_line_per_failure_with_its_first_values_and_the_run(tmp_path):
    result = dg.materialize([bornes_recharge, schema, rna_waldec], raise_on_error=False)
    assert failure_lines(result.all_events, LINK) == [
        r"FAILED bornes_recharge check schema: 1 failing row (first: row=2 "
        r"id_pdc_itinerance=FRS76E2 value=Parc (\.\d+)); " + LINK,
        "FAILED rna_waldec: cle_pipeline.lib.errors.SourceFormatError: rna.zip: corrupt or "
        "truncated zip archive; " + LINK,
    ]
    log = write_traces(result.all_events, tmp_path / "logs" / "run.log")
    text = log.read_text(encoding="utf-8")
    assert text.startswith("=== step rna_waldec ===\n")
    assert "Traceback" in text or "Stack Trace" in text
    assert "BadZipFile" in text  # the cause is kept in the file, not in the line


@dg.asset(check_specs=[dg.AssetCheckSpec("commune_found", asset="irve")])
def irve():
    return dg.MaterializeResult(
        check_results=[
            dg.AssetCheckResult(
                passed=False,
                severity=dg.AssetCheckSeverity.WARN,
                description="Aucune ligne pour la commune",
            )
        ]
    )


def test_a_warning_is_told_as_a_warning_with_what_the_check_said():
    result = dg.materialize([irve])
    assert failure_lines(result.all_events, LINK) == [
        "WARNING irve check commune_found: Aucune ligne pour la commune; " + LINK
    ]


def test_a_run_without_failure_has_no_line_and_no_log(tmp_path):
    result = dg.materialize([bornes_recharge])
    assert failure_lines(result.all_events, LINK) == []
    assert write_traces(result.all_events, tmp_path / "run.log") is None
    assert not (tmp_path / "run.log").exists()
