"""Shared test set-up: each test runs with its own run-store home, so no test sees another's runs
or the user's store, and the compiled backend keeps its compilation cache in the session's
temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path_factory.mktemp("home")))
    # the compiled backend's cache (ailead.sim.scan): one per test session, not the user's
    monkeypatch.setenv("AILEAD_JAX_CACHE", str(tmp_path_factory.getbasetemp() / "jax-cache"))
