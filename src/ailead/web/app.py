"""The web explorer: a FastAPI app serving the JSON API and the page (plotly.js included).

`create_app(limits)` builds the app; `ailead serve` runs it with uvicorn. The page under
``static/`` uses only the API below. Requests are validated here and answered by the engine
pool (`ailead.web.pool`: worker threads or processes, concurrent runs batched) under a time
limit; refusals are one plain message (`{"detail": ...}`) naming the field, the value and what
is allowed, with status 413, 422 or 503.
"""

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ailead._version import __version__
from ailead.errors import AileadError
from ailead.inputs.registry import load_registry
from ailead.outputs import labels
from ailead.web import results
from ailead.web.limits import BodySizeLimit, Limits
from ailead.web.models import (
    ERRORS,
    PRESETS,
    CompareRequest,
    CompareResult,
    LimitsInfo,
    ParameterInfo,
    RunRequest,
    RunResult,
    ScenarioInfo,
    SwitchesRequest,
    SwitchesResult,
    plain_errors,
    with_sample_cap,
)
from ailead.web.pool import EnginePool, RunTimeout

STATIC = Path(str(resources.files("ailead.web").joinpath("static")))
PLOTLY_JS = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
BATCH_SAMPLES = 500  # about 5 explorer requests a pass: batches stay even across the workers
SWITCH_CELLS_PER_SAMPLE_CAP = 27  # a 3-level grid may use the full sample cap in every cell
DESCRIPTION = (
    "Run the scenarios of '2028: Two scenarios for global AI leadership' with switch and "
    "parameter overrides. Results hold under the stated assumptions; they are not forecasts. "
    "Scenarios are preset names or inline objects: the API never reads files."
)


def create_app(limits: Limits | None = None) -> FastAPI:
    """The explorer app; `limits` default to the environment (see `Limits.from_env`)."""
    limits = limits or Limits.from_env()
    pool = EnginePool(
        limits.workers,
        limits.engine_threads,
        BATCH_SAMPLES,
        limits.timeout_s,
    )
    run_model = with_sample_cap(RunRequest, limits.max_samples)
    compare_model = with_sample_cap(CompareRequest, limits.max_samples)
    switches_model = with_sample_cap(SwitchesRequest, limits.max_samples)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await pool.start()  # warm workers: the first visitor does not wait for imports
        yield
        await pool.stop()

    app = FastAPI(
        title="ailead explorer API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.limits, app.state.pool = limits, pool
    app.add_middleware(
        BodySizeLimit, max_bytes=limits.max_body_bytes, timeout_s=limits.read_timeout_s
    )
    _add_error_handlers(app)

    @app.post("/api/run", response_model=RunResult, responses=ERRORS, tags=["runs"])
    async def run(request: run_model) -> Response:  # type: ignore[valid-type]
        """Run one scenario: headline quantiles at the target, outcome probabilities and
        monthly bands (p5, p25, p50, p75, p95) of the lead, compute, capability and fronts."""
        return _json(await pool("run", request))

    @app.post("/api/compare", response_model=CompareResult, responses=ERRORS, tags=["runs"])
    async def compare(request: compare_model) -> Response:  # type: ignore[valid-type]
        """Run two to four scenarios on the same draws (same samples and seed)."""
        return _json(await pool("compare", request))

    @app.post("/api/switches", response_model=SwitchesResult, responses=ERRORS, tags=["runs"])
    async def switches(request: switches_model) -> Response:  # type: ignore[valid-type]
        """Every combination of the switch levels: the lead and outcome shares per cell."""
        cells = len(request.levels) ** 3
        budget = SWITCH_CELLS_PER_SAMPLE_CAP * limits.max_samples
        if request.samples * cells > budget:
            raise AileadError(
                f"field 'samples': value {request.samples} x {cells} cells is too much work; "
                f"allowed: samples x cells <= {budget}"
            )
        return _json(await pool("switches", request))

    @app.get("/api/scenarios", response_model=list[ScenarioInfo], tags=["reference"])
    def scenarios() -> list[dict[str, Any]]:
        """The preset scenarios with their switch settings."""
        return [results.scenario_info(name) for name in PRESETS]

    @app.get("/api/parameters", response_model=list[ParameterInfo], tags=["reference"])
    def parameters() -> list[dict[str, Any]]:
        """Every parameter: unit, bounds, description, source, switch and levels."""
        return [results.parameter_info(name) for name in load_registry().parameters]

    @app.get("/api/labels", tags=["reference"])
    def label_table() -> dict[str, Any]:
        """Human labels and units of every variable, metric and column; the colours of blocs,
        verdict classes and preset scenarios (the same table the CLI and reports use)."""
        return labels.table()

    @app.get("/api/signposts", responses=ERRORS, tags=["signposts"])
    def signposts_answer(as_of: str | None = None) -> dict[str, Any]:
        """Which world the shipped observations point to (`ailead signposts`): P(world), the
        influence of each indicator, what to watch and each indicator's fan under each world."""
        return _signposts(as_of)

    @app.get("/api/limits", response_model=LimitsInfo, tags=["reference"])
    def limits_info() -> dict[str, Any]:
        """The largest request this server answers."""
        return {"max_samples": limits.max_samples}

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


@functools.lru_cache(maxsize=4)
def _signposts(as_of: str | None) -> dict[str, Any]:
    """The signposts' answer, once per as-of date (the shipped observations do not change)."""
    from ailead.analysis.signposts import signposts

    return signposts(as_of=as_of).to_dict()


def _json(content: bytes) -> Response:
    """An answer the engine worker validated and serialised (pydantic's serialiser: 20-30x
    faster than FastAPI's encoder for the long float lists, and off the event loop)."""
    return Response(content, media_type="application/json")


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
