"""Issue 14's figures at scale, each with its target: prints one line per figure and a summary table,
writes benchmarks/results/bench.json (and a dated copy next to it).

    .venv/bin/python benchmarks/bench.py [--inquiries 1000000] [--text rich|plain] [--repeat 3]
                                         [--quick] [--no-browser] [--workdir DIR]

Data: pipelines.demo.generate(N, seed=1, text="rich") — realistic Japanese names, addresses and
messages on every row — written as canonical UTF-8 CSV and as its CP932 twin.

1. load, UTF-8 CSV ÷ DuckDB's bare `CREATE TABLE AS SELECT * FROM read_csv` of the same files   ≤ 2.0×
2. load, CP932 CSV ÷ the same bare read of the UTF-8 twin                                       ≤ 2.5×
   (each load is the whole `load_files` in a fresh process into a new database, timed inside it;
   the bare read too; median of --repeat, interleaved so that drift hits all three alike)
3. peak RSS of a load process                                                                  ≤ 2 GiB
4. re-loading the unchanged UTF-8 files ÷ their load                                           ≤ 5 %
5. `python -m pipelines report --json`, whole process, cold                                   ≤ 1.0 s
   and inside the process (connect + report)                                                  ≤ 0.5 s
   Cold: a fresh process, which opens a fresh snapshot (hard link) of the file; the OS page cache
   holds the file as a load leaves it. The same with the file dropped from the page cache
   (posix_fadvise DONTNEED) is printed for information.
6. a straightforward pandas implementation of the headline metrics (reading the CSVs included)
   ÷ ours (connect + headline), each in a fresh process                                       ≥ 10×
7. browser (Playwright, headless /usr/bin/chromium) against `streamlit run dashboard.py` with
   OPSDASH_DB = the database of 1. and ?as_of=2026-11-20:
   - every page's first render after a load (Overview, What if, Today, Inquiries, Data)       ≤ 2 s
     ("after a load": the file is swapped for a copy of itself first, as a load does, so every
     cache keyed by the database version is empty; the browser's static files are cached)
   - every page later (sidebar navigation and opening its URL), a search (田中 in the Inquiries
     search box), a filter change (status tags), opening an inquiry (/inquiries?inquiry=ID)   ≤ 0.5 s
   - two users at once (two browser contexts): neither slowed more than                        1.5×
     (A opens Inquiries while B opens Today, both first after a load; and each tours the five pages
     by URL; together ÷ alone, the worst of the four)
   - for information: an empty Streamlit app by URL and a rerun, timed the same way (the floor)
   "Rendered": stApp's data-test-script-state is notRunning after the run the action started, an
   element is in stMain, no skeleton or spinner, every chart drawn, fonts loaded, and still so
   300 ms later (the readiness check of ../shared/tools/ui-tour). Seconds are measured in the page
   (performance.now(), from navigation start or from just before the click/keypress).
9. a mark round-trip as the Today page makes it: write a done mark (office store) and re-read the
   day's staff lists on the page's read-only snapshot as Today reads them (the lists without
   customer details over their kept entries, the details of the cards shown); median of 7, in a
   fresh process after one warm-up read                                                     ≤ 0.3 s
   (`--mark-db PATH` measures only this, on an existing database such as the sample's)
10. server side, no browser (benchmarks/page_bench.py: sessions opened over Streamlit's websocket,
   the server's CPU seconds beside the wall times): every page as the first session after a load,
   on the big database ÷ on the bundled sample's, the worst page                             ≤ 1.5×
   and five sessions opening Today at once right after a load ÷ one alone                    ≤ 1.3×
8. the message reader: messages per second of `read_many` over the generated messages (cold), and
   accuracy / precision / recall on tests/corpus/urgency.tsv (`corpus_scores()`)            ≥ 98 %
11. `python -m pipelines sync` against a local pymap server (benchmarks/imap_sync.py): a first sync
   of 10,002 new messages (INBOX and Sent)                                                     ≤ 30 s
   and an empty re-sync                                                                       ≤ 2 s
   beside a bare imaplib fetch of the same messages (the server's floor), with CPU seconds of ours
   and the server's (`--mail-sync` measures only this)

--quick: 100,000 inquiries, one repetition, no browser (a smoke run); --text plain: the old mostly
ASCII demo text, for comparison. The load average is recorded at every step: the machine has two
cores and is shared. A section that fails prints an error line and the run goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
AS_OF = date(2026, 11, 24)  # the generator's last day: report, headline, reader
UI_AS_OF = "2026-11-20"  # the browser figures' ?as_of=
SEED = 1
GiB = 2**30
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {  # name -> path, in the sidebar's order
    "overview": "/",
    "whatif": "/whatif",
    "today": "/today",
    "inquiries": "/inquiries",
    "data": "/data",
}
FIRST_RENDER_TIMEOUT_S = 300
ACTION_TIMEOUT_S = 120
STABLE_MS = 300  # rendered, and still so this long after (as ui-tour checks)


# ------------------------------------------------------------------------------------ figures


@dataclass
class Figure:
    """One printed line: figure, value, target, met / NOT MET, detail."""

    key: str
    name: str
    value: float | None
    shown: str
    target: str = ""  # empty: for information, no target
    met: bool | None = None
    detail: str = ""

    @property
    def status(self) -> str:
        return "—" if self.met is None else "met" if self.met else "NOT MET"

    def line(self) -> str:
        return f"{self.name:<46} {self.shown:>12}  {self.target:<8} {self.status:<8} {self.detail}"


def at_most(value: float | None, limit: float) -> bool:
    return value is not None and value <= limit


def at_least(value: float | None, limit: float) -> bool:
    return value is not None and value >= limit


def median(values: list[float | None]) -> float | None:
    """The median, or None when any value is missing (a timeout)."""
    return None if None in values else statistics.median(values)


def seconds_of(runs: list[dict[str, Any]]) -> list[float]:
    return [r["seconds"] for r in runs]


def spread(runs: list[dict[str, Any]]) -> str:
    """min–max of the runs' seconds."""
    values = seconds_of(runs)
    return f"{min(values):.1f}–{max(values):.1f}" if len(values) > 1 else f"{values[0]:.1f}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


