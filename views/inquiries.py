"""Inquiries: search and filter (in SQL, paged), and one inquiry explained — customer, timeline, rules.

`?inquiry=ID` opens one inquiry directly, so a link can be shared.
"""

from __future__ import annotations

import unicodedata
from html import escape
from urllib.parse import quote

import pandas as pd
import streamlit as st

from pipelines.charts import value_text
from pipelines.i18n import (
    missing_text,
    reasons_text,
    requested_text,
    status_label,
    t,
    trace_text,
    verdict_text,
    when_text,
    yen,
)
from pipelines.untrusted import for_markdown
from pipelines.vocabulary import OPEN_STATUSES, REASON_CODES, STAFF_LISTS, STATUSES
from pipelines.worklist import list_items
from views import common, work
from views.common import as_of, empty_database_screen, lang, settings, tr

VERDICT_STYLE = {  # shape, colour: told apart by shape and colour and words, not colour alone
    "met": ("✓", "#1b7f3b"),
    "broken": ("✗", "#c62828"),
    "pending": ("…", "#8a6d00"),
    "not_applicable": ("–", "#666666"),
}


def _selected_inquiry() -> str | None:
    return st.query_params.get("inquiry") or None


def _open(inquiry_id: str | None) -> None:
    if inquiry_id:
        st.query_params["inquiry"] = inquiry_id
    elif "inquiry" in st.query_params:
        del st.query_params["inquiry"]


SEARCH_KEYS = (
    "search",
    "status_filter",
    "reason_filter",
    "service_filter",
    "channel_filter",
    "holder_filter",
    "done_filter",
    "snoozed_filter",
    "excluded_filter",
    "page",
)


def _restore_search() -> None:
    """Put back the search and filters as they were before an inquiry was opened (Streamlit forgets
    the state of widgets that a run does not draw)."""
    kept = st.session_state.get("kept_search", {})
    for key in SEARCH_KEYS:
        if key not in st.session_state and key in kept:
            st.session_state[key] = kept[key]


def _keep_search() -> None:
    st.session_state["kept_search"] = {
        key: st.session_state[key] for key in SEARCH_KEYS if key in st.session_state
    }


def _statuses_follow_the_search(searching: bool) -> None:
    """Starting a search clears the default 'open work' chips (a customer may call about a closed
    inquiry), so the chips show what the search applies; ending it puts them back. Chips the person
    chose stay and filter the search."""
    was = st.session_state.get("was_searching", False)
    chosen = st.session_state.get("status_filter", list(OPEN_STATUSES))
    if searching and not was and set(chosen) == set(OPEN_STATUSES):
        st.session_state["status_filter"] = []
        st.session_state["statuses_cleared"] = True
    elif not searching and was and st.session_state.pop("statuses_cleared", False) and not chosen:
        st.session_state["status_filter"] = list(OPEN_STATUSES)
    st.session_state["was_searching"] = searching


def search_panel() -> None:
    """Search box, filters (open work by default), one page of matches; a row click opens it."""
    _restore_search()
    if "search" not in st.session_state and st.query_params.get("q"):
        st.session_state["search"] = st.query_params["q"]  # ?q=…: a search someone shared
    options = common.filter_options()
    c1, c2 = st.columns([2, 2])
    text = c1.text_input(
        tr("inq.search"),
        key="search",
        placeholder=tr("inq.search_hint"),
        help=tr("inq.search_help"),
    )
    if text and st.query_params.get("q") != text:
        st.query_params["q"] = text  # kept in the URL, so the search can be shared
    elif not text and "q" in st.query_params:
        del st.query_params["q"]
    _statuses_follow_the_search(bool(text.strip()))
    statuses = c2.multiselect(
        tr("inq.status"),
        STATUSES,
        # open work by default; a value kept in the session (restored above) needs no default
        default=None if "status_filter" in st.session_state else list(OPEN_STATUSES),
        format_func=lambda s: status_label(s, lang()),
        key="status_filter",
        placeholder=tr("inq.any"),
    )
    reasons, services, channels, ids = _more_filters(options)
    if st.session_state.get("excluded_filter"):
        work.excluded_table(as_of())
        return
    if text.strip():
        st.caption(_searching_caption(statuses))
    filters = (tuple(statuses), tuple(reasons), tuple(services), tuple(channels))
    page_no = int(st.session_state.get("page", 1))
    result = common.search_inquiries(as_of(), text, *filters, page_no, ids=ids)
    if result.total and page_no > result.pages:
        page_no = result.pages
        result = common.search_inquiries(as_of(), text, *filters, page_no, ids=ids)
    rows = result.rows
    shown = _table(rows)
    st.caption(tr("inq.count", n=result.total, page=page_no, pages=result.pages))
    # A wide screen gets the table; a phone (where a grid shows 3 columns and a few rows) gets the
    # same page of results as cards (views/style.py switches between them by screen width).
    st.html(_cards(shown))
    picked = _grid(shown)
    _keep_search()
    if picked:
        _open(str(rows["inquiry_id"].iloc[picked[0]]))
        st.rerun()
    if result.pages > 1:
        st.session_state["page"] = page_no  # within 1 … pages, set before the widget is drawn
        st.number_input(tr("inq.page"), min_value=1, max_value=result.pages, step=1, key="page")
    common.warm_facts(as_of())  # a search over every status, likely next, reads every fact


