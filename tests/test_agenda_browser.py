"""The team agenda of issue 14 in a real browser (Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it): /agenda, picking an earlier snapshot, "show more" with
the keyboard, a resident's page from its link (next steps and marks on top), the print view, and
axe-core's accessibility rules on the new parts."""

import re

import pytest
from playwright.sync_api import Page, expect

from dashboards.data import DataSource
from tests import test_dashboard_browser as shared
from tests.test_resident_browser import load_axe

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page, shoot = shared.store, shared.team_url, shared.browser_page, shared.shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: the parts of /agenda this issue added
AGENDA_PARTS = ["#agenda-dates", "#agenda-summary", "#agenda-items", "#agenda-meetings", ".agenda-print-link"]
#: the parts of the resident page this issue added
RESIDENT_PARTS = ["#circle-recommendation", "#circle-resolved", ".gap-status"]


def axe_violations(page: Page, selectors: list[str]) -> list[str]:
    """axe-core's WCAG 2 A/AA violations in the elements of ``selectors``, as "rule: element" lines."""
    return page.evaluate(
        """async (selectors) => {
            const parts = selectors.filter(s => document.querySelector(s) !== null).map(s => [s]);
            if (parts.length < selectors.length) { throw new Error(`${parts.length} parts on the page`); }
            const found = await axe.run({include: parts},
                {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
            return found.violations.flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(" ")}`));
        }""",
        selectors,
    )


def test_the_agenda_compares_with_an_earlier_snapshot_and_leads_to_a_resident(
    browser_page: Page, team_url: str
):
    load_axe(browser_page)
    browser_page.goto(team_url + "/agenda")
    expect(browser_page.get_by_role("heading", name="Teamagenda")).to_be_visible()
    expect(browser_page.locator("#agenda-dates")).to_have_text(
        "Peildatum 1 juni 2024 · veranderingen sinds 1 maart 2024"
    )
    expect(browser_page.locator(".agenda-item")).to_have_count(50)
    expect(browser_page.locator("#agenda-summary")).to_contain_text("de eerste 50 getoond")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "agenda")
    assert axe_violations(browser_page, AGENDA_PARTS) == []

    # "show more" with the keyboard
    more = browser_page.get_by_role("button", name="Meer bewoners tonen")
    more.focus()
    browser_page.keyboard.press("Enter")
    expect(browser_page.locator(".agenda-item")).to_have_count(100)

    # another snapshot to compare with; the print link follows the choice
    shared.choose(browser_page, "Vergelijk met de peildatum", "2023-12-01")
    expect(browser_page.locator("#agenda-dates")).to_have_text(
        "Peildatum 1 juni 2024 · veranderingen sinds 1 december 2023"
    )
    expect(browser_page.locator(".agenda-item")).to_have_count(50)
    link = browser_page.locator(".agenda-print-link")
    expect(link).to_have_attribute("href", "/agenda/print?as_of=2024-06-01&since=2023-12-01&top=50")

    # the first resident's page, from its link: the next steps on top, the gaps marked
    first = browser_page.locator("#agenda-item-1 h3 a")
    resident = re.search(r"\((R[^)]+)\)$", first.inner_text()).group(1)
    first.click()
    expect(browser_page).to_have_url(re.compile(rf"/residents/{resident}\?from=agenda$"))
    expect(browser_page.locator("#circle-title")).to_be_visible()
    expect(browser_page.locator(".gap-status").first).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "agenda-resident")


def test_a_resident_page_shows_next_steps_marks_and_resolved_gaps(browser_page: Page, team_url: str, store):
    load_axe(browser_page)
    # a resident of the test store with a recommended introduction, new and resolved gaps
    resident = next(
        item
        for item in DataSource(str(store)).agenda().words("nl")["items"]
        if item["introduction"] and item["resolved"] and item["counts"]["new"]
    )
    browser_page.goto(team_url + "/residents/" + resident["resident_id"])
    recommendation = browser_page.locator("#circle-recommendation")
    expect(recommendation).to_contain_text("Kennismaking: " + resident["introduction"]["message"])
    expect(browser_page.locator("#circle-resolved")).to_contain_text("Opgelost sinds 1 maart 2024")
    expect(browser_page.locator(".gap-status-new").first).to_have_text("nieuw")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "resident-next-steps")
    assert axe_violations(browser_page, RESIDENT_PARTS) == []


def test_the_print_view_is_one_page_without_scripts(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/agenda")
    link = browser_page.locator(".agenda-print-link")
    expect(link).to_have_attribute("href", re.compile(r"since=2024-03-01"))
    browser_page.goto(team_url + link.get_attribute("href"))
    expect(browser_page.locator("h1")).to_contain_text("Agenda voor het casusoverleg, 1 juni 2024")
    assert browser_page.locator("script").count() == 0
    shoot(browser_page, "agenda-print")