class Log:
    """Progress on stderr-like stdout, and the load average at every step for the JSON."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.steps: list[dict[str, Any]] = []

    def __call__(self, step: str) -> None:
        elapsed = time.perf_counter() - self.start
        self.steps.append({"step": step, "at_s": round(elapsed, 1), "load_average": load_average()})
        print(f"[{elapsed:6.0f} s, load {load_average()}] {step}", flush=True)


# ------------------------------------------------------------------ child processes (--child)
# Each measurement that must start cold runs as `bench.py --child NAME ARGS…` and prints one JSON
# object. Heavy imports live inside the functions so that a child loads only what it measures.


def peak_rss(pid: int | str = "self") -> int:
    """A process's peak resident set (VmHWM) in bytes. Not ru_maxrss: Linux carries that over
    from the parent's memory at fork, through exec, so a child of this big process would report it."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


def child_load(db: str, *files: str) -> dict[str, Any]:
    """The whole load_files of the files into db; seconds inside, peak RSS of this process."""
    import resource

    from pipelines.loader import load_files

    start = time.perf_counter()
    result = load_files(list(files), db)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the message reader's workers
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime,
        "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "rss": peak_rss(),
        "swapped": result.swapped,
        "parts": [p.summary() for p in result.parts],
    }


def child_bare(db: str, *files: str) -> dict[str, Any]:
    """DuckDB's own CREATE TABLE … AS SELECT * FROM read_csv(…) of the files, and a CHECKPOINT."""
    import resource

    import duckdb

    con = duckdb.connect(db)
    start = time.perf_counter()
    for i, path in enumerate(files):
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?)", [path])
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - start
    con.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss": peak_rss(),
    }


def child_report(db: str, as_of: str) -> dict[str, Any]:
    """connect + report inside a fresh process (what `report --json` does but printing)."""
    import pipelines

    start = time.perf_counter()
    from pipelines.build import RULES_SQL  # timed, as the lazy pipelines.connect was

    con = pipelines.connect(db, sql_files=RULES_SQL)  # as cmd_report connects
    connected = time.perf_counter() - start
    data = pipelines.report(con, as_of)
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": seconds, "connect_s": connected, "inquiries": data["inquiries"]}


HEADLINE_KEYS = ("inquiries", "converted", "judged_quotes", "silent")


def child_ours(db: str, as_of: str) -> dict[str, Any]:
    """Our headline metrics, cold: connect + headline in a fresh process."""
    import pipelines

    start = time.perf_counter()
    con = pipelines.connect(db)
    values = pipelines.headline(con, as_of)
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": seconds, **{k: values[k] for k in HEADLINE_KEYS}}


def child_pandas(inquiries_csv: str, events_csv: str, as_of: str) -> dict[str, Any]:
    """A straightforward pandas version of the headline metrics, reading the CSVs included:
    conversion rate, silent-after-quote rate, urgent requests (by requested date) and staff minutes
    per lost inquiry."""
    import pandas as pd

    start = time.perf_counter()
    inq = pd.read_csv(inquiries_csv, parse_dates=["received_at", "requested_for"])
    ev = pd.read_csv(events_csv, parse_dates=["event_at"])
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    inq, ev = inq[inq.received_at < end], ev[ev.event_at < end]
    first_quote = (
        ev[ev.event == "quote_sent"].groupby("inquiry_id").event_at.min().rename("first_quote_at")
    )
    contract = (
        ev[ev.event == "contract_signed"].groupby("inquiry_id").event_at.min().rename("contract_at")
    )
    f = inq.set_index("inquiry_id").join(first_quote).join(contract)
    e = ev.join(first_quote, on="inquiry_id")
    customer = e.event.isin(
        [
            "customer_reply",
            "contract_requested",
            "contract_signed",
            "customer_declined",
            "cancelled",
        ]
    )
    window = (e.event_at > e.first_quote_at) & (
        e.event_at <= e.first_quote_at + pd.Timedelta(days=7)
    )
    contacted = e[customer & window].groupby("inquiry_id").size() > 0
    f["contacted"] = contacted.reindex(f.index, fill_value=False)
    judged = f.first_quote_at.notna() & (f.first_quote_at + pd.Timedelta(days=7) < end)
    silent = judged & ~f.contacted
    lead = (f.requested_for.dt.normalize() - f.received_at.dt.normalize()).dt.days
    urgent = lead < 3
    minutes = f.staff_minutes + ev.groupby("inquiry_id").staff_minutes.sum().reindex(
        f.index, fill_value=0
    )
    converted = f.contract_at.notna()
    lost = ~converted & (silent | urgent)
    values = {
        "inquiries": len(f),
        "converted": int(converted.sum()),
        "judged_quotes": int(judged.sum()),
        "silent": int(silent.sum()),
        "conversion_rate": float(converted.mean()),
        "silent_after_quote_rate": float(silent.sum() / judged.sum()),
        "urgent_by_date": int(urgent.sum()),
        "minutes_per_lost": float(minutes[lost].mean()),
    }
    return {"seconds": time.perf_counter() - start, **values}


def child_mark(db: str, as_of: str) -> dict[str, Any]:
    """Mark round-trips on a copy's office store: done mark written, staff lists re-read."""
    import pipelines
    from pipelines import api, queries
    from pipelines.office import marks
    from pipelines.worklist import visible

    def page_reads() -> dict[str, Any]:
        """What Today reads: the lists without details, the details of the cards shown."""
        lists = api.staff_list_rows(con, as_of)
        shown = [i for f in lists.values() for i in visible(f).head(30)["inquiry_id"]]
        queries.list_details(con, tuple(dict.fromkeys(shown)))
        return lists

    con = pipelines.connect(db)
    lists = page_reads()  # warm: the first read keeps the lists' entries
    items = [(n, r) for n, f in lists.items() for r in f.to_dict("records")][:7]
    seconds, cpu = [], []
    for name, row in items:
        start, started_cpu = time.perf_counter(), time.process_time()
        seen = row.get("last_event_at")
        seen = None if seen is None or seen != seen else seen.to_pydatetime()
        marks.done(db, row["inquiry_id"], name, date.fromisoformat(as_of), "bench", seen)
        after = page_reads()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
        flagged = after[name].set_index("inquiry_id")["done"].get(row["inquiry_id"])
        if not bool(flagged if not hasattr(flagged, "any") else flagged.any()):
            raise RuntimeError(f"the done mark on {row['inquiry_id']} did not show")
    for _name, row in items:  # leave the store as it was (undo is a mark too)
        marks.undo(db, row["inquiry_id"], "bench")
    con.close()
    return {
        "seconds": statistics.median(seconds),
        "runs": seconds,
        "cpu": statistics.median(cpu),
        "items": len(items),
    }


