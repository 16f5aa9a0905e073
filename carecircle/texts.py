"""What the ``carecircle`` command itself says, declared once in English and translated when shown."""

import errno

import click

from graph.language import N_, number, translate

__all__ = ["OS_REASONS", "TEXTS", "reason", "say", "text"]

#: the command's own words, key -> English text (translated by :func:`text`); texts with a count
#: that changes the words are translated where they are shown, with ``translate_plural``
TEXTS: dict[str, str] = {
    "error": N_("error: {message}"),
    "aborted": N_("aborted"),
    "interrupted": N_("interrupted; nothing was written"),
    "internal": N_("internal error ({name}); please report it. Set CARECIRCLE_DEBUG=1 to see details."),
    "dataset": N_("{dataset} — as of {as_of}"),
    "file_counts": N_("  {name:<24} {read:>8} read  {accepted:>8} accepted  {rejected:>6} rejected"),
    "rejected": N_("{count} rejected:"),
    "more": N_("  … {count} more (see the report)"),
    "ignored_columns": N_("ignored columns {name}: {columns}"),
    "stored": N_("stored in {store}"),
    "replaced": N_("replaced the snapshot of {as_of} ingested at {ingested_at} (dataset {dataset})"),
    "report": N_("report: {path}"),
    "not_written": N_("{message}; nothing was written"),
    "strict_refused": N_("--strict: rows were rejected, nothing was written"),
    "report_unwritable": N_(
        "cannot write the report {path} ({reason}); nothing was written; choose another place with --report"
    ),
    "report_not_moved": N_(
        "the snapshot of {as_of} WAS stored in {store}, but its report could not be put at {path} "
        "({reason}); the report is in {temporary}, and stored with the snapshot"
    ),
    "audit_log_unwritable": N_(
        "cannot write the audit log {path} ({reason}); choose another with --audit-log"
    ),
    "audit_log": N_("audit log: {path}"),
    "dashboard_ready": N_("carecircle dashboard: {url}  (Ctrl+C to stop)"),
    "dashboard_stopped": N_("carecircle dashboard stopped"),
    "cannot_listen": N_(
        "cannot listen on {host}:{port} ({reason}); is another server running there? Choose "
        "another with --port"
    ),
    "store": N_("store: {path}"),
    "generating": N_("generating {residents}"),
    "sample_data": N_("sample data: {residents}, snapshots {dates}"),
    "wrote": N_("wrote {path}"),
    "wrote_dataset": N_("wrote {path} ({files})"),
    "storing_snapshot": N_("storing snapshot {as_of}"),
    "generating_sample_data": N_("generating sample data"),
    "ingesting": N_("ingesting {name}"),
    "xlsx_needs_out": N_("--format xlsx needs --out FILE.xlsx"),
    "too_many_paths": N_("expected [DATASET] OUT"),
    "short_password": N_("use a password of at least 10 characters"),
    "dataset_or_store": N_("give either DATASET or --store, not both"),
    "since_needs_store": N_("--since needs --store: a dataset folder has no earlier snapshot"),
    "since_not_stored": N_("--since {since}: no snapshot of that date is stored (stored: {stored})"),
    "since_not_earlier": N_("--since {since} is not before the snapshot of {as_of}"),
    "unknown_neighbourhood": N_("no neighbourhood called {name} (there are: {known})"),
    "date_not_stored": N_("{option} {day}: no snapshot of that date is stored (stored: {stored})"),
    "from_after_to": N_("--from {first} is after --to {last}"),
    "next_ingest": N_("next: carecircle ingest {path}"),
}

#: why a file could not be written, by errno
OS_REASONS: dict[int, str] = {
    errno.EACCES: N_("no permission to write there"),
    errno.EPERM: N_("no permission to write there"),
    errno.EROFS: N_("the file system is read-only"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EISDIR: N_("a folder of that name is in the way"),
    errno.ENOTDIR: N_("part of the path is a file, not a folder"),
    errno.ENOENT: N_("its folder does not exist"),
}


def text(key: str, lang: str, **params: object) -> str:
    """The command's text ``key`` in ``lang`` ("en" or "nl"), with ``params`` filled in.

    Whole numbers are grouped for the language.

    Examples
    --------
    >>> text("stored", "nl", store="carecircle.db")
    'opgeslagen in carecircle.db'
    >>> text("rejected", "en", count=12345), text("rejected", "nl", count=12345)
    ('12,345 rejected:', '12.345 afgewezen:')
    """
    values = {name: number(value, lang) if type(value) is int else value for name, value in params.items()}
    return translate(TEXTS[key], lang, **values)


def say(key: str, lang: str, *, err: bool = False, **params: object) -> None:
    """Print the text ``key`` in ``lang`` (to stderr with ``err``)."""
    click.echo(text(key, lang, **params), err=err)


def reason(error: OSError, lang: str) -> str:
    """Why a file could not be written, in ``lang``; the errno's name when it is a rare one.

    Examples
    --------
    >>> reason(OSError(errno.ENOSPC, "No space left on device"), "nl")
    'de schijf is vol'
    >>> reason(OSError(errno.EMLINK, "Too many links"), "nl")
    'EMLINK'
    """
    if error.errno not in OS_REASONS:
        return errno.errorcode.get(error.errno or 0, type(error).__name__)
    return translate(OS_REASONS[error.errno], lang)
