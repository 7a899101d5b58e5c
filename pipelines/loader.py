"""Loading exports: every row loaded or quarantined, one all-or-nothing swap per command.

Files are read and staged by ``pipelines.readers``; the typed rows are applied to a copy of the
database that ``pipelines.build.rewrite`` swaps in atomically (see there), so readers never wait and a
failed load leaves the database as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa

from pipelines.build import rewrite
from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.definitions import named_statements
from pipelines.i18n import correction_text, t
from pipelines.readers import (
    SKIPS,
    FileRefused,
    Part,
    ReadLimits,
    SourceFile,
    Staged,
    check_file,
    file_sha256,
    open_source,
    register_functions,
)
from pipelines.settings import Settings, SettingsError, load_settings
from pipelines.store import (
    LOCK_WAIT_SECONDS,
    LoadBusy,
    database_version,
    open_snapshot,
    write_lock,
    write_target,
)
from pipelines.streams import spooled
from pipelines.vocabulary import TIME_ZONE


@dataclass
class PartResult:
    """What happened to one file (or one sheet of a workbook).

    rows_read = rows_loaded + rows_duplicate + rows_quarantined; blank lines are no rows (rows_blank).
    skipped_sheets: (sheet, code of readers.SKIPS) for the workbook's sheets that were not loaded,
    reported with its first loaded sheet.
    """

    file_name: str
    sheet: str | None
    kind: str
    encoding: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_replaced: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0
    orphan_events: int = 0
    already_loaded: bool = False
    ignored_columns: tuple[str, ...] = ()
    rows_blank: int = 0
    separator: str = ","
    skipped_sheets: tuple[tuple[str, str], ...] = ()
    possible_corrections: int = 0
    corrected_inquiries: tuple[str, ...] = ()
    events_replaced: int = 0

    def summary(self) -> str:
        """One line for the terminal."""
        where = f"{self.file_name}" + (f" [{self.sheet}]" if self.sheet else "")
        if self.already_loaded:
            return f"{where}: already loaded (same content), nothing changed"
        encoding = self.encoding + (
            f", {SEPARATOR_NAMES.get(self.separator, self.separator)}-separated"
            if self.separator != ","
            else ""
        )
        text = (
            f"{where}: {self.kind} ({encoding}) — {self.rows_read:,} rows read, "
            f"{self.rows_loaded:,} loaded"
        )
        if self.kind == "inquiries":
            text += f" ({self.rows_replaced:,} replaced earlier rows)"
        text += (
            f", {self.rows_duplicate:,} duplicates skipped, {self.rows_quarantined:,} quarantined"
        )
        if self.rows_blank:
            text += f", {self.rows_blank:,} blank lines skipped"
        if self.orphan_events:
            text += f"; {self.orphan_events:,} events wait for their inquiry"
        if self.possible_corrections:
            text += "; " + correction_text(self, "en")
        if self.events_replaced:
            text += "; " + t("load.events_replaced", "en", n=self.events_replaced)
        if self.ignored_columns:
            text += f"; ignored columns: {', '.join(self.ignored_columns)}"
        if self.skipped_sheets:
            shown = ", ".join(f"{sheet!r} ({SKIPS[code]})" for sheet, code in self.skipped_sheets)
            text += f"; sheets not loaded: {shown}"
        return text


SEPARATOR_NAMES = {"\t": "tab", ";": "semicolon"}


@dataclass
class LoadResult:
    """The outcome of one load command."""

    db_path: Path
    parts: list[PartResult] = field(default_factory=list)
    swapped: bool = False
    seconds: float = 0.0
    waiting_events: int = 0  # events in the database without their inquiry, after this load

    @property
    def rows_quarantined(self) -> int:
        """Rows this load quarantined (files loaded before are not counted again)."""
        return sum(p.rows_quarantined for p in self.parts if not p.already_loaded)

    def problems(self) -> bool:
        """True when the load left rows quarantined or events waiting for their inquiry."""
        return bool(self.rows_quarantined or self.waiting_events)


JAPAN = ZoneInfo(TIME_ZONE)
# A file up to this size is applied without DuckDB's expression rewriter: for a one-row upload,
# rewriting the typed statement's macro-expanded expressions costs more (~15 ms of ~0.17 s CPU) than
# running it. A bigger file keeps it (it may speed the run); it never changes a result.
SMALL_FILE_BYTES = 64 * 1024


def read_limits(settings: Settings) -> ReadLimits:
    """The [limits] table of the settings as ReadLimits (each a whole number ≥ 1; defaults otherwise)."""
    table = settings.table("limits")
    known = {f.name for f in fields(ReadLimits)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SettingsError(
            f"settings: limits.{unknown[0]} is not a known limit ({', '.join(sorted(known))})"
        )
    for name, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SettingsError(
                f"settings: limits.{name} must be a whole number ≥ 1, got {value!r}"
            )
    return ReadLimits(**table)


def japan_now() -> datetime:
    """Now as a naive Japan time (every time in the database is Japan time)."""
    return datetime.now(JAPAN).replace(tzinfo=None)


@contextmanager
def _planned_for(con: duckdb.DuckDBPyConnection, size_bytes: int) -> Iterator[None]:
    """Plan a file's statements without the expression rewriter when it is small (SMALL_FILE_BYTES)."""
    if size_bytes > SMALL_FILE_BYTES:
        yield
        return
    con.execute("SET disabled_optimizers = 'expression_rewriter'")
    try:
        yield
    finally:
        con.execute("RESET disabled_optimizers")


