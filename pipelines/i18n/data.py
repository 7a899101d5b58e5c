"""Words for loading data: why a file is refused, why a row is quarantined, what a load did.

The codes and English templates are the reader's (``pipelines.readers.REFUSALS``, ``REASONS``,
``SKIPS``); the English here repeats them so both languages live side by side, and a test checks that
every code has words in both.
"""

from __future__ import annotations

from pipelines.readers.codes import REASONS, REFUSALS, SKIPS

_REFUSED_JA: dict[str, str] = {
    "FILE_NOT_FOUND": "ファイルが見つかりません",
    "IS_FOLDER": "ファイルではなくフォルダです",
    "FILE_UNREADABLE": "読み取れません（{error}）",
    "FILE_EMPTY": "ファイルが空です",
    "NO_TEMP_SPACE": "一時フォルダに展開用の空き容量がありません（{error}）",
    "NO_HEADER": "ファイルが空です（見出し行がありません）",
    "HEADER_TOO_LATE": "先頭{size}に見出し行がありません（空行が続いています）",
    "HEADER_UNRECOGNISED": "見出し行から問い合わせ履歴・見積ログのどちらか判別できません（{detail}）",
    "HEADER_MALFORMED": "見出し行の引用符が正しくありません（{detail}）",
    "CR_LINE_ENDINGS": "改行がCRのみ（古いMac形式）です。Windows（CRLF）またはUnix（LF）の改行で保存し直してください",
    "NUL_BYTES": "NULバイトを含みます（{line}行目）。CSVではなくバイナリファイルです",
    "UTF16_WITHOUT_BOM": "BOMのないUTF-16のようです。UTF-8（またはExcelの「Unicodeテキスト」）で保存し直してください",
    "MIXED_ENCODINGS": "文字コードが混在しています（{line}行目まではUTF-8、その後にUTF-8でないバイト）。1つの文字コードで出力し直してください",
    "UNDECODABLE": "文字コードを判別できません（UTF-8でなく（{utf8_line}行目）、Shift_JIS・EUC-JPでもありません）",
    "BAD_BYTES": "{encoding}として正しくないバイトがあります（{line}行目）",
    "AMBIGUOUS_ENCODING": "Shift_JIS（CP932）かEUC-JPか判別できません。UTF-8で保存し直してください",
    "EUC_JP_UNDECODABLE": "EUC-JPのようですが読み取れない文字があります。UTF-8で保存し直してください",
    "OLD_XLS": "古い.xls形式には対応していません。.xlsxまたはCSVで保存してください",
    "TEXT_NAMED_XLSX": "zip形式でないため.xlsxではありません。テキストファイルなので拡張子を.csvにして読み込んでください",
    "BAD_WORKBOOK": ".xlsxとして読み取れません（{error}）",
    "SHEET_UNREADABLE": "シート「{sheet}」を読み取れません（{error}）",
    "SHEET_UNRECOGNISED": "シート「{sheet}」にデータがありますが、{detail}。シートを削除するか、読み込まないシートに指定してください（--skip-sheet {sheet}）",
    "NO_SHEET_WITH_DATA": "データのあるシートがありません",
    "ALL_SHEETS_SKIPPED": "読み込むものがありません（データのあるシートはすべて除外指定: {sheets}）",
    "NOT_A_FILE": "ファイルではなく、デバイスまたはソケットです。データをファイルに保存してそのパスを指定してください",
    "PIPE_NO_WRITER": "パイプですが、{seconds}秒以内に書き込むプログラムがありませんでした。書き込むプログラムを起動するか、データをファイルに保存してそのパスを指定してください",
    "PIPE_NO_SPACE": "パイプの内容をコピーする一時フォルダに空きがありません（{error}）",
    "LIMIT_PIPE_BYTES": "パイプの内容が上限{limit}を超えています（max_file_bytes）",
    "LIMIT_FILE_BYTES": "ファイルサイズ{size}が上限{limit}を超えています（max_file_bytes）",
    "LIMIT_ROWS": "データ行が上限{limit:,}行を超えています（max_rows）",
    "LIMIT_COLUMNS": "見出しが{found:,}列あり、上限{limit:,}列を超えています（max_columns）",
    "LIMIT_LINE_BYTES": '{line}行目から始まる行が上限{limit}を超えています（max_line_bytes）。閉じていない引用符（"）が多くの行をつないでいる可能性があります',
    "LIMIT_XLSX_BYTES": "展開後のサイズ{size}が上限{limit}を超えています（max_xlsx_bytes）",
    "LIMIT_XLSX_RATIO": "内部の{member}が保存サイズの{ratio:,.0f}倍に展開され、上限{limit:,}倍を超えています（max_xlsx_ratio）。zip爆弾の可能性があります",
    "LIMIT_XLSX_MEMBERS": "内部のファイルが{found:,}個あり、上限{limit:,}個を超えています（max_xlsx_members）",
}

