"""The published dataset `associations`: its transform and checks, model and sheet."""
