"""Quarantine reasons are stored as codes with parameters and worded in the reader's language when
shown; migration 0008 turns the English sentences of older databases into codes once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import pipelines
from pipelines import i18n
from pipelines.loader import load_files
from pipelines.readers import REASONS
from tests.conftest import dashboard
from tests.reading import rows, worded_rows

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = (
    "quote_sent/見積送信, customer_reply/顧客返信, contract_requested/正式依頼, "
    "contract_signed/契約締結, customer_declined/辞退連絡, cancelled/キャンセル, staff_work/社内作業"
)

# Parameters for every quarantine code, as the SQL and the readers store them.
SAMPLE_PARAMS: dict[str, dict[str, object]] = {
    "REQUIRED_BLANK": {},
    "DATE_UNREADABLE": {"value": "昨日"},
    "DATE_NO_SUCH_DAY": {"value": "2026/02/30"},
    "TIME_IMPOSSIBLE": {"value": "2026-11-24 24:00"},
    "OFFSET_IMPOSSIBLE": {"value": "2026-11-24T10:00+25:00"},
    "DATE_OUT_OF_RANGE": {"first": 1990, "last": 2100, "value": "9999-01-01"},
    "EVENT_UNKNOWN": {"value": "見積もり?", "expected": EXPECTED},
    "AMOUNT_NOT_INTEGER": {"value": "12000円円"},
    "AMOUNT_NEGATIVE": {"value": -5},
    "MINUTES_NOT_INTEGER": {"value": "abc"},
    "MINUTES_NEGATIVE": {"value": -10},
    "MINUTES_TOO_MANY": {"value": 200000},
    "WRONG_COLUMN_COUNT": {"found": 4, "width": 7},
    "MALFORMED_QUOTING": {},
    "UNTERMINATED_QUOTE": {},
    "BARE_CR": {},
    "FORMULA_WITHOUT_VALUE": {"value": "=TODAY()"},
    "legacy_text": {"text": "received_at: an old sentence"},
}


def test_every_quarantine_code_has_words_in_both_languages_with_its_params() -> None:
    """Each code of REASONS is worded in English and Japanese from the same parameters."""
    assert set(SAMPLE_PARAMS) == set(REASONS)
    for code, params in SAMPLE_PARAMS.items():
        key = f"quarantine.{code}"
        assert set(i18n.STRINGS[key]) == {"en", "ja"}
        assert i18n.placeholders(key) == set(params), code
        assert i18n.t(key, "en", **params) == REASONS[code].format(**params)
        japanese = i18n.t(key, "ja", **params)
        assert (japanese and japanese != REASONS[code].format(**params)) or code == "legacy_text"


def test_a_changed_english_template_still_gives_the_japanese_quarantine_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rewording an English template changes the English text only; Japanese stays Japanese."""
    codes, columns = "DATE_UNREADABLE, MINUTES_NEGATIVE", "received_at, staff_minutes"
    params = json.dumps([{"value": "昨日"}, {"value": -5}], ensure_ascii=False)
    japanese = "受付日時: 日時として読めません「昨日」；対応時間（分）: 分数がマイナスです（-5）"
    assert i18n.quarantine_text(codes, columns, params, "ja") == japanese
    entry = dict(i18n.STRINGS["quarantine.DATE_UNREADABLE"])
    entry["en"] = "the date/time “{value}” makes no sense"
    monkeypatch.setitem(i18n.STRINGS, "quarantine.DATE_UNREADABLE", entry)
    assert i18n.quarantine_text(codes, columns, params, "ja") == japanese
    assert i18n.quarantine_text(codes, columns, params, "en") == (
        "received_at: the date/time “昨日” makes no sense; staff_minutes: negative minutes (-5)"
    )


