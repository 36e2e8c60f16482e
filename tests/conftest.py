"""Shared test set-up: each test runs with its own run-store home, so no test sees another's runs
or the user's store; the compiled backend keeps its compilation cache in a temporary folder for
the session (or in $AILEAD_JAX_CACHE if set), not in the user's."""

import os
import shutil
import tempfile

import pytest

JAX_CACHE = "AILEAD_JAX_CACHE"  # ailead.sim.scan.CACHE_ENV


def pytest_configure(config):
    """Set before collection: `ailead.sim.scan` reads it once per process, and some test modules
    start the explorer, whose engine warms up, as they are imported."""
    if JAX_CACHE in os.environ:
        return
    folder = tempfile.mkdtemp(prefix="ailead-jax-cache-")
    os.environ[JAX_CACHE] = folder

    def remove():
        os.environ.pop(JAX_CACHE, None)
        shutil.rmtree(folder, ignore_errors=True)

    config.add_cleanup(remove)


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path_factory.mktemp("home")))
