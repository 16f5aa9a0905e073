"""Network Canvas CSV exports (ego, attribute and edge lists per interview), written as Interviewer does.

The format follows the real export files in ``shared/fixtures/network-canvas/``: per interview
``<case>_<sessionUUID>_ego.csv``, ``…_attributeList_<NodeType>.csv`` and one
``…_edgeList_<EdgeType>.csv`` per edge type with ties; the same leading columns in the same
order; ``true``/``false`` cells, one column ``<Variable>_<option>`` per option of a categorical
variable (options kept as written, spaces and underscores included), every option column in
every file; CRLF line ends; session times as ``2024-12-17T18:31:50.303Z``.
"""

import csv
import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.networkcanvas.columns import EDGE_COLUMNS, EGO_COLUMNS, NODE_COLUMNS

__all__ = [
    "Alter",
    "Interview",
    "Protocol",
    "Variable",
    "render_export",
    "seeded_uuid",
    "write_export",
    "write_export_zip",
]

_KINDS = ("text", "number", "categorical")


@dataclass(frozen=True)
class Variable:
    """A variable of the ego or of a node type: ``text``, ``number`` or ``categorical`` with its options.

    Examples
    --------
    >>> Variable("Role", "categorical", ("Wijkverpleegkundige", "Huishoudelijke hulp")).columns()
    ('Role_Wijkverpleegkundige', 'Role_Huishoudelijke hulp')
    >>> Variable("Hours", "number").columns()
    ('Hours',)
    """

    name: str
    kind: str = "text"
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"variable {self.name!r}: kind {self.kind!r} is not one of {', '.join(_KINDS)}")
        if (self.kind == "categorical") != bool(self.options):
            raise ValueError(
                f"variable {self.name!r}: options belong to, and only to, a categorical variable"
            )

    def columns(self) -> tuple[str, ...]:
        """The export's column names of this variable: one per option for a categorical one."""
        if self.kind == "categorical":
            return tuple(f"{self.name}_{option}" for option in self.options)
        return (self.name,)

    def cells(self, value: object) -> tuple[str, ...]:
        """The cells of ``value`` under :meth:`columns`: for a categorical variable ``value`` is the
        collection of chosen options (``None``: none chosen), else one value (``None``: empty).

        Raises
        ------
        ValueError
            When a categorical value names an option the variable does not have.

        Examples
        --------
        >>> Variable("Tasks", "categorical", ("Huishouden", "Vervoer")).cells({"Vervoer"})
        ('false', 'true')
        >>> Variable("Hours", "number").cells(3.0), Variable("Hours", "number").cells(2.5)
        (('3',), ('2.5',))
        """
        if self.kind == "categorical":
            chosen = set(value or ())
            if unknown := chosen - set(self.options):
                raise ValueError(f"variable {self.name!r} has no option {sorted(unknown)[0]!r}")
            return tuple("true" if option in chosen else "false" for option in self.options)
        if value is None:
            return ("",)
        if self.kind == "number":
            return (_number(value),)
        return (str(value),)


@dataclass(frozen=True)
class Protocol:
    """What an interview protocol asks: ego variables, one node type with its variables, edge types."""

    name: str
    ego_variables: tuple[Variable, ...]
    node_type: str
    node_variables: tuple[Variable, ...]
    edge_types: tuple[str, ...]


