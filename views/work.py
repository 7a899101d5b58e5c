"""The office's marks on the pages: who holds an item, and one-tap claim, done, snooze, note and
not-an-inquiry (Today's cards and the inquiry page share these controls).

Who marks: the signed-in account; without accounts (a fresh install on 127.0.0.1) the operating
system's user, ``os:<user>``, as the CLI records it, shown to people as "this computer" (the page
serves this computer only, and the OS user — often root or a shared login — names nobody). A mark is
written at once; the pages' cached lists are keyed by the marks' version (views.common.cached), so the
change shows on the rerun.

On a phone a card's controls are one row that fits 390 px: claim (or release, or take over), done,
snooze to the next business day (the common snooze: one tap), and More (a snooze to another day, a
note, not-an-inquiry: rarer, and each needs something filled in first; on a card one group at a time,
so the panel fits the phone's screen).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pipelines.calendar import next_business_day
from pipelines.i18n import STRINGS, WEEKDAYS
from pipelines.office import accounts, audit, marks
from pipelines.office.marks import MarkError, MarksState
from pipelines.office.store import OfficeStoreError
from pipelines.periods import stamp_text
from pipelines.worklist import holder_text
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
    if who.startswith("os:"):  # made on this computer without an account: "this computer"
        return holder_text(who, common.lang())
    try:
        account = accounts.get_account(common.db_path(), who)
    except OfficeStoreError:  # a name is shown even when the store cannot say more
        account = None
    names = {who: account.display_name} if account is not None else {}
    return holder_text(who, common.lang(), names)


# Today draws each list's first cards, and "show more" adds a batch (docs/today-cards.md says why)
FIRST_CARDS = 5
MORE_CARDS = 10
MARKED = "cards_marked"  # inquiries marked since the page's last full run (their cards re-read)
CARDS = "cards_on_page"  # inquiry -> the lists whose cards of it the page drew since its full run
RERUN_APP = "cards_rerun_app"  # a tap changed a mark every card of an inquiry with 2+ cards shows


def _refusal(exc: MarkError) -> str:
    """A refused mark in the page's words (the holder by name; no CLI flags)."""
    values = {k: str(v) for k, v in exc.values.items()}
    if "holder" in values:
        values["holder"] = display_name(values["holder"])
    page_key = f"work.err.{exc.code}"  # the page's own wording where the CLI's names a flag
    return tr(page_key if page_key in STRINGS else f"mark.err.{exc.code}", **values)


def _mark(key: str, action, inquiry_id: str, *args: object, **kwargs: object) -> None:
    """A control's callback: write one mark before the (card's) rerun; a refusal is kept for the
    card to show in words, never as a traceback."""
    try:
        mark = action(common.db_path(), inquiry_id, *args, **kwargs)
    except MarkError as exc:
        st.session_state[f"err_{key}"] = _refusal(exc)
        return
    _marked(mark)


def _marked(mark: marks.Mark) -> None:
    """After a mark: its inquiry's cards re-read their marks; when the mark is one every card of the
    inquiry shows (marks.EVERY_CARD; an undo counts as the kind it takes back) and the page drew
    more than one card of it, the whole page reruns, else the tapped card alone (issue 25)."""
    st.session_state.setdefault(MARKED, set()).add(mark.inquiry_id)
    kind = mark.text if mark.kind == "undo" else mark.kind  # an undo records the kind it took back
    cards = st.session_state.get(CARDS, {}).get(mark.inquiry_id, ())
    if kind in marks.EVERY_CARD and len(cards) > 1:
        st.session_state[RERUN_APP] = True


def drew_card(inquiry_id: str, list_name: str) -> None:
    """Note that the page drew a card of the inquiry on this list (see _marked)."""
    st.session_state.setdefault(CARDS, {}).setdefault(inquiry_id, set()).add(list_name)


def refusal(key: str) -> None:
    """The refusal a control of this card (or page) met on its last tap, if any."""
    refused = st.session_state.pop(f"err_{key}", None)
    if refused:
        st.warning(refused)


def _seen(value: object) -> datetime | None:
    if value is None or value is pd.NaT or value != value:
        return None
    return pd.Timestamp(value).to_pydatetime()


def _naive(value: object) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