@pytest.mark.slow
def test_loads_store_codes_and_params_never_english(tmp_path: Path) -> None:
    """Every problem the SQL and the readers find is stored as a code with exactly its parameters."""
    inquiries = tmp_path / "inq.csv"
    inquiries.write_text(
        "inquiry_id,received_at,requested_for,staff_minutes,customer_name\n"
        "Q1,2026-11-24 10:00,,5,ok\n"
        ",昨日,9999-01-01,abc,x\n"
        "Q3,2026/02/30,2026-11-24 24:00,-10,x\n"
        "Q4,,2026-11-24T10:00+25:00,200000,x\n"
        'Q5,2026-11-24,,1,"a" b\n'
        "Q6,2026-11-24\n",
        encoding="utf-8",
    )
    events = tmp_path / "ev.csv"
    events.write_text(
        "inquiry_id,event_at,event,amount_jpy\n"
        "Q1,2026-11-24 11:00,見積もり?,12000円円\n"
        "Q1,2026-11-24 11:00,quote_sent,-5\n",
        encoding="utf-8",
    )
    db = tmp_path / "t.duckdb"
    load_files([inquiries, events], db)
    stored = rows(db, "SELECT reason_code, CAST(reason_params AS VARCHAR) FROM quarantine")
    assert "reason" not in [r[0] for r in rows(db, "DESCRIBE quarantine")]
    seen = set()
    for codes, params in stored:
        for code, values in zip(codes.split(", "), json.loads(params), strict=True):
            assert set(values) == i18n.placeholders(f"quarantine.{code}"), code
            seen.add(code)
    assert seen == set(REASONS) - {"BARE_CR", "UNTERMINATED_QUOTE", "FORMULA_WITHOUT_VALUE"} - {
        "legacy_text"
    }
    worded = worded_rows(
        db,
        "SELECT line, reason FROM quarantine WHERE file_name = 'inq.csv' AND line = 3",
        lang="ja",
    )
    assert worded == [
        (
            3,
            "問い合わせID: 必須の値が空欄です；受付日時: 日時として読めません「昨日」；"
            "希望日時: 日付が範囲外です（1990〜2100）「9999-01-01」；"
            "対応時間（分）: 分数が整数ではありません「abc」",
        )
    ]


# (column_name, English reason as an older version stored it, code, params, worded English when it
# is not the stored sentence itself)
HISTORY: list[tuple[str | None, str, str, dict[str, object], str | None]] = [
    ("inquiry_id", "inquiry_id: required value is blank", "REQUIRED_BLANK", {}, None),
    (
        "event_at",
        'event_at: cannot read date/time "昨日"',
        "DATE_UNREADABLE",
        {"value": "昨日"},
        None,
    ),
    (
        "requested_for",
        'requested_for: cannot read date "来週"',  # the first version's wording
        "DATE_UNREADABLE",
        {"value": "来週"},
        'requested_for: cannot read date/time "来週"',
    ),
    (
        "received_at",
        'received_at: cannot read date/time "2026/02/30" (no such day)',
        "DATE_NO_SUCH_DAY",
        {"value": "2026/02/30"},
        None,
    ),
    (
        "received_at",
        'received_at: cannot read date/time "10:61" (no such time of day)',
        "TIME_IMPOSSIBLE",
        {"value": "10:61"},
        None,
    ),
    (
        "received_at",
        'received_at: cannot read date/time "2026-11-24+25:00" (impossible UTC offset)',
        "OFFSET_IMPOSSIBLE",
        {"value": "2026-11-24+25:00"},
        None,
    ),
    (
        "event_at",
        'event_at: date out of range (1990–2100) "9999-01-01"',
        "DATE_OUT_OF_RANGE",
        {"first": 1990, "last": 2100, "value": "9999-01-01"},
        None,
    ),
    (
        "event",
        f'event: unknown event kind "見積もり?" (expected {EXPECTED})',
        "EVENT_UNKNOWN",
        {"value": "見積もり?", "expected": EXPECTED},
        None,
    ),
    (
        "amount_jpy",
        'amount_jpy: not a whole number of yen "12000円円"',
        "AMOUNT_NOT_INTEGER",
        {"value": "12000円円"},
        None,
    ),
    ("amount_jpy", "amount_jpy: negative amount (-5)", "AMOUNT_NEGATIVE", {"value": "-5"}, None),
    (
        "staff_minutes",
        'staff_minutes: not a whole number of minutes "abc"',
        "MINUTES_NOT_INTEGER",
        {"value": "abc"},
        None,
    ),
    (
        "staff_minutes",
        "staff_minutes: negative minutes (-10)",
        "MINUTES_NEGATIVE",
        {"value": "-10"},
        None,
    ),
    (
        "staff_minutes",
        "staff_minutes: implausibly many minutes (200000 > 100000)",
        "MINUTES_TOO_MANY",
        {"value": "200000"},
        None,
    ),
    (
        None,
        "wrong column count: 4 values where the header has 7",
        "WRONG_COLUMN_COUNT",
        {"found": 4, "width": 7},
        None,
    ),
    (None, REASONS["MALFORMED_QUOTING"], "MALFORMED_QUOTING", {}, None),
    (None, REASONS["UNTERMINATED_QUOTE"], "UNTERMINATED_QUOTE", {}, None),
    (
        None,
        "malformed quoting (a quote mark opens a value that never closes properly)",  # older
        "UNTERMINATED_QUOTE",
        {},
        REASONS["UNTERMINATED_QUOTE"],
    ),
    (None, REASONS["BARE_CR"], "BARE_CR", {}, None),
    (
        "received_at",
        "received_at: " + REASONS["FORMULA_WITHOUT_VALUE"].format(value="=TODAY()"),
        "FORMULA_WITHOUT_VALUE",
        {"value": "=TODAY()"},
        None,
    ),
]


