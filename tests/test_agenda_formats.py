"""The agenda's output writers (agenda --format csv|xlsx|html) on hand-built agenda objects.

The agendas below follow the object of SPEC §10 (``carecircle.agenda/1``) with the engine's
messages; the tests read the written files back and parse the page, independent of the writers.
"""

import copy
import csv
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from graph.analysis.agenda_formats import agenda_csv_tables, agenda_html, write_agenda_csv, write_agenda_xlsx

ROOT = Path(__file__).resolve().parents[1]
KEES = '<b>Kees & "Co"</b>'
KEES_ESCAPED = "&lt;b&gt;Kees &amp; &#34;Co&#34;&lt;/b&gt;"
FORMULA = "=cmd|' /C calc'!A0"


def _gap(type_, severity, helpers, status, message, action, domains=()):
    return {"type": type_, "severity": severity, "helpers": list(helpers), "domains": list(domains),
            "status": status, "message": message, "action": action}  # fmt: skip


AGENDA = {
    "schema": "carecircle.agenda/1",
    "as_of": "2024-06-01",
    "since": "2024-03-01",
    "neighbourhood": None,
    "items": [
        {
            "rank": 1,
            "resident_id": "R1",
            "neighbourhood": "Stedenwijk",
            "counts": {"high": 1, "medium": 1, "low": 1, "new": 1, "resolved": 1},
            "gaps": [
                _gap(
                    "no_overview",
                    "high",
                    [],
                    "new",
                    "Nobody has the overview of R1's support",
                    "Agree who keeps the overview",
                ),
                _gap(
                    "unaware_pair",
                    "medium",
                    ["H1", "H2"],
                    "persisting",
                    f"{KEES} and Samira do not know of each other",
                    "Introduce them",
                ),
                _gap(
                    "stale_contact",
                    "low",
                    ["H2", "H3"],
                    "persisting",
                    "Contact is 12 days overdue",
                    "Call each other",
                ),
            ],
            "resolved": [
                {
                    "type": "caregiver_unseen",
                    "severity": "medium",
                    "helpers": ["H3", "H4"],
                    "domains": ["meals"],
                }
            ],
            "introduction": {
                "helpers": ["H1", "H2"],
                "weight": 5,
                "closes": [
                    {"type": "no_overview", "helpers": [], "domains": []},
                    {"type": "unaware_pair", "helpers": ["H1", "H2"], "domains": []},
                ],
                "message": f"Introduce {KEES} (volunteer) to Samira (household help): closes 2 gaps, "
                "one of them high",
            },
            "overview_holder": {
                "helper_id": "H2",
                "knows": 1,
                "of": 3,
                "to_introduce": ["H1", "H3"],
                "message": "Ask Samira (household help) to keep the overview; still to meet: Kees, Jan",
            },
            "circle": {"joined": ["H7"], "left": []},
        },
        {
            "rank": 2,
            "resident_id": "R2",
            "neighbourhood": "Filmwijk",
            "counts": {"high": 0, "medium": 1, "low": 0, "new": 1, "resolved": 0},
            "gaps": [
                _gap("one_sided_awareness", "medium", ["H5", "H6"], "new", FORMULA, "-rm -rf", ["@home"]),
            ],
            "resolved": [],
            "introduction": None,
            "overview_holder": None,
            "circle": {"joined": [], "left": ["H9"]},
        },
        {
            "rank": 3,
            "resident_id": "R3",
            "neighbourhood": "Filmwijk",
            "counts": {"high": 0, "medium": 0, "low": 0, "new": 0, "resolved": 1},
            "gaps": [],
            "resolved": [{"type": "unmet_need", "severity": "high", "helpers": [], "domains": ["household"]}],
            "introduction": None,
            "overview_holder": None,
            "circle": {"joined": [], "left": []},
        },
    ],
    "meetings": [
        {
            "neighbourhood": "Filmwijk",
            "a": "ORG4",
            "b": "ORG5",
            "unaware_pairs": 1234,
            "shared_residents": 2,
            "message": "Invite Thuiszorg West and Buurtteam Oost to the same neighbourhood meeting",
        },
        {
            "neighbourhood": "Stedenwijk",
            "a": "ORG1",
            "b": "ORG2",
            "unaware_pairs": 7,
            "shared_residents": 5,
            "message": "Invite Zorg & Co and Wijkteam Noord to the same neighbourhood meeting",
        },
        {
            "neighbourhood": "Stedenwijk",
            "a": "ORG1",
            "b": "ORG3",
            "unaware_pairs": 2,
            "shared_residents": 1,
            "message": "Invite Zorg & Co and De Zonnebloem to the same neighbourhood meeting",
        },
    ],
}


