# Repository-level pytest configuration only: the plugin itself comes from the pytest11 entry point.
# Kernel sources and the C++ SDK are not Python tests.
collect_ignore = ["kernels_generated", "mnn_ext", "benchmarks"]
