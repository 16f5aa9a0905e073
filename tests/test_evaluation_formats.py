"""The evaluation's reports (evaluate --format md|html) on real evaluations of hand-made snapshots.

The series is built so that its figures are known without the code under test: in the pilot six
residents each have a district nurse of ORG1 and an informal caregiver who do not know each other
at the first snapshot and know each other both ways at the last; in the rest six residents have a
nurse of ORG2 and a caregiver who all know each other at first and, at the last, half of them
not at all. So coverage and visibility go 0% → 100% in the pilot and 100% → 50% in the rest, a
difference in differences of +150 percentage points; ORG1 and the caregivers started finding each
other, ORG2 and the caregivers drifted apart. The reports are read back independently: markdown
by its lines, the page by Python's html.parser.
"""

import copy
from datetime import date
from html.parser import HTMLParser

import pytest

from graph.analysis import analyse
from graph.analysis.evaluation import evaluate
from graph.analysis.evaluation_figures import interval_chart, line_chart
from graph.analysis.evaluation_formats import PAGE_PAIRS, evaluation_html, evaluation_markdown
from graph.analysis.evaluation_words import evaluation_json
from graph.stores import SqliteStore
from tests.analysis_helpers import make_snapshot
from tests.datasets import run_cli

HOSTILE = "<img src=x onerror=alert(1)>"
FIRST, MIDDLE, LAST = date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)
PILOT = "Oost"


def _snapshot(as_of: date, pilot: str, pilot_residents: int, pilot_known: bool, rest_known: int):
    """The pilot's residents (nurse of ORG1 and a caregiver; known both ways or not at all) and six
    residents elsewhere (nurse of ORG2 and a caregiver; the first ``rest_known`` known both ways)."""
    residents, helpers, support, awareness = {}, {}, [], []
    for area, count, known, organisation in (
        (pilot, pilot_residents, pilot_residents if pilot_known else 0, "ORG1"),
        ("West", 6, rest_known, "ORG2"),
    ):
        for number in range(count):
            resident, nurse, caregiver = f"R-{area}-{number}", f"N-{area}-{number}", f"C-{area}-{number}"
            residents[resident] = (area, ())
            helpers[nurse] = ("district_nurse", organisation)
            helpers[caregiver] = ("informal_caregiver", None)
            support += [(nurse, resident, "nursing"), (caregiver, resident, "meals")]
            if number < known:
                awareness += [(nurse, caregiver, resident), (caregiver, nurse, resident)]
    return make_snapshot(residents, helpers, support, awareness, as_of=as_of)


def _series(pilot: str = PILOT, pilot_residents: int = 6):
    return [
        _snapshot(FIRST, pilot, pilot_residents, pilot_known=False, rest_known=6),
        _snapshot(MIDDLE, pilot, pilot_residents, pilot_known=True, rest_known=6),
        _snapshot(LAST, pilot, pilot_residents, pilot_known=True, rest_known=3),
    ]


def _result(pilot: str = PILOT, *, role: str = "team", pilot_residents: int = 6, lang: str = "en") -> dict:
    analyses = [analyse(snapshot) for snapshot in _series(pilot, pilot_residents)]
    return evaluation_json(evaluate(analyses, pilot, role=role, k=5), lang)


@pytest.fixture(scope="module")
def result():
    return _result()


NAMES = {"ORG1": "Zorggroep Oost", "ORG2": "Thuiszorg West"}


#: the elements without content: never closed
EMPTY = {"meta", "br", "line", "circle", "rect", "path", "polyline"}


