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
}
