"""Data: upload exports through the loader, load history, quarantined rows and orphan events."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

import pipelines
from views import common
from views.common import db_path, download_csv, tr

MAX_UPLOAD_MB = 50


def load_uploads(files: list) -> None:
    """Save uploads under their own names and load them in one all-or-nothing command."""
    too_big = [f.name for f in files if f.size > MAX_UPLOAD_MB * 1024 * 1024]
    if too_big:
        for name in too_big:
            st.error(tr("data.too_large", name=name, mb=MAX_UPLOAD_MB))
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, upload in enumerate(files):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            path = folder / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            paths.append(path)
        bar = st.progress(0.0, text=tr("data.loading"))

        def progress(name: str, done: int, total: int) -> None:
            bar.progress(
                min(done / total, 1.0) if total else 1.0, text=f"{tr('data.loading')} {name}"
            )

        try:
            result = pipelines.load_files(paths, db_path(), progress=progress, wait_seconds=30)
        except (pipelines.FileRefused, pipelines.LoadBusy) as exc:
            bar.empty()
            st.error(tr("data.refused", error=exc))
            return
        bar.empty()
    for part in result.parts:
        st.write("• " + part.summary())
    st.success(tr("data.loaded") if result.swapped else tr("data.unchanged"))


def main() -> None:
    st.title(tr("data.title"))
    files = st.file_uploader(
        tr("data.upload"), type=["csv", "xlsx"], accept_multiple_files=True, key="uploads"
    )
    if files and st.button(
        tr("data.load_button", n=len(files)), type="primary", key="load_uploads"
    ):
        load_uploads(files)
    if common.empty_database_screen():
        return
    st.subheader(tr("data.history"))
    st.dataframe(common.loads(), hide_index=True, key="loads_table")
    quarantine = common.quarantine()
    st.subheader(tr("data.quarantine", n=len(quarantine)))
    st.caption(tr("data.quarantine_help"))
    st.dataframe(quarantine, hide_index=True, key="quarantine_table")
    if len(quarantine):
        download_csv(quarantine, "quarantine.csv", "download_quarantine")
    orphans = common.orphans()
    st.subheader(tr("data.orphans", n=len(orphans)))
    st.dataframe(orphans, hide_index=True, key="orphans_table")


main()
