"""``/trends``: the evaluation over time of SPEC §11. Do helpers find each other more, and more in
the pilot neighbourhood than in the others?

The page has its own controls (pilot neighbourhood, from and to snapshot); the header's snapshot
and neighbourhood selects are hidden here. Per metric it draws the pilot against the rest per
snapshot, the difference in differences with its 95% interval, and says the verdict in words;
then the organisation pairs that started finding each other or drifted apart. Wherever a figure
is missing the page says why: no resident to compute it from (team), or hidden to protect
privacy (policy).
"""

from collections.abc import Callable
from datetime import date

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import difference_interval, group_lines
from dashboards.components.widgets import empty_state, loading, page_title, picture, policy_note, section
from dashboards.context import current, selected_day
from dashboards.data import DataSource
from dashboards.evaluations import PilotEvaluation
from dashboards.i18n import NOT_SHOWN, count_text, current_language, tab_title
from graph.analysis.evaluation import GROUPS, METRICS, RESAMPLES, SHIFT, Difference, PairShift
from graph.analysis.evaluation_words import METRIC_NAMES, points, verdict
from graph.analysis.organisations import group_names
from graph.errors import StoreError
from graph.language import N_, day, number, share, translate

__all__ = [
    "MISSING",
    "date_options",
    "default_pilot",
    "figures_table",
    "layout",
    "register",
    "register_callbacks",
    "trends_content",
    "trends_page",
]

TITLE = N_("Trends: the pilot against the other neighbourhoods")
SUBTITLE = N_(
    "Do helpers find each other more over time, and more in the pilot neighbourhood than elsewhere?"
)
#: what a figure shown as "–" means, per role
MISSING = {
    "team": N_("– no figure: no resident of this group counts for it in that snapshot."),
    "policy": N_(
        "– no figure, or hidden to protect privacy: the figure rests on fewer than {k} residents or"
        " caregivers, or would let someone work out one that does."
    ),
}
#: what a chart says instead of being drawn without a single figure, per role
NOTHING_TO_DRAW = {
    "team": N_("Nothing to draw: no resident counts for this in these snapshots."),
    "policy": N_(
        "Nothing to draw: every figure of this chart is missing or hidden to protect privacy (fewer"
        " than {k} residents or caregivers)."
    ),
}
FROM_AFTER_TO = N_(
    "The from snapshot ({start}) is after the to snapshot ({end}): choose an earlier from snapshot."
)
NO_SNAPSHOT_IN_RANGE = N_("No snapshot is stored from {start} to {end}.")
UNKNOWN_PILOT = N_(
    "{pilot} is not a neighbourhood in the snapshots from {start} to {end}: there is nothing to"
    " compare. Choose another pilot neighbourhood."
)
PILOT_MISSING = N_("{pilot} is not in the snapshot of {dates}: it has no figures there.")
PILOT_MISSING_VERDICT = N_("No difference can be given: {pilot} is not in the snapshot of {dates}.")
ONE_STORED = N_("Only one snapshot is stored; ingest another date to see change over time.")
SAME_SNAPSHOT = N_("From and to are the same snapshot: choose two different snapshots to see change.")
SCOPE = N_("{pilot} against the other neighbourhoods together, from {start} to {end}: {count} snapshots.")
SCOPE_ONE = N_("{pilot} against the other neighbourhoods together, on {start}.")
LINES_GUIDE = N_(
    "In each chart the solid line with circles is {pilot} and the dashed line with squares the other"
    " neighbourhoods together; the share is written at each point."
)
DIFFERENCE_GUIDE = N_(
    "The difference in differences is how much more the share changed in {pilot} than in the other"
    " neighbourhoods from {start} to {end}, in percentage points. The diamond is the estimate and the"
    " bar its 95% interval (a bootstrap of {resamples} resamples of the residents): a bar that"
    " crosses the dotted zero line means no clear difference."
)
PAIRS_HELP = N_(
    "Pairs of organisations (and informal helpers) in the whole municipality whose share of helpers"
    " who know each other rose or fell by at least {points} percentage points from {start} to {end},"
    " of the pairs with at least {k} pairs of helpers in a shared circle at both dates."
)
PAIR_LISTS = {
    "started": N_("Started finding each other ({count})"),
    "drifted": N_("Drifted apart ({count})"),
}


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/trends",
        name="Trends",
        title=tab_title(N_("carecircle – trends")),
        layout=layout,
        order=5,
    )


