"""Text report: findings grouped by file with the code line, then a closing summary."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from bot.models import Finding, ScanResult, Severity

STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def render_text(result: ScanResult, *, color: bool) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=120, highlight=False, soft_wrap=True)
    for path, group in groupby(result.findings, key=lambda f: f.path):
        console.print(f"[bold]{escape(path)}[/bold]")
        for f in group:
            _finding(console, f)
        console.print()
    console.print(summary(result), markup=False)
    return buf.getvalue()


def _finding(console: Console, f: Finding) -> None:
    sev = f"[{STYLE[f.severity]}]{f.severity.label:<8}[/]"
    console.print(f"  {f.line}:{f.column}  {sev} [bold]{f.rule_id}[/bold]  {escape(f.message)}")
    if f.snippet.strip():
        console.print(f"      [dim]{escape(f.snippet.strip())}[/dim]")
    if f.fix is not None:
        console.print(f"      [green]fix:[/green] {escape(f.fix.replacement.strip())}")


def summary(result: ScanResult) -> str:
    counts = result.by_severity()
    sev = ", ".join(f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True) if counts[s]) or "none"
    lines = [
        f"resbot: {len(result.findings)} findings ({sev}) in {result.files} files, "
        f"{result.lines:,} lines, {result.seconds:.2f} s"
    ]
    extras = []
    if result.files_with_parse_errors:
        extras.append(f"{result.files_with_parse_errors} files with syntax errors analysed in part")
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed inline")
    if result.baseline_matched:
        extras.append(f"{result.baseline_matched} already in the baseline")
    if result.rules_below_confidence:
        extras.append(f"{result.rules_below_confidence} low-confidence rules not run (--min-confidence low)")
    if extras:
        lines.append("        " + "; ".join(extras))
    skipped = result.skipped_by_reason()
    if skipped:
        parts = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"        skipped {sum(skipped.values())}: {parts}")
    return "\n".join(lines)
