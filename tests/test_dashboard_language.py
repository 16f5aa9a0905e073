"""Every page of the dashboard in Dutch, as a team and a policy session get it from the server.

The frame (Dash's layout) and every server callback the app registers (the pages router draws
each page's layout; the other callbacks fill them) are called the way a browser calls them, with
the language cookie set. What a user reads in the answers, the texts of the components and the
figures, is scanned with the independent oracle of tests/test_language.py for English words, and
for numbers written with a decimal point.
"""

import itertools
import json
import re

import pytest

from benchmarks.dash_client import callback_request
from dashboards.accounts import Account, hash_password
from dashboards.app import create_app
from dashboards.problems import problem_message, problem_rows
from graph.language import LANGUAGES
from ingest import catalogue
from tests.dashboard_support import build_store
from tests.test_language import english_words

PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password"}
PAGES = ("/", "/residents", "/residents/R-PIQUE", "/overlaps", "/collaboration", "/trends", "/data-quality")
#: what a browser sends for each input or state: a list is tried value by value
VALUES = {
    "snapshot-select.value": "2024-06-01",
    "neighbourhood-select.value": [None, "Stedenwijk", "Emmen-Centrum"],
    "circle-resident-id.data": "R-PIQUE",
    "overlaps-type.value": "both",
    "overlaps-export.n_clicks": 1,
    "trends-pilot.value": ["Stedenwijk", "Emmen-Centrum"],
    "trends-from.value": [None, "2024-03-01"],
    "_pages_location.pathname": list(PAGES),
    "_pages_location.search": "",
}
#: the properties whose strings a user reads (in a component, a figure or a table)
READ = frozenset(
    {
        "children", "label", "title", "placeholder", "headerName", "aria-label", "text", "head",
        "body", "rowData", "localeText", "customdata", "hovertemplate", "x", "y", "name",
    }
)  # fmt: skip
#: a number written with a decimal point (Dutch groups thousands with a point: 12.345 is allowed)
POINT_DECIMAL = re.compile(r"(?<![\w.,])-?\d+\.\d+(?![\w.])")
DUTCH_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("language"))
    accounts = {
        "anna": Account("anna", "team", hash_password(PASSWORDS["anna"])),
        "piet": Account("piet", "policy", hash_password(PASSWORDS["piet"])),
    }
    return create_app(str(store), accounts=accounts, pilot="Stedenwijk", session_key="language")


def session(app, user: str, lang: str):
    client = app.server.test_client()
    client.set_cookie("carecircle_lang", lang)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"user": user, "password": PASSWORDS[user], "csrf": token})
    assert response.status_code == 302
    return client


def answers(app, client) -> list:
    """The frame and the answer of every server callback to every request a browser could make."""
    found = [client.get("/_dash-layout").get_json()]
    for key, callback in app.callback_map.items():
        if "callback" not in callback:
            continue
        names = [f"{spec['id']}.{spec['property']}" for spec in callback["inputs"] + callback["state"]]
        choices = [value if isinstance(value, list) else [value] for value in (VALUES.get(n) for n in names)]
        for chosen in itertools.product(*choices):
            body = callback_request(app, key, dict(zip(names, chosen, strict=True)))
            response = client.post("/_dash-update-component", json=body)
            if response.status_code == 200:
                found.append(response.get_json())
    return found


def read_texts(node, reading: bool = False) -> list[str]:
    """The strings a user reads in an answer: those under a property of :data:`READ`; a
    component's own properties are looked at afresh."""
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            return read_texts(node["props"])
        return [text for key, value in node.items() for text in read_texts(value, reading or key in READ)]
    if isinstance(node, list):
        return [text for item in node for text in read_texts(item, reading)]
    return [node] if reading and isinstance(node, str) else []


def figures(node) -> list[dict]:
    """Every plotly figure in an answer."""
    if isinstance(node, dict):
        found = [node] if "layout" in node and isinstance(node.get("data"), list) else []
        return found + [figure for value in node.values() for figure in figures(value)]
    if isinstance(node, list):
        return [figure for item in node for figure in figures(item)]
    return []


