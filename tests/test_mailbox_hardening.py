"""The mailbox import under hostile conditions (issue 21): huge attachments under a memory limit,
SIGKILL while the three outputs are written, ulimit -f on them, messages over the text limit.

Mailbox files are read in one streaming pass that drops attachment bodies (pipelines/mailbox/
stream.py): the tests first prove that this reads every message exactly as parsing it whole would.
"""

from __future__ import annotations

import base64
import io
import mailbox
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pipelines.mailbox.stream as stream
from pipelines.__main__ import main
from pipelines.mailbox import MailboxError, MailboxSettings, convert_mailbox
from pipelines.mailbox.decode import _read_message
from pipelines.mailbox.output import JOURNAL
from pipelines.mailbox.settings import INQUIRIES_FILE, QUOTES_FILE, REVIEW_FILE
from pipelines.mailbox.stream import mbox_messages, reduce_message

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = (REVIEW_FILE, QUOTES_FILE, INQUIRIES_FILE)
OFFICE = "office@example.jp"
SETTINGS = MailboxSettings(office_addresses=(OFFICE,))


def _head(n: int, sender: str = "taro@example.jp", extra: str = "", when: int = 10) -> str:
    return (
        f"From: Taro <{sender}>\nTo: {OFFICE}\nSubject: inquiry {n}\n"
        f"Date: Mon, 2 Nov 2026 {when:02d}:{n % 60:02d}:00 +0900\nMessage-ID: <h{n}@example.jp>\n"
        f"MIME-Version: 1.0\n{extra}"
    )


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


