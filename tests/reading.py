"""Helpers for the tests that read files: load one, read its quarantine, expect a refusal, write a
workbook."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest
from duckdb.sqltypes import VARCHAR

from pipelines.i18n import quarantine_text
from pipelines.loader import PartResult, load_files
from pipelines.readers import (
    FileRefused,
)

FILES = Path(__file__).resolve().parent / "fixtures" / "files"


HEADER = "inquiry_id,received_at,customer_name\n"


def rows(db: Path, sql: str) -> list[tuple]:
    """The rows of a query on a database file, opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def worded_rows(db: Path, sql: str, lang: str = "en") -> list[tuple]:
    """rows(db, sql) where the word `reason` is a quarantined row's reason worded in lang from its
    codes and parameters (as the Data page shows it)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.create_function(
            "worded_reason",
            lambda codes, columns, params: quarantine_text(codes, columns, params, lang),
            [VARCHAR, VARCHAR, VARCHAR],
            VARCHAR,
            null_handling="special",
        )
        worded = "worded_reason(reason_code, column_name, CAST(reason_params AS VARCHAR))"
        return con.execute(re.sub(r"\breason\b", worded, sql)).fetchall()
    finally:
        con.close()


def load(path: Path, db: Path | None = None, **kwargs: object) -> tuple[PartResult, Path]:
    """Load one file (into a database beside it unless db is given); its part and the database."""
    db = db or path.with_suffix(".duckdb")
    result = load_files([path], db, **kwargs)
    return result.parts[0], db


def quarantined(db: Path) -> list[tuple]:
    """Line, column and reason of each quarantined row, in line order."""
    return worded_rows(db, "SELECT line, column_name, reason FROM quarantine ORDER BY line")


def refusal(path: Path, **kwargs: object) -> FileRefused:
    """The FileRefused a load of path raises; its message starts with the file name."""
    with pytest.raises(FileRefused) as info:
        load_files([path], path.with_suffix(".duckdb"), **kwargs)
    assert str(info.value).startswith(path.name + ": ")
    return info.value


def workbook(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    """An .xlsx at path with the given sheets (rows of values); hidden ones hidden."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


INQUIRY_SHEET = [
    ["inquiry_id", "received_at", "customer_name"],
    ["Q1", datetime(2026, 11, 24, 9), "山田"],
]
