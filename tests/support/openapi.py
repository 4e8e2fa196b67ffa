"""GitHub's OpenAPI description (npm `@octokit/openapi`): route matching and request validation.

`spec()` loads `tests/node_modules/@octokit/openapi/generated/api.github.com.json` once per process.
`match(method, raw_path)` finds the operation for a request path (literal segments beat parameters, as
GitHub routes them; the last parameter may hold slashes, as `contents/{path}` and branch refs do).
`check_query` and `check_body` return a list of error strings; JSON Schema validators are built lazily
per operation (OpenAPI 3.0 `$ref`s inlined, `nullable` turned into JSON Schema) and cached.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema

SPEC_PATH = Path(__file__).resolve().parents[1] / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# parameters that may hold slashes: file paths and git refs (branch names such as `feature/x`)
SLASHY = frozenset({"path", "ref", "branch", "basehead", "head", "tag", "dir", "name"})


@dataclass
class Operation:
    """One method on one path template of the spec."""

    method: str
    template: str
    operation_id: str
    raw: dict[str, Any]
    path_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    query_params: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Route:
    operation: Operation
    regex: re.Pattern[str]
    rank: tuple[int, ...]


@dataclass
class Match:
    operation: Operation
    params: dict[str, str]


class Spec:
    """The parsed description with a route index per method and cached body validators."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._strict: dict[tuple[str, int], list[Route]] = {}
        self._slashy: dict[str, list[Route]] = {}
        self._validators: dict[str, jsonschema.protocols.Validator | None] = {}
        self._lock = threading.Lock()
        self._index()

    def _index(self) -> None:
        for template, item in self.document["paths"].items():
            shared = item.get("parameters", [])
            for method, raw in item.items():
                if method not in METHODS:
                    continue
                op = Operation(method=method.upper(), template=template, operation_id=raw.get("operationId", ""), raw=raw)
                for param in [*shared, *raw.get("parameters", [])]:
                    resolved = self.resolve(param)
                    where = resolved.get("in")
                    if where == "path":
                        op.path_params[resolved["name"]] = resolved.get("schema", {})
                    elif where == "query":
                        op.query_params[resolved["name"]] = resolved.get("schema", {})
                segments = template.strip("/").split("/")
                rank = tuple(1 if "{" in seg else 0 for seg in segments)
                strict = _template_regex(template, slashy_last=False)
                self._strict.setdefault((op.method, len(segments)), []).append(Route(op, strict, rank))
                last = re.findall(r"\{([^}]+)\}", template)[-1:]
                if last and last[0] in SLASHY:
                    slashy = _template_regex(template, slashy_last=True)
                    self._slashy.setdefault(op.method, []).append(Route(op, slashy, (-rank.count(0), *rank)))
        # literal segments beat parameters; among slash-holding routes the most literal segments win
        for routes in [*self._strict.values(), *self._slashy.values()]:
            routes.sort(key=lambda r: r.rank)

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow one `$ref` chain to its target (within this document)."""
        while "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"external $ref not supported: {ref}")
        target: Any = self.document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target  # type: ignore[no-any-return]

    def match(self, method: str, raw_path: str) -> Match | None:
        """The operation for METHOD and a still percent-encoded path, with decoded path parameters."""
        path = raw_path.rstrip("/") or "/"
        count = len(path.strip("/").split("/"))
        for route in self._strict.get((method, count), ()):
            m = route.regex.fullmatch(path)
            if m:
                return Match(route.operation, {k: unquote(v) for k, v in m.groupdict().items()})
        for route in self._slashy.get(method, ()):
            m = route.regex.fullmatch(path)
            if m:
                return Match(route.operation, {k: unquote(v) for k, v in m.groupdict().items()})
        return None

    def knows_path(self, raw_path: str) -> bool:
        """True when some method is described for this path (then a wrong method is a 404 too, but a different error)."""
        return any(self.match(method.upper(), raw_path) for method in METHODS)

    def check_path_params(self, match: Match) -> list[str]:
        errors = []
        for name, schema in match.operation.path_params.items():
            error = _scalar_error(match.params.get(name, ""), self.resolve(schema))
            if error:
                errors.append(f"path parameter {name}: {error}")
        return errors

    def check_query(self, operation: Operation, query: dict[str, str]) -> list[str]:
        """Errors for declared query parameters whose value breaks the declared type or enum."""
        errors = []
        for name, value in query.items():
            schema = operation.query_params.get(name)
            if schema is None:
                continue  # GitHub ignores query parameters it does not know
            error = _scalar_error(value, self.resolve(schema))
            if error:
                errors.append(f"query parameter {name}={value!r}: {error}")
        return errors

    def check_body(self, operation: Operation, body: Any, *, present: bool) -> list[str]:
        """Errors for a JSON body against the operation's requestBody schema."""
        request_body = operation.raw.get("requestBody")
        if request_body is None:
            return []
        request_body = self.resolve(request_body)
        if not present:
            return ["request body is required"] if request_body.get("required") else []
        validator = self._validator(operation, request_body)
        if validator is None:
            return []
        return [
            f"body{''.join(f'[{p!r}]' for p in err.absolute_path)}: {_describe(err)}"
            for err in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
        ]

    def _validator(self, operation: Operation, request_body: dict[str, Any]) -> jsonschema.protocols.Validator | None:
        key = f"{operation.method} {operation.template}"
        with self._lock:
            if key in self._validators:
                return self._validators[key]
        content = request_body.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        validator = None
        if media and "schema" in media:
            schema = self._to_json_schema(media["schema"], ())
            # OpenAPI 3.0 schema objects follow draft 4/5 keyword semantics (boolean exclusiveMinimum)
            validator = jsonschema.Draft4Validator(schema)
        with self._lock:
            self._validators[key] = validator
        return validator

    def _to_json_schema(self, node: Any, seen: tuple[str, ...]) -> Any:
        """Inline `$ref`s and turn OpenAPI's `nullable` into JSON Schema; a recursive `$ref` accepts anything."""
        if isinstance(node, list):
            return [self._to_json_schema(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                return {}
            return self._to_json_schema(self._pointer(ref), (*seen, ref))
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in {"example", "examples", "description", "x-github", "discriminator", "readOnly", "writeOnly", "deprecated", "externalDocs", "xml"}:
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: self._to_json_schema(sub, seen) for name, sub in value.items()}
            else:
                out[key] = self._to_json_schema(value, seen)
        if out.pop("nullable", False):
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"]
                if "enum" in out and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            else:
                out = {"anyOf": [{"type": "null"}, out]}
        return out


def _describe(error: jsonschema.ValidationError) -> str:
    # jsonschema's messages start with the whole instance; for size limits the limit is what matters
    if error.validator in {"maxItems", "minItems", "maxLength", "minLength", "maxProperties"}:
        return f"{error.validator} is {error.validator_value}"
    message = error.message
    return message if len(message) <= 300 else message[:300] + "..."


def _template_regex(template: str, *, slashy_last: bool) -> re.Pattern[str]:
    names = re.findall(r"\{([^}]+)\}", template)
    parts = re.split(r"\{[^}]+\}", template)
    pattern = re.escape(parts[0])
    for i, name in enumerate(names):
        group = re.sub(r"\W", "_", name)
        body = ".+" if slashy_last and i == len(names) - 1 else "[^/]+"
        pattern += f"(?P<{group}>{body})" + re.escape(parts[i + 1])
    return re.compile(pattern)


def _scalar_error(value: str, schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return "not an integer"
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return "not a number"
    if kind == "boolean" and value not in {"true", "false"}:
        return "not a boolean"
    enum = schema.get("enum")
    if enum and value not in [str(e) if not isinstance(e, bool) else str(e).lower() for e in enum]:
        return f"not one of {enum}"
    return None


@functools.cache
def spec(path: Path = SPEC_PATH) -> Spec:
    """The parsed description, loaded once per process."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `npm install` in tests/ (see tests/package.json)")
    with path.open("rb") as handle:
        return Spec(json.load(handle))
