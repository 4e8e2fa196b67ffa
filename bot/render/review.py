"""What resbot writes on a pull request: inline comments, the review body, the sticky summary, check output.

Every text carries a hidden marker so later runs find what was written before (and never repeat it):
`<!-- resbot:finding fp=… rule=… -->` on inline comments, `<!-- resbot:review head=… -->` on reviews,
`<!-- resbot:summary -->` on the sticky summary. No I/O here: values in, strings out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.models import Finding, Severity, Skipped

FINDING_MARKER_RE = re.compile(r"<!-- resbot:finding fp=([0-9a-zA-Z_-]+) rule=([^\s>]+)(?: path=(\S+))? -->")
REVIEW_MARKER_RE = re.compile(r"<!-- resbot:review head=([0-9a-f]+) -->")
SUMMARY_MARKER = "<!-- resbot:summary -->"
SUMMARY_FPS_RE = re.compile(r"<!-- resbot:reported (.*?) -->", re.S)
REPLY_MARKER_RE = re.compile(r"<!-- resbot:reply-to=(\d+) -->")
SEVERITY_ICON = {
    Severity.CRITICAL: "🛑",
    Severity.HIGH: "🔴",
    Severity.MEDIUM: "🟠",
    Severity.LOW: "🟡",
    Severity.INFO: "🔵",
}
CHECK_LEVEL = {
    Severity.CRITICAL: "failure",
    Severity.HIGH: "failure",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}
COMMAND_RE = re.compile(r"^(\s*)/", re.M)


@dataclass(frozen=True, slots=True)
class RuleText:
    """The parts of a rule's docs a comment quotes."""

    title: str = ""
    why: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InlineComment:
    """One review comment as GitHub's API takes it (RIGHT side; `start_line` for a range)."""

    path: str
    line: int
    body: str
    fingerprint: str
    rule_id: str
    start_line: int | None = None

    def as_api(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "line": self.line, "side": "RIGHT", "body": self.body}
        if self.start_line is not None and self.start_line < self.line:
            out["start_line"] = self.start_line
            out["start_side"] = "RIGHT"
        return out


def neutralize(text: str) -> str:
    """Make text safe to post: no hidden HTML comments of ours, no line that starts a slash command."""
    text = text.replace("<!--", "&lt;!--")
    return COMMAND_RE.sub(lambda m: m.group(1) + "\u2215", text)  # DIVISION SLASH looks alike, triggers nothing


def finding_marker(finding: Finding) -> str:
    return f"<!-- resbot:finding fp={finding.fingerprint} rule={finding.rule_id} path={finding.path} -->"


def comment_for(finding: Finding, text: RuleText, *, commentable: frozenset[int]) -> InlineComment:
    """The inline comment for a finding; a mechanical fix becomes a ```suggestion over the lines it replaces."""
    icon = SEVERITY_ICON[finding.severity]
    origin = " · model review" if finding.rule_id.startswith("llm/") else ""
    parts = [
        f"{icon} **{finding.severity.label}** · `{finding.category}` · `{finding.rule_id}`{origin}",
        "",
        neutralize(finding.message),
    ]
    if text.why:
        parts += ["", f"<details><summary>Why this matters</summary>\n\n{neutralize(text.why.strip())}\n</details>"]
    start_line: int | None = None
    line = finding.line
    fix = finding.fix
    if fix is not None and all(n in commentable for n in range(fix.start_line, fix.end_line + 1)):
        parts += ["", f"**Suggested fix** — {neutralize(fix.description)}:", "```suggestion", fix.replacement.rstrip("\n"), "```"]
        line = fix.end_line
        start_line = fix.start_line if fix.start_line < fix.end_line else None
    elif finding.fix_hint:
        parts += ["", f"**Instead:** {neutralize(finding.fix_hint.strip())}"]
    if text.references:
        parts += ["", "References: " + " · ".join(f"<{r}>" for r in text.references[:3])]
    parts += ["", finding_marker(finding)]
    return InlineComment(
        path=finding.path,
        line=line,
        body="\n".join(parts),
        fingerprint=finding.fingerprint,
        rule_id=finding.rule_id,
        start_line=start_line,
    )


def review_body(head_sha: str, *, new: int, total: int) -> str:
    return (
        f"resbot found {total} issue{'s' if total != 1 else ''} on the changed lines; "
        f"{new} new inline comment{'s' if new != 1 else ''} below. The summary comment has the full picture.\n\n"
        f"<!-- resbot:review head={head_sha} -->"
    )


def fingerprints_in(body: str) -> list[tuple[str, str, str | None]]:
    """(fingerprint, rule id, path) of every finding marker in a comment body."""
    return [(m.group(1), m.group(2), m.group(3)) for m in FINDING_MARKER_RE.finditer(body or "")]


@dataclass(slots=True)
class SummaryInput:
    """Everything the sticky summary reports for one head."""

    head_sha: str
    findings: list[Finding]
    new_comments: int = 0
    already_commented: int = 0
    resolved: list[tuple[str, str, str | None]] = field(default_factory=list)
    rejected: list[tuple[Finding, str]] = field(default_factory=list)
    over_cap: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_reviewed: int = 0
    lines_changed: int = 0
    notes: list[str] = field(default_factory=list)
    config_error: str | None = None
    max_comments: int = 30


