"""What users read for each code: gap types, severities, roles, kinds, domains and levels.

Each table maps a code to its English word, marked with :func:`~graph.language.N_`; the Dutch
words are in the catalogue (``graph/locales/nl/LC_MESSAGES/carecircle.po``).
"""

from graph.language import N_, translate
from graph.vocabulary import UNRECORDED

__all__ = ["DOMAINS", "GAP_TYPES", "KINDS", "LEVELS", "ROLES", "SEVERITIES", "label"]

#: code -> English word (translated by :func:`label`)
GAP_TYPES = {
    "unaware_pair": N_("Helpers unaware of each other"),
    "one_sided_awareness": N_("One-sided awareness"),
    "caregiver_unseen": N_("Caregiver unseen"),
    "no_overview": N_("Nobody has the overview"),
    "uncoordinated_overlap": N_("Uncoordinated overlap"),
    "unmet_need": N_("Unmet need"),
    "stale_contact": N_("Agreed contact overdue"),
    "delegation_without_contact": N_("Delegated task without contact"),
    "caregiver_overload": N_("Caregiver overloaded"),
}
SEVERITIES = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
ROLES = {
    "district_nurse": N_("district nurse"),
    "household_help": N_("household help"),
    "practical_supporter": N_("practical supporter"),
    "ambulant_supporter": N_("ambulant support worker"),
    "social_worker": N_("social-team worker"),
    "case_manager": N_("case manager"),
    "gp": N_("GP practice"),
    "other_formal": N_("professional"),
    "volunteer": N_("volunteer"),
    "neighbour": N_("neighbour"),
    "other_informal": N_("informal helper"),
    "informal_caregiver": N_("informal caregiver"),
}
KINDS = {
    "formal": N_("formal"),
    "informal": N_("informal"),
    "caregiver": N_("informal caregiver"),
}
DOMAINS = {
    "household": N_("household"),
    "personal_care": N_("personal care"),
    "nursing": N_("nursing"),
    "medication": N_("medication"),
    "administration": N_("administration"),
    "daily_structure": N_("daily structure"),
    "social_contact": N_("social contact"),
    "mobility": N_("mobility"),
    "chores": N_("chores"),
    "meals": N_("meals"),
    "caregiver_support": N_("caregiver support"),
    UNRECORDED: N_("tasks not recorded"),
}
LEVELS = {
    "none": N_("not aware"),
    "aware": N_("aware"),
    "coordinating": N_("coordinating"),
}


def label(table: dict[str, str], code: str, lang: str = "en") -> str:
    """The user's word for ``code`` in ``lang`` (en or nl); an unknown code is shown as written.

    Examples
    --------
    >>> label(DOMAINS, "personal_care", "nl"), label(DOMAINS, "tuin", "nl")
    ('persoonlijke verzorging', 'tuin')
    >>> label(ROLES, "gp"), label(ROLES, "gp", "nl")
    ('GP practice', 'huisartsenpraktijk')
    """
    word = table.get(code)
    return code if word is None else translate(word, lang)
