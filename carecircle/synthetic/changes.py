"""What happens in a neighbourhood between two snapshots of a synthetic series.

A district team meets every few months. In between, helpers who did not know each other are
introduced, new helpers join a circle, helpers leave one, and agreed contacts lapse. This
module chooses those events from one snapshot's rows and writes them into the rows of every
later snapshot, so that the agenda of each snapshot has gaps that are new, persisting and
resolved.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from carecircle.synthetic import names
from carecircle.synthetic.population import Population, organisations_by_role

__all__ = [
    "JOINED",
    "LAPSED",
    "LEFT",
    "Departure",
    "Introduction",
    "Join",
    "Lapse",
    "SeriesChanges",
    "Step",
]

#: per step and neighbourhood: the share of residents whom a new helper joins
JOINED = 0.06
#: ... the share of residents whom a helper (not their caregiver) leaves
LEFT = 0.04
#: ... the share of agreed contacts (pairs with a contact interval) that are not renewed
LAPSED = 0.15

# the need a joining helper takes on -> the role of that helper
_JOINING_ROLE = {
    "household": "household_help",
    "meals": "household_help",
    "personal_care": "district_nurse",
    "nursing": "district_nurse",
    "medication": "district_nurse",
    "daily_structure": "ambulant_supporter",
    "caregiver_support": "social_worker",
}
_FUNDING = {
    "household_help": "wmo",
    "district_nurse": "zvw",
    "ambulant_supporter": "wmo",
    "social_worker": "wmo",
}
_KNOWING = ("aware", "coordinating")


@dataclass(frozen=True)
class Introduction:
    """Two helpers of a circle who did not know each other now coordinate, in touch every
    ``contact_every_days`` (empty: no interval agreed); their last contact is ``days_ago``
    days before each later snapshot."""

    resident_id: str
    helpers: tuple[str, str]
    contact_every_days: int | str
    days_ago: int


@dataclass(frozen=True)
class Join:
    """A new helper (``helper``: their helpers.csv row) starts supporting a resident
    (``support``: the support.csv row, starting between the two snapshots)."""

    resident_id: str
    helper: dict
    support: dict


@dataclass(frozen=True)
class Departure:
    """A helper stops supporting a resident on ``end_date`` (between the two snapshots)."""

    resident_id: str
    helper_id: str
    end_date: date


@dataclass(frozen=True)
class Lapse:
    """Two helpers with an agreed contact interval are not in touch after ``since`` (the
    earlier snapshot's date): their last contact stays what it was then."""

    resident_id: str
    helpers: tuple[str, str]
    since: date


@dataclass
class Step:
    """Everything that happens between two consecutive snapshots."""

    introductions: list[Introduction] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)
    lapses: list[Lapse] = field(default_factory=list)


