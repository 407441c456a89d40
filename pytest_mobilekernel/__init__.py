"""MobileKernelBench as a pytest plugin: LLM-written MNN-style CPU kernels, compiled, checked and timed."""

__version__ = "0.1.0"
