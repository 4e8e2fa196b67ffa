"""GitHub REST simulator: a real HTTP server on loopback that PyGithub talks to, checked against GitHub's OpenAPI.

Every request is matched against GitHub's OpenAPI description (npm `@octokit/openapi`): an unknown route is
answered 404, a query or JSON body that breaks the operation's schema 422, and both are recorded in
`sim.violations` (the `github_sim` fixture asserts it is empty at teardown). A route the description knows
but the simulator does not serve is answered 501 and recorded in `sim.unimplemented`.

Setting up::

    sim = GitHubSim()                                   # or the `github_sim` pytest fixture
    sim.url, sim.app_id, sim.app_slug, sim.private_key_pem, sim.bot_login   # "resbot[bot]"
    sim.add_repo("octo-org/svc", default_branch="main", installation_id=42)
    sim.add_pull(repo="octo-org/svc", number=7, head_sha="a" * 40, base_sha="b" * 40,
                 files=[SimFile("app.py", "new text\\n", old_content="old text\\n"),
                        SimFile("gone.py", None, old_content="x\\n"),
                        SimFile("big.py", "...", huge=True)])
    sim.set_file("octo-org/svc", "main", ".resbot.yml", "min-severity: high\\n")   # ref: sha or branch
    sim.update_pull_head("octo-org/svc", 7, head_sha="c" * 40, files=[...])     # a new push
    sim.set_permission("octo-org/svc", "dev", "write")                           # default "read"
    sim.add_token("ghp_example", login="dev")                                    # a personal token
    sim.expire_tokens()                                                          # installation tokens now 401

Faults (first matching rule wins; `times=None` never runs out)::

    sim.inject(method="POST", path=r"/repos/.*/pulls/\\d+/reviews$", status=502, times=1,
               headers={"Retry-After": "1"}, body=None, delay=0.0, after_store=False)
    sim.inject(path=r"/files$", status=None, delay=2.0)          # slow but normal answer
    sim.inject_secondary_rate_limit(method="POST", path=r"/comments$", retry_after=1)
    sim.inject_rate_limit_exhausted(reset_in=1)

`after_store=True` serves the request (state changes stay) and then answers with the fault status.

Inspecting::

    sim.requests                      # [SimRequest(method, path, query, json, status, headers, operation, auth, login, fault)]
    sim.calls(method="POST", path_regex=r"/reviews$")
    sim.reviews(repo, number); sim.review_comments(repo, number); sim.issue_comments(repo, number)
    sim.check_runs(repo)              # each with "annotations" accumulated across PATCHes
    sim.comment(comment_id); sim.tokens_issued; sim.violations; sim.unimplemented

Git trees (`GET /git/trees/{sha}?recursive=1`) list the files stored at a ref, its ancestors' included; set
`sim.max_tree_entries` lower than GitHub's 100,000 to get a `truncated` listing.

Clients (the simulator's own App key; `seconds_between_*` off so tests stay fast)::

    gh = sim.client(installation_id=42)          # PyGithub `Github` with installation auth
    gh = sim.client(token="ghp_example")         # personal token
    gi = sim.integration()                        # PyGithub `GithubIntegration` (JWT)
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import hashlib
import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from . import openapi
from .diffs import Anchors, anchors, count_changes, make_patch

DOCS = "https://docs.github.com/rest"
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)
LEGACY_PERMISSION = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "none": "none"}
REVIEW_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}
MAX_PR_FILES = 3000
MAX_ANNOTATIONS = 50
MAX_TREE_ENTRIES = 100_000  # GitHub truncates a recursive tree listing beyond this
RATE_LIMIT = 5000
RECORDED_HEADERS = ("User-Agent", "Accept", "Content-Type", "X-GitHub-Api-Version", "If-None-Match")


@dataclass
class SimFile:
    """One file of a pull request: new `content` (None when deleted) and `old_content` at the base.

    `status` defaults from the contents (added / removed / renamed / modified); `patch` overrides the computed
    one; `huge=True` drops the patch as GitHub does for very large diffs; bytes that are not UTF-8 are binary.
    """

    path: str
    content: str | bytes | None = ""
    old_content: str | bytes | None = None
    status: str | None = None
    previous_filename: str | None = None
    huge: bool = False
    patch: str | None = None


@dataclass
class SimRequest:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    operation: str = ""
    auth: str | None = None
    login: str | None = None
    fault: bool = False


@dataclass
class Fault:
    method: str | None
    path: re.Pattern[str]
    status: int | None
    times: int | None
    headers: dict[str, str]
    body: Any
    delay: float
    after_store: bool
    hits: int = 0


@dataclass
class _Caller:
    kind: str  # "app" (JWT), "installation" or "user"
    login: str
    type: str
    installation_id: int | None = None


@dataclass
class _Token:
    value: str
    kind: str
    login: str
    installation_id: int | None = None
    expires_at: float | None = None


@dataclass
class _PullFile:
    path: str
    status: str
    sha: str
    additions: int
    deletions: int
    patch: str | None
    previous_filename: str | None
    anchors: Anchors


@dataclass
class _Pull:
    number: int
    id: int
    title: str
    body: str
    author: str
    draft: bool
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    created_at: str
    issue_id: int = 0
    state: str = "open"
    versions: dict[str, list[_PullFile]] = field(default_factory=dict)

    @property
    def files(self) -> list[_PullFile]:
        return self.versions[self.head_sha]


@dataclass
class _Repo:
    full_name: str
    id: int
    default_branch: str
    installation_id: int | None
    owner_type: str
    private: bool
    branches: dict[str, str] = field(default_factory=dict)
    trees: dict[str, dict[str, bytes | None]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    pulls: dict[int, _Pull] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def owner(self) -> str:
        return self.full_name.split("/")[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/")[1]


class _Fail(Exception):
    """An error answer: status, message and optional `errors` list, as GitHub shapes them."""

    def __init__(self, status: int, message: str, errors: list[Any] | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}


Reply = tuple[int, Any, dict[str, str]]


@dataclass
class _Call:
    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    body: Any
    params: dict[str, str]
    caller: _Caller | None = None


def git_blob_sha(data: bytes) -> str:
    """The sha1 git gives a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@functools.cache
def _app_key() -> tuple[str, Any]:
    # one RSA key per process: generating it costs ~50 ms and every simulator may share it
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return pem.decode(), key.public_key()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _b64(data: bytes) -> str:
    # GitHub wraps base64 content at 60 characters, newline-terminated
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode() if isinstance(content, str) else content


def _as_text(content: str | bytes | None) -> str | None:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    try:
        return content.decode()
    except UnicodeDecodeError:
        return None