_REASON_JA: dict[str, str] = {
    "REQUIRED_BLANK": "必須の値が空欄です",
    "DATE_UNREADABLE": "日時として読めません「{value}」",
    "DATE_NO_SUCH_DAY": "日時として読めません「{value}」（存在しない日付）",
    "TIME_IMPOSSIBLE": "日時として読めません「{value}」（存在しない時刻）",
    "OFFSET_IMPOSSIBLE": "日時として読めません「{value}」（ありえない時差）",
    "DATE_OUT_OF_RANGE": "日付が範囲外です（{first}〜{last}）「{value}」",
    "EVENT_UNKNOWN": "種別「{value}」が分かりません（{expected} のいずれか）",
    "AMOUNT_NOT_INTEGER": "金額が円の整数ではありません「{value}」",
    "AMOUNT_NEGATIVE": "金額がマイナスです（{value}）",
    "MINUTES_NOT_INTEGER": "分数が整数ではありません「{value}」",
    "MINUTES_NEGATIVE": "分数がマイナスです（{value}）",
    "MINUTES_TOO_MANY": "分数が多すぎます（{value} > 100000）",
    "WRONG_COLUMN_COUNT": "列の数が違います（見出しは{width}列、この行は{found}列）",
    "MALFORMED_QUOTING": '引用符（"）の使い方が正しくありません。"を含む値は引用符で囲み、"を二重にしてください',
    "UNTERMINATED_QUOTE": '引用符（"）が閉じていません（ファイルの最後まで続いています）',
    "BARE_CR": "行の途中に引用符の外のCR改行があります（改行を含む値は引用符で囲んでください）",
    "FORMULA_WITHOUT_VALUE": "数式{value}に計算済みの値がありません（Excelで開いて保存し直してください）",
    "legacy_text": "{text}",
}

_SKIP_JA: dict[str, str] = {
    "SHEET_HIDDEN": "非表示のシートのため読み込みませんでした",
    "SHEET_SKIPPED": "指定により読み込みませんでした",
}

