"""Snapshots of what resbot writes on a PR: an inline comment with a suggestion, the summary, check output.

Set RESBOT_UPDATE_SNAPSHOTS=1 to rewrite the files under tests/samples/snapshots/ after a deliberate change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.models import Finding, Fix, Severity, Skipped
from bot.render.review import (
    RuleText,
    SummaryInput,
    check_annotations,
    check_conclusion,
    check_output,
    comment_for,
    fingerprints_in,
    neutralize,
    summary_body,
)

SNAPSHOTS = Path(__file__).parent / "samples" / "snapshots"

FINDING = Finding(
    rule_id="http-call-without-timeout",
    severity=Severity.HIGH,
    category="resilience/timeout",
    path="svc/client.py",
    line=9,
    column=12,
    end_line=9,
    end_column=43,
    message="`requests.get` has no timeout: a hung server holds this worker forever.",
    language="python",
    snippet='    return requests.get(base + "/orders")',
    fix=Fix("add timeout=", 9, 9, '    return requests.get(base + "/orders", timeout=10)\n'),
    fix_hint="Pass timeout=(connect, read).",
    fingerprint="0123456789abcdef01234567",
)
TEXT = RuleText(title="HTTP call without timeout", why="Without a timeout a slow dependency exhausts the pool.",
                references=("https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",))


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("RESBOT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing snapshot {path}: run with RESBOT_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def test_inline_comment_with_a_suggestion() -> None:
    comment = comment_for(FINDING, TEXT, commentable=frozenset(range(1, 20)))
    assert comment.as_api() == {"path": "svc/client.py", "line": 9, "side": "RIGHT", "body": comment.body}
    assert fingerprints_in(comment.body) == [("0123456789abcdef01234567", "http-call-without-timeout", "svc/client.py")]
    check("inline-comment.md", comment.body)


def test_a_fix_off_the_diff_becomes_advice_not_a_suggestion() -> None:
    comment = comment_for(FINDING, TEXT, commentable=frozenset({1, 2}))
    assert "```suggestion" not in comment.body and "**Instead:**" in comment.body


def test_multi_line_fix_anchors_a_range() -> None:
    finding = Finding(**{**{f: getattr(FINDING, f) for f in FINDING.__slots__}, "fix": Fix("wrap", 8, 10, "a\nb\nc\n")})
    api = comment_for(finding, TEXT, commentable=frozenset(range(1, 20))).as_api()
    assert (api["start_line"], api["line"], api["start_side"]) == (8, 10, "RIGHT")


def test_summary_snapshot() -> None:
    other = Finding(**{**{f: getattr(FINDING, f) for f in FINDING.__slots__}, "rule_id": "swallowed-exception",
                       "category": "reliability/error-handling", "severity": Severity.MEDIUM, "line": 14, "fingerprint": "f" * 24})
    body = summary_body(SummaryInput(
        head_sha="a" * 40, findings=[FINDING, other], new_comments=1, already_commented=1,
        resolved=[("e" * 24, "sql-built-from-strings", "svc/db.py")], over_cap=[], skipped=[Skipped("vendor/x.py", "vendored")],
        files_reviewed=2, lines_changed=40, notes=["Model review skipped: no model is configured."],
    ))
    check("summary.md", body)


def test_check_run_output_and_conclusion() -> None:
    assert check_conclusion([FINDING], Severity.HIGH) == "failure"
    assert check_conclusion([FINDING], Severity.CRITICAL) == "neutral"
    assert check_conclusion([], Severity.HIGH) == "success"
    title, summary = check_output([FINDING], skipped=[], fail_on=Severity.HIGH)
    assert title == "1 finding, 1 at or above high"
    assert "Findings at or above **high** fail this check." in summary and "`resilience/timeout`" in summary
    [annotation] = check_annotations([FINDING], {FINDING.rule_id: TEXT})
    assert annotation["annotation_level"] == "failure" and annotation["start_column"] == 12


@pytest.mark.parametrize("text", ["/review now", "  /approve", "ok\n/ask me"])
def test_model_or_user_text_cannot_start_a_command_or_fake_a_marker(text: str) -> None:
    out = neutralize(text + " <!-- resbot:summary -->")
    assert not any(line.lstrip().startswith("/") for line in out.splitlines())
    assert "<!--" not in out
