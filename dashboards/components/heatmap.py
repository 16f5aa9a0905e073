"""The cells of the organisation heat map: what each pair of groups shows, in which colours.

A cell is in one of three states, told apart by colour, pattern and text alike (so that a reader
who cannot tell colours apart, or prints in grey, still reads them):

* ``share``: the share of the pair's helpers in a shared circle who know each other, printed as a
  percentage on a colour of :data:`SHARE_SCALE` (viridis: sequential, readable with every common
  colour-vision deficiency), in black or white, whichever contrasts more with that colour;
* ``none``: the two groups share no resident (the pair has no row): a light grey cell with a dot;
* ``hidden``: the policy role may not see the share (fewer than k pairs, or hidden so that totals
  cannot give a small count away): a hatched cell with ``<5`` or ``–``.

The diagonal (a group with itself) is no pair: it is left white (state ``self``).
"""

from dataclasses import dataclass
from itertools import pairwise

from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

from dashboards.i18n import NOT_SHOWN, share_text

__all__ = [
    "DARK_INK",
    "HIDDEN_FILL",
    "HIDDEN_HATCH",
    "LIGHT_INK",
    "NONE_FILL",
    "NO_ROW_MARK",
    "SHARE_SCALE",
    "STATES",
    "HeatCell",
    "contrast",
    "heatmap_cell",
    "readable_ink",
    "share_colour",
]

#: the colour scale of shares, from 0% to 100%
SHARE_SCALE = "Viridis"
#: its stops as (position, (red, green, blue)), read once (plotly's own sampling reads the named
#: scale anew each time: 1 ms a cell)
_STOPS = [(position, hex_to_rgb(colour)) for position, colour in get_colorscale(SHARE_SCALE)]
#: the states of a cell, as :func:`heatmap_cell` names them
STATES = ("share", "none", "hidden", "self")
#: the text colours a cell may get
DARK_INK, LIGHT_INK = "#000000", "#ffffff"
#: a pair without shared residents: a light grey no share colour comes near, with a grey dot
NONE_FILL, NONE_INK = "#eceff2", "#495057"
NO_ROW_MARK = "·"
#: a hidden share: a near-white cell hatched in grey, its mark in black
HIDDEN_FILL, HIDDEN_HATCH = "#fafafa", "#868e96"


@dataclass(frozen=True)
class HeatCell:
    """One cell of the heat map: its state, its printed text, its fill colour and text colour."""

    state: str
    text: str
    fill: str
    ink: str


def heatmap_cell(row: dict | None, lang: str, *, diagonal: bool = False) -> HeatCell:
    """The cell of one pair of groups: ``row`` is its "finding each other" row as the role may see
    it, None when the pair has no row (no shared residents).

    Examples
    --------
    >>> heatmap_cell({"cross_pairs": 12, "aware_share": 0.25}, "en")
    HeatCell(state='share', text='25%', fill='rgb(59, 81, 138)', ink='#ffffff')
    >>> heatmap_cell({"cross_pairs": 40, "aware_share": 0.9}, "en").ink
    '#000000'
    >>> heatmap_cell(None, "en").state, heatmap_cell(None, "en").text
    ('none', '·')
    >>> [heatmap_cell({"cross_pairs": pairs, "aware_share": None}, "en").text for pairs in ("<5", None)]
    ['<5', '–']
    """
    if diagonal:
        return HeatCell("self", "", LIGHT_INK, DARK_INK)
    if row is None:
        return HeatCell("none", NO_ROW_MARK, NONE_FILL, NONE_INK)
    if row["aware_share"] is None:
        pairs = row["cross_pairs"]
        return HeatCell("hidden", pairs if isinstance(pairs, str) else NOT_SHOWN, HIDDEN_FILL, DARK_INK)
    fill = share_colour(row["aware_share"])
    return HeatCell("share", share_text(row["aware_share"], lang), fill, readable_ink(fill))


def share_colour(share: float) -> str:
    """The colour of ``share`` (0 to 1) on :data:`SHARE_SCALE`, as plotly draws it.

    Examples
    --------
    >>> share_colour(0.0), share_colour(1.0)
    ('rgb(68, 1, 84)', 'rgb(253, 231, 37)')
    """
    share = min(max(share, 0.0), 1.0)
    (start, low), (end, high) = next((stop, after) for stop, after in pairwise(_STOPS) if share <= after[0])
    part = (share - start) / (end - start)
    red, green, blue = (round(a + (b - a) * part) for a, b in zip(low, high, strict=True))
    return f"rgb({red}, {green}, {blue})"


def readable_ink(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (an ``rgb(…)`` or ``#rrggbb`` colour).

    Examples
    --------
    >>> readable_ink("rgb(68, 1, 84)"), readable_ink("#fde725")
    ('#ffffff', '#000000')
    """
    return max((DARK_INK, LIGHT_INK), key=lambda ink: contrast(ink, fill))


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21).

    Examples
    --------
    >>> round(contrast("#000000", "#ffffff"), 1), round(contrast("rgb(59, 91, 219)", "#ffffff"), 1)
    (21.0, 5.7)
    """
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    """The relative luminance of a colour (WCAG 2)."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [round(value) for value in unlabel_rgb(colour)]
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
