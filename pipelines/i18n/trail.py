"""The audit trail's details as sentences (pipelines.trail_text): one per kind and shape of details."""

from __future__ import annotations

TRAIL: dict[str, dict[str, str]] = {
    # who did it
    "trail.who.named": {"en": "{display} ({login})", "ja": "{display}（{login}）"},
    "trail.who.cli": {
        "en": "this computer's command line ({user})",
        "ja": "この端末のコマンド（{user}）",
    },
    "trail.who.local": {
        "en": "this computer (no accounts)",
        "ja": "この端末（アカウントなし）",
    },
    "trail.col.data": {"en": "Details (JSON)", "ja": "詳細（JSON）"},
    "trail.day_any": {"en": "(every day)", "ja": "（すべての日）"},
    # signing in and out
    "trail.detail.login_failed.unknown": {
        "en": "No account has this name.",
        "ja": "この名前のアカウントはありません。",
    },
    "trail.detail.login_failed.wrong": {
        "en": "Wrong password.",
        "ja": "パスワードが違いました。",
    },
    "trail.detail.login_failed.locks": {
        "en": "Wrong password; the name is locked until {until}.",
        "ja": "パスワードが違いました。{until}までこの名前はロックされます。",
    },
    "trail.detail.login_locked": {
        "en": "Refused: the name is locked until {until}.",
        "ja": "{until}までロック中のため、ログインを断りました。",
    },
    "trail.detail.session_expired": {
        "en": "Signed out after {n} idle minutes.",
        "ja": "{n}分間操作がなかったため、ログアウトしました。",
    },
    # downloads and exports
    "trail.detail.download": {"en": "{what}, {n} rows.", "ja": "{what}（{n}行）"},
    "trail.detail.download_file": {"en": "{what}.", "ja": "{what}"},
    "trail.detail.export.today": {
        "en": "Today's lists for {day}, {n} items, to {to}.",
        "ja": "{day}の本日のリスト（{n}件）を{to}へ出力。",
    },
    "trail.detail.export.digest": {
        "en": "The digest for {day}, written to {to}.",
        "ja": "{day}のダイジェストを{to}へ書き出し。",
    },
    "trail.detail.export.morning_mail": {
        "en": "The morning mail for {day}, sent to {name}.",
        "ja": "{day}の朝のメールを{name}へ送信。",
    },
    "trail.to.terminal": {"en": "the screen", "ja": "画面"},
    "trail.to.json": {"en": "JSON on the screen", "ja": "画面（JSON）"},
    # accounts
    "trail.detail.account_add": {
        "en": "Added {login} ({display}) as {role}, language {language}.",
        "ja": "{login}（{display}）を{role}として追加（言語: {language}）。",
    },
    "trail.detail.account_change": {"en": "{login}: {changes}.", "ja": "{login}: {changes}。"},
    "trail.detail.account_change.none": {
        "en": "{login}: saved, nothing changed.",
        "ja": "{login}: 保存（変更なし）。",
    },
    "trail.change.display_name": {"en": "display name “{value}”", "ja": "表示名を「{value}」に"},
    "trail.change.role": {"en": "role {value}", "ja": "役割を{value}に"},
    "trail.change.lang": {"en": "language {value}", "ja": "言語を{value}に"},
    "trail.change.email": {"en": "e-mail {value}", "ja": "メールを{value}に"},
    "trail.change.staff_names": {
        "en": "names in the logs {value}",
        "ja": "記録上の名前を{value}に",
    },
    "trail.change.disabled": {"en": "disabled", "ja": "無効化"},
    "trail.change.enabled": {"en": "enabled again", "ja": "有効化"},
    "trail.change.other": {"en": "{field} {value}", "ja": "{field}を{value}に"},
    "trail.detail.password_change": {
        "en": "Password of {login} set.",
        "ja": "{login}のパスワードを設定。",
    },
    "trail.lang.ja": {"en": "Japanese", "ja": "日本語"},
    "trail.lang.en": {"en": "English", "ja": "英語"},
    # settings
    "trail.detail.settings.drafts": {
        "en": "Reply template “{reason}” ({language}) saved.",
        "ja": "返信テンプレート「{reason}」（{language}）を保存。",
    },
    "trail.detail.settings.office_addresses": {
        "en": "The office's own addresses saved: {n}.",
        "ja": "自社のアドレスを保存（{n}件）。",
    },
    # loads and syncs ("swapped": the database file was rewritten with the new data)
    "trail.detail.load.swapped": {
        "en": "{files}: {n} new rows; the database was updated.",
        "ja": "{files}: 新しい行{n}件を登録し、データベースを更新しました。",
    },
    "trail.detail.load.swapped_plain": {
        "en": "{files}: the database was updated.",
        "ja": "{files}: データベースを更新しました。",
    },
    "trail.detail.load.swapped_none": {
        "en": "{files}: no new rows (the database was rewritten all the same).",
        "ja": "{files}: 新しい行はありません（データベースは書き直しました）。",
    },
    "trail.detail.load.unchanged": {
        "en": "{files}: nothing new; the database was not changed.",
        "ja": "{files}: 新しい行はなく、データベースは変更していません。",
    },
    "trail.detail.sync.ok": {
        "en": "New: {messages} messages, {inquiries} inquiries; {review} to check.",
        "ja": "新着メール{messages}件、新しい問い合わせ{inquiries}件、要確認{review}件。",
    },
    "trail.detail.sync.refused": {
        "en": "Refused; nothing was changed.",
        "ja": "同期を断りました（変更なし）。",
    },
    "trail.detail.sync.failed": {
        "en": "Failed; nothing was changed.",
        "ja": "同期に失敗しました（変更なし）。",
    },
    # marks
    "trail.detail.mark.claim": {"en": "Claimed {id}.", "ja": "{id}を担当。"},
    "trail.detail.mark.takeover": {
        "en": "Claimed {id}, taking it over from {holder}.",
        "ja": "{id}を{holder}から引き継いで担当。",
    },
    "trail.detail.mark.done": {
        "en": "{id} done on “{list}” for {day}.",
        "ja": "{id}を「{list}」で対応済みに（{day}分）。",
    },
    "trail.detail.mark.snooze": {"en": "{id} snoozed until {day}.", "ja": "{id}を{day}まで保留。"},
    "trail.detail.mark.note": {"en": "Note on {id}: “{text}”", "ja": "{id}にメモ:「{text}」"},
    "trail.detail.mark.not_inquiry": {
        "en": "{id} marked not an inquiry: {reason}.",
        "ja": "{id}を問い合わせではないと記録（{reason}）。",
    },
    "trail.detail.mark.not_inquiry_text": {
        "en": "{id} marked not an inquiry: {reason} (“{text}”).",
        "ja": "{id}を問い合わせではないと記録（{reason}:「{text}」）。",
    },
    "trail.detail.mark.undo": {
        "en": "Took back the {what} on {id}.",
        "ja": "{id}の「{what}」を取り消し。",
    },
    "trail.mark.claim": {"en": "claim", "ja": "担当"},
    "trail.mark.done": {"en": "done", "ja": "対応済み"},
    "trail.mark.snooze": {"en": "snooze", "ja": "保留"},
    "trail.mark.note": {"en": "note", "ja": "メモ"},
    "trail.mark.not_inquiry": {"en": "not an inquiry", "ja": "問い合わせではない"},
    "trail.mark.unknown": {"en": "mark no. {seq}", "ja": "記録{seq}"},
    # anything else: its values as recorded
    "trail.detail.other": {"en": "{text}", "ja": "{text}"},
}
