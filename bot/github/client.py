"""PyGithub clients for an App installation or a token: timeouts, retries that honour Retry-After, token cache.

PyGithub 2.x defaults that this module changes, and why:
- it sleeps 0.25 s between requests and 1 s between writes: a 300-file PR would take minutes, so the
  pauses are tuned down (writes stay spaced a little to stay clear of secondary rate limits);
- its default retry also retries POST on 5xx, which can post a review twice when GitHub stored it before
  answering 502: here only safe methods are retried by the transport, and every write is made idempotent
  by the publisher (it looks for its marker before writing again);
- `GithubIntegration` has no retry by default: it gets the same retry policy.
"""

from __future__ import annotations

import contextvars
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from github import Auth, Github, GithubException, GithubIntegration, GithubRetry
from github.GithubException import RateLimitExceededException
from requests.exceptions import RequestException, RetryError
from urllib3.util.retry import Retry

from bot.errors import ConfigError, GitHubError
from bot.settings import Settings

T = TypeVar("T")

USER_AGENT = "resbot"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


MAX_IN_THREAD_WAIT = 60.0


class _Retry(GithubRetry):
    """GithubRetry whose in-thread wait for a Retry-After is bounded; a longer wait goes back to the queue.

    When the bounded retries run out, the job fails as transient with the server's Retry-After, and the
    queue schedules it no earlier than that: a worker thread never sleeps for an hour.
    """

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), MAX_IN_THREAD_WAIT)


def retry_policy(settings: Settings) -> Retry:
    """Transport retries for safe methods: 5xx, 429 and rate-limit 403s, honouring Retry-After, with jitter."""
    return _Retry(
        total=settings.github_retries,
        backoff_factor=0.5,
        backoff_max=30,
        backoff_jitter=0.5,
        status_forcelist=[*range(500, 600), 429],
        allowed_methods=SAFE_METHODS,
        secondary_rate_wait=60,
        max_rate_limit_wait=120,
    )


def _client_options(settings: Settings) -> dict[str, Any]:
    return {
        "base_url": settings.github_api_url,
        "timeout": int(max(1, settings.github_timeout)),
        "user_agent": USER_AGENT,
        "per_page": 100,
        "retry": retry_policy(settings),
        "pool_size": max(10, settings.github_concurrency * 2),
        "seconds_between_requests": None,
        "seconds_between_writes": 0.05,
    }


@dataclass(frozen=True, slots=True)
class Identity:
    """Who resbot is on GitHub: its login (`<slug>[bot]` for an App), used to find its own comments."""

    login: str


class GitHubClients:
    """Builds and caches authenticated PyGithub clients (one per installation; tokens refresh themselves)."""

    def __init__(self, settings: Settings, *, cache_size: int = 256) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._installations: OrderedDict[int, Github] = OrderedDict()
        self._cache_size = cache_size
        self._integration: GithubIntegration | None = None
        self._identity: Identity | None = None
        self._app_auth: Auth.AppAuth | None = None
        key = settings.private_key() if settings.github_app_id is not None else None
        if settings.github_app_id is not None:
            if not key:
                raise ConfigError("GITHUB_APP_ID is set but neither GITHUB_PRIVATE_KEY nor GITHUB_PRIVATE_KEY_PATH is")
            self._app_auth = Auth.AppAuth(settings.github_app_id, key)

    @property
    def is_app(self) -> bool:
        return self._app_auth is not None

    def integration(self) -> GithubIntegration:
        if self._app_auth is None:
            raise ConfigError("GitHub App credentials are not configured (GITHUB_APP_ID and GITHUB_PRIVATE_KEY)")
        with self._lock:
            if self._integration is None:
                self._integration = GithubIntegration(auth=self._app_auth, **_client_options(self.settings))
            return self._integration

    def for_installation(self, installation_id: int) -> Github:
        """A client acting as the installation; PyGithub caches its token until shortly before expiry."""
        if self._app_auth is None:
            return self.for_token()
        with self._lock:
            client = self._installations.get(installation_id)
            if client is not None:
                self._installations.move_to_end(installation_id)
                return client
        auth = self._app_auth.get_installation_auth(installation_id)
        client = Github(auth=auth, **_client_options(self.settings))
        with self._lock:
            self._installations[installation_id] = client
            while len(self._installations) > self._cache_size:
                self._installations.popitem(last=False)
        return client

    def for_token(self) -> Github:
        if self.settings.github_token is None:
            raise ConfigError("set GITHUB_TOKEN (or the GitHub App variables) to talk to GitHub")
        return Github(auth=Auth.Token(self.settings.github_token.get_secret_value()), **_client_options(self.settings))

    def installation_for_repo(self, full_name: str) -> int:
        owner, _, name = full_name.partition("/")
        installation = call(lambda: self.integration().get_repo_installation(owner, name), what=f"installation of {full_name}")
        return int(installation.id)

    def identity(self) -> Identity:
        """The login resbot's own comments carry (cached)."""
        if self._identity is None:
            if self.is_app:
                app = call(lambda: self.integration().get_app(), what="GET /app")
                login = f"{app.slug}[bot]"
            else:
                try:
                    login = call(lambda: self.for_token().get_user().login, what="GET /user")
                except GitHubError as exc:
                    if exc.status not in (403, 404):
                        raise
                    login = "github-actions[bot]"  # a workflow token cannot read /user; it posts as this bot

            self._identity = Identity(login)
        return self._identity


