import torch

from nerkit.modules.feature_sum import feature_sum


def reference(weight, ids, values):
    """The same sum written densely: gather every row, scale, add."""
    return (weight[ids] * values.unsqueeze(-1).to(weight.dtype)).sum(1)


def test_output_and_gradient_equal_a_dense_reference():
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 40, (30, 5), generator=generator)
    ids[::4, 2] = 0  # padding rows, as window_features emits them
    values = (ids != 0) & (torch.rand(ids.shape, generator=generator) > 0.2)
    weight = torch.randn(40, 3, generator=generator, requires_grad=True)
    dense = weight.detach().clone().requires_grad_()
    upstream = torch.randn(30, 3, generator=generator)

    summed = feature_sum(weight, ids, values)
    expected = reference(dense, ids, values)
    torch.testing.assert_close(summed, expected)
    summed.backward(upstream)
    expected.backward(upstream)
    torch.testing.assert_close(weight.grad, dense.grad)
    assert weight.grad[0].abs().sum() == 0  # padding and dropped occurrences get no gradient


def test_gradients_accumulate_over_batches():
    weight = torch.zeros(10, 2, requires_grad=True)
    for ids in (torch.tensor([[1, 2], [2, 3]]), torch.tensor([[3, 9]])):
        feature_sum(weight, ids, ids != 0).sum().backward()
    counts = torch.bincount(torch.tensor([1, 2, 2, 3, 3, 9]), minlength=10).float()
    torch.testing.assert_close(weight.grad, counts.unsqueeze(1).expand(-1, 2))
