"""The published dataset `bornes_recharge`: its transform and checks, model and sheet."""
