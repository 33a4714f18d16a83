"""`make benchmark-runs`: what whole runs of the graph cost, printed and recorded in
`devtools/benchmark_results.md` (section `runs`).

Not a test (timings depend on the machine). Two measurements, each in fresh processes:

- **The graph against a trivial job of the same shape.** The shape (every node of the job that
  `cle-pipeline demo` runs, `build_commune`: its assets, its checks with their blocking flag,
  its inputs, its partitions) is read from `cle_pipeline.definitions.defs`, and a job is built
  from it whose steps do nothing: same asset keys, same checks (all passing), same
  dependencies, the commune as a dynamic partition, each value (`None`) pickled between steps
  by Dagster's own filesystem IO manager. Both run as `make demo` runs them: in-process
  (`execute_in_process`), on the SQLite instance of a temporary `DAGSTER_HOME` holding the
  project's `dagster.yaml`, console log at CRITICAL. The real graph runs through the command
  line itself (`cle_pipeline.cli.main(["demo"])`) for 76165 from the embedded snapshots; the
  trivial job's process imports Dagster only. Per kind, one process warms the instance up
  (tables created, zip members extracted, a first release written: a later `make demo`), then
  `--repeat` processes are measured, the two kinds taking turns. Each figure is a median: wall
  time, CPU (user + system of the process and its children) and peak RSS of the
  whole process, and the same inside the run alone (`execute_in_process`, imports and
  definitions excluded). The target: the run's CPU within 1.5× of the trivial job's.
- **Two communes in one run against one** (`--skip-two` to leave it out): `cle-pipeline demo`
  for 76165, then for 76165 and 76231, which a list builds in one run whose steps take both
  communes. The target: the build run's CPU within 1.3× of one commune's.
- **A run for many communes** (`--communes`, 100 by default): `CLE_COMMUNE=<list>` through
  `cle-pipeline demo`, one process, as a user would (the national passes, then one run over the
  range of communes, split in halves where a run fails). The communes are real INSEE codes:
  those of the COG snapshot (76165 and 76231 first), then real codes of Seine-Maritime from
  `devtools/benchmark_cog_76.csv` (its 708 current communes, lines copied verbatim from INSEE's
  COG 2024, `v_commune_2024.csv`, Licence Ouverte), or from a whole COG given with `--cog`. The
  snapshots hold rows for a handful of communes only: the others' datasets are mostly empty,
  and some checks fail (no mayor, no town hall); the figures are a cost, and the report says
  how many datasets were released. So that every commune runs the whole graph rather than stop
  at its missing outline, the run reads a COG and outlines made for it (`CLE_SOURCE_COG_COMMUNES`,
  `CLE_SOURCE_COMMUNE_CONTOURS`): the COG snapshot's rows plus the chosen communes' real rows,
  and each commune without a sample outline gets 76165's (a stand-in, said in its properties).

`--profile` also runs the real graph once under cProfile and prints where the CPU goes, by
package (self time, so the parts add up).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from devtools import CHECKOUT, DATA
from devtools.benchmark import peak_mib

RESULTS = CHECKOUT / "devtools" / "benchmark_results.md"
SECTION = "runs"
RESULTS_TITLE = (
    "# Benchmark results\n\n"
    "Recorded by `make benchmark`: each tool writes its own section, between its markers, and "
    "leaves the others as they are.\n"
)
JOB = "build_commune"
DEFAULT_COMMUNE = "76165"
# Dagster's console log is for the UI; `make demo` silences it in the terminal, so do both kinds.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
# Targets of issue 8.
GRAPH_RATIO_TARGET = 1.5
PEAK_LIMIT_MIB = 300
# Issue 8: a run for two communes costs at most 1.3× a run for one.
TWO_COMMUNES_TARGET = 1.3
# Seine-Maritime's current communes in INSEE's COG 2024 (lines copied verbatim): enough real codes
# for the long run from a fresh clone (711 with the snapshot's); a whole COG (`--cog`) for more.
REAL_COG = CHECKOUT / "devtools" / "benchmark_cog_76.csv"
SNAPSHOT_COG = DATA / "sources" / "cog_communes" / "cog_ensemble_2025_csv.zip"
SNAPSHOT_CONTOURS = DATA / "sources" / "commune_contours"


# -- the shape of the graph --------------------------------------------------------------------


def graph_shape(job: Any) -> list[dict[str, Any]]:
    """The nodes of an asset job, as plain data (JSON): for each executable node, its name, the
    asset keys it materializes, its checks (asset key, name, blocking), its inputs (name →
    upstream asset key; `deps` for inputs that carry no value) and whether it is partitioned.
    Sorted by node name."""
    selected, graph = job.asset_layer.executable_asset_keys, job.asset_layer.asset_graph
    nodes = []
    for assets_def in graph.assets_defs:
        if not assets_def.is_executable:
            continue
        keys = [key for key in assets_def.keys if key in selected]
        checks = list(assets_def.check_specs)
        if not keys and not checks:
            continue
        op = assets_def.node_def
        inputs, deps = {}, []
        for name, key in sorted(assets_def.keys_by_input_name.items()):
            if key not in selected:
                # An optional input on an asset the job does not build (a national pass,
                # `lib/national.py`): the run reads it if there is one, builds nothing for it.
                continue
            if op.input_def_named(name).dagster_type.is_nothing:
                deps.append(list(key.path))
            else:
                inputs[name] = list(key.path)
        nodes.append(
            {
                "node": op.name,
                "assets": sorted(list(key.path) for key in keys),
                "checks": sorted([list(s.asset_key.path), s.name, s.blocking] for s in checks),
                "inputs": inputs,
                "deps": sorted(deps),
                # A check is partitioned as the asset it checks.
                "partitioned": any(
                    graph.get(key).partitions_def is not None
                    for key in keys or [spec.asset_key for spec in checks]
                ),
            }
        )
    return sorted(nodes, key=lambda node: node["node"])


def project_shape() -> list[dict[str, Any]]:
    """The shape of the job `cle-pipeline demo` runs, from the project's definitions."""
    from cle_pipeline.definitions import defs

    return graph_shape(defs().resolve_job_def(JOB))


