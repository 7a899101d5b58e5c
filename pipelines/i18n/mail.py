"""Words of the mailbox import's review sheet: why each message became what it became.

The mailbox stores a reason as a code and its parameters (``("quote", {"amount": 12000, …})``);
``pipelines.i18n.mail_reason_text`` words it in either language. A parameter that is itself a
reason (``["duplicate_same_id", {}]``) is worded first; a list is joined in the language's way.
"""

from __future__ import annotations

MAIL: dict[str, dict[str, str]] = {
    # why a message is not used
    "mail.why.unreadable": {"en": "unreadable: {problem}", "ja": "読めません：{problem}"},
    "mail.why.duplicate": {
        "en": "duplicate of {source} (same {same})",
        "ja": "{source} と同じメール（{same}が同じ）",
    },
    "mail.why.same_message_id": {"en": "Message-ID", "ja": "Message-ID"},
    "mail.why.same_sender_date_subject": {
        "en": "sender, date and subject",
        "ja": "差出人・日時・件名",
    },
    "mail.why.label": {
        "en": "Gmail label {label} (skip_labels)",
        "ja": "Gmail のラベル {label}（skip_labels）",
    },
    "mail.why.ignored_sender": {
        "en": "sender {sender} is in ignored_senders (bounces, system mail)",
        "ja": "差出人 {sender} は ignored_senders（エラー通知など）",
    },
    "mail.why.automatic": {
        "en": "bulk or automatic mail ({automatic}), not a customer's (skip_automatic)",
        "ja": "一斉配信・自動送信のメール（{automatic}）（skip_automatic）",
    },
    "mail.why.office_auto_reply": {
        "en": "the office's automatic reply ({automatic}): no staff time, and not the office "
        "answering the customer (skip_automatic)",
        "ja": "事務所の自動返信メール（{automatic}）：対応時間にも、お客様への返答にも数えません"
        "（skip_automatic）",
    },
    "mail.why.thread_starts_outgoing": {
        "en": "the thread starts with an outgoing message (a newsletter or a mail the office "
        "started): no inquiry",
        "ja": "送信メールで始まるスレッド（お知らせ・事務所から送ったメール）：問い合わせではありません",
    },
    # problems that make a message unreadable
    "mail.why.unknown_charset": {
        "en": "unknown character set '{charset}'",
        "ja": "不明な文字コード '{charset}'",
    },
    "mail.why.no_charset_undecodable": {
        "en": "the text declares no charset and is not UTF-8, CP932 (Shift_JIS) or EUC-JP",
        "ja": "本文の文字コードの指定がなく、UTF-8・CP932（Shift_JIS）・EUC-JP のどれでも読めません",
    },
    "mail.why.charset_undecodable": {
        "en": "the text is not valid {charset} (bytes that no Japanese encoding reads)",
        "ja": "本文が {charset} として読めません（文字化けしたバイト列）",
    },
    "mail.why.no_headers": {
        "en": "no mail headers: not an e-mail",
        "ja": "メールのヘッダーがありません",
    },
    "mail.why.no_date": {"en": "no readable Date", "ja": "日付（Date）が読めません"},
    "mail.why.date_out_of_range": {
        "en": "Date {date} is out of range",
        "ja": "日付 {date} が範囲外",
    },
    "mail.why.no_sender": {
        "en": "no sender address (From)",
        "ja": "差出人（From）のアドレスがありません",
    },
    "mail.why.cannot_parse": {
        "en": "cannot be parsed: {error}",
        "ja": "解析できません：{error}",
    },
    "mail.why.too_large": {
        "en": "more than {size} MB of headers and text (attachments not counted)",
        "ja": "ヘッダーと本文が {size} MB を超えています（添付ファイルを除く）",
    },
    # notes on how a message was read
    "mail.why.header_partly_undecodable": {
        "en": "the {name} header is partly undecodable",
        "ja": "{name} ヘッダーの一部が読めません",
    },
    "mail.why.html_converted": {"en": "HTML converted to text", "ja": "HTML を文字に変換"},
    "mail.why.no_charset_read_as": {
        "en": "no charset declared: read as {codec}",
        "ja": "文字コードの指定なし：{codec} として読みました",
    },
    "mail.why.date_from_received": {
        "en": "no readable Date header: used the time it was received",
        "ja": "Date ヘッダーが読めないため受信時刻を使用",
    },
    "mail.why.attachment_only": {
        "en": "attachment only: no text to read (no amount or phrase could be found) — "
        "open the attachment and correct the row if needed",
        "ja": "添付ファイルのみ：本文がないため金額や語句を読めません。添付を確認してください",
    },
    "mail.why.empty": {"en": "empty message: no text", "ja": "本文なし"},
    # the inquiry
    "mail.why.inquiry": {
        "en": "first customer message of the thread: the inquiry",
        "ja": "スレッド最初の顧客メール：問い合わせ",
    },
    "mail.why.no_message_id": {
        "en": "no Message-ID: inquiry_id from the sender, date and subject",
        "ja": "Message-ID がないため差出人・日時・件名から inquiry_id を作成",
    },
    "mail.why.from_fields": {
        "en": "from the body's fields: {fields}",
        "ja": "本文の項目から：{fields}",
    },
    "mail.why.name_from_sender": {
        "en": "name from the sender's display name",
        "ja": "お名前は差出人の表示名から",
    },
    "mail.why.not_in_mail": {"en": "not in the mail: {fields}", "ja": "メールにない項目：{fields}"},
    "mail.why.requested_no_date": {
        "en": "requested date field 「{value}」 names no date: left blank (the loader reads the "
        "message)",
        "ja": "希望日「{value}」は日付ではないため空欄（本文は取り込み時に読まれます）",
    },
    "mail.why.requested_not_real": {
        "en": "requested date field 「{value}」 is not a real date: left blank",
        "ja": "希望日「{value}」は存在しない日付のため空欄",
    },
    "mail.why.requested_out_of_range": {
        "en": "requested date field 「{value}」 is out of range: left blank",
        "ja": "希望日「{value}」は範囲外のため空欄",
    },
    "mail.why.requested_from_field": {
        "en": "requested date from the field 「{value}」 → {result}",
        "ja": "希望日欄「{value}」→ {result}",
    },
    # events
    "mail.why.quote": {
        "en": "outgoing, states {amount:,}円 (「{line}」)",
        "ja": "送信・金額 {amount:,}円（「{line}」）",
    },
    "mail.why.several_amounts": {
        "en": "several amounts ({shown}): took {amount:,}円, {how}",
        "ja": "複数の金額（{shown}）：{how} {amount:,}円 を採用",
    },
    "mail.why.amount_on_total_line": {
        "en": "on the line naming the total",
        "ja": "合計の行の金額",
    },
    "mail.why.amount_first_quote_line": {
        "en": "the first on a line naming the quote or price",
        "ja": "見積・金額の行の最初の金額",
    },
    "mail.why.amount_largest": {"en": "the largest", "ja": "最大の金額"},
    "mail.why.quote_with_contract_phrase": {
        "en": "also has the contract phrase 「{contract}」: an amount makes it a quote (the SPEC's "
        "order) — check whether it confirms a contract",
        "ja": "契約の語句「{contract}」もあります：金額があるため見積送信としました。"
        "契約の確認なら修正してください",
    },
    "mail.why.contract": {
        "en": "outgoing, contract phrase 「{contract}」",
        "ja": "送信・契約の語句「{contract}」",
    },
    "mail.why.staff_work": {
        "en": "outgoing, no amount in yen and no contract phrase",
        "ja": "送信・金額も契約の語句もなし",
    },
    "mail.why.declined": {
        "en": "customer, decline phrase 「{phrase}」",
        "ja": "顧客・辞退の語句「{phrase}」",
    },
    "mail.why.cancelled": {
        "en": "customer, cancel phrase 「{phrase}」 after the contract of {contract_date}",
        "ja": "顧客・契約（{contract_date}）後のキャンセルの語句「{phrase}」",
    },
    "mail.why.requested": {
        "en": "customer, request phrase 「{phrase}」",
        "ja": "顧客・正式依頼の語句「{phrase}」",
    },
    "mail.why.reply": {
        "en": "customer, no decline, cancel or request phrase",
        "ja": "顧客・辞退／キャンセル／依頼の語句なし",
    },
    "mail.why.cancel_before_contract": {
        "en": "cancel phrase 「{phrase}」 but no contract yet: not a cancellation — if the customer "
        "is declining, change it to customer_declined",
        "ja": "キャンセルの語句「{phrase}」がありますが未契約のためキャンセル扱いにしていません。"
        "辞退なら customer_declined に直してください",
    },
    # what a message became, besides an event kind (event.<kind>)
    "mail.became.inquiry": {"en": "inquiry", "ja": "問い合わせ"},
    "mail.became.not_used": {"en": "not used", "ja": "使用しない"},
}
