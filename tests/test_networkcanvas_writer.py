"""The Network Canvas export writer: the real export's format, byte for byte the same each time,
and the demo's export with its mapping (SPEC §12)."""

import csv
import io
import re
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w

from carecircle.synthetic.networkcanvas import (
    Alter,
    Interview,
    Protocol,
    Variable,
    render_export,
    seeded_uuid,
    write_export,
    write_export_zip,
)
from carecircle.synthetic.networkcanvas_demo import (
    DEMO_MAPPING,
    demo_interviews,
    demo_protocol,
    write_demo_networkcanvas,
)
from graph.vocabulary import LEVELS
from ingest.networkcanvas.mapping import load_mapping
from tests.datasets import run_cli
from tests.networkcanvas_files import FIXTURES

#: the last leading column of each kind of file: what comes after it are the protocol's own variables
LAST_LEADING = {
    "ego": "sessionExported",
    "attributeList": "networkCanvasUUID",
    "edgeList": "networkCanvasTargetUUID",
}
SESSION_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
FILE_NAME = re.compile(
    rf"(?P<case>.+)_(?P<session>{UUID})_(?P<kind>ego|attributeList|edgeList)(?:_(?P<type>.+))?\.csv"
)

PROTOCOL = Protocol(
    name="Kring test",
    ego_variables=(Variable("ResidentID"), Variable("Needs", "categorical", ("Huishouden", "Post_en_geld"))),
    node_type="Person",
    node_variables=(
        Variable("name"),
        Variable("Role", "categorical", ("Huishoudelijke hulp", "Ambulant_begeleider", "Mantelzorger")),
        Variable("Hours", "number"),
    ),
    edge_types=("Knows", "WorksWith"),
)


def interview(number: int, *, alters=None, ties=None) -> Interview:
    moment = datetime(2024, 5, number, 9, 30, 15, 250_000, tzinfo=UTC)
    return Interview(
        case_id=f"case_{number}",
        session_uuid=seeded_uuid(3, "session", number),
        ego_uuid=seeded_uuid(3, "ego", number),
        start=moment,
        finish=moment.replace(minute=59),
        ego={"ResidentID": f"R{number}", "Needs": {"Huishouden"}},
        alters=alters
        if alters is not None
        else (
            Alter("a", {"name": "Anna", "Role": {"Huishoudelijke hulp"}, "Hours": 2.5}),
            Alter("b", {"name": "Bram, de buurman", "Role": {"Ambulant_begeleider"}, "Hours": 3.0}),
            Alter("c", {"name": "Carla", "Role": set()}),
        ),
        ties=ties if ties is not None else {"Knows": (("a", "b"), ("c", "a")), "WorksWith": (("b", "c"),)},
    )


def table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def kind_of(name: str) -> str:
    return FILE_NAME.fullmatch(name)["kind"]


def leading(header: list[str], kind: str) -> list[str]:
    return header[: header.index(LAST_LEADING[kind]) + 1]


