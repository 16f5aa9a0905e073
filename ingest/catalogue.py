"""The error catalogue: one code per kind of input problem, each with a title and a message template.

Templates are written in English, declared with :func:`~graph.language.N_`, and translated when a
problem is rendered (the catalogues are ``graph/locales/*/LC_MESSAGES/carecircle.po``). They only
ever receive ids, column names, codes and line numbers, never a whole row and never a ``bsn``
value: a message may end up in a report, a log or a dashboard. As a second line of defence,
:func:`render` masks any BSN in what it formats.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from graph.errors import IngestError
from graph.labels import KINDS, label
from graph.language import N_, day, decimal, translate
from ingest.bsn import mask_bsns

__all__ = ["CATALOGUE", "PHRASES", "TITLES", "FileLevelError", "Problem", "phrase", "render", "title"]

#: code -> English message template
CATALOGUE: dict[str, str] = {
    # file-level
    "missing_file": N_("required file {file} is missing; found: {found}"),
    "missing_sheet": N_("required sheet {file} is missing from the workbook; found sheets: {found}"),
    "missing_column": N_("required column {column} is missing; found columns: {found}"),
    "duplicate_column": N_("column {column} appears more than once (as {found})"),
    "undecodable": N_("cannot decode the file as UTF-8 or Windows-1252 (byte {found})"),
    "not_a_table": N_("not a table: {found}"),
    "unreadable_workbook": N_("cannot open the workbook: {found}"),
    "not_a_dataset": N_("not a dataset: expected a folder of CSV files or an .xlsx workbook; found {found}"),
    "bad_dataset_toml": N_("dataset.toml cannot be used: {found}"),
    "ambiguous_file": N_(
        "more than one file or sheet is the table {expected}: {found}; keep one and ingest again"
    ),
    "file_too_large": N_(
        "the file is {found} MiB; carecircle reads CSV files of at most {expected} MiB: check "
        "that this is the right file"
    ),
    "workbook_too_large": N_(
        "the workbook unpacks to {found}; carecircle unpacks at most {expected}: save it again "
        "from the spreadsheet program, or give the tables as CSV files"
    ),
    "too_many_rows": N_(
        "the table has more than {expected} rows; carecircle reads at most {expected} per file or "
        "sheet: check that this is the right file"
    ),
    "too_many_columns": N_(
        "the table is {found} columns wide here; carecircle reads at most {expected}: remove the "
        "columns it does not need (empty ones too) and ingest again"
    ),
    # file-level, Network Canvas import (SPEC §12)
    "mapping_unusable": N_("the mapping cannot be used: {found}"),
    "bad_mapping": N_("the mapping's {column} cannot be used: {found}"),
    "not_an_export": N_(
        "not a Network Canvas export: expected a folder or a .zip of its CSV files; found {found}"
    ),
    "no_interviews": N_("no interview in the export: no file ends in _ego.csv; found: {found}"),
    "interview_without_ego": N_("the interview {value} has no ego file ({value}_ego.csv); found: {found}"),
    "missing_variable": N_("the mapped variable {column} is missing; found columns: {found}"),
    "missing_options": N_(
        "the mapped categorical variable {column} has no option column ({column}_<option>); found "
        "columns: {found}"
    ),
    "missing_node_type": N_(
        "no interview has nodes of type {value} (files ending in _attributeList_{value}.csv); found "
        "node types: {found}"
    ),
    "archive_too_large": N_(
        "the zip file unpacks to {found}; carecircle unpacks at most {expected}: check that this is "
        "the right file"
    ),
    "foreign_output": N_(
        "this folder holds files, but is not an earlier Network Canvas import (it has no {expected}); "
        "choose another --out"
    ),
    "output_unwritable": N_("cannot write the dataset folder: {found}"),
    # row-level
    "missing_value": N_("{column} is empty; a value is required"),
    "wrong_cell_count": N_("the row has {found} cells where the header has {expected}"),
    "invalid_integer": N_("{column} must be a whole number, found '{value}'"),
    "invalid_decimal": N_("{column} must be a number ({expected}), found '{value}'"),
    "invalid_date": N_("{column} must be a date (2017-06-01 or 01-06-2017), found '{value}'"),
    "invalid_boolean": N_("{column} must be yes/no (true/false, ja/nee, j/n, 1/0), found '{value}'"),
    "invalid_bsn": N_("bsn is not 9 digits passing the 11-check (value not shown)"),
    "unknown_role": N_("unknown role '{value}'; expected one of {expected}"),
    "unknown_level": N_("unknown awareness level '{value}'; expected none, aware or coordinating"),
    "out_of_range": N_("{column} must be {expected}, found '{value}'"),
    "negative_hours": N_("hours_per_week must not be negative, found '{value}'"),
    "end_before_start": N_("end_date {value} is before start_date {expected}"),
    "self_awareness": N_("helper '{value}' cannot be aware of itself"),
    "duplicate_id": N_("duplicate {column} '{value}': first at line {expected}"),
    "unknown_reference": N_("unknown {column} '{value}'"),
    "rejected_reference": N_("unknown {column} '{value}': rejected at {expected}"),
    "unclosed_quote": N_(
        "the quote that opens in {column} is not closed before a line that looks like a row, or "
        "the end of the file; the row is rejected and reading goes on from that line: close the "
        "quote and ingest again"
    ),
    "cell_too_long": N_(
        "{column} is {found} characters long; at most {expected} are read (content not shown): "
        "check the cell, perhaps a quote is missing"
    ),
    "delegator_not_formal": N_(
        "delegated_by '{value}' is not a formal helper ({expected}); only a formal helper can delegate a task"
    ),
    "several_options": N_("several options of {column} are true ({value}); exactly one is needed"),
    "extra_ego_row": N_("an ego file holds one row per interview; this row is not used"),
    # warnings
    "unknown_code": N_("unknown {column} '{value}' kept as written"),
    "duplicate_row": N_("exact repeat of line {expected}; dropped"),
    "superseded_awareness": N_(
        "awareness of '{value}' replaced by line {expected} (later observed_on or later line)"
    ),
    "same_person": N_("resident '{value}' has the same bsn as resident '{expected}' (line {found})"),
    "invalid_utf8": N_("line is not valid UTF-8 (byte {found}); read as Windows-1252"),
    "no_rows": N_("the table has a header but no rows"),
    "bsn_in_text": N_(
        "{column} holds a number that passes the BSN 11-check; it is replaced by {expected}: keep "
        "a BSN in the bsn column only"
    ),
    "as_of_defaulted": N_("no as_of in dataset.toml or --as-of; using today's date {value}"),
    "superseded_interview": N_(
        "resident '{value}' was interviewed again later ({expected}); this interview is not used"
    ),
    "role_changed": N_(
        "helper '{value}' has role {found} here and {expected} in a later interview; the later role is kept"
    ),
    "ignored_node_type": N_("node type {value} is not in the mapping; its files are ignored"),
    "ignored_edge_type": N_("edge type {value} is not in the mapping; its files are ignored"),
    "ignored_file": N_(
        "not a file of a Network Canvas export (…_ego.csv, …_attributeList_<type>.csv, "
        "…_edgeList_<type>.csv); it is not read"
    ),
    "no_interview_date": N_(
        "no interview used has a date (sessionFinish or sessionStart) and no --as-of is given; using "
        "today's date {value}"
    ),
    "no_domains": N_(
        "no task is recorded for this helper; its support counts as '{value}': it overlaps with no one "
        "and covers no need"
    ),
    "domains_unmapped": N_(
        "the mapping names no variable for the tasks ([helpers] domains); all support counts as "
        "'{value}': it overlaps with no one and covers no need"
    ),
}

#: code -> what a person calls that kind of problem (a report's list, the data-quality page)
TITLES: dict[str, str] = {
    "missing_file": N_("Required file missing"),
    "missing_sheet": N_("Required sheet missing"),
    "missing_column": N_("Required column missing"),
    "duplicate_column": N_("Column given twice"),
    "undecodable": N_("Unreadable characters"),
    "not_a_table": N_("Not a table"),
    "unreadable_workbook": N_("Workbook cannot be opened"),
    "not_a_dataset": N_("Not a dataset"),
    "bad_dataset_toml": N_("Unusable dataset.toml"),
    "ambiguous_file": N_("Two files for one table"),
    "file_too_large": N_("File too large"),
    "workbook_too_large": N_("Workbook unpacks too large"),
    "too_many_rows": N_("Too many rows"),
    "too_many_columns": N_("Too many columns"),
    "mapping_unusable": N_("Unusable mapping"),
    "bad_mapping": N_("Mistake in the mapping"),
    "not_an_export": N_("Not a Network Canvas export"),
    "no_interviews": N_("No interview found"),
    "interview_without_ego": N_("Interview without ego file"),
    "missing_variable": N_("Mapped variable missing"),
    "missing_options": N_("Mapped categorical variable missing"),
    "missing_node_type": N_("Node type missing"),
    "archive_too_large": N_("Zip file unpacks too large"),
    "foreign_output": N_("Output folder in use"),
    "output_unwritable": N_("Output folder cannot be written"),
    "missing_value": N_("Required value empty"),
    "wrong_cell_count": N_("Too many cells in a row"),
    "invalid_integer": N_("Not a whole number"),
    "invalid_decimal": N_("Not a number"),
    "invalid_date": N_("Not a date"),
    "invalid_boolean": N_("Not yes or no"),
    "invalid_bsn": N_("Invalid BSN"),
    "unknown_role": N_("Unknown role"),
    "unknown_level": N_("Unknown awareness level"),
    "out_of_range": N_("Value out of range"),
    "negative_hours": N_("Negative hours"),
    "end_before_start": N_("End before start"),
    "self_awareness": N_("Helper aware of itself"),
    "duplicate_id": N_("Id used twice"),
    "unknown_reference": N_("Unknown reference"),
    "rejected_reference": N_("Reference to a rejected row"),
    "unclosed_quote": N_("Quote not closed"),
    "cell_too_long": N_("Cell too long"),
    "delegator_not_formal": N_("Task delegated by an informal helper"),
    "several_options": N_("Several options where one is needed"),
    "extra_ego_row": N_("Second ego row"),
    "unknown_code": N_("Unknown code kept"),
    "duplicate_row": N_("Repeated row dropped"),
    "superseded_awareness": N_("Awareness replaced by a later row"),
    "same_person": N_("Same person under two ids"),
    "invalid_utf8": N_("Bytes that are not UTF-8"),
    "no_rows": N_("Table without rows"),
    "bsn_in_text": N_("BSN outside the bsn column"),
    "as_of_defaulted": N_("Snapshot date set to today"),
    "superseded_interview": N_("Interview replaced by a later one"),
    "role_changed": N_("Role changed between interviews"),
    "ignored_node_type": N_("Node type ignored"),
    "ignored_edge_type": N_("Edge type ignored"),
    "ignored_file": N_("File not read"),
    "no_interview_date": N_("Snapshot date set to today"),
    "no_domains": N_("No task recorded"),
    "domains_unmapped": N_("Tasks not mapped"),
}

#: what a reader found, filled into the ``found`` of a file-level message
PHRASES: dict[str, str] = {
    "nothing": N_("nothing"),
    "byte_at": N_("0x{byte:02x} at offset {offset}"),
    "empty_file": N_("the file is empty"),
    "unreadable_file": N_("the file cannot be read ({reason})"),
    "ELOOP": N_("a symbolic link that points to itself"),
    "ENOENT": N_("a link to a file that is not there"),
    "EISDIR": N_("it is a folder"),
    "EACCES": N_("no permission to read it"),
    "binary": N_("binary content (NUL bytes)"),
    "no_header": N_("no header row"),
    "broken_csv": N_("broken CSV near line {line}"),
    "field_too_long": N_("broken CSV near line {line}: a cell is longer than {limit} characters"),
    "header_quote": N_("the quote that opens in the header at '{cell}' is never closed"),
    "unpacked_in_all": N_("{size} MiB in all"),
    "unpacked_part": N_("{size} MiB in {part}, {ratio} times its packed size"),
    "unpack_limits": N_("{size} MiB in all and no part over {ratio} times its packed size"),
    "not_xlsx": N_("{kind}: not a readable .xlsx file"),
    "other_kind": N_("a file of another kind"),
    "nothing_there": N_("nothing at that path"),
    "not_toml": N_("not valid TOML"),
    "not_toml_at": N_("not valid TOML (line {line}, column {column})"),
    "not_utf8_toml": N_("not UTF-8 text"),
    "as_of_not_a_date": N_("as_of must be a date like 2017-06-01"),
    "no_columns": N_("no columns"),
    "mapping_unknown_table": N_("no such table; the tables are {expected}"),
    "mapping_unknown_key": N_("no such key; the keys are {expected}"),
    "mapping_missing": N_("it is required and missing"),
    "mapping_one_of": N_("give exactly one of {keys}"),
    "mapping_not_text": N_("expected a text in quotes"),
    "mapping_twice": N_("the same option as {other}"),
    "not_a_zip": N_("a damaged or unreadable zip file ({kind})"),
}

#: codes whose ``expected`` is words rather than a value from the data: a text declared with N_
#: where its rule is (a range, a hint), or a helper's kind; shown in the message's language
_EXPECTED_WORDS: dict[str, Callable[[str, str], str]] = {
    "out_of_range": translate,
    "invalid_decimal": translate,
    "delegator_not_formal": lambda kind, lang: label(KINDS, kind, lang),
}


def phrase(key: str, lang: str = "en", **params: object) -> str:
    """Return the phrase ``key`` of :data:`PHRASES` in ``lang``, filled with ``params``.

    Examples
    --------
    >>> phrase("broken_csv", "nl", line=12)
    'kapotte CSV bij regel 12'
    """
    return translate(PHRASES[key], lang, **params)


def title(code: str, lang: str = "en") -> str:
    """What a person calls the problem ``code``, in ``lang``; an unknown code is shown as written.

    Examples
    --------
    >>> title("same_person"), title("same_person", "nl")
    ('Same person under two ids', 'Dezelfde persoon onder twee nummers')
    """
    return translate(TITLES[code], lang) if code in TITLES else code


@dataclass(frozen=True)
class Problem:
    """One reported problem: where it is, its code and its plain-language message."""

    file: str
    line: int | None
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict:
        """Return the report form ``{"file", "line", "column", "code", "message"}``."""
        return asdict(self)

    def location(self) -> str:
        """Return ``file:line`` (or just the file for file-level problems)."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file


