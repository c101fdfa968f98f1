"""Check the emulator's answers (and tracker's requests) against Discourse's OpenAPI subset.

The subset is pinned beside the checkout, in ``shared/discourse/openapi-subset.json`` (taken
from discourse/discourse_api_docs, MIT). When it is present, every logged 200 must validate
against the schema its operation declares, and every request body against the declared
request body; the subset declares no error answers, so those are held to Discourse's error
body (``errors`` and ``error_type``), and a front-end 429 to text/plain with ``Retry-After``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS31Validator

from .server import JSON_TYPE, TEXT_TYPE, RequestRecord

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "discourse" / "openapi-subset.json"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["errors", "error_type"],
    "properties": {
        "errors": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "error_type": {"type": "string"},
        "extras": {"type": "object"},
    },
}
# What Discourse accepts beyond the description: `original_text` makes an edit fail with 409
# edit_conflict when the post changed since it was read (PostsController#update).
REQUEST_EXTENSIONS = {("put", "/posts/{id}.json"): {"post": {"original_text"}}}


@functools.cache
def load_spec() -> dict[str, Any] | None:
    """The subset, or None when ``shared/`` is not beside this checkout."""
    if not SPEC_PATH.exists():
        return None
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def _errors(schema: Any, value: Any, where: str) -> list[str]:
    found = sorted(OAS31Validator(schema).iter_errors(value), key=lambda e: list(e.path))
    return [
        f"{where}: {'/'.join(map(str, e.path)) or '<body>'}: {e.message[:200]}" for e in found[:5]
    ]


def _without_extensions(body: Any, method: str, operation: str) -> Any:
    extra = REQUEST_EXTENSIONS.get((method, operation), {})
    if not isinstance(body, dict):
        return body
    trimmed = dict(body)
    for key, names in extra.items():
        if isinstance(trimmed.get(key), dict):
            trimmed[key] = {k: v for k, v in trimmed[key].items() if k not in names}
    return trimmed


def problems(record: RequestRecord, spec: dict[str, Any]) -> list[str]:
    """What the subset (or Discourse's habits) contradicts in one logged exchange."""
    where = f"{record.method} {record.path} -> {record.status}"
    kind = record.response_headers.get("Content-Type")
    if record.status == 429 and kind == TEXT_TYPE:
        return [] if record.response_headers.get("Retry-After") else [f"{where}: no Retry-After"]
    if kind != JSON_TYPE:
        return [f"{where}: Content-Type {kind!r}"]
    if record.status != 200:
        return _errors(ERROR_SCHEMA, record.response_body, where)
    method = record.method.lower()
    operation = spec["paths"].get(record.operation or "", {}).get(method)
    if operation is None:
        return [f"{where}: success from no operation of the subset"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    found = _errors(schema, record.response_body, where)
    request = operation.get("requestBody")
    if method != "get" and request is not None:
        wanted = request["content"]["application/json"]["schema"]
        body = _without_extensions(record.request_body, method, record.operation or "")
        found += _errors(wanted, _typed(body, wanted), f"{where} (request)")
    return found


def _typed(body: Any, schema: dict[str, Any]) -> Any:
    """A form body's values with the types the schema declares (a form sends only text)."""
    if not isinstance(body, dict):
        return body
    typed: dict[str, Any] = {}
    for key, value in body.items():
        declared = schema.get("properties", {}).get(key, {})
        if isinstance(value, dict):
            typed[key] = _typed(value, declared)
        elif declared.get("type") == "integer" and isinstance(value, str) and value.isdigit():
            typed[key] = int(value)
        elif declared.get("type") == "boolean" and value in ("true", "false"):
            typed[key] = value == "true"
        else:
            typed[key] = value
    return typed


def check_log(log: list[RequestRecord]) -> list[str]:
    """Every problem in a request log; none when the subset is absent (nothing to hold it to)."""
    spec = load_spec()
    if spec is None:
        return []
    found: list[str] = []
    for record in log:
        found += problems(record, spec)
    return found
