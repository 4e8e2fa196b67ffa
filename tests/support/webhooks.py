"""Webhook deliveries built from GitHub's example payloads (npm `@octokit/webhooks-examples`), and their signatures.

    example("pull_request", "opened")                       # a deep copy of a real example
    pull_request_event("opened", repo="octo-org/svc", number=7, head_sha=..., base_sha=...)
    issue_comment_event("/review", commenter="dev")          # on a pull request unless on_pull_request=False
    review_comment_event("/ask why?", path="app.py", line=3, in_reply_to=123)
    body = json.dumps(payload).encode()
    headers("pull_request", body, secret)                    # X-GitHub-Event, X-Hub-Signature-256, ...
"""

from __future__ import annotations

import copy
import functools
import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

EXAMPLES_PATH = Path(__file__).resolve().parents[1] / "node_modules" / "@octokit" / "webhooks-examples" / "api.github.com" / "index.json"
API = "https://api.github.com"
WEB = "https://github.com"


@functools.cache
def _examples() -> dict[str, list[dict[str, Any]]]:
    if not EXAMPLES_PATH.is_file():
        raise FileNotFoundError(f"{EXAMPLES_PATH} is missing: run `npm install` in tests/ (see tests/package.json)")
    with EXAMPLES_PATH.open("rb") as handle:
        return {event["name"]: event["examples"] for event in json.load(handle)}


def example(event: str, action: str | None = None) -> dict[str, Any]:
    """A deep copy of a real example delivery; among several, one sent to an App installation is preferred."""
    found = [e for e in _examples()[event] if action is None or e.get("action") == action]
    if not found:
        raise KeyError(f"no example for {event}.{action}")
    chosen = next((e for e in found if "installation" in e and "organization" not in e), None) or next((e for e in found if "installation" in e), found[0])
    return copy.deepcopy(chosen)


def sign(body: bytes, secret: str) -> str:
    """`X-Hub-Signature-256` as GitHub computes it: HMAC-SHA256 of the raw body, hex, prefixed `sha256=`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(event: str, body: bytes, secret: str, delivery_id: str | None = None) -> dict[str, str]:
    """The headers of a delivery of `body` for `event`, signed with `secret`."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/8f3b1c2",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "462790187",
        "X-GitHub-Hook-Installation-Target-Type": "integration",
        "X-GitHub-Hook-Installation-Target-ID": "424242",
        "X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest(),
        "X-Hub-Signature-256": sign(body, secret),
    }


def _user(login: str, kind: str, uid: int) -> dict[str, Any]:
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": f"{API}/users/{login}",
        "html_url": f"{WEB}/{login}",
        "type": kind,
        "site_admin": False,
    }


def _uid(login: str) -> int:
    # stable per login, so the same person has the same id across payloads
    return 10_000 + int(hashlib.sha1(login.encode(), usedforsecurity=False).hexdigest()[:6], 16)


def _rewrite(node: Any, old: str, new: str) -> Any:
    """Replace `old` with `new` inside every string of a JSON tree (URLs naming the example repository)."""
    if isinstance(node, dict):
        return {k: _rewrite(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, old, new) for v in node]
    if isinstance(node, str):
        return node.replace(old, new)
    return node


def _repository(payload: dict[str, Any], repo: str) -> dict[str, Any]:
    old = payload["repository"]["full_name"]
    owner, name = repo.split("/")
    repository = _rewrite(payload["repository"], old, repo)
    repository.update({"name": name, "full_name": repo, "private": True})
    repository["owner"] = {**repository["owner"], **_user(owner, "Organization", _uid(owner))}
    return repository


def _base(payload: dict[str, Any], *, repo: str, installation_id: int, sender: str, sender_type: str) -> str:
    """Set repository, installation and sender; returns the example's repository full name."""
    old = payload["repository"]["full_name"]
    payload["repository"] = _repository(payload, repo)
    payload["installation"] = {"id": installation_id, "node_id": f"MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u{installation_id}"}
    payload["sender"] = _user(sender, sender_type, _uid(sender))
    payload.pop("organization", None)
    owner = repo.split("/", 1)[0]
    payload["organization"] = {
        "login": owner,
        "id": _uid(owner),
        "node_id": f"MDEyOk9yZ2FuaXphdGlvbj{_uid(owner)}",
        "url": f"{API}/orgs/{owner}",
        "repos_url": f"{API}/orgs/{owner}/repos",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{_uid(owner)}?v=4",
        "description": None,
    }
    return old


def _pull_request(pr: dict[str, Any], *, old_repo: str, repository: dict[str, Any], number: int, head_sha: str, base_sha: str, base_ref: str, head_ref: str, draft: bool, author: str) -> dict[str, Any]:
    repo = repository["full_name"]
    old_number = pr["number"]
    pr = _rewrite(pr, old_repo, repo)
    pr = _rewrite(pr, f"/pulls/{old_number}", f"/pulls/{number}")
    pr = _rewrite(pr, f"/pull/{old_number}", f"/pull/{number}")
    pr = _rewrite(pr, f"/issues/{old_number}", f"/issues/{number}")
    pr.update({"number": number, "draft": draft, "state": "open", "user": _user(author, "User", _uid(author))})
    owner = repository["owner"]["login"]
    for part, ref, sha in (("head", head_ref, head_sha), ("base", base_ref, base_sha)):
        pr[part] = {**pr[part], "ref": ref, "sha": sha, "label": f"{owner}:{ref}", "repo": repository, "user": repository["owner"]}
    pr["statuses_url"] = f"{API}/repos/{repo}/statuses/{head_sha}"
    return pr