def fixture_leading() -> dict[str, list[str]]:
    """The leading columns of each kind of file, read from the real export (all files agree)."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for path in FIXTURES.glob("*.csv"):
        kind = kind_of(path.name)
        found.setdefault(kind, set()).add(tuple(leading(table(path.read_bytes())[0], kind)))
    assert all(len(headers) == 1 for headers in found.values()), found
    return {kind: list(headers.pop()) for kind, headers in found.items()}


def test_every_file_starts_with_the_real_exports_leading_columns_in_their_order():
    expected = fixture_leading()
    assert sorted(expected) == ["attributeList", "edgeList", "ego"]
    files = render_export(PROTOCOL, [interview(1), interview(2)])
    assert {kind_of(name) for name in files} == set(expected)
    for name, content in files.items():
        assert leading(table(content)[0], kind_of(name)) == expected[kind_of(name)], name


def test_file_names_line_ends_and_session_times_are_those_of_the_real_export():
    real = sorted(FIXTURES.glob("*_ego.csv"))[0].read_bytes()
    files = render_export(PROTOCOL, [interview(1)])
    for name, content in files.items():
        assert FILE_NAME.fullmatch(name)["case"] == "case_1"
        assert content.endswith(b"\r\n") and content.count(b"\n") == content.count(b"\r\n")
    assert real.endswith(b"\r\n") and real.count(b"\n") == real.count(b"\r\n")
    ego = dict(zip(*table(files[next(n for n in files if n.endswith("_ego.csv"))]), strict=True))
    real_ego = dict(zip(*table(real), strict=True))
    for column in ("sessionStart", "sessionFinish", "sessionExported"):
        assert SESSION_TIME.fullmatch(real_ego[column]) and SESSION_TIME.fullmatch(ego[column])
    assert (ego["sessionStart"], ego["sessionFinish"]) == (
        "2024-05-01T09:30:15.250Z",
        "2024-05-01T09:59:15.250Z",
    )
    assert ego["networkCanvasProtocolName"] == "Kring test" and ego["ResidentID"] == "R1"


def test_categorical_variables_are_one_true_false_column_per_option_in_every_file():
    files = render_export(
        PROTOCOL, [interview(1), interview(2, alters=(Alter("x", {"name": "Xandra"}),), ties={})]
    )
    role_columns = ["Role_Huishoudelijke hulp", "Role_Ambulant_begeleider", "Role_Mantelzorger"]
    for name, content in files.items():
        rows = table(content)
        if kind_of(name) == "attributeList":
            assert rows[0][3:] == ["name", *role_columns, "Hours"]
        if kind_of(name) == "ego":
            assert rows[0][7:] == ["ResidentID", "Needs_Huishouden", "Needs_Post_en_geld"]
            assert rows[1][8:] == ["true", "false"]
    first = table(files[f"case_1_{seeded_uuid(3, 'session', 1)}_attributeList_Person.csv"])
    assert [row[3:] for row in first[1:]] == [
        ["Anna", "true", "false", "false", "2.5"],
        ["Bram, de buurman", "false", "true", "false", "3"],
        ["Carla", "false", "false", "false", ""],
    ]
    second = table(files[f"case_2_{seeded_uuid(3, 'session', 2)}_attributeList_Person.csv"])
    assert second[1][3:] == ["Xandra", "false", "false", "false", ""]  # nothing answered: all false


def test_one_ego_row_per_interview_and_no_empty_lists():
    files = render_export(PROTOCOL, [interview(1), interview(2, alters=(), ties={}), interview(3)])
    egos = [content for name, content in files.items() if kind_of(name) == "ego"]
    assert len(egos) == 3 and all(len(table(content)) == 2 for content in egos)
    # the interview without alters has no attribute or edge list, as Network Canvas writes none
    assert [kind_of(n) for n in files if FILE_NAME.fullmatch(n)["case"] == "case_2"] == ["ego"]


def test_ties_refer_to_node_ids_and_uuids_of_the_attribute_list_edge_ids_count_on_across_types():
    files = render_export(PROTOCOL, [interview(1)])
    prefix = f"case_1_{seeded_uuid(3, 'session', 1)}_"
    nodes = {row[0]: row for row in table(files[prefix + "attributeList_Person.csv"])[1:]}
    knows = table(files[prefix + "edgeList_Knows.csv"])[1:]
    works = table(files[prefix + "edgeList_WorksWith.csv"])[1:]
    assert [row[0] for row in knows + works] == ["1", "2", "3"]
    names = [(nodes[row[1]][3], nodes[row[2]][3]) for row in knows + works]
    assert names == [("Anna", "Bram, de buurman"), ("Carla", "Anna"), ("Bram, de buurman", "Carla")]
    ego_uuid = seeded_uuid(3, "ego", 1)
    for row in knows + works:
        assert row[3] == ego_uuid and nodes[row[1]][1] == ego_uuid
        assert (row[5], row[6]) == (nodes[row[1]][2], nodes[row[2]][2])
    assert len({row[4] for row in knows + works}) == 3


def test_an_interview_without_ties_of_a_type_has_no_edge_list_of_that_type():
    files = render_export(PROTOCOL, [interview(1, ties={"WorksWith": (("a", "b"),)})])
    assert [FILE_NAME.fullmatch(n)["type"] for n in files if kind_of(n) == "edgeList"] == ["WorksWith"]


def test_the_same_input_gives_the_same_bytes_and_another_seed_other_uuids(tmp_path):
    interviews = [interview(1), interview(2)]
    first = write_export(tmp_path / "one", PROTOCOL, interviews, seed=5)
    second = write_export(tmp_path / "two", PROTOCOL, interviews, seed=5)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = render_export(PROTOCOL, interviews, seed=6)
    assert list(other) == [p.name for p in first]  # names hold the session UUIDs, which are given
    assert [other[p.name] for p in first] != [p.read_bytes() for p in first]
    # an alter's own UUID is kept whatever the seed
    fixed = "0f0f0f0f-0000-4000-8000-000000000001"
    own = render_export(PROTOCOL, [interview(1, alters=(Alter("a", {"name": "Anna"}, uuid=fixed),), ties={})])
    assert table(own[f"case_1_{seeded_uuid(3, 'session', 1)}_attributeList_Person.csv"])[1][2] == fixed


def test_the_zip_holds_the_folders_files_and_is_the_same_every_time(tmp_path):
    interviews = [interview(1), interview(2)]
    folder = write_export(tmp_path / "export", PROTOCOL, interviews)
    archive = write_export_zip(tmp_path / "export.zip", PROTOCOL, interviews)
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == [path.name for path in folder]
        assert all(opened.read(path.name) == path.read_bytes() for path in folder)
    again = write_export_zip(tmp_path / "again.zip", PROTOCOL, interviews)
    assert again.read_bytes() == archive.read_bytes()


def test_the_export_time_is_the_given_one_else_the_latest_finish():
    files = render_export(PROTOCOL, [interview(2), interview(1)])
    exported = {
        dict(zip(*table(c), strict=True))["sessionExported"] for n, c in files.items() if kind_of(n) == "ego"
    }
    assert exported == {"2024-05-02T09:59:15.250Z"}
    given = render_export(PROTOCOL, [interview(1)], exported=datetime(2024, 6, 1, 12, 0))  # naive: UTC
    ego = next(c for n, c in given.items() if kind_of(n) == "ego")
    assert dict(zip(*table(ego), strict=True))["sessionExported"] == "2024-06-01T12:00:00.000Z"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (interview(1, alters=(Alter("a", {"Role": {"Kapper"}}),), ties={}), "no option 'Kapper'"),
        (interview(1, alters=(Alter("a", {"Age": 80}),), ties={}), "no variable 'Age'"),
        (interview(1, alters=(Alter("a", {"Hours": "veel"}),), ties={}), "'veel' is not a number"),
        (interview(1, ties={"Knows": (("a", "z"),)}), "tie to unknown alter 'z'"),
        (interview(1, ties={"Close": (("a", "b"),)}), "no edge type 'Close'"),
        (interview(1, alters=(Alter("a"), Alter("a")), ties={}), "two alters with key 'a'"),
    ],
    ids=["option", "variable", "number", "tie", "edge-type", "alter-key"],
)
def test_what_network_canvas_could_not_have_written_is_refused(broken, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        render_export(PROTOCOL, [broken])


def test_a_variable_kind_must_fit_its_options():
    with pytest.raises(ValueError, match="kind 'date'"):
        Variable("Born", "date")
    with pytest.raises(ValueError, match="options belong"):
        Variable("Role", "categorical")
    with pytest.raises(ValueError, match="options belong"):
        Variable("Hours", "number", ("1",))


# --- the demo's export and mapping -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """What ``carecircle demo --no-serve`` writes, with the smallest sample the tests allow."""
    cwd = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "--no-serve", "--residents", "50", "--data", "tmp", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return cwd / "tmp" / "networkcanvas"


def test_the_demo_writes_the_export_and_the_mapping_the_same_every_time(demo_folder, tmp_path):
    export, mapping = write_demo_networkcanvas(tmp_path)
    written = sorted(p.name for p in (demo_folder / "export").iterdir())
    assert written == sorted(p.name for p in export.iterdir())
    assert all(
        (demo_folder / "export" / name).read_bytes() == (export / name).read_bytes() for name in written
    )
    assert (demo_folder / "mapping.toml").read_bytes() == mapping.read_bytes() == DEMO_MAPPING.encode("utf-8")
    assert sum(name.endswith("_ego.csv") for name in written) == len(demo_interviews()) == 6


def test_the_demo_mapping_is_a_valid_mapping_for_the_demo_export(demo_folder):
    # the import's own check of a mapping: unknown tables or keys, roles, levels, either/or pairs
    mapping = load_mapping(demo_folder / "mapping.toml")
    assert (mapping.ego.neighbourhood, mapping.helpers.role) == ("Neighbourhood", "Role")
    assert set(mapping.edges.values()) == {"aware", "coordinating"}


def demo_export(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Rows of every file of the demo's export, by file name."""
    return {
        path.name: list(csv.DictReader(io.StringIO(path.read_text("utf-8")))) for path in folder.iterdir()
    }


