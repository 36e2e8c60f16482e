"""The docstrings' equations (rendered in LaTeX on the model reference) compute what the code does.

Each case evaluates the right side of a docstring's `lhs = rhs` line as Python, with the
docstring's symbols bound to the function's arguments, and compares it with the function.
"""

import ast
import inspect
import math
import re

import numpy as np
import pytest

from ailead.model import (
    adoption,
    capability,
    compute,
    distillation,
    lead,
    markets,
    resilience,
    responses,
)

SYMBOLS = {"ln": math.log, "log": math.log, "exp": math.exp, "inf": math.inf, "round": round}


def _rhs(fn, lhs: str) -> str:
    """The right side of the docstring clause `lhs = rhs`: its longest part before a comma that
    parses (clauses end at semicolons and wide gaps, as in `docs_latex`)."""
    for line in inspect.getdoc(fn).splitlines():
        for clause in re.split(r";\s+|\s{3,}", line.strip()):
            head, sep, tail = clause.partition(lhs + " = ")
            if not sep or (head.strip() and not head.rstrip().endswith(":")):
                continue
            cuts = [m.start() for m in re.finditer(r",\s", tail)] + [len(tail)]
            for cut in reversed(cuts):
                try:
                    ast.parse(tail[:cut].rstrip("."), mode="eval")
                except SyntaxError:
                    continue
                return tail[:cut].rstrip(".")
    raise AssertionError(f"{fn.__name__}: no clause '{lhs} = ...'")


class Path(float):
    """A quantity X with its start value X(0): X / X(0) in a docstring."""

    def __new__(cls, now: float, start: float):
        self = super().__new__(cls, now)
        self.start = start
        return self

    def __call__(self, month):
        assert month == 0
        return self.start


