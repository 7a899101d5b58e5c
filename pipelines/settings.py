"""Business settings: one TOML file with the SPEC's defaults, validated on load, overridable for what-ifs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pipelines.coded import coded

DEFAULT_SETTINGS_PATH = Path(__file__).with_name("settings.toml")
# Tables owned by other modules: [message] (pipelines.message_reader), [mailbox] (pipelines.mailbox),
# [limits] (pipelines.readers), [drafts] (pipelines.drafts), [imap] (pipelines.sync), [smtp] [alerts]
# [notify] (pipelines.notify).
_TABLES = ("message", "mailbox", "limits", "drafts", "imap", "smtp", "alerts", "notify")
LANGUAGES = ("ja", "en")
MAX_DAYS = 3650  # ten years: more is a typo, and dates past it leave the calendar
MAX_YEN = 1_000_000  # an hour of staff time


class SettingsError(ValueError):
    """A setting is missing, of the wrong type or out of range."""


@dataclass(frozen=True)
class Setting:
    """One business setting, declared once: its kind, range, wording and What-if control.

    Validation, ``report --set``, the SQL's settings STRUCT, the wording of sentences and the What-if
    page all iterate ``SETTINGS``; adding a setting is one field of ``Settings`` (plus its words).
    """

    name: str
    kind: Literal["whole", "minutes", "bool", "closed_days", "language"]  # minutes: whole, not days
    default: object
    minimum: int = 0
    maximum: int = MAX_DAYS
    unit: str = "days"  # how its numbers are counted, for messages (days, business days, yen, …)
    wording: str | None = None  # the {placeholder} sentences use for it (None: not in sentences)
    whatif: Literal["main", "more", "none"] = "more"  # where the What-if page offers it
    in_sql: bool = True  # handed to the SQL in the settings STRUCT

    def accepts(self) -> str:
        """What the setting accepts, in words, for refusals."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "language":
            return " or ".join(repr(x) for x in LANGUAGES)
        if self.kind == "closed_days":
            return "MM-DD..MM-DD ranges separated by commas (e.g. 12-29..01-03,08-13..08-16), or nothing"
        return f"a whole number from {self.minimum} to {self.maximum:,} ({self.unit})"


def _declare(default: object, kind: str = "whole", **how: object) -> Any:
    """A Settings field carrying its Setting (the name is filled in from the field)."""
    return field(default=default, metadata={"setting": (kind, how)})


@dataclass(frozen=True)
class Settings:
    """The business rules' parameters (days are calendar days unless named business days)."""

    # A contract must be signed at least this many days before the day of the call.
    min_lead_days: int = _declare(3, wording="min_lead_days", whatif="main")
    # A quote with no customer contact for this many days leaves the inquiry silent.
    silence_days: int = _declare(7, wording="silence_days", whatif="main")
    # Quotes are due within this many Japanese business days of the inquiry.
    quote_sla_business_days: int = _declare(
        2, unit="business days", wording="sla_days", whatif="main"
    )
    # Office closures (month-day, inclusive, may wrap the year) besides weekends and public holidays.
    closed_days: tuple[tuple[str, str], ...] = _declare((("12-29", "01-03"),), "closed_days")
    hourly_cost_jpy: int = _declare(2000, maximum=MAX_YEN, unit="yen", wording="hourly_cost_jpy")
    follow_up_days: int = _declare(3, wording="follow_up_days")
    upcoming_days: int = _declare(14, wording="upcoming_days")
    # without a requested date, the message text can make it urgent
    urgent_by_message: bool = _declare(True, "bool", whatif="main")
    # Refusals to send: rejected inquiries decided within this many business days.
    refusal_days: int = _declare(2, unit="business days", wording="refusal_days")
    # The office's default language for pages, the CLI and the digest.
    language: str = _declare("ja", "language", whatif="none", in_sql=False)
    # A dashboard login ends after this many minutes without a page view (5 minutes to a week).
    session_idle_minutes: int = _declare(
        480, "minutes", minimum=5, maximum=10080, unit="minutes", whatif="none", in_sql=False
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
        return {s.wording: getattr(self, s.name) for s in SETTINGS if s.wording}

    def calendar_key(self) -> str:
        """The closed days as text (12-29..01-03,…): names the business-day calendar they give."""
        return ",".join(f"{a}..{b}" for a, b in self.closed_days)

    def sql_struct(self) -> dict[str, object]:
        """The settings as the SQL's `cfg` STRUCT: days, business days, yen, true/false, and the
        business-day calendar's key (a parameter of inquiry_facts, never a connection variable)."""
        values = {s.name: getattr(self, s.name) for s in SETTINGS if s.in_sql}
        values["closed_days"] = values["calendar"] = self.calendar_key()
        return values

    def with_overrides(self, overrides: Mapping[str, object]) -> Settings:
        """A copy with some settings changed (validated); the file is never written."""
        changes: dict[str, object] = {}
        for name, value in overrides.items():
            if name not in BY_NAME:
                raise SettingsError(
                    f"--set {name}: not a setting that can be changed here "
                    f"(one of {', '.join(OVERRIDABLE)})"
                )
            changes[name] = coerce(BY_NAME[name], value, "--set")
        return dataclasses.replace(self, **changes)


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.metadata["setting"][0], f.default, **f.metadata["setting"][1])
    for f in dataclasses.fields(Settings)
    if "setting" in f.metadata
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
# Settings a what-if may change (report --set NAME=VALUE, the dashboard's what-if, the API): all.
OVERRIDABLE: tuple[str, ...] = tuple(BY_NAME)


