"""`make benchmark-runs`' machinery: the shape read from a job, the trivial job built from it,
the communes and sources of the long run, the section it writes in the results file. No timing
is asserted."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest

from devtools import CHECKOUT, benchmark_runs
from devtools.benchmark_runs import (
    MemorySampler,
    choose_communes,
    communes_lines,
    graph_shape,
    one_and_two_lines,
    project_shape,
    shape_counts,
    trivial_definitions,
    write_section,
)

COMMUNES = dg.DynamicPartitionsDefinition(name="commune")


@dg.asset(partitions_def=COMMUNES)
def commune() -> str:
    """The partition's commune."""
    return "76165"


@dg.asset(partitions_def=COMMUNES, key=["graphiques", "irve"], deps=["national_file"])
def irve(commune: str) -> str:
    """A cut of a national file, one of whose upstreams carries no value."""
    return commune


@dg.asset(key="national_file")
def national_file() -> None:
    """An unpartitioned national file."""


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "schema", asset=["graphiques", "irve"], blocking=True, additional_deps=["commune"]
        ),
        dg.AssetCheckSpec("warning", asset=["graphiques", "irve"], additional_deps=["commune"]),
    ],
    ins={"frame": dg.AssetIn(key=["graphiques", "irve"]), "commune": dg.AssetIn(key="commune")},
)
def irve_checks(frame: str, commune: str):
    """Two checks of the cut."""
    yield dg.AssetCheckResult(asset_key=["graphiques", "irve"], check_name="schema", passed=True)
    yield dg.AssetCheckResult(asset_key=["graphiques", "irve"], check_name="warning", passed=True)


SMALL = dg.Definitions(
    assets=[commune, irve, national_file],
    asset_checks=[irve_checks],
    jobs=[dg.define_asset_job("build_commune", selection=dg.AssetSelection.all())],
)
SMALL_SHAPE = [
    {
        "node": "commune",
        "assets": [["commune"]],
        "checks": [],
        "inputs": {},
        "deps": [],
        "partitioned": True,
    },
    {
        "node": "graphiques__irve",
        "assets": [["graphiques", "irve"]],
        "checks": [],
        "inputs": {"commune": ["commune"]},
        "deps": [["national_file"]],
        "partitioned": True,
    },
    {
        "node": "irve_checks",
        "assets": [],
        "checks": [
            [["graphiques", "irve"], "schema", True],
            [["graphiques", "irve"], "warning", False],
        ],
        "inputs": {"commune": ["commune"], "frame": ["graphiques", "irve"]},
        "deps": [],
        "partitioned": True,
    },
    {
        "node": "national_file",
        "assets": [["national_file"]],
        "checks": [],
        "inputs": {},
        "deps": [],
        "partitioned": False,
    },
]


def test_the_shape_of_a_job_is_its_nodes_assets_checks_and_inputs():
    shape = graph_shape(SMALL.resolve_job_def("build_commune"))
    assert shape == SMALL_SHAPE
    assert json.loads(json.dumps(shape)) == shape  # what the trivial job's process reads
    assert shape_counts(shape) == {"steps": 4, "assets": 3, "checks": 2, "blocking": 1, "inputs": 4}


def test_the_trivial_job_has_the_shape_it_was_built_from_and_does_nothing(tmp_path):
    definitions = trivial_definitions(SMALL_SHAPE, tmp_path / "storage")
    job = definitions.resolve_job_def("build_commune")
    assert graph_shape(job) == SMALL_SHAPE

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("commune", ["76165"])
    result = job.execute_in_process(instance=instance, partition_key="76165")
    assert result.success
    assert sorted(
        event.materialization.asset_key.to_user_string()
        for event in result.get_asset_materialization_events()
    ) == ["commune", "graphiques/irve", "national_file"]
    assert sorted(
        (evaluation.check_name, evaluation.passed)
        for evaluation in result.get_asset_check_evaluations()
    ) == [("schema", True), ("warning", True)]
    assert (tmp_path / "storage" / "graphiques" / "irve" / "76165").is_file()


def test_the_trivial_job_of_the_project_has_the_shape_of_make_demos_job(tmp_path):
    shape = project_shape()
    counts = shape_counts(shape)
    # Every dataset's checks are one step; the datasets' own steps and the sources' are the rest.
    assert counts["checks"] > counts["blocking"] > 0 and counts["steps"] > 40
    assert "bornes_recharge" in {node["node"] for node in shape}
    trivial = trivial_definitions(shape, tmp_path)
    assert graph_shape(trivial.resolve_job_def("build_commune")) == shape


