"""axe-core on every page of the dashboard, for both roles and both languages (issue 16).

Debian's Chromium, headless, as tests/test_dashboard_browser.py drives it: one browser context
per role logs in once and opens every page the role may see, in Dutch and in English, waits
until its content is drawn (grids filled, charts and the circle picture drawn) and runs all of
axe-core's WCAG 2.0/2.1 A/AA rules and its best practices on the WHOLE page (header and
navigation too). A serious or critical violation fails the test; the login page is checked
before logging in, in both languages.

Three findings axe-core has no rule for fail the same way: a chart (Plotly) or drawing
(Cytoscape) without an accessible name, a grid header that breaks inside a word or does not
fit, and a grid that announced "no rows" (AG Grid's live region) on its way to showing rows.
"""

from collections.abc import Iterator
from importlib.resources import files

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dashboards.components.widgets import _GRID_TEXTS
from dashboards.i18n import COOKIE, LANGUAGES
from graph.language import translate
from tests import test_dashboard_browser as shared

# the fixtures of the dashboard's browser tests: one store and one live server with accounts
store, secured_url = shared.store, shared.secured_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: axe-core's rule sets run on every page
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: the impacts that fail the test
FAILING = ("serious", "critical")
#: rules that fail the test at any impact: headings out of order mislead a screen reader's outline
FAILING_RULES = ("heading-order",)
#: (page, path, what shows once the team's page is drawn)
TEAM_PAGES = (
    ("overview", "/", "#key-figures .mantine-Paper-root"),
    ("residents", "/residents", ".ag-center-cols-container .ag-row"),
    ("resident", "/residents/R-PIQUE", "#circle-picture canvas"),
    ("agenda", "/agenda", ".agenda-item"),
    ("overlaps", "/overlaps", ".ag-center-cols-container .ag-row"),
    ("collaboration", "/collaboration", "#organisation-heatmap .main-svg"),
    ("trends", "/trends", "#trend-mean_awareness_coverage .main-svg"),
    ("data-quality", "/data-quality", "#quality-files"),
    ("not-found", "/no-such-page", "#not-found"),
)
#: the pages a policy session may see (the resident-level pages only tell it so: checked too)
POLICY_PAGES = (
    ("overview", "/", "#key-figures .mantine-Paper-root"),
    ("residents", "/residents", "#policy-unavailable"),
    ("resident", "/residents/R-PIQUE", "#policy-unavailable"),
    ("collaboration", "/collaboration", "#organisation-heatmap .main-svg"),
    ("trends", "/trends", "#trend-mean_awareness_coverage .main-svg"),
    ("data-quality", "/data-quality", "#quality-files"),
    ("not-found", "/no-such-page", "#not-found"),
)
ACCOUNTS = {"team": ("anna", "anna-team-password"), "policy": ("piet", "piet-policy-password")}

#: every violation of the page as [rule, impact, number of elements, first element]
RUN_AXE = """async (tags) => {
    const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
    const found = await axe.run(document, options);
    return found.violations.map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target.join(" ")]);
}"""

#: records every text AG Grid's live regions announce on the page, from its start
RECORD_ANNOUNCEMENTS = """
window.__announced = [];
new MutationObserver(records => records.forEach(record => {
    const node = record.target.nodeType === Node.TEXT_NODE ? record.target.parentElement : record.target;
    const region = node && node.closest ? node.closest(".ag-aria-description-container") : null;
    if (region) { window.__announced.push(region.textContent); }
})).observe(document, {subtree: true, childList: true, characterData: true});
"""
#: what axe-core does not check, as its violations are: charts and drawings without a name, grid
#: headers with a word broken or cut, a grid's live region saying "no rows" while it shows rows
RUN_OWN_CHECKS = """(noRows) => {
    const found = [];
    const report = (rule, elements) => {
        if (elements.length) { found.push([rule, "serious", elements.length, elements[0]]); }
    };
    const pictures = [...document.querySelectorAll(".js-plotly-plot, canvas")];
    report("picture-without-name", pictures.filter(p => {
        const named = p.closest("[role=img]");
        return !named || !(named.getAttribute("aria-label") || "").trim();
    }).map(p => (p.closest("[id]") || p).id));
    const broken = word => {
        const range = document.createRange();
        range.setStart(word.node, word.start);
        range.setEnd(word.node, word.end);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
    };
    report("grid-header-word-broken", [...document.querySelectorAll(".ag-header-cell-text")].filter(h => {
        const node = h.firstChild;
        if (!node || !node.textContent.trim()) { return false; }
        const words = [...node.textContent.matchAll(/\\S+/g)].map(m => (
            {node, start: m.index, end: m.index + m[0].length}));
        return h.scrollWidth > h.clientWidth || words.some(broken);
    }).map(h => h.textContent));
    const shown = document.querySelector(".ag-center-cols-container .ag-row") !== null;
    report("grid-announces-no-rows", shown ? window.__announced.filter(text => text.includes(noRows)) : []);
    return found;
}"""


def violations(page: Page, lang: str) -> list[list]:
    """axe-core's violations of the whole page, and those of :data:`RUN_OWN_CHECKS`:
    [rule, impact, elements, first element] each."""
    no_rows = translate(_GRID_TEXTS["noRowsToShow"], lang)
    return page.evaluate(RUN_AXE, AXE_TAGS) + page.evaluate(RUN_OWN_CHECKS, no_rows)


def role_context(browser: Browser, url: str, role: str | None) -> BrowserContext:
    """A browser context with axe-core in every page, logged in as ``role`` (None: not logged in)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(path=str(files("axe_playwright_python") / "axe.min.js"))
    context.add_init_script(RECORD_ANNOUNCEMENTS)
    if role is not None:
        shared.log_in(context.new_page(), url, *ACCOUNTS[role])
    return context


def set_language(context: BrowserContext, url: str, lang: str) -> None:
    """Choose ``lang`` the way the header's switch does: the language cookie."""
    context.add_cookies([{"name": COOKIE, "value": lang, "url": url}])


def check_pages(context: BrowserContext, url: str, pages) -> Iterator[tuple[str, str, list]]:
    """(page, language, violations) of every page of ``pages`` in both languages, once drawn."""
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for lang in LANGUAGES:
        set_language(context, url, lang)
        for name, path, ready in pages:
            page.goto(url + path)
            expect(page.locator(ready).first).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            page.wait_for_load_state("networkidle")
            yield name, lang, violations(page, lang)
    assert errors == []


def failing(found: list[tuple[str, str, list]]) -> list[str]:
    """The serious and critical violations of ``found``, and those of :data:`FAILING_RULES`, one line each."""
    return [
        f"{name} ({lang}): {rule} [{impact}] ×{count}, e.g. {target}"
        for name, lang, rules in found
        for rule, impact, count, target in rules
        if impact in FAILING or rule in FAILING_RULES
    ]


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_of_the_role_passes_axe_in_both_languages(browser: Browser, secured_url: str, role: str):
    context = role_context(browser, secured_url, role)
    try:
        found = list(check_pages(context, secured_url, TEAM_PAGES if role == "team" else POLICY_PAGES))
    finally:
        context.close()
    assert len(found) == 2 * len(TEAM_PAGES if role == "team" else POLICY_PAGES)
    assert failing(found) == []


def test_the_login_page_passes_axe_in_both_languages(browser: Browser, secured_url: str):
    context = role_context(browser, secured_url, None)
    try:
        found = list(check_pages(context, secured_url, [("login", "/login", "#user")]))
    finally:
        context.close()
    assert failing(found) == []
