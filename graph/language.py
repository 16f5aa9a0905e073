"""The one language system: gettext catalogues for every text a user reads, Babel for numbers and dates.

Every user-facing text is written in English in the code, marked with :func:`N_` where it is
declared, and translated at the moment it is shown with :func:`translate`. The translations live
in gettext catalogues, ``graph/locales/<lang>/LC_MESSAGES/carecircle.po`` (extract new texts with
``pybabel extract``, configured in ``pyproject.toml``; see the README). Numbers, decimals, shares
and dates are formatted by Babel for the chosen language, so Dutch text reads ``9,8`` and
``12.345`` everywhere and English ``9.8`` and ``12,345``.
"""

from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "catalogue_path",
    "day",
    "decimal",
    "number",
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
def _translations(lang: str) -> Translations:
    """The catalogue of ``lang``, compiled in memory once per process (no .mo file in the repository)."""
    with catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=_LOCALES[lang], domain=DOMAIN)
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
    # gettext answers the empty text with the catalogue's header: an empty text stays empty
    text = _translations(_language(lang)).gettext(message) if message else message
    return text.format(**params) if params else text


def translate_plural(singular: str, plural: str, count: int, lang: str = "en", /, **params: object) -> str:
    """The singular or plural form of a message for ``count`` in ``lang``; ``{count}`` is grouped.

    Examples
    --------
    >>> translate_plural("{count} resident", "{count} residents", 12345, "en")
    '12,345 residents'
    """
    text = _translations(_language(lang)).ngettext(singular, plural, count)
    return text.format(count=number(count, lang), **params)


def number(value: int, lang: str = "en") -> str:
    """A whole number with its thousands grouped: 12,345 in English, 12.345 in Dutch.

    Examples
    --------
    >>> number(1048576), number(1048576, "nl")
    ('1,048,576', '1.048.576')
    """
    return format_decimal(value, locale=_LOCALES[_language(lang)])


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
