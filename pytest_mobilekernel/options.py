"""How the plugin's command-line values are read, and the old spellings of renamed options.

Every option has a ``type=`` parser, so a bad value is a usage error while pytest parses the
command line, before anything is built or any device is asked. Parsers return plain values (str,
int, tuples): xdist ships ``config.option`` to its workers, and paths do not travel.

The options were renamed to ``--mk-*`` (``--device`` collided with pytest-playwright's). An old
spelling that no other plugin declares stays as a hidden alias: it stores into the new option
and the run warns once, naming the new spelling.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

OLD_SPELLINGS_USED = "mk_old_spellings_used"  # namespace attribute: old spelling -> new spelling

# Filled by add(): every option declared through it -> its old spelling (None: no alias).
DECLARED: dict[str, str | None] = {}


class OptionDeprecationWarning(pytest.PytestDeprecationWarning):
    """An option was given in a spelling that will go away."""


def add(group: Any, name: str, *, old: str | None = None, **attrs: Any) -> None:
    """Declare option ``name`` in ``group``; ``old``: its former spelling, kept as a hidden alias.

    ``dest`` defaults to the new name (``--mk-tasks-dir`` -> ``mk_tasks_dir``), so no destination is
    shared with another plugin that declares the old name.
    """
    attrs.setdefault("dest", name.lstrip("-").replace("-", "_"))
    takes_value = attrs.get("action", "store") in ("store", "append")
    if takes_value and "choices" not in attrs:  # --mk-tasks-dir=TASKS_DIR, not =MK_TASKS_DIR
        attrs.setdefault("metavar", name.removeprefix("--mk-").upper().replace("-", "_"))
    group.addoption(name, **attrs)
    DECLARED[name] = old
    if old:
        group.addoption(old, dest=attrs["dest"], action=_OldSpelling, new=name, base_action=attrs.get("action"),
                        nargs=None if takes_value else 0, type=attrs.get("type"), choices=attrs.get("choices"),
                        metavar=attrs.get("metavar"))


class _OldSpelling(argparse.Action):
    """Stores like the new option does, notes the spelling (the warning is issued at configure)."""

    def __init__(self, option_strings: Sequence[str], dest: str, *, new: str, base_action: str | None,
                 **kw: Any) -> None:
        # SUPPRESS: the alias neither shows in --help nor sets a default over the new option's
        super().__init__(option_strings, dest, default=argparse.SUPPRESS, help=argparse.SUPPRESS, **kw)
        self.new = new
        self.base_action = base_action or "store"

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if self.base_action == "store_true":
            values = True
        elif self.base_action == "append":
            values = [*(getattr(namespace, self.dest, None) or []), values]
        setattr(namespace, self.dest, values)
        used = dict(getattr(namespace, OLD_SPELLINGS_USED, None) or {})
        used[option_string or self.option_strings[0]] = self.new
        setattr(namespace, OLD_SPELLINGS_USED, used)


def warn_old_spellings(config: pytest.Config) -> None:
    """One warning per old spelling the command line used (shown in pytest's warnings summary)."""
    used: dict[str, str] = getattr(config.option, OLD_SPELLINGS_USED, None) or {}
    for old, new in sorted(used.items()):
        config.issue_config_time_warning(
            OptionDeprecationWarning(f"{old} is deprecated and will be removed: use {new}"), stacklevel=2)


# -- value parsers (argparse turns ArgumentTypeError into "argument --x: <message>") --------------------
def _number(kind: Callable[[str], Any], what: str, ok: Callable[[Any], bool]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    parse.__name__ = what.replace(" ", "_")
    return parse


positive_int = _number(int, "a positive integer", lambda v: v > 0)
non_negative_int = _number(int, "an integer >= 0", lambda v: v >= 0)
positive_float = _number(float, "a positive number", lambda v: v > 0 and v != float("inf"))
non_negative_float = _number(float, "a number >= 0", lambda v: 0 <= v < float("inf"))
port = _number(int, "a port number (1-65535)", lambda v: 1 <= v <= 65535)


def seed_list(text: str) -> tuple[int | str, ...]:
    """``1,2,random``: integers >= 0 and ``random`` (drawn once per run, see settings.seeds)."""
    words = [w.strip() for w in text.split(",") if w.strip()]
    if not words:
        raise argparse.ArgumentTypeError("needs at least one seed")
    seeds: list[int | str] = []
    for w in words:
        if w == "random":
            seeds.append(w)
        elif w.isdigit():
            seeds.append(int(w))
        else:
            raise argparse.ArgumentTypeError(f"takes comma-separated integers >= 0 and 'random', got {text!r}")
    return tuple(seeds)


def cpu_pin(text: str) -> str:
    """``auto``, ``none`` or the number of a CPU this process may run on."""
    if text in ("auto", "none"):
        return text
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected auto, none or a CPU number, got {text!r}")
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 1))
    if int(text) not in allowed:
        raise argparse.ArgumentTypeError(f"CPU {text} is not available to this process "
                                         f"(allowed: {', '.join(map(str, sorted(allowed)))})")
    return text


def toolchain_choice(text: str) -> str:
    """``auto``, ``gnu``, ``ndk`` or ``ndk:API`` (checked by toolchain.parse_choice)."""
    from .errors import MobileKernelError
    from .toolchain import parse_choice

    try:
        parse_choice(text)
    except MobileKernelError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def existing_dir(text: str) -> str:
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a directory")
    return text


def existing_file(text: str) -> str:
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"{text} is not a file")
    return text


def existing_path(text: str) -> str:
    if not os.path.exists(text):
        raise argparse.ArgumentTypeError(f"{text} does not exist")
    return text


def non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def label(text: str) -> str:
    """A kernels label is one folder name under --mk-kernels-dir."""
    if not text.strip() or "/" in text or text in (".", ".."):
        raise argparse.ArgumentTypeError(f"expected one folder name, got {text!r}")
    return text
