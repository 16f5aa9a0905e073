"""The demo's Network Canvas interviews end to end, as a user takes them: demo, import, ingest, analyze.

The gaps ``analyze`` finds are read from the table in docs/SYNTHETIC_DATA.md, so the doc and the
demo's data cannot drift apart.
"""

import csv
import json
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from carecircle.synthetic.networkcanvas import write_export_zip
from carecircle.synthetic.networkcanvas_demo import DEMO_SEED, demo_interviews, demo_protocol
from ingest.networkcanvas.pipeline import REPORT_NAME, import_networkcanvas
from tests.datasets import run_cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "SYNTHETIC_DATA.md"
#: the words the doc's gap table calls the helpers by, and their roles
ROLE_WORDS = {
    "ambulant supporter": "ambulant_supporter",
    "social-team worker": "social_worker",
    "household help": "household_help",
    "daughter": "informal_caregiver",
    "partner": "informal_caregiver",
    "volunteer": "volunteer",
    "nurse": "district_nurse",
    "GP": "gp",
}
_WORD = "|".join(re.escape(word) for word in ROLE_WORDS)
#: "household help–daughter (household)": two helpers and, for an overlap, the shared domains
_PAIR = re.compile(rf"({_WORD})–({_WORD})(?: \(([\w, ]+)\))?")
#: "(the daughter, 10 h a week)": the one helper of a caregiver gap
_ONE = re.compile(rf"\(the ({_WORD})\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> SimpleNamespace:
    """The four commands of the README, run in one folder: each must exit 0."""
    cwd = tmp_path_factory.mktemp("demo")
    commands = {
        "demo": ("demo", "--no-serve", "--residents", "50", "--data", "D"),
        "import": (
            "import-networkcanvas",
            "D/networkcanvas/export",
            "--mapping",
            "D/networkcanvas/mapping.toml",
            "--out",
            "nc",
        ),
        "ingest": ("ingest", "nc", "--store", "nc.db", "--report", "ingest.json"),
        "analyze": ("analyze", "--store", "nc.db"),
    }
    for name, arguments in commands.items():
        result = run_cli(*arguments, cwd=cwd)
        assert result.returncode == 0, f"{name}: {result.stderr}"
    return SimpleNamespace(
        cwd=cwd,
        report=json.loads((cwd / "nc" / REPORT_NAME).read_text(encoding="utf-8")),
        ingest_report=json.loads((cwd / "ingest.json").read_text(encoding="utf-8")),
        analysis=json.loads(result.stdout),
    )


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def prefix(number: int) -> str:
    """The file names' ``<case>_<session>`` of the demo's interview ``number`` (1-based, as held)."""
    interview = demo_interviews()[number - 1]
    return f"{interview.case_id}_{interview.session_uuid}"


def test_the_import_shows_the_re_interview_and_the_unmapped_task_and_rejects_nothing(demo):
    problems = [(p["file"], p["line"], p["column"], p["code"]) for p in demo.report["warnings"]]
    assert sorted(problems) == sorted(
        [
            (f"{prefix(1)}_ego.csv", 2, None, "superseded_interview"),  # R-KW-01, interviewed again
            (f"{prefix(5)}_attributeList_Person.csv", 4, "Tasks", "unknown_code"),  # the daughter shops
            (f"{prefix(3)}_attributeList_Person.csv", 4, "Tasks", "unknown_code"),  # so does the neighbour
            (f"{prefix(6)}_attributeList_Person.csv", 4, "Tasks", "unknown_code"),  # and the son
        ]
    )
    (superseded,) = [p for p in demo.report["warnings"] if p["code"] == "superseded_interview"]
    assert "R-KW-01" in superseded["message"] and f"{prefix(5)}_ego.csv" in superseded["message"]
    unmapped = [p["message"] for p in demo.report["warnings"] if p["code"] == "unknown_code"]
    assert all("'boodschappen' kept as written" in message for message in unmapped)
    # no helper changes role: the household help and the nurse keep theirs in both circles
    assert "role_changed" not in {p["code"] for p in demo.report["warnings"]}
    assert demo.report["rejected"] == []
    assert demo.report["ignored_types"] == {"nodes": [], "edges": []}
    assert demo.report["as_of"] == "2024-05-28"
    support = rows(demo.cwd / "nc" / "support.csv")
    assert sum("boodschappen" in row["domains"].split("|") for row in support) == 3


def test_ingest_accepts_every_row_of_the_import(demo):
    assert demo.ingest_report["rejected"] == []
    for name, counts in demo.ingest_report["files"].items():
        assert counts["rejected"] == 0, name
        assert counts["accepted"] == len(rows(demo.cwd / "nc" / name)), name


def doc_gap_table() -> tuple[str, int, dict[str, list[tuple[str, str]]]]:
    """From docs/SYNTHETIC_DATA.md: the as-of date, the number of gaps, and per resident its
    gaps as (type, what the doc says about it)."""
    text = DOC.read_text(encoding="utf-8")
    heading = re.search(
        r"After import \(as of (\d{4}-\d\d-\d\d)[^)]*\), `analyze` finds these (\d+) gaps:", text
    )
    assert heading, "the sentence before the demo's gap table is not in docs/SYNTHETIC_DATA.md"
    table = text[heading.end() :].strip().split("\n\n")[0].splitlines()
    assert table[:2] == ["| resident | gaps |", "|---|---|"]
    gaps = {}
    for line in table[2:]:
        resident, cell = (part.strip() for part in line.strip("|").split("|"))
        items = [] if cell == "none" else cell.split("; ")
        gaps[resident] = [re.fullmatch(r"`(\w+)`\s*(.*)", item).groups() for item in items]
    return heading[1], int(heading[2]), gaps


def expected_gaps(gap_type: str, words: str, helper_of: dict[str, str]) -> list[tuple]:
    """The gaps one item of the doc's table names, as (type, helpers, domains); ``helper_of``: the
    resident's helper id by role."""
    if gap_type in ("unaware_pair", "uncoordinated_overlap"):
        pairs = _PAIR.findall(words)
        assert pairs, f"{gap_type}: no pair in {words!r}"
        return [
            (gap_type, frozenset({helper_of[ROLE_WORDS[a]], helper_of[ROLE_WORDS[b]]}), _domains(domains))
            for a, b, domains in pairs
        ]
    if gap_type in ("caregiver_overload", "caregiver_unseen"):
        (word,) = _ONE.findall(words)
        return [(gap_type, frozenset({helper_of[ROLE_WORDS[word]]}), ())]
    if gap_type == "unmet_need":
        return [(gap_type, frozenset(), (domain,)) for domain in words.split(", ")]
    assert gap_type == "no_overview", f"the test cannot read a {gap_type} of the doc"
    return [(gap_type, frozenset(), ())]


def _domains(words: str) -> tuple[str, ...]:
    return tuple(sorted(words.split(", "))) if words else ()


def helpers_by_role(dataset: Path) -> dict[str, dict[str, str]]:
    """Per resident, its helpers' ids by role; a role twice in one circle would make the doc ambiguous."""
    role = {row["helper_id"]: row["role"] for row in rows(dataset / "helpers.csv")}
    circles: dict[str, dict[str, str]] = {}
    for row in rows(dataset / "support.csv"):
        circle = circles.setdefault(row["resident_id"], {})
        assert role[row["helper_id"]] not in circle, (row["resident_id"], role[row["helper_id"]])
        circle[role[row["helper_id"]]] = row["helper_id"]
    return circles


def test_analyze_finds_the_gaps_of_the_table_in_the_docs(demo):
    as_of, count, table = doc_gap_table()
    circles = helpers_by_role(demo.cwd / "nc")
    assert demo.analysis["as_of"] == as_of
    assert sorted(table) == sorted(row["resident_id"] for row in demo.analysis["residents"])
    found = Counter(
        (gap["resident_id"], gap["type"], frozenset(gap["helpers"]), tuple(sorted(gap["domains"])))
        for gap in demo.analysis["gaps"]
    )
    expected = Counter(
        (resident, *gap)
        for resident, items in table.items()
        for gap_type, words in items
        for gap in expected_gaps(gap_type, words, circles[resident])
    )
    assert found == expected
    assert len(demo.analysis["gaps"]) == count == sum(expected.values())
    gap_counts = {row["resident_id"]: row["gap_count"] for row in demo.analysis["residents"]}
    assert gap_counts == {
        resident: sum(n for key, n in expected.items() if key[0] == resident) for resident in table
    }


def test_the_demo_interviews_as_a_zip_import_to_the_same_dataset_as_the_folder(demo, tmp_path):
    archive = write_export_zip(tmp_path / "export.zip", demo_protocol(), demo_interviews(), seed=DEMO_SEED)
    out = tmp_path / "nc"
    import_networkcanvas(archive, demo.cwd / "D" / "networkcanvas" / "mapping.toml", out)
    from_folder = {path.name: path.read_bytes() for path in (demo.cwd / "nc").iterdir()}
    from_zip = {path.name: path.read_bytes() for path in out.iterdir()}
    assert sorted(from_zip) == sorted(from_folder)
    assert from_zip == from_folder