@dataclass(frozen=True)
class Alter:
    """A person named in an interview: ``key`` (what the interview's ties refer to) and the values
    of the node type's variables; ``uuid`` is the ``networkCanvasUUID`` (from the seed when None)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    uuid: str | None = None


@dataclass(frozen=True)
class Interview:
    """One interview session: who, when, the ego's answers, the alters and the ties per edge type
    (pairs of alter keys, in the order they were drawn)."""

    case_id: str
    session_uuid: str
    ego_uuid: str
    start: datetime
    finish: datetime
    ego: Mapping[str, object] = field(default_factory=dict)
    alters: tuple[Alter, ...] = ()
    ties: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def seeded_uuid(seed: int, *parts: object) -> str:
    """A version-4 UUID drawn from ``seed`` and ``parts``: the same arguments give the same UUID.

    Examples
    --------
    >>> seeded_uuid(1, "session", 1) == seeded_uuid(1, "session", 1) != seeded_uuid(2, "session", 1)
    True
    >>> seeded_uuid(1, "session", 1)[14]
    '4'
    """
    digest = hashlib.sha256(repr((seed, *parts)).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def render_export(
    protocol: Protocol, interviews: Iterable[Interview], *, seed: int = 0, exported: datetime | None = None
) -> dict[str, bytes]:
    """The files of a CSV export of ``interviews``, by file name, in the order Network Canvas lists them.

    Per interview: the ego file, the attribute list of the node type (left out when nobody was
    named) and an edge list per edge type of the protocol with ties (left out without), as the
    real exports do. Node ids count from 1 per interview, edge ids count on across its edge types.

    Parameters
    ----------
    protocol : Protocol
        The protocol the interviews followed.
    interviews : iterable of Interview
        The interviews; each names only the protocol's variables, options and edge types.
    seed : int
        Seed of the alters' (when not given) and the ties' UUIDs.
    exported : datetime, optional
        The ``sessionExported`` time; by default the latest ``finish`` of the interviews.

    Raises
    ------
    ValueError
        When an interview names a variable, option or edge type the protocol lacks, a tie an alter
        it does not have, two alters share a key, or a case id holds a path separator.

    Examples
    --------
    >>> protocol = Protocol("Kring", (Variable("ResidentID"),), "Person", (Variable("name"),), ("Knows",))
    >>> interview = Interview(
    ...     "case_1", seeded_uuid(1, "s"), seeded_uuid(1, "e"),
    ...     datetime(2024, 5, 2, 10, 0, tzinfo=UTC), datetime(2024, 5, 2, 10, 40, 12, 5000, tzinfo=UTC),
    ...     {"ResidentID": "R1"}, (Alter("a", {"name": "Anouk"}), Alter("b", {"name": "Kees"})),
    ...     {"Knows": (("a", "b"),)},
    ... )
    >>> files = render_export(protocol, [interview])
    >>> [name.split("_", 3)[3] for name in files]  # case_1 _ session UUID _ ...
    ['ego.csv', 'attributeList_Person.csv', 'edgeList_Knows.csv']
    >>> ego = files[next(iter(files))].decode().split("\\r\\n")[1].split(",")
    >>> ego[1], ego[3], ego[5], ego[7]
    ('case_1', 'Kring', '2024-05-02T10:40:12.005Z', 'R1')
    """
    interviews = list(interviews)
    moment = _exported_at(interviews, exported)
    files: dict[str, bytes] = {}
    for interview in interviews:
        files.update(_interview_files(protocol, interview, seed, _timestamp(moment)))
    return files


def _exported_at(interviews: list[Interview], exported: datetime | None) -> datetime:
    """When the export was made: ``exported``, else when its last interview finished."""
    if exported is not None:
        return exported
    return max((interview.finish for interview in interviews), default=datetime(1970, 1, 1, tzinfo=UTC))


def write_export(
    folder: Path,
    protocol: Protocol,
    interviews: Iterable[Interview],
    *,
    seed: int = 0,
    exported: datetime | None = None,
) -> list[Path]:
    """Write the CSV export of ``interviews`` into ``folder`` (created if needed), as Network Canvas does.

    Files of the same names are replaced; the same arguments give byte-identical files. The
    arguments are those of :func:`render_export`. Returns the paths written, in order.

    Examples
    --------
    >>> import tempfile
    >>> protocol = Protocol("Kring", (Variable("ResidentID"),), "Person", (Variable("name"),), ("Knows",))
    >>> moment = datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    >>> session, ego = seeded_uuid(0, "session"), seeded_uuid(0, "ego")
    >>> interview = Interview("c1", session, ego, moment, moment, {"ResidentID": "R1"})
    >>> written = write_export(Path(tempfile.mkdtemp()), protocol, [interview])
    >>> [path.name.endswith("_ego.csv") for path in written]
    [True]
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render_export(protocol, interviews, seed=seed, exported=exported).items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def write_export_zip(
    path: Path,
    protocol: Protocol,
    interviews: Iterable[Interview],
    *,
    seed: int = 0,
    exported: datetime | None = None,
) -> Path:
    """Write the export as the zip Network Canvas makes: the same CSV files, side by side at its root.

    Member times are the export's time (at least 1980, zip's first year), so the same arguments
    give a byte-identical zip. The arguments are those of :func:`render_export`.

    Examples
    --------
    >>> import tempfile
    >>> protocol = Protocol("Kring", (Variable("ResidentID"),), "Person", (Variable("name"),), ("Knows",))
    >>> moment = datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    >>> session, ego = seeded_uuid(0, "session"), seeded_uuid(0, "ego")
    >>> interview = Interview("c1", session, ego, moment, moment, {"ResidentID": "R1"})
    >>> archive = write_export_zip(Path(tempfile.mkdtemp()) / "export.zip", protocol, [interview])
    >>> len(zipfile.ZipFile(archive).namelist())
    1
    """
    interviews = list(interviews)
    files = render_export(protocol, interviews, seed=seed, exported=exported)
    stamp = max(_utc(_exported_at(interviews, exported)).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, content)
    return path


def _interview_files(protocol: Protocol, interview: Interview, seed: int, exported: str) -> dict[str, bytes]:
    """The ego file, attribute list and edge lists of one interview, by file name."""
    if "/" in interview.case_id or "\\" in interview.case_id:
        raise ValueError(f"case id {interview.case_id!r} holds a path separator")
    prefix = f"{interview.case_id}_{interview.session_uuid}_"
    files = {prefix + "ego.csv": _ego_file(protocol, interview, exported)}
    uuids = _alter_uuids(interview, seed)
    if interview.alters:
        files[f"{prefix}attributeList_{protocol.node_type}.csv"] = _attribute_list(protocol, interview, uuids)
    for edge_type, rows in _edge_lists(protocol, interview, uuids, seed).items():
        files[f"{prefix}edgeList_{edge_type}.csv"] = _csv(EDGE_COLUMNS, rows)
    return files


