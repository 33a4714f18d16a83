"""Machinery that knows no source or dataset: fetch, read, normalise, check, publish."""
