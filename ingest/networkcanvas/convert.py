"""SPEC §12's rules: the interviews of a Network Canvas export turned into the rows of a SPEC §3 dataset.

Each problem is reported as ingest reports one (SPEC §4): the export file's name, its line (the
header is line 1), the mapped variable (or the Network Canvas column) as the column, a code of
:data:`~ingest.catalogue.CATALOGUE`. A rejected row cascades: the alters of a rejected interview,
the ties of a rejected alter.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from graph.language import N_
from graph.vocabulary import DOMAINS, UNRECORDED
from ingest.bsn import BSN_MASK, mask_bsns
from ingest.catalogue import Problem, render
from ingest.cells import parse_bool, parse_decimal
from ingest.networkcanvas.columns import EDGE_COLUMNS, EGO_COLUMNS, NODE_COLUMNS, ExportTable
from ingest.networkcanvas.export import ENDPOINTS, Export, InterviewTables
from ingest.networkcanvas.mapping import Mapping, domain_code

__all__ = ["Conversion", "convert"]

#: awareness levels from low to high: of several ties of one pair, the highest counts
_LEVEL_RANK = {"none": 0, "aware": 1, "coordinating": 2}

#: the columns Network Canvas writes for its own bookkeeping, per kind of file: never listed as ignored
#: the ego column that names the interview's protocol: the dataset's name when every interview has one
_PROTOCOL = "networkCanvasProtocolName"
_OWN_COLUMNS = {"ego": set(EGO_COLUMNS), "nodes": set(NODE_COLUMNS), "edges": set(EDGE_COLUMNS)}
_WHITESPACE = re.compile(r"\s+")


@dataclass
class Conversion:
    """The rows of the five dataset files, and the import's report in the ingest report's parts.

    ``files`` holds per export file read: ``read``, ``accepted`` and ``rejected`` rows;
    ``ignored_columns`` the mapping's unused columns per kind of file (``*_ego.csv``,
    ``*_attributeList_<NodeType>.csv``, ``*_edgeList_<EdgeType>.csv``); ``ignored_types`` the
    node and edge types the mapping leaves out; ``latest`` the latest date of an interview used;
    ``protocol`` the name of the protocol of every interview used (None when they have several, or
    none).
    """

    residents: list[dict] = field(default_factory=list)
    helpers: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)
    support: list[dict] = field(default_factory=list)
    awareness: list[dict] = field(default_factory=list)
    files: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    ignored_types: dict[str, list[str]] = field(default_factory=dict)
    latest: date | None = None
    protocol: str | None = None


def convert(
    export: Export, interviews: list[InterviewTables], mapping: Mapping, lang: str = "en"
) -> Conversion:
    """Apply SPEC §12's rules to the ``interviews`` (as :func:`~.export.read_interviews` reads them).

    Parameters
    ----------
    export : Export
        The export, for its node and edge types (those not mapped are listed and warned about).
    interviews : list of InterviewTables
        Its interviews' files, read.
    mapping : Mapping
        The checked mapping.
    lang : {"en", "nl"}
        Language of the messages.

    Returns
    -------
    Conversion
        The rows, per file counts, problems and what was ignored.
    """
    book = _Book(lang)
    egos = [_read_ego(order, tables, mapping, book) for order, tables in enumerate(interviews)]
    used = _latest_interviews(egos, book)
    read = {id(ego) for ego in egos if ego.rejected_at is not None} | {id(ego) for ego in used}
    conversion = Conversion()
    alters: list[_Alter] = []
    awareness: dict[tuple[str, str, str], dict] = {}
    for ego in egos:
        alters += _interview_rows(ego, id(ego) in read, mapping, awareness, book)
    accepted = [alter for alter in alters if alter.rejected_at is None]
    _domains_warning(mapping, accepted, book)
    conversion.residents = [_resident_row(ego) for ego in used]
    conversion.helpers, conversion.organisations = _helper_rows(accepted, mapping, book)
    conversion.support = [_support_row(alter) for alter in accepted]
    conversion.awareness = list(awareness.values())
    conversion.latest = max((ego.day for ego in used if ego.day is not None), default=None)
    protocols = {ego.protocol for ego in used}
    conversion.protocol = protocols.pop() if len(protocols) == 1 and "" not in protocols else None
    conversion.ignored_types = _ignored_types(export, mapping, book)
    for name in export.unmatched:  # a CSV file beside the interviews is not read, and said so
        book.warn("ignored_file", name, None)
    conversion.ignored_columns = _ignored_columns(interviews, mapping)
    conversion.files, conversion.rejected, conversion.warnings = book.report(_file_order(interviews))
    return conversion


def _interview_rows(
    ego: "_Ego", read: bool, mapping: Mapping, awareness: dict, book: "_Book"
) -> list["_Alter"]:
    """Count the interview's node and edge files; when ``read``, its alters (returned) and its ties
    (into ``awareness``): a superseded interview is left out, a rejected one read for its rows to be
    rejected with it."""
    tables = ego.tables
    for table in (tables.nodes, *tables.edges.values()):
        if table is not None:
            book.open(table)
    if not read:
        return []
    alters = _read_alters(ego, tables.nodes, mapping, book) if tables.nodes is not None else []
    for edge_type, table in tables.edges.items():
        _read_ties(table, mapping.edges[edge_type], ego, alters, awareness, book)
    return alters


def _file_order(interviews: list[InterviewTables]) -> list[str]:
    """The files read, per interview: ego, attribute list, edge lists."""
    files = [(tables.ego, tables.nodes, *tables.edges.values()) for tables in interviews]
    return [table.name for group in files for table in group if table is not None]


class _Book:
    """Per export file read: its rows, which were accepted and which rejected; the problems in file order."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.read: dict[str, int] = {}
        self.accepted: dict[str, set[int]] = defaultdict(set)
        self.rejected: dict[str, list[Problem]] = defaultdict(list)
        self.warnings: dict[str, list[Problem]] = defaultdict(list)
        self.general: list[Problem] = []

    def open(self, table: ExportTable) -> None:
        """Count a file's rows, and take over the problems of reading it."""
        self.read[table.name] = len(table.lines)
        self.rejected[table.name].extend(table.raw.problems)
        self.warnings[table.name].extend(table.raw.warnings)

    def reject(self, code: str, file: str, line: int, column: str | None = None, **params: object) -> str:
        """Reject the row ``file:line``; return where it was rejected, for what refers to it."""
        self.rejected[file].append(
            render(code, file=file, line=line, column=column, lang=self.lang, **params)
        )
        return f"{file}:{line}"

    def warn(
        self, code: str, file: str, line: int | None, column: str | None = None, **params: object
    ) -> None:
        problem = render(code, file=file, line=line, column=column, lang=self.lang, **params)
        (self.warnings[file] if file in self.read else self.general).append(problem)

    def accept(self, file: str, line: int) -> None:
        self.accepted[file].add(line)

    def report(self, order: list[str]) -> tuple[dict[str, dict[str, int]], list[Problem], list[Problem]]:
        """Counts per file, rejected rows, warnings: the files in ``order``, their problems by line."""
        self.read = {name: self.read[name] for name in order}
        files = {}
        for name, read in self.read.items():
            rejected = {problem.line for problem in self.rejected[name]}
            files[name] = {
                "read": read,
                "accepted": len(self.accepted[name] - rejected),
                "rejected": len(rejected),
            }
        rejected = [problem for name in self.read for problem in sorted(self.rejected[name], key=_by_line)]
        warnings = [problem for name in self.read for problem in sorted(self.warnings[name], key=_by_line)]
        return files, rejected, self.general + warnings