def shape_counts(shape: list[dict[str, Any]]) -> dict[str, int]:
    """Steps, assets, checks (blocking among them) and dependencies of a shape."""
    checks = [check for node in shape for check in node["checks"]]
    return {
        "steps": len(shape),
        "assets": sum(len(node["assets"]) for node in shape),
        "checks": len(checks),
        "blocking": sum(1 for check in checks if check[2]),
        "inputs": sum(len(node["inputs"]) + len(node["deps"]) for node in shape),
    }


def _do_nothing_asset(context, **_inputs: Any) -> Iterable[Any]:
    """A trivial step: a `None` for each selected asset, a passing result for each check."""
    # `context` is left without annotation: Dagster reads it, and this module's annotations
    # are strings.
    op_context = context.op_execution_context
    for name in op_context.selected_output_names:
        if name in op_context.assets_def.node_keys_by_output_name:
            yield dg.Output(None, output_name=name)
    for spec in op_context.assets_def.check_specs:
        yield dg.AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=True)


def _do_nothing_check(context, **_inputs: Any) -> Iterable[Any]:
    """A trivial check step: every check passes."""
    for spec in context.op_execution_context.assets_def.check_specs:
        yield dg.AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=True)


def trivial_definitions(
    shape: list[dict[str, Any]], storage: Path, static_communes: list[str] | None = None
) -> dg.Definitions:
    """Definitions whose job `build_commune` has `shape` and steps that do nothing; values go
    through Dagster's filesystem IO manager under `storage`. The commune is a dynamic partition,
    as in the project, or a static one of `static_communes` when given."""
    communes = (
        dg.StaticPartitionsDefinition(static_communes)
        if static_communes
        else dg.DynamicPartitionsDefinition(name="commune")
    )
    produced = {tuple(key) for node in shape for key in node["assets"]}
    assets, checks = [], []
    for node in shape:
        # An input on an asset the job does not build would need a value from elsewhere.
        ins = {
            name: dg.AssetIn(key=dg.AssetKey(key))
            for name, key in node["inputs"].items()
            if tuple(key) in produced
        }
        # A check reading other assets than its own declares them as its dependencies.
        specs = [
            dg.AssetCheckSpec(
                name,
                asset=dg.AssetKey(key),
                blocking=blocking,
                additional_deps=[asset.key for asset in ins.values() if asset.key.path != key],
            )
            for key, name, blocking in node["checks"]
        ]
        if node["assets"]:
            outs = {
                dg.AssetKey(key).to_python_identifier(): dg.AssetOut(key=dg.AssetKey(key))
                for key in node["assets"]
            }
            assets.append(
                dg.multi_asset(
                    name=node["node"],
                    outs=outs,
                    ins=ins,
                    deps=[dg.AssetKey(key) for key in node["deps"]],
                    check_specs=specs or None,
                    partitions_def=communes if node["partitioned"] else None,
                )(_do_nothing_asset)
            )
        else:
            checks.append(
                dg.multi_asset_check(name=node["node"], specs=specs, ins=ins)(_do_nothing_check)
            )
    job = dg.define_asset_job(JOB, selection=dg.AssetSelection.all())
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[job],
        resources={"io_manager": dg.FilesystemIOManager(base_dir=str(storage))},
    )


# -- the measured processes ---------------------------------------------------------------------


def summary_of(result: Any) -> dict[str, Any]:
    """What a run achieved: steps failed, checks passed/failed, datasets released (every check
    of the asset passed)."""
    # By dataset and commune: a run may build several communes.
    verdicts: dict[tuple[str, str | None], list[bool]] = {}
    for evaluation in result.get_asset_check_evaluations():
        dataset = (evaluation.asset_key.to_user_string(), evaluation.partition)
        verdicts.setdefault(dataset, []).append(evaluation.passed)
    return {
        "success": result.success,
        "steps_failed": len(result.get_step_failure_events()),
        "checks_passed": sum(sum(each) for each in verdicts.values()),
        "checks_failed": sum(len(each) - sum(each) for each in verdicts.values()),
        "datasets": len(verdicts),
        "datasets_released": sum(1 for each in verdicts.values() if all(each)),
        "communes_in_run": len({commune for _, commune in verdicts}),
    }


def children_cpu() -> float:
    """CPU seconds of this process's finished children."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def current_mib() -> float:
    """This process's resident memory now (Linux), or its peak elsewhere."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return peak_mib()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) / 1024


def renderer() -> Any:
    """The charts' renderer of this process (`lib/chart_renderer.py`), if the charts module was
    imported (looked up, never imported: the trivial job's process stays bare)."""
    charts = sys.modules.get("cle_pipeline.lib.charts")
    return charts.RENDERER if charts else None


def renderer_peak_mib() -> float | None:
    """The peak resident memory of this process's charts' renderer, if it runs."""
    return renderer().peak_mib() if renderer() else None


def renderer_cpu() -> float:
    """CPU seconds of this process's charts' renderer so far, while it runs (once it ended,
    they are in `children_cpu`). Linux; 0 elsewhere."""
    pid = renderer().pid if renderer() else None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    # utime and stime, fields 14 and 15 of the line (11 and 12 after the command's name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """This process's resident memory, sampled every `interval` seconds by a thread while a run
    goes on, to tell in which step the memory peaks (the in-process executor runs one step at a
    time)."""

    def __init__(self, interval: float = 0.05) -> None:
        """A sampler that has not started."""
        self.interval, self.samples = interval, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), current_mib()))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        """Starts sampling."""
        self._thread.start()
        return self

    def __exit__(self, *_exception: object) -> None:
        """Stops sampling."""
        self._stop.set()
        self._thread.join()

    def peaks_by_step(self, entries: Iterable[Any], top: int = 3) -> list[list[Any]]:
        """The `top` steps whose resident memory grew most while they ran, each as [step,
        highest MiB, MiB when it started], from the run's event log `entries`."""
        spans: dict[str, list[float]] = {}
        for entry in entries:
            # A step's span starts at its STEP_START: Dagster logs events of every step (the
            # planned materializations) when the run starts.
            if entry.step_key and entry.dagster_event_type == dg.DagsterEventType.STEP_START:
                spans[entry.step_key] = [entry.timestamp, entry.timestamp]
            elif entry.step_key in spans:
                spans[entry.step_key][1] = max(spans[entry.step_key][1], entry.timestamp)
        peaks = []
        for step, (start, end) in spans.items():
            inside = [rss for moment, rss in self.samples if start <= moment <= end]
            before = [rss for moment, rss in self.samples if moment <= start] or [0.0]
            if inside:
                peaks.append([step, round(max(inside)), round(before[-1])])
        return sorted(peaks, key=lambda peak: (peak[2] - peak[1], -peak[1]))[:top]


