"""Plotly figures of the dashboard: pure functions from figures to pictures, in one visual style."""

import plotly.graph_objects as go

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
    """A symmetric matrix of ``aware_share`` between groups, with the cross pairs on hover.

    ``rows`` are "finding each other" rows (a, b, cross_pairs, aware_share, mutual_share) as
    the role may see them: a share of None (too few pairs) leaves its cell empty.
    """
    groups = sorted({row["a"] for row in rows} | {row["b"] for row in rows}, key=lambda g: names.get(g, g))
    position = {group: i for i, group in enumerate(groups)}
    size = len(groups)
    shares: list[list[float | None]] = [[None] * size for _ in range(size)]
    hover: list[list[str]] = [[""] * size for _ in range(size)]
    for row in rows:
        i, j = position[row["a"]], position[row["b"]]
        lines = [
            f"{names.get(row['a'], row['a'])} – {names.get(row['b'], row['b'])}",
            translate("Know each other: {share}", lang, share=share_text(row["aware_share"], lang)),
            translate("Both ways: {share}", lang, share=share_text(row["mutual_share"], lang)),
            translate("{pairs} pairs in a shared circle", lang, pairs=count_text(row["cross_pairs"], lang)),
        ]
        text = "<br>".join(lines)
        for x, y in ((i, j), (j, i)):
            shares[x][y] = row["aware_share"]
            hover[x][y] = text
    labels = [names.get(g, g) for g in groups]
    figure = go.Figure(
        go.Heatmap(
            z=shares,
            x=labels,
            y=labels,
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorbar={"title": {"text": translate("Know each other", lang)}, "tickformat": ".0%"},
            xgap=1,
            ygap=1,
        )
    )
    figure.update_xaxes(tickangle=-40, automargin=True)
    figure.update_yaxes(autorange="reversed", automargin=True)
    return _style(figure, height=max(380, 28 * size + 160), lang=lang)


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
