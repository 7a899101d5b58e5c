"""The office's marks (SPEC "The office's marks"): each mark, undo, audit, exclusion, loads, concurrency."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import multiprocessing
import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest

import pipelines
from pipelines.__main__ import main
from pipelines.loader import load_files
from pipelines.office import audit, marks
from pipelines.office.store import office_path
from tests.conftest import AS_OF, EVENT_COLUMNS, INQUIRY_COLUMNS, csv_text, event, inquiry, write

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("marks")

# As of Tuesday 2026-11-24: one inquiry on each staff list, plus one that stays whatever is excluded.
INQUIRIES = [
    inquiry("E", "2026-11-01 10:00", requested_for="2026-11-24 10:00"),  # eligible, upcoming-free
    inquiry("ATT", "2026-11-01 10:00", requested_for="2026-11-24 15:00"),  # signed late, no quote
    inquiry("SB", "2026-11-20 10:00", requested_for="2026-11-27"),  # last day to sign today
    inquiry("QD", "2026-11-10 10:00", requested_for="2026-12-20"),  # quote overdue
    inquiry("UP", "2026-11-02 10:00", requested_for="2026-12-01"),  # upcoming call
    inquiry("RU", "2026-11-24 09:00", requested_for="2026-11-25"),  # urgent: a refusal to send
    inquiry("SIL", "2026-11-01 10:00", requested_for="2026-12-25"),  # silent after the quote
    inquiry("K", "2026-11-23 10:00", requested_for="2026-12-30"),  # stays
]
EVENTS = [
    event("E", "2026-11-02 15:00", "quote_sent", amount_jpy=30000, staff="佐藤"),
    event("E", "2026-11-05 10:00", "contract_signed"),
    event("ATT", "2026-11-23 10:00", "contract_signed"),
    event("SB", "2026-11-21 10:00", "quote_sent", amount_jpy=20000, staff="鈴木"),
    event("UP", "2026-11-03 15:00", "quote_sent", amount_jpy=40000, staff="佐藤"),
    event("UP", "2026-11-05 10:00", "contract_signed"),
    event("SIL", "2026-11-02 10:00", "quote_sent", amount_jpy=10000, staff="鈴木"),
    event("K", "2026-11-23 12:00", "quote_sent", amount_jpy=25000, staff="鈴木"),
]


_LOADED: dict[str, Path] = {}  # the same files loaded once per test process: a copy after that


def load(tmp_path: Path, inquiries: list[dict], events: list[dict], name: str) -> Path:
    """A database of its own folder (its office store beside it) with these rows.

    The first load of given rows in a test process is kept aside untouched; the same rows again get a
    copy of that file (a load of the same files writes the same database), not a second load.
    """
    folder = tmp_path / name
    folder.mkdir()
    files = [write(folder / "inq.csv", csv_text(INQUIRY_COLUMNS, inquiries))]
    if events:
        files.append(write(folder / "ev.csv", csv_text(EVENT_COLUMNS, events)))
    db = folder / "ops.duckdb"
    key = hashlib.sha256(b"\0".join(f.name.encode() + f.read_bytes() for f in files)).hexdigest()
    if key in _LOADED:
        shutil.copyfile(_LOADED[key], db)
        return db
    load_files(files, db)
    kept = Path(tempfile.mkdtemp(prefix="opsdash-marks-")) / "ops.duckdb"
    atexit.register(shutil.rmtree, kept.parent, ignore_errors=True)
    shutil.copyfile(db, kept)
    _LOADED[key] = kept
    return db


def report(db: Path) -> dict:
    con = pipelines.connect(db)
    try:
        return pipelines.report(con, as_of=AS_OF)
    finally:
        con.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load(tmp_path_factory.mktemp("marks"), INQUIRIES, EVENTS, "base")


@pytest.mark.slow
def test_the_fixture_puts_one_inquiry_on_every_list(base: Path) -> None:
    """The exclusion test below is only meaningful if every list and figure has something in it."""
    r = report(base)
    for key in (
        "eligible_today",
        "attention_today",
        "sign_by_today",
        "quote_due_today",
        "quote_overdue",
        "follow_up_today",
        "upcoming_calls",
        "refusals_to_send",
        "silent",
        "urgent_requests",
        "contracted_amount_jpy",
        "nonconverting_inquiries",
    ):
        assert r[key] >= 1, key


@pytest.mark.slow
@pytest.mark.parametrize("excluded", ["E", "ATT", "SB", "QD", "UP", "RU", "SIL"])
def test_not_an_inquiry_is_as_if_never_received(base: Path, tmp_path: Path, excluded: str) -> None:
    """Every report key with an exclusion equals the report of the data without that inquiry; undo
    brings every key back."""
    db = load(tmp_path, INQUIRIES, EVENTS, "with")
    without = load(
        tmp_path,
        [i for i in INQUIRIES if i["inquiry_id"] != excluded],
        [e for e in EVENTS if e["inquiry_id"] != excluded],
        "without",
    )
    before, expected = report(db), report(without)
    assert before != expected
    con = pipelines.connect(db)  # one connection across the mark: the facts cache must not hide it
    try:
        assert pipelines.report(con, as_of=AS_OF) == before
        marks.not_inquiry(db, excluded, "spam", "alice", "an advert")
        assert pipelines.report(con, as_of=AS_OF) == expected
        lists = pipelines.staff_lists(con, AS_OF)
        assert all(excluded not in set(frame["inquiry_id"]) for frame in lists.values())
        assert excluded not in set(pipelines.inquiry_facts(con, AS_OF)["inquiry_id"])
        marks.undo(db, excluded, "bob")
        assert pipelines.report(con, as_of=AS_OF) == before
    finally:
        con.close()


def test_claim_is_one_holder_and_takeover_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    marks.claim(db, "Q1", "alice")
    with pytest.raises(marks.ClaimHeld) as held:
        marks.claim(db, "Q1", "bob")
    assert held.value.holder == "alice"
    with pytest.raises(marks.MarkError, match="already_yours"):
        marks.claim(db, "Q1", "alice")
    taken = marks.claim(db, "Q1", "bob", takeover=True)
    assert (taken.takeover_from, marks.state(db).holder("Q1")) == ("alice", "bob")
    marks.undo(db, "Q1", "bob")  # bob gives it back: alice holds it again
    assert marks.state(db).holder("Q1") == "alice"
    marks.undo(db, "Q1", "alice")
    assert marks.state(db).holder("Q1") is None


def test_every_mark_records_who_and_when_and_an_audit_row(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    made = [
        marks.claim(db, "Q1", "alice"),
        marks.done(db, "Q1", "quote_due", AS_OF, "alice", datetime(2026, 11, 20, 10)),
        marks.snooze(db, "Q1", date(2026, 12, 1), "alice"),
        marks.note(db, "Q1", "留守電に入れました", "bob"),
        marks.not_inquiry(db, "Q2", "duplicate", "bob", "same as Q1"),
    ]
    made.append(marks.undo(db, "Q2", "alice"))
    assert [m.kind for m in made] == ["claim", "done", "snooze", "note", "not_inquiry", "undo"]
    assert all(m.who and m.at.tzinfo is not None for m in made)
    trail = audit.rows(db, kind="mark")
    assert [r.detail["mark"] for r in trail] == [m.kind for m in made]
    assert [r.who for r in trail] == [m.who for m in made]
    now = marks.state(db)
    assert now.notes["Q1"][0].text == "留守電に入れました"
    assert now.snoozed["Q1"].day == date(2026, 12, 1)
    assert "Q2" not in now.excluded  # undone
    assert [m.seq for m in marks.history(db, "Q2")] == [made[4].seq, made[5].seq]


def test_marks_are_append_only(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    first = marks.note(db, "Q1", "x", "alice")
    con = sqlite3.connect(office_path(db))
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE marks SET text = 'y'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM marks")
    finally:
        con.close()
    marks.undo(db, "Q1", "alice", seq=first.seq)
    with pytest.raises(marks.MarkError, match="nothing_to_undo"):
        marks.undo(db, "Q1", "alice", seq=first.seq)  # a mark is taken back once


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda db: marks.note(db, "Q1", "  ", "a"), "bad_note"),
        (lambda db: marks.not_inquiry(db, "Q1", "boring", "a"), "bad_reason"),
        (lambda db: marks.done(db, "Q1", "nope", AS_OF, "a", None), "bad_list"),
        (lambda db: marks.claim(db, " ", "a"), "bad_id"),
        (lambda db: marks.undo(db, "Q9", "a"), "nothing_to_undo"),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_written(tmp_path: Path, call, code: str) -> None:
    db = tmp_path / "ops.duckdb"
    with pytest.raises(marks.MarkError) as refused:
        call(db)
    assert refused.value.code == code
    assert marks.version(db) == 0


@pytest.mark.slow
def test_done_leaves_the_list_until_a_new_event_arrives_and_marks_survive_the_load(
    tmp_path: Path,
) -> None:
    db = load(tmp_path, INQUIRIES, EVENTS, "done")
    marks.claim(db, "QD", "alice")
    marks.done(db, "QD", "quote_due", AS_OF, "alice", None)  # QD has no event yet
    marks.note(db, "QD", "見積作成中", "alice")
    kept = [m.as_dict() for m in marks.history(db, "QD")]
    assert report(db)["quote_due_today"] == 0
    con = pipelines.connect(db)
    try:  # the next day too: done holds until the inquiry changes
        assert pipelines.report(con, as_of="2026-11-25")["quote_due_today"] == 0
        frame = pipelines.staff_lists(con, AS_OF)["quote_due"]
        assert frame["done"].tolist() == [True]  # listed, flagged (today --all shows it marked)
    finally:
        con.close()
    # a load brings a customer reply to QD (no quote yet, so it is still due): the item comes back
    write(
        tmp_path / "more.csv",
        csv_text(EVENT_COLUMNS, [event("QD", "2026-11-24 12:00", "customer_reply")]),
    )
    load_files([tmp_path / "more.csv"], db)
    assert report(db)["quote_due_today"] == 1
    assert [m.as_dict() for m in marks.history(db, "QD")] == kept  # the load changed no mark
    assert marks.state(db).holder("QD") == "alice"


@pytest.mark.slow
def test_snooze_is_off_every_list_until_the_day(tmp_path: Path) -> None:
    db = load(tmp_path, INQUIRIES, EVENTS, "snooze")
    marks.snooze(db, "SB", date(2026, 11, 25), "alice")
    marks.snooze(db, "QD", date(2026, 11, 25), "alice")
    con = pipelines.connect(db)
    try:
        r = pipelines.report(con, as_of=AS_OF)
        assert (r["sign_by_today"], r["follow_up_today"], r["quote_due_today"]) == (0, 0, 0)
        lists = pipelines.staff_lists(con, AS_OF)
        assert lists["sign_by"]["snoozed_until"].tolist() == [pd_day("2026-11-25")]
        # on the day itself it is back
        assert pipelines.report(con, as_of="2026-11-25")["quote_due_today"] == 1
    finally:
        con.close()


def pd_day(text: str):
    import pandas as pd

    return pd.Timestamp(text)


def _marker(db: str, who: str, count: int, start: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    start.wait(30)
    for k in range(count):
        marks.note(db, f"Q{k % 5}", f"{who} {k}", who)
        with contextlib.suppress(marks.MarkError):  # already theirs
            marks.claim(db, f"Q{k % 5}", who, takeover=True)


@pytest.mark.slow
def test_five_people_marking_during_a_load_lose_nothing(tmp_path: Path) -> None:
    """Five processes write notes and claims while a real load runs; every mark is there after."""
    db = load(tmp_path, INQUIRIES, EVENTS, "busy")
    rows = [
        inquiry(f"L{n:05d}", "2026-11-20 10:00", requested_for="2026-12-20") for n in range(3000)
    ]
    write(tmp_path / "big.csv", csv_text(INQUIRY_COLUMNS, rows))
    ctx = multiprocessing.get_context("fork")  # the children only use SQLite
    start = ctx.Event()
    people = [f"p{n}" for n in range(5)]
    workers = [ctx.Process(target=_marker, args=(str(db), p, 40, start)) for p in people]
    for w in workers:
        w.start()
    start.set()
    result = load_files([tmp_path / "big.csv"], db)
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    assert result is not None
    notes = marks.state(db).notes
    assert sum(len(v) for v in notes.values()) == 5 * 40
    assert {n.text for v in notes.values() for n in v} == {
        f"{p} {k}" for p in people for k in range(40)
    }
    mark_rows = audit.rows(db, kind="mark")
    assert len(mark_rows) == marks.version(db)  # one audit row per mark, none lost
    assert report(db)["inquiries"] == len(INQUIRIES) + 3000


@pytest.mark.slow
def test_cli_marks_and_today_mine(base: Path, tmp_path: Path, capsys) -> None:
    """mark … --as NAME, then today --as NAME --mine / --all in JSON."""
    db = load(tmp_path, INQUIRIES, EVENTS, "cli")
    args = ["--db", str(db)]
    assert main(["mark", "claim", "SB", "--as", "alice", *args]) == 0
    assert main(["mark", "claim", "SB", "--as", "bob", *args]) == 2
    assert "alice" in capsys.readouterr().err
    assert main(["mark", "claim", "QD", "--as", "bob", *args]) == 0
    assert main(["mark", "note", "QD", "--as", "bob", "--text", "calling back", *args]) == 0
    assert main(["mark", "done", "RU", "--list", "refusals", "--as-of", "2026-11-24",
                 "--as", "bob", *args]) == 0  # fmt: skip
    assert main(["mark", "done", "RU", "--list", "upcoming", "--as", "bob", *args]) == 2
    assert main(["mark", "not-inquiry", "NOPE", "--reason", "spam", "--as", "bob", *args]) == 2
    capsys.readouterr()
    today = ["today", "--json", "--as-of", "2026-11-24", *args]
    assert main([*today, "--as", "alice", "--mine"]) == 0
    mine = json.loads(capsys.readouterr().out)
    ids = {i["inquiry_id"] for items in mine["lists"].values() for i in items}
    assert "SB" in ids  # alice's
    assert "QD" not in ids  # bob's
    assert "RU" not in ids  # done
    assert main([*today, "--as", "bob", "--all"]) == 0
    every = json.loads(capsys.readouterr().out)
    qd = every["lists"]["quote_due"][0]
    assert (qd["holder"], qd["notes"][0]["text"]) == ("bob", "calling back")
    assert every["lists"]["refusals"][0]["done"] is True