BODY = "お名前：山田太郎\nご住所：東京都新宿区1-1\n見積もりをお願いします。\n"
PDF = _b64(os.urandom(3000))
# Messages whose structure the streaming reader must follow exactly as the email package does.
MESSAGES: dict[str, str] = {
    "plain": _head(1, extra="Content-Type: text/plain; charset=utf-8\n") + "\n" + BODY,
    "mixed with a pdf": _head(2, extra='Content-Type: multipart/mixed; boundary="B1"\n')
    + f"\npreamble\n--B1\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--B1\n"
    'Content-Type: application/pdf; name="見積.pdf"\nContent-Disposition: attachment; '
    f'filename="quote.pdf"\nContent-Transfer-Encoding: base64\n\n{PDF}--B1--\nepilogue\n',
    "alternative inside mixed": _head(3, extra="Content-Type: multipart/mixed; boundary=OUT\n")
    + "\n--OUT\nContent-Type: multipart/alternative; boundary=ALT\n\n--ALT\n"
    f"Content-Type: text/plain; charset=utf-8\n\n{BODY}--ALT\n"
    "Content-Type: text/html; charset=utf-8\n\n<p>お名前：山田花子</p>\n--ALT--\n--OUT\n"
    f"Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n{PDF}--OUT--\n",
    "text attachment": _head(4, extra="Content-Type: multipart/mixed; boundary=Z\n")
    + f"\n--Z\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--Z\n"
    'Content-Type: text/csv; charset=utf-8\nContent-Disposition: attachment; filename="a.csv"\n\n'
    "お名前：偽物\n1,2,3\n--Z--\n",
    "attached mail": _head(5, extra="Content-Type: multipart/mixed; boundary=M\n")
    + f"\n--M\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--M\n"
    "Content-Type: message/rfc822\n\n"
    + _head(99, extra="Content-Type: multipart/mixed; boundary=INNER\n")
    + "\n--INNER\nContent-Type: text/plain\n\ninner text\n--INNER\n"
    f"Content-Type: application/zip\n\n{PDF}--INNER--\n\n--M--\n",
    "digest": _head(6, extra="Content-Type: multipart/digest; boundary=D\n")
    + "\n--D\n\n"
    + _head(7)
    + "\nfirst\n--D\nContent-Type: text/plain\n\nsecond\n--D--\n",
    "no end boundary": _head(8, extra="Content-Type: multipart/mixed; boundary=E\n")
    + f"\n--E\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--E\n"
    f"Content-Type: application/pdf\n\n{PDF}",
    "boundary with spaces": _head(9, extra='Content-Type: multipart/mixed; boundary="S S"\n')
    + f"\n--S S  \nContent-Type: application/pdf\n\n{PDF}--S S \t\n"
    f"Content-Type: text/plain; charset=utf-8\n\n{BODY}--S S--  \n",
    "attachment only": _head(10, extra="Content-Type: application/octet-stream\n") + "\n" + PDF,
    "headers run into the body": _head(11) + "this line is no header\n" + BODY,
    "crlf": (
        _head(12, extra="Content-Type: multipart/mixed; boundary=C\n")
        + f"\n--C\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--C\n"
        f"Content-Type: application/pdf\n\n{PDF}--C--\n"
    ).replace("\n", "\r\n"),
    "bare cr": _head(13, extra="Content-Type: multipart/mixed; boundary=R\n")
    + f"\n--R\rContent-Type: application/pdf\r\r{PDF}--R\r"
    f"Content-Type: text/plain; charset=utf-8\r\r{BODY}--R--\r",
    "only bare cr": (
        _head(16, extra="Content-Type: multipart/mixed; boundary=RR\n")
        + f"\n--RR\nContent-Type: application/pdf\n\n{PDF}--RR\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{BODY}--RR--\n"
    ).replace("\n", "\r"),
    "long line": _head(14, extra="Content-Type: text/plain; charset=utf-8\n")
    + "\n"
    + BODY
    + "あ" * (stream.LINE_BYTES // 2)
    + "\n",
    "quoted-printable html": _head(15, extra="Content-Type: multipart/mixed; boundary=Q\n")
    + "\n--Q\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: "
    "quoted-printable\n\n<table><tr><th>=E3=81=8A=E5=90=8D=E5=89=8D</th><td>=E5=B1=B1=E7=94=B0"
    f"</td></tr></table>\n--Q\nContent-Type: application/pdf\n\n{PDF}--Q--\n",
}


def _fields(raw: bytes) -> dict:
    mail = _read_message(raw, "src", ("src",))
    return {k: v for k, v in vars(mail).items() if k not in ("source", "order")}


@pytest.mark.slow
@pytest.mark.parametrize("line_bytes", [stream.LINE_BYTES, 64, 77])
@pytest.mark.parametrize("name", list(MESSAGES))
def test_streaming_reads_a_message_as_parsing_it_whole(name: str, line_bytes: int, monkeypatch):
    """Also with lines read in small pieces: CRLF and boundaries cut at every place."""
    monkeypatch.setattr(stream, "LINE_BYTES", line_bytes)
    raw = MESSAGES[name].encode("utf-8")
    reduced = reduce_message(io.BytesIO(raw))
    assert _fields(reduced) == _fields(raw)
    if PDF in MESSAGES[name]:
        assert len(reduced) < len(raw) - 3000  # the attachment's body was dropped


@pytest.mark.parametrize("line_bytes", [stream.LINE_BYTES, 64])
def test_mbox_split_is_the_standard_librarys(tmp_path: Path, line_bytes: int, monkeypatch):
    """Message boundaries, the blank line before 'From ', '>From ' unquoting, a missing last newline."""
    monkeypatch.setattr(stream, "LINE_BYTES", line_bytes)
    data = (
        b"From a Mon Nov  2 10:00:00 2026\n" + MESSAGES["plain"].encode() + b"\n"
        b"From b Mon Nov  2 10:00:00 2026\n" + MESSAGES["mixed with a pdf"].encode() + b"\n\n"
        b"From c no blank line before\n" + _head(20).encode() + b"\n>From the body\n>>From x\n"
        b"From d Mon Nov  2 10:00:00 2026\n" + MESSAGES["crlf"].encode() + b"\n"
        b"From e Mon Nov  2 10:00:00 2026\n" + _head(21).encode() + b"\nno final newline"
    )
    path = tmp_path / "box.mbox"
    path.write_bytes(data)
    box = mailbox.mbox(str(path), create=False)
    expected = [
        reduce_message(io.BytesIO(re.sub(rb"(?m)^>(>*From )", rb"\1", box.get_bytes(key))))
        for key in box.iterkeys()
    ]
    box.close()
    with path.open("rb") as fh:
        assert list(mbox_messages(fh)) == expected
    assert len(expected) == 5


def test_a_message_over_the_text_limit_is_a_review_row(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(stream, "MAX_KEPT_BYTES", 20_000)
    big = _head(30, extra="Content-Type: text/plain; charset=utf-8\n") + "\n" + "あ" * 20_000
    small = MESSAGES["mixed with a pdf"]  # 4 kB of attachment, dropped: within the limit
    path = tmp_path / "box.mbox"
    path.write_bytes(
        b"".join(b"From x Mon Nov  2 10:00:00 2026\n" + m.encode() + b"\n" for m in (big, small))
    )
    result = convert_mailbox([path], tmp_path / "out", SETTINGS)
    assert result.inquiries == 1
    assert result.skipped_counts == {"unreadable": 1}
    review = (tmp_path / "out" / REVIEW_FILE).read_text(encoding="utf-8-sig")
    assert "MB of headers and text (attachments not counted)" in review
    assert "inquiry 30" in review  # the subject is still shown
    assert "quote.pdf" in review


@pytest.mark.parametrize("where", ["header", "top headers", "nested headers"])
def test_a_header_bomb_is_a_review_row_not_memory(tmp_path: Path, monkeypatch, where: str):
    """Headers count towards the limit too, and stop being kept once over it."""
    monkeypatch.setattr(stream, "MAX_KEPT_BYTES", 20_000)
    junk = "X-Junk: " + "a" * 100 + "\n" + " b\n" * 20_000  # one folded header, 60 kB
    if where == "header":
        big = _head(31, extra=junk) + "\nbody\n"
    elif where == "top headers":
        big = junk + _head(31) + "\nbody\n"
    else:
        big = (
            _head(31, extra="Content-Type: multipart/mixed; boundary=J\n")
            + f"\n--J\n{junk}Content-Type: text/plain\n\nbody\n--J--\n"
        )
    reducer = stream._Reducer()
    for line in big.encode().splitlines(keepends=True):
        reducer.feed(line)
    assert sum(map(len, reducer.kept)) + sum(map(len, reducer.header or [])) <= 20_100
    mail = _read_message(reducer.result(), "src", ("src",))
    assert mail.problem[0] == "too_large"
    if where != "top headers":
        assert mail.subject == "inquiry 31"


# ------------------------------------------------------------------------- a 200 MB attachment

_PEAK = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pipelines.__main__ import main
    try:
        code = main(sys.argv[2:])
    finally:
        # VmHWM, not ru_maxrss: after exec, ru_maxrss starts from the parent's (pytest's) peak
        with open("/proc/self/status") as status:
            peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) // 1024
        print(f"peak-rss-mib {peak}", file=sys.stderr)
    sys.exit(code)
    """
)


def _write_big_mbox(path: Path, attachment_bytes: int) -> None:
    with path.open("wb") as fh:
        fh.write(b"From taro Mon Nov  2 10:00:00 2026\n")
        fh.write(_head(40, extra="Content-Type: multipart/mixed; boundary=BIG\n").encode())
        fh.write(f"\n--BIG\nContent-Type: text/plain; charset=utf-8\n\n{BODY}--BIG\n".encode())
        fh.write(b"Content-Type: application/pdf\nContent-Disposition: attachment; ")
        fh.write(b'filename="scan.pdf"\nContent-Transfer-Encoding: base64\n\n')
        block = base64.encodebytes(os.urandom(57 * 20_000))  # 76-character lines
        for _ in range(attachment_bytes // (57 * 20_000) + 1):
            fh.write(block)
        fh.write(b"--BIG--\n\nFrom office Mon Nov  2 11:00:00 2026\n")
        fh.write(
            f"From: {OFFICE}\nTo: taro@example.jp\nSubject: Re: inquiry 40\n"
            "Date: Mon, 2 Nov 2026 11:00:00 +0900\nMessage-ID: <r40@example.jp>\n"
            "In-Reply-To: <h40@example.jp>\nContent-Type: text/plain; charset=utf-8\n\n"
            "お見積り金額：12,000円\n".encode()
        )


@pytest.mark.slow
def test_a_200_mb_attachment_under_a_1_gib_memory_limit(tmp_path: Path):
    """Before: 2.7 GB peak (MemoryError under the limit, the inquiry lost). Now: the baseline."""
    box = tmp_path / "big.mbox"
    _write_big_mbox(box, 200 * 1024 * 1024)
    settings = tmp_path / "s.toml"
    settings.write_text(f'[mailbox]\noffice_addresses = ["{OFFICE}"]\n')
    out = tmp_path / "out"
    args = ["mailbox", str(box), "--out", str(out), "--settings", str(settings)]
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(1024**3), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    peak = int(re.search(r"peak-rss-mib (\d+)", done.stderr).group(1))
    print(f"peak RSS {peak} MiB for a {box.stat().st_size // 2**20} MiB mbox")
    assert peak < 400
    inquiries = (out / INQUIRIES_FILE).read_text(encoding="utf-8-sig")
    quotes = (out / QUOTES_FILE).read_text(encoding="utf-8-sig")
    review = (out / REVIEW_FILE).read_text(encoding="utf-8-sig")
    assert "山田太郎" in inquiries
    assert '"quote_sent"' in quotes
    assert '"12000"' in quotes
    assert '"scan.pdf"' in review
    assert "unreadable" not in review


# ------------------------------------------------------------------ kills and limits while writing


def _mbox(path: Path, inquiries: int, body_repeat: int = 1) -> Path:
    parts = []
    for n in range(inquiries):
        body = BODY * body_repeat
        parts.append(
            "From x Mon Nov  2 10:00:00 2026\n"
            + _head(n, extra="Content-Type: text/plain; charset=utf-8\n", when=9 + n % 10)
            + f"\n{body}\n"
        )
    parts.append(
        "From y Mon Nov  2 12:00:00 2026\n"
        f"From: {OFFICE}\nTo: taro@example.jp\nSubject: Re: inquiry 0\n"
        "Date: Mon, 2 Nov 2026 12:00:00 +0900\nMessage-ID: <q@example.jp>\n"
        f"In-Reply-To: <h0@example.jp>\nContent-Type: text/plain; charset=utf-8\n\n"
        f"お見積り金額：{inquiries * 1000:,}円\n"
    )
    path.write_text("".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def two_runs(tmp_path: Path) -> dict:
    """Mailboxes A and B, the reference outputs of each, and a settings file."""
    settings = tmp_path / "s.toml"
    settings.write_text(f'[mailbox]\noffice_addresses = ["{OFFICE}"]\n')
    runs: dict = {"settings": settings}
    for name, count, repeat in (("A", 1, 1), ("B", 4, 30)):
        box = _mbox(tmp_path / f"{name}.mbox", count, repeat)
        ref = tmp_path / f"ref-{name}"
        convert_mailbox([box], ref, SETTINGS)
        runs[name] = {"box": box, "files": {f: (ref / f).read_bytes() for f in OUTPUTS}}
    for f in OUTPUTS:
        assert runs["A"]["files"][f] != runs["B"]["files"][f]
    return runs


def _runs_of(out: Path, runs: dict) -> set[str]:
    """Which runs the three files come from ('A', 'B', or '?' for neither)."""
    found = set()
    for f in OUTPUTS:
        data = (out / f).read_bytes()
        found.add(next((r for r in "AB" if runs[r]["files"][f] == data), "?"))
    return found


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    kill_at, calls = int(sys.argv[1]), [0]
    def counted(real):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call
    os.fsync, os.replace = counted(os.fsync), counted(os.replace)
    from pipelines.__main__ import main
    sys.exit(main(sys.argv[2:]))
    """
)


