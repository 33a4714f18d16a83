"""The published dataset `horaires_services`: its transform and checks, model and sheet."""
