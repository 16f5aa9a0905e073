"""What users read for each code: gap types, severities, roles, kinds, domains and levels (en, nl)."""

__all__ = ["DOMAINS", "GAP_TYPES", "KINDS", "LEVELS", "ROLES", "SEVERITIES", "label"]

#: code -> (English, Dutch)
GAP_TYPES = {
    "unaware_pair": ("Helpers unaware of each other", "Weten niet van elkaar"),
    "one_sided_awareness": ("One-sided awareness", "Eenzijdig bekend"),
    "caregiver_unseen": ("Caregiver unseen", "Mantelzorger niet in beeld"),
    "no_overview": ("Nobody has the overview", "Niemand heeft overzicht"),
    "uncoordinated_overlap": ("Uncoordinated overlap", "Overlap zonder afstemming"),
    "unmet_need": ("Unmet need", "Onvervulde behoefte"),
    "stale_contact": ("Agreed contact overdue", "Afgesproken contact achterstallig"),
    "delegation_without_contact": ("Delegated task without contact", "Gedelegeerde taak zonder contact"),
    "caregiver_overload": ("Caregiver overloaded", "Mantelzorger overbelast"),
}
SEVERITIES = {"high": ("high", "hoog"), "medium": ("medium", "middel"), "low": ("low", "laag")}
ROLES = {
    "district_nurse": ("district nurse", "wijkverpleegkundige"),
    "household_help": ("household help", "huishoudelijke hulp"),
    "practical_supporter": ("practical supporter", "praktisch ondersteuner"),
    "ambulant_supporter": ("ambulant support worker", "ambulant begeleider"),
    "social_worker": ("social-team worker", "wijkteammedewerker"),
    "case_manager": ("case manager", "casemanager"),
    "gp": ("GP practice", "huisartsenpraktijk"),
    "other_formal": ("professional", "professional"),
    "volunteer": ("volunteer", "vrijwilliger"),
    "neighbour": ("neighbour", "buur"),
    "other_informal": ("informal helper", "informele helper"),
    "informal_caregiver": ("informal caregiver", "mantelzorger"),
}
KINDS = {
    "formal": ("formal", "formeel"),
    "informal": ("informal", "informeel"),
    "caregiver": ("informal caregiver", "mantelzorger"),
}
DOMAINS = {
    "household": ("household", "huishouden"),
    "personal_care": ("personal care", "persoonlijke verzorging"),
    "nursing": ("nursing", "verpleging"),
    "medication": ("medication", "medicatie"),
    "administration": ("administration", "administratie"),
    "daily_structure": ("daily structure", "dagstructuur"),
    "social_contact": ("social contact", "sociaal contact"),
    "mobility": ("mobility", "vervoer"),
    "chores": ("chores", "klussen"),
    "meals": ("meals", "maaltijden"),
    "caregiver_support": ("caregiver support", "mantelzorgondersteuning"),
}
LEVELS = {
    "none": ("not aware", "weet niet"),
    "aware": ("aware", "weet"),
    "coordinating": ("coordinating", "stemt af"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str = "en") -> str:
    """The user's word for ``code`` in ``lang`` (en or nl); an unknown code is shown as written.

    Examples
    --------
    >>> label(DOMAINS, "personal_care", "nl"), label(DOMAINS, "tuin", "nl")
    ('persoonlijke verzorging', 'tuin')
    """
    names = table.get(code)
    return code if names is None else names[lang == "nl"]
