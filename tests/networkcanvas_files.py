"""A tiny writer of Network Canvas exports in the fixtures' exact CSV format, for the import's tests.

Only what the tests need: one node type (Person) with the care protocol's variables, and edge
lists. carecircle/synthetic/networkcanvas.py is the full writer.
"""

from dataclasses import dataclass, field
from pathlib import Path

EGO_COLUMNS = (
    "networkCanvasEgoUUID",
    "networkCanvasCaseID",
    "networkCanvasSessionID",
    "networkCanvasProtocolName",
    "sessionStart",
    "sessionFinish",
    "sessionExported",
)
EDGE_COLUMNS = (
    "edgeID",
    "from",
    "to",
    "networkCanvasEgoUUID",
    "networkCanvasUUID",
    "networkCanvasSourceUUID",
    "networkCanvasTargetUUID",
)
#: the real export files of Network Canvas (a research protocol; see their SOURCE.md)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "network-canvas"
ROLE_OPTIONS = ("Nurse", "Support_worker", "Daughter", "Neighbour", "Hairdresser")
TASK_OPTIONS = ("Personal care", "Cleaning", "Meds", "Garden")
NEED_OPTIONS = ("Personal care", "Cleaning", "Garden")

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


@dataclass
class Alter:
    uuid: str
    name: str = ""
    roles: tuple[str, ...] = ("Nurse",)
    tasks: tuple[str, ...] = ("Personal care",)
    organisation: str = ""
    hours: str = ""
    code: str = ""


@dataclass
class Interview:
    case: str
    session: str
    resident: str = ""
    neighbourhood: str = "Haven"
    needs: tuple[str, ...] = ()
    start: str = "2024-03-01T09:00:00.000Z"
    finish: str = "2024-03-01T10:00:00.000Z"
    alters: list[Alter] = field(default_factory=list)
    ties: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"{self.case}_{self.session}"


def csv_text(header, rows) -> str:
    """CSV as Network Canvas writes it: `,` between cells, CRLF line ends."""
    return "".join(",".join(row) + "\r\n" for row in [list(header), *rows])


def _flag(on: bool) -> str:
    return "true" if on else "false"


def files_of(interview: Interview) -> dict[str, str]:
    """The export files of one interview: name -> text."""
    ego_uuid = f"ego-{interview.session}"
    ego_header = [*EGO_COLUMNS, "ResidentID", "Neighbourhood", *(f"Needs_{o}" for o in NEED_OPTIONS)]
    ego_row = [
        ego_uuid,
        interview.case,
        interview.session,
        "Thuis Op Orde",
        interview.start,
        interview.finish,
        "2024-03-02T08:00:00.000Z",
        interview.resident,
        interview.neighbourhood,
        *(_flag(o in interview.needs) for o in NEED_OPTIONS),
    ]
    files = {f"{interview.prefix}_ego.csv": csv_text(ego_header, [ego_row])}
    node_header = [
        "nodeID",
        "networkCanvasEgoUUID",
        "networkCanvasUUID",
        *(f"Role_{o}" for o in ROLE_OPTIONS),
        *(f"Tasks_{o}" for o in TASK_OPTIONS),
        "name",
        "Organisation",
        "Hours",
        "HelperCode",
    ]
    rows = [
        [
            str(number),
            ego_uuid,
            alter.uuid,
            *(_flag(o in alter.roles) for o in ROLE_OPTIONS),
            *(_flag(o in alter.tasks) for o in TASK_OPTIONS),
            alter.name,
            alter.organisation,
            alter.hours,
            alter.code,
        ]
        for number, alter in enumerate(interview.alters, 1)
    ]
    files[f"{interview.prefix}_attributeList_Person.csv"] = csv_text(node_header, rows)
    node_ids = {alter.uuid: str(number) for number, alter in enumerate(interview.alters, 1)}
    edge_id = 0
    for edge_type, ties in interview.ties.items():
        rows = []
        for source, target in ties:
            edge_id += 1
            row = [str(edge_id), node_ids.get(source, "99"), node_ids.get(target, "99"), ego_uuid]
            rows.append([*row, f"edge-{edge_id}", source, target])
        files[f"{interview.prefix}_edgeList_{edge_type}.csv"] = csv_text(EDGE_COLUMNS, rows)
    return files


def write_export(folder: Path, interviews: list[Interview]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for interview in interviews:
        for name, text in files_of(interview).items():
            (folder / name).write_bytes(text.encode("utf-8"))
    return folder
