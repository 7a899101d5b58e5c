"""The live mailbox: new messages from the office's IMAP folders into the database, all or nothing.

``sync_once`` logs in (TLS unless ``[imap] tls = false``), reads each folder's UIDVALIDITY and the
messages past the last UID kept in the database (``mail_folders``), and — only when every folder was
read in full — converts every message kept so far plus the new ones with the mailbox import
(``pipelines.mailbox.convert_mailbox``: the same threads, inquiry IDs and rows as an export of the same
messages) and loads the two logs with the messages, the folders' new state and the review sheet in one
swap (``pipelines.loader.load_files(after=…)``). A dropped connection raises ``SyncFailed`` before
anything is written: the next run starts again from the last complete sync. A folder whose UIDVALIDITY
changed is read again in full; its old copies are replaced, and the inquiry IDs (from Message-IDs) stay.

The outcome of the last run (even a failed one) is kept beside the database in ``<db>.sync.json`` for
the Data page; the database itself changes only when there is new mail.
"""

from __future__ import annotations

import contextlib
import csv
import imaplib
import json
import os
import re
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.definitions import named_statements
from pipelines.i18n import t
from pipelines.loader import japan_now, load_files
from pipelines.mailbox import MailboxSettings, convert_mailbox, mailbox_settings_from_table
from pipelines.mailbox.settings import REVIEW_COLUMNS
from pipelines.settings import DEFAULT_SETTINGS_PATH, Settings, SettingsError
from pipelines.store import open_snapshot

PASSWORD_ENV = "OPSDASH_IMAP_PASSWORD"
FETCH_BATCH = 200  # UIDs per FETCH command
TIMEOUT_SECONDS = 60.0
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


class SyncRefused(ValueError):
    """Sync cannot run as set up (no office address, no server, no password, login refused): exit 2."""


class SyncFailed(RuntimeError):
    """The server or the connection failed mid-way; nothing was loaded (the next run picks up)."""


@dataclass(frozen=True)
class ImapSettings:
    """The [imap] table: where the office's mailbox is (the password comes from the environment)."""

    host: str = ""
    port: int = 0  # 0: 993 with TLS, 143 without
    user: str = ""
    tls: bool = True
    starttls: bool = False  # with tls: connect in plain text, then STARTTLS (port 143)
    inbox: str = "INBOX"
    sent: str = "Sent"

    @property
    def folders(self) -> dict[str, str]:
        """The folders to read, by setting name (inbox, sent)."""
        return {"inbox": self.inbox, "sent": self.sent}

    @property
    def real_port(self) -> int:
        """The TCP port: the one set, else 993 (TLS) or 143."""
        return self.port or (993 if self.tls and not self.starttls else 143)


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


# ---------------------------------------------------------------------------------------- reading


@dataclass
class FolderRead:
    """One folder's new messages: (uid, raw bytes) past the last UID kept, and its UIDVALIDITY."""

    folder: str
    uidvalidity: int
    last_uid: int
    messages: list[tuple[int, bytes]] = field(default_factory=list)
    reset_from: int | None = None  # the UIDVALIDITY kept before, when the server changed it


