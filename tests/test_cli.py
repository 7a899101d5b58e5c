"""The command line: report --json (the contract with scripts), --set what-ifs, today's lists as text,
JSON, Excel-safe CSV and iCalendar, bad settings, and --help on every subcommand."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import pipelines
from pipelines.__main__ import build_parser, main
from pipelines.i18n import t
from pipelines.metrics import REPORT_METRICS
from pipelines.settings import SettingsError, load_settings
from pipelines.vocabulary import STAFF_LISTS
from pipelines.worklist import CSV_COLUMNS, WorkItem, queue_csv
from tests.conftest import build_db, event, inquiry

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("cli")

COUNTS = [m.name for m in REPORT_METRICS if m.integer] + [
    "eligible_today",
    "attention_today",
    "sign_by_today",
    "quote_due_today",
    "quote_overdue",
    "follow_up_today",
    "upcoming_calls",
    "refusals_to_send",  # SPEC report contract: the seventh list (issue 23)
    "quarantined_rows",
]
RATES = ["conversion_rate", "silent_after_quote_rate", "quote_sla_rate"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_json_keys_and_types(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`report --json` prints exactly the SPEC's keys: integer counts, rates in [0, 1] or null."""
    data = run_json(capsys, "report", "--json", "--as-of", "2026-11-24", "--db", str(sample_db))
    assert set(data) == {
        "as_of",
        "status_counts",
        "staff_minutes_per_nonconverting_inquiry",
        *COUNTS,
        *RATES,
    }
    assert data["as_of"] == "2026-11-24"
    assert [k for k in COUNTS if type(data[k]) is not int] == []
    assert all(data[k] is None or 0 <= data[k] <= 1 for k in RATES)
    assert isinstance(data["staff_minutes_per_nonconverting_inquiry"], float)
    assert sum(data["status_counts"].values()) == data["inquiries"]
    assert data["inquiries"] > 0


