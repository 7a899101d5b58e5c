"""Data: load exports or a mailbox, see what each load did, what was quarantined and what waits.

Everything a user uploaded is shown as text, never as Markdown or HTML. Messages are in the chosen
language from the loader's codes (pipelines.readers REFUSALS / REASONS / SKIPS).
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import pipelines
from pipelines import store
from pipelines.audits import run_audits
from pipelines.i18n import (
    column_label,
    load_part_text,
    load_problems_text,
    mail_became_text,
    mail_reasons_text,
    refusal_text,
)
from pipelines.loader import LoadResult
from pipelines.untrusted import for_markdown
from views import common, live_mailbox, office_addresses
from views.common import db_path, download_csv, lang, tr

MAX_UPLOAD_MB = 50
# Streamlit wraps a table's text only in rows taller than 4rem: five lines of 14 px text, so a
# quarantine reason or a raw row is read whole at 1440 px instead of cut at the column's edge.
WRAPPED_ROW_PX = 100
MAILBOX_TYPES = ["mbox", "eml"]


def _save(files: list, folder: Path) -> list[Path]:
    """Uploads written under their own names (each in its own folder, so names never clash)."""
    paths = []
    folder.mkdir(parents=True, exist_ok=True)
    for index, upload in enumerate(files):
        sub = folder / str(index)
        sub.mkdir()
        path = sub / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        paths.append(path)
    return paths


def _too_big(files: list) -> bool:
    big = [f.name for f in files if f.size > MAX_UPLOAD_MB * 1024 * 1024]
    for name in big:
        st.error(tr("data.too_large", name=for_markdown(name), mb=MAX_UPLOAD_MB))
    return bool(big)


def load_paths(paths: list[Path], replace_events: bool = False) -> bool:
    """Load files in one all-or-nothing command and say what happened; True when loaded."""
    bar = st.progress(0.0, text=tr("data.loading"))

    def progress(name: str, done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{tr('data.loading')} {name}")

    before = common.inquiry_count() if store.exists(db_path()) else 0
    try:
        result = pipelines.load_files(
            paths, db_path(), progress=progress, wait_seconds=30, replace_events=replace_events
        )
    except pipelines.FileRefused as exc:
        bar.empty()
        st.error(tr("data.refused", error=for_markdown(refusal_text(exc, lang()))))
        return False
    except pipelines.LoadBusy:
        bar.empty()
        st.error(tr("data.busy"))
        return False
    except (OSError, MemoryError, pipelines.NotADatabase, pipelines.DatabaseTooNew) as exc:
        bar.empty()
        st.error(tr("data.failed", error=for_markdown(str(exc).splitlines()[0])))
        return False
    bar.empty()
    common.record(
        "load",
        {
            "files": [p.name for p in paths],
            "rows_loaded": sum(p.rows_loaded for p in result.parts),
            "swapped": result.swapped,
        },
    )
    st.text("\n".join(load_part_text(part, lang(), encoding=False) for part in result.parts))
    replaced = sum(part.rows_replaced for part in result.parts)
    if replaced:
        st.warning(tr("data.replaced", n=replaced, before=before))
    if not result.swapped:
        st.success(tr("data.unchanged"))
    elif result.problems():  # loaded, but not all of it: a warning with the counts, never green
        st.warning(loaded_with_problems_text(result), icon=":material/warning:")
    else:
        st.success(tr("data.loaded"))
    _technical_details(result.parts)
    if result.swapped:
        show_audits(clean=not result.problems())
    return True


def loaded_with_problems_text(result: LoadResult) -> str:
    """A load that left rows out, leading with what happened: already loaded, new, held back and
    why (the newest quarantined rows are this load's), events left waiting."""
    held_back = common.quarantine().head(result.rows_quarantined).to_dict("records")
    outcome = load_problems_text(result, lang(), held_back)  # file names and values: untrusted
    return tr("data.loaded_with_problems", outcome=for_markdown(outcome))


def _technical_details(parts: tuple = ()) -> None:
    """For the owner, folded: the database file and the encoding each file was read in."""
    if not office_addresses.is_owner():
        return
    with st.expander(tr("data.details"), icon=":material/info:"):
        lines = [tr("data.details_db", path=str(db_path()))]
        for part in parts:
            if part.already_loaded:
                continue
            where = part.file_name + (f" [{part.sheet}]" if part.sheet else "")
            lines.append(tr("data.details_encoding", where=where, encoding=part.encoding))
        st.text("\n".join(lines))


def show_audits(clean: bool = True) -> None:
    """Run the data-contract audits on the new database and show what fails; "no problems" only
    when the load itself left nothing out (clean)."""
    con = pipelines.connect(db_path(), common.settings())
    try:
        failed = [r for r in run_audits(con, common.as_of()) if r.failing_rows]
    finally:
        con.close()
    if not failed:
        if clean:
            st.info(tr("data.audits_ok"))
        return
    for result in failed:
        st.warning(tr(f"audit.{result.name}", n=result.failing_rows))


def upload_exports() -> None:
    """Upload inquiry and quote log exports and load them."""
    files = st.file_uploader(
        tr("data.upload"),
        type=["csv", "xlsx", "tsv", "txt"],
        accept_multiple_files=True,
        key="uploads",
    )
    replace_events = st.checkbox(
        tr("data.replace_events"), help=tr("data.replace_events_help"), key="replace_events"
    )
    if files and st.button(
        tr("data.load_button", n=len(files)), type="primary", key="load_uploads"
    ):
        if _too_big(files):
            return
        with tempfile.TemporaryDirectory() as tmp:
            load_paths(_save(files, Path(tmp)), replace_events)


def _mailbox_rules() -> object | None:
    """The [mailbox] rules, or None after saying (in the reader's language) that none are set."""
    from pipelines.mailbox import mailbox_settings_from_table
    from pipelines.settings import SettingsError
    from pipelines.sync import settings_source

    try:
        rules = mailbox_settings_from_table(common.settings().table("mailbox"), settings_source())
    except SettingsError as exc:
        st.error(tr("data.mailbox_failed", error=for_markdown(exc)))
        return None
    if not rules.office_addresses:
        st.error(tr("sync.refused.mailbox_no_office_addresses", file=settings_source()))
        return None
    return rules


def _found(result: object) -> None:
    """What a mailbox gave, in words, before anything is loaded."""
    st.info(
        tr(
            "sync.found",
            messages=result.messages,
            inquiries=result.inquiries,
            events=result.events,
            review=result.skipped,
        )
    )
    if result.event_counts:
        kinds = "、" if lang() == "ja" else ", "
        st.caption(
            tr(
                "sync.found_events",
                kinds=kinds.join(
                    tr("sync.event_count", kind=tr(f"event.{k}"), n=n)
                    for k, n in sorted(result.event_counts.items())
                ),
            )
        )


def upload_mailbox() -> None:
    """Upload a mailbox export, see its review sheet, and load the logs it makes."""
    st.caption(tr("data.mailbox_help"))
    files = st.file_uploader(
        tr("data.mailbox_upload"), type=MAILBOX_TYPES, accept_multiple_files=True, key="mailbox"
    )
    if not files or _too_big(files):
        return
    from pipelines.mailbox import MailboxError, convert_mailbox

    rules = _mailbox_rules()
    if rules is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _save(files, folder / "in")
        mbox = [p for p in paths if p.suffix.lower() == ".mbox"]
        eml = sorted({p.parent for p in paths if p.suffix.lower() == ".eml"})
        try:
            result = convert_mailbox([*mbox, *eml], folder / "out", rules)
        except MailboxError as exc:
            st.error(tr("data.mailbox_failed", error=for_markdown(exc)))
            return
        _found(result)
        review = pd.read_csv(result.review_path, dtype=str, keep_default_na=False)
        shown = pd.DataFrame(
            {
                tr("mail.col.thread"): review["thread"],
                tr("mail.col.date"): review["date"],
                tr("mail.col.from"): review["from"],
                tr("mail.col.subject"): review["subject"],
                tr("mail.col.became"): [mail_became_text(b, lang()) for b in review["became"]],
                tr("mail.col.why"): [
                    mail_reasons_text(json.loads(codes), lang()) for codes in review["why_codes"]
                ],
            }
        )
        st.subheader(tr("data.review", n=len(review)))
        st.dataframe(shown, hide_index=True, key="review_table")
        _mailbox_downloads(result, shown)
        if st.button(tr("data.load_mail_logs"), type="primary", key="load_mail_logs"):
            load_paths([result.inquiries_path, result.quotes_path])


def _mailbox_downloads(result: object, shown: pd.DataFrame) -> None:
    """The inquiry log, quote log and review sheet as CSV, and the review sheet as .xlsx."""
    downloads = (
        ("data.download_inquiry_log", result.inquiries_path, "dl_mail_inq"),
        ("data.download_quote_log", result.quotes_path, "dl_mail_quotes"),
        ("data.download_review", result.review_path, "dl_mail_review"),
    )
    columns = st.columns(4)
    for column, (label, path, key) in zip(columns, downloads, strict=False):
        column.download_button(  # deferred: served only after a click in this session
            tr(label),
            common.audited_download(
                functools.partial(bytes, data := path.read_bytes()),
                path.name,
                max(data.count(b"\n") - 1, 0),  # rows under the header
            ),
            file_name=path.name,
            mime="text/csv",
            key=key,
        )
    columns[3].download_button(
        tr("data.download_review_xlsx"),
        common.audited_download(
            functools.partial(_review_xlsx, shown, tr("mail.col.date")),
            result.review_path.with_suffix(".xlsx").name,
            len(shown),
        ),
        file_name=result.review_path.with_suffix(".xlsx").name,
        mime=common.XLSX_MIME,
        key="dl_mail_review_xlsx",
    )


def _review_xlsx(review: pd.DataFrame, date_column: str) -> bytes:
    """The mailbox review sheet as shown, for Excel: its dates as date cells, the rest as text."""
    from pipelines.xlsx import frame_xlsx

    typed = review.copy()
    # written in Japan time without an offset (pipelines.mailbox): naive date-times
    dates = pd.to_datetime(typed[date_column], errors="coerce", format="%Y-%m-%d %H:%M:%S")
    typed[date_column] = [
        d if pd.notna(d) else v for d, v in zip(dates, typed[date_column], strict=True)
    ]
    return frame_xlsx(typed, "review")


def history() -> None:
    """Load history, quarantined rows and events waiting for their inquiry, in plain words."""
    _loads_table()
    _quarantine_table()
    _orphans_table()


def _loads_table() -> None:
    """Every load: file, sheet, kind and what happened to its rows."""
    loads = common.loads()
    st.subheader(tr("data.history"))
    st.dataframe(
        pd.DataFrame(
            {
                tr("data.col.file"): loads["file_name"],
                tr("data.col.sheet"): loads["sheet"].fillna(""),
                tr("data.col.kind"): [tr(f"kind.{k}") for k in loads["kind"]],
                tr("data.col.read"): loads["rows_read"],
                tr("data.col.loaded"): loads["rows_loaded"],
                tr("data.col.replaced"): loads["rows_replaced"],
                tr("data.col.duplicate"): loads["rows_duplicate"],
                tr("data.col.quarantined"): loads["rows_quarantined"],
                tr("data.col.finished"): [common.when(v) for v in loads["finished_at"]],
            }
        ),
        hide_index=True,
        key="loads_table",
        column_config={  # a long file name wraps rather than being cut (numbers keep their width)
            tr("data.col.file"): st.column_config.TextColumn(width=260),
            tr("data.col.sheet"): st.column_config.TextColumn(width=100),
            tr("data.col.finished"): st.column_config.TextColumn(width=190),
        },
        row_height=WRAPPED_ROW_PX if loads["file_name"].str.len().max() > 32 else None,
    )


def _quarantine_table() -> None:
    """Rows that could not be read, with the reason in the reader's language; a CSV download."""
    quarantine = common.quarantine()
    st.subheader(tr("data.quarantine", n=len(quarantine)))
    st.caption(tr("data.quarantine_help"))
    table = pd.DataFrame(
        {
            tr("data.col.file"): quarantine["file_name"],
            tr("data.col.sheet"): quarantine["sheet"].fillna(""),
            tr("data.col.line"): quarantine["line"],
            tr("data.col.column"): [
                ", ".join(column_label(c.strip(), lang()) for c in str(v).split(","))
                if isinstance(v, str) and v.strip()
                else ""
                for v in quarantine["column_name"]
            ],
            tr("data.col.reason"): [
                common.quarantine_reason(code, columns, text)
                for code, columns, text in zip(
                    quarantine["reason_code"],
                    quarantine["column_name"],
                    quarantine["reason_params"],
                    strict=True,
                )
            ],
            tr("data.col.raw"): quarantine["raw"],
        }
    )
    if quarantine.empty:
        st.caption(tr("data.no_quarantine"))
    else:
        st.dataframe(
            table,
            hide_index=True,
            key="quarantine_table",
            row_height=WRAPPED_ROW_PX,  # reasons and raw rows wrap, never cut
            height=WRAPPED_ROW_PX * min(len(table), 8) + 40,  # up to 8 rows without scrolling
            column_config={  # 970 px in all: within the page at 1440 px
                tr("data.col.file"): st.column_config.TextColumn(width=150),
                tr("data.col.sheet"): st.column_config.TextColumn(width=60),
                tr("data.col.line"): st.column_config.NumberColumn(width=55),
                tr("data.col.column"): st.column_config.TextColumn(width=95),
                tr("data.col.reason"): st.column_config.TextColumn(width=340),
                tr("data.col.raw"): st.column_config.TextColumn(width=270),
            },
        )
    if len(quarantine):
        download_csv(table, "quarantine.csv", "download_quarantine")


def _orphans_table() -> None:
    """Quote-log events whose inquiry is not loaded (yet)."""
    orphans = common.orphans()
    st.subheader(tr("data.orphans", n=len(orphans)))
    if orphans.empty:
        st.caption(tr("data.no_orphans"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("col.inquiry_id"): orphans["inquiry_id"],
                tr("col.at"): [common.when(v) for v in orphans["event_at"]],
                tr("col.what"): [tr(f"event.{k}") for k in orphans["event"]],
                tr("col.staff"): orphans["staff"].fillna(""),
                tr("data.col.file"): orphans["source_file"],
                tr("data.col.line"): orphans["source_line"],
            }
        ),
        hide_index=True,
        key="orphans_table",
    )


def main() -> None:
    st.title(tr("data.title"))
    exports, mailbox = st.tabs([tr("data.tab_exports"), tr("data.tab_mailbox")])
    with exports:
        upload_exports()
    with mailbox:
        if office_addresses.is_owner():
            office_addresses.show()
        upload_mailbox()
        live_mailbox.show()
    if common.empty_database_screen():
        return
    history()
    _technical_details()


main()
