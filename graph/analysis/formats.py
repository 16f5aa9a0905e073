"""The analysis as CSV files and as a terminal table (``analyze --format csv|table``)."""

import csv
import io
from pathlib import Path

from graph.export import FORMULA_START, safe_cells
from graph.labels import GAP_TYPES as GAP_LABELS
from graph.labels import label
from graph.language import N_, decimal, number, translate

__all__ = ["csv_tables", "write_csv", "write_table", "write_table_files", "write_workbook", "write_xlsx"]

_RESIDENT_COLUMNS = (
    "resident_id", "neighbourhood", "circle_size", "formal", "informal", "caregivers", "organisations",
    "awareness_coverage", "mutual_share", "gap_count",
)  # fmt: skip
_GAP_COLUMNS = ("resident_id", "type", "severity", "helpers", "domains", "message", "action")


def csv_tables(result: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The JSON result as flat tables: file name -> (header, rows); resident tables only for the team."""
    tables = {}
    if "residents" in result:
        tables["residents.csv"] = (
            list(_RESIDENT_COLUMNS),
            [[row[c] for c in _RESIDENT_COLUMNS] for row in result["residents"]],
        )
        tables["gaps.csv"] = (
            list(_GAP_COLUMNS),
            [
                [gap[c] if not isinstance(gap[c], list) else "|".join(gap[c]) for c in _GAP_COLUMNS]
                for gap in result["gaps"]
            ],
        )
    summaries = [*result["neighbourhoods"], {"neighbourhood": "(overall)", **result["overall"]}]
    header = _flat_header(summaries[0])
    tables["neighbourhoods.csv"] = (header, [_flat_row(s, header) for s in summaries])
    tables["organisations.csv"] = (
        ["a", "b", "cross_pairs", "aware_share", "mutual_share"],
        [
            [o["a"], o["b"], o["cross_pairs"], o["aware_share"], o["mutual_share"]]
            for o in result["organisations"]
        ],
    )
    return tables


def write_csv(result: dict, out: Path | None, stdout: io.TextIOBase) -> list[Path]:
    """Write every table to the folder ``out``; without ``out``, print the main table to ``stdout``."""
    tables = csv_tables(result)
    main = "gaps.csv" if "gaps.csv" in tables else "neighbourhoods.csv"
    return write_table_files(tables, out, stdout, main)


def write_table_files(
    tables: dict[str, tuple[list[str], list[list]]], out: Path | None, stdout: io.TextIOBase, main: str
) -> list[Path]:
    """Write each table (file name -> header, rows) as a CSV file in the folder ``out``; without
    ``out``, print the table ``main`` to ``stdout``. Formula-like text cells get a leading '."""
    if out is None:
        _write(stdout, *tables[main])
        return []
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in tables.items():
        with (out / name).open("w", newline="", encoding="utf-8") as handle:
            _write(handle, header, rows)
        written.append(out / name)
    return written


def write_xlsx(result: dict, out: Path) -> Path:
    """Write every table as a sheet of one workbook. A text cell that a spreadsheet would run as
    a formula (starting with = + - @) is stored as text with Excel's quote prefix, so it stays text
    even when someone edits the cell."""
    return write_workbook(csv_tables(result), out)


def write_workbook(tables: dict[str, tuple[list[str], list[list]]], out: Path) -> Path:
    """Write each table (file name -> header, rows) as a sheet named after the file, bold header,
    frozen first row; formula-like text cells are stored as text with Excel's quote prefix."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in tables.items():
        sheet = workbook.create_sheet(name.removesuffix(".csv"))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append(["" if value is None else value for value in values])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        sheet.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _write(handle, header: list[str], rows: list[list]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cells(row))


def _flat_header(summary: dict) -> list[str]:
    header = []
    for key, value in summary.items():
        if isinstance(value, dict):
            header += [f"{key}.{name}" for name in value]
        else:
            header.append(key)
    return header


def _flat_row(summary: dict, header: list[str]) -> list:
    row = []
    for column in header:
        key, _, name = column.partition(".")
        row.append(summary[key][name] if name else summary[key])
    return row


_AREA_COLUMNS = {
    "neighbourhood": N_("neighbourhood"),
    "residents": N_("residents"),
    "residents_with_circle": N_("circle ≥ 2"),
    "mean_awareness_coverage": N_("coverage"),
    "caregiver_visibility": N_("caregivers seen"),
    "residents_with_gaps": N_("with gaps"),
}
_RESIDENT_TABLE = {
    "resident_id": N_("resident"),
    "neighbourhood": N_("neighbourhood"),
    "circle_size": N_("helpers"),
    "awareness_coverage": N_("coverage"),
    "gap_count": N_("gaps"),
}

_NETWORK_LINE = N_(
    "Helper network: helpers {helpers}, density {density}, components {components}, isolated {isolated}"
)
#: field of the network line -> key of the helper network in the result
_NETWORK_FIGURES = {
    "helpers": "helpers",
    "density": "density",
    "components": "components",
    "isolated": "isolated_count",
}


def write_table(result: dict, console, lang: str = "en") -> None:
    """Print a readable summary with rich tables: neighbourhoods, gaps by type, the helper network,
    and (team role) the residents with the most gaps; numbers are written the language's way."""
    from rich.table import Table

    overall = result["overall"]
    console.print(
        "[bold]carecircle[/bold] — "
        + translate(N_("as of {as_of} (role: {role})"), lang, as_of=result["as_of"], role=result["role"])
    )
    areas = Table(title=translate(N_("Neighbourhoods"), lang))
    for column, name in _AREA_COLUMNS.items():
        if column == "neighbourhood":
            areas.add_column(translate(name, lang), no_wrap=True)
        else:
            areas.add_column(translate(name, lang), justify="right")
    for summary in [
        *result["neighbourhoods"],
        {"neighbourhood": translate(N_("(overall)"), lang), **overall},
    ]:
        areas.add_row(*(_cell(summary[c], lang) for c in _AREA_COLUMNS))
    console.print(areas)
    gap_table = Table(title=translate(N_("Gaps by type"), lang))
    gap_table.add_column(translate(N_("type"), lang))
    gap_table.add_column(translate(N_("count"), lang), justify="right")
    for gap_type, count in overall["gaps_by_type"].items():
        gap_table.add_row(label(GAP_LABELS, gap_type, lang), _cell(count, lang))
    console.print(gap_table)
    network = result["helper_network"]
    figures = {name: _cell(network[key], lang) for name, key in _NETWORK_FIGURES.items()}
    console.print(translate(_NETWORK_LINE, lang, **figures))
    if "gaps" in result:
        worst = sorted(result["residents"], key=lambda r: (-r["gap_count"], r["resident_id"]))[:10]
        top = Table(title=translate(N_("Residents with most gaps"), lang))
        for column, name in _RESIDENT_TABLE.items():
            top.add_column(
                translate(name, lang),
                justify="left" if column in ("resident_id", "neighbourhood") else "right",
            )
        for row in worst:
            top.add_row(*(_cell(row[c], lang) for c in _RESIDENT_TABLE))
        console.print(top)


def _cell(value, lang: str) -> str:
    """A table cell: a dash for nothing, numbers written the language's way, text as it is."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return decimal(value, lang, 3)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, lang)
    return str(value)
