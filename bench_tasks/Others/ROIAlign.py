import onnx
import torch
import torch.nn as nn
from onnx import helper

ONNX_OP = "RoiAlign"
DOC_NOTE = (
    "The published file imports torchvision (not importable here, so it has no published shapes); the "
    "reference is written out in forward(): average RoI Align with half-pixel coordinates (torchvision's "
    "aligned=True, ONNX opset 16+ coordinate_transformation_mode='half_pixel'), 2x2 bilinear samples per "
    "bin. Twin built with onnx.helper (one RoiAlign node). Some boxes reach past the image border, where "
    "ONNX's out-of-range and clamping rules apply."
)

FEATURE_SHAPE = (2, 32, 56, 56)  # [N, C, H, W]: a stride-4 feature map of a 224 x 224 image
NUM_ROIS = 8


class Model(nn.Module):
    """RoI Align (average) of boxes given in image coordinates on a feature map scaled by spatial_scale."""

    def __init__(self, output_height: int, output_width: int, spatial_scale: float, sampling_ratio: int):
        super().__init__()
        self.output_height = output_height
        self.output_width = output_width
        self.spatial_scale = spatial_scale
        self.sampling_ratio = sampling_ratio  # > 0: a fixed sampling_ratio x sampling_ratio grid per bin

    def _axis(self, start: torch.Tensor, end: torch.Tensor, bins: int, size: int):
        """Sample positions along one axis: low/high indices and weights [R, bins, grid], plus validity."""
        grid = self.sampling_ratio
        bin_size = (end - start) / bins  # half_pixel mode: no minimum RoI size
        steps = torch.arange(bins, dtype=start.dtype)[None, :, None] + \
            (torch.arange(grid, dtype=start.dtype)[None, None, :] + 0.5) / grid
        pos = start[:, None, None] + steps * bin_size[:, None, None]
        valid = (pos >= -1.0) & (pos <= size)  # samples further out contribute 0
        pos = pos.clamp(min=0.0)
        low = pos.floor().long()
        at_edge = low >= size - 1
        low = torch.where(at_edge, torch.full_like(low, size - 1), low)
        high = torch.where(at_edge, low, low + 1)
        pos = torch.where(at_edge, low.to(pos.dtype), pos)
        frac = pos - low.to(pos.dtype)
        return low, high, 1.0 - frac, frac, valid

    def forward(self, x: torch.Tensor, rois: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        _, _, height, width = x.shape
        ph, pw, grid = self.output_height, self.output_width, self.sampling_ratio
        boxes = rois * self.spatial_scale - 0.5  # half-pixel: pixel centres at +0.5
        y_low, y_high, wy_low, wy_high, y_valid = self._axis(boxes[:, 1], boxes[:, 3], ph, height)
        x_low, x_high, wx_low, wx_high, x_valid = self._axis(boxes[:, 0], boxes[:, 2], pw, width)
        r = rois.shape[0]
        b = batch_indices.view(r, 1, 1, 1, 1)

        def gather(yi: torch.Tensor, xi: torch.Tensor) -> torch.Tensor:
            # [R, ph, grid, pw, grid, C]: the channel slice goes last with separated advanced indices.
            return x[b, :, yi.view(r, ph, grid, 1, 1), xi.view(r, 1, 1, pw, grid)]

        def w(wy: torch.Tensor, wx: torch.Tensor) -> torch.Tensor:
            return (wy.view(r, ph, grid, 1, 1) * wx.view(r, 1, 1, pw, grid)).unsqueeze(-1)

        samples = (w(wy_low, wx_low) * gather(y_low, x_low) + w(wy_low, wx_high) * gather(y_low, x_high)
                   + w(wy_high, wx_low) * gather(y_high, x_low) + w(wy_high, wx_high) * gather(y_high, x_high))
        valid = (y_valid.view(r, ph, grid, 1, 1) & x_valid.view(r, 1, 1, pw, grid)).unsqueeze(-1)
        samples = torch.where(valid, samples, torch.zeros_like(samples))
        pooled = samples.sum(dim=(2, 4)) / (grid * grid)  # [R, ph, pw, C]
        return pooled.permute(0, 3, 1, 2).contiguous()  # [R, C, ph, pw]


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    x, rois, batch_indices = inputs
    node = helper.make_node(
        "RoiAlign", ["input_0", "input_1", "input_2"], ["output_0"], mode="avg",
        output_height=model.output_height, output_width=model.output_width, sampling_ratio=model.sampling_ratio,
        spatial_scale=float(model.spatial_scale), coordinate_transformation_mode="half_pixel")
    graph = helper.make_graph(
        [node], "ROIAlign",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(x.shape)),
         helper.make_tensor_value_info("input_1", onnx.TensorProto.FLOAT, list(rois.shape)),
         helper.make_tensor_value_info("input_2", onnx.TensorProto.INT64, list(batch_indices.shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT,
                                       [rois.shape[0], x.shape[1], model.output_height, model.output_width])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    n, _, h, w = FEATURE_SHAPE
    image_h, image_w = h * 4, w * 4  # spatial_scale 1/4
    # Boxes of 8..120 pixels, a few starting left of / above the image or ending past it.
    x1 = torch.rand(NUM_ROIS) * (image_w - 32) - 24
    y1 = torch.rand(NUM_ROIS) * (image_h - 32) - 24
    x2 = x1 + 8 + torch.rand(NUM_ROIS) * 112
    y2 = y1 + 8 + torch.rand(NUM_ROIS) * 112
    rois = torch.stack([x1, y1, x2, y2], dim=1)
    return [torch.randn(*FEATURE_SHAPE), rois, torch.randint(0, n, (NUM_ROIS,))]


def get_init_inputs():
    return [7, 7, 0.25, 2]
