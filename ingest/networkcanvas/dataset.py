"""The output of a Network Canvas import: a SPEC §3 dataset folder, put in place whole or not at all.

The folder is built beside its place (same file system), then renamed into it. A folder already
there is replaced only when it is an earlier import (it holds :data:`REPORT_NAME`) or empty; a
user's other folder is never touched. Nothing half-written stays behind on an error, Ctrl+C or
SIGTERM: the temporary folder is removed, and the two renames that swap an earlier import for the
new one run with those signals held back.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import tomli_w

from graph.schema import SCHEMA
from ingest.catalogue import FileLevelError, render

__all__ = ["REPORT_NAME", "write_dataset"]

#: the import's report, also the mark of a folder an import wrote
REPORT_NAME = "networkcanvas-report.json"


def write_dataset(
    out: Path,
    tables: dict[str, list[dict]],
    *,
    name: str,
    as_of: date,
    report: dict,
    lang: str = "en",
) -> None:
    """Write the dataset folder ``out``: one CSV file per table of ``tables``, dataset.toml, the report.

    CSV files are written as ingest reads them: UTF-8, ``,`` between cells, quotes where a cell
    needs them, lists already joined by ``|``. A table missing from ``tables`` (organisations,
    when none are mapped) gets no file.

    Raises
    ------
    FileLevelError
        ``foreign_output`` when ``out`` is something other than an earlier import or an empty
        folder; ``output_unwritable`` when the folder cannot be written (nothing is left behind).
    """
    _check_place(out, lang)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
        temporary.mkdir()  # as a folder made by hand: its permissions follow the umask
    except OSError as error:
        raise _unwritable(out, error, lang) from error
    try:
        for table, rows in tables.items():
            _write_csv(temporary / SCHEMA[table].file_name, _columns(table, rows), rows)
        _write_text(temporary / "dataset.toml", tomli_w.dumps({"name": name, "as_of": as_of}))
        _write_text(temporary / REPORT_NAME, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        _swap_into_place(temporary, out)
    except OSError as error:
        raise _unwritable(out, error, lang) from error
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _check_place(out: Path, lang: str) -> None:
    """Refuse ``out`` unless it is free, an empty folder, or a folder an earlier import wrote."""
    if not out.exists() and not out.is_symlink():
        return
    if out.is_dir() and not out.is_symlink() and ((out / REPORT_NAME).is_file() or not any(out.iterdir())):
        return
    raise FileLevelError(render("foreign_output", file=str(out), expected=REPORT_NAME, lang=lang))


def _columns(table: str, rows: list[dict]) -> tuple[str, ...]:
    """The columns of ``table`` (SPEC §3, in the schema's order) that its rows fill, and the required
    ones (a file without rows still has its header).

    Examples
    --------
    >>> _columns("support", [{"resident_id": "R1", "helper_id": "nc:a", "domains": "meals"}])
    ('helper_id', 'resident_id', 'domains')
    >>> _columns("organisations", [])
    ('organisation_id', 'name')
    """
    filled = {name for row in rows for name in row}
    spec = SCHEMA[table]
    return tuple(column.name for column in spec.file_columns if column.required or column.name in filled)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
        handle.flush()
        os.fsync(handle.fileno())


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _swap_into_place(temporary: Path, out: Path) -> None:
    """Rename ``temporary`` to ``out``; an earlier ``out`` is moved aside first and removed after.

    If the second rename fails, the earlier folder is put back.
    """
    with _signals_held():
        earlier = None
        if out.exists():
            earlier = out.with_name(f".{out.name}.{secrets.token_hex(4)}.old")
            out.rename(earlier)
        try:
            temporary.rename(out)
        except OSError:
            if earlier is not None:
                earlier.rename(out)
            raise
    if earlier is not None:
        shutil.rmtree(earlier, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM in the block (delivered right after it); only the main thread can."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _unwritable(out: Path, error: OSError, lang: str) -> FileLevelError:
    found = f"{error.strerror or type(error).__name__} ({error.filename or out})"
    return FileLevelError(render("output_unwritable", file=str(out), found=found, lang=lang))