def record_runs(
    runs: list[dict[str, Any]], profiler: cProfile.Profile | None = None
) -> Callable[[], None]:
    """Times every `JobDefinition.execute_in_process` of this process into `runs` (wall, CPU,
    peak and current RSS after it, what it achieved), profiled by `profiler` if given (the
    runs alone, not the imports); returns the function that undoes it."""
    original = dg.JobDefinition.execute_in_process

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        rss = current_mib()
        with MemorySampler() as memory:
            # The charts' renderer is a child still running: its CPU read from /proc.
            wall, cpu = time.perf_counter(), time.process_time() + children_cpu() + renderer_cpu()
            if profiler:
                profiler.enable()
            result = original(self, *args, **kwargs)
            if profiler:
                profiler.disable()
            wall = time.perf_counter() - wall
            cpu = time.process_time() + children_cpu() + renderer_cpu() - cpu
        instance = kwargs.get("instance")
        runs.append(
            {
                "job": self.name,
                "commune": kwargs.get("partition_key"),
                "wall": wall,
                "cpu": cpu,
                "peak_mib": peak_mib(),
                "rss_before_mib": rss,
                "rss_mib": current_mib(),
                "renderer_peak_mib": renderer_peak_mib(),
                "memory_by_step": memory.peaks_by_step(instance.all_logs(result.run_id))
                if instance
                else [],
                **summary_of(result),
            }
        )
        return result

    dg.JobDefinition.execute_in_process = timed  # type: ignore[method-assign]

    def undo() -> None:
        dg.JobDefinition.execute_in_process = original  # type: ignore[method-assign]

    return undo


def child(arguments: list[str]) -> None:
    """In the measured process (`--child-real` or `--child-trivial <shape file>`, `--report
    <file>`, optionally `--profile <file>`): the runs, timed, their figures written as JSON to
    the report (and the profile of the runs to its file)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child-real", action="store_true")
    parser.add_argument("--child-trivial", type=Path)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--partitions", choices=PARTITIONS, default="dynamic")
    parser.add_argument("--runs", type=int, default=1, help="runs per commune")
    options = parser.parse_args(arguments)
    runs: list[dict[str, Any]] = []
    profiler = cProfile.Profile() if options.profile else None
    record_runs(runs, profiler)
    if options.child_trivial:
        status = run_trivial(options.child_trivial, options.partitions, options.runs)
    else:
        from cle_pipeline import cli

        status = cli.main(["demo"])
    if profiler:
        profiler.dump_stats(options.profile)
    options.report.write_text(json.dumps({"status": status, "peak_mib": peak_mib(), "runs": runs}))


def run_trivial(shape_file: Path, partitions: str = "dynamic", runs: int = 1) -> int:
    """The trivial job of the shape, for the commune(s) of CLE_COMMUNE, on the instance of
    DAGSTER_HOME, `runs` in-process runs each as `make demo` does; the commune a dynamic
    partition (as in the project), a static one, or no partition at all (`partitions`)."""
    shape = json.loads(shape_file.read_text())
    communes = os.environ.get("CLE_COMMUNE", DEFAULT_COMMUNE).split(",")
    if partitions == "none":
        shape = [node | {"partitioned": False} for node in shape]
    instance = dg.DagsterInstance.get()
    definitions = trivial_definitions(
        shape,
        Path(instance.storage_directory()) / "trivial",
        static_communes=communes if partitions == "static" else None,
    )
    job = definitions.resolve_job_def(JOB)
    if partitions == "dynamic":
        known = set(instance.get_dynamic_partitions("commune"))
        instance.add_dynamic_partitions("commune", [code for code in communes if code not in known])
    succeeded = True
    for commune in communes * runs:
        result = job.execute_in_process(
            run_config=QUIET,
            instance=instance,
            partition_key=None if partitions == "none" else commune,
            tags={"commune": commune},
            raise_on_error=False,
        )
        succeeded &= result.success
    return 0 if succeeded else 1


def measured_process(arguments: list[str], environment: dict[str, str]) -> dict[str, Any]:
    """Runs `python -m devtools.benchmark_runs <arguments> --report <file>` in a fresh process:
    its report, plus the whole process's wall time and CPU (user + system of the process and
    of its children, as this process's finished children grew by it)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        cpu, started = children_cpu(), time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "devtools.benchmark_runs", *arguments, "--report", str(report)],
            cwd=CHECKOUT,  # where `devtools` is importable from
            env=environment,
            capture_output=True,
            text=True,
        )
        wall, cpu = time.perf_counter() - started, children_cpu() - cpu
        if not report.is_file():
            raise RuntimeError(f"{arguments} failed:\n{process.stderr[-3000:]}")
        figures = json.loads(report.read_text())
    return figures | {"process_wall": wall, "process_cpu": cpu, "output": process.stdout}


# -- the environment of a run ------------------------------------------------------------------


