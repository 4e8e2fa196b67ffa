"""A PR review tells browser packages from server ones by the head's package.json files, read from GitHub.

The review lists the head tree once, fetches only the package.json (Nx project.json, page index.html) files above the
changed JS/TS files, and hands them to the rules (`package-is`); a truncated or failing listing leaves the
fact unknown, as before.
Everything runs through PyGithub against the GitHub simulator on loopback.
"""

from __future__ import annotations

import json
import logging

import pytest
from conftest import failing_fast_review_runner
from support.github_sim import SimFile, git_blob_sha

from bot.jobs.review import Analyzer, ReviewOutcome

REPO = "octo-org/web"
HEAD = "a" * 40
BASE = "0" * 40
RULE = "http-call-without-timeout"  # skips browser packages through `frontend-package` (`package-is: browser`)
# An HTTP call with nothing browser-like in its text, in folders whose names give nothing away either.
FETCHER_PATH = "packages/shared/src/api/projects.js"
FETCHER = 'import axios from "axios";\nexport const getProjects = (path) => axios.get(path).then((res) => res.data);\n'
BROWSER = {"react": "^18.2.0", "react-dom": "^18.2.0"}
SERVER = {"express": "^4.18.0"}


def manifest(dependencies: dict[str, str]) -> str:
    return json.dumps({"name": "shared", "version": "1.0.0", "dependencies": dependencies})


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture
def review(github_sim, analyzer, tmp_path):
    """Open PR #7 changing `files` on top of the base `base` files; run a dry review; return its outcome."""
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    runner = failing_fast_review_runner(github_sim, analyzer, tmp_path)

    def run(files: list[SimFile], *, base: dict[str, str] | None = None) -> ReviewOutcome:
        for path, text in (base or {}).items():
            github_sim.set_file(REPO, BASE, path, text)
        github_sim.add_pull(repo=REPO, number=7, head_sha=HEAD, base_sha=BASE, files=files)
        return runner.run(REPO, 7, installation=42, dry_run=True)

    return run


def flagged(outcome: ReviewOutcome) -> list[str]:
    return [f.path for f in outcome.findings if f.rule_id == RULE]


