"""The team's agenda as CSV files, a workbook and one print-ready page (``agenda --format csv|xlsx|html``).

Every writer is a pure function of the agenda object (``carecircle.agenda/1``, SPEC §10) that the
engine builds; the messages in it are already in the chosen language, and the writers add only
their own headings and labels, from the catalogues.
"""

import io
from datetime import date
from pathlib import Path

from graph.analysis.formats import write_table_files, write_workbook
from graph.analysis.print_page import render
from graph.labels import DOMAINS, GAP_TYPES, SEVERITIES, label
from graph.language import LANGUAGES, N_, day, number, translate, translate_plural

__all__ = ["agenda_csv_tables", "agenda_html", "write_agenda_csv", "write_agenda_xlsx"]

#: table -> its columns: the agenda's keys, flattened (``overview_knows`` is overview_holder.knows)
_ITEM_COLUMNS = (
    "rank", "resident_id", "neighbourhood", "high", "medium", "low", "new", "resolved",
    "introduction", "introduction_weight", "introduction_closes", "introduction_message",
    "overview_holder", "overview_knows", "overview_of", "overview_to_introduce", "overview_message",
    "joined", "left",
)  # fmt: skip
_GAP_COLUMNS = (
    "rank", "resident_id", "type", "severity", "status", "helpers", "domains", "message", "action",
)  # fmt: skip
_RESOLVED_COLUMNS = ("rank", "resident_id", "type", "severity", "helpers", "domains")
_MEETING_COLUMNS = ("neighbourhood", "a", "b", "unaware_pairs", "shared_residents", "message")
#: the table printed when csv goes to the terminal: the agenda itself, one line per resident
_MAIN_TABLE = "items.csv"
#: the severities from the most to the least serious: the order of the page's groups
_SEVERITY_ORDER = ("high", "medium", "low")


