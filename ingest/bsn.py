"""BSNs where they do not belong: find a 9-digit number passing the 11-check in any text and mask it.

The ``bsn`` column is pseudonymised (:mod:`ingest.pseudonym`); this is the second line of
defence for every other place a BSN may turn up: a name, a relation, a dataset's name, a
column header, a message. A match is standalone (not part of a longer run of digits) and
written as ``123456782``, ``1234.56.782`` or ``123 456 782``.
"""

import re

__all__ = ["BSN_MASK", "elfproef", "lower_keeping_mask", "mask_bsns"]

#: what replaces a BSN found in text
BSN_MASK = "[BSN]"

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_CANDIDATE = re.compile(
    r"(?<![0-9])(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3} [0-9]{3} [0-9]{3})(?![0-9])"
)


def elfproef(number: str) -> bool:
    """Return whether ``number`` is 9 digits passing the Dutch BSN 11-check.

    Examples
    --------
    >>> elfproef("111222333"), elfproef("123456789"), elfproef("12345678")
    (True, False, False)
    """
    if len(number) != 9 or not (number.isascii() and number.isdigit()):
        return False
    return sum(int(digit) * weight for digit, weight in zip(number, _WEIGHTS, strict=True)) % 11 == 0


def mask_bsns(text: str) -> tuple[str, bool]:
    """Return ``text`` with every BSN in it replaced by :data:`BSN_MASK`, and whether there was one.

    Examples
    --------
    >>> mask_bsns("Jan (bsn 1112.22.333), tel. 0612345678, nr 123456789")
    ('Jan (bsn [BSN]), tel. 0612345678, nr 123456789', True)
    >>> mask_bsns("111 222 333 and 1112223334")
    ('[BSN] and 1112223334', True)
    >>> mask_bsns("Stedenwijk")
    ('Stedenwijk', False)
    """
    if _CANDIDATE.search(text) is None:
        return text, False
    found = False

    def masked(match: re.Match) -> str:
        nonlocal found
        if elfproef(match.group().replace(".", "").replace(" ", "")):
            found = True
            return BSN_MASK
        return match.group()

    return _CANDIDATE.sub(masked, text), found


def lower_keeping_mask(text: str) -> str:
    """Lower-case ``text`` (a code kept as written) without turning :data:`BSN_MASK` into lower case.

    Examples
    --------
    >>> lower_keeping_mask("Buurman [BSN]")
    'buurman [BSN]'
    """
    return text.lower().replace(BSN_MASK.lower(), BSN_MASK)
