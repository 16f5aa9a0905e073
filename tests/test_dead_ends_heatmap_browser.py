"""Issue 16's last dead end in a real browser (Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it): a click on a cell of the organisation heat map, or
Enter on its link in the list of cells, opens the residents in whose circle both groups have a
helper; the heat map's parts keep to axe-core's rules."""

import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from dashboards.data import DataSource
from dashboards.drilldown import pair_address
from dashboards.i18n import share_text
from tests import test_dashboard_browser as shared
from tests.test_agenda_browser import axe_violations
from tests.test_resident_browser import load_axe

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page = shared.store, shared.team_url, shared.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: the groups of helpers without an organisation, and their Dutch names, as SPEC §5 and the
#: catalogue write them
KIND_GROUPS = {"informal": "(informal)", "caregiver": "(caregivers)"}
DUTCH_GROUPS = {"(informal)": "(informeel)", "(caregivers)": "(mantelzorgers)"}
#: how long the first content of a page may take: a fresh server analyses the snapshots it shows
FIRST_CONTENT = 30_000
HEATMAP_PARTS = ["#organisation-heatmap", "#heatmap-legend", "#heatmap-cells"]


@pytest.fixture(scope="module")
def view(store):
    return DataSource(str(store)).view()


def residents_with_both(view, a: str, b: str) -> int:
    """How many residents have helpers of both groups in their circle, from the snapshot's helpers."""

    def groups(resident: str) -> Counter:
        helpers = (view.helpers[h] for h in view.analysis.circles.members(resident))
        return Counter(
            h["organisation_id"] or KIND_GROUPS.get(h["kind"], "(no organisation)") for h in helpers
        )

    return sum(1 for resident in view.residents if groups(resident)[a] and groups(resident)[b])


def dutch_name(view, group: str) -> str:
    return DUTCH_GROUPS.get(group) or view.organisations.get(group) or group


#: the heat map's plot in the page
PLOT = "document.querySelector('#organisation-heatmap .js-plotly-plot')"


def cell_with(page: Page, address: str) -> tuple[int, int]:
    """The row and column of the heat map's cell whose customdata carries ``address``."""
    return page.evaluate(
        f"""(address) => {{
            const cells = {PLOT}.data[1].customdata;
            const i = cells.findIndex(line => line.includes(address));
            return [i, cells[i].indexOf(address)];
        }}""",
        address,
    )


def click_cell(page: Page, cell: tuple[int, int], *, hover_only: bool = False) -> None:
    """Click (or only point at) the middle of the heat map's cell (row, column) with the mouse, as a
    person does: where the plot's axes put it (the cells lie under plotly's drag layer), scrolled
    to the middle of the window first."""
    locate = f"""([i, j]) => {{
        const plot = {PLOT};
        const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
        return [area.left + plot._fullLayout.xaxis.l2p(j), area.top + plot._fullLayout.yaxis.l2p(i)];
    }}"""
    _, y = page.evaluate(locate, cell)
    page.evaluate("y => window.scrollBy(0, y - window.innerHeight / 2)", y)
    x, y = page.evaluate(locate, cell)
    if hover_only:
        page.mouse.move(x, y)
    else:
        page.mouse.click(x, y)


def expect_shared_residents(page: Page, view, a: str, b: str) -> None:
    """The residents page, filtered to the residents with helpers of both groups."""
    expect(page).to_have_url(re.compile(re.escape(pair_address(a, b)) + "$"))
    count = residents_with_both(view, a, b)
    assert 0 < count < len(view.residents)
    expect(page.locator("#residents-count")).to_have_text(
        f"{count} bewoner" if count == 1 else f"{count} bewoners"
    )
    expect(page.locator("#residents-filter-text")).to_have_text(
        f"Bewoners met hulpverleners van {dutch_name(view, a)} en van {dutch_name(view, b)} in hun kring"
    )
    expect(page.locator("#residents-filter-clear")).to_be_visible()


def test_a_click_on_a_cell_opens_the_residents_with_helpers_of_both_groups(
    browser_page: Page, team_url: str, view
):
    browser_page.goto(team_url + "/collaboration")
    expect(browser_page.locator("#organisation-heatmap .textpoint text").first).to_be_visible(
        timeout=FIRST_CONTENT
    )
    # first a light grey cell (no shared residents): it carries no address and leads nowhere
    empty = browser_page.evaluate(
        f"() => {{ const z = {PLOT}.data[0].z; const i = z.findIndex(l => l.includes(0)); "
        "return [i, z[i].indexOf(0)]; }"
    )
    assert browser_page.evaluate(f"([i, j]) => {PLOT}.data[1].customdata[i][j]", empty) is None
    click_cell(browser_page, empty)
    # plotly counts a click soon after another as a double click (which zooms, and opens nothing)
    browser_page.wait_for_function(
        f"() => {{ const plot = {PLOT}; "
        "return Date.now() - plot._mouseDownTime > plot._context.doubleClickDelay; }"
    )
    # then the pair with the most pairs of helpers in a shared circle: a cell of many residents;
    # had the first click led anywhere, the heat map would be gone and this one would fail
    pair = max(view.analysis.organisations, key=lambda row: row.cross_pairs)
    cell = cell_with(browser_page, pair_address(pair.a, pair.b))
    # its hover is as it was: the pair and its figures
    click_cell(browser_page, cell, hover_only=True)
    expect(browser_page.locator("#organisation-heatmap .hoverlayer")).to_contain_text(
        f"{dutch_name(view, pair.a)} – {dutch_name(view, pair.b)}"
        f"Kennen elkaar: {share_text(pair.aware_share, 'nl')}"
    )
    click_cell(browser_page, cell)
    expect_shared_residents(browser_page, view, pair.a, pair.b)


def test_enter_on_a_cell_s_link_opens_the_same_residents(browser_page: Page, team_url: str, view):
    load_axe(browser_page)
    browser_page.goto(team_url + "/collaboration")
    summary = browser_page.locator("#heatmap-cells summary")
    expect(summary).to_have_text(
        "De cellen als lijst: elke cel opent de gedeelde bewoners", timeout=FIRST_CONTENT
    )
    links = browser_page.locator("#heatmap-cell-list a")
    expect(links.first).to_be_hidden()  # folded away: 200 links do not flood the page
    summary.focus()
    browser_page.keyboard.press("Enter")
    expect(links.first).to_be_visible()
    expect(links).to_have_count(len(view.analysis.organisations))
    browser_page.wait_for_load_state("networkidle")
    assert axe_violations(browser_page, HEATMAP_PARTS) == []
    # the weakest share first: the pair a team would act on
    lowest = min(row.aware_share for row in view.analysis.organisations)
    weakest = {
        pair_address(row.a, row.b): row for row in view.analysis.organisations if row.aware_share == lowest
    }
    link = links.first
    pair = weakest[link.get_attribute("href")]
    expect(link).to_contain_text(f"{dutch_name(view, pair.a)} – {dutch_name(view, pair.b)}: ")
    link.focus()
    browser_page.keyboard.press("Enter")
    expect_shared_residents(browser_page, view, pair.a, pair.b)