def _run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None
) -> duckdb.DuckDBPyConnection:
    sql = named_statements("load.sql")[name]
    if params:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        return con.execute(sql, used)
    return con.execute(sql)


# The files in each database this process wrote, by the file's version (store.database_version):
# the next load into it opens no snapshot (a DuckDB instance, ~25 ms) to learn them.
_written: dict[Path, tuple[str, dict[str, list[PartResult]]]] = {}


def _load_history(db: Path) -> dict[str, list[PartResult]]:
    """Per file hash already in the database: its parts, reported as already loaded."""
    cached = _written.get(db)
    if cached is not None and cached[0] == database_version(db):
        return {sha256: [replace(p) for p in parts] for sha256, parts in cached[1].items()}
    return _read_history(db)


def _remember_history(db: Path, history: dict[str, list[PartResult]]) -> None:
    """Keep the files of a database this process just swapped in (the caller holds its lock)."""
    _written.clear()  # one database at a time: a long-running process loads into one
    _written[db] = (
        database_version(db),
        {sha256: sorted(map(replace, parts), key=_row_order) for sha256, parts in history.items()},
    )


def _row_order(part: PartResult) -> tuple:
    """A part's place among its file's parts as _read_history lists them (ORDER BY ALL)."""
    return (part.file_name, part.sheet is None, part.sheet or "", part.kind, part.encoding)


def _read_history(db: Path) -> dict[str, list[PartResult]]:
    if not db.exists():
        return {}
    con = open_snapshot(db)
    try:
        rows = con.execute(
            "SELECT DISTINCT file_hash, file_name, sheet, kind, encoding FROM loads ORDER BY ALL"
        ).fetchall()
    except duckdb.CatalogException:
        return {}
    finally:
        con.close()
    history: dict[str, list[PartResult]] = {}
    for sha256, file_name, sheet, kind, encoding in rows:
        history.setdefault(sha256, []).append(
            PartResult(file_name, sheet, kind, encoding, already_loaded=True)
        )
    return history


def _already_loaded_parts(source: SourceFile) -> list[PartResult]:
    """The results for a file whose exact content is loaded already: nothing to do."""
    return [
        PartResult(source.name, p.sheet, p.layout.kind, p.encoding, already_loaded=True)
        for p in source.parts
    ]


