"""The live mailbox: new messages from the office's IMAP folders into the database, all or nothing.

``sync_once`` logs in (TLS unless ``[imap] tls = false``), reads each folder's UIDVALIDITY and the
UIDs past the last one kept in the database (``mail_folders``), fetches those messages in large UID
ranges (pipelines/sync_read.py) while it parses them, and — only when every folder was read in
full — converts every message kept so far plus the new ones with the mailbox import
(``pipelines.mailbox.convert_messages``: the same threads, inquiry IDs and rows as an export of the same
messages) and loads the two logs with the messages, the folders' new state and the review sheet in one
swap (``pipelines.loader.load_files(after=…)``). A dropped connection raises ``SyncFailed`` before
anything is written: the next run starts again from the last complete sync. A folder whose UIDVALIDITY
changed is read again in full; its old copies are replaced, and the inquiry IDs (from Message-IDs) stay.

The outcome of the last run (even a failed one) is kept beside the database in ``<db>.sync.json`` for
the Data page; the database itself changes only when there is new mail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.definitions import named_statements
from pipelines.i18n import t
from pipelines.loader import japan_now, load_files
from pipelines.mailbox import MailboxSettings, convert_messages, mailbox_settings_from_table
from pipelines.mailbox.settings import REVIEW_COLUMNS
from pipelines.mailbox.stream import reduce_message
from pipelines.settings import DEFAULT_SETTINGS_PATH, Settings, SettingsError
from pipelines.store import open_snapshot
from pipelines.sync_read import (
    FolderRead,
    ImapSettings,
    MailboxReader,
    SyncFailed,
    SyncRefused,
)


def imap_settings(settings: Settings) -> ImapSettings:
    """The validated [imap] table of the settings; SettingsError naming the key otherwise."""
    table = settings.table("imap")
    known = dict(asdict(ImapSettings()).items())
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in known:
            raise SettingsError(f"[imap] {key} is not a setting ({', '.join(known)})")
        default = known[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536
        else:
            ok = isinstance(value, str) and bool(value.strip())
        if not ok:
            raise SettingsError(f"[imap] {key}: {value!r} is not a valid value")
        values[key] = value.strip() if isinstance(value, str) else value
    return ImapSettings(**values)


def settings_source() -> str:
    """The settings file in use, as its owner would find it."""
    return os.environ.get("OPSDASH_SETTINGS") or str(DEFAULT_SETTINGS_PATH.name)


def office_mailbox_settings(settings: Settings, lang: str) -> MailboxSettings:
    """The [mailbox] rules; SyncRefused (in lang) when no office address is set."""
    rules = mailbox_settings_from_table(settings.table("mailbox"), settings_source())
    if not rules.office_addresses:
        raise SyncRefused(t("sync.refused.no_office_addresses", lang, file=settings_source()))
    return rules


# ---------------------------------------------------------------------------------------- writing


@dataclass
class SyncResult:
    """What one sync did: messages read per folder, what the mailbox gave, whether it loaded."""

    host: str
    new_by_folder: dict[str, int]
    resets: list[str] = field(default_factory=list)
    inquiries: int = 0
    events: int = 0
    new_inquiries: int = 0
    review: int = 0
    loaded: bool = False
    dry_run: bool = False

    @property
    def new_messages(self) -> int:
        """How many messages were new, all folders together."""
        return sum(self.new_by_folder.values())

    def text(self, lang: str) -> str:
        """The outcome in the reader's language (one or two lines)."""
        folders = ", ".join(
            t("sync.folder_count", lang, folder=f, n=n) for f, n in self.new_by_folder.items()
        )
        lines = list(self.resets)
        if not self.new_messages and not self.resets:
            lines.append(t("sync.nothing_new", lang, host=self.host, folders=folders))
            return "\n".join(lines)
        key = "sync.dry_run" if self.dry_run else "sync.loaded"
        lines.append(
            t(
                key,
                lang,
                host=self.host,
                folders=folders,
                messages=self.new_messages,
                inquiries=self.inquiries,
                events=self.events,
                new_inquiries=self.new_inquiries,
                review=self.review,
            )
        )
        return "\n".join(lines)


