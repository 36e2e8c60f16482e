"""Shared test set-up: each test runs with its own run-store home, so no test sees another's runs
or the user's store, and the compiled backend keeps its compilation cache in the session's
temporary folder, not the user's."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _session_jax_cache(tmp_path_factory):
    """Set before any fixture runs the engine: `ailead.sim.scan` reads it once per process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AILEAD_JAX_CACHE", str(tmp_path_factory.mktemp("jax-cache")))
        yield


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path_factory.mktemp("home")))
