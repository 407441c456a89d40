"""One operator out of an exported graph: the single-node twin of a task file that has no hook.

A third party's KernelBench file means one operator, but torch's exporters wrap it: Identity nodes on
BatchNormalization's parameters, Casts to bool before Xor/Not, a Reshape before a flattening ArgMax,
an Unsqueeze or Squeeze after a reduction or an RNN, shape arithmetic that builds an LSTM's zero
state or Tile's repeats, a scalar Mul for Gemm's alpha/beta, a depthwise Conv followed by a pointwise
one. ``single_operator`` folds all of that into one node and says how the data moves between
PyTorch's layout and the node's (``Adapters``): graph inputs reshaped or cast to bool on the way in,
outputs reshaped or transposed on the way out. Every change is value-preserving, and the result is
checked against PyTorch under onnxruntime like any twin.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

ADAPTERS_KEY = "mobilekernel.adapters"
# Nodes that only move, view or retype data; anything else is an operator.
_SHAPE_OPS = {"Reshape", "Squeeze", "Unsqueeze", "Flatten"}
_PLUMBING = {"Identity", "Cast", "Expand", "Transpose", *_SHAPE_OPS}
_NEVER_FOLD = {"RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli"}


@dataclass
class Adapters:
    """How task tensors become twin tensors.

    inputs[k]: graph input k as the node takes it ({"shape", "dtype"}), None = unchanged. A reshape
    keeps the bytes; a cast to bool is what the export's Cast did.
    outputs[j]: steps from the node's output j to PyTorch's, each ["reshape", shape, shape before] or
    ["transpose", perm, shape before]; references are stored in the node's layout (the steps undone).
    """

    inputs: list[dict[str, Any] | None] = field(default_factory=list)
    outputs: list[list[list[Any]]] = field(default_factory=list)

    def trivial(self) -> bool:
        return all(a is None for a in self.inputs) and all(not s for s in self.outputs)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_proto(cls, proto: Any) -> Adapters:
        for prop in proto.metadata_props:
            if prop.key == ADAPTERS_KEY:
                return cls(**json.loads(prop.value))
        return cls()

    def adapt_input(self, k: int, arr: Any) -> Any:
        """A task tensor as the twin's graph input k takes it."""
        import numpy as np

        spec = self.inputs[k] if k < len(self.inputs) else None
        if spec is None:
            return arr
        return np.asarray(arr).reshape(spec["shape"]).astype(spec["dtype"], copy=False)

    def reference(self, j: int, arr: Any) -> Any:
        """PyTorch's output j in the node's layout: the output steps undone, last first."""
        import numpy as np

        out = np.asarray(arr)
        for kind, arg, before in reversed(self.outputs[j] if j < len(self.outputs) else []):
            out = out.reshape(before) if kind == "reshape" else np.transpose(out, np.argsort(arg))
        return out if out.flags.c_contiguous else out.copy(order="C")  # ascontiguousarray makes 0-d 1-d


class NotOneOperator(Exception):
    """The graph is not one operator in plumbing; str() names the operator nodes found."""


