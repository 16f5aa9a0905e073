"""/collaboration and the overview's change of issue 15 in a real browser (Debian's Chromium, headless,
as tests/test_dashboard_browser.py drives it), for the team and the policy role: the heat map with
a share printed in its cells and its legend in words, the comparison with an earlier snapshot
(sortable, the largest change first) with the pairs that started finding each other or drifted
apart, the key figures' change since the snapshot before, and axe-core's accessibility rules on
these new parts."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dashboards.data import DataSource
from dashboards.pages.collaboration import comparison_rows, group_names, pair_rows
from dashboards.pages.overview import change_text, figure_changes
from graph.analysis.evaluation import pair_shifts
from tests import test_dashboard_browser as shared
from tests.test_agenda_browser import axe_violations
from tests.test_resident_browser import load_axe

# the fixtures of the dashboard's browser tests: one store and live servers for this module
store, team_url, secured_url = shared.store, shared.team_url, shared.secured_url
browser_page, shoot, log_in = shared.browser_page, shared.shoot, shared.log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MIDDLE, OLDEST = date(2024, 3, 1), "2023-12-01"
#: a small neighbourhood: some of its figures are cut or hidden for the policy role
AREA = "Emmen-Centrum"
#: the parts of /collaboration this issue added (the page's older parts, Mantine's dimmed text and
#: the header, have contrast findings of their own that issue 16 fixes)
COLLABORATION_PARTS = ["#organisation-heatmap", "#heatmap-legend", "#collaboration-comparison"]
#: a share printed in a cell: "86%"
SHARE = re.compile(r"^\d{1,3}%$")
#: how long the first content of a page may take: a fresh server analyses the snapshots it shows
FIRST_CONTENT = 30_000


def cell_texts(page: Page) -> list[str]:
    """The texts printed in the heat map's cells."""
    return page.locator("#organisation-heatmap .textpoint text").evaluate_all(
        "all => all.map(t => t.textContent)"
    )


def expected_shifts(store, role: str) -> tuple[list, list, dict]:
    """The pairs that started finding each other and drifted apart from the middle snapshot to the
    newest, as the role sees them, and the names of the groups."""
    data = DataSource(str(store))
    now, then = data.view(), data.earlier()[0]
    then = data.view(then.as_of)
    started, drifted = pair_shifts(pair_rows(then, None, role, 5), pair_rows(now, None, role, 5), 5)
    return started, drifted, {**group_names(then, "nl"), **group_names(now, "nl")}


def check_shifts(page: Page, store, role: str) -> None:
    started, drifted, names = expected_shifts(store, role)
    assert started, "the test store's pilot improves: some pairs started finding each other"
    for list_id, shifts in (("#pairs-started", started), ("#pairs-drifted", drifted)):
        items = page.locator(f"{list_id} li")
        expect(items).to_have_count(len(shifts))
        for item, shift in zip(items.all(), shifts, strict=True):
            expect(item).to_contain_text(f"{names[shift.a]} en {names[shift.b]}")


def test_the_team_sees_shares_in_the_cells_the_legend_and_the_change_since_a_snapshot(
    browser_page: Page, team_url: str, store
):
    load_axe(browser_page)
    browser_page.goto(team_url + "/collaboration")
    heatmap = browser_page.locator("#organisation-heatmap")
    expect(heatmap.locator(".textpoint text").first).to_be_visible(timeout=FIRST_CONTENT)
    texts = cell_texts(browser_page)
    assert sum(bool(SHARE.match(text)) for text in texts) > 50
    assert "·" in texts and not [t for t in texts if t.startswith("<")]  # the team sees every share
    legend = browser_page.locator("#heatmap-legend")
    expect(legend).to_contain_text("0% tot 100%")
    expect(legend).to_contain_text("Geen gedeelde bewoners")
    expect(legend.locator(".legend-hidden")).to_have_count(0)

    # the comparison: the snapshot before by default, the largest change first
    comparison = browser_page.locator("#collaboration-comparison")
    expect(comparison.locator("#comparison-dates")).to_have_text(
        "Alle wijken: van 1 maart 2024 tot 1 juni 2024"
    )
    check_shifts(browser_page, store, "team")
    changes = comparison.locator(".ag-center-cols-container [col-id='change']")
    expect(changes.first).to_be_visible()
    data = DataSource(str(store))
    names = {**group_names(data.view(MIDDLE), "nl"), **group_names(data.view(), "nl")}
    rows = comparison_rows(
        pair_rows(data.view(MIDDLE), None, "team", 5), pair_rows(data.view(), None, "team", 5), names, 5, "nl"
    )
    first = comparison.locator(".ag-center-cols-container .ag-row[row-index='0']")
    expect(first.locator("[col-id='pair']")).to_have_text(rows[0]["pair"])
    expect(first.locator("[col-id='change']")).to_have_text(rows[0]["change_text"])
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "collaboration-team")
    comparison.scroll_into_view_if_needed()
    comparison.screenshot(path=shared.SCREENSHOTS / "collaboration-team-comparison.png")
    assert axe_violations(browser_page, COLLABORATION_PARTS) == []

    # sorted by the change, the largest rise comes first
    comparison.locator(".ag-header-cell[col-id='change'] .ag-header-cell-label").click()  # ascending
    comparison.locator(".ag-header-cell[col-id='change'] .ag-header-cell-label").click()  # descending
    largest = max((row for row in rows if row["change"] is not None), key=lambda row: row["change"])
    expect(first.locator("[col-id='change']")).to_have_text(largest["change_text"])

    # an older snapshot to compare with
    shared.choose(browser_page, "Vergelijk met de peildatum", OLDEST)
    expect(comparison.locator("#comparison-dates")).to_have_text(
        "Alle wijken: van 1 december 2023 tot 1 juni 2024"
    )


