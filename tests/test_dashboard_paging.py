"""The residents and overlaps grids paged on the server (AG Grid's infinite row model): every block
the server answers is the right slice of the full list sorted, filtered and searched the way the
grid would have done it in the browser, the count follows the search and the filters, and the
overlaps export holds every row the grid shows, in its order."""

import csv
import io
import json

import pytest

from dashboards import ids
from dashboards.app import create_app
from dashboards.data import DataSource
from dashboards.pages import overlaps, residents
from dashboards.paging import MAX_BLOCK, Columns, matching_rows, requested_rows, sort_model_of
from tests.dashboard_support import build_store, post_callback, response_text

NEWEST = "2024-06-01"
NUMBERS = ("circle_size", "formal", "informal", "caregivers", "coverage", "gap_count", "high")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("paging"))


@pytest.fixture(scope="module")
def view(store):
    return DataSource(str(store)).view()


@pytest.fixture(scope="module")
def rows(view) -> list[dict]:
    return residents.resident_rows(view, None)


def every_block(rows: list[dict], request: dict, search: str | None, columns: Columns, size: int) -> list:
    """The rows the grid gets by asking for blocks of ``size`` until it has them all."""
    shown, total = [], None
    while total is None or len(shown) < total:
        page = requested_rows(
            rows, {**request, "startRow": len(shown), "endRow": len(shown) + size}, search, columns
        )
        assert total in (None, page["rowCount"])
        total = page["rowCount"]
        assert page["rowData"] or not total
        shown += page["rowData"]
    return shown


def number_key(field: str):
    """The grid's order of a number column: empty cells first."""
    return lambda row: (row[field] is not None, row[field] if row[field] is not None else 0)


# --- sort, slices and totals ------------------------------------------------------------------------


@pytest.mark.parametrize("field", NUMBERS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_blocks_are_slices_of_the_whole_list_sorted(rows, field, direction):
    request = {"sortModel": [{"colId": field, "sort": direction}], "filterModel": {}}
    shown = every_block(rows, request, None, residents.COLUMNS, size=37)
    assert shown == sorted(rows, key=number_key(field), reverse=direction == "desc")
    assert len(shown) == len(rows) > 300


def test_a_second_sort_orders_the_ties_of_the_first(rows):
    request = {"sortModel": [{"colId": "high", "sort": "desc"}, {"colId": "name", "sort": "asc"}]}
    shown = every_block(rows, request, None, residents.COLUMNS, size=100)
    expected = sorted(
        sorted(rows, key=lambda row: row["name"].casefold()), key=number_key("high"), reverse=True
    )
    assert shown == expected


def test_the_link_column_sorts_and_filters_by_the_residents_id(rows):
    request = {"sortModel": [{"colId": "link", "sort": "asc"}], "filterModel": {}}
    shown = every_block(rows, request, None, residents.COLUMNS, size=250)
    assert [row["resident_id"] for row in shown] == sorted(
        (row["resident_id"] for row in rows), key=str.casefold
    )
    equal = {"link": {"filterType": "text", "type": "equals", "filter": "r-pique"}}
    assert [row["resident_id"] for row in matching_rows(rows, equal, [], None, residents.COLUMNS)] == [
        "R-PIQUE"
    ]


def test_a_block_is_the_requested_slice_and_the_count_is_of_every_match(rows):
    request = {"startRow": 100, "endRow": 150, "sortModel": [{"colId": "gap_count", "sort": "desc"}]}
    page = requested_rows(rows, request, None, residents.COLUMNS)
    assert page["rowData"] == sorted(rows, key=number_key("gap_count"), reverse=True)[100:150]
    assert page["rowCount"] == len(rows)
    past = requested_rows(
        rows, {"startRow": len(rows) + 10, "endRow": len(rows) + 60}, None, residents.COLUMNS
    )
    assert past == {"rowData": [], "rowCount": len(rows)}


@pytest.mark.parametrize(
    "request_",
    [
        None,
        {},
        {"startRow": -5, "endRow": "all"},
        {"startRow": True, "endRow": 10**9},
        {"startRow": 0, "endRow": 10**9, "sortModel": "gap_count", "filterModel": ["x"]},
        {"sortModel": [{"colId": "bsn", "sort": "asc"}, "x"], "filterModel": {"bsn": {"type": "equals"}}},
    ],
)
def test_a_request_a_browser_would_not_send_gets_at_most_one_block_from_the_start(rows, request_):
    page = requested_rows(rows, request_, None, residents.COLUMNS)
    assert page == {"rowData": rows[:MAX_BLOCK], "rowCount": len(rows)}


# --- filters and search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "to", "expected"),
    [
        ("equals", 4, None, lambda v: v == 4),
        ("notEqual", 4, None, lambda v: v is None or v != 4),
        ("lessThan", 3, None, lambda v: v is not None and v < 3),
        ("lessThanOrEqual", 3, None, lambda v: v is not None and v <= 3),
        ("greaterThan", 3, None, lambda v: v is not None and v > 3),
        ("greaterThanOrEqual", 3, None, lambda v: v is not None and v >= 3),
        ("inRange", 2, 5, lambda v: v is not None and 2 < v < 5),
        ("blank", None, None, lambda v: v is None),
        ("notBlank", None, None, lambda v: v is not None),
    ],
)
def test_number_filters(rows, kind, value, to, expected):
    # the circle size is never empty; the coverage is for residents without a pair of helpers
    column = "coverage" if kind.endswith(("blank", "Blank")) else "circle_size"
    condition = {"filterType": "number", "type": kind, "filter": value, "filterTo": to}
    shown = matching_rows(rows, {column: condition}, [], None, residents.COLUMNS)
    assert shown == [row for row in rows if expected(row[column])]
    assert 0 < len(shown) < len(rows)