def test_the_communes_are_the_snapshots_then_real_codes_of_seine_maritime_first(tmp_path):
    assert choose_communes(2, tmp_path / "absent.csv") == (["76165", "76231"], [])
    real = tmp_path / "v_commune_2024.csv"
    header = ["TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE"]
    header += ["CAN", "COMPARENT"]
    rows = [
        ["COM", "01001", "84", "01", "01D", "012", "5", "A", "A", "A", "0108", ""],
        ["COM", "76002", "28", "76", "76D", "763", "0", "B", "B", "B", "7601", ""],
        ["COMD", "76003", "28", "76", "76D", "763", "0", "C", "C", "C", "7601", "76002"],
        ["COM", "76165", "28", "76", "76D", "763", "0", "D", "D", "D", "7612", ""],
        ["COM", "76001", "28", "76", "76D", "763", "0", "E", "E", "E", "7601", ""],
    ]
    with real.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([header, *rows])

    codes, extra = choose_communes(9, real)
    assert codes == [
        "76165",
        "76231",
        "76640",
        "75056",
        "2A004",
        "97411",
        "76001",
        "76002",
        "01001",
    ]
    assert [row[1] for row in extra] == ["76001", "76002", "01001"]
    with pytest.raises(SystemExit, match="the COG snapshot holds 6 communes"):
        choose_communes(7, tmp_path / "absent.csv")
    with pytest.raises(SystemExit, match="and the COG snapshot hold 9 communes"):
        choose_communes(10, real)

    overrides = benchmark_runs.benchmark_sources(tmp_path / "sources", codes, extra)
    with zipfile.ZipFile(overrides["CLE_SOURCE_COG_COMMUNES"]) as archive:
        table = list(csv.reader(io.StringIO(archive.read("v_commune_2025.csv").decode())))
    assert table[0] == header
    assert [row[1] for row in table if row[0] == "COM"][-3:] == ["76001", "76002", "01001"]
    outlines = overrides["CLE_SOURCE_COMMUNE_CONTOURS"]
    assert outlines.endswith("{commune}.geojson")
    stand_in = json.loads(Path(outlines.format(commune="01001")).read_text())
    assert stand_in["properties"] == {
        "code": "01001",
        "note": "benchmark stand-in: 76165's outline",
    }
    sample = json.loads(Path(outlines.format(commune="76231")).read_text())
    assert sample["properties"]["nom"] == "Elbeuf"


def test_the_real_codes_come_from_a_file_of_the_checkout_by_default():
    """Seine-Maritime's 708 current communes of INSEE's COG 2024: a fresh clone runs 100."""
    assert benchmark_runs.REAL_COG == CHECKOUT / "devtools" / "benchmark_cog_76.csv"
    codes, extra = choose_communes(100, benchmark_runs.REAL_COG)
    assert len(codes) == len(set(codes)) == 100
    assert codes[6:9] == ["76001", "76002", "76004"]
    assert extra[0] == [
        "COM", "76001", "28", "76", "76D", "763", "1", "ALLOUVILLE BELLEFOSSE",
        "Allouville-Bellefosse", "Allouville-Bellefosse", "7635", "",
    ]  # fmt: skip
    assert {row[3] for row in extra} == {"76"}
    with pytest.raises(SystemExit, match="hold 711 communes"):
        choose_communes(712, benchmark_runs.REAL_COG)


def run(job: str, commune: str | None, communes: int, released: int) -> dict:
    """A recorded run of the many-communes process."""
    return {
        "job": job,
        "commune": commune,
        "wall": 10.0,
        "cpu": 8.0,
        "peak_mib": 350.0,
        "rss_before_mib": 200.0,
        "rss_mib": 300.0,
        "renderer_peak_mib": 130.0,
        "memory_by_step": [["site", 340, 280], ["commune", 290, 270]],
        "success": True,
        "steps_failed": 0,
        "checks_passed": 60,
        "checks_failed": 12 * communes - released,
        "datasets": 12 * communes,
        "datasets_released": released,
        "communes_in_run": communes,
    }


def test_a_run_of_fewer_communes_labels_its_extrapolation():
    figures = {
        "runs": [run("cut_national_files", None, 0, 0), run("build_commune", None, 2, 23)],
        "communes": ["76165", "76231"],
        "from_snapshot_cog": 2,
        "started": "2026-12-03T12:00:00+00:00",
        "process_wall": 30.0,
        "process_cpu": 24.0,
        "peak_mib": 350.0,
    }
    lines = communes_lines(figures, 100)
    assert lines[2] == "- whole process: 30 s wall, 24 s CPU; per commune 15.0 s wall, 12.0 s CPU"
    assert lines[3] == (
        "- its runs: `cut_national_files` for 0 communes 10.0 s wall, 8.0 s CPU; "
        "`build_commune` for 2 communes 10.0 s wall, 8.0 s CPU"
    )
    assert lines[4] == (
        "- peak RSS of the process (every run is in-process): 350 MiB (OVER the 300 MiB limit); "
        "in the first build run, resident memory 200 MiB before the run (imports, definitions, "
        "earlier runs), peak 350 MiB (OVER the 300 MiB limit); the steps it grew most in: "
        "`site` 340 MiB (from 280), `commune` 290 MiB (from 270); the charts' renderer, a "
        "process of its own (`lib/chart_renderer.py`: Vega's JavaScript engine), peaked at 130 "
        "MiB"
    )
    assert lines[5] == (
        "- what succeeded: 1/1 build runs without a failed step, 23/24 assets with every check "
        "passed (the snapshots hold rows for a few communes only), 1 failed checks, 0 failed "
        "steps"
    )
    assert lines[6] == (
        "- EXTRAPOLATED, not measured: 100 communes would take about 25 min of wall time and "
        "20 min of CPU at this run's cost per commune (only 2 were run on this shared machine)"
    )
    assert not any("EXTRAPOLATED" in line for line in communes_lines(figures, 2))