@pytest.mark.slow
def test_sigkill_at_every_write_point_leaves_one_runs_set(tmp_path: Path, two_runs: dict):
    """SIGKILL before each fsync and rename of run B over run A's files: the folder holds A's set
    or B's — a torn set only between two renames, with the journal, and any next run (even one that
    fails on its input) completes it first."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["mailbox", str(two_runs["B"]["box"]), "--out", str(out)]
    args += ["--settings", str(two_runs["settings"])]
    seen: list[tuple[int, frozenset, bool]] = []
    for kill_at in range(1, 30):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for f in OUTPUTS:
            (out / f).write_bytes(two_runs["A"]["files"][f])
        done = subprocess.run(
            [sys.executable, "-c", _KILLER, str(kill_at), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
        )
        if done.returncode == 0:
            assert _runs_of(out, two_runs) == {"B"}
            assert _leftovers(out) == []
            break
        assert done.returncode == -9, done.stderr
        journal = (out / JOURNAL).exists()
        found = _runs_of(out, two_runs)
        assert "?" not in found
        assert len(found) == 1 or journal, (kill_at, found)
        seen.append((kill_at, frozenset(found), journal))
        # the next run fails on its input, but first completes the killed run's set
        assert main(["mailbox", str(tmp_path / "missing.mbox"), "--out", str(out)]) == 2
        assert len(_runs_of(out, two_runs)) == 1
        assert _runs_of(out, two_runs) == ({"B"} if journal else found)
        assert _leftovers(out) == []
    assert len(seen) >= 8  # three temporaries, the journal, the folder, three renames
    assert any(journal and len(found) == 2 for _, found, journal in seen)  # a torn moment was hit


_SIGNALLER = textwrap.dedent(
    """
    import os, signal, sys
    target, signum, done = sys.argv[1], getattr(signal, sys.argv[2]), []
    def once(real):
        def call(*args, **kwargs):
            if not done:
                done.append(1)
                os.kill(os.getpid(), signum)
            return real(*args, **kwargs)
        return call
    setattr(os, target, once(getattr(os, target)))
    from pipelines.__main__ import main
    sys.exit(main(sys.argv[3:]))
    """
)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("during", ["fsync", "replace"])
def test_a_signal_while_writing_gives_one_set(
    tmp_path: Path, two_runs: dict, signame: str, during: str
):
    """Ctrl-C or SIGTERM while the temporaries are written: interrupted, A's set untouched. During
    the renames: they finish, the run ends normally and says so."""
    out = tmp_path / "out"
    out.mkdir()
    for f in OUTPUTS:
        (out / f).write_bytes(two_runs["A"]["files"][f])
    args = ["mailbox", str(two_runs["B"]["box"]), "--out", str(out), "--lang", "en"]
    args += ["--settings", str(two_runs["settings"])]
    done = subprocess.run(
        [sys.executable, "-c", _SIGNALLER, during, signame, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr
    if during == "fsync":
        assert done.returncode == 128 + getattr(signal, signame), done.stderr  # 130 or 143
        assert "interrupted" in done.stderr
        assert _runs_of(out, two_runs) == {"A"}
    else:
        assert done.returncode == 0, done.stderr
        assert "interrupted while the files were being replaced" in done.stdout
        assert _runs_of(out, two_runs) == {"B"}
    assert _leftovers(out) == []


def test_an_output_name_taken_by_a_folder_is_refused_before_writing(tmp_path: Path, two_runs: dict):
    out = tmp_path / "out"
    out.mkdir()
    for f in (REVIEW_FILE, QUOTES_FILE):
        (out / f).write_bytes(two_runs["A"]["files"][f])
    (out / INQUIRIES_FILE).mkdir()
    with pytest.raises(MailboxError, match="is a folder, so the output cannot replace it"):
        convert_mailbox([two_runs["B"]["box"]], out, SETTINGS)
    assert (out / REVIEW_FILE).read_bytes() == two_runs["A"]["files"][REVIEW_FILE]
    assert _leftovers(out) == []


def _limit_fsize(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("which", ["nothing", "half the first", "the last"])
def test_ulimit_f_on_the_outputs_is_a_clear_message(tmp_path: Path, two_runs: dict, which: str):
    """RLIMIT_FSIZE below one output's size: exit 2, the file named, no traceback, A's set intact."""
    sizes = {f: len(data) for f, data in two_runs["B"]["files"].items()}
    assert sizes[INQUIRIES_FILE] > max(sizes[REVIEW_FILE], sizes[QUOTES_FILE])
    limit = {
        "nothing": 0,
        "half the first": sizes[REVIEW_FILE] // 2,
        "the last": (max(sizes[REVIEW_FILE], sizes[QUOTES_FILE]) + sizes[INQUIRIES_FILE]) // 2,
    }[which]
    failing = INQUIRIES_FILE if which == "the last" else REVIEW_FILE
    out = tmp_path / "out"
    out.mkdir()
    for f in OUTPUTS:
        (out / f).write_bytes(two_runs["A"]["files"][f])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines",
            "mailbox",
            str(two_runs["B"]["box"]),
            "--out",
            str(out),
            "--settings",
            str(two_runs["settings"]),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_fsize(limit),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{failing}: cannot be written (File too large: " in done.stderr
    assert "ulimit -f" in done.stderr
    assert "are unchanged" in done.stderr
    assert _runs_of(out, two_runs) == {"A"}
    assert _leftovers(out) == []
