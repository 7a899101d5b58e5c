"""The acceptance rules: golden tests per status and edge, and a differential test against tests/spec_model.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

import pipelines
from pipelines.__main__ import main
from pipelines.calendar import is_business_day
from pipelines.demo import generate, write_exports
from pipelines.loader import load_files
from pipelines.settings import SettingsError, load_settings
from tests import spec_model
from tests.conftest import AS_OF, build_db, event, inquiry

# AS_OF is Tuesday 2026-11-24. Inquiries below are received on Monday 2026-11-02 unless stated.


def test_contracted_in_time_is_eligible_on_the_day(facts_of) -> None:
    """A quoted inquiry signed 3 days ahead with full details is contracted and on the eligible list that day."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-03 10:00", "customer_reply"),
            event("A", "2026-11-21 10:00", "contract_signed"),
        ],
    ).loc["A"]
    assert f.status == "contracted"
    assert list(f.reason_codes) == ["CONTRACT_SIGNED"]
    assert not f.late_contract


def test_contract_two_days_ahead_breaks_lead_time(facts_of) -> None:
    """A contract signed 2 days before the call is contracted against the rules (LATE_CONTRACT)."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-22 10:00", "contract_signed"),
        ],
    ).loc["A"]
    assert f.status == "contracted_against_rules"
    assert list(f.reason_codes) == ["LATE_CONTRACT"]


def test_contract_without_prior_quote_and_missing_details(facts_of) -> None:
    """A contract before any quote, with no address, breaks two rules at once."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-30", customer_address=" ")],
        [
            event("A", "2026-11-03 10:00", "contract_signed"),
            event("A", "2026-11-04 10:00", "quote_sent"),
        ],
    ).loc["A"]
    assert f.status == "contracted_against_rules"
    assert list(f.reason_codes) == ["NO_PRIOR_QUOTE", "MISSING_ADDRESS"]
    assert list(f.missing_fields) == ["customer_address"]


def test_cancelled_after_contract(facts_of) -> None:
    """A contract later cancelled is cancelled, still counted as converted."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-30")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-05 10:00", "contract_signed"),
            event("A", "2026-11-06 10:00", "cancelled"),
        ],
    ).loc["A"]
    assert (f.status, f.converted) == ("cancelled", True)


def test_declined_by_customer(facts_of) -> None:
    """A customer who says no is declined_by_customer, even when also silent."""
    f = facts_of(
        [inquiry("A", requested_for="2026-12-20")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-20 10:00", "customer_declined"),
        ],
    ).loc["A"]
    assert f.status == "declined_by_customer"
    assert f.silent


@pytest.mark.parametrize(
    ("requested", "message", "status", "reason"),
    [
        ("2026-11-03", "よろしく", "rejected_urgent", "SHORT_NOTICE"),  # 1 day ahead
        ("2026-11-04", "よろしく", "rejected_urgent", "SHORT_NOTICE"),  # 2 days ahead
        (
            "2026-11-05",
            "よろしく",
            "expired",
            "TOO_LATE_TO_CONTRACT",
        ),  # 3 days ahead is fine, but A is long past
        (None, "1時間後に電話して", "rejected_urgent", "URGENT_TEXT"),
        (None, "急ぎではありません", "open", "AWAITING_QUOTE"),
    ],
)
def test_urgent_requests(facts_of, requested, message, status, reason) -> None:
    """Lead time under 3 days, or an urgent message without a date, is rejected as urgent."""
    f = facts_of([inquiry("A", requested_for=requested, message=message)]).loc["A"]
    assert (f.status, list(f.reason_codes)) == (status, [reason])


def test_silent_exactly_at_the_boundary(facts_of) -> None:
    """A quote exactly silence_days old at the end of A is judged; a reply at exactly +7 days is contact."""
    inquiries = [
        inquiry("A", requested_for="2026-12-20"),
        inquiry("B", requested_for="2026-12-20"),
        inquiry("C", requested_for="2026-12-20"),
    ]
    events = [
        event("A", "2026-11-17 23:59", "quote_sent"),  # +7 days = 11-24 23:59, before the end of A
        event(
            "B", "2026-11-18 00:00", "quote_sent"
        ),  # +7 days = 11-25 00:00, not before the end of A
        event("C", "2026-11-10 10:00", "quote_sent"),
        event("C", "2026-11-17 10:00", "customer_reply"),  # exactly at +7 days: contacted
    ]
    f = facts_of(inquiries, events)
    assert (f.loc["A"].quote_judged, f.loc["A"].status) == (True, "silent")
    assert (f.loc["B"].quote_judged, f.loc["B"].status) == (False, "open")
    assert (f.loc["C"].contacted_after_quote, f.loc["C"].status) == (True, "open")


def test_silent_then_returns_the_day_before(facts_of) -> None:
    """Silence after the quote, then a formal request the day before: rejected_late_request."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-23 20:00", "contract_requested"),
        ],
    ).loc["A"]
    assert f.status == "rejected_late_request"
    assert list(f.reason_codes) == ["LATE_REQUEST", "SILENT_AFTER_QUOTE"]
    assert f.returned_after_silence


