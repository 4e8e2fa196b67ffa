"""Process settings (environment variables of DESIGN §3 plus tuning knobs): typed, built once, passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Permission = Literal["read", "triage", "write", "maintain", "admin"]


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "state" / "resbot"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Everything a resbot process needs to know about its environment.

    Field names are the attribute names used in code; each reads the environment variable DESIGN §3 names.
    Tests and the CLI build one with keyword arguments (`Settings(github_api_url=...)`).
    """

    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True, env_ignore_empty=True)

    # --- GitHub -------------------------------------------------------------------------------------------
    github_app_id: int | None = Field(default=None, validation_alias=_env("GITHUB_APP_ID"))
    github_private_key: SecretStr | None = Field(default=None, validation_alias=_env("GITHUB_PRIVATE_KEY"))
    github_private_key_path: Path | None = Field(default=None, validation_alias=_env("GITHUB_PRIVATE_KEY_PATH"))
    github_webhook_secret: SecretStr | None = Field(default=None, validation_alias=_env("GITHUB_WEBHOOK_SECRET"))
    github_api_url: str = Field(default="https://api.github.com", validation_alias=_env("GITHUB_API_URL"))
    github_token: SecretStr | None = Field(default=None, validation_alias=_env("GITHUB_TOKEN"))
    github_timeout: float = Field(default=15.0, gt=0, validation_alias=_env("RESBOT_GITHUB_TIMEOUT"))
    github_retries: int = Field(default=4, ge=0, le=10, validation_alias=_env("RESBOT_GITHUB_RETRIES"))
    github_concurrency: int = Field(default=8, ge=1, le=64, validation_alias=_env("RESBOT_GITHUB_CONCURRENCY"))
    command_permission: Permission = Field(default="write", validation_alias=_env("RESBOT_COMMAND_PERMISSION"))
    review_drafts: bool = Field(default=False, validation_alias=_env("RESBOT_REVIEW_DRAFTS"))

    # --- LLM ----------------------------------------------------------------------------------------------
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL"))
    model: str = Field(default="gpt-4o-mini", validation_alias=_env("RESBOT_MODEL"))
    azure_api_version: str | None = Field(default=None, validation_alias=_env("OPENAI_API_VERSION"))
    llm_timeout: float = Field(default=60.0, gt=0, validation_alias=_env("RESBOT_LLM_TIMEOUT"))
    llm_retries: int = Field(default=3, ge=0, le=10, validation_alias=_env("RESBOT_LLM_RETRIES"))
    llm_concurrency: int = Field(default=4, ge=1, validation_alias=_env("RESBOT_LLM_CONCURRENCY"))
    llm_installation_concurrency: int = Field(default=2, ge=1, validation_alias=_env("RESBOT_LLM_INSTALLATION_CONCURRENCY"))
    llm_max_calls: int = Field(default=4, ge=1, le=50, validation_alias=_env("RESBOT_LLM_MAX_CALLS"))
    llm_tokens_per_call: int = Field(default=12_000, ge=1_000, validation_alias=_env("RESBOT_LLM_TOKENS_PER_CALL"))
    llm_daily_tokens: int = Field(default=2_000_000, ge=0, validation_alias=_env("RESBOT_LLM_DAILY_TOKENS"))
    llm_breaker_failures: int = Field(default=5, ge=1, validation_alias=_env("RESBOT_LLM_BREAKER_FAILURES"))
    llm_breaker_reset: float = Field(default=60.0, gt=0, validation_alias=_env("RESBOT_LLM_BREAKER_RESET"))
    tiktoken_encoding: str = Field(default="cl100k_base", validation_alias=_env("RESBOT_TIKTOKEN_ENCODING"))

    # --- service ------------------------------------------------------------------------------------------
    data_dir: Path = Field(default_factory=_default_data_dir, validation_alias=_env("RESBOT_DATA_DIR"))
    queue_url: str | None = Field(default=None, validation_alias=_env("RESBOT_QUEUE_URL"))
    workers: int = Field(default=2, ge=0, le=64, validation_alias=_env("RESBOT_WORKERS"))
    installation_concurrency: int = Field(default=2, ge=1, validation_alias=_env("RESBOT_INSTALLATION_CONCURRENCY"))
    max_body_bytes: int = Field(default=25 * 1024 * 1024, ge=1024, validation_alias=_env("RESBOT_MAX_BODY_BYTES"))
    job_attempts: int = Field(default=5, ge=1, le=50, validation_alias=_env("RESBOT_JOB_ATTEMPTS"))
    job_lease_seconds: float = Field(default=300.0, gt=0, validation_alias=_env("RESBOT_JOB_LEASE_SECONDS"))
    retry_base_seconds: float = Field(default=2.0, gt=0, validation_alias=_env("RESBOT_RETRY_BASE_SECONDS"))
    retry_max_seconds: float = Field(default=300.0, gt=0, validation_alias=_env("RESBOT_RETRY_MAX_SECONDS"))
    rules_dir: Path | None = Field(default=None, validation_alias=_env("RESBOT_RULES_DIR"))

    @field_validator("github_api_url")
    @classmethod
    def _no_trailing_slash(cls, v: str) -> str:
        return v.rstrip("/")

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    def private_key(self) -> str | None:
        """The App's PEM private key, from the variable or the file it names."""
        if self.github_private_key is not None:
            return self.github_private_key.get_secret_value().replace("\\n", "\n")
        if self.github_private_key_path is not None:
            return self.github_private_key_path.read_text(encoding="utf-8")
        return None
