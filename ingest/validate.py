"""Validate one table: map headers, parse every cell, apply the row rules, collect every problem."""

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from graph.language import N_, number
from graph.schema import Column, Table
from ingest import cells as parse
from ingest.bsn import BSN_MASK, mask_bsns
from ingest.catalogue import FileLevelError, Problem, phrase, render
from ingest.limits import MAX_CELL_CHARS
from ingest.rawtable import RawTable
from ingest.schemas import ROW_RULES

__all__ = ["ValidatedTable", "validate_table"]

#: cell type -> (parser, code of a cell it cannot parse); codes and decimals are parsed apart
_PARSERS = {
    "id": (parse.parse_text, "missing_value"),
    "text": (parse.parse_text, "missing_value"),
    "integer": (parse.parse_integer, "invalid_integer"),
    "date": (parse.parse_date, "invalid_date"),
    "boolean": (parse.parse_bool, "invalid_boolean"),
}


@dataclass
class ValidatedTable:
    """A table after cell and row checks.

    ``frame`` holds every row that could be read (index = source line) with typed canonical
    columns; ``rejected`` maps a line to its first problem; ``problems`` and ``warnings``
    hold every problem found.
    """

    name: str
    frame: pd.DataFrame
    read: int
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rejected_lines(self) -> set[int]:
        """Lines rejected so far."""
        return {p.line for p in self.problems if p.line is not None}

    def reject(self, problem: Problem) -> None:
        """Reject a row for ``problem``."""
        self.problems.append(problem)

    def accepted(self) -> pd.DataFrame:
        """Rows without a problem."""
        return self.frame[~self.frame.index.isin(self.rejected_lines)]


def validate_table(raw: RawTable, spec: Table, *, lang: str = "en") -> ValidatedTable:
    """Check one raw table against the declaration of its file (:class:`~graph.schema.Table`).

    Besides parsing: a cell longer than :data:`~ingest.limits.MAX_CELL_CHARS` in a column
    used rejects its row (``cell_too_long``), and a BSN in a column whose text is kept (free
    text, open codes, numbers; not ids), or in the name of an ignored column, is masked with
    a warning (``bsn_in_text``).

    Raises
    ------
    FileLevelError
        When a required column is missing or a column appears twice.
    """
    positions, ignored = _map_header(raw, spec, lang)
    table = ValidatedTable(
        raw.name,
        pd.DataFrame(index=raw.cells.index),
        read=len(raw.cells),
        problems=list(raw.problems),
        warnings=list(raw.warnings),
    )
    table.ignored_columns = [_masked_header(table, raw, header, lang) for header in ignored]
    for column in spec.file_columns:
        if column.name not in positions:
            table.frame[column.name] = pd.Series([None] * len(raw.cells), index=raw.cells.index, dtype=object)
            continue
        position = positions[column.name]
        cells = raw.cells[position].astype(str)
        missing = cells.eq("") if column.required else None  # before long cells are emptied
        if raw.longest[position] > MAX_CELL_CHARS:
            cells = _reject_long_cells(table, column.name, cells, lang)
        if _keeps_text(column):
            cells = _mask_bsns(table, column.name, cells, lang)
        table.frame[column.name] = _parse_column(table, column, cells, raw, lang)
        if column.required:
            for line in cells.index[missing]:
                table.reject(render("missing_value", file=raw.name, line=line, column=column.name, lang=lang))
    _apply_row_rules(table, spec.name, lang)
    _keep_only_the_reading_problem(table, raw)
    return table


def _keeps_text(column: Column) -> bool:
    """Whether a column's text is kept (as text, an open code or a number), so that a BSN in it
    would be stored: it is masked. Not ids (they link rows) nor the bsn column (pseudonymised); a
    BSN in a date, a boolean or a closed code (role, level) cannot be parsed, so it rejects its
    row, and the message masks it (:func:`ingest.catalogue.render`)."""
    if column.type in ("code", "codes"):
        return not column.vocabulary.closed
    return column.type in ("text", "integer", "decimal")


def _keep_only_the_reading_problem(table: ValidatedTable, raw: RawTable) -> None:
    """A row that could not be read whole is rejected for that alone: its cells are beside the point."""
    unread = {problem.line for problem in raw.problems}
    if unread:
        found = len(raw.problems)
        table.problems[found:] = [p for p in table.problems[found:] if p.line not in unread]
        found = len(raw.warnings)
        table.warnings[found:] = [p for p in table.warnings[found:] if p.line not in unread]


def _reject_long_cells(table: ValidatedTable, column: str, cells: pd.Series, lang: str) -> pd.Series:
    """Reject each row whose cell is too long to be what the column holds; such cells become empty."""
    lengths = cells.str.len()
    too_long = lengths.gt(MAX_CELL_CHARS)
    for line, length in lengths[too_long].items():
        table.reject(
            render(
                "cell_too_long",
                file=table.name,
                line=line,
                column=column,
                found=number(int(length), lang),
                expected=number(MAX_CELL_CHARS, lang),
                lang=lang,
            )
        )
    return cells.where(~too_long, "")


