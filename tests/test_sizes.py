"""Output-size helpers and conv_cost: hand-worked numbers and agreement with the ops."""
import numpy as np
import pytest

import convkit as ck


def test_source_note_examples():
    # 5x5 with 3x3 valid -> 3x3, same -> 5x5; 3x4 with 2x2 -> 2x3; 7x7, 3x3, stride 2 -> 3x3
    assert ck.conv_output_size((5, 5), (3, 3)) == (3, 3)
    assert ck.conv_output_size((5, 5), (3, 3), padding="same") == (5, 5)
    assert ck.conv_output_size((3, 4), (2, 2)) == (2, 3)
    assert ck.conv_output_size(7, 3, stride=2) == 3
    # 45x25 pooled 3x3 at stride 2 -> 22x12
    assert ck.pool_output_size((45, 25), 3, stride=2) == (22, 12)
    # transposed 16 -> 32 with k=3, s=2, p=1, output_padding=1
    assert ck.conv_transpose_output_size(16, 3, stride=2, padding=1, output_padding=1) == 32


def test_scalar_and_tuple_forms():
    assert ck.conv_output_size(10, 3, dilation=2) == 6
    assert ck.conv_output_size((10, 11), (3, 2), stride=(2, 1)) == (4, 10)
    assert ck.conv_output_size(10, 4, padding="same") == 10
    assert ck.pool_output_size(5, 2, ceil_mode=True) == 3


def test_conv_cost_source_note_example():
    # 32x32x3 input, 64 filters 3x3, padding 1
    c = ck.conv_cost((3, 32, 32), (64, 3, 3, 3), padding=1)
    assert c.output_shape == (64, 32, 32)
    assert c.params == (3 * 3 * 3 + 1) * 64 == 1792
    assert c.macs == 32 * 32 * 64 * 27 == 1_769_472
    assert c.flops == 3_538_944
    assert c.activations == 65536


def test_conv_cost_bottleneck_numbers():
    direct = ck.conv_cost((192, 28, 28), (32, 192, 5, 5), padding="same")
    assert direct.macs == 120_422_400
    reduce = ck.conv_cost((192, 28, 28), (16, 192, 1, 1))
    expand = ck.conv_cost(reduce.output_shape, (32, 16, 5, 5), padding=2)
    assert reduce.macs + expand.macs == 12_443_648


def test_conv_cost_depthwise_separable_example():
    standard = ck.conv_cost((3, 6, 6), (5, 3, 3, 3), bias=False)
    depthwise = ck.conv_cost((3, 6, 6), (3, 1, 3, 3), groups=3, bias=False)
    pointwise = ck.conv_cost(depthwise.output_shape, (5, 3, 1, 1), bias=False)
    assert (standard.macs, depthwise.macs, pointwise.macs) == (2160, 432, 240)
    assert standard.params == 135 and depthwise.params + pointwise.params == 27 + 15


def test_conv_cost_transposed_counts_scatter():
    c = ck.conv_cost((8, 64, 28, 28), (64, 32, 4, 4), stride=2, padding=1, transposed=True)
    assert c.output_shape == (8, 32, 56, 56)
    assert c.macs == 8 * 28 * 28 * 64 * 32 * 16
    assert c.params == 64 * 32 * 16 + 32


def test_pool_cost():
    c = ck.pool_cost((3, 45, 25), 3, stride=2)
    assert c.output_shape == (3, 22, 12) and c.params == 0
    assert c.comparisons == 792 * 8
    a = ck.pool_cost((1, 3, 45, 25), (3, 3), stride=2, kind="avg")
    assert a.additions == 792 * 8 and a.divisions == 792


@pytest.mark.parametrize("n,k,s,p,d", [(n, k, s, p, d) for n in (5, 8) for k in (1, 2, 3)
                                        for s in (1, 2, 3) for p in (0, 1, 2) for d in (1, 2)
                                        if d * (k - 1) + 1 <= n + 2 * p])
def test_conv_output_size_equals_op_shape(n, k, s, p, d):
    y = ck.conv1d(np.zeros((1, n)), np.zeros((1, 1, k)), stride=s, padding=p, dilation=d)
    assert y.shape[-1] == ck.conv_output_size(n, k, s, p, d)
    cost = ck.conv_cost((1, n), (1, 1, k), stride=s, padding=p, dilation=d)
    assert cost.output_shape == y.shape