def mark_figures(db: Path, as_of: str, raw: dict[str, Any], log: Log) -> list[Figure]:
    """Figure 9: a mark's round-trip on the page's connection."""
    log("mark round-trips: done mark + staff lists re-read")
    result = run_child("mark", db, as_of)
    raw["mark"] = result
    s = result["seconds"]
    return [
        Figure(
            "mark_round_trip_s",
            "9. mark round-trip (write + lists re-read)",
            s,
            f"{s:.3f} s",
            "≤ 0.3 s",
            at_most(s, 0.3),
            f"median of {result['items']} ({min(result['runs']):.3f}–{max(result['runs']):.3f}), "
            f"CPU {result.get('cpu', float('nan')):.3f} s",
        )
    ]


def mail_sync_figures(raw: dict[str, Any], log: Log, messages: int = 10_000) -> list[Figure]:
    """Figure 10: a first sync of ~10,000 messages and an empty re-sync against a local pymap server.

    benchmarks/imap_sync.py in a fresh process: seeds the server, then times a bare imaplib fetch of
    the same messages (the server's floor), the first sync and the empty re-sync; wall seconds, and
    CPU seconds of ours and of the server (the machine is shared: CPU tells a slow program from a busy
    machine).
    """
    log(f"mail sync: seeding ~{messages:,} messages into pymap, then syncing twice")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    script = ROOT / "benchmarks" / "imap_sync.py"
    out = subprocess.run(
        [sys.executable, str(script), str(messages), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"imap_sync.py failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    raw["mail_sync"] = result
    first, empty, bare = result["first_sync"], result["empty_resync"], result["bare_fetch"]

    def cpu(x: dict[str, float]) -> str:
        return f"CPU ours {x['cpu_s']:.1f} s + pymap {x['server_cpu_s']:.1f} s"

    return [
        Figure(
            "mail_first_sync_s",
            f"11. first sync of {result['messages']:,} messages",
            first["wall_s"],
            f"{first['wall_s']:.1f} s",
            "≤ 30 s",
            at_most(first["wall_s"], 30),
            f"{cpu(first)}; ÷ bare fetch {result['first_sync_per_bare_fetch']:.1f}×, "
            f"load {result['load_average']:.1f}",
        ),
        Figure(
            "mail_bare_fetch_s",
            "11. bare imaplib fetch of the same (floor)",
            bare["wall_s"],
            f"{bare['wall_s']:.1f} s",
            detail=cpu(bare),
        ),
        Figure(
            "mail_empty_resync_s",
            "11. empty re-sync",
            empty["wall_s"],
            f"{empty['wall_s']:.2f} s",
            "≤ 2 s",
            at_most(empty["wall_s"], 2),
            cpu(empty),
        ),
    ]


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "mark": child_mark,
    "load": child_load,
    "bare": child_bare,
    "report": child_report,
    "ours": child_ours,
    "pandas": child_pandas,
}


def run_child(name: str, *args: object) -> dict[str, Any]:
    """Run one child measurement in a fresh interpreter; its JSON plus the whole process's seconds."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, *map(str, args)]
    start = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"child {name} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "process_s": wall}


def fresh_db(path: Path) -> Path:
    """Remove a database and its side files so that a load is a first load."""
    for side in path.parent.glob(path.name + "*"):
        side.unlink()
    for side in path.parent.glob(f".{path.name}.*"):
        side.unlink()
    return path


def drop_page_cache(path: Path) -> None:
    """Ask the kernel to forget the file's cached pages (works unprivileged for clean pages)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------- the data


@dataclass
class Exports:
    utf8: list[Path]
    cp932: list[Path]
    inquiries: int
    events: int
    megabytes_utf8: float
    megabytes_cp932: float


def make_data(n: int, text: str, work: Path, log: Log) -> tuple[Exports, Any]:
    """Generate the business and write both exports; returns them and the DemoData (for 8.)."""
    from pipelines.demo import generate, write_exports

    log(f"generating {n:,} inquiries (text={text}) in {work}")
    data = generate(n, seed=SEED, as_of=AS_OF, text=text)
    utf8 = write_exports(data, work / "utf8", style="canonical")
    cp932 = write_exports(data, work / "cp932", style="cp932")

    def size(paths: list[Path]) -> float:
        return sum(p.stat().st_size for p in paths) / 1e6

    exports = Exports(utf8, cp932, len(data.inquiries), len(data.events), size(utf8), size(cp932))
    log(
        f"{exports.inquiries:,} inquiries, {exports.events:,} events; "
        f"UTF-8 {exports.megabytes_utf8:.0f} MB, CP932 {exports.megabytes_cp932:.0f} MB"
    )
    return exports, data


# ------------------------------------------------------------------------ 8. message reader


def reader_figures(data: Any, raw: dict[str, Any]) -> list[Figure]:
    from pipelines import message_reader
    from pipelines.message_reader import read_many
    from tests.urgency_corpus import corpus_scores

    texts = data.inquiries["message"].tolist()
    ats = data.inquiries["received_at"].dt.to_pydatetime().tolist()
    message_reader._reader_for.cache_clear()  # cold: no text read before
    message_reader._tokenize.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    read_many(texts, ats)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    scores = corpus_scores()
    raw["reader"] = {
        "messages": len(texts),
        "distinct": len(set(texts)),
        "wall_s": wall,
        "cpu_s": cpu,
        "corpus": {k: v for k, v in scores.items() if k != "disagreements"},
        "disagreements": scores.get("disagreements", []),
    }
    rate = len(texts) / wall
    corpus = f"{scores['messages']} corpus messages, {scores['urgent']} urgent"
    return [
        Figure(
            "reader_messages_per_s",
            "8. message reader, messages/s (cold)",
            rate,
            f"{rate:,.0f}/s",
            detail=f"{len(texts):,} messages ({len(set(texts)):,} distinct) in {wall:.1f} s wall, "
            f"{cpu:.1f} s CPU",
        ),
        Figure(
            "reader_accuracy",
            "8. message reader, accuracy (corpus)",
            scores["accuracy"],
            f"{scores['accuracy']:.1%}",
            "≥ 98 %",
            at_least(scores["accuracy"], 0.98),
            corpus,
        ),
        Figure(
            "reader_precision",
            "8. message reader, precision",
            scores["precision"],
            f"{scores['precision']:.1%}",
        ),
        Figure(
            "reader_recall",
            "8. message reader, recall",
            scores["recall"],
            f"{scores['recall']:.1%}",
        ),
    ]


# --------------------------------------------------------------------------------- 1–4. loads


def load_figures(
    ex: Exports, work: Path, repeat: int, raw: dict[str, Any], log: Log
) -> tuple[list[Figure], Path]:
    """Bare read, UTF-8 load and CP932 load, interleaved, median of repeat; then reloads."""
    bare, utf8, cp932 = [], [], []
    main_db = work / "utf8.duckdb"
    for i in range(repeat):
        log(f"loads, round {i + 1}/{repeat}: bare read_csv")
        bare.append(run_child("bare", fresh_db(work / "bare.duckdb"), *ex.utf8))
        log(f"loads, round {i + 1}/{repeat}: load_files UTF-8")
        utf8.append(run_child("load", fresh_db(main_db), *ex.utf8))
        log(f"loads, round {i + 1}/{repeat}: load_files CP932")
        cp932.append(run_child("load", fresh_db(work / "cp932.duckdb"), *ex.cp932))
        log(
            f"  bare {bare[-1]['seconds']:.2f} s, UTF-8 {utf8[-1]['seconds']:.2f} s, "
            f"CP932 {cp932[-1]['seconds']:.2f} s"
        )
    fresh_db(work / "bare.duckdb")
    fresh_db(work / "cp932.duckdb")
    reloads = []
    for i in range(repeat):
        log(f"reload of the unchanged UTF-8 files {i + 1}/{repeat}")
        reloads.append(run_child("load", main_db, *ex.utf8))
    raw["loads"] = {"bare": bare, "utf8": utf8, "cp932": cp932, "reload": reloads}

    b, u, c, r = (median(seconds_of(x)) for x in (bare, utf8, cp932, reloads))
    peak = max(x["rss"] for x in utf8 + cp932)
    peak_utf8, peak_cp932 = max(x["rss"] for x in utf8), max(x["rss"] for x in cp932)
    swapped = [x["swapped"] for x in reloads]
    of = f"median of {repeat}" if repeat > 1 else "one run"
    figures = [
        Figure(
            "load_utf8_vs_bare",
            "1. load UTF-8 ÷ bare read_csv CTAS",
            u / b,
            f"{u / b:.2f}×",
            "≤ 2.0×",
            at_most(u / b, 2.0),
            f"{u:.2f} s ({spread(utf8)}) vs {b:.2f} s ({spread(bare)}), {of}; CPU "
            f"{median([x['cpu_s'] for x in utf8]):.1f} s (reader workers "
            f"{median([x.get('workers_cpu_s', 0.0) for x in utf8]):.1f} s) vs "
            f"{median([x['cpu_s'] for x in bare]):.1f} s",
        ),
        Figure(
            "load_cp932_vs_bare",
            "2. load CP932 ÷ bare read_csv of UTF-8 twin",
            c / b,
            f"{c / b:.2f}×",
            "≤ 2.5×",
            at_most(c / b, 2.5),
            f"{c:.2f} s ({spread(cp932)}), {of}; CPU {median([x['cpu_s'] for x in cp932]):.1f} s",
        ),
        Figure(
            "load_peak_rss_gib",
            "3. peak RSS of a load",
            peak / GiB,
            f"{peak / GiB:.2f} GiB",
            "≤ 2 GiB",
            at_most(peak / GiB, 2.0),
            f"UTF-8 {peak_utf8 / GiB:.2f} GiB, CP932 {peak_cp932 / GiB:.2f} GiB; "
            f"bare read {max(x['rss'] for x in bare) / GiB:.2f} GiB",
        ),
        Figure(
            "reload_vs_load",
            "4. unchanged reload ÷ load",
            r / u,
            f"{r / u:.1%}",
            "≤ 5 %",
            at_most(r / u, 0.05) and not any(swapped),
            f"{r:.2f} s ({spread(reloads)}); database replaced: {any(swapped)}",
        ),
    ]
    return figures, main_db


XLSX_ROWS = 1_000_000


def make_xlsx(path: Path, rows: int, log: Log) -> Path:
    """A one-sheet workbook: the header and `rows` rows with one value each (an inquiry ID), written
    once with xlsxwriter (shared strings, as Excel saves them) and kept in the workdir."""
    if path.exists():
        return path
    import xlsxwriter

    log(f"writing a {rows:,}-row .xlsx (one value per row) to {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    book = xlsxwriter.Workbook(str(partial))
    sheet = book.add_worksheet("受付")
    sheet.write_row(0, 0, ["inquiry_id", "received_at", "customer_name"])
    for i in range(1, rows + 1):
        sheet.write_string(i, 0, f"Q{i:07d}")
    book.close()
    partial.rename(path)
    return path


def xlsx_figures(work: Path, rows: int, raw: dict[str, Any], log: Log) -> list[Figure]:
    """The whole load_files of a big one-value-per-row workbook (every row quarantined: no date)."""
    path = make_xlsx(work / f"xlsx_{rows}.xlsx", rows, log)
    log(f"load_files of the {rows:,}-row .xlsx")
    run = run_child("load", fresh_db(work / "xlsx.duckdb"), path)
    fresh_db(work / "xlsx.duckdb")
    raw["xlsx"] = run
    seconds, rss = run["seconds"], run["rss"]
    return [
        Figure(
            "xlsx_load_s",
            f"3. {rows:,}-row .xlsx, whole load (all quarantined)",
            seconds,
            f"{seconds:.2f} s",
            "≤ 10 s",
            at_most(seconds, 10.0),
            f"CPU {run['cpu_s']:.1f} s; {path.stat().st_size / 1e6:.1f} MB; {run['parts'][0]}",
        ),
        Figure(
            "xlsx_load_rss_gib",
            "3. peak RSS of the .xlsx load",
            rss / GiB,
            f"{rss / GiB:.2f} GiB",
            "≤ 1 GiB",
            at_most(rss / GiB, 1.0),
        ),
    ]


# ---------------------------------------------------------------------- 5–6. report, pandas


def report_figures(
    db: Path, ex: Exports, repeat: int, raw: dict[str, Any], log: Log
) -> list[Figure]:
    runs = max(repeat, 3)
    command = [sys.executable, "-m", "pipelines", "report", "--json"]
    command += ["--db", str(db), "--as-of", AS_OF.isoformat()]

    def whole(drop: bool) -> float:
        if drop:
            drop_page_cache(db)
        start = time.perf_counter()
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if out.returncode != 0:
            raise RuntimeError(f"report --json failed:\n{out.stderr[-3000:]}")
        json.loads(out.stdout)
        return seconds

    log(f"report --json, whole process, {runs} runs")
    whole_warm = [whole(drop=False) for _ in range(runs)]
    log(f"report --json, whole process, page cache dropped, {runs} runs")
    whole_dropped = [whole(drop=True) for _ in range(runs)]
    log(f"connect + report inside a fresh process, {runs} runs")
    inside = [run_child("report", db, AS_OF.isoformat()) for _ in range(runs)]
    log(f"ours: connect + headline, fresh process, {runs} runs; pandas once")
    ours = [run_child("ours", db, AS_OF.isoformat()) for _ in range(runs)]
    pandas = run_child("pandas", *ex.utf8, AS_OF.isoformat())
    raw["report"] = {
        "whole_s": whole_warm,
        "whole_page_cache_dropped_s": whole_dropped,
        "inside": inside,
        "ours_headline": ours,
        "pandas_headline": pandas,
    }
    w, wd = median(whole_warm), median(whole_dropped)
    i = median([x["seconds"] for x in inside])
    connect_s = median([x["connect_s"] for x in inside])
    o = median([x["seconds"] for x in ours])
    agree = all(pandas[k] == ours[0][k] for k in HEADLINE_KEYS)
    return [
        Figure(
            "report_whole_cold_s",
            "5. report --json, whole process, cold",
            w,
            f"{w:.2f} s",
            "≤ 1.0 s",
            at_most(w, 1.0),
            f"median of {runs} ({min(whole_warm):.2f}–{max(whole_warm):.2f})",
        ),
        Figure(
            "report_inside_s",
            "5. report inside the process (connect+report)",
            i,
            f"{i:.2f} s",
            "≤ 0.5 s",
            at_most(i, 0.5),
            f"connect {connect_s:.2f} s; median of {runs}",
        ),
        Figure(
            "report_whole_dropped_s",
            "5. (info) the same, file not in page cache",
            wd,
            f"{wd:.2f} s",
            detail=f"median of {runs}; posix_fadvise DONTNEED before each",
        ),
        Figure(
            "pandas_vs_ours",
            "6. pandas ÷ ours, headline metrics, cold",
            pandas["seconds"] / o,
            f"{pandas['seconds'] / o:.1f}×",
            "≥ 10×",
            at_least(pandas["seconds"] / o, 10),
            f"pandas {pandas['seconds']:.2f} s (CSV read included) vs ours {o:.2f} s "
            f"(median of {runs}); counts agree: {agree}",
        ),
    ]


# ------------------------------------------------------------------------------- 7. browser

READY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app?.getAttribute('data-test-script-state') === 'notRunning'
    && !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
    && !document.querySelector('[data-testid*="Skeleton"], [data-testid*="Spinner"]')
    && [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg, canvas'))
    && document.fonts.status === 'loaded';
}"""
# Installed in every document: a 10 ms poller records, from t0 (navigation start, or __arm() just
# before an action), when the script first ran, when it last stopped running, and when the page was
# last seen becoming rendered after that (reset whenever it runs again or stops looking rendered).
WATCH_JS = f"""(() => {{
  const ready = {READY_JS};
  const fresh = t0 => ({{t0, runAt: null, doneAt: null, readyAt: null, running: false}});
  window.__bench = fresh(0);
  window.__arm = () => (window.__bench = fresh(performance.now())).t0;
  const state = s => {{
    const b = window.__bench, now = performance.now();
    if (s === 'running') {{
      if (b.runAt === null) b.runAt = now;
      [b.running, b.readyAt] = [true, null];
    }} else if (b.running) [b.running, b.doneAt] = [false, now];
  }};
  // every change of the script state, however short the run (a mutation is never missed) …
  new MutationObserver(ms => ms.forEach(m => state(m.target.getAttribute(m.attributeName))))
    .observe(document, {{subtree: true, attributes: true,
                         attributeFilter: ['data-test-script-state']}});
  // … and every 10 ms: still running, and whether the page looks rendered
  setInterval(() => {{
    const b = window.__bench, app = document.querySelector('[data-testid="stApp"]');
    state(app?.getAttribute('data-test-script-state'));
    if (b.running) return;
    if (b.readyAt !== null && !ready()) b.readyAt = null;
    else if (b.runAt !== null && b.readyAt === null && ready()) b.readyAt = performance.now();
  }}, 10);
}})();"""


@dataclass
class Timing:
    """Seconds to rendered, and to the script's first run (the rest: script, transfer, drawing)."""

    what: str
    seconds: float | None
    to_run_s: float | None = None  # until the script started (boot, connection, request)
    run_done_s: float | None = None  # until it last stopped running (the rest: drawing)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, record: dict[str, Any]) -> Timing:
        """A Timing back from its asdict() record (extra keys ignored)."""
        return cls(
            **{k: record[k] for k in ("what", "seconds", "to_run_s", "run_done_s", "errors")}
        )

    def text(self) -> str:
        if self.seconds is None:
            return f"{self.what} timeout"
        boot = (
            f" (run {self.to_run_s:.2f}–{self.run_done_s:.2f})"
            if self.to_run_s is not None and self.run_done_s is not None
            else ""
        )
        return f"{self.what} {self.seconds:.2f}{boot}" + (" EXCEPTION" if self.errors else "")


class Tab:
    """One browser tab of a user, timing navigations and actions until the page is rendered."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base

    def url(self, path: str, **query: str) -> str:
        params = "&".join(f"{k}={v}" for k, v in {"as_of": UI_AS_OF, **query}.items())
        return f"{self.base}{path}?{params}"

    async def settled(self, what: str, timeout: float) -> Timing:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            b = await self.page.evaluate("() => ({...window.__bench, now: performance.now()})")
            if b["readyAt"] is not None and b["now"] - b["readyAt"] >= STABLE_MS:
                errors = await self.page.locator('[data-testid="stException"]').all_inner_texts()
                since = [
                    None if b[key] is None else (b[key] - b["t0"]) / 1000
                    for key in ("readyAt", "runAt", "doneAt")
                ]
                return Timing(
                    what,
                    *since,
                    [e.strip()[:300] for e in errors],
                )
            await self.page.wait_for_timeout(50)
        return Timing(what, None)

    async def goto(
        self, what: str, path: str, timeout: float = ACTION_TIMEOUT_S, **query: str
    ) -> Timing:
        await self.page.goto(self.url(path, **query), timeout=timeout * 1000)
        return await self.settled(what, timeout)

    async def act(
        self, what: str, action: Callable[[], Awaitable[Any]], timeout: float = ACTION_TIMEOUT_S
    ) -> Timing:
        await self.page.evaluate("() => window.__arm()")
        await action()
        return await self.settled(what, timeout)

    async def caption(self) -> str:
        """The main pane's captions (the Inquiries page's match count among them)."""
        captions = self.page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
        texts = [" ".join(t.split()) for t in await captions.all_inner_texts()]
        return " / ".join(t for t in texts if any(c.isdigit() for c in t))[:160]

    async def nav(self, name: str) -> Timing:
        """Click the sidebar link to a page (in-app navigation, no reload)."""
        links = self.page.locator('[data-testid="stSidebar"] a[data-testid*="NavLink"]')
        await links.first.wait_for(timeout=ACTION_TIMEOUT_S * 1000)
        hrefs = [await links.nth(i).get_attribute("href") or "" for i in range(await links.count())]
        for i, href in enumerate(hrefs):
            if link_path(href) == PAGES[name].strip("/"):
                return await self.act(f"{name}", links.nth(i).click)
        raise RuntimeError(f"no sidebar link to {name} (links: {hrefs})")


def either(selector: str, key: str) -> str:
    """A CSS selector for the words of key in either language (the office's default is Japanese,
    and views/style.py puts Streamlit's own control words into it too)."""
    from pipelines.i18n import LANGS, t

    return ", ".join(selector.format(t(key, lang)) for lang in LANGS)


def link_path(href: str) -> str:
    """A link's page path without slashes: st.page_link writes it relative ("whatif", and "" for
    the default page), so it is compared whole, never by its ending ("" ends every path)."""
    return urllib.parse.urlsplit(href).path.strip("/")


async def warm(tab: Tab) -> None:
    """Open every page once (not measured), so that what follows finds this version's caches."""
    for name, path in PAGES.items():
        await tab.goto(name, path, FIRST_RENDER_TIMEOUT_S)


def new_version(db: Path) -> None:
    """What a load does to the file, without changing it: a copy swapped in (a new database
    version, so every cache keyed by it starts empty)."""
    copy = db.with_name(f".{db.name}.bench-swap")
    shutil.copyfile(db, copy)
    os.replace(copy, db)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dashboard:
    """`streamlit run dashboard.py` in its own process group; stopped by that group's id only."""

    def __init__(self, db: Path, log_path: Path, script: str = "dashboard.py") -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "streamlit", "run", script]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        command += ["--server.port", str(self.port), "--browser.gatherUsageStats", "false"]
        env = {**os.environ, "OPSDASH_DB": str(db)}
        with open(log_path, "wb") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log_path}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


