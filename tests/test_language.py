"""One language system: every text a user reads is in both catalogues, and Dutch is Dutch all through.

The texts are found the way ``make translations`` finds them, by Babel's extraction with the
mapping in pyproject.toml, and also by walking every table that maps a code to a text. The
oracle for "an English fragment in a Dutch message" is a list of English words that are not
Dutch words, kept here, independent of the code it checks.
"""

import errno
import json
import re
import shutil
import string
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po

from carecircle import texts
from graph import labels
from graph.analysis import formats, messages, organisations
from graph.errors import STORE_MESSAGES, CarecircleError, StoreError
from graph.language import LANGUAGES, catalogue_path, decimal, number, share
from ingest import catalogue
from tests.datasets import BASE, ingest, run_cli, write_dataset

ROOT = Path(__file__).resolve().parents[1]
#: the packages whose texts users read (what ``make translations`` extracts)
PACKAGES = ("carecircle", "graph", "ingest", "dashboards")

# English words that are not Dutch words. Left out on purpose, because they are Dutch too:
# is, of, in, over, was, at, as, me, we, he, here, die, door, last, week, contact, helper(s), test.
_ENGLISH_WORDS = """
a an the and or but if so than then to from into onto between with without by for on under
above below about after before again still only also each every any all both other others
same more most less not no yes must should can cannot could would will may might do does did
are be been being has have had were it its this that these those which who whom whose what
when where why how there their they them found expected missing unknown empty rejected kept
dropped written read write file files row rows column columns line lines sheet workbook store
snapshot resident residents caregiver caregivers nobody knows agreed day days hours care
support need needs task tasks overview please error warning warnings date today number value
name one two
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())


def english_words(text: str) -> list[str]:
    """The English words in ``text``, leaving out what is not a word of a language: ``{fields}``,
    options (``--store``), names of codes, columns, files and variables (``as_of``, ``x.db``,
    ``NEO4J_PASSWORD``), and words in capitals (CSV, BSN)."""
    words = []
    for token in re.sub(r"\{[^{}]*\}", " ", text).split():
        if token.startswith("-") or re.search(r"[_/.=@\\:\d]", token.strip(".,;:")):
            continue
        for part in token.split("-"):
            word = part.strip("()[]'\"‘’“”,;:!?…")
            if word and not word.isupper() and word.lower() in ENGLISH:
                words.append(word)
    return words


# --- the catalogues and the texts of the code -------------------------------------------------------


def _babel_mapping() -> tuple[list, dict]:
    """The extraction mapping of pyproject.toml's [tool.babel], as Babel's extract_from_dir takes it."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        mappings = tomllib.load(handle)["tool"]["babel"]["mappings"]
    method_map = [(entry["pattern"], entry["method"]) for entry in mappings]
    options_map = {
        entry["pattern"]: {"keywords": parse_keywords(entry.get("keywords", []))} for entry in mappings
    }
    return method_map, options_map


def _extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every text the code marks: msgid (a pair for a plural) -> where."""
    method_map, options_map = _babel_mapping()
    found: dict = {}
    for package in PACKAGES:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map, options_map
        ):
            found.setdefault(message, []).append(f"{package}/{filename}:{line}")
    return found


EXTRACTED = _extracted()
MSGIDS = {message if isinstance(message, str) else message[0] for message in EXTRACTED}


def _catalogue(lang: str):
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


CATALOGUES = {lang: _catalogue(lang) for lang in LANGUAGES}


def _entries(lang: str) -> dict:
    """msgid (the singular of a plural) -> the catalogue's message."""
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in CATALOGUES[lang] if m.id}


