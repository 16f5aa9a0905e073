"""What the ``carecircle`` command itself says, in English and Dutch, declared once."""

import errno

import click

from graph.numbers import grouped

__all__ = ["OS_REASONS", "TEXTS", "reason", "say", "text"]

#: the command's own words, key -> (English, Dutch); whole numbers are grouped for the language
TEXTS: dict[str, tuple[str, str]] = {
    "error": ("error: {message}", "fout: {message}"),
    "aborted": ("aborted", "afgebroken"),
    "interrupted": ("interrupted; nothing was written", "onderbroken; er is niets opgeslagen"),
    "internal": (
        "internal error ({name}); please report it. Set CARECIRCLE_DEBUG=1 to see details.",
        "interne fout ({name}); meld die alstublieft. Zet CARECIRCLE_DEBUG=1 om details te zien.",
    ),
    "dataset": ("{dataset} — as of {as_of}", "{dataset} — peildatum {as_of}"),
    "file_counts": (
        "  {name:<24} {read:>8} read  {accepted:>8} accepted  {rejected:>6} rejected",
        "  {name:<24} {read:>8} gelezen  {accepted:>8} opgenomen  {rejected:>6} afgewezen",
    ),
    "rejected": ("{count} rejected:", "{count} afgewezen:"),
    "warnings": ("{count} warnings:", "{count} waarschuwingen:"),
    "more": ("  … {count} more (see the report)", "  … nog {count} (zie het rapport)"),
    "ignored_columns": ("ignored columns {name}: {columns}", "genegeerde kolommen {name}: {columns}"),
    "stored": ("stored in {store}", "opgeslagen in {store}"),
    "replaced": (
        "replaced the snapshot of {as_of} ingested at {ingested_at} (dataset {dataset})",
        "verving de peildatum {as_of} die op {ingested_at} was ingelezen (dataset {dataset})",
    ),
    "report": ("report: {path}", "rapport: {path}"),
    "not_written": ("{message}; nothing was written", "{message}; er is niets opgeslagen"),
    "strict_refused": (
        "--strict: rows were rejected, nothing was written",
        "--strict: er zijn rijen afgewezen, er is niets opgeslagen",
    ),
    "report_unwritable": (
        "cannot write the report {path} ({reason}); nothing was written; choose another place with --report",
        "kan het rapport {path} niet schrijven ({reason}); er is niets opgeslagen; kies een andere plek"
        " met --report",
    ),
    "report_not_moved": (
        "the snapshot of {as_of} WAS stored in {store}, but its report could not be put at {path}"
        " ({reason}); the report is in {temporary}, and stored with the snapshot",
        "de peildatum {as_of} IS opgeslagen in {store}, maar het rapport kon niet naar {path} ({reason});"
        " het rapport staat in {temporary}, en bij de peildatum in de opslag",
    ),
    "audit_log_unwritable": (
        "cannot write the audit log {path} ({reason}); choose another with --audit-log",
        "kan het auditlogboek {path} niet schrijven ({reason}); kies een ander met --audit-log",
    ),
    "audit_log": ("audit log: {path}", "auditlogboek: {path}"),
    "dashboard_ready": (
        "carecircle dashboard: {url}  (Ctrl+C to stop)",
        "carecircle-dashboard: {url}  (Ctrl+C om te stoppen)",
    ),
    "cannot_listen": (
        "cannot listen on {host}:{port} ({reason}); is another server running there?"
        " Choose another with --port",
        "kan niet luisteren op {host}:{port} ({reason}); draait daar al een server?"
        " Kies een andere met --port",
    ),
    "rows_rejected": (
        "{count} rows rejected; run carecircle ingest for the report",
        "{count} rijen afgewezen; voer carecircle ingest uit voor het rapport",
    ),
    "sample_data": (
        "sample data: {residents} residents, snapshots {dates}",
        "voorbeeldgegevens: {residents} bewoners, peildata {dates}",
    ),
    "store": ("store: {path}", "opslag: {path}"),
}

#: why a file could not be written, by errno: (English, Dutch)
OS_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("no permission to write there", "geen schrijfrecht daar"),
    errno.EPERM: ("no permission to write there", "geen schrijfrecht daar"),
    errno.EROFS: ("the file system is read-only", "het bestandssysteem is alleen-lezen"),
    errno.ENOSPC: ("the disk is full", "de schijf is vol"),
    errno.EDQUOT: ("the disk quota is used up", "het schijfquotum is op"),
    errno.EISDIR: ("a folder of that name is in the way", "er staat een map met die naam"),
    errno.ENOTDIR: (
        "part of the path is a file, not a folder",
        "een deel van het pad is een bestand, geen map",
    ),
    errno.ENOENT: ("its folder does not exist", "de map bestaat niet"),
}


def text(key: str, lang: str, **params: object) -> str:
    """The command's text ``key`` in ``lang`` ("en" or "nl"), with ``params`` filled in.

    Examples
    --------
    >>> text("stored", "nl", store="carecircle.db")
    'opgeslagen in carecircle.db'
    >>> text("rejected", "en", count=12345), text("rejected", "nl", count=12345)
    ('12,345 rejected:', '12.345 afgewezen:')
    """
    english, dutch = TEXTS[key]
    values = {name: grouped(value, lang) if type(value) is int else value for name, value in params.items()}
    return (dutch if lang == "nl" else english).format(**values)


def say(key: str, lang: str, *, err: bool = False, **params: object) -> None:
    """Print the text ``key`` in ``lang`` (to stderr with ``err``)."""
    click.echo(text(key, lang, **params), err=err)


def reason(error: OSError, lang: str) -> str:
    """Why a file could not be written, in ``lang``; the errno's name when it is a rare one."""
    if error.errno not in OS_REASONS:
        return errno.errorcode.get(error.errno or 0, type(error).__name__)
    english, dutch = OS_REASONS[error.errno]
    return dutch if lang == "nl" else english
