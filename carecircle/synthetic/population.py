"""The generated part of a synthetic dataset: residents, their helpers, support and awareness."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from carecircle.synthetic import names
from graph.vocabulary import role_kind

__all__ = [
    "NEIGHBOURHOODS",
    "PILOT",
    "PILOT_BOOST",
    "Population",
    "generate_population",
    "organisations_by_role",
]

PILOT = "Stedenwijk"
#: the pilot neighbourhood's helpers are this much likelier to know each other (ALTOO)
PILOT_BOOST = 0.15
# Almere neighbourhoods and their share of residents with support at home
NEIGHBOURHOODS = {
    "Stedenwijk": 0.14,
    "Muziekwijk": 0.16,
    "Filmwijk": 0.12,
    "Waterwijk": 0.14,
    "Parkwijk": 0.12,
    "Kruidenwijk": 0.12,
    "Tussen de Vaarten": 0.10,
    "Literatuurwijk": 0.10,
}

# role -> (organisation type, caseload: residents per helper, hours per week (low, high), funding)
_FORMAL = {
    "district_nurse": ("provider", 28, (1.0, 7.0), "zvw"),
    "household_help": ("main_provider", 9, (2.0, 4.0), "wmo"),
    "ambulant_supporter": ("provider", 14, (1.5, 4.0), "wmo"),
    "social_worker": ("municipality", 35, (0.5, 2.0), "wmo"),
    "gp": ("gp_practice", 80, (0.5, 1.0), "zvw"),
    "case_manager": ("provider", 30, (0.5, 2.0), "zvw"),
}
_ORGANISATIONS = {
    "district_nurse": ["Zorggroep Flevoland", "Vitaal Thuiszorg", "Buurtzorg Almere-Stad"],
    "household_help": ["Schoonmaakdienst Flevo", "Thuishulp Almere-Haven", "HHT Nederland"],
    "ambulant_supporter": ["De Schoor Begeleiding", "Kwintes Almere", "Leger des Heils Flevoland"],
    "social_worker": ["Sociaal Wijkteam Almere"],
    "gp": ["Huisartsenpraktijk De Linde", "Gezondheidscentrum Stad", "Huisartsen Almere-Oost"],
    "case_manager": ["Casemanagement Dementie Flevoland"],
    "volunteer": ["Humanitas Almere", "VMCA Vrijwilligers"],
}
# need -> [(role that covers it, probability)], tried in order; caregivers cover what is left
_COVERAGE = {
    "household": [("household_help", 0.80)],
    "personal_care": [("district_nurse", 0.85)],
    "nursing": [("district_nurse", 0.90)],
    "medication": [("district_nurse", 0.55), ("gp", 0.35)],
    "administration": [("ambulant_supporter", 0.35), ("volunteer", 0.30)],
    "daily_structure": [("ambulant_supporter", 0.80)],
    "social_contact": [("volunteer", 0.35), ("social_worker", 0.20)],
    "mobility": [("volunteer", 0.25)],
    "chores": [("volunteer", 0.30), ("neighbour", 0.15)],
    "meals": [("household_help", 0.15)],
    "caregiver_support": [("social_worker", 0.70)],
}
_NEED_WEIGHTS = {
    "household": 0.62,
    "personal_care": 0.30,
    "nursing": 0.24,
    "medication": 0.22,
    "administration": 0.24,
    "daily_structure": 0.18,
    "social_contact": 0.30,
    "mobility": 0.20,
    "chores": 0.16,
    "meals": 0.14,
}
_CAREGIVER_TASKS = ("household", "meals", "mobility", "administration", "social_contact", "chores")


@dataclass
class Population:
    """Rows of every file, each a dict of cells by column name (a column left out is empty)."""

    organisations: list[dict] = field(default_factory=list)
    residents: list[dict] = field(default_factory=list)
    helpers: list[dict] = field(default_factory=list)
    support: list[dict] = field(default_factory=list)
    awareness: list[dict] = field(default_factory=list)


@dataclass
class _Helper:
    helper_id: str
    role: str
    organisation: str
    load: int = 0


@dataclass
class _Member:
    """One helper in one resident's circle: the tasks, and who delegated them, if anyone."""

    helper: _Helper
    domains: set[str]
    delegated_by: str = ""


