"""The analyst notebooks run clean against the bundled sample and match report --json."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize("name", ["business_health.ipynb", "staff_time.ipynb"])
def test_notebook_runs_clean(name: str, sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each notebook executes without error (its cells assert they match the report)."""
    # imported here, not at collection: nbformat and nbclient (and jsonschema with its grammars)
    # cost every test worker ~1.3 CPU-s, and only this slow test uses them
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("OPSDASH_DB", str(sample_db))
    monkeypatch.setenv("OPSDASH_AS_OF", "2026-11-24")
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "store notebooks without outputs"
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors


def test_audits_pass_on_the_sample(sample_db: Path) -> None:
    """The data-contract audits all return zero rows on the sample, and `check` exits 0."""
    import pipelines
    from pipelines.__main__ import main
    from pipelines.audits import run_audits

    con = pipelines.connect(sample_db)
    results = run_audits(con)
    con.close()
    assert len(results) >= 10
    assert all(r.failing_rows == 0 for r in results)
    assert main(["check", "--db", str(sample_db)]) == 0


def test_audit_catches_a_broken_contract(tmp_path: Path) -> None:
    """An audit fails, naming itself, when the data breaks the contract."""
    import pipelines
    from pipelines.audits import run_audits
    from tests.conftest import build_db, event, inquiry

    db = build_db(
        tmp_path, [inquiry("A", "2026-11-10 10:00")], [event("A", "2026-11-01 10:00", "quote_sent")]
    )
    con = pipelines.connect(db)
    failed = {r.name for r in run_audits(con) if r.failing_rows}
    con.close()
    assert failed == {"events_after_inquiry"}
