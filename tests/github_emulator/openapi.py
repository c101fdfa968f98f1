"""Check the emulator's answers against GitHub's official OpenAPI description.

The description comes from the npm package ``@octokit/openapi`` (pinned in the
repository's package.json; ``npm ci`` installs it). Each logged response must
use a status code the operation declares (or one GitHub gives on any route, see
``ANY_ROUTE_STATUSES``), and its JSON body must validate against the declared
schema. The spec is OpenAPI 3.0.3, whose ``nullable`` does not admit ``null``
into an ``enum``; we append ``None`` to such enums, or GitHub's own
``state_reason: null`` would fail.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

from github_emulator.faults import GARBAGE_KINDS
from github_emulator.server import WRITE_METHODS, RequestRecord

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "node_modules/@octokit/openapi/generated/api.github.com.json"
FIXTURES_DIR = REPO_ROOT / "node_modules/@octokit/fixtures/scenarios/api.github.com"

# GitHub answers these on any route, declared or not: bad credentials, rate limits and
# refusals, hidden or unknown resources, secondary limits, and server errors (injected faults).
ANY_ROUTE_STATUSES = frozenset({401, 403, 404, 429, 500, 502, 503, 504})
# Real answers that the description leaves out for a particular operation.
UNDECLARED_BUT_REAL: dict[tuple[str, str], frozenset[int]] = {
    # renaming a label onto an existing name, or giving a bad colour
    ("patch", "/repos/{owner}/{repo}/labels/{name}"): frozenset({422}),
    # a bad milestone title, state or date
    ("patch", "/repos/{owner}/{repo}/milestones/{milestone_number}"): frozenset({422}),
    # assignees that are not a list of logins (422); guessed: a transferred or deleted issue,
    # or a repository without issues, answers here as on the other endpoints (301, 410)
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"): frozenset({301, 410, 422}),
    ("delete", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"): frozenset({301, 410, 422}),
    # issues turned off: clients of the listing read "Issues are disabled for this repo" (410)
    ("get", "/repos/{owner}/{repo}/issues"): frozenset({410}),
    # guessed: a transferred issue's comments redirect like the issue (the description
    # declares 301 for the issue and its labels)
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): frozenset({301}),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): frozenset({301}),
}
RATE_LIMIT_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Used",
    "X-RateLimit-Resource",
)


class MissingReferences(RuntimeError):
    """The npm reference packages are not installed."""


def require_references() -> None:
    """Fail loudly, never skip: the fidelity checks are the point of the emulator."""
    if not SPEC_PATH.exists() or not FIXTURES_DIR.exists():
        raise MissingReferences(
            "GitHub's OpenAPI description and recorded fixtures are missing "
            f"(looked for {SPEC_PATH}). Run `npm ci` in the repository root "
            "to install @octokit/openapi and @octokit/fixtures from package-lock.json."
        )


def _admit_null_in_nullable_enums(node: Any) -> None:
    if isinstance(node, dict):
        enum = node.get("enum")
        if node.get("nullable") is True and isinstance(enum, list) and None not in enum:
            enum.append(None)
        for value in node.values():
            _admit_null_in_nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _admit_null_in_nullable_enums(value)


@functools.cache
def load_spec() -> dict[str, Any]:
    """The patched description, loaded once per process (about 0.3 s)."""
    require_references()
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    _admit_null_in_nullable_enums(spec)
    return spec


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class Declared:
    """What the description says an operation answers with one status code."""

    schema_pointer: str | None  # JSON pointer to the body schema; None for no body
    headers: frozenset[str]  # declared header names, lower-case


def declared_response(method: str, template: str, status: int) -> Declared | None:
    """The declared response, ``None`` if the operation does not declare this status."""
    spec = load_spec()
    operation = spec["paths"].get(template, {}).get(method)
    if operation is None:
        raise KeyError(f"{method.upper()} {template} is not in GitHub's OpenAPI description")
    response = operation["responses"].get(str(status))
    parts = ["paths", template, method, "responses", str(status)]
    if response is None:
        return None
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        response = spec["components"]["responses"][name]
        parts = ["components", "responses", name]
    content = response.get("content", {})
    media = next((m for m in content if "json" in m), None)
    pointer = _pointer(*parts, "content", media, "schema") if media else None
    return Declared(pointer, frozenset(h.lower() for h in response.get("headers", {})))


@functools.cache
def _validator(pointer: str) -> OAS30Validator:
    # The whole description is the root document, so every "#/components/..." reference
    # resolves; "$ref" beside other keys makes the validator follow only the reference.
    root = dict(load_spec())
    root["$ref"] = pointer
    return OAS30Validator(root)


def error_schema_pointer() -> str:
    return _pointer("components", "schemas", "basic-error")


def problems(record: RequestRecord) -> list[str]:
    """Everything about one logged response that GitHub's description or habits contradict."""
    found: list[str] = []
    where = f"{record.method} {record.path} -> {record.status}"
    if record.fault == "crash":
        return [f"{where}: the emulator crashed: {record.response_body}"]
    if record.status is None or record.fault in GARBAGE_KINDS:
        return found  # dropped, or not GitHub's JSON on purpose: nothing to hold it to
    names = [k.lower() for k, _ in record.response_headers]
    for header in RATE_LIMIT_HEADERS:
        if names.count(header.lower()) != 1:
            found.append(f"{where}: {header} appears {names.count(header.lower())} times")
    has_body = record.status not in (204, 304)
    content_type = record.header("Content-Type")
    if has_body and content_type != "application/json; charset=utf-8":
        found.append(f"{where}: Content-Type {content_type!r}")
    if not has_body and content_type is not None:
        found.append(f"{where}: Content-Type on a {record.status}")
    if record.method == "GET" and record.status == 202:
        found.append(f"{where}: a GET answered 202 makes PyGithub sleep and retry forever")
    if record.status in (201, 301, 302, 307, 308) and not record.header("Location"):
        found.append(f"{where}: {record.status} without Location")
    if record.status < 300 and has_body and not record.header("ETag"):
        found.append(f"{where}: no ETag")

    if record.operation is None or (record.fault is not None and record.status >= 300):
        # Unknown routes and injected faults (whose status the test chose): GitHub's error
        # body, which redirects share, is all there is to check.
        if record.status >= 300:
            found += _schema_problems(error_schema_pointer(), record.response_body, where)
            found += _status_field_problems(record, where)
        else:
            found.append(f"{where}: success from no known operation")
        return found

    method = record.method.lower()
    declared = declared_response(method, record.operation, record.status)
    if declared is None:
        allowed = ANY_ROUTE_STATUSES | UNDECLARED_BUT_REAL.get((method, record.operation), set())
        if record.status == 304 and record.request_headers.get("If-None-Match"):
            return found
        if record.status not in allowed:
            found.append(f"{where}: status not declared for {method.upper()} {record.operation}")
            return found
        declared = Declared(
            _pointer(
                "components",
                "schemas",
                "validation-error" if record.status == 422 else "basic-error",
            ),
            frozenset(),
        )
    if declared.schema_pointer is not None and has_body:
        found += _schema_problems(declared.schema_pointer, record.response_body, where)
    elif has_body and record.response_body is not None:
        found.append(f"{where}: body where the description declares none")
    return found + _status_field_problems(record, where)


def _status_field_problems(record: RequestRecord, where: str) -> list[str]:
    body = record.response_body
    status = record.status or 0
    if status >= 400 and isinstance(body, dict) and body.get("status") != str(status):
        return [f"{where}: error body's status is not {str(status)!r}"]
    return []


def _schema_problems(pointer: str, body: Any, where: str) -> list[str]:
    errors = sorted(_validator(pointer).iter_errors(body), key=lambda e: list(e.absolute_path))
    return [
        f"{where}: {'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message[:300]}"
        for e in errors[:5]
    ]


def check_log(log: list[RequestRecord]) -> list[str]:
    """All problems in a request log; empty when every response is faithful."""
    found: list[str] = []
    for record in log:
        found += problems(record)
    return found


__all__ = [
    "FIXTURES_DIR",
    "SPEC_PATH",
    "WRITE_METHODS",
    "MissingReferences",
    "check_log",
    "declared_response",
    "load_spec",
    "problems",
    "require_references",
]
