"""Words for the domain: statuses, reasons, fields, events, rules and their verdicts, staff lists."""

from __future__ import annotations

DOMAIN: dict[str, dict[str, str]] = {
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
    # reason codes: short labels for tables and filters (the facts of one inquiry are in trace.*)
    "reason.CONTRACT_SIGNED": {
        "en": "Contract signed in time with full details",
        "ja": "期限内に契約済み・情報もそろっています",
    },
    "reason.LATE_CONTRACT": {
        "en": "Signed fewer than {min_lead_days} days before the call",
        "ja": "実行日の{min_lead_days}日前を切って契約",
    },
    "reason.SHORT_NOTICE": {
        "en": "Requested for fewer than {min_lead_days} days after the inquiry",
        "ja": "問い合わせから{min_lead_days}日未満の希望日",
    },
    "reason.URGENT_TEXT": {
        "en": "The message asks for the call within {min_lead_days} days",
        "ja": "本文が{min_lead_days}日以内の架電を求めています",
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
        "en": "No reply within {silence_days} days of the quote",
        "ja": "見積後{silence_days}日以内に返信がありません",
    },
    "reason.LATE_REQUEST": {
        "en": "Formal request fewer than {min_lead_days} days before the call",
        "ja": "実行日の{min_lead_days}日前を切って正式依頼",
    },
    "reason.CANCELLED": {"en": "Cancelled after contract", "ja": "契約後にキャンセル"},
    "reason.DECLINED_BY_CUSTOMER": {
        "en": "Customer said they will not order",
        "ja": "お客様から辞退の連絡",
    },
    "reason.TOO_LATE_TO_CONTRACT": {
        "en": "Too late to sign {min_lead_days} days before the requested day",
        "ja": "希望日の{min_lead_days}日前までの契約が間に合いません",
    },
    "reason.AWAITING_QUOTE": {"en": "Waiting for our quote", "ja": "見積の送付待ち"},
    "reason.AWAITING_CUSTOMER": {
        "en": "Quoted; waiting for the customer's decision",
        "ja": "見積済み・お客様のご判断待ち",
    },
    # missing fields
    "field.customer_name": {"en": "name", "ja": "お名前"},
    "field.customer_address": {"en": "address", "ja": "ご住所"},
    "field.target_phone": {"en": "number to call", "ja": "架電先"},
    # event kinds
    "event.quote_sent": {"en": "Quote sent", "ja": "見積送信"},
    "event.customer_reply": {"en": "Customer replied", "ja": "お客様から返信"},
    "event.contract_requested": {"en": "Formal request", "ja": "正式依頼"},
    "event.contract_signed": {"en": "Contract signed", "ja": "契約締結"},
    "event.customer_declined": {"en": "Customer declined", "ja": "辞退連絡"},
    "event.cancelled": {"en": "Cancelled", "ja": "キャンセル"},
    "event.staff_work": {"en": "Staff work", "ja": "社内作業"},
    # rules as rule_trace lists them: a name, and a sentence per verdict with the inquiry's facts
    "rule.completeness": {"en": "Name, address and number to call", "ja": "お名前・ご住所・架電先"},
    "rule.lead_time": {"en": "Notice before the call", "ja": "実行日までの日数"},
    "rule.message_urgency": {"en": "What the message asks for", "ja": "本文の希望時期"},
    "rule.quote_turnaround": {"en": "Quote turnaround", "ja": "見積の送付期限"},
    "rule.silence": {"en": "Customer's reply after the quote", "ja": "見積後のお客様の返信"},
    "rule.late_request": {"en": "Timing of the formal request", "ja": "正式依頼の時期"},
    "rule.customer_decision": {"en": "Customer's decision", "ja": "お客様の意思"},
    "rule.time_to_sign": {"en": "Time left to sign", "ja": "契約期限"},
    "rule.contract_lead": {"en": "Contract before the call", "ja": "実行日前の契約"},
    "rule.prior_quote": {"en": "Quote before the contract", "ja": "契約前の見積"},
    "verdict.met": {"en": "met", "ja": "適合"},
    "verdict.broken": {"en": "broken", "ja": "違反"},
    "verdict.pending": {"en": "not judged yet", "ja": "未判定"},
    "verdict.not_applicable": {"en": "does not apply", "ja": "対象外"},
    # a customer's own decline or cancellation is their choice, not a rule they broke
    "verdict.customer_decision.broken": {"en": "the customer's choice", "ja": "お客様のご判断"},
    # a day count of 0 said as "the same day", never "0 days after"
    "trace.silence.met.same_day": {
        "en": "Customer replied on the day of the quote",
        "ja": "見積の当日にお客様から返信",
    },
    "trace.lead_time.broken.same_day": {
        "en": "Requested for {on_date}, the day of the inquiry; the policy needs {needed}",
        "ja": "希望日 {on_date} は問い合わせの当日。規定は{needed}日以上",
    },
    "trace.message_urgency.met_dated.same_day": {
        "en": "No requested date; the message names {on_date}, the day of the inquiry: “{detail}”",
        "ja": "希望日なし。本文の指定は{on_date}（問い合わせの当日）:「{detail}」",
    },
    "trace.late_request.met.same_day": {
        "en": "Formal request on {on_date}, the day of the call",
        "ja": "{on_date}に正式依頼（実行日の当日）",
    },
    "trace.late_request.broken.same_day": {
        "en": "Formal request on {on_date}, the day of the call; the policy needs {needed}",
        "ja": "{on_date}に正式依頼（実行日の当日）。規定は{needed}日前まで",
    },
    "trace.contract_lead.met.same_day": {
        "en": "Signed on {on_date}, the day of the call",
        "ja": "{on_date}に契約（実行日の当日）",
    },
    "trace.contract_lead.broken.same_day": {
        "en": "Signed on {on_date}, the day of the call; the policy needs {needed}",
        "ja": "{on_date}に契約（実行日の当日）。規定は{needed}日前まで",
    },
    "step.check_late.same_day": {
        "en": "signed on the day of the call; the policy needs {min_lead_days}",
        "ja": "実行日の当日に契約（規定は{min_lead_days}日前まで）",
    },
    "trace.completeness.met": {
        "en": "Name, address and number to call are all given",
        "ja": "お名前・ご住所・架電先がそろっています",
    },
    "trace.completeness.broken": {"en": "Missing: {detail}", "ja": "不足: {detail}"},
    "trace.lead_time.met": {
        "en": "Requested for {on_date}, {days} days after the inquiry; the policy needs {needed}",
        "ja": "希望日 {on_date}（問い合わせの{days}日後）。規定は{needed}日以上",
    },
    "trace.lead_time.broken": {
        "en": "Requested for {on_date}, only {days} days after the inquiry; the policy needs {needed}",
        "ja": "希望日 {on_date} は問い合わせの{days}日後。規定は{needed}日以上",
    },
    "trace.lead_time.not_applicable": {"en": "No requested date given", "ja": "希望日の記載なし"},
    "trace.message_urgency.met": {
        "en": "No requested date; the message does not ask for a call within {needed} days",
        "ja": "希望日なし。本文に{needed}日以内の架電の依頼はありません",
    },
    "trace.message_urgency.met_dated": {
        "en": "No requested date; the message names {on_date}, {days} days after the inquiry: “{detail}”",
        "ja": "希望日なし。本文の指定は{on_date}（問い合わせの{days}日後）:「{detail}」",
    },
    "evidence.dated": {"en": "{words} ({day})", "ja": "{words}（{day}）"},
    "trace.message_urgency.broken": {
        "en": "No requested date; the message asks for a call soon: “{detail}”",
        "ja": "希望日なし。本文が早急な架電を求めています:「{detail}」",
    },
    "trace.message_urgency.not_applicable": {
        "en": "The requested date decides, not the message",
        "ja": "希望日があるため本文では判定しません",
    },
    "trace.quote_turnaround.met": {
        "en": "Quoted on {on_date}, {days} business days after the inquiry (within {needed})",
        "ja": "{on_date}に見積送付（{days}営業日。期限{needed}営業日以内）",
    },
    "trace.quote_turnaround.broken": {
        "en": "No quote yet; it was due by {detail}",
        "ja": "未見積。送付期限は{detail}でした",
    },
    "trace.quote_turnaround.broken_quoted": {
        "en": "Quoted on {on_date}, {days} business days after the inquiry; due within {needed}",
        "ja": "{on_date}に見積送付（{days}営業日。期限は{needed}営業日以内）",
    },
    "trace.quote_turnaround.pending": {
        "en": "No quote yet; due by {detail}",
        "ja": "未見積。送付期限は{detail}",
    },
    "trace.silence.met": {
        "en": "Customer replied {days} days after the quote",
        "ja": "見積の{days}日後にお客様から返信",
    },
    "trace.silence.broken": {
        "en": "No reply within {needed} days of the quote of {detail}",
        "ja": "{detail}の見積から{needed}日以内に返信なし",
    },
    "trace.silence.pending": {
        "en": "Quoted {days} days ago; silent after {on_date} without a reply",
        "ja": "見積から{days}日。返信がなければ{on_date}以降は無連絡扱い",
    },
    "trace.silence.not_applicable": {"en": "Not quoted yet", "ja": "未見積"},
    "trace.late_request.met": {
        "en": "Formal request on {on_date}, {days} days before the call",
        "ja": "{on_date}に正式依頼（実行日の{days}日前）",
    },
    "trace.late_request.broken": {
        "en": "Formal request on {on_date}, only {days} days before the call; the policy needs {needed}",
        "ja": "{on_date}に正式依頼（実行日の{days}日前）。規定は{needed}日前まで",
    },
    "trace.late_request.not_applicable": {
        "en": "No formal request yet",
        "ja": "正式依頼はまだありません",
    },
    "trace.customer_decision.met": {
        "en": "The customer has not declined or cancelled",
        "ja": "辞退・キャンセルの連絡はありません",
    },
    "trace.customer_decision.broken_declined": {
        "en": "The customer declined on {on_date}",
        "ja": "{on_date}にお客様から辞退の連絡",
    },
    "trace.customer_decision.broken_cancelled": {
        "en": "The customer cancelled on {on_date}",
        "ja": "{on_date}にキャンセル",
    },
    "trace.time_to_sign.pending": {
        "en": "The last day to sign is {on_date}",
        "ja": "契約期限は{on_date}",
    },
    "trace.time_to_sign.broken": {
        "en": "The last day to sign was {on_date}; too late for the requested day",
        "ja": "契約期限の{on_date}を過ぎ、希望日に間に合いません",
    },
    "trace.time_to_sign.not_applicable": {
        "en": "Contracted, or no requested date",
        "ja": "契約済み、または希望日なし",
    },
    "trace.contract_lead.met": {
        "en": "Signed on {on_date}, {days} days before the call",
        "ja": "{on_date}に契約（実行日の{days}日前）",
    },
    "trace.contract_lead.met_undated": {
        "en": "Signed on {on_date}",
        "ja": "{on_date}に契約",
    },
    "trace.contract_lead.broken": {
        "en": "Signed on {on_date}, only {days} days before the call; the policy needs {needed}",
        "ja": "{on_date}に契約（実行日の{days}日前）。規定は{needed}日前まで",
    },
    "trace.contract_lead.pending": {"en": "No contract yet", "ja": "契約はまだです"},
    "trace.contract_lead.not_applicable": {"en": "No contract", "ja": "契約なし"},
    "trace.prior_quote.met": {
        "en": "Quoted on {on_date}, before the contract",
        "ja": "契約前の{on_date}に見積",
    },
    "trace.prior_quote.broken": {
        "en": "Signed without a quote before it",
        "ja": "見積より前に契約されています",
    },
    "trace.prior_quote.not_applicable": {"en": "No contract", "ja": "契約なし"},
    # the staff lists and the next step of each item
    "list.eligible": {"en": "Calls to make", "ja": "本日の架電"},
    "list.attention": {"en": "Check before calling", "ja": "架電前に要確認"},
    "list.sign_by": {"en": "Last day to sign", "ja": "契約期限"},
    "list.quote_due": {"en": "Quotes due", "ja": "見積の送付期限"},
    "list.follow_up": {"en": "Follow up", "ja": "フォローアップ"},
    "list.upcoming": {"en": "Upcoming calls", "ja": "架電予定"},
    "list.eligible.help": {
        "en": "Contracted in time with full details; the call is for this day.",
        "ja": "期限内に契約済みで情報もそろった、本日実行分です。",
    },
    "list.attention.help": {
        "en": "Contracted for this day, but against the rules: check before calling.",
        "ja": "本日実行予定ですが規定外の契約です。架電前に確認してください。",
    },
    "list.sign_by.help": {
        "en": "Open inquiries whose last day to sign ({min_lead_days} days before the call) is today or before the next business day.",
        "ja": "契約期限（実行日の{min_lead_days}日前）が本日、または次の営業日より前の問い合わせです。",
    },
    "list.quote_due.help": {
        "en": "Not quoted yet and due within {sla_days} business days of the inquiry: due today "
        "first, then overdue (most recent first).",
        "ja": "未見積で、問い合わせから{sla_days}営業日の送付期限が来たものです（本日期限を先頭に、"
        "続いて期限切れを新しい順に表示）。",
    },
    "list.follow_up.help": {
        "en": "Quoted at least {follow_up_days} days ago with no reply yet: remind before they turn silent after {silence_days} days.",
        "ja": "見積から{follow_up_days}日以上返信がないお客様です。{silence_days}日で無連絡扱いになる前にご連絡ください。",
    },
    "list.upcoming.help": {
        "en": "Contracted calls in the next {upcoming_days} days, for arranging staff.",
        "ja": "今後{upcoming_days}日間の契約済みの架電です。人員の手配にお使いください。",
    },
    "list.empty.eligible": {
        "en": "No calls to make on this day.",
        "ja": "この日の架電はありません。",
    },
    "list.empty.attention": {
        "en": "Nothing to check: every call is by the rules.",
        "ja": "確認が必要な契約はありません。",
    },
    "list.empty.sign_by": {
        "en": "No contract deadlines before the next business day.",
        "ja": "次の営業日までに期限を迎える契約はありません。",
    },
    "list.empty.quote_due": {
        "en": "Every quote is out on time.",
        "ja": "期限の来た未送付の見積はありません。",
    },
    "list.empty.follow_up": {
        "en": "No one to remind today.",
        "ja": "本日フォローが必要なお客様はいません。",
    },
    "list.empty.upcoming": {
        "en": "No contracted calls in the next {upcoming_days} days.",
        "ja": "今後{upcoming_days}日間の架電予定はありません。",
    },
    "step.eligible": {"en": "Make the call", "ja": "架電してください"},
    "step.attention": {"en": "Check before calling: {checks}", "ja": "架電前に確認: {checks}"},
    "step.check_late": {
        "en": "signed {days} days before the call; the policy needs {min_lead_days}",
        "ja": "実行日の{days}日前に契約（規定は{min_lead_days}日前まで）",
    },
    "step.check_no_quote": {"en": "signed without a quote", "ja": "見積なしで契約"},
    "step.ask_missing": {"en": "ask for the {fields}", "ja": "{fields}を確認"},
    "step.sign_by": {
        "en": "Get the contract signed today: today is the last day",
        "ja": "本日中に契約を締結してください（本日が契約期限です）",
    },
    "step.sign_by_unquoted": {
        "en": "Not quoted yet: send the quote and get it signed today (today is the last day)",
        "ja": "未見積です。見積を送り、本日中に契約を締結してください（本日が契約期限です）",
    },
    "step.sign_by_day_off": {
        "en": "Get the contract signed today: the last day, {date}, is not a business day",
        "ja": "本日中に契約を締結してください（期限の{date}は休業日です）",
    },
    "step.sign_by_day_off_unquoted": {
        "en": "Not quoted yet: send the quote and get it signed today (the last day, {date}, is not a business day)",
        "ja": "未見積です。見積を送り、本日中に契約を締結してください（期限の{date}は休業日です）",
    },
    "step.sign_by_missing": {
        "en": "Ask for the {fields} and get the contract signed today (today is the last day)",
        "ja": "{fields}を確認し、本日中に契約を締結してください（本日が契約期限です）",
    },
    "step.sign_by_missing_day_off": {
        "en": "Ask for the {fields} and get the contract signed today (the last day, {date}, is not a business day)",
        "ja": "{fields}を確認し、本日中に契約を締結してください（期限の{date}は休業日です）",
    },
    "step.quote_due": {
        "en": "Send the quote: due today",
        "ja": "見積を送付してください（本日期限）",
    },
    "step.quote_overdue": {
        "en": "Send the quote: {days} days overdue (due {date})",
        "ja": "見積を送付してください（期限の{date}から{days}日経過）",
    },
    "step.follow_up": {
        "en": "Remind: quoted {days} days ago; silent after {date}",
        "ja": "ご連絡を: 見積から{days}日。{date}以降は無連絡扱い",
    },
    "step.upcoming": {"en": "Arrange staff for {date}", "ja": "{date}の人員を手配してください"},
    "step.against_rules": {
        "en": "Contract breaks the rules: {checks}. {step}",
        "ja": "規定違反の契約: {checks}。{step}",
    },
    "ics.against_rules": {"en": "[Breaks the rules: {checks}]", "ja": "【規定違反: {checks}】"},
    "step.break_missing": {"en": "{fields} missing", "ja": "{fields}が未記入"},
    "col.reason_codes": {"en": "Reason codes", "ja": "理由コード"},
    "blank.name": {"en": "(no name)", "ja": "（氏名なし）"},
    "blank.phone": {"en": "(no number)", "ja": "（番号なし）"},
}
