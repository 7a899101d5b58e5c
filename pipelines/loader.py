"""Loading exports: every row loaded or quarantined, one all-or-nothing swap per command.

Files are read and staged by ``pipelines.readers``; the typed rows are applied to a copy of the
database that ``pipelines.store.rewrite`` swaps in atomically (see there), so readers never wait and a
failed load leaves the database as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.definitions import named_statements
from pipelines.readers import FileRefused, Part, SourceFile, check_file, file_sha256, open_source
from pipelines.settings import Settings, load_settings
from pipelines.store import LOCK_WAIT_SECONDS, LoadBusy, open_snapshot, rewrite, write_lock


@dataclass
class PartResult:
    """What happened to one file (or one sheet of a workbook)."""

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

    def summary(self) -> str:
        """One line for the terminal."""
        where = f"{self.file_name}" + (f" [{self.sheet}]" if self.sheet else "")
        if self.already_loaded:
            return f"{where}: already loaded (same content), nothing changed"
        text = (
            f"{where}: {self.kind} ({self.encoding}) — {self.rows_read:,} rows read, "
            f"{self.rows_loaded:,} loaded"
        )
        if self.kind == "inquiries":
            text += f" ({self.rows_replaced:,} replaced earlier rows)"
        text += (
            f", {self.rows_duplicate:,} duplicates skipped, {self.rows_quarantined:,} quarantined"
        )
        if self.orphan_events:
            text += f"; {self.orphan_events:,} events wait for their inquiry"
        if self.ignored_columns:
            text += f"; ignored columns: {', '.join(self.ignored_columns)}"
        return text


@dataclass
class LoadResult:
    """The outcome of one load command."""

    db_path: Path
    parts: list[PartResult] = field(default_factory=list)
    swapped: bool = False
    seconds: float = 0.0


def _run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None
) -> duckdb.DuckDBPyConnection:
    sql = named_statements("load.sql")[name]
    if params:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        return con.execute(sql, used)
    return con.execute(sql)


def _load_history(db: Path) -> dict[str, list[PartResult]]:
    """Per file hash already in the database: its parts, reported as already loaded."""
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


def _stage_and_type(con: duckdb.DuckDBPyConnection, part: Part) -> None:
    """Parse the part into `typed` in one scan of its source, then attach line numbers (view `lined`).

    When the fast reader's records disagree with the line scan, the part is read again exactly.
    """
    layout = part.layout
    wanted = INQUIRY_ALIASES if layout.kind == "inquiries" else EVENT_ALIASES
    select = ", ".join(
        (f"c{layout.columns[name]}" if name in layout.columns else "NULL::VARCHAR") + f" AS {name}"
        for name in wanted
    )
    cells = ", ".join(f"c{i}" for i in range(layout.width))
    while True:
        part.staging.source(con)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW stg AS SELECT {select}, [{cells}] AS cells FROM stg_source"
        )
        try:
            _run(con, f"typed_{layout.kind}")
            [(rows,)] = con.execute("SELECT count(*) FROM typed").fetchall()
            lines = part.staging.lines(con, rows)
        except duckdb.Error:
            lines = None
        if lines is not None:
            break
        if not part.staging.exact():
            raise RuntimeError(f"{part.name}: staging failed on the exact path")  # pragma: no cover
    # typed keeps the source's order, so its rowid is the row's position in `lines`. A hash join on
    # it runs in parallel (a POSITIONAL JOIN with the frame made the whole insert single-threaded).
    line_frame = pd.DataFrame({"row_index": np.arange(len(lines)), "line": lines})  # noqa: F841
    con.execute("CREATE OR REPLACE TEMP TABLE line_map AS SELECT * FROM line_frame")
    con.execute(
        "CREATE OR REPLACE TEMP VIEW lined AS "
        "SELECT l.line, t.rowid, t.* FROM typed AS t JOIN line_map AS l ON l.row_index = t.rowid"
    )
    con.execute("DROP VIEW stg")
    con.execute("DROP VIEW stg_source")
    con.execute("DROP TABLE IF EXISTS stg_table")


def _apply_part(
    con: duckdb.DuckDBPyConnection, source: SourceFile, part: Part, load_id: int
) -> PartResult:
    started = datetime.now()
    layout = part.layout
    result = PartResult(
        source.name, part.sheet, layout.kind, part.encoding, ignored_columns=layout.ignored
    )
    _stage_and_type(con, part)
    params = {"load_id": load_id, "file_name": source.name, "sheet": part.sheet}
    _run(con, "quarantine_problems", params)
    _run(con, "quarantine_rejects", params)
    typed_rows, good = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE ok) FROM typed"
    ).fetchone()
    rejected = con.execute("SELECT count(*) FROM stg_rejects").fetchone()[0]
    result.rows_read = typed_rows + rejected
    result.rows_quarantined = typed_rows - good + rejected
    if layout.kind == "inquiries":
        result.rows_replaced = _run(con, "replace_inquiries").fetchone()[0]
        result.rows_loaded = _run(con, "insert_inquiries", params).fetchone()[0]
    else:
        result.rows_loaded = _run(con, "insert_events", params).fetchone()[0]
        result.orphan_events = _run(con, "count_orphans", params).fetchone()[0]
    result.rows_duplicate = good - result.rows_loaded
    con.execute(
        "INSERT INTO loads (load_id, file_name, sheet, file_hash, kind, encoding, rows_read, "
        "rows_loaded, rows_replaced, rows_duplicate, rows_quarantined, orphan_events, started_at, "
        "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            source.name,
            part.sheet,
            source.sha256,
            layout.kind,
            part.encoding,
            result.rows_read,
            result.rows_loaded,
            result.rows_replaced,
            result.rows_duplicate,
            result.rows_quarantined,
            result.orphan_events,
            started,
            datetime.now(),
        ],
    )
    con.execute("DROP VIEW lined")
    con.execute("DROP TABLE typed")
    con.execute("DROP TABLE line_map")
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


def load_files(
    paths: Sequence[str | Path],
    db: str | Path,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    wait_seconds: float = LOCK_WAIT_SECONDS,
) -> LoadResult:
    """Load export files in the order given; all or nothing. Raises FileRefused or LoadBusy.

    progress(file_name, bytes_done, bytes_total) is called while files are read.
    """
    db = Path(db)
    settings = settings or load_settings()
    started = time.perf_counter()
    result = LoadResult(db)
    paths = [Path(p) for p in paths]
    for path in paths:
        check_file(path)
    sources: dict[str, SourceFile] = {}  # only files whose content is new are read in full
    try:
        history = _load_history(db)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # the next file is hashed while this one is decoded and scanned
            hashes = [pool.submit(file_sha256, path) for path in paths]
            for path, future in zip(paths, hashes, strict=True):
                sha256 = future.result()
                if sha256 in history or sha256 in sources:
                    continue
                sources[sha256] = open_source(path, sha256, _file_progress(path, progress))
        order = [future.result() for future in hashes]
        with write_lock(db, wait_seconds):
            history = _load_history(db)  # again: another load may have finished meanwhile

            def work(con: duckdb.DuckDBPyConnection) -> bool:
                [(next_id,)] = con.execute(
                    "SELECT coalesce(max(load_id), 0) + 1 FROM loads"
                ).fetchall()
                for sha256 in order:
                    if sha256 in history:
                        result.parts.extend(history[sha256])
                        continue
                    source = sources[sha256]
                    for part in source.parts:  # one load_id per file or sheet
                        result.parts.append(_apply_part(con, source, part, next_id))
                        next_id += 1
                    history[sha256] = _already_loaded_parts(source)
                return True

            if all(sha256 in history for sha256 in order) and db.exists():
                for sha256 in order:
                    result.parts.extend(history[sha256])
            else:
                result.swapped = rewrite(db, work, settings)
    finally:
        for source in sources.values():
            source.close()
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["FileRefused", "LoadBusy", "LoadResult", "PartResult", "load_files"]
