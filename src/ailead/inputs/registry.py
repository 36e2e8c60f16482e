"""The parameter registry: load, validate, describe and sample every number the model uses.

The registry is one YAML file shipped in the package (``registry.yaml``). Each parameter carries a
unit, a default, bounds, an uncertainty distribution and a source or an explicit assumption.
Sampling is quasi-random (scrambled Sobol, ``scipy.stats.qmc``) over every uncertain parameter,
always in registry order, so that fixing one parameter never reshuffles the draws of the others
and scenarios compared with the same seed share their draws (common random numbers).
`Registry.from_normal` is the one transform from standard normals to parameter values (Gaussian
copula, inverse CDFs, bounds): sampling here passes it the correlated parameters' uniforms as
normals, and the calibration's prior (`ailead.calibrate.inference.Prior`) its draws in z. scipy
is imported only when something is drawn, so loading the registry does not load it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ailead.errors import AileadError, short
from ailead.inputs.yaml_files import load_yaml

SWITCHES = ("compute", "access", "distillation")
LEVELS = {"off": 0.0, "status-quo": 0.5, "strong": 1.0}
Z95 = 1.6448536269514722  # scipy.stats.norm.ppf(0.95): half-width of a 5-95% interval in sds


class Source(BaseModel):
    """A citation: title, publisher, year and URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str
    publisher: str
    year: int
    url: str = Field(pattern=r"^https?://")


