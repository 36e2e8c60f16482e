"""Regenerate everything the validation shows, from the model (never typed by hand).

    python tools/update_validation.py            # posterior, tables, backtest report
    python tools/update_validation.py --release  # ... and record this version's outputs

In order: recalibrate the shipped parameter set (src/ailead/data/posterior.csv); write
docs/validation.md (validation table, calibration, backtest with its chart docs/backtest.png and
.svg); in docs/model.md, replace the essay's calibration targets at the registry defaults between
`<!-- targets:start -->` and `<!-- targets:end -->`; with --release, store the presets' key
outputs for this version (`ailead changes --record`).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from ailead.calibrate.inference import calibrate
from ailead.checks import releases as regression
from ailead.checks.backtest import (
    CALIBRATED_UNTIL,
    HELD_OUT,
    SCENARIO,
    chart,
    initial_conditions,
    run_backtest,
)
from ailead.checks.validate import (
    TABLE_SAMPLES,
    TABLE_SEED,
    markdown,
    targets_markdown,
    validate,
)
from ailead.inputs.posterior import shipped_posterior_path

ROOT = Path(__file__).resolve().parents[1]
MODEL_PAGE = ROOT / "docs" / "model.md"
DOCS = ROOT / "docs" / "validation.md"
CHART = ROOT / "docs" / "backtest"
PARTICLES = 1000
START, END = "<!-- validation:start -->", "<!-- validation:end -->"
TARGETS_START, TARGETS_END = "<!-- targets:start -->", "<!-- targets:end -->"


def g(value: float) -> str:
    """A number in three significant figures, short exponents."""
    if pd.isna(value):
        return "n/a"
    text = f"{value:.3g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def grid(frame: pd.DataFrame) -> str:
    """A DataFrame of text cells as a Markdown table."""
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join(lines)


def calibration_section(cal) -> str:
    res = cal.result
    params = cal.parameter_table()
    params = pd.DataFrame(
        {
            "parameter": params["parameter"],
            "unit": params["unit"],
            "prior p50 [p5, p95]": [
                f"{g(r.prior_p50)} [{g(r.prior_p5)}, {g(r.prior_p95)}]" for r in params.itertuples()
            ],
            "posterior p50 [p5, p95]": [
                f"{g(r.post_p50)} [{g(r.post_p5)}, {g(r.post_p95)}]" for r in params.itertuples()
            ],
            "narrowing": [f"{v:.0%}" for v in params["narrowing"]],
        }
    )
    fit = cal.fit_table()
    fit = pd.DataFrame(
        {
            "series": fit["series"],
            "bloc": fit["bloc"],
            "date": fit["end"],
            "observed": [f"{g(v)} {u}" for v, u in zip(fit["observed"], fit["unit"], strict=True)],
            "prior": [
                f"{g(r.prior_p50)} [{g(r.prior_p5)}, {g(r.prior_p95)}]" for r in fit.itertuples()
            ],
            "posterior": [
                f"{g(r.post_p50)} [{g(r.post_p5)}, {g(r.post_p95)}]" for r in fit.itertuples()
            ],
            "z": [f"{v:+.1f}" for v in fit["z"]],
        }
    )
    return "\n\n".join(
        [
            "## Calibration",
            f"`ailead calibrate --samples {PARTICLES} --seed 0`: {len(cal.prior.names)} "
            f"parameters that move the record (a one-at-a-time screen) history-matched against "
            f"{len(cal.observations)} observations of 2025 (and the installed compute at the "
            f"end of 2024) by likelihood-tempered SMC: {len(res.betas) - 1} tempering steps, "
            f"final ESS {res.ess:.0f} of {PARTICLES}; plain importance weighting of the prior "
            f"draws would have kept an ESS of {res.prior_ess:.1f}. Likelihood: Gaussian in log10 "
            "for quantities and linear for ECI points and months, with sd^2 = observation sd^2 "
            "+ series discrepancy^2, and log Phi((model - value) / sd) for rows that only bound "
            "the truth (`src/ailead/data/observations/README.md`). The other "
            "uncertain parameters keep their prior.",
            grid(params),
            "Fit of every observation (z: posterior median minus observation, in combined sds):",
            grid(fit),
        ]
    )


def backtest_section() -> str:
    head = [
        "## Backtest",
        f"`ailead backtest`: the model anchored at 2023-01 from 2023 conditions, calibrated on "
        f"the observations that end by {CALIBRATED_UNTIL}, and scored on every observation from "
        f"{HELD_OUT[0]} to {HELD_OUT[1]} (held out). {SCENARIO['description']} World "
        "parameters keep their registry priors; the parameters that describe the anchor take "
        "2023 values:",
        grid(
            pd.DataFrame(
                [
                    {
                        "parameter": name,
                        "2023 value": c.value.describe()
                        if hasattr(c.value, "describe")
                        else g(c.value),
                        "source": c.source,
                    }
                    for name, c in initial_conditions().items()
                ]
            )
        ),
    ]
    result = run_backtest(PARTICLES, 0)
    for old in (CHART.with_suffix(".png"), CHART.with_suffix(".svg")):
        old.unlink(missing_ok=True)  # ailead never overwrites a file: the tool replaces it
    chart(result, CHART)
    errors, pred = result.errors, result.calibrated_predictions
    table = pd.DataFrame(
        {
            "series": errors["series"],
            "bloc": errors["bloc"],
            "n": errors["n"],
            "scale": errors["scale"],
            "prior bias": [f"{v:+.2f}" for v in errors["prior_bias"]],
            "prior RMSE": [f"{v:.2f}" for v in errors["prior_rmse"]],
            "prior coverage": [f"{v:.0%}" for v in errors["prior_coverage"]],
            "calibrated bias": [f"{v:+.2f}" for v in errors["calibrated_bias"]],
            "calibrated RMSE": [f"{v:.2f}" for v in errors["calibrated_rmse"]],
            "calibrated coverage": [f"{v:.0%}" for v in errors["calibrated_coverage"]],
        }
    )
    return "\n\n".join(
        [
            *head,
            "Errors of the median prediction on each series' scale (log10: 0.3 is a factor of "
            "2; ECI points; months); coverage: share of held-out observations inside the "
            "model's 5-95% range.",
            grid(table),
            "![Backtest](backtest.png)",
            "Every held-out observation beside the calibrated prediction:",
            grid(
                pd.DataFrame(
                    {
                        "series": pred["series"],
                        "bloc": pred["bloc"],
                        "date": pred["end"].dt.strftime("%Y-%m-%d"),
                        "observed": [
                            f"{g(v)} {u}" for v, u in zip(pred["value"], pred["unit"], strict=True)
                        ],
                        "ailead p50 [p5, p95]": [
                            f"{g(r.p50)} [{g(r.p5)}, {g(r.p95)}]" for r in pred.itertuples()
                        ],
                        "error": [f"{v:+.2f}" for v in pred["error"]],
                    }
                )
            ),
        ]
    )


def replace_block(text: str, block: str, start: str = START, end: str = END) -> str:
    """`text` with what lies between the lines `start` and `end` replaced by `block`."""
    if start not in text or end not in text:
        raise SystemExit(f"{MODEL_PAGE.name} lacks the markers {start} / {end}")
    pattern = re.escape(start) + r"\n(?:.*?\n)?" + re.escape(end)
    return re.sub(pattern, lambda _: f"{start}\n{block}\n{end}", text, flags=re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="also record release outputs")
    args = parser.parse_args()

    cal = calibrate(samples=PARTICLES, seed=0)
    shipped_posterior_path().unlink(missing_ok=True)
    cal.write(shipped_posterior_path())
    print(f"wrote {shipped_posterior_path()}")
    table = markdown(validate(TABLE_SAMPLES, TABLE_SEED), TABLE_SAMPLES, TABLE_SEED)
    docs = "\n\n".join(
        [
            "# Validation",
            "Generated by `python tools/update_validation.py` from the model; do not edit. "
            "Every result holds under the stated assumptions and is not a forecast.",
            "## The essay, the calibration targets and published estimates",
            "`ailead validate` (under a minute) prints the same table.",
            f"{START}\n{table}\n{END}",
            calibration_section(cal),
            backtest_section(),
            "## Version-to-version check",
            "`ailead changes` reruns the presets' key outputs and lists every one that moved "
            "beyond its tolerance since the stored release (`src/ailead/data/releases/`); "
            "`ailead changes --record` stores them for the current version.",
        ]
    )
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(docs + "\n", encoding="utf-8")
    print(f"wrote {DOCS}")
    text = MODEL_PAGE.read_text(encoding="utf-8")
    text = replace_block(text, targets_markdown(), TARGETS_START, TARGETS_END)
    MODEL_PAGE.write_text(text, encoding="utf-8")
    print(f"updated {MODEL_PAGE}")
    if args.release:
        print(f"recorded {regression.record()}")


if __name__ == "__main__":
    main()
