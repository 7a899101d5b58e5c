"""Time a first sync of N messages and an empty re-sync against a local pymap IMAP server, beside a
bare imaplib fetch of the same messages (the server's floor).

PYTHONPATH=$PWD:$PWD/tests .venv/bin/python benchmarks/imap_sync.py [N] [--json] [--profile FILE]

Each figure is wall-clock seconds and CPU seconds, ours (this process, all threads) and pymap's (the
server process), so that a busy shared machine can be told apart from a slow program. The bare fetch
logs in and fetches every message with the same `UID FETCH first:last (UID BODY.PEEK[])` ranges the
sync uses, and keeps nothing. benchmarks/bench.py runs this with --json (figure 10).
"""

from __future__ import annotations

import cProfile
import imaplib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from mailservers import JST, PASSWORD, USER, office_week, pymap_server, seed

from pipelines.__main__ import main
from pipelines.sync_read import FETCH_BATCH


def _pymap_pid(port: int) -> int:
    found = subprocess.run(
        ["pgrep", "-f", f"pymap --host 127.0.0.1 --port {port} "], capture_output=True, text=True
    ).stdout.split()
    return int(found[0])


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(pid: int, action: Any) -> dict[str, float]:
    """Wall and CPU seconds (ours, the server's) of action()."""
    wall, ours, server = time.perf_counter(), time.process_time(), _cpu_of(pid)
    action()
    return {
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(time.process_time() - ours, 2),
        "server_cpu_s": round(_cpu_of(pid) - server, 2),
    }


def bare_fetch(port: int) -> int:
    """Fetch every message of INBOX and Sent as the sync does, keeping nothing; how many."""
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login(USER, PASSWORD)
    fetched = 0
    for folder in ("INBOX", "Sent"):
        client.select(folder, readonly=True)
        _, data = client.uid("SEARCH", None, "UID 1:*")
        uids = sorted(int(u) for u in data[0].split())
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            _, items = client.uid("FETCH", f"{batch[0]}:{batch[-1]}", "(UID BODY.PEEK[])")
            fetched += sum(1 for item in items if isinstance(item, tuple))
    client.logout()
    return fetched


def _seed(port: int, n: int) -> int:
    customers = max(1, round(n * 3 / 7))  # each customer: ask + quote, every third a request
    inbox, sent = office_week(datetime(2026, 10, 1, 9, tzinfo=JST), customers)
    seed(port, "INBOX", [])
    seed(port, "Sent", [])
    chunks = [("INBOX", inbox[i::8]) for i in range(8)] + [("Sent", sent[i::8]) for i in range(8)]
    with ThreadPoolExecutor(16) as pool:  # APPEND waits a round trip per message
        list(pool.map(lambda c: seed(port, *c), chunks))
    return len(inbox) + len(sent)


def measure(n: int, profile: Path | None = None) -> dict[str, Any]:
    """Seed ~n messages, then time the bare fetch, a first sync and an empty re-sync."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, pymap_server() as port:
        started = time.perf_counter()
        out["messages"] = _seed(port, n)
        out["seed_s"] = round(time.perf_counter() - started, 1)
        pid = _pymap_pid(port)
        out["bare_fetch"] = _timed(pid, lambda: bare_fetch(port))
        settings = Path(tmp) / "s.toml"
        settings.write_text(
            '[mailbox]\noffice_addresses = ["info@office.example.jp"]\n\n'
            f'[imap]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ntls = false\n',
            encoding="utf-8",
        )
        os.environ.update(OPSDASH_SETTINGS=str(settings), OPSDASH_IMAP_PASSWORD=PASSWORD)
        db = Path(tmp) / "ops.duckdb"
        command = ["sync", "--db", str(db)]
        if profile is not None:
            profiler = cProfile.Profile()
            out["first_sync"] = _timed(pid, lambda: profiler.runcall(main, command))
            profiler.dump_stats(profile)
        else:
            out["first_sync"] = _timed(pid, lambda: main(command))
        out["empty_resync"] = _timed(pid, lambda: main(command))
    out["first_sync_per_bare_fetch"] = round(
        out["first_sync"]["wall_s"] / out["bare_fetch"]["wall_s"], 2
    )
    out["load_average"] = os.getloadavg()[0]
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    profile_to = Path(args[args.index("--profile") + 1]) if "--profile" in args else None
    numbers = [a for a in args if a.isdigit()]
    result = measure(int(numbers[0]) if numbers else 10_000, profile_to)
    if "--json" in args:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
