"""Issue 16's dead ends in a real browser (Debian's Chromium, headless, as
tests/test_dashboard_browser.py drives it): a click on a bar of the overview, or Enter on its
link, opens what the bar counts; a gap card's link goes to the helper's row; a circle prints
who knows whom instead of an empty box, and an unknown resident is offered no print."""

import re

import pytest
from playwright.sync_api import Page, expect

from dashboards.data import DataSource
from dashboards.drilldown import filtered_rows, gap_address
from dashboards.pages.overlaps import overlap_rows
from dashboards.pages.resident import helper_anchor
from dashboards.pages.residents import resident_rows
from tests import test_dashboard_browser as shared

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page = shared.store, shared.team_url, shared.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def view(store):
    return DataSource(str(store)).view()


def click_bar(page: Page, chart: str, index: int) -> None:
    """Click the middle of bar ``index`` (in the order plotly draws them) of the chart ``chart``:
    with the mouse, as a person does (the bars lie under plotly's drag layer)."""
    bar = page.locator(f"#{chart} .bars .point").nth(index)
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def drawn_addresses(page: Page, chart: str) -> list[str]:
    """The addresses the chart's bars carry, in the order they are drawn."""
    return page.evaluate(f"document.querySelector('#{chart} .js-plotly-plot').data[0].customdata")


def test_a_click_on_a_gap_bar_opens_the_residents_with_such_a_gap(browser_page: Page, team_url: str, view):
    browser_page.goto(team_url + "/")
    expect(browser_page.locator("#gaps-by-type .bars .point").first).to_be_visible()
    addresses = drawn_addresses(browser_page, "gaps-by-type")
    counts = view.summary(None, "team", 5)["gaps_by_type"]
    # the widest bar of a type that /residents lists (not an overlap or a need)
    index, gap_type = max(
        ((i, a.split("=")[1]) for i, a in enumerate(addresses) if a.startswith("/residents")),
        key=lambda pair: counts[pair[1]],
    )
    click_bar(browser_page, "gaps-by-type", index)
    expect(browser_page).to_have_url(re.compile(re.escape(gap_address(gap_type)) + "$"))
    shown = len(filtered_rows(resident_rows(view, None), view, {"gap": gap_type}))
    assert 0 < shown < len(view.residents)
    expect(browser_page.locator("#residents-count")).to_have_text(f"{shown} bewoners")
    expect(browser_page.locator("#residents-filter-text")).to_contain_text("Bewoners met een knelpunt")
    # and back to all residents
    browser_page.locator("#residents-filter-clear").click()
    expect(browser_page).to_have_url(re.compile(r"/residents$"))
    expect(browser_page.locator("#residents-count")).to_have_text(
        f"{len(resident_rows(view, None))} bewoners"
    )


def test_a_click_on_the_unmet_need_bar_opens_overlaps_filtered_by_it(browser_page: Page, team_url: str, view):
    browser_page.goto(team_url + "/")
    expect(browser_page.locator("#gaps-by-type .bars .point").first).to_be_visible()
    index = drawn_addresses(browser_page, "gaps-by-type").index(gap_address("unmet_need"))
    click_bar(browser_page, "gaps-by-type", index)
    expect(browser_page).to_have_url(re.compile(r"/overlaps\?type=unmet_need$"))
    rows = overlap_rows(view, None, "unmet_need", None, "nl")
    expect(browser_page.locator("#overlaps-count")).to_have_text(f"{len(rows)} knelpunten")
    checked = browser_page.locator("#overlaps-type input:checked")
    expect(checked).to_have_value("unmet_need")
    # the overlaps show people: the resident's name in its own column
    expect(browser_page.locator(".ag-row").first).to_contain_text(rows[0]["name"] or rows[0]["resident_id"])


def test_a_coverage_band_opens_from_its_link_with_the_keyboard(browser_page: Page, team_url: str, view):
    browser_page.goto(team_url + "/")
    links = browser_page.locator("#coverage-distribution-list a")
    expect(links.first).to_be_visible()
    link = links.last
    href = link.get_attribute("href")
    band = int(href.rsplit("=", 1)[1])
    link.focus()
    browser_page.keyboard.press("Enter")
    expect(browser_page).to_have_url(re.compile(re.escape(href) + "$"))
    shown = len(filtered_rows(resident_rows(view, None), view, {"coverage": band}))
    expect(browser_page.locator("#residents-count")).to_have_text(
        f"{shown} bewoner" if shown == 1 else f"{shown} bewoners"
    )


def test_a_click_on_a_coverage_bar_opens_the_residents_of_its_band(browser_page: Page, team_url: str, view):
    browser_page.goto(team_url + "/")
    expect(browser_page.locator("#coverage-distribution .bars .point").first).to_be_visible()
    addresses = drawn_addresses(browser_page, "coverage-distribution")
    sizes = [len(filtered_rows(resident_rows(view, None), view, {"coverage": b})) for b in range(10)]
    band = max(range(10), key=sizes.__getitem__)
    click_bar(browser_page, "coverage-distribution", band)
    expect(browser_page).to_have_url(re.compile(re.escape(addresses[band]) + "$"))
    expect(browser_page.locator("#residents-count")).to_have_text(f"{sizes[band]} bewoners")


def test_the_gaps_chart_has_a_legend_in_words(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/")
    legend = browser_page.locator("#gaps-by-type-legend li")
    expect(legend).to_have_text(["Ernst hoog", "Ernst middel", "Ernst laag"])


def test_a_gap_card_s_link_goes_to_the_helper_s_row(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents/R-PIQUE")
    card = browser_page.locator(".gap-card").filter(has_text="Overlap zonder afstemming")
    card.get_by_role("link", name="Samira El Idrissi").click()
    anchor = helper_anchor("H-PIQUE-HOUSEHOLD")
    expect(browser_page).to_have_url(re.compile(f"#{anchor}$"))
    row = browser_page.locator(f"#{anchor}")
    expect(row).to_contain_text("Samira El Idrissi")
    expect(row).to_be_in_viewport()


def test_the_printed_circle_shows_who_knows_whom_instead_of_an_empty_box(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents/R-PIQUE")
    expect(browser_page.locator("#circle-print")).to_be_visible()
    expect(browser_page.locator("#circle-knows-print")).to_be_hidden()
    browser_page.emulate_media(media="print")
    expect(browser_page.locator(".circle-figure .picture")).to_be_hidden()
    expect(browser_page.locator("#circle-knows-print")).to_be_visible()
    expect(browser_page.locator("#circle-knows-print")).to_contain_text("Anouk de Wit")
    browser_page.emulate_media(media="screen")


def test_an_unknown_resident_is_offered_no_print(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents/R-NOBODY")
    expect(browser_page.get_by_text("R-NOBODY")).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    expect(browser_page.locator("#circle-print")).to_be_hidden()