def single_operator(proto: Any, output_shapes: list[list[int]] | None = None) -> tuple[Any, Adapters]:
    """A one-node ModelProto equivalent to proto, and the adapters between their layouts.

    output_shapes: PyTorch's output shapes, for outputs whose shape follows the input values (Range).
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper, shape_inference

    try:
        proto = shape_inference.infer_shapes(proto, strict_mode=False, data_prop=True)
    except Exception:  # noqa: BLE001 - shapes then come from the exporter's value_info only
        pass
    g = proto.graph
    info: dict[str, tuple[list[int] | None, int]] = {}
    for v in [*g.input, *g.value_info, *g.output]:
        t = v.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim] if t.HasField("shape") else None
        info[v.name] = (None if dims is None or None in dims else dims, t.elem_type)
    known: dict[str, Any] = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for name, arr in known.items():
        info[name] = (list(arr.shape), helper.np_dtype_to_tensor_dtype(arr.dtype))
    inputs = [i.name for i in g.input if i.name not in known]
    for o, dims in zip(g.output, output_shapes or []):
        if info.get(o.name, (None, 0))[0] is None:
            info[o.name] = (list(dims), info.get(o.name, (None, o.type.tensor_type.elem_type))[1])

    # 1. Fold everything that does not depend on input values (shape arithmetic, constants).
    nodes = []
    for node in g.node:
        outs = _fold(node, known, info)
        if outs is None:
            nodes.append(node)
            continue
        for name, arr in zip(node.output, outs):
            known[name] = np.asarray(arr)
            info[name] = (list(known[name].shape), helper.np_dtype_to_tensor_dtype(known[name].dtype))

    def shape(name: str) -> list[int] | None:
        return info.get(name, (None, 0))[0]

    def dtype(name: str) -> int:
        return info.get(name, (None, 0))[1]

    # 2. Drop no-ops: Identity, a Cast to the same type, an Expand or reshape to the same shape.
    alias: dict[str, str] = {}

    def real(name: str) -> str:
        while name in alias:
            name = alias[name]
        return name

    kept = []
    for node in nodes:
        src = real(node.input[0]) if node.input else ""
        noop = node.op_type == "Identity" or (
            node.op_type == "Cast" and dtype(node.output[0]) == dtype(src) != 0) or (
            node.op_type in {"Expand", *_SHAPE_OPS} and shape(src) is not None and shape(node.output[0]) == shape(src))
        if noop and src not in known:
            alias[node.output[0]] = src
        else:
            kept.append(node)
    nodes = [_renamed(n, real) for n in kept]
    outputs = [real(o.name) for o in g.output]

    # 3. Fold pairs that are one operator: scalar scales into Gemm, a pointwise Conv into the Conv before it.
    nodes = _fold_gemm_scales(nodes, known, shape, outputs)
    nodes = _fuse_pointwise_conv(nodes, known, outputs)

    producer = {o: n for n in nodes for o in n.output}

    def plumbing(n: Any) -> bool:
        return n.op_type in _PLUMBING and all(i in known for i in n.input[1:] if i)

    ops = [n for n in nodes if not plumbing(n)]
    if len(ops) != 1:
        raise NotOneOperator("no node is plumbing around a single operator" if ops else "every node is plumbing")
    op = ops[0]

    # 4. Inputs: each node input is a constant, or a graph input through reshapes / casts to bool.
    adapters = Adapters(inputs=[None] * len(inputs), outputs=[[] for _ in g.output])
    used: set[int] = set()
    new_inputs, new_node_inputs, initializers = [], [], []
    for j, name in enumerate(op.input):
        if name == "":
            new_node_inputs.append("")
            continue
        if name in known:
            cname = f"const_{j}"
            initializers.append(numpy_helper.from_array(np.asarray(known[name]), cname))
            new_node_inputs.append(cname)
            continue
        cur = name
        while cur in producer and producer[cur] is not op and plumbing(producer[cur]):
            p = producer[cur]
            if p.op_type == "Transpose" or (p.op_type == "Cast" and dtype(p.output[0]) != onnx.TensorProto.BOOL):
                raise NotOneOperator(f"a {p.op_type} between a graph input and the {op.op_type} node")
            cur = p.input[0]
        if cur not in inputs or shape(name) is None:
            raise NotOneOperator(f"{op.op_type} input {j} comes from neither a graph input nor a constant")
        k = inputs.index(cur)
        if k in used:
            raise NotOneOperator(f"graph input {k} feeds the {op.op_type} node twice")
        used.add(k)
        if shape(name) != shape(cur) or dtype(name) != dtype(cur):
            adapters.inputs[k] = {"shape": shape(name), "dtype": str(helper.tensor_dtype_to_np_dtype(dtype(name)))}
        new_inputs.append((k, helper.make_tensor_value_info(f"input_{k}", dtype(name), shape(name))))
        new_node_inputs.append(f"input_{k}")
    if used != set(range(len(inputs))):
        raise NotOneOperator(f"the {op.op_type} node does not use every graph input")

    # 5. Outputs: each graph output is a node output through reshapes / transposes.
    renamed = {}
    for j, name in enumerate(outputs):
        cur, steps = name, []
        while cur not in op.output:
            p = producer.get(cur)
            if p is None or not plumbing(p) or p.op_type == "Cast" or shape(p.input[0]) is None:
                raise NotOneOperator(f"graph output {j} is not an output of the {op.op_type} node")
            if p.op_type == "Transpose":
                perm = [int(v) for v in helper.get_attribute_value(p.attribute[0])] if p.attribute else \
                    list(reversed(range(len(shape(p.input[0])))))
                steps.append(["transpose", perm, shape(p.input[0])])
            else:
                steps.append(["reshape", shape(cur), shape(p.input[0])])
            cur = p.input[0]
        if cur in renamed:
            raise NotOneOperator(f"two graph outputs come from one {op.op_type} output")
        renamed[cur] = f"output_{j}"
        adapters.outputs[j] = list(reversed(steps))
    if any(shape(o) is None for o in renamed):
        raise NotOneOperator(f"the {op.op_type} node's output shape is unknown")

    node = helper.make_node(op.op_type, new_node_inputs, [renamed.get(o, o) for o in op.output],
                            name=op.op_type, domain=op.domain)
    node.attribute.extend(op.attribute)
    graph = helper.make_graph(
        [node], g.name or op.op_type, [vi for _, vi in sorted(new_inputs, key=lambda kv: kv[0])],
        [helper.make_tensor_value_info(f"output_{j}", dtype(o), shape(o))
         for o, j in sorted(((o, int(n[7:])) for o, n in renamed.items()), key=lambda kv: kv[1])],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=list(proto.opset_import), ir_version=proto.ir_version)
    if not adapters.trivial():
        helper.set_model_props(model, {ADAPTERS_KEY: adapters.to_json()})
    onnx.checker.check_model(model)
    return model, adapters


def _fold(node: Any, known: dict[str, Any], info: dict[str, tuple[list[int] | None, int]]) -> list[Any] | None:
    """The node's outputs if they follow from constants and static shapes alone, else None."""
    import numpy as np
    from onnx import helper, numpy_helper
    from onnx.reference import ReferenceEvaluator

    if node.op_type == "Constant":
        attr = node.attribute[0]
        value = helper.get_attribute_value(attr)
        return [numpy_helper.to_array(value) if attr.name == "value" else np.asarray(value)]
    if node.op_type == "Shape":
        dims = info.get(node.input[0], (None, 0))[0]
        if dims is None:
            return None
        attrs = {a.name: a.i for a in node.attribute}
        return [np.asarray(dims[attrs.get("start", 0):attrs.get("end", len(dims))], dtype=np.int64)]
    if node.op_type in _NEVER_FOLD or not node.input or not all(i == "" or i in known for i in node.input):
        return None
    try:
        return list(ReferenceEvaluator(node).run(None, {i: known[i] for i in node.input if i}))
    except Exception:  # noqa: BLE001 - left in the graph, judged below
        return None


