"""Words for the owner's view: metric names, units, charts, the Overview, What-if and the digest."""

from __future__ import annotations

OWNER: dict[str, dict[str, str]] = {
    # every metric of the registry (pipelines.metrics): metric.<name> and help.<name> for its tile
    "metric.conversion_rate": {"en": "Conversion rate", "ja": "成約率"},
    "metric.silent_after_quote_rate": {"en": "Silent after quote", "ja": "見積後の無連絡率"},
    "metric.urgent_requests": {"en": "Urgent requests", "ja": "急ぎの依頼"},
    "metric.staff_minutes_per_nonconverting_inquiry": {
        "en": "Staff time per lost inquiry",
        "ja": "失注1件の対応時間",
    },
    "metric.quote_sla_rate": {"en": "Quotes on time", "ja": "期限内の見積"},
    "metric.inquiries": {"en": "Inquiries", "ja": "問い合わせ数"},
    "help.conversion_rate": {
        "en": "Inquiries with a signed contract ÷ inquiries received in the period.",
        "ja": "契約締結に至った問い合わせ ÷ 期間内の問い合わせ",
    },
    "help.silent_after_quote_rate": {
        "en": "Quoted inquiries with no customer contact within {silence_days} days ÷ quotes old enough to judge.",
        "ja": "見積後{silence_days}日以内に連絡がない件数 ÷ 判定可能な見積件数",
    },
    "help.urgent_requests": {
        "en": "Requests for a call in fewer than {min_lead_days} days, or worded as urgent.",
        "ja": "{min_lead_days}日未満の依頼、または至急を求める依頼",
    },
    "help.staff_minutes_per_nonconverting_inquiry": {
        "en": "Staff minutes on inquiries closed without a contract ÷ their number.",
        "ja": "契約に至らず終了した問い合わせの対応時間 ÷ 件数",
    },
    "help.quote_sla_rate": {
        "en": "Quoted inquiries answered within {sla_days} Japanese business days.",
        "ja": "{sla_days}営業日以内に見積を送った割合",
    },
    "metric.urgent_share": {"en": "Urgent share of inquiries", "ja": "急ぎの依頼の割合"},
    "metric.quoted": {"en": "Quoted", "ja": "見積送付数"},
    "metric.converted": {"en": "Contracts signed", "ja": "契約数"},
    "metric.judged_quotes": {"en": "Quotes old enough to judge", "ja": "判定可能な見積"},
    "metric.silent": {"en": "Silent after quote (count)", "ja": "見積後に連絡なし（件数）"},
    "metric.nonconverting_inquiries": {
        "en": "Closed without a contract",
        "ja": "契約に至らず終了",
    },
    "metric.staff_minutes_nonconverting": {
        "en": "Staff time on lost inquiries",
        "ja": "失注の対応時間",
    },
    "metric.contracted_amount_jpy": {"en": "Contracted amount", "ja": "契約金額"},
    "metric.average_quote_jpy": {"en": "Average quote", "ja": "平均見積額"},
    "metric.staff_cost_jpy_nonconverting": {
        "en": "Staff cost of lost inquiries",
        "ja": "失注の人件費",
    },
    "metric.staff_cost_jpy_per_nonconverting_inquiry": {
        "en": "Cost per lost inquiry",
        "ja": "失注1件あたりの人件費",
    },
    "help.inquiries": {
        "en": "Inquiries received in the period.",
        "ja": "期間内に受け付けた問い合わせの件数",
    },
    "help.contracted_amount_jpy": {
        "en": "The latest quote before the contract, summed over the period's contracted inquiries.",
        "ja": "期間内に契約した問い合わせの、契約前の最新見積額の合計",
    },
    "help.average_quote_jpy": {
        "en": "Average latest quoted amount of the period's quoted inquiries.",
        "ja": "期間内に見積を送った問い合わせの、最新見積額の平均",
    },
    "help.staff_cost_jpy_nonconverting": {
        "en": "Staff minutes on inquiries closed without a contract, at ¥{hourly_cost_jpy:,} an hour.",
        "ja": "契約に至らず終了した問い合わせの対応時間を、時給{hourly_cost_jpy:,}円で換算",
    },
    "help.staff_cost_jpy_per_nonconverting_inquiry": {
        "en": "Staff cost of lost inquiries ÷ their number (¥{hourly_cost_jpy:,} an hour).",
        "ja": "失注の人件費 ÷ 件数（時給{hourly_cost_jpy:,}円）",
    },
    # units
    "unit.count": {"en": "{n} inquiries", "ja": "{n}件"},
    "unit.minutes": {"en": "{n} min", "ja": "{n}分"},
    "unit.points": {"en": "{n} pt", "ja": "{n}ポイント"},
    # charts
    "chart.period": {"en": "Period", "ja": "期間"},
    "chart.figure": {"en": "Figure", "ja": "指標"},
    "chart.value": {"en": "Value", "ja": "値"},
    "chart.inquiries": {"en": "Inquiries", "ja": "問い合わせ"},
    "chart.inquiries_open": {
        "en": "{n} received, {open} still open",
        "ja": "受付{n}件（うち対応中{open}件）",
    },
    "chart.state": {"en": "State", "ja": "状態"},
    "chart.final": {"en": "Final", "ja": "確定"},
    "chart.not_final": {"en": "Not final yet", "ja": "未確定"},
    "chart.whole_period": {"en": "Whole period", "ja": "期間全体"},
    "chart.partial": {"en": "Part of the period", "ja": "期間の一部"},
    "chart.partial_days": {
        "en": "(only {range}: {days} of {total} days)",
        "ja": "（{range}のみ：{total}日中{days}日）",
    },
    "chart.silence_wait": {
        "en": "Quotes younger than {silence_days} days cannot be judged yet (the customer may "
        "still reply), so this line stops at {last}.",
        "ja": "見積から{silence_days}日たっていない見積は、お客様がまだ返信する可能性があるため判定"
        "できません。そのため線は{last}までです。",
    },
    "digest.silence_wait": {
        "en": "Where “{judged}” is 0, “{rate}” is —: quotes younger than {silence_days} days cannot "
        "be judged yet (the customer may still reply).",
        "ja": "「{judged}」が0件の週は「{rate}」が—です。見積から{silence_days}日たっていない見積は、"
        "お客様がまだ返信する可能性があるため判定できません。",
    },
    "chart.cost": {"en": "Cost", "ja": "費用"},
    "chart.legend_note": {
        "en": "Dashed, lighter: not final yet — more than 5% of that period's inquiries are still "
        "open and the period is younger than the time most contracts take, so its conversion and "
        "money will still change. Hollow: the chosen range covers only part of that week or month.",
        "ja": "薄い破線は未確定の期間です（対応中の問い合わせが5%を超え、まだ多くの契約が決まる期間内のため、"
        "成約率や金額が変わります）。白抜きの点は、選んだ範囲に一部の日しか含まれない週・月です。",
    },
    # people
    "staff.none": {"en": "(no staff named)", "ja": "（担当者の記載なし）"},
    "staff.quotes_sent": {"en": "Quotes sent (incl. revised)", "ja": "見積送付（再見積を含む）"},
    "staff.first_quotes": {"en": "First quotes", "ja": "初回見積"},
    "staff.on_time": {"en": "First quotes on time", "ja": "期限内の初回見積"},
    "staff.conversions": {"en": "Converted", "ja": "成約"},
    "staff.converted_of": {"en": "{n} of {of} ({rate})", "ja": "{of}件中{n}件（{rate}）"},
    # Overview
    "owner.as_of_line": {
        "en": "As of the end of {day} · inquiries received {period}",
        "ja": "{day}終了時点・受付期間 {period}",
    },
    "owner.same_age": {
        "en": "Changes compare with {prev} as it stood on {prev_as_of} — the same age as this "
        "period now, so inquiries still open count the same on both sides.",
        "ja": "増減は {prev} を{prev_as_of}時点で集計した値との比較です（同じ経過日数で比べるため、"
        "対応中の問い合わせの影響は両方で同じです）。",
    },
    "owner.nothing_before": {
        "en": "No inquiries were received in the previous period: nothing to compare with.",
        "ja": "前の期間には問い合わせがないため、比較できません。",
    },
    "owner.not_final": {
        "en": "{open} of the {n} inquiries in this period are still open: conversion, money and "
        "staff time will still change.",
        "ja": "この期間の{n}件のうち{open}件はまだ対応中です。成約率・金額・対応時間はまだ変わります。",
    },
    "owner.no_inquiries": {
        "en": "No inquiries were received {period}.",
        "ja": "{period}に受け付けた問い合わせはありません。",
    },
    "owner.before_data": {
        "en": "Nothing to show as of {day}: the data starts on {first}. Choose a later as-of date.",
        "ja": "{day}時点では表示できるデータがありません（データは{first}から）。基準日を後にしてください。",
    },
    "owner.after_data": {
        "en": "The latest inquiry loaded is from {last}, {n} days before {day}: the most recent "
        "days show no inquiries because no newer export has been loaded.",
        "ja": "読み込み済みの最新の問い合わせは{last}で、{day}の{n}日前です。新しいエクスポートを"
        "読み込むまで、直近の日は0件として表示されます。",
    },
    "owner.staff_time_total": {
        "en": "{minutes} minutes ({cost}) went to {n} inquiries that ended without a contract; "
        "contracts signed in the period are worth {amount}.",
        "ja": "契約に至らなかった{n}件に{minutes}分（{cost}）。同じ期間の契約金額は{amount}です。",
    },
    "owner.people": {"en": "People", "ja": "担当者別"},
    "owner.people_help": {
        "en": "Per staff member named on the quote log: quotes sent, first quotes sent within "
        "{sla_days} business days, and how many of the inquiries they first quoted converted.",
        "ja": "見積ログの担当者ごとに、見積の送付数、{sla_days}営業日以内の初回見積、"
        "初回見積を担当した問い合わせの成約数。",
    },
    "owner.people_rates": {
        "en": "A person's conversion rate is out of the inquiries they first quoted. The "
        "company's {rate} is out of all {n} inquiries received, {unquoted} of which were never "
        "quoted, so a person's rate is usually higher than the company's.",
        "ja": "担当者の成約率は、その人が初回見積を担当した問い合わせに対する割合です。会社全体の"
        "成約率{rate}は、見積を送らなかった{unquoted}件を含む全{n}件に対する割合のため、"
        "担当者の成約率の方が高く出やすくなります。",
    },
    "owner.no_staff": {
        "en": "No staff are named on the quote log for this period.",
        "ja": "この期間の見積ログには担当者の記載がありません。",
    },
    "owner.digest_download": {
        "en": "Weekly digest (HTML, printable)",
        "ja": "週次レポート（HTML・印刷用）",
    },
    "owner.whatif_title": {
        "en": "What if {tried} days' notice were enough?",
        "ja": "{tried}日前の依頼でも受けていたら？",
    },
    "owner.whatif_line": {
        "en": "Under a {tried}-day rule, {n} inquiries of this period would change status{most}. "
        "Urgent requests {u0} → {u1}; inquiries closed without a contract {l0} → {l1}.",
        "ja": "{tried}日ルールなら、この期間の{n}件のステータスが変わります{most}。"
        "急ぎの依頼 {u0}件 → {u1}件、契約に至らず終了 {l0}件 → {l1}件。",
    },
    "owner.whatif_most": {
        "en": " (most often {before} → {after}: {k})",
        "ja": "（最も多いのは「{before}」→「{after}」の{k}件）",
    },
    "owner.whatif_link": {
        "en": "Try other rules on the What if page",
        "ja": "「条件の試算」で他のルールも試す",
    },
    # freshness (every page's sidebar, the digest)
    "fresh.line": {
        "en": "Data up to {latest}, last loaded {loaded}",
        "ja": "データ: {latest}まで（最終読み込み {loaded}）",
    },
    "fresh.never": {"en": "never", "ja": "なし"},
    "fresh.stale": {
        "en": "The data only goes up to {last}; the as-of day is {day}. Load the latest export.",
        "ja": "データは{last}までです（基準日は{day}）。最新のエクスポートを読み込んでください。",
    },
    "fresh.none": {
        "en": "No inquiries loaded yet.",
        "ja": "問い合わせはまだ読み込まれていません。",
    },
    # What-if
    "nav.whatif": {"en": "What if", "ja": "条件の試算"},
    "whatif.title": {"en": "What if the rules were different?", "ja": "ルールを変えたら？"},
    "whatif.intro": {
        "en": "Change a rule's number to see the same inquiries under today's rules and under the "
        "changed ones. Nothing is saved: the settings stay as they are.",
        "ja": "ルールの数値を変えると、同じ問い合わせを現在のルールと変更後のルールで並べて比べます。"
        "設定は保存されず、変わりません。",
    },
    "whatif.min_lead_days": {"en": "Days' notice needed", "ja": "必要な事前日数"},
    "whatif.silence_days": {"en": "Days before silence", "ja": "無連絡とみなす日数"},
    "whatif.quote_sla_business_days": {
        "en": "Business days to quote",
        "ja": "見積の期限（営業日）",
    },
    "whatif.urgent_by_message": {
        "en": "Judge urgency from the message",
        "ja": "本文から急ぎを判定",
    },
    "whatif.urgent_by_message_help": {
        "en": "When an inquiry gives no requested date, its message can make it urgent.",
        "ja": "希望日のない問い合わせは、本文の内容で急ぎと判定します。",
    },
    "whatif.closed_days": {
        "en": "Closed days (MM-DD..MM-DD, comma-separated)",
        "ja": "休業日（MM-DD..MM-DD をカンマ区切り）",
    },
    "whatif.bad_closed_days": {
        "en": "“{value}” is not a list of closed days such as 12-29..01-03,08-13..08-16; "
        "today's closed days are used.",
        "ja": "「{value}」は 12-29..01-03,08-13..08-16 のような休業日の指定ではありません。"
        "現在の休業日で計算します。",
    },
    "whatif.hourly_cost_jpy": {
        "en": "Staff cost per hour (yen)",
        "ja": "1時間あたりの人件費（円）",
    },
    "whatif.follow_up_days": {"en": "Days before a follow-up", "ja": "フォローまでの日数"},
    "whatif.upcoming_days": {"en": "Days of upcoming calls", "ja": "今後の通話を表示する日数"},
    "whatif.refusal_days": {
        "en": "Business days to send a refusal",
        "ja": "お断りの連絡までの営業日数",
    },
    "whatif.language": {"en": "Office language", "ja": "事務所の言語"},
    "whatif.session_idle_minutes": {
        "en": "Minutes until an idle login ends",
        "ja": "操作がないとログインが切れるまでの分数",
    },
    "whatif.more": {"en": "More settings", "ja": "その他の設定"},
    "whatif.today_value": {"en": "Today's rule: {value}", "ja": "現在の設定: {value}"},
    "whatif.unchanged": {
        "en": "Change a rule above to see what it would do.",
        "ja": "上のルールを変えると、その影響が表示されます。",
    },
    "whatif.figures_title": {"en": "Figures side by side", "ja": "指標の比較"},
    "whatif.comparing": {"en": "Changed: {rules}", "ja": "変更: {rules}"},
    "whatif.figure": {"en": "Figure", "ja": "指標"},
    "whatif.current": {"en": "Today's rules", "ja": "現在のルール"},
    "whatif.changed": {"en": "Changed rules", "ja": "変更後"},
    "whatif.difference": {"en": "Difference", "ja": "差"},
    "whatif.no_change": {"en": "no change", "ja": "変化なし"},
    "whatif.moved_title": {
        "en": "{n} inquiries would change status",
        "ja": "ステータスが変わる問い合わせ: {n}件",
    },
    "whatif.none_moved": {
        "en": "No inquiry in this period would change status.",
        "ja": "この期間にステータスが変わる問い合わせはありません。",
    },
    "whatif.money_same": {
        "en": "No extra contracts and no extra revenue: {contracts} contracts signed and {amount} "
        "contracted under both rules. Contracts are facts of the log; the rules only change how the other "
        "inquiries are judged (and whether a contract counts as against the rules).",
        "ja": "契約の件数も金額も増えません：どちらのルールでも契約{contracts}件・契約金額{amount}です。"
        "契約は記録された事実で、ルールで変わるのはそれ以外の問い合わせの判定（と契約が規定外か"
        "どうか）だけです。",
    },
    "whatif.money_changed": {
        "en": "Contracts: {before} under today's rules, {after} under the changed ones; contracted "
        "amount {amount_before} → {amount_after}.",
        "ja": "契約: 現在のルールで{before}件、変更後は{after}件。契約金額 {amount_before} → "
        "{amount_after}。",
    },
    "whatif.status_current": {"en": "Status today", "ja": "現在のステータス"},
    "whatif.status_changed": {"en": "Status if changed", "ja": "変更後のステータス"},
    "whatif.reasons_current": {"en": "Reasons today", "ja": "現在の理由"},
    "whatif.reasons_changed": {"en": "Reasons if changed", "ja": "変更後の理由"},
    # the digest
    "digest.title": {"en": "Weekly digest · {period}", "ja": "週次レポート・{period}"},
    "digest.subtitle": {
        "en": "Inquiries received {period}, as of the end of {day} (Japan time).",
        "ja": "{period}に受け付けた問い合わせ（{day}終了時点・日本時間）",
    },
    "digest.no_inquiries": {
        "en": "No inquiries were received {period}.",
        "ja": "{period}に受け付けた問い合わせはありません。",
    },
    "digest.headline": {"en": "This week", "ja": "今週の数字"},
    "digest.figure": {"en": "Figure", "ja": "指標"},
    "digest.this_week": {"en": "These 7 days", "ja": "直近7日"},
    "digest.previous_week": {"en": "7 days before", "ja": "その前の7日"},
    "digest.change": {"en": "Change", "ja": "増減"},
    "digest.statuses": {"en": "Status now", "ja": "現在のステータス"},
    "digest.same_age": {
        "en": "The 7 days before ({prev}) are counted as they stood on their own last day, so both "
        "weeks are the same age.",
        "ja": "その前の7日（{prev}）は、その最終日の時点で集計しています（同じ経過日数での比較）。",
    },
    "digest.not_final": {
        "en": "{unsettled} of the {n} inquiries are not settled yet ({open_label} {open} + "
        "{incomplete_label} {incomplete}, as in “Status now”): these figures are not final.",
        "ja": "{n}件のうち{unsettled}件は未決着（{open_label}{open}件＋{incomplete_label}"
        "{incomplete}件、「現在のステータス」の内訳）のため、数字は確定していません。",
    },
    "digest.trends": {"en": "Trends, last {weeks} weeks", "ja": "推移（直近{weeks}週）"},
    "digest.staff_time": {"en": "Where staff time went", "ja": "対応時間の行き先"},
    "digest.by_status": {"en": "Lost inquiries' staff time", "ja": "失注の対応時間"},
    "digest.per_staff": {"en": "Per staff member", "ja": "担当者別"},
    "digest.lists": {"en": "Work for {day}", "ja": "{day}の業務"},
    "digest.list": {"en": "List", "ja": "リスト"},
    "digest.first_items": {"en": "First items", "ja": "主な対象"},
    # the date each staff list is about, named (pipelines.vocabulary StaffList.step_date)
    "digest.date.requested_date": {"en": "call {date}", "ja": "実行日 {date}"},
    "digest.date.sign_by_date": {"en": "sign by {date}", "ja": "契約期限 {date}"},
    "digest.date.quote_due_date": {"en": "quote due {date}", "ja": "見積期限 {date}"},
    "digest.date.silent_after_date": {
        "en": "silent after {date}",
        "ja": "{date}以降は無連絡扱い",
    },
    "digest.date.decision_date": {"en": "refusal decided {date}", "ja": "お断り判定 {date}"},
    "digest.more": {"en": "and {n} more", "ja": "ほか{n}件"},
    "digest.lists_note": {
        "en": "The staff lists for {day}, the next business day; the Today page has every item "
        "with its next step.",
        "ja": "次の営業日（{day}）の業務リストです。各項目の次の対応は「本日」ページにあります。",
    },
    "digest.footer": {
        "en": "Figures for inquiries received in these seven days, as of the end of {day}.",
        "ja": "数値はこの7日間に受け付けた問い合わせの{day}終業時点の集計です。",
    },
    "trend.finer": {
        "en": "This period holds fewer than {n} {chosen}s, so the trends are shown by {shown}.",
        "ja": "この期間は{chosen}単位では{n}点に満たないため、{shown}単位で表示しています。",
    },
    "owner.before_partial": {
        "en": "The earlier period is only partly covered by the data (it starts on {first}: {days} "
        "of {total} days), so the changes above compare unlike periods: they are shown in grey, neither "
        "good nor bad.",
        "ja": "比較する前の期間はデータが一部しかありません（{first}から。{total}日中{days}日分）。"
        "上の増減は同じ条件の比較ではないため、良し悪しの色を付けずに灰色で示しています。",
    },
}