def generate_population(
    count: int, rng: random.Random, as_of: date, pilot_boost: float = PILOT_BOOST
) -> Population:
    """Generate ``count`` residents with their circles of support.

    Parameters
    ----------
    count : int
        Number of residents.
    rng : random.Random
        The only source of randomness, so one seed gives one dataset.
    as_of : date
        The snapshot date every period and contact date is relative to.
    pilot_boost : float
        How much likelier helpers in the pilot neighbourhood know each other.
    """
    population = Population()
    organisations = _organisations(population)
    areas = _area_sizes(count)
    helper_counter, resident_number = [0], 0
    bsns = _BsnSource(rng)
    # awareness draws come from a stream of their own per neighbourhood, so that a different
    # pilot_boost changes the pilot's awareness rows and nothing else
    awareness_seed = rng.getrandbits(64)
    shared_caregivers: list[tuple[str, str]] = []  # (caregiver id, neighbourhood) caring for one more
    for area, size in areas.items():
        pools: dict[str, list[_Helper]] = {}
        boost = pilot_boost if area == PILOT else 0.0
        awareness_rng = random.Random(f"{awareness_seed}:{area}")
        for _ in range(size):
            resident_number += 1
            resident_id = f"R{resident_number:06d}"
            age = _age(rng)
            needs = _needs(rng, age)
            lives_alone = rng.random() < (0.55 if age >= 75 else 0.40 if age >= 65 else 0.35)
            population.residents.append(
                {
                    "resident_id": resident_id,
                    "neighbourhood": area,
                    "name": names.person(rng),
                    "bsn": bsns.next() if rng.random() < 0.9 else "",
                    "birth_year": as_of.year - age,
                    "lives_alone": "true" if lives_alone else "false",
                    "needs": "|".join(sorted(needs)),
                }
            )
            circle = _cover_needs(rng, needs, pools, organisations, population, helper_counter)
            caregiver = _caregiver(
                rng, age, lives_alone, needs, circle, shared_caregivers, population, helper_counter, area
            )
            if caregiver is not None:
                circle.append(caregiver)
            _delegate(rng, circle)
            _support_rows(rng, resident_id, circle, population, as_of)
            _awareness_rows(awareness_rng, resident_id, circle, population, as_of, boost)
    if count >= 2:
        # one person registered twice under two resident ids (a data-quality case)
        first, second = population.residents[:2]
        second["bsn"] = first["bsn"] or bsns.next()
        first["bsn"] = second["bsn"]
    return population


def organisations_by_role() -> dict[str, list[str]]:
    """The ids of the organisations of every generated population, by the role they employ.

    Examples
    --------
    >>> organisations_by_role()["social_worker"]
    ['ORG10']
    """
    return _organisations(Population())


# --- residents -----------------------------------------------------------------------------


def _area_sizes(count: int) -> dict[str, int]:
    sizes = {area: math.floor(count * share) for area, share in NEIGHBOURHOODS.items()}
    sizes[PILOT] += count - sum(sizes.values())
    return sizes


def _age(rng: random.Random) -> int:
    """About 80% 65+ and about half 75+ (most home support goes to the oldest), tail to 103."""
    if rng.random() < 0.2:
        return rng.randint(25, 64)
    return min(65 + int(rng.expovariate(1 / 17)), 103)


def _needs(rng: random.Random, age: int) -> set[str]:
    frailty = 1.0 if age < 75 else 1.3 if age < 85 else 1.6
    needs = {need for need, weight in _NEED_WEIGHTS.items() if rng.random() < min(weight * frailty, 0.95)}
    if not needs:
        needs.add(rng.choice(["household", "social_contact", "daily_structure"]))
    return needs


# --- helpers ------------------------------------------------------------------------------


def _organisations(population: Population) -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = {}
    number = 0
    for role, orgs in _ORGANISATIONS.items():
        org_type = _FORMAL[role][0] if role in _FORMAL else "volunteer_org"
        for org_name in orgs:
            number += 1
            organisation_id = f"ORG{number:02d}"
            population.organisations.append(
                {"organisation_id": organisation_id, "name": org_name, "type": org_type}
            )
            by_role.setdefault(role, []).append(organisation_id)
    return by_role


def _new_helper(
    rng: random.Random, role: str, organisation: str, population: Population, counter: list[int]
) -> _Helper:
    counter[0] += 1
    helper = _Helper(f"H{counter[0]:06d}", role, organisation)
    population.helpers.append(
        {
            "helper_id": helper.helper_id,
            "role": role,
            "name": names.person(rng),
            "organisation_id": organisation,
        }
    )
    return helper


