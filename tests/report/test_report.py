"""Reports: the HTML is one self-contained page with its charts and tables; the PDF has the same
sections and names the scenarios; the numbers are those of the runs."""

import math
import re
from html.parser import HTMLParser

import numpy as np
import pypdf
import pytest
from typer.testing import CliRunner

import ailead
from ailead import AileadError, load_registry, load_scenario
from ailead.analysis import sensitivity
from ailead.cli import app
from ailead.outputs import labels
from ailead.outputs.verdict import probabilities
from ailead.report import build_report, check_report_path, write_report
from ailead.report.content import report_steps
from ailead.report.html import fan_figure

SAMPLES, SEED = 8, 1
runner = CliRunner()


@pytest.fixture(scope="module")
def scenarios():
    faster = load_scenario("us-lead").with_overrides({"algorithmic_progress": "0.6"})
    return [load_scenario("status-quo"), faster, load_scenario("catch-up")]


@pytest.fixture(scope="module")
def report(scenarios):
    ranking = sensitivity("status-quo", method="morris", samples=4, seed=0)
    return build_report(scenarios, samples=SAMPLES, seed=SEED, sensitivity=ranking)


def section(report, heading):
    (found,) = [s for s in report.sections if s.heading == heading]
    return found


class Page(HTMLParser):
    """Collects what the tests look at: headings, tables, chart divs, scripts, text."""

    def __init__(self):
        super().__init__()
        self.headings, self.tables, self.charts, self.scripts, self.links = [], [], 0, [], []
        self.metas = []
        self.text, self._in, self._script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag == "div" and "plotly-graph-div" in (attrs.get("class") or ""):
            self.charts += 1
        elif tag == "script":
            self.scripts.append(attrs)
            self._script = []
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.metas.append(attrs)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag == "script":
            self.scripts[-1]["body"] = "".join(self._script)
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
            return
        self.text.append(data)
        if self._in and self._in[-1] == "h2":
            self.headings.append(data)
        if self._in and self._in[-1] in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(data)


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    path = write_report(report, tmp_path_factory.mktemp("html") / "report.html")
    parsed = Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


def test_the_html_holds_every_section_with_its_charts_and_tables(report, page):
    assert page.headings == [s.heading for s in report.sections]
    assert page.headings[0] == "Key findings"
    for heading in ("Verdict", "Fan charts", "Switch table", "Sensitivity ranking", "Parameters"):
        assert heading in page.headings
    assert any(h.startswith("Front: ") for h in page.headings)
    fans = section(report, "Fan charts").fans
    assert page.charts == len(fans) >= 4
    assert fans[0].spec.variable == "lead_months"
    assert len(page.tables) == sum(s.table is not None for s in report.sections)
    text = " ".join(page.text)
    for name in report.scenarios:
        assert name in text
    assert "under these assumptions" in text


def test_the_html_needs_no_network_and_inlines_plotly_once(page):
    assert page.links == []
    assert all("src" not in s for s in page.scripts)
    bundles = [s for s in page.scripts if "plotly.js v" in s["body"][:500]]
    assert len(bundles) == 1
    assert sum("Plotly.newPlot" in s["body"] for s in page.scripts) == page.charts


def test_the_tables_hold_the_runs_numbers(report, page, scenarios):
    headings = [s.heading for s in report.sections if s.table is not None]
    by_heading = dict(zip(headings, page.tables, strict=True))
    verdict = {row[0]: row for row in by_heading["Verdict"][1:]}
    header = by_heading["Verdict"][0]
    for sc in scenarios:
        ds = ailead.run(sc, samples=SAMPLES, seed=SEED)
        row = verdict[sc.name]
        lead = ds["lead_months"].sel(time=np.datetime64(sc.target, "ns")).values
        cell = row[header.index("US lead (months)")].split()
        p50, p5, p95 = (float(cell[i].strip("[]")) for i in (0, 1, 3))
        assert p50 == pytest.approx(np.median(lead), abs=0.05)
        assert p5 <= p50 <= p95
        shares = probabilities(ds["outcome"].values)
        assert row[header.index("Scenario one")] == labels.percent(shares["scenario-one"])
    assert len(by_heading["Switch table"]) == 1 + 27
    assert len(by_heading["Parameters"]) == 1 + len(load_registry().parameters)
    assert len(by_heading["Sensitivity ranking"]) > 1


