"""The demo's Network Canvas export: six care-network interviews in Kruidenwijk, and their mapping.

Five residents, one of them interviewed twice. Between them the interviews show every gap an
import of interviews can reveal (SPEC §5) and every special case of the import (SPEC §12):

=========  ==========================================================================================
R-KW-01    interviewed twice (the later interview wins): nurse, household help, daughter (10 hours a
           week: caregiver overload) and a volunteer; the household help and the daughter both do the
           household without working together (uncoordinated overlap), the volunteer knows only the
           daughter (unaware pairs), and nobody knows all the others (no overview)
R-KW-02    ambulant supporter (role option with an underscore), social-team worker, the same household
           help as R-KW-01 (one HelperCode in two circles) and a partner nobody formal knows about
           (caregiver unseen); nobody cooks, although meals are a need (unmet need)
R-KW-03    GP, nurse and a neighbour who all know each other, yet GP and nurse only know of each
           other's medication work (uncoordinated overlap); the neighbour does the shopping, a task
           option the mapping leaves out (kept as written, with a warning)
R-KW-04    one volunteer; the household is a need nobody covers (unmet need)
R-KW-05    case manager (role option with a space), nurse and son, all working together: no gaps;
           two pairs are tied by both edge types (the higher level counts)
=========  ==========================================================================================

Gaps an interview cannot show: ``one_sided_awareness`` (a tie counts both ways), ``stale_contact``
and ``delegation_without_contact`` (an interview records no contact dates or delegations). Names
are made up; there is no BSN anywhere.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from carecircle.synthetic.networkcanvas import Alter, Interview, Protocol, Variable, seeded_uuid, write_export

__all__ = ["DEMO_MAPPING", "DEMO_SEED", "demo_interviews", "demo_protocol", "write_demo_networkcanvas"]

#: the seed of the demo export's UUIDs (``write_export(..., seed=DEMO_SEED)`` gives the demo's bytes)
DEMO_SEED = 17
_NEIGHBOURHOOD = "Kruidenwijk"
_TASKS = (
    "Huishouden",
    "Persoonlijke verzorging",
    "Verpleging",
    "Medicatie",
    "Post_en_geldzaken",
    "Dagstructuur",
    "Gezelschap",
    "Vervoer",
    "Maaltijden",
    "Boodschappen",
)
_ROLES = (
    "Wijkverpleegkundige",
    "Huishoudelijke hulp",
    "Ambulant_begeleider",
    "Wijkteam",
    "Huisarts",
    "Casemanager dementie",
    "Vrijwilliger",
    "Buurtgenoot",
    "Mantelzorger",
)

#: the mapping of the demo's export (the mapping format of ``docs/NETWORK_CANVAS.md``)
DEMO_MAPPING = """\
# How carecircle reads the Network Canvas interviews of the protocol "Thuis Op Orde kring".
# carecircle import-networkcanvas EXPORT --mapping mapping.toml --out DATASET
# Names on the left of '=' are carecircle's; the quoted values are the protocol's own names.

[ego]                             # the interviewed resident
resident_id = "ResidentID"        # text variable: the team's resident number (never a BSN)
neighbourhood = "Neighbourhood"   # text variable: the neighbourhood (wijk)
needs = "Needs"                   # categorical: the needs ticked; options translated by [domains]

[helpers]                         # the people named in the interview
node_type = "Person"              # the node type of the name generator
role = "Role"                     # categorical: exactly one option per person, see [roles]
domains = "Tasks"                 # categorical: the tasks ticked, see [domains]
name = "name"                     # the name as typed
organisation = "Organisation"     # text: the organisation (also its id in the dataset)
hours_per_week = "Hours"          # number: hours of help a week
identity = "HelperCode"           # text: the same code in several interviews = one helper

[roles]                           # Role option -> carecircle role (English code or Dutch name)
Wijkverpleegkundige = "wijkverpleegkundige"
"Huishoudelijke hulp" = "household_help"     # an option with a space: quote it
Ambulant_begeleider = "ambulant_supporter"   # an option with an underscore, as written
Wijkteam = "social_worker"
Huisarts = "gp"
"Casemanager dementie" = "case_manager"
Vrijwilliger = "volunteer"
Buurtgenoot = "neighbour"
Mantelzorger = "mantelzorger"

[domains]                         # Tasks and Needs option -> carecircle domain
Huishouden = "household"
"Persoonlijke verzorging" = "personal_care"
Verpleging = "nursing"
Medicatie = "medication"
Post_en_geldzaken = "administration"
Dagstructuur = "daily_structure"
Gezelschap = "social_contact"
Vervoer = "mobility"
Maaltijden = "meals"
# Boodschappen (shopping) is left out on purpose: it is kept as "boodschappen", with a warning

