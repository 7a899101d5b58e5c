"""Text from files, the database or a URL, made harmless where it is shown.

- ``for_terminal``: control characters (escape sequences, carriage returns, C1 codes) and bidirectional
  overrides become visible ``\\uXXXX`` escapes, so a file or customer name cannot move the cursor, recolour
  or retitle the terminal, or hide text. Line breaks and tabs stay. The escapes are JSON's own, so JSON
  text stays valid and means the same.
- ``for_markdown``: every character Markdown or HTML gives a meaning to is backslash-escaped, so a name
  like ``[x](http://…)`` or ``![](http://…)`` is shown as those characters, never as a link or an image.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional formatting characters.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# Everything CommonMark, GitHub-flavoured Markdown and Streamlit's extensions (:colour[…], :material/…:,
# $…$ maths) read as markup; with / . : @ escaped, no bare URL, www. name or e-mail address becomes
# a link either.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=\"'/@%^])")


def for_terminal(text: object) -> str:
    """The text with every control character shown as a \\uXXXX escape (newlines and tabs kept)."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def for_markdown(text: object) -> str:
    """The text escaped so that Markdown and HTML show it literally (no links, images or tags)."""
    plain = _TERMINAL_UNSAFE.sub(" ", str(text)).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain)
