"""What goes wrong with an SQLite store file, said as a StoreError with a code (SPEC §4): damaged,
locked by another writer, read-only, on a full or failing disk; and the check for damage."""

import errno
import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from graph.errors import StoreError

__all__ = ["check_once", "folder_error", "raise_if_damaged", "store_error", "translating"]

#: per store file (absolute path): the version of it that ``PRAGMA quick_check`` last found undamaged
_UNDAMAGED: dict[Path, tuple[int, int, int, int]] = {}
#: the first bytes of every SQLite database file
_SQLITE_HEADER = b"SQLite format 3\x00"


def translating(*, writing: bool) -> Callable:
    """Make a method of a store (with ``path`` and ``busy_timeout``) raise :func:`store_error`'s
    StoreError for any failure of SQLite; ``writing`` says whether the method writes."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def translated(store, *args, **options):
            try:
                return method(store, *args, **options)
            except sqlite3.Error as error:
                raise store_error(
                    error, store.path, writing=writing, busy_timeout=store.busy_timeout
                ) from error

        return translated

    return decorate


def store_error(error: sqlite3.Error, path: Path, *, writing: bool, busy_timeout: float) -> StoreError:
    """The StoreError, with its code, for a failure of SQLite on the store at ``path``.

    By SQLite's primary result code: CORRUPT and NOTADB → ``damaged`` (``not_a_store`` when the
    file does not even start like a database); BUSY and LOCKED → ``locked``; READONLY, PERM,
    and CANTOPEN while writing → ``read_only``; FULL → ``disk_full``; IOERR → ``disk_error``;
    CANTOPEN while reading → ``cannot_open``; anything else → ``failed``.

    Examples
    --------
    >>> busy = sqlite3.OperationalError("database is locked")
    >>> busy.sqlite_errorcode, busy.sqlite_errorname = sqlite3.SQLITE_BUSY, "SQLITE_BUSY"
    >>> error = store_error(busy, Path("store.db"), writing=True, busy_timeout=30.0)
    >>> error.code, error.params["seconds"]
    ('locked', 30.0)
    """
    code = getattr(error, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    name = getattr(error, "sqlite_errorname", None) or type(error).__name__
    if primary == sqlite3.SQLITE_NOTADB and not _starts_like_sqlite(path):
        return StoreError(code="not_a_store", path=path, detail=name)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(code="damaged", path=path, detail=name)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(code="locked", path=path, seconds=float(busy_timeout))
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or (
        primary == sqlite3.SQLITE_CANTOPEN and writing
    ):
        return StoreError(code="read_only", path=path)
    if primary == sqlite3.SQLITE_FULL:
        return StoreError(code="disk_full", path=path)
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(code="disk_error", path=path, detail=name)
    if primary == sqlite3.SQLITE_CANTOPEN:
        return StoreError(code="cannot_open", path=path, detail=name)
    return StoreError(code="failed", path=path, detail=f"{name}: {error}")


def folder_error(error: OSError, path: Path) -> StoreError:
    """The StoreError for a store whose folder cannot be made."""
    name = errno.errorcode.get(error.errno or 0, type(error).__name__)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(code="read_only", path=path)
    if error.errno == errno.ENOSPC:
        return StoreError(code="disk_full", path=path)
    return StoreError(code="cannot_open", path=path, detail=name)


def raise_if_damaged(connection: sqlite3.Connection, path: Path) -> None:
    """Raise the ``damaged`` StoreError when ``PRAGMA quick_check`` finds a problem in the file.

    The check reads every page and verifies the structure of every table and index (not that
    the indexes match their tables: ``integrity_check`` does that, four times slower). Badly
    damaged files make it fail outright instead: that error is translated the same way.
    """
    (first, *_) = connection.execute("PRAGMA quick_check(1)").fetchone()
    if first != "ok":  # e.g. "*** in database main ***\nPage 39: btreeInitPage() returns error code 11"
        where = " ".join(line for line in first.splitlines() if not line.startswith("***"))
        raise StoreError(code="damaged", path=path, detail=f"quick_check: {where[:200]}")


def check_once(connection: sqlite3.Connection, path: Path) -> None:
    """:func:`raise_if_damaged`, once per version of the file (device, inode, size, modification
    time) in this process: later calls on an unchanged file cost one ``stat``."""
    key, version = path.absolute(), _file_version(path)
    if _UNDAMAGED.get(key) != version:
        raise_if_damaged(connection, path)
        _UNDAMAGED[key] = version


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _file_version(path: Path) -> tuple[int, int, int, int]:
    found = os.stat(path)
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)