def test_the_switch_table_marks_only_scenarios_that_sit_in_a_cell(report):
    table = section(report, "Switch table").table
    cells = zip(table.Compute, table.Access, table.Distillation, strict=True)
    marked = dict(zip(cells, table["Scenarios here"], strict=True))
    assert marked[("status quo", "status quo", "status quo")] == "status-quo"
    assert marked[("off", "off", "off")] == "catch-up"
    assert marked[("strong", "strong", "strong")] == ""  # us-lead here has a parameter override
    shares = table[["Scenario one", "Contested", "Scenario two"]]
    totals = shares.map(lambda p: int(p.strip("<>%"))).sum(axis=1)
    assert totals.between(98, 102).all()


def test_fan_bands_are_the_monthly_quantiles_of_the_run(report, scenarios):
    lead = section(report, "Fan charts").fans[0]
    ds = ailead.run(scenarios[0], samples=SAMPLES, seed=SEED)
    q = lead.bands["status-quo"]
    np.testing.assert_allclose(q["p50"].values, ds["lead_months"].median("sample").values)
    ordered = q[["p5", "p25", "p50", "p75", "p95"]].values
    assert (np.diff(ordered, axis=1) >= 0).all()


def test_the_assumptions_say_the_switches_levers_and_overrides_in_words(report):
    words = " ".join(section(report, "Assumptions: us-lead").paragraphs)
    strong = load_registry().parameters["export_threshold_tpp"].levels["strong"]
    assert f"The compute switch is at strong: export threshold = {strong:g} TPP" in words
    assert "Override: Algorithmic progress = 0.6 OOM/year (a world parameter" in words
    assert f"{SAMPLES} quasi-random draws" in words and f"seed {SEED}" in words


def test_the_pdf_has_the_same_sections_and_names_the_scenarios(report, tmp_path):
    path = write_report(report, tmp_path / "report.pdf")
    pdf = pypdf.PdfReader(path)
    assert len(pdf.pages) >= 4
    pages = [p.extract_text() for p in pdf.pages]
    for name in report.scenarios:
        assert name in pages[0]
    text = "\n".join(pages)
    for s in report.sections:
        assert s.heading in text, s.heading
    assert "under these assumptions" in " ".join(text.split())
    assert pdf.metadata.title == report.title


def test_cli_writes_a_report_and_refuses_an_unknown_format_before_running(tmp_path):
    out = tmp_path / "r.html"
    args = ["report", "status-quo", "catch-up", "-o", str(out), "-n", "4", "--seed", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.is_file() and f"wrote {out}" in result.stdout
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert page.charts >= 4 and "catch-up" in " ".join(page.text)

    bad = runner.invoke(app, ["report", "status-quo", "-o", str(tmp_path / "r.docx")])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: output file") and bad.stderr.count("\n") == 1
    with pytest.raises(AileadError, match=r"allowed: .html"):
        check_report_path(tmp_path / "r.txt")


def test_a_report_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "report.html"
    existing.write_text("keep me")
    with pytest.raises(AileadError, match="already exists"):
        check_report_path(existing)
    assert existing.read_text() == "keep me"


def pdf_text_and_sizes(path):
    """Each page's text, and the size in points of every piece of text drawn (font size times
    the scale of the text and current matrices)."""
    pages, sizes = [], set()

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]))
            scale *= math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
            sizes.add(round(size * scale, 2))

    for page in pypdf.PdfReader(path).pages:
        pages.append(page.extract_text(visitor_text=visit))
    return pages, sizes


