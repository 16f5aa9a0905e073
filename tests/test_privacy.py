"""Privacy as an auditor checks it: every byte written or served, searched for what must not be there.

A dataset with BSNs and names goes through ingest, analyze, export and the dashboard in both
roles. Then every file written (store, reports, exports, logs, the audit log), everything the
commands printed, every log record and every HTTP response is searched: no raw BSN anywhere, and
no name, resident id or helper id in anything the policy role gets.
"""

import csv
import logging
import re
import stat
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from benchmarks.dash_client import callback_body
from carecircle.synthetic import generate_dataset
from dashboards.access import audit_to_file
from dashboards.accounts import Account, hash_password
from dashboards.app import create_app
from ingest.pseudonym import Pseudonymiser
from tests.dashboard_support import response_text
from tests.datasets import run_cli

PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password"}
PAGES = ("/", "/residents", "/residents/R-PIQUE", "/overlaps", "/collaboration", "/trends", "/data-quality")


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """A generated dataset and what must never leak from it."""
    folder = tmp_path_factory.mktemp("privacy") / "data"
    generate_dataset(folder, residents=300, seed=23, as_of=date(2024, 6, 1))
    with (folder / "residents.csv").open(encoding="utf-8") as handle:
        residents = list(csv.DictReader(handle))
    with (folder / "helpers.csv").open(encoding="utf-8") as handle:
        helpers = list(csv.DictReader(handle))
    bsns = {row["bsn"] for row in residents if row["bsn"]}
    assert len(bsns) > 200
    return {
        "folder": folder,
        "bsns": bsns,
        "names": {row["name"] for row in residents + helpers if row["name"]},
        "ids": {row["resident_id"] for row in residents} | {row["helper_id"] for row in helpers},
    }


run = run_cli


def no_bsn(text: str, bsns: set[str], where: str) -> None:
    found = set(re.findall(r"\d{9}", text)) & bsns
    assert not found, f"a raw BSN in {where}"


def no_person(text: str, people: dict, where: str) -> None:
    names = [name for name in people["names"] if name in text]
    assert not names, f"names in {where}: {names[:3]}"
    found = set(re.findall(r"[RH][-\w]+", text)) & people["ids"]
    assert not found, f"ids in {where}: {sorted(found)[:3]}"


