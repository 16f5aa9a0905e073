"""``/data-quality``: the ingest report of a snapshot (per row for the team, by code for policy)."""

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
    """Show the report of the selected snapshot."""

    @app.callback(Output(ids.QUALITY_CONTENT, "children"), Input(ids.SNAPSHOT, "value"))
    def fill(as_of: str | None):
        settings = current()
        report = settings.data.report(selected_day(as_of))
        return quality_content(report, current_role(), settings.k, current_language())


def quality_content(report: dict | None, role: str, k: int, lang: str) -> list:
    """Files read, accepted and rejected; rejections and warnings (rows for the team; for policy
    counts per code, protected against small cells)."""
    if report is None:
        return [empty_state(t("empty.no_rows", lang))]
    if role == "policy":
        return _policy_quality(protect_report(report, k), k, lang)
    files = _files_table({name: c for name, c in report["files"].items()}, lang)
    body = [_title(report, lang), section(t("quality.files", lang), files)]
    for kind, key in (("rejected", "quality.rejected"), ("warnings", "quality.warnings")):
        problems = report[kind]
        title = f"{t(key, lang)} ({fmt_count(len(problems), lang)})"
        if not problems:
            content = dmc.Text(t("quality.none", lang), size="sm", c="dimmed")
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
    body.append(_ignored(report, lang))
    return body


def _policy_quality(protected: dict, k: int, lang: str) -> list:
    body = [
        _title(protected, lang),
        section(t("quality.files", lang), _files_table(protected["files"], lang)),
    ]
    for kind, key in (("rejected", "quality.rejected"), ("warnings", "quality.warnings")):
        counts = protected[kind]
        title = f"{t(key, lang)} ({fmt_count(counts['total'], lang)})"
        if not counts["by_code"]:
            content = dmc.Text(t("quality.none", lang), size="sm", c="dimmed")
        else:
            content = dmc.Table(
                data={
                    "head": [t(c, lang) for c in ("col.file", "col.code", "col.count")],
                    "body": [[r["file"], r["code"], fmt_count(r["count"], lang)] for r in counts["by_code"]],
                },
                striped=True,
            )
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
        else dmc.Text(t("quality.none", lang), size="sm", c="dimmed"),
        mt="md",
    )
