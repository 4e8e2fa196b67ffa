"""The review job: read a PR at one head, analyse its changed lines, publish review + summary + check run.

Stages: read (PR, files, base config, blobs; for JS/TS files the head's package.json files) → analyse (rules;
the model when configured) → decide what is new (fingerprints already on the PR are never posted again) →
publish. `dry_run` stops before publishing and returns what would be posted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from github.GithubException import GithubException
from github.Repository import Repository

from bot.analyze.aliases import config_candidates, extends_of
from bot.analyze.engine import Engine
from bot.analyze.modules import MAX_MODULE_BYTES, ModuleIndex, import_bindings
from bot.analyze.packages import MANIFESTS, MAX_MANIFEST_BYTES, PackageIndex, manifest_dirs, manifest_path
from bot.analyze.rules import RuleSet, load_rules
from bot.config import RepoConfig
from bot.diff import added_lines_from_patch, commentable_lines_from_patch
from bot.errors import BotError, UsageError
from bot.github.client import GitHubClients, call
from bot.github.publish import PriorState, Publisher
from bot.github.pulls import PullFile, PullSnapshot, TreeBlob, fetch_blobs, list_tree, open_pull, read_config, snapshot
from bot.jobs.scan import apply_config, select_rules
from bot.models import Finding, Skipped
from bot.render.review import (
    InlineComment,
    RuleText,
    SummaryInput,
    check_annotations,
    check_conclusion,
    check_output,
    comment_for,
    review_body,
    summary_body,
)
from bot.settings import Settings
from bot.source import ConfigFilter, content_reason, path_reason
from bot.syntax.languages import detect

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Analysis:
    """Findings on the changed lines of a PR, and what was left out."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_reviewed: int = 0
    lines_changed: int = 0
    texts: dict[str, str] = field(default_factory=dict)
    added: dict[str, frozenset[int]] = field(default_factory=dict)
    patches: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReviewOutcome:
    """What a review run did (or, dry, would do)."""

    status: str  # posted | nothing-new | superseded | closed | dry-run
    head_sha: str = ""
    findings: list[Finding] = field(default_factory=list)
    new_comments: list[InlineComment] = field(default_factory=list)
    rejected: int = 0
    resolved: int = 0
    summary: str = ""
    conclusion: str = ""
    review_body: str = ""
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0


# The package index over the head's package.json files that can decide the given JS/TS paths; None: unknown.
ReadPackages = Callable[[Collection[str]], PackageIndex | None]
# Languages whose rules ask what kind of package a file is in (`package-is`).
PACKAGE_LANGUAGES = frozenset({"javascript", "typescript"})
# The project modules imported by the changed JS/TS files (path -> text), read for `module-has`; None: unknown.
ReadModules = Callable[[dict[str, str]], ModuleIndex | None]
# Imported modules fetched per review at most: a change that imports more is read through the first ones.
MAX_REVIEW_MODULES = 60
# tsconfig/jsconfig files a review reads to resolve path aliases (those above the changed files, and what they extend)
MAX_REVIEW_CONFIGS = 20


# An extra reviewer (the LLM review) sees the analysis and the snapshot and adds findings and notes.
ExtraReviewer = Callable[[PullSnapshot, Analysis, RepoConfig, str], tuple[list[Finding], list[str]]]


class Analyzer:
    """Rules loaded once per process; engines per rule selection (a repo config may enable a subset)."""

    def __init__(self, rules_dir: Path | None = None) -> None:
        self.rules: RuleSet = load_rules(rules_dir, validate=False)
        self._engines: dict[tuple[tuple[str, ...] | None, tuple[str, ...], str, tuple[str, ...]], Engine] = {}
        self._lock = threading.Lock()
        self.texts: dict[str, RuleText] = {}
        for rule_id in self.rules.ids():
            spec = self.rules.by_id(rule_id)[0].spec
            self.texts[rule_id] = RuleText(title=spec.title, why=spec.docs.why, references=tuple(spec.docs.references))

    def engine(self, config: RepoConfig) -> Engine:
        key = (
            tuple(sorted(config.rules.enable)) if config.rules.enable is not None else None,
            tuple(sorted(config.rules.disable)),
            config.min_confidence,
            tuple(sorted(config.rules.opt_in)),
        )
        with self._lock:
            if key not in self._engines:
                self._engines[key] = Engine(select_rules(self.rules, config))
            return self._engines[key]


