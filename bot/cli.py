"""The `resbot` command line: scan, rules list|show|test|docs, serve, worker, review, jobs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from bot import __version__
from bot.analyze.fixtures import check_rules
from bot.analyze.rules import RuleSet, load_rules
from bot.config import RepoConfig, load_config
from bot.errors import BotError, SourceError, UsageError
from bot.jobs.scan import ScanPlan, filter_baseline, read_baseline, run_scan, write_baseline
from bot.models import ChangeSet, ScanResult, Severity
from bot.render import docs as render_docs
from bot.render import render
from bot.source import changed_since, changeset_from_diff, git_toplevel, walk_tree
from bot.syntax.languages import LANGUAGES

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "sarif", "markdown", "html")
FAIL_ON = ("info", "low", "medium", "high", "critical", "never")
CONFIDENCES = ("low", "medium", "high")


def _guard(fn: F) -> F:
    """Turn a BotError into one line on stderr and its exit code; anything else is exit 3, no traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BotError as exc:
            click.echo(f"resbot: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("resbot: interrupted", err=True)
            sys.exit(130)
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            if os.environ.get("RESBOT_DEBUG"):
                raise
            click.echo(f"resbot: internal error: {type(exc).__name__}: {exc} (set RESBOT_DEBUG=1 for details)", err=True)
            sys.exit(3)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="resbot")
def cli() -> None:
    """resbot: finds missing resilience patterns and risky code."""


def _rules_option(fn: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Rules directory (default: the bundled rules/, or RESBOT_RULES_DIR).",
    )(fn)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True,
        console=_stderr_console(),
    ) as bar:
        task = bar.add_task("scan", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--diff", "diff_file", metavar="FILE|-", help="Analyse only the lines a unified diff adds ('-' = stdin).")
@click.option("--changed-since", metavar="REF", help="Analyse only what changed since the merge base with REF (git).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to a file.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="low", show_default=True,
              help="Exit 1 when a finding has at least this severity.")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), help="Record all current findings as the baseline.")
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=64), default=1, show_default=True, help="Processes to use.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Config file (default: .resbot.yml at the root).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal, off with NO_COLOR).")
@click.option("--llm", is_flag=True, help="Add the model review (OPENAI_API_KEY / OPENAI_BASE_URL, RESBOT_MODEL).")
@click.option("--min-confidence", type=click.Choice(CONFIDENCES),
              help="Run only rules at least this precise on real code (default: medium, or the config's).")
