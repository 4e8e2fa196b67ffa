"""Recall on real fixes: does the rule pack flag the code that a project later fixed?

    python benchmarks/recall.py [--cases FILE] [--mirrors DIR] [--rules DIR] [--rule ID]
                                [--skip-missing] [--json FILE] [--verbose]

Each case in --cases (default benchmarks/recall-cases.json) names a commit of a real project that fixed a
resilience gap or risky code (added a timeout, closed a response body, swapped yaml.load for safe_load ...),
the parent of that commit, a file, the parent-side lines the fix changed, and the rule that should flag
them. The script reads each parent file from the project's bare git mirror (`git show PARENT:PATH`; the
mirror of `owner+name` is `--mirrors/owner+name/repo` or `--mirrors/owner+name`), writes it under a temporary
folder at its own path (path-based conditions see the real path), beside it for a JS/TS file the project modules
it imports (read by `module-has` as a scan of the checkout reads them, not scanned), runs the rule pack on it, and counts a
hit when the expected rule reports a finding whose first line lies within the changed range, give or take
SLACK lines. A case may list `also`: other parent-side spans where the same gap shows (the call site of a
helper whose body the fix changed), which count as hits too.

It prints, per rule and overall: cases, hits, recall, and every miss with repo, commit and path:line (and
what did fire near the line, which tells a narrow pattern from a missing one); then the noise: how many
findings the same files produce in total. Nothing scanned is written to the repository: the files live in
a temporary folder that is removed at the end.

Exit status: 0 when the run completed, 2 when a mirror or commit is missing (the message names them;
--skip-missing measures the remaining cases instead) or the cases file is malformed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.analyze.aliases import CONFIG_NAMES  # noqa: E402
from bot.analyze.modules import SCRIPT_EXTENSIONS, ModuleIndex, import_bindings  # noqa: E402
from bot.analyze.rules import RuleSet, load_rules  # noqa: E402
from bot.config import RepoConfig  # noqa: E402
from bot.jobs.scan import ScanPlan, run_scan  # noqa: E402
from bot.models import ChangeSet, Confidence, FileChange, Finding  # noqa: E402

DEFAULT_CASES = HERE / "recall-cases.json"
DEFAULT_MIRRORS = Path("/work/.mirror")
SLACK = 2
# Rule ids that name one concern from two sides: a fix that adds a timeout to `url.openConnection()` is labelled
# as the call's gap by one collector and as the client's by another. The headline counts only the case's own
# rule; the sibling line below says how many misses the other id of the pair found on the same lines.
SIBLINGS = {
    "http-call-without-timeout": "http-client-without-timeout",
    "http-client-without-timeout": "http-call-without-timeout",
}
CASE_KEYS = ("repo", "fix", "parent", "path", "lines", "rule", "note")


@dataclass(frozen=True)
class Case:
    """One real fix: the parent-side lines it changed and the rule that should flag them."""

    repo: str
    fix: str
    parent: str
    path: str
    start: int
    end: int
    rule: str
    note: str
    also: tuple[tuple[int, int], ...] = ()

    @property
    def where(self) -> str:
        span = f"{self.start}" if self.start == self.end else f"{self.start}-{self.end}"
        return f"{self.repo} {self.fix[:10]} {self.path}:{span}"

    def covers(self, line: int) -> bool:
        spans = ((self.start, self.end), *self.also)
        return any(lo - SLACK <= line <= hi + SLACK for lo, hi in spans)


@dataclass
class Outcome:
    """What the scan of a case's file reported near the changed lines."""

    case: Case
    hit: bool
    nearby: list[str] = field(default_factory=list)
    skipped: str = ""
    # The highest confidence among the findings that hit: the default pack reports medium and up.
    confidence: Confidence = Confidence.LOW
    # The rule patterns whose findings hit (`patterns.3`): which shape a low-only hit needs promoted.
    patterns: list[str] = field(default_factory=list)
    # A miss that the case rule's sibling (SIBLINGS) reported on the case's lines, and at what confidence.
    sibling: Confidence | None = None


class CasesError(Exception):
    """The cases file cannot be used."""


