"""Reading what a child process printed: its last line (for one-line verdicts) and its last JSON line."""

from __future__ import annotations

import json
from typing import Any


def last_line(text: str | None, limit: int = 300) -> str:
    """The last non-blank line, cut to ``limit`` characters: what a one-line verdict quotes."""
    lines = [ln.strip() for ln in (text or "").strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= limit else line[: limit - 3] + "..."


def last_json_line(text: str) -> Any | None:
    """The object of the last line that starts with ``{`` (programs print logs before their result),
    or None when there is none or it does not parse."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None
