"""The one place model replies are parsed: JSON (bare, fenced, wrapped in prose, or structured output)
validated against pydantic schemas; also the strict JSON schema sent as `response_format`."""

from __future__ import annotations

import copy
import json
import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from bot.errors import LLMReplyError

# The categories a model finding may take: the rule pack's families plus what only a reader sees.
CATEGORIES = (
    "resilience/timeout",
    "resilience/retry",
    "resilience/circuit-breaker",
    "resilience/bulkhead",
    "resilience/throttling",
    "resilience/cache",
    "resilience/cancellation",
    "reliability/async",
    "reliability/error-handling",
    "reliability/resource-leak",
    "reliability/concurrency",
    "reliability/semantics",
    "reliability/observability",
    "security/injection",
    "security/tls",
    "security/deserialization",
    "security/crypto",
    "security/secrets",
)
SEVERITIES = ("info", "low", "medium", "high", "critical")

_FENCED = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n(.*?)\n?```", re.S)
_MAX_START_TRIES = 64

M = TypeVar("M", bound=BaseModel)


class ModelFinding(BaseModel):
    """One problem the model reports on a line of the new file."""

    model_config = ConfigDict(extra="ignore")

    path: str = Field(description="file path exactly as shown in the section header")
    line: int = Field(description="new-file line number of a line marked +")
    end_line: int | None = Field(default=None, description="last line of a multi-line finding, or null")
    category: str = Field(description="one of the listed categories")
    severity: str = Field(description="info | low | medium | high | critical")
    confidence: float = Field(ge=0.0, le=1.0, description="0..1: how sure you are this is a real problem")
    title: str = Field(max_length=200, description="one line")
    message: str = Field(max_length=4000, description="what goes wrong in production, and the fix")

    @field_validator("path", mode="before")
    @classmethod
    def _path(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.strip().strip("`")
            for prefix in ("./", "b/"):
                if v.startswith(prefix):
                    v = v[len(prefix) :]
        return v

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.strip().lower()
            return v if v in SEVERITIES else "medium"
        return v

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, v: object) -> object:
        # Some models answer on a 0-100 scale or as a percentage string.
        if isinstance(v, str) and v.strip().endswith("%"):
            v = float(v.strip()[:-1]) / 100
        if isinstance(v, int | float) and 1 < v <= 100:
            return v / 100
        return v


class ModelTriage(BaseModel):
    """The model's verdict on one rule finding given as a hint."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="hint id, e.g. R3")
    verdict: Literal["false_positive", "valid"]
    reason: str = Field(max_length=1000)


class ReviewReply(BaseModel):
    """What the review prompt asks for. Invalid findings are dropped one by one and counted, so one bad
    item does not cost the whole reply."""

    model_config = ConfigDict(extra="ignore")

    findings: list[ModelFinding]
    triage: list[ModelTriage] = Field(default_factory=list)
    dropped_invalid: SkipJsonSchema[int] = 0

    @model_validator(mode="before")
    @classmethod
    def _salvage(cls, data: Any) -> Any:
        if isinstance(data, list):
            data = {"findings": data}
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            return data
        kept: list[Any] = []
        dropped = 0
        for item in data["findings"]:
            try:
                kept.append(ModelFinding.model_validate(item))
            except ValidationError:
                dropped += 1
        triage: list[Any] = []
        for item in data.get("triage") or []:
            try:
                triage.append(ModelTriage.model_validate(item))
            except ValidationError:
                dropped += 1
        return {**data, "findings": kept, "triage": triage, "dropped_invalid": dropped}


_UNSUPPORTED_IN_STRICT = ("default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format")


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict structured outputs accept: every property required,
    no additional properties, no defaults or value constraints (pydantic still checks those)."""
    schema = copy.deepcopy(model.model_json_schema())

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            for key in _UNSUPPORTED_IN_STRICT:
                node.pop(key, None)
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)
    return schema


def response_format(model: type[BaseModel]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": strict_json_schema(model), "strict": True}}


def extract_json(text: str) -> Any:
    """The JSON value in a reply: the whole text, a fenced block, or the first value inside prose."""
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise LLMReplyError("the reply was empty")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    for m in _FENCED.finditer(stripped):
        try:
            return json.loads(m.group(1))
        except json.JSONDecodeError:
            continue
    decoder = json.JSONDecoder()
    tries = 0
    for i, ch in enumerate(stripped):
        if ch not in "{[":
            continue
        tries += 1
        if tries > _MAX_START_TRIES:
            break
        try:
            value, _end = decoder.raw_decode(stripped, i)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict | list):
            return value
    raise LLMReplyError("the reply holds no complete JSON value (cut off, or not JSON)")


def parse_reply(text: str, schema: type[M]) -> M:
    """Parse a reply against a schema; LLMReplyError says what was wrong, in one line."""
    value = extract_json(text)
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise LLMReplyError(f"the reply does not match the {schema.__name__} schema: `{where}`: {first['msg']}") from exc