def test_the_pdf_speaks_in_labels_at_nine_points_or_more(report, tmp_path):
    path = write_report(report, tmp_path / "labels.pdf")
    pages, sizes = pdf_text_and_sizes(path)
    ds = ailead.run("status-quo", samples=2)
    raw = [n for n in [*ds.data_vars, *ailead.summarize(ds)] if "_" in n]
    assert "lead_months" in raw and "eci_cn" in raw
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        found = [n for n in raw if n in flat]
        assert found == [], f"page {number} shows raw names {found}"
        assert "--sensitivity" not in flat and "Not computed" not in flat
        assert not re.search(r"\d\.\d+e[+-]\d", flat), f"page {number} shows e-notation"
    assert sizes and min(sizes) >= 9


def test_the_key_findings_name_the_switch_that_moves_the_lead_most(report, scenarios):
    table = ailead.analysis.switches(scenarios[0], samples=SAMPLES, seed=SEED)
    effect = {
        s: table.loc[table[s] == "strong", "lead_p50"].mean()
        - table.loc[table[s] == "off", "lead_p50"].mean()
        for s in ("compute", "access", "distillation")
    }
    top = max(effect, key=lambda s: abs(effect[s]))
    findings = section(report, "Key findings").paragraphs
    (sentence,) = [p for p in findings if p.startswith("Of the three switches")]
    assert sentence.startswith(f"Of the three switches, {top} moves the lead most")
    assert f"{effect[top]:+.1f} months" in sentence
    for name in report.scenarios:
        assert any(p.startswith(f"{name}: US lead ") for p in findings)
    assert any("How sure" in p for p in findings)
    assert any("under these assumptions" in p for p in findings)


def test_a_report_without_a_ranking_has_no_empty_section_and_reports_progress(scenarios):
    steps = []
    built = build_report(scenarios[:2], samples=2, seed=0, on_step=steps.append)
    assert "Sensitivity ranking" not in [s.heading for s in built.sections]
    assert len(steps) == report_steps(2) and steps[0] == "ran status-quo"


def test_scenario_colours_are_not_bloc_colours_and_charts_mark_thresholds(report, page):
    lead = section(report, "Fan charts").fans[0]
    fig = fan_figure(lead)
    medians = {t.name: t.line.color for t in fig.data if t.name in report.scenarios}
    assert medians["status-quo"] == labels.SCENARIO_COLORS["status-quo"]
    assert medians["catch-up"] == labels.SCENARIO_COLORS["catch-up"]
    assert not set(medians.values()) & set(labels.BLOC_COLORS.values())
    lines = [s for s in fig.layout.shapes]
    assert {s.y0 for s in lines if s.y0 == s.y1} >= {12.0, 3.0}  # the verdict's thresholds
    assert any(s.x0 == s.x1 for s in lines)  # the target date
    assert "width=device-width" in " ".join(str(m) for m in page.metas)


def test_a_one_sample_report_gives_classes_not_probabilities(scenarios):
    built = build_report(scenarios[:2], samples=1, seed=0)
    verdict = section(built, "Verdict").table
    assert "Verdict" in verdict.columns and "Scenario one" not in verdict.columns
    assert set(verdict["Verdict"]) <= set(labels.OUTCOMES.values())
    switch = section(built, "Switch table").table
    assert (
        "Verdict" in switch.columns
        and not switch.astype(str).apply(lambda col: col.str.contains("%")).any().any()
    )
    findings = " ".join(section(built, "Key findings").paragraphs)
    assert "%" not in findings and "deterministic" in findings


def test_assumptions_give_fractions_as_percentages(report):
    words = " ".join(section(report, "Assumptions: status-quo").paragraphs)
    hbm = load_registry().parameters["hbm_control"].levels["status-quo"]
    assert f"HBM control = {labels.number(100 * hbm)}%" in words
    assert " fraction" not in words