def test_no_raw_bsn_anywhere_and_nothing_personal_in_policy_outputs(people, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    work = tmp_path / "work"
    work.mkdir()
    folder = people["folder"]
    printed, policy_printed = [], []

    def command(*args, policy=False):
        result = run(*args, cwd=work)
        assert result.returncode == 0, result.stderr
        printed.append(result.stdout + result.stderr)
        if policy:
            policy_printed.append(result.stdout)
        return result

    command("ingest", str(folder), "--store", "store.db", "--report", "report.json")
    command("--lang", "nl", "ingest", str(folder), "--store", "store.db", "--as-of", "2024-03-01")
    for role in ("team", "policy"):
        policy = role == "policy"
        command("analyze", "--store", "store.db", "--role", role, policy=policy)
        command("analyze", "--store", "store.db", "--role", role, "--format", "table", policy=policy)
        command("analyze", str(folder), "--role", role, "--format", "csv", "--out", f"csv-{role}")
        command("analyze", "--store", "store.db", "--role", role, "--format", "xlsx", "--out", f"{role}.xlsx")
        for fmt, out in (("graphml", f"{role}.graphml"), ("gexf", f"{role}.gexf"), ("csv", f"graph-{role}")):
            command("export", "--store", "store.db", "--format", fmt, "--role", role, out)
    # a bad BSN is rejected without being echoed
    broken = tmp_path / "broken"
    generate_dataset(broken, residents=40, seed=2)
    text = (broken / "residents.csv").read_text(encoding="utf-8")
    bad_bsn = next(iter(sorted(set(re.findall(r",(\d{9}),", text)))))
    (broken / "residents.csv").write_text(
        text.replace(bad_bsn, bad_bsn[:-1] + str((int(bad_bsn[-1]) + 1) % 10))
    )
    rejected = run("ingest", str(broken), "--store", "broken.db", "--report", "broken-report.json", cwd=work)
    printed.append(rejected.stdout + rejected.stderr)
    assert "invalid_bsn" in rejected.stdout

    # the dashboard, both roles, every page and every callback, with the audit log on
    served, policy_served = _serve_everything(work / "store.db", work / "audit.log")

    # every byte written under the working folder
    written = {
        path: path.read_bytes().decode("utf-8", errors="replace")
        for path in work.rglob("*")
        if path.is_file()
    }
    assert (work / "audit.log").exists() and "opened circle" in written[work / "audit.log"]
    logs = "\n".join(record.getMessage() for record in caplog.records)
    bsns = people["bsns"] | {bad_bsn[:-1] + str((int(bad_bsn[-1]) + 1) % 10)}
    for path, content in written.items():
        no_bsn(content, bsns, str(path.relative_to(work)))
    for index, text in enumerate(printed):
        no_bsn(text, bsns, f"the output of command {index}")
    for index, text in enumerate(served):
        no_bsn(text, bsns, f"HTTP response {index}")
    no_bsn(logs, bsns, "the log records")

    # policy: nothing personal (and the search does find people where the team may see them)
    with pytest.raises(AssertionError, match="ids in"):
        no_person(printed[2], people, "the team's analysis")
    with pytest.raises(AssertionError, match="names in"):
        no_person(_text_of(work / "team.graphml"), people, "the team's graph")
    policy_files = [p for p in written if "policy" in p.name or "policy" in str(p.parent.name)]
    assert {p.suffix for p in policy_files} == {".xlsx", ".graphml", ".gexf", ".csv"}
    assert len(policy_files) >= 7
    for path in policy_files:
        no_person(_text_of(path), people, str(path.relative_to(work)))
    for text in policy_printed:
        no_person(text, people, "policy output")
    for index, text in enumerate(policy_served):
        no_person(text, people, f"policy HTTP response {index}")


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        return "\n".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    return path.read_text(encoding="utf-8", errors="replace")


def _serve_everything(store: Path, audit_log: Path) -> tuple[list[str], list[str]]:
    accounts = {
        "anna": Account("anna", "team", hash_password(PASSWORDS["anna"])),
        "piet": Account("piet", "policy", hash_password(PASSWORDS["piet"])),
    }
    handler = audit_to_file(audit_log)
    try:
        app = create_app(str(store), accounts=accounts, session_key="privacy")
        served, policy_served = [], []
        for user in ("anna", "piet"):
            client = app.server.test_client()
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            client.post(
                "/login", data={"user": user, "password": PASSWORDS[user], "csrf": token, "next": "/"}
            )
            bodies = [response_text(client.get(path)) for path in PAGES]
            bodies.append(response_text(client.get("/_dash-layout")))
            for output in _outputs(app):
                for inputs in _input_sets(router=output == "_pages_content"):
                    response = client.post(
                        "/_dash-update-component",
                        json=callback_body(app, output, inputs),
                    )
                    bodies.append(response_text(response))
            served += bodies
            if user == "piet":
                policy_served += bodies
        return served, policy_served
    finally:
        logging.getLogger("carecircle.audit").removeHandler(handler)
        handler.close()


def _outputs(app) -> list[str]:
    """One output id of every server-side callback (the pages router included)."""
    found = []
    for key, callback in app.callback_map.items():
        if "callback" in callback:  # clientside callbacks run in the browser only
            found.append(key.strip(".").split("...")[0].rsplit(".", 1)[0])
    return sorted(set(found))


def _input_sets(router: bool) -> list[dict]:
    base = {
        "snapshot-select.value": "2024-06-01",
        "overlaps-type.value": "both",
        "overlaps-export.n_clicks": 1,
        "circle-resident-id.data": "R-PIQUE",
        "trends-pilot.value": "Stedenwijk",
        "trends-from.value": "2023-12-01",
        "trends-to.value": "2024-06-01",
        "residents-search.value": "Piqué",
    }
    if router:
        return [{"_pages_location.pathname": path, "_pages_location.search": ""} for path in PAGES]
    return [{**base, "neighbourhood-select.value": area} for area in (None, "Stedenwijk", "Emmen-Centrum")]


def test_the_key_file_is_made_private_on_first_use(tmp_path, monkeypatch):
    key_file = tmp_path / "config" / "carecircle" / "secret.key"
    monkeypatch.setenv("CARECIRCLE_KEY_FILE", str(key_file))
    first = Pseudonymiser.from_environment()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Pseudonymiser.from_environment()("111222333") == first("111222333")
    assert "111222333" not in first("111222333") and "111222333" not in repr(first)
    monkeypatch.setenv("CARECIRCLE_SECRET", "another key")
    assert Pseudonymiser.from_environment()("111222333") != first("111222333")


def test_the_same_person_under_two_ids_is_reported_without_the_bsn(tmp_path):
    folder = tmp_path / "data"
    generate_dataset(folder, residents=30, seed=4)
    result = run("ingest", str(folder), "--store", "s.db", "--report", "r.json", cwd=tmp_path)
    report = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "same_person" in report and "has the same bsn as resident" in report
    with (folder / "residents.csv").open(encoding="utf-8") as handle:
        bsn = next(row["bsn"] for row in csv.DictReader(handle) if row["resident_id"] == "R000001")
    assert bsn and bsn not in report and bsn not in result.stdout + result.stderr


def test_xlsx_output_keeps_formulas_as_text(tmp_path):
    from graph.analysis.formats import write_xlsx

    result = {
        "residents": [],
        "gaps": [
            {"resident_id": "=HYPERLINK(\"http://x\")", "type": "unmet_need", "severity": "high",
             "helpers": [], "domains": ["@SUM(A1)"], "message": "-1+2", "action": "+cmd"}
        ],
        "neighbourhoods": [],
        "overall": {"residents": 1, "helpers": {"formal": 0}},
        "organisations": [],
    }  # fmt: skip
    path = write_xlsx(result, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["gaps"]
    cells = [cell for cell in sheet[2] if cell.value]
    assert [c.value for c in cells][:2] == ['=HYPERLINK("http://x")', "unmet_need"]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells if cell.value[0] in "=+-@")
    import zipfile

    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet2.xml").decode()


def test_policy_graph_exports_carry_no_names_and_no_ids(people, tmp_path):
    import networkx as nx

    work = tmp_path
    assert run("ingest", str(people["folder"]), "--store", "s.db", cwd=work).returncode == 0
    for _ in range(2):
        assert (
            run(
                "export", "--store", "s.db", "--format", "graphml", "--role", "policy", "p.graphml", cwd=work
            ).returncode
            == 0
        )
        graph = nx.read_graphml(work / "p.graphml")
        no_person(json_of(graph), people, "the policy GraphML")
        kinds = {d["node_type"] for _, d in graph.nodes(data=True)}
        assert kinds == {"resident", "helper", "organisation", "neighbourhood"}
    # two exports use different keys, so they cannot be linked
    assert (
        run("export", "--store", "s.db", "--format", "csv", "--role", "policy", "a", cwd=work).returncode == 0
    )
    assert (
        run("export", "--store", "s.db", "--format", "csv", "--role", "policy", "b", cwd=work).returncode == 0
    )
    first = (work / "a" / "nodes.csv").read_text().splitlines()
    second = (work / "b" / "nodes.csv").read_text().splitlines()
    assert len(first) == len(second) and set(first[1:]) != set(second[1:])


def json_of(graph) -> str:
    return repr(list(graph.nodes(data=True))) + repr(list(graph.edges(data=True)))
