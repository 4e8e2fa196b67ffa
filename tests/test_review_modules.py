"""A PR review follows the changed JS/TS files' relative imports into the head's modules (`module-has`).

The review lists the head tree once (shared with the package.json look-up), fetches only the modules the
changed files import, and hands them to the rules; a failing fetch leaves what they declare unknown, and the
review goes on. Everything runs through PyGithub against the GitHub simulator on loopback.
"""

from __future__ import annotations

import logging

import pytest
from conftest import failing_fast_review_runner
from support.github_sim import SimFile, git_blob_sha

from bot.jobs.review import Analyzer, ReviewOutcome

REPO = "octo-org/api"
HEAD = "b" * 40
BASE = "0" * 40
CONFIG = "min-confidence: low\n"  # floating-promise is an opt-in rule
CALLER_PATH = "src/routes/share.ts"
CALLER = """\
import { rebuild, format } from '../jobs';
import * as audit from '../audit/index.js';

export async function onShare(id: string): Promise<void> {
  rebuild(id);
  audit.record(id);
  format(id);
}
"""
JOBS = """\
export async function rebuild(id: string): Promise<void> { await fetch(`/r/${id}`, { signal: AbortSignal.timeout(1000) }); }
export function format(id: string): string { return id; }
"""
AUDIT = "export const record = async (id: string): Promise<void> => { console.log(id); };\n"
UNRELATED = "export async function other(): Promise<void> {}\n"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture
def review(github_sim, analyzer, tmp_path):
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    runner = failing_fast_review_runner(github_sim, analyzer, tmp_path)

    def run(files: list[SimFile]) -> ReviewOutcome:
        base = {".resbot.yml": CONFIG, "src/jobs.ts": JOBS, "src/audit/index.ts": AUDIT, "src/other.ts": UNRELATED}
        for path, text in base.items():
            github_sim.set_file(REPO, BASE, path, text)
        github_sim.add_pull(repo=REPO, number=9, head_sha=HEAD, base_sha=BASE, files=files)
        return runner.run(REPO, 9, installation=42, dry_run=True)

    return run


def floating(outcome: ReviewOutcome) -> list[int]:
    return sorted(f.line for f in outcome.findings if f.rule_id == "floating-promise")


def test_the_imported_modules_are_fetched_and_their_async_functions_known(review, github_sim):
    outcome = review([SimFile(CALLER_PATH, CALLER)])

    assert floating(outcome) == [5, 6], "rebuild() and audit.record() are async there; format() is not"
    fetched = sorted(c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/"))
    assert fetched == sorted(git_blob_sha(t.encode()) for t in (CALLER, JOBS, AUDIT)), "only what is imported"
    assert len(github_sim.calls("GET", r"/git/trees/")) == 1, "one listing serves the manifests and the modules"


def test_a_changed_module_is_read_as_the_head_has_it(review, github_sim):
    sync_jobs = JOBS.replace("export async function rebuild", "export function rebuild")
    outcome = review([SimFile(CALLER_PATH, CALLER), SimFile("src/jobs.ts", sync_jobs, old_content=JOBS)])

    assert floating(outcome) == [6], "the head's rebuild() is no longer async"


@pytest.mark.parametrize("trouble", ["tree call fails", "module fetch fails"])
def test_when_the_modules_cannot_be_read_the_review_goes_on_without_them(review, github_sim, trouble, caplog):
    if trouble == "tree call fails":
        github_sim.inject(method="GET", path=r"/git/trees/", status=404, times=None)
    else:
        github_sim.inject(method="GET", path=rf"/git/blobs/{git_blob_sha(JOBS.encode())}$", status=404, times=None)
    caplog.set_level(logging.DEBUG, logger="bot.jobs.review")

    outcome = review([SimFile(CALLER_PATH, CALLER)])

    assert outcome.status == "dry-run"
    assert floating(outcome) == [], "nothing is guessed about modules that could not be read"
    assert "imported modules of" in caplog.text and "stay unknown" in caplog.text
    assert len(github_sim.calls("GET", r"/git/trees/")) == 1, "a failed listing is not asked for again"


ALIASED_PATH = "src/routes/alias.ts"
ALIASED = """\
import { rebuild } from '@app/jobs';
import { record } from '~audit';
import { chunk } from 'lodash';

export async function onAlias(id: string): Promise<void> {
  rebuild(id);
  record(id);
  chunk([id], 1);
}
"""
TSCONFIG = '{\n  // the app config\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": {"strict": true,},\n}\n'
TSCONFIG_BASE = '{"compilerOptions": {"baseUrl": ".", "paths": {"@app/*": ["src/*"], "~audit": ["src/audit/index.ts"]}}}'


def test_path_aliases_resolve_through_the_tsconfig_and_what_it_extends(review, github_sim):
    for path, text in {"tsconfig.json": TSCONFIG, "tsconfig.base.json": TSCONFIG_BASE}.items():
        github_sim.set_file(REPO, BASE, path, text)
    outcome = review([SimFile(ALIASED_PATH, ALIASED)])

    assert floating(outcome) == [6, 7], "@app/jobs and ~audit name project modules; lodash is a package"
    fetched = sorted(c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/"))
    wanted = (ALIASED, TSCONFIG, TSCONFIG_BASE, JOBS, AUDIT)
    assert fetched == sorted(git_blob_sha(t.encode()) for t in wanted), "the configs, then only what is imported"
