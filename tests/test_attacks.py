"""The attack corpus (tests/data/kernels/attack_*, described in ATTACKS.md there) against the whole
harness: every kernel is rejected with its reason, and nothing it tried reached outside its run.

Each attack runs as its own task (a copy of the Relu test task in a category named after it), all in
one child pytest per configuration: the defaults (static screen and link check on, then the OS), and
``--mk-static-checks=off``, where the OS containment and the measurement protocol stand alone.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import require

DATA = Path(__file__).resolve().parent / "data"
MARKERS = Path("/tmp")

SIGSYS = "killed by the sandbox (SIGSYS)"
OUTSIDE = "reached outside its sandbox"
LINK = "rejected at link"

# label: (stage that fails, words of its verdict) with the defaults ...
DEFAULT = {
    "attack_affinity": ("compile", f"{LINK}: kernel.o calls sched_setaffinity"),
    "attack_constructor": ("compile", f"{LINK}: kernel.o calls getcwd (file access)"),
    "attack_daemon": ("compile", f"{LINK}: kernel.o calls fork (process control)"),
    "attack_dlsym": ("compile", f"{LINK}: kernel.o calls dlsym (dynamic loading)"),
    "attack_forge_verdict": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_interpose_chrono": ("compile", f"{LINK}: kernel.o defines _ZNSt6chrono3_V212steady_clock3nowEv"),
    "attack_interpose_clock": ("compile", f"{LINK}: kernel.o defines clock_gettime, a symbol of libc"),
    "attack_interpose_clock_fast": ("compile", f"{LINK}: kernel.o defines clock_gettime, a symbol of libc"),
    "attack_interpose_ostream": ("compile", f"{LINK}: kernel.o defines _ZNSo9_M_insertIxEERSoT_"),
    "attack_kill_parent": ("compile", f"{LINK}: kernel.o calls getppid (system calls)"),
    "attack_poison_reference": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_proc_snoop": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_ptrace": ("compile", f"{LINK}: kernel.o calls getppid (system calls)"),
    "attack_raw_syscall": ("correctness", OUTSIDE),  # no symbol names it: the OS does
    "attack_read_reference": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_read_scratch_inputs": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_serve_hijack": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_socket": ("compile", f"{LINK}: kernel.o calls socket (network access)"),
    "attack_symlink_output": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_threads": ("correctness", SIGSYS),
    "attack_write_outside": ("compile", f"{LINK}: kernel.o calls fopen (file access)"),
    "attack_oob_write": ("correctness", "the kernel wrote past the end of a buffer (guard page hit)"),
}
# ... and with the static checks off: the OS alone
OS_ONLY = {
    "attack_affinity": ("correctness", SIGSYS),
    "attack_constructor": ("correctness", f"{OUTSIDE}: openat /tmp/mk-attack-constructor.marker was refused"),
    "attack_daemon": ("correctness", SIGSYS),
    "attack_dlsym": ("correctness", SIGSYS),
    "attack_poison_reference": ("correctness", OUTSIDE),
    "attack_proc_snoop": ("correctness", f"{OUTSIDE}: openat /proc/1/cmdline was refused"),
    "attack_raw_syscall": ("correctness", f"{OUTSIDE}: openat /tmp/mk-attack-raw_syscall.marker was refused"),
    "attack_read_reference": ("correctness", OUTSIDE),
    "attack_serve_hijack": ("correctness", SIGSYS),
    "attack_socket": ("correctness", SIGSYS),
    "attack_symlink_output": ("correctness", OUTSIDE),
    "attack_threads": ("correctness", SIGSYS),
    "attack_write_outside": ("correctness", f"{OUTSIDE}: openat /tmp/mk-attack-write_outside.marker was refused"),
    "attack_forge_verdict": ("correctness", OUTSIDE),
    "attack_oob_write": ("correctness", "the kernel wrote past the end of a buffer (guard page hit)"),
    "attack_read_scratch_inputs": ("speed", "computed wrong outputs (results reused or work skipped?)"),
    "attack_interpose_clock": ("speed", "timing rejected: the runner reported"),
    "attack_interpose_chrono": ("speed", "timing rejected: the runner reported"),
}
# measurement games that gain nothing under the protocol (fresh inputs and poison on every call):
# they compute every call and are timed doing so, slower than an honest kernel
DEFEATED = {"attack_hash_cache", "attack_poison_detect", "attack_resize_precompute"}
# attacks whose target is not there to be found (the harness is outside the pid namespace): they
# run, find nothing to attack and must not have touched anything
HARMLESS_WITHOUT_STATIC = {"attack_kill_parent", "attack_ptrace"}


def _corpus(tmp_path: Path, labels: list[str]) -> tuple[Path, Path]:
    tasks, kernels = tmp_path / "tasks", tmp_path / "kernels"
    for label in labels:
        (tasks / label).mkdir(parents=True)
        shutil.copy(DATA / "tasks" / "Activation" / "Relu.py", tasks / label / "Relu.py")
        (kernels / "all" / label / "Relu").mkdir(parents=True)
        shutil.copy(DATA / "kernels" / label / "Activation" / "Relu" / "kernel.cpp",
                    kernels / "all" / label / "Relu" / "kernel.cpp")
    return tasks, kernels


def _markers() -> set[Path]:
    return set(MARKERS.glob("mk-attack-*.marker"))


@pytest.mark.parametrize("static", ["on", "off"])
def test_attacks_are_rejected_and_contained(run_bench, tmp_path: Path, static: str) -> None:
    expected = DEFAULT if static == "on" else OS_ONLY
    labels = sorted(set(expected) | DEFEATED | (HARMLESS_WITHOUT_STATIC if static == "off" else set()))
    tasks, kernels = _corpus(tmp_path, labels)
    for m in _markers():
        m.unlink()
    run = run_bench("-n", "2", f"--mk-static-checks={static}", "--mk-timeout=10", "--mk-blocks=3",
                    "--mk-block-ms=3", "--mk-torch-baseline=never", tasks=tasks, kernels=kernels, label="all")
    items = run.items()
    time.sleep(3)  # a daemon that escaped would write its marker after ~2 s
    assert not _markers(), f"an attack reached outside its run: {_markers()}"  # with or without seccomp
    # SIGSYS, and "reached outside" (the launcher's supervisor is a seccomp listener), are seccomp's verdicts
    by_seccomp = {label for label, (_, words) in expected.items() if words.startswith((SIGSYS, OUTSIDE))}
    for label, (stage, words) in expected.items():
        if label in by_seccomp:
            continue
        _assert_rejected(items, label, stage, words)
    for label in HARMLESS_WITHOUT_STATIC if static == "off" else ():
        # nothing to attack in its pid namespace; it computed Relu and must have changed nothing
        assert items[f"{label}/Relu::correctness"]["status"] == "passed", items[f"{label}/Relu::correctness"]
    for label in DEFEATED:
        speed = items[f"{label}/Relu::speed"]
        assert speed["status"] == "passed" and speed["speedup"] < 1.0, (label, speed)  # no gain from the game
    honest = run_bench("--mk-timeout=10", "--mk-blocks=3", "--mk-block-ms=3", "--mk-torch-baseline=never",
                       "-k", "Activation and Relu", label="good")
    good = honest.items()["Activation/Relu::speed"]
    for label in DEFEATED:  # slower than the honest kernel timed the same way
        assert items[f"{label}/Relu::speed"]["latency_us"] > good["latency_us"], (label, good)
    require("seccomp")  # without it these attacks run on (contained, as checked above) and may pass
    for label in sorted(by_seccomp):
        _assert_rejected(items, label, *expected[label])


def _assert_rejected(items: dict[str, dict], label: str, stage: str, words: str) -> None:
    record = items[f"{label}/Relu::{stage}"]
    assert record["status"] == "failed", (label, record)
    assert words in record["message"], (label, record["message"])
    for later in ("correctness", "speed")[("compile", "correctness", "speed").index(stage):]:
        assert items[f"{label}/Relu::{later}"]["status"] != "passed", (label, later)
