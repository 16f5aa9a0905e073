"""Plain-language gap messages and suggested actions, in the user's language."""

from collections.abc import Sequence
from functools import lru_cache

from graph.labels import DOMAINS, ROLES, label
from graph.language import N_, decimal, translate, translate_plural

__all__ = ["gap_text", "helper_phrase"]


def helper_phrase(role: str, helper_id: str, lang: str = "en") -> str:
    """A helper as a district team names it in a sentence: role with article, then the id (or name).

    Examples
    --------
    >>> helper_phrase("district_nurse", "H1", "nl")
    'de wijkverpleegkundige (H1)'
    >>> helper_phrase("hairdresser", "H9")
    'the helper (H9)'
    """
    before, after = _phrase_around(role, lang)
    return f"{before}{helper_id}{after}"


@lru_cache(maxsize=1024)
def _phrase_around(role: str, lang: str) -> tuple[str, str]:
    """The words of :func:`helper_phrase` before and after the helper, worded once per role."""
    name = label(ROLES, role, lang) if role in ROLES else translate(N_("helper"), lang)
    before, _, after = translate(N_("the {role} ({helper})"), lang, role=name, helper="\0").partition("\0")
    return before, after


# gap type -> (message, action); {a}, {b} are helper phrases, the other fields come from the details
_TEXTS = {
    "unaware_pair": (
        N_("{a} and {b} do not know of each other's involvement"),
        N_("Introduce {a} to {b}"),
    ),
    "one_sided_awareness": (
        N_("{a} knows of {b}, but not the other way round"),
        N_("Ask {a} to introduce themselves to {b}"),
    ),
    "caregiver_unseen": (
        N_("No professional knows of {a}"),
        N_("Have a professional of the circle contact {a} and ask whether they need support"),
    ),
    "no_overview": (
        N_("Nobody of the {helpers} knows all the others"),
        N_("Agree who keeps the overview (a case manager or the district nurse)"),
    ),
    "uncoordinated_overlap": (
        N_("{a} and {b} both work on {domains} without coordinating"),
        N_("Let {a} and {b} divide the tasks"),
    ),
    "unmet_need": (
        N_("Nobody covers the need for {domains}"),
        N_("Find a helper for {domains}"),
    ),
    "stale_contact": (
        N_("{a} and {b} agreed contact {every}; {last}"),
        N_("Schedule the agreed contact between {a} and {b}"),
    ),
    "delegation_without_contact": (
        N_("{a} does a task delegated by {b} without the agreed contact ({reason})"),
        N_("Restore the regular contact in which {b} coaches {a}"),
    ),
    "caregiver_overload": (
        N_("{a} gives {hours} hours of care a week in all, above the 8 hours of intensive care"),
        N_("Offer {a} caregiver support (respite care, mantelzorgondersteuning)"),
    ),
}
#: why a delegated task lacks its contact (the ``reason`` detail)
_REASONS = {
    "outside": N_("the delegator no longer supports this resident"),
    "none": N_("no coordinating contact"),
    "stale": N_("the contact is overdue"),
}


def gap_text(
    gap_type: str, lang: str, named: Sequence[tuple[str, str]], details: Sequence[tuple[str, object]] = ()
) -> tuple[str, str]:
    """Return (message, action) for a gap in ``lang``.

    Parameters
    ----------
    named : sequence of (role, helper)
        The gap's helpers (their id, or a name to show), in the order the message names them.
    details : sequence of (name, value)
        What the gap's type needs: ``domains`` (a tuple); ``n`` (circle size); ``k`` (agreed
        interval) and ``days_since`` (None: no contact recorded); ``reason``; ``hours``.

    Examples
    --------
    >>> gap_text("unaware_pair", "en", [("volunteer", "H3"), ("district_nurse", "H1")])[1]
    'Introduce the volunteer (H3) to the district nurse (H1)'
    >>> gap_text("unmet_need", "nl", [], [("domains", ("administration",))])[0]
    'Niemand dekt de behoefte aan administratie'
    >>> gap_text("caregiver_overload", "nl", [("informal_caregiver", "H4")], [("hours", 9.8)])[0]
    'De mantelzorger (H4) geeft in totaal 9,8 uur zorg per week, boven de 8 uur van intensieve mantelzorg'
    """
    wording = _wording(gap_type, lang, tuple([role for role, _ in named]), tuple(details))
    if wording is None:  # a code of the data holds a mark: word this gap on its own
        return _worded(gap_type, lang, named, dict(details))
    helpers = [helper for _, helper in named]
    return _capitalise(wording[0].format(*helpers)), _capitalise(wording[1].format(*helpers))


#: where the helpers go while a gap is worded (:func:`_wording`): characters no translation holds
_MARKS = ("\0", "\1")


@lru_cache(maxsize=4096)
def _wording(gap_type: str, lang: str, roles: tuple[str, ...], details: tuple) -> tuple[str, str] | None:
    """A gap's (message, action) as format strings with a field for each helper, worded once for
    all gaps alike but for their helpers (183,000 gaps at 60,000 residents need a few thousand).
    None when a code of the data (an unknown domain, shown as written) holds a mark itself."""
    codes = [code for _, value in details if isinstance(value, tuple) for code in value]
    if any(mark in code for code in codes for mark in _MARKS):
        return None
    texts = _worded(gap_type, lang, list(zip(roles, _MARKS, strict=False)), dict(details))
    return tuple(_with_fields(text) for text in texts)


def _with_fields(text: str) -> str:
    """``text`` as a format string: its braces doubled, each mark a positional field."""
    text = text.replace("{", "{{").replace("}", "}}")
    for position, mark in enumerate(_MARKS):
        text = text.replace(mark, f"{{{position}}}")
    return text


def _worded(gap_type: str, lang: str, named: Sequence[tuple[str, str]], details: dict) -> tuple[str, str]:
    names = [helper_phrase(role, helper, lang) for role, helper in named]
    values = dict(zip(("a", "b"), names, strict=False))
    values["domains"] = ", ".join(label(DOMAINS, domain, lang) for domain in details.get("domains", ()))
    values.update(_detail_words(lang, **details))
    message, action = _TEXTS[gap_type]
    return (
        _capitalise(translate(message, lang, **values)),
        _capitalise(translate(action, lang, **values)),
    )


def _detail_words(lang: str, **details) -> dict[str, str]:
    """The words of a gap's details, counts and hours written the language's way."""
    words = {}
    if "n" in details:
        words["helpers"] = translate_plural("{count} helper", "{count} helpers", details["n"], lang)
    if "k" in details:
        words["every"] = translate_plural("every {count} day", "every {count} days", details["k"], lang)
    if "days_since" in details:
        days = details["days_since"]
        words["last"] = (
            translate(N_("no contact recorded"), lang)
            if days is None
            else translate_plural("last contact {count} day ago", "last contact {count} days ago", days, lang)
        )
    if "reason" in details:
        words["reason"] = translate(_REASONS[details["reason"]], lang)
    if "hours" in details:
        words["hours"] = decimal(details["hours"], lang, 1)
    return words


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
