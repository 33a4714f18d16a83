"""`effectifs_scolaires_2022`: pupils per level in each primary school, rentrée 2022."""
