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

from pipelines.lazy_names import lazy_getattr

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

    for _signum in (2, 15):  # SIGINT, SIGTERM; set before __main__ imports anything
        _signal.signal(_signum, _interrupted_while_starting)

# public name -> the module that defines it: imported on first use (module __getattr__, PEP 562),
# so that `python -m pipelines --help` or `report --json` loads only what that command needs
_LAZY = {
    "funnel": "pipelines.api",
    "headline": "pipelines.api",
    "inquiry_facts": "pipelines.api",
    "metrics_by": "pipelines.api",
    "report": "pipelines.api",
    "rule_trace": "pipelines.api",
    "staff_lists": "pipelines.api",
    "staff_performance": "pipelines.api",
    "staff_time_by_status": "pipelines.api",
    "status_counts": "pipelines.api",
    "today_in_japan": "pipelines.api",
    "what_if": "pipelines.api",
    "connect": "pipelines.build",
    "load_files": "pipelines.loader",
    "events_of": "pipelines.queries",
    "FileRefused": "pipelines.readers",
    "Settings": "pipelines.settings",
    "SettingsError": "pipelines.settings",
    "load_settings": "pipelines.settings",
    "DatabaseMissing": "pipelines.store",
    "DatabaseTooNew": "pipelines.store",
    "LoadBusy": "pipelines.store",
    "NotADatabase": "pipelines.store",
    "database_version": "pipelines.store",
    "default_db_path": "pipelines.store",
    "NONCONVERTING_STATUSES": "pipelines.vocabulary",
    "STATUSES": "pipelines.vocabulary",
}


__getattr__ = lazy_getattr(__name__, _LAZY)  # a public name (see __all__) on first use


def __dir__() -> list[str]:
    """The module's names with the lazily imported public ones (for completion in notebooks)."""
    return sorted(set(globals()) | set(__all__))


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