def test_revised_quote_counts_once(facts_of) -> None:
    """It counts a revised quote once: the first quote decides turnaround and silence."""
    f = facts_of(
        [inquiry("A", requested_for="2026-12-20")],
        [
            event("A", "2026-11-02 15:00", "quote_sent", amount_jpy=5000),
            event("A", "2026-11-03 10:00", "customer_reply"),
            event("A", "2026-11-03 12:00", "quote_sent", amount_jpy=6000),
        ],
    ).loc["A"]
    assert (f.quotes_sent, str(f.first_quote_at), f.quote_business_days, f.status) == (
        2,
        "2026-11-02 15:00:00",
        0,
        "open",
    )


@pytest.mark.parametrize(
    ("received", "quoted", "business_days"),
    [
        ("2026-11-20 10:00", "2026-11-20 18:00", 0),  # same day
        (
            "2026-11-20 10:00",
            "2026-11-24 09:00",
            1,
        ),  # Fri → Tue: Sat, Sun and Mon 11-23 (Labour Thanksgiving) skipped
        ("2026-11-21 10:00", "2026-11-25 09:00", 2),  # Sat → Wed: Tue, Wed
        (
            "2026-12-25 10:00",
            "2027-01-05 09:00",
            3,
        ),  # Mon 12-28, then the closure 12-29…01-03: Mon 01-04, Tue 01-05
        ("2026-05-01 10:00", "2026-05-07 09:00", 1),  # Golden Week incl. substitute holiday 05-06
        (
            "2026-09-18 10:00",
            "2026-09-24 09:00",
            1,
        ),  # 09-21 Aged, 09-22 in-between, 09-23 Equinox: only Thu 09-24
    ],
)
def test_quote_turnaround_in_business_days(facts_of, received, quoted, business_days) -> None:
    """Quote turnaround counts business days d with received < d ≤ quoted."""
    f = facts_of(
        [inquiry("A", received, requested_for="2027-03-01")],
        [event("A", quoted, "quote_sent")],
        as_of=date(2027, 1, 31),
    ).loc["A"]
    assert f.quote_business_days == business_days
    assert f.quote_sla_met == (business_days <= 2)


def test_holiday_calendar() -> None:
    """Substitute and in-between holidays are not business days."""
    s = load_settings()
    assert not is_business_day(date(2026, 5, 6), s)
    assert not is_business_day(date(2026, 9, 22), s)
    assert not is_business_day(date(2026, 12, 30), s)
    assert is_business_day(date(2026, 11, 24), s)


def test_events_and_inquiries_after_as_of_are_ignored(facts_of) -> None:
    """Anything after the end of A is invisible: a later contract, a later inquiry."""
    f = facts_of(
        [inquiry("A", requested_for="2026-12-20"), inquiry("B", "2026-11-25 09:00")],
        [
            event("A", "2026-11-20 15:00", "quote_sent"),
            event("A", "2026-11-25 00:00", "contract_signed"),
        ],
    )
    assert list(f.index) == ["A"]
    assert (f.loc["A"].converted, f.loc["A"].status) == (False, "open")


def test_utc_time_crossing_midnight_counts_on_the_japan_date(facts_of) -> None:
    """15:00Z on 11-24 is midnight of 11-25 in Japan: after A, so ignored; 14:59Z is 23:59 on A."""
    f = facts_of([inquiry("A", "2026-11-24T14:59:00Z"), inquiry("B", "2026-11-24T15:00:00Z")])
    assert list(f.index) == ["A"]
    assert str(f.loc["A"].received_at) == "2026-11-24 23:59:00"


def test_incomplete_and_expired(facts_of) -> None:
    """Missing details make an open inquiry incomplete; a requested day too close makes it expired."""
    f = facts_of(
        [
            inquiry("A", requested_for="2026-12-20", target_phone=None, customer_name=""),
            inquiry("B", requested_for="2026-11-26"),
        ]
    )
    assert (f.loc["A"].status, list(f.loc["A"].reason_codes)) == (
        "incomplete",
        ["MISSING_NAME", "MISSING_TARGET_PHONE"],
    )
    assert f.loc["B"].status == "expired"


