"""tree-sitter C++ parsing shared by the Repository Tree Builder and the Error Extractor."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def parser() -> Any:
    import tree_sitter_cpp
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_cpp.language()))


def parse(source: str) -> Any:
    return parser().parse(source.encode())


def text(node: Any) -> str:
    return node.text.decode(errors="replace")


def enclosing(tree: Any, line: int, column: int, kinds: tuple[str, ...]) -> Any | None:
    """Innermost ancestor of the node at (1-based line, column) whose type is in kinds."""
    point = (max(line - 1, 0), max(column - 1, 0))
    node = tree.root_node.named_descendant_for_point_range(point, point)
    while node is not None and node.type not in kinds:
        node = node.parent
    return node


def declarator_name(node: Any) -> str | None:
    """Name declared by a function/field declaration or definition (walks nested declarators)."""
    decl = node.child_by_field_name("declarator")
    while decl is not None:
        if decl.type in ("identifier", "field_identifier", "qualified_identifier", "destructor_name",
                         "operator_name", "type_identifier"):
            return text(decl)
        decl = decl.child_by_field_name("declarator") or (decl.named_children[0] if decl.named_children else None)
    return None
