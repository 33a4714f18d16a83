"""`elus`: the municipal council of the commune (RNE), public fields only."""