class SeriesChanges:
    """The events of a series, planned step by step from the snapshot before each step.

    Parameters
    ----------
    seed : int
        Seed of the series; each step and neighbourhood draws from a stream of its own.
    dates : list of date
        The snapshot dates, oldest first.

    Examples
    --------
    >>> from carecircle.synthetic.population import generate_population
    >>> dates = [date(2024, 3, 1), date(2024, 6, 1)]
    >>> changes = SeriesChanges(7, dates)
    >>> first = generate_population(300, random.Random(7), dates[0])
    >>> step = changes.plan(first, 1)
    >>> bool(step.introductions and step.joins and step.departures and step.lapses)
    True
    >>> last = generate_population(300, random.Random(7), dates[1])
    >>> changes.apply(last, 1)
    >>> step.joins[0].helper in last.helpers
    True
    """

    def __init__(self, seed: int, dates: list[date]) -> None:
        self._seed = seed
        self._dates = list(dates)
        self.steps: list[Step] = []
        self._lapsed: set[tuple[str, tuple[str, str]]] = set()

    def apply(self, population: Population, index: int) -> None:
        """Write the events of every step up to snapshot ``index`` into ``population``, the
        generated rows of that snapshot (dates relative to its date)."""
        as_of = self._dates[index]
        for step in self.steps[:index]:
            population.helpers += [dict(join.helper) for join in step.joins]
            population.support += [dict(join.support) for join in step.joins]
            _end_support(population, step.departures)
            _introduce(population, step.introductions, as_of)
            _lapse(population, step.lapses, as_of)

    def plan(self, population: Population, step: int) -> Step:
        """Choose the events between snapshot ``step - 1`` (whose rows, changes applied, are
        ``population``) and snapshot ``step``, and remember them for :meth:`apply`."""
        if step != len(self.steps) + 1:
            raise ValueError(f"step {step} planned out of order (next is {len(self.steps) + 1})")
        state = _State.of(population, self._dates[step - 1])
        planned = Step()
        window = (self._dates[step - 1], self._dates[step])
        for area, residents in state.areas.items():
            rng = random.Random(f"{self._seed}:series:{step}:{area}")
            order = list(residents)
            rng.shuffle(order)
            free = _joins(rng, state, order, planned, window, step)
            free = _departures(rng, state, free, planned, window)
            _introductions(rng, state, free, planned, _coverage_lost(state, residents, planned))
            _lapses(rng, state, residents, planned, window[0], self._lapsed)
        self._lapsed |= {(lapse.resident_id, lapse.helpers) for lapse in planned.lapses}
        self.steps.append(planned)
        return planned


@dataclass
class _State:
    """One snapshot's rows, indexed: circles of active support and who knows whom."""

    as_of: date
    areas: dict[str, list[str]]
    needs: dict[str, list[str]]
    roles: dict[str, str]
    #: resident -> helper -> that helper's support rows for the resident
    rows: dict[str, dict[str, list[dict]]]
    #: resident -> the helpers with an active row, in the order of the file
    circles: dict[str, list[str]]
    #: (helper, about helper, resident) -> the awareness row
    awareness: dict[tuple[str, str, str], dict]

    @classmethod
    def of(cls, population: Population, as_of: date) -> "_State":
        day = as_of.isoformat()
        areas, needs = defaultdict(list), {}
        for resident in population.residents:
            areas[resident["neighbourhood"]].append(resident["resident_id"])
            needs[resident["resident_id"]] = [n for n in str(resident.get("needs", "")).split("|") if n]
        rows = defaultdict(lambda: defaultdict(list))
        circles = defaultdict(list)
        for row in population.support:
            rows[row["resident_id"]][row["helper_id"]].append(row)
            circle = circles[row["resident_id"]]
            if _active(row, day) and row["helper_id"] not in circle:
                circle.append(row["helper_id"])
        awareness = {
            (r["helper_id"], r["about_helper_id"], r["resident_id"]): r for r in population.awareness
        }
        roles = {helper["helper_id"]: helper["role"] for helper in population.helpers}
        return cls(as_of, dict(areas), needs, roles, rows, circles, awareness)

    def knows(self, a: str, b: str, resident: str) -> bool:
        row = self.awareness.get((a, b, resident))
        return row is not None and row.get("level", "aware") in _KNOWING

    def coverage(self, resident: str, circle: list[str]) -> float | None:
        """The share of ordered pairs of ``circle`` where one knows the other (None below two)."""
        if len(circle) < 2:
            return None
        knowing = sum(self.knows(a, b, resident) for a in circle for b in circle if a != b)
        return knowing / (len(circle) * (len(circle) - 1))

    def unaware_pairs(self, resident: str) -> list[tuple[str, str]]:
        circle = sorted(self.circles.get(resident, ()))
        return [
            (a, b)
            for i, a in enumerate(circle)
            for b in circle[i + 1 :]
            if not self.knows(a, b, resident) and not self.knows(b, a, resident)
        ]

    def agreed_contacts(self, resident: str) -> list[tuple[str, str]]:
        """Pairs of the circle with a coordinating row that has a contact interval and a
        last contact, not overdue yet."""
        circle = sorted(self.circles.get(resident, ()))
        pairs = []
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                rows = [self.awareness.get((x, y, resident)) for x, y in ((a, b), (b, a))]
                agreed = [r for r in rows if r and r.get("level") == "coordinating" and r.get("last_contact")]
                intervals = [int(r["contact_every_days"]) for r in agreed if r.get("contact_every_days")]
                if intervals:
                    last = max(date.fromisoformat(r["last_contact"]) for r in agreed)
                    if (self.as_of - last).days <= 2 * min(intervals):
                        pairs.append((a, b))
        return pairs


