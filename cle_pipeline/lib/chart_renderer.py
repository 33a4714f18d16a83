"""The process that renders charts, apart from the pipeline's: `python -m` this module.

`vl-convert` runs Vega in an embedded JavaScript engine (V8) that, once started, keeps about
120 MiB resident for the life of the process that loaded it (64 MiB at the first chart, the
rest as its heap grows over the next ones). In the pipeline's own process, that came on top of
Dagster, pandas and DuckDB and took a commune's run past 300 MiB; here it lives in a small
process that imports nothing else, started by `lib/charts.py` at the first chart and reused by
every chart of the process.

The protocol is one JSON line per chart on stdin, `{"spec": …, "options": …, "scale": …}`,
answered by one JSON line on stdout: `{"svg": …, "png": <base64>}` or `{"error": …}`. The
process ends when its stdin is closed.
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

import vl_convert


def render(request: dict[str, Any]) -> dict[str, str]:
    """The SVG and the PNG of one request (the PNG drawn from the SVG: one Vega run, not two),
    or the error that stopped it."""
    try:
        svg = vl_convert.vegalite_to_svg(request["spec"], **request["options"])
        png = vl_convert.svg_to_png(svg, scale=request["scale"])
    # Any error of the engine is told to the parent, which raises it in the chart's step.
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return {"svg": svg, "png": base64.b64encode(png).decode("ascii")}


def main() -> None:
    """Answers each request line of stdin until stdin is closed."""
    for line in sys.stdin:
        sys.stdout.write(json.dumps(render(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
