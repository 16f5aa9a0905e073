"""The one language system: gettext catalogues for every text a user reads, Babel for numbers and dates.

Every user-facing text is written in English in the code, marked with :func:`N_` where it is
declared, and translated at the moment it is shown with :func:`translate`. The translations live
in gettext catalogues, ``graph/locales/<lang>/LC_MESSAGES/carecircle.po`` (extract new texts with
``pybabel extract``, configured in ``pyproject.toml``; see the README). Numbers, decimals, shares
and dates are formatted by Babel for the chosen language, so Dutch text reads ``9,8`` and
``12.345`` everywhere and English ``9.8`` and ``12,345``.
"""

import re
from datetime import date
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol
from babel.support import Translations

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "catalogue_path",
    "day",
    "decimal",
    "english",
    "number",
    "read_day",
    "separators",
    "share",
    "translate",
    "translate_plural",
]

#: the languages carecircle speaks; the first is the language of the code's texts
LANGUAGES = ("en", "nl")
#: the gettext domain: the catalogues are called carecircle.po
DOMAIN = "carecircle"
#: where the catalogues are
LOCALE_DIR = Path(__file__).with_name("locales")
#: the Babel locale that formats numbers and dates for each language
_LOCALES = {"en": "en_GB", "nl": "nl_NL"}


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is declared; it is translated where it is shown.

    Examples
    --------
    >>> N_("unknown role")
    'unknown role'
    """
    return message


def catalogue_path(lang: str) -> Path:
    """The gettext catalogue (.po) of ``lang``.

    Examples
    --------
    >>> catalogue_path("nl").relative_to(LOCALE_DIR).as_posix()
    'nl/LC_MESSAGES/carecircle.po'
    """
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalogue(lang: str):
    """The catalogue of ``lang`` as Babel reads it, once per process."""
    with catalogue_path(lang).open("rb") as po:
        return read_po(po, locale=_LOCALES[lang], domain=DOMAIN)


@cache
def _translations(lang: str) -> Translations:
    """The catalogue of ``lang``, compiled in memory once per process (no .mo file in the repository)."""
    catalogue = _catalogue(lang)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _language(lang: str) -> str:
    return lang if lang in _LOCALES else LANGUAGES[0]


def translate(message: str, lang: str = "en", /, **params: object) -> str:
    """``message`` in ``lang``, with ``params`` filled into its ``{name}`` fields.

    A language carecircle does not speak falls back to English; so does a message missing
    from the catalogue (the test of the catalogues makes sure none is).

    Examples
    --------
    >>> translate("{path}: no store here; run carecircle ingest first", "en", path="x.db")
    'x.db: no store here; run carecircle ingest first'
    >>> translate("{path}: no store here; run carecircle ingest first", "nl", path="x.db")
    'x.db: hier is geen opslag; voer eerst carecircle ingest uit'
    >>> translate("", "nl")
    ''
    """
    text = _translated(message, _language(lang))
    return text.format(**params) if params else text


#: distinct texts kept translated: every declared text in both languages, many times over
_KEPT = 8192


@lru_cache(maxsize=_KEPT)
def _translated(message: str, lang: str) -> str:
    """``message`` in ``lang``, looked up once (a gap list words the same few texts 700,000 times)."""
    # gettext answers the empty text with the catalogue's header: an empty text stays empty
    return _translations(lang).gettext(message) if message else message


def translate_plural(singular: str, plural: str, count: int, lang: str = "en", /, **params: object) -> str:
    """The singular or plural form of a message for ``count`` in ``lang``; ``{count}`` is grouped.

    Examples
    --------
    >>> translate_plural("{count} resident", "{count} residents", 12345, "en")
    '12,345 residents'
    """
    text = _translations(_language(lang)).ngettext(singular, plural, count)
    return text.format(count=number(count, lang), **params)


@lru_cache(maxsize=_KEPT)
def number(value: int, lang: str = "en") -> str:
    """A whole number with its thousands grouped: 12,345 in English, 12.345 in Dutch.

    Examples
    --------
    >>> number(1048576), number(1048576, "nl")
    ('1,048,576', '1.048.576')
    """
    return format_decimal(value, locale=_LOCALES[_language(lang)])


@lru_cache(maxsize=_KEPT)
def decimal(value: float, lang: str = "en", digits: int | None = 1) -> str:
    """A decimal number with ``digits`` digits after the separator: 9.8 in English, 9,8 in Dutch.

    With ``digits=None`` it has as many as it needs, at most three (30 s, 0,5 s).

    Examples
    --------
    >>> decimal(9.75, "en"), decimal(9.8, "nl"), decimal(1234.5, "nl", 2)
    ('9.8', '9,8', '1.234,50')
    >>> decimal(30.0, "nl", None), decimal(0.5, "nl", None)
    ('30', '0,5')
    """
    if digits is None:
        return format_decimal(value, locale=_LOCALES[_language(lang)])
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=_LOCALES[_language(lang)])


def share(fraction: float, lang: str = "en", digits: int = 0) -> str:
    """A fraction as a percentage: 0.254 is 25% (or 25.4% with one digit; 25,4% in Dutch).

    Examples
    --------
    >>> share(0.254), share(0.254, "nl", 1)
    ('25%', '25,4%')
    """
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(fraction, format=pattern, locale=_LOCALES[_language(lang)])


def day(value: date, lang: str = "en") -> str:
    """A date as people write it: 1 June 2024, 1 juni 2024.

    Examples
    --------
    >>> day(date(2024, 6, 1)), day(date(2024, 6, 1), "nl")
    ('1 June 2024', '1 juni 2024')
    """
    return format_date(value, format="long", locale=_LOCALES[_language(lang)])


def separators(lang: str = "en") -> str:
    """The decimal separator and the thousands separator of ``lang``, in that order (as plotly's
    ``separators`` and a data grid's number settings take them).

    Examples
    --------
    >>> separators("en"), separators("nl")
    ('.,', ',.')
    """
    locale = _LOCALES[_language(lang)]
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def english(text: str, lang: str) -> str | None:
    """The English text (the msgid) that reads ``text`` in ``lang``; None when no text of the
    catalogues does. It reads back what :func:`translate` wrote, for a text stored in the language
    of the moment it was written.

    Examples
    --------
    >>> english("het bestand is leeg", "nl"), english("the file is empty", "en"), english("x.db", "nl")
    ('the file is empty', 'the file is empty', None)
    """
    return _english(_language(lang)).get(text)


@cache
def _english(lang: str) -> dict[str, str]:
    """The (singular) texts of ``lang``'s catalogue -> their msgids."""
    texts = {}
    for message in _catalogue(lang):
        if message.id and isinstance(message.id, str):
            texts[message.string or message.id] = message.id
    return texts


def read_day(text: str, lang: str = "en") -> date | None:
    """The date that :func:`day` writes as ``text`` in ``lang``; None when ``text`` is no such date.

    Examples
    --------
    >>> read_day("31 May 2017"), read_day("1 juni 2024", "nl"), read_day("1 juni 2024"), read_day("2017")
    (datetime.date(2017, 5, 31), datetime.date(2024, 6, 1), None, None)
    """
    found = _WRITTEN_DAY.fullmatch(text)
    months = {
        name: month for month, name in get_month_names("wide", locale=_LOCALES[_language(lang)]).items()
    }
    if found is None or found["month"] not in months:
        return None
    try:
        return date(int(found["year"]), months[found["month"]], int(found["day"]))
    except ValueError:
        return None


#: a date as :func:`day` writes it in both languages: day, the month's name, year
_WRITTEN_DAY = re.compile(r"(?P<day>\d{1,2}) (?P<month>\w+) (?P<year>\d{4})")
