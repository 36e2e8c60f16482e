"""The documentation site's reference pages, written from the code at build time.

`docs/gen_pages.py` (a mkdocs-gen-files script) calls these functions on every `mkdocs build`,
so the pages cannot drift from the code: the model reference from the mechanisms' docstrings, the
parameter reference from the registry, the diagram from `docs_structure.causal_edges`, a guide
per switch from the registry's `policies:` and runs of the model, and the list of disagreements
from the validation table that `tools/update_validation.py` writes into `docs/validation.md`.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from urllib.parse import urlparse

from docs_latex import equations
from docs_structure import MODEL_MODULES, PACKAGE, ROOT, causal_edges

from ailead.inputs.registry import LEVELS, SWITCHES, Registry, load_registry

# Sources whose specific document could not be found: key -> why. Each is shown on the page as
# "home page only: specific document not found"; tests/docs/test_site.py allows only these.
HOME_PAGE_ONLY: dict[str, str] = {}
# Mechanism functions whose docstring states no equation `docs_latex` parses: "module.name" ->
# why. Each is shown on the model reference as "No equation: <why>."; tests/docs/test_site.py
# allows only these (today every mechanism function has its equation, so the list is empty).
NO_EQUATION: dict[str, str] = {}

VALIDATION = ROOT / "docs" / "validation.md"
GUIDE_SAMPLES = 100  # samples per switch level in the guides' charts and tables (seed 0)
FRONT_METRICS = (  # (summary key, words) for the guides' tables, one front after another
    ("lead_months", "lead (months)"),
    ("compute_ratio", "US / PRC accessible compute (x)"),
    ("capability_cn", "PRC capability (OOM)"),
    ("adoption_us", "US adoption (share of firms)"),
    ("adoption_cn", "PRC adoption (share of firms)"),
    ("market_share_us", "US stack share, developed markets"),
    ("global_south_share_cn", "PRC stack share, Global South"),
    ("resilience_cn", "PRC resilience index"),
    ("safety_margin_months", "safety margin (months)"),
    ("misuse_exposure", "misuse exposure"),
    ("cyber_window_months", "cyber window (months)"),
)


def bare_domain(url: str) -> bool:
    """Whether a URL points at a site's home page (no path beyond '/')."""
    return urlparse(url).path in ("", "/")


def _text(docstring: str | None) -> str:
    """A docstring verbatim, then its equations in LaTeX (`docs_latex`) where they parse."""
    text = "```text\n" + (docstring or "(no docstring)").strip() + "\n```"
    return text + "".join(f"\n\n$$\n{tex}\n$$" for tex in equations(docstring or ""))


def mechanism_functions() -> dict[str, list[ast.FunctionDef]]:
    """The public functions of each mechanism module, in source order."""
    found = {}
    for module in MODEL_MODULES:
        tree = ast.parse((PACKAGE / "model" / f"{module}.py").read_text())
        found[module] = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        ]
    return found


def _edges(registry: Registry) -> dict[tuple[str, str], set[str]]:
    return causal_edges(set(registry.parameters))


def _signature(fn: ast.FunctionDef) -> str:
    return f"{fn.name}({', '.join(a.arg for a in fn.args.args)})"


