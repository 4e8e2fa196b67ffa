"""The one render function for prompt files: `prompts/<task>/<part>.md.j2`, Jinja2 with strict undefined.

The folder is `RESBOT_PROMPTS_DIR` when set, else `prompts/` beside the package (a checkout or an editable
install), else `<prefix>/share/resbot/prompts` (where a wheel installs them as data files).
"""

from __future__ import annotations

import functools
import os
import sysconfig
from pathlib import Path

import jinja2

import bot
from bot.errors import ConfigError
from bot.llm.view import fence

TASKS = ("review", "ask")
PARTS = ("system", "user")


def prompts_dir() -> Path:
    """Where the prompt files are; read when a prompt is rendered, never at import."""
    env = os.environ.get("RESBOT_PROMPTS_DIR")
    if env:
        return Path(env)
    beside = Path(bot.__file__).resolve().parent.parent / "prompts"
    if beside.is_dir():
        return beside
    installed = Path(sysconfig.get_path("data")) / "share" / "resbot" / "prompts"
    if installed.is_dir():
        return installed
    return beside


@functools.cache
def _environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - prompts are plain text for a model, not HTML
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fence"] = fence
    return env


def render(task: str, part: str, **variables: object) -> str:
    """Render `<task>/<part>.md.j2`; a variable the template needs but was not given is an error."""
    if task not in TASKS or part not in PARTS:
        raise ConfigError(f"no prompt {task}/{part} (tasks: {', '.join(TASKS)}; parts: {', '.join(PARTS)})")
    folder = prompts_dir()
    name = f"{task}/{part}.md.j2"
    try:
        template = _environment(str(folder)).get_template(name)
        return template.render(**variables).strip() + "\n"
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"prompt file {folder / name} not found (set RESBOT_PROMPTS_DIR)") from exc
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"prompt {name}: {exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"prompt {name}:{exc.lineno}: {exc.message}") from exc
