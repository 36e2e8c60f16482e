"""Simulation: the model's state, its pure monthly step and the drivers that loop over it."""