def _mask_bsns(table: ValidatedTable, column: str, cells: pd.Series, lang: str) -> pd.Series:
    """Mask every BSN in the column's cells, with a warning for each cell that held one."""
    masked, lines = parse.mask_bsn_cells(cells)
    for line in lines:
        table.warnings.append(
            render("bsn_in_text", file=table.name, line=line, column=column, expected=BSN_MASK, lang=lang)
        )
    return masked


def _masked_header(table: ValidatedTable, raw: RawTable, header: str, lang: str) -> str:
    """An ignored column's name as listed in the report: masked, with a warning, if it holds a BSN."""
    masked, found = mask_bsns(header)
    if found:
        table.warnings.append(
            render(
                "bsn_in_text",
                file=raw.name,
                line=raw.header_line,
                column=masked,
                expected=BSN_MASK,
                lang=lang,
            )
        )
    return masked


def _map_header(raw: RawTable, spec: Table, lang: str) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    ignored = []
    for position, header in enumerate(raw.header):
        column = next((c for c in spec.file_columns if c.matches(header)), None)
        if column is None:
            if header:
                ignored.append(header)
            continue
        seen.setdefault(column.name, []).append(header)
        positions.setdefault(column.name, position)
    for name, headers in seen.items():
        if len(headers) > 1:
            found = ", ".join(headers)
            problem = render("duplicate_column", file=raw.name, line=1, column=name, found=found, lang=lang)
            raise FileLevelError(problem)
    for column in spec.file_columns:
        if column.required and column.name not in positions:
            found = ", ".join(h for h in raw.header if h) or phrase("no_columns", lang)
            problem = render(
                "missing_column", file=raw.name, line=1, column=column.name, found=found, lang=lang
            )
            raise FileLevelError(problem)
    return positions, ignored


def _parse_column(
    table: ValidatedTable, column: Column, cells: pd.Series, raw: RawTable, lang: str
) -> pd.Series:
    name = column.name
    if column.type == "bsn":
        # bool dtype also for an empty column (a file with a header only)
        valid = parse.elfproef_cells(cells)
        for line in cells.index[cells.ne("") & ~valid]:
            table.reject(render("invalid_bsn", file=raw.name, line=line, column=name, lang=lang))
        return cells.astype(object).where(cells.ne("") & valid, None)
    if column.type == "codes":
        parsed = parse.parse_code_list(cells, column.vocabulary)
        for line, unknown in parsed.unknown[parsed.unknown.map(bool)].items():
            for value in unknown:
                table.warnings.append(
                    render(
                        "unknown_code",
                        file=raw.name,
                        line=line,
                        column=name,
                        value=value,
                        lang=lang,
                    )
                )
        return parsed.values
    parsed, code, expected = _typed(column, cells, raw.decimal_comma)
    for line in cells.index[parsed.failed]:
        table.reject(
            render(
                code,
                file=raw.name,
                line=line,
                column=name,
                value=cells[line],
                expected=expected,
                lang=lang,
            )
        )
    if parsed.unknown is not None:
        for line in cells.index[parsed.unknown]:
            table.warnings.append(
                render(
                    "unknown_code",
                    file=raw.name,
                    line=line,
                    column=name,
                    value=parsed.values[line],
                    lang=lang,
                )
            )
    return parsed.values


def _typed(column: Column, cells: pd.Series, decimal_comma: bool) -> tuple[parse.Parsed, str, str]:
    """The column's cells parsed, the code of a cell that fails, and what was expected instead."""
    if column.type == "code":
        vocabulary = column.vocabulary
        parsed = parse.parse_code(cells, vocabulary, closed=vocabulary.closed)
        return parsed, f"unknown_{vocabulary.name}", ", ".join(vocabulary.codes)
    if column.type == "decimal":
        hint = N_("decimal mark ',' or '.'") if decimal_comma else N_("decimal mark '.'")
        return parse.parse_decimal(cells, decimal_comma=decimal_comma), "invalid_decimal", hint
    parser, code = _PARSERS[column.type]
    return parser(cells), code, ""


def _apply_row_rules(table: ValidatedTable, stem: str, lang: str) -> None:
    model, columns = ROW_RULES[stem]
    already = {(p.line, p.column) for p in table.problems}
    checked = table.frame[~table.frame.index.isin(table.rejected_lines)]
    try:
        model.validate(checked, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["check"].isin(columns)].drop_duplicates(["check", "index"])
        for code, line in zip(cases["check"], cases["index"], strict=True):
            column, expected = columns[code]
            if (line, column) in already:
                continue
            value, expected = _rule_details(table.frame, code, column, int(line), expected)
            table.reject(
                render(
                    code,
                    file=table.name,
                    line=int(line),
                    column=column,
                    value=value,
                    expected=expected,
                    lang=lang,
                )
            )


def _rule_details(frame: pd.DataFrame, code: str, column: str, line: int, expected: str) -> tuple:
    value = frame.at[line, column]
    if code == "duplicate_id":
        first = frame.index[frame[column].eq(value)][0]
        return value, first
    if code == "end_before_start":
        return value, frame.at[line, "start_date"]
    if code == "self_awareness":
        return value, expected
    return value, expected
