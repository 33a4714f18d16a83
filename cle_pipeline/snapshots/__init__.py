"""Regenerates the snapshots under `data/sources/`: `python -m cle_pipeline.snapshots`.

One module per source, named by its source id, each writing the files that the national
producer publishes, in the same layout, header, separator, encoding and quoting, but holding a
handful of communes: Caudebec-lès-Elbeuf, its neighbours Elbeuf and Saint-Pierre-lès-Elbeuf,
and far-away rows (Paris, a Corsican `2A` code, an overseas `974` one) that the commune cut
must leave out. Every number and name in them is a SAMPLE, plausible but not official.
Generation is deterministic: running it again gives the same bytes.
"""
