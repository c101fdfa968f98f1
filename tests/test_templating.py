"""Templates: the team's folder first, the built-in ones after; errors name the template."""

from __future__ import annotations

import pytest

from tracker import templating
from tracker.config import Config
from tracker.errors import ConfigError


def test_a_broken_team_template_is_a_config_error_naming_it(tmp_path):
    """A template using an unknown name fails with the template's name, not a traceback."""
    (tmp_path / "issue.md.j2").write_text("{{ nonsense }}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="template uses an unknown name") as caught:
        templating.render(Config(templates=str(tmp_path)), "issue.md.j2")
    assert caught.value.path == "issue.md.j2"


def test_a_syntax_error_names_the_file_and_line(tmp_path):
    """The team's template is checked by Jinja2: its file and line come with the message."""
    (tmp_path / "pending.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        templating.compiled(Config(templates=str(tmp_path)), "pending.md.j2")
    assert (caught.value.path, caught.value.line) == (f"{tmp_path}/pending.md.j2", 2)
    assert str(caught.value).startswith(f"{tmp_path}/pending.md.j2:2: template error: ")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ('{{ 1 + "a" }}', "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
    ],
)
def test_a_team_template_that_fails_while_rendering_names_its_file_and_line(
    tmp_path, expression, message
):
    """An exception raised by the team's template (it crashed tracker, exit 3) is a config
    error on the template's line."""
    (tmp_path / "pending.md.j2").write_text(f"ok\n{expression}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        templating.render(Config(templates=str(tmp_path)), "pending.md.j2")
    assert str(caught.value).endswith(message)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "pending.md.j2"), 2)


def test_a_team_template_that_is_not_utf8_is_a_config_error(tmp_path):
    (tmp_path / "pending.md.j2").write_bytes(b"caf\xe9 {{ x }}\n")
    with pytest.raises(ConfigError) as caught:
        templating.render(Config(templates=str(tmp_path)), "pending.md.j2", x=1)
    assert str(caught.value) == (
        f"{tmp_path}/pending.md.j2: a template is not UTF-8 text (invalid continuation byte, "
        "byte 3) (hint: save the templates as UTF-8)"
    )


def test_a_missing_template_names_the_folder(tmp_path):
    with pytest.raises(ConfigError) as caught:
        templating.render(Config(templates=str(tmp_path)), "nothing.md.j2")
    assert str(caught.value) == f"{tmp_path}: template not found: nothing.md.j2"


def test_the_team_s_template_wins_and_the_built_in_ones_remain(tmp_path):
    """Only the templates the team has are replaced; the others are the built-in ones."""
    (tmp_path / "pending.md.j2").write_text("mine {{ x }}\n", encoding="utf-8")
    config = Config(templates=str(tmp_path))
    assert templating.render(config, "pending.md.j2", x=1) == "mine 1\n"
    built_in = templating.builtin_templates_dir() / "agenda.md.j2"
    assert templating.environment(config).get_template("agenda.md.j2").filename == str(built_in)