[edges]                           # edge type -> awareness level; a tie counts both ways
Knows = "aware"                   # "these two know of each other"
WorksWith = "coordinating"        # "these two work together" (stemt af)
"""


def demo_protocol() -> Protocol:
    """The demo's interview protocol "Thuis Op Orde kring".

    Examples
    --------
    >>> protocol = demo_protocol()
    >>> protocol.node_type, protocol.edge_types
    ('Person', ('Knows', 'WorksWith'))
    """
    return Protocol(
        name="Thuis Op Orde kring",
        ego_variables=(
            Variable("ResidentID"),
            Variable("Neighbourhood"),
            Variable("Needs", "categorical", _TASKS),
        ),
        node_type="Person",
        node_variables=(
            Variable("name"),
            Variable("Role", "categorical", _ROLES),
            Variable("Tasks", "categorical", _TASKS),
            Variable("Organisation"),
            Variable("Hours", "number"),
            Variable("HelperCode"),
        ),
        edge_types=("Knows", "WorksWith"),
    )


def demo_interviews() -> list[Interview]:
    """The demo's six interviews, in the order they were held.

    Examples
    --------
    >>> interviews = demo_interviews()
    >>> len(interviews), len({i.ego["ResidentID"] for i in interviews})
    (6, 5)
    """
    return [
        _interview(1, "kw01", (2024, 4, 11, 8, 5), 31, _kw01_first()),
        _interview(2, "kw02", (2024, 5, 14, 12, 30), 44, _kw02()),
        _interview(3, "kw03", (2024, 5, 16, 9, 15), 27, _kw03()),
        _interview(4, "kw04", (2024, 5, 21, 13, 0), 18, _kw04()),
        _interview(5, "kw01", (2024, 5, 23, 8, 10), 38, _kw01_again()),
        _interview(6, "kw05", (2024, 5, 28, 10, 45), 35, _kw05()),
    ]


def write_demo_networkcanvas(folder: Path) -> tuple[Path, Path]:
    """Write the demo's export into ``folder/export/`` and its mapping to ``folder/mapping.toml``.

    Returns the export folder and the mapping file; the same bytes every time.

    Examples
    --------
    >>> import tempfile
    >>> export, mapping = write_demo_networkcanvas(Path(tempfile.mkdtemp()))
    >>> len(list(export.glob("*_ego.csv"))), mapping.name
    (6, 'mapping.toml')
    """
    folder = Path(folder)
    export = folder / "export"
    write_export(export, demo_protocol(), demo_interviews(), seed=DEMO_SEED)
    mapping = folder / "mapping.toml"
    mapping.write_text(DEMO_MAPPING, encoding="utf-8")
    return export, mapping


def _interview(number: int, case_id: str, start: tuple[int, ...], minutes: int, answers: dict) -> Interview:
    """Interview ``number``: its UUIDs from the demo's seed, ``minutes`` long from ``start`` (UTC)."""
    began = datetime(*start, tzinfo=UTC)
    # whole minutes plus some seconds and milliseconds, as a clock gives them
    finished = began + timedelta(minutes=minutes, seconds=7 * number + 3, milliseconds=113 * number)
    return Interview(
        case_id=case_id,
        session_uuid=seeded_uuid(DEMO_SEED, "session", number),
        ego_uuid=seeded_uuid(DEMO_SEED, "ego", number),
        start=began,
        finish=finished,
        ego={"ResidentID": answers["resident"], "Neighbourhood": _NEIGHBOURHOOD, "Needs": answers["needs"]},
        alters=tuple(Alter(key, values) for key, values in answers["alters"].items()),
        ties=answers["ties"],
    )


def _person(name, role, tasks, hours, organisation=None, code=None) -> dict:
    """The answers about one person named in an interview."""
    return {
        "name": name,
        "Role": {role},
        "Tasks": set(tasks),
        "Organisation": organisation,
        "Hours": hours,
        "HelperCode": code,
    }


_NURSE_FATIMA = ("Fatima Amrani", "Wijkverpleegkundige")
_HOUSEHOLD_PETRA = ("Petra Kok", "Huishoudelijke hulp")


def _kw01_first() -> dict:
    """R-KW-01's first interview: three helpers, the daughter helping six hours a week."""
    return {
        "resident": "R-KW-01",
        "needs": {"Verpleging", "Huishouden", "Post_en_geldzaken"},
        "alters": {
            "nurse": _person(*_NURSE_FATIMA, ["Verpleging", "Medicatie"], 3, "Zorggroep Almere", "ZGA-017"),
            "household": _person(*_HOUSEHOLD_PETRA, ["Huishouden"], 3, "Thuishulp Almere", "THA-204"),
            "daughter": _person("Ingrid Jansen", "Mantelzorger", ["Huishouden", "Post_en_geldzaken"], 6),
        },
        "ties": {"Knows": (("nurse", "household"),)},
    }


