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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


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
    assert "lead months (current), median" in names and "lead months (us-lead), median" in names
    assert "us-lead" in page.inner_text("#summary thead")
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
    lead = [r for r in rows if r["series"] == "lead_months"]
    assert len(lead) == 72 and lead[0]["month"] == "2025-01"
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
