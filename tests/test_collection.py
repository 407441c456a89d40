"""Collection is cheap and deterministic: no task import, no torch, sorted."""

from __future__ import annotations

import subprocess
import sys

from conftest import DATA


def test_collection_imports_no_task_and_no_torch(tmp_path) -> None:
    code = (
        "import sys, pytest\n"
        "class Check:\n"
        "    def pytest_collection_finish(self, session):\n"
        "        print('TORCH', 'torch' in sys.modules)\n"
        "        print('IDS', [i.nodeid.split('tasks/', 1)[-1] for i in session.items])\n"
        f"pytest.main(['--co', '-q', '-p', 'no:cacheprovider', '--mk-tasks-dir={DATA / 'tasks'}'], plugins=[Check()])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "TORCH False" in out
    ids_line = next(line for line in out.splitlines() if line.startswith("IDS"))
    ids = eval(ids_line[4:])  # noqa: S307 - our own output
    stages = ["compile", "correctness", "speed"]
    assert ids == sorted(ids, key=lambda s: (s.rsplit("::", 1)[0], stages.index(s.rsplit("::", 1)[1])))
    assert ids[0] == "Activation/Relu.py::compile"
    assert any(i.endswith("Broken/ImportFails.py::compile") for i in ids)  # broken files still collect


def test_stage_markers_select(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", f"--mk-tasks-dir={DATA / 'tasks'}",
         "-m", "speed", "-k", "Relu"], cwd=tmp_path, capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if "::" in line]
    assert len(lines) == 1 and lines[0].endswith("Activation/Relu.py::speed")
