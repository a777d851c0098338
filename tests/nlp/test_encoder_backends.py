"""The encoder backends load offline from the packaged model and agree; torch is the fallback."""

from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "the price went up again",
    "support never answered my ticket",
    "I found a cheaper plan with another provider and switched",
]


@pytest.mark.slow
def test_float32_onnx_gives_the_same_vectors_as_torch(config):
    from nlp.models import load_encoder

    torch_encoder = load_encoder(config.embedding_model, "cpu", "torch")
    onnx_encoder = load_encoder(config.embedding_model, "cpu", "onnx")
    via_torch = torch_encoder.encode(TEXTS, batch_size=2)
    via_onnx = onnx_encoder.encode(TEXTS, batch_size=2)
    assert torch_encoder.dim == onnx_encoder.dim == via_torch.shape[1] == 384
    assert np.allclose(np.linalg.norm(via_torch, axis=1), 1.0, atol=1e-4)
    # Same model, same vectors, whichever runtime computed them.
    assert np.allclose(via_torch, via_onnx, atol=1e-4)


@pytest.mark.slow
def test_default_int8_backend_stays_close_to_float32_and_keeps_its_own_cache_key(config, encoder):
    from nlp.models import load_encoder

    assert encoder.backend == "onnx-int8"
    float32 = load_encoder(config.embedding_model, "cpu", "onnx")
    quantized = encoder.encode(TEXTS, batch_size=2)
    exact = float32.encode(TEXTS, batch_size=2)
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1.0, atol=1e-4)
    cosines = (quantized * exact).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    # The nearest text is the same whichever backend embedded it.
    assert ((quantized @ exact.T).argmax(axis=1) == np.arange(len(TEXTS))).all()
    # Cached vectors of one backend are never served to the other.
    assert encoder.cache_name != float32.cache_name


def test_unknown_backend_is_refused_with_the_choices(config):
    from nlp.models import Encoder, resolve_embedding_model

    with pytest.raises(ValueError, match="onnx-int8"):
        Encoder(resolve_embedding_model(config.embedding_model), backend="tensorrt")