def test_two_communes_in_one_run_are_compared_with_one_against_the_target():
    kinds = {
        "one": {"run_wall": 20.0, "run_cpu": 10.0, "passes_cpu": 0.0, "process_wall": 30.0,
                "process_cpu": 16.0, "peak_mib": 280.0, "released": 12, "datasets": 12},
        "two": {"run_wall": 26.0, "run_cpu": 12.5, "passes_cpu": 2.0, "process_wall": 40.0,
                "process_cpu": 24.0, "peak_mib": 290.0, "released": 23, "datasets": 24},
    }  # fmt: skip
    lines = one_and_two_lines(kinds, 3)
    assert lines[4:6] == [
        "| one commune | 20.0 s | 10.0 s | 0.0 s | 30.0 s | 16.0 s | 280 MiB |",
        "| two communes, one run | 26.0 s | 12.5 s | 2.0 s | 40.0 s | 24.0 s | 290 MiB |",
    ]
    assert lines[7].startswith(
        "Build run CPU, two communes against one: 1.25× (target ≤ 1.3×): target met. With the "
        "national passes: 1.45×; whole process: 1.50×."
    )
    kinds["two"]["run_cpu"] = 14.0
    assert "1.40× (target ≤ 1.3×): MISSED by 0.10 over the ratio" in one_and_two_lines(kinds, 3)[7]


def test_the_section_is_written_between_its_markers_and_nothing_else_changes(tmp_path):
    results = tmp_path / "benchmark_results.md"
    write_section(results, "runs", "first figures")
    assert results.read_text() == (
        benchmark_runs.RESULTS_TITLE + "\n<!-- runs:start -->\nfirst figures\n<!-- runs:end -->\n"
    )

    other = "<!-- national:start -->\none pass\n<!-- national:end -->\n"
    results.write_text(results.read_text() + "\n" + other)
    write_section(results, "runs", "second figures\n")
    assert results.read_text() == (
        benchmark_runs.RESULTS_TITLE
        + "\n<!-- runs:start -->\nsecond figures\n<!-- runs:end -->\n\n"
        + other
    )
    write_section(results, "national", "two passes")
    assert results.read_text().endswith(
        "<!-- national:start -->\ntwo passes\n<!-- national:end -->\n"
    )

    results.write_text("# Benchmark results\n\n<!-- runs:start -->\nno end\n")
    with pytest.raises(ValueError, match="do not enclose a section"):
        write_section(results, "runs", "third")
    assert results.read_text() == "# Benchmark results\n\n<!-- runs:start -->\nno end\n"


def test_a_part_goes_inside_its_section_and_replaces_only_itself(tmp_path):
    results = tmp_path / "benchmark_results.md"
    results.write_text("# Benchmark results\n\n<!-- national:start -->\nx\n<!-- national:end -->\n")
    write_section(results, "runs", "## Whole runs", keep=True)
    write_section(results, "runs-graph", "graph 1", within="runs")
    write_section(results, "runs-communes", "communes 1", within="runs")
    write_section(results, "runs", "## Another heading", keep=True)  # kept as it is
    write_section(results, "runs-graph", "graph 2", within="runs")
    assert results.read_text() == (
        "# Benchmark results\n\n<!-- national:start -->\nx\n<!-- national:end -->\n\n"
        "<!-- runs:start -->\n## Whole runs\n\n"
        "<!-- runs-graph:start -->\ngraph 2\n<!-- runs-graph:end -->\n\n"
        "<!-- runs-communes:start -->\ncommunes 1\n<!-- runs-communes:end -->\n"
        "<!-- runs:end -->\n"
    )


def test_memory_is_told_by_the_steps_it_grew_in_from_their_start():
    start, other = dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_OUTPUT
    planned = dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
    entries = [
        SimpleNamespace(step_key=step, dagster_event_type=kind, timestamp=moment)
        for step, kind, moment in [
            ("site", planned, 0.0),  # logged when the run starts, for every step
            ("commune", start, 1.0),
            ("commune", other, 2.0),
            ("site", start, 3.0),
            ("site", other, 5.0),
            (None, other, 6.0),
        ]
    ]
    sampler = MemorySampler()
    sampler.samples = [(0.5, 100.0), (1.5, 120.0), (2.5, 121.0), (4.0, 300.0), (5.5, 290.0)]
    assert sampler.peaks_by_step(entries) == [["site", 300, 121], ["commune", 120, 100]]
