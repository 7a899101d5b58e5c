"""Words of the command line: load and report output, errors, signals (pipelines/__main__.py,
pipelines/cli_exit.py). Errors carry a code (pipelines.coded) worded here as cli.err.<code>."""

from __future__ import annotations

CLI: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- errors (cli_exit.failed)
    "cli.error": {"en": "error: {text}", "ja": "エラー: {text}"},
    "cli.unchanged": {
        "en": "Nothing was changed; the database is unchanged.",
        "ja": "何も変更していません。データベースは元のままです。",
    },
    "cli.err.db_missing": {
        "en": "{path}: no database here. Load exports first (python -m pipelines load FILE… "
        "--db {path}) or check the path.",
        "ja": "{path}: ここにデータベースがありません。先にエクスポートを読み込むか"
        "（python -m pipelines load ファイル… --db {path}）、パスを確認してください。",
    },
    "cli.err.db_too_new": {
        "en": "{path}: made by a newer version of this program (schema version {version}; this "
        "program knows up to {known}). Update the program; the database was not changed.",
        "ja": "{path}: このプログラムより新しい版で作られたデータベースです（スキーマ版{version}、"
        "このプログラムは{known}まで）。プログラムを更新してください。データベースは変更していません。",
    },
    "cli.err.db_too_new_schema": {
        "en": "the database has schema version {version}, newer than this program's {known}. "
        "Update the program; the database was not changed.",
        "ja": "データベースのスキーマ版{version}は、このプログラムの{known}より新しい版です。"
        "プログラムを更新してください。データベースは変更していません。",
    },
    "cli.err.not_a_database": {
        "en": "{path}: not a database this program can open ({detail})",
        "ja": "{path}: このプログラムで開けるデータベースではありません（{detail}）",
    },
    "cli.err.db_is_folder": {
        "en": "{path}: is a folder, not a database file",
        "ja": "{path}: データベースファイルではなくフォルダです",
    },
    "cli.err.db_read_only": {
        "en": "{path}: the database file is read-only; make it writable (chmod u+w) or load into "
        "another --db. The database was not changed.",
        "ja": "{path}: データベースファイルが読み取り専用です。書き込めるようにする（chmod u+w）か、"
        "別の --db に読み込んでください。データベースは変更していません。",
    },
    "cli.err.db_folder_read_only": {
        "en": "{path}: the folder {folder} is read-only, and a load writes its new database beside "
        "the old one; make the folder writable or load into another --db. The database was not "
        "changed.",
        "ja": "{path}: フォルダ {folder} が読み取り専用です。読み込みは新しいデータベースを同じ"
        "フォルダに作るため、フォルダを書き込めるようにするか、別の --db に読み込んでください。"
        "データベースは変更していません。",
    },
    "cli.err.load_busy": {
        "en": "{path}: another load is running and did not finish within {seconds} s; try again "
        "when it is done",
        "ja": "{path}: 別の読み込みが実行中で、{seconds}秒以内に終わりませんでした。終わってから"
        "もう一度お試しください",
    },
    "cli.err.output_kept": {
        "en": "{path}: could not be written ({error}); the earlier file is left as it was",
        "ja": "{path}: 書き込めませんでした（{error}）。以前のファイルはそのままです",
    },
    "cli.err.output_none": {
        "en": "{path}: could not be written ({error}); no file was written",
        "ja": "{path}: 書き込めませんでした（{error}）。ファイルは作成していません",
    },
    "cli.err.bad_settings": {"en": "bad settings: {text}", "ja": "設定が正しくありません: {text}"},
    "cli.err.settings_missing": {
        "en": "{source}: settings file not found",
        "ja": "{source}: 設定ファイルが見つかりません",
    },
    "cli.err.settings_unreadable": {
        "en": "{source}: cannot be read ({error})",
        "ja": "{source}: 読み取れません（{error}）",
    },
    "cli.err.settings_toml": {
        "en": "{source}: not valid TOML: {error}",
        "ja": "{source}: TOMLとして正しくありません: {error}",
    },
    "cli.err.setting_range": {
        "en": "{source}: {name} must be a whole number from {minimum} to {maximum:,}, got {got}",
        "ja": "{source}: {name}は{minimum}〜{maximum:,}の整数で指定してください（指定値 {got}）",
    },
    "cli.err.setting_bool": {
        "en": "{source}: {name} must be true or false, got {got}",
        "ja": "{source}: {name}は true か false で指定してください（指定値 {got}）",
    },
    "cli.err.setting_language": {
        "en": "{source}: {name} must be 'ja' or 'en', got {got}",
        "ja": "{source}: {name}は 'ja' か 'en' で指定してください（指定値 {got}）",
    },
    "cli.err.setting_closed_days": {
        "en": "{source}: {name} must be MM-DD..MM-DD ranges separated by commas (e.g. "
        "12-29..01-03,08-13..08-16), or nothing, got {got}",
        "ja": "{source}: {name}は MM-DD..MM-DD の範囲をカンマ区切りで指定してください（例 "
        "12-29..01-03,08-13..08-16、空欄も可。指定値 {got}）",
    },
    "cli.err.memory": {"en": "out of memory.", "ja": "メモリが足りません。"},
    "cli.err.os": {"en": "{where}{problem}.", "ja": "{where}{problem}。"},
    "cli.err.duckdb": {"en": "database error: {detail}.", "ja": "データベースのエラー: {detail}。"},
    # ---------------------------------------------------------------- signals (cli_exit.interrupted)
    "cli.interrupted": {
        "en": "interrupted, database unchanged.",
        "ja": "中断しました。データベースは変更していません。",
    },
    "cli.interrupted_after_swap": {
        "en": "interrupted after the swap: the load finished, database updated: {path}",
        "ja": "入れ替えの後に中断されました。読み込みは完了し、データベースを更新しました: {path}",
    },
    "cli.interrupted_upgraded": {
        "en": "interrupted (the database had already been upgraded, completely)",
        "ja": "中断しました（データベースの更新はその前に完了しています）",
    },
    "cli.interrupted_during_swap": {
        "en": "interrupted during the swap: the load finished, database updated",
        "ja": "入れ替え中に中断されました。読み込みは完了し、データベースを更新しました",
    },
    "cli.signal_too_late": {
        "en": "finished, the signal came too late: the load had already replaced the database "
        "(database updated: {path})",
        "ja": "完了しました。中断の指示は遅すぎました。読み込みはすでにデータベースを置き換えています"
        "（更新済み: {path}）",
    },
    # ---------------------------------------------------------------- load and sample
    "cli.load.updated": {
        "en": "database updated: {path} ({seconds:.1f} s)",
        "ja": "データベースを更新しました: {path}（{seconds:.1f}秒）",
    },
    "cli.load.unchanged": {
        "en": "database unchanged: {path} ({seconds:.1f} s)",
        "ja": "データベースは変更していません: {path}（{seconds:.1f}秒）",
    },
    "load.separator.tab": {"en": "tab-separated", "ja": "タブ区切り"},
    "load.separator.semicolon": {"en": "semicolon-separated", "ja": "セミコロン区切り"},
    "cli.sample.not_needed": {
        "en": "{path}: {n:,} inquiries already loaded; sample not needed",
        "ja": "{path}: 問い合わせ{n:,}件を読み込み済みのため、サンプルは読み込みません",
    },
    "cli.sample.loading": {
        "en": "{path}: empty database, loading the bundled sample ({n} files)",
        "ja": "{path}: データベースが空のため、付属のサンプル（{n}ファイル）を読み込みます",
    },
    # ---------------------------------------------------------------- report
    "cli.report.as_of": {"en": "As of", "ja": "基準日"},
    "cli.report.whatif": {"en": "What-if settings", "ja": "試算の設定"},
    "cli.report.overdue": {"en": "Overdue quotes", "ja": "見積期限切れ"},
    "cli.report.quarantined": {"en": "Quarantined rows", "ja": "保留行"},
    "cli.report.status": {"en": "Status", "ja": "ステータス"},
    "cli.unit.minutes": {"en": "{value:.1f} min", "ja": "{value:.1f}分"},
    # ---------------------------------------------------------------- today, digest, demo, check
    "cli.today.written": {"en": "{path}: {n:,} items", "ja": "{path}: {n:,}件"},
    "cli.today.ics_written": {
        "en": "{path}: {n:,} upcoming calls",
        "ja": "{path}: 今後の架電{n:,}件",
    },
    "cli.digest.written": {
        "en": "{path}: digest as of {day} ({language})",
        "ja": "{path}: {day}時点のダイジェスト（{language}）",
    },
    "cli.demo.written": {
        "en": "{inquiries:,} inquiries and {events:,} events written to {path}:",
        "ja": "問い合わせ{inquiries:,}件と見積ログ{events:,}行を{path}に書き出しました:",
    },
    # the audits' descriptions are English (SQL comments): Japanese says what failed (audit.<name>)
    "cli.check.ok": {"en": "ok   {name}: {description}", "ja": "合格　{name}"},
    "cli.check.fail": {
        "en": "FAIL {name}: {description} — {n:,} rows, e.g. {example}",
        "ja": "不合格 {name}: {problem}（例: {example}）",
    },
    "cli.check.summary": {
        "en": "{passed} passed, {failed} failed",
        "ja": "合格{passed}件、不合格{failed}件",
    },
    "cli.draft.headers": {
        "en": "To: {to}\nSubject: {subject}",
        "ja": "宛先: {to}\n件名: {subject}",
    },
    # ---------------------------------------------------------------- mailbox (MailboxResult.summary)
    "mailbox.read": {
        "en": "Read {messages} message(s): {inquiries} inquiry(ies), {events} event(s), {skipped} "
        "not used (each is on the review sheet).",
        "ja": "{messages}通を読み取りました: 問い合わせ{inquiries}件、見積ログ{events}行、使わなかった"
        "メール{skipped}通（すべて確認シートにあります）。",
    },
    "mailbox.events": {"en": "Events: {counts}", "ja": "見積ログの種別: {counts}"},
    "mailbox.not_used": {"en": "Not used: {counts}", "ja": "使わなかった理由: {counts}"},
    "mailbox.warning": {"en": "Warning: {text}", "ja": "注意: {text}"},
    "mailbox.warn.no_office_addresses": {
        "en": "office_addresses is empty: every message was read as a customer's, so no quotes or "
        "contracts were found (set [mailbox] office_addresses in the settings file)",
        "ja": "office_addresses が空のため、すべてのメールをお客様からのものとして読みました。見積や"
        "契約は見つかっていません（設定ファイルの [mailbox] office_addresses を設定してください）",
    },
    "mailbox.warn.interrupted_replacing": {
        "en": "interrupted while the files were being replaced: the replacing was finished, so the "
        "three files are this run's complete set",
        "ja": "ファイルの置き換え中に中断されましたが、置き換えは最後まで行ったため、3つのファイルは"
        "今回の実行の完全なセットです",
    },
    "mailbox.inquiry_log": {"en": "Inquiry log: {path}", "ja": "問い合わせ履歴: {path}"},
    "mailbox.quote_log": {"en": "Quote log:   {path}", "ja": "見積ログ:     {path}"},
    "mailbox.review": {"en": "Review:      {path}", "ja": "確認シート:   {path}"},
    "mailbox.next": {
        "en": "Check the review sheet, then load the two logs with `python -m pipelines load`.",
        "ja": "確認シートを確かめてから、2つの記録を `python -m pipelines load` で読み込んでください。",
    },
}
