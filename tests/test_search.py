"""Search on the Inquiries page (pipelines.queries.search_inquiries) on rows loaded from a CSV export.

The text matches ID, name, phone, e-mail and message after NFKC folding and lower case; IDs and phone
numbers also match with hyphens and spaces ignored. The folded forms are stored at load.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pipelines
from pipelines.queries import search_inquiries, search_key
from tests.conftest import build_db, inquiry

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
        ("", ["Q0000002", "Q0000003", "Q0000004", "Q0117009"]),
    ],
)
def test_search_matches_each_field_folded(db: Path, text: str, expected: list[str]) -> None:
    """Each field matches folded; spacing and hyphens in IDs and phones do not matter."""
    assert found(db, text) == sorted(expected)


def test_ignoring_hyphens_never_joins_two_fields(db: Path) -> None:
    """'090' is not in Q0117009's ID or phone, though ID + phone without separators holds '…09|0…'."""
    assert "Q0117009" not in found(db, "090")
    assert found(db, "090") == ["Q0000002"]


def test_search_key_compacts_only_texts_that_can_be_an_id_or_phone() -> None:
    """A name search skips the hyphen-free pass; an ID or phone number gets it."""
    assert search_key("田中 花子") == ("田中 花子", "")
    assert search_key(" Ｑ-０１ ") == ("q-01", "q01")
    assert search_key("090-1234") == ("090-1234", "0901234")
