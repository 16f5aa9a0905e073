"""The dashboard with the keyboard alone (issue 16), in Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it: the skip link is every page's first tab stop and takes
the focus to the page's content; a resident opens from the residents table with Tab, the arrow
keys and Enter (no click, no typed address), and Tab then reaches the resident's gaps and the
table of who knows whom under the circle picture."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests import test_dashboard_browser as shared
from tests.test_resident_browser import axe_violations, load_axe

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page = shared.store, shared.team_url, shared.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: a resident of the test store with 9 low-severity gaps, folded away behind a summary (a tab stop)
MANY_LOW_GAPS = "R000173"
#: more tab stops than any page has before the element a test looks for
MOST_TAB_STOPS = 60


def focused(page: Page) -> dict:
    """The element with the focus: its tag, id, classes, text, whether it is a cell or header of a grid
    (its paging buttons are not) and whether it is in the page's content."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName, id: e.id, classes: String(e.className), text: e.innerText || "",
                    inGrid: e.closest('.ag-root') !== null,
                    inMain: e.closest('#main-content') !== null}; }"""
    )


def tab_until(page: Page, wanted, what: str) -> list[dict]:
    """Press Tab until ``wanted(focused element)`` holds; the elements passed on the way."""
    passed = []
    for _ in range(MOST_TAB_STOPS):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return passed
        passed.append(element)
    raise AssertionError(f"{what} cannot be reached with Tab; passed {passed}")


def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_the_content(
    browser_page: Page, team_url: str
):
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    browser_page.keyboard.press("Tab")
    first = focused(browser_page)
    assert (first["tag"], first["classes"], first["text"]) == ("A", "skip-link", "Naar de inhoud")
    expect(browser_page.locator(".skip-link")).to_be_in_viewport()
    browser_page.keyboard.press("Enter")
    assert focused(browser_page)["id"] == "main-content"
    # the next tab stop is the page's own first control, not the header's or the navigation's
    browser_page.keyboard.press("Tab")
    expect(browser_page.get_by_placeholder("Zoek op nummer, naam of wijk")).to_be_focused()


def test_open_a_resident_from_the_residents_table_with_the_keyboard_alone(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.press("Enter")  # the skip link
    browser_page.keyboard.press("Tab")
    search = browser_page.get_by_placeholder("Zoek op nummer, naam of wijk")
    expect(search).to_be_focused()
    browser_page.keyboard.type(MANY_LOW_GAPS)
    expect(browser_page.locator(".ag-center-cols-container .ag-row")).to_have_count(1)
    # one tab stop into the grid (its first column header), the arrow keys move within it
    browser_page.keyboard.press("Tab")
    into_grid = focused(browser_page)
    assert into_grid["inGrid"] and "ag-header-cell" in into_grid["classes"], into_grid
    browser_page.keyboard.press("ArrowDown")
    cell = focused(browser_page)
    assert "ag-cell" in cell["classes"] and cell["text"] == MANY_LOW_GAPS, cell
    browser_page.keyboard.press("Enter")
    expect(browser_page).to_have_url(re.compile(rf"/residents/{MANY_LOW_GAPS}$"))
    expect(browser_page.locator("#circle-gaps")).to_be_visible()
    # the gaps are reached with Tab: the summary of the folded low ones opens with Enter
    summary = browser_page.locator("details.gap-group-folded summary")
    tab_until(browser_page, lambda element: "gap-group-summary" in element["classes"], "the gaps")
    browser_page.keyboard.press("Enter")
    expect(browser_page.locator("details.gap-group-folded")).to_have_attribute("open", "")
    expect(summary).to_contain_text("Ernst: laag · 9 knelpunten")
    expect(browser_page.locator("details.gap-group-folded .gap-card").first).to_be_visible()


def test_a_grid_is_one_tab_stop(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    passed = tab_until(
        browser_page, lambda element: element["inGrid"] and "ag-header-cell" in element["classes"], "the grid"
    )
    assert not any(element["inGrid"] for element in passed)
    browser_page.keyboard.press("ArrowDown")
    assert "ag-cell" in focused(browser_page)["classes"]
    # Tab from a cell leaves the grid, past its other cells and rows
    browser_page.keyboard.press("Tab")
    after = focused(browser_page)
    assert not after["inGrid"], after


def test_the_way_back_leads_where_the_circle_was_opened_from(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents/R-PIQUE?from=overlaps")
    back = browser_page.locator("#circle-back")
    expect(back).to_have_text("← Overlap en behoeften")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.press("Enter")  # the skip link
    tab_until(browser_page, lambda element: element["id"] == "circle-back", "the way back")
    browser_page.keyboard.press("Enter")
    expect(browser_page).to_have_url(re.compile(r"/overlaps$"))


def test_the_circle_picture_has_a_table_of_who_knows_whom(browser_page: Page, team_url: str):
    load_axe(browser_page)
    browser_page.goto(team_url + "/residents/R-PIQUE")
    figure = browser_page.locator("figure.circle-figure")
    expect(figure).to_have_attribute("aria-describedby", "circle-picture-text circle-knows-summary")
    summary = browser_page.locator("#circle-knows-summary")
    expect(summary).to_contain_text("Wie kent wie")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.press("Enter")  # the skip link
    tab_until(browser_page, lambda element: element["id"] == "circle-knows-summary", "who knows whom")
    browser_page.keyboard.press("Enter")
    table = browser_page.locator("#circle-knows")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_have_text("Wie kent wie")
    expect(table.locator("thead th")).to_have_text(["Hulpverlener", "Weet van", "Niveau", "Laatste contact"])
    expect(table.locator("tbody tr").first).to_be_visible()
    # the table and its summary pass axe-core's WCAG 2.1 A/AA rules
    assert axe_violations(browser_page, [".circle-knows", "#circle-knows", "#circle-knows-summary"]) == []
