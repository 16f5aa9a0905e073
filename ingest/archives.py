"""What a zip archive (a workbook, a Network Canvas export) would unpack to, judged from the sizes it
declares, before anything is unpacked (SPEC §4 "bounded cost"; Python's zipfile never unpacks more
than a part declares)."""

import zipfile

from graph.language import number
from ingest.catalogue import phrase
from ingest.limits import MAX_FILE_BYTES, MAX_UNPACK_RATIO, RATIO_FROM_BYTES

__all__ = ["ZIP_TROUBLE", "beyond_limits"]

_MIB = 1024**2
#: what opening or reading a damaged zip archive raises: a bad or cut archive, a part that claims a
#: zip version or compression Python does not support (NotImplementedError), an encrypted part
#: (RuntimeError: a password is needed), a short read
ZIP_TROUBLE = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError)


def beyond_limits(parts: list[zipfile.ZipInfo], lang: str = "en") -> tuple[str, str] | None:
    """What is found and what is allowed, as phrases for a file-level message, when ``parts`` unpack
    to more than :data:`~ingest.limits.MAX_FILE_BYTES` together, or one of them (over
    :data:`~ingest.limits.RATIO_FROM_BYTES`) to more than :data:`~ingest.limits.MAX_UNPACK_RATIO`
    times its packed size; None when they stay within.

    Examples
    --------
    >>> bomb = zipfile.ZipInfo("sheet1.xml")
    >>> bomb.file_size, bomb.compress_size = 900 * 1024**2, 1024**2
    >>> beyond_limits([bomb])[0]
    '900 MiB in sheet1.xml, 900 times its packed size'
    >>> bomb.file_size = 50 * 1024**2
    >>> beyond_limits([bomb]) is None
    True
    """
    found = None
    total = sum(part.file_size for part in parts)
    if total > MAX_FILE_BYTES:
        found = phrase("unpacked_in_all", lang, size=number(-(-total // _MIB), lang))
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if found is None and part.file_size > RATIO_FROM_BYTES and ratio > MAX_UNPACK_RATIO:
            size = number(-(-part.file_size // _MIB), lang)
            found = phrase("unpacked_part", lang, size=size, part=part.filename, ratio=number(ratio, lang))
    if found is None:
        return None
    limits = phrase("unpack_limits", lang, size=number(MAX_FILE_BYTES // _MIB, lang), ratio=MAX_UNPACK_RATIO)
    return found, limits