def _ego_file(protocol: Protocol, interview: Interview, exported: str) -> bytes:
    """The one-row ego file of an interview."""
    leading = (
        interview.ego_uuid,
        interview.case_id,
        interview.session_uuid,
        protocol.name,
        _timestamp(interview.start),
        _timestamp(interview.finish),
        exported,
    )
    header, cells = _variable_cells(protocol.ego_variables, interview.ego, f"ego of {interview.case_id!r}")
    return _csv(EGO_COLUMNS + header, [leading + cells])


def _attribute_list(protocol: Protocol, interview: Interview, uuids: dict[str, str]) -> bytes:
    """The attribute list of an interview's alters, node ids from 1 in the order they were named."""
    rows = []
    header: tuple[str, ...] = ()
    for node_id, alter in enumerate(interview.alters, start=1):
        header, cells = _variable_cells(
            protocol.node_variables, alter.values, f"alter {alter.key!r} of {interview.case_id!r}"
        )
        rows.append((str(node_id), interview.ego_uuid, uuids[alter.key], *cells))
    return _csv(NODE_COLUMNS + header, rows)


def _edge_lists(
    protocol: Protocol, interview: Interview, uuids: dict[str, str], seed: int
) -> dict[str, list[tuple[str, ...]]]:
    """The rows of each edge type's list, for the types with ties, in the protocol's order; edge
    ids count on across the types, ``from`` and ``to`` are node ids of the attribute list.

    Raises
    ------
    ValueError
        When a tie is of an edge type the protocol lacks, or names an alter the interview lacks.
    """
    if unknown := set(interview.ties) - set(protocol.edge_types):
        raise ValueError(
            f"interview {interview.case_id!r}: the protocol has no edge type {sorted(unknown)[0]!r}"
        )
    node_ids = {alter.key: str(number) for number, alter in enumerate(interview.alters, start=1)}
    lists: dict[str, list[tuple[str, ...]]] = {}
    edge_id = 0
    for edge_type in protocol.edge_types:
        for source, target in interview.ties.get(edge_type, ()):
            if missing := {source, target} - set(node_ids):
                where = f"interview {interview.case_id!r}: a {edge_type} tie"
                raise ValueError(f"{where} to unknown alter {sorted(missing)[0]!r}")
            edge_id += 1
            edge_uuid = seeded_uuid(seed, interview.session_uuid, "edge", edge_id)
            lists.setdefault(edge_type, []).append(
                (
                    str(edge_id),
                    node_ids[source],
                    node_ids[target],
                    interview.ego_uuid,
                    edge_uuid,
                    uuids[source],
                    uuids[target],
                )
            )
    return lists


def _alter_uuids(interview: Interview, seed: int) -> dict[str, str]:
    """Each alter's ``networkCanvasUUID`` by key: its own, else one drawn from the seed.

    Raises
    ------
    ValueError
        When two alters of the interview share a key.
    """
    uuids = {}
    for alter in interview.alters:
        if alter.key in uuids:
            raise ValueError(f"interview {interview.case_id!r}: two alters with key {alter.key!r}")
        uuids[alter.key] = alter.uuid or seeded_uuid(seed, interview.session_uuid, "node", alter.key)
    return uuids


def _variable_cells(
    variables: tuple[Variable, ...], values: Mapping[str, object], where: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The header and the cells of ``values`` for ``variables``, in the protocol's order.

    Raises
    ------
    ValueError
        When ``values`` names a variable not in ``variables``, or an option a variable lacks.
    """
    names = {variable.name for variable in variables}
    if unknown := set(values) - names:
        raise ValueError(f"{where}: the protocol has no variable {sorted(unknown)[0]!r}")
    header: list[str] = []
    cells: list[str] = []
    for variable in variables:
        header += variable.columns()
        cells += variable.cells(values.get(variable.name))
    return tuple(header), tuple(cells)


def _csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    """A CSV file as Network Canvas writes it: UTF-8, ``,``, quotes only where needed, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _timestamp(moment: datetime) -> str:
    """A session time as Network Canvas writes it: UTC to the millisecond.

    Examples
    --------
    >>> _timestamp(datetime(2024, 12, 17, 18, 31, 50, 303999))
    '2024-12-17T18:31:50.303Z'
    """
    moment = _utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _number(value: object) -> str:
    """A number as JavaScript prints it (``3``, ``2.5``), as the export holds it.

    Raises
    ------
    ValueError
        When ``value`` is not a number (a bool is none either).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)
