"""Checks: the validation table (with the essay's targets), the backtest and release comparison."""