DATA: dict[str, dict[str, str]] = {
    **{f"refused.{code}": {"en": REFUSALS[code], "ja": ja} for code, ja in _REFUSED_JA.items()},
    **{f"quarantine.{code}": {"en": REASONS[code], "ja": ja} for code, ja in _REASON_JA.items()},
    **{f"skip.{code}": {"en": SKIPS[code], "ja": ja} for code, ja in _SKIP_JA.items()},
    "load.part": {
        "en": "{where}: {kind} ({encoding}) — {read:,} rows read, {loaded:,} loaded, "
        "{duplicate:,} duplicates skipped, {quarantined:,} quarantined",
        "ja": "{where}: {kind}（{encoding}）— {read:,}行を読み取り、{loaded:,}行を登録、"
        "重複{duplicate:,}行を省略、{quarantined:,}行を保留",
    },
    "load.replaced": {"en": "{n:,} replaced earlier rows", "ja": "うち{n:,}件は既存の行を置き換え"},
    "load.blank": {"en": "{n:,} blank lines skipped", "ja": "空行{n:,}行を省略"},
    "load.orphans": {
        "en": "{n:,} events wait for their inquiry",
        "ja": "{n:,}件の見積ログは問い合わせが未登録です",
    },
    "load.possible_corrections": {
        "en": "{n:,} possible corrections: events with the time and kind of a stored event but "
        "another amount or staff minutes were added beside it (inquiries {inquiries}); to let this "
        "file's events replace the stored ones, load it again with --replace-events",
        "ja": "修正の可能性がある行が{n:,}件あります: 登録済みの行と日時・種別が同じで金額または"
        "対応時間が異なる行を、その横に追加しました（問い合わせ {inquiries}）。このファイルの内容で"
        "置き換えるには --replace-events を付けて読み込み直してください",
    },
    "load.events_replaced": {
        "en": "{n:,} stored events of its inquiries replaced by this file's",
        "ja": "この問い合わせの登録済みの見積ログ{n:,}行をこのファイルの内容で置き換え",
    },
    "load.ignored": {"en": "ignored columns: {columns}", "ja": "読み込まなかった列: {columns}"},
    "load.skipped_sheets": {
        "en": "sheets not loaded: {sheets}",
        "ja": "読み込まなかったシート: {sheets}",
    },
    "load.already": {
        "en": "{where}: already loaded (same content), nothing changed",
        "ja": "{where}: 読み込み済み（同じ内容）のため変更なし",
    },
    "data.replace_events": {
        "en": "Quote logs replace the stored events of their inquiries (corrected re-exports)",
        "ja": "見積ログの内容で、その問い合わせの登録済みの見積ログを置き換える（修正した再エクスポート）",
    },
    "data.replace_events_help": {
        "en": "Use this when a quote log was exported again after amounts or staff minutes were "
        "corrected: every stored event of the inquiries the file names is replaced by the file's "
        "events, instead of the corrected rows being added beside the old ones.",
        "ja": "金額や対応時間を修正してから見積ログをエクスポートし直したときに使います。ファイルに"
        "含まれる問い合わせの登録済みの見積ログをすべてファイルの内容で置き換えます（修正前の行の横に"
        "追加しません）。",
    },
    "kind.inquiries": {"en": "inquiry log", "ja": "問い合わせ履歴"},
    "kind.events": {"en": "quote log", "ja": "見積ログ"},
    "data.tab_exports": {"en": "Exports (CSV, Excel)", "ja": "エクスポート（CSV・xlsx）"},
    "data.tab_mailbox": {"en": "Mailbox", "ja": "メールボックス"},
    "data.busy": {
        "en": "Another load is running; try again when it is done. Nothing was changed.",
        "ja": "別の読み込みが実行中です。終わってからもう一度お試しください（変更はありません）。",
    },
    "data.failed": {
        "en": "Nothing was loaded: {error}. The database is unchanged.",
        "ja": "読み込めませんでした: {error}。データベースは変更されていません。",
    },
    "data.replaced": {
        "en": "Replaced by this upload: {n:,} of the {before:,} inquiries already in the database. "
        "Check below that they are the same inquiries (the checks compare dates).",
        "ja": "登録済みの問い合わせ（{before:,}件中）{n:,}件がこのアップロードで置き換えられました。"
        "同じ問い合わせか下の点検結果でご確認ください。",
    },
    "load.part_office": {
        "en": "{where}: {kind} — {read:,} rows read, {loaded:,} loaded, "
        "{duplicate:,} duplicates skipped, {quarantined:,} quarantined",
        "ja": "{where}: {kind} — {read:,}行を読み取り、{loaded:,}行を登録、"
        "重複{duplicate:,}行を省略、{quarantined:,}行を保留",
    },
    "data.loaded_with_problems": {
        "en": "{outcome} The rows held back are listed under “Quarantined rows” below; the "
        "dashboard shows what was loaded.",
        "ja": "{outcome}保留した行は下の「保留された行」にあります。ダッシュボードには登録した分が"
        "反映されています。",
    },
    "data.details": {"en": "Technical details", "ja": "技術的な詳細"},
    "data.details_db": {"en": "Database file: {path}", "ja": "データベースファイル: {path}"},
    "data.details_encoding": {
        "en": "{where}: read as {encoding}",
        "ja": "{where}: 文字コード {encoding} として読み取り",
    },
    # a load that left rows out, leading with what happened (pipelines.i18n.load_problems_text)
    "load.outcome.lead": {
        "en": "Of the {read:,} rows read: {what}.",
        "ja": "読み取った{read:,}行のうち、{what}。",
    },
    "load.outcome.duplicate": {
        "en": "{n:,} were already loaded (skipped)",
        "ja": "{n:,}行は登録済みのため省略",
    },
    "load.outcome.replaced": {
        "en": "{n:,} replaced the stored rows with their inquiry IDs",
        "ja": "{n:,}行は同じIDの登録済みの行を置き換え",
    },
    "load.outcome.loaded": {"en": "{n:,} rows loaded as new", "ja": "新しく{n:,}行を登録"},
    "load.outcome.none_new": {"en": "no new rows", "ja": "新しい行はなし"},
    "load.outcome.held": {
        "en": "{n:,} rows held back (quarantined)",
        "ja": "{n:,}行は登録せずに保留",
    },
    "load.outcome.why": {"en": "Held back: {reasons}.", "ja": "保留の理由: {reasons}。"},
    "load.outcome.line": {
        "en": "{where} line {line} ({reason})",
        "ja": "{where} {line}行目（{reason}）",
    },
    "load.outcome.more": {"en": "{n:,} more rows", "ja": "ほか{n:,}行"},
    "load.outcome.waiting": {
        "en": "Waiting for their inquiry: {n:,} events of the quote log.",
        "ja": "問い合わせが未登録の見積ログが{n:,}件あります。",
    },
    "data.audits_ok": {
        "en": "Checks after loading: every data contract holds.",
        "ja": "読み込み後の点検: 問題はありません。",
    },
    "data.mailbox_help": {
        "en": "No logs? Upload a mailbox export (.mbox from Gmail Takeout or Thunderbird, or .eml "
        "files): it becomes an inquiry log and a quote log you can check and load.",
        "ja": "記録がない場合は、メールボックスのエクスポート（Gmail TakeoutやThunderbirdの.mbox、"
        "または.emlファイル）をアップロードすると、問い合わせ履歴と見積ログを作成できます。",
    },
    "data.mailbox_upload": {"en": "Mailbox (.mbox or .eml)", "ja": "メールボックス（.mbox・.eml）"},
    "data.mailbox_failed": {
        "en": "The mailbox cannot be read: {error}",
        "ja": "メールボックスを読み取れません: {error}",
    },
    "data.review": {"en": "Review sheet ({n:,} messages)", "ja": "確認シート（{n:,}通）"},
    "data.download_inquiry_log": {"en": "Inquiry log (CSV)", "ja": "問い合わせ履歴（CSV）"},
    "data.download_quote_log": {"en": "Quote log (CSV)", "ja": "見積ログ（CSV）"},
    "data.download_review": {"en": "Review sheet (CSV)", "ja": "確認シート（CSV）"},
    "data.load_mail_logs": {
        "en": "Load these two logs",
        "ja": "この2つの記録を読み込む",
    },
    "mail.col.thread": {"en": "Thread", "ja": "スレッド"},
    "mail.col.date": {"en": "Date", "ja": "日時"},
    "mail.col.from": {"en": "From", "ja": "差出人"},
    "mail.col.subject": {"en": "Subject", "ja": "件名"},
    "mail.col.became": {"en": "Became", "ja": "扱い"},
    "mail.col.why": {"en": "Why", "ja": "理由"},
    "data.col.file": {"en": "File", "ja": "ファイル"},
    "data.col.sheet": {"en": "Sheet", "ja": "シート"},
    "data.col.kind": {"en": "Kind", "ja": "種類"},
    "data.col.read": {"en": "Rows read", "ja": "読み取り行"},
    "data.col.loaded": {"en": "Loaded", "ja": "登録"},
    "data.col.replaced": {"en": "Replaced", "ja": "置き換え"},
    "data.col.duplicate": {"en": "Duplicates", "ja": "重複"},
    "data.col.quarantined": {"en": "Quarantined", "ja": "保留"},
    "data.col.finished": {"en": "Loaded at", "ja": "読み込み日時"},
    "data.col.line": {"en": "Line", "ja": "行"},
    "data.col.column": {"en": "Column", "ja": "列"},
    "data.col.reason": {"en": "Reason", "ja": "理由"},
    "data.col.raw": {"en": "Row as written", "ja": "元の行"},
    "audit.unique_inquiry_ids": {
        "en": "{n:,} inquiry IDs appear more than once.",
        "ja": "{n:,}件の問い合わせIDが重複しています。",
    },
    "audit.inquiry_required_values": {
        "en": "{n:,} inquiries lack an ID or a received time.",
        "ja": "{n:,}件の問い合わせにIDまたは受付日時がありません。",
    },
    "audit.known_event_kinds": {
        "en": "{n:,} events have an unknown kind.",
        "ja": "{n:,}件の見積ログの種別が不明です。",
    },
    "audit.unique_events": {
        "en": "{n:,} events are stored twice.",
        "ja": "{n:,}件の見積ログが二重に登録されています。",
    },
    "audit.nonnegative_minutes": {
        "en": "{n:,} rows have negative staff minutes.",
        "ja": "{n:,}行の対応時間がマイナスです。",
    },
    "audit.nonnegative_amounts": {
        "en": "{n:,} quotes have a negative amount.",
        "ja": "{n:,}件の見積金額がマイナスです。",
    },
    "audit.events_after_inquiry": {
        "en": "{n:,} events are dated before their inquiry was received: were the right inquiries replaced?",
        "ja": "{n:,}件の見積ログが問い合わせの受付より前の日付です。置き換えた問い合わせは正しいですか？",
    },
    "audit.plausible_dates": {
        "en": "{n:,} inquiries have a date outside the accepted range.",
        "ja": "{n:,}件の問い合わせの日付が範囲外です。",
    },
    "audit.loads_balance": {
        "en": "{n:,} files do not account for every row.",
        "ja": "{n:,}件のファイルで行数が合いません。",
    },
    "audit.quarantine_has_reasons": {
        "en": "{n:,} quarantined rows lack a line or a reason.",
        "ja": "{n:,}行の保留行に行番号または理由がありません。",
    },
    "audit.one_status_per_inquiry": {
        "en": "{n:,} inquiries have no known status.",
        "ja": "{n:,}件の問い合わせのステータスが不明です。",
    },
    "data.no_orphans": {
        "en": "None: every quote-log event has its inquiry.",
        "ja": "ありません（すべての見積ログに問い合わせがあります）。",
    },
    "data.no_quarantine": {
        "en": "None: every row could be read.",
        "ja": "ありません（すべての行を読み取れました）。",
    },
}