def retry_after_of(exc: GithubException) -> float | None:
    headers = exc.headers or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
        if name.lower() == "x-ratelimit-reset" and str(headers.get("x-ratelimit-remaining", "1")) == "0":
            try:
                return max(0.0, float(value) - time.time())
            except ValueError:
                return None
    return None


def is_transient(exc: GithubException) -> bool:
    if exc.status >= 500 or exc.status == 429 or isinstance(exc, RateLimitExceededException):
        return True
    message = str(getattr(exc, "data", "") or "").lower()
    return exc.status == 403 and ("rate limit" in message or retry_after_of(exc) is not None)


def wrap(exc: Exception, *, what: str) -> GitHubError:
    """Turn a library error into a GitHubError that says whether a retry can help."""
    if isinstance(exc, GithubException):
        message = exc.data.get("message") if isinstance(exc.data, dict) else exc.data
        return GitHubError(
            f"GitHub {what}: HTTP {exc.status}: {message or exc}",
            status=exc.status,
            transient=is_transient(exc),
            retry_after=retry_after_of(exc),
        )
    if isinstance(exc, RetryError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        found = re.search(r"too many (\d{3}) error", str(reason or exc))
        status = int(found.group(1)) if found else None
        text = f"HTTP {status} on every retry" if status else f"retries exhausted ({reason or exc})"
        return GitHubError(f"GitHub {what}: {text}", status=status, transient=True)
    return GitHubError(f"GitHub {what}: {type(exc).__name__}: {exc}", transient=True)


NETWORK_ERRORS: tuple[type[Exception], ...] = (RequestException, TimeoutError, ConnectionError)


# Who wants to hear about GitHub operations and their failures (the worker sets it to its metrics).
CallObserver = Callable[[str, int | None], None]
OBSERVER: contextvars.ContextVar[CallObserver | None] = contextvars.ContextVar("resbot_github_observer", default=None)


def _observe(what: str, status: int | None) -> None:
    observer = OBSERVER.get()
    if observer is not None:
        observer(what.split(" ", 1)[0], status)


def call(fn: Callable[[], T], *, what: str) -> T:
    """Run one PyGithub call, turning its errors into GitHubError."""
    with translated(what):
        return fn()


@contextmanager
def translated(what: str) -> Iterator[None]:
    """The same as `call`, for a block (iterating paginated lists)."""
    try:
        yield
    except GithubException as exc:
        _observe(what, exc.status)
        raise wrap(exc, what=what) from exc
    except NETWORK_ERRORS as exc:
        _observe(what, 0)
        raise wrap(exc, what=what) from exc
    _observe(what, None)
