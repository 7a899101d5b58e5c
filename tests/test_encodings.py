"""Encodings and file kinds: Japanese encodings decoded right or refused (never mojibake), NUL bytes,
UTF-16 without a BOM, and workbooks and CSVs recognised by content, not by name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.reading import FILES, HEADER, INQUIRY_SHEET, load, refusal, rows, workbook


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("inquiries_euc_jp.csv", "euc_jp", ","),
        ("inquiries_iso2022jp.csv", "iso2022_jp", ","),
        ("inquiries_unicode_text.txt", "utf-16", "\t"),
    ],
)
def test_japanese_encodings_decode_right(
    tmp_path: Path, name: str, encoding: str, separator: str
) -> None:
    """Issue: EUC-JP and ISO-2022-JP loaded as mojibake (山田 → ｻｳﾅﾄ); UTF-16 was 'a binary file'."""
    path = tmp_path / name
    path.write_bytes((FILES / name).read_bytes())
    part, db = load(path)
    assert (part.encoding, part.separator, part.rows_loaded) == (encoding, separator, 2)
    assert rows(
        db,
        "SELECT inquiry_id, received_at, customer_name, customer_address FROM inquiries ORDER BY 1",
    ) == [
        ("T0001", datetime(2026, 11, 24, 13, 5), "山田太郎", "東京都新宿区西新宿2-8-1"),
        ("T0002", datetime(2026, 11, 25, 9, 30), "佐藤花子", "大阪府大阪市北区梅田1-1"),
    ]


@pytest.mark.slow
def test_cp932_is_not_taken_for_euc_jp_or_the_other_way(tmp_path: Path) -> None:
    """Both decodings can 'succeed' on the same bytes; the one that reads as Japanese text wins."""
    text = HEADER + "Q1,2026-11-24,山田太郎\nQ2,2026-11-24,渡辺さくら\nQ3,2026-11-24,ﾔﾏﾀﾞﾀﾛｳ\n"
    for encoding in ("cp932", "euc_jp"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        part, db = load(path)
        assert part.encoding == encoding
        names = [r[0] for r in rows(db, "SELECT customer_name FROM inquiries ORDER BY inquiry_id")]
        assert names == ["山田太郎", "渡辺さくら", "ﾔﾏﾀﾞﾀﾛｳ"]


def test_euc_jp_that_cannot_be_decoded_is_refused_not_mojibake(tmp_path: Path) -> None:
    """EUC-JP with a vendor character (eucJP-ms ① = AD A1) fails strict EUC-JP; CP932 would 'decode'
    it into half-width katakana. It is refused instead."""
    path = tmp_path / "euc_ms.csv"
    path.write_bytes((HEADER + "Q1,2026-11-24,山田太郎 ").encode("euc_jp") + b"\xad\xa1\n")
    assert refusal(path).code == "EUC_JP_UNDECODABLE"


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "utf-16"])
def test_a_nul_byte_anywhere_is_refused(tmp_path: Path, encoding: str) -> None:
    """Issue: a NUL byte after the first 64 KB of a CP932 file was loaded."""
    text = HEADER + "Q1,2026-11-24,山田太郎\n" * 8000 + "Q2,2026-11-24,x\x00y\n"
    path = tmp_path / "nul.csv"
    path.write_bytes(text.encode(encoding))
    assert path.stat().st_size > 65536
    exc = refusal(path)
    assert exc.code == "NUL_BYTES"
    assert exc.params["line"] == 8002


def test_utf16_without_bom_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + "Q1,2026-11-24,x\n").encode("utf-16-le"))
    assert refusal(path).code == "UTF16_WITHOUT_BOM"


def test_files_are_recognised_by_content_not_name(tmp_path: Path) -> None:
    """Issue: a real .xlsx named .csv got 'openpyxl does not support .csv'. It loads as a workbook;
    a CSV named .xlsx is refused with a clear message, and an old .xls by its signature."""
    book = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(book.read_bytes())
    part, _ = load(renamed)
    assert (part.encoding, part.sheet, part.rows_loaded) == ("xlsx", "受付", 1)
    text = tmp_path / "export.xlsx"
    text.write_text(HEADER + "Q1,2026-11-24,x\n", encoding="utf-8")
    exc = refusal(text)
    assert exc.code == "TEXT_NAMED_XLSX"
    assert "rename it to .csv" in str(exc)
    xls = tmp_path / "old.csv"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert refusal(xls).code == "OLD_XLS"