def _connect(imap: ImapSettings, lang: str) -> imaplib.IMAP4:
    """A logged-in client; SyncRefused for a refused login, SyncFailed when the server is unreachable."""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise SyncRefused(t("sync.refused.no_password", lang))
    try:
        # OPSDASH_IMAP_CAFILE: the certificate of a server signed by the office's own authority
        context = ssl.create_default_context(cafile=os.environ.get("OPSDASH_IMAP_CAFILE"))
        if imap.tls and not imap.starttls:
            client = imaplib.IMAP4_SSL(
                imap.host, imap.real_port, ssl_context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            client = imaplib.IMAP4(imap.host, imap.real_port, timeout=TIMEOUT_SECONDS)
            if imap.tls:
                client.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SyncFailed(_failed(imap, exc, lang)) from None
    try:
        client.login(imap.user, password)
    except imaplib.IMAP4.abort as exc:
        raise SyncFailed(_failed(imap, exc, lang)) from None
    except imaplib.IMAP4.error as exc:
        _close(client)
        problem = _problem(exc)
        raise SyncRefused(
            t("sync.refused.login", lang, host=imap.host, user=imap.user, problem=problem)
        ) from None
    return client


def _problem(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text or type(exc).__name__


def _failed(imap: ImapSettings, exc: BaseException, lang: str) -> str:
    problem = _problem(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
    return t(
        "sync.failed.connection",
        lang,
        host=imap.host,
        port=imap.real_port,
        problem=problem or type(exc).__name__,
    )


def _close(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        with contextlib.suppress(OSError):
            client.shutdown()


def _select(client: imaplib.IMAP4, key: str, folder: str, host: str, lang: str) -> int:
    """Select folder read-only; its UIDVALIDITY."""
    status, data = client.select(_quoted(folder), readonly=True)
    if status != "OK":
        problem = (data[0] or b"").decode("utf-8", "replace") if data else status
        raise SyncRefused(
            t("sync.refused.folder", lang, host=host, folder=folder, setting=key, problem=problem)
        )
    _, values = client.response("UIDVALIDITY")
    return int(values[0])


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _new_uids(client: imaplib.IMAP4, after: int) -> list[int]:
    """The UIDs above after (UID SEARCH n:* names the last message even when it is below n)."""
    status, data = client.uid("SEARCH", None, f"UID {after + 1}:*")
    if status != "OK":
        raise imaplib.IMAP4.abort(f"UID SEARCH: {data!r}")
    return sorted(
        u for u in (int(x) for x in b" ".join(d or b"" for d in data).split()) if u > after
    )


def _fetch(client: imaplib.IMAP4, uids: list[int]) -> list[tuple[int, bytes]]:
    """The raw bytes of each UID, in batches; abort when the server leaves one out."""
    found: list[tuple[int, bytes]] = []
    for start in range(0, len(uids), FETCH_BATCH):
        batch = uids[start : start + FETCH_BATCH]
        status, data = client.uid("FETCH", ",".join(map(str, batch)), "(UID BODY.PEEK[])")
        if status != "OK":
            raise imaplib.IMAP4.abort(f"UID FETCH: {data!r}")
        got = {}
        for item in data:
            if isinstance(item, tuple):
                match = re.search(rb"UID (\d+)", item[0])
                if match:
                    got[int(match[1])] = item[1]
        missing = [u for u in batch if u not in got]
        if missing:
            raise imaplib.IMAP4.abort(f"UID FETCH left out UID {missing[0]}")
        found += [(u, got[u]) for u in batch]
    return found


def read_folders(
    imap: ImapSettings, state: dict[str, tuple[int, int]], lang: str
) -> list[FolderRead]:
    """Every folder's new messages after state ({folder: (uidvalidity, last_uid)}); all or raise."""
    client = _connect(imap, lang)
    reads: list[FolderRead] = []
    try:
        for key, folder in imap.folders.items():
            uidvalidity = _select(client, key, folder, imap.host, lang)
            kept_validity, last_uid = state.get(folder, (uidvalidity, 0))
            read = FolderRead(folder, uidvalidity, last_uid)
            if kept_validity != uidvalidity:
                read.reset_from, read.last_uid = kept_validity, 0
            read.messages = _fetch(client, _new_uids(client, read.last_uid))
            if read.messages:
                read.last_uid = read.messages[-1][0]
            reads.append(read)
    except (OSError, EOFError, imaplib.IMAP4.abort) as exc:
        raise SyncFailed(_failed(imap, exc, lang)) from None
    except imaplib.IMAP4.error as exc:
        raise SyncFailed(_failed(imap, exc, lang)) from None
    finally:
        _close(client)
    return reads


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


def _write_eml(folder: Path, messages: list[tuple[str, int, bytes]]) -> None:
    """Every message as folder/<imap folder>/<uid>.eml, the mailbox import's input."""
    for name, uid, raw in messages:
        safe = re.sub(r"[^\w.-]", "_", name) or "_"
        path = folder / safe / f"{uid:010d}.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)


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


def _convert(
    messages: list[tuple[str, int, bytes]], rules: MailboxSettings, work: Path
) -> tuple[Path, Path, Path, int, int]:
    """The mailbox import of messages: (inquiry log, quote log, review sheet, inquiries, events)."""
    source = work / "imap"
    _write_eml(source, messages)
    result = convert_mailbox([source], work / "out", rules)
    return (
        result.inquiries_path,
        result.quotes_path,
        result.review_path,
        result.inquiries,
        result.events,
    )


def sync_once(db: Path, settings: Settings, lang: str, dry_run: bool = False) -> SyncResult:
    """One sync of the [imap] folders into db, all or nothing; SyncRefused / SyncFailed otherwise."""
    rules = office_mailbox_settings(settings, lang)
    imap = imap_settings(settings)
    if not imap.host or not imap.user:
        raise SyncRefused(t("sync.refused.no_host", lang, file=settings_source()))
    state, known_ids = kept_state(db)
    reads = read_folders(imap, state, lang)
    result = SyncResult(imap.host, {r.folder: len(r.messages) for r in reads}, dry_run=dry_run)
    result.resets = [
        t("sync.folder_reset", lang, folder=r.folder, old=r.reset_from, new=r.uidvalidity)
        for r in reads
        if r.reset_from is not None
    ]
    if not result.new_messages and not result.resets:
        return result
    messages = _kept_messages(db, reads)
    messages += [(r.folder, uid, raw) for r in reads for uid, raw in r.messages]
    with tempfile.TemporaryDirectory(prefix="opsdash-sync-") as tmp:
        inquiries, quotes, review_path, result.inquiries, result.events = _convert(
            messages, rules, Path(tmp)
        )
        review = _review_table(review_path)
        result.review = sum(1 for b in review.column("became").to_pylist() if b == "not used")
        with inquiries.open(encoding="utf-8-sig", newline="") as fh:
            ids = {row["inquiry_id"] for row in csv.DictReader(fh)}
        result.new_inquiries = len(ids - known_ids)
        if not dry_run:
            # the mailbox is the record of its inquiries' events: a reply that changes how a thread
            # reads (a cancellation after a contract) replaces their events, never adds to them
            load_files(
                [inquiries, quotes],
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
