import torch
import torch.nn as nn

ONNX_OP = "Unique"
DOC_NOTE = ("published init args (0, 1) read as sorted=0, return_inverse=1. Twin built with onnx.helper "
            "(one Unique node, sorted=0, no axis, outputs Y, indices, inverse_indices; ONNX outputs are "
            "positional, so indices comes along): torch.unique sorts on CPU whatever `sorted` says, so the "
            "Model computes ONNX's first-occurrence order explicitly. Published shape [32, 512, 512] "
            "(8.4M elements; MNN cannot run Unique) scaled to [16, 64, 64]; values are 1000 distinct "
            "quarter-integers, all present for every seed, so the output shapes do not depend on the seed.")


class Model(nn.Module):
    """Distinct values of the flattened input (ONNX Unique without axis).

    sorted=1: ascending; sorted=0: in order of first occurrence. Returns Y, the index of each Y value's
    first occurrence in the flattened input, and (return_inverse=1) the position in Y of every input
    element: the first three outputs of ONNX Unique, which are positional.
    """

    def __init__(self, sorted: int, return_inverse: int):
        super().__init__()
        self.sorted = bool(sorted)
        self.return_inverse = bool(return_inverse)

    def forward(self, x: torch.Tensor):
        flat = x.reshape(-1)
        values, inverse = torch.unique(flat, sorted=True, return_inverse=True)
        n = flat.numel()
        positions = torch.arange(n, dtype=torch.int64)
        first = torch.full((values.numel(),), n, dtype=torch.int64).scatter_reduce(0, inverse, positions, "amin")
        if not self.sorted:
            # First occurrences are distinct: ordering by them gives ONNX's sorted=0 order.
            order = torch.argsort(first)
            rank = torch.empty_like(order)
            rank[order] = torch.arange(order.numel(), dtype=torch.int64)
            values, first, inverse = values[order], first[order], rank[inverse]
        if self.return_inverse:
            return values, first, inverse
        return values, first


def get_inputs():
    # 65536 values from 1000 distinct quarter-integers in [-125, 125): each appears ~65 times.
    return [torch.randint(-500, 500, (16, 64, 64)).float() / 4]


def get_init_inputs():
    return [0, 1]


def onnx_twin(model, inputs):
    # One Unique node without axis; the graph exposes its first outputs (Y, indices[, inverse_indices]).
    from onnx import TensorProto, helper

    outs = model(*inputs)
    names = [f"output_{i}" for i in range(len(outs))]
    types = [TensorProto.FLOAT] + [TensorProto.INT64] * (len(outs) - 1)
    node = helper.make_node("Unique", ["input_0"], names, sorted=int(model.sorted))
    graph = helper.make_graph(
        [node], "Unique",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, list(inputs[0].shape))],
        [helper.make_tensor_value_info(n, t, list(o.shape)) for n, t, o in zip(names, types, outs)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