def _sql(name: str) -> str:
    return named_statements("sync.sql")[name]


def kept_state(db: Path) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """({folder: (uidvalidity, last_uid)}, the inquiry IDs loaded) from the database (empty if none)."""
    if not db.exists():
        return {}, set()
    con = open_snapshot(db)
    try:
        try:
            rows = con.execute(_sql("folders")).fetchall()
        except duckdb.CatalogException:  # a database from before schema 9: nothing synced yet
            rows = []
        ids = {r[0] for r in con.execute(_sql("known_inquiries")).fetchall()}
    finally:
        con.close()
    return {folder: (validity, last) for folder, validity, last in rows}, ids


def _kept_messages(db: Path, reads: list[FolderRead]) -> list[tuple[str, int, bytes]]:
    """The messages kept from earlier syncs, without those of a folder read again in full."""
    if not db.exists():
        return []
    reset = {r.folder for r in reads if r.reset_from is not None}
    con = open_snapshot(db)
    try:
        try:
            rows = con.execute(_sql("messages")).fetchall()
        except duckdb.CatalogException:
            return []
    finally:
        con.close()
    return [(f, u, bytes(raw)) for f, u, raw in rows if f not in reset]


def _as_eml(folder: str, uid: int, raw: bytes) -> tuple[bytes, str, tuple[str, ...]]:
    """A message as the mailbox import reads an .eml file: <imap folder>/<uid>.eml, reduced."""
    safe = re.sub(r"[^\w.-]", "_", folder) or "_"
    label = f"imap/{safe}/{uid:010d}.eml"
    return reduce_message(io.BytesIO(raw)), label, (label,)


def _inputs(
    db: Path, reads: list[FolderRead], new: Iterator[tuple[FolderRead, int, bytes]]
) -> Iterator[tuple[bytes, str, tuple[str, ...]]]:
    """The messages kept from earlier syncs, then the new ones as they arrive."""
    for folder, uid, raw in _kept_messages(db, reads):
        yield _as_eml(folder, uid, raw)
    for read, uid, raw in new:
        yield _as_eml(read.folder, uid, raw)


def _review_table(path: Path) -> pa.Table:
    """The review sheet as an Arrow table with mail_review's columns."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    columns = {c: [r[c] for r in rows] for c in REVIEW_COLUMNS}
    columns["row"] = [int(x) for x in columns["row"]]
    return pa.table(columns)


def _state_writer(
    reads: list[FolderRead], review: pa.Table
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """The part of the load that stores the new messages, the folders' state and the review sheet."""
    new_mail = pa.table(
        {
            "folder": [r.folder for r in reads for _ in r.messages],
            "uidvalidity": pa.array([r.uidvalidity for r in reads for _ in r.messages], pa.int64()),
            "uid": pa.array([u for r in reads for u, _ in r.messages], pa.int64()),
            "raw": pa.array([raw for r in reads for _, raw in r.messages], pa.binary()),
        }
    )
    now = japan_now()

    def after(con: duckdb.DuckDBPyConnection) -> None:
        for read in reads:
            params = {"folder": read.folder, "uidvalidity": read.uidvalidity}
            con.execute(_sql("forget_folder"), params)
            con.execute(_sql("delete_folder_state"), {"folder": read.folder})
            con.execute(
                _sql("insert_folder_state"), {**params, "last_uid": read.last_uid, "synced_at": now}
            )
        con.register("new_mail", new_mail)
        con.register("new_review", review)
        con.execute(_sql("insert_messages"))
        con.execute(_sql("clear_review"))
        con.execute(_sql("insert_review"))
        con.unregister("new_mail")
        con.unregister("new_review")

    return after