def refreshed(row: dict, list_name: str, day: date) -> tuple[dict, MarksState]:
    """A list row with its inquiry's marks re-read now (done as the lists' SQL decides it, snoozed
    until a day after day), and those marks: a card redrawn alone after a tap."""
    inquiry_id = row["inquiry_id"]
    now = marks.state(common.db_path(), inquiry_id)
    last = row.get("last_event_at")
    last = None if last is None or last is pd.NaT or last != last else _naive(last)
    done = any(
        m.day is not None
        and m.day <= day
        and (last is None or (m.seen_event_at is not None and last <= _naive(m.seen_event_at)))
        for m in now.done.get((inquiry_id, list_name), [])
    )
    snooze = now.snoozed.get(inquiry_id)
    until = snooze.day if snooze is not None and snooze.day and snooze.day > day else None
    return {**row, "done": done, "snoozed_until": until}, now


def claim_button(inquiry_id: str, now: MarksState, key: str, short: bool = False) -> None:
    """Claim; Release when mine; Take over (asked first) when someone else holds it (short: the
    card's words, the full ones as tooltips)."""
    me, holder = person(), now.holder(inquiry_id)
    if holder == me:
        st.button(
            tr("work.card.release") if short else tr("work.release"),
            key=f"rel_{key}",
            icon=":material/person_remove:",
            help=tr("work.card.release_help") if short else None,
            on_click=_mark,
            args=(key, marks.undo, inquiry_id, me),
            kwargs={"kind": "claim"},
        )
    elif holder is None:
        st.button(
            tr("work.card.claim") if short else tr("work.claim"),
            key=f"clm_{key}",
            icon=":material/person_add:",
            on_click=_mark,
            args=(key, marks.claim, inquiry_id, me),
        )
    elif st.session_state.get(f"ask_{key}"):
        st.button(
            tr("work.takeover_confirm", who=display_name(holder)),
            key=f"tko_{key}",
            type="primary",
            on_click=_take_over,
            args=(key, inquiry_id, me),
        )
    else:
        st.button(
            tr("work.takeover", who=display_name(holder)),
            key=f"ask_btn_{key}",
            on_click=st.session_state.__setitem__,
            args=(f"ask_{key}", True),
        )


def _take_over(key: str, inquiry_id: str, me: str) -> None:
    st.session_state.pop(f"ask_{key}", None)
    _mark(key, marks.claim, inquiry_id, me, takeover=True)


def snooze_next_button(inquiry_id: str, day: date, key: str) -> None:
    """One tap: snooze until the next business day (its weekday on the button, the date as tooltip)."""
    until = next_business_day(day, common.settings())
    short = (
        tr("work.day_short", weekday=WEEKDAYS[common.lang()][until.weekday()])
        if (until - day).days < 7
        else f"{until.month}/{until.day}"
    )
    st.button(
        tr("work.snooze_next", day=short),
        key=f"snx_{key}",
        icon=":material/snooze:",
        help=tr("work.snooze_next_help", day=common.day_label(until)),
        on_click=_mark,
        args=(key, marks.snooze, inquiry_id, until, person()),
    )


def _save_note(inquiry_id: str, key: str, who: str) -> None:
    """The note button's callback: save the note, then empty the box for the next one (a box can be
    emptied only before it is drawn, hence a callback); a refusal is kept to be shown in words."""
    try:
        mark = marks.note(common.db_path(), inquiry_id, st.session_state.get(f"ntx_{key}", ""), who)
    except MarkError as exc:
        st.session_state[f"nte_err_{key}"] = _refusal(exc)
        return
    _marked(mark)
    st.session_state[f"ntx_{key}"] = ""


def _snooze_to(key: str, inquiry_id: str, who: str) -> None:
    _mark(key, marks.snooze, inquiry_id, st.session_state[f"snd_{key}"], who)


def _not_inquiry(key: str, inquiry_id: str, who: str) -> None:
    reason, why = st.session_state[f"nir_{key}"], st.session_state.get(f"nit_{key}", "")
    _mark(key, marks.not_inquiry, inquiry_id, reason, who, why)


MORE = ("note", "snooze", "not_inquiry")  # a card's More: one of these at a time (fits a phone)


def card_more(
    inquiry_id: str, key: str, day: date, state: str | None, due: tuple[str, dict] | None = None
) -> None:
    """A card's More panel, short enough for a 390 px phone: what the card is now (snoozed until,
    done), then a choice of one control group at a time (a note first); due: the card's list and
    row, for the snooze's warning when the day picked is past the item's deadline."""
    if state:
        st.caption(state[:1].upper() + state[1:])  # "done" as a line of its own: "Done"
    pick = st.segmented_control(
        tr("work.more_pick"),
        MORE,
        default="note",
        required=True,
        format_func={m: tr(f"work.more_pick.{m}") for m in MORE}.get,
        label_visibility="collapsed",
        key=f"mpk_{key}",
    )
    more_controls(inquiry_id, key, day, only=pick or "note", due=due)


