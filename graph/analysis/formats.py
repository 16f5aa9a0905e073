"""The analysis as CSV files and as a terminal table (``analyze --format csv|table``)."""

import csv
import io
from pathlib import Path

from graph.export import safe_cells

__all__ = ["csv_tables", "write_csv", "write_table"]

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


def write_table(result: dict, console, lang: str = "en") -> None:
    """Print a readable summary with rich tables."""
    from rich.table import Table

    nl = lang == "nl"
    overall = result["overall"]
    console.print(
        f"[bold]carecircle[/bold] — {'peildatum' if nl else 'as of'} {result['as_of']} "
        f"({'rol' if nl else 'role'}: {result['role']})"
    )
    areas = Table(title="Wijken" if nl else "Neighbourhoods")
    columns = ("neighbourhood", "residents", "residents_with_circle", "mean_awareness_coverage",
               "caregiver_visibility", "residents_with_gaps")  # fmt: skip
    labels_nl = (
        "wijk",
        "bewoners",
        "met kring ≥ 2",
        "gem. bekendheid",
        "zichtbaarheid mantelzorg",
        "met knelpunt",
    )
    for column, label in zip(columns, labels_nl if nl else columns, strict=True):
        areas.add_column(label.replace("_", " "), justify="left" if column == "neighbourhood" else "right")
    for summary in [
        *result["neighbourhoods"],
        {"neighbourhood": "(totaal)" if nl else "(overall)", **overall},
    ]:
        areas.add_row(*(_cell(summary[c]) for c in columns))
    console.print(areas)
    gap_table = Table(title="Knelpunten per soort" if nl else "Gaps by type")
    gap_table.add_column("type")
    gap_table.add_column("aantal" if nl else "count", justify="right")
    for gap_type, count in overall["gaps_by_type"].items():
        gap_table.add_row(gap_type, _cell(count))
    console.print(gap_table)
    network = result["helper_network"]
    console.print(
        f"{'Netwerk van hulpverleners' if nl else 'Helper network'}: {_cell(network['helpers'])} helpers, "
        f"density {_cell(network['density'])}, {_cell(network['components'])} components, "
        f"{_cell(network['isolated_count'])} isolated"
    )
    if "gaps" in result:
        worst = sorted(result["residents"], key=lambda r: (-r["gap_count"], r["resident_id"]))[:10]
        top = Table(title="Bewoners met de meeste knelpunten" if nl else "Residents with most gaps")
        for label in ("resident_id", "neighbourhood", "circle_size", "awareness_coverage", "gap_count"):
            top.add_column(label.replace("_", " "))
        for row in worst:
            top.add_row(row["resident_id"], row["neighbourhood"], str(row["circle_size"]),
                        _cell(row["awareness_coverage"]), str(row["gap_count"]))  # fmt: skip
        console.print(top)


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
