"""Reports: the HTML is one self-contained page with its charts and tables; the PDF has the same
sections and names the scenarios; the numbers are those of the runs."""

from html.parser import HTMLParser

import numpy as np
import pypdf
import pytest
from typer.testing import CliRunner

import ailead
from ailead import AileadError, load_registry, load_scenario
from ailead.analysis import sensitivity
from ailead.cli import app
from ailead.outputs.verdict import probabilities
from ailead.report import build_report, check_report_path, write_report

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
        p50, p5, p95 = (float(x.strip("[],")) for x in row[header.index("lead (months)")].split())
        assert p50 == pytest.approx(np.median(lead), rel=5e-3)
        assert p5 <= p50 <= p95
        shares = probabilities(ds["outcome"].values)
        assert row[header.index("P(scenario one)")] == f"{100 * shares['scenario-one']:.0f}%"
    assert len(by_heading["Switch table"]) == 1 + 27
    assert len(by_heading["Parameters"]) == 1 + len(load_registry().parameters)
    assert len(by_heading["Sensitivity ranking"]) > 1


def test_the_switch_table_marks_only_scenarios_that_sit_in_a_cell(report):
    table = section(report, "Switch table").table
    cells = zip(table.compute, table.access, table.distillation, strict=True)
    marked = dict(zip(cells, table["scenarios here"], strict=True))
    assert marked[("status-quo", "status-quo", "status-quo")] == "status-quo"
    assert marked[("off", "off", "off")] == "catch-up"
    assert marked[("strong", "strong", "strong")] == ""  # us-lead here has a parameter override
    shares = table[["P(scenario one)", "P(contested)", "P(scenario two)"]]
    totals = shares.map(lambda p: int(p.rstrip("%"))).sum(axis=1)
    assert totals.between(99, 101).all()


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
    assert f"The compute switch is at strong: export_threshold_tpp = {strong:g} TPP" in words
    assert "Override: algorithmic_progress = 0.6 OOM/year (a world parameter" in words
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
