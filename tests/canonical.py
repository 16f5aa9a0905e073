"""Write a Snapshot as a canonical dataset folder (SPEC §3), for round-trip tests."""

import csv
from datetime import date
from pathlib import Path

import tomli_w

from graph.model import Snapshot
from ingest.schemas import FILES


def cell(value: object) -> str:
    """The canonical text of one value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "|".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_canonical(snapshot: Snapshot, folder: Path, bsns: dict[str, str] | None = None) -> Path:
    """Write ``snapshot`` to ``folder``; ``bsns`` maps resident ids to raw BSNs to include."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(
        tomli_w.dumps({"name": snapshot.name, "as_of": snapshot.as_of}), encoding="utf-8"
    )
    for table, spec in FILES.items():
        columns = spec.column_names
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for record in snapshot.records(table):
                if table == "residents":
                    record = {**record, "bsn": (bsns or {}).get(record["resident_id"])}
                writer.writerow([cell(record[column]) for column in columns])
    return folder