class SourceRef(BaseModel):
    """A parameter's reference to a source, with a note on how the value was read or derived."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ref: str
    note: str = ""


class Distribution(BaseModel):
    """An uncertainty distribution with named arguments, mapped from uniforms by its inverse CDF."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["fixed", "uniform", "triangular", "lognormal", "normal"]
    args: dict[str, float] = {}

    @model_validator(mode="after")
    def _check_args(self) -> Distribution:
        needed = {
            "fixed": set(),
            "uniform": {"low", "high"},
            "triangular": {"low", "mode", "high"},
            "lognormal": {"p5", "p95"},
            "normal": {"p5", "p95"},
        }[self.kind]
        if set(self.args) != needed:
            raise ValueError(
                f"{self.kind} needs arguments {sorted(needed)}, got {sorted(self.args)}"
            )
        a = self.args
        if self.kind in ("uniform", "triangular") and not a["low"] < a["high"]:
            raise ValueError(f"{self.kind}: low must be below high")
        if self.kind == "triangular" and not a["low"] <= a["mode"] <= a["high"]:
            raise ValueError("triangular: mode must lie in [low, high]")
        if self.kind in ("lognormal", "normal") and not a["p5"] < a["p95"]:
            raise ValueError(f"{self.kind}: p5 must be below p95")
        if self.kind == "lognormal" and a["p5"] <= 0:
            raise ValueError("lognormal: p5 must be positive")
        return self

    @property
    def uncertain(self) -> bool:
        return self.kind != "fixed"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map uniforms in (0, 1) to draws."""
        from scipy import stats

        a = self.args
        if self.kind == "uniform":
            return a["low"] + u * (a["high"] - a["low"])
        if self.kind == "triangular":
            width = a["high"] - a["low"]
            return stats.triang.ppf(u, (a["mode"] - a["low"]) / width, loc=a["low"], scale=width)
        if self.kind == "lognormal":
            mu = 0.5 * (math.log(a["p5"]) + math.log(a["p95"]))
            sigma = (math.log(a["p95"]) - math.log(a["p5"])) / (2 * Z95)
            return np.exp(mu + sigma * stats.norm.ppf(u))
        if self.kind == "normal":
            mu = 0.5 * (a["p5"] + a["p95"])
            sigma = (a["p95"] - a["p5"]) / (2 * Z95)
            return mu + sigma * stats.norm.ppf(u)
        raise ValueError("a fixed distribution has no inverse CDF")

    def describe(self) -> str:
        if not self.uncertain:
            return "fixed"
        return f"{self.kind}(" + ", ".join(f"{k}={v:g}" for k, v in self.args.items()) + ")"


class LeverLevel(BaseModel):
    """What one level of a switch lever stands for: the policy, a source or an assumption, and
    the range of values that policy could mean (a switch's lever reading moves within it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    policy: str = Field(min_length=10)
    range: tuple[float, float]
    source: SourceRef | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _check(self) -> LeverLevel:
        if self.range[0] > self.range[1]:
            raise ValueError(f"range {self.range} is reversed")
        if self.source is None and not self.assumption:
            raise ValueError("needs a source or an assumption")
        return self


class LeverHistory(BaseModel):
    """The recorded value of a lever before a calendar month, the same in every scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    until: str = Field(pattern=r"^\d{4}-\d{2}$")
    value: float
    source: SourceRef


class Parameter(BaseModel):
    """One registry entry. Policy levers tied to a switch carry their value at each named level."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str
    unit: str
    kind: Literal["world", "policy", "model"] = "world"
    switch: Literal["compute", "access", "distillation"] | None = None
    default: float
    bounds: tuple[float, float]
    distribution: Distribution
    levels: dict[Literal["off", "status-quo", "strong"], float] | None = None
    named: dict[str, float] | None = None
    source: SourceRef | None = None
    assumption: str | None = None
    policies: dict[Literal["off", "status-quo", "strong"], LeverLevel] | None = None
    history: LeverHistory | None = None

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        lo, hi = self.bounds
        if lo > hi:
            raise ValueError(f"bounds {self.bounds} are reversed")
        if not lo <= self.default <= hi:
            raise ValueError(f"default {self.default} lies outside the bounds {self.bounds}")
        if self.source is None and not self.assumption:
            raise ValueError("needs a source or an assumption")
        if self.switch is not None:
            if self.kind != "policy" or self.levels is None or set(self.levels) != set(LEVELS):
                raise ValueError(
                    "a switch lever must be kind: policy with levels off/status-quo/strong"
                )
            ordered = [self.levels[k] for k in LEVELS]
            if not (ordered == sorted(ordered) or ordered == sorted(ordered, reverse=True)):
                raise ValueError("levels must be monotone from off to strong")
            if any(not lo <= v <= hi for v in ordered):
                raise ValueError("levels must lie within the bounds")
            self._check_policies()
        if self.kind in ("policy", "model") and self.distribution.uncertain:
            raise ValueError(
                f"{self.kind} parameters are choices: their distribution must be fixed"
            )
        return self

    def _check_policies(self) -> None:
        """Each level's policy range lies in the bounds and holds the level; the ranges' ends run
        from off to strong the way the levels do."""
        if self.policies is None or set(self.policies) != set(LEVELS):
            raise ValueError("a switch lever must give policies for off, status-quo and strong")
        assert self.levels is not None
        values, (lo, hi) = [self.levels[k] for k in LEVELS], self.bounds
        for level, (a, b) in ((k, w.range) for k, w in self.policies.items()):
            if not lo <= a <= self.levels[level] <= b <= hi:
                raise ValueError(f"policies.{level}: the range must hold the level, in bounds")
        for end in (0, 1):
            ends = [self.policies[k].range[end] for k in LEVELS]
            if ends != sorted(ends, reverse=values[0] > values[-1]):
                raise ValueError("policies: ranges must run from off to strong as levels do")

    def lever_value(self, strength: float, reading: float = 0.0) -> float:
        """Lever value at strength s: linear through off (0), status-quo (0.5), strong (1).

        A `reading` r in [-1, 1] first moves every level within its policy range, a share |r| of
        the way to the range's strict end (the end towards `strong`) for r > 0 and to its
        lenient end for r < 0 (r = 0: the levels).
        """
        assert self.levels is not None
        ys = [self.levels[k] for k in LEVELS]
        if reading and self.policies is not None:
            rising = ys[-1] >= ys[0]  # stricter is higher
            ends = [self.policies[k].range[int((reading > 0) == rising)] for k in LEVELS]
            ys = [y + abs(reading) * (e - y) for y, e in zip(ys, ends, strict=True)]
        return float(np.interp(strength, list(LEVELS.values()), ys))

    def parse(self, raw: Any, where: str) -> float:
        """A user value (number, numeric string or named value) as a float within bounds."""
        if isinstance(raw, str) and self.named and raw in self.named:
            return self.named[raw]
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        try:
            value = float(raw)
        except (TypeError, ValueError, OverflowError):
            allowed = f"a number in [{self.bounds[0]:g}, {self.bounds[1]:g}]"
            if self.named:
                allowed += " or one of " + ", ".join(self.named)
            raise AileadError(
                f"{where}: value {short(raw)} is not a number; allowed: {allowed}"
            ) from None
        lo, hi = self.bounds
        if not (lo <= value <= hi) or math.isnan(value):
            raise AileadError(
                f"{where}: value {value:g} is out of bounds for {self.name}; "
                f"allowed: [{lo:g}, {hi:g}] {self.unit}"
            )
        return value


class Correlation(BaseModel):
    """A rank (Spearman) correlation between two uncertain parameters, with its justification."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    between: tuple[str, str]
    rank: float = Field(gt=-1.0, lt=1.0)
    source: SourceRef | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Correlation:
        if self.between[0] == self.between[1]:
            raise ValueError(f"{self.between[0]} cannot be correlated with itself")
        if self.source is None and not self.assumption:
            raise ValueError("needs a source or an assumption giving the reasoning")
        return self


class PolicyCost(BaseModel):
    """The stylised cost of a switch at each named level, in relative cost units."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    unit: str
    levels: dict[Literal["off", "status-quo", "strong"], float]
    assumption: str = Field(min_length=30)

    @model_validator(mode="after")
    def _check(self) -> PolicyCost:
        if set(self.levels) != set(LEVELS):
            raise ValueError("levels must give off, status-quo and strong")
        ordered = [self.levels[k] for k in LEVELS]
        if min(ordered) < 0 or ordered != sorted(ordered):
            raise ValueError(
                f"levels {ordered} must be non-negative and non-decreasing from off to strong"
            )
        return self

    def at(self, strength: float | np.ndarray) -> float | np.ndarray:
        """Cost at switch strength s: linear through off (0), status-quo (0.5), strong (1)."""
        return np.interp(strength, list(LEVELS.values()), [self.levels[k] for k in LEVELS])


class Registry(BaseModel):
    """All parameters, the sources they cite, their rank correlations and the policy costs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sources: dict[str, Source]
    parameters: dict[str, Parameter]
    correlations: tuple[Correlation, ...] = ()
    policy_costs: dict[Literal["compute", "access", "distillation"], PolicyCost] = {}

    @model_validator(mode="after")
    def _check_refs(self) -> Registry:
        for p in self.parameters.values():
            refs = [p.source] + [w.source for w in (p.policies or {}).values()]
            refs += [p.history.source] if p.history else []
            for ref in refs:
                if ref is not None and ref.ref not in self.sources:
                    raise ValueError(f"parameter {p.name}: unknown source {ref.ref!r}")
        self._check_correlations()
        return self

    def _check_correlations(self) -> None:
        seen = set()
        for c in self.correlations:
            pair = " and ".join(c.between)
            for name in c.between:
                if name not in self.parameters or not self.parameters[name].distribution.uncertain:
                    raise ValueError(
                        f"correlations: {pair}: {name!r} is not an uncertain parameter; "
                        "allowed: parameters with a distribution other than fixed"
                    )
            if frozenset(c.between) in seen:
                raise ValueError(f"correlations: {pair} is given twice")
            seen.add(frozenset(c.between))
            if c.source is not None and c.source.ref not in self.sources:
                raise ValueError(f"correlations: {pair}: unknown source {c.source.ref!r}")
        if self.correlations:
            names, matrix = self.normal_correlation()
            smallest = float(np.linalg.eigvalsh(matrix)[0])
            if smallest <= 1e-10:
                raise ValueError(
                    f"correlations: the correlation matrix of {', '.join(names)} is not positive "
                    f"definite (smallest eigenvalue {smallest:.3g}); some of the declared rank "
                    "correlations contradict each other: weaken them"
                )

    def normal_correlation(self) -> tuple[list[str], np.ndarray]:
        """The Gaussian copula's correlation matrix over the correlated parameters.

        A rank correlation rho_s between two variables of a Gaussian copula needs the normal
        (Pearson) correlation r = 2 sin(pi rho_s / 6) (Kruskal 1958); undeclared pairs get 0.
        Names are in registry order.
        """
        involved = {name for c in self.correlations for name in c.between}
        names = [n for n in self.parameters if n in involved]
        index = {n: i for i, n in enumerate(names)}
        matrix = np.eye(len(names))
        for c in self.correlations:
            i, j = index[c.between[0]], index[c.between[1]]
            matrix[i, j] = matrix[j, i] = 2.0 * math.sin(math.pi * c.rank / 6.0)
        return names, matrix

    def __getitem__(self, name: str) -> Parameter:
        return self.get(name)

    def get(self, name: str, where: str = "parameter") -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            close = _closest(name, self.parameters)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise AileadError(
                f"{where}: unknown parameter {short(name)}{hint}; `ailead params` lists them all"
            ) from None

    @property
    def uncertain(self) -> list[str]:
        return [n for n, p in self.parameters.items() if p.distribution.uncertain]

    def levers(self, switch: str) -> list[Parameter]:
        return [p for p in self.parameters.values() if p.switch == switch]

    def citation(self, name: str) -> str:
        """One line saying where a parameter's value comes from."""
        p = self.parameters[name]
        if p.source is None:
            return f"assumption: {p.assumption}"
        s = self.sources[p.source.ref]
        text = f"{s.title}, {s.publisher}, {s.year}, {s.url}"
        return f"{text}. {p.source.note}".strip() if p.source.note else text

    def sample(
        self, n: int, seed: int, overrides: dict[str, float] | None = None, start: int = 0
    ) -> dict[str, np.ndarray]:
        """Parameter arrays of length n: draws start..start+n-1 of the run's sequence.

        n == 1 (start 0) gives the registry defaults. Otherwise every uncertain parameter is drawn
        from its distribution with a scrambled Sobol sequence seeded by ``seed``: the first k
        draws of a run of n equal a run of k, and a chunk (``start`` > 0) skips the draws before
        it without making them. Parameters named in ``correlations`` are coupled by a Gaussian
        copula (marginals unchanged). Overridden parameters take their value in every sample.
        """
        overrides = overrides or {}
        values = {name: np.full(n, p.default) for name, p in self.parameters.items()}
        if n >= 2 or start > 0:
            from scipy import stats
            from scipy.stats import qmc

            names = self.uncertain
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # balance warning for n != 2^m
                sobol = qmc.Sobol(d=len(names), scramble=True, seed=seed)
                u = (sobol.fast_forward(start) if start else sobol).random(n)
            u = np.clip(u, 1e-12, 1 - 1e-12)
            coupled = set(self.normal_correlation()[0])
            free = [j for j, name in enumerate(names) if name not in coupled]
            tied = [j for j, name in enumerate(names) if name in coupled]
            values.update(self.from_unit(u[:, free], [names[j] for j in free]))
            if tied:  # through normal space, so that the uncoupled columns stay as drawn
                z = stats.norm.ppf(u[:, tied])
                values.update(self.from_normal(z, [names[j] for j in tied]))
        for name, value in overrides.items():
            values[name] = np.full(n, float(value))
        return values

    def from_unit(
        self,
        u: np.ndarray,
        names: Sequence[str],
        distributions: Sequence[Distribution] | None = None,
        bounds: Sequence[tuple[float, float]] | None = None,
    ) -> dict[str, np.ndarray]:
        """Uniforms u (n, len(names)) in [0, 1] as draws: x = clip(F^-1(u), bounds) per name.

        u is first kept 1e-12 inside (0, 1) so that unbounded distributions stay finite. F and
        the bounds are the registry's unless `distributions` and `bounds` (one per name) replace
        them. No copula: the columns are used as given.
        """
        if distributions is None:
            distributions = [self.parameters[name].distribution for name in names]
        if bounds is None:
            bounds = [self.parameters[name].bounds for name in names]
        u = np.clip(u, 1e-12, 1 - 1e-12)
        return {
            name: np.clip(dist.ppf(u[:, j]), *limit)
            for j, (name, dist, limit) in enumerate(zip(names, distributions, bounds, strict=True))
        }

    def from_normal(
        self,
        z: np.ndarray,
        names: Sequence[str],
        distributions: Sequence[Distribution] | None = None,
        bounds: Sequence[tuple[float, float]] | None = None,
    ) -> dict[str, np.ndarray]:
        """Standard normals z (n, len(names)) as draws, with the declared rank correlations.

        The columns of the parameters the registry correlates (those among `names`) are coupled
        by a Gaussian copula: z' = z L^T over those columns, with L L^T the normal correlation
        matrix restricted to them (Cholesky). Each row is transformed alone, so prefix stability
        is kept, and each column of z' is still standard normal, so every marginal is
        unchanged. Then x = clip(F^-1(Phi(z')), bounds) per name, as in `from_unit`.
        """
        from scipy import stats

        coupled, matrix = self.normal_correlation()
        keep = [i for i, name in enumerate(coupled) if name in names]
        if keep:
            cols = [list(names).index(coupled[i]) for i in keep]
            z = z.copy()
            z[:, cols] = z[:, cols] @ np.linalg.cholesky(matrix[np.ix_(keep, keep)]).T
        return self.from_unit(stats.norm.cdf(z), names, distributions, bounds)


def _closest(name: str, options: Any) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, list(options), n=1)
    return found[0] if found else None