def _renamed(node: Any, real: Any) -> Any:
    from onnx import NodeProto

    out = NodeProto()
    out.CopyFrom(node)
    del out.input[:]
    out.input.extend(real(i) if i else "" for i in node.input)
    return out


def _scalar(known: dict[str, Any], name: str) -> float | None:
    arr = known.get(name)
    return float(arr.reshape(-1)[0]) if arr is not None and arr.size == 1 else None


def _consumers(nodes: list[Any], name: str, outputs: list[str]) -> int:
    return sum(list(n.input).count(name) for n in nodes) + outputs.count(name)


def _fold_gemm_scales(nodes: list[Any], known: dict[str, Any], shape: Any, outputs: list[str]) -> list[Any]:
    """alpha * (A @ B) + beta * C as written in torch, back into one Gemm's alpha and beta."""
    from onnx import helper

    def attr(n: Any, name: str, default: float) -> float:
        return next((helper.get_attribute_value(a) for a in n.attribute if a.name == name), default)

    def set_attr(n: Any, name: str, value: float) -> None:
        for a in list(n.attribute):
            if a.name == name:
                n.attribute.remove(a)
        n.attribute.append(helper.make_attribute(name, float(value)))

    changed = True
    while changed:
        changed = False
        producer = {o: n for n in nodes for o in n.output}
        for n in nodes:
            if n.op_type == "MatMul" and all(shape(i) is not None and len(shape(i)) == 2 for i in n.input):
                n.op_type = "Gemm"  # two 2-D operands: MatMul is Gemm with alpha 1 and no C
            if n.op_type != "Gemm":
                continue
            # a transposed operand (a.t() in torch): into transA / transB
            for j, name in enumerate(n.input[:2]):
                p = producer.get(name)
                if p is not None and p.op_type == "Transpose" and _consumers(nodes, name, outputs) == 1 and \
                        [int(v) for a in p.attribute for v in a.ints] in ([1, 0], []):
                    key = "transA" if j == 0 else "transB"
                    flag = 1 - int(attr(n, key, 0))
                    for a in list(n.attribute):
                        if a.name == key:
                            n.attribute.remove(a)
                    n.attribute.append(helper.make_attribute(key, flag))
                    n.input[j] = p.input[0]
                    nodes.remove(p)
                    changed = True
                    break
            if changed:
                break
            # a scalar Mul on an operand: into alpha (A, B) or beta (C)
            for j, name in enumerate(n.input):
                p = producer.get(name)
                if p is None or p.op_type != "Mul" or _consumers(nodes, name, outputs) != 1:
                    continue
                s = next((_scalar(known, i) for i in p.input if _scalar(known, i) is not None), None)
                other = [i for i in p.input if _scalar(known, i) is None]
                if s is None or len(other) != 1:
                    continue
                key = "beta" if j == 2 else "alpha"
                set_attr(n, key, attr(n, key, 1.0) * s)
                n.input[j] = other[0]
                nodes.remove(p)
                changed = True
                break
            if changed:
                break
            users = [u for u in nodes if n.output[0] in u.input]
            if len(users) != 1 or _consumers(nodes, n.output[0], outputs) != 1:
                continue
            u = users[0]
            s = next((_scalar(known, i) for i in u.input if i != n.output[0]), None)
            if u.op_type == "Mul" and s is not None:  # (A @ B + C) * s
                set_attr(n, "alpha", attr(n, "alpha", 1.0) * s)
                set_attr(n, "beta", attr(n, "beta", 1.0) * s)
            elif u.op_type == "Add" and len(n.input) == 2:  # A @ B + C: C becomes Gemm's third input
                c = next(i for i in u.input if i != n.output[0])
                if c in known and known[c].ndim > 2 or (shape(c) is not None and len(shape(c)) > 2):
                    continue
                n.input.append(c)
                set_attr(n, "beta", 1.0)
            else:
                continue
            n.output[0] = u.output[0]
            nodes.remove(u)
            changed = True
            break
    return nodes


