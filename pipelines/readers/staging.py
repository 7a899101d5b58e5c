"""The staging interface (``Part.stage(con) -> Staged``) and the pieces every reader shares."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipelines.columns import FileLayout
from pipelines.readers.codes import REASONS, SKIPS
from pipelines.readers.scratch import _remove_stale_scratch, _Scratch  # noqa: F401 - read here too

# ------------------------------------------------------------------------------ the staging interface


@dataclass(frozen=True)
class Reject:
    """A record that is no row: it could not be split into the header's values, or a cell is unusable."""

    line: int  # physical line (CSV) or row number (sheet) where it starts
    raw: str  # the record as it was in the file
    code: str  # one of REASONS
    params: dict[str, object] = field(default_factory=dict)  # fill REASONS[code] (worded by i18n)
    column: str | None = None  # the column at fault, when one is

    @property
    def reason(self) -> str:
        """The English sentence of code and params (for messages to developers and tests)."""
        return REASONS[self.code].format(**self.params)


class Staged:
    """What ``Part.stage()`` put into a connection — the whole contract between reader and loader.

    - ``relation``: the name of a temporary table or view with columns ``c0 … c{width-1}`` (VARCHAR,
      NULL for an empty value), one row per record in file order. Scan it once, in order (for example
      ``CREATE TABLE … AS SELECT … FROM relation``).
    - ``lines(rows)``: after that scan produced ``rows`` rows, the line (CSV) or row number (sheet) of
      each, as an int64 array; ``None`` when the fast reading disagreed with the byte scan — then
      ``close()`` and stage the part again with ``exact=True``.
    - ``rejects``: records that are no rows, with their reasons (quarantine them).
    - ``blank_rows``: blank lines skipped. Rows of the relation whose values are all blank are
      blank lines too; the loader counts those (``blank_text()`` in parse.sql decides).
    - ``close()``: drop what was created (``rejects`` and ``blank_rows`` stay readable).
    """

    relation: str
    rejects: list[Reject]
    blank_rows: int

    def lines(self, rows: int) -> np.ndarray | None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


_names = itertools.count(1)


def _fresh_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


class _TableStaged(Staged):
    """Rows already split in Python (a sheet, or a CSV read exactly), as a temporary table."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        width: int,
        batches: list[pa.RecordBatch],
        line_numbers: np.ndarray,
        rejects: list[Reject],
        blank_rows: int,
    ) -> None:
        self.con = con
        self.relation = _fresh_name("staged_rows")
        self.rejects = rejects
        self.blank_rows = blank_rows
        self._lines = line_numbers
        schema = pa.schema([(f"c{i}", pa.string()) for i in range(width)])
        table = pa.Table.from_batches(batches, schema=schema)
        arrow_name = _fresh_name("staged_arrow")
        con.register(arrow_name, table)
        try:
            con.execute(f"CREATE TEMP TABLE {self.relation} AS SELECT * FROM {arrow_name}")
        finally:
            con.unregister(arrow_name)

    def lines(self, rows: int) -> np.ndarray | None:
        return self._lines if rows == len(self._lines) else None

    def close(self) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {self.relation}")


class _RowBuffer:
    """Rows of text cells gathered into Arrow batches (far smaller than lists of Python lists)."""

    BATCH = 65536

    def __init__(self, width: int) -> None:
        self.width = width
        self.pending: list[list[str | None]] = []
        self.batches: list[pa.RecordBatch] = []
        self.lines: list[int] = []

    def add(self, line: int, cells: list[str | None]) -> None:
        self.pending.append(cells)
        self.lines.append(line)
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        columns = list(zip(*self.pending, strict=True))
        self.batches.append(
            pa.RecordBatch.from_arrays(
                [pa.array(col, type=pa.string()) for col in columns],
                names=[f"c{i}" for i in range(self.width)],
            )
        )
        self.pending = []

    def stage(
        self, con: duckdb.DuckDBPyConnection, rejects: list[Reject], blank_rows: int
    ) -> _TableStaged:
        self.flush()
        lines = np.asarray(self.lines, dtype=np.int64)
        return _TableStaged(con, self.width, self.batches, lines, rejects, blank_rows)


class _Reader:
    def stage(
        self, con: duckdb.DuckDBPyConnection, exact: bool
    ) -> Staged:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Part:
    """One loadable table inside a file: a CSV file, or one sheet of a workbook."""

    name: str
    sheet: str | None
    encoding: str
    layout: FileLayout
    reader: _Reader = field(repr=False)
    separator: str = ","

    def stage(self, con: duckdb.DuckDBPyConnection, exact: bool = False) -> Staged:
        """Put this part's records into con (see ``Staged``); exact=True reads every record in Python."""
        return self.reader.stage(con, exact)


@dataclass(frozen=True)
class Skipped:
    """A sheet of a workbook that was not loaded, and why (a code of SKIPS)."""

    sheet: str
    code: str

    @property
    def reason(self) -> str:
        return SKIPS[self.code]


@dataclass
class SourceFile:
    """A file that has been checked, recognised and read as far as needed; ready to stage."""

    path: Path
    name: str
    sha256: str
    size_bytes: int
    parts: list[Part]
    skipped: list[Skipped] = field(default_factory=list)
    scratch: _Scratch = field(default_factory=_Scratch, repr=False)

    def close(self) -> None:
        """Remove every temporary file made while reading (decoded copies of the text)."""
        self.scratch.close()
