"""The shared Pulpcore corpus (../shared/corpus beside the checkout), for the tests that use it.

The corpus text is read from there, never copied into the project; tests that need
it are marked ``needs_corpus`` and run whenever it is present (as in CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tracker.config import Config

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MINUTES = CORPUS / "pulpcore-minutes.txt"
EXPECTED = CORPUS / "pulpcore-minutes.expected.yaml"

needs_corpus = pytest.mark.skipif(
    not MINUTES.exists(), reason="../shared/corpus is not beside this checkout"
)


def expected() -> Any:
    """The ground truth, as YAML data."""
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))


def corpus_config() -> Config:
    """The ground truth's aliases (name -> login) as the config's people (login -> names)."""
    truth = expected()
    people: dict[str, list[str]] = {}
    for name, login in truth["aliases"].items():
        people.setdefault(login, [])
        if name != login:
            people[login].append(name)
    return Config(people={k: tuple(v) for k, v in people.items()}, groups=tuple(truth["groups"]))
