"""The published dataset `commerces`: its transform and checks, model and sheet."""