def _upgraded(tmp_path: Path, extra: list[tuple[str | None, str]]) -> list[tuple]:
    """The v1 fixture with extra quarantine rows (column, reason), opened (so upgraded): its
    quarantine's (line, column_name, reason_code, reason_params) in line order."""
    db = Path(shutil.copyfile(FIXTURES / "v1_main.duckdb", tmp_path / "old.duckdb"))
    con = duckdb.connect(str(db))
    con.executemany(
        "INSERT INTO quarantine VALUES (9, 'old.csv', NULL, ?, 'raw', ?, ?)",
        [[1000 + i, column, reason] for i, (column, reason) in enumerate(extra)],
    )
    con.close()
    pipelines.connect(db).close()
    return rows(
        db,
        "SELECT line, column_name, reason_code, CAST(reason_params AS VARCHAR) FROM quarantine "
        "ORDER BY line",
    )


@pytest.mark.slow
def test_the_migration_turns_each_historical_english_reason_into_its_code(
    tmp_path: Path,
) -> None:
    """Every English template of the history reads back as its code and parameters; worded in
    English it is the sentence stored (or today's wording of it)."""
    upgraded = _upgraded(tmp_path, [(column, reason) for column, reason, *_ in HISTORY])
    assert len(upgraded) == 5 + len(HISTORY)  # the fixture's five rows and every row added
    old = {line: r for line, *r in upgraded if line < 1000}
    assert [code for _, code, _ in old.values()] == [
        "DATE_UNREADABLE",
        "MINUTES_NEGATIVE",
        "WRONG_COLUMN_COUNT",
        "EVENT_UNKNOWN",
        "DATE_UNREADABLE",
    ]
    added = [r for r in upgraded if r[0] >= 1000]
    for (column, reason, code, params, english), (_, col, got_code, got_params) in zip(
        HISTORY, added, strict=True
    ):
        assert (col, got_code, json.loads(got_params)) == (column, code, [params]), reason
        assert i18n.quarantine_text(got_code, col, got_params, "en") == (english or reason)
        assert i18n.quarantine_text(got_code, col, got_params, "ja") != (english or reason)


@pytest.mark.slow
def test_the_migration_keeps_text_it_cannot_read_as_legacy_text(tmp_path: Path) -> None:
    """A sentence no template reads, or whose parts do not match its columns, is kept as it was."""
    unknown = [
        ("received_at", "received_at: something a later version never wrote"),
        ("received_at, staff_minutes", "received_at: required value is blank"),
        (
            "received_at, staff_minutes",
            'received_at: cannot read date/time "x"; staff_minutes: negative minutes (-5)',
        ),
    ]
    upgraded = [r for r in _upgraded(tmp_path, unknown) if r[0] >= 1000]
    for (column, reason), (_, col, code, params) in zip(unknown[:2], upgraded, strict=False):
        assert (col, code, json.loads(params)) == (column, "legacy_text", [{"text": reason}])
        for lang in ("en", "ja"):
            assert i18n.quarantine_text(code, col, params, lang) == reason
    *_, (_, col, code, params) = upgraded
    assert code == "DATE_UNREADABLE, MINUTES_NEGATIVE"
    assert i18n.quarantine_text(code, col, params, "en") == unknown[2][1]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_data_page_words_the_quarantine_in_the_readers_language(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The Data page's reasons (and so its CSV download) are the stored codes worded in lang."""
    at = dashboard(sample_db, monkeypatch, as_of="2026-11-24", lang=lang)
    at.switch_page("views/data.py").run()
    assert not at.exception
    table = at.dataframe[1].value
    shown = sorted(table[i18n.t("data.col.reason", lang)])
    worded = sorted(r[0] for r in worded_rows(sample_db, "SELECT reason FROM quarantine", lang))
    assert shown == worded
    assert len(shown) == 5
    if lang == "ja":
        assert not any("cannot read" in s or "wrong column" in s for s in shown)
        assert any("日時として読めません" in s for s in shown)
    else:
        assert any(s.startswith('received_at: cannot read date/time "') for s in shown)
