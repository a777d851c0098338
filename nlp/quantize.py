"""int8 copies of the encoder's ONNX graph, made once at first use (onnxruntime's quantisation API).

Both keep the weights of every MatMul as int8 per output channel and leave the rest float. They
differ in how a MatMul's input is scaled to int8:

* **dynamic** (``quantize_dynamic``, backend ``onnx-int8``): by the range of the whole batch,
  computed at run time. A text's vector then depends on the texts batched with it (coordinates
  up to 0.02 apart on BANKING77 texts), so one answer could get another cause in another file.
* **static** (``quantize_static``, backend ``onnx-int8-static``): by a range fixed once, the one
  the input takes over the calibration texts (``nlp/data/calibration.txt``). A text's vector is
  then the same alone or in any batch, at the dynamic graph's speed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATION_FILE = Path(__file__).parent / "data" / "calibration.txt"
CALIBRATION_BATCH = 32  # texts per calibration batch, sorted by length as Encoder.encode batches them
#: SmoothQuant's migration strength (the paper's and onnxruntime's default). 0.35-0.8 all gave
#: cosine 0.9955-0.9965 to float32 on BANKING77 texts; smoothing nothing, 0.990.
SMOOTH_ALPHA = 0.5
# Everything but the texts that decides the static graph: a change here is a new graph and a new
# embedding cache key.
STATIC_RECIPE = f"qdq-minmax-u8s8-perchannel-smooth{SMOOTH_ALPHA}-layernorm-inputs"
LAYER_NORMS = ("LayerNormalization", "SkipLayerNormalization")


def calibration_texts(path: Path = CALIBRATION_FILE) -> list[str]:
    """The calibration texts: one per line, ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=4)
def static_digest(path: Path = CALIBRATION_FILE) -> str:
    """A short digest of the calibration texts and the recipe (part of the static graph's file
    name and of its embedding cache key; read once per process)."""
    text = "\n".join([STATIC_RECIPE, *calibration_texts(path)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def dynamic_int8(onnx_path: Path) -> Path:
    """The dynamically quantised copy of ``onnx_path`` (made once): per-channel weights keep the
    vectors within cosine 0.99 of float32, where per-tensor weights drift to 0.97."""
    target = onnx_path.with_name(onnx_path.stem + "-int8.onnx")
    if not target.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(
            str(onnx_path),
            str(tmp),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": 1},
        )  # 1 = FLOAT, for fused nodes
        tmp.replace(target)
    return target


def static_int8(
    onnx_path: Path, tokenizer: Any, max_length: int, texts_path: Path = CALIBRATION_FILE
) -> Path:
    """The statically quantised copy of ``onnx_path`` (made once: 16 s of CPU, 30-40 s on 2 busy cores).

    Only the MatMuls with a constant weight are quantised (QDQ format, int8 weights per output
    channel, uint8 inputs with a min-max range from calibration), and their outputs stay float,
    so onnxruntime runs each as one ``MatMulIntegerToFloat``, the kernel the dynamic graph uses.
    The inputs that are a LayerNorm's output are smoothed first (:func:`smooth`). Cosine to
    float32 on BANKING77 texts: 0.996 (dynamic: 0.993; unsmoothed: 0.990; with the attention's
    own products or the MatMuls' outputs quantised too: 0.49 and 0.94).
    """
    target = onnx_path.with_name(f"{onnx_path.stem}-int8s-{static_digest(texts_path)}.onnx")
    if target.exists():
        return target
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    batches = calibration_batches(tokenizer, calibration_texts(texts_path), max_length)

    class Batches(CalibrationDataReader):
        """The calibration batches, one at a time."""

        def __init__(self) -> None:
            self.batches = iter(batches)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.batches, None)

    with tempfile.TemporaryDirectory(dir=target.parent, prefix="quantize-") as work:
        typed = Path(work) / "typed.onnx"
        # The fused graph's contrib ops (SkipLayerNormalization, BiasGelu) need the symbolic
        # shape inference to give every MatMul input a type; untyped inputs are left float.
        quant_pre_process(
            str(onnx_path), str(typed), skip_optimization=True, auto_merge=True, guess_output_rank=True
        )
        model = onnx.load(str(typed))
        weighted = smooth(model, batches, SMOOTH_ALPHA)
        smoothed = Path(work) / "smoothed.onnx"
        onnx.save(model, str(smoothed))
        tmp = Path(work) / "static.onnx"
        quantize_static(
            str(smoothed),
            str(tmp),
            Batches(),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["MatMul"],
            nodes_to_quantize=weighted,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"OpTypesToExcludeOutputQuantization": ["MatMul"], "DefaultTensorType": 1},
        )
        tmp.replace(target)
    return target


