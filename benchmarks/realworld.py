"""Real-code validation: run the full rule pack over checkouts of open-source services and list the findings.

    python benchmarks/realworld.py CHECKOUT[@COMMIT] [CHECKOUT ...] [--out DIR] [--labels FILE ...]
                                   [--include-tests] [--jobs N] [--rules DIR] [--write-precision]
                                   [--from-findings FILE ...]

Each CHECKOUT is a folder (a git work tree, or an exported snapshot whose commit is given after `@`).
The script writes to --out (default <tmp>/resbot-realworld, outside the repository: the listing quotes the
scanned code, which must not be committed):

- findings.json   every finding with repo, path:line, rule, snippet and fingerprint, plus the repos scanned
- findings.md     the same grouped by rule, each with a few lines of context, for a reviewer to read
- labels.json     the verdicts file: every finding keyed by fingerprint, "?" until a reviewer writes
                  "tp" or "fp" (existing verdicts from --labels are kept)

and prints the findings per rule per repo; with --labels, the precision per rule and overall, and the
`precision:` note each (rule, language) file should carry; `--write-precision` writes them into the rule
files. `--from-findings` adds the findings of earlier runs (their findings.json, rescanned with the same
rules) without their checkouts, so that notes can pool every corpus judged so far. Test code and test data (what `bot.source.classify_test_path` recognises by path, and C# files of
a .NET test or benchmark project, told by its project file: `bot.source.DotnetTestProjects`) are left out unless
--include-tests: a finding in a test is rarely what a reviewer acts on, and it would dominate the counts of
some repositories.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.analyze.rules import RuleSet, default_rules_dir, load_rules  # noqa: E402
from bot.config import RepoConfig  # noqa: E402
from bot.jobs.scan import ScanPlan, run_scan  # noqa: E402
from bot.models import ChangeSet, Finding  # noqa: E402
from bot.source import DotnetTestProjects, classify_test_path, walk_tree  # noqa: E402

CONTEXT = 2
VERDICTS = ("tp", "fp")


@dataclass
class Repo:
    """One scanned checkout and what the scan saw of it."""

    name: str
    path: Path
    commit: str
    files: int = 0
    lines: int = 0
    seconds: float = 0.0
    languages: dict[str, int] = field(default_factory=dict)


def parse_target(arg: str) -> tuple[Path, str | None]:
    """`PATH@COMMIT` or `PATH`."""
    path, sep, commit = arg.rpartition("@")
    if sep and path and Path(path).is_dir():
        return Path(path), commit
    return Path(arg), None


def commit_of(path: Path, given: str | None) -> str:
    if given:
        return given
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def scan_repo(
    path: Path, commit: str | None, *, include_tests: bool, jobs: int, pack: RuleSet, rules_dir: Path | None
) -> tuple[Repo, list[Finding]]:
    root = path.resolve()
    # Every rule, whatever its confidence: the summary gives the default pack's figures and everyone's.
    config = RepoConfig(min_confidence="low")
    changes, _skipped = walk_tree(root, config)
    if not include_tests:
        projects = DotnetTestProjects(root)
        changes = ChangeSet(
            tuple(f for f in changes.files if classify_test_path(f.path) is None and projects.reason(f.path) is None),
            mode=changes.mode,
        )
    plan = ScanPlan(root=root, changes=changes, config=config, rules_dir=rules_dir, jobs=jobs)
    result = run_scan(plan, rules=pack)
    repo = Repo(
        name=root.name, path=root, commit=commit_of(root, commit), files=result.files, lines=result.lines,
        seconds=result.seconds, languages=dict(result.languages),
    )
    return repo, result.findings


def context_lines(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lo, hi = max(1, line - CONTEXT), min(len(lines), line + CONTEXT)
    return "\n".join(f"{n:>5}{'>' if n == line else ' '} {lines[n - 1]}" for n in range(lo, hi + 1))


def label_for(row: dict[str, Any], labels: dict[str, dict[str, str]],
              by_place: dict[tuple[str, str], dict[str, str]]) -> dict[str, str]:
    """The verdict on this finding: the one filed under its fingerprint when it was judged at the same place.
    A fingerprint names a snippet and its rank among identical snippets of the file, so when a rule change
    drops an earlier twin, a later finding inherits the dropped one's fingerprint; a verdict filed with
    another `where` is then looked up by place and rule in `by_place` (see labels_by_place)."""
    where = f"{row['repo']}/{row['path']}:{row['line']}"
    label = labels.get(row["fingerprint"])
    if label is not None and label.get("where", where) == where:
        return label
    return by_place.get((where, row["rule"]), {})


def labels_by_place(labels: dict[str, dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """The verdicts keyed by where they were judged (`repo/path:line`) and rule."""
    return {(v["where"], v.get("rule", "")): v for v in labels.values() if "where" in v}


def load_labels(paths: list[Path] | None) -> dict[str, dict[str, str]]:
    """Verdicts from one or more files; where two files judge the same finding, the first given wins."""
    labels: dict[str, dict[str, str]] = {}
    for path in paths or []:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for k, v in data.items():
            if isinstance(v, dict):
                labels.setdefault(k, v)
    return labels


def precision_note(tp: int, total: int, repos: int, *, default_tp: int | None = None,
                   default_total: int | None = None) -> str:
    """`measured on N findings in M repos: P% true positives`, and the default pack's share of them where
    some of the pair's findings come from low-confidence patterns (off by default)."""
    if total == 0:
        return f"no findings in {repos} repos"
    noun = "finding" if total == 1 else "findings"
    note = f"measured on {total} {noun} in {repos} repos: {round(100 * tp / total)}% true positives"
    if default_total is None or default_tp is None or default_total == total:
        return note
    if default_total == 0:
        return note + "; none at medium or above (default pack)"
    return note + f"; default pack {default_total} of them: {round(100 * default_tp / default_total)}%"