def _by_line(problem: Problem) -> tuple:
    return (problem.line or 0, problem.column or "")


@dataclass(eq=False)
class _Ego:
    """One interview's ego row: the resident, when the interview was held, where it was rejected."""

    order: int
    tables: InterviewTables
    line: int
    resident_id: str = ""
    neighbourhood: str = ""
    needs: tuple[str, ...] = ()
    instant: datetime | None = None
    day: date | None = None
    protocol: str = ""
    rejected_at: str | None = None

    @property
    def file(self) -> str:
        return self.tables.ego.name

    def later_than(self) -> tuple:
        """Sorts interviews by when they finished (else started), undated first, then by file."""
        instant = self.instant or datetime.min.replace(tzinfo=UTC)
        return (instant, self.file)


def _read_ego(order: int, tables: InterviewTables, mapping: Mapping, book: _Book) -> _Ego:
    """The interview's resident from its one ego row; a row missing what SPEC §12 requires rejects it."""
    table = tables.ego
    book.open(table)
    lines = table.lines
    resident = mapping.ego.resident_id
    ego = _Ego(order, tables, lines[0] if lines else table.raw.header_line + 1)
    for extra in lines[1:]:
        book.reject("extra_ego_row", table.name, extra)
    if not lines:
        ego.rejected_at = book.reject("missing_value", table.name, ego.line, resident)
        return ego
    unread = table.unread()
    ego.instant, ego.day = _when(table, ego.line, book)
    ego.protocol = table.column(_PROTOCOL)[ego.line]
    ego.resident_id = table.column(resident)[ego.line]
    ego.neighbourhood = (
        _masked(table, mapping.ego.neighbourhood, ego.line, book) or mapping.ego.neighbourhood_for_all
    )
    needs, failed = _true_options(table, mapping.ego.needs)
    if ego.line in unread:
        ego.rejected_at = f"{table.name}:{ego.line}"
    elif not ego.resident_id:
        ego.rejected_at = book.reject("missing_value", table.name, ego.line, resident)
    elif not ego.neighbourhood:
        ego.rejected_at = book.reject("missing_value", table.name, ego.line, mapping.ego.neighbourhood)
    elif ego.line in failed:
        ego.rejected_at = book.reject(**failed[ego.line])
    else:
        ego.needs = _domains(needs.get(ego.line, []), mapping, table.name, ego.line, mapping.ego.needs, book)
        book.accept(table.name, ego.line)
    return ego