def _stage_and_type(con: duckdb.DuckDBPyConnection, part: Part) -> tuple[Staged, int]:
    """Parse the part into `typed` in one scan of what it staged, number its rows (view `lined`),
    delete its blank rows, and put its rejects (if any) in `stg_rejects`.

    Uses only what ``Part.stage()`` hands over (``readers.Staged``); when the fast reading's rows
    disagree with the byte scan, the part is staged again exactly. Returns the Staged (its rejects
    and blank lines) and the number of rows found blank by value. The connection has the readers'
    functions (``register_functions``, once per write).
    """
    layout = part.layout
    wanted = INQUIRY_ALIASES if layout.kind == "inquiries" else EVENT_ALIASES
    select = ", ".join(
        (f"c{layout.columns[name]}" if name in layout.columns else "NULL::VARCHAR") + f" AS {name}"
        for name in wanted
    )
    raw = ", ".join(f"c{i}" for i in range(layout.width))
    exact = False
    while True:
        staged = part.stage(con, exact=exact)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW stg AS SELECT {select}, {raw} FROM {staged.relation}"
            )
            try:
                _run(con, f"typed_{layout.kind}")
                [(rows, bad)] = con.execute(
                    "SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM typed"
                ).fetchall()
                lines = staged.lines(rows)
            except duckdb.Error:
                if exact:
                    raise
                lines = None
        finally:
            con.execute("DROP VIEW IF EXISTS stg")
            staged.close()
        if lines is not None:
            break
        if exact:  # pragma: no cover - the exact path numbers every row it stages
            raise RuntimeError(f"{part.name}: staging failed on the exact path")
        exact = True
    # typed keeps the source's order, so its rowid is the row's position in `lines`. A hash join on
    # it runs in parallel (a POSITIONAL JOIN with the frame made the whole insert single-threaded).
    _line_map(con, lines)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW lined AS "
        "SELECT l.line, t.rowid, t.* FROM typed AS t JOIN line_map AS l ON l.row_index = t.rowid"
    )
    # blank lines are no rows; deleting keeps the other rows' rowids (and so their lines). A blank
    # row has no inquiry_id, a problem: without problems there is nothing to delete (nor to plan).
    blank = _run(con, "delete_blank_rows").fetchall()[0][0] if bad else 0
    if staged.rejects:
        rejects = _rejects_table(staged.rejects)  # noqa: F841 - read by name below
        con.execute("CREATE OR REPLACE TEMP TABLE stg_rejects AS SELECT * FROM rejects")
    return staged, blank


# Up to this many rows, the line numbers go to DuckDB as a parameter: scanning a Python object
# (the Arrow table) makes DuckDB import pandas, ~0.5 CPU-s of a CLI one-row load's ~1 s.
LINES_AS_PARAMETER = 10_000


def _line_map(con: duckdb.DuckDBPyConnection, lines: np.ndarray) -> None:
    """Temp table line_map: (row_index, line) for each row of typed, by position."""
    if len(lines) <= LINES_AS_PARAMETER:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE line_map AS SELECT unnest(range(len(l))) AS row_index, "
            "unnest(l) AS line FROM (SELECT ?::BIGINT[] AS l)",
            [lines],
        )
        return
    line_frame = pa.table({"row_index": np.arange(len(lines)), "line": lines})  # noqa: F841
    con.execute("CREATE OR REPLACE TEMP TABLE line_map AS SELECT * FROM line_frame")


def _rejects_table(rejects: Sequence) -> pa.Table:
    """The readers' rejects as rows of load.sql's stg_rejects: one code, its parameters as JSON."""
    return pa.table(
        {
            "line": pa.array([r.line for r in rejects], pa.int64()),
            "raw": pa.array([r.raw for r in rejects], pa.string()),
            "column_name": pa.array([r.column for r in rejects], pa.string()),
            "reason_code": pa.array([r.code for r in rejects], pa.string()),
            "reason_params": pa.array(
                [json.dumps([r.params], ensure_ascii=False) for r in rejects], pa.string()
            ),
        }
    )


