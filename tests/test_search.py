"""Search on the Inquiries page (pipelines.queries.search_inquiries) on rows loaded from a CSV export.

The text matches ID, name, phone, e-mail and message after NFKC folding and lower case; IDs and phone
numbers also match with hyphens and spaces ignored. The folded forms are stored at load.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pipelines
from pipelines.queries import name_key, search_inquiries, search_key
from tests.conftest import build_db, inquiry

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("search")

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        inquiry("Q0117009", customer_name="田中花子", target_phone="052-5595-2501"),
        inquiry(
            "Q0000002",
            customer_name="ＴＡＮＡＫＡ　Ｋｅｎ",
            target_phone="090 1234 5678",
            customer_email="Ken.Tanaka@example.jp",
        ),
        inquiry("Q0000003", customer_name="佐藤", message="明日、田中様の件でお電話ください"),
        inquiry("Q0000004", customer_name="鈴木", target_phone="０３－９８７６－５４３２"),
        inquiry("Q0000005", customer_name="松本　誠"),  # an ideographic (full-width) space
        inquiry("Q0000006", customer_name="高橋一郎"),
        inquiry("Q0000007", customer_name="森 \u200b花\t子"),  # ASCII space, zero-width, tab
    ]
    return build_db(tmp_path_factory.mktemp("search"), rows)


def found(db: Path, text: str) -> list[str]:
    con = pipelines.connect(db)
    try:
        return sorted(search_inquiries(con, AS_OF, text).rows["inquiry_id"])
    finally:
        con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("田中", ["Q0117009", "Q0000003"]),  # a name, and the same word in a message
        ("tanaka", ["Q0000002"]),  # full-width name and the e-mail, folded and lower case
        ("ｔａｎａｋａ", ["Q0000002"]),  # a full-width search text is folded the same way
        ("09012345678", ["Q0000002"]),  # phone stored with spaces
        ("03-9876-5432", ["Q0000004"]),  # phone stored full-width
        ("98765432", ["Q0000004"]),
        ("q-0117009", ["Q0117009"]),  # an ID typed with a hyphen
        ("明日", ["Q0000003"]),
        ("松本誠", ["Q0000005"]),  # stored 「松本　誠」
        ("松本 誠", ["Q0000005"]),
        ("高橋 一郎", ["Q0000006"]),  # stored without a space
        ("高橋　一郎", ["Q0000006"]),
        ("森花子", ["Q0000007"]),
        ("森　花 子", ["Q0000007"]),
        ("たなか", []),  # a hiragana search does not read kanji names (the help text says so)
        (
            "",
            [
                "Q0000002",
                "Q0000003",
                "Q0000004",
                "Q0000005",
                "Q0000006",
                "Q0000007",
                "Q0117009",
            ],
        ),
    ],
)
def test_search_matches_each_field_folded(db: Path, text: str, expected: list[str]) -> None:
    """Each field matches folded; spacing and hyphens in IDs and phones do not matter."""
    assert found(db, text) == sorted(expected)


def test_name_key_drops_spaces_of_every_width() -> None:
    """The name pass gets the text without spaces; a text without spaces needs no second pass."""
    assert name_key("田中　一郎") == "田中一郎"
    assert name_key(" Tanaka  Ken ") == "tanakaken"
    assert name_key("田中") == ""


@pytest.mark.slow
def test_an_older_name_fold_is_upgraded_in_place(db: Path, tmp_path: Path) -> None:
    """A database whose names were folded with their spaces (schema 6) is re-folded by migration 7."""
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)
    con = duckdb.connect(str(old))
    con.execute(
        "UPDATE inquiries SET contact_norm = lower(inquiry_id || '|' || customer_name) "
        "WHERE inquiry_id = 'Q0000005'"
    )
    con.execute("DELETE FROM schema_migrations WHERE version >= 7")
    # back to schema 6's quarantine too: its reasons were English sentences (migration 8 reads them)
    con.execute("ALTER TABLE quarantine ADD COLUMN reason VARCHAR")
    con.execute("UPDATE quarantine SET reason = 'an old reason'")
    con.execute("ALTER TABLE quarantine DROP COLUMN reason_code")
    con.execute("ALTER TABLE quarantine DROP COLUMN reason_params")
    con.close()
    assert found(old, "松本誠") == ["Q0000005"]  # opening upgrades it first
    con = duckdb.connect(str(old), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] >= 7
    con.close()


def test_ignoring_hyphens_never_joins_two_fields(db: Path) -> None:
    """'090' is not in Q0117009's ID or phone, though ID + phone without separators holds '…09|0…'."""
    assert "Q0117009" not in found(db, "090")
    assert found(db, "090") == ["Q0000002"]


def test_search_key_compacts_only_texts_that_can_be_an_id_or_phone() -> None:
    """A name search skips the hyphen-free pass; an ID or phone number gets it."""
    assert search_key("田中 花子") == ("田中 花子", "")
    assert search_key(" Ｑ-０１ ") == ("q-01", "q01")
    assert search_key("090-1234") == ("090-1234", "0901234")


def test_the_filters_offer_each_service_and_channel_once_sorted(tmp_path: Path) -> None:
    """filter_options: the distinct services and channels loaded, sorted, blanks left out."""
    from pipelines.queries import filter_options

    rows = [
        inquiry("F1", service="退職の連絡", channel="メール"),
        inquiry("F2", service="予約のキャンセル", channel="LINE"),
        inquiry("F3", service="退職の連絡", channel=""),
        inquiry("F4", service="", channel="メール"),
    ]
    con = pipelines.connect(build_db(tmp_path, rows))
    try:
        options = filter_options(con)
    finally:
        con.close()
    assert options == {
        "services": ["予約のキャンセル", "退職の連絡"],
        "channels": ["LINE", "メール"],
    }
