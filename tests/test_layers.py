"""Which module may import which: the store knows the file, the build step the derived tables."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent / "pipelines"


def imports(relative: str) -> set[str]:
    """Every module a file imports (at any level, lazy imports included)."""
    tree = ast.parse((PIPELINES / relative).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def reaches(found: set[str], module: str) -> bool:
    return any(name == module or name.startswith(module + ".") for name in found)


def test_the_store_imports_no_derived_tables_readings_or_reader() -> None:
    found = imports("store.py")
    for module in (
        "pipelines.derived",
        "pipelines.message_facts",
        "pipelines.message_reader",
        "pipelines.build",
    ):
        assert not reaches(found, module), module


def test_settings_do_not_import_the_reader() -> None:
    assert not reaches(imports("settings.py"), "pipelines.message_reader")


def test_i18n_data_imports_only_the_readers_codes() -> None:
    found = {name for name in imports("i18n/data.py") if reaches({name}, "pipelines.readers")}
    assert found
    assert all(reaches({name}, "pipelines.readers.codes") for name in found), found


def test_the_library_never_reads_tests() -> None:
    for path in PIPELINES.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert '"tests"' not in text, path
        assert "tests/corpus" not in text, path
