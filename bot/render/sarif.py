"""SARIF 2.1.0 as GitHub code scanning ingests it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot import __version__
from bot.analyze.rules import Rule, RuleSet
from bot.models import Finding, ScanResult, Severity
from bot.render.docs import rule_markdown

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/resbot/resbot"
# GitHub ranks security alerts by `security-severity` (0-10).
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule_entry(variants: list[Rule]) -> dict[str, Any]:
    spec = variants[0].spec
    severity = Severity.parse(spec.severity)
    tags = sorted({*spec.tags, spec.category.split("/")[0], *(r.language for r in variants)})
    props: dict[str, Any] = {"category": spec.category, "tags": tags, "languages": [r.language for r in variants]}
    if spec.category.startswith("security/"):
        props["security-severity"] = SECURITY_SEVERITY[severity]
        props["tags"] = sorted({*tags, "security"})
    # GitHub code scanning reads `precision` (very-high | high | medium | low); a rule id spans languages, so
    # it takes the least precise of them.
    props["precision"] = min(v.confidence for r in variants for v in r.variants).label
    return {
        "id": spec.id,
        "name": "".join(part.capitalize() for part in spec.id.split("-")),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": " ".join(spec.docs.what.split())},
        "help": {
            "text": f"{' '.join(spec.docs.why.split())}\n\nUse instead:\n{variants[0].spec.docs.fix}",
            "markdown": rule_markdown(variants, heading="##"),
        },
        "helpUri": f"{INFO_URI}/blob/main/docs/rules.md#{spec.id}",
        "defaultConfiguration": {"level": severity.sarif_level},
        "properties": props,
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
    }
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level,
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"resbot/v1": f.fingerprint},
        "properties": {"severity": f.severity.label, "category": f.category, "confidence": f.confidence.label,
                       **({"pattern": f.pattern} if f.pattern else {})},
    }
    if f.fix is not None:
        out["fixes"] = [
            {
                "description": {"text": f.fix.description},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                        "replacements": [
                            {
                                "deletedRegion": {"startLine": f.fix.start_line, "endLine": f.fix.end_line},
                                "insertedContent": {"text": f.fix.replacement + "\n"},
                            }
                        ],
                    }
                ],
            }
        ]
    return out


def render_sarif(result: ScanResult, *, rules: RuleSet, root: Path) -> str:
    by_id: dict[str, list[Rule]] = {}
    for r in rules.rules:
        by_id.setdefault(r.id, []).append(r)
    ids = sorted(by_id)
    index = {rid: i for i, rid in enumerate(ids)}
    notifications = [
        {"level": "note", "message": {"text": f"skipped: {s.reason}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": s.path, "uriBaseId": "%SRCROOT%"}}}]}
        for s in result.skipped[:1000]
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "resbot",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule_entry(by_id[rid]) for rid in ids],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
                "results": [_result(f, index[f.rule_id]) for f in result.findings if f.rule_id in index],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
