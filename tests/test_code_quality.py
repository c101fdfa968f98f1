"""The code stays lint-clean, formatted and type-checked (mypy --strict on tracker/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_the_tree_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------ the house rules (issue 9)

TRACKER = ROOT / "tracker"
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 250

#: The modules of tracker/ in the order data flows through them, lowest first: a module may
#: import only modules before it. The values every stage shares (errors, escaping, ids and
#: markers, the model, GitHub's data) sit beneath the stages that produce and read them; then
#: minutes -> plan -> github -> status -> section -> commands -> cli. A package counts as one.
FLOW = [
    "errors",
    "words",
    "escape",
    "identity",
    "model",
    "snapshot",
    "locations",
    "pacing",
    "config",
    "templating",
    "minutes",
    "record",
    "issue",
    "plan",
    "settings",
    "github",
    "sync",
    "status",
    "ageing",
    "stats",
    "files",
    "web",
    "discourse",
    "trust",
    "sources",
    "section",
    "digests",
    "posting",
    "annotate",
    "commands",
    "check",
    "init",
    "render",
    "actions_output",
    "crash",
    "demo",
    "__init__",
    "cli",
]


def _modules() -> list[tuple[str, ast.Module]]:
    """Each module of tracker/ (dotted, without ``tracker.``) with its syntax tree."""
    found = []
    for path in sorted(TRACKER.rglob("*.py")):
        name = ".".join(path.relative_to(TRACKER).with_suffix("").parts)
        found.append((name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))))
    return found


def _stage(module: str) -> str:
    """The FLOW entry a module belongs to: its package, or itself."""
    return module.split(".")[0]


def _imported(tree: ast.Module) -> set[str]:
    """The tracker modules a module imports, at its top or inside a function (lazy imports
    and those for type checking included), without ``tracker.``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {
                alias.name.removeprefix("tracker").lstrip(".") or "__init__"
                for alias in node.names
                if alias.name == "tracker" or alias.name.startswith("tracker.")
            }
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "tracker":
                # ``from tracker import files`` names a module; ``from tracker import Config``
                # the facade.
                for alias in node.names:
                    submodule = (TRACKER / f"{alias.name}.py").exists() or (
                        TRACKER / alias.name
                    ).is_dir()
                    names.add(alias.name if submodule else "__init__")
            elif node.module.startswith("tracker."):
                names.add(node.module.removeprefix("tracker."))
    return names


def test_no_function_over_60_lines_and_no_class_over_250_in_tracker():
    """Small functions and classes: each one idea a reader can hold."""
    too_long = []
    for module, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                limit, kind = MAX_FUNCTION_LINES, "function"
            elif isinstance(node, ast.ClassDef):
                limit, kind = MAX_CLASS_LINES, "class"
            else:
                continue
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > limit:
                too_long.append(f"{module}: {kind} {node.name} is {lines} lines (limit {limit})")
    assert too_long == []


def test_no_module_imports_a_module_later_in_the_flow():
    """A value flows one way: minutes -> model -> plan -> github -> status -> section ->
    commands -> cli; no module reaches back up (and every module has its place)."""
    rank = {stage: n for n, stage in enumerate(FLOW)}
    backwards = []
    for module, tree in _modules():
        stage = _stage(module)
        assert stage in rank, f"tracker/{module}: not placed in FLOW"
        for imported in _imported(tree):
            other = _stage(imported)
            assert other in rank, f"tracker/{module} imports {imported}: not placed in FLOW"
            if other != stage and rank[other] > rank[stage]:
                backwards.append(f"{module} imports {imported}")
    assert backwards == []


def test_the_house_rule_checks_see_a_long_function_and_a_backward_import():
    """The two checks above can fail: they find what they look for in a small sample."""
    tree = ast.parse(
        "from tracker.cli import main\nimport tracker.github.reads\nfrom tracker import files\n"
        "def f():\n" + "    x = 1\n" * 61
    )
    assert _imported(tree) == {"cli", "github.reads", "files"}
    [function] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert (function.end_lineno or 0) - function.lineno + 1 == 62
