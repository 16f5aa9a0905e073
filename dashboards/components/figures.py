"""Plotly figures of the dashboard: pure functions from figures to pictures, in one visual style."""

from collections.abc import Callable

import plotly.graph_objects as go

from dashboards.components.heatmap import (
    HIDDEN_FILL,
    HIDDEN_HATCH,
    NONE_FILL,
    SHARE_SCALE,
    HeatCell,
    heatmap_cell,
)
from dashboards.i18n import NOT_SHOWN, count_text, share_text
from graph.analysis.evaluation_words import points
from graph.analysis.gaps import SEVERITY
from graph.labels import GAP_TYPES, label
from graph.language import separators, share, translate

__all__ = [
    "GROUP_STYLES",
    "KIND_COLOURS",
    "SEVERITY_HEX",
    "TEMPLATE",
    "coverage_histogram",
    "difference_interval",
    "gaps_by_type_bar",
    "group_lines",
    "organisation_heatmap",
]

KIND_COLOURS = {"formal": "#3b5bdb", "informal": "#2f9e44", "caregiver": "#f08c00"}
#: high is red.9 of Mantine's palette: white text on it (a severity badge) is 5.5:1, WCAG AA
SEVERITY_HEX = {"high": "#c92a2a", "medium": "#f08c00", "low": "#fab005"}
#: the trends page's two groups: colour-blind-safe colours (Okabe and Ito's vermillion and blue,
#: darkened to 4.8:1 and 5.2:1 on white) that also differ in dash and marker, so that the lines
#: read apart without colour
GROUP_STYLES = {
    "pilot": {"color": "#c24e00", "dash": "solid", "symbol": "circle"},
    "rest": {"color": "#0072b2", "dash": "dash", "symbol": "square"},
}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


#: plotly's template for every figure; ``create_app`` makes it the process's default, since naming
#: it on each figure copies it whole each time (11 ms a figure, half of a page's server time)
TEMPLATE = "plotly_white"


def _style(figure: go.Figure, *, height: int, lang: str) -> go.Figure:
    """The figure in the house style, its numbers written the way ``lang`` writes them."""
    figure.update_layout(
        height=height,
        separators=separators(lang),
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        font={"family": _FONT, "size": 13},
        hoverlabel={"font": {"family": _FONT}},
    )
    return figure


def gaps_by_type_bar(
    gaps_by_type: dict[str, int | str], lang: str, addresses: dict[str, str] | None = None
) -> go.Figure:
    """Horizontal bars of gap counts, most severe types on top, coloured by severity.

    A suppressed count (``"<5"``) gets no bar, only its text. With ``addresses`` (by gap type),
    each bar carries where a click on it leads as its ``customdata``.
    """
    types = sorted(gaps_by_type, key=lambda g: (_SEVERITY_ORDER[SEVERITY[g]], list(GAP_TYPES).index(g)))
    types.reverse()  # plotly draws the first category at the bottom
    values = [gaps_by_type[g] if isinstance(gaps_by_type[g], int) else 0 for g in types]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[label(GAP_TYPES, g, lang) for g in types],
            orientation="h",
            marker_color=[SEVERITY_HEX[SEVERITY[g]] for g in types],
            text=[count_text(gaps_by_type[g], lang) for g in types],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
            customdata=[addresses[g] for g in types] if addresses else None,
        )
    )
    figure.update_xaxes(title_text=translate("gaps", lang), range=[0, max([*values, 5]) * 1.2])
    figure.update_yaxes(automargin=True)
    return _style(figure, height=340, lang=lang)


def coverage_histogram(
    bins: list[tuple[str, int | str]], lang: str, addresses: list[str] | None = None
) -> go.Figure:
    """Residents per band of awareness coverage; suppressed counts are written, not drawn. With
    ``addresses`` (one per band), each bar carries where a click on it leads as its ``customdata``."""
    figure = go.Figure(
        go.Bar(
            x=[band for band, _ in bins],
            y=[count if isinstance(count, int) else 0 for _, count in bins],
            text=[count_text(count, lang) for _, count in bins],
            textposition="outside",
            cliponaxis=False,
            marker_color="#5c7cfa",
            hovertemplate="%{x}: %{text}<extra></extra>",
            customdata=addresses,
        )
    )
    figure.update_xaxes(title_text=translate("awareness coverage of the circle", lang), type="category")
    top = max([count for _, count in bins if isinstance(count, int)] + [5])
    figure.update_yaxes(title_text=translate("residents", lang), range=[0, top * 1.15])
    return _style(figure, height=340, lang=lang)


