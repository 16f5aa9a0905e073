"""A problem of a stored ingest report, told in the language of the page that shows it.

A report keeps each problem's message as the ingest wrote it, in the language of that ingest
(the demo ingests in English), and no parameters beside it. The message is read back here by
its code's template in the language it is in; what the template filled in is put into the
template of the page's language. In a template a quoted field (``'{value}'``) echoes the data
and stays as it is, but for the decimal mark of a number; an unquoted one was written by
carecircle (a date, a range in words, a kind of helper) and is written again in the page's
language. A message that no
template of its code reads (a report of an older carecircle) is told by its code's name only.
"""

import re
import string
from functools import cache

from graph.language import LANGUAGES, day, decimal, english, read_day, separators, translate
from ingest.bsn import mask_bsns
from ingest.catalogue import CATALOGUE, title

__all__ = ["problem_message", "problem_rows"]


def problem_message(problem: dict, lang: str) -> str:
    """The message of a reported ``problem`` (a report's dict: file, line, column, code, message)
    in ``lang``.

    Examples
    --------
    >>> stored = {"file": "helpers.csv", "line": 3, "column": "role", "code": "unknown_role",
    ...           "message": "unknown role 'kapper'; expected one of gp, volunteer"}
    >>> problem_message(stored, "nl")
    "onbekende rol 'kapper'; verwacht een van gp, volunteer"
    >>> problem_message(stored, "en") == stored["message"]
    True
    >>> problem_message({**stored, "message": "role kapper is not known"}, "nl")
    'Onbekende rol'
    """
    code, message = problem.get("code"), problem.get("message") or ""
    if code not in CATALOGUE:
        return title(code, lang) if code else message
    for written in (lang, *(other for other in LANGUAGES if other != lang)):
        pattern, fields = _template(code, written)
        found = pattern.fullmatch(message)
        if found is None:
            continue
        if written == lang:
            return message
        values = {field: _again(found[group], quoted, written, lang) for group, field, quoted in fields}
        return mask_bsns(translate(CATALOGUE[code], lang, **values))[0]
    return title(code, lang)


def problem_rows(problems: list[dict], lang: str) -> list[dict]:
    """The rows of a table of reported problems: each with its code's name (``title``) and its
    message in ``lang``.

    Examples
    --------
    >>> problem_rows([{"file": "r.csv", "line": 2, "column": None, "code": "no_rows",
    ...                "message": "the table has a header but no rows"}], "nl")[0]["title"]
    'Tabel zonder rijen'
    """
    return [
        {**problem, "title": title(problem["code"], lang), "message": problem_message(problem, lang)}
        for problem in problems
    ]


@cache
def _template(code: str, lang: str) -> tuple[re.Pattern, tuple[tuple[str, str, bool], ...]]:
    """A pattern that reads a message of ``code`` written in ``lang``, and its fields: (group,
    field, quoted); a field written twice is read once and must be the same the second time."""
    pattern, fields = [], {}
    for literal, field, _spec, _conversion in string.Formatter().parse(translate(CATALOGUE[code], lang)):
        pattern.append(re.escape(literal))
        if field is None:
            continue
        if field in fields:
            pattern.append(f"(?P={fields[field][0]})")
        else:
            fields[field] = (f"field{len(fields)}", field, literal.endswith("'"))
            pattern.append(f"(?P<{fields[field][0]}>.*?)")
    return re.compile("".join(pattern), re.DOTALL), tuple(fields.values())


def _again(value: str, quoted: bool, written: str, lang: str) -> str:
    """A field's value for the template of ``lang``: a number with a fraction gets the decimal
    mark of ``lang``; an unquoted date or words that carecircle wrote in ``written`` are written
    again in ``lang``; anything else stays as it is."""
    number = _read_decimal(value, written)
    if number is not None:
        return decimal(number, lang, None)
    if quoted:
        return value
    read = read_day(value, written)
    if read is not None:
        return day(read, lang)
    text = english(value, written)
    return translate(text, lang) if text else value


def _read_decimal(value: str, lang: str) -> float | None:
    """``value`` as a number when it is one with a fraction, written the way ``lang`` writes them."""
    mark, group = separators(lang)
    if re.fullmatch(
        rf"-?\d{{1,3}}(?:{re.escape(group)}\d{{3}})*{re.escape(mark)}\d+|-?\d+{re.escape(mark)}\d+", value
    ):
        return float(value.replace(group, "").replace(mark, "."))
    return None
