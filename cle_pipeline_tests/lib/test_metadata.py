"""What the UI shows of a frame: the markdown preview keeps every value as it is."""

import pandas as pd

from cle_pipeline.lib.metadata import markdown_table


def test_a_pipe_or_a_backslash_in_a_value_keeps_the_columns_and_the_value():
    # Issue 13: `|` broke the preview's columns; issue 11: `(\.\d+)` showed as `(.\d+)`.
    frame = pd.DataFrame({"nom": ["Bar | Tabac", "Mairie"], "motif": [r"^\d+(\.\d+)?$", None]})
    assert markdown_table(frame).splitlines() == [
        "| nom          | motif            |",
        "|:-------------|:-----------------|",
        r"| Bar \| Tabac | ^\\d+(\\.\\d+)?$ |",
        "| Mairie       |                  |",
    ]