def model_reference() -> str:
    """Every mechanism: its module docstring, each function with its equation and units, the
    registry parameters the simulation passes to it and the mechanisms it reads and feeds."""
    registry = load_registry()
    edges = _edges(registry)
    lines = [
        "# Model reference",
        "",
        "Generated at build time from the docstrings of `src/ailead/model/` and a static reading "
        "of the simulation (`tools/docs_structure.py`): each docstring is shown as written, with "
        "its equations in LaTeX below it where they parse as expressions (`tools/docs_latex.py`). "
        "*Parameters* lists the registry parameters the simulation passes to a function (through "
        "the constants and the month's inputs); see the [parameter reference](parameters.md) for "
        "their values and sources, and the [diagram](diagram.md) for the whole system.",
    ]
    for module, functions in mechanism_functions().items():
        tree = ast.parse((PACKAGE / "model" / f"{module}.py").read_text())
        doc = ast.get_docstring(tree) or ""
        title = doc.splitlines()[0] if doc else module
        reads = sorted({a[6:] for a, b in edges if b == "model:" + module and a[:6] == "model:"})
        feeds = sorted({b[6:] for a, b in edges if a == "model:" + module and b[:6] == "model:"})
        lines += [
            "",
            f"## `{module}`: {title} {{ #{module} }}",
            "",
            _text("\n".join(doc.splitlines()[1:])),
        ]
        lines += [
            "",
            f"Reads the results of: {', '.join(f'`{m}`' for m in reads) or 'no other mechanism'}."
            f" Feeds: {', '.join(f'`{m}`' for m in feeds) or 'the outputs only'}.",
        ]
        for fn in functions:
            params = sorted(
                a[6:]
                for (a, b), where in edges.items()
                if b == "model:" + module
                and a.startswith("param:")
                and any(w.endswith("." + fn.name) for w in where)
            )
            calls = sorted(
                {
                    w.rsplit(".", 1)[0]
                    for (a, b), where in edges.items()
                    if b == "model:" + module
                    for w in where
                    if w.endswith("." + fn.name)
                }
            )
            lines += ["", f"### `{module}.{_signature(fn)}`", "", _text(ast.get_docstring(fn))]
            if f"{module}.{fn.name}" in NO_EQUATION:
                lines += ["", f"No equation: {NO_EQUATION[f'{module}.{fn.name}']}."]
            if params:
                links = ", ".join(f"[`{p}`](parameters.md#{p})" for p in params)
                lines += ["", f"Parameters: {links}."]
            if calls:
                lines += ["", f"Called in: {', '.join(f'`{c}`' for c in calls)}."]
    return "\n".join(lines) + "\n"


def _source_line(registry: Registry, ref: str, note: str = "") -> str:
    s = registry.sources[ref]
    text = f"[{s.title}]({s.url}), {s.publisher}, {s.year}"
    if ref in HOME_PAGE_ONLY:
        text += f" (home page only: specific document not found; {HOME_PAGE_ONLY[ref]})"
    return f"{text}. {note}".strip() if note else text


def _parameter_section(registry: Registry, name: str) -> list[str]:
    p = registry.parameters[name]
    rows = [
        ("description", " ".join(p.description.split())),
        ("unit", p.unit),
        ("kind", p.kind + (f" (switch: {p.switch})" if p.switch else "")),
        ("value", f"{p.default:g}"),
        ("range (bounds)", f"{p.bounds[0]:g} to {p.bounds[1]:g}"),
        ("distribution", p.distribution.describe()),
    ]
    if p.levels:
        rows.append(("levels", ", ".join(f"{k}: {v:g}" for k, v in p.levels.items())))
    if p.source is not None:
        rows.append(("source", _source_line(registry, p.source.ref, p.source.note)))
    if p.assumption:
        rows.append(("assumption", p.assumption))
    lines = ["", f"### {name}", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v.replace('|', '/')} |" for k, v in rows]
    for level, lever in (p.policies or {}).items():
        why = (
            _source_line(registry, lever.source.ref, lever.source.note)
            if lever.source
            else f"assumption: {lever.assumption}"
        )
        lines += [
            f"| {level} | {lever.policy} Range {lever.range[0]:g} to {lever.range[1]:g}. "
            f"{why.replace('|', '/')} |"
        ]
    return lines


def parameter_reference() -> str:
    """Every registry parameter with its value, range, distribution, unit and source."""
    registry = load_registry()
    lines = [
        "# Parameter reference",
        "",
        "Generated at build time from `src/ailead/inputs/registry.yaml`. Each parameter has a "
        "value, a range, an uncertainty distribution (draws are clipped to the range) and either "
        "a source (the specific document and the figure read from it) or an explicit assumption "
        "with its reasoning. `ailead params NAME` prints the same.",
    ]
    for kind, heading in (("world", "The world"), ("policy", "Policy levers"), ("model", "Model")):
        names = [n for n, p in registry.parameters.items() if p.kind == kind]
        lines += ["", f"## {heading} ({len(names)} parameters)"]
        for name in names:
            lines += _parameter_section(registry, name)
    lines += ["", "## Sources", ""]
    for ref in registry.sources:
        lines.append(f"- `{ref}`: {_source_line(registry, ref)}")
    return "\n".join(lines) + "\n"