def pull_request_event(
    action: str,
    *,
    repo: str = "octo-org/svc",
    number: int = 7,
    head_sha: str = "a" * 40,
    base_sha: str = "b" * 40,
    base_ref: str = "main",
    head_ref: str = "feature",
    draft: bool = False,
    installation_id: int = 42,
    sender: str = "dev",
    sender_type: str = "User",
    author: str | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """A `pull_request` delivery; actions without an example of their own reuse `opened` with the action set."""
    try:
        payload = example("pull_request", action)
    except KeyError:
        payload = example("pull_request", "opened")
        payload["action"] = action
    old = _base(payload, repo=repo, installation_id=installation_id, sender=sender, sender_type=sender_type)
    payload["number"] = number
    payload["pull_request"] = _pull_request(
        payload["pull_request"],
        old_repo=old,
        repository=payload["repository"],
        number=number,
        head_sha=head_sha,
        base_sha=base_sha,
        base_ref=base_ref,
        head_ref=head_ref,
        draft=draft,
        author=author or sender,
    )
    if action == "synchronize":
        payload["before"] = before or base_sha
        payload["after"] = head_sha
    return payload


def issue_comment_event(
    body: str,
    *,
    action: str = "created",
    repo: str = "octo-org/svc",
    number: int = 7,
    installation_id: int = 42,
    on_pull_request: bool = True,
    commenter: str = "dev",
    commenter_type: str = "User",
    comment_id: int = 1_500_000_001,
    author_association: str = "MEMBER",
) -> dict[str, Any]:
    """An `issue_comment` delivery for a comment `body` on issue (or pull request) `number`."""
    payload = example("issue_comment", action)
    old = _base(payload, repo=repo, installation_id=installation_id, sender=commenter, sender_type=commenter_type)
    issue = _rewrite(payload["issue"], old, repo)
    old_number = issue["number"]
    for segment in ("issues", "pull"):
        issue = _rewrite(issue, f"/{segment}/{old_number}", f"/{segment}/{number}")
    issue["number"] = number
    if on_pull_request:
        html = f"{WEB}/{repo}/pull/{number}"
        issue["html_url"] = html
        issue["pull_request"] = {"url": f"{API}/repos/{repo}/pulls/{number}", "html_url": html, "diff_url": f"{html}.diff", "patch_url": f"{html}.patch", "merged_at": None}
    else:
        issue.pop("pull_request", None)
    payload["issue"] = issue
    comment = _rewrite(payload["comment"], old, repo)
    kind = "pull" if on_pull_request else "issues"
    comment.update(
        {
            "id": comment_id,
            "body": body,
            "user": _user(commenter, commenter_type, _uid(commenter)),
            "url": f"{API}/repos/{repo}/issues/comments/{comment_id}",
            "html_url": f"{WEB}/{repo}/{kind}/{number}#issuecomment-{comment_id}",
            "issue_url": f"{API}/repos/{repo}/issues/{number}",
            "author_association": author_association,
        }
    )
    payload["comment"] = comment
    return payload


def review_comment_event(
    body: str,
    *,
    path: str,
    line: int,
    in_reply_to: int | None = None,
    action: str = "created",
    side: str = "RIGHT",
    start_line: int | None = None,
    repo: str = "octo-org/svc",
    number: int = 7,
    head_sha: str = "a" * 40,
    base_sha: str = "b" * 40,
    base_ref: str = "main",
    head_ref: str = "feature",
    installation_id: int = 42,
    commenter: str = "dev",
    commenter_type: str = "User",
    comment_id: int = 1_600_000_001,
    author: str = "dev",
    author_association: str = "MEMBER",
) -> dict[str, Any]:
    """A `pull_request_review_comment` delivery for an inline comment (a reply when `in_reply_to` is set)."""
    payload = example("pull_request_review_comment", action)
    old = _base(payload, repo=repo, installation_id=installation_id, sender=commenter, sender_type=commenter_type)
    payload["pull_request"] = _pull_request(
        payload["pull_request"],
        old_repo=old,
        repository=payload["repository"],
        number=number,
        head_sha=head_sha,
        base_sha=base_sha,
        base_ref=base_ref,
        head_ref=head_ref,
        draft=False,
        author=author,
    )
    comment = _rewrite(payload["comment"], old, repo)
    url = f"{API}/repos/{repo}/pulls/comments/{comment_id}"
    html = f"{WEB}/{repo}/pull/{number}#discussion_r{comment_id}"
    comment.update(
        {
            "id": comment_id,
            "body": body,
            "path": path,
            "line": line,
            "original_line": line,
            "side": side,
            "start_line": start_line,
            "original_start_line": start_line,
            "start_side": side if start_line is not None else None,
            "commit_id": head_sha,
            "original_commit_id": head_sha,
            "user": _user(commenter, commenter_type, _uid(commenter)),
            "url": url,
            "html_url": html,
            "pull_request_url": f"{API}/repos/{repo}/pulls/{number}",
            "author_association": author_association,
            "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": f"{API}/repos/{repo}/pulls/{number}"}},
        }
    )
    if in_reply_to is not None:
        comment["in_reply_to_id"] = in_reply_to
    else:
        comment.pop("in_reply_to_id", None)
    payload["comment"] = comment
    return payload