def load_cases(path: Path) -> list[Case]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CasesError(f"{path}: cannot read cases: {exc}") from exc
    items = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CasesError(f"{path}: expected an object with a `cases` list")
    cases = []
    for n, item in enumerate(items):
        missing = [k for k in CASE_KEYS if k not in item]
        if missing:
            raise CasesError(f"{path}: case {n} lacks {', '.join(missing)}")
        if item["path"].startswith("/") or ".." in item["path"].split("/"):
            # The file is written under a temporary folder at this path; it must stay inside it.
            raise CasesError(f"{path}: case {n}: `path` must be relative to the repository root")
        lines = item["lines"]
        if not (isinstance(lines, list) and len(lines) == 2 and all(isinstance(x, int) for x in lines)):
            raise CasesError(f"{path}: case {n}: `lines` must be [first, last]")
        also = item.get("also", [])
        if not (isinstance(also, list) and all(isinstance(a, list) and len(a) == 2 for a in also)):
            raise CasesError(f"{path}: case {n}: `also` must be a list of [first, last]")
        cases.append(Case(repo=item["repo"], fix=item["fix"], parent=item["parent"], path=item["path"],
                          start=lines[0], end=lines[1], rule=item["rule"], note=item["note"],
                          also=tuple((int(a[0]), int(a[1])) for a in also)))
    return cases


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The git directory of `owner+name` under mirrors, if there is one: a bare repository, or the `.git` of a
    clone."""
    for candidate in (mirrors / repo / "repo", mirrors / repo, mirrors / repo / "repo" / ".git"):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def git_show(gdir: Path, commit: str, path: str) -> bytes | None:
    proc = subprocess.run(["git", f"--git-dir={gdir}", "show", f"{commit}:{path}"], capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def write_imported(gdir: Path, commit: str, path: str, data: bytes, root: Path) -> None:
    """Beside a JS/TS case file, the project modules it imports at `commit` and the tsconfig/jsconfig files that
    map its path aliases (what a scan of the checkout reads for `module-has`); they are read, not scanned."""
    if Path(path).suffix not in SCRIPT_EXTENSIONS:
        return
    listing = subprocess.run(
        ["git", f"--git-dir={gdir}", "ls-tree", "-r", "--name-only", commit], capture_output=True, text=True, check=False
    )
    files = set(listing.stdout.splitlines()) if listing.returncode == 0 else set()
    read: dict[str, bytes | None] = {}

    def show(name: str) -> bytes | None:
        if name not in read:
            read[name] = git_show(gdir, commit, name) if name in files else None
        return read[name]

    index = ModuleIndex.from_reader(show, exists=files.__contains__)
    modules = {index.resolve(path, b.specifier) for b in import_bindings(data.decode("utf-8", "replace")).values()}
    configs = [c for c in read if c.endswith(CONFIG_NAMES)]  # the configs the resolution read
    for name in sorted(m for m in modules | set(configs) if m is not None):
        text = show(name)
        if text is not None and not (root / name).exists():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(text)


def extract(cases: list[Case], mirrors: Path, into: Path) -> tuple[dict[tuple[str, str], Path], list[Case], list[str]]:
    """Write every parent file under into/<repo>/<parent>/<path>: the roots, the cases extracted, what is missing."""
    roots: dict[tuple[str, str], Path] = {}
    kept: list[Case] = []
    missing: list[str] = []
    dirs: dict[str, Path | None] = {}
    for case in cases:
        if case.repo not in dirs:
            dirs[case.repo] = git_dir(mirrors, case.repo)
            if dirs[case.repo] is None:
                missing.append(f"no mirror of {case.repo} under {mirrors}")
        gdir = dirs[case.repo]
        if gdir is None:
            continue
        root = into / case.repo / case.parent[:12]
        target = root / case.path
        if not target.exists():
            data = git_show(gdir, case.parent, case.path)
            if data is None:
                missing.append(f"{case.repo}: {case.parent[:12]}:{case.path} is not in the mirror")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            write_imported(gdir, case.parent, case.path, data, root)
        roots[(case.repo, case.parent)] = root
        kept.append(case)
    return roots, kept, missing


Found = dict[tuple[str, str, str], list[Finding]]


def scan_roots(
    roots: dict[tuple[str, str], Path], cases: list[Case], pack: RuleSet, rules_dir: Path | None
) -> tuple[Found, dict[tuple[str, str, str], str]]:
    """Findings per (repo, parent, path), each root scanned once with only its case files; and the files skipped."""
    # Every rule, whatever its confidence; the report also gives the default pack's recall.
    config = RepoConfig(min_confidence="low")
    paths: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case in cases:
        paths[(case.repo, case.parent)].add(case.path)
    found: Found = {}
    skipped: dict[tuple[str, str, str], str] = {}
    for key, root in roots.items():
        if key not in paths:
            continue
        changes = ChangeSet(tuple(FileChange(path=p) for p in sorted(paths[key])), mode="tree")
        result = run_scan(ScanPlan(root=root, changes=changes, config=config, rules_dir=rules_dir, jobs=1), rules=pack)
        for p in paths[key]:
            found[(*key, p)] = []
        for finding in result.findings:
            found.setdefault((*key, finding.path), []).append(finding)
        for skip in result.skipped:
            skipped[(*key, skip.path)] = skip.reason
    return found, skipped


def judge(cases: list[Case], found: Found, skipped: dict[tuple[str, str, str], str]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        key = (case.repo, case.parent, case.path)
        if key in skipped:
            outcomes.append(Outcome(case, hit=False, skipped=skipped[key]))
            continue
        findings = found.get(key, [])
        hitting = [f for f in findings if f.rule_id == case.rule and case.covers(f.line)]
        hits = [f.confidence for f in hitting]
        hit = bool(hits)
        nearby = sorted({f"{f.rule_id}@{f.line}" for f in findings if case.covers(f.line) and f.rule_id != case.rule})
        elsewhere = sorted({f.line for f in findings if f.rule_id == case.rule and not case.covers(f.line)})
        if elsewhere:
            nearby.append(f"same rule at {', '.join(map(str, elsewhere[:4]))}")
        sibling = [f.confidence for f in findings
                   if not hit and f.rule_id == SIBLINGS.get(case.rule) and case.covers(f.line)]
        outcomes.append(Outcome(case, hit=hit, nearby=nearby, confidence=max(hits, default=Confidence.LOW),
                                patterns=sorted({f"{f.language}/{f.pattern}" for f in hitting}),
                                sibling=max(sibling) if sibling else None))
    return outcomes


def report(outcomes: list[Outcome], found: Found, *, verbose: bool) -> dict[str, Any]:
    by_rule: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_rule[o.case.rule].append(o)
    languages = Counter(Path(o.case.path).suffix for o in outcomes)
    repos = {o.case.repo for o in outcomes}
    print(f"{len(outcomes)} cases from {len(repos)} {'repository' if len(repos) == 1 else 'repositories'} "
          f"({', '.join(f'{n} {ext}' for ext, n in languages.most_common())})\n")
    print(f"{'rule':36} {'cases':>5} {'hits':>5}  recall")
    for rule_id in sorted(by_rule):
        items = by_rule[rule_id]
        hits = sum(o.hit for o in items)
        print(f"{rule_id:36} {len(items):5} {hits:5}  {100 * hits / len(items):5.0f}%")
    hits = sum(o.hit for o in outcomes)
    overall = 100 * hits / len(outcomes) if outcomes else 0.0
    print(f"{'overall':36} {len(outcomes):5} {hits:5}  {overall:5.1f}%")
    by_language: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_language[Path(o.case.path).suffix.lstrip(".")].append(o)
    print("by language: " + ", ".join(
        f"{ext} {sum(o.hit for o in items)}/{len(items)}" for ext, items in sorted(by_language.items())))

    misses = [o for o in outcomes if not o.hit]
    if misses:
        print("\nmisses:")
        for o in sorted(misses, key=lambda o: (o.case.rule, o.case.repo, o.case.path)):
            why = f"  [file skipped: {o.skipped}]" if o.skipped else ""
            near = f"  near: {', '.join(o.nearby)}" if o.nearby else ""
            print(f"  {o.case.rule:34} {o.case.where}{why}{near}")
            if verbose:
                print(f"  {'':34} {o.case.note}")

    files = {(o.case.repo, o.case.parent, o.case.path) for o in outcomes}
    all_findings = [f for key in files for f in found.get(key, [])]
    counted = Counter(f.rule_id for f in all_findings)
    matched = sum(
        1 for key in files for f in found.get(key, [])
        if any(o.case.rule == f.rule_id and o.case.covers(f.line) for o in outcomes
               if (o.case.repo, o.case.parent, o.case.path) == key)
    )
    print(f"\nnoise: {len(all_findings)} findings in the {len(files)} case files; {matched} of them on a case's lines "
          f"(expected rule), {len(all_findings) - matched} elsewhere")
    print("  by rule: " + ", ".join(f"{r} {n}" for r, n in counted.most_common()))
    return {
        "cases": len(outcomes), "hits": hits, "recall": round(overall, 1),
        "per_rule": {r: {"cases": len(v), "hits": sum(o.hit for o in v)} for r, v in sorted(by_rule.items())},
        "per_language": {x: {"cases": len(v), "hits": sum(o.hit for o in v)} for x, v in sorted(by_language.items())},
        "misses": [{"rule": o.case.rule, "repo": o.case.repo, "fix": o.case.fix, "path": o.case.path,
                    "lines": [o.case.start, o.case.end], "nearby": o.nearby, "skipped": o.skipped, "note": o.case.note}
                   for o in misses],
        "noise": {"files": len(files), "findings": len(all_findings), "on_case_lines": matched, "by_rule": dict(counted)},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="cases file (default: %(default)s)")
    ap.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS, help="folder of bare mirrors (default: %(default)s)")
    ap.add_argument("--rules", type=Path, help="rules directory (default: the shipped pack)")
    ap.add_argument("--rule", action="append", help="only the cases expecting this rule id (repeatable)")
    ap.add_argument("--skip-missing", action="store_true", help="measure the cases whose mirror and commit exist")
    ap.add_argument("--json", type=Path, help="also write the figures and misses as JSON here")
    ap.add_argument("--verbose", action="store_true", help="print each miss's note")
    args = ap.parse_args()

    try:
        cases = load_cases(args.cases)
    except CasesError as exc:
        print(f"recall: {exc}", file=sys.stderr)
        return 2
    if args.rule:
        cases = [c for c in cases if c.rule in set(args.rule)]
    if not cases:
        print("recall: no cases to measure", file=sys.stderr)
        return 2

    if not args.mirrors.is_dir():
        print(f"recall: {args.mirrors}: no such folder (pass --mirrors DIR, the folder holding owner+name mirrors)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="resbot-recall-") as tmp:
        roots, kept, missing = extract(cases, args.mirrors, Path(tmp))
        if missing:
            for line in missing:
                print(f"recall: {line}", file=sys.stderr)
            if not args.skip_missing:
                print("recall: fetch the missing mirrors (or pass --mirrors DIR), or measure the rest with --skip-missing",
                      file=sys.stderr)
                return 2
        pack = load_rules(args.rules)
        found, skipped = scan_roots(roots, kept, pack, args.rules)
        outcomes = judge(kept, found, skipped)
    if not outcomes:
        print("recall: none of the cases could be measured", file=sys.stderr)
        return 2
    figures = report(outcomes, found, verbose=args.verbose)
    # A hit counts for the default pack when the finding that made it is at confidence medium or higher
    # (the pattern's own, one lower in sample code): what a default scan would have reported.
    low_only = [o for o in outcomes if o.hit and o.confidence < Confidence.MEDIUM]
    hits = sum(o.hit for o in outcomes) - len(low_only)
    print(f"\ndefault pack (low-confidence patterns off): {hits} of {len(outcomes)} cases "
          f"({100 * hits / len(outcomes):.1f}%); {len(low_only)} more are found only by low-confidence patterns")
    figures["default_pack"] = {"hits": hits, "recall": round(100 * hits / len(outcomes), 1),
                               "hits_of_low_patterns": len(low_only),
                               "found_only_by_low_patterns": [
                                   {"rule": o.case.rule, "repo": o.case.repo, "fix": o.case.fix, "where": o.case.where,
                                    "patterns": o.patterns}
                                   for o in low_only]}
    sibling = [o for o in outcomes if o.sibling is not None]
    sibling_default = sum(o.sibling is not None and o.sibling >= Confidence.MEDIUM for o in sibling)
    if sibling:
        print(f"sibling rule: {len(sibling)} {'miss is' if len(sibling) == 1 else 'misses are'} found on the case's lines by the other rule of the "
              f"same concern ({', '.join(sorted({f'{o.case.rule} -> {SIBLINGS[o.case.rule]}' for o in sibling}))}), "
              f"{sibling_default} of them by the default pack; counting those, every rule "
              f"{hits + len(low_only) + len(sibling)}, default pack {hits + sibling_default}")
    figures["sibling_rule"] = {"hits": len(sibling), "default_pack_hits": sibling_default,
                               "cases": [o.case.where for o in sibling]}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
