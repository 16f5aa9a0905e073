"""The evaluation as a report to attach to a council memo: markdown, or one self-contained,
printable html page with inline SVG figures (``evaluate --format md|html``, SPEC §11).

Both writers are pure functions of the ``carecircle.evaluation/1`` object that
:func:`~graph.analysis.evaluation_words.evaluation_json` makes (its verdicts already in the chosen
language) and of the organisations' names. They show the same report: the verdict per metric
with the difference in differences and its 95% interval, the groups' figures per snapshot, the
organisation pairs that started finding each other or drifted apart, every pair over time, and
how to read it all. The page adds two kinds of figure (:mod:`graph.analysis.evaluation_figures`)
and shows the pairs with the most helper pairs only, saying how many it leaves out.
"""

import re
from datetime import date

from graph.analysis.evaluation import GROUPS, METRICS, RESAMPLES, SHIFT
from graph.analysis.evaluation_figures import IntervalChart, LineChart, interval_chart, line_chart
from graph.analysis.evaluation_words import METRIC_NAMES, points
from graph.analysis.organisations import group_names
from graph.analysis.print_page import render
from graph.language import LANGUAGES, N_, day, number, share, translate, translate_plural

__all__ = ["NOT_SHOWN", "PAGE_PAIRS", "evaluation_html", "evaluation_markdown"]

#: the organisation pairs the page shows at most: those with the most helper pairs at the last snapshot
PAGE_PAIRS = 20
#: what a figure that is not there (or not shown) reads as
NOT_SHOWN = "–"

