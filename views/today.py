"""Today (staff): the day's work queue — the seven staff lists as cards, each with the next step
and the office's marks (who holds it; claim, done, snooze, note, not-an-inquiry)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape
from urllib.parse import quote

import pandas as pd
import streamlit as st

import pipelines
from pipelines.office.marks import MarksState
from pipelines.queries import with_details
from pipelines.settings import Settings
from pipelines.vocabulary import STAFF_LIST_BY_NAME, STAFF_LISTS
from pipelines.worklist import (
    OLD_OVERDUE_DAYS,
    WorkItem,
    list_items,
    marked_off,
    queue_file,
    quote_due_groups,
    upcoming_calendar,
    visible,
)
from views import common, work
from views.common import as_of, empty_database_screen, lang, settings, tr

FIRST_CARDS, MORE_CARDS = work.FIRST_CARDS, work.MORE_CARDS  # cards first, and per "show more"
CARD_CSS = """
<style>
.wq-list { display: flex; flex-direction: column; gap: .5rem; margin: 0 0 1rem 0; }
.wq-card { border: 1px solid #d0d4dc; border-radius: .5rem; padding: .6rem .8rem; background: #fff; }
.wq-card.overdue { border-left: .35rem solid #c62828; }
.wq-card.grey { opacity: .55; background: #f3f3f3; }
.wq-holder { font-weight: 600; color: #444; }
.wq-top { display: flex; flex-wrap: wrap; gap: .2rem .8rem; align-items: baseline; }
.wq-name { font-weight: 600; font-size: 1.05rem; }
.wq-id { color: #555; font-size: .85rem; }
.wq-step { margin: .3rem 0; font-weight: 600; color: #1a3d7c; }
.wq-meta { display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .9rem; color: #333; }
.wq-msg { font-size: .88rem; color: #555; margin-top: .25rem; overflow-wrap: anywhere; }
.wq-card a { display: inline-block; padding: .15rem 0; }
.wq-day { font-weight: 600; margin: .6rem 0 .2rem 0; }
.wq-counts { display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 .5rem 0; }
.wq-count { border: 1px solid #d0d4dc; border-radius: 1rem; padding: .25rem .75rem;
            text-decoration: none; color: #222; background: #f7f8fa; }
.wq-count b { font-size: 1.1rem; margin-left: .3rem; }
.wq-count.busy { border-color: #1a3d7c; background: #eef3fb; }
</style>
"""


def _link_to_inquiry(inquiry_id: str) -> str:
    params = f"inquiry={quote(inquiry_id)}&lang={lang()}&as_of={as_of().isoformat()}&from=today"
    return f"./inquiries?{params}"


def card(item: WorkItem, grey: bool = False, excluded: bool = False) -> str:
    """One list item as an HTML card (every value escaped: customer text is never markup), with who
    holds it; grey when done or snoozed (or just marked not an inquiry: excluded)."""
    phone = (
        f'<a href="tel:{escape(item.target_phone)}">{escape(item.target_phone)}</a>'
        if item.target_phone
        else escape(tr("blank.phone"))
    )
    email = (
        f'<a href="mailto:{escape(item.customer_email)}">{escape(item.customer_email)}</a>'
        if item.customer_email
        else ""
    )
    meta = [
        f"{escape(tr('col.target_phone'))}: {phone}",
        f"{escape(tr('col.requested_for'))}: {escape(item.requested_for)}",
    ]
    if item.service:
        meta.append(escape(item.service))
    if email:
        meta.append(email)
    if item.quoted_amount_jpy is not None:
        staff = (
            escape(tr("today.quote_staff", staff=item.latest_quote_staff))
            if item.latest_quote_staff
            else ""
        )
        meta.append(f"{escape(tr('col.quote'))}: {escape(item.quoted_amount)}{staff}")
    if item.staff_attributes:
        meta.append(
            f"{escape(tr('col.staff_request'))}: {escape('、'.join(item.staff_attributes))}"
        )
    message = (
        f'<div class="wq-msg">{escape(item.message_excerpt)}</div>' if item.message_excerpt else ""
    )
    holder = (
        tr("work.held_by", who=work.display_name(item.holder))
        if item.holder
        else tr("work.unclaimed")
    )
    if item.snoozed_until:
        holder += " · " + tr("work.snoozed_until", day=common.day_label(item.snoozed_until))
    if item.done:
        holder += " · " + tr("work.state_done")
    if excluded:
        holder += " · " + tr("work.state_excluded")
    if item.notes:
        holder += " · " + tr("work.notes", n=len(item.notes))
    meta.insert(0, f'<span class="wq-holder">{escape(holder)}</span>')
    overdue = " overdue" if item.overdue else ""
    overdue += " grey" if grey else ""
    return (
        f'<div class="wq-card{overdue}"><div class="wq-top">'
        f'<span class="wq-name">{escape(item.customer_name)}</span>'
        f'<a class="wq-id" href="{_link_to_inquiry(item.inquiry_id)}" target="_self">'
        f"{escape(item.inquiry_id)} ›</a></div>"
        f'<div class="wq-step">→ {escape(item.next_step)}</div>'
        f'<div class="wq-meta">{"".join(f"<span>{m}</span>" for m in meta)}</div>{message}</div>'
    )


def _detailed(rows: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """List rows (without customer details) with their details: those read for the whole page
    (details), and any others read now."""
    known = set(details["inquiry_id"])
    missing = tuple(dict.fromkeys(i for i in rows["inquiry_id"] if i not in known))
    if missing:
        details = pd.concat([details, common.list_details(missing)], ignore_index=True)
    return rows.merge(details, on="inquiry_id", how="left")


def _cards(
    name: str, rows: pd.DataFrame, day: date, now: MarksState, grey: bool, details: pd.DataFrame
) -> None:
    """Cards one by one, each with its controls (claim, done, more) right under it."""
    rows = _detailed(rows, details)
    items = list_items(name, rows, lang(), settings(), marks=now)
    records = rows.to_dict("records")
    by_day = STAFF_LIST_BY_NAME[name].by_day
    per_day = rows["requested_date"].value_counts() if by_day else None
    shown_day = None
    for item, row in zip(items, records, strict=False):
        if by_day and item.requested_date != shown_day:
            shown_day = item.requested_date
            n = int(per_day.get(pd.Timestamp(shown_day), 1))
            count = f"（{n}）" if lang() == "ja" else f" ({n})"
            st.html(f'<div class="wq-day">{escape(common.day_label(shown_day))}{count}</div>')
        _card(name, item, row, day, now, grey)


@st.fragment
def _card(name: str, item: WorkItem, row: dict, day: date, now: MarksState, grey: bool) -> None:
    """One card and its controls, redrawn alone when one of them is tapped (issue 25): the mark is
    written by the control's callback, then only this card re-reads its inquiry's marks. A done or
    snoozed card greys in place (Undo at hand); the counts and the fold follow on the next full run.
    A mark every card of the inquiry shows (claim, snooze, note, not an inquiry), tapped when the
    page shows more than one card of it, reruns the whole page instead (views.work._marked)."""
    if st.session_state.pop(work.RERUN_APP, False):
        st.rerun(scope="app")
    work.drew_card(item.inquiry_id, name)
    if item.inquiry_id in st.session_state.get(work.MARKED, ()):
        row, now = work.refreshed(row, name, day)
        item = replace(
            item,
            holder=now.holder(item.inquiry_id),
            done=bool(row["done"]),
            snoozed_until=row["snoozed_until"],
            notes=tuple(
                {"who": n.who, "at": n.at.isoformat(), "text": n.text}
                for n in now.notes.get(item.inquiry_id, [])
            ),
        )
        grey = grey or work.put_away(row, now)
    excluded = item.inquiry_id in now.excluded  # marked in this run: gone on the next full run
    st.html(card(item, grey=grey, excluded=excluded))  # the style comes once, with the counts above
    work.item_actions(row, name, day, now, key=f"{name}_{item.inquiry_id}")


def my_work(rows: pd.DataFrame, now: MarksState) -> pd.DataFrame:
    """My work: the list's items I hold or nobody holds."""
    me = work.person()
    # a boolean Series, not a list: an empty list would select no columns of an empty list
    return rows[rows["inquiry_id"].map(lambda i: now.holder(i) in (None, me)).astype(bool)]


Parts = tuple[int, pd.DataFrame, pd.DataFrame, pd.DataFrame]


def _parts(name: str, rows: pd.DataFrame) -> Parts:
    """A list's items in the order they are drawn: (how many are not done or snoozed, the cards,
    the months-old overdue quotes folded below them, the done and snoozed items)."""
    off = marked_off(rows)
    rows, put_away = rows[~off], rows[off]
    total = len(rows)
    old = rows.iloc[0:0]
    if name == "quote_due":  # due today first, then overdue; months-old ones folded below
        due_today, overdue, old = quote_due_groups(rows)
        rows = pd.concat([due_today, overdue], ignore_index=True)
    return total, rows, old, put_away


def _limit(name: str, part: str, total: int) -> int:
    """How many cards of a list's part (cards, old, done) this run draws: the first batch, and
    one more batch for each tap of its "show more"."""
    return min(total, st.session_state.get(f"n_{name}_{part}", FIRST_CARDS))


def _show_more(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, FIRST_CARDS) + MORE_CARDS


def _drawn_ids(parts: dict[str, Parts]) -> tuple[str, ...]:
    """The inquiries whose cards this run draws, as show_list picks them (the batches and the
    folds as the session holds them): their details are read in one query for the page."""
    ids: list[str] = []
    for name in STAFF_LISTS:
        _total, rows, old, put_away = parts[name]
        drawn = [("cards", rows)]
        if st.session_state.get(f"old_{name}"):  # the fold's cards are drawn when it is open
            drawn.append(("old", old))
        if st.session_state.get("show_done"):
            drawn.append(("done", put_away))
        for part, frame in drawn:
            ids += list(frame.head(_limit(name, part, len(frame)))["inquiry_id"])
    return tuple(dict.fromkeys(ids))


def _batch(
    name: str, part: str, rows: pd.DataFrame, day: date, now: MarksState, details: pd.DataFrame
) -> None:
    """A part's first cards, then (when more wait) how many are shown and a button for the next
    batch: a staff member works the top of a list, and every card drawn costs the page (issue 25)."""
    limit = _limit(name, part, len(rows))
    _cards(name, rows.head(limit), day, now, part == "done", details)
    if limit < len(rows):
        st.caption(tr("today.showing_first", n=limit, total=len(rows)))
        st.button(
            tr("today.show_more", n=min(MORE_CARDS, len(rows) - limit)),
            key=f"more_{name}_{part}",
            icon=":material/expand_more:",
            type="tertiary",
            on_click=_show_more,
            args=(f"n_{name}_{part}",),
        )


@st.fragment
def show_list(name: str, parts: Parts, day: date, now: MarksState, details: pd.DataFrame) -> None:
    """One list: heading with its count, what it is, then its first cards (grouped by day when
    upcoming) and "show more"; the months-old overdue quotes and the done and snoozed items under
    folds. A fragment: "show more" or a fold redraws this list, not the page.

    Only the cards on show are worded and drawn: a busy day has thousands of items. Their details
    come from details (read once for the page), any others are read here.
    """
    total, rows, old, put_away = parts
    st.subheader(f"{tr(f'list.{name}')} ({total})", anchor=name)
    st.caption(tr(f"list.{name}.help"))
    if not total:
        st.info(tr(f"list.empty.{name}"))
    if len(rows):
        _batch(name, "cards", rows, day, now, details)
    if len(old):
        label = tr("today.old_overdue", days=OLD_OVERDUE_DAYS, n=len(old))
        fold = st.expander(label, icon=":material/history:", key=f"old_{name}", on_change="rerun")
        if fold.open:  # drawn only when opened
            with fold:
                st.caption(tr("today.old_overdue_help"))
                _batch(name, "old", old, day, now, details)
    if len(put_away) and st.session_state.get("show_done"):
        with st.expander(tr("work.done_fold", n=len(put_away))):
            _batch(name, "done", put_away, day, now, details)


def _queue(kind: str, include_marked: bool):
    """The work queue file builder of a download button: with the office's marks (who holds each
    item, the notes; the done and snoozed items when the page shows them)."""
    db = common.db_path()

    def make(lists: dict[str, pd.DataFrame], lang: str, settings: Settings) -> bytes:
        return queue_file(lists, db, lang, settings, kind, include_marked)

    return make


def _upcoming_ics(rows: pd.DataFrame, day: date, lang: str, settings: Settings) -> bytes:
    return upcoming_calendar(list_items("upcoming", rows, lang, settings), day, lang)


def _made_later(make, lists: dict[str, pd.DataFrame], *args: object):
    """A file builder for a download button: the details are read when it is pressed."""
    held = common.session_connection()

    def run() -> bytes:
        with common.query_cursor(held) as con:
            full = {name: with_details(con, rows) for name, rows in lists.items()}
        return make(full, *args)

    return run


def main() -> None:
    if empty_database_screen():
        return
    day = as_of()
    title = tr("today.title")
    if day != pipelines.today_in_japan():
        title = tr("today.title_for", day=common.day_label(day))
    st.title(title)
    lists = common.staff_list_rows(day)  # without details: the cards shown fetch theirs
    now = work.state()
    st.session_state[work.MARKED] = set()  # every card reads the marks of this run
    st.session_state[work.CARDS] = {}  # the cards this run draws (views.work.drew_card)
    st.session_state.pop(work.RERUN_APP, None)
    with st.container(horizontal=True):
        mine = st.toggle(tr("work.my_work"), key="my_work", help=tr("work.my_work_help"))
        st.toggle(tr("work.show_done"), key="show_done")
    # the chips and the lists count the same items (the downloads keep every list whole)
    parts = {
        name: _parts(name, my_work(lists[name], now) if mine else lists[name])
        for name in STAFF_LISTS
    }
    chips = "".join(  # each list's count: its items not done or snoozed
        f'<a class="wq-count{" busy" if parts[name][0] else ""}" href="#{name}" '
        f'target="_self">{escape(tr(f"list.{name}"))}<b>{parts[name][0]}</b></a>'
        for name in STAFF_LISTS
    )
    st.html(CARD_CSS + f'<nav class="wq-counts" aria-label="lists">{chips}</nav>')
    details = common.list_details(_drawn_ids(parts))  # one query for every card drawn
    for name in STAFF_LISTS:
        show_list(name, parts[name], day, now, details)
    download_buttons(lists, day)


def download_buttons(lists: dict[str, pd.DataFrame], day: date) -> None:
    """The work queue as CSV and .xlsx and the upcoming calls as a calendar; each file is made, with
    the customers' details, when its button is pressed (outside the script run)."""
    left, middle, right = st.columns(3)
    # the files hold what the lists show: done and snoozed items when "show done" is on (today --all)
    include_marked = bool(st.session_state.get("show_done"))
    rows = sum(len(visible(lists[name], include_marked)) for name in STAFF_LISTS)
    left.download_button(
        tr("today.download_csv"),
        common.audited_download(
            _made_later(_queue("csv", include_marked), lists, lang(), settings()),
            f"work_queue_{day}.csv",
            rows,
        ),
        file_name=f"work_queue_{day}.csv",
        mime="text/csv",
        key="download_queue",
    )
    middle.download_button(
        tr("today.download_xlsx"),
        common.audited_download(
            _made_later(_queue("xlsx", include_marked), lists, lang(), settings()),
            f"work_queue_{day}.xlsx",
            rows,
        ),
        file_name=f"work_queue_{day}.xlsx",
        mime=common.XLSX_MIME,
        key="download_queue_xlsx",
    )
    right.download_button(
        tr("today.download_ics"),
        common.audited_download(
            _made_later(
                lambda full, *a: _upcoming_ics(full["upcoming"], *a),
                {"upcoming": lists["upcoming"]},
                day,
                lang(),
                settings(),
            ),
            f"upcoming_calls_{day}.ics",
            len(lists["upcoming"]),
        ),
        file_name=f"upcoming_calls_{day}.ics",
        mime="text/calendar",
        key="download_ics",
    )


main()
