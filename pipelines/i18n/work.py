"""Words for the day's work: the office's marks, the Refusals to send list and reply drafts."""

from __future__ import annotations

WORK: dict[str, dict[str, str]] = {
    # the seventh staff list
    "list.refusals": {"en": "Refusals to send", "ja": "お断りの連絡"},
    "list.refusals.help": {
        "en": "Turned down by the rules (too urgent, or asked too late) in the last {refusal_days} business days, and not told yet: tell them promptly and politely.",
        "ja": "直近{refusal_days}営業日に規定によりお受けできなくなった（急ぎ・依頼が遅い）お客様で、まだご連絡していない方です。早めに丁寧にお伝えください。",
    },
    "list.empty.refusals": {
        "en": "No refusal waiting to be sent.",
        "ja": "未送付のお断りはありません。",
    },
    "step.refusals": {
        "en": "Send the polite refusal (decided {date}), inviting a later date",
        "ja": "お断りのご連絡を（{date}判定）。後日のご依頼をご案内してください",
    },
    # what a mark command says it recorded
    "mark.done_msg.claim": {
        "en": "{inquiry_id}: claimed by {who} (mark {seq})",
        "ja": "{inquiry_id}: {who}が担当しました（記録{seq}）",
    },
    "mark.done_msg.done": {
        "en": "{inquiry_id}: marked done by {who} (mark {seq})",
        "ja": "{inquiry_id}: {who}が対応済みにしました（記録{seq}）",
    },
    "mark.done_msg.snooze": {
        "en": "{inquiry_id}: snoozed by {who} (mark {seq})",
        "ja": "{inquiry_id}: {who}が保留にしました（記録{seq}）",
    },
    "mark.done_msg.note": {
        "en": "{inquiry_id}: note added by {who} (mark {seq})",
        "ja": "{inquiry_id}: {who}がメモを追加しました（記録{seq}）",
    },
    "mark.done_msg.not_inquiry": {
        "en": "{inquiry_id}: marked not an inquiry by {who} (mark {seq}); it is left out of every figure",
        "ja": "{inquiry_id}: {who}が問い合わせではないと記録しました（記録{seq}）。すべての集計から除外されます",
    },
    "mark.done_msg.undo": {
        "en": "{inquiry_id}: mark undone by {who} (mark {seq})",
        "ja": "{inquiry_id}: {who}が記録を取り消しました（記録{seq}）",
    },
    # why a mark was refused
    "mark.err.held": {
        "en": "{inquiry_id} is held by {holder}. To take it over, say so (--takeover).",
        "ja": "{inquiry_id}は{holder}が担当しています。引き継ぐ場合は明示してください（--takeover）。",
    },
    "mark.err.already_yours": {
        "en": "{inquiry_id} is already yours.",
        "ja": "{inquiry_id}はすでにあなたの担当です。",
    },
    "mark.err.bad_id": {
        "en": "Not an inquiry ID: {inquiry_id!r}.",
        "ja": "問い合わせIDではありません: {inquiry_id!r}",
    },
    "mark.err.unknown_inquiry": {
        "en": "No inquiry {inquiry_id} is loaded; nothing was marked.",
        "ja": "問い合わせ{inquiry_id}は読み込まれていません。記録していません。",
    },
    "mark.err.bad_list": {
        "en": "No staff list {list!r}: one of {lists}.",
        "ja": "スタッフリスト{list!r}はありません（{lists}のいずれか）。",
    },
    "mark.err.list_needed": {
        "en": "Say which list it was done on (--list: one of {lists}).",
        "ja": "どのリストで対応したか指定してください（--list: {lists}）。",
    },
    "mark.err.not_on_list": {
        "en": "{inquiry_id} is not on the list {list} on {day}; nothing was marked.",
        "ja": "{inquiry_id}は{day}の{list}リストにありません。記録していません。",
    },
    "mark.err.bad_until": {
        "en": "The snooze needs a date to come back (--until YYYY-MM-DD), got {until}.",
        "ja": "保留の終了日が必要です（--until YYYY-MM-DD）: {until}",
    },
    "mark.err.until_needed": {
        "en": "Say until when (--until YYYY-MM-DD).",
        "ja": "いつまで保留するか指定してください（--until YYYY-MM-DD）。",
    },
    "mark.err.bad_note": {
        "en": "A note needs text, at most {limit} characters (--text).",
        "ja": "メモの本文が必要です（{limit}文字まで、--text）。",
    },
    "work.err.bad_note": {  # the page's words for mark.err.bad_note (no CLI flag)
        "en": "A note needs text, at most {limit} characters.",
        "ja": "メモの本文が必要です（{limit}文字まで）。",
    },
    "mark.err.bad_reason": {
        "en": "Reason {reason!r} is not one of {reasons}.",
        "ja": "理由{reason!r}は使えません（{reasons}のいずれか）。",
    },
    "mark.err.reason_needed": {
        "en": "Say why it is not an inquiry (--reason: one of {reasons}).",
        "ja": "問い合わせではない理由を指定してください（--reason: {reasons}）。",
    },
    "mark.err.nothing_to_undo": {
        "en": "{inquiry_id} has no mark in force to undo.",
        "ja": "{inquiry_id}に取り消せる記録はありません。",
    },
    "mark.err.as_needed": {
        "en": "Accounts exist: say who is marking (--as NAME).",
        "ja": "アカウントがあります。誰の操作か指定してください（--as NAME）。",
    },
    "mark.err.unknown_person": {
        "en": "No enabled account {name!r}; nothing was marked.",
        "ja": "有効なアカウント{name!r}はありません。記録していません。",
    },
    # an item's marks, as lists and cards show them
    "work.held_by": {"en": "held by {who}", "ja": "担当: {who}"},
    "work.unclaimed": {"en": "nobody holds it", "ja": "担当者なし"},
    "work.state_done": {"en": "done", "ja": "対応済み"},
    "work.state_excluded": {"en": "not an inquiry", "ja": "問い合わせではない"},
    "work.snoozed_until": {"en": "snoozed until {day}", "ja": "{day}まで保留"},
    # the work queue's downloads (CSV, .xlsx): the marks' columns and the codes kept for filtering
    "col.holder": {"en": "Held by", "ja": "担当"},
    "col.mark_state": {"en": "Done / snoozed", "ja": "対応済み・保留"},
    "col.snoozed_until": {"en": "Snoozed until", "ja": "保留期限"},
    "col.notes_count": {"en": "Notes", "ja": "メモ件数"},
    "col.latest_note": {"en": "Latest note", "ja": "最新のメモ"},
    "col.status_code": {"en": "Status code", "ja": "ステータスコード"},
    "queue.note": {"en": "{text} ({who}, {at})", "ja": "{text}（{who}、{at}）"},
    # reply drafts
    "drafts.customer": {"en": "Customer", "ja": "お客様"},
    "drafts.trimmed": {
        "en": "(The text was shortened to fit the mail link: paste the full text from the dashboard.)",
        "ja": "（メールリンクに収まるよう本文を省略しました。全文はダッシュボードからコピーしてください。）",
    },
    "drafts.none": {
        "en": "{inquiry_id}: its rules call for no reply now.",
        "ja": "{inquiry_id}: 現在、送るべき返信はありません。",
    },
    "drafts.asked_day": {"en": "the day you asked for", "ja": "ご希望の日"},
    "drafts.asked_day_from_message": {
        "en": "{day} (as we read “{words}” in your message)",
        "ja": "{day}（ご依頼文の「{words}」より）",
    },
    # the controls on Today's cards and the inquiry page
    "work.claim": {"en": "Claim", "ja": "担当する"},
    "work.release": {"en": "Release", "ja": "担当を外す"},
    "work.takeover": {"en": "Take over from {who}", "ja": "{who}から引き継ぐ"},
    "work.takeover_confirm": {
        "en": "{who} holds it: take it over?",
        "ja": "{who}が担当中です。引き継ぎますか？",
    },
    "work.done": {"en": "Done", "ja": "対応済み"},
    # a put-away card's Undo names the mark it takes back (pipelines.office.marks.away_mark), in
    # the words of the mark itself: 対応済み, 保留, 問い合わせではない (never a note)
    "work.undo.done": {"en": "Undo done", "ja": "対応済みを取り消す"},
    "work.undo.snooze": {"en": "Undo snooze", "ja": "保留を取り消す"},
    "work.undo.not_inquiry": {"en": "Undo not an inquiry", "ja": "問い合わせとして戻す"},
    "work.undo_help.done": {
        "en": "Take back the done mark on this list (marked by {who}): the item is back on this list",
        "ja": "このリストの対応済み（{who}）を取り消します。このリストに戻ります",
    },
    "work.undo_help.snooze": {
        "en": "Take back the snooze until {day} (by {who}): the item is back on every list",
        "ja": "{day}までの保留（{who}）を取り消します。すべてのリストに戻ります",
    },
    "work.undo_help.not_inquiry": {
        "en": "Take back the not-an-inquiry mark (by {who}): back in every figure and list",
        "ja": "「問い合わせではない」（{who}）を取り消します。すべての集計とリストに戻ります",
    },
    "work.more": {"en": "More", "ja": "その他"},
    "work.snooze": {"en": "Snooze", "ja": "保留する"},
    "work.note": {"en": "Note", "ja": "メモ"},
    "work.add_note": {"en": "Add the note", "ja": "メモを追加"},
    "work.notes": {"en": "{n} notes", "ja": "メモ{n}件"},
    "work.not_inquiry_reason": {"en": "Not an inquiry because", "ja": "問い合わせではない理由"},
    "work.not_inquiry_text": {"en": "Details (optional)", "ja": "補足（任意）"},
    "work.not_inquiry": {"en": "Not an inquiry", "ja": "問い合わせではない"},
    "work.reason.spam": {"en": "Spam", "ja": "迷惑メール"},
    "work.reason.duplicate": {"en": "Duplicate", "ja": "重複"},
    "work.reason.test": {"en": "Test", "ja": "テスト"},
    "work.reason.own_mail": {"en": "The office's own mail", "ja": "自社のメール"},
    "work.reason.other": {"en": "Other", "ja": "その他"},
    "work.my_work": {"en": "My work", "ja": "自分の仕事"},
    "work.my_work_help": {
        "en": "What I hold plus what nobody holds",
        "ja": "自分の担当分と、担当者のいないもの",
    },
    "work.show_done": {"en": "Show done and snoozed", "ja": "対応済み・保留も表示"},
    "work.done_fold": {"en": "Done and snoozed ({n})", "ja": "対応済み・保留（{n}）"},
    "work.unsnooze": {"en": "End the snooze", "ja": "保留を解除"},
    # without accounts, marks made on the dashboard (and by the CLI without --as) are this computer's
    "work.this_computer": {"en": "this computer", "ja": "この端末"},
    # a card's one row of buttons, short enough for a 390 px phone (the full words are the tooltips)
    "work.card.claim": {"en": "Claim", "ja": "担当"},
    "work.card.release": {"en": "Release", "ja": "解除"},
    "work.card.release_help": {"en": "Release: nobody holds it", "ja": "担当を外す"},
    # the same word as the inquiry page's button (work.done) and the state (work.state_done)
    "work.card.done": {"en": "Done", "ja": "対応済み"},
    "work.card.done_help": {
        "en": "Done for today on this list (it comes back when something new happens)",
        "ja": "このリストの本日分を対応済みにする（新しい動きがあれば戻ります）",
    },
    "work.snooze_next": {"en": "Until {day}", "ja": "{day}まで"},
    "work.snooze_next_help": {
        "en": "Snooze until the next business day, {day}: off every list until then",
        "ja": "翌営業日の{day}まで保留（それまでどのリストにも出ません）",
    },
    "work.day_short": {"en": "{weekday}", "ja": "{weekday}曜"},
    "work.snooze_other": {"en": "Snooze until another day", "ja": "別の日まで保留"},
    # the More panel's snooze of an item whose deadline comes before the day picked (no one-tap
    # snooze is offered on it: pipelines.office.marks.snooze_deadline)
    "work.snooze_past_deadline": {
        "en": "The deadline is {deadline}: snoozed until {until}, it stays off every list past its deadline.",
        "ja": "期限は{deadline}です。{until}まで保留すると、期限を過ぎるまでどのリストにも出ません。",
    },
    # a card's More panel shows one of these at a time (a 390 px phone)
    "work.more_pick": {"en": "What to do", "ja": "操作"},
    "work.more_pick.note": {"en": "Note", "ja": "メモ"},
    "work.more_pick.snooze": {"en": "Snooze", "ja": "保留"},
    "work.more_pick.not_inquiry": {"en": "Not an inquiry", "ja": "問い合わせではない"},
    "work.excluded": {
        "en": "{inquiry_id} is marked not an inquiry by {who} ({reason}: {text}); it is left out of every figure and list.",
        "ja": "{inquiry_id}は{who}が問い合わせではないと記録しました（{reason}: {text}）。すべての集計とリストから除外されています。",
    },
    "work.undo_excluded": {"en": "It is an inquiry after all", "ja": "問い合わせとして戻す"},
    "work.draft": {"en": "Reply draft", "ja": "返信の下書き"},
    "work.draft_lang": {"en": "Language", "ja": "言語"},
    "work.open_mail": {"en": "Open in the mail program", "ja": "メールソフトで開く"},
    "work.no_email": {
        "en": "No e-mail address is on file: copy the text below.",
        "ja": "メールアドレスがありません。下の本文をコピーしてお使いください。",
    },
    "work.filter_holder": {"en": "Held by", "ja": "担当者"},
    "work.filter_done": {"en": "Marked done", "ja": "対応済み"},
    "work.filter_snoozed": {"en": "Snoozed", "ja": "保留中"},
    "work.filter_excluded": {"en": "Not an inquiry", "ja": "問い合わせではない"},
    "work.excluded_count": {
        "en": "{n} marked not an inquiry: left out of every figure and list.",
        "ja": "問い合わせではないと記録されたもの{n}件（すべての集計とリストから除外）。",
    },
    "work.marked_by": {"en": "Marked by", "ja": "記録者"},
    # the owner's Settings page: reply templates
    "nav.settings": {"en": "Settings", "ja": "設定"},
    "settings.title": {"en": "Reply templates", "ja": "返信テンプレート"},
    # where the office's settings live, in an owner's words (the file itself: under the details)
    "settings.file": {
        "en": "Saved in the office's settings, on the computer that runs the dashboard: shared by "
        "everyone, used from the next page on.",
        "ja": "ダッシュボードを動かしているパソコンの「事務所の設定」に保存します。全員に共通で、"
        "次に開いた画面から使われます。",
    },
    "settings.file_path": {"en": "Settings file: {path}", "ja": "設定ファイル: {path}"},
    "settings.reason": {"en": "Reply for", "ja": "返信の種類"},
    "settings.reason.missing": {"en": "Missing details", "ja": "不足事項の確認"},
    "settings.reason.refusal_urgent": {"en": "Refusal: too urgent", "ja": "お断り（急ぎ）"},
    "settings.reason.refusal_late": {"en": "Refusal: asked too late", "ja": "お断り（依頼が遅い）"},
    "settings.reason.follow_up": {"en": "Reminder before silence", "ja": "見積後のフォロー"},
    "settings.reason.sign_by": {"en": "Last day to sign", "ja": "契約期限のご案内"},
    "settings.reason.contracted": {"en": "Confirmation", "ja": "契約内容のご確認"},
    "settings.subject": {"en": "Subject", "ja": "件名"},
    "settings.body": {"en": "Text", "ja": "本文"},
    "settings.placeholders": {
        "en": "Filled in for each inquiry: {names}",
        "ja": "問い合わせごとに差し込まれます: {names}",
    },
    "settings.preview_id": {"en": "Preview on inquiry", "ja": "プレビューする問い合わせID"},
    "settings.preview_hint": {
        "en": "Type an inquiry ID to see the text as the customer would get it.",
        "ja": "問い合わせIDを入れると、お客様に届く文面を確認できます。",
    },
    "settings.bad_template": {
        "en": "The template cannot be used: {error}. Nothing was saved.",
        "ja": "このテンプレートは使えません: {error}。保存していません。",
    },
    "settings.save": {"en": "Save", "ja": "保存"},
    "settings.saved": {"en": "Saved.", "ja": "保存しました。"},
}
