"""The array namespace of a computation, taken from its inputs.

Every mechanism and the monthly step call `namespace(*inputs)` and use what it returns for
`exp`, `where`, `maximum` and the like, so one code runs on NumPy arrays and, unchanged, on JAX
arrays (also inside `jax.jit`, where the inputs are JAX tracers). Python numbers and NumPy
arrays give NumPy; any JAX array among the inputs gives `jax.numpy`. JAX is imported only then.

Equal-shape arrays are stacked along a new first axis as `xp.asarray([a, b])`, which both
libraries support and which costs NumPy a quarter of `stack` on small arrays (the step does it
about ten times a month).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_NUMPY = (np.ndarray, np.generic, float, int)


def namespace(*values):
    """`jax.numpy` if any value is a JAX array or tracer, else `numpy`."""
    for value in values:
        if not isinstance(value, _NUMPY) and type(value).__module__.startswith("jax"):
            import jax.numpy as jnp

            return jnp
    return np


Array = Any
"""A NumPy or JAX array (or a number that broadcasts like one), for annotations."""
