"""Text from files, the database or a URL, made harmless where it is shown.

- ``for_terminal``: control characters (escape sequences, carriage returns, C1 codes) and bidirectional
  overrides become visible ``\\uXXXX`` escapes, so a file or customer name cannot move the cursor, recolour
  or retitle the terminal, or hide text. Line breaks and tabs stay. The escapes are JSON's own, so JSON
  text stays valid and means the same.
- ``for_markdown``: every character that could start Markdown, HTML or Streamlit markup is
  backslash-escaped (and line breaks become spaces), so a name like ``[x](http://…)`` or ``![](http://…)``
  is shown as those characters, never as a link or an image; other punctuation is left as typed.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional formatting characters.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# What can start Markdown, HTML or Streamlit markup anywhere in a line: emphasis, code, links and
# images ([ and ] suffice: "](" needs them), tags and autolinks (<), entities (&), strikethrough (~),
# maths ($), e-mail autolinks (@). Everything else is left as typed so that dates, file names and
# "(Tue)" read the same.
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*_\[\]<>&~$@|])")
# A colon before a non-space: URL schemes (http://) and :material/…: or :emoji: short codes.
_COLON = re.compile(r":(?=\S)")
# www. starts a bare autolink.
_WWW = re.compile(r"(?i)(?<![\w.])(www)\.")
# At the start of the text: headings, block quotes, list items (- + * or 1.), code blocks.
_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#>+\-=])")


def for_terminal(text: object) -> str:
    """The text with every control character shown as a \\uXXXX escape (newlines and tabs kept)."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def for_markdown(text: object) -> str:
    """The text escaped so that Markdown and HTML show it literally (no links, images or tags)."""
    plain = _TERMINAL_UNSAFE.sub(" ", str(text)).replace("\r", " ").replace("\n", " ")
    escaped = _MARKDOWN_ANYWHERE.sub(r"\\\1", plain)
    escaped = _COLON.sub(r"\\:", escaped)
    escaped = _WWW.sub(r"\1\\.", escaped)
    return _LINE_START.sub(r"\1\\\2", escaped, count=1)
