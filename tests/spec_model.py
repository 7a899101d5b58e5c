"""A deliberately simple, independent pure-Python reading of the SPEC, for the differential test.

It shares nothing with pipelines' SQL: loops over plain dicts and `holidays` directly. Reading a
message's wording is the one thing it borrows: `pipelines.message_reader` (tested on its own labelled
corpus) says what a message asks for; the model decides from that, as the SPEC's `urgent` bullet says.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays

from pipelines.message_reader import read_message
from pipelines.settings import Settings

CUSTOMER_SIDE = {
    "customer_reply",
    "contract_requested",
    "contract_signed",
    "customer_declined",
    "cancelled",
}
NONCONVERTING = {
    "declined_by_customer",
    "rejected_urgent",
    "rejected_late_request",
    "silent",
    "expired",
}


def business_day(d: date, s: Settings, jp: holidays.HolidayBase) -> bool:
    md = d.strftime("%m-%d")
    closed = any((a <= md <= b) if a <= b else (md >= a or md <= b) for a, b in s.closed_days)
    return d.weekday() < 5 and d not in jp and not closed


def business_days_between(
    received: date, quoted: date, s: Settings, jp: holidays.HolidayBase
) -> int:
    """Business days d with received < d <= quoted (0 when quoted on or before the received day)."""
    if quoted <= received:
        return 0
    return sum(
        business_day(received + timedelta(days=k), s, jp)
        for k in range(1, (quoted - received).days + 1)
    )


def nth_business_day_after(day: date, n: int, s: Settings, jp: holidays.HolidayBase) -> date:
    """The n-th business day after day."""
    while n > 0:
        day += timedelta(days=1)
        n -= business_day(day, s, jp)
    return day


ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def blank(value: str | None) -> bool:
    """Nothing but white space of any kind and zero-width characters."""
    return not (value or "").translate(ZERO_WIDTH).strip()


def urgent_text(message: str | None, received_at: datetime, s: Settings) -> bool:
    """Without a requested date: the message asks for the call now, or names a day too soon."""
    if not s.urgent_by_message:
        return False
    reading = read_message(message, received_at)
    if reading.asap:
        return True
    day = reading.message_date
    return day is not None and (day - received_at.date()).days < s.min_lead_days


def facts(inquiries: list[dict], events: list[dict], as_of: date, s: Settings) -> dict[str, dict]:
    """Per inquiry_id: the SPEC's derived facts and status as of the end of day as_of."""
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    silence = timedelta(days=s.silence_days)
    jp = holidays.country_holidays("JP", years=range(1990, 2101))
    by_id: dict[str, list[dict]] = {}
    for e in events:
        if e["event_at"] < end:
            by_id.setdefault(e["inquiry_id"], []).append(e)
    out = {}
    for i in inquiries:
        if i["received_at"] >= end:
            continue
        evs = by_id.get(i["inquiry_id"], [])
        received = i["received_at"].date()
        # "The requested date": requested_for when given; else the day the message names (the
        # message is read only when urgent_by_message lets it decide anything)
        requested = i["requested_for"].date() if i["requested_for"] else None
        from_message = None
        if requested is None and s.urgent_by_message:
            from_message = read_message(i["message"], i["received_at"]).message_date
        requested = requested or from_message
        missing = [f for f in ("customer_name", "customer_address", "target_phone") if blank(i[f])]
        lead = (requested - received).days if requested else None
        urgent = (lead is not None and lead < s.min_lead_days) or (
            not i["requested_for"] and urgent_text(i["message"], i["received_at"], s)
        )
        quotes = sorted(e["event_at"] for e in evs if e["event"] == "quote_sent")
        first_quote = quotes[0] if quotes else None
        contracts = sorted(e["event_at"] for e in evs if e["event"] == "contract_signed")
        contract_at = contracts[0] if contracts else None
        converted = contract_at is not None
        quote_bd = (
            business_days_between(received, first_quote.date(), s, jp) if first_quote else None
        )
        late_contract = (
            converted
            and requested is not None
            and (requested - contract_at.date()).days < s.min_lead_days
        )
        no_prior_quote = converted and (first_quote is None or first_quote > contract_at)
        contacted = first_quote is not None and any(
            e["event"] in CUSTOMER_SIDE and first_quote < e["event_at"] <= first_quote + silence
            for e in evs
        )
        judged = first_quote is not None and first_quote + silence < end
        silent = judged and not contacted
        late_request = requested is not None and any(
            e["event"] in ("contract_requested", "contract_signed")
            and (requested - e["event_at"].date()).days < s.min_lead_days
            for e in evs
        )
        quote_events = sorted(
            (e for e in evs if e["event"] == "quote_sent"), key=lambda e: e["event_at"]
        )
        before_contract = [
            e for e in quote_events if contract_at is None or e["event_at"] <= contract_at
        ]
        amount = before_contract[-1]["amount_jpy"] if before_contract else None
        cancelled = any(e["event"] == "cancelled" for e in evs)
        declined = any(e["event"] == "customer_declined" for e in evs)
        if converted and not cancelled and not (late_contract or no_prior_quote or missing):
            status = "contracted"
        elif converted and not cancelled:
            status = "contracted_against_rules"
        elif cancelled:
            status = "cancelled"
        elif declined:
            status = "declined_by_customer"
        elif urgent:
            status = "rejected_urgent"
        elif late_request:
            status = "rejected_late_request"
        elif silent:
            status = "silent"
        elif requested is not None and (requested - as_of).days < s.min_lead_days:
            status = "expired"
        elif missing:
            status = "incomplete"
        else:
            status = "open"
        out[i["inquiry_id"]] = {
            "received": received,
            "requested": requested,
            "requested_from_message": from_message is not None,
            "urgent": urgent,
            "quoted": first_quote is not None,
            "converted": converted,
            "judged": judged,
            "silent": silent,
            "status": status,
            "sla_met": quote_bd is not None and quote_bd <= s.quote_sla_business_days,
            "staff_minutes": i["staff_minutes"] + sum(e["staff_minutes"] for e in evs),
            "first_quote": first_quote,
            "contacted": contacted,
            "amount": amount,
            "quote_due": nth_business_day_after(received, s.quote_sla_business_days, s, jp),
            # Refusals to send: when the rules decided, the customer's last word, the office's last
            "decision": received
            if status == "rejected_urgent"
            else max(
                (
                    e["event_at"].date()
                    for e in evs
                    if e["event"] in ("contract_requested", "contract_signed")
                ),
                default=None,
            ),
            "last_customer": max(
                [i["received_at"], *(e["event_at"] for e in evs if e["event"] in CUSTOMER_SIDE)]
            ),
            "last_staff": max(
                (e["event_at"] for e in evs if e["event"] not in CUSTOMER_SIDE), default=None
            ),
        }
    return out


