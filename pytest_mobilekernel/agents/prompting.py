"""Prompts are data: jinja2 templates in prompts/, rendered with StrictUndefined (a missing value is a bug)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

PROMPTS = Path(__file__).resolve().parent / "prompts"


@functools.cache
def environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROMPTS)), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, autoescape=False)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def messages(role: str, template: str, **context: Any) -> list[dict[str, str]]:
    return [{"role": "system", "content": render("system.j2", role=role).strip()},
            {"role": "user", "content": render(template, **context).strip()}]


def sdk_rules() -> str:
    return (PROMPTS / "sdk_rules.md").read_text().strip()