def test_a_change_inside_a_browser_package_is_not_flagged_by_rules_that_skip_browser_packages(review, github_sim):
    outcome = review([SimFile(FETCHER_PATH, FETCHER)], base={"packages/shared/package.json": manifest(BROWSER)})

    assert outcome.status == "dry-run"
    assert flagged(outcome) == []
    assert len(github_sim.calls("GET", r"/git/trees/")) == 1, "the head tree is listed once"
    manifest_sha = git_blob_sha(manifest(BROWSER).encode())
    assert [c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/")] == [git_blob_sha(FETCHER.encode()), manifest_sha]


def test_the_same_change_inside_a_server_package_is_flagged(review):
    outcome = review([SimFile(FETCHER_PATH, FETCHER)], base={"packages/shared/package.json": manifest(SERVER)})

    assert flagged(outcome) == [FETCHER_PATH]


def test_the_heads_nearest_package_json_decides_and_unrelated_ones_are_not_fetched(review, github_sim):
    """The PR itself turns the package into a browser one; the root's manifest is fetched (it could have
    decided) but is not the nearest; a sibling package's manifest is never downloaded."""
    root = json.dumps({"name": "monorepo", "private": True, "dependencies": SERVER})
    sibling = json.dumps({"name": "api", "dependencies": SERVER})
    base = {"package.json": root, "packages/shared/package.json": manifest(SERVER), "packages/api/package.json": sibling}
    changed = [SimFile(FETCHER_PATH, FETCHER), SimFile("packages/shared/package.json", manifest(BROWSER), old_content=manifest(SERVER))]
    outcome = review(changed, base=base)

    assert flagged(outcome) == []
    fetched = sorted(c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/"))
    assert fetched == sorted(git_blob_sha(text.encode()) for text in (FETCHER, manifest(BROWSER), root))


def test_an_nx_web_apps_project_json_is_fetched_and_makes_it_browser_code(review, github_sim):
    """An Nx workspace keeps every project's dependencies in the root package.json (servers and UI alike);
    the web app's project.json, whose build serves an HTML page, decides."""
    root = json.dumps({"name": "workspace", "private": True, "dependencies": {**SERVER, **BROWSER}})
    project = json.dumps({
        "name": "shared",
        "projectType": "application",
        "targets": {"build": {"executor": "@nx/webpack:webpack", "options": {"index": "packages/shared/public/index.html"}}},
    })
    outcome = review([SimFile(FETCHER_PATH, FETCHER)], base={"package.json": root, "packages/shared/project.json": project})

    assert flagged(outcome) == []
    fetched = sorted(c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/"))
    assert fetched == sorted(git_blob_sha(text.encode()) for text in (FETCHER, root, project))


def test_a_vite_pages_index_html_is_fetched_and_makes_the_folder_it_loads_browser_code(review, github_sim):
    """One package.json for a Vite front end and the Express server beside it; the page at the package root
    loads its module from `src/`, so `src/` is browser code and `server/` stays a server."""
    root = json.dumps({"name": "app", "dependencies": {**SERVER, **BROWSER}})
    page = '<!doctype html>\n<div id="root"></div>\n<script type="module" src="/src/main.tsx"></script>\n'
    server_path = "server/src/api/projects.js"
    outcome = review(
        [SimFile("src/api/projects.js", FETCHER), SimFile(server_path, FETCHER)],
        base={"package.json": root, "index.html": page},
    )

    assert flagged(outcome) == [server_path]
    fetched = sorted(c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/"))
    # the two changed files (one text), the manifest and the page; no other file is downloaded
    assert fetched == sorted(git_blob_sha(text.encode()) for text in (FETCHER, FETCHER, root, page))


@pytest.mark.parametrize(
    "trouble",
    ["tree truncated", "tree call fails", "manifest fetch fails"],
)
def test_when_the_manifests_cannot_be_read_the_review_goes_on_as_without_them(review, github_sim, trouble, caplog):
    if trouble == "tree truncated":
        github_sim.max_tree_entries = 1
    elif trouble == "tree call fails":
        github_sim.inject(method="GET", path=r"/git/trees/", status=404, times=None)
    else:
        manifest_sha = git_blob_sha(manifest(BROWSER).encode())
        github_sim.inject(method="GET", path=rf"/git/blobs/{manifest_sha}$", status=404, times=None)
    caplog.set_level(logging.DEBUG, logger="bot.jobs.review")

    outcome = review([SimFile(FETCHER_PATH, FETCHER)], base={"packages/shared/package.json": manifest(BROWSER)})

    assert outcome.status == "dry-run"
    assert flagged(outcome) == [FETCHER_PATH], "the package kind is unknown, so the rule speaks as it did before"
    assert "package kinds stay unknown" in caplog.text
    assert len(github_sim.calls("GET", r"/git/trees/")) == 1


def test_a_pull_request_without_js_or_ts_files_lists_no_tree(review, github_sim):
    outcome = review(
        [SimFile("svc/client.py", "import requests\n\n\ndef get(url):\n    return requests.get(url)\n")],
        base={"package.json": manifest(BROWSER)},
    )

    assert [f.rule_id for f in outcome.findings] == [RULE]
    assert github_sim.calls("GET", r"/git/trees/") == []


def test_an_oversized_package_json_is_unknown_and_not_downloaded(review, github_sim):
    huge = json.dumps({"name": "shared", "dependencies": BROWSER, "description": "x" * 1_000_001})
    outcome = review([SimFile(FETCHER_PATH, FETCHER)], base={"packages/shared/package.json": huge, "package.json": manifest(BROWSER)})

    assert flagged(outcome) == [FETCHER_PATH], "unknown, not the root package's kind"
    assert git_blob_sha(huge.encode()) not in {c.path.rsplit("/", 1)[1] for c in github_sim.calls("GET", r"/git/blobs/")}

