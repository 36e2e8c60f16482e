"""The house rules the code keeps: modules under 500 lines, functions in sim/ and model/ under 80
lines, and no direct NumPy call in a mechanism or in the step (they take their array namespace
from their inputs, so the same code runs under JAX)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ailead"
MODULES = sorted(PACKAGE.rglob("*.py"))
PURE = [  # model/arrays.py is the one place that chooses the namespace
    *(path for path in sorted((PACKAGE / "model").glob("*.py")) if path.name != "arrays.py"),
    *(PACKAGE / "sim" / name for name in ("flows.py", "frontier.py", "state.py", "step.py")),
]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_under_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 500


@pytest.mark.parametrize(
    "path",
    [*sorted((PACKAGE / "model").glob("*.py")), *sorted((PACKAGE / "sim").glob("*.py"))],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_functions_in_the_model_and_simulation_stay_under_80_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 80
    ]
    assert not long


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_mechanisms_and_the_step_call_no_numpy_directly(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"np", "numpy", "jnp"}