def _code_tables() -> dict[str, dict]:
    """Every table of the code that maps a code to a text."""
    return {
        "ingest.catalogue.CATALOGUE": catalogue.CATALOGUE,
        "ingest.catalogue.TITLES": catalogue.TITLES,
        "ingest.catalogue.PHRASES": catalogue.PHRASES,
        "graph.errors.STORE_MESSAGES": STORE_MESSAGES,
        "carecircle.texts.TEXTS": texts.TEXTS,
        "carecircle.texts.OS_REASONS": texts.OS_REASONS,
        **{f"graph.labels.{name}": getattr(labels, name) for name in labels.__all__ if name != "label"},
        "graph.analysis.messages._TEXTS": messages._TEXTS,
        "graph.analysis.organisations.GROUP_NAMES": organisations.GROUP_NAMES,
        "graph.analysis.messages._REASONS": messages._REASONS,
        "graph.analysis.formats._AREA_COLUMNS": formats._AREA_COLUMNS,
        "graph.analysis.formats._RESIDENT_TABLE": formats._RESIDENT_TABLE,
        **_dashboard_tables(),
    }


def _dashboard_tables() -> dict[str, dict]:
    """The dashboard's tables of texts, each as code -> text."""
    from dashboards import app, budget
    from dashboards.components import shell, widgets
    from dashboards.pages import collaboration, data_quality, overview, resident, trends

    return {
        "dashboards.components.shell.NAVIGATION": {path: text for path, _, text, _ in shell.NAVIGATION},
        "dashboards.components.shell.ROLE_NAMES": shell.ROLE_NAMES,
        "dashboards.components.widgets._GRID_TEXTS": widgets._GRID_TEXTS,
        "dashboards.app.LOGIN_NOTICES": app.LOGIN_NOTICES,
        "dashboards.app.PAGE_TEXTS": app.PAGE_TEXTS,
        "dashboards.app.HOST_REFUSED": {"": app.HOST_REFUSED},
        "dashboards.budget.NOT_MEGABYTES": {"": budget.NOT_MEGABYTES},
        "dashboards.pages.overview.HELPER_KINDS": dict(overview.HELPER_KINDS),
        "dashboards.pages.collaboration.KIND_COLUMNS": dict(collaboration.KIND_COLUMNS),
        "dashboards.pages.collaboration.TEAM_BROKER_COLUMNS": dict(
            enumerate(collaboration.TEAM_BROKER_COLUMNS)
        ),
        "dashboards.pages.resident.SUPPORT_COLUMNS": dict(enumerate(resident.SUPPORT_COLUMNS)),
        "dashboards.pages.trends.MISSING": trends.MISSING,
        "dashboards.pages.trends.NOTHING_TO_DRAW": trends.NOTHING_TO_DRAW,
        "dashboards.pages.trends.PAIR_LISTS": trends.PAIR_LISTS,
        "dashboards.pages.data_quality.PROBLEM_KINDS": dict(data_quality.PROBLEM_KINDS),
        "dashboards.pages.data_quality.FILE_COLUMNS": dict(enumerate(data_quality.FILE_COLUMNS)),
        "dashboards.pages.data_quality.COUNT_COLUMNS": dict(enumerate(data_quality.COUNT_COLUMNS)),
    }


def _table_texts() -> list[tuple[str, str]]:
    pairs = []
    for name, table in _code_tables().items():
        for code, value in table.items():
            for text in value if isinstance(value, tuple) else (value,):
                pairs.append((f"{name}[{code!r}]", text))
    return pairs


