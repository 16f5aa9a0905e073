"""The error catalogue: one code per kind of input problem, each with an English and a Dutch template.

Templates only ever receive ids, column names, codes and line numbers, never a whole row
and never a ``bsn`` value: a message may end up in a report, a log or a dashboard. As a
second line of defence, :func:`render` masks any BSN in what it formats.
"""

from dataclasses import asdict, dataclass

from graph.errors import IngestError
from ingest.bsn import mask_bsns

__all__ = ["CATALOGUE", "PHRASES", "FileLevelError", "Problem", "phrase", "render"]

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
    "ambiguous_file": (
        "more than one file or sheet is the table {expected}: {found}; keep one and ingest again",
        "meer dan één bestand of werkblad is de tabel {expected}: {found}; "
        "houd er één over en lees opnieuw in",
    ),
    "file_too_large": (
        "the file is {found} MiB; carecircle reads CSV files of at most {expected} MiB: "
        "check that this is the right file",
        "het bestand is {found} MiB; carecircle leest CSV-bestanden van hoogstens {expected} MiB: "
        "controleer of dit het juiste bestand is",
    ),
    "workbook_too_large": (
        "the workbook unpacks to {found}; carecircle unpacks at most {expected}: "
        "save it again from the spreadsheet program, or give the tables as CSV files",
        "de werkmap pakt uit tot {found}; carecircle pakt hoogstens {expected} uit: "
        "sla hem opnieuw op vanuit het rekenprogramma, of lever de tabellen als CSV-bestanden",
    ),
    "too_many_rows": (
        "the table has more than {expected} rows; carecircle reads at most {expected} per file or sheet: "
        "check that this is the right file",
        "de tabel heeft meer dan {expected} rijen; carecircle leest er hoogstens {expected} per bestand "
        "of werkblad: controleer of dit het juiste bestand is",
    ),
    "too_many_columns": (
        "the table is {found} columns wide here; carecircle reads at most {expected}: "
        "remove the columns it does not need (empty ones too) and ingest again",
        "de tabel is hier {found} kolommen breed; carecircle leest er hoogstens {expected}: "
        "verwijder de kolommen die niet nodig zijn (ook lege) en lees opnieuw in",
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
    "unclosed_quote": (
        "the quote that opens in {column} is not closed before a line that looks like a row, or the end "
        "of the file; the row is rejected and reading goes on from that line: "
        "close the quote and ingest again",
        "het aanhalingsteken dat in {column} opent, sluit niet vóór een regel die op een rij lijkt of het "
        "einde van het bestand; de rij is afgewezen en het lezen gaat verder vanaf die regel: "
        "sluit het aanhalingsteken en lees opnieuw in",
    ),
    "cell_too_long": (
        "{column} is {found} characters long; at most {expected} are read (content not shown): "
        "check the cell, perhaps a quote is missing",
        "{column} is {found} tekens lang; er worden hoogstens {expected} gelezen (inhoud niet getoond): "
        "controleer de cel, misschien ontbreekt een aanhalingsteken",
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
    "invalid_utf8": (
        "line is not valid UTF-8 (byte {found}); read as Windows-1252",
        "regel is geen geldige UTF-8 (byte {found}); gelezen als Windows-1252",
    ),
    "no_rows": (
        "the table has a header but no rows",
        "de tabel heeft een kopregel maar geen rijen",
    ),
    "bsn_in_text": (
        "{column} holds a number that passes the BSN 11-check; it is replaced by {expected}: "
        "keep a BSN in the bsn column only",
        "{column} bevat een getal dat de elfproef voor een BSN doorstaat; het is vervangen door {expected}: "
        "zet een BSN alleen in de kolom bsn",
    ),
    "as_of_defaulted": (
        "no as_of in dataset.toml or --as-of; using today's date {value}",
        "geen as_of in dataset.toml of --as-of; datum van vandaag {value} gebruikt",
    ),
}

#: what a reader found, filled into the ``found`` of a file-level message: (English, Dutch)
PHRASES: dict[str, tuple[str, str]] = {
    "nothing": ("nothing", "niets"),
    "byte_at": ("0x{byte:02x} at offset {offset}", "0x{byte:02x} op positie {offset}"),
    "empty_file": ("the file is empty", "het bestand is leeg"),
    "unreadable_file": ("the file cannot be read ({reason})", "het bestand is niet te lezen ({reason})"),
    "ELOOP": ("a symbolic link that points to itself", "een symbolische koppeling die naar zichzelf wijst"),
    "ENOENT": ("a link to a file that is not there", "een koppeling naar een bestand dat er niet is"),
    "EISDIR": ("it is a folder", "het is een map"),
    "EACCES": ("no permission to read it", "geen recht om het te lezen"),
    "binary": ("binary content (NUL bytes)", "binaire inhoud (NUL-bytes)"),
    "no_header": ("no header row", "geen kopregel"),
    "broken_csv": ("broken CSV near line {line}", "kapotte CSV bij regel {line}"),
    "field_too_long": (
        "broken CSV near line {line}: a cell is longer than {limit} characters",
        "kapotte CSV bij regel {line}: een cel is langer dan {limit} tekens",
    ),
    "header_quote": (
        "the quote that opens in the header at '{cell}' is never closed",
        "het aanhalingsteken dat in de kopregel bij '{cell}' opent, sluit nergens",
    ),
    "unpacked_in_all": ("{size} MiB in all", "{size} MiB in totaal"),
    "unpacked_part": (
        "{size} MiB in {part}, {ratio} times its packed size",
        "{size} MiB in {part}, {ratio} keer zo groot als ingepakt",
    ),
    "unpack_limits": (
        "{size} MiB in all and no part over {ratio} times its packed size",
        "{size} MiB in totaal en geen deel meer dan {ratio} keer zo groot als ingepakt",
    ),
    "not_xlsx": ("{kind}: not a readable .xlsx file", "{kind}: geen leesbaar .xlsx-bestand"),
    "other_kind": ("a file of another kind", "een bestand van een andere soort"),
    "nothing_there": ("nothing at that path", "niets op die plek"),
    "not_toml": ("not valid TOML", "geen geldige TOML"),
    "not_toml_at": (
        "not valid TOML (line {line}, column {column})",
        "geen geldige TOML (regel {line}, kolom {column})",
    ),
    "not_utf8_toml": ("not UTF-8 text", "geen UTF-8-tekst"),
    "as_of_not_a_date": (
        "as_of must be a date like 2017-06-01",
        "as_of moet een datum zijn, zoals 2017-06-01",
    ),
}


def phrase(key: str, lang: str = "en", **params: object) -> str:
    """Return the phrase ``key`` of :data:`PHRASES` in ``lang``, filled with ``params``.

    Examples
    --------
    >>> phrase("broken_csv", "nl", line=12)
    'kapotte CSV bij regel 12'
    """
    english, dutch = PHRASES[key]
    return (dutch if lang == "nl" else english).format(**params)


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

    A BSN in the message, file or column (an id, a header, a value echoed) is masked.

    Examples
    --------
    >>> render("unknown_role", file="helpers.csv", line=3, column="role",
    ...        value="kapper", expected="district_nurse, ...").message
    "unknown role 'kapper'; expected one of district_nurse, ..."
    >>> render("out_of_range", file="residents.csv", line=4, column="birth_year",
    ...        value="111222333", expected="from 1880 to 2100").message
    "birth_year must be from 1880 to 2100, found '[BSN]'"
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
    message = mask_bsns(template.format(**values))[0]
    if column is not None:
        column = mask_bsns(column)[0]
    return Problem(mask_bsns(file)[0], line, column, code, message)


class FileLevelError(IngestError):
    """A problem that stops the whole ingest: nothing is written (SPEC §4)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.location()}: {problem.message}")
        self.problem = problem