async def browser_session(db: Path, work: Path, raw: dict[str, Any], log: Log) -> dict[str, Any]:
    """Every browser measurement; returns the timings by scenario."""
    import duckdb
    from playwright.async_api import async_playwright

    con = duckdb.connect(str(db), read_only=True)
    try:  # inquiries with a few events, received before the as-of day, to open
        picks = [
            r[0]
            for r in con.execute(
                "SELECT inquiry_id FROM events WHERE event_at < ? GROUP BY inquiry_id "
                "HAVING count(*) >= 3 ORDER BY hash(inquiry_id) LIMIT 3",
                [UI_AS_OF],
            ).fetchall()
        ]
    finally:
        con.close()
    server = Dashboard(db, work / "streamlit.log")
    out: dict[str, Any] = {"inquiries_opened": picks}
    raw["browser"] = out  # filled as it goes: a scenario that fails keeps the ones before it
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            out["chromium"] = browser.version

            async def user() -> Tab:
                context = await browser.new_context(viewport={"width": 1440, "height": 900})
                await context.add_init_script(WATCH_JS)
                return Tab(await context.new_page(), server.base)

            a, b = await user(), await user()
            log("browser: server's first page (imports), both users' static files cached")
            out["server_first"] = asdict(await a.goto("overview", "/", FIRST_RENDER_TIMEOUT_S))
            await b.goto("data", "/data", FIRST_RENDER_TIMEOUT_S)

            first = []
            for name, path in PAGES.items():
                new_version(db)
                log(f"browser: first render after a load: {name}")
                first.append(await a.goto(name, path, FIRST_RENDER_TIMEOUT_S))
            out["first_render"] = [asdict(t) for t in first]

            log("browser: every page later, by its URL and by the sidebar")
            await warm(a)
            out["later_url"] = [asdict(await a.goto(n, p)) for n, p in PAGES.items()]
            sidebar = [await a.nav(n) for n in ["whatif", "today", "inquiries", "data", "overview"]]
            out["later_sidebar"] = [asdict(t) for t in sidebar]

            log("browser: search, filter changes, opening inquiries")
            # the filters first, on a fresh page: a search looks across every status (it clears
            # the status tags), so after it there is no "Open" tag to remove
            await a.goto("inquiries", "/inquiries")
            status = a.page.locator('[data-testid="stMultiSelect"]').first
            filters = [
                await a.act(
                    "remove status Open",
                    status.locator(either('button[aria-label$=" {}"]', "status.open")).first.click,
                ),
                await a.act(
                    "clear all statuses",
                    status.locator(either('button[aria-label="{}"]', "ctl.clear_all")).click,
                ),
            ]
            out["filters"] = {"timings": [asdict(t) for t in filters], "after": await a.caption()}
            await a.goto("inquiries", "/inquiries")
            before = await a.caption()
            box = a.page.locator('[data-testid="stTextInput"] input').first
            await box.fill("田中")
            search = await a.act("search 田中", lambda: box.press("Enter"))
            out["search"] = {**asdict(search), "before": before, "after": await a.caption()}
            opened = [await a.goto(f"open {i}", "/inquiries", inquiry=i) for i in picks[:2]]
            await a.goto("inquiries", "/inquiries")
            grid = await a.page.locator('[data-testid="stDataFrame"]').first.bounding_box()
            row_click = await a.act(
                "row click", lambda: a.page.mouse.click(grid["x"] + 15, grid["y"] + 52)
            )
            out["open_inquiry"] = [asdict(t) for t in opened]
            out["open_by_row_click"] = {**asdict(row_click), "url": a.page.url}

            log("browser: two users at once — first renders after a load (Inquiries / Today)")
            new_version(db)
            alone_a = await a.goto("inquiries", "/inquiries", FIRST_RENDER_TIMEOUT_S)
            new_version(db)
            alone_b = await b.goto("today", "/today", FIRST_RENDER_TIMEOUT_S)
            new_version(db)
            both_a, both_b = await asyncio.gather(
                a.goto("inquiries", "/inquiries", FIRST_RENDER_TIMEOUT_S),
                b.goto("today", "/today", FIRST_RENDER_TIMEOUT_S),
            )
            out["two_users_first"] = {
                "alone": [asdict(alone_a), asdict(alone_b)],
                "together": [asdict(both_a), asdict(both_b)],
            }

            log("browser: two users at once — every page later, by URL")
            await warm(a)
            order_a = list(PAGES)
            order_b = order_a[2:] + order_a[:2]

            async def tour(tab: Tab, names: list[str]) -> list[Timing]:
                return [await tab.goto(n, PAGES[n]) for n in names]

            alone = [await tour(a, order_a), await tour(b, order_b)]
            together = await asyncio.gather(tour(a, order_a), tour(b, order_b))
            out["two_users_later"] = {
                "alone": [[asdict(t) for t in ts] for ts in alone],
                "together": [[asdict(t) for t in ts] for ts in together],
            }
            await browser.close()
    finally:
        out["server_peak_rss"] = peak_rss(server.proc.pid) if server.proc.poll() is None else None
        server.stop()
    return out


