"""Rule documentation: `resbot rules list`, `resbot rules show`, and docs/rules.md."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from bot.analyze.rules import Rule, RuleSet
from bot.models import Confidence

CATEGORY_ORDER = ("resilience", "reliability", "security")


def _grouped(rules: RuleSet) -> dict[str, list[Rule]]:
    by_id: dict[str, list[Rule]] = defaultdict(list)
    for r in rules.rules:
        by_id[r.id].append(r)
    return dict(sorted(by_id.items()))


def rules_list(rules: RuleSet, *, fmt: str = "text") -> str:
    grouped = _grouped(rules)
    if fmt == "json":
        return json.dumps(
            [
                {"id": rid, "title": rs[0].spec.title, "severity": rs[0].spec.severity, "category": rs[0].category,
                 "languages": [r.language for r in rs],
                 "confidence": {r.language: confidence_label(r) for r in rs}}
                for rid, rs in grouped.items()
            ],
            indent=2,
        )
    lines = [f"{'id':<42} {'severity':<9} {'category':<30} languages (low-confidence ones marked *)"]
    for rid, rs in grouped.items():
        langs = ", ".join(r.language + ("*" if r.top_confidence == Confidence.LOW else "") for r in rs)
        lines.append(f"{rid:<42} {rs[0].spec.severity:<9} {rs[0].category:<30} {langs}")
    pairs = sum(len(rs) for rs in grouped.values())
    low = sum(1 for rs in grouped.values() for r in rs if r.top_confidence == Confidence.LOW)
    lines.append(f"\n{len(grouped)} rules, {pairs} (rule, language) pairs; {low} pairs are low-confidence and run only "
                 "when opted in (`--min-confidence low`, or `min-confidence` / `rules.opt-in` in .resbot.yml)")
    return "\n".join(lines)


def rule_page(variants: list[Rule]) -> str:
    """One rule in all its languages, as plain text for a terminal."""
    first = variants[0]
    spec = first.spec
    out = [
        f"{spec.id}: {spec.title}",
        f"severity {spec.severity} · category {spec.category} · languages {', '.join(r.language for r in variants)}",
        "confidence " + ", ".join(f"{r.language} {confidence_label(r)}" for r in variants)
        + (" (low: runs only when opted in; a pattern marked low likewise)" if any(r.top_confidence == Confidence.LOW for r in variants) else ""),
        "",
        "What",
        _indent(spec.docs.what),
        "Why it takes services down",
        _indent(spec.docs.why),
    ]
    for r in variants:
        out += [f"Example ({r.language})", _indent(r.spec.docs.example), f"Use instead ({r.language})", _indent(r.spec.docs.fix)]
    refs = sorted({ref for r in variants for ref in r.spec.docs.references})
    if refs:
        out += ["References", *(f"  - {ref}" for ref in refs)]
    precisions = [f"  {r.language}: {r.spec.precision}" for r in variants if r.spec.precision]
    if precisions:
        out += ["Precision on real code", *precisions]
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()) + "\n"


def rule_markdown(variants: list[Rule], *, heading: str = "###") -> str:
    spec = variants[0].spec
    out = [
        f"{heading} `{spec.id}`: {spec.title}",
        "",
        f"Severity **{spec.severity}** · languages: {', '.join(r.language for r in variants)}"
        + _confidence_note(variants),
        "",
        f"**What.** {spec.docs.what.strip()}",
        "",
        f"**Why it takes services down.** {spec.docs.why.strip()}",
        "",
    ]
    for r in variants:
        out += [
            f"<details><summary>{r.language}</summary>",
            "",
            "Flagged:",
            "",
            f"```{_fence(r.language)}",
            r.spec.docs.example.rstrip(),
            "```",
            "",
            "Use instead:",
            "",
            f"```{_fence(r.language)}",
            r.spec.docs.fix.rstrip(),
            "```",
            "",
            *( [f"Precision: {r.spec.precision}", ""] if r.spec.precision else [] ),
            "</details>",
            "",
        ]
    refs = sorted({ref for r in variants for ref in r.spec.docs.references})
    if refs:
        out += ["References: " + " · ".join(f"<{ref}>" for ref in refs), ""]
    return "\n".join(out)


def confidence_label(rule: Rule) -> str:
    """The rule's confidence, how many of its patterns have one of their own, and whether matches outside
    the rule's `low-unless` context (or inside its `low-if` context) count as low."""
    patterns = [v for v in rule.variants if not v.outside]
    own = Counter(v.confidence.label for v in patterns if v.confidence != rule.confidence)
    notes = [f"{k} of {len(patterns)} patterns {c}" for c, k in sorted(own.items())]
    if any(v.twin_of == "low-unless" for v in rule.variants):
        notes.append("low outside the context its docs name")
    if any(v.twin_of == "low-if" for v in rule.variants):
        notes.append("low in the context its docs name")
    return f"{rule.spec.confidence} ({'; '.join(notes)})" if notes else rule.spec.confidence


def _confidence_note(variants: list[Rule]) -> str:
    low = [r.language for r in variants if r.top_confidence == Confidence.LOW]
    some = [r.language for r in variants if r.top_confidence != Confidence.LOW and any(v.confidence == Confidence.LOW for v in r.variants)]
    note = f" · **opt-in** (low confidence) in: {', '.join(low)}" if low else ""
    if some:
        note += f" · some patterns opt-in in: {', '.join(some)}"
    return note


def _fence(language: str) -> str:
    return {"csharp": "csharp", "javascript": "js", "typescript": "ts"}.get(language, language)


def rules_markdown(rules: RuleSet) -> str:
    grouped = _grouped(rules)
    by_category: dict[str, list[list[Rule]]] = defaultdict(list)
    for rs in grouped.values():
        by_category[rs[0].category].append(rs)
    pairs = sum(len(rs) for rs in grouped.values())
    out = [
        "# resbot rules",
        "",
        f"{len(grouped)} rules, {pairs} (rule, language) pairs. Generated by `resbot rules docs`; "
        "edit the rule files under `rules/`, not this page.",
        "",
    ]
    for category in sorted(by_category, key=lambda c: (CATEGORY_ORDER.index(c.split("/")[0]), c)):
        out += [f"## {category}", ""]
        for rs in by_category[category]:
            out.append(rule_markdown(rs))
    return "\n".join(out)
