"""A deterministic synthetic business: inquiry and quote logs shaped like the real exports.

Behaviour follows the business: a weekday rhythm, about a fifth urgent requests phrased as customers
write them, many customers silent after the quote (some returning the day before the call), declines
with notice, revised quotes, contracts signed too late, cancellations, and staff minutes on every step.
Everything is vectorised with numpy so a million inquiries take seconds.
"""

from pipelines.demo.exports import JA_EVENT_HEADERS, JA_INQUIRY_HEADERS, JA_KINDS, write_exports
from pipelines.demo.generate import DemoData, generate
from pipelines.demo.text import rich_text

__all__ = [
    "JA_EVENT_HEADERS",
    "JA_INQUIRY_HEADERS",
    "JA_KINDS",
    "DemoData",
    "generate",
    "rich_text",
    "write_exports",
]
