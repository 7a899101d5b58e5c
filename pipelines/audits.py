"""Data-contract audits: named queries in sql/audits.sql that must return zero rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.api import today_in_japan
from pipelines.definitions import connection_settings, sql_text


@dataclass(frozen=True)
class AuditResult:
    """One audit's outcome: how many rows break the contract, and the first of them."""

    name: str
    description: str
    failing_rows: int
    example: tuple | None


def audit_queries() -> list[tuple[str, str, str]]:
    """(name, description, sql) for every audit."""
    text = sql_text("audits.sql")
    parts = re.split(r"^-- audit: (\w+) \| (.+)$", text, flags=re.M)
    return [
        (parts[i], parts[i + 1].strip(), parts[i + 2].strip().rstrip(";"))
        for i in range(1, len(parts), 3)
    ]


def run_audits(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> list[AuditResult]:
    """Run every audit on an open connection (facts are evaluated as of as_of, default today)."""
    con.execute("SET VARIABLE audit_as_of = ?", [as_of or today_in_japan()])
    con.execute("SET VARIABLE audit_settings = ?", [connection_settings(con).sql_struct()])
    results = []
    for name, description, sql in audit_queries():
        rows = con.execute(f"SELECT * FROM ({sql}) LIMIT 1").fetchall()
        count = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] if rows else 0
        results.append(AuditResult(name, description, count, rows[0] if rows else None))
    return results
