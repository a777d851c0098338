"""Both encoder backends load offline from the packaged model and agree; torch is the fallback."""
from __future__ import annotations

import numpy as np
import pytest


@pytest.mark.slow
def test_torch_backend_loads_offline_and_matches_the_default_backend(config, encoder):
    from nlp.models import load_encoder

    torch_encoder = load_encoder(config.embedding_model, "cpu", "torch")
    texts = ["the price went up again", "support never answered my ticket"]
    via_torch = torch_encoder.encode(texts, batch_size=2)
    via_default = encoder.encode(texts, batch_size=2)
    assert torch_encoder.dim == encoder.dim == via_torch.shape[1] == 384
    assert np.allclose(np.linalg.norm(via_torch, axis=1), 1.0, atol=1e-4)
    # Same model, same vectors, whichever runtime computed them.
    assert np.allclose(via_torch, via_default, atol=1e-4)
