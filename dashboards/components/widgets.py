"""Small building blocks shared by the pages: figures, sections, notices and the data grid."""

import re

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from dashboards.components.figures import SEVERITY_HEX
from dashboards.paging import BLOCK
from graph.language import N_, separators, translate

__all__ = [
    "SEVERITY_COLOURS",
    "data_grid",
    "empty_state",
    "key_figure",
    "loading",
    "page_title",
    "picture",
    "policy_note",
    "section",
    "store_trouble",
    "unavailable",
]

#: a gap's severity badge in its colour on the charts (the theme's autoContrast writes dark text on
#: the light two: 8.5:1 and 11:1; white on the red 5.5:1)
SEVERITY_COLOURS = dict(SEVERITY_HEX)
#: the width a grid column needs around its header's words: padding, the sort and menu icons
#: (72 px measured in Chromium with a column sorted)
HEADER_ICONS_WIDTH = 76
#: the width of one character of a grid header (AG Grid's 14px semibold: 7.7 to 8 px measured)
HEADER_CHARACTER_WIDTH = 8.2

# AG Grid's own words (its English is the msgid), for the ones a user meets in these tables
_GRID_TEXTS = {
    "noRowsToShow": N_("No Rows To Show"),
    "loadingOoo": N_("Loading..."),
    "page": N_("Page"),
    "of": N_("of"),
    "to": N_("to"),
    "more": N_("more"),
    "next": N_("Next"),
    "previous": N_("Previous"),
    "first": N_("First"),
    "last": N_("Last"),
    "pageSizeSelectorLabel": N_("Page Size:"),
    "filterOoo": N_("Filter..."),
    "contains": N_("Contains"),
    "equals": N_("Equals"),
    "notEqual": N_("Does not equal"),
    "lessThan": N_("Less than"),
    "greaterThan": N_("Greater than"),
    "andCondition": N_("AND"),
    "orCondition": N_("OR"),
    "searchOoo": N_("Search..."),
    "selectAll": N_("(Select All)"),
    "blanks": N_("(Blanks)"),
    "applyFilter": N_("Apply"),
    "resetFilter": N_("Reset"),
}


def page_title(text: str, subtitle: str | None = None) -> html.Div:
    """The title of a page (its one ``h1``, drawn at the size of an ``h2``), with an optional line
    under it."""
    under = [dmc.Text(subtitle, c="dimmed", size="sm")] if subtitle else []
    return html.Div(
        [dmc.Title(text, order=1, size="h2"), *under],
        className="page-title",
    )


def key_figure(
    label: str,
    value: str,
    detail: str | None = None,
    *,
    help_text: str | None = None,
    change: str | None = None,
) -> dmc.Card:
    """One key figure: a big number with its label (and a tooltip explaining it, and a line with
    its change since an earlier snapshot)."""
    body = [
        dmc.Text(label, size="sm", c="dimmed", className="key-figure-label"),
        dmc.Text(value, fw=700, fz=30, lh=1.1, className="key-figure-value"),
        *([dmc.Text(detail, size="xs", c="dimmed")] if detail else []),
        *([dmc.Text(change, size="xs", c="#343a40", className="key-figure-change")] if change else []),
    ]
    card = dmc.Card(body, withBorder=True, padding="md", radius="md", className="key-figure")
    return dmc.Tooltip(card, label=help_text, multiline=True, w=260, withArrow=True) if help_text else card


def section(title: str, *children, help_text: str | None = None, **props) -> dmc.Card:
    """A titled card around a chart, table or list (its title an ``h2`` under the page's ``h1``)."""
    head = [dmc.Title(title, order=2, fz="md", fw=600)]
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
        text,
        title=translate("The store cannot be read", lang),
        color="red",
        variant="light",
        className="store-trouble",
    )


def unavailable(lang: str) -> dmc.Alert:
    """The notice a policy session gets instead of a resident-level page."""
    return dmc.Alert(
        [
            dmc.Text(
                translate(
                    "This page shows individual residents; the policy role sees aggregated figures only.",
                    lang,
                )
            ),
            dmc.Anchor(translate("Back to the overview", lang), href="/"),
        ],
        title=notice_heading(translate("Not available in the policy role", lang)),
        color="grape",
        variant="light",
        id="policy-unavailable",
    )


def notice_heading(text: str) -> dmc.Title:
    """The title of a notice that stands for a whole page (not found, not available): the page's ``h1``,
    drawn as the notice's title."""
    return dmc.Title(text, order=1, size="sm", fw=700, lh="inherit")