def first_snapshot_agenda() -> dict:
    """The agenda of a DATASET folder: no earlier snapshot, so no status, nothing resolved, no circle
    change."""
    agenda = copy.deepcopy(AGENDA)
    agenda["since"] = None
    for item in agenda["items"]:
        item["counts"] |= {"new": 0, "resolved": 0}
        item["resolved"] = []
        item["circle"] = None
        for gap in item["gaps"]:
            gap["status"] = None
    agenda["items"] = [item for item in agenda["items"] if item["gaps"]]
    return agenda


EMPTY = {"schema": "carecircle.agenda/1", "as_of": "2024-06-01", "since": "2024-03-01",
         "neighbourhood": None, "items": [], "meetings": []}  # fmt: skip


# --- CSV and xlsx -------------------------------------------------------------------------------------


def test_the_tables_and_their_columns():
    tables = agenda_csv_tables(AGENDA)
    assert {name: header for name, (header, _) in tables.items()} == {
        "items.csv": ["rank", "resident_id", "neighbourhood", "high", "medium", "low", "new", "resolved",
                      "introduction", "introduction_weight", "introduction_closes", "introduction_message",
                      "overview_holder", "overview_knows", "overview_of", "overview_to_introduce",
                      "overview_message", "joined", "left"],
        "gaps.csv": ["rank", "resident_id", "type", "severity", "status", "helpers", "domains", "message",
                     "action"],
        "resolved.csv": ["rank", "resident_id", "type", "severity", "helpers", "domains"],
        "meetings.csv": ["neighbourhood", "a", "b", "unaware_pairs", "shared_residents", "message"],
    }  # fmt: skip


def test_one_item_row_per_resident_with_its_recommendations():
    header, rows = agenda_csv_tables(AGENDA)["items.csv"]
    first, second, third = (dict(zip(header, row, strict=True)) for row in rows)
    assert first == {
        "rank": 1, "resident_id": "R1", "neighbourhood": "Stedenwijk",
        "high": 1, "medium": 1, "low": 1, "new": 1, "resolved": 1,
        "introduction": "H1|H2", "introduction_weight": 5, "introduction_closes": "no_overview|unaware_pair",
        "introduction_message": AGENDA["items"][0]["introduction"]["message"],
        "overview_holder": "H2", "overview_knows": 1, "overview_of": 3, "overview_to_introduce": "H1|H3",
        "overview_message": AGENDA["items"][0]["overview_holder"]["message"],
        "joined": "H7", "left": "",
    }  # fmt: skip
    recommendations = header[header.index("introduction") : header.index("joined")]
    assert [second[column] for column in recommendations] == [None] * len(recommendations)
    assert (second["left"], third["resolved"], third["rank"]) == ("H9", 1, 3)


def test_gap_and_resolved_rows_carry_rank_resident_and_status():
    header, rows = agenda_csv_tables(AGENDA)["gaps.csv"]
    assert [(row[0], row[1], row[2], row[4]) for row in rows] == [
        (1, "R1", "no_overview", "new"),
        (1, "R1", "unaware_pair", "persisting"),
        (1, "R1", "stale_contact", "persisting"),
        (2, "R2", "one_sided_awareness", "new"),
    ]
    assert rows[1][header.index("helpers")] == "H1|H2"
    _, resolved = agenda_csv_tables(AGENDA)["resolved.csv"]
    assert resolved == [
        [1, "R1", "caregiver_unseen", "medium", "H3|H4", "meals"],
        [3, "R3", "unmet_need", "high", "", "household"],
    ]


def test_without_an_earlier_snapshot_the_status_and_the_circle_cells_are_empty(tmp_path):
    write_agenda_csv(first_snapshot_agenda(), tmp_path, io.StringIO())
    with (tmp_path / "gaps.csv").open(encoding="utf-8") as handle:
        assert {row["status"] for row in csv.DictReader(handle)} == {""}
    with (tmp_path / "items.csv").open(encoding="utf-8") as handle:
        assert {(row["joined"], row["left"]) for row in csv.DictReader(handle)} == {("", "")}


