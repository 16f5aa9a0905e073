"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

Every test fails on a browser console error. Screenshots of every page go to
``build/screenshots/`` for a person to look at.
"""

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from dashboards.accounts import Account, hash_password
from dashboards.app import create_app
from tests.dashboard_support import FORMULA_NEED, build_store, live_server

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"
PAGES = {
    "overview": ("/", "#key-figures"),
    "residents": ("/residents", ".ag-row"),
    "resident-circle": ("/residents/R-PIQUE", "#circle-gaps"),
    "overlaps": ("/overlaps", ".ag-row"),
    "collaboration": ("/collaboration", "#organisation-heatmap"),
    "trends": ("/trends", "#verdict-mean_awareness_coverage"),
    "data-quality": ("/data-quality", "#quality-files"),
    "not-found": ("/no-such-page", "#not-found"),
}
#: Chromium logs the 404 status of the not-found page's own address as a console error: expected
NOT_FOUND_LOGGED = "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def team_url(store):
    with live_server(create_app(str(store), pilot="Stedenwijk")) as url:
        yield url


@pytest.fixture(scope="module")
def secured_url(store):
    accounts = {
        "anna": Account("anna", "team", hash_password("anna-team-password")),
        "piet": Account("piet", "policy", hash_password("piet-policy-password")),
    }
    with live_server(create_app(str(store), accounts=accounts, session_key="browser-test")) as url:
        yield url


@pytest.fixture
def browser_page(page: Page):
    """A page whose console errors fail the test."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if _unexpected(message) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.set_default_timeout(20_000)
    yield page
    assert errors == []


