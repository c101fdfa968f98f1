"""A small stand-in for the GitHub Actions runner: it runs a workflow's jobs step by step
with bash, as the runner would, where no runner exists.

What it does as Actions does: each `run:` step with `bash --noprofile --norc -eo pipefail`
(`shell: bash`) or `-e` (the default), the step's `env:` with `${{ }}` expressions
evaluated, fresh `GITHUB_OUTPUT` and `GITHUB_ENV` files per step whose outputs become
`steps.<id>.outputs`, one `GITHUB_STEP_SUMMARY` file, `if:` conditions, and composite
actions (this repository's `action.yml`, whatever ref names it) with their inputs'
defaults. Workflow commands (`::warning file=…::…`) are collected from stdout and stderr
as the runner reads them, and unescaped as it shows them.

What it leaves out, and says so in `Job.skipped`: `actions/checkout` (the workspace is
already a git clone), `actions/setup-python` and `actions/cache` (the tests' Python is
used), and the action's "Install tracker" step (the tests' tracker is the checkout).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
#: Steps the stand-in does not run (see the module docstring).
NOT_RUN = ("actions/checkout@", "actions/setup-python@", "actions/cache@")
NOT_RUN_NAMES = ("Install tracker",)

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_COMMAND = re.compile(r"^::(?P<level>warning|error|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


@dataclass
class Shown:
    """An annotation as Actions shows it."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    title: str | None = None


def _unescape(text: str, *, prop: bool) -> str:
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_command(line: str) -> Shown | None:
    match = _COMMAND.match(line)
    if not match:
        return None
    props: dict[str, str] = {}
    for part in (match.group("props") or "").split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            props[key] = _unescape(value, prop=True)
    return Shown(
        match.group("level"),
        _unescape(match.group("data"), prop=False),
        props.get("file"),
        int(props["line"]) if "line" in props else None,
        props.get("title"),
    )


@dataclass
class Job:
    """What a job did: every step's output, the annotations, the summary, what was skipped."""

    log: list[str] = field(default_factory=list)
    annotations: list[Shown] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    failed: str | None = None


