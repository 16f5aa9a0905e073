"""The ingest report (SPEC §4): counts per file and code for every problem, a bounded number of examples."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter

from ingest.catalogue import Problem

__all__ = ["EXAMPLES_PER_CODE", "REPORT_SCHEMA", "IngestReport", "bounded_problems"]

REPORT_SCHEMA = "carecircle.ingest/1"

#: examples kept per (file, code) in the JSON report; every problem is still counted
EXAMPLES_PER_CODE = 100


@dataclass
class IngestReport:
    """What an ingest found: per-file counts, rejected rows, warnings, ignored columns.

    ``rejected`` and ``warnings`` hold every problem, in report order (file order, then
    line); only :meth:`as_dict` cuts them to :data:`EXAMPLES_PER_CODE` per file and code.
    """

    dataset: str
    as_of: date
    files: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the JSON form of SPEC §4, with bounded examples and complete counts.

        Besides ``files``, ``rejected``, ``warnings`` and ``ignored_columns``: ``problem_counts``
        (``{"rejected"|"warnings": {file: {code: n}}}``, every problem counted),
        ``examples_per_code`` and ``truncated`` (whether any list was cut).

        Examples
        --------
        >>> from ingest.catalogue import render
        >>> report = IngestReport("demo", date(2017, 6, 1))
        >>> report.rejected = [render("missing_value", file="residents.csv", line=n, column="neighbourhood")
        ...                    for n in range(2, 2 + EXAMPLES_PER_CODE + 5)]
        >>> form = report.as_dict()
        >>> len(form["rejected"]), form["problem_counts"]["rejected"], form["truncated"]
        (100, {'residents.csv': {'missing_value': 105}}, True)
        """
        rejected, rejected_counts = _bounded(self.rejected, attrgetter("file", "code"), EXAMPLES_PER_CODE)
        warnings, warning_counts = _bounded(self.warnings, attrgetter("file", "code"), EXAMPLES_PER_CODE)
        return {
            "schema": REPORT_SCHEMA,
            "dataset": self.dataset,
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "rejected": [problem.as_dict() for problem in rejected],
            "warnings": [problem.as_dict() for problem in warnings],
            "ignored_columns": self.ignored_columns,
            "problem_counts": {"rejected": rejected_counts, "warnings": warning_counts},
            "examples_per_code": EXAMPLES_PER_CODE,
            "truncated": len(rejected) < len(self.rejected) or len(warnings) < len(self.warnings),
        }


def bounded_problems(
    problems: list[dict], per_code: int = EXAMPLES_PER_CODE
) -> tuple[list[dict], dict[str, dict[str, int]]]:
    """Keep the first ``per_code`` problems of each (file, code) and count them all.

    Works on the report form of problems (``{"file", "line", "column", "code", "message"}``),
    so it also bounds the complete lists that reports of older versions hold.

    Parameters
    ----------
    problems : list of dict
        Problems in report order (file order, then line).
    per_code : int
        How many examples to keep per file and code.

    Returns
    -------
    kept : list of dict
        The kept problems, in their order in ``problems``.
    counts : dict
        ``{file: {code: number of problems}}`` over all of ``problems``.

    Examples
    --------
    >>> found = [{"file": "support.csv", "line": n, "column": "helper_id",
    ...           "code": "unknown_reference", "message": "..."} for n in (2, 3, 4)]
    >>> found.append({"file": "helpers.csv", "line": 9, "column": "role",
    ...               "code": "unknown_role", "message": "..."})
    >>> kept, counts = bounded_problems(found, per_code=2)
    >>> [(p["file"], p["line"]) for p in kept]
    [('support.csv', 2), ('support.csv', 3), ('helpers.csv', 9)]
    >>> counts
    {'support.csv': {'unknown_reference': 3}, 'helpers.csv': {'unknown_role': 1}}
    """
    return _bounded(problems, itemgetter("file", "code"), per_code)


def _bounded(
    problems: list, key: Callable[[object], tuple[str, str]], per_code: int
) -> tuple[list, dict[str, dict[str, int]]]:
    """:func:`bounded_problems` for problems of any form, given how to get their (file, code)."""
    tally: Counter[tuple[str, str]] = Counter()
    kept = []
    for problem in problems:
        found = key(problem)
        tally[found] += 1
        if tally[found] <= per_code:
            kept.append(problem)
    counts: dict[str, dict[str, int]] = {}
    for (file, code), number in tally.items():
        counts.setdefault(file, {})[code] = number
    return kept, counts