def _pool_helper(
    rng: random.Random,
    role: str,
    pools: dict[tuple, list[_Helper]],
    organisations: dict[str, list[str]],
    population: Population,
    counter: list[int],
    colleague_of: _Helper | None = None,
) -> _Helper:
    """A helper of ``role`` in this neighbourhood with room in their caseload, or a new one.

    With ``colleague_of``, the helper works for the same organisation and is not that helper.
    """
    pool = pools.setdefault((role, colleague_of.organisation if colleague_of else None), [])
    caseload = _FORMAL[role][1] if role in _FORMAL else 3
    open_helpers = [h for h in pool[-4:] if h.load < caseload and h is not colleague_of]
    if open_helpers:
        helper = rng.choice(open_helpers)
    else:
        if colleague_of is not None:
            organisation = colleague_of.organisation
        elif role == "neighbour":
            organisation = ""
        elif role == "volunteer":
            organisation = rng.choice(organisations["volunteer"]) if rng.random() < 0.4 else ""
        else:
            # the first provider of a role has the biggest market share
            choices = organisations[role]
            organisation = choices[min(int(rng.expovariate(1.2)), len(choices) - 1)]
        helper = _new_helper(rng, role, organisation, population, counter)
        pool.append(helper)
    helper.load += 1
    return helper


def _cover_needs(rng, needs, pools, organisations, population, counter) -> list[_Member]:
    """Formal and informal helpers for the needs, in a stable order."""
    circle: dict[str, _Member] = {}
    for need in sorted(needs):
        for role, probability in _COVERAGE.get(need, []):
            if rng.random() < probability:
                slot = role
                if need == "personal_care" and role in circle and rng.random() < 0.5:
                    # a colleague of the same home-care team does the personal care
                    slot = "personal_care"
                    colleague = _pool_helper(
                        rng, role, pools, organisations, population, counter, colleague_of=circle[role].helper
                    )
                    circle[slot] = _Member(colleague, set())
                elif role not in circle:
                    helper = _pool_helper(rng, role, pools, organisations, population, counter)
                    circle[role] = _Member(helper, set())
                circle[slot].domains.add(need)
                break
    if rng.random() < 0.05 and "case_manager" not in circle:
        helper = _pool_helper(rng, "case_manager", pools, organisations, population, counter)
        circle["case_manager"] = _Member(helper, {"daily_structure"})
    return list(circle.values())


def _caregiver(rng, age, lives_alone, needs, circle, shared, population, counter, area):
    """Most older residents have one informal caregiver; some caregivers care for two."""
    if rng.random() > (0.72 if age >= 65 else 0.5):
        return None
    covered = set().union(*(member.domains for member in circle)) if circle else set()
    tasks = {need for need in needs if need in _CAREGIVER_TASKS and need not in covered}
    tasks |= {task for task in _CAREGIVER_TASKS if rng.random() < 0.25}
    if not tasks:
        tasks = {"social_contact"}
    if shared and shared[-1][1] == area and rng.random() < 0.08:
        caregiver_id = shared.pop()[0]
        return _Member(_Helper(caregiver_id, "informal_caregiver", ""), tasks)
    relation = "partner" if not lives_alone and rng.random() < 0.6 else _relation(rng)
    counter[0] += 1
    helper = _Helper(f"H{counter[0]:06d}", "informal_caregiver", "")
    population.helpers.append(
        {
            "helper_id": helper.helper_id,
            "role": "informal_caregiver",
            "name": names.person(rng),
            "relation": relation,
        }
    )
    if rng.random() < 0.10:
        shared.append((helper.helper_id, area))
    return _Member(helper, tasks)


