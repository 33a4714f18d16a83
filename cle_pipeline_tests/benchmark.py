"""`make benchmark`: times the commune cuts on national-size files and prints the figures.

Not a test (timings depend on the machine): it builds files of the national size from the
snapshots' rows (IRVE: 230,000 charging points, about 160 MB; RNA: 1.5 million associations in
101 department members of a latin-1 zip), then runs each cut in a fresh process, as a run
would, and reports wall time and peak memory (RSS of the whole process) next to the figures
measured on these machines for the fast approach (DuckDB filter / reading only the member).
"""

from __future__ import annotations

import csv
import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from cle_pipeline.lib.files import PROJECT_ROOT

WORK = PROJECT_ROOT / "data" / "cache" / "benchmark"
# Reference figures of DEVELOPERS.md (2-core machines, whole processes, national-size files).
REFERENCE = {"irve": (0.73, 185), "rna_waldec": (0.48, 84)}
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + [
    "2A",
    "2B",
    "971",
    "972",
    "973",
    "974",
    "976",
]


def build_irve(target: Path, rows: int = 230_000) -> None:
    snapshot = (
        PROJECT_ROOT
        / "data/sources/irve/consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
    )
    with snapshot.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        templates = list(reader)
    code = header.index("code_insee_commune")
    pdc = header.index("id_pdc_itinerance")
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(rows):
            row = list(templates[n % len(templates)])
            # The snapshot's rows once; then copies spread over France (never code 76165).
            if n >= len(templates):
                row[code] = f"{DEPARTMENTS[n % len(DEPARTMENTS)][:2]}{n % 700 + 200:03d}"
                row[pdc] = f"FRBEN{n:09d}"
            writer.writerow(row)


def build_rna(target: Path, rows: int = 1_500_000) -> None:
    snapshot = PROJECT_ROOT / "data/sources/rna_waldec/rna_waldec_20221101.zip"
    with zipfile.ZipFile(snapshot) as archive:
        text = archive.read("rna_waldec_20221101_dpt_76.csv").decode("latin-1")
    header, *templates = list(csv.reader(io.StringIO(text), delimiter=";"))
    insee, identifier = header.index("adrs_codeinsee"), header.index("id")
    per_department = rows // len(DEPARTMENTS)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for department in DEPARTMENTS:
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
            writer.writerow(header)
            for n in range(per_department):
                row = list(templates[n % len(templates)])
                if department != "76" or n >= len(templates):
                    row[insee] = f"{department[:2]}{n % 700 + 200:03d}"
                    row[identifier] = (
                        f"W{department[:2].replace('A', '0').replace('B', '0')}{n:07d}"
                    )
                writer.writerow(row)
            archive.writestr(
                f"rna_waldec_20221101_dpt_{department}.csv", buffer.getvalue().encode("latin-1")
            )


def cut(source: str, path: str) -> None:
    """Runs in the child process: what the source asset does, minus Dagster."""
    from cle_pipeline.defs.sources import irve, rna_waldec
    from cle_pipeline.lib.fetch import SourceFetcher
    from cle_pipeline.lib.geo import Commune, read_outline

    outline = read_outline(PROJECT_ROOT / "data/sources/commune_contours/76165.geojson", "outline")
    commune = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28", outline)
    fetcher = SourceFetcher(cache_dir=str(WORK / "cache"))
    started = time.perf_counter()
    if source == "irve":
        rows = irve.cut_commune(Path(path), commune, path)
    elif source == "rna_waldec":
        member = fetcher.extract(
            fetcher.fetch(_local(rna_waldec.SOURCE, path), "76165"),
            rna_waldec.department_member("76"),
        )
        rows = rna_waldec.cut_commune(member, "76165", path)
    elif source == "imports":  # the process with the project imported, before any cut
        rows = []
    else:  # the naive approach, for comparison: pandas reads the whole file
        import pandas as pd

        frame = pd.read_csv(path, dtype=str, low_memory=False)
        rows = frame[frame["code_insee_commune"] == "76165"]
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": len(rows), "seconds": round(elapsed, 2), "peak_mib": round(peak)}))


def _local(source, path):
    import dataclasses

    return dataclasses.replace(source, resolve=None, url=None, snapshot=path)


def measure(source: str, path: Path) -> dict:
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "cle_pipeline_tests.benchmark", "--cut", source, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = round(time.perf_counter() - started, 2)
    return figures


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    irve_file, rna_file = WORK / "irve-national.csv", WORK / "rna_waldec_national.zip"
    if not irve_file.exists():
        print("building a national-size IRVE file…", flush=True)
        build_irve(irve_file)
    if not rna_file.exists():
        print("building a national-size RNA zip…", flush=True)
        build_rna(rna_file)
    sizes = irve_file.stat().st_size / 1e6, rna_file.stat().st_size / 1e6
    print(f"IRVE file: {sizes[0]:.0f} MB; RNA zip: {sizes[1]:.0f} MB")
    print(f"{'cut':28} {'rows':>5} {'cut s':>6} {'process s':>9} {'peak MiB':>8}   reference")
    for label, source, path in [
        ("(imports only)", "imports", irve_file),
        ("irve (DuckDB)", "irve", irve_file),
        ("rna_waldec (member only)", "rna_waldec", rna_file),
        ("irve (naive pandas)", "pandas", irve_file),
    ]:
        figures = measure(source, path)
        reference = REFERENCE.get(source)
        target = f"{reference[0]} s / {reference[1]} MiB" if reference else "3.4 s / 335 MiB seen"
        print(
            f"{label:28} {figures['rows']:>5} {figures['seconds']:>6} "
            f"{figures['process_seconds']:>9} {figures['peak_mib']:>8}   {target}",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cut"]:
        cut(sys.argv[2], sys.argv[3])
    else:
        main()
