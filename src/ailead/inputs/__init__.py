"""Inputs: the parameter registry, scenarios, policy levers in time, the calibrated posterior and
YAML loading. Nothing here runs the model."""