def analyze_pull(
    analyzer: Analyzer,
    files: tuple[PullFile, ...],
    config: RepoConfig,
    fetch: Callable[[dict[str, str]], dict[str, bytes]],
    *,
    packages: ReadPackages | None = None,
    modules: ReadModules | None = None,
) -> Analysis:
    """Pick the files worth reading, fetch only those, analyse their added lines.

    `packages` is asked once, only when a JS/TS file is to be analysed, for the index that tells its
    package's kind; `modules`, likewise, for the project modules those files import. Without them (or when
    they answer None) those facts are unknown, as in a scan of stdin."""
    out = Analysis()
    wanted: dict[str, str] = {}
    config_filter = ConfigFilter(config)
    changes: dict[str, tuple[frozenset[int], str, str]] = {}
    for f in files:
        if f.status == "removed":
            continue
        detected = detect(f.path)
        reason = path_reason(f.path) or config_filter.reason(f.path)
        if reason is None and detected is None:
            continue  # not a language resbot reads: not worth a line in the summary
        if reason is None and f.patch is None:
            reason = "diff too large for GitHub to show"
        if reason is not None:
            out.skipped.append(Skipped(f.path, reason))
            continue
        added = added_lines_from_patch(f.patch or "")
        if not added or f.blob_sha is None or detected is None:
            continue
        wanted[f.path] = f.blob_sha
        changes[f.path] = (added, detected[0], detected[1])
        out.patches[f.path] = f.patch or ""
    blobs = fetch(wanted)
    scripts = [path for path, (_, language, _) in changes.items() if language in PACKAGE_LANGUAGES and path in blobs]
    index = packages(scripts) if packages is not None and scripts else None
    imported = None
    if modules is not None and scripts:
        imported = modules({path: blobs[path].decode("utf-8", "replace") for path in scripts})
    engine = analyzer.engine(config)
    for path, (added, language, grammar) in changes.items():
        data = blobs.get(path)
        if data is None:
            out.skipped.append(Skipped(path, "content not available"))
            continue
        # With the path, a library copied into a web asset folder is told by its first lines, as in scans.
        if (reason := content_reason(data, config.max_file_bytes, path=path)) is not None:
            out.skipped.append(Skipped(path, reason))
            continue
        try:
            report = engine.analyze(
                path, data, language=language, grammar=grammar, added_lines=added, packages=index, modules=imported
            )
        except RecursionError:
            out.skipped.append(Skipped(path, "nested too deeply to analyse"))
            continue
        out.files_reviewed += 1
        out.lines_changed += len(added)
        out.findings.extend(report.findings)
        out.texts[path] = data.decode("utf-8")
        out.added[path] = added
    out.findings = apply_config(out.findings, config)
    return out


# Lists the head's tree (path -> blob); None when GitHub truncated the listing. A review lists it once.
ListTree = Callable[[], dict[str, TreeBlob] | None]


def read_packages(
    repo: Repository, head_sha: str, paths: Collection[str], *, concurrency: int, tree_of: ListTree | None = None
) -> PackageIndex | None:
    """The package index of `paths` at `head_sha`: the head's tree listed once, then only the package.json
    (and Nx project.json) files in the folders of those paths and above them fetched. None (the kinds stay
    unknown and rules act as if the fact did not exist) when the tree is truncated or any call fails."""
    try:
        tree = tree_of() if tree_of is not None else list_tree(repo, head_sha)
        if tree is None:
            log.debug("tree of %s is truncated; package kinds stay unknown", head_sha[:12])
            return None
        wanted: dict[str, str] = {}
        oversized: set[str] = set()
        for path in (manifest_path(rel, name) for rel in manifest_dirs(paths) for name in MANIFESTS):
            blob = tree.get(path)
            if blob is None:
                continue
            if blob.size is not None and blob.size > MAX_MANIFEST_BYTES:
                oversized.add(path)  # not a hand-written manifest: unknown, and not worth the download
            else:
                wanted[path] = blob.sha
        fetched = fetch_blobs(repo, wanted, concurrency=concurrency)
    # A failed GitHub call (wrapped or not) or an undecodable blob: the package kind is an optional fact, and
    # losing it must not lose the review.
    except (BotError, GithubException, ValueError) as exc:
        log.debug(
            "package manifests of %s not read (%s: %s); package kinds stay unknown",
            head_sha[:12],
            type(exc).__name__,
            exc,
        )
        return None

    def read(path: str) -> bytes | None:
        if path in oversized:
            raise OSError(f"{path} is over {MAX_MANIFEST_BYTES} bytes")
        return fetched.get(path)

    return PackageIndex.from_reader(read)


