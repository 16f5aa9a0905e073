"""``/data-quality``: the ingest report of a snapshot (per row for the team, by code for policy)."""

from collections import Counter

import dash
import dash_mantine_components as dmc
from dash import Input, Output, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.widgets import data_grid, empty_state, loading, page_title, policy_note, section
from dashboards.context import current, selected_day
from dashboards.i18n import count_text, current_language, tab_title
from dashboards.problems import problem_rows
from graph.analysis.disclosure import protect_report
from graph.language import N_, translate
from ingest.catalogue import title as problem_title

__all__ = ["PROBLEM_KINDS", "layout", "quality_content", "register", "register_callbacks"]

#: the kinds of problem a report lists, and the title of each
PROBLEM_KINDS = (("rejected", N_("Rejected rows")), ("warnings", N_("Warnings")))
#: the columns of the table of files
FILE_COLUMNS = (N_("File"), N_("Read"), N_("Accepted"), N_("Rejected"))
#: the columns of a table of rows per file and code
COUNT_COLUMNS = (N_("File"), N_("Problem"), N_("Code"), N_("Count"))


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/data-quality",
        name="Data quality",
        title=tab_title(N_("carecircle – data quality")),
        layout=layout,
        order=6,
    )


def layout(**_query) -> html.Div:
    """The page frame; the report follows the header's snapshot."""
    return html.Div(loading(html.Div(id=ids.QUALITY_CONTENT)), className="page")


def register_callbacks(app: dash.Dash) -> None:
    """Show the report of the selected snapshot (or what keeps the store from being read)."""

    @app.callback(Output(ids.QUALITY_CONTENT, "children"), Input(ids.SNAPSHOT, "value"))
    def fill(as_of: str | None):
        settings = current()
        report = settings.data.report(selected_day(as_of))
        return quality_content(report, current_role(), settings.k, current_language())


def quality_content(report: dict | None, role: str, k: int, lang: str) -> list:
    """Files read, accepted and rejected; rejections and warnings: for the team, the number of
    rows per file and code, then the first example rows of each in a paged grid; for policy,
    the counts only, protected against small cells.

    ``report`` is as :meth:`~dashboards.data.DataSource.report` gives it: cut to a bounded
    number of examples per file and code (:func:`~dashboards.data.bounded_report`), with the
    counts of all of them, so the page stays small however many rows were rejected.
    """
    if report is None:
        return [empty_state(translate("Nothing to show for this selection.", lang))]
    if role == "policy":
        return _policy_quality(protect_report(report, k), k, lang)
    body = [_title(report, lang), section(translate("Files", lang), _files_table(report["files"], lang))]
    for kind, text in PROBLEM_KINDS:
        body.append(_team_problems(report, kind, text, lang))
    body.append(_ignored(report, lang))
    return body


def _team_problems(report: dict, kind: str, text: str, lang: str) -> dmc.Card:
    """One kind of problem for the team: rows per file and code, then the examples, saying where
    they are only the first of more."""
    counts = [
        {"file": file, "code": code, "count": count}
        for file, codes in sorted(report["problem_counts"][kind].items())
        for code, count in sorted(codes.items())
    ]
    title = _counted(text, sum(row["count"] for row in counts), lang)
    if not counts:
        return section(title, _none(lang), mt="md")
    examples = report[kind]
    shown = Counter((problem["file"], problem["code"]) for problem in examples)
    cut = [
        dmc.Text(
            translate(
                "{file}, {problem}: showing the first {shown} of {total} rows.",
                lang,
                file=row["file"],
                problem=problem_title(row["code"], lang),
                shown=count_text(shown[row["file"], row["code"]], lang),
                total=count_text(row["count"], lang),
            ),
            size="sm",
            c="dimmed",
        )
        for row in counts
        if shown[row["file"], row["code"]] < row["count"]
    ]
    grid = data_grid(
        f"quality-{kind}",
        _example_columns(lang),
        lang,
        height=None if len(examples) <= 12 else 480,
        rows=problem_rows(examples, lang),
    )
    return section(
        title,
        _counts_table(counts, lang),
        dmc.Text(translate("Examples", lang), fw=600, size="sm", mt="md"),
        *cut,
        grid,
        mt="md",
    )


def _example_columns(lang: str) -> list[dict]:
    return [
        {"field": "file", "headerName": translate("File", lang), "maxWidth": 160},
        {"field": "line", "headerName": translate("Line", lang), "type": "numericColumn", "maxWidth": 100},
        {"field": "column", "headerName": translate("Column", lang), "maxWidth": 170},
        {"field": "title", "headerName": translate("Problem", lang), "minWidth": 200, "wrapText": True},
        {"field": "code", "headerName": translate("Code", lang), "maxWidth": 200},
        {
            "field": "message",
            "headerName": translate("What is wrong", lang),
            "minWidth": 360,
            "wrapText": True,
            "autoHeight": True,
        },
    ]


def _counts_table(rows: list[dict], lang: str) -> dmc.Table:
    """Rows per file and code (exact for the team, protected for policy)."""
    return dmc.Table(
        data={
            "head": [translate(text, lang) for text in COUNT_COLUMNS],
            "body": [
                [row["file"], problem_title(row["code"], lang), row["code"], count_text(row["count"], lang)]
                for row in rows
            ],
        },
        striped=True,
    )


def _counted(text: str, count: int | str | None, lang: str) -> str:
    """A section's title with the number of rows in it."""
    return f"{translate(text, lang)} ({count_text(count, lang)})"


def _none(lang: str) -> dmc.Text:
    return dmc.Text(translate("None.", lang), size="sm", c="dimmed")


def _policy_quality(protected: dict, k: int, lang: str) -> list:
    body = [
        _title(protected, lang),
        section(translate("Files", lang), _files_table(protected["files"], lang)),
    ]
    for kind, text in PROBLEM_KINDS:
        counts = protected[kind]
        title = _counted(text, counts["total"], lang)
        content = _counts_table(counts["by_code"], lang) if counts["by_code"] else _none(lang)
        body.append(section(title, content, mt="md"))
    body += [_ignored(protected, lang), policy_note(lang, k)]
    return body


def _title(report: dict, lang: str):
    return page_title(
        translate("Data quality", lang),
        translate("Dataset {name}, snapshot {as_of}", lang, name=report["dataset"], as_of=report["as_of"]),
    )


def _files_table(files: dict[str, dict], lang: str) -> dmc.Table:
    return dmc.Table(
        data={
            "head": [translate(text, lang) for text in FILE_COLUMNS],
            "body": [
                [
                    name,
                    count_text(c["read"], lang),
                    count_text(c["accepted"], lang),
                    count_text(c["rejected"], lang),
                ]
                for name, c in files.items()
            ],
        },
        striped=True,
        id="quality-files",
    )


def _ignored(report: dict, lang: str):
    ignored = report.get("ignored_columns") or {}
    return section(
        translate("Ignored columns", lang),
        dmc.Stack([dmc.Text(f"{name}: {', '.join(columns)}", size="sm") for name, columns in ignored.items()])
        if ignored
        else _none(lang),
        mt="md",
    )
