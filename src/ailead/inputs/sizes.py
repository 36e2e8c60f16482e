"""How large a run may be: the sample count and seed every entry point validates (pydantic).

The API and the command line check `samples` and `seed` with the same types; the API adds its
own sample cap, the command line its cap and a memory estimate (`ailead.outputs.budget`).
A seed is at most 2**32 - 1, which the run store (BIGINT) and the Sobol scrambling both hold.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from ailead.errors import AileadError, short

MAX_SEED = 2**32 - 1
Samples = Annotated[
    StrictInt, Field(ge=1, description="1 = registry defaults; more = Sobol draws.")
]
Seed = Annotated[StrictInt, Field(ge=0, le=MAX_SEED, description="Seed of the parameter draws.")]


class RunSize(BaseModel):
    """A run's sample count and seed."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    samples: Samples = 1
    seed: Seed = 0


def run_size(samples: object, seed: object) -> RunSize:
    """`samples` and `seed` validated; AileadError naming the field, the value and what is
    allowed."""
    try:
        return RunSize.model_validate({"samples": samples, "seed": seed})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = err["loc"][0]
        allowed = "an integer >= 1" if field == "samples" else f"an integer in [0, {MAX_SEED}]"
        raise AileadError(
            f"{field}: value {short(err['input'])} is not allowed; allowed: {allowed}"
        ) from None
