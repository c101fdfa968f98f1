"""The built wheel carries the templates, whether built directly or from the sdist."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def template_names() -> set[str]:
    return {p.name for p in (ROOT / "templates").rglob("*") if p.is_file()}


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
def test_wheel_ships_every_template(tmp_path, how):
    wheel = build(tmp_path, *how)
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).name for n in archive.namelist() if n.startswith("tracker/templates/")}
    assert template_names() and template_names() <= shipped