def smooth(model: Any, batches: list[dict[str, np.ndarray]], alpha: float) -> list[str]:
    """SmoothQuant (Xiao et al., 2022; ``quantize_static``'s ``SmoothQuant`` option, which needs
    Intel's neural-compressor) on the inputs of constant-weight MatMuls that a LayerNorm makes.

    A LayerNorm's output has a channel or two whose peak is up to 15x the median channel's (on
    the calibration texts), so one int8 scale for the whole tensor leaves the others few steps. Each such input ``X`` is divided per
    channel by ``s = max|X|^alpha / max|W|^(1-alpha)`` (a ``Mul`` before its MatMuls) and each
    weight's rows multiplied by ``s``: the same product in float, an easier one in int8. Other
    inputs (attention context, GELU output) are left as they are: smoothing them lowered the
    cosine. Edits ``model`` in place; returns the names of the constant-weight MatMuls.
    """
    import onnx
    import onnxruntime as ort
    from onnx import helper, numpy_helper

    graph = model.graph
    weights = {init.name: init for init in graph.initializer}
    made_by = {node.output[0]: node.op_type for node in graph.node if node.output}  # LayerNorm: its output 0
    matmuls = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    groups: dict[str, list[Any]] = {}
    for node in matmuls:
        if made_by.get(node.input[0]) in LAYER_NORMS:
            groups.setdefault(node.input[0], []).append(node)

    # Each input's largest magnitude per channel over the calibration batches, in float32.
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    typed = {info.name: info for info in probe.graph.value_info}
    probe.graph.output.extend(typed[name] for name in groups)
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    outputs = [out.name for out in session.get_outputs()]
    peak: dict[str, np.ndarray] = {}
    for batch in batches:
        values = dict(zip(outputs, session.run(None, batch), strict=True))
        for name in groups:
            channel_max = np.abs(values[name]).reshape(-1, values[name].shape[-1]).max(axis=0)
            peak[name] = np.maximum(peak.get(name, channel_max), channel_max)

    scaled: dict[str, Any] = {}  # input name -> its Mul node
    for name, nodes in groups.items():
        mats = [numpy_helper.to_array(weights[n.input[1]]) for n in nodes]
        w_max = np.max([np.abs(m).max(axis=1) for m in mats], axis=0)
        s = (np.maximum(peak[name], 1e-5) ** alpha / np.maximum(w_max, 1e-5) ** (1 - alpha)).astype(
            np.float32
        )
        for node, mat in zip(nodes, mats, strict=True):
            weights[node.input[1]].CopyFrom(numpy_helper.from_array(mat * s[:, None], node.input[1]))
            node.input[0] = f"{name}_smoothed"
        graph.initializer.append(numpy_helper.from_array(1.0 / s, f"{name}_smooth_scale"))
        graph.value_info.append(
            helper.make_tensor_value_info(f"{name}_smoothed", onnx.TensorProto.FLOAT, None)
        )
        scaled[name] = helper.make_node(
            "Mul", [name, f"{name}_smooth_scale"], [f"{name}_smoothed"], name=f"{name}_Smooth"
        )
    ordered = []  # each Mul just before the first node that reads its output (topological order)
    for node in graph.node:
        for name in [i.removesuffix("_smoothed") for i in node.input if i.endswith("_smoothed")]:
            if name in scaled:
                ordered.append(scaled.pop(name))
        ordered.append(node)
    del graph.node[:]
    graph.node.extend(ordered)
    return [n.name for n in matmuls]


def calibration_batches(tokenizer: Any, texts: list[str], max_length: int) -> list[dict[str, np.ndarray]]:
    """The graph's inputs for ``texts`` in length-sorted, padded batches, as ``Encoder.encode``
    batches them (the padding positions' ranges count too: the graph computes them)."""
    ordered = sorted(texts, key=len)
    batches = []
    for i in range(0, len(ordered), CALIBRATION_BATCH):
        encoded = tokenizer(
            ordered[i : i + CALIBRATION_BATCH],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="np",
        )
        batches.append({name: encoded[name].astype(np.int64) for name in ("input_ids", "attention_mask")})
    return batches
