"""The controller's side of a run: it gathers every item's record and writes the results at the end.

The controller is the only process under ``-n 0`` and the xdist master otherwise; items reach it as
reports (their records ride in ``user_properties``), so both aggregate the same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .. import machine, sandbox
from ..errors import MobileKernelError
from ..runstate import SETTINGS, get_evaluator
from . import benchmark_samples, report_dir, results_file, terminal
from .records import ResultsCollector


class Controller:
    """A plugin object registered in the controller only (workers send their reports to it)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.collector = ResultsCollector()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.when == "setup" and report.skipped):
            return
        record = self.collector.add(report.user_properties, report.outcome, report.duration)
        if record and record.get("stage") == "speed" and record.get("status") == "passed":
            add_benchmarks(self.config, report.nodeid, record)

    def summarize(self, terminalreporter: Any) -> None:
        """The results file, the MobileKernelBench section of the terminal summary, --mk-report."""
        if not self.collector.records:
            return
        config = self.config
        results_path = Path(config.getoption("mk_results"))
        if not results_path.is_absolute():
            results_path = config.invocation_params.dir / results_path
        machine_info = machine.describe(_toolchain_identity(config))
        confinement = _sandbox_info(config)
        info = run_info(config)
        results_file.write(results_path, self.collector, {**info, "machine_info": machine_info,
                                                          "sandbox": confinement})
        outcomes = self.collector.outcomes()
        terminalreporter.section("MobileKernelBench")
        for line in terminal.render(outcomes, info):
            terminalreporter.write_line(line)
        terminalreporter.write_line(sandbox.describe_enforcement(confinement))
        terminalreporter.write_line(f"results: {results_path}")
        report_to = config.getoption("mk_report")
        if report_to:
            written = report_dir.write(Path(report_to).resolve(), outcomes, info, results_path, machine_info)
            terminalreporter.write_line(f"report: {', '.join(str(p) for p in written)}")


def add_benchmarks(config: pytest.Config, nodeid: str, record: dict[str, Any]) -> None:
    """Hand a timed task's samples (written by its speed item) to pytest-benchmark, one entry per arm."""
    settings = config.stash[SETTINGS]
    category, name = record["task"].split("/", 1)
    path = settings.session_dir / "samples" / category / f"{name}.json"
    if not path.exists():
        return
    arms = json.loads(path.read_text())
    info = {k: record.get(k) for k in ("task", "op", "device", "agent", "kernel_hash", "speedup", "baseline")}
    for arm, blocks in arms.items():
        benchmark_samples.add_arm(config, nodeid, record["task"], arm, blocks, info)


def run_info(config: pytest.Config) -> dict[str, Any]:
    """What the run was: the ``run`` part of the results file and the head of every report."""
    s = config.stash[SETTINGS]
    return {"agent": s.agent, "label": s.label, "device": ",".join(s.devices) or s.device, "target": s.target,
            "seeds": list(s.seeds), "blocks": s.blocks, "threads": s.threads,
            "workers": os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"), "session_dir": str(s.session_dir)}


def _sandbox_info(config: pytest.Config) -> dict[str, Any]:
    """What confined the kernels (the launcher's own report; the same on every worker of a machine)."""
    try:
        get_evaluator(config)  # builds the launcher
    except MobileKernelError:
        pass
    return sandbox.enforcement()


def _toolchain_identity(config: pytest.Config) -> str:
    try:
        return get_evaluator(config).toolchain().identity
    except MobileKernelError as exc:
        return f"unavailable: {exc}"
