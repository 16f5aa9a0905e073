"""The evaluation report (evaluate --format html) in a real browser (Debian's Chromium, headless,
as tests/test_dashboard_browser.py drives it): opened from a file it asks for nothing else, shows
its figures, and passes axe-core's accessibility rules; a screenshot of each for a person to look at."""

import re

import pytest
from playwright.sync_api import Page, expect

from carecircle.synthetic import generate_series
from graph.analysis import analyse_stored
from graph.analysis.evaluation import evaluate
from graph.analysis.evaluation_formats import evaluation_html
from graph.analysis.evaluation_words import evaluation_json
from graph.stores import SqliteStore
from tests import test_dashboard_browser as shared
from tests.datasets import ingest
from tests.test_agenda_browser import axe_violations
from tests.test_resident_browser import load_axe

browser_page = shared.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PILOT = "Stedenwijk"


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    """Three generated snapshots of 300 residents (the pilot improving), analysed."""
    folder = tmp_path_factory.mktemp("evaluation")
    with SqliteStore(folder / "store.db") as store:
        for dataset in generate_series(folder / "datasets", residents=300, seed=11):
            store.save(ingest(dataset.path).snapshot, {})
        return [analyse_stored(store, info.as_of) for info in store.snapshots()]


@pytest.mark.parametrize(("role", "k", "lang"), [("team", 5, "nl"), ("policy", 100, "en")])
def test_the_report_asks_for_nothing_else_shows_its_figures_and_passes_axe(
    browser_page: Page, analyses, tmp_path, role, k, lang
):
    result = evaluation_json(evaluate(analyses, PILOT, role=role, k=k), lang)
    names = {group: name for group, name in analyses[-1].organisation_names.items() if name}
    report = tmp_path / "evaluation.html"
    report.write_text(evaluation_html(result, names, lang), encoding="utf-8")
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    load_axe(browser_page)
    browser_page.set_viewport_size({"width": 900, "height": 1200})
    browser_page.goto(report.as_uri())
    expect(browser_page.locator("h1")).to_contain_text(PILOT)
    assert requests == [report.as_uri()]
    charts = browser_page.get_by_role("img")
    if role == "team":
        expect(charts).to_have_count(3)
        # the name: the title, then every number in words
        expect(charts.first).to_have_accessible_name(
            re.compile(
                r"^Verschil in verschillen per maat, met het 95%-interval Hulpverleners die elkaar kennen: "
            )
        )
        box = charts.nth(1).bounding_box()
        assert box["width"] > 600 and box["height"] > 200  # drawn at the page's width, not collapsed
    else:
        expect(charts).to_have_count(0)  # every figure protected (fewer than 100): the page says so instead
        expect(browser_page.get_by_text("Nothing to draw").first).to_be_visible()
    shared.shoot(browser_page, f"evaluation-{role}")
    assert axe_violations(browser_page, ["header", "main"]) == []
