"""Mailbox import: from a mailbox export to the inquiry log, the quote log and a review sheet.

Many offices keep no log but their mailbox. ``convert_mailbox`` reads ``.mbox`` files (Google Takeout,
Thunderbird) and folders of ``.eml`` files and writes, in the canonical format (UTF-8 with BOM, English
headers, every value quoted), an inquiry log, a quote log and a review sheet with one row per message:
its thread, its direction, what it became and why. The rules are the SPEC's ("Mailbox import"), each a
setting of the ``[mailbox]`` table (``MailboxSettings``); docs/mailbox.md explains them and the
decisions taken where the SPEC is silent. In short:

- a message from one of ``office_addresses`` is outgoing, every other one is a customer's;
- threads follow Message-ID / In-Reply-To / References; a message whose threading headers lead to no
  message of the mailbox joins by subject (reply prefixes removed, NFKC first) and customer address;
- a thread that starts with an outgoing message is no inquiry; otherwise its first message is the
  inquiry and every later message one event (quote_sent, contract_signed, staff_work,
  customer_declined, cancelled, contract_requested or customer_reply);
- nothing is dropped silently: unreadable, duplicate, automatic and spam messages are review rows with
  their reason. The same mailbox always gives byte-identical files, whatever order it is read in.

Dates are written in Japan time without an offset. ``requested_for`` comes only from a labelled field
(``希望日：…``); the loader reads the message text itself for anything else.
"""

from pipelines.mailbox.convert import (
    MailboxResult,
    convert_mailbox,
    convert_messages,
    inquiry_id_for,
    run_cli,
)
from pipelines.mailbox.settings import (
    MailboxError,
    MailboxSettings,
    load_mailbox_settings,
    mailbox_settings_from_table,
)
from pipelines.mailbox.threads import thread_subject

__all__ = [
    "MailboxError",
    "MailboxResult",
    "MailboxSettings",
    "convert_mailbox",
    "convert_messages",
    "inquiry_id_for",
    "load_mailbox_settings",
    "mailbox_settings_from_table",
    "run_cli",
    "thread_subject",
]
