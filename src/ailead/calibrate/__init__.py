"""Calibration: observations of the record, the SMC sampler, inference and the ECI scale."""
