"""`evolution_effectifs_scolaires`: pupils per school and year, with commune totals."""
