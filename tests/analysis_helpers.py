"""Build small snapshots by hand for the analysis tests."""

from datetime import date, timedelta

import pandas as pd

from graph.analysis import analyse
from graph.model import TABLES, Snapshot
from graph.vocabulary import role_kind

T = date(2017, 6, 1)


def days(n: int) -> date:
    """T plus n days."""
    return T + timedelta(days=n)


def make_snapshot(
    residents: dict[str, tuple] | None = None,
    helpers: dict[str, tuple] | None = None,
    support: list[tuple] = (),
    awareness: list[tuple] = (),
    as_of: date = T,
) -> Snapshot:
    """residents: id -> (neighbourhood, needs); helpers: id -> (role, organisation or None);
    support: (helper, resident, domains, hours, start, end, delegated_by) — trailing items optional;
    awareness: (helper, about, resident, level, last_contact, contact_every_days) — trailing optional.
    """
    snapshot = Snapshot("test", as_of)
    rows = {
        "residents": [
            {"resident_id": r, "neighbourhood": area, "name": None, "bsn_pseudonym": None, "birth_year": None,
             "lives_alone": None, "needs": tuple(sorted(needs)) or None}
            for r, (area, needs) in (residents or {"R1": ("Stedenwijk", ())}).items()
        ],
        "helpers": [
            {"helper_id": h, "role": role, "kind": role_kind(role), "name": None, "organisation_id": org,
             "relation": None}
            for h, (role, org) in (helpers or {}).items()
        ],
        "support": [],
        "awareness": [],
    }  # fmt: skip
    for row in support:
        helper, resident, domains, hours, start, end, delegated_by = (*row, None, None, None, None)[:7]
        rows["support"].append(
            {"helper_id": helper, "resident_id": resident, "domains": tuple(sorted(domains.split("|"))),
             "hours_per_week": hours, "start_date": start, "end_date": end, "funding": None,
             "delegated_by": delegated_by}
        )  # fmt: skip
    for row in awareness:
        helper, about, resident, level, last, every = (*row, *("aware", None, None)[len(row) - 3 :])
        rows["awareness"].append(
            {"helper_id": helper, "about_helper_id": about, "resident_id": resident, "level": level,
             "last_contact": last, "contact_every_days": every, "observed_on": None}
        )  # fmt: skip
    organisations = sorted({org for _, org in (helpers or {}).values() if org})
    rows["organisations"] = [{"organisation_id": o, "name": o, "type": None} for o in organisations]
    for table, table_rows in rows.items():
        setattr(snapshot, table, pd.DataFrame(table_rows, columns=list(TABLES[table]), dtype=object))
    return snapshot


def gaps_of(snapshot: Snapshot, *types: str) -> list[tuple]:
    """(type, resident, helpers, domains) of every gap, optionally of some types only."""
    return [
        (g.type, g.resident_id, g.helpers, g.domains)
        for g in analyse(snapshot).gaps
        if not types or g.type in types
    ]


def resident_row(snapshot: Snapshot, resident: str = "R1") -> dict:
    (row,) = [r for r in analyse(snapshot).residents if r["resident_id"] == resident]
    return row