def test_empty_period_gives_zero_counts_and_null_rates(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A period with no inquiries reports zero counts, null rates and no statuses."""
    data = run_json(
        capsys,
        "report",
        "--json",
        "--as-of",
        "2026-11-24",
        "--from",
        "2030-01-01",
        "--db",
        str(sample_db),
    )
    assert (data["inquiries"], data["conversion_rate"], data["status_counts"]) == (0, None, {})
    assert data["staff_minutes_per_nonconverting_inquiry"] is None


@pytest.mark.slow
def test_set_overrides_equal_the_api_with_the_same_overrides(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report --set NAME=VALUE …` prints what the API gives with the same overrides (and differs from no --set)."""
    args = ["report", "--json", "--as-of", "2026-11-24", "--db", str(sample_db)]
    sets = [
        "--set",
        "min_lead_days=2",
        "--set",
        "silence_days=9",
        "--set",
        "urgent_by_message=false",
    ]
    changed = run_json(capsys, *args, *sets)
    plain = run_json(capsys, *args)
    con = pipelines.connect(sample_db)
    try:
        overrides = {"min_lead_days": 2, "silence_days": 9, "urgent_by_message": False}
        assert changed == pipelines.report(con, "2026-11-24", overrides=overrides)
        assert plain == pipelines.report(con, "2026-11-24")
    finally:
        con.close()
    assert changed["status_counts"] != plain["status_counts"]


@pytest.mark.parametrize(
    "bad", ["nonsense=1", "min_lead_days=-1", "min_lead_days", "urgent_by_message=maybe"]
)
def test_a_bad_set_is_refused_by_name(
    sample_db: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    """A --set that names no overridable setting, or a bad value, exits 2 naming it."""
    with pytest.raises(SystemExit) as info:
        main(["report", "--json", "--set", bad, "--db", str(sample_db)])
    assert info.value.code == 2
    assert bad.split("=")[0] in capsys.readouterr().err


def test_report_as_text_lists_every_metric(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report` without --json prints one row per report metric, in words, and the status counts."""
    assert main(["report", "--as-of", "2026-11-24", "--lang", "en", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    settings = load_settings()
    assert [
        m.name for m in REPORT_METRICS if t(f"metric.{m.name}", "en", settings) not in out
    ] == []


def test_bad_settings_are_a_clear_error(tmp_path: Path) -> None:
    """A bad setting names the file and the setting."""
    path = tmp_path / "s.toml"
    path.write_text("min_lead_days = -1\n")
    with pytest.raises(SettingsError, match="min_lead_days must be a whole number"):
        load_settings(path)
    path.write_text("closed_days = [['12-32', '01-03']]\n")
    with pytest.raises(SettingsError, match="impossible date"):
        load_settings(path)
    path.write_text("[message]\nextra_urgent_phrases = 3\n")
    with pytest.raises(SettingsError, match="extra_urgent_phrases must be a list"):
        load_settings(path)
    path.write_text("min_leed_days = 3\n")
    with pytest.raises(SettingsError, match=r"unknown setting.*min_leed_days"):
        load_settings(path)


def test_bad_settings_file_makes_the_cli_exit_2(
    sample_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With OPSDASH_SETTINGS pointing at a bad file every reading command exits 2 with the reason, no traceback."""
    path = tmp_path / "bad.toml"
    path.write_text("silence_days = 'a week'\n")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(path))
    for command in (["report", "--json"], ["today"]):
        assert main([*command, "--lang", "en", "--db", str(sample_db)]) == 2
        err = capsys.readouterr().err
        assert "bad settings" in err
        assert "silence_days" in err
        assert str(path) in err


@pytest.mark.slow
def test_today_command_prints_the_lists_plainly(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today` prints each list with its count; a blank number reads '(no number)', a date-only request has no 00:00."""
    assert main(["today", "--as-of", "2026-11-25", "--lang", "en", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    con = pipelines.connect(sample_db)
    lists = pipelines.staff_lists(con, "2026-11-25")
    con.close()
    for name in STAFF_LISTS:
        assert f"{t(f'list.{name}', 'en')} ({len(lists[name])})" in out
    assert "nan" not in out
    assert "None" not in out
    assert "00:00" not in out
    assert "(no number)" in out


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    """Every subcommand of the parser answers --help with its usage."""
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert {"load", "report", "today"} <= set(sub.choices)
    for command in sub.choices:
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0, command
        assert f"usage: python -m pipelines {command}" in capsys.readouterr().out


def test_every_subcommand_is_in_the_readme() -> None:
    """README.md shows every subcommand of the parser as `python -m pipelines COMMAND`."""
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"python -m pipelines (\w+)", readme))
    assert sorted(set(sub.choices) - shown) == []


@pytest.fixture(scope="module")
def today_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As of 2026-11-24: one call today, two upcoming calls (one with a time), one sign-by with no number."""
    signed = [("2026-11-02 15:00", "quote_sent"), ("2026-11-05 10:00", "contract_signed")]
    return build_db(
        tmp_path_factory.mktemp("today"),
        [
            inquiry("E", requested_for="2026-11-24 10:00", target_phone="0312345678"),
            inquiry(
                "UP1",
                requested_for="2026-11-26 14:30",
                target_phone="+81-3-1234-5678",
                message='=HYPERLINK("x") 低い声の男性でお願いします',
            ),
            inquiry("UP2", requested_for="2026-12-01", target_phone="090-1234-5678"),
            inquiry("S", requested_for="2026-11-27", target_phone=None),
        ],
        [event(i, at, kind) for i in ("E", "UP1", "UP2") for at, kind in signed]
        + [
            event("S", "2026-11-02 15:00", "quote_sent"),
            event("S", "2026-11-03 10:00", "customer_reply"),
        ],
    )


@pytest.mark.slow
def test_today_json_has_the_six_lists(today_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`today --json`: as_of, each list's count and its items with what staff need to act."""
    data = run_json(capsys, "today", "--json", "--as-of", "2026-11-24", "--db", str(today_db))
    assert data["as_of"] == "2026-11-24"
    assert data["counts"] == {
        "eligible": 1,
        "attention": 0,
        "sign_by": 1,
        "quote_due": 0,
        "follow_up": 0,
        "upcoming": 2,
        "refusals": 0,  # SPEC: the seventh list (issue 23)
    }
    assert {n: [i["inquiry_id"] for i in items] for n, items in data["lists"].items()} == {
        "eligible": ["E"],
        "attention": [],
        "sign_by": ["S"],
        "quote_due": [],
        "follow_up": [],
        "upcoming": ["UP1", "UP2"],
        "refusals": [],
    }
    assert set(data["lists"]["eligible"][0]) == set(WorkItem.__dataclass_fields__)


@pytest.mark.slow
def test_today_csv_is_excel_safe(
    today_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today --csv`: UTF-8 with BOM, every cell quoted, formulas neutralised, phone numbers kept as text."""
    out = tmp_path / "today.csv"
    args = ["today", "--as-of", "2026-11-24", "--lang", "en", "--csv", str(out)]
    assert main([*args, "--db", str(today_db)]) == 0
    capsys.readouterr()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    requoted = io.StringIO()
    csv.writer(requoted, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert requoted.getvalue() == text  # every cell was quoted
    header, *items = rows
    assert header == [t(key, "en") for key in CSV_COLUMNS.values()]  # headings people read
    by_id = {row[1]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in items}
    assert sorted(by_id) == ["E", "S", "UP1", "UP2"]
    assert by_id["E"]["target_phone"] == "0312345678"  # the leading zero kept: text, not a number
    assert by_id["UP2"]["target_phone"] == "090-1234-5678"
    assert by_id["UP1"]["target_phone"] == "'+81-3-1234-5678"  # would start a formula: neutralised
    assert by_id["UP1"]["message_excerpt"].startswith("'=HYPERLINK")
    assert by_id["S"]["target_phone"] == ""


@pytest.mark.slow
def test_today_ics_has_one_event_per_upcoming_call(
    today_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today --ics` writes an iCalendar file the `icalendar` library reads: one VEVENT per upcoming call."""
    out = tmp_path / "calls.ics"
    assert main(["today", "--as-of", "2026-11-24", "--ics", str(out), "--db", str(today_db)]) == 0
    capsys.readouterr()
    calendar = Calendar.from_ical(out.read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["UP1@opsdash", "UP2@opsdash"]
    assert events["UP1@opsdash"].decoded("dtstart") == datetime(
        2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Tokyo")
    )
    assert events["UP2@opsdash"].decoded("dtstart") == date(2026, 12, 1)  # all day: no time given
    assert "+81-3-1234-5678" in str(events["UP1@opsdash"]["description"])


@pytest.mark.slow
def test_today_csv_in_japanese_reads_in_japanese(
    today_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today --lang ja --csv`: Japanese headings, list names and yes/no; amounts in whole yen."""
    out = tmp_path / "today-ja.csv"
    args = [
        "today",
        "--as-of",
        "2026-11-24",
        "--lang",
        "ja",
        "--csv",
        str(out),
        "--db",
        str(today_db),
    ]
    assert main(args) == 0
    capsys.readouterr()
    header, *items = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert header[:4] == ["リスト", "問い合わせID", "お客様", "架電先"]
    lists = {row[0] for row in items}
    assert lists <= {t(f"list.{name}", "ja") for name in STAFF_LISTS}
    assert "本日の架電" in lists
    assert {row[header.index("期限切れ")] for row in items} <= {"はい", "いいえ"}


def test_queue_csv_gives_amounts_in_whole_yen() -> None:
    """A quoted amount reads 7000, not 7000.0; an unquoted one is empty."""
    from datetime import date as day

    def item(inquiry_id: str, amount: int | None) -> WorkItem:
        return WorkItem(
            "sign_by",
            inquiry_id,
            "山田",
            None,
            "03-1234-5678",
            "11/26",
            day(2026, 11, 26),
            None,
            "",
            "—",
            amount,
            None,
            "契約を",
            False,
        )

    lists = {name: [] for name in STAFF_LISTS} | {"sign_by": [item("A", 7000), item("B", None)]}
    text = queue_csv(lists, "ja").decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    amounts = [row[header.index("金額（円）")] for row in rows]
    assert amounts == ["7000", ""]
    assert [row[0] for row in rows] == ["契約期限", "契約期限"]
