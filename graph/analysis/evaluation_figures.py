"""The evaluation report's two kinds of figure as geometry for inline SVG (SPEC §11).

A *line chart* draws one metric per snapshot for the pilot and the other neighbourhoods on a
0–100% axis; an *interval chart* draws each metric's difference in differences as a point with
its 95% interval against a zero line, in percentage points. The functions here only compute:
positions in the SVG's user units, tick labels in the reader's language, the lines broken where
a figure is missing. The page's template (``templates/evaluation.html``) draws them, escaped, and
gives each its words (a title and a description with the numbers) for a screen reader.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph.language import decimal, share

__all__ = [
    "INTERVAL_LIMITS",
    "WIDTH",
    "IntervalChart",
    "IntervalRow",
    "Line",
    "LineChart",
    "Point",
    "Tick",
    "interval_chart",
    "line_chart",
]

#: every figure's width in user units (it scales to the page's width)
WIDTH = 640
#: the line chart's height and plot area (left, top, right, bottom)
_LINE_HEIGHT = 270
_LINE_PLOT = (60.0, 44.0, 620.0, 214.0)
#: the middle of the legend's first row (each further row is 20 units lower, and so is the plot)
_LEGEND_ROW = 16.0
#: room between the plot's sides and the first and last snapshot, for markers and date labels
_INSET = 48.0
#: the interval chart: the plot's sides, the room above the rows, per row, and below for the axis
_INTERVAL_SIDES = (24.0, 616.0)
_INTERVAL_TOP = 8.0
_ROW_HEIGHT = 62.0
_INTERVAL_BOTTOM = 52.0
#: the half-widths (fractions) an interval chart's axis can take: the first that holds every value
INTERVAL_LIMITS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0)
#: the font size of labels, and the width of a character of it (about: labels are short)
_FONT = 12.0
_CHARACTER = 0.6 * _FONT


@dataclass(frozen=True)
class Point:
    """A position in the figure, in user units (y grows downwards)."""

    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis: x for a horizontal axis, y for a vertical one."""

    position: float
    label: str


@dataclass(frozen=True)
class Line:
    """One group's line: ``style`` (``pilot`` or ``rest``) gives its colour, dash and marker."""

    style: str
    label: str
    #: the ``points`` of each unbroken part (a missing figure breaks the line)
    segments: list[str]
    markers: list[Point]
    #: where its legend entry starts (x) and the middle of its row (y)
    legend: Point


@dataclass(frozen=True)
class LineChart:
    """A metric per snapshot for each group, on a 0–100% axis."""

    ident: str
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_label: str
    y_label: str
    x_ticks: list[Tick]
    #: the snapshots whose date is written under the axis (the others have a tick only)
    x_labels: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    #: the figures not there (or not shown): points left out of their line
    missing: int

    @property
    def empty(self) -> bool:
        """Whether there is no point to draw at all."""
        return not any(line.markers for line in self.lines)


@dataclass(frozen=True)
class IntervalRow:
    """One metric's difference: its label and value line, and the bar (None when not shown)."""

    label: str
    value: str
    label_y: float
    bar_y: float
    low_x: float | None
    estimate_x: float | None
    high_x: float | None


@dataclass(frozen=True)
class IntervalChart:
    """Each metric's difference in differences with its 95% interval, against zero."""

    ident: str
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    zero_x: float
    x_label: str
    ticks: list[Tick]
    rows: list[IntervalRow]

    @property
    def empty(self) -> bool:
        """Whether no row has a difference to draw."""
        return all(row.estimate_x is None for row in self.rows)


