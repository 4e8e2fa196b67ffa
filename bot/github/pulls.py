"""Reading a pull request from GitHub: its metadata, changed files (paginated), file texts, base config and the
head's file tree."""

from __future__ import annotations

import base64
import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from github import GithubException
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.config import CONFIG_NAMES, RepoConfig, parse_config
from bot.errors import ConfigError, GitHubError
from bot.github.client import call, translated, wrap

MAX_PR_FILES = 3000  # GitHub lists at most 3000 files of a pull request


@dataclass(frozen=True, slots=True)
class PullFile:
    """One entry of GET /pulls/{n}/files; `patch` is None when GitHub leaves it out (huge or binary files)."""

    path: str
    status: str
    previous_path: str | None
    patch: str | None
    blob_sha: str | None
    additions: int
    deletions: int


@dataclass(frozen=True, slots=True)
class PullSnapshot:
    """What the review needs to know about a pull request at one head."""

    repo: str
    number: int
    head_sha: str
    base_sha: str
    base_ref: str
    state: str
    draft: bool
    title: str
    body: str
    author: str
    files: tuple[PullFile, ...]
    files_truncated: bool


def open_pull(repo: Repository, number: int) -> PullRequest:
    return call(lambda: repo.get_pull(number), what=f"GET pull {repo.full_name}#{number}")


def list_files(pull: PullRequest) -> tuple[list[PullFile], bool]:
    """All changed files (100 per page); the second value says GitHub's 3000-file cap was hit."""
    files: list[PullFile] = []
    with translated(f"list files of #{pull.number}"):
        for f in pull.get_files():
            files.append(
                PullFile(
                    path=f.filename,
                    status=f.status,
                    previous_path=f.previous_filename,
                    patch=f.patch,
                    blob_sha=f.sha,
                    additions=f.additions,
                    deletions=f.deletions,
                )
            )
    return files, len(files) >= MAX_PR_FILES


def snapshot(repo: Repository, pull: PullRequest) -> PullSnapshot:
    files, truncated = list_files(pull)
    return PullSnapshot(
        repo=repo.full_name,
        number=pull.number,
        head_sha=pull.head.sha,
        base_sha=pull.base.sha,
        base_ref=pull.base.ref,
        state=pull.state,
        draft=bool(pull.draft),
        title=pull.title or "",
        body=pull.body or "",
        author=pull.user.login if pull.user else "",
        files=tuple(files),
        files_truncated=truncated,
    )


def read_config(repo: Repository, ref: str) -> tuple[RepoConfig, str | None]:
    """`.resbot.yml` at `ref` (the PR's base): the config, plus the validation error if it is invalid."""
    for name in CONFIG_NAMES:
        try:
            content = repo.get_contents(name, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                continue
            raise wrap(exc, what=f"read {name}") from exc
        if isinstance(content, list):
            return RepoConfig(), f"{name} is a directory"
        try:
            text = content.decoded_content.decode("utf-8")
            return parse_config(text, source=name), None
        except UnicodeDecodeError:
            return RepoConfig(), f"{name} is not UTF-8 text"
        except ConfigError as exc:
            return RepoConfig(), str(exc)
    return RepoConfig(), None


@dataclass(frozen=True, slots=True)
class TreeBlob:
    """One file of a git tree listing: its blob sha and size in bytes (None when GitHub leaves it out)."""

    sha: str
    size: int | None


def list_tree(repo: Repository, sha: str) -> dict[str, TreeBlob] | None:
    """Every file at commit `sha` (path -> blob), in one recursive call; None when GitHub truncated the
    listing (over 100,000 entries or 7 MB), since a partial list cannot say a file is absent."""
    tree = call(lambda: repo.get_git_tree(sha, recursive=True), what=f"GET tree of {sha[:12]}")
    if tree.truncated is not False:  # truncated, or a reply that does not say: either way not a whole list
        return None
    return {e.path: TreeBlob(e.sha, e.size) for e in tree.tree if e.type == "blob"}


def fetch_blobs(repo: Repository, shas: dict[str, str], *, concurrency: int) -> dict[str, bytes]:
    """Texts of files by blob sha (path -> bytes), fetched in parallel by a bounded pool (a bulkhead)."""

    def one(item: tuple[str, str]) -> tuple[str, bytes]:
        path, sha = item
        blob = call(lambda: repo.get_git_blob(sha), what=f"GET blob of {path}")
        if blob.encoding == "base64":
            return path, base64.b64decode(blob.content or "")
        return path, (blob.content or "").encode("utf-8")

    if not shas:
        return {}
    out: dict[str, bytes] = {}
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=min(concurrency, len(shas)), thread_name_prefix="resbot-blob") as pool:
        for path, data in pool.map(lambda item: context.copy().run(one, item), shas.items()):
            out[path] = data
    return out


__all__ = [
    "GitHubError",
    "PullFile",
    "PullSnapshot",
    "TreeBlob",
    "fetch_blobs",
    "list_files",
    "list_tree",
    "open_pull",
    "read_config",
    "snapshot",
]
