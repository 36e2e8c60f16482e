"""The explorer page in a real Chromium (Debian's, driven by Playwright) against `ailead serve`."""

import csv

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright
from web_local import CHROMIUM, CHROMIUM_ARGS, local_server

import ailead

pytestmark = pytest.mark.browser

LEAD_MEDIAN = "document.getElementById('chart-lead').data.find(t => t.name?.endsWith('median')).y"


@pytest.fixture(scope="module")
def server():
    """`ailead serve` on a free port, as a user starts it."""
    try:
        with local_server() as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _tab(browser, width: int, height: int, touch: bool = False):
    """A tab of that size that fails the test if the page raises a script error."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        has_touch=touch,
        is_mobile=touch,
        accept_downloads=True,
    )
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


@pytest.fixture
def page(browser):
    yield from _tab(browser, 1440, 900)


def open_page(page: Page, base: str, query: str) -> None:
    page.goto(f"{base}/?{query}")
    settled(page, 0)


def settled(page: Page, updates_before: int) -> None:
    """Wait until the page has redrawn after `updates_before` updates and has nothing pending."""
    page.wait_for_function(
        f"window.ailead && window.ailead.updates > {updates_before}"
        " && !window.ailead.inFlight && window.ailead.dirtySince === null",
        timeout=30_000,
    )
    assert not page.is_visible("#error"), page.inner_text("#error")


def test_moving_a_switch_changes_the_lead_chart_and_the_url(page, server):
    open_page(page, server, "preset=status-quo&samples=20")
    before = page.evaluate(LEAD_MEDIAN)
    updates = page.evaluate("window.ailead.updates")
    page.focus("#switch-compute")
    page.keyboard.press("End")  # the keyboard moves the slider to its strongest setting
    settled(page, updates)
    after = page.evaluate(LEAD_MEDIAN)
    assert page.input_value("#switch-compute") == "1"
    assert page.inner_text("#out-switch-compute") == "strong"
    assert after != before and after[-1] > before[-1]  # stronger controls, larger lead
    assert "compute=strong" in page.url
    assert page.evaluate("window.ailead.lastUpdateMs") > 0


def test_a_shared_url_restores_the_state_and_shows_the_api_results(page, server):
    query = (
        "preset=catch-up&compute=0.75&access=strong&distillation=off&sme_control=0.4"
        "&samples=20&seed=3&vs=us-lead"
    )
    open_page(page, server, query)
    assert page.input_value("#preset") == "catch-up"
    assert page.input_value("#switch-compute") == "0.75"
    assert page.inner_text("#out-switch-access") == "strong"
    assert page.input_value("#param-sme_control") == "0.4"
    assert page.input_value("#samples") == "20"
    assert page.input_value("#seed") == "3"
    assert page.input_value("#compare") == "us-lead"
    names = page.evaluate("document.getElementById('chart-lead').data.map(t => t.name)")
    assert "US lead: catch-up (modified), median" in names
    assert "us-lead (baseline), median" in names
    head = page.inner_text("#summary thead")
    assert "catch-up (modified)" in head and "us-lead (baseline)" in head and "difference" in head
    body = {
        "scenario": "catch-up",
        "switches": {"compute": 0.75, "access": 1, "distillation": 0},
        "parameters": {"sme_control": 0.4},
        "samples": 20,
        "seed": 3,
    }
    expected = httpx.post(f"{server}/api/run", json=body, timeout=30).json()
    assert page.evaluate(LEAD_MEDIAN) == pytest.approx(expected["series"]["lead_months"]["p50"])
    assert "compute=0.75" in page.url and "vs=us-lead" in page.url


def test_downloads_give_a_loadable_scenario_and_the_results(page, server, tmp_path):
    open_page(page, server, "preset=us-lead&distillation=0.25&smuggling_enforcement=0.5&samples=20")
    with page.expect_download() as info:
        page.click("#download-yaml")
    path = tmp_path / "scenario.yaml"
    info.value.save_as(path)
    scenario = ailead.load_scenario(str(path))
    assert scenario.switches == {"compute": 1.0, "access": 1.0, "distillation": 0.25}
    assert scenario.parameters == {"smuggling_enforcement": 0.5}
    with page.expect_download() as info:
        page.click("#download-csv")
    info.value.save_as(tmp_path / "results.csv")
    rows = list(csv.DictReader((tmp_path / "results.csv").open()))
    lead = [
        r for r in rows if r["series"] == "lead_months" and r["scenario"] == "us-lead (modified)"
    ]
    assert len(lead) == 72 and lead[0]["month"] == "2025-01"
    assert {r["scenario"] for r in rows} == {"us-lead (modified)", "status-quo"}  # and its baseline
    assert all(float(r["p5"]) <= float(r["p50"]) <= float(r["p95"]) for r in lead)


def test_controls_are_labelled_and_the_page_fits_a_phone(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server, "preset=status-quo&samples=20")
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input, select')]"
        ".filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.id)"
    )
    assert unlabelled == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    help_id = page.get_attribute("#param-hbm_control", "aria-describedby")
    assert "Source:" in page.text_content(f"#{help_id}")


@pytest.fixture(params=[(1440, 900, False), (390, 844, True)], ids=["desktop", "phone"])
def sized(browser, request):
    """A tab at a laptop size, and one as a phone (touch) gives it."""
    yield from _tab(browser, *request.param)


def test_the_headline_leads_the_page_and_follows_every_move(sized, server):
    open_page(sized, server, "preset=status-quo&samples=20")
    headline = sized.inner_text("#headline")
    assert headline.startswith("status-quo: US lead ") and "of 20 samples" in headline
    assert "scenario one in" in headline and "not a forecast" in headline
    bar = sized.get_attribute("#verdict-bars .bar", "aria-label")
    assert "Scenario one" in bar and "%" in bar
    assert "essay" in sized.inner_text("header") or sized.is_visible("header a[href*='anthropic']")
    assert sized.is_visible("header a[href='/static/guide.html']")
    # the lead chart starts within the first screen, at either size
    top = sized.evaluate("document.getElementById('chart-lead').getBoundingClientRect().top")
    assert top < sized.viewport_size["height"] - 150
    updates = sized.evaluate("window.ailead.updates")
    if sized.is_visible("#drawer-toggle"):  # the phone's settings drawer
        sized.click("#drawer-toggle")
    sized.focus("#switch-compute")
    sized.keyboard.press("End")
    settled(sized, updates)
    moved = sized.inner_text("#headline")
    assert moved != headline and moved.startswith("status-quo (modified): US lead ")
    assert "median lead +" in sized.inner_text("#difference")  # against the status-quo baseline
    assert sized.evaluate("document.getElementById('chart-lead').getBoundingClientRect().top") < 844


def test_no_cloud_button_few_tab_stops_and_a_skip_link(sized, server):
    open_page(sized, server, "preset=status-quo&samples=20")
    cloud = sized.evaluate(
        "[...document.querySelectorAll('*')].filter(e => /cloud|chart studio/i.test("
        "(e.getAttribute('data-title') || '') + (e.getAttribute('title') || '')"
        " + (e.getAttribute('data-attr') || ''))).length"
    )
    assert cloud == 0 and sized.locator(".modebar").count() == 0
    in_chart = sized.evaluate(
        "[...document.querySelectorAll('#chart-lead *')].filter(e => e.tabIndex >= 0).length"
    )
    assert in_chart == 0  # the chart's two stops are its PNG and SVG buttons
    sized.keyboard.press("Tab")
    assert sized.evaluate("document.activeElement.getAttribute('href')") == "#results"


def test_an_exported_png_is_on_white_with_title_and_source(sized, server, tmp_path):
    from PIL import Image

    open_page(sized, server, "preset=us-lead&samples=20")
    with sized.expect_download() as info:
        sized.click("#chart-lead >> xpath=.. >> button[data-format=png]")
    path = tmp_path / "lead.png"
    info.value.save_as(path)
    image = Image.open(path).convert("RGB")
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((image.width - 1, image.height - 1)) == (255, 255, 255)
    assert image.width >= 1200 and image.width / image.height > 1.5  # a slide's shape
    with sized.expect_download() as info:
        sized.click("#chart-lead >> xpath=.. >> button[data-format=svg]")
    svg = info.value.path().read_text()
    assert "US lead over the PRC" in svg and "Source: ailead" in svg and "us-lead" in svg


def test_a_bad_link_is_clamped_with_a_note_and_still_draws(sized, server):
    open_page(sized, server, "preset=status-quo&samples=5000&smuggling_enforcement=3&colour=red")
    notes = sized.inner_text("#notes")
    assert "samples=5000" in notes and "using 1000" in notes
    assert "smuggling_enforcement=3" in notes and "using 1" in notes
    assert "colour" in notes
    assert sized.input_value("#samples") == "1000"
    assert sized.evaluate("document.getElementById('chart-lead').data.length") > 0
    assert "of 1,000 samples" in sized.inner_text("#headline")


def test_controls_match_their_levers_and_mark_departures(page, server):
    open_page(page, server, "preset=status-quo&samples=20&revenue_feedback=0.37")
    assert "revenue_feedback=0.37 is an on/off setting" in page.inner_text("#notes")
    assert page.get_attribute("#param-revenue_feedback", "type") == "checkbox"
    assert not page.is_checked("#param-revenue_feedback")  # 0.37 is nearer off
    assert "revenue_feedback=0&" in page.url
    rule = page.eval_on_selector_all("#param-remote_access_rule option", "o => o.map(x => x.text)")
    assert rule == ["open", "partly closed", "closed"]
    chips = page.eval_on_selector_all(
        "#param-export_threshold_tpp option", "o => o.map(x => x.text)"
    )
    assert any("H20" in c and "status quo" in c for c in chips)
    assert page.input_value("#param-export_threshold_tpp") == "4800"
    assert page.is_hidden("#preset-modified") is False  # the link set a lever by hand
    updates = page.evaluate("window.ailead.updates")
    page.click("#reset")
    settled(page, updates)
    assert page.is_hidden("#preset-modified")
    assert "modified" not in page.inner_text("#out-switch-access")
    updates = page.evaluate("window.ailead.updates")
    page.click("text=Access levers")
    page.select_option("#param-remote_access_rule", label="closed")
    settled(page, updates)
    assert "modified" in page.inner_text("#out-switch-access")
    assert page.is_visible("#preset-modified")


def test_the_page_writes_numbers_as_the_reports_do_and_one_run_has_no_shares(page, server):
    from ailead.outputs import labels

    open_page(page, server, "preset=us-lead&samples=1")
    values = [0, 0.004, 0.015, 6.62, 10.44, -3.0, 12_345, 1.35e8, 2.5e9]
    shares = [0, 0.001, 0.015, 0.5, 0.996, 1]
    got = page.evaluate(
        "async ([values, shares]) => { const f = await import('/static/format.js');"
        " return [values.map(f.number), shares.map(f.percent)]; }",
        [values, shares],
    )
    assert got == [[labels.number(v) for v in values], [labels.percent(p) for p in shares]]
    assert "deterministic" in page.inner_text("#headline")
    assert "one deterministic run" in page.inner_text("#verdict-bars")
    assert "%" not in page.inner_text("#verdict-bars")


def test_the_lead_is_drawn_in_its_preset_colour_as_in_the_reports(page, server):
    from ailead.outputs import labels

    open_page(page, server, "preset=us-lead&samples=20")
    colours = page.evaluate(
        "Object.fromEntries(document.getElementById('chart-lead').data"
        ".filter(t => t.name?.endsWith('median')).map(t => [t.name, t.line.color]))"
    )
    assert colours["US lead: us-lead, median"] == labels.SCENARIO_COLORS["us-lead"]
    assert colours["status-quo (baseline), median"] == labels.BASELINE_COLOR


def test_the_baseline_is_always_drawn(page, server):
    open_page(page, server, "preset=catch-up&vs=none")
    assert "baseline is always drawn" in page.inner_text("#notes")
    options = page.eval_on_selector_all("#compare option", "els => els.map(e => e.value)")
    assert "" not in options and "saved" in options
    names = page.evaluate("document.getElementById('chart-lead').data.map(t => t.name || '')")
    assert any("baseline" in name for name in names)