def _when(table: ExportTable, line: int, book: _Book) -> tuple[datetime | None, date | None]:
    """When the interview finished (else started): the instant (UTC when no zone), and the date written."""
    for column in ("sessionFinish", "sessionStart"):
        text = table.column(column)[line] if table.has(column) else ""
        if not text:
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            book.warn("invalid_date", table.name, line, column, value=text)
            continue
        instant = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return instant, moment.date()
    return None, None


def _latest_interviews(egos: list[_Ego], book: _Book) -> list[_Ego]:
    """The interviews used: per resident the one that finished last; a warning for each other one."""
    latest: dict[str, _Ego] = {}
    for ego in egos:
        if ego.rejected_at is None:
            held = latest.get(ego.resident_id)
            if held is None or ego.later_than() > held.later_than():
                latest[ego.resident_id] = ego
    for ego in egos:
        winner = latest.get(ego.resident_id)
        if ego.rejected_at is None and winner is not ego:
            book.accepted[ego.file].discard(ego.line)
            book.warn("superseded_interview", ego.file, ego.line, value=ego.resident_id, expected=winner.file)
    return [ego for ego in egos if ego.rejected_at is None and latest[ego.resident_id] is ego]


@dataclass(eq=False)
class _Alter:
    """One alter of the mapped node type: the helper it is, or where it was rejected."""

    ego: _Ego
    file: str
    line: int
    uuid: str
    node_id: str
    helper_id: str = ""
    role: str = ""
    domains: tuple[str, ...] = ()
    hours: float | None = None
    name: str = ""
    organisation: str = ""
    rejected_at: str | None = None