def _unexpected(message) -> bool:
    """Whether a console message is an error, other than the 404 of the not-found page's address."""
    not_found = urlsplit(message.location.get("url", "")).path == PAGES["not-found"][0]
    return message.type == "error" and not (not_found and message.text == NOT_FOUND_LOGGED)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the Mantine select labelled ``label``."""
    page.get_by_role("textbox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads(browser_page: Page, team_url: str, name: str):
    path, ready = PAGES[name]
    browser_page.goto(team_url + path)
    expect(browser_page.locator(ready).first).to_be_visible()
    browser_page.wait_for_load_state("networkidle")
    shoot(browser_page, name)


def test_pick_a_neighbourhood(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/")
    expect(browser_page.locator("#key-figures")).to_be_visible()
    choose(browser_page, "Wijk", "Emmen-Centrum")
    expect(browser_page.get_by_text("Emmen-Centrum · 2024-06-01")).to_be_visible()
    expect(browser_page.locator("#key-figures")).to_contain_text("6")
    # the choice follows the user to the next page
    browser_page.get_by_role("link", name="Bewoners").click()
    expect(browser_page.locator("#residents-count")).to_have_text("6 bewoners")
    shoot(browser_page, "residents-emmen")


def test_open_mrs_piqués_circle_from_the_residents_table(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/residents")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    browser_page.get_by_placeholder("Zoek op nummer, naam of wijk").fill("Piqué")
    expect(browser_page.locator(".ag-center-cols-container .ag-row")).to_have_count(1)
    browser_page.get_by_role("link", name="R-PIQUE").click()
    expect(browser_page).to_have_url(re.compile(r"/residents/R-PIQUE$"))
    expect(browser_page.locator("#circle-title")).to_have_text("Mevrouw Piqué")
    gaps = browser_page.locator(".gap-card")
    expect(gaps).to_have_count(4)
    expect(gaps.first).to_contain_text("Overlap zonder afstemming")
    expect(gaps.first).to_contain_text("Laat de mantelzorger (Marie Piqué) en de huishoudelijke hulp")
    expect(browser_page.locator("#circle-support")).to_contain_text("Zorggroep Almere")
    browser_page.emulate_media(media="print")
    expect(browser_page.locator(".mantine-AppShell-navbar")).to_be_hidden()
    shoot(browser_page, "resident-circle-print")
    browser_page.emulate_media(media="screen")


def test_switch_language(browser_page: Page, team_url: str):
    browser_page.goto(team_url + "/")
    expect(browser_page.get_by_role("heading", name="Overzicht")).to_be_visible()
    browser_page.get_by_text("EN", exact=True).click()
    expect(browser_page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(browser_page.get_by_role("link", name="Residents")).to_be_visible()
    expect(browser_page.locator("#gaps-by-type")).to_contain_text("Unmet need")
    shoot(browser_page, "overview-english")
    browser_page.get_by_text("NL", exact=True).click()
    expect(browser_page.get_by_role("heading", name="Overzicht")).to_be_visible()


def test_export_overlaps_as_csv_neutralises_formulas(browser_page: Page, team_url: str, tmp_path: Path):
    browser_page.goto(team_url + "/overlaps")
    expect(browser_page.locator(".ag-row").first).to_be_visible()
    with browser_page.expect_download() as download:
        browser_page.get_by_role("button", name="Exporteer CSV").click()
    path = tmp_path / "overlaps.csv"
    download.value.save_as(path)
    assert download.value.suggested_filename == "carecircle-overlaps-2024-06-01.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    formula = [row for row in rows if row["resident_id"] == "R-FORMULA"]
    assert [row["domains"] for row in formula] == ["'" + FORMULA_NEED]
    assert not [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@")]
    assert {row["type"] for row in rows} == {"uncoordinated_overlap", "unmet_need"}
    # the team's export carries the names the table shows
    assert formula[0]["name"] == "Formula Test"
    assert all(row["helper_names"] for row in rows if row["helpers"])


def test_policy_login_cannot_reach_a_resident(browser_page: Page, secured_url: str):
    browser_page.goto(secured_url + "/residents/R-PIQUE")
    expect(browser_page).to_have_url(re.compile(r"/login\?next="))
    shoot(browser_page, "login")
    browser_page.get_by_label("Gebruikersnaam").fill("piet")
    browser_page.get_by_label("Wachtwoord").fill("piet-policy-password")
    browser_page.get_by_role("button", name="Inloggen").click()
    expect(browser_page).to_have_url(re.compile(r"/residents/R-PIQUE$"))
    expect(browser_page.locator("#policy-unavailable")).to_be_visible()
    expect(browser_page.get_by_text("Mevrouw Piqué")).to_have_count(0)
    expect(browser_page.get_by_role("link", name="Bewoners")).to_have_count(0)
    shoot(browser_page, "policy-resident-refused")
    browser_page.goto(secured_url + "/")
    choose(browser_page, "Wijk", "Emmen-Centrum")
    expect(browser_page.locator("#key-figures")).to_contain_text("<5")
    expect(browser_page.locator(".policy-note")).to_be_visible()
    shoot(browser_page, "policy-overview")
    for path, ready in (
        ("/collaboration", "#organisation-heatmap"),
        ("/trends", "#verdict-mean_awareness_coverage"),
    ):
        browser_page.goto(secured_url + path)
        expect(browser_page.locator(ready)).to_be_visible()
        expect(browser_page.locator(".policy-note")).to_be_visible()
        shoot(browser_page, "policy-" + path.strip("/"))
    browser_page.goto(secured_url + "/data-quality")
    expect(browser_page.locator("#quality-files")).to_be_visible()
    expect(browser_page.get_by_text("unknown_code")).to_be_visible()
    expect(browser_page.get_by_text("Formula Test")).to_have_count(0)
    shoot(browser_page, "policy-data-quality")


def test_wrong_password_shows_a_message(browser_page: Page, secured_url: str):
    browser_page.goto(secured_url + "/login")
    browser_page.get_by_label("Gebruikersnaam").fill("anna")
    browser_page.get_by_label("Wachtwoord").fill("wrong password")
    browser_page.get_by_role("button", name="Inloggen").click()
    expect(browser_page.get_by_role("alert")).to_have_text("Gebruikersnaam of wachtwoord klopt niet.")


# --- security in the browser: the Content-Security-Policy, and logging out -----------------------

#: records every Content-Security-Policy violation of the page (an init script is not bound by it)
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
#: what each page shows once it is ready, for a policy session (resident pages give a notice)
POLICY_READY = {
    **{name: ready for name, (_, ready) in PAGES.items()},
    "residents": "#policy-unavailable",
    "resident-circle": "#policy-unavailable",
    "overlaps": "#policy-unavailable",
}


def log_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#role-badge")).to_be_visible()


def csp_violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


@pytest.mark.parametrize(
    ("name", "password", "ready"),
    [("anna", "anna-team-password", "team"), ("piet", "piet-policy-password", "policy")],
)
def test_every_page_of_both_roles_keeps_to_the_content_security_policy(
    browser_page: Page, secured_url: str, name: str, password: str, ready: str
):
    browser_page.add_init_script(RECORD_CSP_VIOLATIONS)
    browser_page.goto(secured_url + "/login")
    expect(browser_page.get_by_label("Gebruikersnaam")).to_be_visible()
    assert csp_violations(browser_page) == []
    log_in(browser_page, secured_url, name, password)
    for page_name, (path, team_ready) in PAGES.items():
        browser_page.goto(secured_url + path)
        expect(
            browser_page.locator(team_ready if ready == "team" else POLICY_READY[page_name]).first
        ).to_be_visible()
        browser_page.wait_for_load_state("networkidle")
        assert csp_violations(browser_page) == [], page_name


def test_the_policy_refuses_scripts_it_does_not_know(team_url: str, store, page: Page):
    """The record of violations has teeth: an injected script, or Dash's own scripts without
    their hashes, are refused and recorded (console errors expected: the plain page fixture)."""
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(team_url + "/")
    expect(page.locator("#key-figures")).to_be_visible()
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert csp_violations(page)[0].startswith("script-src") and page.evaluate("window.injected") is None
    unhashed = create_app(str(store))
    unhashed.csp_hashes = lambda: []
    with live_server(unhashed) as url:
        page.goto(url + "/")
        page.wait_for_function("window.__cspViolations.length > 0")
        assert any(v.startswith("script-src") and " inline " in v for v in csp_violations(page))


def _contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS colours written ``rgb(r, g, b)``."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_log_out_with_the_keyboard(browser_page: Page, secured_url: str):
    log_in(browser_page, secured_url, "anna", "anna-team-password")
    expect(browser_page.locator("#key-figures")).to_be_visible()
    button = browser_page.get_by_role("button", name="Uitloggen (anna)")
    expect(button).to_be_visible()
    # its text stands out from the white header as WCAG AA asks (4.5:1 for text of its size)
    colour = button.evaluate("element => getComputedStyle(element).color")
    assert _contrast(colour, "rgb(255, 255, 255)") >= 4.5
    for _ in range(40):  # Tab through the header until the logout button has the focus
        browser_page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the logout button cannot be reached with Tab")
    shoot(browser_page, "logout-focused")
    browser_page.keyboard.press("Enter")
    expect(browser_page).to_have_url(re.compile(r"/login$"))
    expect(browser_page.get_by_role("status")).to_have_text("U bent uitgelogd.")
    browser_page.goto(secured_url + "/residents")
    expect(browser_page).to_have_url(re.compile(r"/login\?next="))
