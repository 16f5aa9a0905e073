"""Small building blocks shared by the pages: figures, sections, notices and the data grid."""

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from dashboards.i18n import t

__all__ = [
    "SEVERITY_COLOURS",
    "data_grid",
    "empty_state",
    "key_figure",
    "loading",
    "page_title",
    "policy_note",
    "section",
    "store_trouble",
    "unavailable",
]

SEVERITY_COLOURS = {"high": "red", "medium": "orange", "low": "yellow"}

# AG Grid's own words in Dutch, for the ones a user meets in these tables
_GRID_DUTCH = {
    "noRowsToShow": "Geen rijen",
    "loadingOoo": "Laden…",
    "page": "Pagina",
    "of": "van",
    "to": "tot",
    "more": "meer",
    "next": "Volgende",
    "previous": "Vorige",
    "first": "Eerste",
    "last": "Laatste",
    "pageSizeSelectorLabel": "Rijen per pagina:",
    "filterOoo": "Filter…",
    "contains": "Bevat",
    "equals": "Is gelijk aan",
    "notEqual": "Is niet gelijk aan",
    "lessThan": "Kleiner dan",
    "greaterThan": "Groter dan",
    "andCondition": "EN",
    "orCondition": "OF",
    "searchOoo": "Zoeken…",
    "selectAll": "(Alles)",
    "blanks": "(Leeg)",
    "applyFilter": "Toepassen",
    "resetFilter": "Wissen",
}


def page_title(text: str, subtitle: str | None = None) -> html.Div:
    """The title of a page, with an optional line under it."""
    return html.Div(
        [dmc.Title(text, order=2), *([dmc.Text(subtitle, c="dimmed", size="sm")] if subtitle else [])],
        className="page-title",
    )


def key_figure(
    label: str, value: str, detail: str | None = None, *, help_text: str | None = None
) -> dmc.Card:
    """One key figure: a big number with its label (and a tooltip explaining it)."""
    body = [
        dmc.Text(label, size="sm", c="dimmed", className="key-figure-label"),
        dmc.Text(value, fw=700, fz=30, lh=1.1, className="key-figure-value"),
        *([dmc.Text(detail, size="xs", c="dimmed")] if detail else []),
    ]
    card = dmc.Card(body, withBorder=True, padding="md", radius="md", className="key-figure")
    return dmc.Tooltip(card, label=help_text, multiline=True, w=260, withArrow=True) if help_text else card


def section(title: str, *children, help_text: str | None = None, **props) -> dmc.Card:
    """A titled card around a chart, table or list."""
    head = [dmc.Text(title, fw=600)]
    if help_text:
        head.append(dmc.Text(help_text, size="xs", c="dimmed"))
    return dmc.Card(
        [dmc.Stack(head, gap=2, mb="xs"), *children],
        withBorder=True,
        padding="md",
        radius="md",
        className="section",
        **props,
    )


def empty_state(text: str, title: str | None = None) -> dmc.Alert:
    """What a page shows instead of an empty chart or table."""
    return dmc.Alert(text, title=title, color="gray", variant="light", className="empty-state")


def store_trouble(text: str, lang: str) -> dmc.Alert:
    """What a page shows instead of its content when the store cannot be read: the store's own
    message, which says what to do."""
    return dmc.Alert(
        text, title=t("store.trouble.title", lang), color="red", variant="light", className="store-trouble"
    )


def unavailable(lang: str) -> dmc.Alert:
    """The notice a policy session gets instead of a resident-level page."""
    return dmc.Alert(
        [dmc.Text(t("policy.unavailable.text", lang)), dmc.Anchor(t("back.overview", lang), href="/")],
        title=t("policy.unavailable.title", lang),
        color="grape",
        variant="light",
        id="policy-unavailable",
    )


def policy_note(lang: str, k: int) -> dmc.Text:
    """The line that explains small-cell suppression to a policy reader."""
    return dmc.Text(
        t("policy.suppressed", lang, k=k, k1=k - 1), size="xs", c="dimmed", className="policy-note"
    )


def loading(child, **props) -> dcc.Loading:
    """A loading indicator around content that a callback fills."""
    return dcc.Loading(child, type="dot", delay_show=150, **props)


def data_grid(
    grid_id: str,
    columns: list[dict],
    lang: str,
    *,
    height: int | None = 560,
    fit: bool = True,
    rows: list[dict] | None = None,
) -> dag.AgGrid:
    """A sortable, filterable AG Grid with the column definitions ``columns``, in the user's language.

    ``height=None`` sizes the grid to its rows (for short tables); ``fit`` spreads the columns
    over the width (otherwise columns size by their own ``flex`` and ``minWidth``).
    """
    options = {
        "pagination": True,
        "paginationPageSize": 50,
        "paginationPageSizeSelector": [25, 50, 100, 200],
        "localeText": {**_GRID_DUTCH, "thousandSeparator": ".", "decimalSeparator": ","}
        if lang == "nl"
        else {},
        "enableCellTextSelection": True,
        "animateRows": False,
    }
    if height is None:
        options["domLayout"] = "autoHeight"
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowData=rows or [],
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "minWidth": 90,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "cellStyle": {"lineHeight": "1.45", "paddingTop": "9px", "paddingBottom": "9px"},
        },
        dashGridOptions=options,
        columnSize="responsiveSizeToFit" if fit else None,
        style={"height": f"{height}px", "width": "100%"} if height else {"width": "100%"},
    )
