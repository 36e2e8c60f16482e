"""The web explorer: a FastAPI app serving the JSON API and the page (plotly.js included).

`create_app(limits)` builds the app; `ailead serve` runs it with uvicorn. The page under
``static/`` uses only the API below. Engine calls run in a thread pool under a time limit;
refusals are one plain message (`{"detail": ...}`) naming the field, the value and what is
allowed, with status 413, 422 or 503.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ailead import AileadError, __version__, load_registry
from ailead.web import results
from ailead.web.batching import EngineBatcher
from ailead.web.limits import BodySizeLimit, EngineRunner, Limits, RunTimeout
from ailead.web.models import (
    ERRORS,
    PRESETS,
    CompareRequest,
    CompareResult,
    ParameterInfo,
    RunRequest,
    RunResult,
    ScenarioInfo,
    SwitchesRequest,
    SwitchesResult,
    with_sample_cap,
)

STATIC = Path(str(resources.files("ailead.web").joinpath("static")))
PLOTLY_JS = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
_NO_VALUE = object()
BATCH_SAMPLES = 2000  # samples per joined engine pass (at least the request cap)
SWITCH_CELLS_PER_SAMPLE_CAP = 27  # a 3-level grid may use the full sample cap in every cell
DESCRIPTION = (
    "Run the scenarios of '2028: Two scenarios for global AI leadership' with switch and "
    "parameter overrides. Results hold under the stated assumptions; they are not forecasts. "
    "Scenarios are preset names or inline objects: the API never reads files."
)


def create_app(limits: Limits | None = None) -> FastAPI:
    """The explorer app; `limits` default to the environment (see `Limits.from_env`)."""
    limits = limits or Limits.from_env()
    runner = EngineRunner(limits.engine_threads, limits.timeout_s)
    batcher = EngineBatcher(max(limits.max_samples, BATCH_SAMPLES))
    run_model = with_sample_cap(RunRequest, limits.max_samples)
    compare_model = with_sample_cap(CompareRequest, limits.max_samples)
    switches_model = with_sample_cap(SwitchesRequest, limits.max_samples)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(results.warm_up, batcher.run)  # no wait for the first visitor
        yield
        runner.shutdown()
        batcher.shutdown()

    app = FastAPI(
        title="ailead explorer API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.limits = limits
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    _add_error_handlers(app)

    @app.post("/api/run", response_model=RunResult, responses=ERRORS, tags=["runs"])
    async def run(request: run_model) -> Response:  # type: ignore[valid-type]
        """Run one scenario: headline quantiles at the target, outcome probabilities and
        monthly bands (p5, p25, p50, p75, p95) of the lead, compute, capability and fronts."""
        return await runner(_run_one, request, batcher.run)

    @app.post("/api/compare", response_model=CompareResult, responses=ERRORS, tags=["runs"])
    async def compare(request: compare_model) -> Response:  # type: ignore[valid-type]
        """Run two to four scenarios on the same draws (same samples and seed)."""
        return await runner(_run_many, request, batcher.run)

    @app.post("/api/switches", response_model=SwitchesResult, responses=ERRORS, tags=["runs"])
    async def switches(request: switches_model) -> dict[str, Any]:  # type: ignore[valid-type]
        """Every combination of the switch levels: the lead and outcome shares per cell."""
        cells = len(request.levels) ** 3
        budget = SWITCH_CELLS_PER_SAMPLE_CAP * limits.max_samples
        if request.samples * cells > budget:
            raise AileadError(
                f"field 'samples': value {request.samples} x {cells} cells is too much work; "
                f"allowed: samples x cells <= {budget}"
            )
        return await runner(results.switch_grid, request)

    @app.get("/api/scenarios", response_model=list[ScenarioInfo], tags=["reference"])
    def scenarios() -> list[dict[str, Any]]:
        """The preset scenarios with their switch settings."""
        return [results.scenario_info(name) for name in PRESETS]

    @app.get("/api/parameters", response_model=list[ParameterInfo], tags=["reference"])
    def parameters() -> list[dict[str, Any]]:
        """Every parameter: unit, bounds, description, source, switch and levels."""
        return [results.parameter_info(name) for name in load_registry().parameters]

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _run_one(request: RunRequest, engine: results.Engine) -> Response:
    result = results.run_result(results.resolve(request), request.samples, request.seed, engine)
    return _json(RunResult.model_validate(result))


def _run_many(request: CompareRequest, engine: results.Engine) -> Response:
    scenarios = []
    for i, item in enumerate(request.scenarios):
        try:
            scenarios.append(results.resolve(item))
        except AileadError as exc:
            raise AileadError(f"scenarios[{i}]: {exc}") from None
    runs = [results.run_result(sc, request.samples, request.seed, engine) for sc in scenarios]
    return _json(CompareResult.model_validate({"results": runs}))


def _json(result: BaseModel) -> Response:
    """A validated result serialised in the engine thread by pydantic's serialiser: 20-30x faster
    than FastAPI's encoder for the explorer's long float lists, and off the event loop."""
    return Response(result.model_dump_json(), media_type="application/json")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # a body FastAPI cannot decode (e.g. not UTF-8)
            detail = f"request body: {exc.detail.lower()}; allowed: a JSON object in UTF-8"
            return JSONResponse({"detail": detail}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": plain_errors(exc.errors(), exc.body)}, status_code=422)

    @app.exception_handler(AileadError)
    async def refused(_request: Request, exc: AileadError) -> JSONResponse:
        return JSONResponse({"detail": " ".join(str(exc).split())}, status_code=422)

    @app.exception_handler(RunTimeout)
    async def too_slow(_request: Request, exc: RunTimeout) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)


def plain_errors(errors: Sequence[dict[str, Any]], body: Any) -> str:
    """Pydantic errors as one line: `field 'a.b': value X is not allowed: what is allowed`.

    Locations are walked through the request body, so that the tags pydantic adds for the
    branches of a union (`str`, `ScenarioSpec`, ...) are not reported as field names.
    """
    messages: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for err in errors:
        if err["type"] == "json_invalid":
            reason = err.get("ctx", {}).get("error", "malformed JSON")
            return f"request body: malformed JSON: {reason}"
        field = _field(err, body)
        msg = err["msg"].removeprefix("Value error, ")
        messages.setdefault(field, [])
        if msg not in messages[field]:
            messages[field].append(msg[:1].lower() + msg[1:])
        values.setdefault(field, _NO_VALUE if err["type"] == "missing" else err.get("input"))
    parts = []
    for field, msgs in list(messages.items())[:3]:
        what = " or ".join(msgs)
        given = values[field]
        value = "" if given is _NO_VALUE else f"value {_short(given)} is not allowed: "
        name = field if field == "request body" else f"field '{field}'"
        parts.append(f"{name}: {value}{what}")
    return "; ".join(parts)


def _field(err: dict[str, Any], body: Any) -> str:
    loc = list(err["loc"])
    if loc and loc[0] == "body":
        loc = loc[1:]
    node, path = body, []
    for i, key in enumerate(loc):
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if in_dict or in_list:
            node = node[key]
        elif not (i == len(loc) - 1 and err["type"] == "missing"):
            continue  # a union branch tag, not a field
        path.append(f"[{key}]" if isinstance(key, int) else str(key))
    return ".".join(path).replace(".[", "[") or "request body"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
