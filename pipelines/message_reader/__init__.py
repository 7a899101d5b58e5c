"""The message reader: when does the customer want the call made?

One customer message (Japanese or English) and its received time go in; out comes the day the message
names for the call (``message_date``), whether it asks for the call now or within hours (``asap``), the
words that decided it (``urgent_evidence``) and any requested staff attributes. The SQL layer stores
these at load time and decides ``urgent`` against ``min_lead_days`` (see :func:`is_urgent`).

How it reads (details and the decisions where the SPEC is silent: ``docs/message-reading.md``):

1. **Normalise** with NFKC and lower case (full-width digits and letters, half-width kana).
2. **Prefilter** with one regular expression of candidate words (今日, 明日, あす, 至急, N時間, 曜,
   today, ASAP, hours …). Most messages contain none and cost one regex search; identical texts are
   read once (:func:`read_many`).
3. **Japanese sentences** that contain a candidate are tokenised with SudachiPy (sudachidict-core,
   split mode C). Sudachi's normalised forms make kana and kanji the same word (きょう = 今日,
   あした/あす = 明日, すぐ = 直ぐ), turn kanji numerals into digits (二十三 → 23, 十五分 → 15 分), and its
   word boundaries keep names and other words apart (明日香, あすなろ, 今日子, きょうだい are one token
   each and never read as a day). Compact rules then run over the token stream, joined as
   ``|form|form|`` so that every pattern matches whole tokens only.
4. **English sentences** are read by a compact rule set over the normalised text (number words, "a
   couple of", "half an hour", weekdays, month names, M/D).
5. Every phrase found is checked in its **clause** (sentences split at 。!? and clauses at が/けど/ので/
   から, or commas and "but" in English): negation that follows it (ではない, ではありません,
   でなくても, 急ぎません, 無理, isn't, no need to …), an open window (明日以降, after the 15th), haste about
   the quote rather than the call (見積もり, 料金, 返信, quote, price, reply with no call word), and whether
   the clause asks for something at all (お願い, ください, ほしい, たい, ～て, ？, please, can you …) rather
   than remarking on the day (今日は雨ですが, 本日はご連絡しました, today is my day off).
6. The phrases that stand are **resolved** against the received time: dates are absolute (a "2時間後"
   received at 23:30 names the next day), the earliest named day wins, and haste (至急, ASAP) counts as
   ``asap`` only when no later day is named.

Why this stack: a phrase list cannot tell 明日 from 明日香 or きょう from きょうだい, and a tokenizer can.
SudachiPy (Rust core) tokenises a 20–40 character sentence in ~15 µs, its dictionary ships as the
``sudachidict-core`` package (nothing is downloaded at run time), and its normalised forms cover kana
and kanji numerals, so kanjize is not needed. ja-timex was evaluated and not used: ~3,500 messages a
second, it reads neither 数時間後 nor きょう中 and it pins a beta of pendulum. Speed comes from reading
little: a calm message costs one regex search (~3 µs); identical texts and sentences are read once;
only sentences with a candidate word are tokenised (~40–60 µs each with the rules). At a million
mostly-distinct messages that is ~10 s of one core in Python alone; a loader should first drop calm
rows with :func:`prefilter_pattern` in DuckDB (RE2, parallel) and store readings so that a reload
reads only new texts. ``benchmarks/reader_bench.py`` prints the figures.
"""

from pipelines.lazy_names import lazy_getattr

# Each name loads its module when first asked for (PEP 562): a read connection needs only
# READER_VERSION (message_reader.words) and the words (pipelines.reader_words), not the rules.
_LAZY = {
    "_get_tokenizer": "pipelines.message_reader.japanese",
    "_tokenize": "pipelines.message_reader.japanese",
    "_reader_for": "pipelines.message_reader.resolve",
    "prefilter_pattern": "pipelines.message_reader.resolve",
    "read_many": "pipelines.message_reader.resolve",
    "read_message": "pipelines.message_reader.resolve",
    "EMPTY_READING": "pipelines.message_reader.words",
    "JAPAN": "pipelines.message_reader.words",
    "READER_VERSION": "pipelines.message_reader.words",
    "MessageReading": "pipelines.message_reader.words",
    "_norm": "pipelines.message_reader.words",
    "is_urgent": "pipelines.message_reader.words",
    "DEFAULT_STAFF_ATTRIBUTE_PHRASES": "pipelines.reader_words",
    "ReaderWords": "pipelines.reader_words",
    "words_from_table": "pipelines.reader_words",
}
_SUBMODULES = ("english", "ja_clause", "japanese", "parallel", "resolve", "words")


__getattr__ = lazy_getattr(__name__, _LAZY, _SUBMODULES)  # a name of __all__ or a submodule


__all__ = [
    "DEFAULT_STAFF_ATTRIBUTE_PHRASES",
    "EMPTY_READING",
    "JAPAN",
    "READER_VERSION",
    "MessageReading",
    "ReaderWords",
    "_get_tokenizer",
    "_norm",
    "_reader_for",
    "_tokenize",
    "is_urgent",
    "prefilter_pattern",
    "read_many",
    "read_message",
    "words_from_table",
]