def run_environment(
    home: Path, communes: list[str], extra: dict[str, str], settings: str = ""
) -> dict[str, str]:
    """The environment of a measured process: its own instance (the project's dagster.yaml,
    plus `settings`), published files and cache in `home`, the communes, the checkout
    importable."""
    home.mkdir(parents=True, exist_ok=True)
    instance = home / "dagster_home"
    instance.mkdir(exist_ok=True)
    shutil.copy(CHECKOUT / "dagster.yaml", instance / "dagster.yaml")
    if settings:
        with (instance / "dagster.yaml").open("a", encoding="utf-8") as stream:
            stream.write("\n" + settings.replace("{home}", str(instance)))
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CLE_", "DAGSTER_", "DATAGOUV_"))
    }
    environment.update(
        {
            "DAGSTER_HOME": str(instance),
            "CLE_COMMUNE": ",".join(communes),
            "CLE_OUTPUT_DIR": str(home / "published"),
            "CLE_CACHE_DIR": str(home / "cache"),
            "PYTHONPATH": os.pathsep.join(
                [str(CHECKOUT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            **extra,
        }
    )
    return environment


def snapshot_cog_rows() -> tuple[list[str], list[list[str]]]:
    """The header and rows of the COG snapshot's table of communes."""
    with zipfile.ZipFile(SNAPSHOT_COG) as archive:
        member = next(name for name in archive.namelist() if name.startswith("v_commune_"))
        text = archive.read(member).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, [row for row in rows if row]


def choose_communes(count: int, real_cog: Path) -> tuple[list[str], list[list[str]]]:
    """`count` current communes: the COG snapshot's (76165 and 76231 first), then the real
    COG's, Seine-Maritime (76) first; with their real COG rows (for the ones not in the
    snapshot)."""
    header, rows = snapshot_cog_rows()
    snapshot = [row[header.index("COM")] for row in rows if row[0] == "COM"]
    codes = list(dict.fromkeys([DEFAULT_COMMUNE, "76231", *snapshot]))[:count]
    if len(codes) >= count:
        return codes, []
    if not real_cog.is_file():
        raise SystemExit(
            f"--communes {count}: the COG snapshot holds {len(codes)} communes; the others come "
            f"from a real COG file, not found at {real_cog} (give it with --cog)"
        )
    with real_cog.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        real_header = next(reader)
        current = [row for row in reader if row and row[0] == "COM" and row[1] not in codes]
    if real_header[: len(header)] != header:
        raise SystemExit(f"{real_cog}: its columns are not the COG's {header}")
    current.sort(key=lambda row: (row[3] != "76", row[1]))
    extra = current[: count - len(codes)]
    if len(codes) + len(extra) < count:
        raise SystemExit(
            f"--communes {count}: {real_cog} and the COG snapshot hold "
            f"{len(codes) + len(extra)} communes (give a whole COG with --cog)"
        )
    return codes + [row[1] for row in extra], extra


def benchmark_sources(folder: Path, codes: list[str], extra_rows: list[list[str]]) -> dict:
    """A COG (the snapshot's rows + `extra_rows`) and an outline for every commune of `codes`
    in `folder`: the variables that point the run at them."""
    folder.mkdir(parents=True, exist_ok=True)
    header, rows = snapshot_cog_rows()
    table = io.StringIO(newline="")
    csv.writer(table, lineterminator="\n").writerows([header, *rows, *extra_rows])
    archive = folder / SNAPSHOT_COG.name
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("v_commune_2025.csv", table.getvalue())
    outlines = folder / "contours"
    outlines.mkdir(exist_ok=True)
    stand_in = json.loads((SNAPSHOT_CONTOURS / f"{DEFAULT_COMMUNE}.geojson").read_text())
    for code in codes:
        sample = SNAPSHOT_CONTOURS / f"{code}.geojson"
        if sample.is_file():
            shutil.copy(sample, outlines / sample.name)
            continue
        feature = dict(stand_in)
        feature["properties"] = {"code": code, "note": "benchmark stand-in: 76165's outline"}
        (outlines / f"{code}.geojson").write_text(json.dumps(feature))
    return {
        "CLE_SOURCE_COG_COMMUNES": str(archive),
        "CLE_SOURCE_COMMUNE_CONTOURS": str(outlines / "{commune}.geojson"),
    }


# -- the two measurements -------------------------------------------------------------------


def median_figures(figures: list[dict[str, Any]]) -> dict[str, float]:
    """Medians of a kind's measurements: the whole process and its one run."""
    runs = [each["runs"][0] for each in figures]
    return {
        "process_wall": statistics.median(each["process_wall"] for each in figures),
        "process_cpu": statistics.median(each["process_cpu"] for each in figures),
        "peak_mib": statistics.median(each["peak_mib"] for each in figures),
        "run_wall": statistics.median(run["wall"] for run in runs),
        "run_cpu": statistics.median(run["cpu"] for run in runs),
    }


def compare_graph(work: Path, repeat: int) -> dict[str, Any]:
    """The real graph and the trivial job for one commune, `repeat` times each after a warm-up,
    taking turns: the medians, and what the runs achieved."""
    shape = project_shape()
    work.mkdir(parents=True, exist_ok=True)
    shape_file = work / "shape.json"
    shape_file.write_text(json.dumps(shape))
    kinds = {
        "real": (["--child-real"], run_environment(work / "real", [DEFAULT_COMMUNE], {})),
        "trivial": (
            ["--child-trivial", str(shape_file)],
            run_environment(work / "trivial", [DEFAULT_COMMUNE], {}),
        ),
    }
    measured: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for turn in range(repeat + 1):
        for kind, (arguments, environment) in kinds.items():
            figures = measured_process(arguments, environment)
            if turn:  # the first turn warms the instance up
                measured[kind].append(figures)
            print(
                f"  {kind:8} {'warm-up' if not turn else f'run {turn}':8} "
                f"process {figures['process_wall']:6.1f} s wall {figures['process_cpu']:6.1f} s "
                f"CPU {figures['peak_mib']:5.0f} MiB; run {figures['runs'][0]['wall']:5.1f} s "
                f"wall {figures['runs'][0]['cpu']:5.1f} s CPU",
                flush=True,
            )
    return {
        "shape": shape_counts(shape),
        "real": median_figures(measured["real"]),
        "trivial": median_figures(measured["trivial"]),
        "achieved": measured["real"][-1]["runs"][0],
    }


def build_run(figures: dict[str, Any]) -> dict[str, Any]:
    """The run of `build_commune` among a demo process's runs (a list also runs the national
    passes first)."""
    return next(run for run in figures["runs"] if run["job"] == JOB)


def compare_one_and_two(work: Path, repeat: int) -> dict[str, Any]:
    """`cle-pipeline demo` for 76165, then for 76165 and 76231 (one run over both), `repeat`
    times each after a warm-up, taking turns: the medians of each kind."""
    kinds = {
        "one": run_environment(work / "one", [DEFAULT_COMMUNE], {}),
        "two": run_environment(work / "two", [DEFAULT_COMMUNE, "76231"], {}),
    }
    measured: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for turn in range(repeat + 1):
        for kind, environment in kinds.items():
            figures = measured_process(["--child-real"], environment)
            run = build_run(figures)
            if turn:
                measured[kind].append(figures)
            print(
                f"  {kind:4} {'warm-up' if not turn else f'run {turn}':8} build run "
                f"{run['wall']:5.1f} s wall {run['cpu']:5.1f} s CPU, "
                f"{run['communes_in_run']} commune(s); process {figures['process_cpu']:5.1f} s "
                f"CPU {figures['peak_mib']:4.0f} MiB",
                flush=True,
            )
    return {kind: one_or_two_figures(measured[kind]) for kind in kinds}


def one_or_two_figures(figures: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the demo processes of one kind: the build run, the national passes (a list
    only), the whole process."""
    runs = [build_run(each) for each in figures]
    passes = [sum(run["cpu"] for run in each["runs"] if run["job"] != JOB) for each in figures]
    return {
        "run_wall": statistics.median(run["wall"] for run in runs),
        "run_cpu": statistics.median(run["cpu"] for run in runs),
        "passes_cpu": statistics.median(passes),
        "process_wall": statistics.median(each["process_wall"] for each in figures),
        "process_cpu": statistics.median(each["process_cpu"] for each in figures),
        "peak_mib": statistics.median(each["peak_mib"] for each in figures),
        "released": runs[-1]["datasets_released"],
        "datasets": runs[-1]["datasets"],
        "runs": len(figures[-1]["runs"]),
    }


def one_and_two_lines(figures: dict[str, Any], repeat: int) -> list[str]:
    """Two communes in one run against one, as Markdown."""
    one, two = figures["one"], figures["two"]
    ratio = two["run_cpu"] / one["run_cpu"]
    verdict = (
        "target met"
        if ratio <= TWO_COMMUNES_TARGET
        else f"MISSED by {ratio - TWO_COMMUNES_TARGET:.2f} over the ratio"
    )
    return [
        f"`CLE_COMMUNE={DEFAULT_COMMUNE}` against `CLE_COMMUNE={DEFAULT_COMMUNE},76231` through "
        f"`cle-pipeline demo`: the list is one run of `{JOB}` whose steps take both communes "
        "(`lib/commune_steps.py`), after the national passes (`cut_national_files`) that a list "
        f"runs first. Medians of {repeat} fresh processes each, after one warm-up per kind; "
        f"assets (sources and datasets) with every check passed: {one['released']}/"
        f"{one['datasets']} for one commune, {two['released']}/{two['datasets']} for two "
        "(76231 sent no optional file: warnings).",
        "",
        "| | build run wall | build run CPU | national passes CPU | process wall | process CPU "
        "| peak RSS |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {label} | {each['run_wall']:.1f} s | {each['run_cpu']:.1f} s | "
            f"{each['passes_cpu']:.1f} s | {each['process_wall']:.1f} s | "
            f"{each['process_cpu']:.1f} s | {each['peak_mib']:.0f} MiB |"
            for label, each in (("one commune", one), ("two communes, one run", two))
        ),
        "",
        f"Build run CPU, two communes against one: {ratio:.2f}× (target ≤ "
        f"{TWO_COMMUNES_TARGET}×): {verdict}. With the national passes: "
        f"{(two['run_cpu'] + two['passes_cpu']) / one['run_cpu']:.2f}×; whole process: "
        f"{two['process_cpu'] / one['process_cpu']:.2f}×. (Before this, a list was one run per "
        "commune: two communes cost about 2× one.)",
    ]


def many_communes(work: Path, count: int, real_cog: Path) -> dict[str, Any]:
    """One `cle-pipeline demo` process for `count` communes: its figures and each run's."""
    codes, extra_rows = choose_communes(count, real_cog)
    overrides = benchmark_sources(work / "sources", codes, extra_rows)
    environment = run_environment(work / "communes", codes, overrides)
    started = datetime.now(UTC)
    figures = measured_process(["--child-real"], environment)
    figures["communes"] = codes
    figures["from_snapshot_cog"] = count - len(extra_rows)
    figures["started"] = started.isoformat(timespec="seconds")
    return figures


PARTITIONS = ("dynamic", "static", "none")
# Dagster's event log in one SQLite file rather than one file per run (Dagster's default).
CONSOLIDATED = """event_log_storage:
  module: dagster._core.storage.event_log
  class: ConsolidatedSqliteEventLogStorage
  config:
    base_dir: {home}/history
"""
# What Dagster's floor for the shape is made of: the trivial job as the project runs it, then
# with one instance or definition setting changed.
VARIANTS = (
    ("as the project: dynamic partition, SQLite event log per run", "dynamic", ""),
    ("the commune a static partition", "static", ""),
    ("no partition at all", "none", ""),
    ("dynamic partition, consolidated SQLite event log", "dynamic", CONSOLIDATED),
)


def compare_variants(work: Path) -> list[dict[str, Any]]:
    """The trivial job of the project's shape for 76165 under each of `VARIANTS`: one process
    each, two runs, the second measured (the first creates the tables)."""
    work.mkdir(parents=True, exist_ok=True)
    shape_file = work / "shape.json"
    shape_file.write_text(json.dumps(project_shape()))
    measured = []
    for number, (label, partitions, settings) in enumerate(VARIANTS):
        environment = run_environment(work / f"variant-{number}", [DEFAULT_COMMUNE], {}, settings)
        arguments = ["--child-trivial", str(shape_file), "--partitions", partitions, "--runs", "2"]
        figures = measured_process(arguments, environment)
        run = figures["runs"][-1]
        measured.append(
            {"label": label, "wall": run["wall"], "cpu": run["cpu"], "ok": run["success"]}
        )
        print(f"  {label:62} run {run['wall']:5.1f} s wall {run['cpu']:5.1f} s CPU", flush=True)
    return measured


def variants_lines(variants: list[dict[str, Any]], steps: int) -> list[str]:
    """The trivial job's cost under each setting, as Markdown."""
    base = variants[0]["cpu"]
    lines = [
        f"The trivial job of the project's shape ({steps} steps) for 76165, the second run of a "
        "fresh process (the first creates the tables), under each setting:",
        "",
        "| trivial job | run wall | run CPU | CPU against the project's setting |",
        "|---|---|---|---|",
    ]
    for variant in variants:
        failed = "" if variant["ok"] else " (a step FAILED)"
        lines.append(
            f"| {variant['label']}{failed} | {variant['wall']:.1f} s | {variant['cpu']:.1f} s | "
            f"{variant['cpu'] / base:.2f}× |"
        )
    lines += [
        "",
        f"Dagster's floor for one commune is {base:.1f} s of CPU, {1000 * base / steps:.0f} ms "
        "per step: every event (step start, output, materialization, check evaluation, step "
        "success) is a write to SQLite, and each output or input of a partitioned asset asks the "
        "instance whether its dynamic partition exists.",
    ]
    return lines


def profile_graph(work: Path, top: int = 14) -> list[str]:
    """The real graph and the trivial job for 76165, each once under cProfile (the run only,
    after a warm-up process): self time by package side by side, then the slowest calls of the
    real graph in the project and in Dagster's storage, as printed lines."""
    shape_file = work / "shape.json"
    if not shape_file.is_file():
        work.mkdir(parents=True, exist_ok=True)
        shape_file.write_text(json.dumps(project_shape()))
    stats = {}
    for kind, arguments in (
        ("real", ["--child-real"]),
        ("trivial", ["--child-trivial", str(shape_file)]),
    ):
        environment = run_environment(work / f"profile-{kind}", [DEFAULT_COMMUNE], {})
        measured_process(arguments, environment)
        measured_process([*arguments, "--profile", str(work / f"{kind}.pstats")], environment)
        stats[kind] = pstats.Stats(str(work / f"{kind}.pstats")).stats  # type: ignore[attr-defined]
    real, trivial = self_time_by_package(stats["real"]), self_time_by_package(stats["trivial"])
    lines = [
        f"{'self time of the run, by package (main thread)':48} {'real':>8} {'trivial':>8}",
        f"{'total':48} {sum(real.values()):7.2f}s {sum(trivial.values()):7.2f}s",
    ]
    for package in sorted(real, key=lambda name: -real[name])[:top]:
        lines.append(f"  {package:46} {real[package]:7.2f}s {trivial.get(package, 0.0):7.2f}s")
    lines.append("slowest calls of the real run, cumulative (calls):")
    slowest = sorted(stats["real"].items(), key=lambda item: -item[1][3])
    shown = [entry for entry in slowest if any(part in entry[0][0] for part in INTERESTING)]
    for (filename, line, name), (_, calls, _, cumulative, _) in shown[:top]:
        where = filename.split("site-packages/")[-1].replace(str(CHECKOUT) + "/", "")
        lines.append(f"  {cumulative:6.2f}s {calls:6d}x {where}:{line} {name}")
    total = sum(real.values())
    lines.append("shares of the profiled real run (cProfile slows Python calls: read the shares):")
    for label, function in SHARES:
        cumulative = sum(
            entry[3]
            for (filename, _, name), entry in stats["real"].items()
            if name == function[1] and filename.endswith(function[0])
        )
        lines.append(f"  {label:62} {100 * cumulative / total:5.1f} %")
    return lines


# Functions whose cumulative time says where the real graph's CPU goes.
SHARES = (
    ("events written to the SQLite event log", ("sqlite_event_log.py", "store_event")),
    (
        "connections opened to SQLite (within the writes and reads)",
        ("sqlite_event_log.py", "_connect"),
    ),
    ("dynamic partition lookups", ("sql_event_log.py", "has_dynamic_partition")),
    ("values pickled by the IO manager", ("partitions.py", "handle_output")),
    ("values unpickled by the IO manager", ("partitions.py", "load_input")),
    ("the datasets' checks (lib/checks.py)", ("checks.py", "_checks")),
    ("the charts (lib/charts.py render)", ("charts.py", "render")),
)


def self_time_by_package(stats: dict) -> dict[str, float]:
    """A profile's self time summed by package (`package_of`): parts that add up."""
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, self_time, _, _) in stats.items():
        package = package_of(filename)
        by_package[package] = by_package.get(package, 0.0) + self_time
    return by_package


# Where a profile's cumulative times are worth reading: the project, Dagster's storage and
# execution of steps, pickling.
INTERESTING = (
    "cle_pipeline/",
    "dagster/_core/storage/event_log",
    "dagster/_core/storage/runs",
    "dagster/_core/execution/plan/execute_step",
    "dagster/_core/execution/resources_init",
)
# Packages told apart in a profile (the first matching part of the file name wins).
PACKAGES = (
    ("cle_pipeline/", "cle_pipeline (project code)"),
    ("dagster/_core/storage/", "dagster storage (event log, runs)"),
    ("dagster/_core/execution/", "dagster execution"),
    ("dagster/_core/definitions/", "dagster definitions"),
    ("dagster/", "dagster (other)"),
    ("dagster_shared/", "dagster (other)"),
    ("sqlalchemy/", "sqlalchemy"),
    ("alembic/", "sqlalchemy"),
    ("pandas/", "pandas"),
    ("pandera/", "pandera"),
    ("duckdb", "duckdb"),
    ("matplotlib/", "matplotlib"),
    ("pydantic", "pydantic"),
    ("numpy/", "numpy"),
)


def package_of(filename: str) -> str:
    """The package a profiled function belongs to (built-ins as `~`)."""
    for part, package in PACKAGES:
        if part in filename:
            return package
    if filename == "~":
        return "built-ins (sqlite3, pickle, I/O, …)"
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0]
    return "python standard library"


# -- what is printed and recorded --------------------------------------------------------------


def machine() -> dict[str, Any]:
    """The machine: cores, memory, CPU model, load, date, versions."""
    memory = next(
        int(line.split()[1]) / 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=CHECKOUT, capture_output=True, text=True
    ).stdout.strip()
    from importlib.metadata import version

    return {
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "cpu": model,
        "load": os.getloadavg(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "dagster": version("dagster"),
        "commit": commit,
    }


def graph_lines(graph: dict[str, Any], repeat: int) -> list[str]:
    """The comparison of the graph with the trivial job, as Markdown."""
    real, trivial, shape, achieved = (
        graph["real"],
        graph["trivial"],
        graph["shape"],
        graph["achieved"],
    )
    ratio = real["run_cpu"] / trivial["run_cpu"]
    verdict = (
        "target met"
        if ratio <= GRAPH_RATIO_TARGET
        else f"MISSED by {ratio / GRAPH_RATIO_TARGET:.1f}× ({ratio - GRAPH_RATIO_TARGET:.1f} "
        "over the ratio)"
    )
    return [
        f"The job `{JOB}` for {DEFAULT_COMMUNE}: {shape['steps']} steps, {shape['assets']} assets, "
        f"{shape['checks']} checks ({shape['blocking']} blocking), {shape['inputs']} inputs; "
        f"the real run: {achieved['datasets_released']}/{achieved['datasets']} datasets "
        f"released, {achieved['checks_passed']} checks passed, {achieved['checks_failed']} failed,"
        f" {achieved['steps_failed']} steps failed. Medians of {repeat} fresh processes each, "
        "after one warm-up process per kind.",
        "",
        "| | run wall | run CPU | process wall | process CPU | peak RSS |",
        "|---|---|---|---|---|---|",
        row("real graph (`cle-pipeline demo`)", real),
        row("trivial job, same shape", trivial),
        "| ratio | "
        + " | ".join(
            f"{real[key] / trivial[key]:.2f}×"
            for key in ("run_wall", "run_cpu", "process_wall", "process_cpu", "peak_mib")
        )
        + " |",
        "",
        f"Run CPU against the trivial job: {ratio:.2f}× (target ≤ {GRAPH_RATIO_TARGET}×): "
        f"{verdict}. The real graph's own work costs {real['run_cpu'] - trivial['run_cpu']:.1f} s "
        f"of CPU above Dagster's {trivial['run_cpu']:.1f} s for this shape; the process adds "
        f"{real['process_cpu'] - real['run_cpu']:.1f} s (imports, definitions, COG lookup, "
        f"summary) against {trivial['process_cpu'] - trivial['run_cpu']:.1f} s for the trivial "
        "job's (Dagster imported alone).",
        "",
        f"Memory of the real process: {memory_note(achieved)}.",
    ]


def memory_note(run: dict[str, Any]) -> str:
    """Where a recorded run's memory went: what the process held before it, the steps in which
    it peaked."""
    steps = ", ".join(
        f"`{step}` {peak} MiB (from {start})" for step, peak, start in run["memory_by_step"]
    )
    renderer = run.get("renderer_peak_mib")
    return (
        f"resident memory {run['rss_before_mib']:.0f} MiB before the run (imports, definitions, "
        f"earlier runs), peak {run['peak_mib']:.0f} MiB "
        f"({'within' if run['peak_mib'] <= PEAK_LIMIT_MIB else 'OVER'} the {PEAK_LIMIT_MIB} MiB "
        f"limit); the steps it grew most in: {steps}"
        + (
            f"; the charts' renderer, a process of its own (`lib/chart_renderer.py`: Vega's "
            f"JavaScript engine), peaked at {renderer:.0f} MiB"
            if renderer
            else ""
        )
    )


def row(label: str, figures: dict[str, float]) -> str:
    """A table row of the graph comparison."""
    return (
        f"| {label} | {figures['run_wall']:.1f} s | {figures['run_cpu']:.1f} s | "
        f"{figures['process_wall']:.1f} s | {figures['process_cpu']:.1f} s | "
        f"{figures['peak_mib']:.0f} MiB |"
    )


def communes_lines(figures: dict[str, Any], target: int) -> list[str]:
    """The many-communes run, as Markdown (with the extrapolation to `target` communes when
    fewer were run, labelled as such)."""
    runs, count = figures["runs"], len(figures["communes"])
    builds = [run for run in runs if run["job"] == JOB]
    peak = figures["peak_mib"]
    per_commune = figures["process_cpu"] / count
    lines = [
        f"`CLE_COMMUNE=<{count} codes>` through `cle-pipeline demo`, one process "
        f"({figures['from_snapshot_cog']} communes of the COG snapshot, "
        f"{count - figures['from_snapshot_cog']} more real codes from INSEE's COG: "
        f"{', '.join(figures['communes'][:8])}, …), started {figures['started']}.",
        "",
        f"- whole process: {figures['process_wall']:.0f} s wall, {figures['process_cpu']:.0f} s "
        f"CPU; per commune {figures['process_wall'] / count:.1f} s wall, {per_commune:.1f} s CPU",
        "- its runs: "
        + "; ".join(
            f"`{run['job']}` for {run['commune'] or str(run['communes_in_run']) + ' communes'} "
            f"{run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU"
            + ("" if run["success"] else " (failed)" if run["commune"] else " (failed: split)")
            for run in runs
        ),
        f"- peak RSS of the process (every run is in-process): {peak:.0f} MiB "
        f"({'within' if peak <= PEAK_LIMIT_MIB else 'OVER'} the {PEAK_LIMIT_MIB} MiB limit); "
        f"in the first build run, {memory_note(builds[0])}",
        f"- what succeeded: {sum(run['success'] for run in builds)}/{len(builds)} build runs "
        f"without a failed step, {sum(run['datasets_released'] for run in builds)}/"
        f"{sum(run['datasets'] for run in builds)} assets with every check passed (the "
        f"snapshots hold rows for a few communes only), "
        f"{sum(run['checks_failed'] for run in builds)} failed checks, "
        f"{sum(run['steps_failed'] for run in builds)} failed steps",
    ]
    if count < target:
        lines.append(
            f"- EXTRAPOLATED, not measured: {target} communes would take about "
            f"{figures['process_wall'] / count * target / 60:.0f} min of wall time and "
            f"{per_commune * target / 60:.0f} min of CPU at this run's cost per commune "
            f"(only {count} were run on this shared machine)"
        )
    return lines


SECTION_HEADING = (
    "## Whole runs (`devtools/benchmark_runs.py`, `make benchmark-runs`)\n\n"
    "Each part is written by the run that measured it (a run with `--skip-graph`, say, leaves "
    "the graph's part as it was), and says when, on which machine and under which load."
)


def measured_line(info: dict[str, Any], load_after: tuple[float, ...]) -> str:
    """When, where and under which load a part was measured (a load above half the cores says
    the machine was shared)."""
    shared = max(*info["load"], *load_after) > 0.5 * (info["cores"] or 1)
    return (
        f"Measured {info['date']}, commit {info['commit']}: {info['cores']} cores "
        f"({info['cpu']}), {info['memory_gib']:.1f} GiB of memory, Python {info['python']}, "
        f"Dagster {info['dagster']}. Load average (1, 5, 15 min) {fmt_load(info['load'])} at the "
        f"start, {fmt_load(load_after)} at the end"
        + (
            ": the machine was SHARED with other processes during the measurement, so wall "
            "times are longer than on an idle machine (CPU times less affected)."
            if shared
            else "."
        )
    )


def record_part(path: Path, part: str, title: str, info: dict[str, Any], lines: list[str]) -> None:
    """Writes a part (`runs-<part>`) of the section `runs` of the results file."""
    body = "\n".join([title, "", measured_line(info, os.getloadavg()), "", *lines])
    write_section(path, SECTION, SECTION_HEADING, keep=True)
    write_section(path, f"{SECTION}-{part}", body, within=SECTION)


def fmt_load(load: Iterable[float]) -> str:
    """A load average as `0.52 / 0.40 / 0.31`."""
    return " / ".join(f"{value:.2f}" for value in load)


def write_section(
    path: Path, name: str, body: str, within: str | None = None, keep: bool = False
) -> None:
    """Writes `body` between `<!-- name:start -->` and `<!-- name:end -->` in the Markdown file
    `path`: replaces what was there (unless `keep`: then an existing section stays as it is),
    else appends it at the end of the file or of the section `within` (creating the file with
    its title); every other section is left as it is. A start without its end is an error, not
    a guess."""
    start, end = markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_TITLE
    enclosing = [name] if within is None else [name, within]
    for each in enclosing:
        opening, closing = markers(each)
        if (opening in text) != (closing in text) or text.find(opening) > text.find(closing):
            raise ValueError(
                f"{path}: the markers {opening} and {closing} do not enclose a section"
            )
    if start in text:
        if keep:
            return
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    elif within is not None and markers(within)[1] in text:
        before, after = text.split(markers(within)[1], 1)
        text = before.rstrip("\n") + "\n\n" + block + "\n" + markers(within)[1] + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def markers(name: str) -> tuple[str, str]:
    """The start and end markers of the section `name`."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def main() -> None:
    """`make benchmark-runs`: measures, prints, records each part in the section `runs` of the
    results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="processes per kind (median)")
    parser.add_argument("--communes", type=int, default=100, help="communes of the long run")
    parser.add_argument(
        "--cog",
        type=Path,
        default=REAL_COG,
        help="a real COG table of communes (default: Seine-Maritime's, in devtools/)",
    )
    parser.add_argument("--skip-graph", action="store_true", help="no graph/trivial comparison")
    parser.add_argument("--skip-communes", action="store_true", help="no many-communes run")
    parser.add_argument("--profile", action="store_true", help="profile both kinds once")
    parser.add_argument("--skip-two", action="store_true", help="no one/two communes comparison")
    parser.add_argument(
        "--variants", action="store_true", help="the trivial job under other instance settings"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="the results file")
    parser.add_argument("--no-record", action="store_true", help="print only")
    arguments = parser.parse_args()
    info = machine()

    def record(part: str, title: str, lines: list[str]) -> None:
        print("\n".join([title, "", *lines]), flush=True)
        if not arguments.no_record:
            record_part(arguments.results, part, title, info, lines)
            print(f"recorded in {arguments.results} (section {SECTION}-{part})", flush=True)
        info.update(machine())  # the next part's start

    with tempfile.TemporaryDirectory(prefix="cle-benchmark-runs-") as folder:
        work = Path(folder)
        if not arguments.skip_graph:
            print("the real graph and a trivial job of the same shape, for 76165:", flush=True)
            graph = compare_graph(work / "graph", arguments.repeat)
            title = "### The graph against a trivial job of the same shape"
            record("graph", title, graph_lines(graph, arguments.repeat))
        if not arguments.skip_two:
            print("one commune, then two in one run:", flush=True)
            figures = compare_one_and_two(work / "two", arguments.repeat)
            title = "### Two communes in one run against one"
            record("two", title, one_and_two_lines(figures, arguments.repeat))
        if arguments.variants:
            print("the trivial job under other settings:", flush=True)
            variants = compare_variants(work / "variants")
            steps = shape_counts(project_shape())["steps"]
            record(
                "variants", "### What Dagster's floor is made of", variants_lines(variants, steps)
            )
        if arguments.profile:
            print("profiling the real graph and the trivial job for 76165 (cProfile):", flush=True)
            lines = profile_graph(work / "profile")
            record("profile", "### Where the CPU goes (cProfile)", ["```", *lines, "```"])
        if not arguments.skip_communes:
            print(f"one demo process for {arguments.communes} communes:", flush=True)
            figures = many_communes(work / "many", arguments.communes, arguments.cog)
            title = f"### A run for {arguments.communes} communes"
            record("communes", title, communes_lines(figures, 100))


if __name__ == "__main__":
    if sys.argv[1:2] in (["--child-real"], ["--child-trivial"]):
        child(sys.argv[1:])
    else:
        main()
