"""The shipped suite: twins up to date, categories as the paper's, reference kernels all pass."""

from __future__ import annotations

import pytest

from conftest import ROOT
from pytest_mobilekernel.kernels import KERNEL_FILE, MANIFEST, META_FILE, kernel_source, read_manifest
from pytest_mobilekernel.shipped_twins import main as twin_main
from pytest_mobilekernel.tasks import CATEGORIES, discover

TASKS = discover(ROOT / "bench_tasks")
KERNELS = ROOT / "kernels_generated"
SHIPPED_LABELS = ("reference", "reference-mnn")  # hand-written, stored once per operator (kernels.py)


def test_categories_are_the_papers() -> None:
    assert TASKS and {t.category for t in TASKS} <= set(CATEGORIES)


def test_every_task_has_a_shipped_twin_and_it_is_current(capsys) -> None:
    rc = twin_main(["--check", str(ROOT / "bench_tasks")])
    assert rc == 0, capsys.readouterr().out


def test_every_task_resolves_to_a_hand_written_reference_kernel() -> None:
    for t in TASKS:
        stored = kernel_source(KERNELS, "reference", t)
        assert stored.path.parent == KERNELS / "reference" / "ops", t.id  # from the index, not a per-task copy
        assert stored.meta["origin"] == "hand-written", t.id


@pytest.mark.parametrize("label", SHIPPED_LABELS)
def test_shipped_indexes_name_only_tasks_that_exist(label: str) -> None:
    manifest = read_manifest(KERNELS / label)
    assert manifest is not None and manifest.tasks, label
    assert set(manifest.tasks) <= {t.id for t in TASKS}, sorted(set(manifest.tasks) - {t.id for t in TASKS})
    for t in TASKS:
        if t.id in manifest.tasks:
            assert kernel_source(KERNELS, label, t).meta["origin"] == "hand-written", t.id


@pytest.mark.parametrize("label", SHIPPED_LABELS)
def test_shipped_kernels_are_stored_once(label: str) -> None:
    """Each kernel file once, none a copy of another, each used, no per-task copies shadowing the index."""
    manifest = read_manifest(KERNELS / label)
    assert manifest is not None
    stored = sorted(p for p in (KERNELS / label).rglob("*") if p.is_file() and p.name != MANIFEST)
    assert not [p for p in stored if p.is_symlink()]
    assert not [p for p in stored if p.name in (KERNEL_FILE, META_FILE)], "per-task files in a shipped label"
    assert set(stored) == manifest.files(), "files no task points at, or entries naming missing files"
    by_bytes: dict[bytes, list[str]] = {}
    for p in stored:
        by_bytes.setdefault(p.read_bytes(), []).append(p.name)
    copies = [names for names in by_bytes.values() if len(names) > 1]
    assert not copies, f"byte-identical kernels (point the tasks at one file in {MANIFEST}): {copies}"


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
