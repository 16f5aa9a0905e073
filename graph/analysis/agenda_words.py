"""The agenda as the ``carecircle.agenda/1`` object, worded in the user's language (SPEC §10)."""

from collections.abc import Mapping, Sequence
from functools import lru_cache

from graph.analysis.agenda import AGENDA_SCHEMA, Agenda, AgendaItem
from graph.analysis.gaps import Gap
from graph.analysis.introductions import Introduction
from graph.analysis.meetings import Meeting
from graph.analysis.overview import OverviewHolder
from graph.labels import ROLES, label
from graph.language import N_, translate, translate_plural
from graph.vocabulary import ROLE_KINDS

__all__ = [
    "agenda_json",
    "introduction_text",
    "meeting_text",
    "overview_text",
    "person",
]


def agenda_json(agenda: Agenda, lang: str = "en") -> dict:
    """The ``carecircle agenda --format json`` object, messages in ``lang`` (helpers by name where
    the helpers table has one, else by id; organisations likewise)."""
    names = {helper: name for helper, (_, name) in agenda.helpers.items() if name} or None
    return {
        "schema": AGENDA_SCHEMA,
        "as_of": agenda.as_of.isoformat(),
        "since": agenda.since.isoformat() if agenda.since else None,
        "neighbourhood": agenda.neighbourhood,
        "items": [_item(item, agenda, names, lang) for item in agenda.items],
        "meetings": [_meeting(meeting, agenda.organisations, lang) for meeting in agenda.meetings],
    }


def person(helper: str, helpers: Mapping[str, tuple[str, str | None]], lang: str = "en") -> str:
    """A helper as a sentence names them: their name (or id), then their role in brackets.

    Examples
    --------
    >>> person("H3", {"H3": ("volunteer", "Kees Bakker")}, "nl")
    'Kees Bakker (vrijwilliger)'
    >>> person("H4", {"H4": ("household_help", None)})
    'H4 (household help)'
    """
    role, name = helpers.get(helper, ("", None))
    return f"{name or helper} ({_role_word(role, lang)})"


@lru_cache(maxsize=256)
def _role_word(role: str, lang: str) -> str:
    return label(ROLES, role, lang) if role in ROLES else translate(N_("helper"), lang)


def introduction_text(
    introduction: Introduction, helpers: Mapping[str, tuple[str, str | None]], lang: str = "en"
) -> str:
    """ "Introduce A to B: closes 2 gaps, one of them high"; an informal helper or caregiver is
    introduced to a professional, otherwise the first id to the second.

    Examples
    --------
    >>> gaps = (Gap("unaware_pair", "R1", ("H1", "H2")), Gap("uncoordinated_overlap", "R1", ("H1", "H2")))
    >>> helpers = {"H1": ("household_help", "Samira El Idrissi"), "H2": ("volunteer", "Kees Bakker")}
    >>> introduction_text(Introduction(("H1", "H2"), gaps), helpers)
    'Introduce Kees Bakker (volunteer) to Samira El Idrissi (household help): closes 2 gaps, one of them high'
    >>> for part in introduction_text(Introduction(("H1", "H2"), gaps), helpers, "nl").split(": "):
    ...     print(part)
    Stel Kees Bakker (vrijwilliger) voor aan Samira El Idrissi (huishoudelijke hulp)
    dat sluit 2 knelpunten, waarvan 1 hoog
    """
    first, second = introduction.helpers
    if _formal(helpers, first) and not _formal(helpers, second):
        first, second = second, first
    return translate(
        N_("Introduce {a} to {b}: {closes}"),
        lang,
        a=person(first, helpers, lang),
        b=person(second, helpers, lang),
        closes=closes_text(len(introduction.closes), introduction.high, lang),
    )


def closes_text(count: int, high: int, lang: str = "en") -> str:
    """How many gaps an introduction closes, and how many of them are high.

    Examples
    --------
    >>> closes_text(1, 0), closes_text(1, 1), closes_text(3, 3), closes_text(4, 2)
    ('closes 1 gap', 'closes 1 high gap', 'closes 3 gaps, all of them high', 'closes 4 gaps, 2 of them high')
    >>> closes_text(3, 3, "nl")
    'dat sluit 3 knelpunten, alle hoog'
    """
    if high == 0:
        return translate_plural("closes {count} gap", "closes {count} gaps", count, lang)
    if high == count == 1:
        return translate(N_("closes 1 high gap"), lang)
    if high == count:
        return translate_plural(
            "closes {count} gap, all of them high", "closes {count} gaps, all of them high", count, lang
        )
    closes = translate_plural("closes {count} gap", "closes {count} gaps", count, lang)
    return translate_plural(
        "{closes}, one of them high", "{closes}, {count} of them high", high, lang, closes=closes
    )


