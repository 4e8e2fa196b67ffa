"""Render a ScanResult for people and machines: text, JSON, SARIF, Markdown, HTML (no I/O)."""

from __future__ import annotations

from pathlib import Path

from bot.analyze.rules import RuleSet
from bot.models import ScanResult


def render(fmt: str, result: ScanResult, *, rules: RuleSet, root: Path, color: bool = False) -> str:
    """The report in one format, as text."""
    from bot.render import html, jsonfmt, markdown, sarif, text

    if fmt == "text":
        return text.render_text(result, color=color)
    if fmt == "summary":
        return text.summary(result)
    if fmt == "json":
        return jsonfmt.render_json(result)
    if fmt == "sarif":
        return sarif.render_sarif(result, rules=rules, root=root)
    if fmt == "markdown":
        return markdown.render_markdown(result)
    if fmt == "html":
        return html.render_html(result)
    raise ValueError(f"unknown format {fmt!r}")
