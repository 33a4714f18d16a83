"""The chart renderer: a process of its own, reused, whose errors are raised in the caller."""

import os
import sys

import pytest

from cle_pipeline.lib.charts import PNG_SCALE, Renderer

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "width": 100,
    "height": 50,
    "data": {"values": [{"Année": "2021", "Nombre": 3}, {"Année": "2022", "Nombre": 5}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "Année", "type": "ordinal"},
        "y": {"field": "Nombre", "type": "quantitative"},
    },
}


@pytest.fixture
def renderer():
    renderer = Renderer()
    yield renderer
    renderer.close()


def test_charts_render_in_one_other_process_reused_from_chart_to_chart(renderer):
    svg, png = renderer.render(SPEC)
    process = renderer._process
    again = renderer.render(SPEC)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'width="138" height="105"' in svg  # the plot and its axes
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # Twice the pixels of the SVG: the PNG's width and height (bytes 16-23 of its header).
    assert int.from_bytes(png[16:20], "big") == 138 * PNG_SCALE
    assert int.from_bytes(png[20:24], "big") == 105 * PNG_SCALE
    assert again == (svg, png)
    assert renderer._process is process and process.pid != os.getpid()
    # The JavaScript engine never lands in this process.
    assert "vl_convert" not in sys.modules
    assert 50 < renderer.peak_mib() < 300


def test_a_chart_the_engine_rejects_raises_here_and_the_renderer_goes_on(renderer):
    with pytest.raises(ValueError, match="chart not rendered: ValueError: Vega-Lite to SVG"):
        renderer.render({**SPEC, "mark": "nonsense"})
    assert renderer.render(SPEC)[0].startswith("<svg")


def test_a_renderer_that_died_is_started_again(renderer):
    renderer.render(SPEC)
    renderer._process.kill()
    renderer._process.wait()
    assert renderer.render(SPEC)[0].startswith("<svg")


def test_a_renderer_is_replaced_after_its_number_of_charts():
    renderer = Renderer(max_renders=2)
    try:
        renderer.render(SPEC)
        first = renderer._process
        assert renderer.render(SPEC) == renderer.render(SPEC)
        assert renderer._process is not first
        assert first.returncode == 0  # closed, not killed
    finally:
        renderer.close()


def test_closing_ends_the_renderer_process(renderer):
    renderer.render(SPEC)
    process = renderer._process
    renderer.close()
    assert process.returncode == 0
    assert renderer.peak_mib() is None
