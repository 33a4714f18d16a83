"""Declarative charts: a Vega-Lite spec with its data inline, rendered to SVG and PNG.

Vega-Lite says what a chart shows (marks, fields, French titles and axis labels), not how to
draw it; `vl-convert-python` renders it (Vega's own JavaScript in an embedded Deno runtime, Rust
wheels for every platform, maintained by the Vega team): no browser, no network, the same bytes
on a laptop and in CI. Data is always inline (`data.values`), never a URL. It renders in a
process of its own (`lib/chart_renderer.py`), started at the first chart and reused: its
JavaScript engine keeps about 120 MiB, which must not weigh on the pipeline's process.

A `Chart` carries its data as a frame with French column names, which is both the spec's data
and the table shown beside the chart (a chart is accessible with its title and its table).
What belongs here is what every chart shares; which charts a dataset gets is decided in
`defs/valorisation/charts.py`.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.metadata import table_of_rows
from cle_pipeline.lib.ui_files import markdown_shown_in_place, served_url

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH = 560
# Numbers in French (`1 234,5`), and no URL may be fetched while rendering: data is inline.
RENDER_OPTIONS: dict[str, Any] = {"format_locale": "fr-FR", "allowed_base_urls": []}
# The PNG has twice the pixels of the SVG, for screens that need it.
PNG_SCALE = 2
# Charts drawn by one renderer process before it is replaced (see `Renderer`).
MAX_RENDERS = 500
# Rows of a chart's data table shown in the asset's metadata (the site and the spec hold all).
TABLE_ROWS = 100


@dataclass(frozen=True)
class Chart:
    """One chart: `name` is its file stem, `data` its table (French column names)."""

    name: str
    title: str
    source: str
    data: pd.DataFrame
    mark: dict[str, Any]
    encoding: dict[str, Any]
    height: int = 320
    # Vega-Lite transforms computed at render time (e.g. a stacking rank), not in the table.
    transform: tuple[dict[str, Any], ...] = ()

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec, data inline, with the title and the source as subtitle."""
        return {
            "$schema": VEGA_LITE_SCHEMA,
            "title": {"text": self.title, "subtitle": f"Source : {self.source}", "anchor": "start"},
            "description": f"{self.title}. Source : {self.source}.",
            "width": WIDTH,
            "height": self.height,
            "data": {"values": json.loads(self.data.to_json(orient="records", force_ascii=False))},
            **({"transform": list(self.transform)} if self.transform else {}),
            "mark": self.mark,
            "encoding": self.encoding,
            "config": {"font": "Liberation Sans, Arial, sans-serif"},
        }


def field(name: str, kind: str, title: str | None = None, **options: Any) -> dict[str, Any]:
    """An encoding channel on a column of the chart's data, titled by the column's name."""
    return {"field": name, "type": kind, "title": title or name, **options}


@dataclass(frozen=True)
class RenderedChart:
    """A chart and the files it was rendered to."""

    chart: Chart
    svg: Path
    png: Path
    spec: Path

    def metadata(self, instance: dg.DagsterInstance, folder: Sequence[str]) -> dict[str, Any]:
        """The chart in the asset's metadata: the image, shown on the asset page itself (served
        by the UI's webserver, `lib/ui_files.py`) with links to its files, then its data table.
        Where the webserver cannot serve it, the SVG inline (behind "[Show Markdown]")."""
        alt = self.chart.title.replace("[", "(").replace("]", ")")
        urls = {
            path: served_url(instance, folder, path) for path in (self.svg, self.png, self.spec)
        }
        if urls[self.svg] is None:
            svg = base64.b64encode(self.svg.read_bytes()).decode("ascii")
            image = dg.MetadataValue.md(f"![{alt}](data:image/svg+xml;base64,{svg})")
        else:
            image = markdown_shown_in_place(
                f"![{alt}]({urls[self.svg]})\n\nTélécharger : [PNG]({urls[self.png]}) · "
                f"[SVG]({urls[self.svg]}) · [spécification Vega-Lite]({urls[self.spec]})"
            )
        return {
            self.chart.name: image,
            f"{self.chart.name}/donnees": table_of_rows(self.chart.data, limit=TABLE_ROWS),
        }


class Renderer:
    """The chart-rendering process (`lib/chart_renderer.py`) of this process: started at the
    first chart, reused by the next ones, ended with this process (or when its stdin closes).

    One request at a time (a lock), and a process of its own for each process: a child forked
    from this one (a worker) starts its own rather than talk through its parent's pipes. After
    `max_renders` charts the renderer is replaced by a new one: its engine's memory grows by
    some 40 KiB a chart (128 MiB after 15 charts, 142 after 300), which a run for every commune
    would otherwise pile up; starting one costs under a second of CPU.
    """

    def __init__(self, max_renders: int = MAX_RENDERS) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._owner = 0
        self._renders = 0
        self.max_renders = max_renders

    def _started(self) -> subprocess.Popen[str]:
        if self._renders >= self.max_renders:
            self.close()
        if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
            package_parent = str(Path(__file__).resolve().parents[2])
            path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
            self._process = subprocess.Popen(
                [sys.executable, "-m", "cle_pipeline.lib.chart_renderer"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": path},
            )
            self._owner, self._renders = os.getpid(), 0
        return self._process

    def render(self, spec: dict[str, Any]) -> tuple[str, bytes]:
        """The SVG and the PNG of the Vega-Lite `spec`."""
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            request = {"spec": spec, "options": RENDER_OPTIONS, "scale": PNG_SCALE}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
            self._renders += 1
        if not answer:
            raise RuntimeError(f"the chart renderer ended (exit code {process.poll()})")
        result = json.loads(answer)
        if "error" in result:
            raise ValueError(f"chart not rendered: {result['error']}")
        return result["svg"], base64.b64decode(result["png"])

    @property
    def pid(self) -> int | None:
        """The renderer process's id, if it runs."""
        running = self._process is not None and self._process.poll() is None
        return self._process.pid if running else None

    def peak_mib(self) -> float | None:
        """The renderer process's peak resident memory (Linux), if it runs."""
        if self.pid is None:
            return None
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(line.split()[1]) / 1024

    def close(self) -> None:
        """Ends the renderer process of this process, if any."""
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


RENDERER = Renderer()
atexit.register(RENDERER.close)


def render(chart: Chart, folder: Path) -> RenderedChart:
    """Writes `<name>.svg`, `<name>.png` (twice the pixels, for screens that need it) and the
    spec `<name>.vl.json` into `folder`."""
    spec = chart.spec()
    paths = RenderedChart(
        chart,
        folder / f"{chart.name}.svg",
        folder / f"{chart.name}.png",
        folder / f"{chart.name}.vl.json",
    )
    svg, png = RENDERER.render(spec)
    write_atomically(paths.svg, svg.encode("utf-8"))
    write_atomically(paths.png, png)
    write_atomically(
        paths.spec, json.dumps(spec, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    )
    return paths
