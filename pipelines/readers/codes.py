"""Codes, wording templates, limits and constants of the readers (no reading here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CHUNK_BYTES = 16 * 1024 * 1024  # read, hash and decode in pieces of this size
SCAN_BYTES = 16 * 1024 * 1024  # the record scan's piece
DENSE_BYTES = 256 * 1024  # its piece for very short lines (the scan keeps 8 bytes a line)
DATE_COLUMNS = ("received_at", "requested_for", "event_at")
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # compound file (old .xls, .doc)
MiB = 1024 * 1024
GiB = 1024 * MiB
Progress = Callable[[int], None]

SEPARATORS = (",", "\t", ";")  # in order of preference


# ------------------------------------------------------------------------------ codes and wording

# Every refusal: code -> English template (str.format with FileRefused.params). Translations key on
# the code; the English message stays what FileRefused says.
REFUSALS: dict[str, str] = {
    "FILE_NOT_FOUND": "file not found",
    "IS_FOLDER": "is a folder, not a file",
    "FILE_UNREADABLE": "cannot be read ({error})",
    "FILE_EMPTY": "the file is empty",
    "NO_TEMP_SPACE": "no room in the temporary folder for its decoded copy ({error})",
    "NO_HEADER": "the file is empty (no header row)",
    "HEADER_TOO_LATE": "no header row in the first {size}: the file starts with blank lines",
    "HEADER_UNRECOGNISED": "{detail}",
    "HEADER_MALFORMED": "the header row has malformed quoting: {detail}",
    "CR_LINE_ENDINGS": (
        "lines end with a bare CR (old Mac format): save it again with Windows (CRLF) or "
        "Unix (LF) line endings"
    ),
    "NUL_BYTES": "contains NUL bytes (line {line}): this is a binary file, not a CSV export",
    "UTF16_WITHOUT_BOM": (
        "looks like UTF-16 text without a byte-order mark: save it again as UTF-8 (or as Excel's "
        "'Unicode text')"
    ),
    "MIXED_ENCODINGS": (
        "cannot be decoded: mixes encodings — UTF-8 text up to line {line}, then bytes that are "
        "not UTF-8; re-export the file in one encoding"
    ),
    "UNDECODABLE": (
        "cannot be decoded: not UTF-8 (bad bytes on line {utf8_line}) and not CP932/Shift_JIS "
        "or EUC-JP"
    ),
    "BAD_BYTES": "cannot be decoded: not valid {encoding} (bad bytes on line {line})",
    "AMBIGUOUS_ENCODING": (
        "cannot tell whether the text is Shift_JIS (CP932) or EUC-JP: save it again as UTF-8"
    ),
    "EUC_JP_UNDECODABLE": (
        "looks like EUC-JP but holds characters that cannot be decoded: save it again as UTF-8"
    ),
    "OLD_XLS": "old .xls workbooks are not supported: save as .xlsx or CSV",
    "TEXT_NAMED_XLSX": (
        "not a zip archive, so not an .xlsx workbook: it is a text file — rename it to .csv to "
        "load it as CSV"
    ),
    "BAD_WORKBOOK": "not a readable .xlsx workbook ({error})",
    "SHEET_UNREADABLE": "sheet {sheet!r} cannot be read ({error})",
    "SHEET_UNRECOGNISED": (
        "sheet {sheet!r} holds data but {detail}; delete the sheet or skip it (--skip-sheet {sheet})"
    ),
    "NO_SHEET_WITH_DATA": "the workbook has no sheet with data",
    "ALL_SHEETS_SKIPPED": "nothing to load: every sheet with data is skipped ({sheets})",
    "NOT_A_FILE": "is a device or a socket, not a file: save the data to a file and give its path",
    "PIPE_NO_WRITER": (
        "is a pipe that no program wrote to within {seconds} s: start the program that writes to "
        "it, or save the data to a file and give its path"
    ),
    "PIPE_NO_SPACE": "no room in the temporary folder for a copy of what the pipe gave ({error})",
    "LIMIT_PIPE_BYTES": "the pipe gave more than the limit of {limit} (max_file_bytes)",
    "LIMIT_FILE_BYTES": "is {size}, more than the limit of {limit} (max_file_bytes)",
    "LIMIT_ROWS": "has more than {limit:,} data rows (limit max_rows)",
    "LIMIT_COLUMNS": "has {found:,} header columns, more than the limit of {limit:,} (max_columns)",
    "LIMIT_LINE_BYTES": (
        "the record starting on line {line} is longer than the limit of {limit} (max_line_bytes); "
        'an unbalanced quote mark (") can join many lines into one'
    ),
    "LIMIT_XLSX_BYTES": "unpacks to {size}, more than the limit of {limit} (max_xlsx_bytes)",
    "LIMIT_XLSX_RATIO": (
        "its part {member} unpacks {ratio:,.0f} times larger than it is stored, more than the limit "
        "of {limit:,} (max_xlsx_ratio): it looks like a zip bomb"
    ),
    "LIMIT_XLSX_MEMBERS": "has {found:,} parts, more than the limit of {limit:,} (max_xlsx_members)",
}

# Every quarantine reason: code -> English template, declared once. The quarantine table stores the
# code and its parameters (reason_code, reason_params), never the sentence: {value} is the text the
# column held (the first 60 characters); load.sql and the readers' Reject fill the same names, and
# pipelines.i18n words them when shown. legacy_text keeps a sentence of an older database that no
# template reads (migration 0008), shown as it was.
REASONS: dict[str, str] = {
    "REQUIRED_BLANK": "required value is blank",
    "DATE_UNREADABLE": 'cannot read date/time "{value}"',
    "DATE_NO_SUCH_DAY": 'cannot read date/time "{value}" (no such day)',
    "TIME_IMPOSSIBLE": 'cannot read date/time "{value}" (no such time of day)',
    "OFFSET_IMPOSSIBLE": 'cannot read date/time "{value}" (impossible UTC offset)',
    "DATE_OUT_OF_RANGE": 'date out of range ({first}–{last}) "{value}"',
    "EVENT_UNKNOWN": 'unknown event kind "{value}" (expected {expected})',
    "AMOUNT_NOT_INTEGER": 'not a whole number of yen "{value}"',
    "AMOUNT_NEGATIVE": "negative amount ({value})",
    "MINUTES_NOT_INTEGER": 'not a whole number of minutes "{value}"',
    "MINUTES_NEGATIVE": "negative minutes ({value})",
    "MINUTES_TOO_MANY": "implausibly many minutes ({value} > 100000)",
    "WRONG_COLUMN_COUNT": "wrong column count: {found} values where the header has {width}",
    "MALFORMED_QUOTING": (
        'malformed quoting: a quote mark (") outside a properly quoted value; a value that holds '
        '" must be quoted, with each " doubled'
    ),
    "UNTERMINATED_QUOTE": (
        'malformed quoting: a quote mark (") opens a value that never closes (the row runs to the '
        "end of the file)"
    ),
    "BARE_CR": (
        "malformed line break: a CR outside quotes inside the row (a value with line breaks must be "
        "quoted)"
    ),
    "FORMULA_WITHOUT_VALUE": (
        "formula {value} has no stored value (open the workbook in Excel and save it, so that "
        "its values are calculated)"
    ),
    "legacy_text": "{text}",
}

SKIPS: dict[str, str] = {
    "SHEET_HIDDEN": "hidden sheet, not loaded",
    "SHEET_SKIPPED": "skipped as asked (skip_sheets)",
}


def _size_text(n: int) -> str:
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


class FileRefused(ValueError):
    """A whole file cannot be read; the message names the file and the problem.

    ``code`` is one of REFUSALS and ``params`` fill its template, for wording in other languages.
    """

    def __init__(
        self,
        name: str,
        problem: str | None = None,
        *,
        code: str = "FILE_UNREADABLE",
        **params: object,
    ) -> None:
        if problem is None:
            problem = REFUSALS[code].format(**params)
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
        self.code = code
        self.params = params


def _refuse(name: str, code: str, **params: object) -> FileRefused:
    return FileRefused(name, code=code, **params)


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost. Each limit is checked before the work it protects."""

    max_file_bytes: int = 2 * GiB  # the file as stored
    max_rows: int = 10_000_000  # data rows of one CSV file or one sheet
    max_columns: int = 500  # header cells
    max_line_bytes: int = 1 * MiB  # one CSV record (a quoted value may span lines)
    max_xlsx_bytes: int = 256 * MiB  # all parts of a workbook, unpacked
    max_xlsx_ratio: int = 100  # unpacked ÷ stored size of any part larger than 1 MiB unpacked
    max_xlsx_members: int = 10_000  # parts in the workbook's zip archive


DEFAULT_LIMITS = ReadLimits()
