"""Cell formats of SPEC §3: dates, decimals, booleans, lists, and the BSN 11-check."""

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.vocabulary import DOMAINS, FUNDING, ROLES
from ingest import cells as cells_module
from ingest.cells import elfproef, elfproef_cells, parse_bool, parse_date, parse_decimal, parse_integer


@pytest.mark.parametrize("number", ["111222333", "123456782", "999999990", "010000008", "100000009"])
def test_elfproef_accepts_valid_bsns(number):
    assert elfproef(number)


@pytest.mark.parametrize(
    "number",
    ["123456789", "111222334", "12345678", "1234567820", "12345678a", "", "11122233 ", "１１１２２２３３３"],
)
def test_elfproef_refuses_invalid_bsns(number):
    assert not elfproef(number)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-06-01", date(2017, 6, 1)),
        ("01-06-2017", date(2017, 6, 1)),
        ("01/06/2017", date(2017, 6, 1)),
        ("1-6-2017", date(2017, 6, 1)),
        ("29-02-2016", date(2016, 2, 29)),
    ],
)
def test_dates_iso_and_day_first(text, expected):
    parsed = parse_date(pd.Series([text]))
    assert parsed.values.tolist() == [expected] and not parsed.failed.any()


@pytest.mark.parametrize(
    "text", ["31-02-2017", "2017-13-01", "06/31/2017", "gisteren", "2017/06/01 12:00", "29-02-2017"]
)
def test_impossible_or_foreign_dates_fail(text):
    parsed = parse_date(pd.Series([text]))
    assert parsed.values.tolist() == [None] and parsed.failed.tolist() == [True]


def test_empty_cells_are_missing_not_failed():
    for parse in (parse_date, parse_bool, parse_integer):
        parsed = parse(pd.Series(["", ""]))
        assert parsed.values.tolist() == [None, None] and not parsed.failed.any()


@pytest.mark.parametrize(
    ("text", "expected"),
    [(t, True) for t in ["true", "TRUE", "yes", "Ja", "j", "1", "waar", "Y"]]
    + [(t, False) for t in ["false", "No", "nee", "N", "0", "onwaar"]],
)
def test_booleans_in_every_accepted_spelling(text, expected):
    assert parse_bool(pd.Series([text])).values.tolist() == [expected]


@pytest.mark.parametrize("text", ["misschien", "2", "ja!"])
def test_other_booleans_fail(text):
    assert parse_bool(pd.Series([text])).failed.tolist() == [True]


def test_decimals_with_point_and_with_comma_only_when_the_separator_is_semicolon():
    cells = pd.Series(["2.5", "2,5", "3", "-1", "1e3", "twee"])
    with_comma = parse_decimal(cells, decimal_comma=True)
    assert with_comma.values.tolist() == [2.5, 2.5, 3.0, -1.0, 1000.0, None]
    assert with_comma.failed.tolist() == [False, False, False, False, False, True]
    without = parse_decimal(cells, decimal_comma=False)
    assert without.failed.tolist() == [False, True, False, False, False, True]


def test_integers_accept_spreadsheet_floats_but_not_fractions():
    parsed = parse_integer(pd.Series(["14", "14.0", "14.5", "veertien", "1933"]))
    assert parsed.values.tolist() == [14, 14, None, None, 1933]
    assert parsed.failed.tolist() == [False, False, True, True, False]


# Texts that stress each parser: near-misses, odd numbers, Dutch spellings, the empty cell.
TRICKY = [
    "", "2017-06-01", "01-06-2017", "1/6/2017", "31-02-2017", "2017-6-1", "0001-01-01", "9999-12-31",
    "3", "3.0", "-0", "2,5", "1e3", "nan", "inf", "9007199254740993", "18446744073709551616", "-12",
    "Ja", "nee", "1", "0", "maybe", "Mantelzorger", "district-nurse", "kapper", "Weet", "stemt af",
    "Post | huishouden", "tuin|Tuin", "||", "111222333", "123456789", "１１１２２２３３３",
]  # fmt: skip
_PARSERS = {
    "integer": lambda parse, cells: parse.parse_integer(cells),
    "decimal comma": lambda parse, cells: parse.parse_decimal(cells, decimal_comma=True),
    "decimal point": lambda parse, cells: parse.parse_decimal(cells, decimal_comma=False),
    "date": lambda parse, cells: parse.parse_date(cells),
    "boolean": lambda parse, cells: parse.parse_bool(cells),
    "role": lambda parse, cells: parse.parse_code(cells, ROLES, closed=True),
    "funding": lambda parse, cells: parse.parse_code(cells, FUNDING, closed=False),
    "domains": lambda parse, cells: parse.parse_code_list(cells, DOMAINS),
}


class _EveryCell:
    """The parsers without their one-parse-per-distinct-text wrapper."""

    def __getattr__(self, name):
        return getattr(cells_module, name).__wrapped__


def _plain(series: pd.Series | None) -> tuple | None:
    if series is None:
        return None
    return str(series.dtype), list(series.index), [(type(v), repr(v)) for v in series]


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.sampled_from(TRICKY) | st.text(alphabet="0123456789-/.,eE|ab ", max_size=12), max_size=40
    ),
    parser=st.sampled_from(sorted(_PARSERS)),
)
def test_parsing_each_distinct_text_once_gives_what_parsing_every_cell_gives(texts, parser):
    cells = pd.Series(texts, index=pd.RangeIndex(2, len(texts) + 2, name="line"), dtype=object).astype(str)
    once, every = _PARSERS[parser](cells_module, cells), _PARSERS[parser](_EveryCell(), cells)
    for part in ("values", "failed", "unknown"):
        assert _plain(getattr(once, part)) == _plain(getattr(every, part)), part


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.sampled_from(TRICKY) | st.text(alphabet="0123456789 ", min_size=8, max_size=10)))
def test_the_column_elfproef_agrees_with_the_one_for_a_single_number(texts):
    cells = pd.Series(texts, dtype=object).astype(str)
    assert elfproef_cells(cells).tolist() == [elfproef(text) for text in texts]
