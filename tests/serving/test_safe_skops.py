"""Crafted skops artifacts are refused before anything is constructed; ONNX graphs that
point outside their folder are refused."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import numpy as np
import pytest

from specserve.serving.artifacts import ModelRefused, load_skops
from specserve.serving.registry import Registry


def _json(value) -> dict:
    return {
        "__class__": type(value).__name__,
        "__module__": "builtins",
        "__loader__": "JsonNode",
        "content": json.dumps(value),
        "is_json": True,
        "__id__": id(value),
    }


def crafted(module: str, cls: str, args: list) -> bytes:
    """A skops file whose only node calls `module.cls(*args)` (ConstructorFromReduceNode)."""
    content = {
        "__class__": "tuple",
        "__module__": "builtins",
        "__loader__": "TupleNode",
        "content": [
            _json(a)
            if not isinstance(a, list)
            else {
                "__class__": "list",
                "__module__": "builtins",
                "__loader__": "ListNode",
                "content": [_json(v) for v in a],
                "__id__": 1,
            }
            for a in args
        ],
        "__id__": 2,
    }
    schema = {
        "__class__": cls,
        "__module__": module,
        "__loader__": "ConstructorFromReduceNode",
        "content": content,
        "__id__": 3,
        "protocol": 2,
        "_skops_version": "0.16.0",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
    return buffer.getvalue()


@pytest.fixture
def victim(tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("precious data\n")
    return target


def place(tmp_path, name: str, data: bytes) -> None:
    folder = tmp_path / "models" / name / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "model.skops").write_bytes(data)
    (folder / "metadata.json").write_text(json.dumps({"n_features": 3}))


def test_memmap_artifact_is_refused_and_the_file_is_intact(tmp_path, victim):
    data = crafted("numpy", "memmap", [str(victim), "uint8", "w+", 0, [4]])
    place(tmp_path, "evil", data)
    registry = Registry(tmp_path / "models", "fraud-detector")
    registry.load()
    model = registry.get("evil")
    assert not model.ready
    assert "numpy.memmap" in model.error and "nothing was loaded" in model.error
    assert victim.read_text() == "precious data\n"


def test_function_reference_artifact_is_refused_and_writes_nothing(tmp_path, victim):
    target = tmp_path / "written"
    data = crafted("numpy", "save", [str(target), [1, 2, 3]])
    (tmp_path / "evil.skops").write_bytes(data)
    with pytest.raises(ModelRefused, match="numpy.save"):
        load_skops(tmp_path / "evil.skops")
    assert not (tmp_path / "written.npy").exists()
    assert victim.read_text() == "precious data\n"


def test_a_type_is_trusted_exactly_never_by_prefix(tmp_path):
    data = crafted("sklearn.tree._tree", "TreeEvil", [1])
    (tmp_path / "evil.skops").write_bytes(data)
    with pytest.raises(ModelRefused, match="TreeEvil"):
        load_skops(tmp_path / "evil.skops")


def linear_graph():
    """y = x @ w: a regressor whose weights are a tensor (external data can hold it)."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.array([[1.0], [2.0], [3.0]], np.float32), "w")
    node = helper.make_node("MatMul", ["X", "w"], ["variable"])
    graph = helper.make_graph(
        [node],
        "linear",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 3])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
        [w],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)


@pytest.mark.parametrize(("location", "serves"), [("weights.bin", True), ("../w.bin", False)])
def test_onnx_external_data_only_from_the_version_folder(tmp_path, location, serves):
    import onnx
    from onnx.external_data_helper import set_external_data

    graph = linear_graph()
    tensor = graph.graph.initializer[0]
    folder = tmp_path / "models" / "ext" / "1"
    folder.mkdir(parents=True)
    (folder / location).write_bytes(tensor.raw_data)
    set_external_data(tensor, location=location)
    tensor.ClearField("raw_data")
    tensor.data_location = onnx.TensorProto.EXTERNAL
    (folder / "model.onnx").write_bytes(graph.SerializeToString())
    (folder / "metadata.json").write_text(json.dumps({"format": "onnx", "task": "regression"}))
    registry = Registry(tmp_path / "models", "fraud-detector")
    registry.load()
    model = registry.get("ext")
    assert model.ready is serves, model.error
    if serves:
        assert model.score(np.array([[1.0, 1.0, 1.0]])).predictions == [6.0]
    else:
        assert "points outside the version folder" in model.error


def _outside(tensor: Any) -> None:
    """Point `tensor` at external data outside the version folder."""
    import onnx
    from onnx.external_data_helper import set_external_data

    set_external_data(tensor, location="../../../outside.bin")
    tensor.ClearField("raw_data")
    tensor.data_location = onnx.TensorProto.EXTERNAL


@pytest.mark.parametrize("where", ["sparse_initializer", "function"])
def test_onnx_external_data_is_checked_everywhere_a_graph_holds_tensors(tmp_path, where):
    """Sparse initializers and local functions hold tensors too (ONNX Runtime's own check was
    the only thing that stopped them)."""
    from onnx import TensorProto, helper

    from specserve.serving.artifacts import ModelRefused
    from specserve.serving.runtimes import check_external_data

    model = linear_graph()
    values = helper.make_tensor("v", TensorProto.FLOAT, [1], b"\0\0\x80?", raw=True)
    indices = helper.make_tensor("i", TensorProto.INT64, [1], [0])
    if where == "sparse_initializer":
        _outside(values)
        model.graph.sparse_initializer.append(helper.make_sparse_tensor(values, indices, [3]))
    else:
        _outside(values)
        const = helper.make_node("Constant", [], ["c"], value=values)
        model.functions.append(
            helper.make_function("local", "f", [], ["c"], [const], [helper.make_opsetid("", 17)])
        )
    path = tmp_path / "model.onnx"
    path.write_bytes(model.SerializeToString())
    with pytest.raises(ModelRefused, match="points outside the version folder"):
        check_external_data(path)