def layout(**_query) -> html.Div:
    """The page's own controls (pilot neighbourhood, from and to snapshot) above the evaluation."""
    lang = current_language()
    settings = current()
    dates, areas = _choices(settings.data)
    options = date_options(dates, lang)
    return html.Div(
        [
            page_title(translate(TITLE, lang), translate(SUBTITLE, lang)),
            dmc.Group(
                [
                    dmc.Select(
                        id=ids.TRENDS_PILOT,
                        label=translate("Pilot neighbourhood", lang),
                        data=areas,
                        value=default_pilot(areas, settings.pilot),
                        allowDeselect=False,
                        searchable=True,
                        persistence=True,
                        persistence_type="session",
                        w=240,
                    ),
                    dmc.Select(
                        id=ids.TRENDS_FROM,
                        label=translate("From snapshot", lang),
                        data=options,
                        value=options[0]["value"] if options else None,
                        allowDeselect=False,
                        persistence=True,
                        persistence_type="session",
                        w=200,
                    ),
                    dmc.Select(
                        id=ids.TRENDS_TO,
                        label=translate("To snapshot", lang),
                        data=options,
                        value=options[-1]["value"] if options else None,
                        allowDeselect=False,
                        persistence=True,
                        persistence_type="session",
                        w=200,
                    ),
                ],
                align="flex-end",
                mb="md",
                id=ids.TRENDS_CONTROLS,
            ),
            loading(html.Div(id=ids.TRENDS_CONTENT)),
        ],
        className="page",
    )


def _choices(data: DataSource) -> tuple[list[date], list[str]]:
    """The stored snapshot dates and the newest snapshot's neighbourhoods; none when the store
    cannot be read (the content says why)."""
    catalogue = data.catalogue()
    if not catalogue:
        return [], []
    try:
        newest = data.view()
    except StoreError:
        return [info.as_of for info in catalogue], []
    return [info.as_of for info in catalogue], newest.neighbourhoods if newest else []


def register_callbacks(app: dash.Dash) -> None:
    """Evaluate the chosen pilot over the chosen snapshots."""

    @app.callback(
        Output(ids.TRENDS_CONTENT, "children"),
        Input(ids.TRENDS_PILOT, "value"),
        Input(ids.TRENDS_FROM, "value"),
        Input(ids.TRENDS_TO, "value"),
    )
    def fill(pilot: str | None, start: str | None, end: str | None):
        settings = current()
        return trends_page(
            settings.data,
            pilot,
            selected_day(start),
            selected_day(end),
            current_role(),
            settings.k,
            current_language(),
        )


def date_options(dates: list[date], lang: str) -> list[dict]:
    """The from and to selects' options, oldest first, each date as people write it.

    Examples
    --------
    >>> date_options([date(2024, 6, 1)], "nl")
    [{'value': '2024-06-01', 'label': '1 juni 2024'}]
    """
    return [{"value": when.isoformat(), "label": day(when, lang)} for when in dates]


def default_pilot(areas: list[str], configured: str | None) -> str | None:
    """The configured pilot neighbourhood when it exists, else the first.

    Examples
    --------
    >>> default_pilot(["Filmwijk", "Stedenwijk"], "Stedenwijk"), default_pilot(["Filmwijk"], "Stedenwijk")
    ('Stedenwijk', 'Filmwijk')
    """
    if configured in areas:
        return configured
    return areas[0] if areas else None


def trends_page(
    data: DataSource, pilot: str | None, first: date | None, last: date | None, role: str, k: int, lang: str
) -> list:
    """The page's content for the chosen pilot and snapshots (None: the first and the last stored),
    or what is wrong with the choice, in words.

    Raises
    ------
    StoreError
        When the store cannot be read (the app's error handler shows it on the page).
    """
    stored = data.snapshots()
    if not stored:
        return [empty_state(translate("No data yet", lang))]
    if not pilot:
        return [empty_state(translate("Nothing to show for this selection.", lang))]
    if first and last and first > last:
        return [empty_state(translate(FROM_AFTER_TO, lang, start=day(first, lang), end=day(last, lang)))]
    result = data.evaluation(pilot, first, last, role)
    if result is None:
        start, end = first or stored[0].as_of, last or stored[-1].as_of
        return [
            empty_state(translate(NO_SNAPSHOT_IN_RANGE, lang, start=day(start, lang), end=day(end, lang)))
        ]
    return trends_content(result, role, k, lang, stored=len(stored))


def trends_content(result: PilotEvaluation, role: str, k: int, lang: str, *, stored: int) -> list:
    """The evaluation as ``role`` may see it: what it covers, a card per metric (the pilot against
    the rest, the difference in differences, the verdict, the figures), the organisation pairs that
    moved, and how to read it all. ``stored`` is the number of snapshots in the store."""
    evaluation = result.evaluation
    dates = {"start": day(evaluation.first, lang), "end": day(evaluation.last, lang)}
    if not result.pilot_present:
        return [empty_state(translate(UNKNOWN_PILOT, lang, pilot=evaluation.pilot, **dates))]
    body = [_scope(result, lang), *_notices(result, stored, lang)]
    body.append(_residents_section(result, role, k, lang))
    body.extend(_metric_section(result, metric, role, k, lang) for metric in METRICS)
    if len(result.dates) > 1:
        body.append(_pairs_section(result, k, lang))
    body.append(_reading_guide(result, role, k, lang))
    return [dmc.Stack(body, gap="md", id="trends-evaluation")]


