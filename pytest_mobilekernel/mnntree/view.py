"""What MoKA sees of a real MNN checkout: a Repository Tree, the op's parameter table, an example.

The whole tree is too large for a prompt, so the Repository Tree lists every file of the public
headers, the core, the CPU backend and the schema, but summarises (classes, members, macros) only
the headers a CPU kernel uses plus the headers of the operator's own files. The operator's
parameters come from the flatbuffers schema table the converter fills. The one-shot example is an
existing CPU operator of the same category taken from the tree, never the operator's own file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..targets.base import AgentView
from ..tools.repo_tree import RepositoryTree
from .checkout import CPU_DIR, Checkout

TREE_DIRS = ("include/MNN", "source/core", "source/backend/cpu", "schema/default")
API_HEADERS = (
    "include/MNN/Tensor.hpp", "include/MNN/HalideRuntime.h", "source/core/Execution.hpp", "source/core/Macro.h",
    "source/core/Concurrency.h", "source/core/TensorUtils.hpp", "source/backend/cpu/CPUBackend.hpp",
)
# Small, self-contained CPU operators per category, in order of preference.
EXAMPLES = {
    "Activation": ("CPUSoftmax.cpp", "CPURelu.cpp", "CPUSelect.cpp"),
    "Normalization": ("CPUScale.cpp", "CPUSoftmax.cpp"),
    "Reduction": ("CPUArgMax.cpp", "CPUTopKV2.cpp", "CPUReduction.cpp"),
    "Tensor": ("CPUOneHot.cpp", "CPURange.cpp", "CPUSelect.cpp"),
    "Matrix": ("CPUDet.cpp", "CPUMatMul.cpp"),
    "Pooling": ("CPUPool.cpp", "CPUArgMax.cpp"),
    "Convolution": ("CPUScale.cpp", "CPUPool.cpp"),
    "Others": ("CPUROIAlign.cpp", "CPURNNSequenceGRU.cpp", "CPUStft.cpp"),
}
DEFAULT_EXAMPLES = ("CPUOneHot.cpp", "CPUSelect.cpp", "CPURange.cpp", "CPUScale.cpp")


def schema_table(checkout: Checkout, table: str) -> str:
    """The flatbuffers table holding an op's parameters (``table LayerNorm { ... }``), if any."""
    pattern = re.compile(rf"^table\s+{re.escape(table)}(?:Param)?\s*\{{.*?^\}}", re.M | re.S)
    for fbs in sorted((checkout.root / "schema" / "default").glob("*.fbs")):
        m = pattern.search(fbs.read_text(errors="replace"))
        if m:
            return f"// schema/default/{fbs.name}\n{m.group(0)}"
    return ""


def example_file(checkout: Checkout, category: str, avoid: str) -> str:
    cpu = checkout.root / "source" / "backend" / "cpu"
    for name in (*EXAMPLES.get(category, ()), *DEFAULT_EXAMPLES):
        path = cpu / name
        if path.exists() and f"source/backend/cpu/{name}" != avoid:
            text = path.read_text(errors="replace")
            if "MNN_SUPPORT_DEPRECATED_OP" in text:  # compiled out of default builds: a poor model to copy
                continue
            return f"// source/backend/cpu/{name} (MNN's own operator)\n" + text
    return ""


def repository_tree(checkout: Checkout, op_files: list[str]) -> str:
    detail = set(API_HEADERS)
    for rel in op_files:  # the operator's own header(s): the class the kernel may implement
        header = Path(rel).with_suffix(".hpp")
        if (checkout.root / header).exists():
            detail.add(str(header))
    tree = RepositoryTree(checkout.root, include=tuple(d for d in TREE_DIRS if (checkout.root / d).is_dir()),
                          detail=lambda rel: rel in detail, list_suffixes=(".h", ".hpp", ".cpp", ".fbs"))
    return tree.render()


def agent_view(checkout: Checkout, category: str, op_type: str, param_table: str = "") -> AgentView:
    """What the prompts show for one operator (``op_type`` as MNN names it: "LayerNorm"; ``param_table``
    the flatbuffers table its parameters are stored in, as the converted model says: "Axis")."""
    from ..agents.prompting import PROMPTS

    files = [rel for rel, regs in checkout.registrations().items()
             if any(r.op_type == f"OpType_{op_type}" for r in regs)]
    placement = files[0] if len(files) == 1 else f"{CPU_DIR}/MK{op_type}.cpp (a new operator file)"
    rules = ((PROMPTS / "mnn_tree_rules.md").read_text().strip()
             .replace("{{version}}", f"MNN {checkout.version}").replace("{{placement}}", placement))
    param_table = param_table or op_type
    table = schema_table(checkout, param_table)
    attributes = ("the flatbuffers parameters MNN's converter filled, read in onCreate with "
                  f"`op->main_as_{param_table}()`:\n```\n{table}\n```" if table else
                  "MNN's converter stores no parameter table for this op: constants arrive as input tensors")
    return AgentView(framework=f"MNN {checkout.version} (your checkout {checkout.root})", rules=rules,
                     tree=repository_tree(checkout, files), example=example_file(checkout, category, placement),
                     op_type=op_type, attributes=attributes, sdk_root=checkout.root,
                     kernel_file=Path(placement.split(" ")[0]).name, tree_dirs=TREE_DIRS)
