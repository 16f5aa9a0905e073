"""Decoding a CSV file (SPEC §3-4): UTF-8, with Windows-1252 only for a file that is not UTF-8 as a whole.

A file that decodes as UTF-8 is UTF-8. One that does not is either a Windows-1252 file (what
Dutch Excel writes) or a UTF-8 file with a few stray bytes, say one name pasted from an
old system. It counts as UTF-8 when it holds valid multi-byte UTF-8 sequences, at least as
many as spots of invalid bytes: then only those bytes are read as Windows-1252 and each
line holding one is reported, instead of re-reading the whole file ("Mevrouw PiquÃ©").

Until the reader has seen which cell they are in, stray bytes stay marked in the text as
the code points U+DC80 to U+DCFF (Python's ``surrogateescape``); :func:`unmark` reads them
as Windows-1252.
"""

import re
from dataclasses import dataclass

from ingest.catalogue import FileLevelError, phrase, render

__all__ = ["Decoded", "decode", "first_marked_byte", "is_marked", "unmark"]

_BOM = b"\xef\xbb\xbf"
_MARKED = re.compile("[\udc80-\udcff]+")
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")
# a marked byte -> its Windows-1252 character; the five bytes Windows-1252 leaves undefined -> U+FFFD
_AS_CP1252 = {0xDC00 + byte: bytes([byte]).decode("cp1252", errors="replace") for byte in range(0x80, 0x100)}


@dataclass(frozen=True)
class Decoded:
    """The text of a file, and whether it still holds marked bytes (see :func:`unmark`)."""

    text: str
    marked: bool = False


def decode(data: bytes, name: str, lang: str = "en") -> Decoded:
    """Decode a CSV file's bytes (a UTF-8 byte order mark is dropped).

    Raises
    ------
    FileLevelError
        ``undecodable``: neither UTF-8 (mostly) nor Windows-1252.

    Examples
    --------
    >>> decode("Piqué".encode(), "a.csv").text, decode("Piqué".encode("cp1252"), "a.csv").text
    ('Piqué', 'Piqué')
    >>> mixed = decode("Piqué, Ëlbers, ".encode() + "Stedénwijk".encode("cp1252"), "a.csv")
    >>> mixed.marked, unmark(mixed.text)
    (True, 'Piqué, Ëlbers, Stedénwijk')
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    spots = sum(1 for _ in _MARKED.finditer(text))
    if sum(1 for _ in _MULTIBYTE.finditer(text)) >= spots:
        return Decoded(text, marked=True)
    try:
        return Decoded(data.decode("cp1252"))
    except UnicodeDecodeError as error:
        found = phrase("byte_at", lang, byte=data[error.start], offset=error.start)
        raise FileLevelError(render("undecodable", file=name, found=found, lang=lang)) from None


def is_marked(text: str) -> bool:
    """Return whether ``text`` holds a marked byte."""
    return _MARKED.search(text) is not None


def first_marked_byte(text: str) -> int | None:
    """Return the first marked byte in ``text`` (as it was in the file), or None.

    Examples
    --------
    >>> first_marked_byte(decode(b"caf\\xe9 \\xc3\\xa9", "a.csv").text)
    233
    """
    found = _MARKED.search(text)
    return None if found is None else ord(found.group()[0]) - 0xDC00


def unmark(text: str) -> str:
    """Read each marked byte in ``text`` as Windows-1252."""
    return text.translate(_AS_CP1252)
