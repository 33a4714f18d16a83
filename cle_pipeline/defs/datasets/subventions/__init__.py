"""The published dataset `subventions`: its transform and checks, model and sheet."""
