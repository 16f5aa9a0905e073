"""Plotly figures of the dashboard: pure functions from figures to pictures, in one visual style."""

import plotly.graph_objects as go

from dashboards.components.heatmap import (
    HIDDEN_FILL,
    HIDDEN_HATCH,
    NONE_FILL,
    SHARE_SCALE,
    HeatCell,
    heatmap_cell,
)
from dashboards.i18n import count_text, share_text
from graph.analysis.gaps import SEVERITY
from graph.labels import GAP_TYPES, label
from graph.language import separators, translate

__all__ = [
    "KIND_COLOURS",
    "SEVERITY_HEX",
    "TEMPLATE",
    "coverage_histogram",
    "gaps_by_type_bar",
    "organisation_heatmap",
    "trend_lines",
]

KIND_COLOURS = {"formal": "#3b5bdb", "informal": "#2f9e44", "caregiver": "#f08c00"}
SEVERITY_HEX = {"high": "#e03131", "medium": "#f08c00", "low": "#fab005"}
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


def gaps_by_type_bar(gaps_by_type: dict[str, int | str], lang: str) -> go.Figure:
    """Horizontal bars of gap counts, most severe types on top, coloured by severity.

    A suppressed count (``"<5"``) gets no bar, only its text.
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
        )
    )
    figure.update_xaxes(title_text=translate("gaps", lang), range=[0, max([*values, 5]) * 1.2])
    figure.update_yaxes(automargin=True)
    return _style(figure, height=340, lang=lang)


def coverage_histogram(bins: list[tuple[str, int | str]], lang: str) -> go.Figure:
    """Residents per band of awareness coverage; suppressed counts are written, not drawn."""
    figure = go.Figure(
        go.Bar(
            x=[band for band, _ in bins],
            y=[count if isinstance(count, int) else 0 for _, count in bins],
            text=[count_text(count, lang) for _, count in bins],
            textposition="outside",
            cliponaxis=False,
            marker_color="#5c7cfa",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_xaxes(title_text=translate("awareness coverage of the circle", lang), type="category")
    top = max([count for _, count in bins if isinstance(count, int)] + [5])
    figure.update_yaxes(title_text=translate("residents", lang), range=[0, top * 1.15])
    return _style(figure, height=340, lang=lang)


def organisation_heatmap(rows: list[dict], names: dict[str, str], lang: str) -> go.Figure:
    """A symmetric matrix of ``aware_share`` between groups, the share printed in each cell and
    the cross pairs on hover.

    ``rows`` are "finding each other" rows (a, b, cross_pairs, aware_share, mutual_share) as the
    role may see them. A cell shows a share, "no shared residents" (no row) or "hidden" (share
    None): see :func:`~dashboards.components.heatmap.heatmap_cell`.
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
    figure = go.Figure(
        [
            _state_layer(cells, _hover_of(cells, hover, share=False)),
            _share_layer(rows, groups, _hover_of(cells, hover, share=True), lang),
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
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        hoverongaps=False,
        xgap=2,
        ygap=2,
    )


def _share_layer(rows: list[dict], groups: list[str], hover: list[list[str]], lang: str) -> go.Heatmap:
    """The shares on the colour-blind-safe scale, with their colour bar."""
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
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
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


def trend_lines(
    series: dict[str, list[tuple[str, float | None]]], *, percent: bool, title: str, lang: str
) -> go.Figure:
    """One line per group (pilot, rest) over the snapshot dates; missing values break the line."""
    figure = go.Figure()
    colours = ["#e8590c", "#868e96", "#3b5bdb", "#2f9e44"]
    for (name, points), colour in zip(series.items(), colours, strict=False):
        figure.add_trace(
            go.Scatter(
                x=[day for day, _ in points],
                y=[value for _, value in points],
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 3},
                marker={"size": 9},
                connectgaps=False,
            )
        )
    figure.update_xaxes(type="category")
    figure.update_yaxes(rangemode="tozero", tickformat=".0%" if percent else None, title_text=title)
    figure.update_layout(legend={"orientation": "h", "y": 1.12, "x": 0})
    return _style(figure, height=320, lang=lang)
