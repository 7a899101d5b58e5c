"""Reading mailbox files in one pass, keeping only what the import reads: headers and text parts.

An mbox is read line by line (never whole), split into messages the way the standard library's
``mailbox.mbox`` splits it, and each message passes through ``_Reducer``: every header is kept, and so
is the body of every text part, but the body of an attachment (a part that is not text, or is marked
``Content-Disposition: attachment``, or an attached mail) is dropped as it streams past — the import
only names attachments. A 200 MB attachment therefore costs one line of memory, not eight copies of
itself. What a message keeps is bounded by ``MAX_KEPT_BYTES``; a message over it is reported as
unreadable (``TooLarge``) instead of being parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.parser import BytesHeaderParser
from typing import BinaryIO

MAX_KEPT_BYTES = 64 * 1024 * 1024  # headers and text of one message, after attachments are dropped
LINE_BYTES = 1024 * 1024  # a longer line is read in pieces of this size

_HEADER_LINE = re.compile(rb"^(From |[\041-\071\073-\176]*:|[\t ])")  # feedparser's headerRE
_BARE_CR = re.compile(rb"(?<=\r)(?!\n)")
_QUOTED_FROM = re.compile(rb"^>(>*From )")


class TooLarge(bytes):
    """The kept part of a message that is over MAX_KEPT_BYTES (its headers, for the review sheet)."""


class _Reducer:
    """Feeds the lines of one message; keeps headers and text bodies, drops attachment bodies."""

    def __init__(self, limit: int | None = None) -> None:
        self.kept: list[bytes] = []
        self.size = 0
        self.limit = MAX_KEPT_BYTES if limit is None else limit
        self.over = False
        self.boundaries: list[tuple[bytes, bool]] = []  # (separator '--…', inside multipart/digest)
        self.header: list[bytes] | None = []  # the current part's header lines, while reading them
        self.drop = False  # the current part's body is an attachment's
        self.digest = False  # the current part is a direct child of a multipart/digest
        self.at_start = True

    def feed(self, piece: bytes) -> None:
        """One piece of the message (a whole line, or part of a long one)."""
        if self.over:
            return  # nothing more is kept: the message is reported, not parsed
        for segment in _BARE_CR.split(piece) if b"\r" in piece else (piece,):
            if not segment:
                continue
            starts = self.at_start
            self.at_start = segment.endswith((b"\n", b"\r"))  # a bare CR ends a line too
            if starts:
                self._line(segment)
            elif self.header is not None:  # the rest of a long line
                self.header.append(segment)
                self._count(segment)
            elif not self.drop:
                self._keep(segment)

    def _line(self, line: bytes) -> None:
        if self.boundaries and line.startswith(b"--") and self._boundary(line):
            return
        if self.header is None:
            if not self.drop:
                self._keep(line)
            return
        if line in (b"\n", b"\r\n", b"\r"):
            self._end_header()
            self._keep(line)
        elif _HEADER_LINE.match(line):
            self.header.append(line)
            self._count(line)
        else:  # a body line where a header was expected: the headers ended (feedparser's defect)
            self._end_header()
            if not self.drop:
                self._keep(line)

    def _boundary(self, line: bytes) -> bool:
        """A separator of an enclosing multipart: close inner parts, start the next part's headers."""
        text = line.rstrip(b"\r\n").rstrip(b" \t")
        for depth in range(len(self.boundaries) - 1, -1, -1):
            separator, digest = self.boundaries[depth]
            if text not in (separator, separator + b"--"):
                continue
            del self.boundaries[depth + 1 :]
            if self.header is not None:
                self._end_header()
            self._keep(line)
            if text == separator:
                self.header, self.drop, self.digest = [], False, digest
            else:
                del self.boundaries[depth]
                self.header, self.drop = None, False  # the epilogue, kept like a preamble
            return True
        return False

    def _end_header(self) -> None:
        block = b"".join(self.header or [])
        self.header = None
        if not self.over:  # counted line by line as it was read
            self.kept.append(block)
        try:
            part = BytesHeaderParser(policy=policy.compat32).parsebytes(block)
            if self.digest:
                part.set_default_type("message/rfc822")
            maintype = part.get_content_maintype()
            boundary = part.get_boundary() if maintype == "multipart" else None
            attachment = part.get_content_disposition() == "attachment"
        except Exception:  # headers the email package cannot read: keep the body as it is
            return
        if boundary is not None:
            separator = ("--" + boundary).encode("ascii", "surrogateescape")
            self.boundaries.append((separator, part.get_content_subtype() == "digest"))
        else:
            self.drop = maintype != "multipart" and (maintype != "text" or attachment)

    def _count(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self._count(data)
        if not self.over:
            self.kept.append(data)

    def result(self) -> bytes:
        """The kept bytes: a TooLarge holding only the top headers when over the limit."""
        if self.header is not None and not self.over:
            self._end_header()
        if self.over:
            head = b"".join(self.kept or self.header or [])
            return TooLarge(re.split(rb"\r?\n\r?\n", head[: 1024 * 1024], maxsplit=1)[0])
        return b"".join(self.kept)


def _pieces(fh: BinaryIO) -> Iterator[bytes]:
    """Lines of at most about LINE_BYTES (a longer line comes in several pieces).

    A piece cut by the size never ends inside a line that a bare CR ends (old Mac mail), so every
    such line shorter than LINE_BYTES (a MIME boundary) is whole in one piece, and never with a CR
    whose LF is in the next piece (a CRLF is never read as a bare CR and an empty line).
    """
    carry = b""
    while chunk := fh.readline(LINE_BYTES):
        piece, carry = carry + chunk, b""
        if not piece.endswith(b"\n"):
            cut = piece.rfind(b"\r")
            if cut == len(piece) - 1:
                piece, carry = piece[:-1], b"\r"  # its LF, if any, comes with the next read
            elif cut >= 0 and len(piece) - cut - 1 < LINE_BYTES:
                piece, carry = piece[: cut + 1], piece[cut + 1 :]
        if piece:
            yield piece
    if carry:
        yield carry


def reduce_message(fh: BinaryIO, limit: int | None = None) -> bytes:
    """A whole file holding one message (.eml), read in pieces and reduced."""
    reducer = _Reducer(limit)
    for piece in _pieces(fh):
        reducer.feed(piece)
    return reducer.result()


def mbox_messages(fh: BinaryIO, limit: int | None = None) -> Iterator[bytes]:
    """Each message of an mbox, reduced, split where ``mailbox.mbox`` splits it.

    A message starts at every line that starts with 'From ' (that line is not part of it) and ends
    before the next one; one blank line just before the next 'From ' line (or the end) is the
    separator's. Body lines quoted as '>From ' (mboxo, mboxrd) lose one '>'.
    """
    reducer: _Reducer | None = None
    blank = False  # a blank line is held back: it may be the separator before 'From '
    at_start = True
    skipping = False  # the rest of a 'From ' line longer than a piece
    for piece in _pieces(fh):
        starts, at_start = at_start, piece.endswith(b"\n")
        if skipping or (starts and piece.startswith(b"From ")):
            if not skipping:
                if reducer is not None:
                    yield reducer.result()
                reducer, blank = _Reducer(limit), False
            skipping = not at_start
            continue
        if reducer is None:
            continue  # before the first 'From ' line (the caller checks the file starts with one)
        if blank:
            reducer.feed(b"\n")
            blank = False
        if starts and piece == b"\n":
            blank = True
            continue
        if starts and piece.startswith(b">"):
            piece = _QUOTED_FROM.sub(rb"\1", piece)
        reducer.feed(piece)
    if reducer is not None:
        yield reducer.result()
