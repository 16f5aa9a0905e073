"""The trends page of issue 15 in a real browser (Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it), for the team and the policy role, in Dutch and in
English: the charts drawn, the verdicts on the page, the page's own controls changing them, the
header's snapshot and neighbourhood hidden there only, and axe-core's accessibility rules on the
page's content (its controls and the evaluation: the frame around it has older contrast findings
of its own, which issue 16 takes on)."""

import pytest
from playwright.sync_api import Page, expect

from tests import test_dashboard_browser as shared
from tests.test_agenda_browser import axe_violations
from tests.test_resident_browser import load_axe

# the fixtures of the dashboard's browser tests: one store and live servers for this module
store, team_url, secured_url = shared.store, shared.team_url, shared.secured_url
browser_page, shoot, choose, log_in = shared.browser_page, shared.shoot, shared.choose, shared.log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

METRICS = ("mean_awareness_coverage", "caregiver_visibility")
#: the page's own parts: its controls and the evaluation
TRENDS_PARTS = ["#trends-controls", "#trends-content"]


def verdict(page: Page, metric: str = "mean_awareness_coverage"):
    return page.locator(f"#verdict-{metric}")


def expect_drawn(page: Page, chart_id: str, traces: int) -> None:
    """The chart is drawn by plotly, with ``traces`` traces."""
    expect(page.locator(f"#{chart_id} .main-svg").first).to_be_visible()
    expect(page.locator(f"#{chart_id} .scatterlayer .trace")).to_have_count(traces)


def test_the_team_reads_the_evaluation_and_changes_it_with_the_pages_own_controls(
    browser_page: Page, team_url: str
):
    load_axe(browser_page)
    browser_page.goto(team_url + "/trends")
    expect(
        browser_page.get_by_role("heading", name="Trends: de pilotwijk tegenover de andere wijken")
    ).to_be_visible()
    expect(browser_page.locator("#header-pickers")).to_be_hidden()
    for metric in METRICS:
        expect_drawn(browser_page, f"trend-{metric}", 2)
        expect_drawn(browser_page, f"difference-{metric}", 1)
        expect(verdict(browser_page, metric)).to_contain_text("geen gerandomiseerde vergelijking")
    expect(verdict(browser_page)).to_contain_text("Van 1 december 2023 tot 1 juni 2024")
    expect(verdict(browser_page)).to_contain_text("in Stedenwijk")
    expect(verdict(browser_page)).to_contain_text("dit is een verandering")
    expect(browser_page.locator("#trends-started li").first).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "trends-team-nl")
    assert axe_violations(browser_page, TRENDS_PARTS) == []

    # a later from: the verdict compares from that snapshot
    choose(browser_page, "Van peildatum", "1 maart 2024")
    expect(verdict(browser_page)).to_contain_text("Van 1 maart 2024 tot 1 juni 2024")
    expect(browser_page.locator("#figures-mean_awareness_coverage tbody tr")).to_have_count(2)
    # another pilot: the verdict speaks of it
    choose(browser_page, "Pilotwijk", "Waterwijk")
    expect(verdict(browser_page)).to_contain_text("in Waterwijk")
    expect(browser_page.locator("#trend-mean_awareness_coverage .legendtext").first).to_have_text("Waterwijk")

    # the header's snapshot and neighbourhood are back on a page that uses them, and gone again
    browser_page.get_by_role("link", name="Overzicht").click()
    expect(browser_page.locator("#key-figures")).to_be_visible()
    expect(browser_page.locator("#header-pickers")).to_be_visible()
    browser_page.get_by_role("link", name="Trends").click()
    expect(browser_page.locator("#header-pickers")).to_be_hidden()
    # the page's choices stay for the session
    expect(verdict(browser_page)).to_contain_text("Van 1 maart 2024 tot 1 juni 2024")
    expect(verdict(browser_page)).to_contain_text("in Waterwijk")


def test_the_team_reads_it_in_english(browser_page: Page, team_url: str):
    load_axe(browser_page)
    browser_page.goto(team_url + "/trends")
    expect(verdict(browser_page)).to_be_visible()
    browser_page.get_by_text("EN", exact=True).click()
    expect(
        browser_page.get_by_role("heading", name="Trends: the pilot against the other neighbourhoods")
    ).to_be_visible()
    expect(verdict(browser_page)).to_contain_text("From 1 December 2023 to 1 June 2024")
    expect(verdict(browser_page)).to_contain_text("percentage points more in Stedenwijk")
    expect(verdict(browser_page)).to_contain_text("This is not a randomised comparison")
    expect(browser_page.locator("#interval-mean_awareness_coverage")).to_contain_text("(95% interval +")
    for metric in METRICS:
        expect_drawn(browser_page, f"trend-{metric}", 2)
    choose(browser_page, "To snapshot", "1 March 2024")
    expect(verdict(browser_page)).to_contain_text("From 1 December 2023 to 1 March 2024")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "trends-team-en")
    assert axe_violations(browser_page, TRENDS_PARTS) == []


def test_policy_sees_protected_figures_and_what_a_dash_means(browser_page: Page, secured_url: str):
    load_axe(browser_page)
    log_in(browser_page, secured_url, "piet", "piet-policy-password")
    browser_page.goto(secured_url + "/trends")
    # no pilot configured: the first neighbourhood, Emmen-Centrum, which has no caregivers: the rest's
    # visibility is drawn alone, and the page says why there is no difference
    expect(browser_page.get_by_role("textbox", name="Pilotwijk", exact=True)).to_have_value("Emmen-Centrum")
    expect(browser_page.locator("#header-pickers")).to_be_hidden()
    expect_drawn(browser_page, "trend-mean_awareness_coverage", 2)
    expect_drawn(browser_page, "trend-caregiver_visibility", 2)
    expect(verdict(browser_page, "caregiver_visibility")).to_contain_text("Er is geen verschil te geven")
    expect(browser_page.locator("#trends-guide")).to_contain_text(
        "– geen cijfer, of verborgen om de privacy te beschermen"
    )
    expect(browser_page.locator(".policy-note")).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "trends-policy-nl")
    assert axe_violations(browser_page, TRENDS_PARTS) == []

    # the pilot: both charts and both intervals, and a shorter span changes the verdict
    choose(browser_page, "Pilotwijk", "Stedenwijk")
    expect(verdict(browser_page)).to_contain_text("in Stedenwijk")
    for metric in METRICS:
        expect_drawn(browser_page, f"trend-{metric}", 2)
        expect_drawn(browser_page, f"difference-{metric}", 1)
    choose(browser_page, "Tot en met peildatum", "1 maart 2024")
    expect(verdict(browser_page)).to_contain_text("Van 1 december 2023 tot 1 maart 2024")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "trends-policy-stedenwijk-nl")
    assert axe_violations(browser_page, TRENDS_PARTS) == []

    browser_page.get_by_text("EN", exact=True).click()
    expect(
        browser_page.get_by_role("heading", name="Trends: the pilot against the other neighbourhoods")
    ).to_be_visible()
    # the choices made stay when the page comes back in English
    expect(verdict(browser_page)).to_contain_text("From 1 December 2023 to 1 March 2024")
    expect(verdict(browser_page)).to_contain_text("in Stedenwijk")
    choose(browser_page, "Pilot neighbourhood", "Emmen-Centrum")
    expect(verdict(browser_page, "caregiver_visibility")).to_contain_text("No difference can be given")
    expect(browser_page.locator("#trends-guide")).to_contain_text("– no figure, or hidden to protect privacy")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "trends-policy-en")
    assert axe_violations(browser_page, TRENDS_PARTS) == []