def _parse_entry(name: str, raw: dict[str, Any]) -> dict[str, Any]:
    entry = dict(raw, name=name)
    dist = entry.get("distribution", "fixed")
    if dist == "fixed":
        entry["distribution"] = {"kind": "fixed"}
    elif isinstance(dist, dict) and len(dist) == 1:
        ((kind, args),) = dist.items()
        entry["distribution"] = {"kind": kind, "args": args}
    if "levels" in entry and "default" not in entry:
        entry["default"] = entry["levels"]["status-quo"]
    return entry


@cache
def load_registry() -> Registry:
    """The registry shipped with ailead (parsed and validated once, then shared; it is frozen)."""
    text = resources.files("ailead").joinpath("inputs/registry.yaml").read_text(encoding="utf-8")
    return parse_registry(load_yaml(text))


def parse_registry(raw: dict[str, Any], label: str = "registry.yaml") -> Registry:
    """A registry from its parsed YAML mapping; errors name the entry and what is wrong."""
    try:
        return Registry(
            sources=raw["sources"],
            parameters={n: _parse_entry(n, e) for n, e in raw["parameters"].items()},
            correlations=raw.get("correlations") or (),
            policy_costs=raw.get("policy_costs") or {},
        )
    except ValidationError as exc:  # a broken shipped registry is a bug, but say where
        problems = (
            ".".join(str(x) for x in err["loc"]) + ": " + err["msg"].removeprefix("Value error, ")
            if err["loc"]
            else err["msg"].removeprefix("Value error, ")
            for err in exc.errors()
        )
        raise AileadError(f"{label}: " + "; ".join(problems)) from None
