"""MoKA: Coder, Debugger and Accelerator around a shared memory of plans (plan-and-execute)."""