def line_chart(
    ident: str,
    dates: Sequence[date],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    labels: tuple[str, str, Sequence[str]],
    lang: str = "en",
) -> LineChart:
    """The geometry of a line chart of shares (0 to 1) per snapshot.

    Parameters
    ----------
    ident : str
        The figure's id on the page (its title and description get ids from it).
    dates : sequence of date
        The snapshots, oldest first; placed by their time apart.
    lines : sequence of (style, label, values)
        Each group: ``pilot`` or ``rest``, its name in the legend, a share or None per date.
    title, description : str
        The figure's words for a screen reader: what it shows, and every number.
    labels : (str, str, sequence of str)
        The x axis's title, the y axis's title, and each date as written under the axis.
    lang : str
        The language of the percentages on the y axis.

    Returns
    -------
    LineChart

    Examples
    --------
    >>> chart = line_chart("c", [date(2024, 1, 1), date(2024, 7, 1)],
    ...                    [("pilot", "P", [0.5, None]), ("rest", "R", [0.25, 0.75])],
    ...                    title="t", description="d", labels=("Date", "%", ["Jan", "Jul"]))
    >>> [tick.label for tick in chart.y_ticks]
    ['0%', '20%', '40%', '60%', '80%', '100%']
    >>> [line.segments for line in chart.lines]
    [['108.0,129.0'], ['108.0,171.5 572.0,86.5']]
    >>> [tick.label for tick in chart.x_labels]
    ['Jan', 'Jul']
    """
    x_title, y_title, written = labels
    left, top, right, bottom = _LINE_PLOT
    legend = _legend_positions([label for _, label, _ in lines], left)
    below = max((point.y for point in legend), default=_LEGEND_ROW) - _LEGEND_ROW  # more legend rows
    top, bottom = top + below, bottom + below

    def y(value: float) -> float:
        return bottom - value * (bottom - top)

    xs = _date_positions(dates, left + _INSET, right - _INSET)
    drawn = [
        _line(style, label, xs, [None if v is None else y(v) for v in values], entry)
        for (style, label, values), entry in zip(lines, legend, strict=True)
    ]
    ticks = [Tick(round(x, 1), text) for x, text in zip(xs, written, strict=True)]
    return LineChart(
        ident=ident,
        title=title,
        description=description,
        width=WIDTH,
        height=int(_LINE_HEIGHT + below),
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_label=x_title,
        y_label=y_title,
        x_ticks=ticks,
        x_labels=_readable(ticks),
        y_ticks=[Tick(round(y(step / 5), 1), share(step / 5, lang)) for step in range(6)],
        lines=drawn,
        missing=sum(value is None for _, _, values in lines for value in values),
    )


def interval_chart(
    ident: str,
    rows: Sequence[tuple[str, str, float | None, float | None, float | None]],
    *,
    title: str,
    description: str,
    x_label: str,
    lang: str = "en",
) -> IntervalChart:
    """The geometry of an interval chart: per row a point (the estimate) and a bar (its interval).

    The axis is symmetric around zero, its half-width the first of :data:`INTERVAL_LIMITS` that
    holds every estimate and interval end; ticks at the half and the whole of it, in percentage
    points.

    Parameters
    ----------
    ident : str
        The figure's id on the page.
    rows : sequence of (label, value, estimate, low, high)
        Each metric: its name, the value as written next to it, and the difference and its
        interval (fractions; all None when not shown: the row has words but no bar).
    title, description : str
        The figure's words for a screen reader.
    x_label : str
        The axis's title.
    lang : str
        The language of the tick labels.

    Returns
    -------
    IntervalChart

    Examples
    --------
    >>> chart = interval_chart("d", [("A", "+17.1", 0.171, -0.012, 0.346), ("B", "none", None, None, None)],
    ...                        title="t", description="d", x_label="points")
    >>> [tick.label for tick in chart.ticks]
    ['−40', '−20', '0', '+20', '+40']
    >>> row = chart.rows[0]
    >>> row.low_x < chart.zero_x < row.estimate_x < row.high_x, chart.rows[1].estimate_x
    (True, None)
    """
    left, right = _INTERVAL_SIDES
    limit = _interval_limit([value for *_, estimate, low, high in rows for value in (estimate, low, high)])
    zero = (left + right) / 2

    def x(value: float | None) -> float | None:
        return None if value is None else round(zero + value / limit * (right - zero), 1)

    drawn = [
        IntervalRow(
            label=label,
            value=value,
            label_y=_INTERVAL_TOP + position * _ROW_HEIGHT + 18,
            bar_y=_INTERVAL_TOP + position * _ROW_HEIGHT + 42,
            low_x=x(low),
            estimate_x=x(estimate),
            high_x=x(high),
        )
        for position, (label, value, estimate, low, high) in enumerate(rows)
    ]
    bottom = _INTERVAL_TOP + len(rows) * _ROW_HEIGHT
    return IntervalChart(
        ident=ident,
        title=title,
        description=description,
        width=WIDTH,
        height=int(bottom + _INTERVAL_BOTTOM),
        left=left,
        top=_INTERVAL_TOP,
        right=right,
        bottom=bottom,
        zero_x=zero,
        x_label=x_label,
        ticks=[Tick(x(step * limit / 2), _signed(step * limit / 2, lang)) for step in range(-2, 3)],
        rows=drawn,
    )