def test_coverage_is_filtered_in_percent_as_it_is_shown(rows):
    condition = {"coverage": {"filterType": "number", "type": "greaterThanOrEqual", "filter": 50}}
    shown = matching_rows(rows, condition, [], None, residents.COLUMNS)
    assert shown == [row for row in rows if row["coverage"] is not None and row["coverage"] >= 0.5]
    assert 0 < len(shown) < len(rows)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("contains", lambda name: "de" in name.casefold()),
        ("notContains", lambda name: "de" not in name.casefold()),
        ("startsWith", lambda name: name.casefold().startswith("de")),
        ("endsWith", lambda name: name.casefold().endswith("de")),
        ("equals", lambda name: name.casefold() == "de"),
        ("notEqual", lambda name: name.casefold() != "de"),
    ],
)
def test_text_filters_ignore_case(rows, kind, expected):
    condition = {"name": {"filterType": "text", "type": kind, "filter": "De"}}
    assert matching_rows(rows, condition, [], None, residents.COLUMNS) == [
        r for r in rows if expected(r["name"])
    ]


def test_two_conditions_of_a_column_and_filters_of_two_columns(rows):
    either = {
        "filterType": "number",
        "operator": "OR",
        "conditions": [
            {"filterType": "number", "type": "lessThan", "filter": 2},
            {"filterType": "number", "type": "greaterThan", "filter": 5},
        ],
    }
    area = {"filterType": "text", "type": "equals", "filter": "stedenwijk"}
    shown = matching_rows(rows, {"circle_size": either, "neighbourhood": area}, [], None, residents.COLUMNS)
    expected = [r for r in rows if not 2 <= r["circle_size"] <= 5 and r["neighbourhood"] == "Stedenwijk"]
    assert shown == expected and expected
    both = {**either, "operator": "AND"}
    assert matching_rows(rows, {"circle_size": both}, [], None, residents.COLUMNS) == []


def test_the_search_finds_every_word_in_the_id_the_name_or_the_neighbourhood(rows):
    assert [r["resident_id"] for r in matching_rows(rows, {}, [], "piqué", residents.COLUMNS)] == ["R-PIQUE"]
    words = matching_rows(rows, {}, [], "  STEDENWIJK  mevrouw ", residents.COLUMNS)
    expected = [r for r in rows if r["neighbourhood"] == "Stedenwijk" and "mevrouw" in r["name"].casefold()]
    assert words == expected and expected
    # the markdown link and the numbers are not searched
    assert matching_rows(rows, {}, [], "residents/", residents.COLUMNS) == []
    page = requested_rows(rows, {"startRow": 0, "endRow": 100}, "emmen-centrum", residents.COLUMNS)
    assert page["rowCount"] == sum(r["neighbourhood"] == "Emmen-Centrum" for r in rows) == 6