def _read_alters(ego: _Ego, table: ExportTable, mapping: Mapping, book: _Book) -> list[_Alter]:
    """Every alter of ``table``, accepted or rejected (SPEC §12's rules for a helper)."""
    helpers = mapping.helpers
    unread = table.unread()
    uuids, node_ids = table.column("networkCanvasUUID"), table.column("nodeID")
    identities = table.column(helpers.identity) if helpers.identity else None
    roles, role_failed = _true_options(table, helpers.role)
    domains, domain_failed = _true_options(table, helpers.domains)
    hours, hours_failed = _hours(table, helpers.hours_per_week)
    alters = []
    for line in table.lines:
        alter = _Alter(ego, table.name, line, uuids[line], node_ids[line])
        alters.append(alter)
        problem = _alter_problem(alter, mapping, roles, (role_failed, domain_failed, hours_failed))
        if line in unread:
            alter.rejected_at = f"{table.name}:{line}"
            continue
        if problem is not None:
            alter.rejected_at = book.reject(**problem)
            continue
        identity = identities[line] if identities is not None else ""
        alter.helper_id = "nc:" + (identity or alter.uuid)
        alter.hours = hours.get(line)
        alter.domains = _domains(domains.get(line, []), mapping, table.name, line, helpers.domains, book)
        alter.name = _masked(table, helpers.name, line, book)
        alter.organisation = _masked(table, helpers.organisation, line, book, collapse=True)
        book.accept(table.name, line)
    return alters


def _alter_problem(
    alter: _Alter,
    mapping: Mapping,
    roles: dict[int, list[str]],
    failures: tuple[dict[int, dict], ...],
) -> dict | None:
    """Why the alter is rejected (``_Book.reject``'s arguments), or None; sets its role otherwise."""
    file, line = alter.file, alter.line
    where = {"file": file, "line": line}
    if alter.ego.rejected_at is not None:
        return {
            "code": "rejected_reference",
            "column": "networkCanvasEgoUUID",
            "value": alter.ego.resident_id or alter.ego.tables.prefix,
            "expected": alter.ego.rejected_at,
            **where,
        }
    if not alter.uuid:
        return {"code": "missing_value", "column": "networkCanvasUUID", **where}
    for failed in failures:
        if line in failed:
            return failed[line]
    variable = mapping.helpers.role
    if variable is None:
        alter.role = mapping.helpers.role_for_all
        return None
    chosen = roles.get(line, [])
    if len(chosen) != 1:
        code = "several_options" if chosen else "missing_value"
        return {"code": code, "column": variable, "value": ", ".join(chosen), **where}
    role = mapping.role_of(chosen[0])
    if role is None:
        expected = ", ".join(mapping.roles) or "-"
        return {"code": "unknown_role", "column": variable, "value": chosen[0], "expected": expected, **where}
    alter.role = role
    return None


def _true_options(table: ExportTable, variable: str | None) -> tuple[dict[int, list[str]], dict[int, dict]]:
    """Per line, the options of the categorical ``variable`` that are true; and per line, the first
    option cell that is not true/false (``_Book.reject``'s arguments for ``invalid_boolean``)."""
    true: dict[int, list[str]] = defaultdict(list)
    failed: dict[int, dict] = {}
    options = table.options(variable) if variable is not None else {}
    if not options:
        return true, failed
    # every option column at once, option by option in the file's order: one parse, not one per column
    cells = pd.concat([table.column(column) for column in options.values()], keys=list(options))
    parsed = parse_bool(cells)
    for option, line in cells.index[parsed.failed]:
        failed.setdefault(
            line,
            {
                "code": "invalid_boolean",
                "file": table.name,
                "line": line,
                "column": options[option],
                "value": cells[option, line],
            },
        )
    for option, line in cells.index[parsed.values.eq(True)]:
        true[line].append(option)
    return true, failed


def _hours(table: ExportTable, variable: str | None) -> tuple[dict[int, float], dict[int, dict]]:
    """Per line, the hours per week; and per line, why a cell is not usable (not a number, negative)."""
    if variable is None:
        return {}, {}
    cells = table.column(variable)
    parsed = parse_decimal(cells, decimal_comma=table.raw.decimal_comma)
    hint = N_("decimal mark ',' or '.'") if table.raw.decimal_comma else N_("decimal mark '.'")
    failed = {}
    for line in cells.index[parsed.failed]:
        failed[line] = {
            "code": "invalid_decimal",
            "file": table.name,
            "line": line,
            "column": variable,
            "value": cells[line],
            "expected": hint,
        }
    hours = {line: value for line, value in parsed.values.items() if value is not None}
    for line, value in hours.items():
        if value < 0:
            failed[line] = {
                "code": "negative_hours",
                "file": table.name,
                "line": line,
                "column": variable,
                "value": cells[line],
            }
    return hours, failed