def render(
    code: str,
    *,
    file: str,
    line: int | None = None,
    column: str | None = None,
    lang: str = "en",
    **params: object,
) -> Problem:
    """Build the :class:`Problem` for ``code`` with its message in ``lang`` ("en" or "nl").

    Dates and decimal numbers are written the language's way, and an ``expected`` that is words
    (a range, a hint, a helper's kind: see ``_EXPECTED_WORDS``) is translated with the message.
    A BSN in the message, file or column (an id, a header, a value echoed) is masked.

    Examples
    --------
    >>> render("unknown_role", file="helpers.csv", line=3, column="role",
    ...        value="kapper", expected="district_nurse, ...").message
    "unknown role 'kapper'; expected one of district_nurse, ..."
    >>> render("out_of_range", file="residents.csv", line=4, column="birth_year",
    ...        value="111222333", expected="from 1880 to 2100").message
    "birth_year must be from 1880 to 2100, found '[BSN]'"
    >>> render("out_of_range", file="residents.csv", line=4, column="birth_year",
    ...        value="1700", expected="from 1880 to 2100", lang="nl").message
    "birth_year moet een jaar van 1880 tot en met 2100 zijn, gevonden '1700'"
    >>> render("end_before_start", file="support.csv", line=5, column="end_date",
    ...        value=date(2017, 5, 31), expected=date(2017, 6, 1), lang="nl").message
    'einddatum 31 mei 2017 ligt voor startdatum 1 juni 2017'
    """
    values = {"file": file, "line": line, "column": column, "value": "", "expected": "", "found": ""}
    values.update((name, _shown(value, lang)) for name, value in params.items())
    if code in _EXPECTED_WORDS and values["expected"]:
        values["expected"] = _EXPECTED_WORDS[code](values["expected"], lang)
    message = mask_bsns(translate(CATALOGUE[code], lang, **values))[0]
    if column is not None:
        column = mask_bsns(column)[0]
    return Problem(mask_bsns(file)[0], line, column, code, message)


def _shown(value: object, lang: str) -> object:
    """A parameter as the message shows it: dates and decimal numbers the language's way."""
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, float):
        return decimal(value, lang, None)
    return value


class FileLevelError(IngestError):
    """A problem that stops the whole ingest: nothing is written (SPEC §4)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.location()}: {problem.message}")
        self.problem = problem
