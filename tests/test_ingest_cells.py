"""Cell formats of SPEC §3: dates, decimals, booleans, lists, and the BSN 11-check."""

from datetime import date

import pandas as pd
import pytest

from ingest.cells import elfproef, parse_bool, parse_date, parse_decimal, parse_integer


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
