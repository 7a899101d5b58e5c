"""Every user-facing word, in English and Japanese: statuses, reason codes, labels and messages.

``t(key, lang)`` looks a string up; a missing Japanese string falls back to English, a missing key
is an error caught by the tests (every key has both languages).
"""

from __future__ import annotations

LANGS = ("en", "ja")

STRINGS: dict[str, dict[str, str]] = {
    # statuses
    "status.contracted": {"en": "Contracted", "ja": "契約済み"},
    "status.contracted_against_rules": {"en": "Contracted against the rules", "ja": "規定外の契約"},
    "status.cancelled": {"en": "Cancelled", "ja": "キャンセル"},
    "status.declined_by_customer": {"en": "Declined by customer", "ja": "お客様が辞退"},
    "status.rejected_urgent": {"en": "Rejected: urgent", "ja": "お断り（急ぎの依頼）"},
    "status.rejected_late_request": {
        "en": "Rejected: requested too late",
        "ja": "お断り（依頼が直前）",
    },
    "status.silent": {"en": "Silent after quote", "ja": "見積後に連絡なし"},
    "status.expired": {"en": "Expired", "ja": "期限切れ"},
    "status.incomplete": {"en": "Incomplete", "ja": "情報不足"},
    "status.open": {"en": "Open", "ja": "対応中"},
    # reason codes
    "reason.CONTRACT_SIGNED": {
        "en": "Contract signed in time with full details",
        "ja": "期限内に契約済み・情報もそろっています",
    },
    "reason.LEAD_TIME": {
        "en": "Fewer than 3 days between contract and call",
        "ja": "契約から実行日まで3日未満",
    },
    "reason.URGENT_TEXT": {
        "en": "The message asks for an immediate call",
        "ja": "本文が至急の架電を求めています",
    },
    "reason.MISSING_NAME": {"en": "Customer's name is missing", "ja": "お名前がありません"},
    "reason.MISSING_ADDRESS": {"en": "Customer's address is missing", "ja": "ご住所がありません"},
    "reason.MISSING_TARGET_PHONE": {
        "en": "Number to call is missing",
        "ja": "架電先の電話番号がありません",
    },
    "reason.NO_PRIOR_QUOTE": {
        "en": "Contract without a prior quote",
        "ja": "見積前に契約されています",
    },
    "reason.SILENT_AFTER_QUOTE": {
        "en": "No reply within 7 days of the quote",
        "ja": "見積後7日以内に返信がありません",
    },
    "reason.LATE_REQUEST": {
        "en": "Formal request came too close to the call day",
        "ja": "正式依頼が実行日の直前でした",
    },
    "reason.CANCELLED": {"en": "Cancelled after contract", "ja": "契約後にキャンセル"},
    "reason.DECLINED_BY_CUSTOMER": {
        "en": "Customer said they will not order",
        "ja": "お客様から辞退の連絡",
    },
    "reason.TOO_LATE_TO_CONTRACT": {
        "en": "Too late to sign before the requested day",
        "ja": "希望日までに契約が間に合いません",
    },
    "reason.AWAITING_QUOTE": {"en": "Waiting for our quote", "ja": "見積の送付待ち"},
    "reason.AWAITING_CUSTOMER": {"en": "Waiting for the customer", "ja": "お客様の返信待ち"},
    # missing fields
    "field.customer_name": {"en": "name", "ja": "お名前"},
    "field.customer_address": {"en": "address", "ja": "ご住所"},
    "field.target_phone": {"en": "number to call", "ja": "架電先"},
}