def _insert_quarantine(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> None:
    """Insert the rows of a quarantine_* statement, with the columns the quarantine table has."""
    sql = named_statements("load.sql")[name].strip().rstrip(";")
    # the columns of the table the insert writes (duckdb_columns() lists every table's: 3 ms)
    have = {d[0] for d in con.execute("SELECT * FROM quarantine LIMIT 0").description}
    produced = (
        "load_id",
        "file_name",
        "sheet",
        "line",
        "raw",
        "column_name",
        "reason_code",
        "reason_params",
    )
    columns = ", ".join(c for c in produced if c in have)
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    con.execute(f"INSERT INTO quarantine BY NAME SELECT {columns} FROM ({sql}\n)", used)


def _apply_events(
    con: duckdb.DuckDBPyConnection, result: PartResult, params: dict, replace_events: bool
) -> None:
    """Insert a quote log's typed events: first replacing every stored event of the inquiries it
    names (replace_events), else reporting the possible corrections among them."""
    if replace_events:
        result.events_replaced = _run(con, "replace_events_of_file").fetchone()[0]
    else:
        n, inquiries = _run(con, "possible_corrections").fetchone()
        result.possible_corrections, result.corrected_inquiries = n, tuple(inquiries)
    result.rows_loaded = _run(con, "insert_events", params).fetchone()[0]
    result.orphan_events = _run(con, "count_orphans", params).fetchone()[0]


def _record_load(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    part: Part,
    load_id: int,
    result: PartResult,
    started: datetime,
) -> None:
    """One row of the loads table for a file or sheet: what it read, loaded and quarantined."""
    con.execute(
        "INSERT INTO loads (load_id, file_name, sheet, file_hash, kind, encoding, rows_read, "
        "rows_loaded, rows_replaced, rows_duplicate, rows_quarantined, orphan_events, started_at, "
        "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            source.name,
            part.sheet,
            source.sha256,
            part.layout.kind,
            part.encoding,
            result.rows_read,
            result.rows_loaded,
            result.rows_replaced,
            result.rows_duplicate,
            result.rows_quarantined,
            result.orphan_events,
            started,
            japan_now(),
        ],
    )


def _apply_part(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    part: Part,
    load_id: int,
    replace_events: bool = False,
) -> PartResult:
    started = japan_now()
    layout = part.layout
    result = PartResult(
        source.name,
        part.sheet,
        layout.kind,
        part.encoding,
        ignored_columns=layout.ignored,
        separator=part.separator,
    )
    if source.skipped and part is source.parts[0]:
        result.skipped_sheets = tuple((s.sheet, s.code) for s in source.skipped)
    staged, blank = _stage_and_type(con, part)
    params = {"load_id": load_id, "file_name": source.name, "sheet": part.sheet}
    typed_rows, good = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE ok) FROM typed"
    ).fetchone()
    rejected = len(staged.rejects)
    if good < typed_rows:  # each statement costs a few ms to plan: none for nothing
        _insert_quarantine(con, "quarantine_problems", params)
    if rejected:
        _insert_quarantine(con, "quarantine_rejects", params)
    result.rows_read = typed_rows + rejected
    result.rows_quarantined = typed_rows - good + rejected
    result.rows_blank = staged.blank_rows + blank
    if layout.kind == "inquiries":
        result.rows_replaced = _run(con, "replace_inquiries").fetchone()[0]
        result.rows_loaded = _run(con, "insert_inquiries", params).fetchone()[0]
    else:
        _apply_events(con, result, params, replace_events)
    result.rows_duplicate = good - result.rows_loaded
    _record_load(con, source, part, load_id, result, started)
    for scratch in ("VIEW lined", "TABLE typed", "TABLE line_map", "TABLE IF EXISTS stg_rejects"):
        con.execute(f"DROP {scratch}")  # names from this list, never from data
    return result


def _file_progress(
    path: Path, progress: Callable[[str, int, int], None] | None
) -> Callable[[int], None] | None:
    """Turn byte counts read from one file into progress(file_name, bytes_done, bytes_total)."""
    if progress is None:
        return None
    total, done = path.stat().st_size, [0]

    def tick(n: int) -> None:
        done[0] += n
        progress(path.name, done[0], total)

    return tick


