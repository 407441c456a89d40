import torch
import torch.nn as nn

ONNX_OP = "GridSample"
DOC_NOTE = ("published shapes input [1, 3, 32, 64], grid [1, 4, 4, 2] ran in 1.7 us on MNN (call overhead); "
            "scaled to input [2, 16, 64, 64], grid [2, 64, 64, 2].")


class Model(nn.Module):
    """Samples the input at normalised (x, y) grid locations (bilinear, zero padding, align_corners=False)."""

    def __init__(self, mode: str, padding_mode: str, align_corners: bool):
        super().__init__()
        self.mode = mode
        self.padding_mode = padding_mode
        self.align_corners = align_corners

    def forward(self, x: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
        return nn.functional.grid_sample(x, grid, mode=self.mode, padding_mode=self.padding_mode,
                                         align_corners=self.align_corners)


def get_inputs():
    # Grid coordinates in [-1.1, 1.1): mostly inside, some samples fall partly or fully into the zero padding.
    return [torch.randn(2, 16, 64, 64), torch.rand(2, 64, 64, 2) * 2.2 - 1.1]


def get_init_inputs():
    return ["bilinear", "zeros", False]
