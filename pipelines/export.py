"""Files people open elsewhere: Excel-safe CSV for every table download, iCalendar for the call calendar.

One safe writer serves the CLI and every download on the dashboard: UTF-8 with BOM (Excel reads
Japanese text right), every cell quoted, and any line of a cell that starts like a formula (``= + - @``,
tab, CR) prefixed with an apostrophe (OWASP "CSV injection"). Bare CR and CRLF inside a value become
LF first, since a spreadsheet would otherwise start a new row there, where a formula could hide.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.coded import coded

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"\r\n|\r")


def neutralise(value: object) -> object:
    """A cell value made safe to open in a spreadsheet (text only; numbers pass unchanged)."""
    if not isinstance(value, str):
        return value
    text = _LINE_BREAKS.sub("\n", value)
    lines = ["'" + line if line.startswith(FORMULA_START) else line for line in text.split("\n")]
    return "\n".join(lines)


def safe_csv(frame: pd.DataFrame) -> bytes:
    """A table as Excel-safe CSV bytes: UTF-8 with BOM, every cell quoted and formula-neutralised."""
    rows = (["" if _blank(v) else _cell(v) for v in row] for row in frame.itertuples(index=False))
    return csv_bytes([str(c) for c in frame.columns], rows)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Rows of cells under a header as Excel-safe CSV bytes (UTF-8 with BOM, CRLF, all quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_csv_file(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write Excel-safe CSV (csv_bytes) to `path` atomically: a temporary file, then a rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(csv_bytes(header, rows))
    os.replace(tmp, path)


def _blank(value: object) -> bool:
    import pandas as pd  # only safe_csv's frames need it: the mailbox's CSVs load no pandas

    if isinstance(value, list | tuple):
        return False
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell(value: object) -> object:
    import pandas as pd

    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return (
            stamp.strftime("%Y-%m-%d")
            if stamp == stamp.normalize()
            else stamp.strftime("%Y-%m-%d %H:%M")
        )
    return value if isinstance(value, int | float) else str(value)


def calendar_ics(
    events: Iterable[dict[str, object]], stamp: date, name: str = "Phone-proxy calls"
) -> bytes:
    """An iCalendar file of calls: each dict has uid, summary, description, start (date or datetime).

    A date is an all-day event; a date-time a 30-minute event in Japan time. `stamp` (DTSTAMP) is
    fixed by the caller so the same calls always give the same file.
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//opsdash//phone-proxy calls//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    for item in events:
        event = Event()
        event.add("uid", str(item["uid"]))
        event.add("dtstamp", datetime(stamp.year, stamp.month, stamp.day))
        event.add("summary", str(item["summary"]))
        event.add("description", str(item.get("description") or ""))
        start = item["start"]
        if isinstance(start, datetime):
            from zoneinfo import ZoneInfo

            begin = start.replace(tzinfo=ZoneInfo("Asia/Tokyo"))
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=30))
        else:
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(days=1))
        cal.add_component(event)
    return cal.to_ical()


class OutputFailed(OSError):
    """A file could not be written; the file at its path is as it was before (or absent)."""


def write_atomic(path: Path, data: bytes) -> Path:
    """Write data (bytes) to path all or nothing: a temp file in the same folder, fsync, rename.

    A symlink at path is followed (its target is replaced, the link stays). On any failure (disk
    full, file-size limit, no permission) the temp file is removed, the old file is left as it was and
    OutputFailed names the path. Returns the path written.
    """
    target = Path(os.path.realpath(path))
    temp = target.with_name(f".{target.name}.writing-{os.getpid()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        kept = target.exists()
        raise coded(
            OutputFailed(
                f"{path}: could not be written ({exc.strerror or exc}); "
                + ("the earlier file is left as it was" if kept else "no file was written")
            ),
            "output_kept" if kept else "output_none",
            path=str(path),
            error=str(exc.strerror or exc),
        ) from None
    return path
