"""Words for people: the login card, roles, the lock, the Accounts and Audit pages, the users CLI."""

from __future__ import annotations

_FIRST_OWNER = "python -m pipelines users add NAME --role owner"

PEOPLE: dict[str, dict[str, str]] = {
    "people.product": {"en": "Phone-proxy operations", "ja": "電話代行 業務ダッシュボード"},
    "nav.accounts": {"en": "Accounts", "ja": "アカウント"},
    "nav.audit": {"en": "Audit trail", "ja": "操作履歴"},
    "role.owner": {"en": "owner", "ja": "オーナー"},
    "role.staff": {"en": "staff", "ja": "スタッフ"},
    # login card
    "signin.title": {"en": "Sign in", "ja": "ログイン"},
    "signin.name": {"en": "Login name", "ja": "ログイン名"},
    "signin.password": {"en": "Password", "ja": "パスワード"},
    "signin.submit": {"en": "Sign in", "ja": "ログイン"},
    "signin.wrong": {
        "en": "Wrong login name or password.",
        "ja": "ログイン名またはパスワードが違います。",
    },
    "signin.locked": {
        "en": "Too many failed attempts: this name is locked until {until} (Japan time). "
        "Try again then, or ask the owner to reset the password.",
        "ja": "失敗が続いたため、このログイン名は {until}（日本時間）までロックされています。"
        "その後にもう一度試すか、オーナーにパスワードの再設定を依頼してください。",
    },
    "signin.expired": {
        "en": "You were signed out after {minutes} minutes without activity. Please sign in again.",
        "ja": "{minutes}分間操作がなかったため、ログアウトしました。もう一度ログインしてください。",
    },
    "signin.signed_out": {"en": "You are signed out.", "ja": "ログアウトしました。"},
    "signin.forgot": {
        "en": "Forgot your password? The owner can reset it on the Accounts page, or on the computer "
        "that runs the dashboard: python -m pipelines users passwd NAME",
        "ja": "パスワードを忘れた場合は、オーナーが「アカウント」ページで再設定できます。"
        "ダッシュボードを動かしているパソコンでは python -m pipelines users passwd NAME でも再設定できます。",
    },
    "people.signed_in": {
        "en": "Signed in as {name} ({role})",
        "ja": "{name}（{role}）でログイン中",
    },
    "people.logout": {"en": "Sign out", "ja": "ログアウト"},
    "people.forbidden": {
        "en": "This page is not available for your role ({role}). Ask the owner if you need it.",
        "ja": "このページはあなたの権限（{role}）では表示できません。必要な場合はオーナーに相談してください。",
    },
    "people.go_home": {"en": "Go to {page}", "ja": "「{page}」へ"},
    "people.open_notice_short": {
        "en": "No accounts: open to anyone on this computer",
        "ja": "アカウント未作成: この端末の誰でも閲覧可",
    },
    "people.open_notice": {
        "en": "No accounts yet: anyone using this computer can see this dashboard (it serves this "
        "computer only). To require a login, create the first owner on the Accounts page, or: "
        + _FIRST_OWNER,
        "ja": "アカウントがまだありません。このパソコンを使う人は誰でもこのダッシュボードを見られます"
        "（このパソコンからのみ接続できます）。ログインを必須にするには、「アカウント」ページで最初の"
        "オーナーを作成してください（または " + _FIRST_OWNER + "）。",
    },
    # fail closed
    "closed.title": {
        "en": "The dashboard is not serving pages",
        "ja": "ダッシュボードは表示を停止しています",
    },
    "closed.address": {
        "en": "There are no accounts yet, so this dashboard may only listen on this computer "
        "(127.0.0.1), but it was started to listen on '{address}'. Create the first owner ("
        + _FIRST_OWNER
        + "), or start it with --server.address 127.0.0.1, then restart it.",
        "ja": "アカウントがまだないため、このダッシュボードはこのパソコン（127.0.0.1）からの接続しか"
        "受け付けられませんが、'{address}' で待ち受けるよう起動されました。最初のオーナーを作成する（"
        + _FIRST_OWNER
        + "）か、--server.address 127.0.0.1 を付けて起動し直してください。",
    },
    "closed.secrets_invalid": {
        "en": "{path} cannot be read ({problem}). It may hold a security setting, so nothing is "
        "shown until it is fixed: save it as plain UTF-8 TOML, or remove it.",
        "ja": "{path} を読み取れません（{problem}）。セキュリティの設定を含む可能性があるため、"
        "直るまで何も表示しません。UTF-8 の正しい TOML として保存し直すか、削除してください。",
    },
    "closed.secrets_password": {
        "en": "{path} sets a shared password ('{setting}'). Shared passwords are replaced by personal "
        "accounts, so nothing is shown until an owner account exists: " + _FIRST_OWNER + ". Then "
        "remove the line from {path}.",
        "ja": "{path} に共有パスワード（'{setting}'）が設定されています。共有パスワードは個人アカウントに"
        "置き換わったため、オーナーのアカウントができるまで何も表示しません: "
        + _FIRST_OWNER
        + "。その後 {path} からこの行を削除してください。",
    },
    "closed.settings": {
        "en": "The settings file cannot be used ({problem}). Fix the file (or OPSDASH_SETTINGS), "
        "then reload.",
        "ja": "設定ファイルを使用できません（{problem}）。ファイル（または OPSDASH_SETTINGS）を直してから"
        "再読み込みしてください。",
    },
    "closed.store.unreadable": {
        "en": "The accounts store {path} cannot be read ({detail}). Check that the file and its "
        "folder can be read and written by the user running the dashboard.",
        "ja": "アカウントの保存ファイル {path} を読み取れません（{detail}）。ダッシュボードを動かす"
        "ユーザーがこのファイルとフォルダを読み書きできるか確認してください。",
    },
    "closed.store.corrupt": {
        "en": "The accounts store {path} is damaged ({detail}). Restore it from a backup.",
        "ja": "アカウントの保存ファイル {path} が壊れています（{detail}）。バックアップから戻してください。",
    },
    "closed.store.not_a_file": {
        "en": "The accounts store {path} is not a file. Move what is there away.",
        "ja": "アカウントの保存ファイル {path} がファイルではありません。そこにあるものを移動してください。",
    },
    "closed.store.too_new": {
        "en": "The accounts store {path} was made by a newer version of this program ({detail}). "
        "Update the program.",
        "ja": "アカウントの保存ファイル {path} は新しいバージョンのプログラムで作られています（{detail}）。"
        "プログラムを更新してください。",
    },
    "closed.store.key_unreadable": {
        "en": "The session key {path} cannot be read or made ({detail}). Check the folder's "
        "permissions.",
        "ja": "セッション鍵 {path} を読み取れないか作成できません（{detail}）。フォルダの権限を確認してください。",
    },
    "closed.store.key_permissions": {
        "en": "The session key {path} can be read by other users ({detail}). Run: chmod 600 {path}",
        "ja": "セッション鍵 {path} を他のユーザーが読み取れます（{detail}）。次を実行してください: chmod 600 {path}",
    },
    "closed.store.key_corrupt": {
        "en": "The session key {path} is damaged. Delete it; a new one is made at the next start "
        "(everyone signs in again).",
        "ja": "セッション鍵 {path} が壊れています。削除すると次の起動時に新しく作られます（全員が再ログインします）。",
    },
    "closed.store.key_not_a_file": {
        "en": "The session key {path} is not a regular file. Move what is there away.",
        "ja": "セッション鍵 {path} が通常のファイルではありません。そこにあるものを移動してください。",
    },
    # account errors (the Accounts page and the CLI)
    "account.err.bad_name": {
        "en": "'{name}' cannot be a login name: use 1–32 letters, digits, '.', '_' or '-'.",
        "ja": "'{name}' はログイン名に使えません。英数字と . _ - で1〜32文字にしてください。",
    },
    "account.err.short_password": {
        "en": "The password must be at least {n} characters.",
        "ja": "パスワードは{n}文字以上にしてください。",
    },
    "account.err.bad_role": {
        "en": "'{role}' is not a role (owner or staff).",
        "ja": "'{role}' は権限ではありません（owner か staff）。",
    },
    "account.err.bad_lang": {
        "en": "'{value}' is not a language (ja or en).",
        "ja": "'{value}' は言語ではありません（ja か en）。",
    },
    "account.err.bad_email": {
        "en": "'{email}' is not an e-mail address.",
        "ja": "'{email}' はメールアドレスではありません。",
    },
    "account.err.bad_staff_name": {
        "en": "A staff name cannot be blank.",
        "ja": "担当者名を空欄にはできません。",
    },
    "account.err.exists": {
        "en": "An account '{name}' already exists.",
        "ja": "アカウント '{name}' はすでにあります。",
    },
    "account.err.unknown": {
        "en": "No account '{name}'.",
        "ja": "アカウント '{name}' はありません。",
    },
    "account.err.last_owner": {
        "en": "'{name}' is the last owner: add another owner before disabling it or making it staff.",
        "ja": "'{name}' は最後のオーナーです。無効化やスタッフへの変更の前に、別のオーナーを追加してください。",
    },
    "account.err.bad_field": {
        "en": "Not a field of an account: {field}.",
        "ja": "アカウントの項目ではありません: {field}",
    },
    "account.err.mismatch": {
        "en": "The two passwords differ.",
        "ja": "2つのパスワードが一致しません。",
    },
    "account.err.no_password": {
        "en": "No password was given on standard input.",
        "ja": "標準入力からパスワードが渡されませんでした。",
    },
    # the users and audit commands
    "users.added": {
        "en": "Account {name} added ({role}).",
        "ja": "アカウント {name} を追加しました（{role}）。",
    },
    "users.changed": {"en": "Account {name} changed.", "ja": "アカウント {name} を変更しました。"},
    "users.password_set": {
        "en": "Password of {name} set; its sessions ended.",
        "ja": "{name} のパスワードを設定しました。ログイン中のセッションは終了しました。",
    },
    "users.disabled": {
        "en": "Account {name} disabled; its sessions ended.",
        "ja": "アカウント {name} を無効にしました。ログイン中のセッションは終了しました。",
    },
    "users.none": {
        "en": "No accounts: the dashboard serves this computer only, without a login. Create the "
        "first owner: " + _FIRST_OWNER,
        "ja": "アカウントがありません。ダッシュボードはログインなしで、このパソコンからのみ表示されます。"
        "最初のオーナーを作成してください: " + _FIRST_OWNER,
    },
    "users.prompt": {"en": "Password for {name}: ", "ja": "{name} のパスワード: "},
    "users.prompt_again": {"en": "Again: ", "ja": "もう一度: "},
    "users.header": {
        "en": "name\trole\tlanguage\tdisplay name\te-mail\tstaff names\tstate",
        "ja": "ログイン名\t権限\t言語\t表示名\tメール\t担当者名\t状態",
    },
    "users.enabled": {"en": "enabled", "ja": "有効"},
    "users.disabled_state": {"en": "disabled", "ja": "無効"},
    "trail.none": {"en": "No audit rows.", "ja": "操作履歴はありません。"},
    # the Accounts page
    "accounts.title": {"en": "Accounts", "ja": "アカウント"},
    "accounts.add": {"en": "Add an account", "ja": "アカウントを追加"},
    "accounts.edit": {"en": "Change an account", "ja": "アカウントを変更"},
    "accounts.pick": {"en": "Account", "ja": "アカウント"},
    "accounts.name": {"en": "Login name", "ja": "ログイン名"},
    "accounts.display": {"en": "Display name", "ja": "表示名"},
    "accounts.role": {"en": "Role", "ja": "権限"},
    "accounts.lang": {"en": "Language", "ja": "言語"},
    "accounts.email": {"en": "E-mail", "ja": "メール"},
    "accounts.staff_names": {
        "en": "Names in the logs' staff column (comma-separated)",
        "ja": "ログの担当者欄での名前（カンマ区切り）",
    },
    "accounts.password": {
        "en": "Password (10 characters or more)",
        "ja": "パスワード（10文字以上）",
    },
    "accounts.password_again": {"en": "Password again", "ja": "パスワード（確認）"},
    "accounts.disabled": {"en": "Disabled (cannot sign in)", "ja": "無効（ログイン不可）"},
    "accounts.submit_add": {"en": "Add", "ja": "追加"},
    "accounts.submit_save": {"en": "Save", "ja": "保存"},
    "accounts.reset": {"en": "Reset the password", "ja": "パスワードを再設定"},
    "accounts.submit_reset": {"en": "Set the new password", "ja": "新しいパスワードを設定"},
    "accounts.first_title": {"en": "Create the first owner", "ja": "最初のオーナーを作成"},
    "accounts.first_help": {
        "en": "There are no accounts yet, so anyone using this computer can see the dashboard. "
        "Create the first owner here: from then on every page, link and download needs a login, "
        "and the owner adds the staff on this page.",
        "ja": "アカウントがまだないため、このパソコンを使う人は誰でもダッシュボードを見られます。"
        "ここで最初のオーナーを作成すると、以後すべてのページ・リンク・ダウンロードにログインが必要になり、"
        "スタッフのアカウントはオーナーがこのページで追加します。",
    },
    "accounts.first_submit": {"en": "Create the owner", "ja": "オーナーを作成"},
    "accounts.first_done": {
        "en": "Owner {name} created. Sign in with that name and password.",
        "ja": "オーナー {name} を作成しました。そのログイン名とパスワードでログインしてください。",
    },
    "account.err.not_first": {
        "en": "An account already exists: sign in, and the owner adds accounts on this page.",
        "ja": "アカウントはすでにあります。ログインしてください。アカウントの追加はオーナーがこのページで行います。",
    },
    "accounts.done_add": {
        "en": "Account {name} added.",
        "ja": "アカウント {name} を追加しました。",
    },
    "accounts.done_save": {
        "en": "Account {name} saved.",
        "ja": "アカウント {name} を保存しました。",
    },
    "accounts.done_reset": {
        "en": "The password of {name} was reset; its sessions ended.",
        "ja": "{name} のパスワードを再設定しました。ログイン中のセッションは終了しました。",
    },
    "accounts.col.state": {"en": "State", "ja": "状態"},
    # the Audit page
    "trail.title": {"en": "Audit trail", "ja": "操作履歴"},
    "trail.caption": {
        "en": "Who signed in, downloaded or exported customer data, changed accounts or settings, "
        "and loaded data. Times are Japan time. Rows are never changed or removed.",
        "ja": "ログイン、顧客データのダウンロード・出力、アカウントや設定の変更、データの読み込みを、"
        "誰がいつ行ったかの記録です。時刻は日本時間です。記録は変更も削除もされません。",
    },
    "trail.person": {"en": "Person", "ja": "人"},
    "trail.kind": {"en": "Kind", "ja": "種類"},
    "trail.day": {"en": "Day", "ja": "日付"},
    "trail.any": {"en": "(all)", "ja": "（すべて）"},
    "trail.col.at": {"en": "When", "ja": "日時"},
    "trail.col.who": {"en": "Who", "ja": "誰が"},
    "trail.col.kind": {"en": "What", "ja": "操作"},
    "trail.col.detail": {"en": "Details", "ja": "詳細"},
    "trail.rows": {"en": "{n} rows", "ja": "{n}件"},
    "trail.downloads": {
        "en": "Download the rows shown as CSV or as an Excel workbook (.xlsx); the files also "
        "carry each row's details as recorded (JSON), for other programs.",
        "ja": "表示中の行を CSV または Excel 形式（.xlsx）でダウンロードできます。ファイルには、"
        "ほかのプログラム向けに記録どおりの詳細（JSON）の列も入ります。",
    },
    "trail.kind.login": {"en": "signed in", "ja": "ログイン"},
    "trail.kind.login_failed": {"en": "failed sign-in", "ja": "ログイン失敗"},
    "trail.kind.login_locked": {"en": "sign-in while locked", "ja": "ロック中のログイン"},
    "trail.kind.logout": {"en": "signed out", "ja": "ログアウト"},
    "trail.kind.session_expired": {"en": "session ended (idle)", "ja": "セッション終了（無操作）"},
    "trail.kind.export": {"en": "export", "ja": "出力"},
    "trail.kind.download": {"en": "download", "ja": "ダウンロード"},
    "trail.kind.account_add": {"en": "account added", "ja": "アカウント追加"},
    "trail.kind.account_change": {"en": "account changed", "ja": "アカウント変更"},
    "trail.kind.password_change": {"en": "password set", "ja": "パスワード設定"},
    "trail.kind.settings_change": {"en": "settings changed", "ja": "設定変更"},
    "trail.kind.load": {"en": "data loaded", "ja": "データ読み込み"},
    "trail.kind.sync": {"en": "mailbox synced", "ja": "メール同期"},
    "trail.kind.mark": {"en": "mark", "ja": "マーク"},
}
