"""No decoded copy of customer data is left in the temp folder, whatever the outcome of a load."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest

from pipelines import readers
from pipelines.loader import load_files
from pipelines.readers import (
    FileRefused,
)
from tests.reading import HEADER


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tempfile's folder for this test only, so that anything left behind is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_no_decoded_copy_is_left_after_any_outcome(tmp_path: Path, private_tmp: Path) -> None:
    """Issue: a refused CP932 file left its whole decoded copy — customer data — in the temp folder."""
    good = tmp_path / "good.csv"
    good.write_bytes((HEADER + "Q1,2026-11-24,山田太郎\n" + "Q2,2026-11-24,x,y\n").encode("cp932"))
    refused = tmp_path / "refused.csv"
    refused.write_bytes((HEADER + "Q1,2026-11-24,山田太郎\n" * 5000).encode("cp932") + b"\x00\n")
    undecodable = tmp_path / "bad.csv"
    undecodable.write_bytes(
        (HEADER + "Q1,2026-11-24,山田太郎\n" * 5000).encode("cp932") + b"\x81\n"
    )
    db = tmp_path / "t.duckdb"
    load_files([good], db)  # loaded (through a compacted copy of the sound rows, too)
    for path in (refused, undecodable):
        with pytest.raises(FileRefused):
            load_files([good, path], db)
    with (
        mock.patch("pipelines.loader._apply_part", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        load_files([_copy(good, tmp_path / "again.csv")], db)  # interrupted while applying
    with (
        mock.patch.object(readers._RecordScan, "feed", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        load_files([_copy(good, tmp_path / "third.csv")], db)  # interrupted while decoding
    assert list(private_tmp.iterdir()) == []


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes() + b"Q3,2026-11-24,z\n")
    return dst


def test_a_scratch_folder_of_a_killed_process_is_removed(private_tmp: Path) -> None:
    """A process killed outright (no finally) leaves its folder; the next reader removes it."""
    dead = private_tmp / f"{readers._Scratch.PREFIX}999999999-abc"
    dead.mkdir()
    (dead / "1.utf8.csv").write_text("customer data", encoding="utf-8")
    scratch = readers._Scratch()
    scratch.file(".csv")
    try:
        assert not dead.exists()
        assert os.stat(scratch.path).st_mode & 0o777 == 0o700
    finally:
        scratch.close()
    assert list(private_tmp.iterdir()) == []