@_rules_option
@_guard
def scan(
    paths: tuple[Path, ...], diff_file: str | None, changed_since: str | None, fmt: str, output: Path | None,
    fail_on: str, baseline: Path | None, write_baseline: Path | None, jobs: int, config_file: Path | None,
    progress: bool | None, color: bool | None, llm: bool, min_confidence: str | None, rules_dir: Path | None,
) -> None:
    """Scan a repository, directories or files, a diff, or what changed since a git ref."""
    if diff_file and changed_since:
        raise UsageError("--diff and --changed-since cannot be combined")
    if len(paths) > 1 and (diff_file or changed_since):
        raise UsageError("give one PATH with --diff or --changed-since")
    for p in paths:
        if not p.exists():
            raise SourceError(f"{p}: no such file or directory")
    targets = [p.absolute() for p in paths] or [Path().absolute()]
    # Several paths (as pre-commit passes them): report relative to the current directory.
    root = _root_for(targets[0], changed_since) if len(targets) == 1 else Path().absolute()
    config = load_config(root, config_file)
    if min_confidence:
        config = config.model_copy(update={"min_confidence": min_confidence})
    if len(targets) == 1:
        changes, skipped = _changes(root, targets[0], diff_file, changed_since, config)
    else:
        changes, skipped = _union(root, targets, config)
    plan = ScanPlan(root=root, changes=changes, config=config, rules_dir=rules_dir, jobs=jobs)
    show_bar = progress if progress is not None else (sys.stderr.isatty() and len(changes.files) > 50)
    rules = load_rules(rules_dir)
    with _progress(bool(show_bar)) as update:
        result = run_scan(plan, progress=update, rules=rules)
    result.skipped = skipped + result.skipped
    if llm:
        _add_model_review(result, root=root, changes=changes, config=config)
    if write_baseline:
        write_baseline_to(write_baseline, result)
    if baseline:
        filter_baseline(result, read_baseline(baseline))
    to_tty = output is None and sys.stdout.isatty()
    use_color = color if color is not None else (to_tty and not os.environ.get("NO_COLOR"))
    text = render(fmt, result, rules=rules, root=root, color=bool(use_color))
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{output}: cannot write: {exc.strerror or exc}") from exc
        if fmt != "text":
            click.echo(render("summary", result, rules=rules, root=root, color=False), err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    sys.exit(_exit_code(result, fail_on))


def _add_model_review(result: ScanResult, *, root: Path, changes: ChangeSet, config: RepoConfig) -> None:
    from bot.jobs.model import scan_with_model

    status = _stderr_console().status("model review…") if sys.stderr.isatty() else None
    if status is not None:
        status.start()
    try:
        found, notes, tokens_in, tokens_out = scan_with_model(
            _settings(), root=root, changes=changes, findings=result.findings,
            skipped_paths={s.path for s in result.skipped}, config=config,
        )
    finally:
        if status is not None:
            status.stop()
    result.findings = sorted([*result.findings, *found], key=lambda f: f.sort_key())
    for note in notes:
        click.echo(f"resbot: {note}", err=True)
    click.echo(f"resbot: model tokens: {tokens_in:,} in, {tokens_out:,} out", err=True)


def write_baseline_to(path: Path, result: ScanResult) -> None:
    write_baseline(path, result.findings)
    click.echo(f"resbot: wrote baseline of {len(result.findings)} findings to {path}", err=True)


def _root_for(target: Path, since: str | None) -> Path:
    if since:
        return git_toplevel(target)
    return target if target.is_dir() else target.parent


def _changes(
    root: Path, target: Path, diff_file: str | None, since: str | None, config: RepoConfig
) -> tuple[ChangeSet, list[Any]]:
    if since:
        return changed_since(root, since, config)
    if diff_file:
        if diff_file == "-":
            text = sys.stdin.read()
        else:
            try:
                text = Path(diff_file).read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise SourceError(f"{diff_file}: cannot read diff: {exc.strerror or exc}") from exc
        return changeset_from_diff(text, config)
    return walk_tree(root, config, target=target)


def _union(root: Path, targets: list[Path], config: RepoConfig) -> tuple[ChangeSet, list[Any]]:
    files: dict[str, Any] = {}
    skipped: list[Any] = []
    for target in targets:
        if root not in (target, *target.parents):
            raise UsageError(f"{target}: outside the current directory {root}")
        changes, skip = walk_tree(root, config, target=target)
        files.update((f.path, f) for f in changes.files)
        skipped.extend(skip)
    return ChangeSet(tuple(files.values()), mode="tree"), skipped


def _exit_code(result: ScanResult, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    floor = Severity.parse(fail_on)
    return 1 if any(f.severity >= floor for f in result.findings) else 0


@cli.group()
def rules() -> None:
    """List, show and test the rule pack."""


def _filtered(rules_dir: Path | None, rule: str | None, language: str | None) -> RuleSet:
    rs = load_rules(rules_dir)
    chosen = [r for r in rs.rules if (rule is None or r.id == rule) and (language is None or r.language == language)]
    if rule and not chosen:
        raise UsageError(f"no rule {rule!r}" + (f" for {language}" if language else "") + " (see `resbot rules list`)")
    return RuleSet(rs.root, chosen)


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@_rules_option
@_guard
def rules_list(fmt: str, rules_dir: Path | None) -> None:
    """Every rule id with its severity, category and languages."""
    click.echo(render_docs.rules_list(load_rules(rules_dir), fmt=fmt))


@rules.command("show")
@click.argument("rule_id")
@_rules_option
@_guard
def rules_show(rule_id: str, rules_dir: Path | None) -> None:
    """What a rule flags, why, an example, the fix and references."""
    rs = _filtered(rules_dir, rule_id, None)
    click.echo(render_docs.rule_page(rs.by_id(rule_id)))


@rules.command("test")
@click.option("--rule", "rule_id", help="Only this rule id.")
@click.option("--language", type=click.Choice(LANGUAGES))
@click.option("--verbose", "-v", is_flag=True, help="List every fixture, not only failures.")
@_rules_option
@_guard
def rules_test(rule_id: str | None, language: str | None, verbose: bool, rules_dir: Path | None) -> None:
    """Check every fixture: each `ruleid:` line flagged, each `ok:` line not."""
    results = check_rules(_filtered(rules_dir, rule_id, language))
    failed = [r for r in results if not r.ok]
    for r in results:
        if verbose or not r.ok:
            status = "ok  " if r.ok else "FAIL"
            click.echo(
                f"{status} {r.rule.language:<10} {r.rule.id:<40} flagged {len(r.expected):>2}  quiet {len(r.quiet):>2}"
            )
        for problem in r.problems:
            click.echo(f"     {problem}")
    pairs = len(results)
    click.echo(f"{pairs - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


@rules.command("docs")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False))
@_rules_option
@_guard
def rules_docs(output: Path | None, rules_dir: Path | None) -> None:
    """Write the reference of all rules, by category, as Markdown."""
    text = render_docs.rules_markdown(load_rules(rules_dir)).rstrip("\n") + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# --- the GitHub App: service, workers, one-off reviews, the job queue ------------------------------------------


def _settings(**overrides: Any) -> Any:
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc


def _logging(level: str) -> None:
    import logging

    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--workers", type=click.IntRange(0, 64), default=None, help="In-process worker threads (RESBOT_WORKERS).")
@click.option("--log-level", default="info", show_default=True, type=click.Choice(("debug", "info", "warning", "error")))
@_guard
def serve(host: str, port: int, workers: int | None, log_level: str) -> None:
    """Run the webhook service (POST /webhooks/github) with in-process workers."""
    import uvicorn

    from bot.web.app import create_app

    _logging(log_level)
    app = create_app(_settings(workers=workers))
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False, timeout_graceful_shutdown=30)


