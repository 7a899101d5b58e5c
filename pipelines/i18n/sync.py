"""Words of the live mailbox (python -m pipelines sync) and of its refusals, in both languages."""

from __future__ import annotations

SYNC: dict[str, dict[str, str]] = {
    "sync.refused.no_office_addresses": {
        "en": "No office addresses are set, so every mail the office sent would be read as a "
        "customer's (no quotes, no contracts). The owner sets them on the Settings page or the Data "
        "page's mailbox tab (Office addresses), or as [mailbox] office_addresses in the settings file ({file}). "
        "Nothing was loaded.",
        "ja": "事務所のメールアドレスが設定されていません。このままでは事務所から送ったメールも"
        "お客様のメールとして読まれ、見積も契約も見つかりません。オーナーが設定ページかデータページの"
        "メールボックスのタブ（事務所のメールアドレス）か、設定ファイル（{file}）の "
        "[mailbox] office_addresses で設定してください。"
        "何も読み込んでいません。",
    },
    "sync.refused.no_host": {
        "en": "No mail server is set: add [imap] host and user to the settings file ({file}).",
        "ja": "メールサーバーが設定されていません。設定ファイル（{file}）の [imap] に host と "
        "user を書いてください。",
    },
    "sync.refused.no_password": {
        "en": "The mailbox password is not set: put it in the environment variable "
        "OPSDASH_IMAP_PASSWORD (never in a file in the repository).",
        "ja": "メールボックスのパスワードがありません。環境変数 OPSDASH_IMAP_PASSWORD に設定して"
        "ください（リポジトリ内のファイルには書かないでください）。",
    },
    "sync.refused.login": {
        "en": "The mail server {host} refused the login of {user} ({problem}): check [imap] user "
        "and the password in OPSDASH_IMAP_PASSWORD. Nothing was loaded.",
        "ja": "メールサーバー {host} が {user} のログインを拒否しました（{problem}）。[imap] の "
        "user と OPSDASH_IMAP_PASSWORD のパスワードを確認してください。何も読み込んでいません。",
    },
    "sync.refused.folder": {
        "en": "The mail server {host} has no folder {folder} ({problem}): check [imap] {setting}. "
        "Nothing was loaded.",
        "ja": "メールサーバー {host} にフォルダー {folder} がありません（{problem}）。[imap] の "
        "{setting} を確認してください。何も読み込んでいません。",
    },
    "sync.failed.connection": {
        "en": "The connection to {host}:{port} failed ({problem}). Nothing was loaded; the next "
        "sync picks up where the last complete one ended.",
        "ja": "{host}:{port} への接続に失敗しました（{problem}）。何も読み込んでいません。次回の"
        "同期で、前回完了したところから読み直します。",
    },
    "sync.folder_reset": {
        "en": "Folder {folder} was renumbered by the server (UIDVALIDITY {old} → {new}): read "
        "again in full, without duplicates.",
        "ja": "フォルダー {folder} の番号がサーバー側で振り直されました（UIDVALIDITY {old} → "
        "{new}）。重複なしで全件を読み直します。",
    },
    "sync.nothing_new": {
        "en": "No new mail on {host} ({folders}). The database is unchanged.",
        "ja": "{host} に新しいメールはありません（{folders}）。データベースは変わっていません。",
    },
    "sync.loaded": {
        "en": "Read {messages} new message(s) from {host} ({folders}). The mailbox now gives "
        "{inquiries} inquiries and {events} events; {new_inquiries} inquiries are new. "
        "{review} message(s) went to review (not used).",
        "ja": "{host} から新しいメール {messages} 件を読みました（{folders}）。メールボックス全体で"
        "問い合わせ {inquiries} 件・イベント {events} 件、うち新しい問い合わせ {new_inquiries} 件。"
        "確認が必要なメール（未使用）{review} 件。",
    },
    "sync.dry_run": {
        "en": "Dry run: {messages} new message(s) on {host} ({folders}) would give "
        "{new_inquiries} new inquiries and {events} events in all; {review} message(s) would go "
        "to review. Nothing was changed.",
        "ja": "試行：{host} の新しいメール {messages} 件（{folders}）を読むと、新しい問い合わせ "
        "{new_inquiries} 件、イベントは全体で {events} 件、確認が必要なメール {review} 件に"
        "なります。何も変更していません。",
    },
    "sync.folder_count": {"en": "{folder} {n}", "ja": "{folder} {n} 件"},
    "sync.next": {
        "en": "Next sync at {at} (Ctrl-C stops).",
        "ja": "次回の同期は {at}（Ctrl-C で停止）。",
    },
    "sync.stopped": {
        "en": "Stopped. Every sync that ran is complete.",
        "ja": "停止しました。実行した同期はすべて完了しています。",
    },
    "sync.bad_every": {
        "en": "--every {value}: give minutes or hours such as 5m, 30m or 1h (at least 1m).",
        "ja": "--every {value}：5m・30m・1h のように分か時間で指定してください（1m 以上）。",
    },
    "sync.refused.mailbox_no_office_addresses": {
        "en": "No office addresses are set, so every mail the office sent would be read as a "
        "customer's: newsletters would become inquiries and no quote or contract would be found. "
        "The owner sets them above (Office addresses), or as [mailbox] office_addresses in the "
        "settings file ({file}). Nothing was read.",
        "ja": "事務所のメールアドレスが設定されていません。このままでは事務所から送ったメールも"
        "お客様のメールとして読まれ、お知らせメールが問い合わせになり、見積も契約も見つかりません。"
        "オーナーがこのページの「事務所のメールアドレス」で、または設定ファイル（{file}）の "
        "[mailbox] office_addresses で設定してください。何も読み込んでいません。",
    },
    "sync.found": {
        "en": "Found in {messages} message(s): {inquiries} inquiries, {events} events, "
        "{review} message(s) not used (see the review below). Nothing is loaded until you press "
        "the button.",
        "ja": "メール {messages} 件から：問い合わせ {inquiries} 件、イベント {events} 件、"
        "使用しないメール {review} 件（下の確認表）。ボタンを押すまで何も読み込みません。",
    },
    "sync.found_events": {"en": "Events: {kinds}", "ja": "イベントの内訳：{kinds}"},
    "sync.event_count": {"en": "{kind} {n}", "ja": "{kind} {n} 件"},
    "sync.page.title": {"en": "Live mailbox (IMAP)", "ja": "メールボックスの自動同期（IMAP）"},
    "sync.page.never": {
        "en": "No sync has run on this database. An office runs `python -m pipelines sync --every "
        "5m` (docs/operations.md).",
        "ja": "このデータベースではまだ同期していません。`python -m pipelines sync --every 5m` で"
        "同期します（docs/operations.md）。",
    },
    "sync.page.last": {
        "en": "Last sync: {at} — {outcome}.",
        "ja": "前回の同期：{at}（{outcome}）",
    },
    "sync.page.outcome.ok": {"en": "completed", "ja": "完了"},
    "sync.page.outcome.failed": {"en": "failed", "ja": "失敗"},
    "sync.page.outcome.refused": {"en": "refused", "ja": "設定の問題で中止"},
    "sync.page.last_ok": {"en": "Last complete sync: {at}.", "ja": "最後に完了した同期：{at}"},
    "sync.page.next": {
        "en": "Next sync (every {every}): about {at}.",
        "ja": "次回の同期（{every} ごと）：{at} ごろ",
    },
    "sync.page.review": {
        "en": "Messages of the mailbox not used ({n}): check them",
        "ja": "使用しなかったメール（{n} 件）：内容を確認してください",
    },
    "sync.addresses.title": {"en": "Office addresses", "ja": "事務所のメールアドレス"},
    "sync.addresses.help": {
        "en": "The office's own addresses, one a line: a whole address (info@office.example.jp), "
        "a domain (@office.example.jp) or a name at any domain (noreply@). Mail from them is the "
        "office's (quotes, contracts); every other mail is a customer's. Saved in the office's settings.",
        "ja": "事務所のメールアドレスを 1 行に 1 つ：アドレス（info@office.example.jp）、ドメイン"
        "（@office.example.jp）、または任意のドメインの名前（noreply@）。ここからのメールは事務所の"
        "もの（見積・契約）、それ以外はお客様のメールとして読みます。保存先：事務所の設定",
    },
    "sync.addresses.save": {"en": "Save the office addresses", "ja": "事務所のアドレスを保存"},
    "sync.addresses.saved": {
        "en": "Saved {n} office address(es).",
        "ja": "事務所のアドレス {n} 件を保存しました。",
    },
    "sync.addresses.bad": {
        "en": "Not saved: {problem}",
        "ja": "保存していません：{problem}",
    },
    "sync.addresses.invalid": {
        "en": "“{entry}” is not an e-mail address, @domain or name@.",
        "ja": "「{entry}」はメールアドレス・@ドメイン・名前@ のどれでもありません。",
    },
}
