"""Server-side paging of a grid (AG Grid's infinite row model): the rows a grid asks for, sorted,
filtered and searched on the server, so that the browser receives one block of rows, never all.

The grid sends ``getRowsRequest`` (``startRow``, ``endRow``, ``sortModel``, ``filterModel``); the
page's callback answers with :func:`requested_rows` of its full list of rows, and writes the number
of rows that match beside the grid (the count follows the search and the filters).
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "BLOCK",
    "MAX_BLOCK",
    "Columns",
    "matching_rows",
    "refresh_rows",
    "requested_rows",
    "sort_model_of",
]

#: the rows a grid asks for at once (two pages of 50)
BLOCK = 100
#: the most rows one request gets, whatever it asks for
MAX_BLOCK = 500


@dataclass(frozen=True)
class Columns:
    """How a grid's columns are searched, sorted and filtered on the server.

    ``searched`` are the fields the search box looks in; ``stand_ins`` name the field a column is
    sorted and filtered by instead of its own (the markdown link by the resident's id);
    ``sorted_by`` the field a column is sorted by only (a severity's words by its code), and
    ``ranks`` turn that field into the sort key (a severity code into how severe it is);
    ``scales`` multiply a number before a number filter compares it (a share shown as a
    percentage is filtered in percent).
    """

    searched: tuple[str, ...]
    stand_ins: Mapping[str, str] = field(default_factory=dict)
    sorted_by: Mapping[str, str] = field(default_factory=dict)
    ranks: Mapping[str, Callable[[object], object]] = field(default_factory=dict)
    scales: Mapping[str, float] = field(default_factory=dict)

    def field_of(self, column: str) -> str:
        """The row field that ``column`` is filtered by."""
        return self.stand_ins.get(column, column)

    def sort_field_of(self, column: str) -> str:
        """The row field that ``column`` is sorted by."""
        return self.sorted_by.get(column) or self.field_of(column)


def requested_rows(rows: list[dict], request: dict | None, search: str | None, columns: Columns) -> dict:
    """The block of ``rows`` the grid's ``request`` asks for, as its ``getRowsResponse``:
    ``rowData`` (the rows from ``startRow`` to ``endRow`` of those that match the search and the
    filters, in the requested order, at most :data:`MAX_BLOCK`) and ``rowCount`` (how many match).

    Examples
    --------
    >>> rows = [{"id": "R-2", "n": 1}, {"id": "R-10", "n": 3}, {"id": "X-1", "n": 2}]
    >>> request = {"startRow": 0, "endRow": 1, "sortModel": [{"colId": "n", "sort": "desc"}]}
    >>> requested_rows(rows, request, "r-", Columns(searched=("id",)))
    {'rowData': [{'id': 'R-10', 'n': 3}], 'rowCount': 2}
    """
    request = request if isinstance(request, dict) else {}
    shown = matching_rows(rows, request.get("filterModel"), request.get("sortModel"), search, columns)
    start = _row_number(request.get("startRow"), 0)
    end = min(_row_number(request.get("endRow"), start + MAX_BLOCK), start + MAX_BLOCK)
    return {"rowData": shown[start:end], "rowCount": len(shown)}


def matching_rows(
    rows: list[dict],
    filter_model: dict | None,
    sort_model: list | None,
    search: str | None,
    columns: Columns,
) -> list[dict]:
    """Every row that matches the search (each of its words in one of the searched fields, case
    ignored) and every column filter of ``filter_model``, in the order of ``sort_model``
    (a stable sort: rows that tie keep their order).

    Filters and sorts of columns a row lacks are ignored, as are filters of an unknown kind.

    Examples
    --------
    >>> rows = [{"id": "a", "n": None}, {"id": "b", "n": 2}, {"id": "c", "n": 1}]
    >>> [r["id"] for r in matching_rows(rows, None, [{"colId": "n", "sort": "asc"}], "", Columns(("id",)))]
    ['a', 'c', 'b']
    >>> greater = {"n": {"filterType": "number", "type": "greaterThan", "filter": 1}}
    >>> [r["id"] for r in matching_rows(rows, greater, [], None, Columns(("id",)))]
    ['b']
    """
    known = set(rows[0]) if rows else set()
    words = [word.casefold() for word in (search or "").split()]
    tests = [
        (columns.field_of(column), columns.scales.get(column, 1), model)
        for column, model in (filter_model if isinstance(filter_model, dict) else {}).items()
        if columns.field_of(column) in known and isinstance(model, dict)
    ]
    shown = [
        row
        for row in rows
        if _found(row, words, columns.searched) and all(_passes(row[f], model, s) for f, s, model in tests)
    ]
    for column, descending in reversed(_sorts(sort_model, known, columns)):
        shown.sort(
            key=_sort_key(columns.sort_field_of(column), columns.ranks.get(column)), reverse=descending
        )
    return shown


def sort_model_of(column_state: list | None) -> list[dict]:
    """The sort model (``colId``, ``sort``) that a grid's ``columnState`` shows, first sort first.

    Examples
    --------
    >>> sort_model_of([{"colId": "a", "sort": None}, {"colId": "b", "sort": "asc", "sortIndex": 1},
    ...                {"colId": "c", "sort": "desc", "sortIndex": 0}])
    [{'colId': 'c', 'sort': 'desc'}, {'colId': 'b', 'sort': 'asc'}]
    """
    sorted_columns = [
        state
        for state in column_state or []
        if isinstance(state, dict) and state.get("sort") in ("asc", "desc")
    ]
    sorted_columns.sort(key=lambda state: state.get("sortIndex") or 0)
    return [{"colId": state["colId"], "sort": state["sort"]} for state in sorted_columns]


def refresh_rows(grid_id: str) -> str:
    """A clientside callback (JavaScript) that makes the grid ``grid_id`` forget its rows and ask
    the server again from its first page when the values of its inputs (controls outside the grid
    that change which rows it shows: a search box, a select) change.

    Its first call (when the grid appears) only notes the values, and a value that goes from
    unset to empty (a select mounting) is no change: the grid asks once for its first rows. Its
    output is the grid's ``paginationGoTo`` (left as it is): a callback whose outputs are not on
    the page does not run there, so the header's selects do not call it on other pages.

    Examples
    --------
    >>> print(refresh_rows("residents-grid").splitlines()[1])
        const grid = "residents-grid";
    """
    return f"""function (...values) {{
    const grid = {json.dumps(grid_id)};
    const seen = (window.carecircleGridInputs = window.carecircleGridInputs || {{}});
    const now = JSON.stringify(values.map((value) => (value == null || value === "" ? null : value)));
    const before = seen[grid];
    seen[grid] = now;
    if (before !== undefined && before !== now) {{
        dash_ag_grid.getApiAsync(grid).then((api) => {{
            api.paginationGoToFirstPage();
            api.purgeInfiniteCache();
        }});
    }}
    return window.dash_clientside.no_update;
}}"""


def _row_number(value, default: int) -> int:
    """A row number from the request (a non-negative integer), or ``default`` for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _found(row: dict, words: list[str], searched: Iterable[str]) -> bool:
    """Whether every word is in one of the row's searched fields."""
    if not words:
        return True
    text = "\n".join(str(row.get(name) or "") for name in searched).casefold()
    return all(word in text for word in words)


def _sorts(sort_model, known: set[str], columns: Columns) -> list[tuple[str, bool]]:
    """(column, descending) of each valid entry of the sort model, first sort first."""
    return [
        (entry["colId"], entry.get("sort") == "desc")
        for entry in (sort_model if isinstance(sort_model, list) else [])
        if isinstance(entry, dict) and columns.sort_field_of(str(entry.get("colId"))) in known
    ]


def _sort_key(name: str, rank: Callable | None) -> Callable[[dict], tuple]:
    """The sort key of a row by its field ``name``."""
    return lambda row: _order(row[name], rank)


def _order(value, rank: Callable | None) -> tuple:
    """The sort key of a cell: empty cells first (as AG Grid puts them ascending), text by its
    case-folded form."""
    if value is None:
        return (0, 0)
    if rank is not None:
        return (1, rank(value))
    return (1, value.casefold() if isinstance(value, str) else value)


def _passes(value, model: dict, scale: float) -> bool:
    """Whether a cell passes one column's filter model (one condition, or several joined by
    ``operator`` AND/OR)."""
    conditions = model.get("conditions")
    if isinstance(conditions, list):
        results = [
            _passes(value, condition, scale) for condition in conditions if isinstance(condition, dict)
        ]
        return any(results) if model.get("operator") == "OR" else all(results)
    if model.get("filterType") == "number":
        return _number_passes(value * scale if isinstance(value, int | float) else value, model)
    return _text_passes(value, model)


def _text_passes(value, model: dict) -> bool:
    """Whether a cell passes a text condition (AG Grid's text filter: case ignored)."""
    kind = model.get("type")
    if kind in ("blank", "notBlank"):
        return (value in (None, "")) == (kind == "blank")
    cell, wanted = (
        str(value if value is not None else "").casefold(),
        str(model.get("filter") or "").casefold(),
    )
    checks = {
        "contains": lambda: wanted in cell,
        "notContains": lambda: wanted not in cell,
        "equals": lambda: cell == wanted,
        "notEqual": lambda: cell != wanted,
        "startsWith": lambda: cell.startswith(wanted),
        "endsWith": lambda: cell.endswith(wanted),
    }
    return checks[kind]() if kind in checks else True


def _number_passes(value, model: dict) -> bool:
    """Whether a cell passes a number condition (an empty cell passes ``blank`` and ``notEqual`` only)."""
    kind, wanted, upto = model.get("type"), _number(model.get("filter")), _number(model.get("filterTo"))
    if kind in ("blank", "notBlank"):
        return (value is None) == (kind == "blank")
    if value is None or wanted is None:
        return kind == "notEqual" or wanted is None
    checks = {
        "equals": lambda: value == wanted,
        "notEqual": lambda: value != wanted,
        "lessThan": lambda: value < wanted,
        "lessThanOrEqual": lambda: value <= wanted,
        "greaterThan": lambda: value > wanted,
        "greaterThanOrEqual": lambda: value >= wanted,
        "inRange": lambda: upto is not None and wanted < value < upto,  # AG Grid leaves the ends out
    }
    return checks[kind]() if kind in checks else True


def _number(value) -> float | None:
    """A filter's number (AG Grid sends numbers; a text that reads as one is taken too)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return float(value)
    return None
