"""Repository configuration (`.resbot.yml`): validated once, frozen, passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import ConfigError
from bot.models import Confidence, Severity

CONFIG_NAMES = (".resbot.yml", ".resbot.yaml")
DEFAULT_MAX_FILE_BYTES = 1_000_000


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RulesConfig(_Frozen):
    enable: list[str] | None = Field(default=None, description="only these rule ids (default: all)")
    disable: list[str] = Field(default_factory=list)
    opt_in: list[str] = Field(
        default_factory=list, alias="opt-in", description="rule ids to run even below the confidence floor"
    )
    severity: dict[str, str] = Field(default_factory=dict, description="rule id -> severity override")

    @field_validator("severity")
    @classmethod
    def _levels(cls, v: dict[str, str]) -> dict[str, str]:
        for level in v.values():
            Severity.parse(level)
        return v


class PathsConfig(_Frozen):
    include: list[str] = Field(default_factory=list, description="gitignore-style globs; empty = all")
    exclude: list[str] = Field(default_factory=list, description="gitignore-style globs")


class LlmConfig(_Frozen):
    enabled: bool = True
    triage: bool = Field(default=False, description="let the model mark rule findings as false positives (not posted)")


class RepoConfig(_Frozen):
    rules: RulesConfig = RulesConfig()
    min_severity: str = Field(default="info", alias="min-severity")
    min_confidence: str = Field(
        default="medium", alias="min-confidence",
        description="run only rules at least this precise on real code (low | medium | high)",
    )
    fail_on: str = Field(default="high", alias="fail-on", description="check run fails at/above this severity")
    paths: PathsConfig = PathsConfig()
    llm: LlmConfig = LlmConfig()
    max_comments: int = Field(default=30, alias="max-comments", ge=0, le=500)
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, alias="max-file-bytes", ge=1_000)
    instructions: str = Field(default="", max_length=4000)

    @field_validator("min_severity", "fail_on")
    @classmethod
    def _floor(cls, v: str) -> str:
        Severity.parse(v)
        return v

    @field_validator("min_confidence")
    @classmethod
    def _confidence(cls, v: str) -> str:
        Confidence.parse(v)
        return v

    @property
    def confidence_floor(self) -> Confidence:
        return Confidence.parse(self.min_confidence)

    @property
    def severity_floor(self) -> Severity:
        return Severity.parse(self.min_severity)

    @property
    def severity_fail_on(self) -> Severity:
        return Severity.parse(self.fail_on)


def parse_config(text: str, *, source: str = ".resbot.yml") -> RepoConfig:
    """Validate config text; errors name the file and the field."""
    try:
        data: Any = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}{where}: not valid YAML: {' '.join(str(getattr(exc, 'problem', None) or exc).split())}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    try:
        return RepoConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError(f"{source}: field `{loc}`: {first['msg']}") from exc


def load_config(root: Path, explicit: Path | None = None) -> RepoConfig:
    """Read `.resbot.yml` at the root of a checkout (or an explicit file); defaults when absent."""
    candidates = [explicit] if explicit else [root / n for n in CONFIG_NAMES]
    for path in candidates:
        if path is not None and path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read: {exc}") from exc
            return parse_config(text, source=str(path))
        if explicit is not None:
            raise ConfigError(f"{explicit}: config file not found")
    return RepoConfig()
