"""Everything Dagster loads: one module per source, one folder per published dataset."""
