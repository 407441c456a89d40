import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Short-time Fourier transform (Hann window), real and imaginary parts last."""

    def __init__(self, *args):
        super().__init__()
        self.n_fft, self.hop_length, self.win_length = args
        self.register_buffer('window', torch.hann_window(self.win_length))

    def forward(self, *xs):
        x, = xs
        return torch.stft(x, self.n_fft, self.hop_length, self.win_length, self.window, center=False,
                          return_complex=False)


def get_inputs():
    return [torch.randn(4, 16000)]


def get_init_inputs():
    return [256, 64, 200]
