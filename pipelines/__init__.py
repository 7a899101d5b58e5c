"""Operations data for a Japanese phone-proxy service: load exports, apply the rules, report.

Analysts::

    import pipelines
    con = pipelines.connect()              # read-only, data/ops.duckdb or $OPSDASH_DB
    pipelines.report(con, as_of="2026-11-24")
    pipelines.inquiry_facts(con, as_of="2026-11-24")
    pipelines.metrics_by(con, freq="M")
    pipelines.staff_lists(con, "2026-11-25")
"""

from __future__ import annotations

from pipelines.api import (
    NONCONVERTING_STATUSES,
    STATUSES,
    events_of,
    facts_table,
    funnel,
    headline,
    inquiry_facts,
    metrics_by,
    report,
    staff_lists,
    staff_time_by_status,
    status_counts,
    today_in_japan,
)
from pipelines.db import connect, database_version, default_db_path
from pipelines.loader import LoadBusy, load_files
from pipelines.readers import FileRefused
from pipelines.settings import Settings, SettingsError, load_settings

__all__ = [
    "NONCONVERTING_STATUSES",
    "STATUSES",
    "FileRefused",
    "LoadBusy",
    "Settings",
    "SettingsError",
    "connect",
    "database_version",
    "default_db_path",
    "events_of",
    "facts_table",
    "funnel",
    "headline",
    "inquiry_facts",
    "load_files",
    "load_settings",
    "metrics_by",
    "report",
    "staff_lists",
    "staff_time_by_status",
    "status_counts",
    "today_in_japan",
]
