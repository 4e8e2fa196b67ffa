"""JSON report: every finding with its fix, and the summary figures."""

from __future__ import annotations

import json
from typing import Any

from bot import __version__
from bot.models import Finding, ScanResult


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.label,
        "confidence": f.confidence.label,
        "pattern": f.pattern,
        "category": f.category,
        "language": f.language,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "message": f.message,
        "code": f.snippet,
        "scope": f.scope,
        "fingerprint": f.fingerprint,
        "fix": (
            {"description": f.fix.description, "start_line": f.fix.start_line, "end_line": f.fix.end_line,
             "replacement": f.fix.replacement}
            if f.fix else None
        ),
    }


def render_json(result: ScanResult) -> str:
    data = {
        "tool": {"name": "resbot", "version": __version__},
        "findings": [finding_dict(f) for f in result.findings],
        "summary": {
            "files": result.files,
            "lines": result.lines,
            "findings": len(result.findings),
            "by_severity": {s.label: n for s, n in sorted(result.by_severity().items(), reverse=True)},
            "files_with_parse_errors": result.files_with_parse_errors,
            "suppressed": result.suppressed,
            "baseline_matched": result.baseline_matched,
            "rules_below_confidence": result.rules_below_confidence,
            "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
            "skipped_by_reason": dict(result.skipped_by_reason()),
            "languages": dict(result.languages),
            "seconds": round(result.seconds, 3),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
