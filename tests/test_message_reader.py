"""The message reader: the labelled corpus, the SPEC's and the issue's examples, and the rules' edges."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.message_reader import (
    DEFAULT_STAFF_ATTRIBUTE_PHRASES,
    EMPTY_READING,
    READER_VERSION,
    MessageReading,
    ReaderWords,
    is_urgent,
    prefilter_pattern,
    read_many,
    read_message,
    words_from_table,
)
from tests.urgency_corpus import corpus_scores, load_corpus

MIN_LEAD_DAYS = 3
ROWS = load_corpus()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _urgent(text: str, received: str, min_lead_days: int = MIN_LEAD_DAYS) -> bool:
    at = _at(received)
    return is_urgent(read_message(text, at), at.date(), min_lead_days)


# ------------------------------------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------------------------------------


def test_corpus_is_large_varied_and_balanced() -> None:
    assert len(ROWS) >= 300
    share = sum(r["urgent"] == "1" for r in ROWS) / len(ROWS)
    assert 0.40 <= share <= 0.55
    assert all(r["note"].strip() for r in ROWS)
    weekdays = {_at(r["received_at"]).weekday() for r in ROWS}
    assert weekdays == set(range(7))
    english = sum(r["message"].isascii() for r in ROWS)
    assert english >= 60
    for row in ROWS:
        assert row["urgent"] in ("0", "1")
        if row["message_date"]:
            date.fromisoformat(row["message_date"])


@pytest.mark.slow
def test_corpus_accuracy() -> None:
    scores = corpus_scores(min_lead_days=MIN_LEAD_DAYS)
    wrong = [(w["message"], w["urgent"]) for w in scores["disagreements"]]  # type: ignore[union-attr]
    assert scores["accuracy"] >= 0.98, wrong
    assert scores["precision"] >= 0.97, wrong
    assert scores["recall"] >= 0.97, wrong
    assert scores["message_date_accuracy"] >= 0.95, wrong


EXAMPLES = [r for r in ROWS if r["note"].startswith(("SPEC:", "ISSUE:"))]


def test_every_spec_and_issue_example_is_in_the_corpus() -> None:
    messages = {r["message"] for r in EXAMPLES}
    for required in (
        "急ぎではございません",
        "急ぎの用件ではありません",
        "至急ではないです",
        "明日でなくても大丈夫です",
        "今日でなくて大丈夫です",
        "This isn't urgent",
        "It is not so urgent",
        "No need to call today, next week is fine",
        "あすなろ不動産への連絡です",
        "今日は雨ですが、来月の10日にお願いします",
        "至急見積もりをお願いします",
        "本日は午後に電話をお願いします",
        "二時間後に電話してください",
        "すぐ電話してください",
        "数時間後",
        "2時間半後",
        "きょう中に",
        "いますぐ",
        "in half an hour",
        "in a couple of hours",
        "in 2 hrs",
        "10 minutes from now",
        "within 2 hours",
        "11月18日に電話して",
        "来週の月曜日にお願いします。通話は1時間ほどかかると思います",
    ):
        assert required in messages, required
    assert len(EXAMPLES) >= 80


@pytest.mark.parametrize(
    "row", EXAMPLES, ids=[f"{r['note'][:60]}|{r['received_at'][:10]}" for r in EXAMPLES]
)
def test_spec_and_issue_examples(row: dict[str, str]) -> None:
    at = _at(row["received_at"])
    reading = read_message(row["message"], at)
    assert is_urgent(reading, at.date(), MIN_LEAD_DAYS) == (row["urgent"] == "1"), reading
    want = date.fromisoformat(row["message_date"]) if row["message_date"] else None
    assert reading.message_date == want, reading


# ------------------------------------------------------------------------------------------------
# Negation and its scope
# ------------------------------------------------------------------------------------------------

TUE = "2026-11-17T10:00"


@pytest.mark.parametrize(
    "text",
    [
        "急ぎではありません",
        "急ぎではございません",
        "急ぎの用件ではありません",
        "至急ではないです",
        "至急の案件ではございません",
        "急ぎません",
        "急いでいません",
        "急いでおりません",
        "急がないです",
        "急ぐ必要はありません",
        "急ぎじゃないよ",
        "明日でなくても大丈夫です",
        "明日じゃなくてもいい",
        "今日でなくて大丈夫",
        "今日中でなくても構いません",
        "今すぐではなくて大丈夫",
        "今日である必要はありません",
        "明日電話しなくても大丈夫です",
        "This isn't urgent",
        "It is not so urgent",
        "not urgent",
        "No need to call today",
        "There is no urgency",
        "It doesn't have to be today or tomorrow",
        "Not today please",
        "Tomorrow won't work",
        "I don't need it urgently",
    ],
)
def test_negation_cancels_the_phrase(text: str) -> None:
    assert read_message(text, _at(TUE)) == EMPTY_READING


@pytest.mark.parametrize(
    ("text", "message_date", "evidence"),
    [
        ("急ぎではないですが、明日電話してもらえますか", date(2026, 11, 18), "明日"),
        ("至急ではありませんが、明後日までに電話をお願いします", date(2026, 11, 19), "明後日"),
        ("今日は無理なので明日お願いします", date(2026, 11, 18), "明日"),
        ("明日は出社できないと伝えてほしいです", date(2026, 11, 18), "明日"),
        ("Not urgent, but tomorrow would be ideal", date(2026, 11, 18), "tomorrow"),
        ("Not tomorrow, today please", date(2026, 11, 17), "today"),
        ("Please don't call today, tomorrow is better", date(2026, 11, 18), "tomorrow"),
    ],
)
def test_negation_covers_only_its_own_phrase(text: str, message_date: date, evidence: str) -> None:
    reading = read_message(text, _at(TUE))
    assert reading.message_date == message_date
    assert reading.urgent_evidence == evidence
    assert is_urgent(reading, date(2026, 11, 17), MIN_LEAD_DAYS)


def test_open_windows_name_no_day() -> None:
    for text in (
        "明日以降でお願いします",
        "明日の夕方以降にお願いします",
        "Please call after the 15th of December",
    ):
        assert read_message(text, _at(TUE)).message_date is None, text


# ------------------------------------------------------------------------------------------------
# Durations, remarks, quote haste, look-alike words
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "通話は1時間ほどかかります",
        "通話は30分程度で終わると思います",
        "1時間くらい話すかもしれません",
        "前回は2時間かかりました",
        "3日間休んでいます",
        "費用は1時間あたりいくらですか",
        "The call will take about an hour.",
        "I work 8 hours a day",
    ],
)
def test_durations_are_not_points_in_time(text: str) -> None:
    assert read_message(text, _at(TUE)) == EMPTY_READING


@pytest.mark.parametrize(
    "text",
    [
        "明日香と申します。内定辞退の電話をお願いしたいです",
        "山田明日香です",
        "明日美と申します",
        "今日子と申します。電話をお願いしたいです",
        "あすなろ不動産への連絡です",
        "あすか不動産への解約連絡をお願いします",
        "きょうだいのことで相談です",
        "きょうりょくしてくれる業者を探しています",
        "今回はよろしくお願いします",
        "今後ともよろしくお願いします",
        "すぐ近くの会社です",
    ],
)
def test_look_alike_words_are_not_time_words(text: str) -> None:
    assert read_message(text, _at(TUE)) == EMPTY_READING


@pytest.mark.parametrize(
    "text",
    [
        "至急見積もりをお願いします",
        "急ぎで見積もりだけいただけますか",
        "至急、料金を教えてください",
        "明日までに見積もりを送ってください",
        "本日中にご返信いただけますか",
        "至急の場合は追加料金がかかりますか？",
        "Please send the estimate ASAP",
        "I need a quote urgently",
        "Could you reply today with the price?",
    ],
)
def test_haste_about_the_quote_is_not_urgent(text: str) -> None:
    assert read_message(text, _at(TUE)) == EMPTY_READING


@pytest.mark.parametrize(
    ("text", "message_date"),
    [
        ("今日は雨ですが、来月10日にお願いします", date(2026, 12, 10)),
        ("本日はよろしくお願いいたします", None),
        ("本日は内定辞退のご相談でご連絡しました", None),
        ("明日電話します", None),
        ("Today is my day off. Please call on December 3.", date(2026, 12, 3)),
        ("I'll call you tomorrow to discuss.", None),
    ],
)
def test_remarks_about_a_day_do_not_name_the_call_day(text: str, message_date: date | None) -> None:
    reading = read_message(text, _at(TUE))
    assert reading.message_date == message_date
    assert not reading.asap


def test_hon_jitsu_wa_names_today() -> None:
    reading = read_message("本日は午後に電話をお願いします", _at(TUE))
    assert reading.message_date == date(2026, 11, 17)
    assert reading.urgent_evidence == "本日"
    assert is_urgent(reading, date(2026, 11, 17), MIN_LEAD_DAYS)


# ------------------------------------------------------------------------------------------------
# message_date arithmetic
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "text", "message_date", "asap"),
    [
        ("2026-12-31T10:00", "明日お願いします", date(2027, 1, 1), False),
        ("2026-12-30T16:40", "明後日にお願いします", date(2027, 1, 1), False),
        ("2026-12-31T11:00", "1月2日に電話してください", date(2027, 1, 2), False),
        ("2026-12-31T12:00", "1/4に電話をお願いします", date(2027, 1, 4), False),
        ("2027-01-29T11:00", "3日後にお願いします", date(2027, 2, 1), False),
        ("2027-02-27T09:00", "3月1日にお願いします", date(2027, 3, 1), False),
        ("2028-02-27T09:00", "3月1日にお願いします", date(2028, 3, 1), False),
        ("2028-02-27T09:00", "明後日にお願いします", date(2028, 2, 29), False),
        ("2026-11-30T10:00", "5日にお願いします", date(2026, 12, 5), False),
        ("2026-12-20T10:00", "来月10日にお願いします", date(2027, 1, 10), False),
        ("2026-11-30T10:00", "31日にお願いします", date(2026, 12, 31), False),
        ("2026-12-31T23:00", "2時間後に電話してください", date(2027, 1, 1), True),
        ("2026-11-18T23:30", "2時間後にお願いします", date(2026, 11, 19), True),
        ("2026-11-18T21:30", "2時間後にお願いします", date(2026, 11, 18), True),
        ("2026-11-19T23:50", "30分後に電話してください", date(2026, 11, 20), True),
        ("2026-11-18T23:20", "Please call in 2 hours", date(2026, 11, 19), True),
        ("2026-11-16T10:00", "Please call in 48 hours", date(2026, 11, 18), False),
        ("2026-11-17T10:00", "令和8年11月18日に電話をお願いします", date(2026, 11, 18), False),
        ("2026-11-16T10:00", "十一月十八日にお願いします", date(2026, 11, 18), False),
        ("2026-11-16T10:00", "２０２６年１１月２０日にお願いします", date(2026, 11, 20), False),
    ],
)
def test_message_date_across_month_and_year_ends(
    received: str, text: str, message_date: date, asap: bool
) -> None:
    reading = read_message(text, _at(received))
    assert reading.message_date == message_date
    assert reading.asap is asap


# Monday 2026-11-16 … Sunday 2026-11-22; weeks start on Monday.
@pytest.mark.parametrize(
    ("received", "text", "message_date"),
    [
        ("2026-11-18T10:00", "今週金曜にお願いします", date(2026, 11, 20)),
        ("2026-11-20T10:00", "今週金曜にお願いします", date(2026, 11, 20)),
        ("2026-11-20T10:00", "今週の水曜日にお願いします", None),  # already past
        ("2026-11-17T10:00", "来週の月曜日にお願いします", date(2026, 11, 23)),
        ("2026-11-21T10:00", "来週の月曜日にお願いします", date(2026, 11, 23)),
        ("2026-11-18T10:00", "再来週の月曜日にお願いします", date(2026, 11, 30)),
        ("2026-11-18T10:00", "金曜日に電話をお願いします", date(2026, 11, 20)),
        ("2026-11-20T10:00", "金曜日に電話をお願いします", date(2026, 11, 27)),
        ("2026-11-16T10:00", "来週火曜か水曜でお願いします", date(2026, 11, 24)),
        ("2026-11-18T10:00", "Please call on Friday", date(2026, 11, 20)),
        ("2026-11-20T10:00", "Please call this Sunday", date(2026, 11, 22)),
        ("2026-11-16T10:00", "Please call next Wednesday", date(2026, 11, 25)),
        ("2026-11-16T10:00", "Could you call on Thursday, November 26?", date(2026, 11, 26)),
        ("2026-11-19T10:00", "Please could you ring them on Tuesday 24th?", date(2026, 11, 24)),
    ],
)
def test_weekdays(received: str, text: str, message_date: date | None) -> None:
    assert read_message(text, _at(received)).message_date == message_date


def test_lead_time_counts_calendar_days() -> None:
    assert _urgent("今から3日後にお願いします", TUE) is False
    assert _urgent("二日後にお願いします", TUE) is True
    assert _urgent("4日後にお願いします", TUE, min_lead_days=5) is True
    assert _urgent("4日後にお願いします", TUE, min_lead_days=3) is False


def test_aware_received_at_is_read_in_japan_time() -> None:
    utc = datetime(2026, 11, 17, 15, 30, tzinfo=UTC)  # 2026-11-18 00:30 in Japan
    assert read_message("明日お願いします", utc).message_date == date(2026, 11, 19)
    jst = timezone(timedelta(hours=9))
    assert read_message("明日お願いします", utc.astimezone(jst)).message_date == date(2026, 11, 19)


# ------------------------------------------------------------------------------------------------
# Evidence: the words as written
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("二時間後に電話してください", "二時間後"),
        ("１時間後にお願いします", "１時間後"),
        ("２時間後にでんわして", "２時間後"),
        ("きょう中に", "きょう中"),
        ("いますぐかけてほしい", "いますぐ"),
        ("大至急！明日の朝に退職を伝えてください", "明日"),
        ("至急お願いします。バイト先に休むと伝えたい", "至急"),
        ("お世話になっております…ｼｽﾃﾑの件で、明日電話してください", "明日"),
        ("Please call in half an hour", "in half an hour"),
        ("Can you call them ASAP?", "ASAP"),
        ("ＡＳＡＰでお願いします", "ＡＳＡＰ"),
        ("来週の月曜日にお願いします", "来週の月曜日"),
        ("11月18日（水）に電話して", "11月18日"),
    ],
)
def test_evidence_is_the_phrase_as_written(text: str, evidence: str) -> None:
    assert read_message(text, _at(TUE)).urgent_evidence == evidence


def test_nothing_named_means_no_evidence() -> None:
    for text in (None, "", "   ", "見積もりをお願いします", "Please send me a quote."):
        assert read_message(text, _at(TUE)) == EMPTY_READING


# ------------------------------------------------------------------------------------------------
# Staff attributes
# ------------------------------------------------------------------------------------------------


def test_staff_attributes() -> None:
    at = _at(TUE)
    assert read_message("男性の低い声の方でお願いできますか", at).staff_attributes == (
        "男性の低い声",
    )
    reading = read_message("低い声の男性で、関西弁でお願いします。明日電話して", at)
    assert reading.staff_attributes == ("低い声の男性", "関西弁")
    assert reading.message_date == date(2026, 11, 18)
    assert read_message(
        "Could a female staff member with a deep voice call?", at
    ).staff_attributes == (
        "female staff",
        "deep voice",
    )
    assert read_message("The factory manager is Mr. Tanaka", at).staff_attributes == ()
    assert "低い声の男性" in DEFAULT_STAFF_ATTRIBUTE_PHRASES


def test_staff_phrases_can_be_replaced_or_extended() -> None:
    words = words_from_table({"staff_attribute_phrases": ["東北弁"]}, "office.toml")
    assert read_message("東北弁の方でお願いします", _at(TUE), words).staff_attributes == ("東北弁",)
    assert read_message("関西弁でお願いします", _at(TUE), words).staff_attributes == ()
    words = words_from_table({"extra_staff_attribute_phrases": ["東北弁"]}, "office.toml")
    assert read_message("関西弁か東北弁で", _at(TUE), words).staff_attributes == (
        "関西弁",
        "東北弁",
    )


# ------------------------------------------------------------------------------------------------
# Settings words
# ------------------------------------------------------------------------------------------------


def test_extra_urgent_phrases_and_negations() -> None:
    at = _at(TUE)
    assert read_message("なる早でお願いします", at) == EMPTY_READING
    words = words_from_table({"extra_urgent_phrases": ["なる早", "pronto"]}, "office.toml")
    reading = read_message("なる早でお願いします", at, words)
    assert reading.asap
    assert reading.urgent_evidence == "なる早"
    assert read_message("Call them pronto", at, words).asap
    assert read_message("なる早の見積もりをお願いします", at, words) == EMPTY_READING

    assert read_message("今日中の電話は勘弁してください", at).message_date == date(2026, 11, 17)
    words = words_from_table({"extra_negations": ["勘弁"]}, "office.toml")
    assert read_message("今日中の電話は勘弁してください", at, words) == EMPTY_READING


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"extra_urgent_phrase": ["至急"]}, "message.extra_urgent_phrase is not a known setting"),
        ({"extra_urgent_phrases": "至急"}, "message.extra_urgent_phrases must be a list"),
        ({"extra_negations": [1]}, "message.extra_negations[0] must be a string"),
        ({"extra_negations": ["ok", " "]}, "message.extra_negations[1] is empty"),
        ({"staff_attribute_phrases": ["a"]}, "message.staff_attribute_phrases[0] 'a' is too short"),
        ({"extra_urgent_phrases": ["x" * 61]}, "message.extra_urgent_phrases[0] is longer than 60"),
        (
            {"extra_urgent_phrases": ["なる早"], "extra_negations": ["なる早"]},
            "both contain 'なる早'",
        ),
    ],
)
def test_words_from_table_names_source_key_and_problem(
    table: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=r"office\.toml") as info:
        words_from_table(table, "office.toml")
    assert problem in str(info.value)


def test_words_from_table_rejects_a_non_table() -> None:
    with pytest.raises(ValueError, match=r"office\.toml: \[message\] must be a table"):
        words_from_table(["至急"], "office.toml")  # type: ignore[arg-type]


def test_fingerprint_is_stable_and_follows_the_words() -> None:
    assert ReaderWords().fingerprint() == ReaderWords().fingerprint()
    assert len(ReaderWords().fingerprint()) == 12
    assert words_from_table({}, "x").fingerprint() == ReaderWords().fingerprint()
    changed = ReaderWords(extra_urgent_phrases=("なる早",))
    assert changed.fingerprint() != ReaderWords().fingerprint()
    assert isinstance(READER_VERSION, str)
    assert READER_VERSION


# ------------------------------------------------------------------------------------------------
# Batch form, prefilter, robustness
# ------------------------------------------------------------------------------------------------


def test_read_many_equals_read_message() -> None:
    texts: list[str | None] = [r["message"] for r in ROWS] + [None, "", "明日お願いします"]
    ats = [_at(r["received_at"]) for r in ROWS] + [_at(TUE)] * 3
    texts += texts[:50]  # repeated texts on other days
    ats += [a + timedelta(days=1, hours=5) for a in ats[:50]]
    assert read_many(texts, ats) == [read_message(t, a) for t, a in zip(texts, ats, strict=True)]


def test_read_many_checks_lengths() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 received times"):
        read_many(["a", "b"], [_at(TUE)])


def test_prefilter_pattern_lets_every_reading_through_in_duckdb() -> None:
    """Rows the RE2 prefilter drops must read as empty, so a loader can skip them."""
    words = ReaderWords(extra_urgent_phrases=("なる早",))
    texts = [r["message"] for r in ROWS] + ["なる早で", "男性の低い声の方で", "deep voice please"]
    norms = [unicodedata.normalize("NFKC", t).lower() for t in texts]
    con = duckdb.connect()
    matched = con.execute(
        "SELECT list_transform(?, lambda x: regexp_matches(x, ?))",
        [norms, prefilter_pattern(words)],
    ).fetchone()[0]
    at = _at(TUE)
    for text, hit in zip(texts, matched, strict=True):
        if not hit:
            assert read_message(text, at, words) == EMPTY_READING, text
    assert sum(matched) < len(texts)


def test_long_and_odd_texts() -> None:
    at = _at(TUE)
    long = "退職の連絡をお願いします" * 3000 + "明日お願いします"
    assert read_message(long, at).message_date == date(2026, 11, 18)
    assert read_message("|||明日|お願い|||", at).message_date == date(2026, 11, 18)
    assert read_message("\u200b\u3000\n\t", at) == EMPTY_READING
    assert read_message("32日にお願いします。13月5日に", at) == EMPTY_READING
    assert isinstance(read_message("明日", at), MessageReading)


_PIECES = [
    *"今日明本急至すぐあしたきょう時間分後半数0123456789０１２月曜金週来以降中にはでもないませんお願いください、。！？!? \n|/（）ｶﾞ…",
    "today",
    "tomorrow",
    "now",
    "urgent",
    "asap",
    "in ",
    "hours",
    "not ",
    "on friday",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, database=None)
@given(
    text=_TEXT,
    at=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
)
def test_any_text_reads_without_error(text: str, at: datetime) -> None:
    reading = read_message(text, at)
    assert read_many([text], [at]) == [reading]
    if reading.message_date is not None:
        assert reading.message_date >= at.date()
    if reading.asap or reading.message_date is not None:
        assert reading.urgent_evidence
        assert reading.urgent_evidence in text


# ------------------------------------------------------------------------------------------------
# Issue 20's four classes (SPEC, "urgent"): lists under one negation, statements, open windows,
# days counted from another day. The corpus holds 100+ more messages of these kinds.
# ------------------------------------------------------------------------------------------------

FRIDAY = "2026-11-20T10:00"


@pytest.mark.parametrize(
    ("text", "message_date", "urgent"),
    [
        # a list under one negation is negated whole
        ("今日でも明日でもなく、来月10日に", date(2026, 12, 10), False),
        ("あすもあさってもムリなので、１２月３日でお願いします", date(2026, 12, 3), False),
        ("明日と明後日は無理です", None, False),
        ("Not today or tomorrow, but on December 10 please", date(2026, 12, 10), False),
        ("Not today, tomorrow or Saturday; Monday the 30th please.", date(2026, 11, 30), False),
        ("Not tomorrow, today please", date(2026, 11, 20), True),  # a contrast, not a list
        # a statement names the day as well as a request does
        ("電話は明日です", date(2026, 11, 21), True),
        ("希望日は12月10日です", date(2026, 12, 10), False),
        ("架電日は来週の月曜日になります", date(2026, 11, 23), False),
        ("the call would be on December 10", date(2026, 12, 10), False),
        ("The call's tomorrow.", date(2026, 11, 21), True),
        ("今日は雨です", None, False),  # a remark about the day, not about the call
        ("My birthday is December 10.", None, False),
        # an open window names no day
        ("Any day after tomorrow is fine", None, False),
        ("Some day after tomorrow works", None, False),
        ("明後日以降ならいつでも大丈夫です", None, False),
        ("Please call the day after tomorrow", date(2026, 11, 22), True),  # a day, not a window
        # a day counted from another day
        ("Not tomorrow, but the day after would be great", date(2026, 11, 22), True),
        ("明日ではなく、その翌日にお願いします", date(2026, 11, 22), True),
        ("明日の翌々日にお願いします", date(2026, 11, 23), False),
        ("12月1日の次の日に電話をお願いします", date(2026, 12, 2), False),
        ("Please call two days after December 3.", date(2026, 12, 5), False),
        ("明日は無理です。その次の日にお願いします", date(2026, 11, 22), True),  # across sentences
        ("Not on the 25th. The following day, please.", date(2026, 11, 26), False),
    ],
)
def test_lists_statements_windows_and_counted_days(
    text: str, message_date: date | None, urgent: bool
) -> None:
    """The four classes of issue 20 for several wordings each, received on Friday 2026-11-20."""
    at = _at(FRIDAY)
    reading = read_message(text, at)
    assert reading.message_date == message_date
    assert is_urgent(reading, at.date(), MIN_LEAD_DAYS) == urgent


def test_a_counted_day_shows_the_words_it_came_from() -> None:
    """The evidence of a counted day is the phrase that names it, with its base when attached."""
    at = _at(FRIDAY)
    assert read_message("明日の翌日にお願いします", at).urgent_evidence == "明日の翌日"
    assert read_message("Please call the day after Friday", at).urgent_evidence == (
        "the day after Friday"
    )
