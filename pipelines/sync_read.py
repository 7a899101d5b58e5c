"""Reading the office's IMAP folders for the sync: what is new, then the new messages as a stream.

``MailboxReader.open`` logs in and, per folder, reads its UIDVALIDITY and the UIDs past the last one
kept (UID SEARCH): cheap, so a sync with nothing new ends there. ``MailboxReader.messages`` then fetches
the new messages in large UID ranges (``FETCH_BATCH`` per ``UID FETCH first:last``) on a second thread
and yields each as soon as its range has arrived, so the caller parses one range while the server
sends the next. A message the server leaves out, a changed UIDVALIDITY or a dropped connection raises
``SyncFailed``: the caller then loads nothing.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import queue
import re
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipelines.i18n import t

PASSWORD_ENV = "OPSDASH_IMAP_PASSWORD"
FETCH_BATCH = 1000  # UIDs per UID FETCH: one round trip each, and the server streams the range
TIMEOUT_SECONDS = 60.0
_FETCHED_UID = re.compile(rb"UID (\d+)")


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


@dataclass
class FolderRead:
    """One folder: its UIDVALIDITY, the new UIDs past the last kept, and their messages once fetched."""

    folder: str
    uidvalidity: int
    last_uid: int
    uids: list[int] = field(default_factory=list)
    messages: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (uid, raw bytes), in UID order
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
        raise SyncFailed(failed_text(imap, exc, lang)) from None
    try:
        client.login(imap.user, password)
    except imaplib.IMAP4.abort as exc:
        raise SyncFailed(failed_text(imap, exc, lang)) from None
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


def failed_text(imap: ImapSettings, exc: BaseException, lang: str) -> str:
    """The 'connection failed, nothing loaded' message for exc, in lang."""
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


def _fetch_range(client: imaplib.IMAP4, uids: list[int]) -> list[tuple[int, bytes]]:
    """The raw bytes of uids (consecutive UIDs of one SEARCH) in one UID FETCH first:last."""
    status, data = client.uid("FETCH", f"{uids[0]}:{uids[-1]}", "(UID BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.abort(f"UID FETCH: {data!r}")
    got: dict[int, bytes] = {}
    for item in data:
        if isinstance(item, tuple):
            match = _FETCHED_UID.search(item[0])
            if match:
                got[int(match[1])] = item[1]
    missing = [u for u in uids if u not in got]
    if missing:
        raise imaplib.IMAP4.abort(f"UID FETCH left out UID {missing[0]}")
    return [(u, got[u]) for u in uids]


_DONE = object()


class MailboxReader:
    """One sync's IMAP session: ``open`` (what is new), ``messages`` (the new mail), ``close``."""

    def __init__(self, imap: ImapSettings, state: dict[str, tuple[int, int]], lang: str) -> None:
        self.imap, self.state, self.lang = imap, state, lang
        self.client: imaplib.IMAP4 | None = None
        self.reads: list[FolderRead] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> MailboxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> list[FolderRead]:
        """Log in; each folder's UIDVALIDITY and new UIDs ({folder: (uidvalidity, last_uid)} kept)."""
        self.client = _connect(self.imap, self.lang)
        try:
            for key, folder in self.imap.folders.items():
                uidvalidity = self._select(key, folder)
                kept_validity, last_uid = self.state.get(folder, (uidvalidity, 0))
                read = FolderRead(folder, uidvalidity, last_uid)
                if kept_validity != uidvalidity:
                    read.reset_from, read.last_uid = kept_validity, 0
                read.uids = _new_uids(self.client, read.last_uid)
                self.reads.append(read)
        except (OSError, EOFError, imaplib.IMAP4.error) as exc:
            raise SyncFailed(failed_text(self.imap, exc, self.lang)) from None
        return self.reads

    def _select(self, key: str, folder: str) -> int:
        """Select folder read-only; its UIDVALIDITY."""
        assert self.client is not None
        status, data = self.client.select(_quoted(folder), readonly=True)
        if status != "OK":
            problem = (data[0] or b"").decode("utf-8", "replace") if data else status
            raise SyncRefused(
                t(
                    "sync.refused.folder",
                    self.lang,
                    host=self.imap.host,
                    folder=folder,
                    setting=key,
                    problem=problem,
                )
            )
        _, values = self.client.response("UIDVALIDITY")
        return int(values[0])

    def messages(self) -> Iterator[tuple[FolderRead, int, bytes]]:
        """Every new message as (its folder, uid, raw bytes), each range as soon as it arrived."""
        arrived: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._fetch_all, args=(arrived,), daemon=True)
        self._thread.start()
        while (item := arrived.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise SyncFailed(failed_text(self.imap, item, self.lang)) from None
            read, batch = item
            read.messages += batch
            for uid, raw in batch:
                yield read, uid, raw
        for read in self.reads:
            if read.uids:
                read.last_uid = read.uids[-1]

    def _fetch_all(self, arrived: queue.Queue) -> None:
        """The fetching thread: each folder's new UIDs, range by range, into arrived."""
        try:
            for key, read in zip(self.imap.folders, self.reads, strict=True):
                if not read.uids or self._stop.is_set():
                    continue
                if self._select(key, read.folder) != read.uidvalidity:
                    raise imaplib.IMAP4.abort(f"UIDVALIDITY of {read.folder} changed mid-sync")
                for start in range(0, len(read.uids), FETCH_BATCH):
                    if self._stop.is_set():
                        return
                    assert self.client is not None
                    batch = read.uids[start : start + FETCH_BATCH]
                    arrived.put((read, _fetch_range(self.client, batch)))
        except (OSError, EOFError, imaplib.IMAP4.error, SyncRefused) as exc:
            arrived.put(exc)
        arrived.put(_DONE)

    def close(self) -> None:
        """Stop the fetching (a sync given up mid-way cuts the connection) and log out."""
        self._stop.set()
        if self._thread is not None and self._thread.is_alive() and self.client is not None:
            with contextlib.suppress(OSError):
                self.client.shutdown()
            self._thread.join(TIMEOUT_SECONDS)
        if self.client is not None:
            _close(self.client)
            self.client = None
