"""The built wheel carries the templates, the GitHub emulator and the demo's example, whether
built directly or from the sdist; the emulator needs nothing beyond the standard library."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def files_under(folder: str, *patterns: str) -> set[str]:
    """The paths, from the repository's root, of the files in ``folder`` matching ``patterns``."""
    return {
        p.relative_to(ROOT).as_posix()
        for pattern in patterns
        for p in (ROOT / folder).rglob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    }


def build(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), *args, str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("*.whl")
    return wheel


@pytest.mark.parametrize("how", [("--wheel",), ()], ids=["wheel", "wheel-from-sdist"])
def test_wheel_ships_every_template_the_emulator_and_the_demo_example(tmp_path, how):
    wheel = build(tmp_path, *how)
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    templates = {
        f"tracker/templates/{name.removeprefix('templates/')}"
        for name in files_under("templates", "*")
    }
    emulator = files_under("github_emulator", "*.py", "*.md")
    example = files_under("tracker/example", "*")
    assert "github_emulator/server.py" in emulator and "tracker/example/tracker.yml" in example
    assert templates and templates <= shipped
    assert emulator <= shipped
    assert example <= shipped


def test_the_emulator_imports_nothing_beyond_the_standard_library():
    # tracker demo runs it from an installed wheel, where the test extras are not installed.
    outside = set()
    for path in (ROOT / "github_emulator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top != "github_emulator":
                    outside.add(f"{path.relative_to(ROOT)}: {name}")
    assert outside == set()
