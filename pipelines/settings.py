"""Business settings: one TOML file with the SPEC's defaults, validated on load."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_SETTINGS_PATH = Path(__file__).with_name("settings.toml")


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
    time_zone: str = "Asia/Tokyo"
    urgency_phrases: tuple[str, ...] = field(default_factory=tuple)
    urgency_negations: tuple[str, ...] = field(default_factory=tuple)

    @property
    def urgent_pattern(self) -> str:
        """One RE2 alternation of the urgency phrases."""
        return "(" + "|".join(self.urgency_phrases) + ")" if self.urgency_phrases else "[^\\s\\S]"

    @property
    def negation_pattern(self) -> str:
        """One RE2 alternation of the negated phrases removed before matching."""
        return (
            "(" + "|".join(self.urgency_negations) + ")" if self.urgency_negations else "[^\\s\\S]"
        )

    def is_closed_day(self, day: date) -> bool:
        """True when the office is closed on that calendar day by the closed_days setting."""
        md = day.strftime("%m-%d")
        for start, end in self.closed_days:
            if (start <= md <= end) if start <= end else (md >= start or md <= end):
                return True
        return False


def _int(raw: dict, key: str, default: int, minimum: int, source: str) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SettingsError(f"{source}: {key} must be a whole number ≥ {minimum}, got {value!r}")
    return value


def _month_day(value: object, source: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}-\d{2}", value):
        raise SettingsError(f"{source}: closed_days entries must be 'MM-DD', got {value!r}")
    try:
        date.fromisoformat(f"2024-{value}")
    except ValueError:
        raise SettingsError(f"{source}: closed_days has an impossible date {value!r}") from None
    return value


def _patterns(raw: object, key: str, source: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        raise SettingsError(f"{source}: urgency.{key} must be a list of non-empty strings")
    for pattern in raw:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SettingsError(
                f"{source}: urgency.{key} has a bad pattern {pattern!r}: {exc}"
            ) from None
    return tuple(raw)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the settings file (default: $OPSDASH_SETTINGS or the bundled defaults)."""
    path = Path(path or os.environ.get("OPSDASH_SETTINGS") or DEFAULT_SETTINGS_PATH)
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{source}: settings file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{source}: not valid TOML: {exc}") from None
    if path != DEFAULT_SETTINGS_PATH:  # a partial file overrides the bundled defaults
        defaults = tomllib.loads(DEFAULT_SETTINGS_PATH.read_text(encoding="utf-8"))
        urgency = {**defaults.get("urgency", {}), **raw.get("urgency", {})}
        raw = {**defaults, **raw, "urgency": urgency}
    known = {
        "min_lead_days",
        "silence_days",
        "quote_sla_business_days",
        "closed_days",
        "hourly_cost_jpy",
        "time_zone",
        "urgency",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s): {', '.join(unknown)}")
    closed = raw.get("closed_days", [["12-29", "01-03"]])
    if not isinstance(closed, list) or not all(isinstance(r, list) and len(r) == 2 for r in closed):
        raise SettingsError(
            f"{source}: closed_days must be a list of [start, end] pairs like ['12-29', '01-03']"
        )
    if raw.get("time_zone", "Asia/Tokyo") != "Asia/Tokyo":
        raise SettingsError(
            f"{source}: time_zone must be Asia/Tokyo (the only zone the rules support)"
        )
    urgency = raw.get("urgency", {})
    if not isinstance(urgency, dict):
        raise SettingsError(f"{source}: [urgency] must be a table")
    return Settings(
        min_lead_days=_int(raw, "min_lead_days", 3, 0, source),
        silence_days=_int(raw, "silence_days", 7, 0, source),
        quote_sla_business_days=_int(raw, "quote_sla_business_days", 2, 0, source),
        closed_days=tuple((_month_day(a, source), _month_day(b, source)) for a, b in closed),
        hourly_cost_jpy=_int(raw, "hourly_cost_jpy", 2000, 0, source),
        urgency_phrases=_patterns(urgency.get("phrases", []), "phrases", source),
        urgency_negations=_patterns(urgency.get("negations", []), "negations", source),
    )
