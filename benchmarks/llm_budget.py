"""LLM budget: how much of a change reaches the model, and how big the prompts are, for the default budget.

    python benchmarks/llm_budget.py [--repo GIT_DIR ...] [--commits N] [--tokens-per-call T] [--max-calls C]

Each of the last N non-merge commits of each repository (default: this checkout) that changes code resbot
reads becomes one review: its files from `git diff-tree -p`, the new text from the commit, the rule pack's
findings on its added lines as hints. The review is planned and its prompts rendered exactly as
`llm_review` does, and nothing is sent (no network, no model). Printed per repository and overall:
reviews, changed lines, the share of changed lines that reach the model, changed lines reaching the model
per 1k prompt tokens, prompt tokens per review (mean, median, p90, max), calls per review, the share of
reviews the model sees whole, and the time to plan and render one review.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.analyze.engine import Engine  # noqa: E402
from bot.analyze.rules import load_rules  # noqa: E402
from bot.config import RepoConfig  # noqa: E402
from bot.llm.budget import count_message_tokens  # noqa: E402
from bot.llm.changes import review_files_from_diff  # noqa: E402
from bot.llm.review import prepare_review  # noqa: E402
from bot.models import Finding  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.syntax.languages import EXTENSIONS, detect  # noqa: E402

CODE_GLOBS = [f"*{ext}" for ext in EXTENSIONS]
MAX_FILE_BYTES = 1_000_000


class CatFile:
    """`git cat-file --batch`: blob text by `<commit>:<path>` without a process per file."""

    def __init__(self, git_dir: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "--git-dir", str(git_dir), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def text(self, rev: str, path: str) -> str | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{rev}:{path}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        if len(header) < 3 or header[1] != "blob":
            return None
        data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
        if len(data) > MAX_FILE_BYTES or b"\0" in data[:8192]:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], capture_output=True, text=True, errors="replace", check=True
    ).stdout


@dataclass
class Review:
    commit: str
    files: int
    total: int
    sent: int
    calls: int
    prompt_tokens: int
    seconds: float
    policy: int = 0  # changed lines never sent by policy (sensitive, vendored, generated files)
    fits: bool = True  # whether everything sendable fits the budget's calls


@dataclass
class Totals:
    reviews: list[Review] = field(default_factory=list)

    def add(self, r: Review) -> None:
        self.reviews.append(r)

    def lines(self, name: str) -> list[str]:
        rs = self.reviews
        if not rs:
            return [f"{name}: no reviews"]
        total = sum(r.total for r in rs)
        sent = sum(r.sent for r in rs)
        tokens = [r.prompt_tokens for r in rs]
        whole = sum(1 for r in rs if r.sent == r.total)
        policy = sum(r.policy for r in rs)
        fitting = [r for r in rs if r.fits]
        fit_total = sum(r.total - r.policy for r in fitting)
        fit_sent = sum(r.sent for r in fitting)
        p90 = sorted(tokens)[max(0, int(len(tokens) * 0.9) - 1)]
        return [
            f"{name}: {len(rs)} reviews, {total:,} changed lines, {sum(r.files for r in rs):,} files",
            f"  changed lines reaching the model   {sent / total:7.1%}  ({sent:,} of {total:,}; {policy:,} withheld by policy)",
            f"  in reviews that fit the budget     {fit_sent / max(fit_total, 1):7.1%}  ({len(fitting)} reviews; sendable lines sent)",
            f"  reviews seen whole by the model    {whole / len(rs):7.1%}  ({whole} of {len(rs)})",
            f"  changed lines sent per 1k prompt tokens  {sent / (sum(tokens) / 1000):6.1f}",
            f"  prompt tokens per review           mean {statistics.fmean(tokens):,.0f} · median {statistics.median(tokens):,.0f}"
            f" · p90 {p90:,} · max {max(tokens):,}",
            f"  calls per review                   mean {statistics.fmean(r.calls for r in rs):.2f} · max {max(r.calls for r in rs)}",
            f"  plan + render per review           mean {statistics.fmean(r.seconds for r in rs) * 1000:.0f} ms"
            f" · max {max(r.seconds for r in rs) * 1000:.0f} ms",
        ]


def rule_hints(engine: Engine, files: list, limit_bytes: int = MAX_FILE_BYTES) -> list[Finding]:
    out: list[Finding] = []
    for f in files:
        detected = detect(f.path)
        if detected is None or f.new_text is None or len(f.new_text) > limit_bytes:
            continue
        language, grammar = detected
        try:
            report = engine.analyze(f.path, f.new_text.encode(), language=language, grammar=grammar, added_lines=f.added_lines)
        except Exception:  # noqa: BLE001, S112 - a file the engine cannot read is simply left without hints
            continue
        out.extend(report.findings)
    return out


def policy_lines(files: list, skipped: list[tuple[str, str]]) -> int:
    """Changed lines of files left out for what they are rather than for the budget."""
    added = {f.path: len(f.added_lines) for f in files}
    return sum(added.get(path, 0) for path, reason in skipped if "token budget" not in reason and not reason.startswith("lines "))


def bench_repo(git_dir: Path, *, commits: int, settings: Settings, engine: Engine) -> Totals:
    totals = Totals()
    cat = CatFile(git_dir)
    config = RepoConfig()
    roomy = settings.model_copy(update={"llm_max_calls": 50})
    try:
        shas = git(git_dir, "log", "--no-merges", "--format=%H", f"-n{commits * 4}", "HEAD").split()
        for sha in shas:
            if len(totals.reviews) >= commits:
                break
            diff = git(git_dir, "diff-tree", "-p", "-M", "--no-commit-id", "--no-color", "--root", "-r", sha, "--", *CODE_GLOBS)
            if not diff.strip():
                continue
            files = review_files_from_diff(diff, read_new_text=lambda p, sha=sha: cat.text(sha, p))
            files = [f for f in files if f.added_lines]
            if not files:
                continue
            hints = rule_hints(engine, files)
            started = time.perf_counter()
            prepared = prepare_review(files, rule_findings=hints, config=config, settings=settings)
            seconds = time.perf_counter() - started
            tokens = sum(count_message_tokens(m, encoding_name=settings.tiktoken_encoding) for m in prepared.messages)
            plan = prepared.plan
            policy = policy_lines(files, prepared.skipped)
            fits = True
            if plan.changed_lines_sent < plan.changed_lines_total - policy:
                unlimited = prepare_review(files, rule_findings=hints, config=config, settings=roomy)
                fits = len(unlimited.plan.batches) <= settings.llm_max_calls
            totals.add(
                Review(sha[:10], len(files), plan.changed_lines_total, plan.changed_lines_sent, len(plan.batches), tokens, seconds, policy, fits)
            )
    finally:
        cat.close()
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", action="append", type=Path, help="a git directory (repeatable; default: this checkout)")
    ap.add_argument("--commits", type=int, default=60, help="reviews per repository (default 60)")
    ap.add_argument("--tokens-per-call", type=int, help="override RESBOT_LLM_TOKENS_PER_CALL")
    ap.add_argument("--max-calls", type=int, help="override RESBOT_LLM_MAX_CALLS")
    args = ap.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.tokens_per_call:
        overrides["llm_tokens_per_call"] = args.tokens_per_call
    if args.max_calls:
        overrides["llm_max_calls"] = args.max_calls
    settings = Settings(**overrides)  # type: ignore[arg-type]
    here = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--absolute-git-dir"], capture_output=True, text=True, check=True)
    repos = args.repo or [Path(here.stdout.strip())]
    engine = Engine(load_rules())
    print(
        f"budget: {settings.llm_tokens_per_call:,} prompt tokens per call, at most {settings.llm_max_calls} calls, "
        f"encoding {settings.tiktoken_encoding}; rule findings as hints; nothing sent"
    )
    overall = Totals()
    for repo in repos:
        totals = bench_repo(repo, commits=args.commits, settings=settings, engine=engine)
        name = repo.parent.name if repo.name in {"repo", ".git"} else repo.name
        print("\n".join(totals.lines(name)))
        overall.reviews += totals.reviews
    if len(repos) > 1:
        print("\n".join(overall.lines("all")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