def test_the_first_snapshot_says_there_is_nothing_to_compare_with(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/collaboration")
    expect(browser_page.locator("#comparison-dates")).to_be_visible(timeout=FIRST_CONTENT)
    browser_page.get_by_role("textbox", name="Peildatum", exact=True).click()
    browser_page.get_by_role("option", name=re.compile("^" + OLDEST)).click()
    expect(browser_page.locator("#collaboration-comparison")).to_contain_text(
        "Er is geen opgeslagen peildatum vóór deze: er valt niets te vergelijken."
    )
    expect(browser_page.locator("#pairs-started")).to_have_count(0)
    expect(browser_page.locator("#organisation-heatmap .textpoint text").first).to_be_visible()


def test_policy_sees_hidden_cells_and_the_publications_comparison(
    browser_page: Page, secured_url: str, store
):
    load_axe(browser_page)
    log_in(browser_page, secured_url, "piet", "piet-policy-password")
    browser_page.goto(secured_url + "/collaboration")
    expect(browser_page.locator("#organisation-heatmap .textpoint text").first).to_be_visible(
        timeout=FIRST_CONTENT
    )
    texts = cell_texts(browser_page)
    assert sum(bool(SHARE.match(text)) for text in texts) > 20
    assert "<5" in texts and "·" in texts
    legend = browser_page.locator("#heatmap-legend")
    expect(legend.locator(".legend-hidden")).to_contain_text("Verborgen: minder dan 5 paren")
    expect(legend).to_contain_text("Geen gedeelde bewoners")
    comparison = browser_page.locator("#collaboration-comparison")
    expect(comparison.locator("#comparison-dates")).to_be_visible(timeout=FIRST_CONTENT)
    check_shifts(browser_page, store, "policy")
    data = DataSource(str(store))
    names = {**group_names(data.view(MIDDLE), "nl"), **group_names(data.view(), "nl")}
    rows = comparison_rows(
        pair_rows(data.view(MIDDLE), None, "policy", 5),
        pair_rows(data.view(), None, "policy", 5),
        names,
        5,
        "nl",
    )
    first = comparison.locator(".ag-center-cols-container .ag-row[row-index='0']")
    expect(first.locator("[col-id='pair']")).to_have_text(rows[0]["pair"])
    expect(comparison.locator(".ag-paging-row-summary-panel")).to_contain_text(f"van {len(rows)}")
    expect(browser_page.locator(".policy-note")).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, "collaboration-policy")
    comparison.scroll_into_view_if_needed()
    comparison.screenshot(path=shared.SCREENSHOTS / "collaboration-policy-comparison.png")
    assert axe_violations(browser_page, COLLABORATION_PARTS) == []
    # sorted by the share now, the pairs without one come first: hidden ones among them
    comparison.locator(".ag-header-cell[col-id='now'] .ag-header-cell-label").click()
    without = next(row for row in rows if row["now"] is None)
    expect(first.locator("[col-id='now']")).to_have_text(without["now_text"])
    assert any(row["now_text"] == "verborgen (<5 paren)" for row in rows)


def test_the_overview_shows_the_change_since_the_snapshot_before_for_both_roles(
    browser_page: Page, secured_url: str, store
):
    data = DataSource(str(store))
    now, then = data.view(), data.view(MIDDLE)
    log_in(browser_page, secured_url, "anna", "anna-team-password")
    lines = browser_page.locator("#key-figures .key-figure-change")
    expected = figure_changes(now.summary(None, "team", 5), then.summary(None, "team", 5))
    expect(lines).to_have_text(
        [f"Sinds 1 maart 2024: {change_text(n, c, 'nl')}" for n, c in expected.items()], timeout=FIRST_CONTENT
    )
    expect(browser_page.locator("#key-changes")).to_be_visible()  # new and resolved gaps stay
    shoot(browser_page, "overview-change-team")
    browser_page.get_by_role("button", name="Uitloggen (anna)").click()
    log_in(browser_page, secured_url, "piet", "piet-policy-password")
    shared.choose(browser_page, "Wijk", "Emmen-Centrum")
    expected = figure_changes(now.summary(AREA, "policy", 5), then.summary(AREA, "policy", 5))
    assert None in expected.values() and set(expected.values()) != {None}
    expect(lines).to_have_text(
        [f"Sinds 1 maart 2024: {change_text(n, c, 'nl')}" for n, c in expected.items()]
    )
    expect(browser_page.locator("#key-figures-change-note")).to_contain_text("minder dan 5 bewoners")
    expect(browser_page.locator("#key-changes")).to_have_count(0)
    shoot(browser_page, "overview-change-policy")
