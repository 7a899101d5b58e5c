"""Export files of the demo business: canonical CSV, CP932, or the mixed files of a real office."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from pipelines.demo.generate import DemoData

JA_INQUIRY_HEADERS = [
    "問い合わせID",
    "受付日時",
    "お名前",
    "ご住所",
    "メールアドレス",
    "架電先",
    "希望日",
    "依頼種別",
    "お問い合わせ内容",
    "受付方法",
    "対応時間(分)",
]
JA_EVENT_HEADERS = [
    "問い合わせID",
    "対応日時",
    "種別",
    "見積金額",
    "担当者",
    "対応時間(分)",
    "備考",
]
JA_KINDS = {
    "quote_sent": "見積送信",
    "customer_reply": "顧客返信",
    "contract_requested": "正式依頼",
    "contract_signed": "契約締結",
    "customer_declined": "辞退連絡",
    "cancelled": "キャンセル",
    "staff_work": "社内作業",
}


def _slash(ts: pd.Series) -> pd.Series:
    """'2026/1/5 9:05' — Excel's default on Japanese Windows."""
    return (
        ts.dt.year.astype(str)
        + "/"
        + ts.dt.month.astype(str)
        + "/"
        + ts.dt.day.astype(str)
        + " "
        + ts.dt.hour.astype(str)
        + ":"
        + ts.dt.strftime("%M")
    )


def _kanji(ts: pd.Series, with_time: bool) -> pd.Series:
    weekday = pd.Series(list("月火水木金土日"))[ts.dt.day_of_week.fillna(0).astype(int)].to_numpy()
    text = (
        ts.dt.year.astype("Int64").astype(str)
        + "年"
        + ts.dt.month.astype("Int64").astype(str)
        + "月"
        + ts.dt.day.astype("Int64").astype(str)
        + "日("
        + weekday
        + ")"
    )
    if with_time:
        text = text + " " + ts.dt.strftime("%H時%M分")
    return text.where(ts.notna(), None)


def _reiwa(ts: pd.Series) -> pd.Series:
    text = (
        "令和"
        + (ts.dt.year - 2018).astype("Int64").astype(str)
        + "年"
        + ts.dt.month.astype("Int64").astype(str)
        + "月"
        + ts.dt.day.astype("Int64").astype(str)
        + "日"
    )
    return text.where(ts.notna(), None)


def _write_csv(frame: pd.DataFrame, path: Path, encoding: str) -> None:
    text = frame.to_csv(index=False, lineterminator="\r\n" if encoding == "cp932" else "\n")
    path.write_bytes(text.encode(encoding))