def _fuse_pointwise_conv(nodes: list[Any], known: dict[str, Any], outputs: list[str]) -> list[Any]:
    """Conv then a 1x1 Conv (a depthwise-separable block) as the one dense Conv it equals."""
    import numpy as np
    from onnx import helper

    def attrs(n: Any) -> dict[str, Any]:
        return {a.name: helper.get_attribute_value(a) for a in n.attribute}

    for second in list(nodes):
        if second.op_type != "Conv" or second.input[1] not in known:
            continue
        first = next((n for n in nodes if n.op_type == "Conv" and n.output[0] == second.input[0]), None)
        if first is None or first.input[1] not in known or _consumers(nodes, first.output[0], outputs) != 1:
            continue
        a2, wb = attrs(second), known[second.input[1]]
        pointwise = all(d == 1 for d in wb.shape[2:]) and a2.get("group", 1) == 1 and \
            all(v == 1 for v in a2.get("strides", [])) and all(v == 0 for v in a2.get("pads", [])) and \
            a2.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
        if not pointwise:
            continue
        wa, group = known[first.input[1]].astype(np.float64), int(attrs(first).get("group", 1))
        m, cin_g = wa.shape[:2]
        dense = np.zeros((m, cin_g * group, *wa.shape[2:]))
        for o in range(m):
            g = o // (m // group)
            dense[o, g * cin_g:(g + 1) * cin_g] = wa[o]
        p = wb.reshape(wb.shape[0], wb.shape[1]).astype(np.float64)
        w = np.einsum("om,mc...->oc...", p, dense).astype(wb.dtype)
        ba = known[first.input[2]] if len(first.input) > 2 and first.input[2] else np.zeros(m)
        bb = known[second.input[2]] if len(second.input) > 2 and second.input[2] else np.zeros(wb.shape[0])
        b = (p @ ba.astype(np.float64) + bb).astype(wb.dtype)
        wname, bname = f"{second.output[0]}_fused_w", f"{second.output[0]}_fused_b"
        known[wname], known[bname] = w, b
        fused = helper.make_node("Conv", [first.input[0], wname, bname], list(second.output), name="Conv")
        fused.attribute.extend(a for a in first.attribute if a.name != "group")
        nodes = [fused if n is second else n for n in nodes if n is not first]
    return nodes