def sync_once(db: Path, settings: Settings, lang: str, dry_run: bool = False) -> SyncResult:
    """One sync of the [imap] folders into db, all or nothing; SyncRefused / SyncFailed otherwise."""
    rules = office_mailbox_settings(settings, lang)
    imap = imap_settings(settings)
    if not imap.host or not imap.user:
        raise SyncRefused(t("sync.refused.no_host", lang, file=settings_source()))
    state, known_ids = kept_state(db)
    with tempfile.TemporaryDirectory(prefix="opsdash-sync-") as tmp:
        with MailboxReader(imap, state, lang) as reader:
            reads = reader.open()
            result = SyncResult(imap.host, {r.folder: len(r.uids) for r in reads}, dry_run=dry_run)
            result.resets = [
                t("sync.folder_reset", lang, folder=r.folder, old=r.reset_from, new=r.uidvalidity)
                for r in reads
                if r.reset_from is not None
            ]
            if not result.new_messages and not result.resets:
                return result
            # every message kept so far and the new ones, parsed while the next range arrives
            converted = convert_messages(_inputs(db, reads, reader.messages()), Path(tmp), rules)
        result.inquiries, result.events = converted.inquiries, converted.events
        review = _review_table(converted.review_path)
        result.review = sum(1 for b in review.column("became").to_pylist() if b == "not used")
        with converted.inquiries_path.open(encoding="utf-8-sig", newline="") as fh:
            ids = {row["inquiry_id"] for row in csv.DictReader(fh)}
        result.new_inquiries = len(ids - known_ids)
        if not dry_run:
            # the mailbox is the record of its inquiries' events: a reply that changes how a thread
            # reads (a cancellation after a contract) replaces their events, never adds to them
            load_files(
                [converted.inquiries_path, converted.quotes_path],
                db,
                settings,
                replace_events=True,
                after=_state_writer(reads, review),
            )
            result.loaded = True
    return result


# ------------------------------------------------------------------------------------ the status


def status_path(db: Path) -> Path:
    """Where the last sync's outcome is kept: beside the database."""
    return db.with_name(db.name + ".sync.json")


def record_status(db: Path, outcome: str, detail: str, **extra: object) -> dict[str, object]:
    """Keep the outcome ('ok', 'refused', 'failed') of a sync beside db; the record written.

    first_failure_at stays the time of the first failure of an unbroken run of failures (for the
    alert 'sync failing for over an hour').
    """
    path = status_path(db)
    previous = read_status(db) or {}
    now = japan_now().isoformat(timespec="seconds")
    record: dict[str, object] = {"at": now, "outcome": outcome, "detail": detail, **extra}
    if outcome != "ok":
        record["first_failure_at"] = previous.get("first_failure_at") or now
    if outcome == "ok" or not previous.get("last_ok_at"):
        record["last_ok_at"] = now if outcome == "ok" else previous.get("last_ok_at")
    else:
        record["last_ok_at"] = previous["last_ok_at"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return record


def read_status(db: Path) -> dict[str, object] | None:
    """The last sync's outcome kept beside db, or None when no sync ran."""
    try:
        return json.loads(status_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def parse_every(text: str) -> timedelta | None:
    """'5m', '30m', '1h' (also '90s' for tests) as a timedelta; None when unreadable or under 1 s."""
    match = re.fullmatch(r"\s*(\d+)\s*([smh])\s*", text or "")
    if not match:
        return None
    seconds = int(match[1]) * {"s": 1, "m": 60, "h": 3600}[match[2]]
    return timedelta(seconds=seconds) if seconds >= 1 else None


def next_at(every: timedelta) -> datetime:
    """When the next sync of a `--every` loop starts (Japan time)."""
    return japan_now() + every


__all__ = [
    "ImapSettings",
    "SyncFailed",
    "SyncRefused",
    "SyncResult",
    "imap_settings",
    "parse_every",
    "read_status",
    "record_status",
    "sync_once",
]