def organisation_heatmap(
    rows: list[dict], names: dict[str, str], lang: str, address: Callable[[str, str], str] | None = None
) -> go.Figure:
    """A symmetric matrix of ``aware_share`` between groups, the share printed in each cell and
    the cross pairs on hover.

    ``rows`` are "finding each other" rows (a, b, cross_pairs, aware_share, mutual_share) as the
    role may see them. A cell shows a share, "no shared residents" (no row) or "hidden" (share
    None): see :func:`~dashboards.components.heatmap.heatmap_cell`. Each cell's hover is its
    ``text``. With ``address`` (groups a, b -> an address), each cell with a share carries where a
    click on it leads as its ``customdata`` (a text, which Dash's ``clickData`` passes on; the
    other cells None); without, the cells carry none.
    """
    groups = sorted({row["a"] for row in rows} | {row["b"] for row in rows}, key=lambda g: names.get(g, g))
    by_pair = {frozenset((row["a"], row["b"])): row for row in rows}
    labels = [names.get(g, g) for g in groups]
    cells = [
        [heatmap_cell(by_pair.get(frozenset((a, b))), lang, diagonal=a == b) for b in groups] for a in groups
    ]
    hover = [
        [
            _cell_hover(labels[i], labels[j], by_pair.get(frozenset((a, b))), lang)
            for j, b in enumerate(groups)
        ]
        for i, a in enumerate(groups)
    ]
    addresses = (
        [
            [address(a, b) if cell.state == "share" else None for b, cell in zip(groups, line, strict=True)]
            for a, line in zip(groups, cells, strict=True)
        ]
        if address
        else None
    )
    figure = go.Figure(
        [
            _state_layer(cells, _hover_of(cells, hover, share=False)),
            _share_layer(rows, groups, _hover_of(cells, hover, share=True), lang, addresses),
            _hatch_layer(cells),
            _text_layer(cells, len(groups)),
        ]
    )
    axis = {
        "tickmode": "array",
        "tickvals": list(range(len(groups))),
        "ticktext": labels,
        "showgrid": False,
        "zeroline": False,
        "automargin": True,
        # no zoom: a drag or a double click on a cell must not lose the map (a click opens the cell)
        "fixedrange": True,
    }
    figure.update_xaxes(**axis, tickangle=-40, range=[-0.5, len(groups) - 0.5])
    figure.update_yaxes(**axis, range=[len(groups) - 0.5, -0.5])
    figure.update_layout(showlegend=False, plot_bgcolor="#ffffff")
    return _style(figure, height=max(380, 32 * len(groups) + 200), lang=lang)


def _cell_hover(a: str, b: str, row: dict | None, lang: str) -> str:
    """What hovering a cell says: the pair, and its figures or why it has none."""
    if a == b:
        return ""
    lines = [f"{a} – {b}"]
    if row is None:
        lines.append(translate("No shared residents", lang))
    elif row["aware_share"] is None and isinstance(row["cross_pairs"], str):
        lines.append(translate("Hidden: {pairs} pairs in a shared circle", lang, pairs=row["cross_pairs"]))
    elif row["aware_share"] is None:
        lines.append(translate("Hidden so that totals cannot give a small count away", lang))
    else:
        lines += [
            translate("Know each other: {share}", lang, share=share_text(row["aware_share"], lang)),
            translate("Both ways: {share}", lang, share=share_text(row["mutual_share"], lang)),
            translate("{pairs} pairs in a shared circle", lang, pairs=count_text(row["cross_pairs"], lang)),
        ]
    return "<br>".join(lines)


def _hover_of(cells: list[list[HeatCell]], hover: list[list[str]], *, share: bool) -> list[list[str]]:
    """The hover texts of the cells with a share, or of those without (each layer carries its own)."""
    return [
        [text if (cell.state == "share") == share else "" for cell, text in zip(row, texts, strict=True)]
        for row, texts in zip(cells, hover, strict=True)
    ]


def _state_layer(cells: list[list[HeatCell]], hover: list[list[str]]) -> go.Heatmap:
    """The cells without a share: light grey (no shared residents) or near-white (hidden)."""
    levels = {"none": 0, "hidden": 1}
    return go.Heatmap(
        z=[[levels.get(cell.state) for cell in row] for row in cells],
        zmin=0,
        zmax=1,
        colorscale=[[0, NONE_FILL], [1, HIDDEN_FILL]],
        showscale=False,
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        hoverongaps=False,
        xgap=2,
        ygap=2,
    )


def _share_layer(
    rows: list[dict],
    groups: list[str],
    hover: list[list[str]],
    lang: str,
    addresses: list[list[str | None]] | None = None,
) -> go.Heatmap:
    """The shares on the colour-blind-safe scale, with their colour bar (and, given, the cells'
    addresses)."""
    position = {group: i for i, group in enumerate(groups)}
    shares: list[list[float | None]] = [[None] * len(groups) for _ in groups]
    for row in rows:
        i, j = position[row["a"]], position[row["b"]]
        shares[i][j] = shares[j][i] = row["aware_share"]
    return go.Heatmap(
        z=shares,
        zmin=0,
        zmax=1,
        colorscale=SHARE_SCALE,
        text=hover,
        customdata=addresses,
        hovertemplate="%{text}<extra></extra>",
        hoverongaps=False,
        colorbar={"title": {"text": translate("Know each other", lang)}, "tickformat": ".0%"},
        xgap=2,
        ygap=2,
    )


