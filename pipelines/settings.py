"""Business settings: one TOML file with the SPEC's defaults, validated on load, overridable for what-ifs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_SETTINGS_PATH = Path(__file__).with_name("settings.toml")
# Settings a what-if may change (report --set NAME=VALUE, the dashboard's what-if, the API).
OVERRIDABLE: tuple[str, ...] = (
    "min_lead_days",
    "silence_days",
    "quote_sla_business_days",
    "hourly_cost_jpy",
    "follow_up_days",
    "upcoming_days",
    "urgent_by_message",
)
_WHOLE_NUMBERS = {
    "min_lead_days": 0,
    "silence_days": 0,
    "quote_sla_business_days": 0,
    "hourly_cost_jpy": 0,
    "follow_up_days": 0,
    "upcoming_days": 1,
}
# Tables owned by other modules: [message] (pipelines.message_reader), [mailbox] (pipelines.mailbox),
# [limits] (pipelines.readers).
_TABLES = ("message", "mailbox", "limits")


class SettingsError(ValueError):
    """A setting is missing, of the wrong type or out of range."""


@dataclass(frozen=True)
class Settings:
    """The business rules' parameters (days are calendar days unless named business days)."""

    min_lead_days: int = 3
    silence_days: int = 7
    quote_sla_business_days: int = 2
    closed_days: tuple[tuple[str, str], ...] = (("12-29", "01-03"),)
    hourly_cost_jpy: int = 2000
    follow_up_days: int = 3
    upcoming_days: int = 14
    urgent_by_message: bool = True  # without a requested date, the message text can make it urgent
    session_idle_minutes: int = (
        480  # a dashboard login ends after this many minutes without a page view
    )
    # Other tables of the file, kept as canonical JSON (hashable) for the modules that own them.
    tables_json: str = "{}"

    def table(self, name: str) -> dict[str, Any]:
        """The raw [name] table of the settings file ({} when absent), for the module that owns it."""
        return json.loads(self.tables_json).get(name, {})

    def is_closed_day(self, day: date) -> bool:
        """True when the office is closed on that calendar day by the closed_days setting."""
        md = day.strftime("%m-%d")
        for start, end in self.closed_days:
            if (start <= md <= end) if start <= end else (md >= start or md <= end):
                return True
        return False

    def to_json(self) -> str:
        """Every setting as JSON text (Settings.from_json reads it back)."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """Settings from to_json's text."""
        raw = json.loads(text)
        raw["closed_days"] = tuple(tuple(pair) for pair in raw["closed_days"])
        return cls(**raw)

    def fingerprint(self) -> str:
        """A short stable hash of every setting (cache keys, stored readings)."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]

    def wording(self) -> dict[str, int]:
        """The numbers that sentences shown to people take from the settings."""
        return {
            "min_lead_days": self.min_lead_days,
            "silence_days": self.silence_days,
            "sla_days": self.quote_sla_business_days,
            "follow_up_days": self.follow_up_days,
            "upcoming_days": self.upcoming_days,
            "hourly_cost_jpy": self.hourly_cost_jpy,
        }

    def with_overrides(self, overrides: Mapping[str, object]) -> Settings:
        """A copy with some OVERRIDABLE settings changed (validated); the file is never written."""
        changes: dict[str, object] = {}
        for name, value in overrides.items():
            if name not in OVERRIDABLE:
                raise SettingsError(
                    f"--set {name}: not a setting that can be changed here "
                    f"(one of {', '.join(OVERRIDABLE)})"
                )
            changes[name] = _coerce(name, value, f"--set {name}")
        return dataclasses.replace(self, **changes)


def _coerce(name: str, value: object, source: str) -> object:
    """Validate one overridable value, accepting text as a command line gives it."""
    if name == "urgent_by_message":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise SettingsError(f"{source} must be true or false, got {value!r}")
    minimum = _WHOLE_NUMBERS[name]
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SettingsError(f"{source} must be a whole number ≥ {minimum}, got {value!r}")
    return value


def parse_override(text: str) -> tuple[str, object]:
    """'NAME=VALUE' from the command line as (name, validated value)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise SettingsError(f"--set {text!r}: expected NAME=VALUE, e.g. min_lead_days=2")
    Settings().with_overrides({name: value})  # validates
    return name, _coerce(name, value, f"--set {name}")


def _month_day(value: object, source: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}-\d{2}", value):
        raise SettingsError(f"{source}: closed_days entries must be 'MM-DD', got {value!r}")
    try:
        date.fromisoformat(f"2024-{value}")
    except ValueError:
        raise SettingsError(f"{source}: closed_days has an impossible date {value!r}") from None
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{source}: settings file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{source}: not valid TOML: {exc}") from None


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the settings file (default: $OPSDASH_SETTINGS or the bundled defaults)."""
    path = Path(path or os.environ.get("OPSDASH_SETTINGS") or DEFAULT_SETTINGS_PATH)
    source = str(path)
    raw = _read_toml(path)
    if path != DEFAULT_SETTINGS_PATH:  # a partial file overrides the bundled defaults
        defaults = _read_toml(DEFAULT_SETTINGS_PATH)
        merged = {**defaults, **raw}
        for table in _TABLES:
            if table in defaults or table in raw:
                merged[table] = {**defaults.get(table, {}), **raw.get(table, {})}
        raw = merged
    known = {*_WHOLE_NUMBERS, "closed_days", "urgent_by_message", "session_idle_minutes", *_TABLES}
    if "urgency" in raw:
        raise SettingsError(
            f"{source}: [urgency] phrases are no longer regular expressions: the message reader "
            "understands urgency itself. Move extra words to [message] extra_urgent_phrases and "
            "extra_negations (see docs/message-reading.md)."
        )
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s): {', '.join(unknown)}")
    closed = raw.get("closed_days", [["12-29", "01-03"]])
    if not isinstance(closed, list) or not all(isinstance(r, list) and len(r) == 2 for r in closed):
        raise SettingsError(
            f"{source}: closed_days must be a list of [start, end] pairs like ['12-29', '01-03']"
        )
    for table in _TABLES:
        if not isinstance(raw.get(table, {}), dict):
            raise SettingsError(f"{source}: [{table}] must be a table")
    values = {
        name: _coerce(name, raw.get(name, getattr(Settings, name)), f"{source}: {name}")
        for name in OVERRIDABLE
    }
    other_tables = {t: raw[t] for t in _TABLES if t in raw}
    idle = raw.get("session_idle_minutes", Settings.session_idle_minutes)
    if not isinstance(idle, int) or isinstance(idle, bool) or not 5 <= idle <= 10080:
        raise SettingsError(
            f"{source}: session_idle_minutes must be a whole number of minutes from 5 to 10080 "
            f"(a week), got {idle!r}"
        )
    settings = Settings(
        **values,
        session_idle_minutes=idle,
        closed_days=tuple((_month_day(a, source), _month_day(b, source)) for a, b in closed),
        tables_json=json.dumps(other_tables, sort_keys=True, ensure_ascii=False),
    )
    from pipelines.message_reader import words_from_table

    try:  # the message words are validated here so a bad file stops every command early
        words_from_table(settings.table("message"), source)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return settings
