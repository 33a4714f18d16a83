"""The published dataset `naissances_deces`: its transform and checks, model and sheet."""
