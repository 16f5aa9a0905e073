"""The whole analysis of a snapshot, and its JSON form for the team and policy roles (SPEC §5-6)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import orjson

from graph.analysis.circles import Circles
from graph.analysis.gaps import Gap
from graph.analysis.metrics import ResidentRow, Summary
from graph.analysis.network import HelperNetwork, NetworkCounts
from graph.analysis.organisations import GroupPair
from graph.analysis.parts import PartialAnalysis, analyse_in_parts
from graph.model import Snapshot
from graph.stores.base import Store

__all__ = [
    "SCHEMA",
    "Analysis",
    "analyse",
    "analyse_parts",
    "analyse_stored",
    "json_bytes",
    "to_json",
]

SCHEMA = "carecircle.analysis/1"
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY
ROLES = ("team", "policy")
#: a stored snapshot of up to this many residents is read at once (60,000 peak at about 600 MiB);
#: a larger one a neighbourhood at a time, so that memory follows its largest neighbourhood
READ_WHOLE_UP_TO = 100_000


@dataclass
class Analysis:
    """Everything SPEC §5 computes for one snapshot at one date.

    ``circles`` is the index of the whole snapshot when it was analysed at once (the
    dashboard looks up circles in it), and None when it was analysed in parts.
    """

    as_of: date
    circles: Circles | None
    #: every resident, sorted by id
    residents: list[ResidentRow]
    #: sorted by resident, type and helpers
    gaps: list[Gap]
    #: sorted by name
    neighbourhoods: list[Summary]
    overall: Summary
    #: finding each other, over all residents, sorted by (a, b)
    organisations: list[GroupPair]
    helper_network: HelperNetwork
    #: neighbourhood -> its "finding each other" rows, and its helper network's counts
    area_organisations: dict[str, list[GroupPair]]
    area_networks: dict[str, NetworkCounts]
    #: the municipality (None) and each neighbourhood -> its helpers in a broker position, by kind
    broker_kinds: dict[str | None, dict[str, int]]
    #: resident id -> (its caregivers, of them seen by a formal helper), for the residents with a
    #: caregiver and a formal helper: what caregiver visibility rests on, resident by resident
    caregivers_seen: dict[str, tuple[int, int]]
    #: organisation id -> its name (None when it has none), of the organisations the rows name
    organisation_names: dict[str, str | None]


def analyse(snapshot: Snapshot, as_of: date | None = None) -> Analysis:
    """Compute gaps, metrics, summaries, finding each other and the helper network.

    Parameters
    ----------
    snapshot : Snapshot
        A validated snapshot.
    as_of : date, optional
        The date T of SPEC §5; the snapshot's own date by default.
    """
    partial = PartialAnalysis(as_of or snapshot.as_of)
    tables = partial.add(snapshot)
    return Analysis(partial.as_of, Circles.of(tables), **partial.finish())


def analyse_parts(parts: Iterable[Snapshot], as_of: date) -> Analysis:
    """The same analysis as :func:`analyse`, reading the snapshot in ``parts`` (one neighbourhood
    at a time, say): only one part's rows are held at once. Each part holds some residents with
    all their support and awareness rows, and the helpers and organisations those rows name."""
    partial = analyse_in_parts(parts, as_of)
    return Analysis(as_of, None, **partial.finish())


def analyse_stored(
    source: Store, as_of: date | None = None, on_part: Callable[[str | None, int, int], None] | None = None
) -> Analysis:
    """Analyse the stored snapshot of ``as_of`` (the newest when None), as ``carecircle analyze`` does.

    A snapshot of at most :data:`READ_WHOLE_UP_TO` residents is read in one go (one query per
    table instead of three per neighbourhood); a larger one one neighbourhood at a time. Both
    give exactly the same analysis. ``on_part`` is called before each part is read, with its
    neighbourhood (None: all of them), its position from 1 and the number of parts.
    """
    areas = source.neighbourhoods(as_of)  # also: the store's error when there is no such snapshot
    info = next(i for i in reversed(source.snapshots()) if as_of is None or i.as_of == as_of)
    parts: list[str | None] = [None] if info.counts["residents"] <= READ_WHOLE_UP_TO else list(areas)

    def read():
        for position, area in enumerate(parts, start=1):
            if on_part is not None:
                on_part(area, position, len(parts))
            yield source.load(info.as_of, area)

    return analyse_parts(read(), info.as_of)


def to_json(analysis: Analysis, *, role: str = "team", k: int = 5, lang: str = "en") -> dict:
    """Return the ``analyze --format json`` object.

    With ``role="policy"`` there are no resident or gap rows and no helper ids, and every
    figure is protected against small cells together with every other policy figure of the
    snapshot (:func:`graph.analysis.disclosure.publish`): counts from 1 to k-1 become ``"<k"``,
    figures hidden so that additions cannot reveal them become null, and shares over fewer
    than k items are null. Floats are rounded to 3 decimals.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected team or policy")
    return _json(analysis, role, k, lang)


def _json(analysis: Analysis, role: str, k: int, lang: str) -> dict:
    result = {"schema": SCHEMA, "as_of": analysis.as_of.isoformat(), "role": role}
    if role == "policy":
        from graph.analysis.disclosure import publish

        publication = publish(analysis, k)
        result["neighbourhoods"] = [
            publication.summaries[area.neighbourhood] for area in analysis.neighbourhoods
        ]
        result["overall"] = publication.summaries[None]
        result["organisations"] = publication.organisations[None]
        result["helper_network"] = publication.networks[None]
        return _rounded(result)
    summaries = {
        "neighbourhoods": [summary.as_dict() for summary in analysis.neighbourhoods],
        "overall": analysis.overall.as_dict(),
        "organisations": [row.as_dict() for row in analysis.organisations],
        "helper_network": analysis.helper_network.as_dict(),
    }
    # resident rows hold floats only at the top level, and gaps none: the many rows skip the walk
    result["residents"] = [_rounded_row(row) for row in analysis.residents]
    result["gaps"] = _gap_rows(analysis.gaps, lang)
    result.update(_rounded(summaries))
    return result


def _gap_rows(gaps: list[Gap], lang: str) -> list[dict]:
    # a gap that names no helper (unmet_need, no_overview) reads the same wherever it occurs:
    # a third of all gaps, worded once per distinct text
    worded: dict[tuple, tuple[str, str]] = {}
    rows = []
    for gap in gaps:
        if gap.named:
            text = gap.text(lang)
        else:
            key = (gap.type, gap.domains, gap.details)
            text = worded.get(key) or worded.setdefault(key, gap.text(lang))
        rows.append(_gap_json(gap, *text))
    return rows


def _gap_json(gap: Gap, message: str, action: str) -> dict:
    return {
        "type": gap.type,
        "severity": gap.severity,
        "resident_id": gap.resident_id,
        "helpers": list(gap.helpers),
        "domains": list(gap.domains),
        "message": message,
        "action": action,
    }


def json_bytes(result: dict) -> bytes:
    """The ``analyze --format json`` text as UTF-8: indented by two spaces, ending in a newline.

    orjson writes it in C, tens of times faster than the standard library's indented encoder,
    which runs in Python (85 MB took 3 s at 60,000 residents; 0.07 s this way).

    Examples
    --------
    >>> json_bytes({"as_of": "2024-06-01", "gaps": []}).decode()
    '{\\n  "as_of": "2024-06-01",\\n  "gaps": []\\n}\\n'
    """
    return orjson.dumps(result, option=_JSON_OPTIONS)


def _rounded_row(row: dict) -> dict:
    return {key: round(value, 3) if isinstance(value, float) else value for key, value in row.items()}


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value