def problem_columns(node) -> set[str]:
    """The columns the rows of a data-quality page name: names of the data, not words of a language."""
    if isinstance(node, dict):
        found = {node["column"]} if {"code", "column", "message"} <= node.keys() and node["column"] else set()
        return found.union(*(problem_columns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(problem_columns(item) for item in node))
    return set()


def without_columns(text: str, columns: set[str]) -> str:
    return " ".join("" if word in columns else word for word in text.split(" "))


def point_decimals(texts: list[str]) -> list[str]:
    return [n for text in texts for n in POINT_DECIMAL.findall(text) if not DUTCH_GROUPED.fullmatch(n)]


@pytest.fixture(scope="module")
def read(app) -> dict[tuple[str, str], tuple[list[str], list[dict]]]:
    """(user, language) -> the texts and the figures of every page that user gets in that language."""
    result = {}
    for user, lang in itertools.product(PASSWORDS, LANGUAGES):
        got = answers(app, session(app, user, lang))
        columns = problem_columns(got)
        texts = {without_columns(text, columns) for answer in got for text in read_texts(answer)}
        result[user, lang] = (sorted(texts), figures(got))
    return result


@pytest.mark.slow
@pytest.mark.parametrize("user", ["anna", "piet"], ids=["team", "policy"])
def test_every_page_reads_as_dutch_in_a_dutch_session(read, user):
    texts, drawn = read[user, "nl"]
    assert {text: english_words(text) for text in texts if english_words(text)} == {}
    assert point_decimals(texts) == []
    assert drawn and {figure["layout"].get("separators") for figure in drawn} == {",."}
    # the scan reads the pages: their Dutch words, and (team) the rows of the data-quality page
    assert {"Overzicht", "Elkaar vinden", "Datakwaliteit", "Genegeerde kolommen"} <= set(texts)
    if user == "anna":
        assert "Kring van ondersteuning" in texts and catalogue.title("unknown_code", "nl") in texts
        # a warning the (English) ingest stored, written again in Dutch
        assert any("'=1+2' overgenomen zoals geschreven" in text for text in texts)


@pytest.mark.slow
@pytest.mark.parametrize("user", ["anna", "piet"], ids=["team", "policy"])
def test_the_scan_finds_english_and_point_decimals_in_an_english_session(read, user):
    """The oracle has teeth: the same pages in English are found English, with decimal points."""
    texts, drawn = read[user, "en"]
    assert sum(1 for text in texts if english_words(text)) > 20
    assert {figure["layout"].get("separators") for figure in drawn} == {".,"}
    if user == "anna":
        assert point_decimals(texts)  # the brokers' betweenness, the hours of care


# --- a stored problem in the page's language ------------------------------------------------------------


#: example parameters of every code a report can hold (rows rejected, warnings)
PARAMETERS = {
    "wrong_cell_count": {"found": 9, "expected": 7},
    "invalid_decimal": {"column": "hours_per_week", "value": "veel", "expected": "decimal mark '.'"},
    "out_of_range": {"column": "birth_year", "value": "1700", "expected": "from 1880 to 2100"},
    "negative_hours": {"column": "hours_per_week", "value": -1.5},
    "end_before_start": {"column": "end_date", "value": "31 May 2017", "expected": "1 June 2017"},
    "delegator_not_formal": {"column": "delegated_by", "value": "H4", "expected": "informal"},
    "duplicate_id": {"column": "helper_id", "value": "H1", "expected": 2},
    "rejected_reference": {"column": "helper_id", "value": "H9", "expected": "helpers.csv:4"},
    "same_person": {"column": "bsn", "value": "R3", "expected": "R1", "found": 2},
    "cell_too_long": {"column": "name", "found": 40000, "expected": 32767},
}


def _problem(code: str, lang: str) -> dict:
    params = dict(PARAMETERS.get(code, {"column": "role", "value": "kapper", "expected": "gp, volunteer"}))
    if code == "end_before_start":
        from datetime import date

        params |= {"value": date(2017, 5, 31), "expected": date(2017, 6, 1)}
    return catalogue.render(code, file="helpers.csv", line=3, lang=lang, **params).as_dict()


@pytest.mark.parametrize("code", sorted(catalogue.CATALOGUE))
def test_a_stored_message_is_written_again_in_the_language_of_the_page(code):
    """A report ingested in one language reads on the page of the other as that ingest would have
    written it there (the oracle: rendering the problem in that language)."""
    for written, shown in itertools.product(LANGUAGES, LANGUAGES):
        stored = _problem(code, written)
        assert problem_message(stored, shown) == _problem(code, shown)["message"], (written, shown)


def test_a_message_no_template_reads_is_told_by_its_code_name():
    stored = {"file": "r.csv", "line": 4, "column": "bsn", "code": "same_person", "message": "an older text"}
    assert problem_message(stored, "nl") == "Dezelfde persoon onder twee nummers"
    assert problem_message({**stored, "code": "retired_code"}, "nl") == "retired_code"
    [row] = problem_rows([stored], "nl")
    assert row["title"] == "Dezelfde persoon onder twee nummers" and row["code"] == "same_person"


def test_a_value_the_data_holds_is_echoed_as_it_was_written():
    stored = _problem("unknown_role", "en") | {
        "message": "unknown role 'the May 2017 one'; expected one of gp"
    }
    assert problem_message(stored, "nl") == "onbekende rol 'the May 2017 one'; verwacht een van gp"
    echoed = json.dumps(problem_rows([_problem("same_person", "en")], "nl"), ensure_ascii=False)
    assert "'R3'" in echoed and "'R1'" in echoed and "(regel 2)" in echoed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_says_its_language_to_a_screen_reader(app, lang: str):
    client = session(app, "anna", lang)
    for path in (*PAGES, "/no-such-page"):
        assert f'<html lang="{lang}">' in client.get(path).get_data(as_text=True), path