def _counts_table(findings: Iterable[Finding]) -> list[str]:
    by_cat: dict[str, Counter[Severity]] = {}
    for f in findings:
        by_cat.setdefault(f.category, Counter())[f.severity] += 1
    levels = sorted(Severity, reverse=True)
    rows = ["| category | " + " | ".join(s.label for s in levels) + " |", "|---|" + "---:|" * len(levels)]
    for cat in sorted(by_cat):
        rows.append(f"| `{cat}` | " + " | ".join(str(by_cat[cat][s] or "") for s in levels) + " |")
    return rows


def summary_body(data: SummaryInput) -> str:
    """The sticky summary comment (edited in place on every run)."""
    f = data.findings
    sev = Counter(x.severity for x in f)
    head = data.head_sha[:7]
    lines = [SUMMARY_MARKER, f"### resbot review of `{head}`", ""]
    if data.config_error:
        lines += [f"> ⚠️ `.resbot.yml` on the base branch is invalid, so defaults were used: {neutralize(data.config_error)}", ""]
    if f:
        worst = ", ".join(f"{sev[s]} {s.label}" for s in sorted(sev, reverse=True))
        lines.append(
            f"**{len(f)} finding{'s' if len(f) != 1 else ''}** on changed lines ({worst}) · "
            f"{data.new_comments} new inline comment{'s' if data.new_comments != 1 else ''} · "
            f"{data.already_commented} already commented earlier"
        )
        lines += ["", *_counts_table(f)]
    else:
        lines.append(f"✅ No findings on the changed lines ({data.files_reviewed} files, {data.lines_changed} changed lines analysed).")
    if data.resolved:
        lines += ["", f"**Resolved since the last review ({len(data.resolved)}):**"]
        lines += [f"- ~~`{rule}`~~ in `{path or '?'}`" for _fp, rule, path in data.resolved[:50]]
    if data.rejected:
        lines += ["", "**GitHub refused these inline comments (listed here instead):**"]
        lines += [f"- `{x.path}:{x.line}` `{x.rule_id}` — {neutralize(x.message)} ({reason})" for x, reason in data.rejected[:50]]
    if data.over_cap:
        lines += ["", f"**Not commented inline (over the cap of {data.max_comments} comments per review):**"]
        lines += [f"- `{x.path}:{x.line}` `{x.rule_id}` ({x.severity.label}) — {neutralize(x.message)}" for x in data.over_cap[:100]]
        if len(data.over_cap) > 100:
            lines.append(f"- … and {len(data.over_cap) - 100} more (see the check run)")
    if data.skipped:
        reasons = Counter(s.reason for s in data.skipped)
        lines += ["", "<details><summary>Files not analysed: " + ", ".join(f"{n} {r}" for r, n in reasons.most_common()) + "</summary>", ""]
        lines += [f"- `{s.path}` — {s.reason}" for s in data.skipped[:200]]
        if len(data.skipped) > 200:
            lines.append(f"- … and {len(data.skipped) - 200} more")
        lines += ["", "</details>"]
    for note in data.notes:
        lines += ["", f"> {neutralize(note)}"]
    reported = " ".join(sorted({x.fingerprint for x in f}))
    lines += ["", "<sub>Commands: `/review` re-runs the review · `/help` · `/ask <question>`</sub>", "", f"<!-- resbot:reported {reported} -->"]
    return "\n".join(lines)


def reported_in_summary(body: str) -> set[str]:
    m = SUMMARY_FPS_RE.search(body or "")
    return set(m.group(1).split()) if m else set()


def check_conclusion(findings: Iterable[Finding], fail_on: Severity) -> str:
    levels = [f.severity for f in findings]
    if any(s >= fail_on for s in levels):
        return "failure"
    return "neutral" if levels else "success"


def check_output(findings: list[Finding], *, skipped: list[Skipped], fail_on: Severity) -> tuple[str, str]:
    """(title, summary) of the check run."""
    if not findings:
        title = "No findings on the changed lines"
    else:
        worse = sum(1 for f in findings if f.severity >= fail_on)
        title = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}" + (f", {worse} at or above {fail_on.label}" if worse else "")
    summary = [f"Findings at or above **{fail_on.label}** fail this check."]
    if findings:
        summary += ["", *_counts_table(findings)]
    if skipped:
        summary += ["", f"{len(skipped)} file(s) not analysed: " + ", ".join(f"{n} {r}" for r, n in Counter(s.reason for s in skipped).most_common())]
    return title, "\n".join(summary)


def check_annotations(findings: list[Finding], texts: Mapping[str, RuleText]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in findings:
        ann: dict[str, object] = {
            "path": f.path,
            "start_line": f.line,
            "end_line": max(f.line, f.end_line),
            "annotation_level": CHECK_LEVEL[f.severity],
            "message": f.message[:60000],
            "title": f"{f.rule_id} ({f.severity.label})"[:255],
        }
        if f.end_line == f.line and f.end_column >= f.column:
            ann["start_column"] = f.column
            ann["end_column"] = f.end_column
        why = texts.get(f.rule_id, RuleText()).why
        if why:
            ann["raw_details"] = why[:60000]
        out.append(ann)
    return out
