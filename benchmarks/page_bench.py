"""Server-side page figures of issue 25 (no browser): what the Streamlit server spends on a page.

    .venv/bin/python benchmarks/page_bench.py --db BIG.duckdb [--sample SAMPLE.duckdb] [--repeat 3]

A real `streamlit run dashboard.py` serves sessions opened over its websocket the way a browser
opens them (a BackMsg `rerun_script` with the page and `?as_of=`); a page's time is from that
message to the server's `script_finished` — the server's whole work for the page, without any
drawing. The server's CPU seconds (user + system, every thread, from /proc) are read around each
measurement: the machine is shared, and CPU time is what a busy minute does not inflate.

- **page alone ÷ sample**: every page as the first session after a load (the file swapped for a
  copy of itself, so every cache keyed by the database version starts empty), on the big database
  and on the sample's, each on its own server after one warm-up page (imports); median of --repeat.
  Figure: the worst page's ratio                                                            ≤ 1.5×
- **five sessions at once ÷ one**: five sessions open Today together right after a load, against
  one session opening it alone right after a load (same server); the slowest of the five ÷ alone,
  median of --repeat                                                                        ≤ 1.3×

bench.py runs this on the generated database (the figures beside the browser's); this file also
runs on its own, on any database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-20"
PAGES = {"overview": "", "whatif": "whatif", "today": "today", "inquiries": "inquiries"}
PAGES["data"] = "data"
SESSIONS = 5
TIMEOUT_S = 300


@dataclass
class Run:
    """One page opened by one session: seconds to the server's last script_finished, and what went
    wrong (an exception element or a timeout)."""

    page: str
    seconds: float
    error: str = ""


def server_cpu(pid: int) -> float:
    """The process's CPU seconds so far (user + system, all threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_page(port: int, page: str, query: str = f"as_of={AS_OF}", start: Any = None) -> Run:
    """Open a page as a new session over the websocket and wait for the server to finish it."""
    import websocket
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/_stcore/stream", timeout=TIMEOUT_S, subprotocols=["streamlit"]
    )
    try:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = PAGES[page]
        if start is not None:
            start.wait()  # every session connected: they ask together
        began = time.perf_counter()
        ws.send_binary(msg.SerializeToString())
        error = ""
        while True:
            data = ws.recv()
            if not isinstance(data, bytes):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "exception":
                    error = error or element.exception.message[:200]
                elif element.WhichOneof("type") == "alert" and element.alert.format == 1:
                    error = error or element.alert.body[:200]  # st.error
            if kind == "script_finished" and fwd.script_finished != 3:  # 3: early, for a rerun
                return Run(page, time.perf_counter() - began, error)
    except Exception as exc:  # a timeout or a dropped connection: the figure says so
        return Run(page, float("nan"), f"{type(exc).__name__}: {exc}")
    finally:
        ws.close()


def together(port: int, page: str, n: int) -> list[Run]:
    """n sessions opening the same page at the same moment."""
    start = threading.Barrier(n)
    runs: list[Run | None] = [None] * n

    def one(i: int) -> None:
        runs[i] = open_page(port, page, start=start)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in runs if r is not None]


def measured(server: Any, action: Any) -> tuple[Any, float]:
    """action()'s result and the server's CPU seconds during it."""
    cpu = server_cpu(server.proc.pid)
    result = action()
    return result, server_cpu(server.proc.pid) - cpu


def pages_alone(db: Path, work: Path, repeat: int, log: Any) -> dict[str, Any]:
    """Every page as the first session after a load, on its own server: seconds and CPU seconds."""
    from bench import Dashboard, new_version

    server = Dashboard(db, work / f"streamlit-{db.stem}.log")
    out: dict[str, Any] = {}
    try:
        for page in PAGES:  # imports and first-use work, not measured
            open_page(server.port, page)
        for page in PAGES:
            rounds = []
            for _ in range(repeat):
                new_version(db)
                run, cpu = measured(server, lambda p=page: open_page(server.port, p))
                rounds.append({**asdict(run), "cpu": cpu})
            log(f"server side: {page} alone on {db.name}: {_median(rounds):.3f} s")
            out[page] = {
                "seconds": _median(rounds),
                "cpu": statistics.median(r["cpu"] for r in rounds),
                "rounds": rounds,
            }
    finally:
        server.stop()
    return out


def sessions_at_once(db: Path, work: Path, repeat: int, log: Any) -> dict[str, Any]:
    """Today opened by one session alone and by five at once, each right after a load."""
    from bench import Dashboard, new_version

    server = Dashboard(db, work / f"streamlit-{db.stem}-five.log")
    alone, crowd = [], []
    try:
        open_page(server.port, "data")  # imports, not measured
        for _ in range(repeat):
            new_version(db)
            run, cpu = measured(server, lambda: open_page(server.port, "today"))
            alone.append({**asdict(run), "cpu": cpu})
            new_version(db)
            runs, cpu = measured(server, lambda: together(server.port, "today", SESSIONS))
            crowd.append(
                {
                    "seconds": max(r.seconds for r in runs),
                    "runs": [asdict(r) for r in runs],
                    "error": next((r.error for r in runs if r.error), ""),
                    "cpu": cpu,
                }
            )
            log(
                f"server side: Today alone {alone[-1]['seconds']:.3f} s, five at once "
                f"{crowd[-1]['seconds']:.3f} s (CPU {alone[-1]['cpu']:.2f} / {cpu:.2f} s)"
            )
    finally:
        server.stop()
    return {"alone": alone, "together": crowd}


