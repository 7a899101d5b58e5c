"""Reply drafts (SPEC "Reply drafts"): which reply, the customer's language, the settings' numbers,
templates from the settings file, the mailto: link and the draft command."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from pipelines import drafts
from pipelines.__main__ import main
from pipelines.settings import SettingsError, load_settings
from tests.conftest import build_db, event, inquiry

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("drafts")

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(
        tmp_path_factory.mktemp("drafts"),
        [
            inquiry("JA", "2026-11-24 09:00", requested_for="2026-11-25", customer_email="a@x.jp"),
            inquiry(
                "EN",
                "2026-11-24 09:00",
                requested_for="2026-11-25",
                customer_name="Anna Smith",
                customer_email="anna@example.com",
                message="Could you call my landlord tomorrow, please?",
            ),
            inquiry("MISS", "2026-11-20 10:00", requested_for="2026-12-20", target_phone=None),
            inquiry("C", "2026-11-01 10:00", requested_for="2026-12-01"),
            inquiry("OPEN", "2026-11-23 10:00", requested_for="2026-12-30"),
        ],
        [
            event("C", "2026-11-02 10:00", "quote_sent", amount_jpy=30000),
            event("C", "2026-11-05 10:00", "contract_signed"),
        ],
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main([*args, "--json", "--as-of", AS_OF]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_refusal_in_the_customers_language_with_the_settings_numbers(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ja = run(capsys, "draft", "JA", "--db", str(db))
    en = run(capsys, "draft", "EN", "--db", str(db))
    assert (ja["reason"], ja["lang"], en["reason"], en["lang"]) == (
        "refusal_urgent",
        "ja",
        "refusal_urgent",
        "en",
    )
    assert "3日前まで" in ja["body"]
    assert "2026年11月25日（水）" in ja["body"]
    assert "at least 3 days before" in en["body"]
    assert "Dear Anna Smith" in en["body"]
    assert "November 25, 2026" in en["body"]
    # min_lead_days = 5 in the office's settings file: the text says 5 days, never 3
    settings = tmp_path / "office.toml"
    settings.write_text("min_lead_days = 5\n", encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    for lang in ("ja", "en"):
        body = run(capsys, "draft", "JA", "--lang", lang, "--db", str(db))["body"]
        assert ("5日前まで" if lang == "ja" else "at least 5 days") in body
        assert "3日" not in body
        assert "3 days" not in body


@pytest.mark.slow
def test_each_reason_gets_its_reply(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = run(capsys, "draft", "MISS", "--db", str(db), "--lang", "en")
    assert missing["reason"] == "missing"
    assert "number to call" in missing["body"].lower()
    contracted = run(capsys, "draft", "C", "--db", str(db))
    assert contracted["reason"] == "contracted"
    assert "30,000円" in contracted["body"]
    assert main(["draft", "OPEN", "--db", str(db), "--as-of", AS_OF]) == 0
    assert "no reply" in capsys.readouterr().out
    assert main(["draft", "NOPE", "--db", str(db), "--as-of", AS_OF]) == 2


def test_templates_come_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_text('[drafts.contracted]\nsubject_en = "Booked: {inquiry_id}"\n', encoding="utf-8")
    chosen = drafts.templates(load_settings(path))["contracted"]
    assert chosen["subject_en"] == "Booked: {inquiry_id}"
    assert "ご契約" in chosen["body_ja"]  # the bundled text where the file has none
    path.write_text('[drafts.contracted]\nbody_en = "Hi {nickname}"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"unknown \{nickname\}"):
        load_settings(path)
    path.write_text('[drafts.party]\nbody_en = "Hi"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"drafts\.party"):
        load_settings(path)


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("明日電話してください", "ja"),
        ("Please call tomorrow", "en"),
        ("Please call 田中 tomorrow", "ja"),
        ("", "ja"),
        (None, "ja"),
        ("0312345678", "ja"),
    ],
)
def test_language_is_japanese_unless_the_message_is_english(message, lang: str) -> None:
    assert drafts.guess_language(message) == lang


def test_mailto_is_encoded_and_length_safe() -> None:
    short = drafts.Draft("Q1", "contracted", "ja", "a@x.jp", "件名 & more", "本文\n2行目 100%")
    url = drafts.mailto(short)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "a@x.jp")
    assert query["subject"] == ["件名 & more"]
    assert query["body"] == ["本文\n2行目 100%"]
    long = drafts.Draft("Q1", "contracted", "ja", "a@x.jp", "件名", "長い本文です。" * 400)
    url = drafts.mailto(long)
    assert len(url) <= drafts.MAILTO_LIMIT
    body = parse_qs(urlsplit(url).query)["body"][0]
    assert body.startswith("長い本文です。")
    assert body.endswith("コピーしてください。）")


def test_a_last_day_to_sign_on_a_day_off_moves_to_the_business_day_before() -> None:
    """Sign-by on a Saturday (2026-11-21) or in the New-Year closure: the draft names the office's
    last working day before it, as the Sign-by list does; a business day stays itself."""
    from datetime import date

    from pipelines.drafts import _office_day_by
    from pipelines.settings import Settings

    settings = Settings()
    assert _office_day_by(date(2026, 11, 21), settings) == date(2026, 11, 20)
    assert _office_day_by("2027-01-02", settings) == date(2026, 12, 28)
    assert _office_day_by(date(2026, 11, 24), settings) == date(2026, 11, 24)
