"""One folder per published dataset (assets.py, schema.py, sheet.py), and what datasets share."""