UI: dict[str, dict[str, str]] = {
    "app.title": {"en": "Phone-proxy operations", "ja": "電話代行 業務ダッシュボード"},
    "nav.overview": {"en": "Overview", "ja": "概要"},
    "nav.today": {"en": "Today", "ja": "本日"},
    "nav.inquiries": {"en": "Inquiries", "ja": "問い合わせ"},
    "nav.data": {"en": "Data", "ja": "データ"},
    "sidebar.language": {"en": "Language", "ja": "言語"},
    "sidebar.as_of": {"en": "As of (end of day, Japan time)", "ja": "基準日（日本時間の終業時点）"},
    "sidebar.db": {"en": "Database: {path}", "ja": "データベース: {path}"},
    "login.password": {"en": "Password", "ja": "パスワード"},
    "login.wrong": {"en": "Wrong password.", "ja": "パスワードが違います。"},
    "empty.title": {"en": "No data yet", "ja": "まだデータがありません"},
    "empty.body": {
        "en": "Load the office's exported inquiry and quote logs on the Data page, or try the product with the bundled sample.",
        "ja": "「データ」ページで問い合わせ履歴と見積ログを読み込むか、同梱のサンプルでお試しください。",
    },
    "empty.load_sample": {"en": "Load the bundled sample", "ja": "サンプルデータを読み込む"},
    "overview.title": {"en": "Business health", "ja": "経営の状況"},
    "overview.period": {"en": "Inquiries received", "ja": "受付期間"},
    "period.30": {"en": "Last 30 days", "ja": "直近30日"},
    "period.90": {"en": "Last 90 days", "ja": "直近90日"},
    "period.365": {"en": "Last 12 months", "ja": "直近12か月"},
    "period.all": {"en": "All time", "ja": "全期間"},
    "period.caption": {
        "en": "{start} – {end}, compared with {prev_start} – {prev_end}",
        "ja": "{start}〜{end}（比較: {prev_start}〜{prev_end}）",
    },
    "metric.conversion_rate": {"en": "Conversion rate", "ja": "成約率"},
    "metric.silent_after_quote_rate": {"en": "Silent after quote", "ja": "見積後の無連絡率"},
    "metric.urgent_requests": {"en": "Urgent requests", "ja": "急ぎの依頼"},
    "metric.staff_minutes_per_nonconverting_inquiry": {
        "en": "Staff time per lost inquiry",
        "ja": "不成約1件の対応時間",
    },
    "metric.quote_sla_rate": {"en": "Quotes on time", "ja": "期限内の見積"},
    "metric.inquiries": {"en": "Inquiries", "ja": "問い合わせ数"},
    "help.conversion_rate": {
        "en": "Inquiries with a signed contract ÷ inquiries received in the period.",
        "ja": "契約締結に至った問い合わせ ÷ 期間内の問い合わせ",
    },
    "help.silent_after_quote_rate": {
        "en": "Quoted inquiries with no customer contact within 7 days ÷ quotes old enough to judge.",
        "ja": "見積後7日以内に連絡がない件数 ÷ 判定可能な見積件数",
    },
    "help.urgent_requests": {
        "en": "Requests for a call in fewer than 3 days, or worded as urgent.",
        "ja": "3日未満の依頼、または至急を求める依頼",
    },
    "help.staff_minutes_per_nonconverting_inquiry": {
        "en": "Staff minutes on inquiries closed without a contract ÷ their number.",
        "ja": "契約に至らず終了した問い合わせの対応時間 ÷ 件数",
    },
    "help.quote_sla_rate": {
        "en": "Quoted inquiries answered within 2 Japanese business days.",
        "ja": "2営業日以内に見積を送った割合",
    },
    "value.minutes": {"en": "{minutes} min", "ja": "{minutes}分"},
    "metric.urgent_share": {"en": "Urgent share of inquiries", "ja": "急ぎの依頼の割合"},
    "metric.staff_cost_per_nonconverting": {
        "en": "Cost per lost inquiry",
        "ja": "不成約1件あたりの費用",
    },
    "help.staff_cost_per_nonconverting": {
        "en": "Staff time per lost inquiry at the hourly cost in the settings.",
        "ja": "不成約1件あたりの対応時間を時給で換算",
    },
    "delta.vs_previous": {"en": "vs previous period", "ja": "前期間比"},
    "trend.title": {"en": "Trends", "ja": "推移"},
    "trend.freq": {"en": "Per", "ja": "集計単位"},
    "freq.W": {"en": "Week", "ja": "週"},
    "freq.M": {"en": "Month", "ja": "月"},
    "trend.not_judged": {"en": "Not yet judged", "ja": "未確定"},
    "trend.judged": {"en": "Judged", "ja": "確定"},
    "trend.recent_note": {
        "en": "Lighter points: recent periods whose quotes are not yet 7 days old are not counted as losses yet.",
        "ja": "薄い点は、見積から7日が経っておらず、まだ判定できない直近の期間です。",
    },
    "axis.period": {"en": "Period starting", "ja": "期間の開始日"},
    "axis.rate": {"en": "Rate (%)", "ja": "割合（%）"},
    "axis.count": {"en": "Inquiries", "ja": "件数"},
    "axis.minutes": {"en": "Minutes per inquiry", "ja": "1件あたりの分数"},
    "axis.staff_minutes": {"en": "Staff minutes", "ja": "対応時間（分）"},
    "axis.status": {"en": "Status", "ja": "ステータス"},
    "axis.stage": {"en": "Stage", "ja": "段階"},
    "funnel.title": {"en": "Funnel", "ja": "成約までの流れ"},
    "funnel.inquiries": {"en": "Inquiries", "ja": "問い合わせ"},
    "funnel.quoted": {"en": "Quoted", "ja": "見積送付"},
    "funnel.customer_replied": {"en": "Customer replied", "ja": "お客様から返信"},
    "funnel.contract_requested": {"en": "Contract requested", "ja": "正式依頼"},
    "funnel.contracted": {"en": "Contracted", "ja": "契約締結"},
    "funnel.share_of_previous": {"en": "% of previous step", "ja": "前段階比"},
    "funnel.share_of_first": {"en": "% of inquiries", "ja": "問い合わせ比"},
    "staff_time.title": {
        "en": "Where staff time goes (inquiries closed without a contract)",
        "ja": "対応時間の行き先（契約に至らなかった問い合わせ）",
    },
    "staff_time.total": {
        "en": "{minutes:,} minutes = ¥{yen:,.0f} on {n:,} inquiries that earned nothing",
        "ja": "売上にならなかった{n:,}件に{minutes:,}分（{yen:,.0f}円）",
    },
    "col.inquiries": {"en": "Inquiries", "ja": "件数"},
    "col.staff_minutes": {"en": "Staff minutes", "ja": "対応時間（分）"},
    "col.staff_cost_jpy": {"en": "Cost (¥)", "ja": "費用（円）"},
    "col.staff_minutes_per_inquiry": {"en": "Minutes per inquiry", "ja": "1件あたり（分）"},
    "col.inquiry_id": {"en": "Inquiry", "ja": "問い合わせID"},
    "col.customer_name": {"en": "Customer", "ja": "お客様"},
    "col.target_phone": {"en": "Number to call", "ja": "架電先"},
    "col.requested_for": {"en": "Requested for", "ja": "希望日時"},
    "col.service": {"en": "Service", "ja": "依頼種別"},
    "col.channel": {"en": "Channel", "ja": "受付方法"},
    "col.status": {"en": "Status", "ja": "ステータス"},
    "col.reasons": {"en": "Reasons", "ja": "理由"},
    "col.missing": {"en": "Missing", "ja": "不足情報"},
    "col.sign_by_date": {"en": "Last day to sign", "ja": "契約期限"},
    "col.received_at": {"en": "Received", "ja": "受付日時"},
    "col.contract_at": {"en": "Contract signed", "ja": "契約日時"},
    "col.at": {"en": "When", "ja": "日時"},
    "col.what": {"en": "What", "ja": "内容"},
    "col.note": {"en": "Note", "ja": "メモ"},
    "event.quote_sent": {"en": "Quote sent", "ja": "見積送信"},
    "event.customer_reply": {"en": "Customer replied", "ja": "顧客返信"},
    "event.contract_requested": {"en": "Formal request", "ja": "正式依頼"},
    "event.contract_signed": {"en": "Contract signed", "ja": "契約締結"},
    "event.customer_declined": {"en": "Customer declined", "ja": "辞退連絡"},
    "event.cancelled": {"en": "Cancelled", "ja": "キャンセル"},
    "event.staff_work": {"en": "Staff work", "ja": "社内作業"},
    "col.staff_minutes_total": {"en": "Staff minutes", "ja": "対応時間（分）"},
    "today.title": {"en": "Today's lists", "ja": "本日のリスト"},
    "today.day": {"en": "Day", "ja": "日付"},
    "today.eligible": {"en": "Calls to make today", "ja": "本日実行する電話"},
    "today.eligible_help": {
        "en": "Contracted in time with full details; requested for this day.",
        "ja": "期限内に契約済みで情報もそろった、本日実行分",
    },
    "today.attention": {"en": "Needs attention", "ja": "要確認"},
    "today.attention_help": {
        "en": "Contracted for this day, but against the rules — check before calling.",
        "ja": "本日実行予定だが規定外の契約。架電前に確認してください。",
    },
    "today.sign_by": {"en": "Last day to sign", "ja": "本日が契約期限"},
    "today.sign_by_help": {
        "en": "Open inquiries whose contract must be signed today to keep the 3-day rule.",
        "ja": "3日前ルールを守るには本日中に契約が必要な問い合わせ",
    },
    "today.none": {"en": "Nothing on this list.", "ja": "該当はありません。"},
    "today.download": {"en": "Download CSV", "ja": "CSVをダウンロード"},
    "inq.title": {"en": "Inquiries", "ja": "問い合わせ一覧"},
    "inq.search": {
        "en": "Search (ID, name, phone, message)",
        "ja": "検索（ID・お名前・電話番号・本文）",
    },
    "inq.status": {"en": "Status", "ja": "ステータス"},
    "inq.reason": {"en": "Reason", "ja": "理由"},
    "inq.service": {"en": "Service", "ja": "依頼種別"},
    "inq.channel": {"en": "Channel", "ja": "受付方法"},
    "inq.any": {"en": "Any", "ja": "すべて"},
    "inq.count": {"en": "{n:,} inquiries", "ja": "{n:,}件"},
    "inq.pick": {"en": "Show one inquiry", "ja": "問い合わせを表示"},
    "inq.timeline": {"en": "Timeline", "ja": "経緯"},
    "inq.verdicts": {"en": "Rules, step by step", "ja": "ルールの判定"},
    "inq.received": {"en": "Inquiry received", "ja": "問い合わせ受付"},
    "verdict.yes": {"en": "yes", "ja": "はい"},
    "verdict.no": {"en": "no", "ja": "いいえ"},
    "verdict.details": {
        "en": "Name, address and number to call given",
        "ja": "お名前・ご住所・架電先がそろっている",
    },
    "verdict.lead": {
        "en": "Requested at least 3 days ahead (lead {lead} days)",
        "ja": "3日以上先の依頼（{lead}日後）",
    },
    "verdict.no_date_text": {
        "en": "No requested date; message worded as urgent",
        "ja": "希望日なし・本文が至急",
    },
    "verdict.quoted": {
        "en": "Quoted (first quote {at}, {days} business days)",
        "ja": "見積済み（初回 {at}、{days}営業日）",
    },
    "verdict.not_quoted": {"en": "Not quoted yet", "ja": "未見積"},
    "verdict.silent": {"en": "Silent for 7 days after the quote", "ja": "見積後7日間連絡なし"},
    "verdict.late_request": {
        "en": "A formal request came fewer than 3 days before the call",
        "ja": "実行日の3日前を切って正式依頼",
    },
    "verdict.converted": {"en": "Contract signed", "ja": "契約締結"},
    "verdict.late_contract": {
        "en": "Contract signed fewer than 3 days before the call",
        "ja": "実行日の3日前を切って契約",
    },
    "verdict.no_prior_quote": {"en": "Contract without a prior quote", "ja": "見積前の契約"},
    "verdict.status": {
        "en": "Status: {status} — {reasons}",
        "ja": "ステータス: {status} — {reasons}",
    },
    "data.title": {"en": "Data", "ja": "データ"},
    "data.upload": {
        "en": "Load exports (CSV or .xlsx, inquiry log or quote log)",
        "ja": "エクスポートを読み込む（CSV または .xlsx、問い合わせ履歴・見積ログ）",
    },
    "data.load_button": {"en": "Load {n} file(s)", "ja": "{n}件のファイルを読み込む"},
    "data.loading": {"en": "Loading…", "ja": "読み込み中…"},
    "data.loaded": {
        "en": "Loaded. The dashboard now shows the new data.",
        "ja": "読み込みました。ダッシュボードに反映済みです。",
    },
    "data.unchanged": {
        "en": "Nothing new: these files were loaded before.",
        "ja": "新しいデータはありません（読み込み済みのファイルです）。",
    },
    "data.refused": {"en": "Nothing was loaded: {error}", "ja": "読み込みを中止しました: {error}"},
    "data.too_large": {
        "en": "{name} is larger than {mb} MB; load it with `python -m pipelines load` instead.",
        "ja": "{name} は {mb}MB を超えています。`python -m pipelines load` で読み込んでください。",
    },
    "data.history": {"en": "Load history", "ja": "読み込み履歴"},
    "data.quarantine": {"en": "Quarantined rows ({n:,})", "ja": "保留された行（{n:,}件）"},
    "data.quarantine_help": {
        "en": "Rows that could not be read. Fix them in the source and export again.",
        "ja": "読み取れなかった行です。元データを直して再度エクスポートしてください。",
    },
    "data.orphans": {
        "en": "Events waiting for their inquiry ({n:,})",
        "ja": "問い合わせ未登録の見積ログ（{n:,}件）",
    },
    "data.download_quarantine": {"en": "Download quarantined rows", "ja": "保留行をダウンロード"},
}
STRINGS.update(UI)


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for key in lang ('en' or 'ja'), with {placeholders} filled from values."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def status_label(status: str, lang: str = "en") -> str:
    """A status in plain words."""
    return t(f"status.{status}", lang)


def reasons_text(codes: list[str] | None, lang: str = "en") -> str:
    """Reason codes in plain words, joined."""
    sep = "、" if lang == "ja" else "; "
    return sep.join(t(f"reason.{c}", lang) for c in (codes or []))


def when_text(value: object) -> str:
    """A requested date-time for people: the date alone when no time was given, '' when blank."""
    if value is None or value != value:  # None or NaT/NaN
        return ""
    text = str(value)[:16]
    return text[:10] if text[11:16] in ("", "00:00") else text


def missing_text(fields: list[str] | None, lang: str = "en") -> str:
    """Missing fields in plain words, joined."""
    sep = "、" if lang == "ja" else ", "
    return sep.join(t(f"field.{f}", lang) for f in (fields or []))
