"""The store interface: what every store (embedded SQLite, Neo4j) offers."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, Self

from graph.model import Snapshot

__all__ = ["BeforeCommit", "OneConnection", "SnapshotInfo", "Store"]


@dataclass(frozen=True)
class SnapshotInfo:
    """One stored snapshot: its date, dataset name and table sizes."""

    as_of: date
    name: str
    ingested_at: str
    counts: dict[str, int]


#: called by :meth:`Store.save` just before the new snapshot is made visible, with the snapshot it
#: replaces (or None); an exception from it leaves what readers see as it was
BeforeCommit = Callable[[SnapshotInfo | None], None]


class Store(Protocol):
    """A place where snapshots live. Saving a snapshot is all-or-nothing."""

    def save(
        self, snapshot: Snapshot, report: dict, before_commit: BeforeCommit | None = None
    ) -> SnapshotInfo | None:
        """Store ``snapshot`` and its ingest report, replacing one with the same ``as_of``.

        ``before_commit`` is called once the new rows are written and what they replace is
        known, right before the snapshot becomes visible, with the replaced snapshot (or None).
        It may add to ``report``: the report is stored as it leaves it. An exception from it
        makes the save fail with nothing visible changed, and is raised as it is.
        Returns the replaced snapshot, or None.
        """

    def snapshots(self) -> list[SnapshotInfo]:
        """Return the stored snapshots, oldest first."""

    def load(self, as_of: date | None = None, neighbourhood: str | None = None) -> Snapshot:
        """Return the snapshot of ``as_of``, or the newest one; with ``neighbourhood``, only the
        part of it that one neighbourhood's analysis needs (see :meth:`Snapshot.part`)."""

    def neighbourhoods(self, as_of: date | None = None) -> list[str]:
        """Return the neighbourhoods of the snapshot of ``as_of`` (or the newest one), sorted."""

    def report(self, as_of: date | None = None) -> dict:
        """Return the ingest report of the snapshot of ``as_of``, or of the newest one."""

    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class OneConnection:
    """What every store does with the one connection (or driver) it opens when first used:
    a ``with`` block closes it, and so does :meth:`close`."""

    _connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection, if one was opened."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
