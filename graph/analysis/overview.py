"""Who should hold the overview of a resident without one (SPEC §10)."""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from graph.analysis.circles import CircleTables

__all__ = ["ROLE_ORDER", "OverviewHolder", "overview_holders"]

#: ties between formal helpers who know as many members go to the first role of this order
ROLE_ORDER = (
    "case_manager",
    "social_worker",
    "district_nurse",
    "ambulant_supporter",
    "gp",
    "household_help",
    "practical_supporter",
    "other_formal",
)


@dataclass(frozen=True)
class OverviewHolder:
    """The formal helper who should keep the overview of a resident's circle."""

    helper_id: str
    #: how many other members the helper knows, of how many
    knows: int
    of: int
    #: the members the helper does not know yet, sorted
    to_introduce: tuple[str, ...]


def overview_holders(tables: CircleTables, residents: Iterable[str]) -> dict[str, OverviewHolder]:
    """The overview holder of each of ``residents`` (ids; those with a no_overview gap) whose
    circle has a formal helper.

    Among the formal helpers of Circle(R), the one who knows the most other members; ties go to
    the most active hours_per_week for R (empty = 0), then to the role first in
    :data:`ROLE_ORDER`, then to the first helper_id.
    """
    code = dict(zip(tables.residents.id.tolist(), range(len(tables.residents)), strict=True))
    wanted = np.array(sorted(code[resident] for resident in residents), dtype=np.int64)
    members = tables.members
    in_scope = np.isin(members.resident, wanted)
    helpers = tables.helpers
    formal = in_scope & (helpers.kind == "formal")[members.helper]
    hours = _hours_for(tables, wanted)
    rank = {role: position for position, role in enumerate(ROLE_ORDER)}
    best: dict[int, tuple] = {}
    for resident, helper, known in zip(
        members.resident[formal].tolist(),
        members.helper[formal].tolist(),
        members.others_known[formal].tolist(),
        strict=True,
    ):
        key = (
            -known,
            -hours.get((resident, helper), 0.0),
            rank.get(helpers.role[helper], len(ROLE_ORDER)),
            helpers.id[helper],
        )
        if resident not in best or key < best[resident][0]:
            best[resident] = (key, helper, known)
    circles = _circles(tables, list(best))
    knowing = _knowing(tables, list(best))
    holders = {}
    for resident, (_, helper, known) in best.items():
        others = [member for member in circles[resident] if member != helper]
        unknown = sorted(helpers.id[member] for member in others if (helper, member) not in knowing[resident])
        holders[tables.residents.id[resident]] = OverviewHolder(
            helpers.id[helper], known, len(others), tuple(unknown)
        )
    return holders


def _hours_for(tables: CircleTables, residents: np.ndarray) -> dict[tuple[int, int], float]:
    """(resident, helper) codes -> active hours_per_week for that resident (empty counts 0), of
    some residents (codes)."""
    active = tables.active.take(np.isin(tables.active.resident, residents))
    hours: dict[tuple[int, int], float] = {}
    for key, value in zip(
        zip(active.resident.tolist(), active.helper.tolist(), strict=True),
        np.nan_to_num(active.hours).tolist(),
        strict=True,
    ):
        hours[key] = hours.get(key, 0.0) + value
    return hours


def _circles(tables: CircleTables, residents: list[int]) -> dict[int, list[int]]:
    members = tables.members.take(np.isin(tables.members.resident, residents))
    circles: dict[int, list[int]] = {resident: [] for resident in residents}
    for resident, helper in zip(members.resident.tolist(), members.helper.tolist(), strict=True):
        circles[resident].append(helper)
    return circles


def _knowing(tables: CircleTables, residents: list[int]) -> dict[int, set[tuple[int, int]]]:
    knows = tables.knows.take(np.isin(tables.knows.resident, residents))
    knowing: dict[int, set[tuple[int, int]]] = {resident: set() for resident in residents}
    for resident, helper, about in zip(
        knows.resident.tolist(), knows.helper.tolist(), knows.about.tolist(), strict=True
    ):
        knowing[resident].add((helper, about))
    return knowing
