"""Repository Tree Builder: a hierarchical view of the framework a kernel is written against.

MoKA grounds the Coder and the Debugger in the framework's real API instead of the LLM's memory of
it. The tree lists directories and files; for each header it summarises, with tree-sitter, the
classes (and their public members), enums, free functions and macros it declares — enough for the
model to see what exists and where, without the whole source. Works on any C++ tree: today the lite
SDK (mnn_ext/), later a real MNN checkout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import cpp

HEADER_SUFFIXES = (".h", ".hpp", ".hh")


@dataclass
class FileSummary:
    path: str
    classes: dict[str, list[str]] = field(default_factory=dict)
    enums: dict[str, list[str]] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    macros: list[str] = field(default_factory=list)


# `class MNN_PUBLIC Tensor {`: an export macro between the keyword and the name hides the class from
# the parser (it sees a class named MNN_PUBLIC); blank such all-caps macros, keeping offsets.
_EXPORT_MACRO = re.compile(r"\b(class|struct)(\s+)([A-Z][A-Z0-9_]*)(?=\s+[A-Za-z_]\w*\s*[:{])")


def summarise(source: str, rel: str) -> FileSummary:
    source = _EXPORT_MACRO.sub(lambda m: m.group(1) + m.group(2) + " " * len(m.group(3)), source)
    tree = cpp.parse(source)
    summary = FileSummary(rel)

    def visit(node, scope_class: str | None = None) -> None:
        for child in node.named_children:
            t = child.type
            if t in ("class_specifier", "struct_specifier") and child.child_by_field_name("body") is not None:
                name_node = child.child_by_field_name("name")
                name = cpp.text(name_node) if name_node else "<anonymous>"
                if scope_class:
                    name = f"{scope_class}::{name}"
                summary.classes[name] = members(child)
                for inner in nested_classes(child):
                    inner_name = f"{name}::{cpp.text(inner.child_by_field_name('name'))}"
                    summary.classes[inner_name] = members(inner)
                visit(child.child_by_field_name("body"), name)
            elif t == "enum_specifier" and child.child_by_field_name("body") is not None:
                name_node = child.child_by_field_name("name")
                body = child.child_by_field_name("body")
                summary.enums[cpp.text(name_node) if name_node else "<anonymous>"] = [
                    cpp.text(e.child_by_field_name("name")) for e in body.named_children if e.type == "enumerator"]
            elif t in ("preproc_def", "preproc_function_def"):
                name = cpp.text(child.child_by_field_name("name"))
                params = child.child_by_field_name("parameters")
                if not name.endswith(("_h", "_hpp", "_HPP", "_H")):  # include guards say nothing
                    summary.macros.append(name + (cpp.text(params) if params else ""))
            elif t == "function_definition" and scope_class is None:
                name = cpp.declarator_name(child)
                if name:
                    summary.functions.append(name)
            elif t in ("namespace_definition", "declaration_list", "preproc_ifdef", "preproc_if",
                       "linkage_specification", "template_declaration", "preproc_else"):
                body = child.child_by_field_name("body")
                visit(body if body is not None else child, scope_class)

    visit(tree.root_node)
    return summary


def members(class_node) -> list[str]:
    """Public member functions and fields of a class, as 'name(params)' signatures."""
    body = class_node.child_by_field_name("body")
    access = "private" if class_node.type == "class_specifier" else "public"
    out: list[str] = []
    for child in body.named_children:
        if child.type == "access_specifier":
            access = cpp.text(child).rstrip(":").strip()
            continue
        if access != "public":
            continue
        prefix = ""
        node = child
        if child.type == "template_declaration" and child.named_children:
            params = child.child_by_field_name("parameters")
            prefix = f"template{cpp.text(params)} " if params else ""
            node = child.named_children[-1]
        if node.type in ("function_definition", "field_declaration", "declaration"):
            decl = node.child_by_field_name("declarator")
            if decl is None:
                continue
            type_node = node.child_by_field_name("type")
            type_text = "" if type_node is None or type_node.type in ("class_specifier", "struct_specifier") \
                else cpp.text(type_node) + " "
            out.append(" ".join((prefix + type_text + cpp.text(decl)).split()))
    return out


def nested_classes(class_node):
    """Classes defined inside a class body (e.g. CPUBackend::Creator)."""
    body = class_node.child_by_field_name("body")
    for child in body.named_children:
        t = child.child_by_field_name("type") if child.type == "field_declaration" else None
        if t is not None and t.type in ("class_specifier", "struct_specifier") and t.child_by_field_name("body"):
            yield t


class RepositoryTree:
    """Headers under ``include`` (relative dirs of ``root``), each summarised with tree-sitter.

    A large framework (a real MNN checkout) passes ``detail``: then every file with one of
    ``list_suffixes`` is listed by name, and only headers for which ``detail(relpath)`` holds are
    summarised, so the tree fits a prompt and stays a map of where things are.
    """

    def __init__(self, root: Path, include: tuple[str, ...] = ("include", "source"),
                 detail: Callable[[str], bool] | None = None,
                 list_suffixes: tuple[str, ...] = HEADER_SUFFIXES) -> None:
        self.root = Path(root)
        self.include = include
        self.files: list[FileSummary] = []
        suffixes = HEADER_SUFFIXES if detail is None else list_suffixes
        for sub in include:
            for path in sorted((self.root / sub).rglob("*")):
                if path.suffix not in suffixes or not path.is_file():
                    continue
                rel = str(path.relative_to(self.root))
                if path.suffix in HEADER_SUFFIXES and (detail is None or detail(rel)):
                    self.files.append(summarise(path.read_text(errors="replace"), rel))
                else:
                    self.files.append(FileSummary(rel))

    def render(self) -> str:
        lines = [f"{self.root.name}/"]
        last_dir = None
        for f in sorted(self.files, key=lambda f: f.path.rpartition("/")[0]):  # one heading per directory
            directory, _, name = f.path.rpartition("/")
            if directory != last_dir:
                lines.append(f"  {directory}/")
                last_dir = directory
            lines.append(f"    {name}")
            for cls, mems in f.classes.items():
                lines.append(f"      class {cls}: " + ("; ".join(mems) if mems else "(no public members)"))
            for enum, values in f.enums.items():
                lines.append(f"      enum {enum}: {', '.join(values)}")
            if f.functions:
                lines.append(f"      functions: {', '.join(f.functions)}")
            if f.macros:
                lines.append(f"      macros: {', '.join(f.macros)}")
        return "\n".join(lines)

    def find_class(self, name: str) -> tuple[str, list[str]] | None:
        short = name.split("::")[-1]
        for f in self.files:
            for cls, mems in f.classes.items():
                if cls.split("::")[-1] == short:
                    return f.path, mems
        return None
