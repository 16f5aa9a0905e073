"""The analysis as CSV files and as a terminal table (``analyze --format csv|table``)."""

import csv
import io
from pathlib import Path

from graph.export import FORMULA_START, safe_cells
from graph.labels import GAP_TYPES as GAP_LABELS
from graph.labels import label

__all__ = ["csv_tables", "write_csv", "write_table", "write_xlsx"]

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
    if out is None:
        name = "gaps.csv" if "gaps.csv" in tables else "neighbourhoods.csv"
        _write(stdout, *tables[name])
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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in csv_tables(result).items():
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
    "neighbourhood": ("neighbourhood", "wijk"),
    "residents": ("residents", "bewoners"),
    "residents_with_circle": ("circle ≥ 2", "kring ≥ 2"),
    "mean_awareness_coverage": ("coverage", "bekendheid"),
    "caregiver_visibility": ("caregivers seen", "mantelzorg in beeld"),
    "residents_with_gaps": ("with gaps", "met knelpunt"),
}
_RESIDENT_TABLE = {
    "resident_id": ("resident", "bewoner"),
    "neighbourhood": ("neighbourhood", "wijk"),
    "circle_size": ("helpers", "hulpverleners"),
    "awareness_coverage": ("coverage", "bekendheid"),
    "gap_count": ("gaps", "knelpunten"),
}


def write_table(result: dict, console, lang: str = "en") -> None:
    """Print a readable summary with rich tables: neighbourhoods, gaps by type, the helper network,
    and (team role) the residents with the most gaps."""
    nl = lang == "nl"
    console.print(
        f"[bold]carecircle[/bold] — {'peildatum' if nl else 'as of'} {result['as_of']} "
        f"({'rol' if nl else 'role'}: {result['role']})"
    )
    console.print(_area_table(result, nl))
    console.print(_gap_table(result["overall"], lang))
    console.print(_network_line(result["helper_network"], nl))
    if "gaps" in result:
        console.print(_worst_residents_table(result["residents"], nl))


def _area_table(result: dict, nl: bool):
    from rich.table import Table

    areas = Table(title="Wijken" if nl else "Neighbourhoods")
    for column, names in _AREA_COLUMNS.items():
        if column == "neighbourhood":
            areas.add_column(names[nl], no_wrap=True)
        else:
            areas.add_column(names[nl], justify="right")
    for summary in [
        *result["neighbourhoods"],
        {"neighbourhood": "(totaal)" if nl else "(overall)", **result["overall"]},
    ]:
        areas.add_row(*(_cell(summary[c]) for c in _AREA_COLUMNS))
    return areas


def _gap_table(overall: dict, lang: str):
    from rich.table import Table

    nl = lang == "nl"
    gap_table = Table(title="Knelpunten per soort" if nl else "Gaps by type")
    gap_table.add_column("soort" if nl else "type")
    gap_table.add_column("aantal" if nl else "count", justify="right")
    for gap_type, count in overall["gaps_by_type"].items():
        gap_table.add_row(label(GAP_LABELS, gap_type, lang), _cell(count))
    return gap_table


def _network_line(network: dict, nl: bool) -> str:
    words = ("hulpverleners", "dichtheid", "componenten", "geïsoleerd") if nl else (
        "helpers", "density", "components", "isolated")  # fmt: skip
    return (
        f"{'Netwerk van hulpverleners' if nl else 'Helper network'}: {_cell(network['helpers'])} {words[0]}, "
        f"{words[1]} {_cell(network['density'])}, {_cell(network['components'])} {words[2]}, "
        f"{_cell(network['isolated_count'])} {words[3]}"
    )


def _worst_residents_table(residents: list[dict], nl: bool):
    from rich.table import Table

    worst = sorted(residents, key=lambda r: (-r["gap_count"], r["resident_id"]))[:10]
    top = Table(title="Bewoners met de meeste knelpunten" if nl else "Residents with most gaps")
    for column, names in _RESIDENT_TABLE.items():
        top.add_column(names[nl], justify="left" if column in ("resident_id", "neighbourhood") else "right")
    for row in worst:
        top.add_row(*(_cell(row[c]) for c in _RESIDENT_TABLE))
    return top


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