FLOOR_APP = """import streamlit as st

st.session_state.runs = st.session_state.get("runs", 0) + 1
st.title("floor")
st.button("rerun", key="rerun")
st.write(f"run {st.session_state.runs}")
"""


async def framework_floor(work: Path, raw: dict[str, Any], log: Log) -> dict[str, Any]:
    """The same timings of a Streamlit app that does nothing: what any page costs here (the
    browser's boot and session, a rerun's round trip), the part of 0.5 s no query can save."""
    from playwright.async_api import async_playwright

    log("browser: the floor, an empty Streamlit app")
    app = work / "floor_app.py"
    app.write_text(FLOOR_APP)
    server = Dashboard(work / "none.duckdb", work / "floor.log", str(app))
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = await browser.new_context(viewport={"width": 1440, "height": 900})
            await context.add_init_script(WATCH_JS)
            tab = Tab(await context.new_page(), server.base)
            await tab.goto("warm-up", "/")
            by_url = [await tab.goto("by URL", "/") for _ in range(3)]
            button = tab.page.get_by_role("button", name="rerun")
            reruns = []
            for n in range(2, 5):  # seconds from the click until the page says "run n"
                start = time.perf_counter()
                await button.click()
                await tab.page.get_by_text(f"run {n}", exact=True).wait_for(timeout=60_000)
                reruns.append(Timing("rerun", time.perf_counter() - start))
            await browser.close()
    finally:
        server.stop()
    out = {"by_url": [asdict(t) for t in by_url], "rerun": [asdict(t) for t in reruns]}
    raw["browser_floor"] = out
    return out