def more_controls(
    inquiry_id: str,
    key: str,
    day: date,
    only: str | None = None,
    due: tuple[str, dict] | None = None,
) -> None:
    """Snooze to another day (date picker), a note, not-an-inquiry (with a reason): each one tap
    after filling (only: just that group). The note box empties once the note is saved."""
    me = person()
    if only in (None, "snooze"):
        _snooze_controls(inquiry_id, key, day, me, due)
    if only in (None, "note"):
        _note_controls(inquiry_id, key, me)
    if only in (None, "not_inquiry"):
        _not_inquiry_controls(inquiry_id, key, me)


def _snooze_controls(
    inquiry_id: str, key: str, day: date, me: str, due: tuple[str, dict] | None
) -> None:
    until = st.date_input(
        tr("work.snooze_other"),
        value=next_business_day(day, common.settings()),
        min_value=day,
        key=f"snd_{key}",
    )
    deadline = marks.snooze_deadline(*due, until) if due and isinstance(until, date) else None
    if deadline is not None:  # offered all the same: the staff may know better (a call moved)
        st.warning(
            tr(
                "work.snooze_past_deadline",
                deadline=common.day_label(deadline),
                until=common.day_label(until),
            ),
            icon=":material/event_busy:",
        )
    st.button(
        tr("work.snooze"),
        key=f"snz_{key}",
        icon=":material/snooze:",
        on_click=_snooze_to,
        args=(key, inquiry_id, me),
    )


def _note_controls(inquiry_id: str, key: str, me: str) -> None:
    st.text_area(tr("work.note"), key=f"ntx_{key}", height=68, max_chars=marks.NOTE_MAX_CHARS)
    st.button(
        tr("work.add_note"),
        key=f"nte_{key}",
        icon=":material/edit_note:",
        on_click=_save_note,
        args=(inquiry_id, key, me),
    )
    refused = st.session_state.pop(f"nte_err_{key}", None)
    if refused:
        st.warning(refused)


def _not_inquiry_controls(inquiry_id: str, key: str, me: str) -> None:
    st.selectbox(
        tr("work.not_inquiry_reason"),
        marks.REASONS,
        # labels worked out now: a widget's format_func may run outside this page run
        format_func={r: tr(f"work.reason.{r}") for r in marks.REASONS}.get,
        key=f"nir_{key}",
    )
    st.text_input(tr("work.not_inquiry_text"), key=f"nit_{key}")
    st.button(
        tr("work.not_inquiry"),
        key=f"nin_{key}",
        icon=":material/block:",
        on_click=_not_inquiry,
        args=(key, inquiry_id, me),
    )


def put_away(row: dict, now: MarksState) -> bool:
    """Whether a list row is off its list for now: done, snoozed or not an inquiry."""
    return bool(
        row.get("done") or pd.notna(row.get("snoozed_until")) or row["inquiry_id"] in now.excluded
    )


def _state_line(row: dict, now: MarksState) -> str | None:
    """What a put-away card is, in words: snoozed until a day, done, or not an inquiry."""
    if pd.notna(row.get("snoozed_until")):
        return tr(
            "work.snoozed_until", day=common.day_label(pd.Timestamp(row["snoozed_until"]).date())
        )
    if row.get("done"):
        return tr("work.state_done")
    if row["inquiry_id"] in now.excluded:
        return tr("work.filter_excluded")
    return None


def _undo_button(row: dict, list_name: str, now: MarksState, key: str) -> None:
    """A put-away card's Undo: it takes back what put the card away (this list's done mark, the
    snooze or the not-an-inquiry mark: marks.away_mark), and says which; never a note."""
    inquiry_id = row["inquiry_id"]
    snoozed = pd.notna(row.get("snoozed_until"))
    mark = marks.away_mark(now, inquiry_id, list_name, bool(row.get("done")), snoozed)
    kind = mark.kind if mark is not None else "done"  # done as the lists' SQL read it: this list's
    helped = None
    if mark is not None:
        day = common.day_label(mark.day) if mark.day else ""
        helped = tr(f"work.undo_help.{kind}", who=display_name(mark.who), day=day)
    st.button(
        tr(f"work.undo.{kind}"),
        key=f"und_{key}",
        icon=":material/undo:",
        help=helped,
        on_click=_mark,
        args=(key, marks.undo, inquiry_id, person()),
        kwargs={"kind": kind, "list_name": list_name if kind == "done" else None},
    )