def _scope(result: PilotEvaluation, lang: str) -> dmc.Text:
    """One line: the pilot, the snapshots compared."""
    evaluation = result.evaluation
    words = {"pilot": evaluation.pilot, "start": day(evaluation.first, lang)}
    if len(result.dates) == 1:
        text = translate(SCOPE_ONE, lang, **words)
    else:
        text = translate(
            SCOPE, lang, end=day(evaluation.last, lang), count=number(len(result.dates), lang), **words
        )
    return dmc.Text(text, id="trends-scope")


def _notices(result: PilotEvaluation, stored: int, lang: str) -> list:
    """What limits the comparison: one snapshot only, or snapshots without the pilot."""
    notices = []
    if stored == 1:
        notices.append(translate(ONE_STORED, lang))
    elif len(result.dates) == 1:
        notices.append(translate(SAME_SNAPSHOT, lang))
    if result.pilot_missing:
        notices.append(_pilot_missing(result, PILOT_MISSING, lang))
    return [empty_state(text) for text in notices]


def _pilot_missing(result: PilotEvaluation, text: str, lang: str) -> str:
    """``text`` with the pilot and the snapshots that lack it."""
    missing = ", ".join(day(when, lang) for when in result.pilot_missing)
    return translate(text, lang, pilot=result.evaluation.pilot, dates=missing)


def _group_names(result: PilotEvaluation, lang: str) -> dict[str, str]:
    """What the page calls each group: the pilot by its name, the rest in words."""
    return {"pilot": result.evaluation.pilot, "rest": translate("Other neighbourhoods", lang)}


def _values(result: PilotEvaluation, field: str) -> dict[str, list]:
    """Per group, the figure ``field`` per evaluated snapshot, oldest first."""
    rows = {(row.as_of, row.group): row for row in result.evaluation.snapshots}
    return {group: [getattr(rows[when, group], field) for when in result.dates] for group in GROUPS}


def figures_table(
    result: PilotEvaluation,
    values: dict[str, list],
    written: Callable[[object, str], str],
    lang: str,
    *,
    table_id: str,
) -> dmc.Table:
    """A table of a figure per snapshot (rows) for the pilot and the rest (columns), each value
    written by ``written`` (a missing one as "–")."""
    names = _group_names(result, lang)
    head = [translate("Snapshot", lang), *(names[group] for group in GROUPS)]
    body = [
        [day(when, lang), *(written(values[group][position], lang) for group in GROUPS)]
        for position, when in enumerate(result.dates)
    ]
    return dmc.Table(
        data={"head": head, "body": body},
        id=table_id,
        striped=True,
        withTableBorder=True,
        highlightOnHover=False,
        mt="xs",
        fz="sm",
    )


def _written_share(value: float | None, lang: str) -> str:
    return NOT_SHOWN if value is None else share(value, lang, 1)


def _missing_note(values: dict[str, list], role: str, k: int, lang: str) -> list:
    """What "–" means, under a table that has one."""
    if all(value is not None for series in values.values() for value in series):
        return []
    meaning = translate(MISSING[role], lang, k=number(k, lang))
    return [dmc.Text(meaning, size="sm", mt="xs", className="missing-note")]


def _residents_section(result: PilotEvaluation, role: str, k: int, lang: str) -> dmc.Card:
    """The residents with a circle per group and snapshot: what the shares rest on."""
    values = _values(result, "residents_with_circle")
    return section(
        translate("Residents with a circle of support", lang),
        figures_table(result, values, count_text, lang, table_id="trends-residents"),
        *_missing_note(values, role, k, lang),
        id="trends-residents-section",
    )


def _metric_section(result: PilotEvaluation, metric: str, role: str, k: int, lang: str) -> dmc.Card:
    """One metric: the pilot against the rest per snapshot, the difference in differences with its
    interval, the verdict in words, the figures in a table."""
    title = translate(METRIC_NAMES[metric], lang)
    values = _values(result, metric)
    difference = result.evaluation.differences[metric]
    interval = _interval(difference, lang, metric) if difference.estimate is not None else []
    verdict_text = dmc.Text(_verdict(result, metric, lang), id=f"verdict-{metric}", className="verdict")
    return section(
        title,
        dmc.Grid(
            [
                dmc.GridCol(_lines(result, values, metric, role, k, lang), span={"base": 12, "lg": 7}),
                dmc.GridCol(
                    [
                        dmc.Text(translate("Difference in differences", lang), fw=600, size="sm"),
                        *interval,
                        verdict_text,
                    ],
                    span={"base": 12, "lg": 5},
                ),
            ],
            gutter="md",
        ),
        figures_table(result, values, _written_share, lang, table_id=f"figures-{metric}"),
        *_missing_note(values, role, k, lang),
        id=f"evaluation-{metric}",
    )


