"""Words of the morning mail (python -m pipelines notify), in both languages."""

from __future__ import annotations

NOTIFY: dict[str, dict[str, str]] = {
    "notify.subject": {"en": "Your day, {day}", "ja": "本日の業務（{day}）"},
    "notify.subject_alerts": {
        "en": "Your day, {day} — {n} alert(s)",
        "ja": "本日の業務（{day}）・アラート {n} 件",
    },
    "notify.greeting": {
        "en": "Good morning, {name}. Here is the office's day, {day}.",
        "ja": "{name} さん、おはようございます。{day} の業務です。",
    },
    "notify.alerts": {"en": "Alerts:", "ja": "アラート："},
    "notify.mine": {"en": "Claimed by you ({n}):", "ja": "あなたの担当（{n} 件）："},
    "notify.unclaimed": {"en": "nobody claimed {n}", "ja": "担当者なし {n} 件"},
    "notify.open": {"en": "Open today's lists: {url}", "ja": "本日の一覧を開く：{url}"},
    "notify.footer": {
        "en": "The upcoming calls are attached as a calendar file (.ics). This mail is sent once "
        "a day by python -m pipelines notify.",
        "ja": "架電予定をカレンダーファイル（.ics）で添付しています。このメールは python -m "
        "pipelines notify が 1 日 1 回送ります。",
    },
    "notify.alert.overdue": {
        "en": "{n} quotes are overdue (alert at {limit} or more).",
        "ja": "見積の送付期限切れが {n} 件あります（{limit} 件以上で通知）。",
    },
    "notify.alert.sign_by": {
        "en": "{n} inquiries reach their last day to sign and nobody claimed them at {hour}:00: "
        "{ids}.",
        "ja": "契約期限の問い合わせ {n} 件が {hour} 時の時点で担当者なしです：{ids}。",
    },
    "notify.alert.conversion": {
        "en": "The last {recent} days' conversion rate is {last}%, below the previous {previous} "
        "days' {before}% by {points} points or more.",
        "ja": "直近 {recent} 日の成約率が {last}% で、その前の {previous} 日（{before}%）より "
        "{points} ポイント以上低下しています。",
    },
    "notify.alert.sync": {
        "en": "The mailbox sync has been failing since {since} (see the Data page).",
        "ja": "メールボックスの同期が {since} から失敗し続けています（データページを確認）。",
    },
    "notify.done": {
        "en": "{day}: sent {sent} mail(s); {skipped} already had today's mail.",
        "ja": "{day}：{sent} 通送信しました。{skipped} 人には本日分を送信済みです。",
    },
    "notify.dry_run": {
        "en": "{day}: {n} mail(s) written to {out} (nothing sent).",
        "ja": "{day}：{n} 通を {out} に書き出しました（送信していません）。",
    },
    "notify.nobody": {
        "en": "No account has an e-mail address: nobody to mail (python -m pipelines users set "
        "NAME --email ADDR).",
        "ja": "メールアドレスのあるアカウントがありません（python -m pipelines users set NAME "
        "--email ADDR で設定）。",
    },
    "notify.no_smtp": {
        "en": "No mail server for sending: set [smtp] host and from in the settings file and the "
        "password in OPSDASH_SMTP_PASSWORD, or use --dry-run --out DIR.",
        "ja": "送信用のメールサーバーがありません。設定ファイルの [smtp] に host と from を、"
        "パスワードを OPSDASH_SMTP_PASSWORD に設定するか、--dry-run --out DIR を使ってください。",
    },
    "notify.smtp_failed": {
        "en": "Sending through {host} failed ({problem}); {sent} mail(s) went out and are "
        "recorded, the others are sent by the next run.",
        "ja": "{host} での送信に失敗しました（{problem}）。送信済み {sent} 通は記録済みで、"
        "残りは次回送ります。",
    },
}