def _relation(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.62:
        return "child"
    if draw < 0.72:
        return "sibling"
    if draw < 0.82:
        return "other_family"
    if draw < 0.91:
        return "friend"
    return "neighbour"


def _delegate(rng: random.Random, circle: list[_Member]) -> None:
    """The Emmen pattern, now and then: household help takes over administration."""
    roles = {member.helper.role: member for member in circle}
    if "household_help" in roles and "ambulant_supporter" in roles and rng.random() < 0.08:
        coach = roles["ambulant_supporter"]
        roles["household_help"].delegated_by = coach.helper.helper_id
        if len(coach.domains) > 1:
            coach.domains.discard("administration")


# --- support and awareness ----------------------------------------------------------------


def _day(as_of: date, days: int) -> str:
    return (as_of + timedelta(days=days)).isoformat()


def _support_rows(rng, resident_id, circle, population, as_of) -> None:
    for member in circle:
        helper, domains = member.helper, member.domains
        hours = _hours(rng, helper.role)
        funding = _FORMAL[helper.role][3] if helper.role in _FORMAL else "informal"
        if funding != "informal" and rng.random() < 0.03:
            funding = "private"
        start = -rng.randint(20, 1500)
        draw = rng.random()
        if draw < 0.05:  # planned, starts after the snapshot date
            start, end = rng.randint(1, 90), ""
        elif draw < 0.13:  # ended before the snapshot date
            end = _day(as_of, rng.randint(start + 1, -1))
        elif draw < 0.25:  # ends later, already agreed
            end = _day(as_of, rng.randint(1, 365))
        else:
            end = ""
        population.support.append(
            {
                "helper_id": helper.helper_id,
                "resident_id": resident_id,
                "domains": "|".join(sorted(domains)),
                "hours_per_week": hours,
                "start_date": _day(as_of, start),
                "end_date": end,
                "funding": funding,
            }
        )
        if helper.role in ("district_nurse", "household_help") and rng.random() < 0.05:
            # an earlier, finished period with another task
            old_start = start - rng.randint(200, 600)
            old_end = _day(as_of, start - 1)
            population.support.append(
                {
                    "helper_id": helper.helper_id,
                    "resident_id": resident_id,
                    "domains": "personal_care",
                    "hours_per_week": "1.0",
                    "start_date": _day(as_of, old_start),
                    "end_date": old_end,
                    "funding": funding,
                }
            )
        delegator = member.delegated_by
        if delegator:
            population.support.append(
                {
                    "helper_id": helper.helper_id,
                    "resident_id": resident_id,
                    "domains": "administration",
                    "hours_per_week": "0.5",
                    "start_date": _day(as_of, -rng.randint(14, 180)),
                    "funding": "wmo",
                    "delegated_by": delegator,
                }
            )


def _hours(rng: random.Random, role: str) -> str:
    if role == "informal_caregiver":
        # skewed: most a few hours a week, about one in six above the 8-hour SCP threshold
        return f"{min(rng.lognormvariate(1.45, 0.65), 40.0):.1f}"
    low, high = _FORMAL[role][2] if role in _FORMAL else (1.0, 3.0)
    return f"{rng.uniform(low, high):.1f}"


def _knows_probability(a: _Helper, b: _Helper, boost: float) -> float:
    kind_a, kind_b = role_kind(a.role), role_kind(b.role)
    if a.organisation and a.organisation == b.organisation:
        return 0.85
    if kind_a == "caregiver":
        return 0.80  # caregivers know who comes to the house
    if kind_b == "caregiver":
        base = 0.35 if kind_a == "formal" else 0.55  # caregivers are often unseen
    elif kind_a == "formal" and kind_b == "formal":
        base = 0.45
    else:
        base = 0.35
    return min(base + boost, 0.95)


def _awareness_rows(rng, resident_id, circle, population, as_of, boost) -> None:
    helpers = [member.helper for member in circle]
    coach_of = {member.helper.helper_id: member.delegated_by for member in circle}
    for a in helpers:
        for b in helpers:
            if a.helper_id == b.helper_id:
                continue
            delegation = coach_of.get(a.helper_id) == b.helper_id or coach_of.get(b.helper_id) == a.helper_id
            row = {"helper_id": a.helper_id, "about_helper_id": b.helper_id, "resident_id": resident_id}
            row["observed_on"] = _day(as_of, -rng.randint(0, 60))
            if delegation and rng.random() < 0.85:
                last = "" if rng.random() < 0.05 else _day(as_of, -rng.randint(0, 40))
                population.awareness.append(
                    {**row, "level": "coordinating", "last_contact": last, "contact_every_days": 14}
                )
                continue
            if rng.random() < _knows_probability(a, b, boost):
                same_org = a.organisation and a.organisation == b.organisation
                if rng.random() < (0.55 if same_org else 0.30):
                    every = rng.choice((7, 14, 28, "")) if rng.random() < 0.5 else ""
                    last = _day(as_of, -int(rng.expovariate(1 / 20))) if rng.random() < 0.9 else ""
                    population.awareness.append(
                        {**row, "level": "coordinating", "last_contact": last, "contact_every_days": every}
                    )
                else:
                    population.awareness.append({**row, "level": "aware"})
            elif rng.random() < 0.3:
                population.awareness.append({**row, "level": "none"})


class _BsnSource:
    """Unique synthetic BSNs that pass the 11-check."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def next(self) -> str:
        while True:
            digits = [self._rng.randint(1, 9), *(self._rng.randint(0, 9) for _ in range(7))]
            check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
            if check == 10:
                continue
            number = "".join(map(str, digits)) + str(check)
            if number not in self._used:
                self._used.add(number)
                return number