class Runner:
    """Runs workflows in ``workspace`` with the ``GITHUB_*`` variables in ``env``."""

    def __init__(
        self,
        workspace: Path,
        env: dict[str, str],
        *,
        token: str,
        path: tuple[Path, ...] = (),
        vars: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
    ):
        self.workspace = workspace
        self.env = env
        self.token = token
        self.path = path
        self.vars = vars or {}
        self.secrets = secrets or {}
        self.files = workspace.parent / "runner-files"
        self.files.mkdir(exist_ok=True)
        self.summary = self.files / "step_summary.md"
        self.summary.touch()

    def run_workflow(self, path: Path) -> dict[str, Job]:
        workflow = load(path)
        return {name: self.run_job(job) for name, job in workflow["jobs"].items()}

    def run_job(self, job: dict[str, Any], *, inputs: dict[str, str] | None = None) -> Job:
        result = Job()
        context = {"inputs": inputs or {}, "steps": {}}
        self._steps(job["steps"], context, result, action_path=None)
        return result

    # -- steps ---------------------------------------------------------------------------

    def _steps(
        self,
        steps: list[dict[str, Any]],
        context: dict[str, Any],
        job: Job,
        action_path: Path | None,
    ) -> None:
        for index, step in enumerate(steps):
            if job.failed:
                return
            condition = step.get("if")
            if condition is not None and not self._evaluate(str(condition), context, action_path):
                continue
            uses = step.get("uses")
            name = step.get("name") or uses or f"step {index}"
            outputs: dict[str, str] = {}
            if uses and uses.startswith(NOT_RUN):
                job.skipped.append(uses.split("@")[0])
                continue
            if not uses and name in NOT_RUN_NAMES:
                job.skipped.append(name)
                continue
            if uses:
                outputs = self._action(uses, step, context, job, action_path)
            else:
                outputs = self._run(step, context, job, action_path)
            if step.get("id"):
                context["steps"][step["id"]] = {"outputs": outputs}
                job.outputs[step["id"]] = outputs

    def _action(
        self, uses: str, step: dict[str, Any], context: dict[str, Any], job: Job, outer: Path | None
    ) -> dict[str, str]:
        # This repository's action, by any ref (`./`, or OWNER/tracker@SHA).
        assert uses == "./" or re.fullmatch(r"[\w-]+/tracker@[0-9a-f]{40}", uses), uses
        action = load(ACTION)
        given = {
            k: self._expand(str(v), context, outer) for k, v in (step.get("with") or {}).items()
        }
        inputs = {}
        for key, spec in action["inputs"].items():
            default = str(spec.get("default", ""))
            inputs[key] = given.pop(key, None) or self._expand(default, context, outer)
        assert not given, f"unknown inputs {given}"
        inner = {"inputs": inputs, "steps": {}}
        self._steps(action["runs"]["steps"], inner, job, action_path=ROOT)
        return {
            key: self._expand(str(spec["value"]), inner, ROOT)
            for key, spec in action.get("outputs", {}).items()
        }

    def _run(
        self, step: dict[str, Any], context: dict[str, Any], job: Job, action_path: Path | None
    ) -> dict[str, str]:
        output = self.files / "output"
        github_env = self.files / "env"
        output.write_text("", encoding="utf-8")
        github_env.write_text("", encoding="utf-8")
        env = {
            "PATH": ":".join(
                [*map(str, self.path), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "HOME": str(self.files),
            # The checkout under test, not wherever tracker happens to be installed from.
            "PYTHONPATH": str(ROOT),
            **self.env,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_ENV": str(github_env),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_WORKSPACE": str(self.workspace),
        }
        for key, value in (step.get("env") or {}).items():
            env[key] = self._expand(str(value), context, action_path)
        flags = ["-eo", "pipefail"] if step.get("shell") == "bash" else ["-e"]
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", *flags, "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for line in (done.stdout + done.stderr).splitlines():
            shown = parse_command(line)
            if shown is not None:
                job.annotations.append(shown)
        job.log.append(done.stdout + done.stderr)
        if done.returncode != 0:
            job.failed = f"{step.get('name', 'a step')} exited {done.returncode}"
        return read_outputs(output.read_text(encoding="utf-8"))

    # -- expressions ---------------------------------------------------------------------

    def _expand(self, text: str, context: dict[str, Any], action_path: Path | None) -> str:
        return _EXPRESSION.sub(
            lambda m: _text(self._evaluate(m.group(1), context, action_path)), text
        )

    def _evaluate(self, expression: str, context: dict[str, Any], action_path: Path | None) -> Any:
        """The few expressions the shipped files use: `a.b.c`, 'string', ==, &&, ||."""
        expression = _EXPRESSION.sub(lambda m: m.group(1), expression).strip()
        for operator in ("||", "&&"):
            if operator in expression:
                parts = [
                    self._evaluate(p, context, action_path) for p in expression.split(operator)
                ]
                if operator == "&&":
                    return all(parts) and parts[-1]
                return next((p for p in parts if p), parts[-1])
        if "==" in expression:
            left, right = expression.split("==")
            return _text(self._evaluate(left, context, action_path)) == _text(
                self._evaluate(right, context, action_path)
            )
        if expression.startswith("'"):
            return expression.strip("'")
        names = {
            "github.token": self.token,
            "github.action_path": str(action_path or ""),
            "secrets.GITHUB_TOKEN": self.token,
            "runner.os": "Linux",
        }
        if expression in names:
            return names[expression]
        head, _, rest = expression.partition(".")
        if head == "vars":
            return self.vars.get(rest, "")
        if head == "secrets":
            return self.secrets.get(rest, "")
        value: Any = context.get(head, {})
        for part in rest.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_outputs(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIMITER`` blocks, as the runner reads them."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs
