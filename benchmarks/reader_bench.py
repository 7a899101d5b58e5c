"""Speed of the message reader at load time, and its scores on the labelled corpus.

    .venv/bin/python benchmarks/reader_bench.py [--messages 200000] [--seed 7]

Generates realistic inquiry messages (Japanese e-mail, contact-form and chat registers, ~10% English;
about a fifth mention a time), almost all of them unique (names, companies, numbers vary), and times
`read_many` over them in a fresh process state: first cold (every text read), then again with the
same texts (the reader's per-text cache, as on a reload); then the loader's way at scale, DuckDB's RE2
dropping calm rows with `prefilter_pattern()` before Python reads the rest; then demo-like data with
few distinct texts. Prints messages per second (wall and CPU: the machine may be shared), the share
of messages that reached the deep (tokenised) reading, and accuracy / precision / recall on
tests/corpus/urgency.tsv.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from pipelines import message_reader  # noqa: E402
from pipelines.message_reader import (  # noqa: E402
    ReaderWords,
    is_urgent,
    prefilter_pattern,
    read_many,
)
from tests.urgency_corpus import corpus_scores  # noqa: E402

SURNAMES = [
    "山田",
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "松本",
]
COMPANY_A = [
    "東都",
    "北斗",
    "みなと",
    "あおば",
    "大和",
    "さくら",
    "ひかり",
    "中央",
    "第一",
    "丸三",
    "緑川",
    "新星",
]
COMPANY_B = [
    "商事",
    "物産",
    "運輸",
    "食品",
    "工業",
    "不動産",
    "システム",
    "サービス",
    "製作所",
    "産業",
]
SHOPS = [
    "コンビニ",
    "居酒屋",
    "カフェ",
    "ドラッグストア",
    "スーパー",
    "塾",
    "ファミレス",
    "ホテル",
    "書店",
]
WEEKDAYS = "月火水木金土日"
OPENINGS = [
    "お世話になっております。",
    "はじめまして。",
    "突然のご連絡失礼いたします。",
    "こんにちは。",
    "お問い合わせです。",
    "",
    "",
]
CLOSINGS = [
    "よろしくお願いいたします。",
    "ご検討のほどよろしくお願いします。",
    "お返事お待ちしております。",
    "何卒よろしくお願い申し上げます。",
    "",
]
BODIES = [
    "{co}への退職の連絡をお願いしたいです。",
    "内定をいただいた{co}に辞退の電話をしてほしいです。",
    "アルバイト先の{shop}に欠勤の連絡をお願いできますか。",
    "{n}年勤めた{co}を辞めたいと考えています。上司が怖くて自分では言えません。",
    "{shop}の予約をキャンセルしたいので、代わりに電話してもらえますか。",
    "料金について教えてください。支払い方法も知りたいです。",
    "見積もりをお願いします。内容は{co}への退職の意思表示です。",
    "実家の大家さんに解約の連絡をしてほしいです。理由は転勤です。",
    "{co}から届いた請求について問い合わせをしてほしいです。",
    "男性の低い声の方でお願いできますか。{co}への連絡です。",
    "日程はご相談させてください。{co}の担当は{name}さんです。",
]
TIME_CLAUSES = [
    "明日お願いします。",
    "{co}には明日の{h}時ごろに電話してください。",
    "{h}時間後に{name}さん宛てに電話してください。",
    "{m}月{d}日に{co}へ電話をお願いします。",
    "来週の{wd}曜日に{shop}へ連絡をお願いします。",
    "急ぎではありません。",
    "{co}の件は急ぎではありませんので、{m}月中で大丈夫です。",
    "至急お願いします。{shop}のシフトが{d}日からなので。",
    "今日中に{co}の{name}さんへ連絡をお願いします。",
    "今日は雨ですが、来月{d}日に{shop}へお願いします。",
    "明日でなくても大丈夫です。{name}さんは平日いらっしゃいます。",
    "{h}0分後にお願いできますか。",
    "至急見積もりをお願いします。{co}への連絡です。",
    "あさっての午前中に{name}さんへお願いします。",
    "通話は{h}時間ほどかかると思います。",
    "今週中に{co}へお願いします。",
    "{name}さんには{n}日前に口頭で伝えています。",
    "すぐに{shop}へ電話してほしいです。",
]
ENGLISH = [
    "Hello, I would like to decline a job offer from {en} Ltd. Could you send me a quote?",
    "Please call {en} Corp. to tell them I am quitting. Thanks, {enn}",
    "Hi, I need someone to cancel my booking at {en} Hotel. What does it cost?",
    "I want to resign from {en}. My manager is {enn}.",
]
ENGLISH_TIME = [
    "Please call tomorrow.",
    "It is not urgent.",
    "Can you call in {h} hours?",
    "Please call on Friday.",
    "ASAP please.",
    "No need to call today, next week is fine.",
]
T = TypeVar("T")
EN_NAMES = [
    "Smith",
    "Brown",
    "Taylor",
    "Wilson",
    "Clark",
    "Lewis",
    "Young",
    "Walker",
    "Hall",
    "Allen",
]


def generate(n: int, seed: int = 7) -> tuple[list[str], list[datetime]]:
    """n realistic messages (about a fifth with a time phrase) and their received times."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 8, 0)
    texts: list[str] = []
    ats: list[datetime] = []
    for _ in range(n):
        fill = {
            "co": f"株式会社{rng.choice(COMPANY_A)}{rng.choice(COMPANY_B)}",
            "shop": f"{rng.choice(SHOPS)}{rng.choice(COMPANY_A)}店",
            "n": rng.randint(1, 30),
            "name": rng.choice(SURNAMES),
            "h": rng.randint(1, 5),
            "m": rng.randint(1, 12),
            "d": rng.randint(1, 28),
            "wd": rng.choice(WEEKDAYS),
            "en": rng.choice(EN_NAMES) + str(rng.randint(1, 999)),
            "enn": rng.choice(EN_NAMES),
        }
        timed = rng.random() < 0.2
        if rng.random() < 0.1:
            parts = [rng.choice(ENGLISH)]
            if timed:
                parts.append(rng.choice(ENGLISH_TIME))
            text = " ".join(parts)
        else:
            parts = [
                rng.choice(OPENINGS),
                f"{rng.choice(SURNAMES)}と申します。" if rng.random() < 0.6 else "",
                rng.choice(BODIES),
            ]
            if timed:
                parts.insert(rng.randint(2, 3), rng.choice(TIME_CLAUSES))
            parts.append(rng.choice(CLOSINGS))
            text = "".join(parts)
        texts.append(text.format(**fill))
        ats.append(start + timedelta(minutes=rng.randint(0, 60 * 24 * 330)))
    return texts, ats


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """Run fn once: (result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _fresh_reader() -> None:
    """Forget every text and sentence already read (a cold start, as in a new load process)."""
    message_reader._reader_for.cache_clear()
    message_reader._tokenize.cache_clear()


def main() -> None:
    """Print the reader's speed on generated messages and its corpus scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    texts, ats = generate(args.messages, args.seed)
    words = ReaderWords()
    n = len(texts)
    unique = len(set(texts))
    _, load_s, _ = _timed(message_reader._get_tokenizer)
    print(f"messages                          {n:>10,}  ({unique:,} distinct texts)")
    print(f"dictionary load                   {load_s:>10.2f} s")

    def line(label: str, rows: int, wall: float, cpu: float) -> None:
        print(
            f"{label:<33} {wall:>10.2f} s wall, {cpu:.2f} s CPU"
            f"  = {rows / wall:>9,.0f} messages/s ({rows / cpu:,.0f}/s CPU)"
        )

    _fresh_reader()
    readings, wall, cpu = _timed(lambda: read_many(texts, ats, words))
    line("read_many, cold", n, wall, cpu)
    cold_rate = n / cpu
    _, wall, cpu = _timed(lambda: read_many(texts, ats, words))
    line("read_many, same texts again", n, wall, cpu)

    # The loader's way at scale: DuckDB's RE2 drops calm rows, Python reads the rest.
    _fresh_reader()
    norms = [unicodedata.normalize("NFKC", t).lower() for t in texts]
    con = duckdb.connect()
    con.execute("CREATE TABLE m AS SELECT unnest(?) AS message_norm", [norms])
    pattern = prefilter_pattern(words)
    picked, wall_sql, _ = _timed(
        lambda: [
            r[0]
            for r in con.execute(
                "SELECT rowid FROM m WHERE regexp_matches(message_norm, ?)", [pattern]
            ).fetchall()
        ]
    )
    sub_texts = [texts[i] for i in picked]
    sub_ats = [ats[i] for i in picked]
    _, wall_py, cpu_py = _timed(lambda: read_many(sub_texts, sub_ats, words))
    print(
        f"RE2 prefilter in DuckDB           {wall_sql:>10.2f} s wall  -> {len(picked) / n:.1%} of rows to Python"
    )
    line("  + read_many on those rows", len(picked), wall_py, cpu_py)
    total = wall_sql + wall_py
    print(
        f"  = all {n:,} messages            {total:>10.2f} s wall  = {n / total:>9,.0f} messages/s"
    )

    # Demo-like data: few distinct texts (bench.py's generator draws from ~30 messages).
    _fresh_reader()
    pool = texts[:40]
    rng = random.Random(args.seed)
    demo = [rng.choice(pool) for _ in range(n)]
    _, wall, cpu = _timed(lambda: read_many(demo, ats, words))
    line("read_many, 40 distinct texts", n, wall, cpu)

    reader = message_reader._reader_for(words)
    deep = sum(1 for t in set(texts) if reader.candidate_at(message_reader._norm(t)))
    urgent = sum(is_urgent(r, a.date(), 3) for r, a in zip(readings, ats, strict=True))
    print(f"deep-read (candidate words)       {deep / unique:>10.1%} of distinct texts")
    print(f"urgent at min_lead_days=3         {urgent / n:>10.1%}")
    print(
        f"1,000,000 unique-ish messages     {1_000_000 / cold_rate:>10.1f} s CPU, cold, Python only"
    )
    print(f"1,000,000 with the RE2 prefilter  {1_000_000 / (n / total):>10.1f} s wall (estimate)")

    scores = corpus_scores()
    print(
        f"corpus ({scores['messages']} messages, {scores['urgent']} urgent): "
        f"accuracy {scores['accuracy']:.1%}, precision {scores['precision']:.1%}, "
        f"recall {scores['recall']:.1%}, message_date {scores['message_date_accuracy']:.1%}"
    )


if __name__ == "__main__":
    main()
