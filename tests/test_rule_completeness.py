"""Rule 5, complete information: name, address and the number to call (SPEC "missing_fields").

Rows go straight into an in-memory database (tests/conftest.py `memory_db`), no loader. AS_OF is
Tuesday 2026-11-24; inquiries are received on Monday 2026-11-02 and requested far ahead unless stated.
"""

from __future__ import annotations

import pytest

from tests.conftest import event, inquiry

FAR = "2026-12-20"  # requested far enough ahead that nothing else decides the status

# Every Unicode White_Space character (spaces, U+3000, tabs, line breaks) and the zero-width ones.
WHITE_SPACE = {
    "space": " ",
    "ideographic space U+3000": "\u3000",
    "tab": "\t",
    "line feed": "\n",
    "carriage return": "\r",
    "CRLF": "\r\n",
    "form feed": "\x0c",
    "no-break space": "\xa0",
    "ogham space mark": "\u1680",
    "en quad … hair space": "\u2000\u2005\u200a",
    "line separator U+2028": "\u2028",
    "paragraph separator U+2029": "\u2029",
    "narrow no-break space": "\u202f",
    "medium mathematical space": "\u205f",
    "zero-width space": "\u200b",
    "zero-width non-joiner and joiner": "\u200c\u200d",
    "word joiner": "\u2060",
    "byte order mark / zero-width no-break space": "\ufeff",
    "vertical tab U+000B": "\x0b",
    "next line U+0085": "\x85",
    "a mix": " \u3000\t\r\n\u200b ",
    "empty": "",
}


@pytest.mark.parametrize(
    "blank",
    [pytest.param(v, id=k) for k, v in WHITE_SPACE.items()],
)
def test_a_value_of_only_white_space_is_missing(facts_of, blank: str) -> None:
    """A name, address or number made only of white space (any kind) or zero-width characters is missing."""
    f = facts_of(
        [
            inquiry("N", requested_for=FAR, customer_name=blank),
            inquiry("D", requested_for=FAR, customer_address=blank),
            inquiry("P", requested_for=FAR, target_phone=blank),
        ]
    )
    assert {i: list(f.loc[i].missing_fields) for i in f.index} == {
        "N": ["customer_name"],
        "D": ["customer_address"],
        "P": ["target_phone"],
    }


def test_a_null_value_is_missing(facts_of) -> None:
    """A value that is not there at all (NULL) is missing."""
    f = facts_of([inquiry("A", requested_for=FAR, customer_name=None)]).loc["A"]
    assert list(f.missing_fields) == ["customer_name"]


@pytest.mark.parametrize("value", ["山田", " 山田 ", "\u3000山田\u3000", "\u200b山田", "-", "0"])
def test_any_visible_character_counts_as_given(facts_of, value: str) -> None:
    """A value with any visible character, whatever white space surrounds it, is given."""
    f = facts_of([inquiry("A", requested_for=FAR, customer_name=value)]).loc["A"]
    assert list(f.missing_fields) == []


def test_missing_codes_name_each_field_in_a_fixed_order(facts_of) -> None:
    """Each missing field gives its own code: MISSING_NAME, MISSING_ADDRESS, MISSING_TARGET_PHONE, in that order."""
    blank = {"customer_name": "", "customer_address": " ", "target_phone": None}
    f = facts_of(
        [
            inquiry("N", requested_for=FAR, customer_name=""),
            inquiry("D", requested_for=FAR, customer_address="\t"),
            inquiry("P", requested_for=FAR, target_phone="\u3000"),
            inquiry("ALL", requested_for=FAR, **blank),
        ]
    )
    assert {i: list(f.loc[i].reason_codes) for i in f.index} == {
        "N": ["MISSING_NAME"],
        "D": ["MISSING_ADDRESS"],
        "P": ["MISSING_TARGET_PHONE"],
        "ALL": ["MISSING_NAME", "MISSING_ADDRESS", "MISSING_TARGET_PHONE"],
    }
    assert list(f.loc["ALL"].missing_fields) == [
        "customer_name",
        "customer_address",
        "target_phone",
    ]


def test_an_inquiry_in_progress_with_missing_details_is_incomplete(facts_of) -> None:
    """An inquiry still in progress (quoted, customer replied) with a missing detail is incomplete, not open."""
    f = facts_of(
        [inquiry("A", requested_for=FAR, target_phone=" ")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-03 10:00", "customer_reply"),
        ],
    ).loc["A"]
    assert (f.status, list(f.reason_codes)) == ("incomplete", ["MISSING_TARGET_PHONE"])


def test_missing_details_do_not_hide_an_earlier_status(facts_of) -> None:
    """Incomplete comes after silent and expired: those statuses win, and their codes name no missing field."""
    f = facts_of(
        [
            inquiry("SILENT", requested_for=FAR, customer_name=""),
            inquiry("EXPIRED", requested_for="2026-11-26", customer_name=""),
        ],
        [event("SILENT", "2026-11-02 15:00", "quote_sent")],
    )
    assert (f.loc["SILENT"].status, list(f.loc["SILENT"].reason_codes)) == (
        "silent",
        ["SILENT_AFTER_QUOTE"],
    )
    assert (f.loc["EXPIRED"].status, list(f.loc["EXPIRED"].reason_codes)) == (
        "expired",
        ["TOO_LATE_TO_CONTRACT"],
    )


def test_a_contract_with_missing_details_is_against_the_rules(facts_of) -> None:
    """A contract signed in time after a quote but without the address is contracted_against_rules (MISSING_ADDRESS)."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-30", customer_address="\r\n")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-10 10:00", "contract_signed"),
        ],
    ).loc["A"]
    assert (f.status, list(f.reason_codes)) == ("contracted_against_rules", ["MISSING_ADDRESS"])


def test_email_service_and_message_are_not_required(facts_of) -> None:
    """Only name, address and the number to call are required: a blank e-mail, service or message is fine."""
    f = facts_of(
        [inquiry("A", requested_for=FAR, customer_email=None, service="", message=None)]
    ).loc["A"]
    assert (list(f.missing_fields), f.status) == ([], "open")