def picture(child, name: str, *, described_by: str | None = None) -> html.Div:
    """A chart or drawing (Plotly, Cytoscape) as one image with the accessible name ``name``, and the
    id of the text that describes it in words (``described_by``), for a screen reader.

    Examples
    --------
    >>> wrapper = picture(html.Canvas(), "The circle of Mrs Piqué", described_by="circle-text")
    >>> wrapper.role, wrapper.className, wrapper.to_plotly_json()["props"]["aria-label"]
    ('img', 'picture', 'The circle of Mrs Piqué')
    >>> wrapper.to_plotly_json()["props"]["aria-describedby"]
    'circle-text'
    """
    described = {"aria-describedby": described_by} if described_by else {}
    return html.Div(child, role="img", className="picture", **{"aria-label": name}, **described)


def header_min_width(header: str, at_least: int = 90) -> int:
    """The narrowest a grid column may be so that its header wraps between words, never inside one.

    Examples
    --------
    >>> header_min_width("Hulpverleners"), header_min_width("Gaps"), header_min_width("High severity")
    (183, 109, 142)
    """
    longest = max((len(word) for word in re.split(r"\s+", header)), default=0)
    return max(at_least, round(longest * HEADER_CHARACTER_WIDTH + HEADER_ICONS_WIDTH))


def policy_note(lang: str, k: int) -> dmc.Text:
    """The line that explains small-cell suppression to a policy reader."""
    return dmc.Text(
        translate(
            "Counts from 1 to {k1} are shown as <{k}; shares over fewer than {k} items are left out.",
            lang,
            k=k,
            k1=k - 1,
        ),
        size="xs",
        c="gray.7",  # 7.9:1 on white; Mantine's dimmed grey gives 3.3:1, below WCAG AA
        className="policy-note",
    )


def _grid_texts(lang: str) -> dict[str, str]:
    """AG Grid's words and number separators in ``lang``."""
    decimal_separator, thousand_separator = separators(lang)
    return {
        **{key: translate(text, lang) for key, text in _GRID_TEXTS.items()},
        "thousandSeparator": thousand_separator,
        "decimalSeparator": decimal_separator,
    }


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
    paged: bool = False,
    **props,
) -> dag.AgGrid:
    """A sortable, filterable AG Grid with the column definitions ``columns``, in the user's language.

    ``height=None`` sizes the grid to its rows (for short tables); ``fit`` spreads the columns
    over the width (otherwise columns size by their own ``flex`` and ``minWidth``). A ``paged``
    grid holds no rows of its own: it asks the server for a block of rows at a time, sorted and
    filtered there (AG Grid's infinite row model; see :mod:`dashboards.paging`). ``props`` go to the
    grid as they are (``eventListeners``, say).
    """
    options = {
        "pagination": True,
        "paginationPageSize": 50,
        "paginationPageSizeSelector": [25, 50, 100, 200],
        "localeText": _grid_texts(lang),
        "enableCellTextSelection": True,
        "animateRows": False,
        # one tab stop into the grid, not one per cell: Tab leaves it, the arrow keys move in it
        "tabToNextCell": {"function": "false"},
        "tabToNextHeader": {"function": "false"},
    }
    if height is None:
        options["domLayout"] = "autoHeight"
    if paged:
        options |= {"cacheBlockSize": BLOCK, "maxBlocksInCache": 20}
        props["rowModelType"] = "infinite"
    return dag.AgGrid(
        id=grid_id,
        columnDefs=[_wide_enough(column) for column in columns],
        # no rows yet for a grid its callback fills: AG Grid shows "loading", not "no rows", which
        # its live region would announce beside the rows that follow
        **({} if rows is None else {"rowData": rows}),
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
        **props,
    )


def _wide_enough(column: dict) -> dict:
    """``column`` with a ``minWidth`` (or its fixed ``width``) that fits its header's longest word.

    Examples
    --------
    >>> _wide_enough({"headerName": "Neighbourhood", "width": 140})
    {'headerName': 'Neighbourhood', 'width': 183}
    >>> _wide_enough({"headerName": "Name", "minWidth": 170})
    {'headerName': 'Name', 'minWidth': 170}
    """
    if not column.get("headerName"):
        return column
    key = "width" if "width" in column else "minWidth"
    return {**column, key: header_min_width(column["headerName"], column.get(key, 90))}
