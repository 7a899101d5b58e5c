"""The settings registry: every setting declared once, validated by name, changeable in a what-if
(closed_days included), the file read with a byte order mark; quote_due_date with a same-day SLA."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import pipelines
from pipelines.__main__ import main
from pipelines.i18n import STRINGS
from pipelines.settings import (
    OVERRIDABLE,
    SETTINGS,
    Settings,
    SettingsError,
    load_settings,
    parse_override,
)
from tests.conftest import event, inquiry, memory_db

HUGE = ("9223372036854775807", "99999999999999999999")
WHOLE = [s.name for s in SETTINGS if s.kind == "whole"]


def test_every_field_is_a_registered_setting_and_overridable() -> None:
    """Each business field of Settings is in the registry, has a What-if label, and can be overridden."""
    fields = [f.name for f in dataclasses.fields(Settings) if f.name != "tables_json"]
    assert [s.name for s in SETTINGS] == fields
    assert set(OVERRIDABLE) == set(fields)
    assert [s.name for s in SETTINGS if f"whatif.{s.name}" not in STRINGS] == []
    assert {"language", "refusal_days", "closed_days"} <= set(fields)


def test_defaults_of_the_file_equal_the_registry() -> None:
    """The bundled settings.toml states every registered default, language ja and refusal_days 2."""
    settings = load_settings()
    assert settings == dataclasses.replace(Settings(), tables_json=settings.tables_json)
    assert (settings.language, settings.refusal_days) == ("ja", 2)


@pytest.mark.parametrize("name", WHOLE)
@pytest.mark.parametrize("value", [*HUGE, "-1", "2.5", "three"])
def test_out_of_range_values_are_refused_by_name(name: str, value: str) -> None:
    """Huge, negative and non-whole values are refused with the setting's name and what it accepts."""
    with pytest.raises(SettingsError, match=rf"{name} must be a whole number from 0 to [\d,]+"):
        parse_override(f"{name}={value}")


@pytest.mark.parametrize("name", WHOLE)
def test_zero_is_allowed_for_every_whole_number(name: str) -> None:
    """Day, minute and yen settings accept 0 (upcoming_days = 0: no look-ahead)."""
    assert parse_override(f"{name}=0") == (name, 0)


def test_closed_days_on_the_command_line() -> None:
    """--set closed_days takes MM-DD..MM-DD ranges separated by commas; nothing means no closed days."""
    assert parse_override("closed_days=12-29..01-03,08-13..08-16") == (
        "closed_days",
        (("12-29", "01-03"), ("08-13", "08-16")),
    )
    assert parse_override("closed_days=") == ("closed_days", ())
    for bad in ("closed_days=12-29", "closed_days=13-01..01-02", "closed_days=12-29..1-3"):
        with pytest.raises(SettingsError, match="closed_days"):
            parse_override(bad)


def test_language_accepts_ja_or_en(tmp_path: Path) -> None:
    """language is 'ja' or 'en'; anything else is refused naming the setting."""
    path = tmp_path / "s.toml"
    path.write_text('language = "en"\n', encoding="utf-8")
    assert load_settings(path).language == "en"
    path.write_text('language = "fr"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="language must be 'ja' or 'en'"):
        load_settings(path)


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Notepad's UTF-8 with BOM: the file is read, not refused as bad TOML."""
    path = tmp_path / "s.toml"
    path.write_text("min_lead_days = 5\nclosed_days = []\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    settings = load_settings(path)
    assert (settings.min_lead_days, settings.closed_days) == (5, ())


@pytest.mark.slow
def test_huge_set_exits_2_naming_the_setting(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """report --set upcoming_days=2^63-1 exits 2 with the name and the range, no DuckDB error."""
    for value in HUGE:
        with pytest.raises(SystemExit) as exit_info:
            main(["report", "--json", "--db", str(sample_db), "--set", f"upcoming_days={value}"])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "upcoming_days must be a whole number from 0" in err
        assert "Conversion Error" not in err
        assert "Traceback" not in err


# As of Tue 11-24: received Mon 11-16, quoted Thu 11-19 = 3 business days (17, 18, 19): late. With
# 11-17 closed it is 2: on time.
CLOSED_AS_OF = date(2026, 11, 24)
CLOSED_INQUIRIES = [
    inquiry("Q", "2026-11-16 10:00", requested_for="2026-12-20"),
    inquiry("W", "2026-11-17 10:00", requested_for="2026-12-20"),
]
CLOSED_EVENTS = [event("Q", "2026-11-19 10:00", "quote_sent")]


@pytest.mark.slow
def test_closed_days_what_if_equals_a_connection_with_those_settings() -> None:
    """Every figure under a closed_days override equals that of a connection prepared with it."""
    closed = {"closed_days": "11-17..11-17"}
    settings = load_settings().with_overrides(closed)
    con = memory_db(CLOSED_INQUIRIES, CLOSED_EVENTS)
    other = memory_db(CLOSED_INQUIRIES, CLOSED_EVENTS, settings)
    try:
        before = pipelines.report(con, CLOSED_AS_OF)
        changed = pipelines.report(con, CLOSED_AS_OF, overrides=closed)
        assert changed == pipelines.report(other, CLOSED_AS_OF)
        assert (before["quote_sla_rate"], changed["quote_sla_rate"]) == (0.0, 1.0)
        facts = pipelines.inquiry_facts(con, CLOSED_AS_OF, overrides=closed).set_index("inquiry_id")
        # W, received on the closed day: due on the 2nd business day after it (18, 19)
        assert facts.loc["W", "quote_due_date"] == pd.Timestamp("2026-11-19")
        assert pipelines.report(con, CLOSED_AS_OF) == before  # the connection's settings are back
    finally:
        con.close()
        other.close()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-24 10:00", "2026-11-24"),  # Tue, a business day: the same day
        ("2026-11-21 10:00", "2026-11-24"),  # Sat: the next business day (Mon 23 is a holiday)
        ("2026-11-23 10:00", "2026-11-24"),  # the holiday itself
        ("2026-12-31 10:00", "2027-01-04"),  # during the closure
    ],
)
def test_same_day_sla_is_due_on_the_received_or_next_business_day(
    facts_of, received: str, due: str
) -> None:
    """quote_sla_business_days = 0: due on the received date when a business day, else the next one."""
    settings = load_settings().with_overrides({"quote_sla_business_days": 0})
    rows = [inquiry("A", received, requested_for="2027-03-01")]
    f = facts_of(rows, as_of=date(2027, 1, 10), settings=settings).loc["A"]
    assert f.quote_due_date == pd.Timestamp(due)
    assert f.quote_due_date >= pd.Timestamp(received).normalize()
