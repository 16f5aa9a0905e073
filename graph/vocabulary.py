"""Canonical codes of SPEC §2 and the Dutch names accepted for them; each role's helper kind."""

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "DOMAINS",
    "FUNDING",
    "KINDS",
    "LEVELS",
    "ORGANISATION_TYPES",
    "RELATIONS",
    "ROLES",
    "ROLE_KINDS",
    "UNRECORDED",
    "Vocabulary",
    "normalise_token",
    "role_kind",
]

#: helper kinds (SPEC §2), in the order they are counted and shown
KINDS = ("formal", "informal", "caregiver")


def normalise_token(text: str) -> str:
    """Return the matching key of a code, header or file name (SPEC §2).

    Case, surrounding spaces and diacritics do not count; spaces, hyphens and underscores
    are alike.

    Examples
    --------
    >>> normalise_token("  Huishoudelijke-Hulp ")
    'huishoudelijke_hulp'
    >>> normalise_token("district_nurse") == normalise_token("District Nurse")
    True
    >>> normalise_token("Cliëntnummer"), normalise_token("FINANCIËN")
    ('clientnummer', 'financien')
    """
    text = text.strip().lower()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s_\-]+", "_", text).strip("_")


@dataclass(frozen=True)
class Vocabulary:
    """A list of canonical codes, each with the other names accepted for it.

    Parameters
    ----------
    name : str
        What the codes are, as used in messages ("role", "domain").
    codes : dict
        Canonical code -> tuple of accepted aliases (Dutch names).
    closed : bool
        Whether a value outside the codes is an error (role, level); otherwise it is kept as
        written, with a warning (SPEC §2).

    Examples
    --------
    >>> levels = Vocabulary("level", {"aware": ("weet",), "none": ("geen",)})
    >>> levels.lookup("Weet"), levels.lookup("stemt af")
    ('aware', None)
    """

    name: str
    codes: dict[str, tuple[str, ...]]
    closed: bool = False
    _index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for code, aliases in self.codes.items():
            for alias in (code, *aliases):
                index[normalise_token(alias)] = code
        object.__setattr__(self, "_index", index)

    def lookup(self, text: str) -> str | None:
        """Return the canonical code for ``text``, or None when it is not known."""
        return self._index.get(normalise_token(text))

    def __contains__(self, code: object) -> bool:
        return code in self.codes


# SPEC §2, the role table: canonical role -> (helper kind, Dutch names accepted)
_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "district_nurse": ("formal", ("wijkverpleegkundige", "wijkverpleging")),
    "household_help": ("formal", ("huishoudelijke hulp", "huishoudelijk ondersteuner")),
    "practical_supporter": ("formal", ("praktisch ondersteuner",)),
    "ambulant_supporter": ("formal", ("ambulant begeleider", "begeleider")),
    "social_worker": ("formal", ("wijkteammedewerker", "maatschappelijk werker")),
    "case_manager": ("formal", ("casemanager", "regisseur")),
    "gp": ("formal", ("huisarts", "praktijkondersteuner", "poh")),
    "other_formal": ("formal", ()),
    "volunteer": ("informal", ("vrijwilliger",)),
    "neighbour": ("informal", ("buur", "buurvrouw", "buurman")),
    "other_informal": ("informal", ()),
    "informal_caregiver": ("caregiver", ("mantelzorger",)),
}

ROLES = Vocabulary("role", {role: names for role, (_, names) in _ROLES.items()}, closed=True)
#: canonical role -> helper kind (one of :data:`KINDS`)
ROLE_KINDS: dict[str, str] = {role: kind for role, (kind, _) in _ROLES.items()}

#: the domain of support whose tasks were not recorded (a Network Canvas interview that asks who
#: helps but not with what): the helper is in the circle, yet the support shares no task with
#: anyone (no overlap) and covers no need; as a need it is none (nothing could cover it)
UNRECORDED = "unrecorded"

DOMAINS = Vocabulary(
    "domain",
    {
        "household": ("huishouden",),
        "personal_care": ("persoonlijke verzorging",),
        "nursing": ("verpleging",),
        "medication": ("medicatie",),
        "administration": ("administratie", "post", "financiën", "financien"),
        "daily_structure": ("dagstructuur", "begeleiding"),
        "social_contact": ("sociaal contact", "eenzaamheid"),
        "mobility": ("vervoer", "mobiliteit"),
        "chores": ("klussen",),
        "meals": ("maaltijden",),
        "caregiver_support": ("mantelzorgondersteuning",),
        UNRECORDED: ("niet vastgelegd",),
    },
)

LEVELS = Vocabulary(
    "level",
    {"none": ("geen",), "aware": ("weet",), "coordinating": ("stemt af",)},
    closed=True,
)

FUNDING = Vocabulary(
    "funding",
    {
        "wmo": (),
        "zvw": (),
        "wlz": (),
        "jeugdwet": (),
        "informal": ("informeel",),
        "private": ("particulier",),
        "other": ("overig", "anders"),
    },
)

RELATIONS = Vocabulary(
    "relation",
    {
        "partner": (),
        "child": ("kind",),
        "parent": ("ouder",),
        "sibling": ("broer", "zus"),
        "other_family": ("familie",),
        "friend": ("vriend", "vriendin"),
        "neighbour": ("buur", "buurvrouw", "buurman"),
    },
)

ORGANISATION_TYPES = Vocabulary(
    "organisation type",
    {
        "provider": ("aanbieder",),
        "main_provider": ("hoofdaanbieder",),
        "subcontractor": ("onderaannemer",),
        "volunteer_org": ("vrijwilligersorganisatie",),
        "municipality": ("gemeente",),
        "gp_practice": ("huisartsenpraktijk",),
        "other": ("overig", "anders"),
    },
)


def role_kind(role: str) -> str:
    """Return the helper kind (formal, informal, caregiver) a canonical role belongs to.

    Examples
    --------
    >>> role_kind("informal_caregiver"), role_kind("gp")
    ('caregiver', 'formal')
    """
    return ROLE_KINDS[role]