def test_every_variable_the_demo_mapping_names_is_in_the_export(demo_folder):
    mapping = tomllib.loads((demo_folder / "mapping.toml").read_text(encoding="utf-8"))
    files = (demo_folder / "export").iterdir()
    headers = {kind: set() for kind in LAST_LEADING}
    edge_types = set()
    for path in files:
        match = FILE_NAME.fullmatch(path.name)
        headers[match["kind"]] |= set(table(path.read_bytes())[0])
        edge_types.add(match["type"]) if match["kind"] == "edgeList" else None

    def options(kind: str, variable: str) -> set[str]:
        return {column[len(variable) + 1 :] for column in headers[kind] if column.startswith(variable + "_")}

    ego, helpers = mapping["ego"], mapping["helpers"]
    assert {ego["resident_id"], ego["neighbourhood"]} <= headers["ego"] and options("ego", ego["needs"])
    for key in ("name", "organisation", "hours_per_week", "identity"):
        assert helpers[key] in headers["attributeList"], key
    assert set(mapping["roles"]) == options("attributeList", helpers["role"])
    tasks = options("attributeList", helpers["domains"])
    assert set(mapping["domains"]) < tasks and tasks <= options("ego", ego["needs"])
    assert set(mapping["edges"]) == edge_types == set(demo_protocol().edge_types)


