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
from graph.analysis.report import small_count

__all__ = ["layout", "problems_by_code", "quality_content", "register", "register_callbacks"]


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
    """Show the report of the selected snapshot."""

    @app.callback(Output(ids.QUALITY_CONTENT, "children"), Input(ids.SNAPSHOT, "value"))
    def fill(as_of: str | None):
        settings = current()
        report = settings.data.report(selected_day(as_of))
        return quality_content(report, current_role(), settings.k, current_language())


def problems_by_code(problems: list[dict], role: str, k: int) -> list[dict]:
    """How many problems of each code in each file, with small counts suppressed for policy.

    Examples
    --------
    >>> rows = [{"file": "support.csv", "code": "invalid_date"}] * 2
    >>> problems_by_code(rows, "policy", 5)
    [{'file': 'support.csv', 'code': 'invalid_date', 'count': '<5'}]
    """
    counts = Counter((p["file"], p["code"]) for p in problems)
    return [
        {"file": file, "code": code, "count": small_count(n, k) if role == "policy" else n}
        for (file, code), n in sorted(counts.items())
    ]


def quality_content(report: dict | None, role: str, k: int, lang: str) -> list:
    """Files read, accepted and rejected; rejections and warnings (rows for the team, counts for policy)."""
    if report is None:
        return [empty_state(t("empty.no_rows", lang))]
    policy = role == "policy"

    def count(value: int) -> str:
        return fmt_count(small_count(value, k) if policy else value, lang)

    files = dmc.Table(
        data={
            "head": [t(key, lang) for key in ("col.file", "col.read", "col.accepted", "col.rejected")],
            "body": [
                [name, count(c["read"]), count(c["accepted"]), count(c["rejected"])]
                for name, c in report["files"].items()
            ],
        },
        striped=True,
        id="quality-files",
    )
    body = [
        page_title(
            t("quality.title", lang),
            t("quality.dataset", lang, name=report["dataset"], as_of=report["as_of"]),
        ),
        section(t("quality.files", lang), files),
    ]
    for kind, key in (("rejected", "quality.rejected"), ("warnings", "quality.warnings")):
        problems = report[kind]
        title = f"{t(key, lang)} ({count(len(problems))})"
        if not problems:
            content = dmc.Text(t("quality.none", lang), size="sm", c="dimmed")
        elif policy:
            rows = problems_by_code(problems, role, k)
            content = dmc.Table(
                data={
                    "head": [t(c, lang) for c in ("col.file", "col.code", "col.count")],
                    "body": [[r["file"], r["code"], fmt_count(r["count"], lang)] for r in rows],
                },
                striped=True,
            )
        else:
            columns = [
                {"field": "file", "headerName": t("col.file", lang), "maxWidth": 160},
                {
                    "field": "line",
                    "headerName": t("col.line", lang),
                    "type": "numericColumn",
                    "maxWidth": 100,
                },
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
            content = data_grid(
                f"quality-{kind}", columns, lang, height=None if len(problems) <= 12 else 480, rows=problems
            )
        body.append(section(title, content, mt="md"))
    ignored = report.get("ignored_columns") or {}
    body.append(
        section(
            t("quality.ignored", lang),
            dmc.Stack(
                [dmc.Text(f"{name}: {', '.join(columns)}", size="sm") for name, columns in ignored.items()]
            )
            if ignored
            else dmc.Text(t("quality.none", lang), size="sm", c="dimmed"),
            mt="md",
        )
    )
    if policy:
        body.append(policy_note(lang, k))
    return body