def test_staff_minutes_sum_inquiry_and_events_up_to_a(facts_of) -> None:
    """Staff minutes are the inquiry's own plus its events' up to A."""
    f = facts_of(
        [inquiry("A", staff_minutes=7, requested_for="2026-12-20")],
        [
            event("A", "2026-11-02 15:00", "quote_sent", minutes=20),
            event("A", "2026-11-03 15:00", "staff_work", minutes=13),
            event("A", "2026-11-25 15:00", "staff_work", minutes=99),
        ],
    ).loc["A"]
    assert f.staff_minutes == 40


def test_staff_lists_for_the_day(tmp_path: Path) -> None:
    """Eligible, attention and sign-by lists hold exactly the inquiries the SPEC names."""
    db = build_db(
        tmp_path,
        [
            inquiry("E", requested_for="2026-11-24"),
            inquiry("X", requested_for="2026-11-24"),
            inquiry("S", requested_for="2026-11-27", customer_address=None),
            inquiry("T", requested_for="2026-11-28"),
        ],
        [
            event("E", "2026-11-02 15:00", "quote_sent"),
            event("E", "2026-11-20 10:00", "contract_signed"),
            event("X", "2026-11-02 15:00", "quote_sent"),
            event("X", "2026-11-23 10:00", "contract_signed"),
        ],
    )
    con = pipelines.connect(db)
    lists = pipelines.staff_lists(con, AS_OF)
    con.close()
    assert list(lists["eligible"].inquiry_id) == ["E"]
    assert list(lists["attention"].inquiry_id) == ["X"]
    assert list(lists["sign_by"].inquiry_id) == ["S"]
    assert list(lists["sign_by"].missing_fields[0]) == ["customer_address"]


URGENT = [
    "明日お願いします",
    "1時間後に電話して",
    "今日中にお願いします",
    "本日中に連絡してほしい",
    "今すぐ電話してください",
    "今から電話できますか",
    "これからかけてもらえますか",
    "至急お願いします",
    "大至急です",
    "急ぎでお願いします",
    "今夜お願いします",
    "２時間後にお願いします",
    "30分後に電話して",
    "３０分後にお願いします",
    "明後日の朝に電話して",
    "今晩中に",
    "明朝お願いします",
    "すぐにお願いします",
    "Please call tomorrow",
    "Can you call today?",
    "ASAP please",
    "This is URGENT",
    "call in 2 hours",
    "call in an hour please",
    "tonight if possible",
    "right now please",
    "immediately",
    "as soon as possible",
    "ＡＳＡＰでお願いします",
    "1時間以内に電話を",
    "this evening please",
    "急いでいます",
    "早急に対応お願いします",
]
NOT_URGENT = [
    "急ぎではありません",
    "急ぎません。見積もりをください",
    "not urgent",
    "No rush, next month is fine",
    "見積もりをお願いします",
    "来月の予定です",
    "料金を教えてください",
    "Please send a quote",
    "日程はご相談させてください",
    "Not in a hurry",
    "男性の低い声の方でお願いできますか",
    "退職の連絡をお願いしたいです",
    "本日はお問い合わせありがとうございます",
    "明日以降で大丈夫です",
    "todays price list?",
    "",
    None,
]


@pytest.mark.parametrize("message", URGENT)
def test_urgent_phrases(facts_of, message: str) -> None:
    """Real urgent phrasing without a requested date is urgent."""
    assert facts_of([inquiry("A", message=message)]).loc["A"].urgent


@pytest.mark.parametrize("message", NOT_URGENT)
def test_not_urgent_phrases(facts_of, message: str | None) -> None:
    """Negated or calm phrasing is not urgent."""
    assert not facts_of([inquiry("A", message=message)]).loc["A"].urgent


