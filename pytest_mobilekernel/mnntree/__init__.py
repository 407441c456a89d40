"""The real MNN source tree as a target."""
