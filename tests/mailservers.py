"""Real mail servers for the tests, on 127.0.0.1 with free ports: pymap (IMAP) and a dropping proxy."""

from __future__ import annotations

import imaplib
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

USER, PASSWORD = "office", "correct horse battery"
OFFICE = "info@office.example.jp"
JST = timezone(timedelta(hours=9))


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the mail server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server on port {port} after {seconds} s")


@contextmanager
def pymap_server(cert: Path | None = None, key: Path | None = None) -> Iterator[int]:
    """A pymap dict-backend IMAP server (plain, or TLS with cert/key) with one user; its port."""
    port = free_port()
    pymap = Path(sys.executable).with_name("pymap")
    tls = ["--cert", str(cert), "--key", str(key)] if cert else ["--no-tls"]
    command = [str(pymap), "--host", "127.0.0.1", "--port", str(port), *tls, "dict"]
    command += ["--demo-user", USER, "--demo-password", PASSWORD]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def imap_client(port: int, cafile: Path | None = None) -> imaplib.IMAP4:
    """A logged-in client of the test server (to seed or change its folders); STARTTLS with cafile."""
    client = imaplib.IMAP4("127.0.0.1", port)
    if cafile is not None:
        context = ssl.create_default_context(cafile=str(cafile))
        context.check_hostname = False
        client.starttls(ssl_context=context)
    client.login(USER, PASSWORD)
    return client


def seed(port: int, folder: str, messages: list[bytes], cafile: Path | None = None) -> None:
    """Append messages to folder (created when missing)."""
    client = imap_client(port, cafile)
    try:
        client.create(folder)
        for raw in messages:
            status, data = client.append(folder, None, None, raw)
            assert status == "OK", data
    finally:
        client.logout()


def empty(port: int) -> None:
    """Leave the server as it started: no folder but INBOX, and INBOX without messages (a server
    shared by a module's tests is emptied before each test; its UIDs go on counting)."""
    client = imap_client(port)
    try:
        status, listed = client.list()
        assert status == "OK", listed
        for line in listed:
            name = line.decode().rsplit(" ", 1)[-1].strip('"')
            if name.upper() != "INBOX":
                assert client.delete(name)[0] == "OK", name
        if client.select("INBOX")[1] != [b"0"]:
            client.store("1:*", "+FLAGS", "\\Deleted")
            client.expunge()
        assert client.select("INBOX")[1] == [b"0"]  # no message left
    finally:
        client.logout()


def recreate(port: int, folder: str, messages: list[bytes]) -> None:
    """Delete folder and make it again with messages: the server gives it a new UIDVALIDITY."""
    client = imap_client(port)
    try:
        client.delete(folder)
    finally:
        client.logout()
    seed(port, folder, messages)


def mail(
    sender: str,
    to: str,
    subject: str,
    body: str,
    at: datetime,
    reply_to: EmailMessage | None = None,
    charset: str = "utf-8",
) -> EmailMessage:
    """One message as a mail program writes it (Japanese subject as RFC 2047 words)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = make_msgid(domain="test.example")
    if reply_to is not None:
        msg["In-Reply-To"] = reply_to["Message-ID"]
        msg["References"] = reply_to["Message-ID"]
    msg.set_content(body, charset=charset)
    return msg


def raw(msg: EmailMessage) -> bytes:
    """The message's bytes with CRLF line ends, as IMAP carries them.

    A message in ISO-2022-JP gets its subject in ISO-2022-JP words too, as older Japanese mail
    programs write it.
    """
    data = msg.as_bytes().replace(b"\r\n", b"\n")
    if msg.get_content_charset() == "iso-2022-jp":
        words = Header(str(msg["Subject"]), "iso-2022-jp").encode().encode("ascii")
        subject = re.compile(rb"^Subject: .*?\n(?=\S)", re.M | re.S)
        data = subject.sub(b"Subject: " + words + b"\n", data, count=1)
    return data.replace(b"\n", b"\r\n")


def office_week(start: datetime, customers: int) -> tuple[list[bytes], list[bytes]]:
    """(INBOX, Sent): each customer asks, the office quotes, every third signs; a newsletter too."""
    inbox: list[bytes] = []
    sent: list[bytes] = []
    office = str(Address("受付 事務所", addr_spec=OFFICE))
    for n in range(customers):
        at = start + timedelta(hours=3 * n)
        customer = str(Address(f"顧客{n}", addr_spec=f"customer{n}@mail.example.jp"))
        ask = mail(
            customer,
            OFFICE,
            f"代行のお願い {n}",
            f"お名前：山田 {n}\n電話番号：03-1234-{n:04d}\n住所：東京都千代田区{n}\n"
            "来週電話をお願いしたいです。",
            at,
            charset="iso-2022-jp" if n == 1 else "utf-8",
        )
        quote = mail(
            office,
            customer,
            f"Re: 代行のお願い {n}",
            f"お見積り金額：{12000 + n * 100:,}円\n",
            at + timedelta(hours=1),
            reply_to=ask,
        )
        inbox.append(raw(ask))
        sent.append(raw(quote))
        if n % 3 == 0:
            yes = mail(
                customer,
                OFFICE,
                f"Re: 代行のお願い {n}",
                "正式に依頼します。",
                at + timedelta(hours=2),
                reply_to=quote,
            )
            inbox.append(raw(yes))
    news = mail(office, "list@office.example.jp", "事務所だより", "今月のお知らせです。", start)
    sent.append(raw(news))
    return inbox, sent


class DroppingProxy:
    """A TCP proxy to port that cuts the connection after `limit` bytes from the server."""

    def __init__(self, port: int, limit: int) -> None:
        self.target, self.limit = port, limit
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.dropped = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        server = socket.create_connection(("127.0.0.1", self.target))
        threading.Thread(target=self._pipe, args=(client, server, None), daemon=True).start()
        self._pipe(server, client, self.limit)

    def _pipe(self, src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                if limit is not None and sent + len(data) > limit:
                    dst.sendall(data[: limit - sent])
                    self.dropped = True
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        """Stop listening."""
        self.listener.close()