def repos_for(repos: list[Repo], languages: set[str]) -> list[Repo]:
    """The scanned repos holding code in one of a rule's languages (the ones it was measured on)."""
    return [r for r in repos if languages & set(r.languages)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkouts", nargs="*", help="folders to scan, optionally PATH@COMMIT")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "resbot-realworld")
    ap.add_argument("--labels", type=Path, action="append",
                    help="verdicts file (fingerprint -> {verdict: tp|fp, note}); repeat to pool several corpora")
    ap.add_argument("--include-tests", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rules", type=Path, help="rules directory (default: the shipped pack)")
    ap.add_argument("--write-precision", action="store_true",
                    help="with --labels: write each rule file's `precision:` note from the verdicts")
    ap.add_argument("--from-findings", type=Path, action="append", default=[], metavar="FINDINGS_JSON",
                    help="also count the findings of an earlier run (its findings.json); repeat to pool runs")
    args = ap.parse_args()
    if not args.checkouts and not args.from_findings:
        ap.error("give checkouts to scan, or --from-findings")

    pack = load_rules(args.rules)
    pairs: dict[str, set[str]] = defaultdict(set)
    for rule in pack.rules:
        pairs[rule.id].add(rule.language)

    repos: list[Repo] = []
    rows: list[dict[str, Any]] = []
    for target in args.checkouts:
        path, commit = parse_target(target)
        if not path.is_dir():
            ap.error(f"{path}: not a folder")
        started = time.perf_counter()
        repo, findings = scan_repo(
            path, commit, include_tests=args.include_tests, jobs=args.jobs, pack=pack, rules_dir=args.rules
        )
        repos.append(repo)
        print(f"{repo.name}: {repo.files} files, {repo.lines:,} lines, {len(findings)} findings "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        rows.extend(
            {
                "repo": repo.name, "commit": repo.commit, "rule": f.rule_id, "language": f.language,
                "severity": f.severity.label, "path": f.path, "line": f.line, "snippet": f.snippet.strip(),
                "message": f.message, "fingerprint": f"{repo.name}:{f.fingerprint}",
                # The rule pattern's, low in sample and tooling code: the default pack drops what is low.
                "confidence": f.confidence.label,
                "pattern": f.pattern,
                "context": context_lines(repo.path / f.path, f.line),
            }
            for f in findings
        )
    for path in args.from_findings:
        earlier_repos, earlier_rows = load_findings(path)
        repos.extend(earlier_repos)
        rows.extend(earlier_rows)

    labels = load_labels(args.labels)
    by_place = labels_by_place(labels)
    for row in rows:
        label = label_for(row, labels, by_place)
        row["verdict"] = label.get("verdict", "?")
        row["note"] = label.get("note", "")

    args.out.mkdir(parents=True, exist_ok=True)
    repo_rows = [
        {"name": r.name, "commit": r.commit, "files": r.files, "lines": r.lines, "seconds": round(r.seconds, 2),
         "languages": r.languages}
        for r in repos
    ]
    (args.out / "findings.json").write_text(json.dumps({"repos": repo_rows, "findings": rows}, indent=1) + "\n")
    merged = dict(labels)
    for row in rows:
        merged.setdefault(row["fingerprint"], {"verdict": "?", "note": "", "where": f"{row['repo']}/{row['path']}:{row['line']}",
                                               "rule": row["rule"]})
    (args.out / "labels.json").write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
    write_markdown(args.out / "findings.md", repos, rows)
    print_summary(repos, rows, pairs, have_labels=bool(labels))
    if args.write_precision:
        if not labels:
            ap.error("--write-precision needs --labels")
        changed = write_precision(args.rules or default_rules_dir(), pair_notes(repos, rows, pairs))
        print(f"precision notes written to {changed} rule files", file=sys.stderr)
    print(f"\nlisting: {args.out / 'findings.md'}  verdicts: {args.out / 'labels.json'}", file=sys.stderr)


def load_findings(path: Path) -> tuple[list[Repo], list[dict[str, Any]]]:
    """The repos and finding rows of an earlier run's findings.json."""
    data = json.loads(path.read_text(encoding="utf-8"))
    repos = [
        Repo(name=r["name"], path=Path(r["name"]), commit=r["commit"], files=r["files"], lines=r["lines"],
             seconds=r.get("seconds", 0.0), languages=r.get("languages", {}))
        for r in data["repos"]
    ]
    return repos, list(data["findings"])


def write_markdown(path: Path, repos: list[Repo], rows: list[dict[str, Any]]) -> None:
    out = ["# resbot real-world findings", "", "| repo | commit | files | lines |", "|---|---|---:|---:|"]
    out += [f"| {r.name} | `{r.commit[:12]}` | {r.files} | {r.lines:,} |" for r in repos]
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_rule[row["rule"]].append(row)
    for rule_id in sorted(by_rule):
        items = by_rule[rule_id]
        out += ["", f"## {rule_id} ({len(items)})", ""]
        for row in items:
            verdict = f" **{row['verdict']}**" if row["verdict"] != "?" else ""
            note = f" — {row['note']}" if row["note"] else ""
            out += [f"- `{row['repo']}/{row['path']}:{row['line']}` ({row['language']}){verdict}{note}  "
                    f"id `{row['fingerprint']}`", "", "  ```", *(f"  {ln}" for ln in row["context"].splitlines()), "  ```"]
    path.write_text("\n".join(out) + "\n")


def print_summary(repos: list[Repo], rows: list[dict[str, Any]], pairs: dict[str, set[str]], *, have_labels: bool) -> None:
    print("repo                                      commit        files      lines  findings")
    per_repo = Counter(row["repo"] for row in rows)
    for r in repos:
        print(f"{r.name:40}  {r.commit[:12]}  {r.files:6}  {r.lines:9,}  {per_repo[r.name]:8}")
    print(f"\n{'rule':36} {'findings':>8} {'fired':>5} {'of':>3} {'tp':>4} {'fp':>4} {'?':>4}  precision")
    total_tp = total_fp = 0
    for rule_id in sorted(pairs):
        items = [row for row in rows if row["rule"] == rule_id]
        verdicts = Counter(row["verdict"] for row in items)
        tp, fp = verdicts["tp"], verdicts["fp"]
        total_tp += tp
        total_fp += fp
        fired_in = len({row["repo"] for row in items})
        prec = f"{100 * tp / (tp + fp):.0f}%" if tp + fp else "-"
        print(f"{rule_id:36} {len(items):8} {fired_in:5} {len(repos_for(repos, pairs[rule_id])):3} {tp:4} {fp:4} {verdicts['?']:4}  {prec}")
    if have_labels:
        overall = f"{100 * total_tp / (total_tp + total_fp):.1f}%" if total_tp + total_fp else "-"
        print(f"\noverall precision, every rule: {overall} ({total_tp} true of {total_tp + total_fp} judged findings)")
        shipped = Counter(row["verdict"] for row in rows if row.get("confidence", "medium") != "low")
        tp, fp = shipped["tp"], shipped["fp"]
        share = f"{100 * tp / (tp + fp):.1f}%" if tp + fp else "-"
        print(f"overall precision, default pack (confidence medium or high): {share} ({tp} true of {tp + fp} judged, "
              f"{shipped['?']} unjudged)")
        low = sorted({row["rule"] for row in rows if row.get("confidence") == "low"})
        if low:
            print(f"  low-confidence rules that fired (off by default): {', '.join(low)}")
        print("\nprecision notes (per rule and language, over the repos holding that language):")
        for (rule_id, language), note in sorted(pair_notes(repos, rows, pairs).items()):
            print(f"  {language}/{rule_id}: {note}")


def pair_notes(repos: list[Repo], rows: list[dict[str, Any]], pairs: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """The `precision:` note of every (rule, language) pair, from the judged findings."""
    notes = {}
    for rule_id, languages in pairs.items():
        for language in languages:
            judged = [r for r in rows if r["rule"] == rule_id and r["language"] == language and r["verdict"] in VERDICTS]
            tp = sum(1 for r in judged if r["verdict"] == "tp")
            shipped = [r for r in judged if r.get("confidence", "medium") != "low"]
            notes[(rule_id, language)] = precision_note(
                tp, len(judged), len(repos_for(repos, {language})),
                default_tp=sum(1 for r in shipped if r["verdict"] == "tp"), default_total=len(shipped),
            )
    return notes


def write_precision(rules_dir: Path, notes: dict[tuple[str, str], str]) -> int:
    """Set the `precision:` line of each rule file (before `docs:`); returns how many files changed."""
    changed = 0
    for (rule_id, language), note in notes.items():
        path = rules_dir / language / f"{rule_id}.yaml"
        text = path.read_text(encoding="utf-8")
        line = f'precision: "{note}"\n'
        if re.search(r"(?m)^precision:.*\n", text):
            new = re.sub(r"(?m)^precision:.*\n", line, text, count=1)
        else:
            new = re.sub(r"(?m)^docs:", line + "docs:", text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed

if __name__ == "__main__":
    main()