def _kw01_again() -> dict:
    """R-KW-01 six weeks later: a volunteer has joined and the daughter now helps ten hours a week."""
    return {
        "resident": "R-KW-01",
        "needs": {"Verpleging", "Huishouden", "Post_en_geldzaken", "Gezelschap"},
        "alters": {
            "nurse": _person(*_NURSE_FATIMA, ["Verpleging", "Medicatie"], 3, "Zorggroep Almere", "ZGA-017"),
            "household": _person(*_HOUSEHOLD_PETRA, ["Huishouden"], 3, "Thuishulp Almere", "THA-204"),
            "daughter": _person(
                "Ingrid Jansen", "Mantelzorger", ["Huishouden", "Post_en_geldzaken", "Boodschappen"], 10
            ),
            "volunteer": _person("Henk Mulder", "Vrijwilliger", ["Gezelschap"], 2, "Humanitas Almere"),
        },
        "ties": {
            "Knows": (("nurse", "household"), ("volunteer", "daughter")),
            "WorksWith": (("daughter", "nurse"),),
        },
    }


def _kw02() -> dict:
    """R-KW-02: the household help of R-KW-01 again, and a partner whom no professional knows."""
    return {
        "resident": "R-KW-02",
        "needs": {"Dagstructuur", "Post_en_geldzaken", "Huishouden", "Maaltijden"},
        "alters": {
            "ambulant": _person(
                "Ruud Hendriks", "Ambulant_begeleider", ["Dagstructuur"], 2, "Kwintes", "KW-031"
            ),
            "social": _person(
                "Noor Bouzid", "Wijkteam", ["Post_en_geldzaken"], 1, "Wijkteam Kruidenwijk", "WT-112"
            ),
            "household": _person(*_HOUSEHOLD_PETRA, ["Huishouden"], 2, "Thuishulp Almere", "THA-204"),
            "partner": _person("Gerard de Vries", "Mantelzorger", ["Huishouden", "Vervoer"], 6),
        },
        "ties": {"Knows": (("social", "household"),), "WorksWith": (("ambulant", "social"),)},
    }


def _kw03() -> dict:
    """R-KW-03: GP, nurse and neighbour all know each other, but nobody coordinates the medication."""
    return {
        "resident": "R-KW-03",
        "needs": {"Medicatie", "Persoonlijke verzorging", "Gezelschap"},
        "alters": {
            "gp": _person(
                "Sander Visser", "Huisarts", ["Medicatie"], 0.5, "Huisartsenpraktijk De Linde", "HA-005"
            ),
            "nurse": _person(
                *_NURSE_FATIMA, ["Medicatie", "Persoonlijke verzorging"], 4.5, "Zorggroep Almere", "ZGA-017"
            ),
            "neighbour": _person("Els Willems", "Buurtgenoot", ["Boodschappen", "Gezelschap"], 1.5),
        },
        "ties": {"Knows": (("gp", "nurse"), ("nurse", "neighbour"), ("neighbour", "gp"))},
    }


def _kw04() -> dict:
    """R-KW-04: one volunteer, and a household nobody helps with."""
    return {
        "resident": "R-KW-04",
        "needs": {"Gezelschap", "Huishouden"},
        "alters": {
            "volunteer": _person(
                "Willem Smit", "Vrijwilliger", ["Gezelschap", "Vervoer"], 2, "Humanitas Almere"
            ),
        },
        "ties": {},
    }


def _kw05() -> dict:
    """R-KW-05: case manager, nurse and son who all work together: a circle without gaps."""
    return {
        "resident": "R-KW-05",
        "needs": {"Dagstructuur", "Persoonlijke verzorging", "Post_en_geldzaken"},
        "alters": {
            "case_manager": _person(
                "Marieke Bos", "Casemanager dementie", ["Dagstructuur"], 1, "Zorggroep Almere", "ZGA-088"
            ),
            "nurse": _person(
                "Lotte van Dijk",
                "Wijkverpleegkundige",
                ["Persoonlijke verzorging", "Medicatie"],
                5,
                "Zorggroep Almere",
                "ZGA-042",
            ),
            "son": _person(
                "Kees Visser", "Mantelzorger", ["Boodschappen", "Post_en_geldzaken", "Vervoer"], 4
            ),
        },
        "ties": {
            "Knows": (("nurse", "son"), ("son", "case_manager")),
            "WorksWith": (("case_manager", "nurse"), ("case_manager", "son"), ("nurse", "son")),
        },
    }
