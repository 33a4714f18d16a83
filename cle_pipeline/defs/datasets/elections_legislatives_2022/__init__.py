"""The published dataset `elections_legislatives_2022`: transform, checks, model, sheet."""