_TITLE = N_("Evaluation of the pilot in {pilot}")
_PERIOD = N_("From {start} to {end}; snapshots compared: {dates}.")
_ROLES = {
    "team": N_("For the district team: every figure as computed."),
    "policy": N_("For policy staff: figures about fewer than {k} residents or pairs are protected."),
}
_TEXTS = {
    "verdicts": N_("What the numbers show"),
    "groups": N_("The groups per snapshot"),
    "snapshot": N_("Snapshot"),
    "group": N_("Group"),
    "residents": N_("Residents with a circle"),
    "legend": N_("Legend"),
    "organisations": N_("Organisations finding each other"),
    "started": N_("Started finding each other"),
    "drifted": N_("Drifted apart"),
    "no_started": N_("No pair of organisations started finding each other."),
    "no_drifted": N_("No pair of organisations drifted apart."),
    "pairs": N_("Organisation pairs over time"),
    "no_pairs": N_("No two organisations share a resident in these snapshots."),
    "names": N_("Organisations"),
    "helper_pairs": N_("Helper pairs"),
    "aware": N_("Know each other"),
    "mutual": N_("Both ways"),
    "change": N_("Change (percentage points)"),
    "reading": N_("How to read this"),
    "rest": N_("Other neighbourhoods"),
    "share_axis": N_("Share (%)"),
    "points_axis": N_("Difference in percentage points (pilot minus the other neighbourhoods)"),
    "line_chart": N_("Line chart from 0 to 100%."),
    "no_figure": N_("no figure"),
    "nothing_drawn": N_("Nothing to draw: every figure of this chart is “–” in the table below."),
    "points_missing": N_("A point without a figure (“–” in the table below) is left out of its line."),
    "no_difference_drawn": N_("Nothing to draw: no difference in differences is available (see above)."),
}
_DIFFERENCE = N_("Difference in differences: {value}")
_DIFFERENCE_VALUE = N_("{estimate} percentage points (95% interval {low} to {high})")
#: the value next to a bar of the interval chart (its title and axis say what the numbers are)
_BAR_VALUE = N_("{estimate} ({low} to {high})")
_NOT_AVAILABLE = N_("not available")
_LINE_TITLE = N_("{metric}: {pilot} and the other neighbourhoods per snapshot")
_INTERVAL_TITLE = N_("Difference in differences per metric, with its 95% interval")
#: a name and its numbers, as a sentence
_NAMED_VALUES = N_("{group}: {values}.")
_ON_DAY = N_("{day}: {value}")
_PAIR = N_("{a} and {b}")
_AWARE_ON = N_("Know each other on {day}")
_PAIRS_EXPLAINED = N_(
    "Helper pairs: two helpers of the two organisations in the circle of the same resident. Know each"
    " other: the share of those pairs in which at least one knows the other; both ways: in which each"
    " knows the other."
)
_SHIFTS_EXPLAINED = N_(
    "A pair started finding each other when the share that know each other rose by at least {points}"
    " percentage points from {start} to {end}, with at least {k} helper pairs at both dates; it drifted"
    " apart when that share fell as much."
)
_PAIRS_SHOWN = N_("Shown: the {shown} pairs with the most helper pairs on {end}.")
_LEGEND = {
    "team": (N_("–: no figure: the group has nobody to compute it over at that snapshot."),),
    "policy": (
        N_(
            "–: not shown to protect privacy: the figure rests on fewer than {k} residents or pairs, or"
            " could be worked out from other figures."
        ),
        N_("<{k}: a count from 1 to {k1}, not shown exactly."),
    ),
}
_READING = (
    N_(
        "The difference in differences is the change in {pilot} from {start} to {end} minus the change"
        " in the other neighbourhoods over the same time, in percentage points. A positive difference"
        " means the share rose more (or fell less) in {pilot}."
    ),
    N_(
        "The 95% interval comes from a cluster bootstrap: in each group and snapshot the residents are"
        " drawn again with replacement, each with all its helpers, {resamples} times, from a fixed seed;"
        " the same data always give the same interval."
    ),
    N_(
        "An interval that does not include zero is called a change; one that includes zero, no clear"
        " difference. Few residents give a wide interval."
    ),
    N_(
        "This is not a randomised comparison: {pilot} was not chosen by lot, so a difference shows what"
        " changed alongside the pilot, not that the pilot caused it."
    ),
    N_(
        "Helpers who know each other: per resident with two or more helpers, the share of pairs of"
        " helpers in which one knows the other, averaged over those residents. Caregivers seen by a"
        " professional: of the informal caregivers of residents with a professional, the share that a"
        " professional knows."
    ),
)
#: what a markdown renderer would read as markup in a text: escaped with a backslash
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]|~]|<(?=[A-Za-z/!?])|&(?=#?\w+;)")


def evaluation_markdown(result: dict, names: dict[str, str], lang: str = "en") -> str:
    """The evaluation as a markdown report: headings, the verdicts, and every figure as a table.

    Parameters
    ----------
    result : dict
        The evaluation object (``carecircle.evaluation/1``) with its verdicts in ``lang``.
    names : dict of str to str
        Organisation id -> name; an id without one is shown as it is.
    lang : str
        The language of the report's own words, dates and numbers (en or nl).

    Returns
    -------
    str
        The report; every text from the data is escaped so that a markdown renderer shows it as
        written (no links, no html).

    Examples
    --------
    >>> result = {"role": "team", "k": 5, "pilot": "Oost", "from": "2024-01-01", "to": "2024-01-01",
    ...           "snapshots": [], "did": {}, "organisation_pairs": [], "started": [], "drifted": []}
    >>> evaluation_markdown(result, {}, "nl").splitlines()[0]
    '# Evaluatie van de pilot in Oost'
    """
    return "\n".join(_markdown(_report(result, names, _language(lang)))) + "\n"


def evaluation_html(result: dict, names: dict[str, str], lang: str = "en") -> str:
    """The evaluation as one self-contained page to print (A4) or attach: no scripts, no outside
    requests, every value escaped; its figures inline SVG, each with its numbers in words.

    Parameters
    ----------
    result : dict
        The evaluation object (``carecircle.evaluation/1``) with its verdicts in ``lang``.
    names : dict of str to str
        Organisation id -> name; an id without one is shown as it is.
    lang : str
        The language of the page's own words, dates and numbers (en or nl).

    Returns
    -------
    str
        The whole page: the report of :func:`evaluation_markdown` with a chart of the difference
        in differences and one line chart per metric, the organisation pairs limited to the
        :data:`PAGE_PAIRS` with the most helper pairs.

    Examples
    --------
    >>> result = {"role": "policy", "k": 5, "pilot": "Oost", "from": "2024-01-01", "to": "2024-01-01",
    ...           "snapshots": [], "did": {}, "organisation_pairs": [], "started": [], "drifted": []}
    >>> page = evaluation_html(result, {}, "nl")
    >>> '<html lang="nl">' in page, "<title>Evaluatie van de pilot in Oost</title>" in page
    (True, True)
    """
    lang = _language(lang)
    report = _report(result, names, lang)
    report["pair_table"] = _page_pairs(report["pairs"], result["to"], lang)
    report["figures"] = _figures(result, lang)
    return render("evaluation.html", report)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else LANGUAGES[0]


# --- the report, as text in the reader's language --------------------------------------------------


def _report(result: dict, names: dict[str, str], lang: str) -> dict:
    """Everything both formats show, as text in ``lang``: the writers only lay it out."""
    pilot = result["pilot"]
    dates = _dates(result)
    period = {"start": _day(result["from"], lang), "end": _day(result["to"], lang)}
    return {
        "lang": lang,
        "title": translate(_TITLE, lang, pilot=pilot),
        "intro": [
            translate(_PERIOD, lang, dates=", ".join(day(when, lang) for when in dates), **period),
            translate(_ROLES[result["role"]], lang, k=number(result["k"], lang)),
        ],
        "texts": {key: translate(text, lang) for key, text in _TEXTS.items()},
        "differences": [_difference(metric, result["did"][metric], lang) for metric in _metrics(result)],
        "groups": _group_rows(result, lang),
        "metric_names": [translate(METRIC_NAMES[metric], lang) for metric in METRICS],
        "legend": _legend(result, lang),
        "pairs_explained": translate(_PAIRS_EXPLAINED, lang),
        "shifts_explained": translate(
            _SHIFTS_EXPLAINED, lang, points=_whole_points(SHIFT, lang), k=number(result["k"], lang), **period
        ),
        "shift_columns": [
            translate(_AWARE_ON, lang, day=period["start"]),
            translate(_AWARE_ON, lang, day=period["end"]),
        ],
        "started": [_shift(row, names, lang) for row in result["started"]],
        "drifted": [_shift(row, names, lang) for row in result["drifted"]],
        "pairs": _pairs(result, names, lang),
        "reading": [
            translate(text, lang, pilot=pilot, resamples=number(RESAMPLES, lang), **period)
            for text in _READING
        ],
    }


def _whole_points(value: float, lang: str) -> str:
    """A share in whole percentage points: 0.2 is 20."""
    return number(round(value * 100), lang)


def _dates(result: dict) -> list[date]:
    """The snapshots compared, oldest first (the first and the last even without figures)."""
    found = {result["from"], result["to"], *(row["as_of"] for row in result["snapshots"])}
    return sorted(date.fromisoformat(when) for when in found)


def _day(value: str, lang: str) -> str:
    return day(date.fromisoformat(value), lang)


def _metrics(result: dict) -> list[str]:
    """The compared metrics the result has, in the evaluation's order."""
    return [metric for metric in METRICS if metric in result["did"]]


def _count(value: int | str | None, lang: str) -> str:
    """A count: grouped, a cut count ("<5") as it is, one not shown as a dash."""
    if value is None:
        return NOT_SHOWN
    return value if isinstance(value, str) else number(value, lang)


def _share(value: float | None, lang: str) -> str:
    """A share as a percentage with one digit; not there (or not shown) as a dash."""
    return NOT_SHOWN if value is None else share(value, lang, 1)


def _difference(metric: str, did: dict, lang: str) -> dict:
    """One metric's difference in differences: its name, summary line and verdict."""
    value = _did_value(did, _DIFFERENCE_VALUE, lang)
    return {
        "metric": metric,
        "name": translate(METRIC_NAMES[metric], lang),
        "summary": translate(_DIFFERENCE, lang, value=value),
        "value": value,
        "verdict": did["verdict"],
    }


def _did_value(did: dict, text: str, lang: str) -> str:
    """A difference in differences and its interval in percentage points, worded by ``text``."""
    if did["estimate"] is None:
        return translate(_NOT_AVAILABLE, lang)
    low, high = did["ci95"]
    return translate(
        text, lang, estimate=points(did["estimate"], lang), low=points(low, lang), high=points(high, lang)
    )


def _group_name(group: str, result: dict, lang: str) -> str:
    return result["pilot"] if group == "pilot" else translate(_TEXTS["rest"], lang)


def _group_rows(result: dict, lang: str) -> list[list[str]]:
    """The group table: per snapshot the pilot and the rest, residents with a circle and the shares."""
    return [
        [
            _day(row["as_of"], lang),
            _group_name(row["group"], result, lang),
            _count(row["residents_with_circle"], lang),
            *(_share(row[metric], lang) for metric in METRICS),
        ]
        for row in result["snapshots"]
    ]


def _legend(result: dict, lang: str) -> list[str]:
    """What a dash (and, for policy, "<k") means in the tables."""
    k = result["k"]
    return [
        translate(text, lang, k=number(k, lang), k1=number(k - 1, lang)) for text in _LEGEND[result["role"]]
    ]


def _organisation(group: str, names: dict[str, str], lang: str) -> str:
    """An organisation's name; a group of helpers without one in words."""
    return group_names({group: names.get(group)}, lang)[group]


def _pair_name(row: dict, names: dict[str, str], lang: str) -> str:
    return translate(
        _PAIR, lang, a=_organisation(row["a"], names, lang), b=_organisation(row["b"], names, lang)
    )


def _shift(row: dict, names: dict[str, str], lang: str) -> list[str]:
    """A pair that started finding each other or drifted apart: names, from, to, the change."""
    return [
        _pair_name(row, names, lang),
        _share(row["from_share"], lang),
        _share(row["to_share"], lang),
        points(row["to_share"] - row["from_share"], lang),
    ]


def _pairs(result: dict, names: dict[str, str], lang: str) -> list[dict]:
    """Every organisation pair over time, the most helper pairs at the last snapshot first: its
    name and per snapshot the date, helper pairs and both shares."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in result["organisation_pairs"]:
        grouped.setdefault((row["a"], row["b"]), []).append(row)
    ranked = sorted(grouped.values(), key=lambda rows: _pair_rank(rows, result["to"]))
    return [
        {
            "name": _pair_name(rows[0], names, lang),
            "rows": [
                [
                    _day(row["as_of"], lang),
                    _count(row["cross_pairs"], lang),
                    _share(row["aware_share"], lang),
                    _share(row["mutual_share"], lang),
                ]
                for row in sorted(rows, key=lambda row: row["as_of"])
            ],
        }
        for rows in ranked
    ]


def _pair_rank(rows: list[dict], last: str) -> tuple:
    """Most helper pairs at the last snapshot first (a cut or hidden count as none), then most in
    all snapshots together, then by the pair."""

    def pairs(row: dict) -> int:
        return row["cross_pairs"] if isinstance(row["cross_pairs"], int) else 0

    at_last = sum(pairs(row) for row in rows if row["as_of"] == last)
    return (-at_last, -sum(pairs(row) for row in rows), rows[0]["a"], rows[0]["b"])


# --- markdown ----------------------------------------------------------------------------------------


def _markdown(report: dict) -> list[str]:
    """The report's lines in markdown."""
    texts = report["texts"]
    lines = [f"# {_md(report['title'])}", "", *(f"{_md(line)}  " for line in report["intro"]), ""]
    lines += [f"## {_md(texts['verdicts'])}", ""]
    for difference in report["differences"]:
        lines += [f"### {_md(difference['name'])}", "", f"**{_md(difference['summary'])}**", ""]
        lines += [_md(difference["verdict"]), ""]
    lines += [f"## {_md(texts['groups'])}", ""]
    columns = [texts["snapshot"], texts["group"], texts["residents"], *report["metric_names"]]
    lines += [*_md_table(columns, report["groups"], numbers=2), ""]
    lines += [f"{_md(texts['legend'])}:", "", *(f"- {_md(line)}" for line in report["legend"]), ""]
    lines += [f"## {_md(texts['organisations'])}", "", _md(report["pairs_explained"]), ""]
    lines += _markdown_shifts(report)
    lines += [f"### {_md(texts['pairs'])}", ""]
    lines += _markdown_pairs(report)
    lines += [f"## {_md(texts['reading'])}", "", *(f"- {_md(line)}" for line in report["reading"])]
    return lines


def _markdown_shifts(report: dict) -> list[str]:
    """Started finding each other, and drifted apart: a table each, or a line saying none did."""
    texts = report["texts"]
    lines = [_md(report["shifts_explained"]), ""]
    columns = [texts["names"], *report["shift_columns"], texts["change"]]
    for kind in ("started", "drifted"):
        lines += [f"### {_md(texts[kind])}", ""]
        rows = report[kind]
        lines += [*_md_table(columns, rows, numbers=1), ""] if rows else [_md(texts[f"no_{kind}"]), ""]
    return lines


def _markdown_pairs(report: dict) -> list[str]:
    """Every organisation pair over time, one line per pair and snapshot."""
    texts = report["texts"]
    if not report["pairs"]:
        return [_md(texts["no_pairs"]), ""]
    columns = [texts["names"], texts["snapshot"], texts["helper_pairs"], texts["aware"], texts["mutual"]]
    rows = [[pair["name"], *row] for pair in report["pairs"] for row in pair["rows"]]
    legend = [f"- {_md(line)}" for line in report["legend"]] if _marked(report["pairs"]) else []
    return [*_md_table(columns, rows, numbers=2), "", *legend, *([""] if legend else [])]


def _marked(pairs: list[dict]) -> bool:
    """Whether a pair's row has a figure not shown ("–") or cut ("<k"): the legend goes with it."""
    return any(
        cell == NOT_SHOWN or cell.startswith("<") for pair in pairs for row in pair["rows"] for cell in row
    )


def _md_table(columns: list[str], rows: list[list[str]], numbers: int) -> list[str]:
    """A markdown table; the columns from ``numbers`` on are right-aligned."""
    align = ["---"] * numbers + ["---:"] * (len(columns) - numbers)
    return [_md_row(columns), "| " + " | ".join(align) + " |", *(_md_row(row) for row in rows)]


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(_md(cell) for cell in cells) + " |"


def _md(text: str) -> str:
    """``text`` as markdown shows it as written: markup characters escaped, on one line.

    Examples
    --------
    >>> _md("<img src=x onerror=alert(1)> | *Zorg* & Co <5")
    '\\\\<img src=x onerror=alert(1)> \\\\| \\\\*Zorg\\\\* & Co <5'
    """
    return _MARKDOWN_SPECIAL.sub(lambda found: "\\" + found.group(), " ".join(text.split()))


# --- the page ----------------------------------------------------------------------------------------


def _page_pairs(pairs: list[dict], last: str, lang: str) -> dict:
    """The organisation pairs the page shows (at most :data:`PAGE_PAIRS`) and what it says about
    the ones it leaves out."""
    shown, left = pairs[:PAGE_PAIRS], len(pairs) - PAGE_PAIRS
    if left <= 0:
        return {"shown": shown, "note": [], "marked": _marked(shown)}
    note = [
        translate(_PAIRS_SHOWN, lang, shown=number(PAGE_PAIRS, lang), end=_day(last, lang)),
        translate_plural(
            "{count} more pair is left out here; the markdown and JSON reports list every pair.",
            "{count} more pairs are left out here; the markdown and JSON reports list every pair.",
            left,
            lang,
        ),
    ]
    return {"shown": shown, "note": note, "marked": _marked(shown)}


def _figures(result: dict, lang: str) -> dict:
    """The page's figures: the differences in one interval chart, each metric in a line chart."""
    return {
        "differences": _interval_figure(result, lang),
        "lines": [_line_figure(result, metric, lang) for metric in _metrics(result)],
    }


def _interval_figure(result: dict, lang: str) -> IntervalChart:
    """Each metric's difference in differences as a point with its interval bar against zero."""
    rows, sentences = [], []
    for metric in _metrics(result):
        did = result["did"][metric]
        name = translate(METRIC_NAMES[metric], lang)
        rows.append((name, _did_value(did, _BAR_VALUE, lang), did["estimate"], *did["ci95"]))
        sentences.append(
            translate(_NAMED_VALUES, lang, group=name, values=_did_value(did, _DIFFERENCE_VALUE, lang))
        )
    return interval_chart(
        "figure-differences",
        rows,
        title=translate(_INTERVAL_TITLE, lang),
        description=" ".join(sentences),
        x_label=translate(_TEXTS["points_axis"], lang),
        lang=lang,
    )


def _line_figure(result: dict, metric: str, lang: str) -> LineChart:
    """One metric per snapshot: the pilot's line and the other neighbourhoods' line."""
    dates = _dates(result)
    figures = {(date.fromisoformat(row["as_of"]), row["group"]): row[metric] for row in result["snapshots"]}
    name = translate(METRIC_NAMES[metric], lang)
    lines = [
        (group, _group_name(group, result, lang), [figures.get((when, group)) for when in dates])
        for group in GROUPS
    ]
    return line_chart(
        "figure-" + metric.replace("_", "-"),
        dates,
        lines,
        title=translate(_LINE_TITLE, lang, metric=name, pilot=result["pilot"]),
        description=" ".join([translate(_TEXTS["line_chart"], lang), *_series_words(dates, lines, lang)]),
        labels=(
            translate(_TEXTS["snapshot"], lang),
            translate(_TEXTS["share_axis"], lang),
            [day(when, lang) for when in dates],
        ),
        lang=lang,
    )


def _series_words(dates: list[date], lines: list[tuple], lang: str) -> list[str]:
    """Each line's numbers in words: 'Stedenwijk: 1 December 2023: 52.9%, 1 June 2024: 74.5%.'"""
    missing = translate(_TEXTS["no_figure"], lang)
    return [
        translate(
            _NAMED_VALUES,
            lang,
            group=label,
            values=", ".join(
                translate(
                    _ON_DAY,
                    lang,
                    day=day(when, lang),
                    value=missing if value is None else share(value, lang, 1),
                )
                for when, value in zip(dates, values, strict=True)
            ),
        )
        for _, label, values in lines
    ]
