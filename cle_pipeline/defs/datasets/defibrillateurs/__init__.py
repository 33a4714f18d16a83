"""The published dataset `defibrillateurs`: its transform and checks, model and sheet."""