FIRED, NOT_FIRED = 7.0, math.inf
B = {"price": 0.8, "onprem": 0.3, "promo": 0.5}
CASES = [  # (function, lhs, the docstring's symbols, the function's arguments)
    (adoption.bass_step, "a'", dict(a=0.2, p=0.01, q=0.4, M=1.3), (0.2, 0.01, 0.4, 1.3)),
    (adoption.bass_step, "a'", dict(a=0.2, p=3.0, q=9.0, M=5.0), (0.2, 3.0, 9.0, 5.0)),
    (
        adoption.log_inference_price,
        "ln(p)",
        dict(X=3.0, X_0=2.0, a=0.1, a_0=0.05, s=0.4),
        (3.0, 2.0, 0.1, 0.05, 0.4),
    ),
    (
        capability.largest_run_flop,
        "C",
        dict(f_run=0.1, A=1e6, u=0.4, T=4.0, s_month=365.25 * 86400 / 12, F_H100=9.9e14),
        (1e6, 0.1, 0.4, 4.0, 9.9e14),
    ),
    (
        compute.domestic_chips,
        "chips",
        dict(W=5e4, s_ai=0.3, n_wafer=60.0, y=0.4, n_chip=2.0, H=1e5, n_hbm=8.0),
        (5e4, 0.3, 60.0, 0.4, 2.0, 1e5, 8.0),
    ),
    (compute.hbm_stockpile_drawdown, "H_stock(t)", dict(S_0=1e6, M=12.0, t=3.0), (1e6, 12.0, 3.0)),
    (compute.hbm_stockpile_drawdown, "H_stock(t)", dict(S_0=1e6, M=12.0, t=12.0), (1e6, 12.0, 12)),
    (compute.monthly_retention, "r", dict(L=4.0), (4.0,)),
    (
        distillation.own_capability_for,
        "I_own",
        dict(I=1.0, phi=0.3, ceiling=1.5),
        (1.0, 0.3, 1.5),
    ),
    (distillation.own_capability_for, "I_own", dict(I=2.0, phi=0.3, ceiling=1.5), (2.0, 0.3, 1.5)),
    (lead.lead_ooms, "L_OOM", dict(I_us=1.2, I_cn=0.7), (1.2, 0.7)),
    (
        markets.log_serving_price,
        "ln(p_s)",
        dict(X_s=Path(5.0, 2.0), s=0.3),
        (5.0, 2.0, 0.3),
    ),
    (
        markets.policy_utility,
        "V_policy",
        dict(b_price=0.8, b_onprem=0.3, b_promo=0.5, price=0.7, open=0.4, promo=0.6),
        (0.7, 0.4, 0.6, B),
    ),
    (
        resilience.displacement_pace,
        "pace",
        dict(e=0.3, da=0.01, k_cap=0.5, dI=0.8),
        (0.01, 0.3, 0.8, 0.5),
    ),
    (
        responses.latch,
        "t_fire'",
        dict(t=9.0, t_fire=NOT_FIRED, condition=True),
        (NOT_FIRED, True, 9.0),
    ),
    (responses.latch, "t_fire'", dict(t=9.0, t_fire=FIRED, condition=True), (FIRED, True, 9.0)),
    (
        responses.latch,
        "t_fire'",
        dict(t=9.0, t_fire=NOT_FIRED, condition=False),
        (NOT_FIRED, False, 9.0),
    ),
    (responses.stockpile_factor, "F", dict(announced=True, u=0.5, on=1.0), (True, 0.5, 1.0)),
    (responses.stockpile_factor, "F", dict(announced=False, u=0.5, on=1.0), (False, 0.5, 1.0)),
    (
        responses.buildout_factor,
        "F",
        dict(t=40.0, t_fire=FIRED, b=0.2, d=12.0, on=1.0),
        (FIRED, 40.0, 0.2, 12.0, 1.0),
    ),
    (
        responses.buildout_factor,
        "F",
        dict(t=10.0, t_fire=FIRED, b=0.2, d=12.0, on=1.0),
        (FIRED, 10.0, 0.2, 12.0, 1.0),
    ),
    (
        responses.buildout_factor,
        "F",
        dict(t=40.0, t_fire=NOT_FIRED, b=0.2, d=12.0, on=1.0),
        (NOT_FIRED, 40.0, 0.2, 12.0, 1.0),
    ),
    (
        responses.open_weight_share,
        "o",
        dict(t_fire=FIRED, o_base=0.2, o_max=0.7, on=1.0),
        (FIRED, 0.2, 0.7, 1.0),
    ),
    (
        responses.open_weight_share,
        "o",
        dict(t_fire=NOT_FIRED, o_base=0.2, o_max=0.7, on=1.0),
        (NOT_FIRED, 0.2, 0.7, 1.0),
    ),
    (responses.retaliation_factor, "F", dict(t_fire=FIRED, c=0.1, on=1.0), (FIRED, 0.1, 1.0)),
    (
        responses.retaliation_factor,
        "F",
        dict(t_fire=NOT_FIRED, c=0.1, on=1.0),
        (NOT_FIRED, 0.1, 1.0),
    ),
]


@pytest.mark.parametrize(("fn", "lhs", "symbols", "args"), CASES)
def test_a_docstring_equation_computes_what_its_function_returns(fn, lhs, symbols, args):
    stated = eval(_rhs(fn, lhs), {"__builtins__": {"min": min, "max": max}}, SYMBOLS | symbols)
    assert np.allclose(fn(*(np.float64(a) if isinstance(a, float) else a for a in args)), stated)


def test_the_starting_installed_shares_match_their_docstring():
    f, s_us, s_cn = 0.4, 0.5, 0.3
    symbols = {"f": f, "sigma_us": lambda _: s_us, "sigma_cn": lambda _: s_cn}
    us, cn = markets.starting_installed(s_us, s_cn, f)
    for name, value in (("s_us(0)", us), ("s_cn(0)", cn)):
        assert math.isclose(eval(_rhs(markets.starting_installed, name), {}, symbols), value)
