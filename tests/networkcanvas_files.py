"""Care-shaped Network Canvas exports for the import's tests, written by the synthetic writer.

Every byte of CSV comes from ``carecircle/synthetic/networkcanvas.py``; this module only gives
the tests their shapes: a care protocol with the tests' options and an ``Interview`` and
``Alter`` with defaults, which a test changes before writing. What the writer refuses to make
(an unreadable date, a tie to an unknown node, a second ego row, a missing file) a test writes
with it and then damages, with :func:`edit_row` or by hand, and says so.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from carecircle.synthetic import networkcanvas as writer

__all__ = [
    "CARE_MAPPING",
    "EDGE_TYPES",
    "FIXTURES",
    "NEED_OPTIONS",
    "ROLE_OPTIONS",
    "TASK_OPTIONS",
    "Alter",
    "Interview",
    "care_protocol",
    "edit_row",
    "export_files",
    "write_export",
]

#: the real export files of Network Canvas (a research protocol; see their SOURCE.md)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "network-canvas"
ROLE_OPTIONS = ("Nurse", "Support_worker", "Daughter", "Neighbour", "Hairdresser")
TASK_OPTIONS = ("Personal care", "Cleaning", "Meds", "Garden")
NEED_OPTIONS = ("Personal care", "Cleaning", "Garden")
#: the care protocol's edge types; the care mapping leaves ``Dislikes`` out
EDGE_TYPES = ("Knows", "WorksWith", "Dislikes")

CARE_MAPPING = """\
[ego]
resident_id = "ResidentID"
neighbourhood = "Neighbourhood"
needs = "Needs"

[helpers]
node_type = "Person"
role = "Role"
domains = "Tasks"
name = "name"
organisation = "Organisation"
hours_per_week = "Hours"
identity = "HelperCode"

[roles]
Nurse = "district_nurse"
"Support worker" = "ambulant_supporter"
Daughter = "mantelzorger"
Neighbour = "buurman"

[domains]
"Personal care" = "personal_care"
Cleaning = "household"
Meds = "medicatie"

[edges]
Knows = "aware"
WorksWith = "coordinating"
"""


def care_protocol(node_type: str = "Person") -> writer.Protocol:
    """The tests' care protocol "Thuis Op Orde": the variables :data:`CARE_MAPPING` names, and more options.

    Examples
    --------
    >>> [v.name for v in care_protocol().node_variables]
    ['Role', 'Tasks', 'name', 'Organisation', 'Hours', 'HelperCode']
    """
    return writer.Protocol(
        name="Thuis Op Orde",
        ego_variables=(
            writer.Variable("ResidentID"),
            writer.Variable("Neighbourhood"),
            writer.Variable("Needs", "categorical", NEED_OPTIONS),
        ),
        node_type=node_type,
        node_variables=(
            writer.Variable("Role", "categorical", ROLE_OPTIONS),
            writer.Variable("Tasks", "categorical", TASK_OPTIONS),
            writer.Variable("name"),
            writer.Variable("Organisation"),
            writer.Variable("Hours", "number"),
            writer.Variable("HelperCode"),
        ),
        edge_types=EDGE_TYPES,
    )


@dataclass
class Alter:
    """A person named in a care interview; ``uuid`` is both its key for ties and its networkCanvasUUID."""

    uuid: str
    name: str = ""
    roles: tuple[str, ...] = ("Nurse",)
    tasks: tuple[str, ...] = ("Personal care",)
    organisation: str = ""
    hours: float | None = None
    code: str = ""

    def to_writer(self) -> writer.Alter:
        """This person as the synthetic writer takes it."""
        values = {
            "Role": set(self.roles),
            "Tasks": set(self.tasks),
            "name": self.name,
            "Organisation": self.organisation,
            "Hours": self.hours,
            "HelperCode": self.code,
        }
        return writer.Alter(self.uuid, values, uuid=self.uuid)


@dataclass
class Interview:
    """A care interview: file names ``<case>_<session>_…``, times as Network Canvas writes them
    (UTC, ``…Z``), ties per edge type as pairs of alter UUIDs."""

    case: str
    session: str
    resident: str = ""
    neighbourhood: str = "Haven"
    needs: tuple[str, ...] = ()
    start: str = "2024-03-01T09:00:00.000Z"
    finish: str = "2024-03-01T10:00:00.000Z"
    alters: list[Alter] = field(default_factory=list)
    ties: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def to_writer(self) -> writer.Interview:
        """This interview as the synthetic writer takes it; the ego's UUID is ``ego-<session>``."""
        return writer.Interview(
            case_id=self.case,
            session_uuid=self.session,
            ego_uuid=f"ego-{self.session}",
            start=_moment(self.start),
            finish=_moment(self.finish),
            ego={"ResidentID": self.resident, "Neighbourhood": self.neighbourhood, "Needs": set(self.needs)},
            alters=tuple(alter.to_writer() for alter in self.alters),
            ties={edge_type: tuple(pairs) for edge_type, pairs in self.ties.items()},
        )


def export_files(interviews: list[Interview], protocol: writer.Protocol | None = None) -> dict[str, bytes]:
    """The export's files of ``interviews`` (of the care protocol unless ``protocol``), by file name."""
    protocol = protocol or care_protocol()
    return writer.render_export(protocol, [interview.to_writer() for interview in interviews])


def write_export(folder: Path, interviews: list[Interview]) -> Path:
    """Write the care protocol's export of ``interviews`` into ``folder``; returns ``folder``."""
    writer.write_export(folder, care_protocol(), [interview.to_writer() for interview in interviews])
    return folder


def edit_row(path: Path, line: int, cells: dict[str, str]) -> None:
    """Damage a file the writer wrote: set ``cells`` (column name -> text) of the row on ``line``
    (1-based, the header is line 1), keeping the CSV's separators and CRLF line ends."""
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].split(",")
    row = lines[line - 1].split(",")
    assert len(row) == len(header), f"{path.name}:{line} holds quoted commas; edit it by hand"
    for column, text in cells.items():
        row[header.index(column)] = text
    lines[line - 1] = ",".join(row)
    path.write_bytes("\r\n".join(lines).encode("utf-8"))


def _moment(text: str) -> datetime:
    """A session time in the writer's form; only UTC, which is all Network Canvas writes.

    Raises
    ------
    ValueError
        When ``text`` is no ISO time in UTC: write the export and damage it with :func:`edit_row`.
    """
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() != timedelta(0):
        raise ValueError(f"{text!r}: the writer writes UTC times only; write them and edit the file")
    return moment