def _read_new_files(
    paths: list[Path],
    history: dict[str, list[PartResult]],
    sources: dict[str, SourceFile],
    progress: Callable[[str, int, int], None] | None,
    limits: ReadLimits,
    skip_sheets: Sequence[str],
) -> list[str]:
    """Hash every file and open the new ones into sources; the files' sha256 in the order given."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the next file is hashed while this one is decoded and scanned
        hashes = [pool.submit(file_sha256, path) for path in paths]
        for path, future in zip(paths, hashes, strict=True):
            sha256 = future.result()
            if sha256 in history or sha256 in sources:
                continue
            sources[sha256] = open_source(
                path,
                sha256,
                _file_progress(path, progress),
                limits=limits,
                skip_sheets=skip_sheets,
            )
    return [future.result() for future in hashes]


def _apply_files(
    result: LoadResult,
    order: list[str],
    history: dict[str, list[PartResult]],
    sources: dict[str, SourceFile],
    replace_events: bool = False,
    after: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Callable[[duckdb.DuckDBPyConnection], bool]:
    """The write that applies every new file's parts in order (one load_id per file or sheet), then
    after(con) in the same write."""

    def work(con: duckdb.DuckDBPyConnection) -> bool:
        register_functions(con)  # text_clean() for load.sql
        [(next_id,)] = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()
        for sha256 in order:
            if sha256 in history:
                result.parts.extend(history[sha256])
                continue
            source = sources[sha256]
            with _planned_for(con, source.size_bytes):
                for part in source.parts:
                    result.parts.append(_apply_part(con, source, part, next_id, replace_events))
                    next_id += 1
            history[sha256] = _already_loaded_parts(source)
        result.waiting_events = _run(con, "count_waiting_events").fetchone()[0]
        if after is not None:
            after(con)
        return True

    return work


def load_files(
    paths: Sequence[str | Path],
    db: str | Path,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    wait_seconds: float = LOCK_WAIT_SECONDS,
    skip_sheets: Sequence[str] = (),
    limits: ReadLimits | None = None,
    replace_events: bool = False,
    after: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> LoadResult:
    """Load export files in the order given; all or nothing. Raises FileRefused or LoadBusy.

    progress(file_name, bytes_done, bytes_total) is called while files are read. skip_sheets names
    workbook sheets not to load (a sheet with data and no recognisable header refuses its workbook
    otherwise); limits bound what each file may cost (readers.ReadLimits). A pipe (``<(…)``, a
    FIFO) is copied to a private file first, within max_file_bytes (pipelines.streams).
    replace_events: each quote log's events replace every stored event of the inquiries it names
    (files loaded before are applied again). after(con), when given, writes more in the same
    all-or-nothing swap (the live mailbox's state), even if no file is new.
    """
    settings = settings or load_settings()
    limits = limits or read_limits(settings)
    with spooled([Path(p) for p in paths], limits.max_file_bytes) as files:
        return _load_files(
            files, db, settings, progress, wait_seconds, skip_sheets, limits, replace_events, after
        )


def _load_files(
    paths: Sequence[Path],
    db: str | Path,
    settings: Settings,
    progress: Callable[[str, int, int], None] | None,
    wait_seconds: float,
    skip_sheets: Sequence[str],
    limits: ReadLimits,
    replace_events: bool = False,
    after: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> LoadResult:
    db = Path(db)
    started = time.perf_counter()
    result = LoadResult(db)
    db = write_target(db)  # a symlink's target; a read-only database or folder is refused
    paths = [Path(p) for p in paths]
    for path in paths:
        check_file(path)
    sources: dict[str, SourceFile] = {}  # only files whose content is new are read in full
    try:
        # replace_events applies every file again, those loaded before too
        version = database_version(db)
        known = {} if replace_events else _load_history(db)
        order = _read_new_files(paths, known, sources, progress, limits, skip_sheets)
        with write_lock(db, wait_seconds):
            # again if another load finished meanwhile (every load swaps in a new file)
            if database_version(db) != version:
                known = {} if replace_events else _load_history(db)
            history = known
            if after is None and all(sha256 in history for sha256 in order) and db.exists():
                for sha256 in order:
                    result.parts.extend(history[sha256])
            else:
                work = _apply_files(result, order, history, sources, replace_events, after)
                result.swapped = rewrite(db, work, settings)
                if result.swapped and not replace_events:  # history: every file in db now
                    _remember_history(db, history)
    finally:
        for source in sources.values():
            source.close()
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["FileRefused", "LoadBusy", "LoadResult", "PartResult", "load_files"]