def write_exports(data: DemoData, out_dir: str | Path, style: str = "mixed") -> list[Path]:
    """Write the logs as export files; style 'mixed' (like the real office), 'canonical' or 'cp932'."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if style in ("canonical", "cp932"):
        return _write_canonical(data, out, style)
    # mixed: the older half as a CP932 Japanese export, the newer half as UTF-8 (BOM) with English
    # headers, the last two weeks as an .xlsx workbook; quote log split into CP932 and UTF-8 too.
    return _write_mixed_inquiries(data.inquiries, out) + _write_mixed_events(data.events, out)


def _write_canonical(data: DemoData, out: Path, style: str) -> list[Path]:
    """inquiries.csv and events.csv as DuckDB writes them (UTF-8), re-encoded for 'cp932'."""
    paths = [out / "inquiries.csv", out / "events.csv"]
    con = duckdb.connect()
    try:
        for frame, path in ((data.inquiries, paths[0]), (data.events, paths[1])):
            con.from_df(frame).write_csv(str(path), header=True, sep=",")
    finally:
        con.close()
    if style == "cp932":
        for path in paths:
            converted = path.with_suffix(".tmp")
            with (
                path.open("r", encoding="utf-8", newline="") as src,
                converted.open("w", encoding="cp932", newline="") as dst,
            ):
                while chunk := src.read(8 * 1024 * 1024):
                    dst.write(chunk)
            converted.replace(path)
    return paths


# Rows an office's exports hold by mistake: a date that does not exist, negative minutes.
_BAD_INQUIRIES = [
    ["Q-BAD-1", "2026/02/30 10:00", "山田太郎", "東京都", "a@example.jp", "03-0000-0000", "",
     "退職の連絡", "日付が壊れています", "メール", "5"],
    ["Q-BAD-2", "2026/1/5 9:05", "佐藤花子", "大阪府", "b@example.jp", "06-0000-0000", "",
     "欠勤の連絡", "マイナスの時間", "メール", "-10"],
]  # fmt: skip
# An unknown event kind and a date that cannot be read.
_BAD_EVENTS = [
    ["Q0000001", "2026年1月5日(月) 10時00分", "見積もり？", "", "佐藤", "10", "種別の誤記"],
    ["Q0000002", "昨日", "顧客返信", "", "鈴木", "5", "日付が読めない"],
]


def _write_mixed_inquiries(inq: pd.DataFrame, out: Path) -> list[Path]:
    """The inquiry log as three files: CP932 (Japanese headers), UTF-8 with BOM, and .xlsx."""
    cut = inq["received_at"].quantile(0.5)
    recent = inq["received_at"].max() - pd.Timedelta(days=14)
    old, new, latest = (
        inq[inq.received_at <= cut],
        inq[(inq.received_at > cut) & (inq.received_at <= recent)],
        inq[inq.received_at > recent],
    )
    paths = []
    ja = old.copy()
    ja["received_at"] = _slash(ja["received_at"])
    req = pd.to_datetime(ja["requested_for"])
    ja["requested_for"] = np.where(np.arange(len(ja)) % 2 == 0, _kanji(req, False), _reiwa(req))
    ja.columns = JA_INQUIRY_HEADERS
    ja = pd.concat([ja, pd.DataFrame(_BAD_INQUIRIES, columns=JA_INQUIRY_HEADERS)])
    paths.append(out / "1_問い合わせ履歴_前期.csv")
    _write_csv(ja, paths[-1], "cp932")
    en = new.copy()
    en["received_at"] = en["received_at"].dt.strftime("%Y-%m-%dT%H:%M:%S+09:00")
    en["requested_for"] = pd.to_datetime(en["requested_for"]).dt.strftime("%Y-%m-%d")
    paths.append(out / "3_inquiries_recent.csv")
    _write_csv(en, paths[-1], "utf-8-sig")
    paths.append(out / "4_inquiries_latest.xlsx")
    xl = latest.copy()
    xl["requested_for"] = pd.to_datetime(xl["requested_for"])
    xl.columns = JA_INQUIRY_HEADERS
    xl.to_excel(paths[-1], index=False, sheet_name="問い合わせ")
    return paths


def _write_mixed_events(ev: pd.DataFrame, out: Path) -> list[Path]:
    """The quote log as two files: CP932 with Japanese headers and kinds, and UTF-8."""
    ev_cut = ev["event_at"].quantile(0.5)
    ev_old, ev_new = ev[ev.event_at <= ev_cut].copy(), ev[ev.event_at > ev_cut].copy()
    ev_old["event_at"] = _kanji(ev_old["event_at"], True)
    ev_old["event"] = ev_old["event"].map(JA_KINDS)
    ev_old["amount_jpy"] = ev_old["amount_jpy"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    ev_old.columns = JA_EVENT_HEADERS
    ev_old = pd.concat([ev_old, pd.DataFrame(_BAD_EVENTS, columns=JA_EVENT_HEADERS)])
    paths = [out / "2_見積ログ_前期.csv"]
    _write_csv(ev_old, paths[-1], "cp932")
    ev_new["event_at"] = ev_new["event_at"].dt.strftime("%Y-%m-%d %H:%M")
    paths.append(out / "5_quote_log_recent.csv")
    _write_csv(ev_new, paths[-1], "utf-8")
    with paths[-1].open("a", encoding="utf-8") as fh:
        fh.write("Q0000003,2026-11-01 10:00,quote_sent,5000\n")  # cut short: wrong column count
    return paths
