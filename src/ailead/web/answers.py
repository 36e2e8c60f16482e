"""Answering queued API requests in an engine worker: the runs of a batch share one engine pass.

`answer(jobs)` takes requests as `(kind, request JSON)` pairs, already validated by the app (each
is parsed again here on its own: one that fails fails alone), and returns one `(status, content)`
pair per request: ("ok", the response JSON), ("refused", the
one-line message answered with 422) or ("failed", an internal error, answered with 500). Every
run the batch needs (a run request, or a scenario of a comparison) that is not in the
recent-answers cache goes into one `ailead.engine.run_batch` pass: the monthly loop costs about
as much for one sample as for a few hundred, and no sample reads another's state, so concurrent
requests share its fixed cost. The engine runs compiled (backend "jax") where JAX is installed,
else on NumPy; $AILEAD_BACKEND (numpy or jax) chooses.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from ailead.errors import AileadError, short
from ailead.inputs.scenario import Scenario
from ailead.outputs.engine import BACKENDS, run_batch
from ailead.sim import scan
from ailead.web import results
from ailead.web.models import (
    PRESETS,
    CompareRequest,
    CompareResult,
    RunRequest,
    RunResult,
    SwitchesRequest,
    SwitchesResult,
    plain_errors,
)

REQUESTS: dict[str, type[BaseModel]] = {
    "run": RunRequest,
    "compare": CompareRequest,
    "switches": SwitchesRequest,
}
RunKey = tuple[str, int, int]  # (scenario JSON, samples, seed)
DEFAULT_SAMPLES = 100  # the page's interactive sample count (static/app.js)
BACKEND_ENV = "AILEAD_BACKEND"


def chosen_backend() -> str | None:
    """$AILEAD_BACKEND, None if not set; AileadError if it is not one of BACKENDS."""
    chosen = os.environ.get(BACKEND_ENV)
    if chosen is not None and chosen not in BACKENDS:
        raise AileadError(
            f"{BACKEND_ENV}: value {short(chosen)} is not allowed; allowed: {', '.join(BACKENDS)}"
        )
    return chosen


@cache
def engine_backend() -> str:
    """$AILEAD_BACKEND if set, else "jax" where JAX is installed (compiled), else "numpy"."""
    return chosen_backend() or ("jax" if scan.available() else "numpy")


class RecentRuns:
    """The last `size` described runs by (scenario, samples, seed): about 0.3 MB each, so moving
    a slider back, or opening a shared link, costs nothing. Safe to share between threads."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._runs: OrderedDict[RunKey, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: RunKey) -> dict[str, Any] | None:
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
            return self._runs.get(key)

    def put(self, key: RunKey, run: dict[str, Any]) -> None:
        with self._lock:
            self._runs[key] = run
            self._runs.move_to_end(key)
            while len(self._runs) > self.size:
                self._runs.popitem(last=False)


RECENT = RecentRuns()  # per process: each engine worker keeps its own


