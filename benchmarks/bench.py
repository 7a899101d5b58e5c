"""Speed and memory at scale: prints a table and writes benchmarks/results/bench.json.

    .venv/bin/python benchmarks/bench.py [--inquiries 1000000]

(a) load of canonical UTF-8 CSV ÷ DuckDB's bare CREATE TABLE AS SELECT * FROM read_csv   target ≤ 2.0
(b) load of the same data in CP932 ÷ the same bare read                                  target ≤ 3.0
(c) report + weekly series at N ÷ at 10k inquiries (sub-linear; absolute at N < 2 s)
(d) a straightforward pandas implementation of the four headline metrics ÷ ours           target ≥ 10
(e) peak memory (RSS) of the N load                                                        target ≤ 2 GiB
(f) re-loading unchanged files ÷ (a)                                                       target ≤ 5 %
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipelines  # noqa: E402
from pipelines.demo import generate, write_exports  # noqa: E402

AS_OF = date(2026, 11, 24)
LOAD_SCRIPT = (
    "import resource, sys, time\n"
    "from pipelines.loader import load_files\n"
    "t = time.perf_counter(); load_files(sys.argv[2:], sys.argv[1]); s = time.perf_counter() - t\n"
    "print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)\n"
)


def timed_load(files: list[Path], db: Path) -> tuple[float, int]:
    """Seconds inside load_files, and the peak RSS in bytes of the loading process."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(db), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def bare_read(files: list[Path]) -> float:
    """DuckDB's own CREATE TABLE … AS SELECT * FROM read_csv(…) of the same files."""
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bare.duckdb"))
        start = time.perf_counter()
        for i, f in enumerate(files):
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?)", [str(f)])
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - start
        con.close()
    return seconds


def report_seconds(db: Path, repeat: int = 3) -> float:
    """Best of a few runs: the full report plus the weekly series, on a fresh connection."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        con = pipelines.connect(db)
        pipelines.report(con, AS_OF)
        pipelines.metrics_by(con, "W", AS_OF)
        con.close()
        best = min(best, time.perf_counter() - start)
    return best


def report_warm_seconds(db: Path, repeat: int = 3) -> float:
    """The same on a connection whose facts for the day already exist: what the dashboard does
    after its first figure (one snapshot per database version, facts evaluated once per day)."""
    con = pipelines.connect(db)
    pipelines.facts_table(con, AS_OF)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pipelines.report(con, AS_OF)
        pipelines.metrics_by(con, "W", AS_OF)
        best = min(best, time.perf_counter() - start)
    con.close()
    return best


def pandas_headline(files: list[Path]) -> float:
    """A straightforward pandas version of the four headline metrics (reading the CSVs included)."""
    start = time.perf_counter()
    inq = pd.read_csv(files[0], parse_dates=["received_at", "requested_for"])
    ev = pd.read_csv(files[1], parse_dates=["event_at"])
    end = pd.Timestamp(AS_OF) + pd.Timedelta(days=1)
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
    lost = ~f.contract_at.notna() & (silent | urgent)
    _ = (
        f.contract_at.notna().mean(),
        silent.sum() / judged.sum(),
        urgent.sum(),
        minutes[lost].mean(),
    )
    return time.perf_counter() - start


def ours_headline(db: Path) -> tuple[float, float]:
    """Seconds for the headline metrics: cold (connect, evaluate the rules) and warm (facts exist)."""
    start = time.perf_counter()
    con = pipelines.connect(db)
    pipelines.headline(con, AS_OF)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    pipelines.headline(con, AS_OF)
    warm = time.perf_counter() - start
    con.close()
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inquiries", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated files here")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="opsdash-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"generating {args.inquiries:,} inquiries in {work} …", flush=True)
    t = time.perf_counter()
    data = generate(args.inquiries, seed=1, as_of=AS_OF)
    utf8 = write_exports(data, work / "utf8", style="canonical")
    cp932 = write_exports(data, work / "cp932", style="cp932")
    small = write_exports(generate(10_000, seed=1, as_of=AS_OF), work / "small", style="canonical")
    events = len(data.events)
    del data
    print(f"  {events:,} events; generated in {time.perf_counter() - t:.1f} s", flush=True)

    for old in work.glob("*.duckdb*"):  # a kept --workdir must not turn loads into reloads
        old.unlink()
    bare = bare_read(utf8)
    load_s, load_rss = timed_load(utf8, work / "a.duckdb")
    cp_s, _ = timed_load(cp932, work / "b.duckdb")
    reload_s, _ = timed_load(utf8, work / "a.duckdb")
    timed_load(small, work / "small.duckdb")
    report_big, report_small = (
        report_seconds(work / "a.duckdb"),
        report_seconds(work / "small.duckdb"),
    )
    warm_big = report_warm_seconds(work / "a.duckdb")
    pandas_s = pandas_headline(utf8)
    ours_s, ours_warm_s = ours_headline(work / "a.duckdb")

    results = {
        "inquiries": args.inquiries,
        "events": events,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}",
        "bare_read_s": bare,
        "load_utf8_s": load_s,
        "load_cp932_s": cp_s,
        "reload_s": reload_s,
        "report_s": report_big,
        "report_warm_s": warm_big,
        "ours_headline_warm_s": ours_warm_s,
        "report_10k_s": report_small,
        "pandas_headline_s": pandas_s,
        "ours_headline_s": ours_s,
        "a_load_vs_bare": load_s / bare,
        "b_cp932_vs_bare": cp_s / bare,  # DuckDB reads CP932 only via a downloaded extension
        "c_report_ratio": report_big / report_small,
        "d_pandas_vs_ours": pandas_s / ours_s,
        "e_peak_rss_gib": load_rss / 2**30,
        "f_reload_vs_load": reload_s / load_s,
    }
    rows = [
        (
            "(a) UTF-8 load ÷ bare read_csv",
            f"{results['a_load_vs_bare']:.2f}×",
            "≤ 2.0×",
            f"{load_s:.2f} s vs {bare:.2f} s",
        ),
        (
            "(b) CP932 load ÷ bare read_csv",
            f"{results['b_cp932_vs_bare']:.2f}×",
            "≤ 3.0×",
            f"{cp_s:.2f} s",
        ),
        (
            "(c) report+weekly at N ÷ at 10k",
            f"{results['c_report_ratio']:.1f}×",
            "sub-linear",
            f"{report_big:.3f} s vs {report_small:.3f} s",
        ),
        (
            "(d) pandas ÷ ours (headline)",
            f"{results['d_pandas_vs_ours']:.1f}×",
            "≥ 10×",
            f"{pandas_s:.2f} s vs {ours_s:.3f} s",
        ),
        ("(e) peak RSS of the load", f"{results['e_peak_rss_gib']:.2f} GiB", "≤ 2 GiB", ""),
        (
            "(f) unchanged reload ÷ (a)",
            f"{results['f_reload_vs_load'] * 100:.1f} %",
            "≤ 5 %",
            f"{reload_s:.2f} s",
        ),
    ]
    print(f"\n{args.inquiries:,} inquiries, {events:,} events — {results['machine']}")
    for name, value, target, detail in rows:
        print(f"{name:<34} {value:>10}  target {target:<10} {detail}")
    print(
        f"{'    warm (facts for the day exist)':<34} {warm_big:.3f} s report+weekly; headline {ours_warm_s:.3f} s "
        f"= pandas ÷ {pandas_s / ours_warm_s:.0f}"
    )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