def test_the_severity_column_sorts_by_how_severe_and_filters_by_its_words(view):
    gaps = overlaps.overlap_rows(view, None, "both", None, "nl")
    shown = matching_rows(gaps, {}, [{"colId": "severity_label", "sort": "desc"}], None, overlaps.COLUMNS)
    order = {"high": 0, "medium": 1, "low": 2}
    assert shown == sorted(gaps, key=lambda row: order[row["severity"]])
    high = {"severity_label": {"filterType": "text", "type": "equals", "filter": "hoog"}}
    assert matching_rows(gaps, high, [], None, overlaps.COLUMNS) == [
        r for r in gaps if r["severity"] == "high"
    ]


def test_the_sort_model_is_read_from_the_grids_column_state():
    state = [
        {"colId": "link", "sort": None, "sortIndex": None},
        {"colId": "message", "sort": "asc", "sortIndex": 1},
        {"colId": "severity_label", "sort": "desc", "sortIndex": 0},
        "nonsense",
    ]
    assert sort_model_of(state) == [
        {"colId": "severity_label", "sort": "desc"},
        {"colId": "message", "sort": "asc"},
    ]
    assert sort_model_of(None) == []


# --- through the callbacks ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client_app(store):
    app = create_app(str(store))  # no accounts: the local user has the team role
    client = app.server.test_client()
    client.get("/")
    return client, app


def test_the_residents_count_follows_the_search_and_the_filters(client_app, rows):
    client, app = client_app
    first = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "gap_count", "sort": "desc"}]}
    inputs = {"snapshot-select.value": NEWEST, "residents-grid.getRowsRequest": first}
    answer = json.loads(post_callback(client, app, ids.RESIDENTS_GRID, inputs).get_data())["response"]
    assert answer[ids.RESIDENTS_GRID]["getRowsResponse"]["rowCount"] == len(rows)
    assert answer[ids.RESIDENTS_COUNT]["children"] == f"{len(rows)} bewoners"
    assert len(answer[ids.RESIDENTS_GRID]["getRowsResponse"]["rowData"]) == 100
    searched = json.loads(
        post_callback(
            client, app, ids.RESIDENTS_GRID, inputs | {"residents-search.value": "Piqué"}
        ).get_data()
    )["response"]
    assert searched[ids.RESIDENTS_COUNT]["children"] == "1 bewoner"
    assert [row["resident_id"] for row in searched[ids.RESIDENTS_GRID]["getRowsResponse"]["rowData"]] == [
        "R-PIQUE"
    ]
    filtered = {
        **first,
        "filterModel": {"high": {"filterType": "number", "type": "greaterThan", "filter": 0}},
    }
    answer = json.loads(
        post_callback(
            client, app, ids.RESIDENTS_GRID, inputs | {"residents-grid.getRowsRequest": filtered}
        ).get_data()
    )["response"]
    assert answer[ids.RESIDENTS_COUNT]["children"] == f"{sum(row['high'] > 0 for row in rows)} bewoners"


def test_the_overlaps_export_holds_every_row_the_grid_shows_in_its_order(client_app, view):
    client, app = client_app
    neighbourhood = {"neighbourhood": {"filterType": "text", "type": "notEqual", "filter": "stedenwijk"}}
    state = [{"colId": "link", "sort": "desc", "sortIndex": 0}]
    inputs = {
        "snapshot-select.value": NEWEST,
        "overlaps-type.value": "both",
        "overlaps-export.n_clicks": 1,
        "overlaps-grid.filterModel": neighbourhood,
        "overlaps-grid.columnState": state,
    }
    answer = json.loads(post_callback(client, app, ids.OVERLAPS_DOWNLOAD, inputs).get_data())["response"]
    exported = list(csv.DictReader(io.StringIO(answer[ids.OVERLAPS_DOWNLOAD]["data"]["content"])))
    gaps = overlaps.overlap_rows(view, None, "both", None, "nl")
    expected = sorted((r for r in gaps if r["neighbourhood"] != "Stedenwijk"), key=lambda r: r["resident_id"])
    expected.reverse()  # a stable descending sort keeps the order of ties: compare ids only
    assert [row["resident_id"] for row in exported] == [row["resident_id"] for row in expected]
    assert len(exported) > MAX_BLOCK // 10 and len(exported) < len(gaps)
    # what the grid counts is what the export holds
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": neighbourhood}
    shown = post_callback(client, app, ids.OVERLAPS_GRID, inputs | {"overlaps-grid.getRowsRequest": request})
    assert (
        json.loads(shown.get_data())["response"][ids.OVERLAPS_COUNT]["children"]
        == f"{len(exported)} knelpunten"
    )
    assert "R-PIQUE" not in response_text(shown)
