"""Baselines a candidate kernel is timed against: MNN's own kernel (primary) and PyTorch eager."""
