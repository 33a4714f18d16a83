"""The published dataset `elections_presidentielle_2022`: transform, checks, model, sheet."""