def diagram() -> str:
    """The causal system as a Mermaid graph: switches -> levers -> mechanisms -> the verdict."""
    registry = load_registry()
    edges = _edges(registry)
    levers = {n: p.switch for n, p in registry.parameters.items() if p.switch}
    lines = ["```mermaid", "flowchart LR"]
    for switch in SWITCHES:
        lines.append(f'  sw_{switch}(["switch: {switch}"])')
    for name, switch in levers.items():
        lines.append(f"  sw_{switch} --> {name}")
    shown = sorted(
        (a, b)
        for a, b in edges
        if b.startswith("model:") and (a.startswith("model:") or a[6:] in levers)
    )
    for module in sorted({n.split(":")[1] for edge in shown for n in edge if n[:6] == "model:"}):
        lines.append(f'  m_{module}["{module}"]')
    for a, b in shown:
        source = ("m_" if a[:6] == "model:" else "") + a.split(":")[1]
        lines.append(f"  {source} --> m_{b.split(':')[1]}")
    lines += ["  m_lead --> verdict([verdict])", "```"]
    table = ["| from | to | where the code passes it |", "|---|---|---|"]
    for a, b in shown:
        where = ", ".join(f"`{w}`" for w in sorted(edges[(a, b)]))
        table.append(f"| `{a.split(':')[1]}` | `{b.split(':')[1]}` | {where} |")
    return "\n".join(
        [
            "# The causal system",
            "",
            "Generated at build time by `tools/docs_structure.py` from the code itself, not drawn "
            "by hand: the switches and their levers come from the registry; an arrow from a lever "
            "or a mechanism to a mechanism means the simulation (`src/ailead/sim/`, and "
            "`src/ailead/outputs/dataset.py` for the lead and the fronts read from the paths) "
            "passes that lever, or a value that mechanism computed, into a function of the other. "
            "The verdict (`outputs/verdict.py`) classifies the lead at the target date. The table "
            "below the graph names every call behind every arrow, so each can be checked.",
            "",
            *lines,
            "",
            *table,
            "",
        ]
    )


def switch_runs(switch: str) -> dict[str, object]:
    """status-quo with one switch at each level (the others at status-quo): Datasets by level."""
    from ailead.outputs.engine import run

    scenarios = {
        level: {"extends": "status-quo", "name": f"{switch}-{level}", "switches": {switch: level}}
        for level in LEVELS
    }
    return {level: run(sc, samples=GUIDE_SAMPLES, seed=0) for level, sc in scenarios.items()}


