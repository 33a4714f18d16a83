"""Tools of the checkout, outside the shipped package: the sample-data generators
(`devtools.snapshots`) and the benchmark of the commune cuts (`devtools.benchmark`).

They run from a checkout (`make snapshots`, `make benchmark`) and may import `cle_pipeline`;
`cle_pipeline` never imports them.
"""

from pathlib import Path

# The checkout these tools belong to: its `data/` holds the committed samples.
CHECKOUT = Path(__file__).resolve().parents[1]
DATA = CHECKOUT / "data"
