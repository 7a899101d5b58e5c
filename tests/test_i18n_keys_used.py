"""Every i18n key is used somewhere: by name, or by a prefix the code completes (f"status.{s}")."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.i18n import STRINGS

ROOT = Path(__file__).resolve().parent.parent
# The dictionaries themselves name every key; the code that reads them is everything else.
DICTIONARIES = {
    "cli.py",
    "data.py",
    "domain.py",
    "owner.py",
    "ui.py",
    "sync.py",
    "notify.py",
    "trail.py",
}


def _code() -> str:
    files = [ROOT / "dashboard.py"]
    for folder in ("pipelines", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            if not (path.parent.name == "i18n" and path.name in DICTIONARIES):
                files.append(path)
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_key_is_used() -> None:
    code = _code()
    prefixes = set(re.findall(r"""f["']([a-z_]+(?:\.[a-z_]+)*\.)\{""", code))
    unused = [
        key
        for key in STRINGS
        if f'"{key}"' not in code
        and f"'{key}'" not in code
        and not any(key.startswith(prefix) for prefix in prefixes)
    ]
    assert unused == []
