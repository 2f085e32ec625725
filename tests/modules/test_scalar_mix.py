"""ScalarMix: a softmax-weighted, gamma-scaled sum of layers, optionally layer-normalised."""

from __future__ import annotations

import torch

from nerkit.modules.scalar_mix import ScalarMix


def layers_and_mask():
    generator = torch.Generator().manual_seed(0)
    layers = [torch.randn(2, 4, 3, generator=generator) for _ in range(3)]
    mask = torch.tensor([[True, True, True, True], [True, True, False, False]])
    return layers, mask


def test_equal_scalars_average_the_layers():
    layers, mask = layers_and_mask()
    mix = ScalarMix(3)
    torch.testing.assert_close(mix(layers, mask), sum(layers) / 3)


def test_weights_and_gamma_follow_the_formula():
    layers, mask = layers_and_mask()
    mix = ScalarMix(3)
    with torch.no_grad():
        mix.scalars.copy_(torch.tensor([0.5, -1.0, 2.0]))
        mix.gamma.fill_(1.5)
    weights = torch.softmax(torch.tensor([0.5, -1.0, 2.0]), dim=0)
    expected = 1.5 * sum(w * layer for w, layer in zip(weights, layers))
    torch.testing.assert_close(mix(layers, mask), expected)


def test_layer_norm_uses_each_sentences_real_positions_only():
    layers, mask = layers_and_mask()
    mix = ScalarMix(3, do_layer_norm=True)
    alone = mix([layer[1:, :2] for layer in layers], mask[1:, :2])
    padded = mix([torch.cat([layer[1:, :2], 100 + layer[1:, 2:]], 1) for layer in layers],
                 mask[1:])
    torch.testing.assert_close(padded[:, :2], alone)  # padding values change nothing
    real = mix(layers, mask)[0]
    assert abs(float(real.mean().detach())) < 1e-5  # a normalised mix of zero-mean layers


def test_both_parameters_get_gradients():
    layers, mask = layers_and_mask()
    mix = ScalarMix(3, do_layer_norm=True)
    mix(layers, mask).sum().backward()
    assert mix.scalars.grad is not None and mix.gamma.grad is not None
