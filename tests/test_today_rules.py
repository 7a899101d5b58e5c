"""`today` as of Tue 2026-11-24: items carry status and reason codes (JSON, CSV); an upcoming call whose
contract breaks a rule says which on the CLI, in the CSV and in the .ics; the text shows e-mail, the
message's start, the quote amount and staff wishes; the office's language is the default."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from pipelines.__main__ import main
from tests.conftest import build_db, event, inquiry

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("today_rules")

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OK: contracted for 12-01. BAD: signed 11-24 for 11-25 (1 day before the call), no address."""
    return build_db(
        tmp_path_factory.mktemp("today_rules"),
        [
            inquiry(
                "OK",
                requested_for="2026-12-01",
                customer_email="ok@example.jp",
                message="低い声の男性でお願いします。勤務先への連絡です",
            ),
            inquiry("BAD", requested_for="2026-11-25", customer_address=" "),
        ],
        [
            event("OK", "2026-11-02 15:00", "quote_sent", amount_jpy=8500),
            event("OK", "2026-11-05 10:00", "contract_signed"),
            event("BAD", "2026-11-02 15:00", "quote_sent"),
            event("BAD", "2026-11-24 09:00", "contract_signed"),
        ],
    )


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    assert main(["today", "--as-of", AS_OF, *args, "--db", str(db)]) == 0
    return capsys.readouterr().out


@pytest.mark.slow
def test_json_items_carry_status_and_reason_codes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each upcoming item has its status and reason codes; the rule-breaker says which rules."""
    data = json.loads(run(capsys, db, "--json", "--lang", "en"))
    items = {i["inquiry_id"]: i for i in data["lists"]["upcoming"]}
    assert (items["OK"]["status"], items["OK"]["reason_codes"]) == (
        "contracted",
        ["CONTRACT_SIGNED"],
    )
    assert (items["BAD"]["status"], items["BAD"]["reason_codes"]) == (
        "contracted_against_rules",
        ["LATE_CONTRACT", "MISSING_ADDRESS"],
    )
    assert items["BAD"]["next_step"] == (
        "Contract breaks the rules: signed 1 day before the call; the policy needs 3; "
        "address missing. Arrange staff for 2026/11/25 (Wed)"
    )
    assert items["OK"]["next_step"] == "Arrange staff for 2026/12/1 (Tue)"
    assert items["OK"]["rule_breaks"] == ""


def test_text_is_japanese_by_default_and_flags_the_rule_breaker(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --lang the office's language (ja): the rule-breaker's reasons instead of a plain 手配."""
    out = run(capsys, db)
    assert "架電予定 (2)" in out
    assert (
        "→ 規定違反の契約: 実行日の1日前に契約（規定は3日前まで）；ご住所が未記入。"
        "2026/11/25（水）の人員を手配してください"
    ) in out
    assert "→ 2026/12/1（火）の人員を手配してください" in out


def test_text_shows_email_excerpt_amount_and_staff_wishes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each item shows what the page shows: e-mail, message start, latest quote amount, wishes."""
    out = run(capsys, db, "--lang", "en")
    block = out[out.index("  OK  ") :].split("→")[0]
    assert "E-mail: ok@example.jp" in block
    assert "Message: 低い声の男性でお願いします。勤務先への連絡です" in block
    assert "Amount (yen): 8,500" in block
    assert "Staff requested: " in block


def test_csv_has_status_and_reason_codes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CSV's status code and reason-code columns hold the codes; its status column says the
    status in the download's words (SPEC "Language and downloads")."""
    out = tmp_path / "t.csv"
    run(capsys, db, "--lang", "en", "--csv", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    by_id = {r["Inquiry"] if "Inquiry" in r else r[list(r)[1]]: r for r in rows}
    assert (by_id["BAD"]["Status code"], by_id["BAD"]["Reason codes"]) == (
        "contracted_against_rules",
        "LATE_CONTRACT MISSING_ADDRESS",
    )
    assert by_id["BAD"]["Status"] == "Contracted against the rules"


def test_ics_flags_the_rule_breaker_in_summary_and_description(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calendar event of a contract against the rules says which in its summary and description."""
    out = tmp_path / "calls.ics"
    run(capsys, db, "--lang", "ja", "--ics", str(out))
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    summary = str(events["BAD@opsdash"]["summary"])
    assert summary.startswith(
        "【規定違反: 実行日の1日前に契約（規定は3日前まで）；ご住所が未記入】"
    )
    assert "規定違反の契約" in str(events["BAD@opsdash"]["description"])
    assert "規定違反" not in str(events["OK@opsdash"]["summary"])