def _raw_rows(db: Path) -> tuple[list[dict], list[dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        inq = (
            con.execute("SELECT * FROM inquiries")
            .fetchdf()
            .replace({float("nan"): None})
            .to_dict("records")
        )
        ev = (
            con.execute(
                "SELECT inquiry_id, event_at, event, staff_minutes, amount_jpy FROM events"
            )
            .fetchdf()
            .to_dict("records")
        )
    finally:
        con.close()
    for row in inq:
        row["received_at"] = row["received_at"].to_pydatetime()
        row["requested_for"] = (
            None
            if row["requested_for"] is None or row["requested_for"] != row["requested_for"]
            else row["requested_for"].to_pydatetime()
        )
        for k in ("customer_name", "customer_address", "target_phone", "message"):
            if row[k] != row[k]:
                row[k] = None
    for row in ev:
        row["event_at"] = row["event_at"].to_pydatetime()
        amount = row["amount_jpy"]
        row["amount_jpy"] = None if amount is None or amount != amount else int(amount)
    return inq, ev


@pytest.mark.parametrize("seed", range(6))
def test_sql_report_equals_simple_python_model(tmp_path: Path, seed: int) -> None:
    """The SQL report equals an independent pure-Python reading of the SPEC on generated data."""
    data = generate(600, seed=seed, as_of=date(2026, 11, 24))
    db = tmp_path / "d.duckdb"
    load_files(write_exports(data, tmp_path / "exports", style="canonical"), db)
    inquiries, events = _raw_rows(db)
    settings = load_settings()
    con = pipelines.connect(db)
    try:
        for as_of, start, end in [
            (date(2026, 11, 24), None, None),
            (date(2026, 10, 31), date(2026, 9, 1), None),
            (date(2026, 11, 24), date(2026, 11, 1), date(2026, 11, 15)),
            (date(2026, 8, 3), None, None),
        ]:
            ours = pipelines.report(con, as_of, start, end)
            ours.pop("quarantined_rows")
            assert ours == spec_model.report(inquiries, events, as_of, settings, start, end)
    finally:
        con.close()


def test_sample_report_matches_model(sample_db: Path) -> None:
    """On the bundled sample (mixed encodings, styles and bad rows) the report equals the model."""
    inquiries, events = _raw_rows(sample_db)
    con = pipelines.connect(sample_db)
    ours = pipelines.report(con, "2026-11-25")
    con.close()
    assert ours.pop("quarantined_rows") == 5
    assert ours == spec_model.report(inquiries, events, date(2026, 11, 25), load_settings())
    assert ours["eligible_today"] + ours["sign_by_today"] > 0


def test_report_json_keys_and_types(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`report --json` prints exactly the SPEC's keys: integer counts, rates in [0, 1] or null."""
    assert main(["report", "--json", "--as-of", "2026-11-24", "--db", str(sample_db)]) == 0
    data = json.loads(capsys.readouterr().out)
    counts = [
        "inquiries",
        "quoted",
        "converted",
        "judged_quotes",
        "silent",
        "urgent_requests",
        "nonconverting_inquiries",
        "staff_minutes_nonconverting",
        "eligible_today",
        "attention_today",
        "sign_by_today",
        "quote_due_today",
        "quote_overdue",
        "follow_up_today",
        "upcoming_calls",
        "contracted_amount_jpy",
        "quarantined_rows",
    ]
    rates = ["conversion_rate", "silent_after_quote_rate", "quote_sla_rate"]
    assert set(data) == {
        "as_of",
        "status_counts",
        "staff_minutes_per_nonconverting_inquiry",
        *counts,
        *rates,
    }
    assert data["as_of"] == "2026-11-24"
    assert all(type(data[k]) is int for k in counts)
    assert all(data[k] is None or 0 <= data[k] <= 1 for k in rates)
    assert isinstance(data["staff_minutes_per_nonconverting_inquiry"], float)
    assert sum(data["status_counts"].values()) == data["inquiries"]


def test_empty_period_gives_null_rates(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A period with no inquiries reports zero counts and null rates."""
    assert (
        main(
            [
                "report",
                "--json",
                "--as-of",
                "2026-11-24",
                "--from",
                "2030-01-01",
                "--db",
                str(sample_db),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["inquiries"] == 0
    assert data["conversion_rate"] is None
    assert data["status_counts"] == {}


def test_bad_settings_are_a_clear_error(tmp_path: Path) -> None:
    """A bad setting names the file and the setting."""
    path = tmp_path / "s.toml"
    path.write_text("min_lead_days = -1\n")
    with pytest.raises(SettingsError, match="min_lead_days must be a whole number"):
        load_settings(path)
    path.write_text("closed_days = [['12-32', '01-03']]\n")
    with pytest.raises(SettingsError, match="impossible date"):
        load_settings(path)
    path.write_text("[urgency]\nphrases = ['(unclosed']\n")
    with pytest.raises(SettingsError, match="bad pattern"):
        load_settings(path)


def test_settings_change_the_rules(tmp_path: Path) -> None:
    """min_lead_days from the settings file reaches the SQL rules."""
    db = build_db(tmp_path, [inquiry("A", requested_for="2026-11-06")])
    path = tmp_path / "s.toml"
    path.write_text("min_lead_days = 5\n")
    con = pipelines.connect(db, settings=load_settings(path))
    assert pipelines.inquiry_facts(con, AS_OF).loc[0, "status"] == "rejected_urgent"
    con.close()


def test_today_command_prints_the_lists_plainly(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today` prints each list with its count; a blank number reads '(no number)', a date-only request has no 00:00."""
    assert main(["today", "--as-of", "2026-11-25", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    con = pipelines.connect(sample_db)
    lists = pipelines.staff_lists(con, "2026-11-25")
    con.close()
    assert f"Eligible today — calls to make ({len(lists['eligible'])})" in out
    assert f"Sign by today — last day to sign a contract ({len(lists['sign_by'])})" in out
    assert "nan" not in out
    assert "00:00" not in out
    assert "(no number)" in out
