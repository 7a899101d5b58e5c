"""The Data page as the office reads it: a partly quarantined load is a warning with its counts (no
green "loaded"), no text encoding or database path in the office's view (they sit in the owner's
folded details), and the quarantine table wraps its long cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import INQUIRY_COLUMNS, csv_text, dashboard, inquiry

pytestmark = pytest.mark.slow


def test_a_partly_quarantined_upload_warns_with_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3 rows, 1 with an impossible date: a warning says 2 of 3 loaded, 1 quarantined; no success."""
    db = tmp_path / "up.duckdb"
    at = dashboard(db, monkeypatch, lang="ja")
    at.switch_page("views/data.py").run()
    rows = [inquiry("U1"), inquiry("U2"), inquiry("U3", received_at="2026/02/30 10:00")]
    data = csv_text(INQUIRY_COLUMNS, rows).encode("utf-8-sig")
    at.file_uploader(key="uploads").upload("part.csv", data, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert not at.success  # nothing green beside the warning
    assert any(
        w.value.startswith(
            "読み取った3行のうち、新しく2行を登録、1行は登録せずに保留。保留の理由: part.csv 4行目"
        )
        for w in at.warning
    )
    lines = "\n".join(t.value for t in at.text)
    assert "part.csv: 問い合わせ履歴 — 3行を読み取り、2行を登録" in lines
    assert "utf-8" not in lines.split("データベースファイル")[0]  # only in the owner's details
    # the database path and the encoding only under the folded details (no accounts: owner)
    assert all(str(db) not in c.value for c in at.caption)
    [details] = [e for e in at.expander if e.label == "技術的な詳細"][:1]
    shown = "\n".join(t.value for t in details.text)
    assert f"データベースファイル: {db}" in shown
    assert "part.csv: 文字コード utf-8-sig として読み取り" in shown
    # the quarantined row's reason is in a table whose rows are tall enough to wrap
    quarantine = at.dataframe[1]
    assert len(quarantine.value) == 1
    assert quarantine.proto.row_height >= 65


def test_a_clean_upload_is_green(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything loaded: the success message, and no warning."""
    db = tmp_path / "ok.duckdb"
    at = dashboard(db, monkeypatch)
    at.switch_page("views/data.py").run()
    data = csv_text(INQUIRY_COLUMNS, [inquiry("U1")]).encode()
    at.file_uploader(key="uploads").upload("ok.csv", data, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Loaded. The dashboard now shows the new data."]
    assert not at.warning
