"""The ingest report's file, written so that it appears together with its snapshot or not at all."""

import errno
import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from carecircle.texts import reason, text
from graph.errors import CarecircleError

if TYPE_CHECKING:
    from graph.stores import SnapshotInfo

__all__ = ["PendingReport"]


class PendingReport:
    """An ingest report that appears together with its snapshot, or not at all (SPEC §4).

    :meth:`write` is the store's ``before_commit`` hook: inside the store's transaction it notes
    in the report which snapshot is replaced and writes the report to a temporary file beside
    ``path``; if that fails (a read-only folder, a full disk) the save fails and nothing is
    stored. Once the snapshot is committed, :meth:`publish` renames the file into place;
    :meth:`discard` removes it when the save failed after all.
    """

    def __init__(self, path: Path, report: dict, store: str, lang: str) -> None:
        self.path, self.report, self.store, self.lang = path, report, store, lang
        self.temporary: Path | None = None

    def write(self, replaced: "SnapshotInfo | None") -> None:
        """Note ``replaced`` (a SnapshotInfo, or None) in the report and write it beside ``path``."""
        if replaced is not None:
            self.report["replaced"] = {
                "as_of": replaced.as_of.isoformat(),
                "dataset": replaced.name,
                "ingested_at": replaced.ingested_at,
            }
        try:
            if self.path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(self.path))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
            with open(
                os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8"
            ) as handle:
                handle.write(json.dumps(self.report, indent=2, ensure_ascii=False, default=str) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            self.discard()
            raise CarecircleError(
                text("report_unwritable", self.lang, path=self.path, reason=reason(error, self.lang))
            ) from error

    def publish(self) -> None:
        """Put the written report at its place."""
        try:
            os.replace(self.temporary, self.path)
        except OSError as error:
            why = reason(error, self.lang)
            if not self.report["written"]:
                self.discard()
                raise CarecircleError(
                    text("report_unwritable", self.lang, path=self.path, reason=why)
                ) from error
            raise CarecircleError(
                text(
                    "report_not_moved",
                    self.lang,
                    as_of=self.report["as_of"],
                    store=self.store,
                    path=self.path,
                    reason=why,
                    temporary=self.temporary,
                )
            ) from error

    def discard(self) -> None:
        """Remove the temporary file, if one was made."""
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
