"""Error Extractor: gcc's JSON diagnostics -> located, classified errors for the Debugger.

Each error is *local* (the kernel's own logic: undeclared names, type errors in its code) or
*cross-file* (the kernel misuses the framework: the error sits in, or its notes point to, an SDK
header — a wrong signature, a member that does not exist, a missing override). For every error the
whole enclosing function (or class) of the kernel is cut out with tree-sitter, since gcc's JSON omits
the "In function ..." context; for cross-file errors the framework declaration involved is quoted
(from the note's location, or by the class named in the message, via the Repository Tree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cpp
from .repo_tree import RepositoryTree

KERNEL_FILE = "kernel.cpp"
SCOPES = ("function_definition", "class_specifier", "struct_specifier")


@dataclass
class ExtractedError:
    scope: str  # "local" | "cross-file"
    message: str
    line: int
    column: int
    file: str
    code: str  # the enclosing function/class of the kernel (or the line)
    notes: list[str] = field(default_factory=list)
    declaration: str = ""  # cross-file: the framework declaration involved, with its file
    fixits: list[str] = field(default_factory=list)

    def render(self) -> str:
        head = f"[{self.scope}] {self.file}:{self.line}:{self.column}: {self.message}"
        parts = [head]
        parts += [f"  note: {n}" for n in self.notes]
        parts += [f"  fix-it: {f}" for f in self.fixits]
        if self.declaration:
            parts.append(f"  framework declaration:\n{_indent(self.declaration, 4)}")
        parts.append(f"  enclosing kernel code:\n{_indent(self.code, 4)}")
        return "\n".join(parts)


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())


def _caret(d: dict[str, Any]) -> dict[str, Any]:
    locs = d.get("locations") or []
    return locs[0].get("caret", {}) if locs else {}


class ErrorExtractor:
    def __init__(self, sdk_root: Path, tree: RepositoryTree | None = None) -> None:
        self.sdk_root = Path(sdk_root).resolve()
        self.tree = tree or RepositoryTree(self.sdk_root)

    def _is_sdk(self, file: str) -> bool:
        try:
            return Path(file).resolve().is_relative_to(self.sdk_root)
        except (OSError, ValueError):
            return False

    def _rel(self, file: str) -> str:
        return str(Path(file).resolve().relative_to(self.sdk_root)) if self._is_sdk(file) else Path(file).name

    def extract(self, diagnostics: list[dict[str, Any]], source: str, limit: int = 5) -> list[ExtractedError]:
        tree = cpp.parse(source)
        lines = source.splitlines()
        out: list[ExtractedError] = []
        for d in diagnostics:
            if d.get("kind") not in ("error", "fatal error"):
                continue
            caret = _caret(d)
            file = caret.get("file", "")
            children = d.get("children", [])
            note_locs = [(c, _caret(c)) for c in children]
            in_sdk = self._is_sdk(file)
            sdk_notes = [(c, loc) for c, loc in note_locs if self._is_sdk(loc.get("file", ""))]
            scope = "cross-file" if in_sdk or sdk_notes or self._names_sdk_class(d.get("message", "")) else "local"
            # Where in the kernel: the error itself, or (error inside a header) the kernel line that led there.
            k_line, k_col = caret.get("line", 0), caret.get("column", 0)
            if in_sdk:
                kernel_locs = [loc for _, loc in note_locs if Path(loc.get("file", "")).name == KERNEL_FILE]
                first = kernel_locs[0] if kernel_locs else {}
                k_line, k_col = first.get("line", 0), first.get("column", 0)
            node = cpp.enclosing(tree, k_line, k_col, SCOPES) if k_line else None
            code = cpp.text(node) if node is not None else (lines[k_line - 1] if 0 < k_line <= len(lines) else "")
            err = ExtractedError(
                scope=scope, message=d.get("message", ""), line=caret.get("line", 0), column=caret.get("column", 0),
                file=self._rel(file) if file else KERNEL_FILE, code=code,
                notes=[f"{self._rel(loc.get('file', ''))}:{loc.get('line', '?')}: {c.get('message', '')}"
                       for c, loc in note_locs][:6],
                fixits=[f"{fx.get('string', '')!r} at line {fx.get('start', {}).get('line', '?')}"
                        for fx in d.get("fixits", [])],
            )
            if scope == "cross-file":
                err.declaration = self._declaration(d, file if in_sdk else "", sdk_notes)
            out.append(err)
            if len(out) >= limit:
                break
        return out

    def _names_sdk_class(self, message: str) -> bool:
        m = re.search(r"['‘](?:class |struct )?(MNN::[\w:]+)['’]", message)
        return bool(m and self.tree.find_class(m.group(1)))

    def _declaration(self, d: dict[str, Any], header: str, sdk_notes: list[tuple[dict, dict]]) -> str:
        locs = ([_caret(d)] if header else []) + [loc for _, loc in sdk_notes]
        for loc in locs:
            path = Path(loc.get("file", ""))
            if path.exists():
                src = path.read_text(errors="replace")
                tree = cpp.parse(src)
                node = cpp.enclosing(tree, loc.get("line", 0), loc.get("column", 1),
                                     ("function_definition", "field_declaration", "declaration",
                                      "template_declaration", "preproc_function_def", "preproc_def"))
                if node is not None:
                    body = cpp.text(node)
                    if len(body) > 800:  # a long inline definition: its signature is what matters
                        body = body.split("{")[0].strip() + " { ... }"
                    return f"// {self._rel(str(path))}:{loc.get('line')}\n{body}"
        m = re.search(r"['‘](?:class |struct )?(MNN::[\w:]+)['’]", d.get("message", ""))
        if m:
            found = self.tree.find_class(m.group(1))
            if found:
                path, members = found
                return f"// {path}: class {m.group(1)} public members\n" + "\n".join(members)
        return ""
