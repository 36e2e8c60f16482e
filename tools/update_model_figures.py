"""Regenerate the figures on what the model does (never typed by hand).

    python tools/update_model_figures.py

Rewrites, in README.md and docs/model.md (wherever the markers are), the blocks between
`<!-- NAME:start -->` and `<!-- NAME:end -->`:
- verdict: each preset's lead at 2028-12 (continuous, at PRC releases, in OOM) and the share of
  samples in each of the essay's worlds, 1,000 samples, seed 0;
- growth: the frontier's growth in effective compute, 2025-2030, median, 90% range and the worst
  (fastest) 5%, beside the record and published takeoff models;
- loop: `us-lead`'s 2028 lead as the loop's strength (ai_rnd_speedup_max) rises, with the chart
  docs/loop.png;
- switches: each switch's main effect on `status-quo`'s median 2028 lead (2,000 samples);
- counter: where making a switch strict shortens `status-quo`'s 2028 lead, by how much and
  through which of the PRC's counter-moves (with them off, it never does);
- signposts: which world the shipped observations point to (`ailead signposts`).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np

import ailead
from ailead.analysis.switches import switch_effects, switches
from ailead.inputs.registry import SWITCHES
from ailead.outputs.engine import run_parameters
from ailead.outputs.labels import percent

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", ROOT / "docs" / "model.md")  # the pages that hold generated blocks
CHART = ROOT / "docs" / "loop.png"
SAMPLES, SEED = 1000, 0
TARGET = np.datetime64("2028-12-01")
PRESETS = ("us-lead", "status-quo", "catch-up")
STRENGTHS = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0)


def _q(values: np.ndarray, digits: int = 1) -> str:
    p5, p50, p95 = np.quantile(values, [0.05, 0.5, 0.95])
    return f"{p5:.{digits}f} / {p50:.{digits}f} / {p95:.{digits}f}"


def verdict_block(runs: dict) -> str:
    lines = [
        "| scenario | lead p5 / p50 / p95 (months) | at PRC releases, p50 | in OOM, p50 "
        "| scenario-one | contested | scenario-two |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, ds in runs.items():
        at = ds.sel(time=TARGET)
        shares = {o: float((ds["outcome"] == o).mean()) for o in ("scenario-one", "contested")}
        shares["scenario-two"] = float((ds["outcome"] == "scenario-two").mean())
        lines.append(
            f"| `{name}` | {_q(at['lead_months'].values)} "
            f"| {np.median(at['lead_at_release_months'].values):.1f} "
            f"| {np.median(at['lead_ooms'].values):.2f}"
            + " | "
            + " | ".join(percent(v) for v in shares.values())
            + " |"
        )
    return "\n".join(lines)


def _growth(ds, bloc: str) -> np.ndarray:
    """OOM a year of effective compute over 2025-01..2030-12 per sample."""
    cap = ds["capability"].sel(bloc=bloc)
    first, last = cap.isel(time=0), cap.isel(time=-1)
    years = (cap["time"].values[-1] - cap["time"].values[0]) / np.timedelta64(365, "D")
    return ((last - first) / years).values


def growth_block(runs: dict) -> str:
    lines = [
        "| scenario | bloc | OOM/year 2025-2030: p5 / p50 / p95 | fastest year of the worst 5% |",
        "|---|---|---|---|",
    ]
    for name, ds in runs.items():
        for bloc in ("us", "cn"):
            cap = ds["capability"].sel(bloc=bloc).values  # (sample, time)
            yearly = cap[:, 12::12] - cap[:, :-12:12]  # each calendar year's gain
            worst = np.quantile(yearly.max(axis=1), 0.95)
            lines.append(f"| `{name}` | {bloc} | {_q(_growth(ds, bloc), 2)} | {worst:.2f} OOM |")
    return "\n".join(lines)


# The follower's catch-up channels that grow with the gap the loop opens: spillover of the
# leader's algorithms, and distillation from its models (what deterrence leaves of it).
WITHOUT = {
    "no spillover": {"algorithmic_spillover": 0.0},
    "no spillover or distillation": {"algorithmic_spillover": 0.0, "distillation_gap_closure": 0.0},
}


def _loop_run(params: dict, m: float, changes: dict) -> object:
    n = len(params["ai_rnd_speedup_max"])
    changes = {"ai_rnd_speedup_max": m, **changes}
    fixed = {name: np.full(n, value) for name, value in changes.items()}
    return run_parameters(
        "us-lead", {**params, **fixed}, variables=["lead_months", "lead_ooms", "ai_rnd_speedup"]
    ).sel(time=TARGET)


def loop_block(chart: bool = True) -> str:
    params = ailead.load_registry().sample(SAMPLES, SEED)
    rows, months, ooms = [], [], []
    without: dict[str, list[float]] = {label: [] for label in WITHOUT}
    for m in STRENGTHS:
        ds = _loop_run(params, m, {})
        months.append(float(np.median(ds["lead_months"])))
        ooms.append(float(np.median(ds["lead_ooms"])))
        for label, changes in WITHOUT.items():
            without[label].append(float(np.median(_loop_run(params, m, changes)["lead_months"])))
        speed = ds["ai_rnd_speedup"].median("sample")
        rows.append(
            f"| {m:g} | {months[-1]:.1f} | {ooms[-1]:.2f} | "
            f"{float(speed.sel(bloc='us')):.2f} / {float(speed.sel(bloc='cn')):.2f} | "
            + " | ".join(f"{without[label][-1]:.1f}" for label in WITHOUT)
            + " |"
        )
    if chart:
        _chart(months, ooms, without)
    head = [
        "| ai_rnd_speedup_max | lead p50 (months) | lead p50 (OOM) | speed-up p50, US / PRC | "
        + " | ".join(f"months, {label}" for label in WITHOUT)
        + " |",
        "|---|---|---|---|" + "---|" * len(WITHOUT),
    ]
    return "\n".join(head + rows)


def _chart(months: list[float], ooms: list[float], without: dict[str, list[float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, left = plt.subplots(figsize=(7, 3.8), dpi=110)
    fig.patch.set_facecolor("white")
    left.plot(STRENGTHS, months, "o-", color="#1f4e79", label="lead in months")
    for (label, values), style in zip(without.items(), (":", "-."), strict=True):
        left.plot(STRENGTHS, values, style, color="#5b8db8", label=f"months, {label}")
    left.set_xscale("log")
    left.set_xlabel("strength of the AI-R&D loop (ai_rnd_speedup_max, x)")
    left.set_ylabel("months", color="#1f4e79")
    right = left.twinx()
    right.plot(STRENGTHS, ooms, "s--", color="#b03a2e", label="lead in OOM")
    right.set_ylabel("orders of magnitude", color="#b03a2e")
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    left.legend(handles=handles, fontsize=7, loc="upper center")
    left.set_title(
        f"us-lead, 2028-12: median US lead as the loop strengthens ({SAMPLES:,} samples)\n"
        f"ailead {ailead.__version__}; under these assumptions, not a forecast",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(CHART)
    plt.close(fig)


def switches_block() -> str:
    table = switches("status-quo", samples=2000, seed=SEED)
    effects = switch_effects(table)
    main = effects[effects["term"].isin(SWITCHES)]
    lines = [
        "| switch | off | status-quo | strong | spread (months) |",
        "|---|---|---|---|---|",
    ]
    for s in SWITCHES:
        rows = main[main["term"] == s].set_index("levels")["lead_p50"]
        values = [rows[level] for level in ("off", "status-quo", "strong")]
        lines.append(
            f"| {s} | "
            + " | ".join(f"{v:+.2f}" for v in values)
            + f" | {max(values) - min(values):.2f} |"
        )
    return "\n".join(lines)


def counter_moves_block() -> str:
    """Where a stricter switch shortens the 2028 lead, and through which counter-move."""
    params = ailead.load_registry().sample(SAMPLES, SEED)
    lines = [
        "| switch, from / to | samples with a shorter 2028 lead: counter-moves on "
        "| median shortening | counter-moves that fired only under the stricter switch "
        "| counter-moves off |",
        "|---|---|---|---|---|",
    ]
    for switch, (lenient, strict) in itertools.product(
        SWITCHES, (("off", "status-quo"), ("status-quo", "strong"))
    ):
        found = {}
        for on in (1.0, 0.0):
            runs = [
                run_parameters(
                    {"name": "x", "extends": "status-quo", "switches": {switch: level}},
                    {**params, "prc_responses": np.full(SAMPLES, on)},
                    variables=["lead_months", "response_active"],
                )
                for level in (lenient, strict)
            ]
            change = (
                runs[1]["lead_months"].sel(time=TARGET) - runs[0]["lead_months"].sel(time=TARGET)
            ).values
            found[on] = (change, runs)
        change, runs = found[1.0]
        shorter = change < -1e-6
        fired = runs[1]["response_active"].max("time") > runs[0]["response_active"].max("time")
        moves = fired.values[shorter].mean(axis=0) if shorter.any() else np.zeros(4)
        named = ", ".join(
            f"{name} {percent(share)}"
            for name, share in zip(runs[1]["response"].values, moves, strict=True)
            if share > 0
        )
        lines.append(
            f"| {switch}, {lenient} / {strict} | {percent(shorter.mean())} "
            f"| {np.median(change[shorter]) if shorter.any() else 0.0:.2f} months "
            f"| {named or 'none'} | {percent((found[0.0][0] < -1e-6).mean())} |"
        )
    return "\n".join(lines)


def signposts_block() -> str:
    """`ailead signposts` on the shipped observations: P(world) now and before them, and the
    three indicators whose leave-one-out moves P(world) most."""
    from ailead.analysis.signposts import signposts
    from ailead.outputs.verdict import OUTCOMES

    result = signposts()
    rows = [
        f"| {world} | {percent(result.probabilities[world])} | "
        f"{percent(result.prior_probabilities[world])} |"
        for world in OUTCOMES
    ]
    top = ", ".join(f"`{name}`" for name in result.most_informative())
    return "\n".join(
        [
            f"| world at {result.target} | given the shipped observations | before them |",
            "|---|---|---|",
            *rows,
            "",
            f"As of {result.as_of}, the end of the latest period the observations cover. The three "
            f"most informative indicators (leave-one-out): {top}.",
        ]
    )


def has_block(text: str, name: str) -> bool:
    return f"<!-- {name}:start -->" in text and f"<!-- {name}:end -->" in text


def replace_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def blocks(chart: bool = True) -> dict[str, str]:
    """Every generated block, by marker name."""
    runs = {name: ailead.run(name, samples=SAMPLES, seed=SEED) for name in PRESETS}
    return {
        "verdict": verdict_block(runs),
        "growth": growth_block(runs),
        "loop": loop_block(chart),
        "switches": switches_block(),
        "counter": counter_moves_block(),
        "signposts": signposts_block(),
    }


def main() -> None:
    texts = {path: path.read_text(encoding="utf-8") for path in PAGES}
    for name, body in blocks().items():
        holders = [path for path, text in texts.items() if has_block(text, name)]
        if not holders:
            raise SystemExit(f"no page holds the {name} markers")
        for path in holders:
            texts[path] = replace_block(texts[path], name, body)
        print(f"{name}:\n{body}\n")
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
