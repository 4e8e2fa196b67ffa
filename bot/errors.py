"""The one exception tree of resbot.

    BotError
    ├── UsageError            bad command-line input (exit 2)
    ├── ConfigError           invalid .resbot.yml or settings (exit 2)
    ├── RuleError             a rule file that does not validate (exit 2)
    ├── SourceError           a path, diff or git range that cannot be read (exit 2)
    │   └── DiffError         a malformed unified diff
    └── AnalysisError         a failure inside the analysis core (exit 3)

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
