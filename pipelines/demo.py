"""A deterministic synthetic business: inquiry and quote logs shaped like the real exports.

Behaviour follows the business: a weekday rhythm, about a fifth urgent requests phrased as customers
write them, many customers silent after the quote (some returning the day before the call), declines
with notice, revised quotes, contracts signed too late, cancellations, and staff minutes on every step.
Everything is vectorised with numpy so a million inquiries take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines.calendar import business_day_table
from pipelines.settings import load_settings

SURNAMES = np.array(
    ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "吉田", "松本"]
)
GIVEN = np.array(
    ["太郎", "花子", "健", "美咲", "翔太", "陽菜", "大輔", "由美", "誠", "彩", "Ken", "Anna"]
)
PREFECTURES = np.array(
    [
        "東京都新宿区",
        "東京都世田谷区",
        "大阪府大阪市北区",
        "神奈川県横浜市",
        "愛知県名古屋市",
        "福岡県福岡市",
        "北海道札幌市",
        "京都府京都市",
        "埼玉県さいたま市",
        "千葉県千葉市",
    ]
)
SERVICES = np.array(
    [
        "退職の連絡",
        "欠勤の連絡",
        "内定辞退",
        "予約のキャンセル",
        "苦情・クレームの連絡",
        "その他の代理電話",
    ]
)
CHANNELS = np.array(["メール", "Webフォーム", "メール", "Webフォーム", "LINE"])
STAFF = np.array(["佐藤", "鈴木", "高橋", "田中"])
URGENT_MESSAGES = np.array(
    [
        "明日お願いします",
        "1時間後に電話して",
        "今日中に連絡してほしいです",
        "至急お願いします。バイト先に休むと伝えたい",
        "今すぐ電話できますか",
        "本日17時までに電話してください",
        "今夜かけてもらえますか",
        "30分後に電話お願いします",
        "大至急！明日の朝に退職を伝えてください",
        "急ぎでお願いします",
        "Please call tomorrow morning",
        "Can you call them ASAP?",
        "urgent: call in 2 hours please",
        "今から電話してもらえますか",
        "２時間後にお願いします",
    ]
)
CALM_MESSAGES = np.array(
    [
        "来週以降で構いません。退職の意思を伝えてほしいです",
        "見積もりをお願いします",
        "内定辞退の電話をお願いしたいです",
        "急ぎではありません。料金を教えてください",
        "日程はご相談させてください",
        "詳細をメールでご連絡します",
        "Not urgent - please send a quote",
        "I would like a quote for a call next month",
        "予約の取り消しを依頼したいです",
        "男性の低い声の方でお願いできますか",
        "費用の見積もりをお願いします。日程は来月です",
    ]
)
REQUESTED_MESSAGES = np.array(
    [
        "希望日に電話をお願いします",
        "見積もりをお願いします",
        "よろしくお願いします",
        "詳細は添付の通りです",
        "Please call on the requested day",
        "勤務先への連絡をお願いします",
    ]
)


# Rich text: what a Japanese office's exports hold on every row — names in kanji and kana, full
# addresses, and messages of many lengths assembled from the sentences customers write.
RICH_SURNAMES = np.array(
    [
        "佐藤",
        "鈴木",
        "高橋",
        "田中",
        "伊藤",
        "渡辺",
        "山本",
        "中村",
        "小林",
        "加藤",
        "吉田",
        "山田",
        "佐々木",
        "山口",
        "松本",
        "井上",
        "木村",
        "林",
        "斎藤",
        "清水",
        "山崎",
        "森",
        "池田",
        "橋本",
        "阿部",
        "石川",
        "山下",
        "中島",
        "石井",
        "小川",
        "前田",
        "岡田",
        "長谷川",
        "藤田",
        "後藤",
        "近藤",
        "村上",
        "遠藤",
        "青木",
        "坂本",
        "さとう",
        "たなか",
        "すずき",
    ]
)
RICH_GIVEN = np.array(
    [
        "翔太",
        "蓮",
        "大翔",
        "陽翔",
        "湊",
        "樹",
        "悠真",
        "健太",
        "拓海",
        "大輔",
        "誠",
        "直樹",
        "美咲",
        "陽菜",
        "結衣",
        "さくら",
        "葵",
        "凛",
        "美羽",
        "優花",
        "七海",
        "由美",
        "彩",
        "恵子",
        "裕子",
        "ゆうと",
        "はると",
        "ひなた",
        "めぐみ",
        "あおい",
        "Ken",
        "Anna",
        "Maria",
    ]
)
RICH_PLACES = np.array(
    [
        "東京都新宿区西新宿",
        "東京都世田谷区三軒茶屋",
        "東京都足立区千住",
        "大阪府大阪市北区梅田",
        "大阪府堺市堺区",
        "神奈川県横浜市港北区",
        "神奈川県川崎市中原区",
        "愛知県名古屋市中村区",
        "福岡県福岡市博多区",
        "北海道札幌市中央区",
        "京都府京都市左京区",
        "兵庫県神戸市中央区",
        "埼玉県さいたま市浦和区",
        "千葉県千葉市美浜区",
        "宮城県仙台市青葉区",
        "広島県広島市中区",
        "静岡県浜松市中央区",
        "沖縄県那覇市おもろまち",
        "新潟県新潟市中央区",
        "熊本県熊本市北区",
    ]
)
RICH_BUILDINGS = np.array(
    [
        "",
        "",
        "",
        "コーポさくら",
        "メゾン青葉",
        "グランドハイツ",
        "パークサイド",
        "ライオンズマンション",
    ]
)
RICH_OPENINGS = np.array(
    [
        "",
        "お世話になっております。",
        "はじめまして。",
        "突然のご連絡失礼いたします。",
        "いつもお世話になっております。",
        "こんにちは。",
        "夜分に失礼します。",
    ]
)
RICH_BODIES = np.array(
    [
        "勤務先に退職の意思を伝えていただきたいです。上司とは話しづらい状況です。",
        "アルバイト先に体調不良で休むことを連絡してほしいです。",
        "内定先に辞退の連絡をお願いしたいです。先方の人事部の方への連絡になります。",
        "美容室の予約を取り消したいのですが、自分から電話しにくいのでお願いできますか。",
        "近隣の騒音について管理会社へ苦情を伝えてほしいです。",
        "実家の親への連絡を代わりにお願いできますでしょうか。事情は別途ご説明します。",
        "病院の予約変更の電話をお願いしたいです。",
        "取引先への謝罪の電話を代行していただけないでしょうか。",
        "賃貸の解約について不動産会社に連絡をお願いします。",
        "学校に子どもの欠席連絡をしてほしいです。",
        "ジムの退会手続きの電話をお願いしたいと考えています。",
        "引っ越しの見積もりを断る電話をしてほしいです。",
    ]
)
RICH_DETAILS = np.array(
    [
        "",
        "",
        "",
        "相手の担当者は総務課の方です。",
        "電話は平日の日中につながります。",
        "先方は少し気難しい方なので丁寧にお願いします。",
        "できれば男性の方でお願いします。",
        "女性スタッフを希望します。",
        "低い声の男性でお願いできますか。",
        "料金や流れについても教えてください。",
        "支払い方法はクレジットカードを希望します。",
        "メールでのやり取りを希望します。",
        "これまでの経緯は以下の通りです。入社して二年になりますが、"
        "人間関係の問題で続けるのが難しくなりました。",
        "ご不明な点があればメールでご連絡ください。",
    ]
)
RICH_URGENT = np.array(
    [
        "明日お願いします。",
        "1時間後に電話してください。",
        "今日中に連絡してほしいです。",
        "至急お願いします。",
        "今すぐ電話できますか？",
        "本日17時までに電話してください。",
        "今夜かけてもらえますか。",
        "30分後に電話お願いします。",
        "大至急！明日の朝に伝えてください。",
        "急ぎでお願いします。",
        "きょう中にお願いできますか。",
        "二時間後に電話をお願いします。",
        "Please call tomorrow morning.",
        "Can you call them ASAP?",
        "Call in 2 hours please.",
    ]
)
RICH_CALM = np.array(
    [
        "来週以降で構いません。",
        "日程はご相談させてください。",
        "急ぎではありません。",
        "まずは見積もりをお願いします。",
        "時期はまだ決まっていません。",
        "来月中に対応いただければ大丈夫です。",
        "I would like a quote first; the timing is flexible.",
    ]
)
RICH_DATED = np.array(
    [
        "希望日に電話をお願いします。",
        "希望日の午前中にお願いします。",
        "希望日の午後が助かります。",
        "よろしくお願いします。",
        "Please call on the requested day.",
        "",
    ]
)
RICH_CLOSINGS = np.array(
    [
        "よろしくお願いいたします。",
        "ご検討よろしくお願いします。",
        "以上です。",
        "",
        "何卒よろしくお願い申し上げます。",
    ]
)


def _pick(rng: np.random.Generator, options: np.ndarray, n: int) -> np.ndarray:
    return options[rng.integers(0, len(options), size=n)]


def _join(*parts: np.ndarray) -> np.ndarray:
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + part.astype(object)
    return out


def rich_text(n: int, kind: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Names, addresses and messages as a Japanese office's exports hold them, per inquiry kind
    (0 urgent with a date, 1 urgent by wording, 2 calm without a date, 3 dated)."""
    rng = np.random.default_rng(seed + 1_000_003)  # apart from the behaviour's random stream
    surname = _pick(rng, RICH_SURNAMES, n)
    name = _join(surname, np.where(rng.random(n) < 0.3, "\u3000", ""), _pick(rng, RICH_GIVEN, n))
    address = _join(
        _pick(rng, RICH_PLACES, n),
        rng.integers(1, 9, size=n).astype(str).astype(object),
        np.full(n, "丁目", dtype=object),
        rng.integers(1, 30, size=n).astype(str).astype(object),
        np.full(n, "-", dtype=object),
        rng.integers(1, 20, size=n).astype(str).astype(object),
        np.where(rng.random(n) < 0.4, " ", ""),
        _pick(rng, RICH_BUILDINGS, n),
    )
    timing = np.where(
        kind == 1,
        _pick(rng, RICH_URGENT, n),
        np.where(kind == 2, _pick(rng, RICH_CALM, n), _pick(rng, RICH_DATED, n)),
    )
    intro = np.where(
        rng.random(n) < 0.5, _join(surname, np.full(n, "と申します。", dtype=object)), ""
    )
    message = _join(
        _pick(rng, RICH_OPENINGS, n),
        intro,
        _pick(rng, RICH_BODIES, n),
        _pick(rng, RICH_DETAILS, n),
        np.where(rng.random(n) < 0.3, _pick(rng, RICH_DETAILS, n), ""),
        timing,
        _pick(rng, RICH_CLOSINGS, n),
    )
    return {"customer_name": name, "customer_address": address, "message": message}


