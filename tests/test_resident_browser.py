"""The resident page of issue 14 in a real browser (Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it): the Emmen delegation, the folded low gaps opened with
the keyboard, and axe-core's accessibility rules on the page."""

from importlib.resources import files

import pytest
from playwright.sync_api import Page, expect

from tests import test_dashboard_browser as shared

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page, shoot = shared.store, shared.team_url, shared.browser_page, shared.shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: a resident of the test store with 9 low-severity gaps (more than LOW_GAPS_SHOWN: folded away)
MANY_LOW_GAPS = "R000173"


def load_axe(page: Page) -> None:
    """Give every page that ``page`` opens axe-core (an init script: the page's Content-Security-Policy,
    which refuses inline scripts, does not bind it)."""
    page.add_init_script(path=str(files("axe_playwright_python") / "axe.min.js"))


#: what this page added: the severity headings and the folded group, the table of delegated tasks
#: and the picture's words (the page's older parts have contrast findings of their own: Mantine's
#: filled severity badges, its light badges and its dimmed text)
NEW_PARTS = [
    "#circle-gaps h3",
    "#circle-gaps summary",
    "#circle-delegations",
    ".delegation-help",
    "#circle-picture-text",
]


def axe_violations(page: Page, selectors: list[str]) -> list[str]:
    """axe-core's WCAG 2 A/AA violations in the elements of ``selectors``, as "rule: element" lines."""
    return page.evaluate(
        """async (selectors) => {
            const parts = selectors.filter(s => document.querySelector(s) !== null).map(s => [s]);
            const found = await axe.run({include: parts},
                {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
            if (parts.length < 3) { throw new Error(`only ${parts.length} of the new parts on the page`); }
            return found.violations.flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(" ")}`));
        }""",
        selectors,
    )


def test_the_emmen_page_shows_the_overdue_delegation_and_draws_it_as_a_problem(
    browser_page: Page, team_url: str
):
    load_axe(browser_page)
    browser_page.goto(team_url + "/residents/R-EMMEN-4")
    expect(browser_page.locator("#circle-title")).to_have_text("Roelie Smit")
    table = browser_page.locator("#circle-delegations")
    expect(table).to_contain_text("Gedelegeerd door")
    row = table.locator("tbody tr")
    expect(row).to_have_count(1)
    for cell in ("Linda Veenstra", "Sanne Oosting", "administratie", "elke 14 dagen", "3 mei 2024", "1 dag"):
        expect(row).to_contain_text(cell)
    expect(browser_page.locator("#circle-picture-text")).to_contain_text(
        "Contact achterstallig tussen ambulant begeleider Sanne Oosting en praktisch ondersteuner "
        "Linda Veenstra"
    )
    expect(browser_page.get_by_role("heading", name="Ernst: hoog · 1 knelpunt")).to_be_visible()
    # the picture draws the pair as one problem edge, without a green coordinating arrow
    browser_page.wait_for_function("document.querySelector('#circle-picture canvas') !== null")
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "resident-emmen-4")
    assert axe_violations(browser_page, NEW_PARTS) == []


def test_the_folded_low_gaps_open_with_the_keyboard(browser_page: Page, team_url: str):
    load_axe(browser_page)
    browser_page.goto(team_url + "/residents/" + MANY_LOW_GAPS)
    folded = browser_page.locator("details.gap-group-folded")
    expect(folded).to_have_count(1)
    expect(folded.locator(".gap-card").first).to_be_hidden()
    summary = folded.locator("summary")
    expect(summary).to_contain_text("Ernst: laag · 9 knelpunten")
    for _ in range(60):  # Tab through the page until the summary has the focus
        browser_page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the folded low gaps cannot be reached with Tab")
    browser_page.keyboard.press("Enter")
    expect(folded).to_have_attribute("open", "")
    expect(folded.locator(".gap-card")).to_have_count(9)
    expect(folded.locator(".gap-card").first).to_be_visible()
    shoot(browser_page, "resident-many-low-gaps-open")
    assert axe_violations(browser_page, NEW_PARTS) == []
