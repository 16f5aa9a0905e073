"""The Network Canvas import end to end: mapping, export, conversion, the dataset folder and its report."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ingest.bsn import BSN_MASK, mask_bsns
from ingest.catalogue import render
from ingest.networkcanvas.convert import Conversion, convert
from ingest.networkcanvas.dataset import REPORT_NAME, write_dataset
from ingest.networkcanvas.export import open_export, read_interviews
from ingest.networkcanvas.mapping import load_mapping
from ingest.report import IngestReport

__all__ = ["REPORT_NAME", "import_networkcanvas"]


def import_networkcanvas(
    export: Path,
    mapping: Path,
    out: Path,
    *,
    as_of: date | None = None,
    lang: str = "en",
    today: Callable[[], date] = date.today,
) -> dict:
    """Turn the Network Canvas export at ``export`` (folder or .zip) into the dataset folder ``out``.

    The mapping is read and checked first, then the export; only then is anything converted,
    and ``out`` is written whole at the end (:func:`~ingest.networkcanvas.dataset.write_dataset`).

    Parameters
    ----------
    export : Path
        The export folder, or the zip Network Canvas made.
    mapping : Path
        The mapping file (SPEC §12).
    out : Path
        The dataset folder to write.
    as_of : date, optional
        The snapshot date; by default the latest date of an interview used (else today, with a
        warning).
    lang : {"en", "nl"}
        Language of the messages.

    Returns
    -------
    dict
        The report, as written to ``out``/:data:`REPORT_NAME`: the ingest report's form (SPEC §4),
        plus ``ignored_types`` (``{"nodes": [...], "edges": [...]}``) and ``written`` (true).

    Raises
    ------
    FileLevelError
        On a file-level problem of the mapping, the export or ``out``; nothing is written then.
    """
    checked = load_mapping(mapping, lang)
    with open_export(export, lang) as found:
        conversion = convert(found, read_interviews(found, checked, lang), checked, lang)
        # the protocol's name says what the interviews were about; else the folder's or zip's name
        name = conversion.protocol or found.name
    report = _report(name, conversion, as_of, today, lang)
    tables = {
        "residents": conversion.residents,
        "helpers": conversion.helpers,
        "support": conversion.support,
        "awareness": conversion.awareness,
    }
    if checked.helpers.organisation is not None:
        tables["organisations"] = conversion.organisations
    write_dataset(
        out, tables, name=report.dataset, as_of=report.as_of, report=_form(report, conversion), lang=lang
    )
    return _form(report, conversion)


def _report(
    name: str, conversion: Conversion, as_of: date | None, today: Callable[[], date], lang: str
) -> IngestReport:
    """The report: the dataset's name (a BSN in it masked), its date, and what the conversion found."""
    warnings = []
    shown, masked = mask_bsns(name)
    if masked:
        warnings.append(render("bsn_in_text", file=shown, column="name", expected=BSN_MASK, lang=lang))
    snapshot_date = as_of or conversion.latest
    if snapshot_date is None:
        snapshot_date = today()
        warnings.append(render("no_interview_date", file=shown, value=snapshot_date.isoformat(), lang=lang))
    return IngestReport(
        shown,
        snapshot_date,
        files=conversion.files,
        rejected=conversion.rejected,
        warnings=warnings + conversion.warnings,
        ignored_columns=conversion.ignored_columns,
    )


def _form(report: IngestReport, conversion: Conversion) -> dict:
    return {**report.as_dict(), "ignored_types": conversion.ignored_types, "written": True}