def _more_filters(
    options: dict[str, list[str]],
) -> tuple[list[str], list[str], list[str], tuple[str, ...] | None]:
    """Reasons, services, channels and the marks' filters (inquiry IDs, or None for any), folded
    away under 'more filters'."""
    with st.expander(tr("inq.more_filters")):
        reasons = st.multiselect(
            tr("inq.reason"),
            REASON_CODES,
            format_func=lambda c: t(f"reason.{c}", lang(), settings()),
            key="reason_filter",
            placeholder=tr("inq.any"),
        )
        services = st.multiselect(
            tr("inq.service"), options["services"], key="service_filter", placeholder=tr("inq.any")
        )
        channels = st.multiselect(
            tr("inq.channel"), options["channels"], key="channel_filter", placeholder=tr("inq.any")
        )
        ids = work.filter_ids(as_of())
    return reasons, services, channels, ids


def _searching_caption(statuses: list[str]) -> str:
    """What a search looks through: every status, or only the chosen ones (named)."""
    if not statuses:
        return tr("inq.searching_all")
    joiner = "、" if lang() == "ja" else ", "
    return tr("inq.searching_in", statuses=joiner.join(status_label(s, lang()) for s in statuses))


def _grid(shown: pd.DataFrame) -> list[int]:
    """The page of matches as a table for a wide screen; the rows picked (a click opens one)."""
    event = st.dataframe(
        shown,
        hide_index=True,
        key="inquiry_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            tr("inq.open"): st.column_config.LinkColumn(tr("inq.open"), display_text="›", width=40),
            tr("col.customer_name"): st.column_config.TextColumn(width="medium"),
            tr("col.status"): st.column_config.TextColumn(width="small"),
            # the reasons read as a sentence: the widest column, right after the status
            tr("col.reasons"): st.column_config.TextColumn(width=420),
            tr("col.inquiry_id"): st.column_config.TextColumn(width="small"),
            tr("col.service"): st.column_config.TextColumn(width="small"),
        },
        height=min(38 + 35 * max(len(shown), 1), 420),
    )
    return list(event.selection.rows) if event and event.selection else []


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    """One page of matches as people read them: name and status first, then why, then the rest."""
    link = f"?lang={lang()}&as_of={as_of().isoformat()}&inquiry="
    return pd.DataFrame(
        {
            tr("inq.open"): [link + quote(str(i)) for i in rows["inquiry_id"]],
            tr("col.customer_name"): [
                v if isinstance(v, str) and v.strip() else tr("blank.name")
                for v in rows["customer_name"]
            ],
            tr("col.status"): [status_label(s, lang()) for s in rows["status"]],
            tr("col.reasons"): [
                reasons_text(list(r), lang(), settings()) for r in rows["reason_codes"]
            ],
            tr("col.inquiry_id"): rows["inquiry_id"],
            tr("col.received_at"): [when_text(v, lang()) for v in rows["received_at"]],
            tr("col.requested_for"): [requested_text(r, lang()) for r in rows.to_dict("records")],
            tr("col.service"): rows["service"].fillna(""),
        }
    )


def _cards(shown: pd.DataFrame) -> str:
    """The page of matches as cards for a phone: every row, every column, wrapping (escaped)."""
    names = list(shown.columns)
    cards = []
    for row in shown.itertuples(index=False):
        link, name, status, reasons, inquiry_id, received, requested, service = row
        meta = [f"{escape(names[5])}: {escape(received)}"]
        if requested:
            meta.append(f"{escape(names[6])}: {escape(requested)}")
        if service:
            meta.append(escape(service))
        cards.append(
            f'<a class="iq-card" href="{escape(link)}" target="_self">'
            f'<span class="iq-top"><b>{escape(name)}</b><span>{escape(status)}</span>'
            f'<span class="iq-id">{escape(inquiry_id)} ›</span></span>'
            f'<span class="iq-why">{escape(reasons)}</span>'
            f'<span class="iq-meta">{" · ".join(meta)}</span></a>'
        )
    return f'<div class="iq-cards">{"".join(cards)}</div>'


