"""Threads: Message-ID / In-Reply-To / References, then subject and customer address."""

from __future__ import annotations

import re

from pipelines.jptext import nfkc
from pipelines.mailbox.decode import _Mail
from pipelines.mailbox.settings import MailboxSettings, _address_matches

# ------------------------------------------------------------------------------------- threads

_PREFIX = re.compile(r"^\s*(?:re|fwd?|fw|返信|転送)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:\s*", re.I)


def thread_subject(subject: str) -> tuple[str, bool]:
    """A subject for threading (NFKC, reply prefixes removed, case-folded) and whether it had one."""
    text = nfkc(subject)
    had_prefix = False
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        had_prefix, text = True, stripped
    return " ".join(text.split()).casefold(), had_prefix


class _Groups:
    """Union-find over message ids; the smaller id is the root, so the result never depends on order."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _threads(mails: list[_Mail], settings: MailboxSettings) -> list[list[_Mail]]:
    """Group usable messages (sorted by date) into threads, ordered by their first message."""
    groups = _Groups()
    by_uid = {m.uid: m for m in mails}
    present = set(by_uid)
    for mail in mails:
        groups.find(mail.uid)
        for ref in mail.refs:
            groups.union(mail.uid, ref)
    latest: dict[tuple[str, str], str] = {}
    for mail in mails:
        subject, had_prefix = thread_subject(mail.subject)
        if mail.outgoing:
            keys = [
                (subject, a)
                for a in mail.recipients
                if not _address_matches(a, settings.office_addresses)
            ]
        else:
            keys = [(subject, mail.customer)]
        anchored = any(ref in present for ref in mail.refs)
        # A customer's mail without a reply prefix is a new inquiry: contact forms send every inquiry
        # with one subject. An office mail to the customer joins whether or not it says 'Re:'.
        if subject and not anchored and (had_prefix or mail.outgoing):
            earlier = [latest[k] for k in keys if k in latest]
            if earlier:
                groups.union(mail.uid, max(earlier, key=lambda uid: by_uid[uid].sort_key()))
        if subject:
            for key in keys:
                latest[key] = mail.uid
    by_root: dict[str, list[_Mail]] = {}
    for mail in mails:
        by_root.setdefault(groups.find(mail.uid), []).append(mail)
    threads = [sorted(t, key=_Mail.sort_key) for t in by_root.values()]
    return sorted(threads, key=lambda t: t[0].sort_key())
