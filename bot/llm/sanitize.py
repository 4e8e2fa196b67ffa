"""Model text made safe to post: it can only ever become comment text.

No slash commands (a line starting with `/` is escaped so no bot, resbot included, reads it as a command),
no hidden HTML comments (they could forge resbot's own fingerprint markers), no pings, no remote images or
raw HTML, bounded length.
"""

from __future__ import annotations

import re

from bot.llm.redact import strip_html_comments, strip_invisible

MAX_CHARS = 3000

_COMMAND_LINE = re.compile(r"^([ \t>*+-]*)/", re.M)
_MENTION = re.compile(r"(?<![\w`/.@-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]+)?)")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_TAGS = r"(?:img|a|picture|source|video|audio|iframe|script|style|svg|object|embed|form|input|details|summary|meta|link|base)"
_RAW_HTML_TAG = re.compile(rf"</?{_TAGS}\b[^>]*>", re.I)
_RAW_HTML_OPEN = re.compile(rf"<(?=/?{_TAGS}\b)", re.I)


def sanitize_model_text(text: str, *, limit: int = MAX_CHARS) -> str:
    """Text from the model, safe to put in a PR comment."""
    text = strip_invisible(strip_html_comments(text.replace("\r\n", "\n").replace("\0", "")))
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _RAW_HTML_OPEN.sub("&lt;", _RAW_HTML_TAG.sub("", text))
    text = _MENTION.sub(lambda m: f"`@{m.group(1)}`", text)
    # A backslash before `/` renders as `/` in Markdown, but the line no longer starts with a command.
    text = _COMMAND_LINE.sub(lambda m: f"{m.group(1)}\\/", text)
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def one_line(text: str, *, limit: int = 200) -> str:
    """A sanitised single line (titles, reasons)."""
    flat = " ".join(sanitize_model_text(text, limit=limit * 2).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
