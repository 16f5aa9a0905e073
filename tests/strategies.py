"""Hypothesis strategies: random valid snapshots, as an ingest would produce them."""

from datetime import date

import pandas as pd
from hypothesis import strategies as st

from graph.model import TABLES, Snapshot
from graph.vocabulary import DOMAINS, FUNDING, LEVELS, ORGANISATION_TYPES, RELATIONS, ROLES, role_kind
from ingest.bsn import mask_bsns

# Text that survives a CSV round trip: no surrounding spaces, and ids hold no list separator.
_ALPHABET = st.characters(
    codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="|\x85\u2028\u2029"
)
# ... and no BSN: ingest masks one in free text
text = st.text(_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(lambda s: s and not mask_bsns(s)[1])
identifiers = (
    st.text(st.sampled_from("ABCXYZ019-_.'\",;{}\\é"), min_size=1, max_size=6).map(str.strip).filter(bool)
)
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


def _codes(vocabulary) -> st.SearchStrategy:
    return st.sampled_from(sorted(vocabulary.codes))


@st.composite
def snapshots(draw) -> Snapshot:
    """A random snapshot that passes validation unchanged."""
    organisation_ids = draw(st.lists(identifiers, max_size=3, unique=True))
    helper_ids = draw(st.lists(identifiers, min_size=1, max_size=6, unique=True))
    resident_ids = draw(st.lists(identifiers, min_size=1, max_size=5, unique=True))
    organisations = [
        {"organisation_id": o, "name": draw(text), "type": draw(st.none() | _codes(ORGANISATION_TYPES))}
        for o in organisation_ids
    ]
    helpers = []
    for h in helper_ids:
        role = draw(_codes(ROLES))
        kind = role_kind(role)
        helpers.append(
            {
                "helper_id": h,
                "role": role,
                "kind": kind,
                "name": draw(st.none() | text),
                "organisation_id": draw(st.none() | st.sampled_from(organisation_ids))
                if organisation_ids
                else None,
                "relation": draw(st.none() | _codes(RELATIONS)) if kind == "caregiver" else None,
            }
        )
    residents = [
        {
            "resident_id": r,
            "neighbourhood": draw(text),
            "name": draw(st.none() | text),
            "bsn_pseudonym": None,
            "birth_year": draw(st.none() | st.integers(1900, 2020)),
            "lives_alone": draw(st.none() | st.booleans()),
            "needs": draw(st.none() | _code_tuples()),
        }
        for r in resident_ids
    ]
    formal = [h["helper_id"] for h in helpers if h["kind"] == "formal"]
    support, seen = [], set()
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.none() | days)
        end = draw(st.none() | days)
        if start is not None and end is not None and end < start:
            start, end = end, start
        row = {
            "helper_id": draw(st.sampled_from(helper_ids)),
            "resident_id": draw(st.sampled_from(resident_ids)),
            "domains": draw(_code_tuples()),
            "hours_per_week": draw(st.none() | st.integers(0, 80).map(lambda n: n / 2)),
            "start_date": start,
            "end_date": end,
            "funding": draw(st.none() | _codes(FUNDING)),
            "delegated_by": draw(st.none() | st.sampled_from(formal)) if formal else None,
        }
        key = tuple(str(v) for v in row.values())
        if key not in seen:
            seen.add(key)
            support.append(row)
    awareness, keys = [], set()
    if len(helper_ids) >= 2:
        for _ in range(draw(st.integers(0, 8))):
            helper, about = draw(st.lists(st.sampled_from(helper_ids), min_size=2, max_size=2, unique=True))
            resident = draw(st.sampled_from(resident_ids))
            if (helper, about, resident) in keys:
                continue
            keys.add((helper, about, resident))
            observed = draw(st.none() | days)
            awareness.append(
                {
                    "helper_id": helper,
                    "about_helper_id": about,
                    "resident_id": resident,
                    "level": draw(_codes(LEVELS)),
                    "last_contact": draw(st.none() | days),
                    "contact_every_days": draw(st.none() | st.integers(1, 365)),
                    "observed_on": observed,
                }
            )
    snapshot = Snapshot(draw(text.filter(lambda s: '"' not in s and "\\" not in s)), draw(days))
    for name, rows in (
        ("organisations", organisations),
        ("helpers", helpers),
        ("residents", residents),
        ("support", support),
        ("awareness", awareness),
    ):
        setattr(snapshot, name, pd.DataFrame(rows, columns=list(TABLES[name]), dtype=object))
    return snapshot


def _code_tuples() -> st.SearchStrategy:
    return st.lists(_codes(DOMAINS), min_size=1, max_size=4, unique=True).map(lambda c: tuple(sorted(c)))