def customer_block(detail: dict) -> None:
    """Who the customer is and how to reach them; blanks said plainly."""

    def value(field: str, blank_key: str) -> str:
        text = detail.get(field)
        return escape(text) if isinstance(text, str) and text.strip() else escape(tr(blank_key))

    phone = detail.get("target_phone")
    email = detail.get("customer_email")
    rows = [
        (tr("col.customer_name"), value("customer_name", "blank.name")),
        (tr("col.customer_address"), value("customer_address", "blank.address")),
        (
            tr("col.target_phone"),
            f'<a href="tel:{escape(phone)}">{escape(phone)}</a>'
            if isinstance(phone, str) and phone.strip()
            else escape(tr("blank.phone")),
        ),
        (
            tr("col.customer_email"),
            f'<a href="mailto:{escape(email)}">{escape(email)}</a>'
            if isinstance(email, str) and email.strip()
            else "—",
        ),
        (tr("col.received_at"), escape(when_text(detail["received_at"], lang()))),
        (
            tr("col.requested_for"),
            escape(requested_text(detail, lang()) or tr("blank.requested")),
        ),
        (tr("col.service"), escape(detail.get("service") or "—")),
        (tr("col.channel"), escape(detail.get("channel") or "—")),
    ]
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1rem;white-space:nowrap'>{escape(k)}</th>"
        f"<td style='overflow-wrap:anywhere'>{v}</td></tr>"
        for k, v in rows
    )
    st.html(f"<table style='border-collapse:collapse'>{body}</table>")
    if detail.get("message"):
        st.caption(tr("col.message"))
        st.text(detail["message"])


TIMELINE_CSS = """
<style>
.tl { display: flex; flex-direction: column; margin: 0; }
.tl-row { display: flex; flex-wrap: wrap; gap: .1rem 1rem; padding: .35rem 0;
          border-bottom: 1px solid #e6e8ee; font-size: .92rem; }
.tl-when { white-space: nowrap; color: #444; min-width: 11.5rem; }
.tl-what { font-weight: 600; min-width: 8rem; }
.tl-note { flex-basis: 100%; color: #555; overflow-wrap: anywhere; }
</style>
"""


def timeline(detail: dict) -> None:
    """The inquiry and its events in time order, with staff, amounts and minutes (one line per
    event that wraps on a phone, instead of a grid)."""
    events = common.events_of(detail["inquiry_id"], as_of())
    language = lang()
    rows = [
        (
            detail["received_at"],
            tr("inq.received"),
            None,
            None,
            detail["inquiry_staff_minutes"],
            None,
        )
    ]
    rows += list(
        zip(
            events["event_at"],
            [t(f"event.{kind}", language) for kind in events["event"]],
            events["staff"],
            events["amount_jpy"],
            events["staff_minutes"],
            events["note"],
            strict=True,
        )
    )
    html = []
    for at, what, staff, amount, minutes, note in rows:
        parts = [
            f"<span class='tl-when'>{escape(when_text(at, language))}</span>",
            f"<span class='tl-what'>{escape(what)}</span>",
        ]
        if isinstance(staff, str) and staff:
            parts.append(f"<span>{escape(tr('col.staff'))}: {escape(staff)}</span>")
        if amount is not None and pd.notna(amount):
            parts.append(f"<span>{escape(yen(amount, language))}</span>")
        worked = tr("inq.worked", minutes=value_text("minutes", minutes, language))
        parts.append(f"<span>{escape(worked)}</span>")
        if isinstance(note, str) and note:
            parts.append(f"<span class='tl-note'>{escape(note)}</span>")
        html.append(f"<div class='tl-row'>{''.join(parts)}</div>")
    st.html(TIMELINE_CSS + f"<div class='tl'>{''.join(html)}</div>")