def test_csv_files_in_a_folder_neutralise_formulas(tmp_path):
    written = write_agenda_csv(AGENDA, tmp_path / "agenda", io.StringIO())
    assert [path.name for path in written] == ["items.csv", "gaps.csv", "resolved.csv", "meetings.csv"]
    with (tmp_path / "agenda" / "gaps.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    formula_row = rows[3]
    assert (formula_row["message"], formula_row["action"], formula_row["domains"]) == (
        "'" + FORMULA,
        "'-rm -rf",
        "'@home",
    )
    assert rows[0]["message"] == "Nobody has the overview of R1's support"
    with (tmp_path / "agenda" / "meetings.csv").open(encoding="utf-8") as handle:
        assert [row["unaware_pairs"] for row in csv.DictReader(handle)] == ["1234", "7", "2"]


def test_csv_without_a_folder_prints_the_agenda_one_line_per_resident():
    out = io.StringIO()
    assert write_agenda_csv(AGENDA, None, out) == []
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["rank", "resident_id", "neighbourhood"]
    assert [row[1] for row in rows[1:]] == ["R1", "R2", "R3"]


def test_xlsx_has_one_sheet_per_table_and_keeps_formulas_as_text(tmp_path):
    path = write_agenda_xlsx(AGENDA, tmp_path / "out" / "agenda.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["items", "gaps", "resolved", "meetings"]
    gaps = workbook["gaps"]
    header = [cell.value for cell in gaps[1]]
    assert header == list(agenda_csv_tables(AGENDA)["gaps.csv"][0])
    formula_row = {name: cell for name, cell in zip(header, gaps[5], strict=True)}
    for column in ("message", "action", "domains"):
        assert formula_row[column].data_type == "s" and formula_row[column].quotePrefix
    assert formula_row["message"].value == FORMULA
    assert [cell.value for cell in workbook["meetings"]["D"]][1:] == [1234, 7, 2]
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and all("<f>" not in archive.read(name).decode() for name in sheets)


def test_an_empty_agenda_gives_tables_with_only_their_headers(tmp_path):
    tables = agenda_csv_tables(EMPTY)
    assert all(rows == [] for _, rows in tables.values())
    path = write_agenda_xlsx(EMPTY, tmp_path / "empty.xlsx")
    assert openpyxl.load_workbook(path)["items"].max_row == 1


# --- the page -----------------------------------------------------------------------------------------

#: elements without an end tag
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class PageChecker(HTMLParser):
    """Parses a page: every element closed in order, every table header with a scope, the headings."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)
        if tag == "th" and dict(attrs).get("scope") not in ("col", "row"):
            self.problems.append("th without scope")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((tag, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def parse(page: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == [] and checker.open == []
    return checker


def sections(page: str) -> list[str]:
    """The page split at each resident's section: the part before, then one part per resident."""
    return page.split('<section class="item">')


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("agenda", [AGENDA, first_snapshot_agenda(), EMPTY], ids=["since", "first", "empty"])
def test_the_page_is_self_contained_well_formed_and_made_for_print(agenda, lang):
    page = agenda_html(agenda, lang)
    assert page.startswith("<!doctype html>")
    checker = parse(page)
    assert ("html", {"lang": lang}) in checker.tags
    assert [tag for tag, _ in checker.headings].count("h1") == 1
    lowered = page.lower()
    for outside in ("<script", "http://", "https://", "src=", "@import", "<link", "url(", "href="):
        assert outside not in lowered, outside
    assert not any(name.startswith("on") for _, attrs in checker.tags for name in attrs)
    assert not {"script", "link", "img", "iframe", "object", "embed", "a", "base"} & {
        t for t, _ in checker.tags
    }
    style = re.search(r"<style>(.*)</style>", page, re.S).group(1)
    assert "@page" in style and "size: A4" in style
    assert re.search(r"\.item \{[^}]*break-inside: avoid", style)


def test_values_are_escaped_not_run():
    agenda = copy.deepcopy(AGENDA)
    agenda["items"][1]["gaps"][0]["message"] = "<script>alert(1)</script>"
    agenda["items"][1]["resident_id"] = "R<2>"
    page = agenda_html(agenda, "en")
    assert "<b>Kees" not in page and KEES_ESCAPED in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    assert "Resident R&lt;2&gt;" in page
    assert "Invite Zorg &amp; Co and Wijkteam Noord" in page
    parse(page)


def test_the_english_page_of_a_meeting():
    page = agenda_html(AGENDA, "en")
    headings = parse(page).headings
    assert headings[0] == ("h1", "Agenda for the case meeting, 1 June 2024 — changes since 1 March 2024")
    assert ("h2", "1. Resident R1 — Stedenwijk") in headings
    assert ("h2", "Legend") in headings
    assert "3 residents to discuss" in page
    assert "NEW: the gap was not there on 1 March 2024." in page
    before, first, *_ = sections(page)
    assert ">Legend<" in before and "Who to invite" not in before
    # counts, then the next steps on top, then the gaps by severity (high first), then resolved
    assert re.search(
        r"<dt>high</dt><dd>1</dd>.*<dt>new</dt><dd>1</dd>.*<dt>resolved</dt><dd>1</dd>", first, re.S
    )
    order = ["Next steps", "Introduce " + KEES_ESCAPED, "Ask Samira", "Joined the circle: H7",
             "Severity: high", "Nobody has the overview", "Severity: medium", "Severity: low",
             "Resolved since 1 March 2024", "Caregiver unseen"]  # fmt: skip
    positions = [first.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Left the circle" not in first


def test_status_and_severity_are_told_in_words_not_only_in_colour():
    _, first, second, _ = sections(agenda_html(AGENDA, "en"))
    high = first[first.index("Severity: high") : first.index("Severity: medium")]
    assert re.search(r'<span class="mark mark-new">new</span>', high)
    medium = first[first.index("Severity: medium") : first.index("Severity: low")]
    assert '<span class="mark mark-persisting">persisting</span>' in medium
    assert "mark-new" not in medium
    resolved = first[first.index("Resolved since") :]
    assert re.search(r'<td><span class="severity severity-medium">medium</span></td>', resolved)
    assert re.search(r"<th scope=\"col\"[^>]*>Status</th>", second)


def test_residents_without_a_recommendation_and_with_only_resolved_gaps():
    _, _, second, third = sections(agenda_html(AGENDA, "en"))
    assert "No single introduction closes one of these gaps." in second
    assert "Who holds the overview" not in second and "Left the circle: H9" in second
    # a resident with only resolved gaps has no next steps and no open gaps
    assert "Next steps" not in third and "Open gaps" not in third
    assert "Unmet need" in third and "household" in third and "<dt>resolved</dt><dd>1</dd>" in third


def test_meetings_per_neighbourhood_at_the_end():
    page = agenda_html(AGENDA, "en")
    last = sections(page)[-1]
    meetings = last[last.index("Who to invite to a neighbourhood meeting") :]
    assert (
        meetings.index("<h3>Filmwijk</h3>")
        < meetings.index("Thuiszorg West")
        < meetings.index("<h3>Stedenwijk</h3>")
    )
    stedenwijk = meetings[meetings.index("<h3>Stedenwijk</h3>") :]
    assert stedenwijk.index("Wijkteam Noord") < stedenwijk.index("De Zonnebloem")
    assert '<td class="number">1,234</td>' in meetings


def test_the_dutch_page_speaks_dutch_and_writes_dates_and_numbers_the_dutch_way():
    page = agenda_html(AGENDA, "nl")
    headings = parse(page).headings
    assert headings[0] == (
        "h1",
        "Agenda voor het casusoverleg, 1 juni 2024 — veranderingen sinds 1 maart 2024",
    )
    assert ("h2", "1. Bewoner R1 — Stedenwijk") in headings
    assert ("h4", "Ernst: hoog") in headings and ("h2", "Legenda") in headings
    for dutch in ("3 bewoners te bespreken", "Volgende stappen", "Kennismaking", "Wie het overzicht houdt",
                  '<span class="mark mark-new">nieuw</span>', "nog open", "Opgelost sinds 1 maart 2024",
                  '>Voorgestelde actie</th>', "Hulpverleners die elkaar niet kennen",
                  '<td class="number">1.234</td>', "Weten niet van elkaar", "maaltijden"):  # fmt: skip
        assert dutch in page, dutch
    english_page = agenda_html(AGENDA, "en")
    for english in ("Next steps", "Suggested action", "Resolved since", "residents to discuss", ">Legend<"):
        assert english in english_page and english not in page, english


def test_without_an_earlier_snapshot_no_status_and_the_legend_says_why():
    for lang, says in (("en", "There is no earlier snapshot"), ("nl", "Er is geen eerdere peildatum")):
        page = agenda_html(first_snapshot_agenda(), lang)
        assert says in page
        assert 'class="mark ' not in page and not re.search(r">(Status|status)</th>", page)
        assert "<dt>new</dt>" not in page and "<dt>nieuw</dt>" not in page
    assert parse(agenda_html(first_snapshot_agenda(), "en")).headings[0] == (
        "h1",
        "Agenda for the case meeting, 1 June 2024",
    )


@pytest.mark.parametrize(
    ("lang", "nothing", "no_meetings"),
    [
        ("en", "Nothing to discuss", "No pair of organisations"),
        ("nl", "Niets te bespreken", "Geen tweetal organisaties"),
    ],
)
def test_an_empty_agenda_is_still_a_page_that_says_there_is_nothing_to_discuss(lang, nothing, no_meetings):
    page = agenda_html(EMPTY, lang)
    assert nothing in page and no_meetings in page
    assert '<section class="item">' not in page and "<table" not in page


def test_a_neighbourhood_filter_is_named_and_an_unknown_language_reads_english():
    agenda = {**EMPTY, "neighbourhood": "Stedenwijk"}
    assert "<p>Wijk: Stedenwijk</p>" in agenda_html(agenda, "nl")
    page = agenda_html(agenda, "fr")
    assert '<html lang="en">' in page and "<p>Neighbourhood: Stedenwijk</p>" in page
