"""The one exception tree of resbot.

    BotError
    ├── UsageError            bad command-line input (exit 2)
    ├── ConfigError           invalid .resbot.yml or settings (exit 2)
    ├── RuleError             a rule file that does not validate (exit 2)
    ├── SourceError           a path, diff or git range that cannot be read (exit 2)
    │   └── DiffError         a malformed unified diff
    ├── AnalysisError         a failure inside the analysis core (exit 3)
    ├── GitHubError           a GitHub call failed (transient: retry later; permanent: dead-letter)
    ├── QueueError            the job queue could not record or hand out work (bot.jobs.queue)
    └── LLMError              the model endpoint failed or answered something unusable (bot.llm)
        ├── LLMUnavailable    no model call possible now: not configured, over budget, breaker open,
        │                     endpoint down; `reason` is one human line (the review goes out rules-only)
        └── LLMReplyError     the model answered, but not JSON matching the schema

Library errors are wrapped where they enter (unidiff, git, tree-sitter, YAML); the CLI turns a BotError
into one clear line on stderr and its exit code, never a traceback.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error resbot raises on purpose."""

    exit_code = 3


class UsageError(BotError):
    """The command line asked for something that cannot be done."""

    exit_code = 2


class ConfigError(BotError):
    """A configuration file or setting is invalid."""

    exit_code = 2


class RuleError(BotError):
    """A rule file is invalid; the message names the file and the field."""

    exit_code = 2


class SourceError(BotError):
    """A path, diff or git range cannot be read."""

    exit_code = 2


class DiffError(SourceError):
    """A unified diff is malformed."""


class AnalysisError(BotError):
    """The analysis core failed on input it should have handled."""

    exit_code = 3


class GitHubError(BotError):
    """A GitHub API call failed; `transient` says whether retrying later can help."""

    exit_code = 3

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient
        self.retry_after = retry_after


class LLMError(BotError):
    """The model endpoint failed or answered something unusable; `reason` is one human line."""

    exit_code = 3

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LLMUnavailable(LLMError):
    """No model call can be made now (not configured, budget exhausted, breaker open, endpoint down)."""


class LLMReplyError(LLMError):
    """The model answered, but its reply does not parse as JSON matching the expected schema; the tokens
    the unusable replies cost are carried along so that they are still counted."""

    def __init__(self, reason: str, *, tokens_in: int = 0, tokens_out: int = 0) -> None:
        super().__init__(reason)
        self.tokens_in = tokens_in
        self.tokens_out = tokens_out
