"""The office's marks on the pages: who holds an item, and one-tap claim, done, snooze, note and
not-an-inquiry (Today's cards and the inquiry page share these controls).

Who marks: the signed-in account; without accounts (a fresh install on 127.0.0.1) the operating
system's user, ``os:<user>``, as the CLI records it. A mark is written at once; the pages' cached
lists are keyed by the marks' version (views.common.cached), so the change shows on the rerun.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pipelines.office import accounts, audit, marks
from pipelines.office.marks import MarkError, MarksState
from pipelines.office.store import OfficeStoreError
from views import common
from views.common import tr

JAPAN = ZoneInfo("Asia/Tokyo")


@functools.cache
def _os_user() -> str:
    return audit.cli_user()  # the password database, once per process (not once per card)


def person() -> str:
    """Who is marking: the signed-in account's name, else the operating system's user."""
    account = common.current_user()
    return account.name if account is not None else _os_user()


def state() -> MarksState:
    """The marks in force now (read fresh on every run: a few milliseconds)."""
    return marks.state(common.db_path())


def display_name(who: str | None) -> str:
    """A holder as people read them: the account's display name, or the name as recorded."""
    if not who:
        return tr("work.unclaimed")
    if who.startswith("os:"):
        return who[3:]
    try:
        account = accounts.get_account(common.db_path(), who)
    except OfficeStoreError:  # a name is shown even when the store cannot say more
        account = None
    return account.display_name if account is not None and account.display_name else who


def _do(action, *args: object, **kwargs: object) -> None:
    """Write one mark; a refusal is shown in words, never as a traceback."""
    try:
        action(common.db_path(), *args, **kwargs)
    except MarkError as exc:
        values = {k: str(v) for k, v in exc.values.items()}
        if "holder" in values:
            values["holder"] = display_name(values["holder"])
        st.warning(tr(f"mark.err.{exc.code}", **values))
        return
    st.rerun()


def _seen(value: object) -> datetime | None:
    if value is None or value is pd.NaT or value != value:
        return None
    return pd.Timestamp(value).to_pydatetime()


def claim_button(inquiry_id: str, now: MarksState, key: str) -> None:
    """Claim; Release when mine; Take over (asked first) when someone else holds it."""
    me, holder = person(), now.holder(inquiry_id)
    if holder == me:
        if st.button(tr("work.release"), key=f"rel_{key}", icon=":material/person_remove:"):
            _do(marks.undo, inquiry_id, me, kind="claim")
    elif holder is None:
        if st.button(tr("work.claim"), key=f"clm_{key}", icon=":material/person_add:"):
            _do(marks.claim, inquiry_id, me)
    elif st.session_state.get(f"ask_{key}"):
        if st.button(
            tr("work.takeover_confirm", who=display_name(holder)),
            key=f"tko_{key}",
            type="primary",
        ):
            st.session_state.pop(f"ask_{key}", None)
            _do(marks.claim, inquiry_id, me, takeover=True)
    elif st.button(tr("work.takeover", who=display_name(holder)), key=f"ask_btn_{key}"):
        st.session_state[f"ask_{key}"] = True
        st.rerun()


def more_controls(inquiry_id: str, key: str, day: date) -> None:
    """Snooze (date picker), a note, not-an-inquiry (with a reason): each one tap after filling."""
    me = person()
    until = st.date_input(
        tr("work.snooze_until"), value=day + timedelta(days=1), min_value=day, key=f"snd_{key}"
    )
    if st.button(tr("work.snooze"), key=f"snz_{key}", icon=":material/snooze:"):
        _do(marks.snooze, inquiry_id, until, me)
    text = st.text_area(tr("work.note"), key=f"ntx_{key}", height=68, max_chars=4000)
    if st.button(tr("work.add_note"), key=f"nte_{key}", icon=":material/edit_note:"):
        _do(marks.note, inquiry_id, text, me)
    reason = st.selectbox(
        tr("work.not_inquiry_reason"),
        marks.REASONS,
        # labels worked out now: a widget's format_func may run outside this page run
        format_func={r: tr(f"work.reason.{r}") for r in marks.REASONS}.get,
        key=f"nir_{key}",
    )
    why = st.text_input(tr("work.not_inquiry_text"), key=f"nit_{key}")
    if st.button(tr("work.not_inquiry"), key=f"nin_{key}", icon=":material/block:"):
        _do(marks.not_inquiry, inquiry_id, reason, me, why)


def item_actions(
    row: dict, list_name: str, day: date, now: MarksState, key: str, card: bool = True
) -> None:
    """One list item's controls in one wrapping row: claim, done (or undo), more (card=False on the
    inquiry page, which has its own claim and more)."""
    inquiry_id = row["inquiry_id"]
    with st.container(horizontal=True, gap="small"):
        if card:
            claim_button(inquiry_id, now, key)
        if row.get("done") or pd.notna(row.get("snoozed_until")):
            if st.button(tr("work.undo"), key=f"und_{key}", icon=":material/undo:"):
                _do(marks.undo, inquiry_id, person())
        elif st.button(tr("work.done"), key=f"dne_{key}", icon=":material/check:"):
            _do(marks.done, inquiry_id, list_name, day, person(), _seen(row.get("last_event_at")))
        if card:
            # drawn only when opened: a busy day shows 200 cards, and seven controls each took
            # most of the page's time (issue 25)
            more = st.popover(
                tr("work.more"), icon=":material/more_horiz:", key=f"more_{key}", on_change="rerun"
            )
            if more.open:
                with more:
                    more_controls(inquiry_id, key, day)


