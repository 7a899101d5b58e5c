"""The demo business's behaviour: when inquiries arrive, what they ask, and what happens to each.

Every step draws from one random stream in a fixed order, so a seed always gives the same logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipelines.calendar import business_day_table
from pipelines.demo.text import (
    CALM_MESSAGES,
    CHANNELS,
    GIVEN,
    PREFECTURES,
    REQUESTED_MESSAGES,
    SERVICES,
    STAFF,
    SURNAMES,
    URGENT_MESSAGES,
    rich_text,
)
from pipelines.settings import load_settings
from pipelines.vocabulary import FIRST_DATE


@dataclass(frozen=True)
class DemoData:
    """Generated logs: inquiries (one row each) and events (the quote log)."""

    inquiries: pd.DataFrame
    events: pd.DataFrame


@dataclass
class _Draft:
    """The arrays of one generation, filled step by step (one entry per inquiry)."""

    rng: np.random.Generator
    n: int
    ids: np.ndarray = field(default_factory=lambda: np.empty(0))
    received_day: np.ndarray = field(default_factory=lambda: np.empty(0))
    received_min: np.ndarray = field(default_factory=lambda: np.empty(0))
    received_at: np.ndarray = field(default_factory=lambda: np.empty(0))
    kind: np.ndarray = field(
        default_factory=lambda: np.empty(0)
    )  # 0 urgent-date 1 urgent-text 2 calm-text 3 dated
    requested_day: np.ndarray = field(default_factory=lambda: np.empty(0))
    quoted: np.ndarray = field(default_factory=lambda: np.empty(0))
    quote_at: np.ndarray = field(default_factory=lambda: np.empty(0))
    events: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        mask: np.ndarray,
        kind_name: str,
        at: np.ndarray,
        minutes: tuple[int, int],
        amount: pd.api.extensions.ExtensionArray | None = None,
    ) -> None:
        """Events of one kind for the inquiries in mask, at `at`, with staff minutes in a range."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.events.append(
            pd.DataFrame(
                {
                    "inquiry_id": self.ids[idx],
                    "event_at": at[idx],
                    "event": kind_name,
                    "amount_jpy": amount[idx]
                    if amount is not None
                    else pd.array([None] * len(idx), dtype="Int64"),
                    "staff": self.rng.choice(STAFF, size=len(idx)),
                    "staff_minutes": self.rng.integers(*minutes, size=len(idx)),
                    "note": None,
                }
            )
        )


