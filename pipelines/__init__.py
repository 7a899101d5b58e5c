"""Operations data for a Japanese phone-proxy service: load exports, apply the rules, report.

Analysts::

    import pipelines
    con = pipelines.connect()              # read-only, data/ops.duckdb or $OPSDASH_DB
    pipelines.report(con, as_of="2026-11-24")
    pipelines.report(con, as_of="2026-11-24", overrides={"min_lead_days": 2})   # what-if
    pipelines.inquiry_facts(con, as_of="2026-11-24")
    pipelines.metrics_by(con, freq="M", as_of="2026-11-24")
    pipelines.staff_lists(con, "2026-11-25")
    pipelines.rule_trace(con, "Q0000123", as_of="2026-11-24")
"""

from __future__ import annotations

import sys

if sys.argv[:1] == ["-m"]:  # `python -m pipelines` is starting: see pipelines.interrupts
    import _signal
    import os

    # both languages: nothing (not even the settings) is loaded yet to choose one
    _STARTING = (
        "\n中断しました。データベースは変更していません。 / interrupted, database unchanged.\n"
    )
    _STARTING_BYTES = _STARTING.encode()

    def _interrupted_while_starting(signum: int, frame: object) -> None:
        """Ctrl-C or SIGTERM during the imports: nothing is open yet, so leave at once."""
        os.write(2, _STARTING_BYTES)
        os._exit(128 + signum)

    for _signum in (2, 15):  # SIGINT, SIGTERM; set before the heavy imports below
        _signal.signal(_signum, _interrupted_while_starting)

from pipelines.api import (
    funnel,
    headline,
    inquiry_facts,
    metrics_by,
    report,
    rule_trace,
    staff_lists,
    staff_performance,
    staff_time_by_status,
    status_counts,
    today_in_japan,
    what_if,
)
from pipelines.build import connect
from pipelines.loader import load_files
from pipelines.queries import events_of
from pipelines.readers import FileRefused
from pipelines.settings import Settings, SettingsError, load_settings
from pipelines.store import (
    DatabaseMissing,
    DatabaseTooNew,
    LoadBusy,
    NotADatabase,
    database_version,
    default_db_path,
)
from pipelines.vocabulary import NONCONVERTING_STATUSES, STATUSES

__all__ = [
    "NONCONVERTING_STATUSES",
    "STATUSES",
    "DatabaseMissing",
    "DatabaseTooNew",
    "FileRefused",
    "LoadBusy",
    "NotADatabase",
    "Settings",
    "SettingsError",
    "connect",
    "database_version",
    "default_db_path",
    "events_of",
    "funnel",
    "headline",
    "inquiry_facts",
    "load_files",
    "load_settings",
    "metrics_by",
    "report",
    "rule_trace",
    "staff_lists",
    "staff_performance",
    "staff_time_by_status",
    "status_counts",
    "today_in_japan",
    "what_if",
]
