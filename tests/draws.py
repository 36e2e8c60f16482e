"""Parameter sets spread over the registry's full bounds, for property tests."""

import numpy as np

from ailead.inputs.registry import load_registry

REGISTRY = load_registry()
UNCERTAIN = REGISTRY.uncertain


def spread(u: np.ndarray) -> dict[str, np.ndarray]:
    """Parameters for u of shape (samples, uncertain parameters) in [0, 1]: each uncertain
    parameter uniform over its bounds (lo + u (hi - lo)), the others at their defaults."""
    n = u.shape[0]
    params = {name: np.full(n, p.default) for name, p in REGISTRY.parameters.items()}
    for j, name in enumerate(UNCERTAIN):
        lo, hi = REGISTRY[name].bounds
        params[name] = lo + u[:, j] * (hi - lo)
    return params
