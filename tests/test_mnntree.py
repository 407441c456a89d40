"""The MNN tree target's file logic on a small fake tree in tmp_path (not a real MNN checkout, no
build): checkout detection, which file a kernel replaces, and what MoKA is shown of the tree.
The real checkout is exercised by tests/test_mnn_target.py when MNN_ROOT is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_mobilekernel.errors import MobileKernelError
from pytest_mobilekernel.mnntree import view
from pytest_mobilekernel.mnntree.checkout import Checkout, registrations_in
from pytest_mobilekernel.targets.mnn import MNNTreeTarget

CPU = "source/backend/cpu"
FILES = {
    "CMakeLists.txt": "project(MNN)\n",
    "include/MNN/MNNDefine.h": ("#define MNN_VERSION_MAJOR 3\n#define MNN_VERSION_MINOR 6\n"
                                "#define MNN_VERSION_PATCH 1\n"),
    "include/MNN/Tensor.hpp": "namespace MNN { class Tensor { public: int length(int i) const; }; }\n",
    "source/core/Execution.hpp": "namespace MNN { class Execution { public: virtual int onExecute(); }; }\n",
    "source/core/Pipeline.hpp": "namespace MNN { class Pipeline { public: void unrelated(); }; }\n",
    f"{CPU}/CPUBackend.hpp": "namespace MNN { class CPUBackend { public: int threadNumber() const; }; }\n",
    f"{CPU}/CPULayerNorm.hpp": "namespace MNN { class CPULayerNorm { public: int onResize(); }; }\n",
    f"{CPU}/CPULayerNorm.cpp": "REGISTER_CPU_OP_CREATOR(CPULayerNormCreator, OpType_LayerNorm);\n",
    f"{CPU}/CPUScale.cpp": "// scale\nREGISTER_CPU_OP_CREATOR(CPUScaleCreator, OpType_Scale);\n",
    f"{CPU}/CPUUnary.cpp": ("REGISTER_CPU_OP_CREATOR(CPUUnaryCreator, OpType_UnaryOp);\n"
                            "REGISTER_CPU_OP_CREATOR_OLD(CPUSigmoidCreator, OpType_Sigmoid);\n"),
    f"{CPU}/CPUSigmoidOld.cpp": "REGISTER_CPU_OP_CREATOR(CPUSigmoid2, OpType_Sigmoid);\n",
    "schema/default/TensorflowOp.fbs": "table LayerNorm {\n    axis: [int];\n    epsilon: float;\n}\n",
}


@pytest.fixture
def fake_tree(tmp_path: Path) -> Path:
    root = tmp_path / "mnn"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_checkout_reads_the_version_and_rejects_other_directories(fake_tree: Path, tmp_path: Path) -> None:
    assert Checkout.open(fake_tree).version == "3.6.1"
    with pytest.raises(MobileKernelError, match="not an MNN checkout"):
        Checkout.open(tmp_path)


def test_registrations_are_read_as_mnn_register_py_reads_them() -> None:
    regs = registrations_in("  REGISTER_CPU_OP_CREATOR_OLD(A, OpType_X);\n// REGISTER_CPU_OP_CREATOR(B, OpType_Y)\n"
                            "REGISTER_CPU_OP_CREATOR(C,OpType_Z)\n")
    assert [(r.creator, r.op_type, r.variant) for r in regs] == [("A", "OpType_X", "_OLD"), ("C", "OpType_Z", "")]
    assert regs[1].function == "___C__OpType_Z__"


def test_a_kernel_replaces_the_file_registering_its_op_or_becomes_a_new_file(fake_tree: Path) -> None:
    target = MNNTreeTarget(mnn_root=fake_tree)
    assert target.placement("REGISTER_CPU_OP_CREATOR(Mine, OpType_LayerNorm);") == (f"{CPU}/CPULayerNorm.cpp", True)
    assert target.placement("REGISTER_CPU_OP_CREATOR(Mine, OpType_Brand);") == (f"{CPU}/MKBrand.cpp", False)
    with pytest.raises(MobileKernelError, match="registers no CPU creator"):
        target.placement("int main() {}")
    with pytest.raises(MobileKernelError, match="registered in several files"):
        target.placement("REGISTER_CPU_OP_CREATOR(Mine, OpType_Sigmoid);")
    with pytest.raises(MobileKernelError, match="needs --mk-mnn-root"):
        MNNTreeTarget(mnn_root=None)


def test_agent_view_shows_the_ops_schema_its_file_and_an_example_of_another_op(fake_tree: Path) -> None:
    v = view.agent_view(Checkout.open(fake_tree), "Normalization", "LayerNorm")
    assert "MNN 3.6.1" in v.framework and f"{CPU}/CPULayerNorm.cpp" in v.rules
    assert v.kernel_file == "CPULayerNorm.cpp" and v.op_type == "LayerNorm"
    assert "main_as_LayerNorm()" in v.attributes and "epsilon: float;" in v.attributes
    assert v.example.startswith(f"// {CPU}/CPUScale.cpp") and "OpType_LayerNorm" not in v.example
    # every file is listed; only the API headers and the op's own header are summarised
    assert "CPUUnary.cpp" in v.tree and "TensorflowOp.fbs" in v.tree
    assert "class CPUBackend: int threadNumber() const" in v.tree
    assert "class CPULayerNorm: int onResize()" in v.tree
    assert "Pipeline.hpp" in v.tree and "unrelated" not in v.tree


def test_agent_view_of_an_op_without_a_cpu_kernel_or_schema_table(fake_tree: Path) -> None:
    v = view.agent_view(Checkout.open(fake_tree), "Tensor", "Brand")
    assert "MKBrand.cpp (a new operator file)" in v.rules and v.kernel_file == "MKBrand.cpp"
    assert "no parameter table" in v.attributes


def test_agent_view_reads_the_parameter_table_the_converted_model_names(fake_tree: Path) -> None:
    (fake_tree / "schema/default/CaffeOp.fbs").write_text("table Axis {\n    axis:int;\n}\n")
    v = view.agent_view(Checkout.open(fake_tree), "Activation", "Softmax", "Axis")
    assert "op->main_as_Axis()" in v.attributes and "axis:int;" in v.attributes


def test_tree_target_on_a_phone_is_a_usage_error(run_bench, fake_tree: Path) -> None:
    run = run_bench("--mk-target=mnn", f"--mk-mnn-root={fake_tree}", "--mk-device=adb:emu-1", "-m", "compile")
    assert run.returncode == 4, run.output
    assert "--mk-target=mnn runs on --mk-device=host (all stages) and --mk-device=qemu-aarch64" in run.output, \
        run.output


def test_tree_target_needs_a_checkout(run_bench, tmp_path: Path) -> None:
    run = run_bench("--mk-target=mnn", f"--mk-mnn-root={tmp_path}", "-m", "compile")
    assert run.returncode == 4 and "not an MNN checkout" in run.output, run.output


def test_a_build_dir_of_another_compiler_is_refused(fake_tree: Path, tmp_path: Path) -> None:
    from pytest_mobilekernel.mnntree.build import TreeBuild
    from pytest_mobilekernel.toolchain import host_toolchain

    tc = host_toolchain()
    build = TreeBuild(fake_tree, tmp_path / "build", tc)
    build.check_compiler()  # not configured yet: nothing to compare
    (tmp_path / "build").mkdir()
    cache = tmp_path / "build" / "CMakeCache.txt"
    cache.write_text(f"CMAKE_BUILD_TYPE:STRING=Release\nCMAKE_CXX_COMPILER:STRING={tc.cxx}\n")
    build.check_compiler()
    cache.write_text("CMAKE_CXX_COMPILER:STRING=/usr/bin/aarch64-linux-gnu-g++\n")
    with pytest.raises(MobileKernelError, match="is configured for /usr/bin/aarch64-linux-gnu-g\\+\\+, and this run"):
        build.check_compiler()