@cli.command()
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="Worker threads (default RESBOT_WORKERS).")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit.")
@click.option("--log-level", default="info", show_default=True, type=click.Choice(("debug", "info", "warning", "error")))
@_guard
def worker(threads: int | None, once: bool, log_level: str) -> None:
    """Run queue workers without the web service (for more workers on the same queue)."""
    import signal
    import threading

    from bot.jobs.runtime import build_runtime
    from bot.jobs.worker import WorkerPool

    _logging(log_level)
    settings = _settings()
    runtime = build_runtime(settings)
    pool = WorkerPool(runtime, threads=threads or max(1, settings.workers))
    if once:
        ran = pool.drain()
        click.echo(f"ran {ran} job(s)")
        runtime.queue.close()
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    pool.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        pool.stop()
        runtime.queue.close()


@cli.command()
@click.argument("target", metavar="OWNER/REPO#N")
@click.option("--dry-run", is_flag=True, help="Print the review instead of posting it.")
@click.option("--format", "fmt", type=click.Choice(("markdown", "json")), default="markdown", show_default=True)
@_guard
def review(target: str, dry_run: bool, fmt: str) -> None:
    """Review one pull request now (GITHUB_TOKEN, or the App's installation), as the service would."""
    import json as jsonlib
    import re

    from bot.github.client import GitHubClients
    from bot.jobs.review import Analyzer, ReviewRunner

    m = re.fullmatch(r"([\w.-]+/[\w.-]+)#(\d+)", target.strip())
    if m is None:
        raise UsageError(f"{target!r}: expected OWNER/REPO#NUMBER, e.g. octo-org/service#42")
    settings = _settings()
    clients = GitHubClients(settings)
    installation = None
    if settings.github_token is None and clients.is_app:
        installation = clients.installation_for_repo(m.group(1))
    from bot.jobs.runtime import model_services

    reviewer, _asker = model_services(settings)
    runner = ReviewRunner(settings, clients, Analyzer(settings.rules_dir), reviewer=reviewer)
    outcome = runner.run(m.group(1), int(m.group(2)), installation=installation, dry_run=dry_run)
    if fmt == "json":
        click.echo(jsonlib.dumps({
            "status": outcome.status,
            "head_sha": outcome.head_sha,
            "findings": len(outcome.findings),
            "new_comments": [{"path": c.path, "line": c.line, "start_line": c.start_line, "body": c.body} for c in outcome.new_comments],
            "summary": outcome.summary,
            "conclusion": outcome.conclusion,
            "skipped": [{"path": s.path, "reason": s.reason} for s in outcome.skipped],
        }, indent=2))
    else:
        click.echo(f"# {target} at {outcome.head_sha[:7]}: {outcome.status}\n")
        click.echo(f"Check run conclusion: {outcome.conclusion}\n")
        for c in outcome.new_comments:
            where = f"{c.path}:{c.start_line}-{c.line}" if c.start_line else f"{c.path}:{c.line}"
            click.echo(f"## {where}\n\n{c.body}\n")
        click.echo(outcome.summary)
    sys.exit(0)


@cli.group()
def jobs() -> None:
    """Inspect the job queue and retry dead letters."""


@jobs.command("list")
@click.option("--status", type=click.Choice(("queued", "running", "done", "dead", "superseded")), default=None)
@_guard
def jobs_list(status: str | None) -> None:
    """Jobs in the queue (dead letters with their reason)."""
    from bot.jobs.queue import open_queue

    settings = _settings()
    queue = open_queue(settings.queue_url, settings.data_dir)
    try:
        for row in queue.jobs(status=status):
            reason = f"  {row['last_error']}" if row["status"] in ("dead", "queued") and row["last_error"] else ""
            click.echo(f"{row['id']:>6} {row['status']:<10} {row['kind']:<8} {row['key']:<40} attempts={row['attempts']}{reason}")
        click.echo(" ".join(f"{k}={v}" for k, v in queue.depth().items()))
    finally:
        queue.close()


@jobs.command("retry")
@click.argument("job_id", type=int, required=False)
@_guard
def jobs_retry(job_id: int | None) -> None:
    """Put dead-lettered jobs (all, or one) back in the queue."""
    from bot.jobs.queue import open_queue

    settings = _settings()
    queue = open_queue(settings.queue_url, settings.data_dir)
    try:
        click.echo(f"re-queued {queue.retry_dead(job_id)} job(s)")
    finally:
        queue.close()


def main() -> None:
    cli(prog_name="resbot")