def _to_ts(days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[m]") + minutes.astype("timedelta64[m]")


def generate(
    n_inquiries: int = 3000, seed: int = 7, as_of: date | None = None, text: str = "plain"
) -> DemoData:
    """Generate n_inquiries inquiries and their events, all on or before as_of (Japan time).

    text 'rich': realistic Japanese names, addresses and messages of many lengths on every row (what
    the benchmark measures); 'plain': a few short texts (fast, mostly for tests). The behaviour —
    statuses, events — is the same for a seed either way.
    """
    as_of = as_of or date(2026, 11, 24)
    draft = _Draft(np.random.default_rng(seed), n_inquiries)
    _receive(draft, as_of)
    _request(draft)
    inquiries, contacts = _inquiries(draft)
    _quote(draft)
    outcome = _follow_up(draft)
    _hide_details(draft, inquiries, contacts, outcome, text, seed)
    events = pd.concat(draft.events, ignore_index=True)
    cutoff = np.datetime64(as_of + timedelta(days=1), "m")
    events = events[events["event_at"].to_numpy() < cutoff]
    events = events[events["event_at"].to_numpy() >= np.datetime64(FIRST_DATE, "m")]
    events = events.sort_values(["event_at", "inquiry_id"], kind="stable").reset_index(drop=True)
    return DemoData(inquiries, events)


def _receive(d: _Draft, as_of: date) -> None:
    """Received times: a weekday rhythm over up to three years, 07:00–23:50."""
    span_days = int(min(1095, max(120, d.n // 8)))
    first = np.datetime64(as_of - timedelta(days=span_days), "D")
    days = first + np.arange(span_days + 1)
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    weights = np.array([1.25, 1.15, 1.05, 1.0, 1.1, 0.55, 0.45])[weekday]
    received_day = np.sort(d.rng.choice(days, size=d.n, p=weights / weights.sum()))
    received_min = d.rng.integers(7 * 60, 23 * 60 + 50, size=d.n)
    order = np.lexsort((received_min, received_day))
    d.received_day, d.received_min = received_day[order], received_min[order]
    d.received_at = _to_ts(d.received_day, d.received_min)


def _request(d: _Draft) -> None:
    """Requests: ~20% urgent (half with a date too close, half by wording), ~8% no date and calm."""
    rng, n = d.rng, d.n
    d.kind = rng.choice(4, size=n, p=[0.10, 0.10, 0.08, 0.72])
    lead = np.where(d.kind == 0, rng.integers(0, 3, size=n), 3 + rng.geometric(0.06, size=n))
    d.requested_day = np.where(
        np.isin(d.kind, (1, 2)),
        np.datetime64("NaT"),
        d.received_day + lead.astype("timedelta64[D]"),
    )


def _messages(d: _Draft) -> np.ndarray:
    """The plain message of every inquiry, by its kind."""
    rng, n, kind = d.rng, d.n, d.kind
    return np.where(
        kind == 1,
        rng.choice(URGENT_MESSAGES, size=n),
        np.where(
            kind == 2,
            rng.choice(CALM_MESSAGES, size=n),
            np.where(
                kind == 0,
                rng.choice(URGENT_MESSAGES[:10], size=n),
                rng.choice(REQUESTED_MESSAGES, size=n),
            ),
        ),
    )


def _contacts(d: _Draft) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plain names, addresses and phone numbers (0NN-NNNN-NNNN)."""
    rng, n = d.rng, d.n
    name = np.char.add(rng.choice(SURNAMES, size=n), rng.choice(GIVEN, size=n)).astype(object)
    address = np.char.add(
        rng.choice(PREFECTURES, size=n), np.char.add(rng.integers(1, 9, size=n).astype(str), "丁目")
    ).astype(object)
    area = rng.integers(10, 99, size=n).astype(str)
    middle = rng.integers(1000, 9999, size=n).astype(str)
    last = rng.integers(1000, 9999, size=n).astype(str)
    phone = np.char.add(
        "0", np.char.add(area, np.char.add("-", np.char.add(middle, np.char.add("-", last))))
    ).astype(object)
    return name, address, phone


def _inquiries(d: _Draft) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The inquiry log (plain text) and its (name, address, phone) columns to thin out later."""
    rng, n = d.rng, d.n
    message = _messages(d)
    name, address, phone = _contacts(d)
    d.ids = np.char.add("Q", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    inquiries = pd.DataFrame(
        {
            "inquiry_id": d.ids,
            "received_at": d.received_at,
            "customer_name": name,
            "customer_address": address,
            "customer_email": np.char.add(
                np.char.add("user", np.arange(n).astype(str)), "@example.jp"
            ),
            "target_phone": phone,
            "requested_for": d.requested_day.astype("datetime64[D]"),
            "service": rng.choice(SERVICES, size=n),
            "message": message,
            "channel": rng.choice(CHANNELS, size=n),
            "staff_minutes": rng.integers(3, 20, size=n),
        }
    )
    return inquiries, (name, address, phone)


def _quote(d: _Draft) -> None:
    """Quotes on business days: same day to a few business days later; fewer for urgent requests."""
    rng, n = d.rng, d.n
    cal = business_day_table(load_settings())
    cal_days = cal["day"].to_numpy().astype("datetime64[D]")
    bd_index = cal["business_day_index"].to_numpy()
    business = cal_days[cal["is_business_day"].to_numpy()]
    start_idx = bd_index[(d.received_day - cal_days[0]).astype(int)]
    delay = rng.choice(5, size=n, p=[0.45, 0.33, 0.14, 0.05, 0.03])
    quote_day = business[np.minimum(start_idx + delay - 1 + (delay == 0), len(business) - 1)]
    same_day_ok = (delay == 0) & np.isin(d.received_day, business) & (d.received_min < 17 * 60)
    quote_day = np.where(
        same_day_ok,
        d.received_day,
        np.where(delay == 0, business[np.minimum(start_idx, len(business) - 1)], quote_day),
    )
    d.quoted = rng.random(n) < np.where(d.kind <= 1, 0.55, 0.93)
    quote_at = _to_ts(quote_day, rng.integers(10 * 60, 19 * 60, size=n))
    d.quote_at = np.maximum(quote_at, d.received_at + np.timedelta64(20, "m"))


def _follow_up(d: _Draft) -> np.ndarray:
    """Everything after the quote; returns each inquiry's outcome.

    0 silent, 1 silent then returns the day before, 2 declined, 3 contracted, 4 replied only,
    5 late contract.
    """
    rng, n = d.rng, d.n
    outcome = rng.choice(6, size=n, p=[0.34, 0.05, 0.12, 0.33, 0.12, 0.04])
    dated = ~np.isnat(d.requested_day)
    outcome = np.where(~dated & np.isin(outcome, (1, 3, 5)), 4, outcome)
    amount = (rng.integers(6, 40, size=n) * 500).astype("int64")
    d.add(d.quoted, "quote_sent", d.quote_at, (10, 30), pd.array(amount, dtype="Int64"))
    reply_at = d.quote_at + rng.integers(2 * 60, 3 * 24 * 60, size=n).astype("timedelta64[m]")
    replied = d.quoted & np.isin(outcome, (3, 4, 5))
    d.add(replied, "customer_reply", reply_at, (5, 15))
    revised = replied & (rng.random(n) < 0.15)
    d.add(
        revised,
        "quote_sent",
        reply_at + np.timedelta64(90, "m"),
        (5, 20),
        pd.array(amount + 1000, dtype="Int64"),
    )
    outcome = _contracts(d, outcome, reply_at)
    declined = d.quoted & (outcome == 2)
    d.add(
        declined,
        "customer_declined",
        d.quote_at + rng.integers(60, 5 * 24 * 60, size=n).astype("timedelta64[m]"),
        (3, 8),
    )
    req_day_ts = d.requested_day.astype("datetime64[m]")
    return_at = req_day_ts - np.timedelta64(24 * 60, "m") + np.timedelta64(20 * 60, "m")
    returned = (
        d.quoted & (outcome == 1) & (return_at > d.quote_at + np.timedelta64(7 * 24 * 60, "m"))
    )
    d.add(returned, "contract_requested", return_at, (5, 15))
    return outcome


def _contracts(d: _Draft, outcome: np.ndarray, reply_at: np.ndarray) -> np.ndarray:
    """Contracts in time, late contracts, staff work and cancellations; the updated outcome."""
    rng, n = d.rng, d.n
    req_day_ts = d.requested_day.astype("datetime64[m]")
    sign_slack = rng.integers(3, 10, size=n).astype("timedelta64[D]").astype("timedelta64[m]")
    sign_at = np.maximum(
        req_day_ts - sign_slack + np.timedelta64(11 * 60, "m"), reply_at + np.timedelta64(60, "m")
    )
    late_sign_at = (
        req_day_ts
        - rng.integers(1, 3, size=n).astype("timedelta64[D]").astype("timedelta64[m]")
        + np.timedelta64(15 * 60, "m")
    )
    in_time = sign_at <= req_day_ts - np.timedelta64(3 * 24 * 60, "m") + np.timedelta64(
        23 * 60, "m"
    )
    outcome = np.where((outcome == 3) & ~in_time, 4, outcome)  # no time left to sign: they drift
    contracted = d.quoted & (outcome == 3)
    late = d.quoted & (outcome == 5)
    signed_at = np.where(
        late, np.maximum(late_sign_at, reply_at + np.timedelta64(30, "m")), sign_at
    )
    d.add(contracted | late, "contract_requested", signed_at - np.timedelta64(120, "m"), (5, 15))
    d.add(contracted | late, "contract_signed", signed_at, (10, 25))
    arranged = (contracted | late) & (rng.random(n) < 0.3)
    d.add(arranged, "staff_work", signed_at + np.timedelta64(60, "m"), (10, 40))
    cancelled = contracted & (rng.random(n) < 0.05)
    d.add(cancelled, "cancelled", signed_at + np.timedelta64(24 * 60, "m"), (5, 10))
    return outcome


def _hide_details(
    d: _Draft,
    inquiries: pd.DataFrame,
    contacts: tuple[np.ndarray, np.ndarray, np.ndarray],
    outcome: np.ndarray,
    text: str,
    seed: int,
) -> None:
    """Rich text when asked for, then some names, addresses and phones left out (fewer when contracted)."""
    rng, n = d.rng, d.n
    name, address, phone = contacts
    details_rate = np.where(outcome == 3, 0.008, 0.05)  # contracted customers mostly gave all
    if text == "rich":
        rich = rich_text(n, d.kind, seed)
        name, address = rich["customer_name"], rich["customer_address"]
        inquiries["message"] = rich["message"]
    elif text != "plain":
        raise ValueError(f"text must be 'rich' or 'plain', got {text!r}")
    name[rng.random(n) < details_rate] = None
    address[rng.random(n) < details_rate] = None
    phone[rng.random(n) < details_rate * 0.8] = None
    inquiries["customer_name"], inquiries["customer_address"], inquiries["target_phone"] = (
        name,
        address,
        phone,
    )
