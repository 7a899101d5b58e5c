"""CSV values and the vectorised record scan: what a record is, and whether its quoting is sound."""

from __future__ import annotations

import contextlib

import duckdb
import numpy as np

from pipelines.jptext import BLANK_CHARS, is_blank, text_clean
from pipelines.readers.codes import (
    DENSE_BYTES,
    SCAN_BYTES,
    ReadLimits,
    _refuse,
    _size_text,
)
from pipelines.readers.staging import Reject

# ---------------------------------------------------------------------------------- CSV: values


class _Bad(str):
    """Why a record could not be split (a REASONS code)."""


_MALFORMED = _Bad("MALFORMED_QUOTING")
_UNTERMINATED = _Bad("UNTERMINATED_QUOTE")
_BARE_CR = _Bad("BARE_CR")


def _split(text: str, sep: str) -> list[str | None] | _Bad:
    """The values of one record (its line ending removed), or why it cannot be split."""
    if '"' not in text:
        if "\r" in text:
            return _BARE_CR
        return [v or None for v in text.split(sep)]
    values: list[str | None] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            pieces: list[str] = []
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return _UNTERMINATED
                pieces.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    pieces.append('"')
                    j = k + 2
                    continue
                break
            value = "".join(pieces)
            i = k + 1
            if i < n and text[i] != sep:
                return _MALFORMED
        else:
            k = text.find(sep, i)
            end = n if k < 0 else k
            value = text[i:end]
            if '"' in value:
                return _MALFORMED
            if "\r" in value:
                return _BARE_CR
            i = end
        values.append(value or None)
        if i >= n:
            return values
        i += 1  # past the separator


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Give a connection text_clean() (load.sql uses it); harmless when it has it already.

    DuckDB's trim(s, characters) costs time in proportion to the set of characters for every
    value; this Arrow kernel costs little more than a plain trim().
    """
    # refused when this connection has it already (asking duckdb_functions() first cost 18 ms)
    with contextlib.suppress(duckdb.CatalogException, duckdb.NotImplementedException):
        con.create_function("text_clean", text_clean, ["VARCHAR"], "VARCHAR", type="arrow")


_ROW = "row"
_BLANK = "blank"


def _classify(
    text: str, sep: str, width: int, line: int
) -> tuple[str, list[str | None] | Reject | None]:
    """The outcome of one record: a row of `width` values, a blank line, or a reject."""
    if not text.strip(BLANK_CHARS + sep):
        return _BLANK, None
    values = _split(text, sep)
    if isinstance(values, _Bad):
        return "reject", Reject(line, text, str(values))
    if all(is_blank(v) for v in values):
        return _BLANK, None
    if len(values) != width:
        params = {"found": len(values), "width": width}
        return "reject", Reject(line, text, "WRONG_COLUMN_COUNT", params)
    return _ROW, values


# ----------------------------------------------------------------------------- CSV: the scan

# flag bits of a data record
F_BAD_QUOTE = 1  # a quote mark where a well-formed record cannot have one (or never closed)
F_BARE_CR = 2  # a CR outside quotes that is not part of the line ending
F_LF = 4  # ended by LF
F_CRLF = 8  # ended by CR LF
F_CR_EOF = 16  # ended by a CR at the end of the file


class _RecordScan:
    """One vectorised pass over a CSV's UTF-8 bytes, fed piece by piece.

    For every data record (not the header, not blank) it keeps where it starts, its length without
    the line ending, the line it starts on, its number of values (separators outside quotes + 1) and
    flags; blank records (empty, or only separators and ASCII white space) are only counted. Limits
    on rows and record length are checked as it goes, so a hostile file costs a bounded amount.
    """

    def __init__(
        self,
        separator: str,
        width: int,
        header_start: int,
        base: int,
        limits: ReadLimits,
        name: str,
    ) -> None:
        self.sep = ord(separator)
        self.width = width
        self.header_start = header_start
        self.limits, self.name = limits, name
        self.offset = base  # absolute offset of the next byte to process
        self.quotes = 0  # quote marks before self.offset
        self.newlines = 0  # line feeds before self.offset
        self.tail = b""  # bytes held back for look-ahead
        self.prev = 10  # the byte before self.offset (a record starts after a line feed)
        # the record in progress
        self.rec_start, self.rec_line, self.rec_seps, self.rec_flags = base, 1, 0, 0
        self.rec_blank = True
        # results
        self.parts: dict[str, list[np.ndarray]] = {
            k: [] for k in ("start", "len", "line", "nv", "fl")
        }
        self.rows = 0
        self.blank = 0  # blank records, the lines before the header included
        self.blank_nonempty = 0  # of those, records that are not empty (separators, spaces)
        self.header_seen = False
        self.header_multiline = False
        self.endings = 0  # F_LF | F_CRLF | F_CR_EOF seen on any record
        blankish = np.zeros(256, dtype=bool)
        blankish[[self.sep, 32, 9, 13, 12, 11]] = True
        self.blankish = blankish

    # ---- feeding

    def feed(self, data: bytes | memoryview) -> None:
        """Scan more bytes; the last two are held back as look-ahead for the next piece."""
        if len(self.tail) + len(data) <= 64:
            self.tail += bytes(data)
            if len(self.tail) <= 2:
                return
            data, self.tail = self.tail, b""
        elif self.tail:  # the bytes held back, with their look-ahead in the new data
            bridge = self.tail + bytes(data[:2])
            self._process(np.frombuffer(bridge, dtype=np.uint8), len(self.tail), eof=False)
            self.tail = b""
        view = np.frombuffer(data, dtype=np.uint8)
        pos = 0
        while len(view) - pos > 2:
            n = min(SCAN_BYTES, len(view) - pos - 2)
            piece = view[pos : pos + n + 2]
            if n > DENSE_BYTES and np.count_nonzero(piece[:n] == 10) > n // 16:
                # many short (blank) lines: smaller pieces keep the per-line arrays small
                for begin in range(0, n, DENSE_BYTES):
                    size = min(DENSE_BYTES, n - begin)
                    self._process(piece[begin : begin + size + 2], size, eof=False)
            else:
                self._process(piece, n, eof=False)
            pos += n
        self.tail = bytes(view[pos:])

    def finish(self) -> None:
        """The end of the file: scan what was held back and close the last record."""
        if self.tail:
            self._process(np.frombuffer(self.tail, dtype=np.uint8), len(self.tail), eof=True)
            self.tail = b""
        self._end_of_file()

    # ---- the vectorised step

    def _process(self, arr: np.ndarray, n: int, eof: bool) -> None:
        """Process arr[:n]; arr[n:] (at most 2 bytes) is look-ahead. eof: nothing follows arr."""
        base = self.offset
        body = arr[:n]
        qp = np.flatnonzero(body == 34)
        if not len(qp) and self._blank_piece(arr, n):
            return
        nl = np.flatnonzero(body == 10)
        b, b_ord = self._boundaries(qp, nl)
        k = len(b)
        # separators outside quotes, counted per record
        sp = np.flatnonzero(body == self.sep)
        if len(qp):
            sp = sp[((self.quotes + np.searchsorted(qp, sp)) & 1) == 0]
        elif self.quotes & 1:
            sp = sp[:0]
        upto = self._separators_before(sp, b)
        seps = np.diff(upto, prepend=0)
        flags = np.zeros(k + 1, dtype=np.uint8)  # the last slot: the record still open
        crlf = self._line_endings(arr, b, flags)
        self._flag_bad_marks(arr, n, qp, nl, b, flags, eof)
        if k:  # records completed here
            starts = np.empty(k, dtype=np.int64)
            lines = np.empty(k, dtype=np.int64)
            starts[0] = self.rec_start
            starts[1:] = base + b[:-1] + 1
            lines[0] = self.rec_line
            lines[1:] = b_ord[:-1] + 2
            seps[0] += self.rec_seps
            flags[0] |= self.rec_flags
            lengths = base + b - crlf - starts
            blank = self._blank_records(arr, n, b, crlf, starts - base, lengths)
            self._take(starts, lengths, lines, seps, flags[:k], blank)
        self._keep_open_record(body, n, b, b_ord, len(sp), upto, flags)
        self.quotes += len(qp)
        self.newlines += len(nl)
        self.offset = base + n
        self.prev = int(body[-1]) if n else self.prev
        if self.offset - self.rec_start > self.limits.max_line_bytes + 2:
            self._too_long(self.rec_line)

    def _boundaries(self, qp: np.ndarray, nl: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The line feeds that end a record (an even number of quotes before them), and their
        ordinal among all line feeds of the file."""
        if len(qp):
            nl_quotes = self.quotes + np.searchsorted(qp, nl)
            is_boundary = (nl_quotes & 1) == 0
            return nl[is_boundary], self.newlines + np.flatnonzero(is_boundary)
        b = nl if (self.quotes & 1) == 0 else nl[:0]
        return b, self.newlines + np.arange(len(b)) if len(b) else np.empty(0, np.int64)

    def _line_endings(self, arr: np.ndarray, b: np.ndarray, flags: np.ndarray) -> np.ndarray:
        """Flag each record's ending (LF or CR LF) and note it in self.endings; True where CR LF."""
        k = len(b)
        if not k:
            return np.zeros(0, dtype=bool)
        before = arr[np.maximum(b - 1, 0)]
        if b[0] == 0:
            before = before.copy()
            before[0] = self.prev
        crlf = before == 13
        flags[:k] = F_LF + crlf * np.uint8(F_CRLF - F_LF)
        if crlf.any():
            self.endings |= F_CRLF
        if not crlf.all():
            self.endings |= F_LF
        return crlf

    def _flag_bad_marks(
        self,
        arr: np.ndarray,
        n: int,
        qp: np.ndarray,
        nl: np.ndarray,
        b: np.ndarray,
        flags: np.ndarray,
        eof: bool,
    ) -> None:
        """Flag records with a quote mark a well-formed record cannot have, or a bare CR."""
        if len(qp):
            bad_q = self._bad_quotes(arr, n, qp, eof)
            if len(bad_q):
                flags[np.searchsorted(b, bad_q)] |= F_BAD_QUOTE
        # bare CRs outside quotes (only looked for when some CR is not followed by LF)
        cr_total = int(np.count_nonzero(arr[:n] == 13))
        if cr_total:
            # a CR ending the piece has its LF in the look-ahead: counted as bare here, then checked
            crlf_here = int(np.count_nonzero(arr[np.maximum(nl - 1, 0)] == 13)) if len(nl) else 0
            if cr_total != crlf_here:
                bare = self._bare_crs(arr, n, qp, eof)
                if len(bare):
                    flags[np.searchsorted(b, bare)] |= F_BARE_CR

    def _keep_open_record(
        self,
        body: np.ndarray,
        n: int,
        b: np.ndarray,
        b_ord: np.ndarray,
        separators: int,
        upto: np.ndarray,
        flags: np.ndarray,
    ) -> None:
        """Carry the record left open at the end of the piece into the next one."""
        k = len(b)
        if k:
            self.rec_start = self.offset + int(b[-1]) + 1
            self.rec_line = int(b_ord[-1]) + 2
            self.rec_seps = separators - int(upto[-1])
            self.rec_flags = int(flags[k])
            first = int(b[-1]) + 1
            self.rec_blank = bool(self.blankish[body[first:]].all()) if first < n else True
        else:
            self.rec_seps += separators
            self.rec_flags |= int(flags[0])
            if self.rec_blank:
                self.rec_blank = bool(self.blankish[body].all())

    def _separators_before(self, sp: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How many of the separators sp come before each line end b (a searchsorted).

        When every record has the header's number of values, the answer is known in advance and
        two gathers confirm it, far cheaper than the search on files of short lines.
        """
        k = len(b)
        per = self.width - 1
        expected = (per - self.rec_seps) + per * np.arange(k, dtype=np.int64)
        if k and per > 0 and expected[0] >= 0 and expected[-1] <= len(sp):
            inside = expected < len(sp)
            after_ok = np.ones(k, dtype=bool)
            after_ok[inside] = sp[expected[inside]] > b[inside]
            has_before = expected > 0
            before_ok = np.ones(k, dtype=bool)
            before_ok[has_before] = sp[expected[has_before] - 1] < b[has_before]
            if after_ok.all() and before_ok.all():
                return expected
        return np.searchsorted(sp, b)

    def _blank_piece(self, arr: np.ndarray, n: int) -> bool:
        """A piece of nothing but blank lines (after a blank start): count them, store nothing.

        This keeps a file of millions of blank lines as cheap as its size. Returns False (and does
        nothing) unless the record in progress is blank, no quote is open and every byte of the piece
        is a line feed, a separator or ASCII white space.
        """
        if not self.rec_blank or self.quotes & 1 or not self.header_seen:
            return False
        body = arr[:n]
        sample = body[:: max(1, n // 512)]
        if not (self.blankish[sample] | (sample == 10)).all():
            return False
        is_lf = body == 10
        if not (self.blankish[body] | is_lf).all():
            return False
        lfs = np.flatnonzero(is_lf) if n <= 65536 else None
        k = int(np.count_nonzero(is_lf))
        if k:
            last_lf = int(n - 1 - np.argmax(is_lf[::-1])) if lfs is None else int(lfs[-1])
            cr_before = int(np.count_nonzero(is_lf[1:] & (body[:-1] == 13)))
            cr_before += int(is_lf[0] and self.prev == 13)
            if cr_before:
                self.endings |= F_CRLF
            if cr_before < k:
                self.endings |= F_LF
            self.blank += k
            if not (is_lf.all() and self.prev == 10):
                self.blank_nonempty += k  # an over-count only steers staging to the compacted copy
            self.rec_start = self.offset + last_lf + 1
            self.rec_line = self.newlines + k + 1
            self.rec_seps = int(np.count_nonzero(body[last_lf + 1 :] == self.sep))
            self.rec_flags = 0
        else:
            self.rec_seps += int(np.count_nonzero(body == self.sep))
        self.newlines += k
        self.offset += n
        self.prev = int(body[-1])
        if self.offset - self.rec_start > self.limits.max_line_bytes + 2:
            self._too_long(self.rec_line)
        return True

    def _bad_quotes(self, arr: np.ndarray, n: int, qp: np.ndarray, eof: bool) -> np.ndarray:
        size = len(arr)
        parity = (self.quotes + np.arange(len(qp))) & 1
        prev = arr[np.maximum(qp - 1, 0)].copy()
        if qp[0] == 0:
            prev[0] = self.prev
        nxt = np.where(qp + 1 < size, arr[np.minimum(qp + 1, size - 1)], 0)
        nxt2 = np.where(qp + 2 < size, arr[np.minimum(qp + 2, size - 1)], 0)
        at_end = (qp + 1 >= size) & eof
        cr_end = (nxt == 13) & ((nxt2 == 10) | ((qp + 2 >= size) & eof))
        opening_ok = (prev == self.sep) | (prev == 10) | (prev == 34)
        closing_ok = (nxt == self.sep) | (nxt == 10) | (nxt == 34) | cr_end | at_end
        ok = np.where(parity == 0, opening_ok, closing_ok)
        return qp[~ok]

    def _bare_crs(self, arr: np.ndarray, n: int, qp: np.ndarray, eof: bool) -> np.ndarray:
        size = len(arr)
        crp = np.flatnonzero(arr[:n] == 13)
        nxt = np.where(crp + 1 < size, arr[np.minimum(crp + 1, size - 1)], 0)
        line_end = (nxt == 10) | ((crp + 1 >= size) & eof)
        outside = ((self.quotes + np.searchsorted(qp, crp)) & 1) == 0
        return crp[~line_end & outside]

    def _blank_records(
        self,
        arr: np.ndarray,
        n: int,
        b: np.ndarray,
        crlf: np.ndarray,
        rel_starts: np.ndarray,
        lengths: np.ndarray,
    ) -> np.ndarray:
        """Which completed records are blank: empty, or only separators and ASCII white space.

        Only records whose first byte is blank-ish are looked at in full (real rows start with an ID).
        """
        blank = lengths == 0
        first_byte = arr[np.maximum(rel_starts, 0)]
        candidates = np.flatnonzero(self.blankish[first_byte] & ~blank)
        if len(candidates) and rel_starts[0] < 0 and candidates[0] == 0:
            candidates = candidates[1:]  # the record from an earlier piece: see below
        if len(candidates) > 64:
            mask = self.blankish[arr[:n]]
            edges = np.empty(2 * len(candidates), dtype=np.int64)
            edges[0::2] = rel_starts[candidates]
            edges[1::2] = rel_starts[candidates] + lengths[candidates]
            blank[candidates] = np.logical_and.reduceat(mask, edges)[0::2]
        else:
            for i in candidates.tolist():
                lo = int(rel_starts[i])
                blank[i] = bool(self.blankish[arr[lo : lo + int(lengths[i])]].all())
        if rel_starts[0] < 0:  # its earlier bytes decided rec_blank
            end = int(b[0]) - int(crlf[0])
            blank[0] = self.rec_blank and bool(self.blankish[arr[: max(end, 0)]].all())
        return blank

    def _take(
        self,
        starts: np.ndarray,
        lengths: np.ndarray,
        lines: np.ndarray,
        seps: np.ndarray,
        flags: np.ndarray,
        blank: np.ndarray,
    ) -> None:
        """Count the blank records and keep the data records (the header is neither)."""
        if not self.header_seen:
            keep = ~blank
            at_header = np.flatnonzero(starts == self.header_start)
            if len(at_header):
                h = int(at_header[0])
                self.header_seen = True
                self.header_multiline = bool(h < len(lines) - 1 and lines[h + 1] - lines[h] > 1)
                keep[: h + 1] = False
                blank[:h] = True  # lines before the header are blank (that is how it was found)
            else:
                keep[:] = False
                blank[:] = True
        else:
            keep = None
        blanks = int(np.count_nonzero(blank))
        if blanks:
            self.blank += blanks
            self.blank_nonempty += int(np.count_nonzero(blank & (lengths > 0)))
            if keep is None:
                keep = ~blank
        if keep is not None:
            starts, lengths, lines, seps, flags = (
                a[keep] for a in (starts, lengths, lines, seps, flags)
            )
        if not len(starts):
            return
        longest = int(np.argmax(lengths))
        if int(lengths[longest]) > self.limits.max_line_bytes:
            self._too_long(int(lines[longest]))
        self.rows += len(starts)
        if self.rows > self.limits.max_rows:
            raise _refuse(self.name, "LIMIT_ROWS", limit=self.limits.max_rows)
        self.parts["start"].append(starts)
        self.parts["len"].append(lengths.astype(np.int32))
        self.parts["line"].append(lines)
        self.parts["nv"].append((seps + 1).astype(np.int32))
        self.parts["fl"].append(flags)

    def _too_long(self, line: int) -> None:
        raise _refuse(
            self.name,
            "LIMIT_LINE_BYTES",
            line=line,
            limit=_size_text(self.limits.max_line_bytes),
        )

    def _end_of_file(self) -> None:
        length = self.offset - self.rec_start
        if length <= 0:
            return  # the file ends with a line feed (or is nothing but the header's)
        flags = self.rec_flags
        if self.quotes & 1:
            flags |= F_BAD_QUOTE  # a quoted value never closes
        cr_end = self.prev == 13 and not self.quotes & 1
        if cr_end:
            flags |= F_CR_EOF
            self.endings |= F_CR_EOF
            length -= 1
        blank = self.rec_blank and not self.quotes & 1
        self._take(
            np.array([self.rec_start], dtype=np.int64),
            np.array([length], dtype=np.int64),
            np.array([self.rec_line], dtype=np.int64),
            np.array([self.rec_seps], dtype=np.int64),
            np.array([flags], dtype=np.uint8),
            np.array([blank or length == 0]),
        )

    def segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per data record: line, start offset, length, number of values, flags."""

        def cat(key: str, dtype: type) -> np.ndarray:
            return np.concatenate(self.parts[key]) if self.parts[key] else np.empty(0, dtype)

        return (
            cat("line", np.int64),
            cat("start", np.int64),
            cat("len", np.int32),
            cat("nv", np.int32),
            cat("fl", np.uint8),
        )
