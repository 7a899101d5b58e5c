"""The demo's words: names, places and messages, plain and rich, as Japanese offices' exports hold them."""

from __future__ import annotations

import numpy as np

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
