"""The Jinja2 environment: the team's template folder first, then the built-in templates.

The built-in templates live in the repository's top-level ``templates/`` folder;
a wheel ships them as ``tracker/templates`` (hatch force-include), and a source
checkout or editable install finds them beside the package.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from tracker.config import Config
from tracker.errors import ConfigError

_PACKAGE_DIR = Path(__file__).resolve().parent

#: A compiled template: keyword context in, text out.
Template = Callable[..., str]


def builtin_templates_dir() -> Path:
    """Where the built-in templates are: inside the installed package, else the checkout."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise ConfigError(
        "the built-in templates are missing; reinstall tracker", path=str(_PACKAGE_DIR)
    )


def environment(config: Config) -> jinja2.Environment:
    """A strict environment: an undefined name in a template is an error, not blank text."""
    return _environment(config.templates)


@functools.lru_cache(maxsize=8)
def _environment(override: str | None) -> jinja2.Environment:
    # One environment per template folder, so each template is compiled once per run.
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def compiled(config: Config, name: str) -> Template:
    """Template ``name`` loaded once, for rendering many times; errors as :func:`render`'s."""
    with _errors(config, name):
        template = environment(config).get_template(name)
    team = _is_teams(template, config.templates)

    def render_template(**context: Any) -> str:
        with _errors(config, name):
            try:
                return template.render(**context)
            except jinja2.TemplateError:
                raise
            except Exception as exc:
                if not team:  # a built-in template failing is tracker's bug: exit 3
                    raise
                raise _failed(exc, template) from None

    return render_template


def _is_teams(template: jinja2.Template, override: str | None) -> bool:
    """The template came from the team's folder (``templates:``), not tracker's own."""
    if not override or not template.filename:
        return False
    folder = os.path.abspath(override)
    return os.path.commonpath([folder, os.path.abspath(template.filename)]) == folder


def _failed(exc: Exception, template: jinja2.Template) -> ConfigError:
    """A team's template that raised while rendering (``{{ 1/0 }}``, ``{{ 1 + "a" }}``): a
    config error on the template's line (Jinja2 maps its frames back to the template's)."""
    lines = [
        line
        for frame, line in traceback.walk_tb(exc.__traceback__)
        if frame.f_code.co_filename == template.filename
    ]
    return ConfigError(
        f"template failed: {type(exc).__name__}: {exc}",
        path=template.filename or template.name or "template",
        line=lines[-1] if lines else None,
    )


def render(config: Config, name: str, **context: Any) -> str:
    """Render template ``name``; a template error names the template and its line."""
    return compiled(config, name)(**context)


@contextmanager
def _errors(config: Config, name: str) -> Iterator[None]:
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(
            f"template not found: {exc.name}", path=config.templates or "templates"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"template error: {exc.message}", path=exc.filename or name, line=exc.lineno
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"a template is not UTF-8 text ({exc.reason}, byte {exc.start})",
            path=os.path.join(config.templates or "templates", name),
            hint="save the templates as UTF-8",
        ) from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template uses an unknown name: {exc.message}", path=name) from None
