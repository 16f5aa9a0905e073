"""The limits on an input's shape (SPEC §4 "bounded cost"), declared once.

A file or sheet beyond them is refused with a file-level error, decided as early as the
shape shows (before the rest is parsed), so an absurd file costs seconds, not gigabytes:

- :data:`MAX_FILE_BYTES`: a CSV file larger than this is not read at all, nor a workbook
  whose parts unpack to more than this together;
- :data:`MAX_UNPACK_RATIO`: a workbook part (over :data:`RATIO_FROM_BYTES` unpacked) that
  unpacks to more than this many times its packed size is refused before it is unpacked (a
  zip bomb: spreadsheet programs write parts that unpack to 5 to 20 times their size);
- :data:`MAX_ROWS`: rows below the header, per file or sheet; a CSV file's physical lines
  are counted in its bytes before anything else (a cell with a line break counts each line);
- :data:`MAX_COLUMNS`: the width of a file or sheet: cells in the header, or the column of
  any filled cell in a row (a workbook is measured by the cells it really holds, not by the
  size it declares);
- :data:`MAX_FIELD_CHARS`: the longest cell the CSV reader takes at all, also in columns
  carecircle ignores (long notes).

A cell longer than :data:`MAX_CELL_CHARS` in a column carecircle uses rejects its row
(``cell_too_long``); the other rows go in.
"""

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACK_RATIO",
    "RATIO_FROM_BYTES",
]

#: the largest CSV file read, and the most a workbook may unpack to (bytes): 2 GiB
MAX_FILE_BYTES = 2 * 1024**3

#: how many times its packed size a workbook part may unpack to
MAX_UNPACK_RATIO = 100

#: parts that unpack to fewer bytes than this are not held to :data:`MAX_UNPACK_RATIO`
RATIO_FROM_BYTES = 10 * 1024**2

#: the most rows below the header in one file or sheet
MAX_ROWS = 5_000_000

#: the widest header, and the last column a filled cell may sit in
MAX_COLUMNS = 200

#: the longest cell (characters) in a column carecircle uses; a longer one rejects its row
MAX_CELL_CHARS = 1_000

#: the longest cell (characters) the CSV reader accepts anywhere; a longer one refuses the file
MAX_FIELD_CHARS = 16 * 1024 * 1024
