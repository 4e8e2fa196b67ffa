"""Markdown report: a table of findings per file, suitable for a PR comment or a CI job summary."""

from __future__ import annotations

from itertools import groupby

from bot.models import ScanResult, Severity


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: ScanResult) -> str:
    counts = result.by_severity()
    out = ["## resbot findings", ""]
    if not result.findings:
        out.append("No findings.")
    else:
        out.append(" · ".join(f"**{counts[s]}** {s.label}" for s in sorted(Severity, reverse=True) if counts[s]))
        for path, group in groupby(result.findings, key=lambda f: f.path):
            out += ["", f"### `{path}`", "", "| line | severity | rule | message |", "|---:|---|---|---|"]
            for f in group:
                out.append(f"| {f.line} | {f.severity.label} | `{f.rule_id}` | {_cell(f.message)} |")
    out += ["", f"{result.files} files, {result.lines:,} lines scanned in {result.seconds:.2f} s."]
    skipped = result.skipped_by_reason()
    if skipped:
        out.append("Skipped: " + ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) + ".")
    return "\n".join(out) + "\n"
