"""The limits on an input's shape (SPEC §4 "bounded cost"), declared once.

A file or sheet beyond them is refused with a file-level error, decided as early as the
shape shows (before the rest is parsed), so an absurd file costs seconds, not gigabytes:

- :data:`MAX_FILE_BYTES`: a CSV file larger than this is not read at all;
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

__all__ = ["MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MAX_ROWS"]

#: the largest CSV file read (bytes): 2 GiB
MAX_FILE_BYTES = 2 * 1024**3

#: the most rows below the header in one file or sheet
MAX_ROWS = 5_000_000

#: the widest header, and the last column a filled cell may sit in
MAX_COLUMNS = 200

#: the longest cell (characters) in a column carecircle uses; a longer one rejects its row
MAX_CELL_CHARS = 1_000

#: the longest cell (characters) the CSV reader accepts anywhere; a longer one refuses the file
MAX_FIELD_CHARS = 16 * 1024 * 1024