def floor_figure(out: dict[str, Any]) -> Figure:
    url = median([t["seconds"] for t in out["by_url"]])
    rerun = median([t["seconds"] for t in out["rerun"]])
    if url is None or rerun is None:
        raise RuntimeError(f"a floor measurement timed out: {out}")
    return Figure(
        "floor_url_s",
        "7. (info) floor: empty Streamlit page by URL",
        url,
        f"{url:.2f} s",
        detail=f"a rerun (button) {rerun:.2f} s; medians of 3: what every page and action costs "
        "here before any query",
    )


def browser_figures(out: dict[str, Any]) -> list[Figure]:
    def worst(timings: list[dict[str, Any]]) -> float | None:
        values = [t["seconds"] for t in timings]
        return None if None in values else max(values)

    def listing(timings: list[dict[str, Any]]) -> str:
        return ", ".join(Timing.of(t).text() for t in timings)

    def shown(seconds: float | None) -> str:
        return "timeout" if seconds is None else f"{seconds:.2f} s"

    def errors(timings: list[dict[str, Any]]) -> bool:
        return any(t["errors"] for t in timings)

    def seconds_figure(
        key: str, name: str, timings: list[dict], limit: float, extra: str = ""
    ) -> Figure:
        value = worst(timings)
        return Figure(
            key,
            name,
            value,
            shown(value),
            f"≤ {limit:g} s",
            at_most(value, limit) and not errors(timings),
            listing(timings) + extra,
        )

    def slowdown(alone: list[dict], together: list[dict]) -> float | None:
        a, t = worst(alone), worst(together)  # worst() is None on a timeout
        if a is None or t is None:
            return None
        return sum(x["seconds"] for x in together) / sum(x["seconds"] for x in alone)

    def two_users() -> Figure:
        first, later = out["two_users_first"], out["two_users_later"]
        slow = {
            "A Inquiries first": slowdown([first["alone"][0]], [first["together"][0]]),
            "B Today first": slowdown([first["alone"][1]], [first["together"][1]]),
            "A 5 pages later": slowdown(later["alone"][0], later["together"][0]),
            "B 5 pages later": slowdown(later["alone"][1], later["together"][1]),
        }
        two = None if None in slow.values() else max(slow.values())
        return Figure(
            "two_users_slowdown",
            "7. two users at once, worst slowdown",
            two,
            "timeout" if two is None else f"{two:.2f}×",
            "≤ 1.5×",
            at_most(two, 1.5),
            ", ".join(f"{k} {v:.2f}×" if v else f"{k} timeout" for k, v in slow.items())
            + f" (first: alone {listing(first['alone'])}; together {listing(first['together'])})",
        )

    def server_first() -> Figure:
        rss = out.get("server_peak_rss")
        return Figure(
            "server_first_page_s",
            "7. (info) server's very first page",
            out["server_first"]["seconds"],
            shown(out["server_first"]["seconds"]),
            detail="streamlit just started: imports and the first snapshot"
            + (f"; server peak RSS {rss / GiB:.2f} GiB" if rss else ""),
        )

    builders: list[tuple[str, Callable[[], Figure]]] = [
        (
            "first render after a load",
            lambda: seconds_figure(
                "first_render_s",
                "7. first render after a load (worst page)",
                out["first_render"],
                2.0,
            ),
        ),
        (
            "every page later, sidebar",
            lambda: seconds_figure(
                "later_sidebar_s",
                "7. every page later, sidebar (worst)",
                out["later_sidebar"],
                0.5,
            ),
        ),
        (
            "every page later, by URL",
            lambda: seconds_figure(
                "later_url_s", "7. every page later, by URL (worst)", out["later_url"], 0.5
            ),
        ),
        (
            "search",
            lambda: seconds_figure(
                "search_s",
                "7. search 田中 on Inquiries",
                [out["search"]],
                0.5,
                f"; {out['search']['before']} → {out['search']['after']}",
            ),
        ),
        (
            "filter change",
            lambda: seconds_figure(
                "filter_s",
                "7. filter change (worst of 2)",
                out["filters"]["timings"],
                0.5,
                f"; → {out['filters']['after']}",
            ),
        ),
        (
            "open an inquiry",
            lambda: seconds_figure(
                "open_inquiry_s",
                "7. open an inquiry, ?inquiry=ID (worst)",
                out["open_inquiry"],
                0.5,
                f"; by a row click: {Timing.of(out['open_by_row_click']).text()}",
            ),
        ),
        ("two users at once", two_users),
        ("server's very first page", server_first),
    ]
    figures = []
    for what, build in builders:
        try:
            figures.append(build())
        except Exception as exc:  # a scenario that did not complete: its line says so
            figures += failed("7", what, exc)
    return figures


