"""Vectorised cell parsers: text cells in, typed values plus a mask of cells that failed out.

Every parser takes a :class:`pandas.Series` of stripped strings, ``""`` meaning empty, and
returns a :class:`Parsed`: object values (``None`` where empty or failed) and a boolean mask
of the non-empty cells that could not be parsed.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.vocabulary import Vocabulary
from ingest.bsn import elfproef, lower_keeping_mask, mask_bsns

__all__ = [
    "Parsed",
    "elfproef",
    "elfproef_cells",
    "mask_bsn_cells",
    "parse_bool",
    "parse_code",
    "parse_code_list",
    "parse_date",
    "parse_decimal",
    "parse_integer",
    "parse_text",
]

_TRUE = {"true", "yes", "ja", "j", "y", "1", "waar", "1.0"}
_FALSE = {"false", "no", "nee", "n", "0", "onwaar", "0.0"}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])


@dataclass
class Parsed:
    """Typed values of one column and the mask of cells that failed to parse."""

    values: pd.Series
    failed: pd.Series
    unknown: pd.Series | None = None  # cells kept as written but not in the vocabulary


def _per_distinct(parse: Callable[..., Parsed]) -> Callable[..., Parsed]:
    """Make ``parse`` parse each distinct text once and spread the result over the column.

    A column holds few distinct texts (dates, codes, numbers), so this saves most of the
    work, and gives the same result as parsing every cell: a cell's value depends on its own
    text only, and what pandas decides for a column as a whole (the dtype ``to_numeric``
    picks, say) on which texts occur, not on how often or in what order.
    """

    @functools.wraps(parse)
    def per_distinct(cells: pd.Series, *args: object, **kwargs: object) -> Parsed:
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
        parsed = parse(pd.Series(distinct, dtype=cells.dtype), *args, **kwargs)

        def spread(values: pd.Series) -> pd.Series:
            return values.take(codes).set_axis(cells.index)

        unknown = None if parsed.unknown is None else spread(parsed.unknown)
        return Parsed(spread(parsed.values), spread(parsed.failed), unknown)

    return per_distinct


def _result(cells: pd.Series, values: pd.Series, ok: pd.Series) -> Parsed:
    empty = cells.eq("")
    failed = ~empty & ~ok
    values = values.astype(object).where(ok & ~empty, None)
    return Parsed(values, failed)


def parse_text(cells: pd.Series) -> Parsed:
    """Keep text as written (already stripped); empty becomes None."""
    values = cells.astype(object).where(cells.ne(""), None)
    return Parsed(values, pd.Series(False, index=cells.index))


@_per_distinct
def parse_integer(cells: pd.Series) -> Parsed:
    """Parse whole numbers; ``"12.0"`` (as spreadsheets write) counts as 12.

    Examples
    --------
    >>> parse_integer(pd.Series(["14", "", "x", "2.0"])).values.tolist()
    [14, None, None, 2]
    """
    numbers = pd.to_numeric(cells.where(cells.ne(""), None), errors="coerce")
    ok = numbers.notna() & (numbers == np.floor(numbers.fillna(0))) & numbers.abs().lt(2**53)
    values = numbers.where(ok, 0).astype("int64").astype(object)
    return _result(cells, values, ok)


@_per_distinct
def parse_decimal(cells: pd.Series, *, decimal_comma: bool) -> Parsed:
    """Parse decimals with ``.``; with ``decimal_comma`` a ``,`` is the decimal mark too.

    Examples
    --------
    >>> parse_decimal(pd.Series(["2,5", "3"]), decimal_comma=True).values.tolist()
    [2.5, 3.0]
    >>> parse_decimal(pd.Series(["2,5"]), decimal_comma=False).failed.tolist()
    [True]
    """
    text = cells.str.replace(",", ".", regex=False) if decimal_comma else cells
    numbers = pd.to_numeric(text.where(text.ne(""), None), errors="coerce")
    ok = numbers.notna() & np.isfinite(numbers.fillna(0)) & text.str.fullmatch(r"[-+]?[\d.eE+-]+")
    values = numbers.astype(float).astype(object)
    return _result(cells, values, ok.fillna(False).astype(bool))


@_per_distinct
def parse_date(cells: pd.Series) -> Parsed:
    """Parse ISO (2017-06-01) and day-first (01-06-2017, 01/06/2017) dates.

    Examples
    --------
    >>> parse_date(pd.Series(["2017-06-01", "01/06/2017", "31-02-2017"])).values.tolist()
    [datetime.date(2017, 6, 1), datetime.date(2017, 6, 1), None]
    """
    parsed = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[s]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna() & cells.ne("")
        if not todo.any():
            break
        attempt = pd.to_datetime(cells[todo], format=fmt, errors="coerce")
        parsed[todo] = attempt
    ok = parsed.notna()
    values = pd.Series(
        [d.date() if not pd.isna(d) else None for d in parsed], index=cells.index, dtype=object
    )
    return _result(cells, values, ok)


@_per_distinct
def parse_bool(cells: pd.Series) -> Parsed:
    """Parse true/false, yes/no, ja/nee, j/n, 1/0, waar/onwaar in any case.

    Examples
    --------
    >>> parse_bool(pd.Series(["Ja", "nee", "maybe"])).values.tolist()
    [True, False, None]
    """
    lowered = cells.str.lower()
    is_true, is_false = lowered.isin(_TRUE), lowered.isin(_FALSE)
    values = pd.Series(is_true, index=cells.index).astype(object)
    return _result(cells, values, is_true | is_false)


@_per_distinct
def parse_code(cells: pd.Series, vocabulary: Vocabulary, *, closed: bool) -> Parsed:
    """Map cells to canonical codes of ``vocabulary``.

    A closed vocabulary (role, level) fails on unknown values; an open one keeps them
    lower-cased and trimmed and marks them in ``unknown`` for a warning.

    Examples
    --------
    >>> from graph.vocabulary import ROLES, FUNDING
    >>> parse_code(pd.Series(["Mantelzorger", "kapper"]), ROLES, closed=True).values.tolist()
    ['informal_caregiver', None]
    >>> parse_code(pd.Series(["Particulier", "PGB"]), FUNDING, closed=False).values.tolist()
    ['private', 'pgb']
    """
    codes = _lookup_codes(cells, vocabulary)
    known = codes.notna()
    if closed:
        return _result(cells, codes, known)
    kept = codes.where(known, cells.map(lower_keeping_mask))
    result = _result(cells, kept, pd.Series(True, index=cells.index))
    result.unknown = cells.ne("") & ~known
    return result


@_per_distinct
def parse_code_list(cells: pd.Series, vocabulary: Vocabulary) -> Parsed:
    """Split ``|``-separated lists and map each item; unknown items are kept, lower-cased.

    Returns sorted tuples without repeats; ``unknown`` holds, per row, the unknown items.

    Examples
    --------
    >>> from graph.vocabulary import DOMAINS
    >>> result = parse_code_list(pd.Series(["Post | huishouden", "tuin"]), DOMAINS)
    >>> result.values.tolist(), result.unknown.tolist()
    ([('administration', 'household'), ('tuin',)], [(), ('tuin',)])
    """
    values, unknown = [], []
    cache: dict[str, str | None] = {}
    for cell in cells:
        items, strange = set(), set()
        for raw in cell.split("|"):
            item = raw.strip()
            if not item:
                continue
            if item not in cache:
                cache[item] = vocabulary.lookup(item)
            code = cache[item]
            items.add(code if code is not None else lower_keeping_mask(item))
            if code is None:
                strange.add(lower_keeping_mask(item))
        values.append(tuple(sorted(items)) if items else None)
        unknown.append(tuple(sorted(strange)))
    parsed = Parsed(
        pd.Series(values, index=cells.index, dtype=object),
        pd.Series(False, index=cells.index),
    )
    parsed.unknown = pd.Series(unknown, index=cells.index, dtype=object)
    return parsed


def elfproef_cells(cells: pd.Series) -> pd.Series:
    """Return, per cell, whether it passes :func:`elfproef`, for a whole column at once.

    Examples
    --------
    >>> elfproef_cells(pd.Series(["111222333", "123456789", ""])).tolist()
    [True, False, False]
    """
    # nine ASCII digits, as elfproef asks: `[0-9]` in a regular expression is ASCII only
    shaped = cells.str.fullmatch(r"[0-9]{9}").fillna(False).to_numpy(dtype=bool)
    digits = np.frombuffer("".join(cells[shaped]).encode("ascii"), dtype=np.uint8).reshape(-1, 9) - ord("0")
    valid = shaped.copy()
    valid[shaped] = (digits.astype(np.int64) @ _BSN_WEIGHTS) % 11 == 0
    return pd.Series(valid, index=cells.index)


def mask_bsn_cells(cells: pd.Series) -> tuple[pd.Series, pd.Index]:
    """Mask every BSN in a column of text (see :func:`ingest.bsn.mask_bsns`), each distinct text once.

    Returns the masked cells and the index (source lines) of the cells that held one.

    Examples
    --------
    >>> masked, lines = mask_bsn_cells(pd.Series(["Jan 111222333", "Piet", "Jan 111222333"], index=[2, 3, 4]))
    >>> masked.tolist(), lines.tolist()
    (['Jan [BSN]', 'Piet', 'Jan [BSN]'], [2, 4])
    """
    codes, distinct = pd.factorize(cells)
    found = np.zeros(len(distinct), dtype=bool)
    masked_texts = np.empty(len(distinct), dtype=object)
    for position, text in enumerate(distinct.tolist()):  # a list: iterating an arrow array is slow
        masked_texts[position], found[position] = mask_bsns(text)
    if not found.any():
        return cells, cells.index[:0]
    return pd.Series(masked_texts[codes], index=cells.index, dtype=cells.dtype), cells.index[found[codes]]


def _lookup_codes(cells: pd.Series, vocabulary: Vocabulary) -> pd.Series:
    mapping = {cell: vocabulary.lookup(cell) for cell in cells.unique() if cell != ""}
    return cells.map(mapping).astype(object).where(cells.ne(""), None)
