"""Plain-language gap messages and suggested actions, in English and Dutch."""

from graph.labels import DOMAINS, ROLES, label

__all__ = ["gap_text", "helper_phrase"]


def helper_phrase(role: str, helper_id: str, lang: str = "en") -> str:
    """A helper as a district team names it in a sentence: role with article, then the id (or name).

    Examples
    --------
    >>> helper_phrase("district_nurse", "H1", "nl")
    'de wijkverpleegkundige (H1)'
    """
    article = "de" if lang == "nl" else "the"
    name = label(ROLES, role, lang) if role in ROLES else ("hulpverlener" if lang == "nl" else "helper")
    return f"{article} {name} ({helper_id})"


# gap type -> {lang: (message template, action template)}; {a}, {b} are "role (id)"
_TEXTS = {
    "unaware_pair": {
        "en": ("{a} and {b} do not know of each other's involvement", "Introduce {a} to {b}"),
        "nl": ("{a} en {b} weten niet van elkaars betrokkenheid", "Breng {a} in contact met {b}"),
    },
    "one_sided_awareness": {
        "en": ("{a} knows of {b}, but not the other way round", "Ask {a} to introduce themselves to {b}"),
        "nl": ("{a} weet van {b}, maar niet andersom", "Vraag {a} zich voor te stellen aan {b}"),
    },
    "caregiver_unseen": {
        "en": (
            "No professional knows of {a}",
            "Have a professional of the circle contact {a} and ask whether they need support",
        ),
        "nl": (
            "Geen professional weet van {a}",
            "Laat een professional uit de kring contact opnemen met {a} en vragen of ondersteuning nodig is",
        ),
    },
    "no_overview": {
        "en": (
            "Nobody of the {n} helpers knows all the others",
            "Agree who keeps the overview (a case manager or the district nurse)",
        ),
        "nl": (
            "Niemand van de {n} hulpverleners kent alle anderen",
            "Spreek af wie het overzicht houdt (een casemanager of de wijkverpleegkundige)",
        ),
    },
    "uncoordinated_overlap": {
        "en": ("{a} and {b} both work on {domains} without coordinating", "Let {a} and {b} divide the tasks"),
        "nl": ("{a} en {b} doen allebei {domains} zonder afstemming", "Laat {a} en {b} de taken verdelen"),
    },
    "unmet_need": {
        "en": ("Nobody covers the need for {domains}", "Find a helper for {domains}"),
        "nl": ("Niemand dekt de behoefte aan {domains}", "Zoek een hulpverlener voor {domains}"),
    },
    "stale_contact": {
        "en": (
            "{a} and {b} agreed contact every {k} days; {last}",
            "Schedule the agreed contact between {a} and {b}",
        ),
        "nl": (
            "{a} en {b} spraken elke {k} dagen contact af; {last}",
            "Plan het afgesproken contact tussen {a} en {b}",
        ),
    },
    "delegation_without_contact": {
        "en": (
            "{a} does a task delegated by {b} without the agreed contact ({reason})",
            "Restore the regular contact in which {b} coaches {a}",
        ),
        "nl": (
            "{a} doet een taak gedelegeerd door {b} zonder het afgesproken contact ({reason})",
            "Herstel het vaste contact waarin {b} {a} coacht",
        ),
    },
    "caregiver_overload": {
        "en": (
            "{a} gives {hours} hours of care a week in all, above the 8 hours of intensive care",
            "Offer {a} caregiver support (respite care, mantelzorgondersteuning)",
        ),
        "nl": (
            "{a} geeft in totaal {hours} uur zorg per week, boven de 8 uur van intensieve mantelzorg",
            "Bied {a} mantelzorgondersteuning aan (respijtzorg)",
        ),
    },
}
_LAST = {
    "en": ("no contact recorded", "last contact {days} days ago"),
    "nl": ("geen contact vastgelegd", "laatste contact {days} dagen geleden"),
}
_REASONS = {
    "en": {
        "outside": "the delegator no longer supports this resident",
        "none": "no coordinating contact",
        "stale": "the contact is overdue",
    },
    "nl": {
        "outside": "de delegerende hulpverlener ondersteunt deze bewoner niet meer",
        "none": "geen afstemmingscontact",
        "stale": "het contact is achterstallig",
    },
}


def gap_text(gap_type: str, lang: str, roles: list[tuple[str, str]], **details) -> tuple[str, str]:
    """Return (message, action) for a gap in ``lang``.

    Parameters
    ----------
    roles : list of (role, helper)
        The gap's helpers (their id, or a name to show), in the order the message names them.

    Examples
    --------
    >>> gap_text("unaware_pair", "en", [("volunteer", "H3"), ("district_nurse", "H1")])[1]
    'Introduce the volunteer (H3) to the district nurse (H1)'
    >>> gap_text("unmet_need", "nl", [], domains=["administration"])[0]
    'Niemand dekt de behoefte aan administratie'
    """
    language = "nl" if lang == "nl" else "en"
    names = [helper_phrase(role, hid, language) for role, hid in roles]
    values = dict(zip(("a", "b"), names, strict=False))
    values["domains"] = ", ".join(label(DOMAINS, domain, language) for domain in details.get("domains", ()))
    if "days_since" in details:
        days = details["days_since"]
        none_text, some_text = _LAST[language]
        values["last"] = none_text if days is None else some_text.format(days=days)
    if "reason" in details:
        values["reason"] = _REASONS[language][details["reason"]]
    values.update({k: v for k, v in details.items() if k in ("k", "n", "hours")})
    message, action = _TEXTS[gap_type][language]
    return _capitalise(message.format(**values)), _capitalise(action.format(**values))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