def _refuse(setting: Setting, value: object, source: str) -> SettingsError:
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…"
    return coded(
        SettingsError(f"{source}: {setting.name} must be {setting.accepts()}, got {shown!r}"),
        f"setting_{setting.kind}"
        if setting.kind in ("bool", "language", "closed_days")
        else "setting_range",
        source=source,
        name=setting.name,
        minimum=setting.minimum,
        maximum=setting.maximum,
        got=repr(shown),
    )


def coerce(setting: Setting, value: object, source: str) -> object:
    """Validate one setting's value, accepting text as a command line gives it."""
    if setting.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise _refuse(setting, value, source)
    if setting.kind == "language":
        if isinstance(value, str) and value.strip().lower() in LANGUAGES:
            return value.strip().lower()
        raise _refuse(setting, value, source)
    if setting.kind == "closed_days":
        return _closed_days(value, source)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not setting.minimum <= value <= setting.maximum
    ):
        raise _refuse(setting, value, source)
    return value


def _closed_days(value: object, source: str) -> tuple[tuple[str, str], ...]:
    """closed_days from the file's [[start, end], …] or the command line's 'MM-DD..MM-DD,…'."""
    if isinstance(value, tuple | list) and all(
        isinstance(r, tuple | list) and len(r) == 2 for r in value
    ):
        pairs = [tuple(r) for r in value]
    elif isinstance(value, str):
        pairs = []
        for part in filter(None, (p.strip() for p in value.split(","))):
            start, sep, end = part.partition("..")
            if not sep:
                raise _refuse(BY_NAME["closed_days"], value, source)
            pairs.append((start.strip(), end.strip()))
    else:
        raise SettingsError(
            f"{source}: closed_days must be a list of [start, end] pairs like ['12-29', '01-03']"
        )
    return tuple((_month_day(a, source), _month_day(b, source)) for a, b in pairs)


def parse_override(text: str) -> tuple[str, object]:
    """'NAME=VALUE' from the command line as (name, validated value)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise SettingsError(f"--set {text!r}: expected NAME=VALUE, e.g. min_lead_days=2")
    return name, getattr(Settings().with_overrides({name: value}), name)


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
        # utf-8-sig: Notepad saves UTF-8 with a byte order mark
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise coded(
            SettingsError(f"{source}: settings file not found"), "settings_missing", source=source
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise coded(
            SettingsError(f"{source}: cannot be read ({exc})"),
            "settings_unreadable",
            source=source,
            error=str(exc),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise coded(
            SettingsError(f"{source}: not valid TOML: {exc}"),
            "settings_toml",
            source=source,
            error=str(exc),
        ) from None


def settings_path(path: str | Path | None = None) -> Path:
    """The settings file in force: path, else $OPSDASH_SETTINGS, else the bundled defaults."""
    return Path(path or os.environ.get("OPSDASH_SETTINGS") or DEFAULT_SETTINGS_PATH)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the settings file (default: $OPSDASH_SETTINGS or the bundled defaults)."""
    path = settings_path(path)
    source = str(path)
    raw = _read_toml(path)
    if path != DEFAULT_SETTINGS_PATH:  # a partial file overrides the bundled defaults
        defaults = _read_toml(DEFAULT_SETTINGS_PATH)
        merged = {**defaults, **raw}
        for table in _TABLES:
            if table in defaults or table in raw:
                merged[table] = {**defaults.get(table, {}), **raw.get(table, {})}
        raw = merged
    known = {*BY_NAME, *_TABLES}
    if "urgency" in raw:
        raise SettingsError(
            f"{source}: [urgency] phrases are no longer regular expressions: the message reader "
            "understands urgency itself. Move extra words to [message] extra_urgent_phrases and "
            "extra_negations (see docs/message-reading.md)."
        )
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s): {', '.join(unknown)}")
    for table in _TABLES:
        if not isinstance(raw.get(table, {}), dict):
            raise SettingsError(f"{source}: [{table}] must be a table")
    values = {s.name: coerce(s, raw.get(s.name, s.default), source) for s in SETTINGS}
    other_tables = {t: raw[t] for t in _TABLES if t in raw}
    settings = Settings(
        **values, tables_json=json.dumps(other_tables, sort_keys=True, ensure_ascii=False)
    )
    from pipelines.drafts import check_templates
    from pipelines.reader_words import words_from_table

    try:  # the message words and drafts are validated here so a bad file stops every command early
        words_from_table(settings.table("message"), source)
        check_templates(settings.table("drafts"), source)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return settings