def notes_block(inquiry_id: str, now: MarksState) -> None:
    """The inquiry's notes, newest first, with who and when."""
    for n in reversed(now.notes.get(inquiry_id, [])):
        st.caption(f"{display_name(n.who)} · {n.at.astimezone(JAPAN):%Y-%m-%d %H:%M}")
        st.text(n.text)


def inquiry_marks(inquiry_id: str, now: MarksState, day: date) -> None:
    """The inquiry page's marks: who holds it, claim, the other marks, and the notes."""
    holder = now.holder(inquiry_id)
    line = tr("work.held_by", who=display_name(holder)) if holder else tr("work.unclaimed")
    snoozed = now.snoozed.get(inquiry_id)
    if snoozed is not None and snoozed.day is not None and snoozed.day > day:
        line += " · " + tr("work.snoozed_until", day=common.day_label(snoozed.day))
    st.markdown(f"**{line}**")
    with st.container(horizontal=True, gap="small"):
        claim_button(inquiry_id, now, key="inq")
        if snoozed is not None and st.button(tr("work.unsnooze"), key="inq_unsnooze"):
            _do(marks.undo, inquiry_id, person(), kind="snooze")
        with st.popover(tr("work.more"), icon=":material/more_horiz:"):
            more_controls(inquiry_id, "inq", day)
    notes_block(inquiry_id, now)


def excluded_block(inquiry_id: str, now: MarksState) -> None:
    """An inquiry marked not-an-inquiry: who said so and why, and the way back."""
    mark = now.excluded[inquiry_id]
    st.warning(
        tr(
            "work.excluded",
            inquiry_id=inquiry_id,
            who=display_name(mark.who),
            reason=tr(f"work.reason.{mark.reason}"),
            text=mark.text or "—",
        )
    )
    if st.button(tr("work.undo_excluded"), key="undo_excluded", icon=":material/undo:"):
        _do(marks.undo, inquiry_id, person(), kind="not_inquiry")


def draft_block(detail: dict, lists: set[str]) -> None:
    """The reply the rules call for: language, a mailto: link that opens the mail program, the text
    to copy (the code block's copy button)."""
    from pipelines import drafts

    guessed = drafts.guess_language(detail.get("message"))
    if drafts.reason_for(detail, lists) is None:
        return
    st.markdown(f"#### {tr('work.draft')}")
    chosen = st.segmented_control(
        tr("work.draft_lang"),
        ("ja", "en"),
        default=guessed,
        format_func=lambda c: {"en": "English", "ja": "日本語"}[c],
        key="draft_lang",
    )
    draft = drafts.draft_for(detail, lists, common.settings(), lang=chosen or guessed)
    if draft is None:
        return
    st.link_button(tr("work.open_mail"), drafts.mailto(draft), icon=":material/mail:")
    if not draft.to:
        st.caption(tr("work.no_email"))
    st.code(draft.subject, language=None)
    st.code(draft.body, language=None, wrap_lines=True)


def filter_ids(day: date) -> tuple[str, ...] | None:
    """The Inquiries page's mark filters (holder, marked done, snoozed, not-an-inquiry) drawn, and the
    inquiries they keep (None: no mark filter)."""
    now = state()
    holders = sorted({m.who for m in now.holders.values()})
    holder = st.selectbox(
        tr("work.filter_holder"),
        ["", *holders],
        format_func={"": tr("inq.any"), **{w: display_name(w) for w in holders}}.get,
        key="holder_filter",
    )
    with st.container(horizontal=True):
        done = st.checkbox(tr("work.filter_done"), key="done_filter")
        snoozed = st.checkbox(tr("work.filter_snoozed"), key="snoozed_filter")
        st.checkbox(tr("work.filter_excluded"), key="excluded_filter")
    chosen: set[str] | None = None
    for wanted, found in (
        (bool(holder), {i for i, m in now.holders.items() if m.who == holder}),
        (done, {i for i, _ in now.done}),
        (snoozed, {i for i, m in now.snoozed.items() if m.day is not None and m.day > day}),
    ):
        if wanted:
            chosen = found if chosen is None else chosen & found
    return None if chosen is None else tuple(sorted(chosen))


def excluded_table(day: date) -> None:
    """The inquiries marked not-an-inquiry: who said so, why, and a link to each (undo is there)."""
    from urllib.parse import quote

    now = state()
    rows = common.inquiries_by_id(tuple(sorted(now.excluded)))
    st.caption(tr("work.excluded_count", n=len(rows)))
    if rows.empty:
        return
    link = f"?lang={common.lang()}&as_of={day.isoformat()}&inquiry="
    marks_of = [now.excluded[i] for i in rows["inquiry_id"]]
    st.dataframe(
        pd.DataFrame(
            {
                tr("inq.open"): [link + quote(str(i)) for i in rows["inquiry_id"]],
                tr("col.inquiry_id"): rows["inquiry_id"],
                tr("col.customer_name"): rows["customer_name"].fillna(""),
                tr("work.not_inquiry_reason"): [tr(f"work.reason.{m.reason}") for m in marks_of],
                tr("work.not_inquiry_text"): [m.text for m in marks_of],
                tr("work.marked_by"): [display_name(m.who) for m in marks_of],
            }
        ),
        hide_index=True,
        column_config={
            tr("inq.open"): st.column_config.LinkColumn(
                tr("inq.open"), display_text="›", width="small"
            )
        },
    )