def one_tap_snooze(row: dict, list_name: str, day: date) -> bool:
    """Whether a card offers the one-tap snooze to the next business day: not when that would hide
    the item past its deadline (marks.snooze_deadline; More's snooze still offers it, warned)."""
    until = next_business_day(day, common.settings())
    return marks.snooze_deadline(list_name, row, until) is None


def item_actions(
    row: dict, list_name: str, day: date, now: MarksState, key: str, card: bool = True
) -> None:
    """One list item's controls in one row that fits a phone: claim, done (or undo), snooze to the
    next business day, more (card=False on the inquiry page, which has its own claim and more)."""
    inquiry_id = row["inquiry_id"]
    away = put_away(row, now)
    me = person()
    # one row that never wraps (views.style: .st-key-acts_…): it scrolls sideways if a long name
    # in "Take over from …" makes it wider than a phone
    with st.container(horizontal=True, gap="small", wrap=False, key=f"acts_{key}"):
        if card:
            claim_button(inquiry_id, now, key, short=True)
        if away:
            _undo_button(row, list_name, now, key)
        else:
            st.button(
                tr("work.card.done") if card else tr("work.done"),
                key=f"dne_{key}",
                icon=":material/check:",
                help=tr("work.card.done_help"),
                on_click=_mark,
                args=(key, marks.done, inquiry_id, list_name, day, me),
                kwargs={"seen_event_at": _seen(row.get("last_event_at"))},
            )
        if (
            card
            and not away
            and now.holder(inquiry_id) in (None, me)
            and one_tap_snooze(row, list_name, day)
        ):
            # someone else's item: snoozing it is theirs to decide (More still offers it), and
            # "Take over from …" needs the room; an item due before the next business day would
            # be hidden past its deadline (More offers it with a warning)
            snooze_next_button(inquiry_id, day, key)
        if card:
            # drawn only when opened: seven controls on each of ~200 cards took most of the
            # page's time (issue 25); icon only on screen (views.style hides the
            # word but keeps it as the button's accessible name), so the row fits a phone
            more = st.popover(
                tr("work.more"),  # the button's name for screen readers, hidden on screen
                icon=":material/more_horiz:",
                help=tr("work.more"),
                key=f"mor_{key}",
                on_change="rerun",
            )
            if more.open:
                with more:
                    card_more(inquiry_id, key, day, _state_line(row, now), (list_name, row))
    refusal(key)


def notes_block(inquiry_id: str, now: MarksState) -> None:
    """The inquiry's notes, newest first, with who and when."""
    for n in reversed(now.notes.get(inquiry_id, [])):
        st.caption(f"{display_name(n.who)} · {stamp_text(n.at.astimezone(JAPAN), common.lang())}")
        st.text(n.text)


def inquiry_marks(
    inquiry_id: str, now: MarksState, day: date, on_lists: pd.DataFrame | None = None
) -> None:
    """The inquiry page's marks: who holds it, claim, the other marks, and the notes; the one-tap
    snooze only when it hides the inquiry past none of its lists' deadlines (on_lists: its rows of
    the staff lists, api.lists_of)."""
    holder = now.holder(inquiry_id)
    line = tr("work.held_by", who=display_name(holder)) if holder else tr("work.unclaimed")
    snoozed = now.snoozed.get(inquiry_id)
    if snoozed is not None and snoozed.day is not None and snoozed.day > day:
        line += " · " + tr("work.snoozed_until", day=common.day_label(snoozed.day))
    st.markdown(f"**{line}**")
    with st.container(horizontal=True, gap="small"):
        claim_button(inquiry_id, now, key="inq")
        if snoozed is not None:
            st.button(
                tr("work.unsnooze"),
                key="inq_unsnooze",
                on_click=_mark,
                args=("inq", marks.undo, inquiry_id, person()),
                kwargs={"kind": "snooze"},
            )
        rows = [] if on_lists is None else on_lists.to_dict("records")
        if snoozed is None and all(one_tap_snooze(r, r["list"], day) for r in rows):
            snooze_next_button(inquiry_id, day, key="inq")
        with st.popover(tr("work.more"), icon=":material/more_horiz:"):
            more_controls(inquiry_id, "inq", day)
    refusal("inq")
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
    st.button(
        tr("work.undo_excluded"),
        key="undo_excluded",
        icon=":material/undo:",
        on_click=_mark,
        args=("excluded", marks.undo, inquiry_id, person()),
        kwargs={"kind": "not_inquiry"},
    )
    refusal("excluded")


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
