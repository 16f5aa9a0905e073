"""The dashboard's language: which one a session chose, and how a published figure reads in it.

Every text of the dashboard is written in English where it is used, marked with
:func:`~graph.language.N_` or passed to :func:`~graph.language.translate`; the Dutch is in the
catalogues of :mod:`graph.language`. This module holds what only the dashboard needs: the
language a session chose (a cookie, Dutch by default), the title of a browser tab in it, and
figures that the policy role's publication may have left out (``None``) or cut (``"<5"``).
"""

from collections.abc import Callable

from graph.language import number, share, translate

__all__ = [
    "COOKIE",
    "DEFAULT",
    "LANGUAGES",
    "NOT_SHOWN",
    "count_text",
    "current_language",
    "share_text",
    "tab_title",
]

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "carecircle_lang"
#: what a figure that is not shown reads as
NOT_SHOWN = "–"


def current_language() -> str:
    """The language of the current request: the language cookie, else Dutch."""
    from flask import has_request_context, request

    if not has_request_context():
        return DEFAULT
    value = request.cookies.get(COOKIE, DEFAULT)
    return value if value in LANGUAGES else DEFAULT


def tab_title(text: str) -> Callable[..., str]:
    """A page's browser-tab title for Dash's page registry: ``text`` in the session's language,
    translated each time a page is shown.

    Examples
    --------
    >>> tab_title("carecircle – residents")(resident_id="R1")
    'carecircle – bewoners'
    """

    def title(**_path: object) -> str:
        return translate(text, current_language())

    return title


def count_text(value: object, lang: str = DEFAULT) -> str:
    """A count for people: thousands grouped the language's way; a cut count (``"<5"``) as it is,
    one not shown (None) as a dash.

    Examples
    --------
    >>> count_text(12345, "nl"), count_text(12345, "en"), count_text("<5"), count_text(None)
    ('12.345', '12,345', '<5', '–')
    """
    if value is None:
        return NOT_SHOWN
    if isinstance(value, str):
        return value
    return number(value, lang)


def share_text(value: float | None, lang: str = DEFAULT) -> str:
    """A share between 0 and 1 as a whole percentage the language's way; None (not known or not
    shown) as a dash.

    Examples
    --------
    >>> share_text(0.5634), share_text(None), share_text(0.5, "en")
    ('56%', '–', '50%')
    """
    if value is None:
        return NOT_SHOWN
    return share(value, lang)