class GitHubSim:
    """The simulator: starts serving on construction; `close()` stops it."""

    def __init__(self, *, app_id: int = 424242, app_slug: str = "resbot", app_owner: str = "octo-org") -> None:
        self.spec = openapi.spec()
        self.app_id = app_id
        self.app_slug = app_slug
        self.app_owner = app_owner
        self.private_key_pem, self._public_key = _app_key()
        self.violations: list[str] = []
        self.unimplemented: list[str] = []
        self.errors: list[str] = []
        self.requests: list[SimRequest] = []
        self.tokens_issued = 0
        self.max_tree_entries = MAX_TREE_ENTRIES
        self._lock = threading.RLock()
        self._ids = itertools.count(1_000_001)
        self._user_ids: dict[str, int] = {}
        self._repos: dict[str, _Repo] = {}
        self._tokens: dict[str, _Token] = {}
        self._faults: list[Fault] = []
        self._reviews: dict[int, dict[str, Any]] = {}
        self._review_comments: dict[int, dict[str, Any]] = {}
        self._issue_comments: dict[int, dict[str, Any]] = {}
        self._check_runs: dict[int, dict[str, Any]] = {}
        self._annotations: dict[int, list[dict[str, Any]]] = {}
        self._reactions: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._owners: dict[int, tuple[str, int]] = {}  # object id -> (repo, pull/issue number)
        self._used = 0
        self._reset_at = int(time.time()) + 3600
        self._routes = self._route_table()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sim = self
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> GitHubSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def bot_login(self) -> str:
        return f"{self.app_slug}[bot]"

    # ---------------------------------------------------------------- test-facing setup

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        installation_id: int | None = 42,
        owner_type: str = "Organization",
        private: bool = True,
    ) -> dict[str, Any]:
        with self._lock:
            repo = _Repo(full_name, next(self._ids), default_branch, installation_id, owner_type, private)
            self._repos[full_name.lower()] = repo
            repo.permissions[repo.owner] = "admin"
            return self._repo_json(repo)

    def add_pull(
        self,
        *,
        repo: str,
        number: int,
        head_sha: str,
        base_sha: str,
        base_ref: str = "main",
        head_ref: str = "feature",
        draft: bool = False,
        author: str = "dev",
        title: str = "A change",
        body: str = "",
        files: list[SimFile] | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            r = self._repo(repo)
            if number in r.pulls or number in r.issues:
                raise ValueError(f"{repo}#{number} exists")
            pull = _Pull(number, next(self._ids), title, body, author, draft, head_ref, head_sha, base_ref, base_sha, _now(), next(self._ids))
            r.pulls[number] = pull
            r.branches.setdefault(base_ref, base_sha)
            r.branches[head_ref] = head_sha
            self._push(r, pull, head_sha, files or [])
            return self._pull_json(r, pull)

    def update_pull_head(self, repo: str, number: int, *, head_sha: str, files: list[SimFile]) -> dict[str, Any]:
        """A new push: the pull's head moves to `head_sha` and its files become `files` (relative to the base)."""
        with self._lock:
            r = self._repo(repo)
            pull = r.pulls[number]
            pull.head_sha = head_sha
            r.branches[pull.head_ref] = head_sha
            self._push(r, pull, head_sha, files)
            return self._pull_json(r, pull)

    def add_issue(self, *, repo: str, number: int, title: str = "An issue", author: str = "dev", body: str = "") -> None:
        with self._lock:
            r = self._repo(repo)
            if number in r.pulls or number in r.issues:
                raise ValueError(f"{repo}#{number} exists")
            r.issues[number] = {"id": next(self._ids), "title": title, "author": author, "body": body, "created_at": _now()}

    def set_file(self, repo: str, ref: str, path: str, content: str | bytes | None) -> str | None:
        """Store `content` at `path` on `ref` (a sha or a branch name); None deletes. Returns the blob sha."""
        with self._lock:
            return self._store(self._repo(repo), ref, path, content)

    def set_branch(self, repo: str, branch: str, sha: str) -> None:
        with self._lock:
            self._repo(repo).branches[branch] = sha

    def set_permission(self, repo: str, login: str, permission: str) -> None:
        if permission not in LEGACY_PERMISSION:
            raise ValueError(f"unknown permission {permission!r}")
        with self._lock:
            self._repo(repo).permissions[login] = permission

    def add_token(self, token: str, *, login: str) -> None:
        """A personal access token (for CLI use with `GITHUB_TOKEN`) acting as `login`."""
        with self._lock:
            self._tokens[token] = _Token(token, "user", login)

    def expire_tokens(self) -> None:
        """Every installation token issued so far is now expired (answers 401)."""
        with self._lock:
            for token in self._tokens.values():
                if token.kind == "installation":
                    token.expires_at = time.time() - 1

    def inject(
        self,
        *,
        method: str | None = None,
        path: str = ".*",
        status: int | None = 502,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: Any = None,
        delay: float = 0.0,
        after_store: bool = False,
    ) -> Fault:
        """Answer matching requests (method, `re.search` on the decoded path) with `status` after `delay` s.

        `status=None` only delays. `body=None` gives GitHub's usual body for the status.
        """
        fault = Fault(method.upper() if method else None, re.compile(path), status, times, dict(headers or {}), body, delay, after_store)
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject_secondary_rate_limit(self, *, method: str | None = None, path: str = ".*", retry_after: int = 1, times: int | None = 1, status: int = 403) -> Fault:
        return self.inject(method=method, path=path, status=status, times=times, headers={"Retry-After": str(retry_after)})

    def inject_rate_limit_exhausted(self, *, method: str | None = None, path: str = ".*", reset_in: int = 1, times: int | None = 1) -> Fault:
        reset = str(int(time.time()) + reset_in)
        body = {"message": "API rate limit exceeded for installation.", "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api", "status": "403"}
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
        return self.inject(method=method, path=path, status=403, times=times, headers=headers, body=body)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # ---------------------------------------------------------------- inspection

    def calls(self, method: str | None = None, path_regex: str | None = None) -> list[SimRequest]:
        pattern = re.compile(path_regex) if path_regex else None
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper()) and (pattern is None or pattern.search(r.path))
            ]

    def reviews(self, repo: str, number: int) -> list[dict[str, Any]]:
        return self._owned(self._reviews, repo, number)

    def review_comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        return self._owned(self._review_comments, repo, number)

    def issue_comments(self, repo: str, number: int) -> list[dict[str, Any]]:
        return self._owned(self._issue_comments, repo, number)

    def check_runs(self, repo: str) -> list[dict[str, Any]]:
        key = self._repo(repo).full_name
        with self._lock:
            return [
                {**copy.deepcopy(run), "annotations": copy.deepcopy(self._annotations[run_id])}
                for run_id, run in sorted(self._check_runs.items())
                if self._owners[run_id][0] == key
            ]

    def comment(self, comment_id: int) -> dict[str, Any] | None:
        with self._lock:
            found = self._issue_comments.get(comment_id) or self._review_comments.get(comment_id)
            return copy.deepcopy(found)

    def reactions(self, comment_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy([r for (_, subject), rs in self._reactions.items() if subject == comment_id for r in rs])

    def _owned(self, store: dict[int, dict[str, Any]], repo: str, number: int) -> list[dict[str, Any]]:
        key = (self._repo(repo).full_name, number)
        with self._lock:
            return [copy.deepcopy(v) for k, v in sorted(store.items()) if self._owners[k] == key]

    # ---------------------------------------------------------------- clients

    def integration(self) -> Any:
        from github import Auth, GithubIntegration

        return GithubIntegration(
            auth=Auth.AppAuth(self.app_id, self.private_key_pem), base_url=self.url, seconds_between_requests=None, seconds_between_writes=None
        )

    def client(self, *, installation_id: int = 42, token: str | None = None, retry: Any = None, per_page: int = 30) -> Any:
        """A PyGithub `Github` against the simulator: installation auth by default, or a personal `token`."""
        from github import Auth, Github

        auth: Any = Auth.Token(token) if token else Auth.AppAuth(self.app_id, self.private_key_pem).get_installation_auth(installation_id)
        return Github(auth=auth, base_url=self.url, retry=retry, per_page=per_page, seconds_between_requests=None, seconds_between_writes=None)

    def app_jwt(self, *, expires_in: int = 300, issuer: str | None = None) -> str:
        now = int(time.time())
        payload = {"iat": now - 60, "exp": now + expires_in, "iss": issuer or str(self.app_id)}
        return jwt.encode(payload, self.private_key_pem, algorithm="RS256")

    # ---------------------------------------------------------------- state helpers

    def _repo(self, full_name: str) -> _Repo:
        try:
            return self._repos[full_name.lower()]
        except KeyError:
            raise KeyError(f"no repository {full_name}; call add_repo first") from None

    def _store(self, repo: _Repo, ref: str, path: str, content: str | bytes | None) -> str | None:
        tree = repo.trees.setdefault(ref, {})
        if content is None:
            tree[path] = None
            return None
        data = _as_bytes(content)
        tree[path] = data
        sha = git_blob_sha(data)
        repo.blobs[sha] = data
        return sha

    def _refs(self, repo: _Repo, ref: str) -> list[str]:
        refs = [ref]
        if ref in repo.branches:
            refs.append(repo.branches[ref])
        refs += [name for name, sha in repo.branches.items() if sha == ref]
        return refs

    def _lookup(self, repo: _Repo, ref: str, path: str) -> bytes | None:
        for start in self._refs(repo, ref):
            key: str | None = start
            seen = set()
            while key is not None and key not in seen:
                seen.add(key)
                tree = repo.trees.get(key, {})
                if path in tree:
                    return tree[path]
                key = repo.parents.get(key)
        return None

    def _listing(self, repo: _Repo, ref: str, directory: str) -> dict[str, bytes] | None:
        prefix = directory.rstrip("/") + "/"
        found: dict[str, bytes | None] = {}
        for start in reversed(self._refs(repo, ref)):
            chain, key, seen = [], start, set()
            while key is not None and key not in seen:
                seen.add(key)
                chain.append(key)
                key = repo.parents.get(key)
            for key in reversed(chain):
                for path, data in repo.trees.get(key, {}).items():
                    if path.startswith(prefix):
                        found[path] = data
        live = {p: d for p, d in found.items() if d is not None}
        return live or None

    def _known_ref(self, repo: _Repo, ref: str) -> str | None:
        """The sha a ref names (a branch resolves to its head), or None when nothing is known about it."""
        if ref in repo.branches:
            return repo.branches[ref]
        shas = {p.head_sha for p in repo.pulls.values()} | {p.base_sha for p in repo.pulls.values()}
        shas |= {sha for p in repo.pulls.values() for sha in p.versions}
        if ref in repo.trees or ref in shas or ref in repo.branches.values():
            return ref
        return None

    def _push(self, repo: _Repo, pull: _Pull, head_sha: str, files: list[SimFile]) -> None:
        repo.parents[head_sha] = pull.base_sha
        entries = []
        for f in files:
            old_path = f.previous_filename or f.path
            old = f.old_content if f.old_content is not None else self._lookup(repo, pull.base_sha, old_path)
            if f.old_content is not None:
                self._store(repo, pull.base_sha, old_path, f.old_content)
            status = f.status or ("removed" if f.content is None else "renamed" if f.previous_filename else "added" if old is None else "modified")
            if f.content is None:
                self._store(repo, head_sha, f.path, None)
                sha = git_blob_sha(_as_bytes(old)) if old is not None else "0" * 40
            else:
                sha = self._store(repo, head_sha, f.path, f.content) or ""
            if f.previous_filename:
                self._store(repo, head_sha, f.previous_filename, None)
            patch = f.patch
            if patch is None:
                old_text, new_text = _as_text(old), _as_text(f.content)
                if old_text is not None and new_text is not None and old_text != new_text:
                    patch = make_patch(old_text, new_text)
            additions, deletions = count_changes(patch) if patch else (0, 0)
            shown = None if f.huge else patch
            entries.append(_PullFile(f.path, status, sha, additions, deletions, shown, f.previous_filename, anchors(shown)))
        pull.versions[head_sha] = entries

    # ---------------------------------------------------------------- JSON shapes

    def _user(self, login: str, kind: str | None = None) -> dict[str, Any]:
        if login not in self._user_ids:
            self._user_ids[login] = 5000 + len(self._user_ids)
        uid = self._user_ids[login]
        kind = kind or ("Bot" if login.endswith("[bot]") else "Organization" if any(r.owner == login and r.owner_type == "Organization" for r in self._repos.values()) else "User")
        return {
            "login": login,
            "id": uid,
            "node_id": _node("U", uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": f"{self.url}/users/{quote(login)}",
            "html_url": f"https://github.com/{quote(login)}",
            "type": kind,
            "site_admin": False,
        }

    def _caller_user(self, caller: _Caller | None) -> dict[str, Any]:
        if caller is None:
            return self._user("ghost")
        return self._user(caller.login, caller.type)

    def _app_json(self) -> dict[str, Any]:
        return {
            "id": self.app_id,
            "slug": self.app_slug,
            "node_id": _node("A", self.app_id),
            "client_id": f"Iv1.{self.app_id:016x}",
            "owner": self._user(self.app_owner, "Organization"),
            "name": self.app_slug,
            "description": "Reviews changes for missing resilience patterns",
            "external_url": "https://example.invalid/resbot",
            "html_url": f"https://github.com/apps/{self.app_slug}",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "permissions": {"checks": "write", "contents": "read", "issues": "write", "metadata": "read", "pull_requests": "write"},
            "events": ["issue_comment", "pull_request", "pull_request_review_comment"],
            "installations_count": len({r.installation_id for r in self._repos.values() if r.installation_id}),
        }

    def _installation_json(self, installation_id: int) -> dict[str, Any]:
        account = next((r.owner for r in self._repos.values() if r.installation_id == installation_id), self.app_owner)
        return {
            "id": installation_id,
            "account": self._user(account),
            "repository_selection": "selected",
            "access_tokens_url": f"{self.url}/app/installations/{installation_id}/access_tokens",
            "repositories_url": f"{self.url}/installation/repositories",
            "html_url": f"https://github.com/organizations/{account}/settings/installations/{installation_id}",
            "app_id": self.app_id,
            "app_slug": self.app_slug,
            "target_id": self._user(account)["id"],
            "target_type": "Organization",
            "permissions": self._app_json()["permissions"],
            "events": self._app_json()["events"],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "single_file_name": None,
            "suspended_at": None,
            "suspended_by": None,
        }

    def _repo_json(self, repo: _Repo) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        return {
            "id": repo.id,
            "node_id": _node("R", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self._user(repo.owner, repo.owner_type),
            "html_url": f"https://github.com/{repo.full_name}",
            "description": None,
            "fork": False,
            "url": api,
            "pulls_url": f"{api}/pulls{{/number}}",
            "issues_url": f"{api}/issues{{/number}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "git_url": f"git://github.com/{repo.full_name}.git",
            "clone_url": f"https://github.com/{repo.full_name}.git",
            "default_branch": repo.default_branch,
            "visibility": "private" if repo.private else "public",
            "archived": False,
            "disabled": False,
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "pushed_at": "2024-01-01T00:00:00Z",
        }

    def _pull_json(self, repo: _Repo, pull: _Pull) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        html = f"https://github.com/{repo.full_name}/pull/{pull.number}"
        files = pull.files
        repo_json = self._repo_json(repo)

        def part(ref: str, sha: str) -> dict[str, Any]:
            return {"label": f"{repo.owner}:{ref}", "ref": ref, "sha": sha, "user": self._user(repo.owner, repo.owner_type), "repo": repo_json}

        return {
            "url": f"{api}/pulls/{pull.number}",
            "id": pull.id,
            "node_id": _node("PR", pull.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{api}/issues/{pull.number}",
            "commits_url": f"{api}/pulls/{pull.number}/commits",
            "review_comments_url": f"{api}/pulls/{pull.number}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": f"{api}/issues/{pull.number}/comments",
            "statuses_url": f"{api}/statuses/{pull.head_sha}",
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "user": self._user(pull.author),
            "body": pull.body,
            "labels": [],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": pull.created_at,
            "updated_at": pull.created_at,
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": part(pull.head_ref, pull.head_sha),
            "base": part(pull.base_ref, pull.base_sha),
            "_links": {"self": {"href": f"{api}/pulls/{pull.number}"}, "html": {"href": html}},
            "author_association": "MEMBER",
            "auto_merge": None,
            "draft": pull.draft,
            "merged": False,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "clean",
            "merged_by": None,
            "comments": sum(1 for k in self._issue_comments if self._owners[k] == (repo.full_name, pull.number)),
            "review_comments": sum(1 for k in self._review_comments if self._owners[k] == (repo.full_name, pull.number)),
            "maintainer_can_modify": False,
            "commits": len(pull.versions),
            "additions": sum(f.additions for f in files),
            "deletions": sum(f.deletions for f in files),
            "changed_files": len(files),
        }

    def _issue_json(self, repo: _Repo, number: int) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        pull = repo.pulls.get(number)
        issue = repo.issues.get(number)
        if pull is None and issue is None:
            raise _Fail(404, "Not Found")
        html = f"https://github.com/{repo.full_name}/{'pull' if pull else 'issues'}/{number}"
        out = {
            "id": pull.issue_id if pull else issue["id"],  # type: ignore[index]
            "node_id": _node("I", number),
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "labels_url": f"{api}/issues/{number}/labels{{/name}}",
            "comments_url": f"{api}/issues/{number}/comments",
            "events_url": f"{api}/issues/{number}/events",
            "html_url": html,
            "number": number,
            "state": pull.state if pull else "open",
            "title": pull.title if pull else issue["title"],  # type: ignore[index]
            "body": pull.body if pull else issue["body"],  # type: ignore[index]
            "user": self._user(pull.author if pull else issue["author"]),  # type: ignore[index]
            "labels": [],
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": sum(1 for k in self._issue_comments if self._owners[k] == (repo.full_name, number)),
            "closed_at": None,
            "created_at": pull.created_at if pull else issue["created_at"],  # type: ignore[index]
            "updated_at": pull.created_at if pull else issue["created_at"],  # type: ignore[index]
            "author_association": "MEMBER",
        }
        if pull:
            out["pull_request"] = {
                "url": f"{api}/pulls/{number}",
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
            out["draft"] = pull.draft
        return out

    def _file_json(self, repo: _Repo, pull: _Pull, f: _PullFile) -> dict[str, Any]:
        path = quote(f.path)
        out: dict[str, Any] = {
            "sha": f.sha,
            "filename": f.path,
            "status": f.status,
            "additions": f.additions,
            "deletions": f.deletions,
            "changes": f.additions + f.deletions,
            "blob_url": f"https://github.com/{repo.full_name}/blob/{pull.head_sha}/{path}",
            "raw_url": f"https://github.com/{repo.full_name}/raw/{pull.head_sha}/{path}",
            "contents_url": f"{self.url}/repos/{repo.full_name}/contents/{path}?ref={pull.head_sha}",
        }
        if f.patch is not None:
            out["patch"] = f.patch
        if f.previous_filename:
            out["previous_filename"] = f.previous_filename
        return out

    def _content_json(self, repo: _Repo, ref: str, path: str, data: bytes, *, with_content: bool = True) -> dict[str, Any]:
        sha = git_blob_sha(data)
        api = f"{self.url}/repos/{repo.full_name}"
        out: dict[str, Any] = {
            "type": "file",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "url": f"{api}/contents/{quote(path)}?ref={quote(ref, safe='')}",
            "git_url": f"{api}/git/blobs/{sha}",
            "html_url": f"https://github.com/{repo.full_name}/blob/{ref}/{quote(path)}",
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{quote(path)}",
            "_links": {"self": f"{api}/contents/{quote(path)}?ref={quote(ref, safe='')}", "git": f"{api}/git/blobs/{sha}", "html": f"https://github.com/{repo.full_name}/blob/{ref}/{quote(path)}"},
        }
        if with_content:
            out["content"] = _b64(data)
            out["encoding"] = "base64"
        return out

    def _reactions_summary(self, kind: str, subject: int, url: str) -> dict[str, Any]:
        items = self._reactions.get((kind, subject), [])
        summary: dict[str, Any] = {"url": f"{url}/reactions", "total_count": len(items)}
        for content in ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"):
            summary[content] = sum(1 for r in items if r["content"] == content)
        return summary

    def _finish_comment(self, kind: str, comment: dict[str, Any]) -> dict[str, Any]:
        out = dict(comment)
        out["reactions"] = self._reactions_summary(kind, comment["id"], comment["url"])
        return out

    # ---------------------------------------------------------------- request handling

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        raw_path = split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length) if length else b""
        method = handler.command
        record = SimRequest(method, _decode_path(raw_path), query, None, headers={h: handler.headers[h] for h in RECORDED_HEADERS if h in handler.headers})
        try:
            status, body, headers, fault = self._serve(method, raw_path, query, raw_body, handler.headers.get("Authorization"), record)
        except Exception as exc:  # noqa: BLE001 - a simulator bug must reach the test as a 500 plus a recorded error, not a hung client
            with self._lock:
                self.errors.append(f"{method} {raw_path}: {exc!r}")
            status, body, headers, fault = 500, {"message": f"simulator error: {exc!r}"}, {}, None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        record.status = status
        with self._lock:
            self.requests.append(record)
            self._used += 1
            remaining = max(RATE_LIMIT - self._used, 0)
        out_headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(self._reset_at),
            "X-RateLimit-Used": str(RATE_LIMIT - remaining),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-GitHub-Request-Id": secrets.token_hex(8).upper(),
            **headers,
        }
        handler.reply(status, body, out_headers)

    def _serve(
        self, method: str, raw_path: str, query: dict[str, str], raw_body: bytes, authorization: str | None, record: SimRequest
    ) -> tuple[int, Any, dict[str, str], Fault | None]:
        match = self.spec.match(method, raw_path)
        if match is None:
            known = self.spec.knows_path(raw_path)
            self._violate(method, raw_path, "method not allowed for this route" if known else "no such route in the OpenAPI description")
            return 404, _error(404, "Not Found"), {}, None
        op = match.operation
        record.operation = op.operation_id
        problems = self.spec.check_path_params(match)
        if problems:
            self._violate(method, raw_path, "; ".join(problems))
            return 404, _error(404, "Not Found"), {}, None
        body: Any = None
        if raw_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                self._violate(method, raw_path, "body is not JSON")
                return 400, _error(400, "Problems parsing JSON"), {}, None
        record.json = body
        problems = self.spec.check_query(op, query) + self.spec.check_body(op, body, present=bool(raw_body))
        if problems:
            self._violate(method, raw_path, "; ".join(problems))
            return 422, _error(422, "Invalid request.\n\n" + "\n".join(problems)), {}, None

        fault = self._take_fault(method, record.path)
        if fault is not None and fault.status is not None and not fault.after_store:
            record.fault = True
            return fault.status, self._fault_body(fault), dict(fault.headers), fault

        route = self._routes.get((op.method, op.template))
        call = _Call(method, record.path, raw_path, query, body, match.params)
        try:
            call.caller = self._authenticate(authorization, app_route=op.template.startswith("/app") or op.template == "/repos/{owner}/{repo}/installation")
            record.auth, record.login = call.caller.kind, call.caller.login
            if route is None:
                with self._lock:
                    self.unimplemented.append(f"{method} {op.template}")
                raise _Fail(501, f"{method} {op.template} is not implemented by the simulator")
            with self._lock:
                status, payload, headers = route(call)
        except _Fail as fail:
            status, payload, headers = fail.status, _error(fail.status, fail.message, fail.errors), fail.headers
        if fault is not None and fault.status is not None:
            record.fault = True
            return fault.status, self._fault_body(fault), dict(fault.headers), fault
        return status, payload, headers, fault

    def _violate(self, method: str, raw_path: str, error: str) -> None:
        with self._lock:
            self.violations.append(f"{method} {_decode_path(raw_path)}: {error}")

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times is not None and fault.hits >= fault.times:
                    continue
                if (fault.method is None or fault.method == method) and fault.path.search(path):
                    fault.hits += 1
                    return fault
        return None

    def _fault_body(self, fault: Fault) -> Any:
        if fault.body is not None:
            return fault.body
        if fault.status in {403, 429}:
            return {
                "message": SECONDARY_RATE_LIMIT.format(request_id=secrets.token_hex(8).upper()),
                "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                "status": str(fault.status),
            }
        assert fault.status is not None
        return _error(fault.status, "Server Error" if fault.status >= 500 else "Error")

    def _authenticate(self, authorization: str | None, *, app_route: bool) -> _Caller:
        if not authorization:
            raise _Fail(401, "Requires authentication")
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if credential.count(".") == 2 and scheme.lower() == "bearer":
            caller = self._check_jwt(credential)
            if not app_route:
                raise _Fail(403, "Resource not accessible by integration")
            return caller
        if app_route:
            raise _Fail(401, "A JSON web token could not be decoded")
        with self._lock:
            token = self._tokens.get(credential)
        if token is None or scheme.lower() not in {"token", "bearer"}:
            raise _Fail(401, "Bad credentials")
        if token.expires_at is not None and token.expires_at < time.time():
            raise _Fail(401, "Bad credentials")
        if token.kind == "installation":
            return _Caller("installation", self.bot_login, "Bot", token.installation_id)
        return _Caller("user", token.login, "User")

    def _check_jwt(self, credential: str) -> _Caller:
        try:
            claims = jwt.decode(credential, self._public_key, algorithms=["RS256"], options={"require": ["exp", "iat", "iss"]}, leeway=0)
        except jwt.ExpiredSignatureError:
            raise _Fail(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires") from None
        except jwt.PyJWTError:
            raise _Fail(401, "A JSON web token could not be decoded") from None
        if str(claims["iss"]) != str(self.app_id):
            raise _Fail(401, "'Issuer' claim ('iss') must be an Integer")
        if int(claims["exp"]) - int(time.time()) > 600 + 60:
            raise _Fail(401, "'Expiration time' claim ('exp') is too far in the future")
        return _Caller("app", self.app_slug, "Bot")

    # ---------------------------------------------------------------- routes

    def _route_table(self) -> dict[tuple[str, str], Callable[[_Call], Reply]]:
        repo = "/repos/{owner}/{repo}"
        table = {
            ("GET", "/app"): self._get_app,
            ("GET", "/app/installations"): self._list_installations,
            ("GET", "/app/installations/{installation_id}"): self._get_installation,
            ("POST", "/app/installations/{installation_id}/access_tokens"): self._create_token,
            ("GET", f"{repo}/installation"): self._get_repo_installation,
            ("GET", "/installation/repositories"): self._installation_repos,
            ("GET", "/rate_limit"): self._rate_limit,
            ("GET", "/user"): self._get_authenticated_user,
            ("GET", "/users/{username}"): self._get_user,
            ("GET", repo): self._get_repo,
            ("GET", f"{repo}/pulls/{{pull_number}}"): self._get_pull,
            ("GET", f"{repo}/pulls/{{pull_number}}/files"): self._list_files,
            ("GET", f"{repo}/contents/{{path}}"): self._get_contents,
            ("GET", f"{repo}/git/blobs/{{file_sha}}"): self._get_blob,
            ("GET", f"{repo}/git/trees/{{tree_sha}}"): self._get_tree,
            ("GET", f"{repo}/commits/{{ref}}"): self._get_commit,
            ("GET", f"{repo}/collaborators/{{username}}/permission"): self._get_permission,
            ("GET", f"{repo}/pulls/{{pull_number}}/reviews"): self._list_reviews,
            ("POST", f"{repo}/pulls/{{pull_number}}/reviews"): self._create_review,
            ("GET", f"{repo}/pulls/{{pull_number}}/reviews/{{review_id}}"): self._get_review,
            ("GET", f"{repo}/pulls/{{pull_number}}/comments"): self._list_review_comments,
            ("POST", f"{repo}/pulls/{{pull_number}}/comments"): self._create_review_comment,
            ("POST", f"{repo}/pulls/{{pull_number}}/comments/{{comment_id}}/replies"): self._create_reply,
            ("GET", f"{repo}/pulls/comments/{{comment_id}}"): self._get_review_comment,
            ("PATCH", f"{repo}/pulls/comments/{{comment_id}}"): self._edit_review_comment,
            ("DELETE", f"{repo}/pulls/comments/{{comment_id}}"): self._delete_review_comment,
            ("POST", f"{repo}/pulls/comments/{{comment_id}}/reactions"): self._react_review_comment,
            ("GET", f"{repo}/issues/{{issue_number}}"): self._get_issue,
            ("GET", f"{repo}/issues/{{issue_number}}/comments"): self._list_issue_comments,
            ("POST", f"{repo}/issues/{{issue_number}}/comments"): self._create_issue_comment,
            ("GET", f"{repo}/issues/comments/{{comment_id}}"): self._get_issue_comment,
            ("PATCH", f"{repo}/issues/comments/{{comment_id}}"): self._edit_issue_comment,
            ("DELETE", f"{repo}/issues/comments/{{comment_id}}"): self._delete_issue_comment,
            ("GET", f"{repo}/issues/comments/{{comment_id}}/reactions"): self._list_issue_comment_reactions,
            ("POST", f"{repo}/issues/comments/{{comment_id}}/reactions"): self._react_issue_comment,
            ("POST", f"{repo}/issues/{{issue_number}}/reactions"): self._react_issue,
            ("POST", f"{repo}/check-runs"): self._create_check_run,
            ("GET", f"{repo}/check-runs/{{check_run_id}}"): self._get_check_run,
            ("PATCH", f"{repo}/check-runs/{{check_run_id}}"): self._update_check_run,
            ("GET", f"{repo}/check-runs/{{check_run_id}}/annotations"): self._list_annotations,
            ("GET", f"{repo}/commits/{{ref}}/check-runs"): self._list_check_runs,
        }
        for method, template in table:
            if method.lower() not in self.spec.document["paths"].get(template, {}):
                raise AssertionError(f"{method} {template} is not in the OpenAPI description")
        return table

    # -- helpers used by routes

    def _repo_for(self, call: _Call) -> _Repo:
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        caller = call.caller
        if repo is None or (caller is not None and caller.kind == "installation" and repo.installation_id != caller.installation_id):
            raise _Fail(404, "Not Found")
        return repo

    def _pull_for(self, call: _Call) -> tuple[_Repo, _Pull]:
        repo = self._repo_for(call)
        pull = repo.pulls.get(int(call.params["pull_number"]))
        if pull is None:
            raise _Fail(404, "Not Found")
        return repo, pull

    def _page(self, call: _Call, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        per_page = min(max(int(call.query.get("per_page", 30)), 1), 100)
        page = max(int(call.query.get("page", 1)), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(n: int, rel: str) -> None:
            params = {**call.query, "per_page": str(per_page), "page": str(n)}
            links.append(f'<{self.url}{call.raw_path}?{urlencode(params)}>; rel="{rel}"')

        if page > 1:
            link(page - 1, "prev")
        if page < last:
            link(page + 1, "next")
            link(last, "last")
        if page > 1:
            link(1, "first")
        return chunk, ({"Link": ", ".join(links)} if links else {})

    def _owns(self, object_id: int, repo: _Repo) -> bool:
        return self._owners.get(object_id, ("", 0))[0] == repo.full_name

    # -- app and installations

    def _get_app(self, call: _Call) -> Reply:
        return 200, self._app_json(), {}

    def _list_installations(self, call: _Call) -> Reply:
        ids = sorted({r.installation_id for r in self._repos.values() if r.installation_id is not None})
        items, headers = self._page(call, [self._installation_json(i) for i in ids])
        return 200, items, headers

    def _get_installation(self, call: _Call) -> Reply:
        installation_id = int(call.params["installation_id"])
        if not any(r.installation_id == installation_id for r in self._repos.values()):
            raise _Fail(404, "Not Found")
        return 200, self._installation_json(installation_id), {}

    def _create_token(self, call: _Call) -> Reply:
        installation_id = int(call.params["installation_id"])
        if not any(r.installation_id == installation_id for r in self._repos.values()):
            raise _Fail(404, "Not Found")
        value = "ghs_" + secrets.token_urlsafe(27).replace("-", "a").replace("_", "b")[:36]
        expires = datetime.now(UTC) + timedelta(hours=1)
        self._tokens[value] = _Token(value, "installation", self.bot_login, installation_id, expires.timestamp())
        self.tokens_issued += 1
        body = {
            "token": value,
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "permissions": (call.body or {}).get("permissions") or self._app_json()["permissions"],
            "repository_selection": "selected",
        }
        return 201, body, {}

    def _get_repo_installation(self, call: _Call) -> Reply:
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        if repo is None or repo.installation_id is None:
            raise _Fail(404, "Not Found")
        return 200, self._installation_json(repo.installation_id), {}

    def _installation_repos(self, call: _Call) -> Reply:
        caller = call.caller
        if caller is None or caller.kind != "installation":
            raise _Fail(403, "This endpoint can only be accessed with an installation access token")
        repos = [self._repo_json(r) for r in self._repos.values() if r.installation_id == caller.installation_id]
        items, headers = self._page(call, repos)
        return 200, {"total_count": len(repos), "repository_selection": "selected", "repositories": items}, headers

    def _rate_limit(self, call: _Call) -> Reply:
        core = {"limit": RATE_LIMIT, "remaining": max(RATE_LIMIT - self._used, 0), "reset": self._reset_at, "used": self._used}
        return 200, {"resources": {"core": core}, "rate": core}, {}

    def _get_authenticated_user(self, call: _Call) -> Reply:
        caller = call.caller
        if caller is None or caller.kind != "user":
            raise _Fail(403, "Resource not accessible by integration")
        return 200, {**self._user(caller.login), "name": caller.login, "email": None}, {}

    def _get_user(self, call: _Call) -> Reply:
        login = call.params["username"]
        return 200, {**self._user(login), "name": login}, {}

    # -- repository data

    def _get_repo(self, call: _Call) -> Reply:
        return 200, self._repo_json(self._repo_for(call)), {}

    def _get_pull(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        return 200, self._pull_json(repo, pull), {}

    def _list_files(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        files = [self._file_json(repo, pull, f) for f in pull.files[:MAX_PR_FILES]]
        items, headers = self._page(call, files)
        return 200, items, headers

    def _get_contents(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        ref = call.query.get("ref") or repo.default_branch
        path = call.params["path"].strip("/")
        data = self._lookup(repo, ref, path)
        if data is not None:
            return 200, self._content_json(repo, ref, path, data), {}
        listing = self._listing(repo, ref, path)
        if listing is None:
            raise _Fail(404, "Not Found")
        prefix = path + "/"
        entries: dict[str, dict[str, Any]] = {}
        for full, blob in sorted(listing.items()):
            rest = full[len(prefix) :]
            if "/" in rest:
                name = rest.split("/", 1)[0]
                entries.setdefault(name, {"type": "dir", "name": name, "path": prefix + name, "size": 0, "sha": "0" * 40})
            else:
                entries[rest] = self._content_json(repo, ref, full, blob, with_content=False)
        return 200, list(entries.values()), {}

    def _get_blob(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        sha = call.params["file_sha"]
        data = repo.blobs.get(sha)
        if data is None:
            raise _Fail(404, "Not Found")
        url = f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}"
        return 200, {"sha": sha, "node_id": _node("B", int(sha[:8], 16)), "size": len(data), "url": url, "content": _b64(data), "encoding": "base64"}, {}

    def _get_tree(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        ref = call.params["tree_sha"]
        sha = self._known_ref(repo, ref)
        if sha is None:
            raise _Fail(404, "Not Found")
        files: dict[str, bytes | None] = {}
        for start in reversed(self._refs(repo, ref)):  # as `_listing`: the ref as given wins over its aliases
            key: str | None = start
            chain: list[str] = []
            while key is not None and key not in chain:
                chain.append(key)
                key = repo.parents.get(key)
            for key in reversed(chain):  # the newest commit's version of a path wins; None deletes it
                files.update(repo.trees.get(key, {}))
        live = {path: data for path, data in files.items() if data is not None}
        dirs = {path.rsplit("/", n)[0] for path in live for n in range(1, path.count("/") + 1)}
        api = f"{self.url}/repos/{repo.full_name}/git"

        def tree_sha(path: str) -> str:
            return hashlib.sha1(f"tree {sha} {path}".encode(), usedforsecurity=False).hexdigest()

        entries = [{"path": d, "mode": "040000", "type": "tree", "sha": tree_sha(d), "url": f"{api}/trees/{tree_sha(d)}"} for d in dirs]
        for path, data in live.items():
            blob = git_blob_sha(data)
            entries.append({"path": path, "mode": "100644", "type": "blob", "sha": blob, "size": len(data), "url": f"{api}/blobs/{blob}"})
        entries.sort(key=lambda e: e["path"])
        if "recursive" not in call.query:
            entries = [e for e in entries if "/" not in e["path"]]
        truncated = len(entries) > self.max_tree_entries
        root = tree_sha("")
        return 200, {"sha": root, "url": f"{api}/trees/{root}", "tree": entries[: self.max_tree_entries], "truncated": truncated}, {}

    def _get_commit(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        sha = self._known_ref(repo, call.params["ref"])
        if sha is None:
            raise _Fail(422, f"No commit found for SHA: {call.params['ref']}")
        api = f"{self.url}/repos/{repo.full_name}"
        person = {"name": "dev", "email": "dev@example.invalid", "date": "2024-01-01T00:00:00Z"}
        parent = repo.parents.get(sha)
        return 200, {
            "sha": sha,
            "node_id": _node("C", int(hashlib.sha1(sha.encode(), usedforsecurity=False).hexdigest()[:8], 16)),
            "url": f"{api}/commits/{sha}",
            "html_url": f"https://github.com/{repo.full_name}/commit/{sha}",
            "comments_url": f"{api}/commits/{sha}/comments",
            "commit": {"url": f"{api}/git/commits/{sha}", "message": "change", "author": person, "committer": person, "tree": {"sha": "0" * 40, "url": f"{api}/git/trees/{'0' * 40}"}, "comment_count": 0},
            "author": self._user("dev"),
            "committer": self._user("dev"),
            "parents": [{"sha": parent, "url": f"{api}/commits/{parent}", "html_url": f"https://github.com/{repo.full_name}/commit/{parent}"}] if parent else [],
        }, {}

    def _get_permission(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        login = call.params["username"]
        role = repo.permissions.get(login, "read")
        legacy = LEGACY_PERMISSION[role]
        user = self._user(login)
        levels = ["read", "triage", "write", "maintain", "admin"]
        rank = levels.index(role) if role in levels else -1
        user["permissions"] = {"pull": rank >= 0, "triage": rank >= 1, "push": rank >= 2, "maintain": rank >= 3, "admin": rank >= 4}
        user["role_name"] = role
        return 200, {"permission": legacy, "role_name": role, "user": user}, {}

    # -- reviews and review comments

    def _review_json(self, repo: _Repo, pull: _Pull, review_id: int, *, author: dict[str, Any], body: str, state: str, commit_id: str) -> dict[str, Any]:
        html = f"https://github.com/{repo.full_name}/pull/{pull.number}#pullrequestreview-{review_id}"
        api = f"{self.url}/repos/{repo.full_name}/pulls/{pull.number}"
        out = {
            "id": review_id,
            "node_id": _node("PRR", review_id),
            "user": author,
            "body": body,
            "state": state,
            "html_url": html,
            "pull_request_url": api,
            "author_association": "CONTRIBUTOR" if author["type"] == "Bot" else "MEMBER",
            "_links": {"html": {"href": html}, "pull_request": {"href": api}},
            "commit_id": commit_id,
        }
        if state != "PENDING":
            out["submitted_at"] = _now()
        return out

    def _anchor(self, pull: _Pull, commit_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Where a review comment lands, or a `_Fail` 422 naming why GitHub would refuse it."""
        files = pull.versions.get(commit_id)
        if files is None:
            raise _Fail(422, "Unprocessable Entity", ["commit_id is not part of the pull request"])
        found = next((f for f in files if f.path == spec.get("path")), None)
        if found is None:
            raise _Fail(422, "Unprocessable Entity", ["Path could not be resolved"])
        an = found.anchors
        if spec.get("subject_type") == "file":
            return {"path": found.path, "line": None, "side": None, "start_line": None, "start_side": None, "position": None, "diff_hunk": "\n".join(an.lines[:4]), "subject_type": "file"}
        if spec.get("position") is not None and spec.get("line") is None:
            position = int(spec["position"])
            if not 1 <= position <= len(an.positions) or not an.positions[position - 1][0]:
                raise _Fail(422, "Unprocessable Entity", ["Position could not be resolved"])
            side, line = an.positions[position - 1]
            start_line, start_side = None, None
        else:
            if spec.get("line") is None:
                raise _Fail(422, "Unprocessable Entity", ["Line could not be resolved"])
            line = int(spec["line"])
            side = spec.get("side") or "RIGHT"
            start_line = spec.get("start_line")
            start_side = spec.get("start_side") or (side if start_line is not None else None)
            if side not in {"LEFT", "RIGHT"} or (start_side is not None and start_side not in {"LEFT", "RIGHT"}):
                raise _Fail(422, "Unprocessable Entity", ["Side must be LEFT or RIGHT"])
            hunk = an.hunk_of(side, line)
            if hunk is None:
                raise _Fail(422, "Unprocessable Entity", ["Line could not be resolved"])
            if start_line is not None:
                start_line = int(start_line)
                if start_line >= line and start_side == side:
                    raise _Fail(422, "Unprocessable Entity", ["start_line must precede the end line"])
                if an.hunk_of(start_side, start_line) != hunk:
                    raise _Fail(422, "Unprocessable Entity", ["Start line could not be resolved"])
            position = an.position_of[(side, line)]
        return {
            "path": found.path,
            "line": line,
            "side": side,
            "start_line": start_line,
            "start_side": start_side,
            "position": position,
            "diff_hunk": an.diff_hunk(side, line),
            "subject_type": "line",
        }

    def _review_comment_json(self, repo: _Repo, pull: _Pull, comment_id: int, review_id: int, *, author: dict[str, Any], body: str, commit_id: str, where: dict[str, Any], reply_to: int | None) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        url = f"{api}/pulls/comments/{comment_id}"
        html = f"https://github.com/{repo.full_name}/pull/{pull.number}#discussion_r{comment_id}"
        now = _now()
        out = {
            "url": url,
            "pull_request_review_id": review_id,
            "id": comment_id,
            "node_id": _node("PRRC", comment_id),
            "diff_hunk": where["diff_hunk"],
            "path": where["path"],
            "position": where["position"],
            "original_position": where["position"],
            "commit_id": commit_id,
            "original_commit_id": commit_id,
            "user": author,
            "body": body,
            "created_at": now,
            "updated_at": now,
            "html_url": html,
            "pull_request_url": f"{api}/pulls/{pull.number}",
            "author_association": "CONTRIBUTOR" if author["type"] == "Bot" else "MEMBER",
            "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": f"{api}/pulls/{pull.number}"}},
            "start_line": where["start_line"],
            "original_start_line": where["start_line"],
            "start_side": where["start_side"],
            "line": where["line"],
            "original_line": where["line"],
            "side": where["side"],
            "subject_type": where["subject_type"],
        }
        if reply_to is not None:
            out["in_reply_to_id"] = reply_to
        return out

    def _list_reviews(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        items = [v for k, v in sorted(self._reviews.items()) if self._owners[k] == (repo.full_name, pull.number)]
        page, headers = self._page(call, items)
        return 200, page, headers

    def _get_review(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        review = self._reviews.get(int(call.params["review_id"]))
        if review is None or self._owners[review["id"]] != (repo.full_name, pull.number):
            raise _Fail(404, "Not Found")
        return 200, review, {}

    def _create_review(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        body = call.body or {}
        commit_id = body.get("commit_id") or pull.head_sha
        event = body.get("event")
        comments = body.get("comments") or []
        author = self._caller_user(call.caller)
        if event in {"REQUEST_CHANGES", "COMMENT"} and not body.get("body") and not comments:
            raise _Fail(422, "Unprocessable Entity", [f"Body is required for the {event} event"])
        if event is None and any(
            r["state"] == "PENDING" and r["user"]["login"] == author["login"] for k, r in self._reviews.items() if self._owners[k] == (repo.full_name, pull.number)
        ):
            raise _Fail(422, "Unprocessable Entity", ["User can only have one pending review per pull request"])
        # every comment is checked before anything is stored: GitHub refuses the whole review
        anchored = [(c, self._anchor(pull, commit_id, c)) for c in comments]
        review_id = next(self._ids)
        state = REVIEW_STATES.get(event, "PENDING") if event else "PENDING"
        review = self._review_json(repo, pull, review_id, author=author, body=body.get("body", ""), state=state, commit_id=commit_id)
        self._reviews[review_id] = review
        self._owners[review_id] = (repo.full_name, pull.number)
        for spec, where in anchored:
            comment_id = next(self._ids)
            self._review_comments[comment_id] = self._review_comment_json(repo, pull, comment_id, review_id, author=author, body=spec["body"], commit_id=commit_id, where=where, reply_to=None)
            self._owners[comment_id] = (repo.full_name, pull.number)
        return 200, review, {}

    def _list_review_comments(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        items = [self._finish_comment("pulls", v) for k, v in sorted(self._review_comments.items()) if self._owners[k] == (repo.full_name, pull.number)]
        page, headers = self._page(call, items)
        return 200, page, headers

    def _create_review_comment(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        body = call.body or {}
        if body.get("in_reply_to") is not None:
            return self._reply(repo, pull, int(body["in_reply_to"]), body.get("body", ""), call.caller)
        commit_id = body.get("commit_id") or pull.head_sha
        where = self._anchor(pull, commit_id, body)
        author = self._caller_user(call.caller)
        # a lone review comment comes with its own submitted review, as on GitHub
        review_id = next(self._ids)
        self._reviews[review_id] = self._review_json(repo, pull, review_id, author=author, body="", state="COMMENTED", commit_id=commit_id)
        self._owners[review_id] = (repo.full_name, pull.number)
        comment_id = next(self._ids)
        comment = self._review_comment_json(repo, pull, comment_id, review_id, author=author, body=body.get("body", ""), commit_id=commit_id, where=where, reply_to=None)
        self._review_comments[comment_id] = comment
        self._owners[comment_id] = (repo.full_name, pull.number)
        return 201, self._finish_comment("pulls", comment), {}

    def _create_reply(self, call: _Call) -> Reply:
        repo, pull = self._pull_for(call)
        return self._reply(repo, pull, int(call.params["comment_id"]), (call.body or {}).get("body", ""), call.caller)

    def _reply(self, repo: _Repo, pull: _Pull, parent_id: int, text: str, caller: _Caller | None) -> Reply:
        parent = self._review_comments.get(parent_id)
        if parent is None or self._owners[parent_id] != (repo.full_name, pull.number):
            raise _Fail(404, "Not Found")
        root = parent.get("in_reply_to_id", parent_id)
        author = self._caller_user(caller)
        review_id = next(self._ids)
        self._reviews[review_id] = self._review_json(repo, pull, review_id, author=author, body="", state="COMMENTED", commit_id=parent["commit_id"])
        self._owners[review_id] = (repo.full_name, pull.number)
        comment_id = next(self._ids)
        where = {k: parent[k] for k in ("path", "line", "side", "start_line", "start_side", "position", "diff_hunk", "subject_type")}
        comment = self._review_comment_json(repo, pull, comment_id, review_id, author=author, body=text, commit_id=parent["commit_id"], where=where, reply_to=root)
        self._review_comments[comment_id] = comment
        self._owners[comment_id] = (repo.full_name, pull.number)
        return 201, self._finish_comment("pulls", comment), {}

    def _review_comment_for(self, call: _Call) -> tuple[_Repo, dict[str, Any]]:
        repo = self._repo_for(call)
        comment = self._review_comments.get(int(call.params["comment_id"]))
        if comment is None or not self._owns(comment["id"], repo):
            raise _Fail(404, "Not Found")
        return repo, comment

    def _get_review_comment(self, call: _Call) -> Reply:
        _, comment = self._review_comment_for(call)
        return 200, self._finish_comment("pulls", comment), {}

    def _edit_review_comment(self, call: _Call) -> Reply:
        repo, comment = self._review_comment_for(call)
        self._may_edit(repo, comment, call.caller)
        comment["body"] = (call.body or {}).get("body", comment["body"])
        comment["updated_at"] = _now()
        return 200, self._finish_comment("pulls", comment), {}

    def _delete_review_comment(self, call: _Call) -> Reply:
        repo, comment = self._review_comment_for(call)
        self._may_edit(repo, comment, call.caller)
        del self._review_comments[comment["id"]]
        return 204, None, {}

    def _may_edit(self, repo: _Repo, comment: dict[str, Any], caller: _Caller | None) -> None:
        if caller is None:
            raise _Fail(401, "Requires authentication")
        if comment["user"]["login"] == caller.login:
            return
        if caller.kind == "user" and LEGACY_PERMISSION[repo.permissions.get(caller.login, "read")] in {"admin", "write"}:
            return
        raise _Fail(403, "Resource not accessible by integration" if caller.kind == "installation" else "Must have admin rights to Repository.")

    # -- issues, issue comments, reactions

    def _get_issue(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        return 200, self._issue_json(repo, int(call.params["issue_number"])), {}

    def _list_issue_comments(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        number = int(call.params["issue_number"])
        self._issue_json(repo, number)
        since = call.query.get("since")
        items = [
            self._finish_comment("issues", v)
            for k, v in sorted(self._issue_comments.items())
            if self._owners[k] == (repo.full_name, number) and (since is None or v["updated_at"] >= since)
        ]
        page, headers = self._page(call, items)
        return 200, page, headers

    def _create_issue_comment(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        number = int(call.params["issue_number"])
        self._issue_json(repo, number)
        comment_id = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}"
        kind = "pull" if number in repo.pulls else "issues"
        now = _now()
        author = self._caller_user(call.caller)
        comment = {
            "id": comment_id,
            "node_id": _node("IC", comment_id),
            "url": f"{api}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{repo.full_name}/{kind}/{number}#issuecomment-{comment_id}",
            "issue_url": f"{api}/issues/{number}",
            "body": (call.body or {}).get("body", ""),
            "user": author,
            "created_at": now,
            "updated_at": now,
            "author_association": "CONTRIBUTOR" if author["type"] == "Bot" else "MEMBER",
            "performed_via_github_app": self._app_json() if call.caller and call.caller.kind == "installation" else None,
        }
        self._issue_comments[comment_id] = comment
        self._owners[comment_id] = (repo.full_name, number)
        return 201, self._finish_comment("issues", comment), {}

    def _issue_comment_for(self, call: _Call) -> tuple[_Repo, dict[str, Any]]:
        repo = self._repo_for(call)
        comment = self._issue_comments.get(int(call.params["comment_id"]))
        if comment is None or not self._owns(comment["id"], repo):
            raise _Fail(404, "Not Found")
        return repo, comment

    def _get_issue_comment(self, call: _Call) -> Reply:
        _, comment = self._issue_comment_for(call)
        return 200, self._finish_comment("issues", comment), {}

    def _edit_issue_comment(self, call: _Call) -> Reply:
        repo, comment = self._issue_comment_for(call)
        self._may_edit(repo, comment, call.caller)
        comment["body"] = (call.body or {}).get("body", comment["body"])
        comment["updated_at"] = _now()
        return 200, self._finish_comment("issues", comment), {}

    def _delete_issue_comment(self, call: _Call) -> Reply:
        repo, comment = self._issue_comment_for(call)
        self._may_edit(repo, comment, call.caller)
        del self._issue_comments[comment["id"]]
        return 204, None, {}

    def _react(self, kind: str, subject: int, call: _Call) -> Reply:
        content = (call.body or {}).get("content", "")
        user = self._caller_user(call.caller)
        items = self._reactions.setdefault((kind, subject), [])
        for existing in items:
            if existing["content"] == content and existing["user"]["login"] == user["login"]:
                return 200, existing, {}
        reaction_id = next(self._ids)
        reaction = {"id": reaction_id, "node_id": _node("REA", reaction_id), "user": user, "content": content, "created_at": _now()}
        items.append(reaction)
        return 201, reaction, {}

    def _list_issue_comment_reactions(self, call: _Call) -> Reply:
        _, comment = self._issue_comment_for(call)
        items = self._reactions.get(("issues", comment["id"]), [])
        if "content" in call.query:
            items = [r for r in items if r["content"] == call.query["content"]]
        page, headers = self._page(call, items)
        return 200, page, headers

    def _react_issue_comment(self, call: _Call) -> Reply:
        _, comment = self._issue_comment_for(call)
        return self._react("issues", comment["id"], call)

    def _react_review_comment(self, call: _Call) -> Reply:
        _, comment = self._review_comment_for(call)
        return self._react("pulls", comment["id"], call)

    def _react_issue(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        number = int(call.params["issue_number"])
        self._issue_json(repo, number)
        return self._react("issue", number, call)

    # -- check runs

    def _check_run_json(self, repo: _Repo, run: dict[str, Any]) -> dict[str, Any]:
        out = dict(run)
        out["output"] = {**run["output"], "annotations_count": len(self._annotations[run["id"]])}
        out["pull_requests"] = [
            {
                "url": f"{self.url}/repos/{repo.full_name}/pulls/{p.number}",
                "id": p.id,
                "number": p.number,
                "head": {"ref": p.head_ref, "sha": p.head_sha, "repo": {"id": repo.id, "url": f"{self.url}/repos/{repo.full_name}", "name": repo.name}},
                "base": {"ref": p.base_ref, "sha": p.base_sha, "repo": {"id": repo.id, "url": f"{self.url}/repos/{repo.full_name}", "name": repo.name}},
            }
            for p in repo.pulls.values()
            if p.head_sha == run["head_sha"]
        ]
        return out

    def _apply_check_fields(self, repo: _Repo, run: dict[str, Any], body: dict[str, Any]) -> None:
        output = body.get("output") or {}
        annotations = output.get("annotations") or []
        if len(annotations) > MAX_ANNOTATIONS:
            raise _Fail(422, "Unprocessable Entity", [f"Only {MAX_ANNOTATIONS} annotations are allowed per request"])
        status = body.get("status", run.get("status", "queued"))
        conclusion = body.get("conclusion", run.get("conclusion"))
        if conclusion is not None:
            status = "completed"
        if (status == "completed" or body.get("completed_at")) and conclusion is None:
            raise _Fail(422, "Unprocessable Entity", ["conclusion is required when status is completed"])
        for key in ("name", "details_url", "external_id", "started_at", "completed_at", "actions"):
            if key in body:
                run[key] = body[key]
        run["status"] = status
        run["conclusion"] = conclusion
        if status == "completed" and not run.get("completed_at"):
            run["completed_at"] = _now()
        for key in ("title", "summary", "text"):
            if key in output:
                run["output"][key] = output[key]
        url = f"{self.url}/repos/{repo.full_name}/check-runs/{run['id']}"
        for a in annotations:
            self._annotations[run["id"]].append(
                {
                    "path": a["path"],
                    "blob_href": f"https://github.com/{repo.full_name}/blob/{run['head_sha']}/{quote(a['path'])}",
                    "start_line": a["start_line"],
                    "start_column": a.get("start_column"),
                    "end_line": a["end_line"],
                    "end_column": a.get("end_column"),
                    "annotation_level": a["annotation_level"],
                    "title": a.get("title"),
                    "message": a["message"],
                    "raw_details": a.get("raw_details"),
                }
            )
        run["output"]["annotations_url"] = f"{url}/annotations"

    def _create_check_run(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        if call.caller is None or call.caller.kind != "installation":
            raise _Fail(403, "You must authenticate via a GitHub App.")
        body = call.body or {}
        run_id = next(self._ids)
        run: dict[str, Any] = {
            "id": run_id,
            "node_id": _node("CR", run_id),
            "head_sha": body["head_sha"],
            "external_id": body.get("external_id", ""),
            "url": f"{self.url}/repos/{repo.full_name}/check-runs/{run_id}",
            "html_url": f"https://github.com/{repo.full_name}/runs/{run_id}",
            "details_url": body.get("details_url"),
            "status": "queued",
            "conclusion": None,
            "started_at": body.get("started_at", _now()),
            "completed_at": None,
            "output": {"title": None, "summary": None, "text": None, "annotations_count": 0},
            "name": body["name"],
            "check_suite": {"id": run_id + 1},
            "app": self._app_json(),
        }
        self._annotations[run_id] = []
        try:
            self._apply_check_fields(repo, run, body)
        except _Fail:
            del self._annotations[run_id]
            raise
        self._check_runs[run_id] = run
        self._owners[run_id] = (repo.full_name, 0)
        return 201, self._check_run_json(repo, run), {}

    def _check_run_for(self, call: _Call) -> tuple[_Repo, dict[str, Any]]:
        repo = self._repo_for(call)
        run = self._check_runs.get(int(call.params["check_run_id"]))
        if run is None or not self._owns(run["id"], repo):
            raise _Fail(404, "Not Found")
        return repo, run

    def _get_check_run(self, call: _Call) -> Reply:
        repo, run = self._check_run_for(call)
        return 200, self._check_run_json(repo, run), {}

    def _update_check_run(self, call: _Call) -> Reply:
        repo, run = self._check_run_for(call)
        if call.caller is None or call.caller.kind != "installation":
            raise _Fail(403, "You must authenticate via a GitHub App.")
        staged = copy.deepcopy(run)
        before = list(self._annotations[run["id"]])
        try:
            self._apply_check_fields(repo, staged, call.body or {})
        except _Fail:
            self._annotations[run["id"]] = before
            raise
        run.clear()
        run.update(staged)
        return 200, self._check_run_json(repo, run), {}

    def _list_annotations(self, call: _Call) -> Reply:
        _, run = self._check_run_for(call)
        page, headers = self._page(call, self._annotations[run["id"]])
        return 200, page, headers

    def _list_check_runs(self, call: _Call) -> Reply:
        repo = self._repo_for(call)
        ref = call.params["ref"]
        sha = repo.branches.get(ref, ref)
        runs = [r for k, r in sorted(self._check_runs.items()) if self._owns(k, repo) and r["head_sha"] == sha]
        if "check_name" in call.query:
            runs = [r for r in runs if r["name"] == call.query["check_name"]]
        if "status" in call.query:
            runs = [r for r in runs if r["status"] == call.query["status"]]
        if call.query.get("filter", "latest") == "latest":
            latest: dict[str, dict[str, Any]] = {}
            for r in runs:
                latest[r["name"]] = r
            runs = sorted(latest.values(), key=lambda r: r["id"])
        runs = list(reversed(runs))  # newest first, as GitHub lists them
        page, headers = self._page(call, [self._check_run_json(repo, r) for r in runs])
        return 200, {"total_count": len(runs), "check_runs": page}, headers


def _node(kind: str, number: int) -> str:
    return base64.b64encode(f"0:{kind}{number}".encode()).decode().rstrip("=")


def _error(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"message": message, "documentation_url": DOCS, "status": str(status)}
    if errors is not None:
        out["errors"] = errors
    return out


def _decode_path(raw_path: str) -> str:
    return unquote(raw_path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    sim: GitHubSim

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def close_connections(self) -> None:
        # idle keep-alive connections would otherwise hold their threads until the client goes away
        with self.connections_lock:
            for sock in list(self.connections):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 60
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _dispatch(self) -> None:
        self.server.sim._handle(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _dispatch

    def reply(self, status: int, body: Any, headers: dict[str, str]) -> None:
        if body is None or status == 204:
            data = b""
            content_type = None
        elif isinstance(body, str):
            data = body.encode()
            content_type = "text/html; charset=utf-8"
        else:
            data = json.dumps(body).encode()
            content_type = "application/json; charset=utf-8"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)