class Page(HTMLParser):
    """The page as the parser reads it: its tags with their attributes, its text, the text of
    each element with an id (an SVG's title and description) and of each row-group header."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, str] = {}
        self.text: list[str] = []
        self.row_groups: list[str] = []
        self._open: list[str | None] = []
        self._row_group = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._row_group = tag == "th" and attributes.get("scope") == "rowgroup"
        if tag not in EMPTY:
            self._open.append(attributes.get("id"))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag not in EMPTY and self._open:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._row_group:
            self.row_groups.append(data)
            self._row_group = False
        for ident in self._open:
            if ident:
                self.texts[ident] = self.texts.get(ident, "") + data

    def all(self, tag: str) -> list[dict]:
        return [attributes for name, attributes in self.tags if name == tag]


# --- markdown -------------------------------------------------------------------------------------------


def test_the_markdown_report_has_the_verdicts_the_group_table_and_the_pairs(result):
    report = evaluation_markdown(result, NAMES, "en")
    lines = report.splitlines()
    assert lines[0] == "# Evaluation of the pilot in Oost"
    assert (
        "From 1 January 2024 to 1 July 2024; snapshots compared: 1 January 2024, 1 April 2024, 1 July 2024."
        in report
    )
    assert "For the district team: every figure as computed." in report
    # the verdict per metric, with the estimate and its interval in percentage points
    coverage = result["did"]["mean_awareness_coverage"]
    assert coverage["estimate"] == 1.5
    low, high = (f"{value * 100:+.1f}".replace("-", "−") for value in coverage["ci95"])
    assert f"**Difference in differences: +150.0 percentage points (95% interval {low} to {high})**" in lines
    assert coverage["verdict"] in lines and result["did"]["caregiver_visibility"]["verdict"] in lines
    # the group figures per snapshot
    assert "| 1 January 2024 | Oost | 6 | 0.0% | 0.0% |" in lines
    assert "| 1 January 2024 | Other neighbourhoods | 6 | 100.0% | 100.0% |" in lines
    assert "| 1 July 2024 | Oost | 6 | 100.0% | 100.0% |" in lines
    assert "| 1 July 2024 | Other neighbourhoods | 6 | 50.0% | 50.0% |" in lines
    # started finding each other, drifted apart, and every pair over time (names, not ids)
    assert "| (caregivers) and Zorggroep Oost | 0.0% | 100.0% | +100.0 |" in _section(lines, "### Started")
    assert "| (caregivers) and Thuiszorg West | 100.0% | 50.0% | −50.0 |" in _section(lines, "### Drifted")
    over_time = _section(lines, "### Organisation pairs over time")
    assert "| (caregivers) and Zorggroep Oost | 1 April 2024 | 6 | 100.0% | 100.0% |" in over_time
    assert "| (caregivers) and Thuiszorg West | 1 July 2024 | 6 | 50.0% | 50.0% |" in over_time
    assert len([line for line in over_time if line.startswith("| ") and "2024" in line]) == 6
    reading = "\n".join(_section(lines, "## How to read this"))
    assert "difference in differences" in reading and "2,000 times, from a fixed seed" in reading
    assert "not a randomised comparison" in reading


def test_the_markdown_report_reads_in_dutch():
    report = evaluation_markdown(_result(lang="nl"), NAMES, "nl")
    lines = report.splitlines()
    assert lines[0] == "# Evaluatie van de pilot in Oost"
    assert "| 1 januari 2024 | Overige wijken | 6 | 100,0% | 100,0% |" in lines
    assert "| (mantelzorgers) en Zorggroep Oost | 0,0% | 100,0% | +100,0 |" in lines
    assert "**Verschil in verschillen: +150,0 procentpunt" in report
    assert "## Zo leest u dit" in lines and "2.000 keer" in report
    assert "Evaluation" not in report and "percentage points" not in report


def test_the_markdown_report_shows_hostile_names_as_written_and_not_as_markup():
    report = evaluation_markdown(_result(HOSTILE), {"ORG1": "A | *B* [x](javascript:y)"}, "en")
    assert "\\<img src=x onerror=alert(1)>" in report
    assert "<img" not in report.replace("\\<img", "")  # every one escaped
    assert "(caregivers) and A \\| \\*B\\* \\[x\\](javascript:y)" in report
    # every table row still has its five cells
    for line in _section(report.splitlines(), "### Organisation pairs over time"):
        if line.startswith("| "):
            assert len(line.replace("\\|", "").split(" | ")) == 5


def test_a_policy_report_of_a_small_pilot_shows_cut_counts_dashes_and_says_what_they_mean():
    result = _result(role="policy", pilot_residents=3)
    assert {row["residents_with_circle"] for row in result["snapshots"] if row["group"] == "pilot"} == {"<5"}
    lines = evaluation_markdown(result, NAMES, "en").splitlines()
    assert "| 1 January 2024 | Oost | <5 | – | – |" in lines
    assert "For policy staff: figures about fewer than 5 residents or pairs are protected." in "\n".join(
        lines
    )
    assert "**Difference in differences: not available**" in lines
    assert "- <5: a count from 1 to 4, not shown exactly." in lines
    assert any(line.startswith("- –: not shown to protect privacy") for line in lines)
    dutch = evaluation_markdown(_result(role="policy", pilot_residents=3, lang="nl"), NAMES, "nl")
    assert "- <5: een aantal van 1 tot en met 4, niet precies getoond." in dutch.splitlines()


def _section(lines: list[str], heading: str) -> list[str]:
    """The lines under the heading that starts with ``heading``, up to the next heading."""
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start + 1 : end]


# --- the page --------------------------------------------------------------------------------------------


def test_the_page_is_self_contained_and_escapes_hostile_names():
    html = evaluation_html(_result(HOSTILE), {"ORG1": HOSTILE, "ORG2": 'Thuis & "Zorg"'}, "en")
    page = Page(html)
    assert "http://" not in html and "https://" not in html
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "link", "iframe", "object", "embed", "image", "use"}
    assert not [attributes for _, attributes in page.tags if any(key.startswith("on") for key in attributes)]
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "(caregivers) and Thuis &amp; &#34;Zorg&#34;" in html
    assert page.texts["figure-differences-title"].startswith("Difference in differences")
    assert f"Evaluation of the pilot in {HOSTILE}" in "".join(page.text)


def test_the_page_has_a_figure_per_metric_and_one_of_the_differences_each_with_its_numbers_in_words(result):
    html = evaluation_html(result, NAMES, "en")
    for outside in ("<script", "http://", "https://", "src=", "@import", "<link", "url(", "href=", "xlink"):
        assert outside not in html
    page = Page(html)
    charts = page.all("svg")
    assert len(charts) == 3
    for chart in charts:
        assert chart["role"] == "img"
        title, description = chart["aria-labelledby"].split()
        assert page.texts[title] and page.texts[description]
    words = {chart["aria-labelledby"].split()[0].removesuffix("-title"): chart for chart in charts}
    assert set(words) == {
        "figure-differences",
        "figure-mean-awareness-coverage",
        "figure-caregiver-visibility",
    }
    coverage = page.texts["figure-mean-awareness-coverage-desc"]
    assert "Oost: 1 January 2024: 0.0%, 1 April 2024: 100.0%, 1 July 2024: 100.0%." in coverage
    assert (
        "Other neighbourhoods: 1 January 2024: 100.0%, 1 April 2024: 100.0%, 1 July 2024: 50.0%." in coverage
    )
    differences = page.texts["figure-differences-desc"]
    assert "Helpers who know each other: +150.0 percentage points (95% interval" in differences
    assert "Caregivers seen by a professional: +150.0 percentage points" in differences
    # the axes are labelled, the groups told apart by a legend, marker and dash besides colour
    text = "".join(page.text)
    assert "Share (%)" in text and "Snapshot" in text and "100%" in text
    assert "Difference in percentage points (pilot minus the other neighbourhoods)" in text
    assert {"series series-pilot", "series series-rest"} <= {a.get("class") for a in page.all("polyline")}
    assert page.all("circle") and page.all("rect")
    # and a text table next to the figures
    assert '<th scope="row">1 July 2024</th><td>Oost</td><td class="number">6</td>' in html


def test_the_page_reads_in_dutch():
    html = evaluation_html(_result(lang="nl"), NAMES, "nl")
    page = Page(html)
    assert '<html lang="nl">' in html
    assert (
        "Oost: 1 januari 2024: 0,0%, 1 april 2024: 100,0%, 1 juli 2024: 100,0%."
        in page.texts["figure-mean-awareness-coverage-desc"]
    )
    text = "".join(page.text)
    assert "Wat de cijfers laten zien" in text and "Aandeel (%)" in text and "+150,0 procentpunt" in text
    assert "Zo leest u dit" in text and "Evaluation" not in text


def test_a_policy_page_says_what_it_cannot_draw_and_what_the_marks_mean():
    html = evaluation_html(_result(role="policy", pilot_residents=3), NAMES, "en")
    page = Page(html)
    text = "".join(page.text)
    assert "&lt;5" in html and "<5: a count from 1 to 4, not shown exactly." in text
    assert "–: not shown to protect privacy" in text
    # no difference, and (the rest hidden too, or the pilot's count would follow) no line to draw
    assert "Nothing to draw: no difference in differences is available (see above)." in text
    assert text.count("Nothing to draw: every figure of this chart is “–” in the table below.") == 2
    assert page.all("svg") == [] and page.all("polyline") == []


def test_a_missing_figure_breaks_its_line_and_the_page_says_so(result):
    gap = copy.deepcopy(result)
    first_pilot = next(row for row in gap["snapshots"] if row["group"] == "pilot")
    first_pilot.update(mean_awareness_coverage=None, caregiver_visibility=None)
    page = Page(evaluation_html(gap, NAMES, "en"))
    assert "A point without a figure (“–” in the table below) is left out of its line." in "".join(page.text)
    words = page.texts["figure-mean-awareness-coverage-desc"]
    assert "Oost: 1 January 2024: no figure, 1 April 2024: 100.0%, 1 July 2024: 100.0%." in words
    pilot_markers = [circle for circle in page.all("circle") if circle["class"] == "marker marker-pilot"]
    assert len(pilot_markers) == 2 * (2 + 1)  # two points and the legend's marker, in each chart


def test_a_long_list_of_pairs_is_cut_on_the_page_with_a_note_but_not_in_the_markdown(result):
    many = copy.deepcopy(result)
    extra = PAGE_PAIRS + 3 - 2  # two pairs already: PAGE_PAIRS + 3 in all
    for number in range(extra):
        for as_of in (FIRST, LAST):
            many["organisation_pairs"].append(
                {"a": f"ORG-X{number:02}", "b": "ORG-Y", "as_of": as_of.isoformat(),
                 "cross_pairs": 10 + number, "aware_share": 0.5, "mutual_share": 0.25}
            )  # fmt: skip
    page = Page(evaluation_html(many, NAMES, "en"))
    pair_names = page.row_groups
    assert len(pair_names) == PAGE_PAIRS
    # the most helper pairs at the last snapshot first: ORG-X20 (30) … ; the two of 6 are left out
    assert pair_names[0] == "ORG-X20 and ORG-Y" and "(caregivers) and Zorggroep Oost" not in pair_names
    text = "".join(page.text)
    assert f"Shown: the {PAGE_PAIRS} pairs with the most helper pairs on 1 July 2024." in text
    assert "3 more pairs are left out here; the markdown and JSON reports list every pair." in text
    markdown = evaluation_markdown(many, NAMES, "en")
    assert "(caregivers) and Zorggroep Oost" in markdown and "ORG-X00 and ORG-Y" in markdown


# --- the figures' geometry --------------------------------------------------------------------------------


def test_a_line_is_broken_where_a_figure_is_missing():
    dates = [date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)]
    chart = line_chart(
        "c", dates, [("pilot", "P", [0.2, None, 0.6])], title="t", description="d",
        labels=("Snapshot", "%", ["a", "b", "c"]),
    )  # fmt: skip
    (line,) = chart.lines
    assert len(line.segments) == 2 and len(line.markers) == 2 and chart.missing == 1 and not chart.empty
    top, bottom = chart.top, chart.bottom
    assert [marker.y for marker in line.markers] == [
        bottom - 0.2 * (bottom - top),
        bottom - 0.6 * (bottom - top),
    ]
    nothing = line_chart("c", dates[:1], [("rest", "R", [None])], title="t", description="d",
                         labels=("Snapshot", "%", ["a"]))  # fmt: skip
    assert nothing.empty and nothing.lines[0].segments == []


def test_a_long_name_puts_the_legend_on_a_second_row_and_the_plot_below_it():
    def chart(pilot: str):
        return line_chart(
            "c", [FIRST, LAST], [("pilot", pilot, [0.5, 1.0]), ("rest", "Other neighbourhoods", [1.0, 0.5])],
            title="t", description="d", labels=("Snapshot", "%", ["a", "b"]),
        )  # fmt: skip

    short, long = chart("Oost"), chart("Wijk " * 14)
    assert short.lines[1].legend.y == short.lines[0].legend.y
    first, second = (line.legend for line in long.lines)
    assert (second.x, second.y) == (first.x, first.y + 20)
    assert (long.height, long.top, long.bottom) == (short.height + 20, short.top + 20, short.bottom + 20)
    assert min(marker.y for line in long.lines for marker in line.markers) == long.top > second.y


def test_date_labels_that_would_overlap_are_left_out_but_every_snapshot_keeps_its_tick():
    dates = [date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15), date(2024, 7, 1)]
    written = ["1 January 2024", "8 January 2024", "15 January 2024", "1 July 2024"]
    chart = line_chart("c", dates, [("pilot", "P", [0.1] * 4)], title="t", description="d",
                       labels=("Snapshot", "%", written))  # fmt: skip
    assert len(chart.x_ticks) == 4
    assert [tick.label for tick in chart.x_labels] == ["1 January 2024", "1 July 2024"]


def test_the_interval_axis_holds_every_value_and_is_symmetric_around_zero():
    chart = interval_chart("d", [("A", "", -0.45, -0.9, 0.05)], title="t", description="d", x_label="x")
    assert [tick.label for tick in chart.ticks] == ["−100", "−50", "0", "+50", "+100"]
    (row,) = chart.rows
    assert chart.left <= row.low_x < row.estimate_x < chart.zero_x < row.high_x <= chart.right
    assert chart.zero_x == (chart.left + chart.right) / 2
    assert interval_chart("d", [("A", "", None, None, None)], title="t", description="d", x_label="x").empty


# --- the command -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "marker"), [("md", "# Evaluatie van de pilot in Oost"), ("html", "<!doctype html>")]
)
def test_the_command_writes_the_report_in_the_chosen_language(tmp_path, fmt, marker):
    with SqliteStore(tmp_path / "store.db") as store:
        for snapshot in _series():
            store.save(snapshot, {})
    out = tmp_path / "reports" / f"evaluation.{fmt}"
    run = run_cli(
        "--lang", "nl", "evaluate", "--store", "store.db", "--pilot", PILOT, "--role", "policy",
        "--format", fmt, "--out", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and str(out) in run.stderr
    written = out.read_text(encoding="utf-8")
    assert written.startswith(marker)
    assert (
        "Voor beleidsmedewerkers" in written and "1 januari 2024" in written and "Overige wijken" in written
    )
