"""CSV encodings: decided by content, decoded once into a private scratch file."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from pipelines.readers import codes
from pipelines.readers.codes import MiB, _refuse

if TYPE_CHECKING:
    from pipelines.readers.csv_reader import _TextPass


# ----------------------------------------------------------------------------- CSV: encodings


class _BadEncoding(Exception):
    def __init__(self, line: int, after_valid_text: bool = False) -> None:
        self.line = line
        self.after_valid_text = after_valid_text  # valid multi-byte text came before the bad bytes


class _Restart(Exception):
    """The text turned out to be in another encoding (ISO-2022-JP escapes in 7-bit text)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding


_ISO2022_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\(D|\([BJI])")
_ISO2022_CODECS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004")


def _stream_decode(path: Path, encoding: str, sink: Callable[[bytes, str], None]) -> None:
    """Strictly decode a file chunk by chunk, handing each chunk's bytes and text to sink."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    non_ascii_before = False
    with path.open("rb") as fh:
        while chunk := fh.read(codes.CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                prefix = chunk[: max(exc.start - 3, 0)]
                mixed = non_ascii_before or not prefix.isascii()
                raise _BadEncoding(_line_at(path, offset + exc.start), mixed) from None
            non_ascii_before = non_ascii_before or not chunk.isascii()
            offset += len(chunk)
            sink(chunk, text)
        try:
            sink(b"", decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise _BadEncoding(_line_at(path, offset)) from None


def _utf8_boundary(data: bytes | memoryview) -> int:
    """The length of the longest prefix of data that does not end inside a UTF-8 character."""
    n = len(data)
    for back in range(1, min(4, n) + 1):
        byte = data[n - back]
        if byte < 0x80:
            return n
        if byte >= 0xC0:  # the lead byte of the last character
            size = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return n if back >= size else n - back
    return n


def _utf8_valid(data: bytes | memoryview) -> bool:
    """Strict UTF-8 check without building a Python string (Arrow's validation is vectorised)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    binary = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        binary.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _stream_utf8(path: Path, sink: _TextPass) -> None:
    """Strictly check a UTF-8 file piece by piece, handing the bytes (and, while the sink still
    wants them, the decoded text) to sink. Raises _BadEncoding like _stream_decode."""
    offset = 0
    non_ascii_before = False
    carry = b""
    with path.open("rb") as fh:
        while chunk := fh.read(codes.CHUNK_BYTES):
            pieces: list[bytes | memoryview] = []
            view = memoryview(chunk)
            if carry:  # a character split by the previous read, completed by this one
                take = min(len(view), 4 - len(carry))
                joined = carry + bytes(view[:take])
                done = _utf8_boundary(joined)
                if done <= len(carry) and len(joined) < 4:
                    carry = joined
                    continue
                pieces.append(joined[:done])
                view = view[done - len(carry) :]
                carry = b""
            cut = _utf8_boundary(view)
            pieces.append(view[:cut])
            carry = bytes(view[cut:])
            for piece in pieces:
                if sink.wants_text or not _utf8_valid(piece):
                    try:
                        text = codecs.utf_8_decode(piece, "strict", True)[0]
                    except UnicodeDecodeError as exc:
                        mixed = (
                            non_ascii_before or not bytes(piece[: max(exc.start - 3, 0)]).isascii()
                        )
                        raise _BadEncoding(_line_at(path, offset + exc.start), mixed) from None
                else:
                    text = None
                non_ascii_before = non_ascii_before or not _is_ascii(piece)
                offset += len(piece)
                sink(piece, text)
    if carry:
        raise _BadEncoding(_line_at(path, offset))  # the file ends inside a character
    sink(b"", "")


def _is_ascii(data: bytes | memoryview) -> bool:
    return not (np.frombuffer(data, dtype=np.uint8) >= 0x80).any()


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line number of a byte offset (only read when reporting a problem)."""
    lines = 1
    with path.open("rb") as fh:
        while offset > 0 and (chunk := fh.read(min(codes.CHUNK_BYTES, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly ASCII text written as UTF-16: every other byte is NUL."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return (zeros_odd > 0.9 and zeros_even < 0.1) or (zeros_even > 0.9 and zeros_odd < 0.1)


def _euc_jp_shaped(sample: bytes) -> bool:
    """High bytes only in EUC-JP's ranges (0xA1-0xFE, and the 0x8E/0x8F prefixes): never CP932's
    lead bytes 0x81-0x9F other than those two."""
    raw = np.frombuffer(sample, dtype=np.uint8)
    high = raw[raw >= 0x80]
    if not len(high):
        return False
    outside = (high <= 0x8D) | ((high >= 0x90) & (high <= 0xA0)) | (high == 0xFF)
    return not outside.any()


def _japanese_score(text: str) -> float:
    """How much a decoding looks like Japanese text: mean weight of its non-ASCII characters.

    Kana, JIS level-1 kanji and CJK punctuation weigh 1; level-2 kanji and half-width katakana 0.5;
    private-use, box-drawing, Greek and Cyrillic letters -1 (what a wrong decoding produces).
    """
    counts = Counter(ch for ch in text if ch > "\x7f")
    total = sum(counts.values())
    if not total:
        return 0.0
    score = 0.0
    for ch, n in counts.items():
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF5E:
            weight = 1.0
        elif 0x4E00 <= cp <= 0x9FFF:
            try:
                lead = ch.encode("euc_jp")[0]
            except UnicodeEncodeError:
                lead = 0
            weight = 1.0 if 0xB0 <= lead <= 0xCF else 0.5
        elif 0xFF61 <= cp <= 0xFF9F:
            weight = 0.5
        elif 0xE000 <= cp <= 0xF8FF or 0x0370 <= cp <= 0x04FF or 0x2500 <= cp <= 0x257F:
            weight = -1.0
        else:
            weight = 0.0
        score += weight * n
    return score / total


def _legacy_encoding(path: Path, name: str, utf8_line: int) -> str:
    """CP932 or EUC-JP for a file that is not UTF-8, decided on its first MiB; refuse when unsure."""
    with path.open("rb") as fh:
        sample = fh.read(MiB)
        if fh.read(1):
            sample = sample[: sample.rfind(b"\n") + 1] or sample
    decodings: dict[str, str] = {}
    failures: dict[str, int] = {}  # where each legacy decoding stops
    for encoding in ("cp932", "euc_jp"):
        try:
            decodings[encoding] = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            failures[encoding] = exc.start
    if not decodings:
        raise _legacy_failure(path, name, sample, failures, utf8_line)
    if len(decodings) == 1:
        [encoding] = decodings
        if (
            encoding == "cp932"
            and _euc_jp_shaped(sample)
            and _japanese_score(decodings["cp932"]) < 0.75
        ):
            raise _refuse(name, "EUC_JP_UNDECODABLE")
        return encoding
    cp932, euc = _japanese_score(decodings["cp932"]), _japanese_score(decodings["euc_jp"])
    if euc > cp932 + 0.15:
        return "euc_jp"
    if cp932 > euc + 0.15:
        return "cp932"
    raise _refuse(name, "AMBIGUOUS_ENCODING")


def _legacy_failure(
    path: Path, name: str, sample: bytes, failures: dict[str, int], utf8_line: int
) -> Exception:
    """The refusal of a file no encoding reads whole: when one legacy encoding reads Japanese text
    up to a later line than UTF-8 did, that encoding's bad line (a UTF-8 row in a CP932 file is
    named by its own line, not line 1)."""
    encoding = max(failures, key=lambda e: failures[e])
    line = _line_at(path, failures[encoding])
    prefix = sample[: failures[encoding]]
    readable = _japanese_score(prefix.decode(encoding)) >= 0.75 if not prefix.isascii() else False
    if line > utf8_line and readable:
        names = {"cp932": "CP932/Shift_JIS", "euc_jp": "EUC-JP"}
        return _refuse(name, "BAD_BYTES", encoding=names[encoding], line=line)
    return _refuse(name, "UNDECODABLE", utf8_line=utf8_line)