def _domains(
    options: list[str], mapping: Mapping, file: str, line: int, variable: str | None, book: _Book
) -> tuple[str, ...]:
    """The domains of the true ``options``: mapped by ``[domains]``, else kept as written with a warning."""
    found = set()
    for option in options:
        code = mapping.domain_of(option)
        if code is None:
            code = domain_code(option)[0]
        if code not in DOMAINS:
            book.warn("unknown_code", file, line, variable, value=code)
        found.add(code)
    return tuple(sorted(found))


def _masked(
    table: ExportTable, variable: str | None, line: int, book: _Book, *, collapse: bool = False
) -> str:
    """The text of ``variable`` on ``line``, a BSN in it masked with a warning (whitespace collapsed)."""
    if variable is None:
        return ""
    text = table.column(variable)[line]
    if collapse:
        text = _WHITESPACE.sub(" ", text)
    text, found = mask_bsns(text)
    if found:
        book.warn("bsn_in_text", table.name, line, variable, expected=BSN_MASK)
    return text


def _read_ties(
    table: ExportTable, level: str, ego: _Ego, alters: list[_Alter], awareness: dict, book: _Book
) -> None:
    """The ties of one edge list: awareness both ways for the resident, the highest level per pair."""
    by_uuid = {alter.uuid: alter for alter in alters if alter.uuid}
    by_node = {alter.node_id: alter for alter in alters if alter.node_id}
    ends = [
        (first, by_uuid if index == 0 else by_node) for index, pair in enumerate(ENDPOINTS) for first in pair
    ]
    unread = table.unread()
    for line in table.lines:
        if line in unread:
            continue
        found = [_end(table, line, side, ends) for side in (0, 1)]
        problem = next((problem for problem in found if isinstance(problem, dict)), None)
        if problem is None and found[0].helper_id == found[1].helper_id:
            problem = {
                "code": "self_awareness",
                "column": "networkCanvasTargetUUID",
                "value": found[0].helper_id,
            }
        if problem is not None:
            book.reject(file=table.name, line=line, **problem)
            continue
        book.accept(table.name, line)
        first, second = found
        for one, other in ((first, second), (second, first)):
            key = (one.helper_id, other.helper_id, ego.resident_id)
            held = awareness.get(key)
            if held is None or _LEVEL_RANK[level] > _LEVEL_RANK[held["level"]]:
                awareness[key] = {
                    "helper_id": one.helper_id,
                    "about_helper_id": other.helper_id,
                    "resident_id": ego.resident_id,
                    "level": level,
                    "observed_on": ego.day.isoformat() if ego.day is not None else "",
                }


def _end(table: ExportTable, line: int, side: int, ends: list) -> "_Alter | dict":
    """The alter at one end of a tie (by its UUID, else its nodeID), or why the tie is rejected."""
    for column, lookup in (ends[side], ends[2 + side]):
        text = table.column(column)[line] if table.has(column) else ""
        if not text:
            continue
        alter = lookup.get(text)
        if alter is None:
            return {"code": "unknown_reference", "column": column, "value": text}
        if alter.rejected_at is not None:
            return {
                "code": "rejected_reference",
                "column": column,
                "value": text,
                "expected": alter.rejected_at,
            }
        return alter
    return {"code": "missing_value", "column": ends[side][0]}


def _domains_warning(mapping: Mapping, accepted: list[_Alter], book: _Book) -> None:
    """Say when support rows get :data:`~graph.vocabulary.UNRECORDED`: once when no tasks are mapped,
    else per alter."""
    if mapping.helpers.domains is None:
        if accepted:
            book.warn("domains_unmapped", mapping.file, None, "[helpers] domains", value=UNRECORDED)
        return
    for alter in accepted:
        if not alter.domains:
            book.warn("no_domains", alter.file, alter.line, mapping.helpers.domains, value=UNRECORDED)


