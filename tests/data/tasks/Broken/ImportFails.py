import torch  # noqa: F401

raise RuntimeError("this task file is broken on purpose")
