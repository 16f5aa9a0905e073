"""The evaluation as the ``carecircle.evaluation/1`` object, its verdicts in plain words (SPEC §11)."""

from graph.analysis.evaluation import EVALUATION_SCHEMA, Difference, Evaluation
from graph.language import N_, day, decimal, number, translate

__all__ = ["METRIC_NAMES", "METRIC_PHRASES", "evaluation_json", "points", "verdict"]

#: each compared metric as a title names it
METRIC_NAMES = {
    "mean_awareness_coverage": N_("Helpers who know each other"),
    "caregiver_visibility": N_("Caregivers seen by a professional"),
}
#: each compared metric as a sentence names it
METRIC_PHRASES = {
    "mean_awareness_coverage": N_("the share of helpers in a circle who know each other"),
    "caregiver_visibility": N_("the share of caregivers a professional knows"),
}
_CHANGE = {
    "higher": N_(
        "From {start} to {end}, {metric} rose {points} percentage points more in {pilot} than in the"
        " other neighbourhoods (95% interval {low} to {high})."
    ),
    "lower": N_(
        "From {start} to {end}, {metric} rose {points} percentage points less in {pilot} than in the"
        " other neighbourhoods (95% interval {low} to {high})."
    ),
}
_FINDING = {
    "higher": N_("The interval does not include zero: this is a change."),
    "lower": N_("The interval does not include zero: this is a change."),
    "unclear": N_("The interval includes zero: no clear difference; chance alone could explain it."),
}
_WIDE = N_(
    "The interval is wide: with {count} residents in {pilot} the data cannot pin down the size of the effect."
)
_FEW = N_(
    "{pilot} has only {count} residents to compare, so the interval says little: a few residents"
    " more or less could change the result."
)
_NOT_RANDOMISED = N_(
    "This is not a randomised comparison: {pilot} was not chosen by lot, so other differences"
    " between the neighbourhoods may explain part or all of it."
)
_NOT_COMPUTED = N_(
    "No difference can be given: {pilot} or the other neighbourhoods have no figure at {start} or at {end}."
)
_NOT_SHOWN = N_(
    "Not shown: a figure it needs rests on fewer than {k} residents, or is hidden to protect privacy."
)
_ONE_SNAPSHOT = N_("Only one snapshot is compared: a change needs two.")


def evaluation_json(evaluation: Evaluation, lang: str = "en") -> dict:
    """The ``carecircle evaluate --format json`` object, the verdicts in ``lang``; floats to 3 decimals."""
    return {
        "schema": EVALUATION_SCHEMA,
        "role": evaluation.role,
        "k": evaluation.k,
        "pilot": evaluation.pilot,
        "from": evaluation.first.isoformat(),
        "to": evaluation.last.isoformat(),
        "snapshots": [_rounded(row.as_dict()) for row in evaluation.snapshots],
        "did": {
            metric: {
                "estimate": _round(difference.estimate),
                "ci95": [_round(difference.low), _round(difference.high)],
                "verdict": verdict(difference, evaluation, lang),
            }
            for metric, difference in evaluation.differences.items()
        },
        "organisation_pairs": [_rounded(row) for row in evaluation.organisation_pairs],
        "started": [_rounded(shift.as_dict()) for shift in evaluation.started],
        "drifted": [_rounded(shift.as_dict()) for shift in evaluation.drifted],
    }


def verdict(difference: Difference, evaluation: Evaluation, lang: str = "en") -> str:
    """What a difference in differences does and does not show, in plain words of ``lang``."""
    pilot = evaluation.pilot
    dates = {"start": day(evaluation.first, lang), "end": day(evaluation.last, lang)}
    if evaluation.first == evaluation.last:
        return translate(_ONE_SNAPSHOT, lang)
    if difference.estimate is None:
        if difference.withheld:
            return translate(_NOT_SHOWN, lang, k=number(evaluation.k, lang))
        return translate(_NOT_COMPUTED, lang, pilot=pilot, **dates)
    sentences = [
        translate(
            _CHANGE["lower" if difference.estimate < 0 else "higher"],
            lang,
            metric=translate(METRIC_PHRASES[difference.metric], lang),
            points=decimal(abs(difference.estimate) * 100, lang),
            pilot=pilot,
            low=points(difference.low, lang),
            high=points(difference.high, lang),
            **dates,
        ),
        translate(_FINDING[difference.finding], lang),
    ]
    residents = number(min(difference.pilot_residents), lang)
    if difference.few:
        sentences.append(translate(_FEW, lang, count=residents, pilot=pilot))
    elif difference.wide:
        sentences.append(translate(_WIDE, lang, count=residents, pilot=pilot))
    sentences.append(translate(_NOT_RANDOMISED, lang, pilot=pilot))
    return " ".join(sentences)


def points(value: float, lang: str = "en") -> str:
    """A difference of shares in percentage points, signed: +5.3, −1.2 (a true minus sign).

    Examples
    --------
    >>> points(0.053), points(-0.012, "nl"), points(0.0)
    ('+5.3', '−1,2', '0.0')
    """
    shown = decimal(abs(value) * 100, lang)
    if shown == decimal(0.0, lang):
        return shown
    return ("+" if value > 0 else "−") + shown


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _rounded(row: dict) -> dict:
    return {key: round(value, 3) if isinstance(value, float) else value for key, value in row.items()}
