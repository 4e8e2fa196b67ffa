"""The scan job: a ChangeSet in, a ScanResult out, in one process or a pool of them."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bot.analyze.engine import Engine
from bot.analyze.querysets import Occurrences
from bot.analyze.rules import RuleSet, load_rules
from bot.config import RepoConfig
from bot.errors import AnalysisError, SourceError, UsageError
from bot.models import ChangeSet, FileChange, FileReport, Finding, ScanResult, Severity, Skipped
from bot.source import read_one
from bot.syntax.languages import detect

CHUNK = 24
# Chunks queued ahead per worker process, so it never waits for the parent between chunks.
PREFETCH = 2
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanPlan:
    """What to analyse and with which rules."""

    root: Path
    changes: ChangeSet
    config: RepoConfig
    rules_dir: Path | None = None
    jobs: int = 1


def select_rules(rules: RuleSet, config: RepoConfig) -> RuleSet:
    named = (*config.rules.disable, *(config.rules.enable or ()), *config.rules.severity, *config.rules.opt_in)
    unknown = sorted(set(named))
    known = set(rules.ids())
    if missing := [r for r in unknown if r not in known]:
        raise UsageError(f".resbot.yml names unknown rule id {missing[0]!r} (see `resbot rules list`)")
    return rules.select(
        enabled=config.rules.enable,
        disabled=config.rules.disable,
        min_confidence=config.confidence_floor,
        opt_in=config.rules.opt_in,
    )


def analyze_chunk(engine: Engine, root: Path, chunk: list[FileChange], max_bytes: int) -> list[FileReport]:
    """Read and analyse a batch of files (anything unreadable becomes a Skipped, never an exception); the
    literals of all are found first, so that each grammar's query is made ready once for the whole batch
    (`Engine.expect`) rather than grown at each file that opens a new pattern."""
    reports: list[FileReport | None] = []
    ready: list[tuple[int, FileChange, str, str, bytes, Occurrences]] = []
    batches: dict[tuple[str, str], list[Occurrences]] = {}
    for change in chunk:
        detected = detect(change.path)
        data = read_one(root / change.path, max_bytes) if detected is not None else "not a supported language"
        if detected is None or isinstance(data, str):
            reports.append(FileReport(change.path, skipped=Skipped(change.path, str(data))))
            continue
        language, grammar = detected
        where = engine.literals_of(data, language=language, grammar=grammar)
        batches.setdefault(detected, []).append(where)
        ready.append((len(reports), change, language, grammar, data, where))
        reports.append(None)
    for (language, grammar), scanned in batches.items():
        engine.expect(scanned, language=language, grammar=grammar)
    for at, change, language, grammar, data, where in ready:
        try:
            reports[at] = engine.analyze(
                change.path, data, language=language, grammar=grammar, added_lines=change.added_lines, root=root, where=where
            )
        except RecursionError:
            reports[at] = FileReport(change.path, skipped=Skipped(change.path, "nested too deeply to analyse"))
    return [report for report in reports if report is not None]


_WORKER: tuple[Engine, Path, int] | None = None
# The rules the parent selected, left here before it starts its workers: a worker forked from it finds
# them already loaded (a worker started afresh, where fork is not the start method, loads them itself).
_SELECTED: RuleSet | None = None


def _init_worker(rules_dir: str | None, config_json: str, root: str) -> None:
    global _WORKER  # noqa: PLW0603 - one engine per worker process, built once at start-up
    config = RepoConfig.model_validate_json(config_json)
    rules = _SELECTED
    if rules is None:
        # The parent validated these files already; packs compile lazily, per grammar met.
        rules = select_rules(load_rules(Path(rules_dir) if rules_dir else None, validate=False), config)
    _WORKER = (Engine(rules), Path(root), config.max_file_bytes)


def _work(chunk: list[FileChange]) -> list[FileReport]:
    if _WORKER is None:
        raise AnalysisError("worker process was not initialised")
    engine, root, max_bytes = _WORKER
    return analyze_chunk(engine, root, chunk, max_bytes)


def _chunks(items: tuple[FileChange, ...], size: int) -> Iterable[list[FileChange]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def run_scan(plan: ScanPlan, *, progress: Progress | None = None, rules: RuleSet | None = None) -> ScanResult:
    """Analyse every file of the plan; findings are filtered by config and sorted."""
    started = time.perf_counter()
    loaded = rules if rules is not None else load_rules(plan.rules_dir)
    rules = select_rules(loaded, plan.config)
    result = ScanResult()
    if plan.config.rules.enable is None:
        chosen = set(rules.ids())
        result.rules_below_confidence = len(
            {r.id for r in loaded.rules if r.id not in chosen and r.id not in plan.config.rules.disable}
        )
    total = len(plan.changes.files)
    done = 0
    if plan.jobs <= 1 or total < CHUNK:
        engine = Engine(rules)
        for chunk in _chunks(plan.changes.files, CHUNK):
            for report in analyze_chunk(engine, plan.root, chunk, plan.config.max_file_bytes):
                result.add(report)
            done += len(chunk)
            if progress:
                progress(done, total)
    else:
        workers = min(plan.jobs, os.cpu_count() or 1, max(1, total // CHUNK))
        args = (str(plan.rules_dir) if plan.rules_dir else None, plan.config.model_dump_json(by_alias=True), str(plan.root))
        # One process per share of the files, each share holding as few grammars as the balance allows:
        # a process compiles the queries of every grammar it meets, so a grammar met by one process
        # only is compiled once. A process that finishes its share early takes chunks from another's.
        shares = partition_by_grammar(plan.root, plan.changes.files, workers)
        global _SELECTED  # noqa: PLW0603 - read by forked workers only, cleared when they are done
        _SELECTED = rules
        try:
            with ExitStack() as stack:
                pools = [
                    stack.enter_context(ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=args))
                    for _ in shares
                ]
                queues = [deque(_chunks(tuple(share), CHUNK)) for share in shares]
                order: dict[Future[list[FileReport]], int] = {}
                running: dict[Future[list[FileReport]], int] = {}
                reports: dict[int, list[FileReport]] = {}

                def feed(worker: int) -> None:
                    # Its own share first; when that is done, the tail of the fullest other share.
                    queue = queues[worker] or max(queues, key=len)
                    if queue:
                        chunk = queue.popleft() if queue is queues[worker] else queue.pop()
                        future = pools[worker].submit(_work, chunk)
                        order[future] = len(order)
                        running[future] = worker

                for worker in range(len(pools)):
                    for _ in range(PREFETCH):
                        feed(worker)
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        worker = running.pop(future)
                        reports[order[future]] = future.result()
                        done += len(reports[order[future]])
                        if progress:
                            progress(done, total)
                        feed(worker)
                for index in sorted(reports):
                    for report in reports[index]:
                        result.add(report)
        except OSError as exc:
            raise AnalysisError(f"could not start worker processes: {exc}") from exc
        finally:
            _SELECTED = None
    result.findings = apply_config(result.findings, plan.config)
    result.seconds = time.perf_counter() - started
    return result


def partition_by_grammar(root: Path, files: tuple[FileChange, ...], shares: int) -> list[list[FileChange]]:
    """Split files into `shares` lists of about equal bytes, keeping each grammar's files together where
    the balance allows: grammars largest first, each to the lightest share, split across shares only
    when it would overfill one."""
    groups: dict[str, list[tuple[int, FileChange]]] = {}
    for change in files:
        detected = detect(change.path)
        try:
            size = (root / change.path).stat().st_size
        except OSError:
            size = 0
        groups.setdefault(detected[1] if detected else "", []).append((size + 1, change))
    total = sum(size for group in groups.values() for size, _ in group)
    fair = total / shares
    loads = [0] * shares
    out: list[list[FileChange]] = [[] for _ in range(shares)]
    for group in sorted(groups.values(), key=lambda g: -sum(size for size, _ in g)):
        weight = sum(size for size, _ in group)
        at = 0
        while at < len(group):
            i = loads.index(min(loads))
            room = fair - loads[i]
            if weight <= room * 1.05 or all(load >= fair for load in loads):
                take = len(group) - at
            else:
                take, filled = 0, 0
                while at + take < len(group) and filled < room:
                    filled += group[at + take][0]
                    take += 1
                take = max(take, 1)
            for size, change in group[at : at + take]:
                out[i].append(change)
                loads[i] += size
                weight -= size
            at += take
    return [share for share in out if share]


def apply_config(findings: list[Finding], config: RepoConfig) -> list[Finding]:
    """Severity overrides, then the severity floor; sorted by place."""
    out = []
    for finding in findings:
        f = finding
        if f.rule_id in config.rules.severity:
            f = dataclasses.replace(f, severity=Severity.parse(config.rules.severity[f.rule_id]))
        if f.severity >= config.severity_floor:
            out.append(f)
    return sorted(out, key=Finding.sort_key)


BASELINE_VERSION = 1


def write_baseline(path: Path, findings: list[Finding]) -> None:
    data = {
        "version": BASELINE_VERSION,
        "tool": "resbot",
        "fingerprints": sorted({f.fingerprint for f in findings}),
    }
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot write baseline: {exc.strerror or exc}") from exc


def read_baseline(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: baseline file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path}: not a resbot baseline: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fingerprints"), list):
        raise SourceError(f"{path}: not a resbot baseline (no `fingerprints` list)")
    return frozenset(str(x) for x in data["fingerprints"])


def filter_baseline(result: ScanResult, known: frozenset[str]) -> None:
    """Keep only findings that are new relative to the baseline."""
    kept = [f for f in result.findings if f.fingerprint not in known]
    result.baseline_matched = len(result.findings) - len(kept)
    result.findings = kept