def _active(row: dict, day: str) -> bool:
    start, end = row.get("start_date") or "", row.get("end_date") or ""
    return start <= day and (not end or end >= day)


def _count(share: float, total: int) -> int:
    """``share`` of ``total``, at least one when there is anything to choose from."""
    return min(total, max(1, round(share * total))) if total else 0


def _day_between(rng: random.Random, window: tuple[date, date]) -> date:
    """A day after the first snapshot date, up to and including the second."""
    return window[0] + timedelta(days=rng.randint(1, (window[1] - window[0]).days))


# --- choosing the events of one neighbourhood ------------------------------------------------


def _coverage_lost(state: _State, residents: list[str], planned: Step) -> float:
    """How much the summed awareness coverage of ``residents`` must rise to keep their mean
    coverage where it was after the joins and departures of ``planned``."""
    joined = {join.resident_id: join.helper["helper_id"] for join in planned.joins}
    left = {departure.resident_id: departure.helper_id for departure in planned.departures}
    before, after = [], []
    for resident in residents:
        circle = state.circles.get(resident, [])
        before.append(state.coverage(resident, circle))
        changed = [helper for helper in circle if helper != left.get(resident)]
        after.append(state.coverage(resident, changed + ([joined[resident]] if resident in joined else [])))
    before = [c for c in before if c is not None]
    after = [c for c in after if c is not None]
    if not before or not after:
        return 0.0
    return sum(before) / len(before) * len(after) - sum(after)


def _introductions(rng: random.Random, state: _State, order: list[str], planned: Step, needed: float) -> None:
    """Introduce one pair that did not know each other in as many circles as make up ``needed``
    (summed coverage), the nearest it can, and in at least one."""
    gained, introduced = 0.0, 0
    for resident in order:
        pairs = state.unaware_pairs(resident)
        if not pairs:
            continue
        size = len(state.circles[resident])
        gain = 2 / (size * (size - 1))
        if introduced and gain > 2 * (needed - gained):
            continue  # it would overshoot by more than it makes up
        a, b = rng.choice(pairs)
        interval = _interval(rng, state, a, b, resident)
        planned.introductions.append(Introduction(resident, (a, b), interval, rng.randint(0, 6)))
        gained, introduced = gained + gain, introduced + 1


def _interval(rng: random.Random, state: _State, a: str, b: str, resident: str) -> int | str:
    """Every two weeks for a delegated task (as the Emmen pilot agreed), otherwise an interval
    as often as the generated circles agree one."""
    delegations = {
        (row["helper_id"], row.get("delegated_by"))
        for helper in (a, b)
        for row in state.rows[resident].get(helper, ())
        if row.get("delegated_by")
    }
    if (a, b) in delegations or (b, a) in delegations:
        return 14
    return rng.choice((7, 14, 28)) if rng.random() < 0.5 else ""


def _joins(
    rng: random.Random, state: _State, order: list[str], planned: Step, window: tuple[date, date], step: int
) -> list[str]:
    """A new helper, whom nobody in the circle knows yet, takes on one need of some residents."""
    wanted, free = _count(JOINED, len(order)), []
    organisations = organisations_by_role()
    for resident in order:
        if not wanted or not state.needs[resident]:
            free.append(resident)
            continue
        need = rng.choice(state.needs[resident])
        role = _JOINING_ROLE.get(need, "volunteer")
        if role == "volunteer":
            organisation = rng.choice(organisations["volunteer"]) if rng.random() < 0.4 else ""
        else:
            organisation = rng.choice(organisations[role])
        helper_id = f"HJ{step}-{len(planned.joins) + 1:05d}"
        helper = {
            "helper_id": helper_id,
            "role": role,
            "name": names.person(rng),
            "organisation_id": organisation,
        }
        support = {
            "helper_id": helper_id,
            "resident_id": resident,
            "domains": need,
            "hours_per_week": f"{rng.uniform(1.0, 3.0):.1f}",
            "start_date": _day_between(rng, window).isoformat(),
            "funding": _FUNDING.get(role, "informal"),
        }
        planned.joins.append(Join(resident, helper, support))
        wanted -= 1
    return free