@pytest.fixture(scope="module")
def demo_files(demo_folder) -> dict[str, list[dict[str, str]]]:
    return demo_export(demo_folder / "export")


@pytest.fixture(scope="module")
def demo_alters(demo_files) -> list[dict[str, str]]:
    """Every alter row of the demo, with the ``ResidentID`` of its interview added."""
    residents = {
        rows[0]["networkCanvasEgoUUID"]: rows[0]["ResidentID"]
        for n, rows in demo_files.items()
        if "_ego" in n
    }
    rows = [row for name, rows in demo_files.items() if "_attributeList_" in name for row in rows]
    return [{**row, "ResidentID": residents[row["networkCanvasEgoUUID"]]} for row in rows]


def chosen(alters: list[dict[str, str]], variable: str) -> set[str]:
    """The options of ``variable`` true for some alter."""
    prefix = variable + "_"
    return {
        c[len(prefix) :]
        for row in alters
        for c, cell in row.items()
        if c.startswith(prefix) and cell == "true"
    }


def test_the_demo_has_one_neighbourhood_and_a_resident_interviewed_twice(demo_files):
    egos = [rows[0] for name, rows in demo_files.items() if name.endswith("_ego.csv")]
    assert {ego["Neighbourhood"] for ego in egos} == {"Kruidenwijk"}
    residents = [ego["ResidentID"] for ego in egos]
    again = [ego for ego in egos if residents.count(ego["ResidentID"]) > 1]
    assert len(again) == 2 and len(set(residents)) == 5
    assert again[0]["sessionFinish"] != again[1]["sessionFinish"]


def test_the_demo_has_one_helper_code_in_two_circles_and_helpers_without_a_code(demo_alters):
    circles: dict[str, set[str]] = {}
    for row in demo_alters:
        if row["HelperCode"]:
            circles.setdefault(row["HelperCode"], set()).add(row["ResidentID"])
    assert any(len(residents) >= 2 for residents in circles.values())
    assert any(not row["HelperCode"] for row in demo_alters)


def test_the_demo_chooses_role_options_with_a_space_and_an_underscore_one_per_person(
    demo_folder, demo_alters
):
    mapping = tomllib.loads((demo_folder / "mapping.toml").read_text(encoding="utf-8"))
    roles = chosen(demo_alters, "Role")
    assert any(" " in option for option in roles) and any("_" in option for option in roles)
    assert all(
        sum(row[f"Role_{option}"] == "true" for option in mapping["roles"]) == 1 for row in demo_alters
    )


def test_the_demo_chooses_a_task_option_its_mapping_leaves_out(demo_folder, demo_alters):
    mapping = tomllib.loads((demo_folder / "mapping.toml").read_text(encoding="utf-8"))
    assert chosen(demo_alters, "Tasks") - set(mapping["domains"])


def test_the_demo_has_ties_of_both_edge_types_and_no_bsn_like_number(demo_files):
    assert {FILE_NAME.fullmatch(name)["type"] for name in demo_files if "_edgeList_" in name} == {
        "Knows",
        "WorksWith",
    }
    cells = [cell for rows in demo_files.values() for row in rows for cell in row.values()]
    assert not any(re.search(r"\b\d{9}\b", cell) for cell in cells)


# --- docs/NETWORK_CANVAS.md: its mappings are the demo's and one the research export fits -----------

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "NETWORK_CANVAS.md"


def guide_mappings() -> list[dict]:
    return [
        tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", GUIDE.read_text("utf-8"), re.S)
    ]


def test_the_guides_example_mapping_is_the_demos():
    assert guide_mappings()[0] == tomllib.loads(DEMO_MAPPING)


def test_the_guides_research_mapping_is_valid_and_fits_the_real_export(tmp_path):
    research = guide_mappings()[1]
    written = tmp_path / "research.toml"
    written.write_text(tomli_w.dumps(research), encoding="utf-8")
    checked = load_mapping(written)  # the import's own check of a mapping
    assert checked.ego.neighbourhood is None and checked.helpers.role is None
    assert checked.helpers.role_for_all == "other_informal" and checked.edges == {"Close": "aware"}
    ego = table(sorted(FIXTURES.glob("*_ego.csv"))[0].read_bytes())[0]
    people = table(sorted(FIXTURES.glob("*_attributeList_Person.csv"))[0].read_bytes())[0]
    assert research["ego"]["resident_id"] in ego and research["helpers"]["name"] in people
    edge_types = {FILE_NAME.fullmatch(p.name)["type"] for p in FIXTURES.glob("*_edgeList_*.csv")}
    assert research["helpers"]["node_type"] == "Person" and set(research["edges"]) < edge_types
    assert LEVELS.lookup(research["edges"]["Close"]) == "aware"