def agenda_csv_tables(agenda: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The agenda as flat tables: file name -> (header, rows).

    ``items.csv`` has one row per resident (counts, the recommended introduction, the overview
    holder, helpers who joined or left), ``gaps.csv`` one row per open gap and ``resolved.csv`` one
    per resolved gap (both with the resident's rank), ``meetings.csv`` one per pair of
    organisations to invite. Lists are joined with ``|``; nothing (no earlier snapshot, no
    recommendation) is an empty cell.

    Examples
    --------
    >>> agenda = {"items": [], "meetings": [{"neighbourhood": "Oost", "a": "O1", "b": "O2",
    ...           "unaware_pairs": 3, "shared_residents": 2, "message": "Invite O1 and O2"}]}
    >>> tables = agenda_csv_tables(agenda)
    >>> list(tables)
    ['items.csv', 'gaps.csv', 'resolved.csv', 'meetings.csv']
    >>> header, rows = tables["meetings.csv"]
    >>> header
    ['neighbourhood', 'a', 'b', 'unaware_pairs', 'shared_residents', 'message']
    >>> rows
    [['Oost', 'O1', 'O2', 3, 2, 'Invite O1 and O2']]
    """
    items = agenda["items"]
    gaps = [{**gap, **_resident(item)} for item in items for gap in item["gaps"]]
    resolved = [{**gap, **_resident(item)} for item in items for gap in item["resolved"]]
    return {
        "items.csv": _table(_ITEM_COLUMNS, [_item_fields(item) for item in items]),
        "gaps.csv": _table(_GAP_COLUMNS, gaps),
        "resolved.csv": _table(_RESOLVED_COLUMNS, resolved),
        "meetings.csv": _table(_MEETING_COLUMNS, agenda["meetings"]),
    }


def write_agenda_csv(agenda: dict, out: Path | None, stdout: io.TextIOBase) -> list[Path]:
    """Write every table of the agenda as a CSV file in the folder ``out``; without ``out``, print
    ``items.csv`` (the agenda, one line per resident) to ``stdout``.

    Text cells that a spreadsheet would run as a formula (starting with = + - @) get a leading '.

    Parameters
    ----------
    agenda : dict
        The agenda object (``carecircle.agenda/1``).
    out : Path or None
        The folder to write ``items.csv``, ``gaps.csv``, ``resolved.csv`` and ``meetings.csv`` to
        (made when missing); None prints ``items.csv``.
    stdout : text stream
        Where ``items.csv`` goes without ``out``.

    Returns
    -------
    list of Path
        The files written, in table order; empty when printed.
    """
    return write_table_files(agenda_csv_tables(agenda), out, stdout, _MAIN_TABLE)


def write_agenda_xlsx(agenda: dict, out: Path) -> Path:
    """Write every table of the agenda as a sheet of one workbook (items, gaps, resolved,
    meetings); formula-like text is stored as text with Excel's quote prefix.

    Parameters
    ----------
    agenda : dict
        The agenda object (``carecircle.agenda/1``).
    out : Path
        The workbook to write; its folder is made when missing.

    Returns
    -------
    Path
        ``out``.
    """
    return write_workbook(agenda_csv_tables(agenda), out)


def _resident(item: dict) -> dict:
    return {"rank": item["rank"], "resident_id": item["resident_id"]}


def _table(columns: tuple[str, ...], records: list[dict]) -> tuple[list[str], list[list]]:
    return list(columns), [[_flat(record[column]) for column in columns] for record in records]


def _flat(value):
    """A cell: a list joined with |, anything else as it is (None is written as an empty cell)."""
    return "|".join(value) if isinstance(value, list) else value


def _item_fields(item: dict) -> dict:
    """The row of ``items.csv`` for one agenda item, keyed by its columns."""
    introduction = item["introduction"] or {}
    holder = item["overview_holder"] or {}
    circle = item.get("circle") or {}
    return {
        **_resident(item),
        "neighbourhood": item["neighbourhood"],
        **{name: item["counts"][name] for name in ("high", "medium", "low", "new", "resolved")},
        "introduction": introduction.get("helpers"),
        "introduction_weight": introduction.get("weight"),
        "introduction_closes": [gap["type"] for gap in introduction["closes"]] if introduction else None,
        "introduction_message": introduction.get("message"),
        "overview_holder": holder.get("helper_id"),
        "overview_knows": holder.get("knows"),
        "overview_of": holder.get("of"),
        "overview_to_introduce": holder.get("to_introduce"),
        "overview_message": holder.get("message"),
        "joined": circle.get("joined"),
        "left": circle.get("left"),
    }


# --- the page ---------------------------------------------------------------------------------------

#: the page's own words; the messages come with the agenda
_TEXTS = {
    "legend": N_("Legend"),
    "next_steps": N_("Next steps"),
    "introduction": N_("Introduction"),
    "overview_holder": N_("Who holds the overview"),
    "open_gaps": N_("Open gaps"),
    "status": N_("Status"),
    "gap": N_("Gap"),
    "problem": N_("Problem"),
    "action": N_("Suggested action"),
    "severity": N_("Severity"),
    "helpers": N_("Helpers"),
    "domains": N_("Domains"),
    "counts": N_("Gaps of this resident"),
    "meetings": N_("Who to invite to a neighbourhood meeting"),
    "invite": N_("Invite"),
    "unaware_pairs": N_("Helpers who do not know each other"),
    "shared_residents": N_("Shared residents"),
    "no_introduction": N_("No single introduction closes one of these gaps."),
    "nothing": N_("Nothing to discuss: no resident has an open or a resolved gap."),
    "no_meetings": N_(
        "No pair of organisations has helpers who share a resident without knowing each other."
    ),
    "team_only": N_("For the district team only: this page names residents and helpers. Do not pass it on."),
}
_TITLE = N_("Agenda for the case meeting, {as_of}")
_TITLE_SINCE = N_("Agenda for the case meeting, {as_of} — changes since {since}")
_RESOLVED_SINCE = N_("Resolved since {since}")
_FILTER = N_("Neighbourhood: {neighbourhood}")
_ITEM_HEADING = N_("{rank}. Resident {resident} — {neighbourhood}")
#: the heading of a group of gaps: the same words as the counts and the legend
_GROUP = N_("Severity: {severity}")
_STATUSES = {"new": N_("new"), "persisting": N_("persisting")}
#: count -> its label on the page; new and resolved only when there is an earlier snapshot
_COUNTS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
_CHANGE_COUNTS = {"new": N_("new"), "resolved": N_("resolved")}
_CIRCLE_CHANGES = {
    "joined": N_("Joined the circle: {helpers}"),
    "left": N_("Left the circle: {helpers}"),
}
_LEGEND = (
    N_("Residents are ranked by new high gaps, then high gaps, new medium gaps, medium gaps and low gaps."),
    N_("High, medium, low: how seriously a gap puts the resident's support at risk."),
    N_("Next steps: the one introduction between two helpers that closes the most gaps, and who should "
       "hold the overview when nobody does."),
)  # fmt: skip
_LEGEND_SINCE = (
    N_("NEW: the gap was not there on {since}. PERSISTING: it was there already."),
    N_("Resolved: a gap that was there on {since} and is gone now."),
)
_LEGEND_FIRST = N_(
    "There is no earlier snapshot to compare with: gaps carry no new or persisting mark and none "
    "are listed as resolved."
)


def agenda_html(agenda: dict, lang: str = "en") -> str:
    """The agenda as one self-contained page to print (A4) or mail before the meeting: no scripts,
    no outside requests, every value escaped; headings and labels in ``lang`` (en or nl).

    Parameters
    ----------
    agenda : dict
        The agenda object (``carecircle.agenda/1``) with the engine's messages in ``lang``.
    lang : str
        The language of the page's own words, dates and numbers; another falls back to English.

    Returns
    -------
    str
        The whole page: the title with the date(s), a legend, each ranked resident (counts, next
        steps, open gaps by severity with their new/persisting mark, resolved gaps), then the
        organisations to invite per neighbourhood; a page that says there is nothing to discuss
        when there are no items.

    Examples
    --------
    >>> page = agenda_html({"as_of": "2024-06-01", "since": None, "neighbourhood": None,
    ...                     "items": [], "meetings": []}, "nl")
    >>> '<html lang="nl">' in page, "Agenda voor het casusoverleg, 1 juni 2024" in page
    (True, True)
    """
    lang = lang if lang in LANGUAGES else LANGUAGES[0]
    return render("agenda.html", _page(agenda, lang))


def _page(agenda: dict, lang: str) -> dict:
    """Everything the template shows, as text in ``lang``: the template only lays it out."""
    since = _day(agenda["since"], lang)
    as_of = _day(agenda["as_of"], lang)
    title = (
        translate(_TITLE_SINCE, lang, as_of=as_of, since=since)
        if since
        else translate(_TITLE, lang, as_of=as_of)
    )
    area = agenda["neighbourhood"]
    return {
        "lang": lang,
        "title": title,
        "filter": translate(_FILTER, lang, neighbourhood=area) if area else None,
        "summary": translate_plural(
            "{count} resident to discuss", "{count} residents to discuss", len(agenda["items"]), lang
        ),
        "legend": _legend(since, lang),
        "texts": {key: translate(text, lang) for key, text in _TEXTS.items()},
        "with_status": since is not None,
        "resolved_heading": translate(_RESOLVED_SINCE, lang, since=since) if since else None,
        "residents": [_item(item, since is not None, lang) for item in agenda["items"]],
        "meetings": _meetings(agenda["meetings"], lang),
    }


def _day(value: str | date | None, lang: str) -> str | None:
    if value is None:
        return None
    return day(value if isinstance(value, date) else date.fromisoformat(value), lang)


def _legend(since: str | None, lang: str) -> list[str]:
    lines = [translate(text, lang) for text in _LEGEND]
    if since is None:
        return [*lines, translate(_LEGEND_FIRST, lang)]
    return [*lines, *(translate(text, lang, since=since) for text in _LEGEND_SINCE)]


def _item(item: dict, with_changes: bool, lang: str) -> dict:
    """One resident on the page: heading, counts, next steps, gaps by severity, resolved gaps."""
    shown = {**_COUNTS, **_CHANGE_COUNTS} if with_changes else _COUNTS
    heading = translate(
        _ITEM_HEADING,
        lang,
        rank=number(item["rank"], lang),
        resident=item["resident_id"],
        neighbourhood=item["neighbourhood"],
    )
    return {
        "heading": heading,
        "counts": [
            (translate(text, lang), number(item["counts"][name], lang)) for name, text in shown.items()
        ],
        "introduction": (item["introduction"] or {}).get("message"),
        "overview_holder": (item["overview_holder"] or {}).get("message"),
        "circle": _circle_changes(item.get("circle"), lang),
        "groups": _gap_groups(item["gaps"], lang),
        "resolved": [_resolved(gap, lang) for gap in item["resolved"]],
    }


def _circle_changes(circle: dict | None, lang: str) -> list[str]:
    """'Joined the circle: H7' and 'Left the circle: H3', for the helpers that did."""
    circle = circle or {}
    return [
        translate(text, lang, helpers=", ".join(circle[change]))
        for change, text in _CIRCLE_CHANGES.items()
        if circle.get(change)
    ]


def _gap_groups(gaps: list[dict], lang: str) -> list[dict]:
    """The open gaps grouped by severity, the most serious first; empty groups are left out."""
    groups = []
    for severity in _SEVERITY_ORDER:
        rows = [_open_gap(gap, lang) for gap in gaps if gap["severity"] == severity]
        if rows:
            groups.append(
                {
                    "severity": severity,
                    "heading": translate(_GROUP, lang, severity=label(SEVERITIES, severity, lang)),
                    "rows": rows,
                }
            )
    return groups


def _open_gap(gap: dict, lang: str) -> dict:
    status = gap.get("status")
    return {
        "status": status,
        "mark": translate(_STATUSES[status], lang) if status else "",
        "type": label(GAP_TYPES, gap["type"], lang),
        "message": gap["message"],
        "action": gap["action"],
    }


def _resolved(gap: dict, lang: str) -> dict:
    return {
        "type": label(GAP_TYPES, gap["type"], lang),
        "severity": gap["severity"],
        "severity_word": label(SEVERITIES, gap["severity"], lang),
        "helpers": ", ".join(gap["helpers"]),
        "domains": ", ".join(label(DOMAINS, domain, lang) for domain in gap["domains"]),
    }


def _meetings(meetings: list[dict], lang: str) -> list[dict]:
    """The pairs of organisations to invite, per neighbourhood in the agenda's order."""
    grouped: dict[str, list[dict]] = {}
    for meeting in meetings:
        grouped.setdefault(meeting["neighbourhood"], []).append(
            {
                "message": meeting["message"],
                "unaware_pairs": number(meeting["unaware_pairs"], lang),
                "shared_residents": number(meeting["shared_residents"], lang),
            }
        )
    return [{"neighbourhood": name, "rows": rows} for name, rows in grouped.items()]