@dataclass(frozen=True)
class DemoData:
    """Generated logs: inquiries (one row each) and events (the quote log)."""

    inquiries: pd.DataFrame
    events: pd.DataFrame


def _to_ts(days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[m]") + minutes.astype("timedelta64[m]")


def generate(
    n_inquiries: int = 3000, seed: int = 7, as_of: date | None = None, text: str = "plain"
) -> DemoData:
    """Generate n_inquiries inquiries and their events, all on or before as_of (Japan time).

    text 'rich': realistic Japanese names, addresses and messages of many lengths on every row (what
    the benchmark measures); 'plain': a few short texts (fast, mostly for tests). The behaviour —
    statuses, events — is the same for a seed either way.
    """
    rng = np.random.default_rng(seed)
    as_of = as_of or date(2026, 11, 24)
    n = n_inquiries
    span_days = int(min(1095, max(120, n // 8)))
    first = np.datetime64(as_of - timedelta(days=span_days), "D")
    days = first + np.arange(span_days + 1)
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    weights = np.array([1.25, 1.15, 1.05, 1.0, 1.1, 0.55, 0.45])[weekday]
    received_day = np.sort(rng.choice(days, size=n, p=weights / weights.sum()))
    received_min = rng.integers(7 * 60, 23 * 60 + 50, size=n)
    order = np.lexsort((received_min, received_day))
    received_day, received_min = received_day[order], received_min[order]
    received_at = _to_ts(received_day, received_min)

    # Requests: ~20% urgent (half with a date too close, half by wording), ~8% no date and calm.
    kind = rng.choice(
        4, size=n, p=[0.10, 0.10, 0.08, 0.72]
    )  # 0 urgent-date 1 urgent-text 2 calm-text 3 dated
    lead = np.where(kind == 0, rng.integers(0, 3, size=n), 3 + rng.geometric(0.06, size=n))
    requested_day = np.where(
        np.isin(kind, (1, 2)), np.datetime64("NaT"), received_day + lead.astype("timedelta64[D]")
    )
    message = np.where(
        kind == 1,
        rng.choice(URGENT_MESSAGES, size=n),
        np.where(
            kind == 2,
            rng.choice(CALM_MESSAGES, size=n),
            np.where(
                kind == 0,
                rng.choice(URGENT_MESSAGES[:10], size=n),
                rng.choice(REQUESTED_MESSAGES, size=n),
            ),
        ),
    )
    name = np.char.add(rng.choice(SURNAMES, size=n), rng.choice(GIVEN, size=n)).astype(object)
    address = np.char.add(
        rng.choice(PREFECTURES, size=n), np.char.add(rng.integers(1, 9, size=n).astype(str), "丁目")
    ).astype(object)
    phone = np.char.add(
        "0",
        np.char.add(
            rng.integers(10, 99, size=n).astype(str),
            np.char.add(
                "-",
                np.char.add(
                    rng.integers(1000, 9999, size=n).astype(str),
                    np.char.add("-", rng.integers(1000, 9999, size=n).astype(str)),
                ),
            ),
        ),
    ).astype(object)
    ids = np.char.add("Q", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    inquiries = pd.DataFrame(
        {
            "inquiry_id": ids,
            "received_at": received_at,
            "customer_name": name,
            "customer_address": address,
            "customer_email": np.char.add(
                np.char.add("user", np.arange(n).astype(str)), "@example.jp"
            ),
            "target_phone": phone,
            "requested_for": requested_day.astype("datetime64[D]"),
            "service": rng.choice(SERVICES, size=n),
            "message": message,
            "channel": rng.choice(CHANNELS, size=n),
            "staff_minutes": rng.integers(3, 20, size=n),
        }
    )

    # Quotes on business days: same day to a few business days later.
    cal = business_day_table(load_settings())
    cal_days = cal["day"].to_numpy().astype("datetime64[D]")
    bd_index = cal["business_day_index"].to_numpy()
    business = cal_days[cal["is_business_day"].to_numpy()]
    start_idx = bd_index[(received_day - cal_days[0]).astype(int)]
    delay = rng.choice(5, size=n, p=[0.45, 0.33, 0.14, 0.05, 0.03])
    quote_day = business[np.minimum(start_idx + delay - 1 + (delay == 0), len(business) - 1)]
    same_day_ok = (delay == 0) & np.isin(received_day, business) & (received_min < 17 * 60)
    quote_day = np.where(
        same_day_ok,
        received_day,
        np.where(delay == 0, business[np.minimum(start_idx, len(business) - 1)], quote_day),
    )
    quoted = rng.random(n) < np.where(kind <= 1, 0.55, 0.93)
    quote_at = _to_ts(quote_day, rng.integers(10 * 60, 19 * 60, size=n))
    quote_at = np.maximum(quote_at, received_at + np.timedelta64(20, "m"))

    outcome = rng.choice(6, size=n, p=[0.34, 0.05, 0.12, 0.33, 0.12, 0.04])
    # 0 silent, 1 silent then returns the day before, 2 declined, 3 contracted, 4 replied only, 5 late contract
    dated = ~np.isnat(requested_day)
    outcome = np.where(~dated & np.isin(outcome, (1, 3, 5)), 4, outcome)
    ev: list[pd.DataFrame] = []

    def add(
        mask: np.ndarray,
        kind_name: str,
        at: np.ndarray,
        minutes: tuple[int, int],
        amount: np.ndarray | None = None,
    ) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        ev.append(
            pd.DataFrame(
                {
                    "inquiry_id": ids[idx],
                    "event_at": at[idx],
                    "event": kind_name,
                    "amount_jpy": amount[idx]
                    if amount is not None
                    else pd.array([None] * len(idx), dtype="Int64"),
                    "staff": rng.choice(STAFF, size=len(idx)),
                    "staff_minutes": rng.integers(*minutes, size=len(idx)),
                    "note": None,
                }
            )
        )

    amount = (rng.integers(6, 40, size=n) * 500).astype("int64")
    add(quoted, "quote_sent", quote_at, (10, 30), pd.array(amount, dtype="Int64"))
    reply_at = quote_at + rng.integers(2 * 60, 3 * 24 * 60, size=n).astype("timedelta64[m]")
    replied = quoted & np.isin(outcome, (3, 4, 5))
    add(replied, "customer_reply", reply_at, (5, 15))
    revised = replied & (rng.random(n) < 0.15)
    add(
        revised,
        "quote_sent",
        reply_at + np.timedelta64(90, "m"),
        (5, 20),
        pd.array(amount + 1000, dtype="Int64"),
    )
    req_day_ts = requested_day.astype("datetime64[m]")
    sign_slack = rng.integers(3, 10, size=n).astype("timedelta64[D]").astype("timedelta64[m]")
    sign_at = np.maximum(
        req_day_ts - sign_slack + np.timedelta64(11 * 60, "m"), reply_at + np.timedelta64(60, "m")
    )
    late_sign_at = (
        req_day_ts
        - rng.integers(1, 3, size=n).astype("timedelta64[D]").astype("timedelta64[m]")
        + np.timedelta64(15 * 60, "m")
    )
    in_time = sign_at <= req_day_ts - np.timedelta64(3 * 24 * 60, "m") + np.timedelta64(
        23 * 60, "m"
    )
    outcome = np.where(
        (outcome == 3) & ~in_time, 4, outcome
    )  # no time left to sign: they drift away
    contracted = quoted & (outcome == 3)
    late = quoted & (outcome == 5)
    signed_at = np.where(
        late, np.maximum(late_sign_at, reply_at + np.timedelta64(30, "m")), sign_at
    )
    add(contracted | late, "contract_requested", signed_at - np.timedelta64(120, "m"), (5, 15))
    add(contracted | late, "contract_signed", signed_at, (10, 25))
    arranged = (contracted | late) & (rng.random(n) < 0.3)
    add(arranged, "staff_work", signed_at + np.timedelta64(60, "m"), (10, 40))
    cancelled = contracted & (rng.random(n) < 0.05)
    add(cancelled, "cancelled", signed_at + np.timedelta64(24 * 60, "m"), (5, 10))
    declined = quoted & (outcome == 2)
    add(
        declined,
        "customer_declined",
        quote_at + rng.integers(60, 5 * 24 * 60, size=n).astype("timedelta64[m]"),
        (3, 8),
    )
    return_at = req_day_ts - np.timedelta64(24 * 60, "m") + np.timedelta64(20 * 60, "m")
    returned = quoted & (outcome == 1) & (return_at > quote_at + np.timedelta64(7 * 24 * 60, "m"))
    add(returned, "contract_requested", return_at, (5, 15))

    details_rate = np.where(
        outcome == 3, 0.008, 0.05
    )  # contracted customers mostly gave full details
    if text == "rich":
        rich = rich_text(n, kind, seed)
        name, address = rich["customer_name"], rich["customer_address"]
        inquiries["message"] = rich["message"]
    elif text != "plain":
        raise ValueError(f"text must be 'rich' or 'plain', got {text!r}")
    name[rng.random(n) < details_rate] = None
    address[rng.random(n) < details_rate] = None
    phone[rng.random(n) < details_rate * 0.8] = None
    inquiries["customer_name"], inquiries["customer_address"], inquiries["target_phone"] = (
        name,
        address,
        phone,
    )
    events = pd.concat(ev, ignore_index=True)
    cutoff = np.datetime64(as_of + timedelta(days=1), "m")
    events = events[events["event_at"].to_numpy() < cutoff]
    events = events[events["event_at"].to_numpy() >= np.datetime64(date(1990, 1, 1), "m")]
    events = events.sort_values(["event_at", "inquiry_id"], kind="stable").reset_index(drop=True)
    return DemoData(inquiries, events)


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
    inq, ev = data.inquiries, data.events
    if style in ("canonical", "cp932"):
        paths = [out / "inquiries.csv", out / "events.csv"]
        con = duckdb.connect()
        try:
            for frame, path in ((inq, paths[0]), (ev, paths[1])):
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

    # mixed: the older half as a CP932 Japanese export, the newer half as UTF-8 (BOM) with English
    # headers, the last two weeks as an .xlsx workbook; quote log split into CP932 and UTF-8 too.
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
    ja = pd.concat(
        [
            ja,
            pd.DataFrame(
                [
                    [
                        "Q-BAD-1",
                        "2026/02/30 10:00",
                        "山田太郎",
                        "東京都",
                        "a@example.jp",
                        "03-0000-0000",
                        "",
                        "退職の連絡",
                        "日付が壊れています",
                        "メール",
                        "5",
                    ],
                    [
                        "Q-BAD-2",
                        "2026/1/5 9:05",
                        "佐藤花子",
                        "大阪府",
                        "b@example.jp",
                        "06-0000-0000",
                        "",
                        "欠勤の連絡",
                        "マイナスの時間",
                        "メール",
                        "-10",
                    ],
                ],
                columns=JA_INQUIRY_HEADERS,
            ),
        ]
    )
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

    ev_cut = ev["event_at"].quantile(0.5)
    ev_old, ev_new = ev[ev.event_at <= ev_cut].copy(), ev[ev.event_at > ev_cut].copy()
    ev_old["event_at"] = _kanji(ev_old["event_at"], True)
    ev_old["event"] = ev_old["event"].map(JA_KINDS)
    ev_old["amount_jpy"] = ev_old["amount_jpy"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    ev_old.columns = JA_EVENT_HEADERS
    ev_old = pd.concat(
        [
            ev_old,
            pd.DataFrame(
                [
                    [
                        "Q0000001",
                        "2026年1月5日(月) 10時00分",
                        "見積もり？",
                        "",
                        "佐藤",
                        "10",
                        "種別の誤記",
                    ],
                    ["Q0000002", "昨日", "顧客返信", "", "鈴木", "5", "日付が読めない"],
                ],
                columns=JA_EVENT_HEADERS,
            ),
        ]
    )
    paths.append(out / "2_見積ログ_前期.csv")
    _write_csv(ev_old, paths[-1], "cp932")
    ev_new["event_at"] = ev_new["event_at"].dt.strftime("%Y-%m-%d %H:%M")
    paths.append(out / "5_quote_log_recent.csv")
    _write_csv(ev_new, paths[-1], "utf-8")
    with paths[-1].open("a", encoding="utf-8") as fh:
        fh.write(
            "Q0000003,2026-11-01 10:00,quote_sent,5000\n"
        )  # a row cut short: wrong column count
    return paths