def _median(rounds: list[dict[str, Any]]) -> float:
    return statistics.median(r["seconds"] for r in rounds)


def page_results(
    big: Path, sample: Path | None, work: Path, repeat: int, log: Any
) -> dict[str, Any]:
    """Both measurements (the sample's pages only when a sample database is given)."""
    out: dict[str, Any] = {"big": pages_alone(big, work, repeat, log)}
    if sample is not None:
        out["sample"] = pages_alone(sample, work, repeat, log)
    out["five"] = sessions_at_once(big, work, repeat, log)
    return out


def summary(out: dict[str, Any]) -> list[tuple[str, float | None, str, bool | None, str]]:
    """(figure, value, shown value, met, detail) for each server-side figure."""
    rows = []
    big, sample = out.get("big", {}), out.get("sample", {})
    if big and sample:
        ratios = {p: big[p]["seconds"] / sample[p]["seconds"] for p in big if p in sample}
        worst = max(ratios, key=lambda p: ratios[p])
        detail = ", ".join(
            f"{p} {ratios[p]:.2f}× ({big[p]['seconds']:.2f} / {sample[p]['seconds']:.2f} s, "
            f"CPU {big[p]['cpu']:.2f} / {sample[p]['cpu']:.2f} s)"
            for p in ratios
        )
        errors = [
            r["error"] for d in (big, sample) for p in d for r in d[p]["rounds"] if r["error"]
        ]
        rows.append(
            (
                "page alone, big ÷ sample, worst",
                ratios[worst],
                f"{ratios[worst]:.2f}× {worst}",
                None if errors else ratios[worst] <= 1.5,
                detail + (f"; ERROR {errors[0]}" if errors else ""),
            )
        )
    five = out.get("five")
    if five:
        alone = _median(five["alone"])
        crowd = _median(five["together"])
        errors = [r["error"] for r in five["alone"] + five["together"] if r["error"]]
        cpu_alone = statistics.median(r["cpu"] for r in five["alone"])
        cpu_crowd = statistics.median(r["cpu"] for r in five["together"])
        ratio = crowd / alone
        rows.append(
            (
                "five sessions open Today at once ÷ one",
                ratio,
                f"{ratio:.2f}×",
                None if errors else ratio <= 1.3,
                f"slowest of five {crowd:.2f} s, alone {alone:.2f} s; server CPU "
                f"{cpu_crowd:.2f} s for five, {cpu_alone:.2f} s for one"
                + (f"; ERROR {errors[0]}" if errors else ""),
            )
        )
    return rows


def sample_database(work: Path) -> Path:
    """The bundled sample loaded into a database of its own (the pages' yardstick)."""
    sys.path.insert(0, str(ROOT))
    from pipelines import load_files

    db = work / "sample" / "ops.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        sample = sorted(p for p in (ROOT / "data" / "sample").iterdir() if p.is_file())
        load_files(sample, db)
    return db


def page_figures(db: Path, work: Path, repeat: int, raw: dict[str, Any], log: Any) -> list[Any]:
    """Figure 10 for bench.py: the server-side page figures as bench.Figure lines."""
    from bench import Figure

    log("server side: pages alone and five sessions at once (websocket, no browser)")
    out = page_results(db, sample_database(work), work, repeat, log)
    raw["server_pages"] = out
    keys = ("page_alone_ratio", "five_sessions_ratio")
    targets = ("≤ 1.5×", "≤ 1.3×")
    return [
        Figure(key, f"10. {name}", value, shown, target, met is True, detail)
        for key, target, (name, value, shown, met, detail) in zip(
            keys, targets, summary(out), strict=False
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=Path, required=True, help="the big database (swapped in place)"
    )
    parser.add_argument("--sample", type=Path, default=None, help="the sample's database")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("alone", "five"), default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    def log(text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}  {text}", flush=True)

    out: dict[str, Any] = {}
    if args.only in (None, "alone"):
        out["big"] = pages_alone(args.db, args.work, args.repeat, log)
        if args.sample is not None:
            out["sample"] = pages_alone(args.sample, args.work, args.repeat, log)
    if args.only in (None, "five"):
        out["five"] = sessions_at_once(args.db, args.work, args.repeat, log)
    for name, _value, shown, met, detail in summary(out):
        status = "met" if met else ("NOT MET" if met is False else "error")
        print(f"{name:<42} {shown:>14}  {status:<8} {detail}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
