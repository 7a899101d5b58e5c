"""Time a first sync of N messages and an empty re-sync against a local pymap IMAP server.

PYTHONPATH=$PWD:$PWD/tests .venv/bin/python benchmarks/imap_sync.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from mailservers import JST, PASSWORD, USER, office_week, pymap_server, seed

from pipelines.__main__ import main


def run(n: int) -> None:
    """Seed ~n messages (INBOX and Sent), then time `sync` twice."""
    customers = max(1, round(n * 3 / 7))  # each customer: ask + quote, every third a request
    inbox, sent = office_week(datetime(2026, 10, 1, 9, tzinfo=JST), customers)
    with tempfile.TemporaryDirectory() as tmp, pymap_server() as port:
        started = time.perf_counter()
        seed(port, "INBOX", [])
        seed(port, "Sent", [])
        chunks = [("INBOX", inbox[i::8]) for i in range(8)] + [
            ("Sent", sent[i::8]) for i in range(8)
        ]
        with ThreadPoolExecutor(16) as pool:  # APPEND waits a round trip per message
            list(pool.map(lambda c: seed(port, *c), chunks))
        print(f"seeded {len(inbox) + len(sent)} messages in {time.perf_counter() - started:.1f} s")
        settings = Path(tmp) / "s.toml"
        settings.write_text(
            '[mailbox]\noffice_addresses = ["info@office.example.jp"]\n\n'
            f'[imap]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ntls = false\n',
            encoding="utf-8",
        )
        os.environ.update(OPSDASH_SETTINGS=str(settings), OPSDASH_IMAP_PASSWORD=PASSWORD)
        db = Path(tmp) / "ops.duckdb"
        for label in ("first sync", "empty re-sync"):
            started = time.perf_counter()
            assert main(["sync", "--db", str(db)]) == 0
            print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