def verdicts(inquiry_id: str) -> None:
    """Each rule's verdict as a fact of this inquiry; the rule that decided the status highlighted."""
    trace = common.rule_trace(inquiry_id, as_of(), alone=True)
    lines = []
    for row in trace.to_dict("records"):
        mark, colour = VERDICT_STYLE[row["verdict"]]
        if row["rule"] == "customer_decision" and row["verdict"] == "broken":
            mark, colour = "•", "#555555"  # the customer's own choice, not a broken rule
        sentence = escape(trace_text(row, lang(), settings()))
        verdict = escape(verdict_text(row["rule"], row["verdict"], lang()))
        rule = escape(tr(f"rule.{row['rule']}"))
        style = "background:#fff4d6;border-left:.3rem solid #e0a800;" if row["decided"] else ""
        decided = f" <b>{escape(tr('inq.decided'))}</b>" if row["decided"] else ""
        if row.get("contributing"):
            decided = f" <i>{escape(tr('inq.contributing'))}</i>"
        lines.append(
            f"<li style='list-style:none;padding:.25rem .4rem;margin:.1rem 0;{style}'>"
            f"<span style='color:{colour};font-weight:700;font-size:1.15rem' aria-hidden='true'>"
            f"{mark}</span> <b>{rule}</b> "
            f"<span style='color:{colour}'>({verdict})</span>{decided}<br>{sentence}</li>"
        )
    st.html(f"<ul style='padding-left:0;margin:0'>{''.join(lines)}</ul>")


def _back_button() -> None:
    """Back where the inquiry was opened from: Today (its cards link with from=today) or the list."""
    from_today = st.query_params.get("from") == "today"
    if not st.button(tr("inq.back_today") if from_today else tr("inq.back"), key="back"):
        return
    if from_today:
        keep = {k: st.query_params[k] for k in ("lang", "as_of") if k in st.query_params}
        st.switch_page("views/today.py", query_params=keep)
    _open(None)
    st.rerun()


def detail_panel(inquiry_id: str) -> None:
    """One inquiry explained."""
    detail = common.inquiry_detail(inquiry_id, as_of(), alone=True)
    if detail is None:  # typed by hand: full-width or lower case, as the search box accepts
        folded = unicodedata.normalize("NFKC", inquiry_id).strip()
        for candidate in dict.fromkeys((folded, folded.upper())):
            found = (
                common.inquiry_detail(candidate, as_of(), alone=True)
                if candidate != inquiry_id
                else None
            )
            if found is not None:
                inquiry_id, detail = candidate, found
                break
    _back_button()
    now = work.state()
    if detail is None and inquiry_id in now.excluded:
        work.excluded_block(inquiry_id, now)
        return
    if detail is None:
        st.warning(
            tr("inq.not_found", inquiry_id=for_markdown(inquiry_id), day=common.day_label(as_of()))
        )
        return
    status = status_label(detail["status"], lang())
    st.subheader(f"{for_markdown(inquiry_id)} · {for_markdown(status)}")
    reasons = reasons_text(list(detail["reason_codes"]), lang(), settings())
    st.markdown(f"**{for_markdown(reasons)}**")
    on_lists = common.lists_of(inquiry_id, as_of())
    for name in STAFF_LISTS:  # what Today says to do with it, so a caller's urgency shows here too
        rows = on_lists[on_lists["list"] == name].drop(columns="list")
        for item in list_items(name, rows, lang(), settings(), marks=now):
            st.info(
                f"**{tr(f'list.{name}')}** — {for_markdown(item.next_step)}", icon=":material/call:"
            )
            work.item_actions(rows.iloc[0].to_dict() | {"inquiry_id": inquiry_id}, name,
                              as_of(), now, key=f"inq_{name}", card=False)  # fmt: skip
    work.inquiry_marks(inquiry_id, now, as_of(), on_lists)
    work.draft_block(detail, set(on_lists["list"]))
    if detail.get("missing_fields") is not None and len(detail["missing_fields"]):
        st.warning(tr("inq.missing", fields=missing_text(list(detail["missing_fields"]), lang())))
    left, right = st.columns(2)
    with left:
        st.markdown(f"#### {tr('inq.customer')}")
        customer_block(detail)
    with right:
        st.markdown(f"#### {tr('inq.verdicts')}")
        verdicts(inquiry_id)
    st.markdown(f"#### {tr('inq.timeline')}")
    timeline(detail)


def main() -> None:
    if empty_database_screen():
        return
    inquiry_id = _selected_inquiry()
    st.title(tr("inq.detail_title") if inquiry_id else tr("inq.title"))
    if inquiry_id:
        detail_panel(inquiry_id)
    else:
        search_panel()


main()
