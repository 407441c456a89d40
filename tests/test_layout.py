"""The package's shape: no import cycles (scripts/import_cycles.py), and the checker itself works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "import_cycles.py"


def run(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, timeout=60)


def test_the_package_has_no_import_cycles() -> None:
    proc = run(ROOT / "pytest_mobilekernel")
    assert proc.returncode == 0, proc.stdout


def test_the_checker_finds_deferred_cycles_and_ignores_type_checking(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    # a function-level import is a cycle all the same
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    # annotation-only imports are not
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n")
    (pkg / "d.py").write_text("from . import c\n")
    proc = run(pkg)
    assert proc.returncode == 1
    assert "cycle: pkg.a <-> pkg.sub.b" in proc.stdout and "pkg.c" not in proc.stdout, proc.stdout