def answer(jobs: list[tuple[str, str]]) -> list[tuple[str, bytes | str]]:
    """Answer requests `(kind, request JSON)`, kind in `REQUESTS`; see the module docstring."""
    requests = [_parsed(kind, payload) for kind, payload in jobs]
    scenarios = [_scenarios_or_fault(r) if isinstance(r, BaseModel) else r for r in requests]
    runs = _run_all(
        [
            (sc, request.samples, request.seed)
            for request, wanted in zip(requests, scenarios, strict=True)
            if isinstance(wanted, list) and not isinstance(request, SwitchesRequest)
            for sc in wanted
        ]
    )
    answers: list[tuple[str, bytes | str]] = []
    for request, wanted in zip(requests, scenarios, strict=True):
        if isinstance(wanted, str):
            answers.append(("refused", wanted))
            continue
        if isinstance(wanted, Exception):
            answers.append(("failed", f"{type(wanted).__name__}: {wanted}"))
            continue
        try:
            response = _response(request, wanted, runs)
        except AileadError as exc:
            answers.append(("refused", _one_line(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a fault: this request alone gets a 500
            answers.append(("failed", f"{type(exc).__name__}: {exc}"))
            continue
        answers.append(("ok", response.model_dump_json().encode()))
    return answers


def warm_up() -> None:
    """Load what every request needs (registry, presets, the page's default draws) and run the
    engine once, so that a fresh worker answers its first request at full speed."""
    answer([("run", RunRequest(scenario=PRESETS[0], samples=DEFAULT_SAMPLES).model_dump_json())])


def _parsed(kind: str, payload: str) -> BaseModel | str:
    """The request model, or the message refusing this one request."""
    try:
        return REQUESTS[kind].model_validate_json(payload)
    except ValidationError as exc:
        try:
            body = json.loads(payload)  # to name the fields as the request did
        except ValueError:
            body = None
        return plain_errors(exc.errors(), body)


def _scenarios_or_fault(request: BaseModel) -> list[Scenario] | str | Exception:
    """`_scenarios`, or the exception of a fault in resolving them (this request's alone)."""
    try:
        return _scenarios(request)
    except Exception as exc:  # noqa: BLE001 - answered 500 to this request only
        return exc


def _scenarios(request: BaseModel) -> list[Scenario] | str:
    """The request's scenarios with their overrides, or the message refusing them."""
    if not isinstance(request, CompareRequest):
        try:
            return [results.resolve(request)]
        except AileadError as exc:
            return _one_line(exc)
    resolved = []
    for i, item in enumerate(request.scenarios):
        try:
            resolved.append(results.resolve(item))
        except AileadError as exc:
            return _one_line(f"scenarios[{i}]: {exc}")
    return resolved


def _run_all(runs: list[tuple[Scenario, int, int]]) -> dict[RunKey, dict[str, Any] | Exception]:
    """Each run described, from `RECENT` or else from one engine pass for all the others.

    If the joint pass fails, each run is tried alone, so that only the faulty one gets the error.
    """
    found: dict[RunKey, dict[str, Any] | Exception] = {}
    missing: dict[RunKey, Scenario] = {}
    for scenario, samples, seed in runs:
        key = (scenario.model_dump_json(), samples, seed)
        known = RECENT.get(key)
        if known is not None:
            found[key] = known
        else:
            missing[key] = scenario
    items = list(missing.items())
    try:
        jobs = [(sc, results.draws(n, seed)) for (_, n, seed), sc in items]
        datasets: list = run_batch(jobs, results.VARIABLES, backend=engine_backend())
    except Exception:  # noqa: BLE001 - narrowed down by running each alone
        datasets = [_alone(scenario, key) for key, scenario in items]
    for (key, scenario), ds in zip(items, datasets, strict=True):
        if isinstance(ds, Exception):
            found[key] = ds  # answered to the request that asked for this run
            continue
        ds.attrs["seed"] = key[2]
        try:
            found[key] = results.describe(scenario, ds, key[1], key[2])
        except Exception as exc:  # noqa: BLE001 - answered to the request that asked
            found[key] = exc
            continue
        RECENT.put(key, found[key])
    return found


def _alone(scenario: Scenario, key: RunKey):
    try:
        jobs = [(scenario, results.draws(key[1], key[2]))]
        return run_batch(jobs, results.VARIABLES, backend=engine_backend())[0]
    except Exception as exc:  # noqa: BLE001 - passed on as this run's answer
        return exc


def _response(request: BaseModel, scenarios: list[Scenario], runs) -> BaseModel:
    if isinstance(request, SwitchesRequest):
        return SwitchesResult.model_validate(results.switch_grid(request))
    described = []
    for sc in scenarios:
        run = runs[(sc.model_dump_json(), request.samples, request.seed)]
        if isinstance(run, Exception):
            raise run
        described.append(run)
    if isinstance(request, CompareRequest):
        return CompareResult.model_validate({"results": described})
    return RunResult.model_validate(described[0])


def _one_line(message: object) -> str:
    return " ".join(str(message).split())