# ------------------------------------------------------------------------------------- main


def machine() -> dict[str, str]:
    import duckdb

    with open("/proc/meminfo") as fh:
        mem = int(fh.readline().split()[1]) * 1024

    def git(*args: str) -> str:  # read-only queries
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {mem / GiB:.0f} GiB",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "commit": git("rev-parse", "--short", "HEAD").strip(),
        "uncommitted_files": str(
            len(git("status", "--porcelain", "--untracked-files=no").splitlines())
        ),
    }


def failed(number: str, what: str, exc: BaseException) -> list[Figure]:
    """The line a section that failed leaves in the table (the rest of the run goes on)."""
    traceback.print_exception(exc)
    text = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return [Figure(f"error_{number}_{what}", f"{number}. {what}", None, "error", "", False, text)]


def compile_bytecode() -> None:
    """The program's bytecode, as an installed one has it (pip compiles on install; `make test`
    does the same): with PYTHONDONTWRITEBYTECODE set, every cold process of the figures (report
    --json above all) would otherwise compile ~40 modules from source, 0.05 s of CPU each time."""
    import compileall

    for folder in ("pipelines", "views"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    compileall.compile_file(ROOT / "dashboard.py", quiet=1)


def stop_on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM as Ctrl-C, so that the finally blocks stop streamlit and remove the work folder."""
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--inquiries", type=int, default=None, help="default 1,000,000 (--quick 100,000)"
    )
    parser.add_argument("--text", choices=("rich", "plain"), default="rich")
    parser.add_argument(
        "--repeat", type=int, default=None, help="load rounds (default 3, --quick 1)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="100k inquiries, one round, no browser"
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the files and databases here"
    )
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.add_argument(
        "--mark-db", type=Path, default=None, help="only figure 9, on this existing database"
    )
    parser.add_argument("--as-of", default=UI_AS_OF, help="--mark-db's day (default 2026-11-20)")
    parser.add_argument("--mail-sync", action="store_true", help="only figure 10 (IMAP sync)")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:]), default=str))
        return
    if args.mark_db is not None:
        sys.path.insert(0, str(ROOT))
        for figure in mark_figures(args.mark_db, args.as_of, {}, Log()):
            print(figure.line())
        return
    if args.mail_sync:
        for figure in mail_sync_figures({}, Log()):
            print(figure.line())
        return

    sys.path.insert(0, str(ROOT))
    compile_bytecode()
    n = args.inquiries or (100_000 if args.quick else 1_000_000)
    repeat = args.repeat or (1 if args.quick else 3)
    browser = not (args.quick or args.no_browser)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="opsdash-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = Log()
    started = datetime.now()
    raw: dict[str, Any] = {}
    figures: list[Figure] = []
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        exports, data = make_data(n, args.text, work, log)
        log("message reader over the generated messages")
        try:
            figures += reader_figures(data, raw)
        except Exception as exc:
            figures += failed("8", "message reader", exc)
        del data
        try:
            load_figs, db = load_figures(exports, work, repeat, raw, log)
            figures += load_figs
        except Exception as exc:
            figures += failed("1", "loads", exc)
            db = None
        try:
            figures += xlsx_figures(work, XLSX_ROWS if n >= 1_000_000 else n, raw, log)
        except Exception as exc:
            figures += failed("3b", "xlsx load", exc)
        if db is not None:
            try:
                figures += report_figures(db, exports, repeat, raw, log)
            except Exception as exc:
                figures += failed("5", "report", exc)
            try:
                figures += mark_figures(db, UI_AS_OF, raw, log)
            except Exception as exc:
                figures += failed("9", "mark round-trip", exc)
            try:  # 10. server-side pages (benchmarks/page_bench.py)
                from page_bench import page_figures

                figures += page_figures(db, work, min(repeat, 3), raw, log)
            except Exception as exc:
                figures += failed("10", "server-side pages", exc)
        try:
            figures += mail_sync_figures(raw, log)
        except Exception as exc:
            figures += failed("11", "mail sync", exc)
        if browser and db is not None:
            try:
                asyncio.run(browser_session(db, work, raw, log))
            except Exception as exc:
                figures += failed("7", "browser", exc)
            figures += browser_figures(raw.get("browser", {}))  # what completed
            try:
                figures.append(floor_figure(asyncio.run(framework_floor(work, raw, log))))
            except Exception as exc:
                figures += failed("7", "browser floor", exc)
        log("done")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    order = {f.key: i for i, f in enumerate(figures)}
    figures.sort(key=lambda f: (f.name.split(".")[0].zfill(2), order[f.key]))
    info = machine()
    head = (
        f"{n:,} inquiries / {exports.events:,} events, text={args.text} "
        f"(UTF-8 {exports.megabytes_utf8:.0f} MB, CP932 {exports.megabytes_cp932:.0f} MB) — "
        f"{info['machine']}, Python {info['python']}, DuckDB {info['duckdb']}, "
        f"commit {info['commit']} (+{info['uncommitted_files']} uncommitted files)"
    )
    loads = [float(s["load_average"].split()[0]) for s in log.steps]
    print(
        f"\n{head}\n{started:%Y-%m-%d %H:%M}, load average (1 min) at start {loads[0]:.2f}, "
        f"highest {max(loads):.2f}, at end {loads[-1]:.2f}\n"
    )
    print(f"{'figure':<46} {'value':>12}  {'target':<8} {'status':<8} detail")
    for figure in figures:
        print(figure.line())
    targeted = [f for f in figures if f.met is not None]
    missed = [f.name for f in targeted if not f.met]
    print(
        f"\n{len(targeted) - len(missed)} of {len(targeted)} targets met"
        + ("; not met: " + "; ".join(missed) if missed else "")
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "inquiries": n,
        "events": exports.events,
        "text": args.text,
        "repeat": repeat,
        "megabytes": {"utf8": exports.megabytes_utf8, "cp932": exports.megabytes_cp932},
        **info,
        "load_average": log.steps,
        "figures": [asdict(f) | {"status": f.status} for f in figures],
        "raw": raw,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str)
    (RESULTS / "bench.json").write_text(text)
    (RESULTS / f"bench-{started:%Y%m%d-%H%M%S}.json").write_text(text)
    print(f"results: {RESULTS / 'bench.json'}")


if __name__ == "__main__":
    main()
