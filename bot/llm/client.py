"""LLMClient: the `openai` SDK (any OpenAI-compatible endpoint, or Azure OpenAI) behind a per-call timeout,
retries with full-jitter backoff that honour `Retry-After`, a circuit breaker, a global and a per-installation
concurrency limit, and a daily token budget per installation.

Build one per process and share it between worker threads: the limits and the breaker live on it.
Every way a call cannot happen or fails ends in `LLMUnavailable(reason)` (one human line); a reply that is
not the JSON asked for, after one repair round, ends in `LLMReplyError`.

`llm_daily_tokens = 0` means no daily cap (turn the model off with `.resbot.yml` `llm.enabled: false` or by
leaving it unconfigured). The cap is checked before each call against what the ledger holds, so concurrent
calls may overshoot it by at most one call each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import openai
from pydantic import BaseModel

from bot.errors import LLMReplyError, LLMUnavailable
from bot.llm.breaker import CircuitBreaker
from bot.llm.budget import count_message_tokens, count_tokens
from bot.llm.ledger import UsageLedger, installation_key, utc_today
from bot.llm.reply import parse_reply, response_format
from bot.settings import Settings

log = logging.getLogger(__name__)

LEDGER_NAME = "llm-usage.sqlite3"
_REPAIR_ECHO_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Completion:
    """One answered request: the reply text, the parsed schema object (when one was asked for), and the
    tokens it cost (both rounds, when the first reply needed repair)."""

    text: str
    parsed: BaseModel | None
    tokens_in: int
    tokens_out: int
    model: str
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class _Failure:
    what: str
    retryable: bool
    retry_after: float | None = None
    counts: bool = True  # whether it says something about the endpoint's health (feeds the breaker)


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked to wait: `retry-after-ms`, then `retry-after` (seconds or HTTP date)."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        with contextlib.suppress(ValueError):
            return max(0.0, float(ms) / 1000)
    value = headers.get("retry-after")
    if not value:
        return None
    with contextlib.suppress(ValueError):
        return max(0.0, float(value))
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
    return None


def _classify(exc: Exception, model: str) -> _Failure:
    if isinstance(exc, openai.APITimeoutError):
        return _Failure("timed out", True)
    if isinstance(exc, openai.APIConnectionError):
        return _Failure("could not connect", True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        wait = _retry_after(exc.response.headers)
        code = getattr(exc, "code", None)
        if status == 429 and code == "insufficient_quota":
            return _Failure("the endpoint's quota is exhausted (429 insufficient_quota)", False, counts=False)
        if status == 429:
            return _Failure("rate limited (429)", True, wait)
        if status >= 500 or status in (408, 409):
            return _Failure(f"server error {status}", True, wait)
        if status in (401, 403):
            return _Failure(f"the endpoint refused the credentials ({status})", False, counts=False)
        if status == 404:
            return _Failure(f"model {model!r} or endpoint not found (404)", False, counts=False)
        message = " ".join(str(getattr(exc, "message", exc)).split())[:200]
        return _Failure(f"the endpoint rejected the request ({status}: {message})", False, counts=False)
    return _Failure(f"{type(exc).__name__}: {exc}", False)


def _mentions_response_format(exc: openai.APIStatusError) -> bool:
    text = f"{getattr(exc, 'message', '')} {getattr(exc, 'param', '') or ''} {exc.body!r}".lower()
    return "response_format" in text or "json_schema" in text or "structured" in text


class LLMClient:
    """Chat completions with the protections above; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        today: Callable[[], dt.date] = utc_today,
        backoff_base: float = 0.5,
        backoff_cap: float = 20.0,
        max_retry_after: float = 60.0,
    ) -> None:
        self.settings = settings
        self.breaker = CircuitBreaker(
            failures=settings.llm_breaker_failures, reset_seconds=settings.llm_breaker_reset, clock=clock
        )
        self.ledger = UsageLedger(settings.data_dir / LEDGER_NAME, today=today)
        self._sleep = sleep
        self._jitter = jitter
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._global = threading.BoundedSemaphore(settings.llm_concurrency)
        self._per_installation: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._sdk: openai.OpenAI | None = None
        # Flipped off the first time the endpoint rejects `response_format`; JSON-in-text works everywhere.
        self.structured_outputs = True

    # --- readiness ----------------------------------------------------------------------------------------

    def _not_configured(self) -> str | None:
        s = self.settings
        if not s.llm_configured:
            return "not configured (set OPENAI_API_KEY, or OPENAI_BASE_URL for a local endpoint)"
        if s.azure_api_version and not s.openai_base_url:
            return "not configured (Azure OpenAI needs OPENAI_BASE_URL, the resource endpoint)"
        return None

    def available(self, installation: str | int | None = None) -> tuple[bool, str]:
        """(True, "ready") or (False, the reason a call would not be made now)."""
        if (reason := self._not_configured()) is not None:
            return False, reason
        if self.breaker.state == "open":
            return False, f"circuit breaker open ({self.breaker.describe()})"
        try:
            self._check_budget(installation, 0)
        except LLMUnavailable as exc:
            return False, exc.reason
        return True, "ready"

    def _check_budget(self, installation: str | int | None, estimate: int) -> None:
        limit = self.settings.llm_daily_tokens
        if limit <= 0:
            return
        used = self.ledger.usage(installation).total
        if used >= limit or used + estimate > limit:
            raise LLMUnavailable(
                f"daily token budget exhausted ({used:,} of {limit:,} tokens used today (UTC) by "
                f"installation {installation_key(installation)}; this call needs about {estimate:,})"
            )

    # --- the SDK ------------------------------------------------------------------------------------------

    def _client(self) -> openai.OpenAI:
        with self._lock:
            if self._sdk is None:
                s = self.settings
                key = s.openai_api_key.get_secret_value() if s.openai_api_key else "unused"
                if s.azure_api_version:
                    self._sdk = openai.AzureOpenAI(
                        azure_endpoint=s.openai_base_url or "",
                        api_version=s.azure_api_version,
                        api_key=key,
                        timeout=s.llm_timeout,
                        max_retries=0,  # retries are ours: jitter, Retry-After, breaker
                    )
                else:
                    self._sdk = openai.OpenAI(
                        api_key=key, base_url=s.openai_base_url or None, timeout=s.llm_timeout, max_retries=0
                    )
            return self._sdk

    def close(self) -> None:
        with self._lock:
            if self._sdk is not None:
                self._sdk.close()
                self._sdk = None

    @contextlib.contextmanager
    def _slots(self, installation: str | int | None) -> Iterator[None]:
        key = installation_key(installation)
        with self._lock:
            mine = self._per_installation.get(key)
            if mine is None:
                mine = self._per_installation[key] = threading.BoundedSemaphore(
                    self.settings.llm_installation_concurrency
                )
        wait = self.settings.llm_timeout * (self.settings.llm_retries + 1)
        # Installation first: a busy installation waits on its own slots without holding a global one.
        if not mine.acquire(timeout=wait):
            raise LLMUnavailable(f"busy: installation {key} already has its maximum of model calls in flight")
        try:
            if not self._global.acquire(timeout=wait):
                raise LLMUnavailable("busy: the maximum of concurrent model calls is in flight")
            try:
                yield
            finally:
                self._global.release()
        finally:
            mine.release()

    def _create(self, messages: Sequence[Mapping[str, str]], schema: type[BaseModel] | None) -> Any:
        kwargs: dict[str, Any] = {"model": self.settings.model, "messages": list(messages)}
        if schema is not None and self.structured_outputs:
            kwargs["response_format"] = response_format(schema)
        try:
            return self._client().chat.completions.create(**kwargs)
        except openai.BadRequestError as exc:
            if "response_format" in kwargs and _mentions_response_format(exc):
                log.info("endpoint rejects structured outputs; asking for JSON in text from now on")
                self.structured_outputs = False
                del kwargs["response_format"]
                return self._client().chat.completions.create(**kwargs)
            raise

    def _backoff(self, attempt: int) -> float:
        return float(self._jitter()) * min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))

    def _send(
        self, messages: Sequence[Mapping[str, str]], schema: type[BaseModel] | None, installation: str | int | None
    ) -> tuple[str, int, int, str, int]:
        """One request with retries: (text, tokens_in, tokens_out, model, attempts)."""
        attempts = self.settings.llm_retries + 1
        last: _Failure | None = None
        for attempt in range(1, attempts + 1):
            if not self.breaker.allow():
                raise LLMUnavailable(f"circuit breaker open ({self.breaker.describe()})")
            try:
                with self._slots(installation):
                    response = self._create(messages, schema)
            except LLMUnavailable:
                self.breaker.release()
                raise
            except openai.OpenAIError as exc:
                failure = _classify(exc, self.settings.model)
                if failure.counts:
                    self.breaker.failure()
                else:
                    self.breaker.release()
                if not failure.retryable:
                    raise LLMUnavailable(failure.what) from exc
                last = failure
                if attempt == attempts:
                    break
                delay = failure.retry_after if failure.retry_after is not None else self._backoff(attempt)
                if delay > self.max_retry_after:
                    raise LLMUnavailable(f"{failure.what}: the endpoint asks to wait {delay:.0f} s") from exc
                log.info("model call %s (attempt %d of %d); retrying in %.2f s", failure.what, attempt, attempts, delay)
                self._sleep(delay)
                continue
            self.breaker.success()
            return self._read(response, messages, installation, attempt)
        what = last.what if last else "failed"
        raise LLMUnavailable(f"{what} after {attempts} attempt{'s' if attempts != 1 else ''}")

    def _read(
        self, response: Any, messages: Sequence[Mapping[str, str]], installation: str | int | None, attempt: int
    ) -> tuple[str, int, int, str, int]:
        choice = response.choices[0] if response.choices else None
        message = choice.message if choice is not None else None
        text = (message.content if message is not None else None) or ""
        refusal = getattr(message, "refusal", None) if message is not None else None
        usage = response.usage
        enc = self.settings.tiktoken_encoding
        tokens_in = usage.prompt_tokens if usage else count_message_tokens(messages, encoding_name=enc)
        tokens_out = usage.completion_tokens if usage else count_tokens(text, encoding_name=enc)
        self.ledger.add(installation, tokens_in, tokens_out)
        if refusal and not text:
            raise LLMReplyError(f"the model refused: {' '.join(str(refusal).split())[:200]}", tokens_in=tokens_in, tokens_out=tokens_out)
        return text, tokens_in, tokens_out, str(response.model or self.settings.model), attempt

    # --- the one entry point ------------------------------------------------------------------------------

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        schema: type[BaseModel] | None,
        installation: str | int | None,
        purpose: str,
    ) -> Completion:
        """Send a chat; with a schema, parse the reply (one repair round if it does not parse)."""
        if (reason := self._not_configured()) is not None:
            raise LLMUnavailable(reason)
        estimate = count_message_tokens(messages, encoding_name=self.settings.tiktoken_encoding)
        self._check_budget(installation, estimate)
        text, t_in, t_out, model, attempts = self._send(messages, schema, installation)
        log.info("model call for %s: %d tokens in, %d out (%s)", purpose, t_in, t_out, model)
        if schema is None:
            return Completion(text, None, t_in, t_out, model, attempts)
        try:
            return Completion(text, parse_reply(text, schema), t_in, t_out, model, attempts)
        except LLMReplyError as first:
            log.info("model reply for %s unusable (%s); asking once more", purpose, first.reason)
            repair = [
                *messages,
                {"role": "assistant", "content": text[:_REPAIR_ECHO_CHARS]},
                {
                    "role": "user",
                    "content": f"That reply could not be used: {first.reason}. Answer again with only the JSON "
                    "object the schema describes, and nothing else.",
                },
            ]
            try:
                self._check_budget(installation, count_message_tokens(repair, encoding_name=self.settings.tiktoken_encoding))
                text2, t_in2, t_out2, model, more = self._send(repair, schema, installation)
            except LLMUnavailable as exc:
                raise LLMReplyError(f"{first.reason} (no second try: {exc.reason})", tokens_in=t_in, tokens_out=t_out) from exc
            t_in, t_out = t_in + t_in2, t_out + t_out2
            try:
                parsed = parse_reply(text2, schema)
            except LLMReplyError as second:
                raise LLMReplyError(
                    f"the model's reply was not usable twice ({second.reason})", tokens_in=t_in, tokens_out=t_out
                ) from second
            return Completion(text2, parsed, t_in, t_out, model, attempts + more)
