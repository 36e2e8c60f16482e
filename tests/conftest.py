"""Shared test set-up: each test runs with its own run-store home, so no test sees another's runs
or the user's store."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path_factory.mktemp("home")))