def _departures(
    rng: random.Random, state: _State, order: list[str], planned: Step, window: tuple[date, date]
) -> list[str]:
    """A helper who is not the caregiver, with only open-ended support, leaves some circles
    of two or more; return the residents still free for other events."""
    wanted, free = _count(LEFT, len(order)), []
    for resident in order:
        circle = state.circles.get(resident, [])
        leaving = [
            helper
            for helper in circle
            if state.roles[helper] != "informal_caregiver"
            and all(not row.get("end_date") for row in state.rows[resident][helper])
        ]
        if wanted and len(circle) >= 2 and leaving:
            planned.departures.append(Departure(resident, rng.choice(leaving), _day_between(rng, window)))
            wanted -= 1
        else:
            free.append(resident)
    return free


def _lapses(
    rng: random.Random, state: _State, residents: list[str], planned: Step, since: date, lapsed: set
) -> None:
    """A share of the agreed contacts of the neighbourhood (not lapsed before) is not renewed."""
    agreed = [
        (resident, pair)
        for resident in residents
        for pair in state.agreed_contacts(resident)
        if (resident, pair) not in lapsed
    ]
    for resident, pair in rng.sample(agreed, _count(LAPSED, len(agreed))):
        planned.lapses.append(Lapse(resident, pair, since))


# --- writing the events into a later snapshot's rows ------------------------------------------


def _end_support(population: Population, departures: list[Departure]) -> None:
    """End every open support row of the departing helpers (an earlier start moves before the end)."""
    ends = {(d.helper_id, d.resident_id): d.end_date for d in departures}
    for row in population.support:
        end = ends.get((row["helper_id"], row["resident_id"]))
        if end is None or (row.get("end_date") and row["end_date"] <= end.isoformat()):
            continue
        row["end_date"] = end.isoformat()
        if row.get("start_date") and row["start_date"] >= row["end_date"]:
            row["start_date"] = (end - timedelta(days=30)).isoformat()


def _introduce(population: Population, introductions: list[Introduction], as_of: date) -> None:
    """Replace the awareness rows of each introduced pair by coordinating rows both ways."""
    pairs = {}
    for intro in introductions:
        a, b = intro.helpers
        pairs[(a, b, intro.resident_id)] = pairs[(b, a, intro.resident_id)] = intro
    population.awareness = [
        row
        for row in population.awareness
        if (row["helper_id"], row["about_helper_id"], row["resident_id"]) not in pairs
    ]
    for (helper, about, resident), intro in pairs.items():
        contact = (as_of - timedelta(days=intro.days_ago)).isoformat()
        population.awareness.append(
            {
                "helper_id": helper,
                "about_helper_id": about,
                "resident_id": resident,
                "level": "coordinating",
                "last_contact": contact,
                "contact_every_days": intro.contact_every_days,
                "observed_on": contact,
            }
        )


def _lapse(population: Population, lapses: list[Lapse], as_of: date) -> None:
    """Move the last contact of each lapsed pair back to what it was on the lapse's date."""
    since = {}
    for lapse in lapses:
        a, b = lapse.helpers
        since[(a, b, lapse.resident_id)] = since[(b, a, lapse.resident_id)] = lapse.since
    for row in population.awareness:
        earlier = since.get((row["helper_id"], row["about_helper_id"], row["resident_id"]))
        if earlier is not None and row.get("last_contact"):
            last = date.fromisoformat(row["last_contact"]) - (as_of - earlier)
            row["last_contact"] = last.isoformat()