def report(
    inquiries: list[dict],
    events: list[dict],
    as_of: date,
    s: Settings,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    """The SPEC's report object, computed the simple way."""
    every = facts(inquiries, events, as_of, s)
    end = end or as_of
    period = [
        f
        for f in every.values()
        if (start is None or f["received"] >= start) and f["received"] <= end
    ]

    def rate(a: int, b: int) -> float | None:
        return a / b if b else None

    quoted = sum(f["quoted"] for f in period)
    converted = sum(f["converted"] for f in period)
    judged = sum(f["judged"] for f in period)
    silent = sum(f["silent"] for f in period)
    nonconv = [f for f in period if f["status"] in NONCONVERTING]
    minutes = sum(f["staff_minutes"] for f in nonconv)
    statuses: dict[str, int] = {}
    for f in period:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    lead = timedelta(days=s.min_lead_days)
    jp = holidays.country_holidays("JP", years=range(1990, 2101))
    next_business = nth_business_day_after(as_of, 1, s, jp)
    working = [f for f in every.values() if f["status"] in ("open", "incomplete")]
    silence = timedelta(days=s.silence_days)
    end_of_a = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    due = [f for f in working if not f["quoted"] and f["quote_due"] <= as_of]
    return {
        "as_of": as_of.isoformat(),
        "inquiries": len(period),
        "quoted": quoted,
        "converted": converted,
        "conversion_rate": rate(converted, len(period)),
        "judged_quotes": judged,
        "silent": silent,
        "silent_after_quote_rate": rate(silent, judged),
        "urgent_requests": sum(f["urgent"] for f in period),
        "nonconverting_inquiries": len(nonconv),
        "staff_minutes_nonconverting": minutes,
        "staff_minutes_per_nonconverting_inquiry": rate(minutes, len(nonconv)),
        "quote_sla_rate": rate(sum(f["sla_met"] for f in period), quoted),
        "contracted_amount_jpy": sum(
            f["amount"] or 0
            for f in period
            if f["status"] in ("contracted", "contracted_against_rules")
        ),
        "status_counts": statuses,
        "eligible_today": sum(
            f["status"] == "contracted" and f["requested"] == as_of for f in every.values()
        ),
        "attention_today": sum(
            f["status"] == "contracted_against_rules" and f["requested"] == as_of
            for f in every.values()
        ),
        "sign_by_today": sum(
            f["requested"] is not None and as_of <= f["requested"] - lead < next_business
            for f in working
        ),
        "quote_due_today": len(due),
        "quote_overdue": sum(f["quote_due"] < as_of for f in due),
        "follow_up_today": sum(
            f["quoted"]
            and not f["contacted"]
            and not f["first_quote"] + silence < end_of_a
            and f["first_quote"].date() + timedelta(days=s.follow_up_days) <= as_of
            for f in working
        ),
        "refusals_to_send": sum(
            f["status"] in ("rejected_urgent", "rejected_late_request")
            and business_days_between(f["decision"], as_of, s, jp) < s.refusal_days
            and (f["last_staff"] is None or f["last_staff"] <= f["last_customer"])
            for f in every.values()
        ),
        "upcoming_calls": sum(
            f["status"] in ("contracted", "contracted_against_rules")
            and f["requested"] is not None
            and as_of < f["requested"] <= as_of + timedelta(days=s.upcoming_days)
            for f in every.values()
        ),
    }