def read_modules(
    repo: Repository, head_sha: str, sources: dict[str, str], *, concurrency: int, tree_of: ListTree | None = None
) -> ModuleIndex | None:
    """The project modules the given JS/TS files (path -> text) import, at `head_sha`: the head's tree listed
    (`tree_of`, shared with `read_packages`); the tsconfig/jsconfig files above them fetched with their relative
    `extends` (at most MAX_REVIEW_CONFIGS), so that path aliases resolve; then the imported modules fetched, at
    most MAX_REVIEW_MODULES, none over MAX_MODULE_BYTES. None (what they declare stays unknown and `module-has`
    does not hold) when the tree is truncated or any call fails."""
    try:
        tree = tree_of() if tree_of is not None else list_tree(repo, head_sha)
        if tree is None:
            log.debug("tree of %s is truncated; imported modules stay unknown", head_sha[:12])
            return None
        listed = tree

        def small_file(path: str) -> bool:
            blob = listed.get(path)
            return blob is not None and (blob.size is None or blob.size <= MAX_MODULE_BYTES)

        configs = _read_configs(repo, listed, sources, concurrency=concurrency)
        probe = ModuleIndex.from_reader(configs.get, exists=small_file)
        wanted: dict[str, str] = {}
        for path, text in sorted(sources.items()):
            for binding in import_bindings(text).values():
                target = probe.resolve(path, binding.specifier)
                if target is not None and target not in sources and len(wanted) < MAX_REVIEW_MODULES:
                    wanted[target] = listed[target].sha
        fetched = fetch_blobs(repo, wanted, concurrency=concurrency)
    except (BotError, GithubException, ValueError) as exc:
        log.debug("imported modules of %s not read (%s: %s); they stay unknown", head_sha[:12], type(exc).__name__, exc)
        return None
    changed = {path: text.encode("utf-8") for path, text in sources.items()}
    return ModuleIndex.from_reader(lambda path: changed.get(path, fetched.get(path, configs.get(path))))


def _read_configs(
    repo: Repository, listed: dict[str, TreeBlob], sources: dict[str, str], *, concurrency: int
) -> dict[str, bytes]:
    """The tsconfig.json / jsconfig.json files that govern `sources` (the nearest above each, and every file
    on the way up, since the nearest may not parse) and the configs they extend, fetched in rounds."""
    wanted = {c for path in sources for c in config_candidates(path) if c in listed}
    configs: dict[str, bytes] = {}
    while wanted and len(configs) < MAX_REVIEW_CONFIGS:
        batch = sorted(wanted)[: MAX_REVIEW_CONFIGS - len(configs)]
        configs.update(fetch_blobs(repo, {p: listed[p].sha for p in batch}, concurrency=concurrency))
        wanted = {e for p in batch for e in extends_of(p, configs.get(p, b"")) if e in listed} - configs.keys()
    return configs


def _once(list_head: ListTree) -> ListTree:
    """`list_head` called at most once: later calls get its answer, or its error raised again."""
    answer: list[dict[str, TreeBlob] | None] = []
    error: list[BotError | GithubException | ValueError] = []

    def listed() -> dict[str, TreeBlob] | None:
        if error:
            raise error[0]
        if not answer:
            try:
                answer.append(list_head())
            except (BotError, GithubException, ValueError) as exc:
                error.append(exc)
                raise
        return answer[0]

    return listed


def _rank(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-int(f.severity), f.path, f.line, f.rule_id))


