"""Refusals and quarantine reasons carry a code and parameters, so they can be worded in any language."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines.definitions import sql_text
from pipelines.loader import load_files
from pipelines.readers import (
    REASONS,
    REFUSALS,
    FileRefused,
    file_sha256,
    open_source,
)
from tests.reading import HEADER, refusal, rows


def test_refusals_carry_a_code_and_params_that_rebuild_the_message(tmp_path: Path) -> None:
    """FileRefused keeps its English message and adds code + params for other languages."""
    cases = {
        "e.csv": b"",
        "h.csv": b"name,age\nfoo,3\n",
        "n.csv": HEADER.encode() + b"Q1,\x00\n",
        "x.xls": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        exc = refusal(path)
        assert exc.code in REFUSALS
        assert exc.problem == REFUSALS[exc.code].format(**exc.params)
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileRefused) as info:
        load_files([missing], tmp_path / "t.duckdb")
    assert (info.value.code, str(info.value)) == ("FILE_NOT_FOUND", "nope.csv: file not found")


def test_every_reason_the_sql_writes_has_a_code_and_template() -> None:
    """The quarantine reasons written by load.sql and parse.sql are all listed in REASONS."""
    sql = sql_text("load.sql") + sql_text("parse.sql")
    codes = set(re.findall(r"'code': '([A-Z_]+)'", sql)) | set(re.findall(r"THEN '([A-Z_]+)'", sql))
    assert codes, "no codes found"
    assert codes <= set(REASONS)
    assert {"WRONG_COLUMN_COUNT", "MALFORMED_QUOTING", "FORMULA_WITHOUT_VALUE"} <= set(REASONS)
    for template in (*REASONS.values(), *REFUSALS.values()):
        assert isinstance(template, str)
        assert template


@pytest.mark.slow
def test_quarantine_stores_reason_codes_once_the_table_has_the_column(tmp_path: Path) -> None:
    """The loader writes reason_code (codes in the order of column_name) when quarantine has it."""
    seed = tmp_path / "seed.csv"
    seed.write_text(HEADER + "Q0,2026-11-24,x\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    load_files([seed], db)
    con = duckdb.connect(str(db))
    columns = [r[0] for r in con.execute("DESCRIBE quarantine").fetchall()]
    if "reason_code" not in columns:
        con.execute("ALTER TABLE quarantine ADD COLUMN reason_code VARCHAR")
    con.close()
    path = tmp_path / "t.csv"
    path.write_text(
        "inquiry_id,received_at,staff_minutes,customer_name\n"
        'Q1,2026-11-24 24:00,-5,x\nQ2,2026-11-24,1,"a" b\n,,,\n',
        encoding="utf-8",
    )
    load_files([path], db)
    assert rows(db, "SELECT line, column_name, reason_code FROM quarantine ORDER BY line") == [
        (2, "received_at, staff_minutes", "TIME_IMPOSSIBLE, MINUTES_NEGATIVE"),
        (3, None, "MALFORMED_QUOTING"),
    ]


def test_rejects_carry_codes(tmp_path: Path) -> None:
    """Structural rejects keep their code next to the English reason (readers.Reject)."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + 'Q1,2026-11-24,"x" y\nQ2,2026-11-24\n', encoding="utf-8")
    source = open_source(path, file_sha256(path))
    con = duckdb.connect()
    try:
        staged = source.parts[0].stage(con)
        assert [(r.line, r.code) for r in staged.rejects] == [
            (2, "MALFORMED_QUOTING"),
            (3, "WRONG_COLUMN_COUNT"),
        ]
        assert staged.rejects[1].reason == REASONS["WRONG_COLUMN_COUNT"].format(found=2, width=3)
        staged.close()
    finally:
        source.close()
        con.close()