def _fields(text: str) -> list[tuple]:
    """The ``{name!conversion:spec}`` fields of a python-brace-format text."""
    return sorted(
        (name, conversion, spec)
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def test_the_extraction_finds_the_texts_of_every_mechanism():
    """A guard on the walk itself: texts from each former mechanism are among those extracted."""
    assert "{path}: no store here; run carecircle ingest first" in MSGIDS  # store errors
    assert catalogue.CATALOGUE["same_person"] in MSGIDS  # ingest problems
    assert labels.ROLES["gp"] in MSGIDS  # labels
    assert texts.TEXTS["stored"] in MSGIDS  # the command
    assert ("{count} warning:", "{count} warnings:") in EXTRACTED  # a plural, at its call
    assert len(MSGIDS) > 250


def test_the_extraction_finds_the_dashboards_texts():
    """The dashboard's texts are at their calls too: a page title, a plural, a tab title."""
    assert {"Circle of support", "carecircle – residents", "Know each other: {share}"} <= MSGIDS
    assert ("{count} gap", "{count} gaps") in EXTRACTED
    assert any(where.startswith("dashboards/") for where in EXTRACTED["Residents"])


#: a text written at a call inside an f-string's braces
HIDDEN_TEXT = re.compile(r"""\bf["'][^"']*\{[^}]*\b(?:translate|translate_plural|N_)\(\s*["']""")


def test_the_hidden_text_finder_finds_a_text_in_an_f_string():
    assert HIDDEN_TEXT.search("""    x = f"{translate('Know each other', lang)}: {share}\"""")
    assert not HIDDEN_TEXT.search("""    x = f"{translate(text, lang)} ({count})\"""")
    assert not HIDDEN_TEXT.search("""    x = translate("Know each other", lang)""")


def test_no_text_hides_where_the_extraction_cannot_see_it():
    """Babel does not look inside an f-string (Python 3.11): a translate() or N_() there would
    never reach the catalogues."""
    hidden = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HIDDEN_TEXT.search(line):
                    hidden.append(f"{path.relative_to(ROOT)}:{line_number}")
    assert hidden == []


def test_the_dashboards_errors_read_as_dutch(tmp_path):
    from dashboards.accounts import AccessError, add_account, load_accounts
    from dashboards.hosts import host_names

    users_file = tmp_path / "users.toml"
    users_file.write_text('[users]\nanna = "team"\n', encoding="utf-8")
    errors = []
    for attempt in (
        lambda: load_accounts(users_file),
        lambda: load_accounts(None, {"CARECIRCLE_USER_ANNA": "boss:$argon2id$x"}),
        lambda: load_accounts(None, {"CARECIRCLE_USER_ANNA": "team:plain"}),
        lambda: add_account(tmp_path / "new.toml", "Anna!", "team", "secret"),
        lambda: add_account(tmp_path / "new.toml", "anna", "boss", "secret"),
        lambda: host_names(["bad host"], "CARECIRCLE_ALLOWED_HOSTS"),
    ):
        with pytest.raises(AccessError) as caught:
            attempt()
        errors.append(caught.value)
    for error in errors:
        dutch = error.message("nl")
        assert dutch != str(error) and "{" not in dutch
        assert english_words(dutch) == [], dutch


def test_every_table_of_texts_holds_only_marked_texts():
    unmarked = [(where, text) for where, text in _table_texts() if text not in MSGIDS]
    assert unmarked == []


def test_every_text_is_in_both_catalogues_dutch_translated_and_english_as_written():
    for lang in LANGUAGES:
        entries = _entries(lang)
        missing = sorted(MSGIDS - set(entries))
        assert missing == [], f"not in {lang}.po: {missing}"
        for message in EXTRACTED:
            entry = entries[message if isinstance(message, str) else message[0]]
            assert entry.pluralizable == (not isinstance(message, str)), entry.id
    for msgid, entry in _entries("nl").items():
        forms = entry.string if entry.pluralizable else (entry.string,)
        assert all(form.strip() for form in forms), f"no Dutch for {msgid!r}"
    for msgid, entry in _entries("en").items():
        forms = entry.string if entry.pluralizable else (entry.string,)
        assert not any(forms), f"en.po should leave {msgid!r} as the code writes it"


def test_the_catalogues_hold_no_fuzzy_obsolete_or_unused_entry():
    for lang in LANGUAGES:
        catalog = CATALOGUES[lang]
        assert [m.id for m in catalog if m.id and m.fuzzy] == []
        assert list(catalog.obsolete) == []
        assert sorted(set(_entries(lang)) - MSGIDS) == [], f"{lang}.po has texts the code no longer uses"


def _written_msgids(lang: str) -> list[str]:
    """The msgids as written in the catalogue's file (reading it with Babel would fold doubles)."""
    msgids = []
    for entry in re.split(r"\n\s*\n", catalogue_path(lang).read_text(encoding="utf-8")):
        parts: list[str] = []
        for line in entry.splitlines():
            if line.startswith("msgid "):
                parts = [line.removeprefix("msgid ")]
            elif parts and line.startswith('"'):
                parts.append(line)
            elif parts:
                break
        if parts:
            msgids.append("".join(json.loads(part) for part in parts))
    return msgids


def test_no_text_is_in_a_catalogue_twice():
    """Branches append their texts at the end of the catalogues (git's union merge): a text that
    two of them added would be there twice."""
    for lang in LANGUAGES:
        written = _written_msgids(lang)
        assert len(written) == len(_entries(lang)) + 1  # and the header
        assert sorted(m for m, n in Counter(written).items() if n > 1) == []


def test_each_dutch_text_has_the_fields_of_its_english():
    for entry in _entries("nl").values():
        pairs = zip(entry.id, entry.string, strict=True) if entry.pluralizable else [(entry.id, entry.string)]
        for english, dutch in pairs:
            assert _fields(dutch) == _fields(english), f"{english!r} -> {dutch!r}"


def test_no_dutch_text_holds_an_english_word():
    found = {}
    for entry in _entries("nl").values():
        for form in entry.string if entry.pluralizable else (entry.string,):
            if english_words(form):
                found[form] = english_words(form)
    assert found == {}


# --- the oracle ------------------------------------------------------------------------------------

REAL_DUTCH = [
    "carecircle laat wijkteams en beleidsmedewerkers zien wie wie ondersteunt rond thuiswonende "
    "bewoners, wie van wie weet, en waar de afstemming tussen hulpverleners tekortschiet.",
    "Meldingen van de opdrachtregel zijn er in het Nederlands met --lang nl (of CARECIRCLE_LANG=nl).",
    "Het bestand is leeg of niet te lezen; de map was er niet meer.",
    "De mantelzorger heeft last van de week waarin het contact over de post uitbleef.",
    "Hij at een boterham, zij las de krant, en we spraken over de as van de fiets.",
    "Weten de helpers van mevrouw Piqué (84) van elkaars betrokkenheid, en stemmen ze af?",
    "Hier is de test: die door me en hem is gedaan, wet en recht, een kind met een warme hand.",
    "Huishoudelijke hulp neemt één lichte taak over, bijvoorbeeld de post sorteren.",
]


def test_the_english_word_finder_has_no_false_hits_on_real_dutch():
    assert [english_words(text) for text in REAL_DUTCH] == [[] for _ in REAL_DUTCH]


def test_the_english_word_finder_finds_the_fragments_the_issue_shows():
    assert english_words("birth_year moet from 1880 to 2100 zijn, gevonden '1700'") == ["from", "to"]
    assert english_words("bewoner 'R3' has the same bsn as bewoner 'R1'") == ["has", "the", "same"]
    # and every English ingest message is recognised as English
    assert [t for t in catalogue.CATALOGUE.values() if not english_words(t)] == []


# --- messages rendered with their parameters -----------------------------------------------------------

#: example values of the parameters that are words (see ingest.catalogue._EXPECTED_WORDS)
EXPECTED_WORDS = {
    "out_of_range": ("from 1880 to 2100", "a number of days above 0"),
    "invalid_decimal": ("decimal mark ',' or '.'", "decimal mark '.'"),
    "delegator_not_formal": ("informal", "caregiver"),
}


def _phrases(lang: str) -> list[str]:
    example = {"byte": 0xE9, "offset": 12, "reason": "x", "line": 3, "limit": "1.000", "cell": "naam"}
    example |= {"size": "2.048", "part": "xl/sheet1.xml", "ratio": "100", "kind": "BadZipFile"}
    example |= {"column": 4, "expected": "ego, helpers", "keys": "role, role_for_all", "other": "Nurse"}
    return [catalogue.phrase(key, lang, **example) for key in catalogue.PHRASES]


@pytest.mark.parametrize("code", sorted(catalogue.CATALOGUE))
def test_every_ingest_problem_reads_as_dutch_with_its_parameters(code):
    expected_values = EXPECTED_WORDS.get(code, ("helpers.csv:3",))
    found_values = ["3", *_phrases("nl")]
    for expected in expected_values:
        for found in found_values:
            problem = catalogue.render(
                code,
                file="helpers.csv",
                line=3,
                column="role",
                value="kapper",
                expected=expected,
                found=found,
                lang="nl",
            )
            assert "{" not in problem.message
            assert english_words(problem.message) == [], problem.message
    assert english_words(catalogue.title(code, "nl")) == []
    assert catalogue.title(code, "nl") != code


def test_the_words_of_a_message_come_in_its_language():
    def message(code, expected, lang):
        return catalogue.render(
            code, file="f.csv", line=2, column="c", value="v", expected=expected, lang=lang
        )

    assert "een jaar van 1880 tot en met 2100" in message("out_of_range", "from 1880 to 2100", "nl").message
    assert "(decimaalteken '.')" in message("invalid_decimal", "decimal mark '.'", "nl").message
    assert "(mantelzorger)" in message("delegator_not_formal", "caregiver", "nl").message
    assert "(informal caregiver)" in message("delegator_not_formal", "caregiver", "en").message
    assert catalogue.title("same_person", "nl") == "Dezelfde persoon onder twee nummers"


def _bad_rows() -> dict[str, str]:
    """BASE with rows that break every row rule whose message takes words or dates as parameters."""
    return {
        "residents.csv": BASE["residents.csv"]
        + "R3,Filmwijk,,,1700,,\nR4,Filmwijk,,123456789,19x0,,\nR5,Filmwijk,,,,misschien,\n",
        "helpers.csv": BASE["helpers.csv"] + "H5,kapper,,,\nH6,volunteer,,ORG9,\n",
        "support.csv": BASE["support.csv"]
        + "H1,R2,nursing,veel,,,,\n"
        + "H2,R2,household,-1.5,,,,\n"
        + "H1,R2,meals,1,2017-06-01,2017-05-31,,\n"
        + "H2,R2,chores,1,31-02-2017,,,\n"
        + "H2,R2,meals,1,,,,H4\n"
        + "H9,R2,meals,1,,,,\n"
        + "H4,R1,chores,1,,,subsidie,\n",
        "awareness.csv": BASE["awareness.csv"]
        + "H1,H3,R1,misschien,,,\n"
        + "H2,H3,R1,aware,,0,\n"
        + "H4,H4,R2,aware,,,\n",
    }


def test_a_dutch_ingest_of_bad_rows_reads_as_dutch_all_through(tmp_path):
    result = ingest(write_dataset(tmp_path / "bad", _bad_rows()), lang="nl")
    problems = result.report.rejected + result.report.warnings
    codes = {p.code for p in problems}
    assert {
        "out_of_range", "invalid_integer", "invalid_boolean", "invalid_bsn", "unknown_role",
        "unknown_reference", "invalid_decimal", "negative_hours", "end_before_start", "invalid_date",
        "delegator_not_formal", "unknown_level", "self_awareness", "unknown_code",
    } <= codes  # fmt: skip
    assert {p.message: english_words(p.message) for p in problems if english_words(p.message)} == {}
    text = "\n".join(p.message for p in problems)
    assert "birth_year moet een jaar van 1880 tot en met 2100 zijn, gevonden '1700'" in text
    assert "contact_every_days moet een aantal dagen boven 0 zijn" in text
    assert "(decimaalteken '.')" in text
    assert "einddatum 31 mei 2017 ligt voor startdatum 1 juni 2017" in text
    assert "uren_per_week mag niet negatief zijn, gevonden '-1,5'" in text
    assert "is geen formele hulpverlener (informeel)" in text


def test_a_decimal_comma_file_names_both_marks_in_dutch(tmp_path):
    support = BASE["support.csv"].replace(",", ";") + "H1;R2;nursing;veel;;;;\n"
    result = ingest(write_dataset(tmp_path / "semicolons", {"support.csv": support}), lang="nl")
    [problem] = [p for p in result.report.rejected if p.code == "invalid_decimal"]
    assert problem.message == "hours_per_week moet een getal zijn (decimaalteken ',' of '.'), gevonden 'veel'"


@pytest.mark.parametrize(
    ("support", "expected"),
    [
        (
            "helper,resident\nH1,R1\n",
            "verplichte kolom helper_id ontbreekt; gevonden kolommen: helper, resident",
        ),
        (
            "helper_id,hulpverlener_id,resident_id,domains\nH1,H1,R1,nursing\n",
            "kolom helper_id komt meer dan eens voor (als helper_id, hulpverlener_id)",
        ),
    ],
    ids=["missing column", "column twice"],
)
def test_header_problems_come_in_the_language_asked_for(tmp_path, support, expected):
    with pytest.raises(catalogue.FileLevelError) as error:
        ingest(write_dataset(tmp_path / "header", {"support.csv": support}), lang="nl")
    assert error.value.problem.message == expected


STORE_EXAMPLES = {
    "path": "carecircle.db",
    "detail": "SQLITE_CORRUPT",
    "seconds": 0.5,
    "found": 3,
    "expected": 2,
    "as_of": "2017-06-01",
    "stored": "2017-05-01, 2017-07-01",
    "user": "neo4j",
    "database": "wijken",
    "version": "2017-06-01/ab12",
}


@pytest.mark.parametrize("code", sorted(STORE_MESSAGES))
def test_every_store_message_reads_as_dutch(code):
    error = StoreError(code=code, **STORE_EXAMPLES)
    dutch = error.message("nl")
    assert english_words(dutch) == [], dutch
    assert dutch != str(error) and "{" not in dutch


def test_a_store_message_writes_its_seconds_the_language_way():
    error = StoreError(code="locked", path="x.db", seconds=0.5)
    assert "for 0.5 s;" in str(error) and "al 0,5 s in" in error.message("nl")
    assert "for 30 s;" in str(StoreError(code="locked", path="x.db", seconds=30.0))


@pytest.mark.parametrize("key", sorted(texts.TEXTS))
def test_every_command_text_reads_as_dutch(key):
    fields = {name for name, *_ in _fields(texts.TEXTS[key])}
    example = {name: 12345 if name in ("count", "read", "accepted", "rejected") else "x" for name in fields}
    dutch = texts.text(key, "nl", **example)
    assert english_words(dutch) == [], dutch
    assert "{" not in dutch


def test_every_reason_and_error_of_the_command_reads_as_dutch():
    for code in texts.OS_REASONS:
        assert english_words(texts.reason(OSError(code, "x"), "nl")) == []
    assert texts.reason(OSError(errno.ENOSPC, "No space left on device"), "nl") == "de schijf is vol"
    key_file = CarecircleError("the key file {path} is empty", path="secret.key")
    assert key_file.message("nl") == "het sleutelbestand secret.key is leeg"
    assert str(key_file) == "the key file secret.key is empty"


GAP_DETAILS = {
    "unaware_pair": [{}],
    "one_sided_awareness": [{}],
    "caregiver_unseen": [{}],
    "no_overview": [{"n": 3}, {"n": 12}],
    "uncoordinated_overlap": [{"domains": ("household", "meals")}],
    "unmet_need": [{"domains": ("administration",)}],
    "stale_contact": [{"k": 1, "days_since": None}, {"k": 14, "days_since": 1}, {"k": 14, "days_since": 40}],
    "delegation_without_contact": [{"reason": reason} for reason in messages._REASONS],
    "caregiver_overload": [{"hours": 9.8}],
}


@pytest.mark.parametrize("gap_type", sorted(GAP_DETAILS))
def test_every_gap_message_and_action_reads_as_dutch(gap_type):
    helpers = [("informal_caregiver", "H3"), ("district_nurse", "H1")]
    for details in GAP_DETAILS[gap_type]:
        for text in messages.gap_text(gap_type, "nl", helpers, tuple(details.items())):
            assert english_words(text) == [], text
            assert "{" not in text and text[0].isupper()


def test_a_gap_is_worded_alike_whatever_its_helpers_and_codes_hold():
    """Gaps alike but for their helpers share one wording; a name or code is shown exactly as written."""
    odd = [("volunteer", "{0} \0 x\1"), ("gp", "}{1}\1")]
    message, action = messages.gap_text("uncoordinated_overlap", "en", odd, [("domains", ("tuin\0{a}",))])
    helpers = "the volunteer ({0} \0 x\1) and the GP practice (}{1}\1)"
    assert message == f"The{helpers[3:]} both work on tuin\0{{a}} without coordinating"
    assert action == f"Let {helpers} divide the tasks"
    named = [("volunteer", "h9"), ("gp", "h2")]
    first = messages.gap_text("unaware_pair", "en", named)[0]
    second = messages.gap_text("unaware_pair", "en", [("volunteer", "h7"), ("gp", "h2")])[0]
    assert (first, second) == (
        "The volunteer (h9) and the GP practice (h2) do not know of each other's involvement",
        "The volunteer (h7) and the GP practice (h2) do not know of each other's involvement",
    )
    assert messages.gap_text("caregiver_unseen", "en", [("informal_caregiver", "ab")])[0] == (
        "No professional knows of the informal caregiver (ab)"
    )


def test_a_count_of_one_reads_in_the_singular():
    stale = messages.gap_text(
        "stale_contact", "en", [("volunteer", "H3"), ("gp", "H1")], [("k", 1), ("days_since", None)]
    )
    assert "agreed contact every 1 day; no contact recorded" in stale[0]
    dutch = messages.gap_text(
        "stale_contact", "nl", [("volunteer", "H3"), ("gp", "H1")], [("k", 14), ("days_since", 40)]
    )
    assert "hadden elke 14 dagen contact afgesproken; laatste contact 40 dagen geleden" in dutch[0]


def test_every_label_reads_as_dutch():
    for name in labels.__all__:
        if name == "label":
            continue
        table = getattr(labels, name)
        for code in table:
            dutch = labels.label(table, code, "nl")
            assert english_words(dutch) == [] and dutch, (name, code)


def test_the_labels_name_every_code_of_the_vocabulary():
    try:
        from graph import vocabulary
    except ImportError:  # before the vocabulary moved from ingest/ to graph/
        from ingest import vocabulary

    assert set(labels.ROLES) == set(vocabulary.ROLES.codes)
    assert set(labels.DOMAINS) == set(vocabulary.DOMAINS.codes)
    assert set(labels.LEVELS) == set(vocabulary.LEVELS.codes)
    assert set(labels.KINDS) == set(vocabulary.KINDS)


# --- numbers -----------------------------------------------------------------------------------------


def test_numbers_decimals_and_shares_follow_the_language():
    assert (number(12345, "nl"), number(12345, "en")) == ("12.345", "12,345")
    assert (decimal(9.8, "nl"), decimal(9.8, "en")) == ("9,8", "9.8")
    assert (share(0.254, "nl", 1), share(0.254, "en", 1)) == ("25,4%", "25.4%")


def test_a_dutch_summary_writes_12_345_and_9_8_the_dutch_way(capsys):
    from carecircle.cli import _print_summary

    problem = {"file": "support.csv", "line": 2, "column": "helper_id", "code": "unknown_reference"}
    report = {
        "dataset": "Groot",
        "as_of": "2017-06-01",
        "files": {"support.csv": {"read": 123456, "accepted": 111111, "rejected": 12345}},
        "rejected": [{**problem, "message": "m"}],
        "warnings": [],
        "problem_counts": {"rejected": {"support.csv": {"unknown_reference": 12345}}},
        "ignored_columns": {},
        "written": True,
    }
    _print_summary(report, Path("report.json"), "store.db", "nl")
    dutch = capsys.readouterr().out
    _print_summary(report, Path("report.json"), "store.db", "en")
    english = capsys.readouterr().out
    assert "123.456 gelezen" in dutch and "\n12.345 afgewezen:\n" in dutch and "nog 12.344" in dutch
    assert "123,456 read" in english and "\n12,345 rejected:\n" in english and "12,344 more" in english
    overload = [("informal_caregiver", "H3")]
    assert "9,8 uur zorg" in messages.gap_text("caregiver_overload", "nl", overload, [("hours", 9.8)])[0]
    assert "9.8 hours of care" in messages.gap_text("caregiver_overload", "en", overload, [("hours", 9.8)])[0]


def _table(lang: str) -> str:
    from rich.console import Console

    area = {
        "residents": 12345,
        "residents_with_circle": 9876,
        "mean_awareness_coverage": 0.98,
        "caregiver_visibility": None,
        "residents_with_gaps": "<5",
        "gaps_by_type": {"unaware_pair": 12345, "caregiver_overload": 3},
    }
    result = {
        "as_of": "2017-06-01",
        "role": "team",
        "neighbourhoods": [{"neighbourhood": "Stedenwijk", **area}],
        "overall": area,
        "helper_network": {"helpers": 4321, "density": 0.125, "components": 3, "isolated_count": 2},
        "residents": [{"resident_id": "R1", "neighbourhood": "Stedenwijk", "circle_size": 4,
                       "awareness_coverage": 0.5, "gap_count": 3}],
        "gaps": [],
    }  # fmt: skip
    out = StringIO()
    formats.write_table(result, Console(file=out, width=160), lang)
    return out.getvalue()


def test_the_analysis_table_writes_numbers_and_words_in_its_language():
    dutch, english = _table("nl"), _table("en")
    assert "12.345" in dutch and "0,980" in dutch and "dichtheid 0,125" in dutch
    assert not re.search(
        r"\d\.\d{3}\b(?!\.)", dutch.replace("12.345", "").replace("9.876", "").replace("4.321", "")
    )
    assert "12,345" in english and "0.980" in english and "density 0.125" in english
    assert english_words(dutch) == []
    assert "Knelpunten per soort" in dutch and "Weten niet van elkaar" in dutch


# --- end to end ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_command_reads_as_dutch_all_through(tmp_path):
    folder = write_dataset(tmp_path / "bad", _bad_rows())
    ingested = run_cli("--lang", "nl", "ingest", str(folder), "--store", "store.db", cwd=tmp_path)
    analysed = run_cli("--lang", "nl", "analyze", "--store", "store.db", "--format", "table", cwd=tmp_path)
    missing = run_cli("--lang", "nl", "analyze", "--store", "nowhere.db", cwd=tmp_path)
    assert [ingested.returncode, analysed.returncode, missing.returncode] == [0, 0, 2], ingested.stderr
    for output in (ingested, analysed, missing):
        printed = output.stdout + output.stderr
        assert {line: english_words(line) for line in printed.splitlines() if english_words(line)} == {}
    assert "afgewezen:" in ingested.stdout and "waarschuwing" in ingested.stdout
    assert missing.stderr.startswith("fout: nowhere.db: hier is geen opslag")


@pytest.mark.slow
def test_make_translations_finds_the_catalogues_complete_and_leaves_nothing_behind(tmp_path):
    copy = tmp_path / "repository"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    before = {path.relative_to(copy) for path in copy.rglob("*")}
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    bin_folder = Path(sys.executable).parent
    done = subprocess.run(
        ["make", "--no-print-directory", "translations", f"BIN={bin_folder}", "APP="],
        cwd=copy,
        env={"PATH": f"{bin_folder}:/usr/bin:/bin", "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert {path.relative_to(copy) for path in copy.rglob("*")} == before
    assert list(scratch.iterdir()) == []  # the template's folder is gone
    for lang in LANGUAGES:
        with (copy / catalogue_path(lang).relative_to(ROOT)).open("rb") as handle:
            updated = read_po(handle, locale=lang)
        assert {m.id: m.string for m in updated if m.id} == {m.id: m.string for m in CATALOGUES[lang] if m.id}
        assert [m.id for m in updated if m.id and m.fuzzy] == [] and not updated.obsolete


def test_a_date_is_written_the_language_way():
    problem = catalogue.render(
        "end_before_start",
        file="s.csv",
        line=2,
        value=date(2017, 5, 31),
        expected=date(2017, 6, 1),
        lang="en",
    )
    assert problem.message == "end_date 31 May 2017 is before start_date 1 June 2017"
