"""Writing to a pull request idempotently: one review per head, a sticky summary, a check run.

Every write looks for its own marker before writing again, so a transport retry, a job retry or a
re-delivered webhook never posts twice. GitHub calls grow with pages, not with comments: a review with any
number of inline comments is one POST; a single comment is posted on its own only when GitHub rejected the
batch (422) and the offending one has to be found.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from github import GithubException
from github.CheckRun import CheckRun
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.errors import GitHubError
from bot.github.client import call, translated, wrap
from bot.render.review import (
    REVIEW_MARKER_RE,
    SUMMARY_MARKER,
    InlineComment,
    fingerprints_in,
)

log = logging.getLogger(__name__)
CHECK_NAME = "resbot"
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit per check-run create/update
WRITE_ATTEMPTS = 3


@dataclass(slots=True)
class PriorState:
    """What resbot already wrote on this PR (found by its markers)."""

    fingerprints: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # fp -> (rule, path)
    summary_id: int | None = None
    summary_body: str = ""
    reviewed_heads: set[str] = field(default_factory=set)


@dataclass(slots=True)
class PostResult:
    posted: list[InlineComment] = field(default_factory=list)
    rejected: list[tuple[InlineComment, str]] = field(default_factory=list)
    review_id: int | None = None


class Publisher:
    """Idempotent writes to one pull request, as one identity (the App's bot user or the token's user)."""

    def __init__(
        self,
        repo: Repository,
        pull: PullRequest,
        *,
        login: str,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = 30.0,
    ) -> None:
        self.repo = repo
        self.pull = pull
        self.login = login
        self.sleep = sleep
        self.max_wait = max_wait

    # --- reading what is there -----------------------------------------------------------------------------

    def prior_state(self) -> PriorState:
        state = PriorState()
        with translated(f"list review comments of #{self.pull.number}"):
            for comment in self.pull.get_review_comments():
                if comment.user is None or comment.user.login != self.login:
                    continue
                for fp, rule, path in fingerprints_in(comment.body):
                    state.fingerprints[fp] = (rule, path or comment.path)
        with translated(f"list comments of #{self.pull.number}"):
            for issue_comment in self.pull.get_issue_comments():
                if issue_comment.user is not None and issue_comment.user.login == self.login and SUMMARY_MARKER in (issue_comment.body or ""):
                    state.summary_id = issue_comment.id
                    state.summary_body = issue_comment.body or ""
                    break
        return state

    def _review_exists(self, head_sha: str) -> bool:
        with translated(f"list reviews of #{self.pull.number}"):
            for review in self.pull.get_reviews():
                if review.user is None or review.user.login != self.login:
                    continue
                m = REVIEW_MARKER_RE.search(review.body or "")
                if m and m.group(1) == head_sha:
                    return True
        return False

    # --- writing -------------------------------------------------------------------------------------------

    def _write(self, what: str, fn: Callable[[], Any], already_done: Callable[[], bool]) -> Any:
        """One write with bounded retries; before each retry, check whether GitHub stored the first try."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return fn()
            except GithubException as exc:
                error = wrap(exc, what=what)
            except (OSError, ValueError) as exc:  # connection reset, timeouts from requests (OSError subclasses)
                error = wrap(exc, what=what)
            if not error.transient or attempt == WRITE_ATTEMPTS:
                raise error
            wait = min(self.max_wait, max(error.retry_after or 0.0, random.uniform(0, 0.5 * 2**attempt)))  # noqa: S311
            log.info("retrying %s in %.1fs after: %s", what, wait, error)
            self.sleep(wait)
            if already_done():
                return None
        raise AssertionError("unreachable")

    def post_review(self, head_sha: str, body: str, comments: list[InlineComment]) -> PostResult:
        """One COMMENT review with all inline comments; on 422 post them one by one and keep the rejects."""
        result = PostResult()
        if not comments:
            return result
        payload = {
            "commit_id": head_sha,
            "body": body,
            "event": "COMMENT",
            "comments": [c.as_api() for c in comments],
        }
        what = f"POST review on #{self.pull.number}"
        try:
            data = self._write(
                what,
                lambda: self.pull.requester.requestJsonAndCheck("POST", f"{self.pull.url}/reviews", input=payload)[1],
                lambda: self._review_exists(head_sha),
            )
        except GitHubError as exc:
            if exc.status != 422:
                raise
            log.warning("review rejected (%s); posting comments one by one", exc)
            return self._post_singly(head_sha, comments)
        result.posted = list(comments)
        result.review_id = int(data["id"]) if isinstance(data, dict) and "id" in data else None
        return result

    def _post_singly(self, head_sha: str, comments: list[InlineComment]) -> PostResult:
        result = PostResult()
        for comment in comments:
            payload = {"commit_id": head_sha, **comment.as_api()}
            try:
                self._write(
                    f"POST comment on {comment.path}:{comment.line}",
                    lambda p=payload: self.pull.requester.requestJsonAndCheck("POST", f"{self.pull.url}/comments", input=p),  # type: ignore[misc]
                    lambda fp=comment.fingerprint: fp in self.prior_state().fingerprints,  # type: ignore[misc]
                )
                result.posted.append(comment)
            except GitHubError as exc:
                if exc.status != 422:
                    raise
                result.rejected.append((comment, "GitHub could not place it on the diff"))
        return result

    def upsert_summary(self, body: str, prior: PriorState) -> int:
        """Edit the sticky summary in place, or create it once."""
        if prior.summary_id is not None:
            if prior.summary_body.strip() == body.strip():
                return prior.summary_id
            summary_id = prior.summary_id
            self._write(
                f"PATCH summary comment {summary_id}",
                lambda: self.pull.requester.requestJsonAndCheck(
                    "PATCH", f"{self.repo.url}/issues/comments/{summary_id}", input={"body": body}
                ),
                lambda: False,
            )
            return summary_id

        def exists() -> bool:
            found = self.prior_state()
            prior.summary_id = found.summary_id
            return found.summary_id is not None

        data = self._write(
            f"POST summary on #{self.pull.number}",
            lambda: self.pull.requester.requestJsonAndCheck(
                "POST", f"{self.repo.url}/issues/{self.pull.number}/comments", input={"body": body}
            )[1],
            exists,
        )
        if isinstance(data, dict):
            return int(data["id"])
        return int(prior.summary_id or 0)

    def upsert_check_run(
        self,
        head_sha: str,
        *,
        conclusion: str,
        title: str,
        summary: str,
        annotations: list[dict[str, object]],
        external_id: str,
    ) -> int | None:
        """A completed check run for the head; skipped when one with the same findings exists already."""
        existing = self._check_run(head_sha, external_id)
        if existing is not None and existing.status == "completed":
            return int(existing.id)
        batches = [annotations[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(annotations), ANNOTATIONS_PER_REQUEST)] or [[]]
        output = {"title": title, "summary": summary[:65000], "annotations": batches[0]}
        create = {
            "name": CHECK_NAME,
            "head_sha": head_sha,
            "status": "completed",
            "conclusion": conclusion,
            "external_id": external_id,
            "output": output,
        }

        data = self._write(
            f"POST check run for {head_sha[:7]}",
            lambda: self.repo.requester.requestJsonAndCheck("POST", f"{self.repo.url}/check-runs", input=create)[1],
            lambda: self._check_run(head_sha, external_id) is not None,
        )
        if not isinstance(data, dict):
            return None
        run_id = int(data["id"])
        for batch in batches[1:]:
            patch = {"output": {"title": title, "summary": summary[:65000], "annotations": batch}}
            call(
                lambda p=patch: self.repo.requester.requestJsonAndCheck("PATCH", f"{self.repo.url}/check-runs/{run_id}", input=p),  # type: ignore[misc]
                what=f"PATCH check run {run_id}",
            )
        return run_id

    def _check_run(self, head_sha: str, external_id: str) -> CheckRun | None:
        """resbot's check run for this head with these findings (by external id), if GitHub has one."""
        with translated(f"list check runs of {head_sha[:7]}"):
            for run in self.repo.get_commit(head_sha).get_check_runs(check_name=CHECK_NAME):
                if run.external_id == external_id:
                    return run
        return None

    def reply(self, body: str, *, in_reply_to_review_comment: int | None = None) -> int:
        """Post a reply: in a review-comment thread, or in the PR conversation."""
        if in_reply_to_review_comment is not None:
            url = f"{self.pull.url}/comments/{in_reply_to_review_comment}/replies"
        else:
            url = f"{self.repo.url}/issues/{self.pull.number}/comments"
        data = self._write(
            f"POST reply on #{self.pull.number}",
            lambda: self.pull.requester.requestJsonAndCheck("POST", url, input={"body": body})[1],
            lambda: False,
        )
        return int(data["id"]) if isinstance(data, dict) else 0