def _date_positions(dates: Sequence[date], start: float, end: float) -> list[float]:
    """Each date's x, by its time from the first; one date in the middle."""
    if len(dates) < 2 or dates[0] == dates[-1]:
        return [(start + end) / 2] * len(dates)
    span = (dates[-1] - dates[0]).days
    return [start + (when - dates[0]).days / span * (end - start) for when in dates]


def _readable(ticks: list[Tick]) -> list[Tick]:
    """The ticks whose labels fit side by side: the last always, the first and the others where
    there is room beside the ones kept."""
    if len(ticks) < 2:
        return list(ticks)
    kept = [ticks[0]]
    for tick in ticks[1:-1]:
        if _apart(kept[-1], tick) and _apart(tick, ticks[-1]):
            kept.append(tick)
    if not _apart(kept[-1], ticks[-1]):  # only the first can be too close to the last
        kept.pop()
    return [*kept, ticks[-1]]


def _apart(one: Tick, other: Tick) -> bool:
    """Whether two centred labels do not overlap."""
    room = (len(one.label) + len(other.label)) / 2 * _CHARACTER + _FONT
    return abs(other.position - one.position) >= room


def _legend_positions(labels: Sequence[str], start: float) -> list[Point]:
    """Where each legend entry starts: side by side (a line sample of 32 units, the label, room),
    on a new row when the next would not fit.

    Examples
    --------
    >>> [(p.x, p.y) for p in _legend_positions(["Oost", "West"], 60)]
    [(60, 16.0), (152.8, 16.0)]
    >>> [(p.x, p.y) for p in _legend_positions(["Wijk " * 14, "West"], 60)]
    [(60, 16.0), (60, 36.0)]
    """
    positions, x, y = [], start, _LEGEND_ROW
    for label in labels:
        width = 40 + len(label) * _CHARACTER
        if x > start and x + width > WIDTH:
            x, y = start, y + 20
        positions.append(Point(x, y))
        x += width + 24
    return positions


def _line(style: str, label: str, xs: list[float], ys: list[float | None], legend: Point) -> Line:
    """One group's line, broken where a figure is missing."""
    segments: list[list[Point]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            segments.append([])
        else:
            segments[-1].append(Point(round(x, 1), round(y, 1)))
    return Line(
        style=style,
        label=label,
        segments=[" ".join(f"{p.x},{p.y}" for p in part) for part in segments if part],
        markers=[point for part in segments for point in part],
        legend=legend,
    )


def _interval_limit(values: Sequence[float | None]) -> float:
    """The half-width of the interval chart's axis: the first limit that holds every value."""
    extent = max((abs(value) for value in values if value is not None), default=0.0)
    return next((limit for limit in INTERVAL_LIMITS if extent <= limit), INTERVAL_LIMITS[-1])


def _signed(value: float, lang: str) -> str:
    """A tick in whole percentage points, signed (a true minus sign): −20, 0, +20.

    Examples
    --------
    >>> _signed(-0.2, "nl"), _signed(0.0, "en"), _signed(0.025, "nl")
    ('−20', '0', '+2,5')
    """
    points = round(abs(value) * 100, 1)
    shown = decimal(points, lang, 0 if points == int(points) else 1)
    if points == 0:
        return shown
    return ("+" if value > 0 else "−") + shown