def overview_text(
    holder: OverviewHolder, helpers: Mapping[str, tuple[str, str | None]], lang: str = "en"
) -> str:
    """Who should keep the overview, and whom they have still to meet.

    Examples
    --------
    >>> holder = OverviewHolder("H1", 1, 3, ("H2", "H3"))
    >>> overview_text(holder, {"H1": ("district_nurse", "Anouk de Wit"), "H2": ("volunteer", None)})
    'Ask Anouk de Wit (district nurse) to keep the overview; still to meet: H2 (volunteer), H3 (helper)'
    >>> overview_text(holder, {"H1": ("district_nurse", "Anouk de Wit")}, "nl").partition(";")[0]
    'Vraag Anouk de Wit (wijkverpleegkundige) het overzicht te houden'
    """
    return translate(
        N_("Ask {holder} to keep the overview; still to meet: {others}"),
        lang,
        holder=person(holder.helper_id, helpers, lang),
        others=", ".join(person(helper, helpers, lang) for helper in holder.to_introduce),
    )


def meeting_text(meeting: Meeting, organisations: Mapping[str, str], lang: str = "en") -> str:
    """Which two organisations to invite to the same neighbourhood meeting (by name where known).

    Examples
    --------
    >>> meeting = Meeting("Stedenwijk", "ORG1", "ORG2", 7, 5)
    >>> meeting_text(meeting, {"ORG1": "Thuiszorg West"})
    'Invite Thuiszorg West and ORG2 to the same neighbourhood meeting'
    """
    return translate(
        N_("Invite {a} and {b} to the same neighbourhood meeting"),
        lang,
        a=organisations.get(meeting.a, meeting.a),
        b=organisations.get(meeting.b, meeting.b),
    )


def _item(item: AgendaItem, agenda: Agenda, names: Mapping[str, str], lang: str) -> dict:
    introduction, holder = item.introduction, item.overview_holder
    return {
        "rank": item.rank,
        "resident_id": item.resident_id,
        "neighbourhood": item.neighbourhood,
        "counts": item.counts,
        "gaps": [
            _gap(gap, status, names, lang) for gap, status in zip(item.gaps, item.statuses, strict=True)
        ],
        "resolved": [
            {
                "type": gap.type,
                "severity": gap.severity,
                "helpers": list(gap.helpers),
                "domains": list(gap.domains),
            }
            for gap in item.resolved
        ],
        "introduction": None
        if introduction is None
        else {
            "helpers": list(introduction.helpers),
            "weight": introduction.weight,
            "closes": _identities(introduction.closes),
            "message": introduction_text(introduction, agenda.helpers, lang),
        },
        "overview_holder": None
        if holder is None
        else {
            "helper_id": holder.helper_id,
            "knows": holder.knows,
            "of": holder.of,
            "to_introduce": list(holder.to_introduce),
            "message": overview_text(holder, agenda.helpers, lang),
        },
        "circle": None
        if item.circle is None
        else {"joined": list(item.circle.joined), "left": list(item.circle.left)},
    }


def _gap(gap: Gap, status: str | None, names: Mapping[str, str] | None, lang: str) -> dict:
    # a gap that names no helper (unmet_need, no_overview) reads the same wherever it occurs
    message, action = (
        gap.text(lang, names) if gap.named else _unnamed_text(gap.type, gap.domains, gap.details, lang)
    )
    return {
        "type": gap.type,
        "severity": gap.severity,
        "helpers": list(gap.helpers),
        "domains": list(gap.domains),
        "status": status,
        "message": message,
        "action": action,
    }


@lru_cache(maxsize=4096)
def _unnamed_text(gap_type: str, domains: tuple, details: tuple, lang: str) -> tuple[str, str]:
    return Gap(gap_type, "", domains=domains, details=details).text(lang)


def _identities(gaps: Sequence[Gap]) -> list[dict]:
    return [{"type": gap.type, "helpers": list(gap.helpers), "domains": list(gap.domains)} for gap in gaps]


def _meeting(meeting: Meeting, organisations: Mapping[str, str], lang: str) -> dict:
    return {
        "neighbourhood": meeting.neighbourhood,
        "a": meeting.a,
        "b": meeting.b,
        "unaware_pairs": meeting.unaware_pairs,
        "shared_residents": meeting.shared_residents,
        "message": meeting_text(meeting, organisations, lang),
    }


def _formal(helpers: Mapping[str, tuple[str, str | None]], helper: str) -> bool:
    return ROLE_KINDS.get(helpers.get(helper, ("", None))[0]) == "formal"
