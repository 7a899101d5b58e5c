"""The Settings page says where the office's settings live in an owner's words, not by a file name
(a fresh-eyes tryout: 「settings.toml」 meant nothing to a Japanese owner); the file's path sits under
the folded details."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_settings_page import office, signed_in

pytestmark = pytest.mark.slow

__all__ = ["office"]


def test_the_settings_page_names_no_file_to_the_owner(
    office: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, settings = office
    at = signed_in(db, monkeypatch, "boss")  # a Japanese owner
    at.switch_page("views/settings.py").run()
    assert not at.exception
    said = " ".join([c.value for c in at.caption] + [a.label for a in at.text_area])
    assert settings.name not in said
    assert ".toml" not in said
    assert "ダッシュボードを動かしているパソコンの「事務所の設定」に保存します。" in said
    assert "保存先：事務所の設定" in said
    [details] = [e for e in at.expander if e.label == "技術的な詳細"]
    assert f"設定ファイル: {settings}" in [t.value for t in details.text]
