"""The residents and overlaps grids paged on the server, in Debian's Chromium, headless: the grid
shows its first rows, sorts and filters through the server (each change asks it for rows again),
the count beside it follows the search and its filters, and Enter on a row still opens the resident."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from dashboards.data import DataSource
from dashboards.pages.residents import resident_rows
from tests import test_dashboard_browser as shared

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page = shared.store, shared.team_url, shared.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def rows(store) -> list[dict]:
    return resident_rows(DataSource(str(store)).view(), None)


def row_requests(page: Page, grid: str) -> list[dict]:
    """Every ``getRowsRequest`` the page sends for ``grid`` from now on (filled as they go)."""
    sent: list[dict] = []

    def record(request):
        if "/_dash-update-component" in request.url and f"{grid}.getRowsResponse" in (
            request.post_data or ""
        ):
            body = json.loads(request.post_data)
            sent.append(next(i["value"] for i in body["inputs"] if i["property"] == "getRowsRequest"))

    page.on("request", record)
    return sent


def sorts(request: dict) -> list[tuple[str, str]]:
    """The (column, direction) of each sort of a request, first sort first."""
    return [(entry["colId"], entry["sort"]) for entry in request["sortModel"]]


def first_column(page: Page) -> list[str]:
    """The resident ids of the rows the residents grid shows (its pinned first column)."""
    return page.locator(".ag-pinned-left-cols-container .ag-row").evaluate_all(
        "rows => rows.sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        ".map(row => row.innerText.trim())"
    )


def test_the_residents_grid_sorts_filters_and_counts_on_the_server(browser_page: Page, team_url: str, rows):
    sent = row_requests(browser_page, "residents-grid")
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    expect(browser_page.locator("#residents-count")).to_have_text(f"{len(rows)} bewoners")
    # one block of rows, most gaps first, not every row
    assert len(sent) == 1 and sent[0]["startRow"] == 0 and sent[0]["endRow"] == 100
    assert sorts(sent[0]) == [("gap_count", "desc")]
    # the column the table is sorted by, its severity and coverage are in sight without scrolling
    for column in ("gap_count", "high", "coverage"):
        expect(browser_page.locator(f".ag-header-cell[col-id='{column}']")).to_be_in_viewport()
    expect(browser_page.locator(".ag-paging-row-summary-panel")).to_contain_text(f"{len(rows)}")
    # sorted by the id: the rows come from the server in that order
    asked = len(sent)
    browser_page.locator(".ag-header-cell[col-id='link'] .ag-header-cell-label").click()
    by_id = sorted((row["resident_id"] for row in rows), key=str.casefold)
    expect(browser_page.locator(".ag-pinned-left-cols-container .ag-row[row-index='0']")).to_have_text(
        by_id[0]
    )
    shown = first_column(browser_page)  # the rows drawn: those in view
    assert len(shown) >= 10 and shown == by_id[: len(shown)]
    assert len(sent) > asked and sorts(sent[-1]) == [("link", "asc")]
    # the search: asked for again, counted again
    browser_page.get_by_placeholder("Zoek op nummer, naam of wijk").fill("Emmen-Centrum")
    expect(browser_page.locator("#residents-count")).to_have_text("6 bewoners")
    expect(browser_page.locator(".ag-center-cols-container .ag-row")).to_have_count(6)
    assert first_column(browser_page) == sorted(
        (row["resident_id"] for row in rows if row["neighbourhood"] == "Emmen-Centrum"), key=str.casefold
    )
    # a column filter on top of the search, through the server: the count follows it
    high = sum(1 for row in rows if row["neighbourhood"] == "Emmen-Centrum" and row["high"] > 0)
    browser_page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('residents-grid');
            api.setFilterModel({high: {filterType: 'number', type: 'greaterThan', filter: 0}});
        }"""
    )
    expect(browser_page.locator("#residents-count")).to_have_text(
        re.compile(rf"^{high} bewoners?$") if high else "0 bewoners"
    )
    assert sent[-1]["filterModel"] == {"high": {"filterType": "number", "type": "greaterThan", "filter": 0}}
    expect(browser_page.locator(".ag-center-cols-container .ag-row")).to_have_count(high)


def test_enter_on_a_row_of_the_paged_grid_opens_the_resident(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    browser_page.get_by_placeholder("Zoek op nummer, naam of wijk").fill("Piqué")
    expect(browser_page.locator("#residents-count")).to_have_text("1 bewoner")
    expect(browser_page.locator(".ag-center-cols-container .ag-row")).to_have_count(1)
    browser_page.locator(".ag-pinned-left-cols-container .ag-row .ag-cell").first.focus()
    browser_page.keyboard.press("Enter")
    expect(browser_page).to_have_url(re.compile(r"/residents/R-PIQUE$"))
    expect(browser_page.locator("#circle-title")).to_have_text("Mevrouw Piqué")


def test_the_overlaps_count_follows_its_filters(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/overlaps")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    count = browser_page.locator("#overlaps-count")
    expect(count).to_have_text(re.compile(r"^\d+ knelpunten$"))
    everything = int(count.inner_text().split()[0])
    browser_page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('overlaps-grid');
            api.setFilterModel({neighbourhood: {filterType: 'text', type: 'equals', filter: 'Stedenwijk'}});
        }"""
    )
    expect(count).not_to_have_text(f"{everything} knelpunten")
    expect(browser_page.locator(".ag-center-cols-container .ag-row").first).to_contain_text("Stedenwijk")
    shown = browser_page.locator(".ag-center-cols-container .ag-row").all_inner_texts()
    assert shown and all("Stedenwijk" in text for text in shown)
