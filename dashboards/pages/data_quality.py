"""``/data-quality``: the ingest report of a snapshot (per row for the team, by code for policy)."""

from collections import Counter

import dash
import dash_mantine_components as dmc
from dash import Input, Output, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.widgets import data_grid, empty_state, loading, page_title, policy_note, section
from dashboards.context import current, selected_day
from dashboards.i18n import current_language, fmt_count, t
from graph.analysis.disclosure import protect_report

__all__ = ["layout", "quality_content", "register", "register_callbacks"]


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/data-quality",
        name="Data quality",
        title="carecircle – datakwaliteit",
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
        return [empty_state(t("empty.no_rows", lang))]
    if role == "policy":
        return _policy_quality(protect_report(report, k), k, lang)
    body = [_title(report, lang), section(t("quality.files", lang), _files_table(report["files"], lang))]
    for kind, key in (("rejected", "quality.rejected"), ("warnings", "quality.warnings")):
        body.append(_team_problems(report, kind, key, lang))
    body.append(_ignored(report, lang))
    return body


def _team_problems(report: dict, kind: str, key: str, lang: str) -> dmc.Card:
    """One kind of problem for the team: rows per file and code, then the examples, saying where
    they are only the first of more."""
    counts = [
        {"file": file, "code": code, "count": count}
        for file, codes in sorted(report["problem_counts"][kind].items())
        for code, count in sorted(codes.items())
    ]
    title = f"{t(key, lang)} ({fmt_count(sum(row['count'] for row in counts), lang)})"
    if not counts:
        return section(title, _none(lang), mt="md")
    examples = report[kind]
    shown = Counter((problem["file"], problem["code"]) for problem in examples)
    cut = [
        dmc.Text(
            t(
                "quality.cut",
                lang,
                file=row["file"],
                code=row["code"],
                shown=fmt_count(shown[row["file"], row["code"]], lang),
                total=fmt_count(row["count"], lang),
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
        rows=examples,
    )
    return section(
        title,
        _counts_table(counts, lang),
        dmc.Text(t("quality.examples", lang), fw=600, size="sm", mt="md"),
        *cut,
        grid,
        mt="md",
    )


def _example_columns(lang: str) -> list[dict]:
    return [
        {"field": "file", "headerName": t("col.file", lang), "maxWidth": 160},
        {"field": "line", "headerName": t("col.line", lang), "type": "numericColumn", "maxWidth": 100},
        {"field": "column", "headerName": t("col.column", lang), "maxWidth": 170},
        {"field": "code", "headerName": t("col.code", lang), "maxWidth": 200},
        {
            "field": "message",
            "headerName": t("col.message", lang),
            "minWidth": 360,
            "wrapText": True,
            "autoHeight": True,
        },
    ]


def _counts_table(rows: list[dict], lang: str) -> dmc.Table:
    """Rows per file and code (exact for the team, protected for policy)."""
    return dmc.Table(
        data={
            "head": [t(c, lang) for c in ("col.file", "col.code", "col.count")],
            "body": [[row["file"], row["code"], fmt_count(row["count"], lang)] for row in rows],
        },
        striped=True,
    )


def _none(lang: str) -> dmc.Text:
    return dmc.Text(t("quality.none", lang), size="sm", c="dimmed")


def _policy_quality(protected: dict, k: int, lang: str) -> list:
    body = [
        _title(protected, lang),
        section(t("quality.files", lang), _files_table(protected["files"], lang)),
    ]
    for kind, key in (("rejected", "quality.rejected"), ("warnings", "quality.warnings")):
        counts = protected[kind]
        title = f"{t(key, lang)} ({fmt_count(counts['total'], lang)})"
        content = _counts_table(counts["by_code"], lang) if counts["by_code"] else _none(lang)
        body.append(section(title, content, mt="md"))
    body += [_ignored(protected, lang), policy_note(lang, k)]
    return body


def _title(report: dict, lang: str):
    return page_title(
        t("quality.title", lang), t("quality.dataset", lang, name=report["dataset"], as_of=report["as_of"])
    )


def _files_table(files: dict[str, dict], lang: str) -> dmc.Table:
    return dmc.Table(
        data={
            "head": [t(key, lang) for key in ("col.file", "col.read", "col.accepted", "col.rejected")],
            "body": [
                [
                    name,
                    fmt_count(c["read"], lang),
                    fmt_count(c["accepted"], lang),
                    fmt_count(c["rejected"], lang),
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
        t("quality.ignored", lang),
        dmc.Stack([dmc.Text(f"{name}: {', '.join(columns)}", size="sm") for name, columns in ignored.items()])
        if ignored
        else _none(lang),
        mt="md",
    )
