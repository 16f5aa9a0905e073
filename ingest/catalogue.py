"""The error catalogue: one code per kind of input problem, each with an English and a Dutch template.

Templates only ever receive ids, column names, codes and line numbers, never a whole row
and never a ``bsn`` value: a message may end up in a report, a log or a dashboard.
"""

from dataclasses import asdict, dataclass

from carecircle.errors import IngestError

__all__ = ["CATALOGUE", "FileLevelError", "Problem", "render"]

# code -> (English template, Dutch template)
CATALOGUE: dict[str, tuple[str, str]] = {
    # file-level
    "missing_file": (
        "required file {file} is missing; found: {found}",
        "verplicht bestand {file} ontbreekt; gevonden: {found}",
    ),
    "missing_sheet": (
        "required sheet {file} is missing from the workbook; found sheets: {found}",
        "verplicht werkblad {file} ontbreekt in de werkmap; gevonden werkbladen: {found}",
    ),
    "missing_column": (
        "required column {column} is missing; found columns: {found}",
        "verplichte kolom {column} ontbreekt; gevonden kolommen: {found}",
    ),
    "duplicate_column": (
        "column {column} appears more than once (as {found})",
        "kolom {column} komt meer dan eens voor (als {found})",
    ),
    "undecodable": (
        "cannot decode the file as UTF-8 or Windows-1252 (byte {found})",
        "bestand is geen UTF-8 of Windows-1252 (byte {found})",
    ),
    "not_a_table": (
        "not a table: {found}",
        "geen tabel: {found}",
    ),
    "unreadable_workbook": (
        "cannot open the workbook: {found}",
        "kan de werkmap niet openen: {found}",
    ),
    "not_a_dataset": (
        "not a dataset: expected a folder of CSV files or an .xlsx workbook; found {found}",
        "geen dataset: verwacht een map met CSV-bestanden of een .xlsx-werkmap; gevonden: {found}",
    ),
    "bad_dataset_toml": (
        "dataset.toml cannot be used: {found}",
        "dataset.toml is onbruikbaar: {found}",
    ),
    # row-level
    "missing_value": ("{column} is empty; a value is required", "{column} is leeg; verplicht"),
    "wrong_cell_count": (
        "the row has {found} cells where the header has {expected}",
        "de rij heeft {found} cellen waar de kop er {expected} heeft",
    ),
    "invalid_integer": (
        "{column} must be a whole number, found '{value}'",
        "{column} moet een geheel getal zijn, gevonden '{value}'",
    ),
    "invalid_decimal": (
        "{column} must be a number{expected}, found '{value}'",
        "{column} moet een getal zijn{expected}, gevonden '{value}'",
    ),
    "invalid_date": (
        "{column} must be a date (2017-06-01 or 01-06-2017), found '{value}'",
        "{column} moet een datum zijn (2017-06-01 of 01-06-2017), gevonden '{value}'",
    ),
    "invalid_boolean": (
        "{column} must be yes/no (true/false, ja/nee, j/n, 1/0), found '{value}'",
        "{column} moet ja/nee zijn (true/false, ja/nee, j/n, 1/0), gevonden '{value}'",
    ),
    "invalid_bsn": (
        "bsn is not 9 digits passing the 11-check (value not shown)",
        "bsn is geen 9 cijfers die de elfproef doorstaan (waarde niet getoond)",
    ),
    "unknown_role": (
        "unknown role '{value}'; expected one of {expected}",
        "onbekende rol '{value}'; verwacht een van {expected}",
    ),
    "unknown_level": (
        "unknown awareness level '{value}'; expected none, aware or coordinating",
        "onbekend niveau '{value}'; verwacht geen, weet of stemt af",
    ),
    "out_of_range": (
        "{column} must be {expected}, found '{value}'",
        "{column} moet {expected} zijn, gevonden '{value}'",
    ),
    "negative_hours": (
        "hours_per_week must not be negative, found '{value}'",
        "uren_per_week mag niet negatief zijn, gevonden '{value}'",
    ),
    "end_before_start": (
        "end_date {value} is before start_date {expected}",
        "einddatum {value} ligt voor startdatum {expected}",
    ),
    "self_awareness": (
        "helper '{value}' cannot be aware of itself",
        "hulpverlener '{value}' kan niet over zichzelf gaan",
    ),
    "duplicate_id": (
        "duplicate {column} '{value}': first at line {expected}",
        "dubbele {column} '{value}': eerst op regel {expected}",
    ),
    "unknown_reference": (
        "unknown {column} '{value}'",
        "onbekende {column} '{value}'",
    ),
    "rejected_reference": (
        "unknown {column} '{value}': rejected at {expected}",
        "onbekende {column} '{value}': afgewezen op {expected}",
    ),
    "delegator_not_formal": (
        "delegated_by '{value}' is a {expected} helper; only a formal helper can delegate a task",
        "gedelegeerd_door '{value}' is een {expected} hulpverlener; alleen formele hulp delegeert",
    ),
    # warnings
    "unknown_code": (
        "unknown {column} '{value}' kept as written",
        "onbekende {column} '{value}' overgenomen zoals geschreven",
    ),
    "duplicate_row": (
        "exact repeat of line {expected}; dropped",
        "exacte herhaling van regel {expected}; overgeslagen",
    ),
    "superseded_awareness": (
        "awareness of '{value}' replaced by line {expected} (later observed_on or later line)",
        "bekendheid over '{value}' vervangen door regel {expected} (latere waarneming of regel)",
    ),
    "same_person": (
        "resident '{value}' has the same bsn as resident '{expected}' (line {found})",
        "bewoner '{value}' heeft hetzelfde bsn als bewoner '{expected}' (regel {found})",
    ),
    "as_of_defaulted": (
        "no as_of in dataset.toml or --as-of; using today's date {value}",
        "geen as_of in dataset.toml of --as-of; datum van vandaag {value} gebruikt",
    ),
}


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

    Examples
    --------
    >>> render("unknown_role", file="helpers.csv", line=3, column="role",
    ...        value="kapper", expected="district_nurse, ...").message
    "unknown role 'kapper'; expected one of district_nurse, ..."
    """
    english, dutch = CATALOGUE[code]
    template = dutch if lang == "nl" else english
    values = {
        "file": file,
        "line": line,
        "column": column,
        "value": "",
        "expected": "",
        "found": "",
    }
    values.update(params)
    return Problem(file, line, column, code, template.format(**values))


class FileLevelError(IngestError):
    """A problem that stops the whole ingest: nothing is written (SPEC §4)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.location()}: {problem.message}")
        self.problem = problem
