"""kernels.py: a label's kernel for a task, per task or through the label's index.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_mobilekernel.agents.base import AgentSettings
from pytest_mobilekernel.agents.replay import ReplayAgent
from pytest_mobilekernel.kernels import KernelNotFound, kernel_source, read_manifest
from pytest_mobilekernel.tasks import TaskRef

RELU = TaskRef("Activation", "Relu", Path("/tasks/Activation/Relu.py"))
ELU = TaskRef("Activation", "Elu", Path("/tasks/Activation/Elu.py"))
INDEX = """[meta]
origin = "hand-written"

[tasks.Activation]
Relu = "ops/Relu.cpp"
Elu = "ops/Elu.cpp"
"""


@pytest.fixture
def kernels(tmp_path: Path) -> Path:
    label = tmp_path / "ref"
    (label / "ops").mkdir(parents=True)
    (label / "index.toml").write_text(INDEX)
    (label / "ops" / "Relu.cpp").write_text("// shared relu\n")
    return tmp_path


def test_a_task_resolves_through_the_index_with_its_meta(kernels: Path) -> None:
    stored = kernel_source(kernels, "ref", RELU)
    assert stored.path == kernels / "ref" / "ops" / "Relu.cpp" and stored.meta == {"origin": "hand-written"}
    assert read_manifest(kernels / "ref").tasks == {"Activation/Relu": "ops/Relu.cpp", "Activation/Elu": "ops/Elu.cpp"}


def test_a_per_task_kernel_wins_over_the_index(kernels: Path) -> None:
    own = kernels / "ref" / "Activation" / "Relu"
    own.mkdir(parents=True)
    (own / "kernel.cpp").write_text("// this task's own\n")
    (own / "meta.json").write_text(json.dumps({"origin": "llm:x"}))
    stored = kernel_source(kernels, "ref", RELU)
    assert stored.path == own / "kernel.cpp" and stored.meta == {"origin": "llm:x"}


def test_a_label_without_an_index_is_per_task(tmp_path: Path) -> None:
    looked = r"\(looked for .*/nothing/Activation/Relu/kernel.cpp\)$"
    with pytest.raises(KernelNotFound, match=r"^no kernel for Activation/Relu " + looked):
        kernel_source(tmp_path, "nothing", RELU)


def test_a_task_missing_from_the_index_names_the_index_to_edit(kernels: Path) -> None:
    gelu = TaskRef("Activation", "Gelu", Path("/tasks/Activation/Gelu.py"))
    with pytest.raises(KernelNotFound) as err:
        kernel_source(kernels, "ref", gelu)
    message = str(err.value)
    assert message.startswith("no kernel for Activation/Gelu: ") and "\n" not in message
    assert str(kernels / "ref" / "index.toml") in message and 'Gelu = "<file>" under [tasks.Activation]' in message


def test_an_entry_naming_a_missing_file_says_so(kernels: Path) -> None:
    with pytest.raises(KernelNotFound, match=r"^no kernel for Activation/Elu: .*index.toml points it at "
                                             r"ops/Elu.cpp, which does not exist$"):
        kernel_source(kernels, "ref", ELU)


@pytest.mark.parametrize("text, complaint", [
    ("[tasks.Activation\n", "not valid TOML"),
    ('[tasks.Activation]\nRelu = "../../elsewhere.cpp"\n', "is not a path inside"),
    ('[tasks.Activation]\nRelu = "/etc/passwd"\n', "is not a path inside"),
    ('[task.Activation]\nRelu = "ops/Relu.cpp"\n', "expected only a [meta] table"),
    ('[tasks]\nActivation = "ops/Relu.cpp"\n', "must be a table"),
])
def test_a_malformed_index_is_one_line(kernels: Path, text: str, complaint: str) -> None:
    (kernels / "ref" / "index.toml").write_text(text)
    with pytest.raises(KernelNotFound) as err:
        kernel_source(kernels, "ref", RELU)
    assert complaint in str(err.value) and "index.toml" in str(err.value)


def test_the_replay_agent_resolves_through_the_index(kernels: Path) -> None:
    candidate = ReplayAgent(AgentSettings(kernels, "ref")).generate(RELU, None)
    assert candidate.source == "// shared relu\n" and candidate.origin == "hand-written"
    assert candidate.path == kernels / "ref" / "ops" / "Relu.cpp"
