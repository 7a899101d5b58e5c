"""The one home of the domain's words: statuses, event kinds, reason codes, staff lists, rules, dates.

Everything else refers to these names. SQL receives the lists as variables (``sql_variables()``, set on
every connection by ``pipelines.definitions.prepare``) the same way it receives settings, and the
audits check stored data against them. User-facing wording for each name lives in ``pipelines.i18n``;
a test proves every name here has words in both languages and that the SQL produces only these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

TIME_ZONE = "Asia/Tokyo"  # every time in the product is Japan time (SPEC "Dates and times")

# Dates the product accepts as real; anything outside is a typo such as year 9999 and is quarantined.
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2100, 12, 31)

# Statuses in the SPEC's order: the first that matches is the inquiry's status.
STATUSES: tuple[str, ...] = (
    "contracted",
    "contracted_against_rules",
    "cancelled",
    "declined_by_customer",
    "rejected_urgent",
    "rejected_late_request",
    "silent",
    "expired",
    "incomplete",
    "open",
)
# Closed without a contract: the staff time they cost earned nothing.
NONCONVERTING_STATUSES: tuple[str, ...] = (
    "declined_by_customer",
    "rejected_urgent",
    "rejected_late_request",
    "silent",
    "expired",
)
# Still being worked on: the default view of the Inquiries page.
OPEN_STATUSES: tuple[str, ...] = ("open", "incomplete")
CONTRACTED_STATUSES: tuple[str, ...] = ("contracted", "contracted_against_rules")

EVENT_KINDS: tuple[str, ...] = (
    "quote_sent",
    "customer_reply",
    "contract_requested",
    "contract_signed",
    "customer_declined",
    "cancelled",
    "staff_work",
)
CUSTOMER_SIDE_EVENTS: tuple[str, ...] = (
    "customer_reply",
    "contract_requested",
    "contract_signed",
    "customer_declined",
    "cancelled",
)
# Other ways an export writes an event kind (matched after NFKC, lower case, no spaces).
EVENT_KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "quote_sent": ("見積送信", "見積り送信", "見積", "quote"),
    "customer_reply": ("顧客返信", "返信", "reply"),
    "contract_requested": ("正式依頼", "依頼"),
    "contract_signed": ("契約締結", "正式契約", "契約"),
    "customer_declined": ("辞退連絡", "辞退", "declined"),
    "cancelled": ("キャンセル", "取消", "canceled"),
    "staff_work": ("社内作業", "作業"),
}

# The fields a contract needs (rule 5), and the reason code each one's absence gives.
MISSING_FIELD_CODES: dict[str, str] = {
    "customer_name": "MISSING_NAME",
    "customer_address": "MISSING_ADDRESS",
    "target_phone": "MISSING_TARGET_PHONE",
}
MISSING_FIELDS: tuple[str, ...] = tuple(MISSING_FIELD_CODES)

# The rules as rule_trace lists them, in the order they are read, and the reason codes each decides.
RULE_REASONS: dict[str, tuple[str, ...]] = {
    "completeness": tuple(MISSING_FIELD_CODES.values()),
    "lead_time": ("SHORT_NOTICE",),
    "message_urgency": ("URGENT_TEXT",),
    "quote_turnaround": ("AWAITING_QUOTE",),
    "silence": ("SILENT_AFTER_QUOTE", "AWAITING_CUSTOMER"),
    "late_request": ("LATE_REQUEST",),
    "customer_decision": ("DECLINED_BY_CUSTOMER", "CANCELLED"),
    "time_to_sign": ("TOO_LATE_TO_CONTRACT",),
    "contract_lead": ("CONTRACT_SIGNED", "LATE_CONTRACT"),
    "prior_quote": ("NO_PRIOR_QUOTE",),
}
RULES: tuple[str, ...] = tuple(RULE_REASONS)
VERDICTS: tuple[str, ...] = ("met", "broken", "pending", "not_applicable")

# Reason codes per status (SPEC's table).
STATUS_REASONS: dict[str, tuple[str, ...]] = {
    "contracted": ("CONTRACT_SIGNED",),
    "contracted_against_rules": ("LATE_CONTRACT", "NO_PRIOR_QUOTE", *MISSING_FIELD_CODES.values()),
    "cancelled": ("CANCELLED",),
    "declined_by_customer": ("DECLINED_BY_CUSTOMER",),
    "rejected_urgent": ("SHORT_NOTICE", "URGENT_TEXT"),
    "rejected_late_request": ("LATE_REQUEST", "SILENT_AFTER_QUOTE"),
    "silent": ("SILENT_AFTER_QUOTE",),
    "expired": ("TOO_LATE_TO_CONTRACT",),
    "incomplete": tuple(MISSING_FIELD_CODES.values()),
    "open": ("AWAITING_QUOTE", "AWAITING_CUSTOMER"),
}
REASON_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(code for codes in STATUS_REASONS.values() for code in codes)
)


@dataclass(frozen=True)
class StaffList:
    """One of the staff's lists for a day, declared once (SPEC "Staff lists for day A").

    Its members are the `list = name` rows of ``staff_list_members`` in ``pipelines/sql/rules.sql``
    (with its own `order_key`: most urgent first); its words are ``list.<name>``,
    ``list.<name>.help``, ``list.empty.<name>`` and ``step.<name>`` in ``pipelines.i18n``; its next
    step fills {date} from the row's `step_date` column unless ``pipelines.worklist`` words it itself.
    """

    name: str
    report_key: str  # the report's key for its size (SPEC report contract)
    step_date: str | None = None  # the date column its next step names as {date}
    by_day: bool = False  # shown grouped by requested date (a calendar)
    # the date its item must be acted on by (a snooze past it hides the item past its deadline;
    # pipelines.office.marks.snooze_deadline): the call's day, the last day to sign, the quote's due
    # day, the day the quote turns silent, the last business day a refusal is on its list (a
    # snooze past it would hide it for good). None: no deadline
    due_date: str | None = None


# The staff's lists for a day, in the order the Today page, the CLI and the digest show them.
STAFF_LIST_REGISTRY: tuple[StaffList, ...] = (
    StaffList("eligible", "eligible_today", due_date="requested_date"),
    StaffList("attention", "attention_today", due_date="requested_date"),
    StaffList("sign_by", "sign_by_today", "sign_by_date", due_date="sign_by_date"),
    StaffList("quote_due", "quote_due_today", "quote_due_date", due_date="quote_due_date"),
    StaffList("follow_up", "follow_up_today", "silent_after_date", due_date="silent_after_date"),
    StaffList(
        "upcoming", "upcoming_calls", "requested_date", by_day=True, due_date="requested_date"
    ),
    StaffList("refusals", "refusals_to_send", "decision_date", due_date="refusal_last_date"),
)
STAFF_LIST_BY_NAME: dict[str, StaffList] = {x.name: x for x in STAFF_LIST_REGISTRY}
STAFF_LISTS: tuple[str, ...] = tuple(STAFF_LIST_BY_NAME)
# Which inquiries pipelines/sql/summaries.sql event_summary() summarises: those with events after
# the as-of day ('late', for inquiry_facts) or those a load changed ('stale', pipelines.derived).
SUMMARY_SCOPES: tuple[str, ...] = ("late", "stale")

# The report key that gives each list's size (SPEC report contract).
STAFF_LIST_REPORT_KEYS: dict[str, str] = {x.name: x.report_key for x in STAFF_LIST_REGISTRY}


def sql_variables() -> dict[str, object]:
    """The vocabulary as DuckDB variables (lists of text, dates), read by the SQL with getvariable()."""
    return {
        "statuses": list(STATUSES),
        "nonconverting_statuses": list(NONCONVERTING_STATUSES),
        "event_kinds": list(EVENT_KINDS),
        "customer_side_events": list(CUSTOMER_SIDE_EVENTS),
        "reason_codes": list(REASON_CODES),
        "staff_lists": list(STAFF_LISTS),
        "first_date": FIRST_DATE,
        "last_date": LAST_DATE,
    }
