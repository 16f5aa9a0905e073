"""What the dashboard's responses carry besides the page: HTTP 404 for an address no page has, and
compressed JavaScript, styles and callback answers (issue 16)."""

import gzip
import re

import pytest
from playwright.sync_api import Page, expect

from dashboards.app import create_app
from tests import test_dashboard_browser as shared

# the fixtures of the dashboard's browser tests: one store and one live server for this module
store, team_url, browser_page = shared.store, shared.team_url, shared.browser_page


@pytest.fixture(scope="module")
def client(store):
    return create_app(str(store), pilot="Stedenwijk").server.test_client()


def test_an_address_no_page_has_answers_404_with_the_page_frame(client):
    for path in ("/nowhere", "/residentsx", "/trends/x", "/404"):
        missing = client.get(path)
        assert missing.status_code == 404, path
        # the frame of every page (Dash's router then draws the not-found notice in it)
        frame = missing.get_data(as_text=True)
        assert 'id="react-entry-point"' in frame and 'id="_dash-config"' in frame, path


@pytest.mark.parametrize(
    "path",
    ["/", "/residents", "/residents/", "/residents/R-PIQUE", "/residents/NO-SUCH-ONE", "/agenda", "/trends"],
)
def test_every_page_address_answers_200(client, path):
    # a resident's address whatever the id: whether the resident exists depends on the snapshot
    # picked on the page, and the status must not tell a policy account which ids exist
    assert client.get(path).status_code == 200


def test_only_the_page_frame_gets_the_404_status(client):
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/assets/no-such-file.css").status_code == 404  # Flask's own 404, as before


def _scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+\.js[^"]*)"', client.get("/").get_data(as_text=True))


def test_the_javascript_is_sent_gzipped_to_a_browser_that_accepts_it(client):
    scripts = _scripts(client)
    assert len(scripts) > 5
    for script in scripts:
        plain = client.get(script)
        packed = client.get(script, headers={"Accept-Encoding": "gzip"})
        assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip", script
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert gzip.decompress(packed.get_data()) == plain.get_data(), script
        assert "Content-Encoding" not in plain.headers  # a client that asks for nothing gets it plain
    total = sum(len(client.get(s).get_data()) for s in scripts)
    packed = sum(len(client.get(s, headers={"Accept-Encoding": "gzip"}).get_data()) for s in scripts)
    assert packed < total / 3


def test_callback_answers_are_compressed_and_html_and_files_are_not(client):
    accept = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    assert client.get("/_dash-layout", headers=accept).headers["Content-Encoding"] == "zstd"
    # under the test client a style sheet is a streamed file: sent as it is, its file closed with the
    # response (flask-compress would drop it unclosed, and pytest fails on that ResourceWarning)
    with client.get("/assets/carecircle.css", headers=accept) as style:
        assert style.status_code == 200 and "Content-Encoding" not in style.headers
    # an HTML page may hold a form token beside text from the address (BREACH): never compressed
    page = client.get("/", headers=accept)
    assert page.status_code == 200 and "Content-Encoding" not in page.headers


@pytest.mark.browser
def test_the_browser_gets_404_and_the_not_found_notice_with_the_way_back(browser_page: Page, team_url: str):
    response = browser_page.goto(team_url + "/no-such-page")
    assert response is not None and response.status == 404
    notice = browser_page.locator("#not-found")
    expect(notice).to_contain_text("Pagina niet gevonden")
    notice.get_by_role("link", name="Terug naar het overzicht").click()
    expect(browser_page.locator("#key-figures")).to_be_visible()


@pytest.mark.browser
def test_a_first_visit_downloads_its_javascript_compressed(page: Page, team_url: str):
    scripts = []
    page.on("response", lambda r: scripts.append(r) if r.url.split("?")[0].endswith(".js") else None)
    page.goto(team_url + "/")
    expect(page.locator("#key-figures")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(scripts) > 5
    assert {r.headers.get("content-encoding") for r in scripts} <= {"gzip", "br", "zstd"}
    sent = sum(r.request.sizes()["responseBodySize"] for r in scripts)
    unpacked = sum(len(r.body()) for r in scripts)
    assert sent < unpacked / 3