def _interval(difference: Difference, lang: str, metric: str) -> list:
    """The difference in differences and its interval in words, and drawn."""
    label = translate(
        "{estimate} (95% interval {low} to {high})",
        lang,
        estimate=points(difference.estimate, lang),
        low=points(difference.low, lang),
        high=points(difference.high, lang),
    )
    return [
        dmc.Text(label, size="sm", id=f"interval-{metric}"),
        picture(
            dcc.Graph(
                figure=difference_interval(
                    difference.estimate, difference.low, difference.high, label=label, lang=lang
                ),
                config={"displayModeBar": False},
                id=f"difference-{metric}",
            ),
            label,
        ),
    ]


def _lines(result: PilotEvaluation, values: dict[str, list], metric: str, role: str, k: int, lang: str):
    """The chart of the pilot against the rest, or, when it has no figure at all, why not."""
    if all(value is None for series in values.values() for value in series):
        return empty_state(translate(NOTHING_TO_DRAW[role], lang, k=number(k, lang)))
    return picture(
        dcc.Graph(
            figure=group_lines(
                values,
                [day(when, lang) for when in result.dates],
                _group_names(result, lang),
                lang=lang,
            ),
            config={"displayModeBar": False},
            id=f"trend-{metric}",
        ),
        translate(METRIC_NAMES[metric], lang),
    )


def _verdict(result: PilotEvaluation, metric: str, lang: str) -> str:
    """The verdict of one metric in words; a pilot missing from the first or the last snapshot is
    named as the reason there is none (not privacy)."""
    evaluation = result.evaluation
    ends = {evaluation.first, evaluation.last}
    if len(ends) > 1 and ends & set(result.pilot_missing):
        return _pilot_missing(result, PILOT_MISSING_VERDICT, lang)
    return verdict(evaluation.differences[metric], evaluation, lang)


def _pairs_section(result: PilotEvaluation, k: int, lang: str) -> dmc.Card:
    """The organisation pairs that started finding each other and that drifted apart, with a link
    to the page of every pair."""
    evaluation = result.evaluation
    names = group_names(result.organisations, lang)
    lists = {"started": evaluation.started, "drifted": evaluation.drifted}
    columns = [
        dmc.GridCol(
            [
                dmc.Text(
                    translate(PAIR_LISTS[kind], lang, count=number(len(shifts), lang)), fw=600, size="sm"
                ),
                _pair_list(shifts, names, lang, f"trends-{kind}"),
            ],
            span={"base": 12, "md": 6},
        )
        for kind, shifts in lists.items()
    ]
    help_text = translate(
        PAIRS_HELP,
        lang,
        points=number(round(SHIFT * 100), lang),
        k=number(k, lang),
        start=day(evaluation.first, lang),
        end=day(evaluation.last, lang),
    )
    return section(
        translate("Organisations over time", lang),
        dmc.Text(help_text, size="sm", mb="xs"),
        dmc.Grid(columns, gutter="md"),
        dmc.Anchor(
            translate("See every pair of organisations on Finding each other", lang),
            href="/collaboration",
            size="sm",
            mt="sm",
            c="indigo.8",
        ),
        id="trends-pairs",
    )


def _pair_list(shifts: list[PairShift], names: dict[str, str], lang: str, list_id: str):
    """The pairs, each with its share at the first and at the last snapshot."""
    if not shifts:
        return dmc.Text(translate("None.", lang), size="sm", id=list_id)
    return html.Ul(
        [
            html.Li(
                f"{names.get(shift.a, shift.a)} – {names.get(shift.b, shift.b)}:"
                f" {share(shift.from_share, lang)} → {share(shift.to_share, lang)}"
            )
            for shift in shifts
        ],
        id=list_id,
        className="trends-pairs",
    )


def _reading_guide(result: PilotEvaluation, role: str, k: int, lang: str) -> dmc.Card:
    """How to read the page: the lines, the interval, and what "–" (and, for policy, "<k") means."""
    evaluation = result.evaluation
    words = {
        "pilot": evaluation.pilot,
        "start": day(evaluation.first, lang),
        "end": day(evaluation.last, lang),
    }
    lines = [
        translate(LINES_GUIDE, lang, **words),
        translate(DIFFERENCE_GUIDE, lang, resamples=number(RESAMPLES, lang), **words),
        translate(MISSING[role], lang, k=number(k, lang)),
    ]
    return section(
        translate("How to read this page", lang),
        html.Ul([html.Li(line) for line in lines], className="trends-guide"),
        *([policy_note(lang, k)] if role == "policy" else []),
        id="trends-guide",
    )