def _hatch_layer(cells: list[list[HeatCell]]) -> go.Scatter:
    """Diagonal hatching over the hidden cells: one filled square per cell, apart by gaps."""
    x: list[float | None] = []
    y: list[float | None] = []
    edge = 0.46
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            if cell.state == "hidden":
                x += [j - edge, j + edge, j + edge, j - edge, j - edge, None]
                y += [i - edge, i - edge, i + edge, i + edge, i - edge, None]
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        fill="toself",
        fillcolor=HIDDEN_FILL,
        fillpattern={
            "shape": "/",
            "fgcolor": HIDDEN_HATCH,
            "bgcolor": HIDDEN_FILL,
            "size": 7,
            "solidity": 0.15,
        },
        line={"width": 0},
        hoverinfo="skip",
        connectgaps=False,
    )


def _text_layer(cells: list[list[HeatCell]], size: int) -> go.Scatter:
    """The text of every cell, in the colour chosen for it."""
    shown = [(i, j, cell) for i, row in enumerate(cells) for j, cell in enumerate(row) if cell.text]
    return go.Scatter(
        x=[j for _, j, _ in shown],
        y=[i for i, _, _ in shown],
        mode="text",
        text=[cell.text for _, _, cell in shown],
        textfont={"color": [cell.ink for _, _, cell in shown], "size": 12 if size <= 14 else 10},
        hoverinfo="skip",
    )


def group_lines(
    series: dict[str, list[float | None]], days: list[str], names: dict[str, str], *, lang: str
) -> go.Figure:
    """The pilot against the rest per snapshot (``days``, as people write them) on a percentage
    axis from 0 to 100%, each value written at its marker; a value not shown (None) leaves a gap.

    ``series`` and ``names`` are keyed by group (``pilot``, ``rest``); each group has its own
    colour, dash and marker (:data:`GROUP_STYLES`), and its labels go above the other group's
    line where it is higher and below where it is lower.
    """
    figure = go.Figure()
    for group, values in series.items():
        other = next((v for g, v in series.items() if g != group), [None] * len(values))
        style = GROUP_STYLES[group]
        texts = [share(value, lang, 1) if value is not None else "" for value in values]
        figure.add_trace(
            go.Scatter(
                x=days,
                y=values,
                name=names[group],
                mode="lines+markers+text",
                line={"color": style["color"], "width": 3, "dash": style["dash"]},
                marker={"size": 11, "symbol": style["symbol"], "color": style["color"]},
                text=texts,
                textposition=_label_positions(values, other, above=group == "pilot"),
                textfont={"color": style["color"], "size": 13},
                cliponaxis=False,
                connectgaps=False,
                customdata=[
                    f"{names[group]} · {day}: {text or NOT_SHOWN}"
                    for day, text in zip(days, texts, strict=True)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    figure.update_xaxes(type="category", title_text=translate("Snapshot", lang))
    # the axis reads 0–100%; the room above 100% is for the labels of values near it
    figure.update_yaxes(
        range=[0, 1.12],
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1],
        tickformat=".0%",
        title_text=translate("Share", lang),
        automargin=True,
    )
    figure.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return _style(figure, height=330, lang=lang)


def _label_positions(values: list, others: list, *, above: bool) -> list[str]:
    """Where each value's label goes: above its marker where the other group's value is lower
    (or missing), below where it is higher; ``above`` decides a tie.

    Examples
    --------
    >>> _label_positions([0.5, 0.2, 0.3, None], [0.4, 0.6, 0.3, 0.1], above=False)
    ['top center', 'bottom center', 'bottom center', 'top center']
    """
    return [
        "top center"
        if other is None or value is None or value > other or (value == other and above)
        else "bottom center"
        for value, other in zip(values, others, strict=True)
    ]


def difference_interval(estimate: float, low: float, high: float, *, label: str, lang: str) -> go.Figure:
    """A difference in differences as a dot with its 95% interval drawn as an error bar, in
    percentage points, against a dotted line at zero (no difference); the estimate written above
    the dot, ``label`` (the estimate and the interval in words) on hover."""
    reach = max(abs(low), abs(high), 0.05) * 100 * 1.25
    figure = go.Figure(
        go.Scatter(
            x=[estimate * 100],
            y=[0],
            mode="markers+text",
            marker={"size": 14, "symbol": "diamond", "color": "#212529"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(high - estimate) * 100],
                "arrayminus": [(estimate - low) * 100],
                "color": "#212529",
                "thickness": 2.5,
                "width": 12,
            },
            text=[points(estimate, lang)],
            textposition="top center",
            textfont={"size": 14, "color": "#212529"},
            cliponaxis=False,
            customdata=[label],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    figure.add_vline(x=0, line={"color": "#495057", "dash": "dot", "width": 2})
    figure.add_annotation(
        x=0, y=-0.9, text=translate("no difference", lang), showarrow=False, font={"color": "#343a40"}
    )
    figure.update_xaxes(
        range=[-reach, reach],
        zeroline=False,
        title_text=translate("Difference in differences, percentage points", lang),
    )
    figure.update_yaxes(visible=False, range=[-1.2, 1.2])
    return _style(figure, height=200, lang=lang)