def _resident_row(ego: _Ego) -> dict:
    return {"resident_id": ego.resident_id, "neighbourhood": ego.neighbourhood, "needs": "|".join(ego.needs)}


def _support_row(alter: _Alter) -> dict:
    return {
        "helper_id": alter.helper_id,
        "resident_id": alter.ego.resident_id,
        "domains": "|".join(alter.domains) or UNRECORDED,
        "hours_per_week": "" if alter.hours is None else repr(alter.hours),
    }


def _helper_rows(accepted: list[_Alter], mapping: Mapping, book: _Book) -> tuple[list[dict], list[dict]]:
    """One helper per helper_id, with the role of its latest interview (a warning for each other role),
    and its latest name and organisation; the organisations named, one per text."""
    occurrences: dict[str, list[_Alter]] = defaultdict(list)
    for alter in sorted(accepted, key=lambda alter: (alter.ego.later_than(), alter.line)):
        occurrences[alter.helper_id].append(alter)
    helpers, organisations = [], {}
    for helper_id, seen in occurrences.items():
        last = seen[-1]
        for earlier in seen[:-1]:
            if earlier.role != last.role:
                where = f"{last.file}:{last.line}"
                book.warn(
                    "role_changed",
                    earlier.file,
                    earlier.line,
                    mapping.helpers.role,
                    value=helper_id,
                    found=earlier.role,
                    expected=f"{last.role} ({where})",
                )
        name = next((alter.name for alter in reversed(seen) if alter.name), "")
        organisation = next((alter.organisation for alter in reversed(seen) if alter.organisation), "")
        row = {"helper_id": helper_id, "role": last.role, "name": name}
        if mapping.helpers.organisation is not None:
            row["organisation_id"] = "nc:" + organisation if organisation else ""
            if organisation:
                organisations["nc:" + organisation] = {
                    "organisation_id": "nc:" + organisation,
                    "name": organisation,
                }
        helpers.append(row)
    return helpers, list(organisations.values())


def _ignored_types(export: Export, mapping: Mapping, book: _Book) -> dict[str, list[str]]:
    """The node and edge types the mapping leaves out, each with a warning at its first file."""
    nodes = [kind for kind in export.node_types() if kind != mapping.helpers.node_type]
    edges = [kind for kind in export.edge_types() if kind not in mapping.edges]
    for code, kinds, attribute in (
        ("ignored_node_type", nodes, "nodes"),
        ("ignored_edge_type", edges, "edges"),
    ):
        for kind in kinds:
            first = next(
                getattr(i, attribute)[kind].name for i in export.interviews if kind in getattr(i, attribute)
            )
            book.warn(code, first, None, value=kind)
    return {"nodes": nodes, "edges": edges}


def _ignored_columns(interviews: list[InterviewTables], mapping: Mapping) -> dict[str, list[str]]:
    """Per kind of file, the columns that neither the mapping nor Network Canvas's bookkeeping uses."""
    ego, helpers = mapping.ego, mapping.helpers
    used = {
        "ego": ({ego.resident_id, ego.neighbourhood}, (ego.needs,)),
        "nodes": (
            {helpers.name, helpers.organisation, helpers.hours_per_week, helpers.identity},
            (helpers.role, helpers.domains),
        ),
        "edges": (set(), ()),
    }
    ignored: dict[str, list[str]] = {}
    for tables in interviews:
        files = [("ego", "*_ego.csv", tables.ego)]
        if tables.nodes is not None:
            files.append(("nodes", f"*_attributeList_{helpers.node_type}.csv", tables.nodes))
        files += [("edges", f"*_edgeList_{kind}.csv", table) for kind, table in tables.edges.items()]
        for kind, pattern, table in files:
            plain, categorical = used[kind]
            for header in table.raw.header:
                if not header or header in plain or header in _OWN_COLUMNS[kind]:
                    continue
                if any(variable and header.startswith(f"{variable}_") for variable in categorical):
                    continue
                listed, shown = ignored.setdefault(pattern, []), mask_bsns(header)[0]
                if shown not in listed:
                    listed.append(shown)
    return ignored