def switch_chart(runs: dict[str, object], switch: str) -> str:
    """SVG: median lead in months and the US/PRC compute ratio over time, per switch level."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for level, ds in runs.items():
        time = ds["time"].values
        axes[0].plot(time, ds["lead_months"].median("sample"), label=f"{switch} {level}")
        axes[1].plot(time, ds["compute_ratio"].median("sample"), label=f"{switch} {level}")
    axes[0].set_title("US lead (months), median")
    axes[1].set_title("US / PRC accessible compute, median")
    axes[1].set_yscale("log")
    for ax in axes:
        ax.legend(fontsize=8)
        ax.tick_params(labelsize=8)
    fig.suptitle(f"status-quo with the {switch} switch moved ({GUIDE_SAMPLES} samples, seed 0)")
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    return out.getvalue()


def _lever_section(registry: Registry, edges: dict, lever) -> list[str]:
    """One lever: the policy each level stands for and where the model uses it."""
    levels = ", ".join(f"{k} {v:g}" for k, v in (lever.levels or {}).items())
    lines = ["", f"### {lever.name}", "", " ".join(lever.description.split()), ""]
    lines += [f"Unit: {lever.unit}; levels: {levels}.", ""]
    lines += [
        "| level | the policy it stands for | range | source or assumption |",
        "|---|---|---|---|",
    ]
    for level, pol in (lever.policies or {}).items():
        why = (
            _source_line(registry, pol.source.ref, pol.source.note)
            if pol.source
            else f"assumption: {pol.assumption}"
        )
        span = f"{pol.range[0]:g} to {pol.range[1]:g}"
        lines.append(f"| {level} | {pol.policy} | {span} | {why.replace('|', '/')} |")
    used = sorted(
        (b[6:], *w.rsplit(".", 1))
        for (a, b), where in edges.items()
        if a == "param:" + lever.name and b.startswith("model:")
        for w in where
    )
    if used:
        calls = ", ".join(
            f"[`{m}.{fn}`](../reference/model.md#{m}) (in `{site}`)" for m, site, fn in used
        )
        lines += ["", f"In the model it enters: {calls}."]
    return lines


def switch_guide(switch: str, runs: dict[str, object]) -> str:
    """What a switch stands for, what it does in the model and what moving it does to each front."""
    from ailead.outputs.summary import summarize

    registry = load_registry()
    edges = _edges(registry)
    lines = [
        f"# The {switch} switch",
        "",
        f"The switch is a strength in [0, 1]: `off` (0), `status-quo` (0.5), `strong` (1). It sets "
        f"the levers below, each of which can also be set on its own "
        f"(`ailead run status-quo --set {switch}=strong`, or `parameters:` in a scenario file). "
        "Generated at build time from the registry's `policies:` and from runs of the model.",
        "",
        "## What it stands for, lever by lever",
    ]
    for lever in registry.levers(switch):
        lines += _lever_section(registry, edges, lever)
    summaries = {level: summarize(ds) for level, ds in runs.items()}
    lines += [
        "",
        "## What moving it does to each front",
        "",
        f"`status-quo` with the {switch} switch at each level and the other two at status quo, "
        f"{GUIDE_SAMPLES} samples, seed 0, at the target date (2028-12): median [5%, 95%]. "
        "Results under the stated assumptions, not forecasts.",
        "",
        f"![Median lead and compute ratio over time as the {switch} switch moves]({switch}.svg)",
        "",
        "| front | " + " | ".join(LEVELS) + " |",
        "|---|" + "---|" * len(LEVELS),
    ]
    for key, words in FRONT_METRICS:
        cells = []
        for level in LEVELS:
            q = summaries[level][key]
            cells.append(f"{q['p50']:.3g} [{q['p5']:.3g}, {q['p95']:.3g}]")
        lines.append(f"| {words} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def other_levers() -> str:
    """The policy parameters no switch sets: moved one by one."""
    registry = load_registry()
    names = [n for n, p in registry.parameters.items() if p.kind == "policy" and not p.switch]
    lines = [
        "# Levers without a switch",
        "",
        "Policy parameters no switch sets (the policy start's ramps, a bloc's state push, export "
        "promotion, the PRC's counter-moves): set them with `--set NAME=VALUE` or `parameters:`. "
        "Generated from the registry.",
    ]
    for name in names:
        lines += _parameter_section(registry, name)
    return "\n".join(lines) + "\n"


def disagreements() -> str:
    """Where ailead disagrees with its sources, as the validation table states it."""
    text = VALIDATION.read_text()
    block = text.split("<!-- validation:start -->", 1)[1].split("<!-- validation:end -->", 1)[0]
    if "Where ailead disagrees:" not in block:
        return "The validation table lists no disagreement.\n"
    summary = re.search(r"\d+ of \d+ checks pass[^\n]*", block)
    head = f"{summary.group(0)}\n\n" if summary else ""
    return head + block.split("Where ailead disagrees:", 1)[1].strip() + "\n"


def tutorial_pages() -> list[Path]:
    return sorted((ROOT / "docs" / "tutorials").glob("*.md"))