class ReviewRunner:
    """Runs the review flow for one PR against GitHub (App installation or token)."""

    def __init__(
        self,
        settings: Settings,
        clients: GitHubClients,
        analyzer: Analyzer,
        *,
        reviewer: ExtraReviewer | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.clients = clients
        self.analyzer = analyzer
        self.reviewer = reviewer
        self.sleep = sleep

    def run(
        self,
        repo_name: str,
        number: int,
        *,
        installation: int | None = None,
        head_sha: str | None = None,
        dry_run: bool = False,
        superseded: Callable[[], bool] = lambda: False,
    ) -> ReviewOutcome:
        started = time.perf_counter()
        if "/" not in repo_name:
            raise UsageError(f"{repo_name!r}: expected OWNER/REPO")
        gh = self.clients.for_installation(installation) if installation is not None else self.clients.for_token()
        repo = call(lambda: gh.get_repo(repo_name), what=f"GET repo {repo_name}")
        pull = open_pull(repo, number)
        if head_sha is not None and pull.head.sha != head_sha:
            return ReviewOutcome("superseded", head_sha=head_sha)
        if pull.state != "open" and not dry_run:
            return ReviewOutcome("closed", head_sha=pull.head.sha)
        snap = snapshot(repo, pull)
        config, config_error = read_config(repo, snap.base_sha)
        # The head's tree is listed once, for the manifests and the imported modules alike.
        head_tree = _once(lambda: list_tree(repo, snap.head_sha))
        analysis = analyze_pull(
            self.analyzer,
            snap.files,
            config,
            lambda shas: fetch_blobs(repo, shas, concurrency=self.settings.github_concurrency),
            packages=lambda paths: read_packages(
                repo, snap.head_sha, paths, concurrency=self.settings.github_concurrency, tree_of=head_tree
            ),
            modules=lambda sources: read_modules(
                repo, snap.head_sha, sources, concurrency=self.settings.github_concurrency, tree_of=head_tree
            ),
        )
        if snap.files_truncated:
            analysis.notes.append(
                "GitHub lists at most 3000 files of a pull request; files beyond that were not analysed."
            )
        if self.reviewer is not None:
            extra_findings, extra_notes = self.reviewer(snap, analysis, config, str(installation or ""))
            analysis.findings = sorted([*analysis.findings, *extra_findings], key=Finding.sort_key)
            analysis.notes.extend(extra_notes)
        login = self.clients.identity().login
        publisher = Publisher(repo, pull, login=login, sleep=self.sleep)
        prior = publisher.prior_state()
        outcome = self._decide(snap, analysis, config, config_error, prior)
        outcome.seconds = time.perf_counter() - started
        if dry_run:
            outcome.status = "dry-run"
            return outcome
        if superseded():
            outcome.status = "superseded"
            return outcome
        result = publisher.post_review(snap.head_sha, outcome.review_body, outcome.new_comments)
        if result.rejected:
            rejected_fps = {c.fingerprint for c, _ in result.rejected}
            by_fp = {f.fingerprint: f for f in analysis.findings}
            rejected = [(by_fp[c.fingerprint], reason) for c, reason in result.rejected if c.fingerprint in by_fp]
            outcome.rejected = len(rejected)
            outcome.new_comments = [c for c in outcome.new_comments if c.fingerprint not in rejected_fps]
            outcome.summary = self._summary(snap, analysis, config, config_error, prior, outcome, rejected=rejected)
        publisher.upsert_summary(outcome.summary, prior)
        fail_on = config.severity_fail_on
        title, text = check_output(analysis.findings, skipped=analysis.skipped, fail_on=fail_on)
        digest = hashlib.sha256(" ".join(sorted(f.fingerprint for f in analysis.findings)).encode()).hexdigest()[:32]
        publisher.upsert_check_run(
            snap.head_sha,
            conclusion=outcome.conclusion,
            title=title,
            summary=text,
            annotations=check_annotations(analysis.findings, self.analyzer.texts),
            external_id=f"resbot:{digest}",
        )
        outcome.status = "posted" if outcome.new_comments else "nothing-new"
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _decide(
        self,
        snap: PullSnapshot,
        analysis: Analysis,
        config: RepoConfig,
        config_error: str | None,
        prior: PriorState,
    ) -> ReviewOutcome:
        current = {f.fingerprint for f in analysis.findings}
        fresh = [f for f in _rank(analysis.findings) if f.fingerprint not in prior.fingerprints]
        postable = fresh[: config.max_comments]
        commentable: dict[str, frozenset[int]] = {}
        comments = []
        for f in postable:
            if f.path not in commentable:
                commentable[f.path] = commentable_lines_from_patch(analysis.patches.get(f.path, ""))
            comments.append(
                comment_for(f, self.analyzer.texts.get(f.rule_id, RuleText()), commentable=commentable[f.path])
            )
        outcome = ReviewOutcome(
            "pending",
            head_sha=snap.head_sha,
            findings=analysis.findings,
            new_comments=comments,
            skipped=analysis.skipped,
            conclusion=check_conclusion(analysis.findings, config.severity_fail_on),
            review_body=review_body(snap.head_sha, new=len(comments), total=len(analysis.findings)),
        )
        outcome.summary = self._summary(snap, analysis, config, config_error, prior, outcome, rejected=[])
        resolved_count = len([fp for fp in prior.fingerprints if fp not in current])
        outcome.resolved = resolved_count
        return outcome

    def _summary(
        self,
        snap: PullSnapshot,
        analysis: Analysis,
        config: RepoConfig,
        config_error: str | None,
        prior: PriorState,
        outcome: ReviewOutcome,
        *,
        rejected: list[tuple[Finding, str]],
    ) -> str:
        current = {f.fingerprint for f in analysis.findings}
        posted = {c.fingerprint for c in outcome.new_comments}
        resolved = [(fp, rule, path) for fp, (rule, path) in sorted(prior.fingerprints.items()) if fp not in current]
        not_over_cap = set(prior.fingerprints) | posted | {r.fingerprint for r, _ in rejected}
        over_cap = [f for f in _rank(analysis.findings) if f.fingerprint not in not_over_cap]
        return summary_body(
            SummaryInput(
                head_sha=snap.head_sha,
                findings=analysis.findings,
                new_comments=len(outcome.new_comments),
                already_commented=len(current & set(prior.fingerprints)),
                resolved=resolved,
                rejected=rejected,
                over_cap=over_cap,
                skipped=analysis.skipped,
                files_reviewed=analysis.files_reviewed,
                lines_changed=analysis.lines_changed,
                notes=analysis.notes,
                config_error=config_error,
                max_comments=config.max_comments,
            )
        )
