"""The shipped suite: twins up to date, categories as the paper's, reference kernels all pass."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from pytest_mobilekernel.shipped_twins import main as twin_main
from pytest_mobilekernel.tasks import CATEGORIES, discover

TASKS = discover(ROOT / "bench_tasks")


def test_categories_are_the_papers() -> None:
    assert TASKS and {t.category for t in TASKS} <= set(CATEGORIES)


def test_every_task_has_a_shipped_twin_and_it_is_current(capsys) -> None:
    rc = twin_main(["--check", str(ROOT / "bench_tasks")])
    assert rc == 0, capsys.readouterr().out


def test_reference_kernels_are_labelled_hand_written() -> None:
    for t in TASKS:
        d = ROOT / "kernels_generated" / "reference" / t.category / t.name
        assert (d / "kernel.cpp").exists(), t.id
        assert json.loads((d / "meta.json").read_text())["origin"] == "hand-written", t.id


@pytest.mark.slow
def test_reference_kernels_pass_compile_and_correctness(run_bench) -> None:
    run = run_bench("-m", "compile or correctness", "-n", "2", tasks=ROOT / "bench_tasks",
                    kernels=ROOT / "kernels_generated", label="reference")
    assert run.returncode == 0, run.output[-3000:]
    m = run.results["metrics"]
    assert m["tasks"] == len(TASKS) and m["csr"] == 1.0 and m["fcr"] == 1.0


@pytest.mark.slow
def test_tasks_doc_is_current(mk_cache, capsys) -> None:
    from pytest_mobilekernel.catalog import main as catalog_main

    rc = catalog_main(["--check", f"--cache-dir={mk_cache}"])
    assert rc == 0, capsys.readouterr().out
