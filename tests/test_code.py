"""torch_code writes the PyTorch call equivalent to a convkit call (checked against torch by hand:
see tests/fixtures/make_torch_fixtures.py for the semantics; here, the text and the shapes)."""
import re

import numpy as np
import pytest

import convkit as ck


def _shape_comment(code):
    return eval(re.search(r"y.shape == (\(.*\))", code).group(1))


def test_reflect_padding_becomes_f_pad_last_dim_first():
    code = ck.torch_code("conv2d", (1, 3, 8, 9), (4, 3, 3, 2), padding=(2, 1), padding_mode="reflect")
    assert 'x = F.pad(x, (1, 1, 2, 2), mode="reflect")' in code
    assert "y = F.conv2d(x, weight)" in code
    compile(code, "<torch_code>", "exec")


def test_same_with_even_kernel_is_asymmetric_f_pad():
    code = ck.torch_code("conv1d", (1, 1, 8), (1, 1, 4), padding="same", padding_mode="circular")
    assert 'F.pad(x, (1, 2), mode="circular")' in code


def test_zero_padding_keeps_padding_argument_and_order():
    code = ck.torch_code("conv2d", (2, 4, 8, 8), (6, 2, 3, 3), bias=True, stride=2, padding=1,
                         dilation=2, groups=2)
    assert "F.conv2d(x, weight, bias, stride=2, padding=1, dilation=2, groups=2)" in code
    code = ck.torch_code("conv_transpose2d", (1, 4, 5, 5), (4, 1, 3, 3), stride=2, padding=1,
                         output_padding=1, groups=2, dilation=(1, 2))
    assert "output_padding=1, groups=2, dilation=(1, 2))" in code


@pytest.mark.parametrize("op,xs,ws,kw", [
    ("conv2d", (1, 3, 8, 9), (4, 3, 3, 2), dict(padding=1, padding_mode="reflect", stride=2)),
    ("conv3d", (2, 5, 6, 7), (3, 2, 2, 3, 2), dict(padding=(1, 0, 2), stride=(1, 2, 1))),
    ("conv_transpose1d", (1, 4, 5), (4, 1, 3), dict(dilation=2, output_padding=1, groups=2)),
])
def test_shape_comment_is_convkits_shape(op, xs, ws, kw):
    code = ck.torch_code(op, xs, ws, **kw)
    y = getattr(ck, op)(np.zeros(xs), np.zeros(ws), **kw)
    assert _shape_comment(code) == y.shape


def test_pooling_code():
    code = ck.torch_code("max_pool2d", (3, 45, 25), kernel_size=3, stride=2, ceil_mode=True)
    assert "F.max_pool2d(x, kernel_size=3, stride=2, ceil_mode=True)" in code
    assert _shape_comment(code) == ck.max_pool2d(np.zeros((3, 45, 25)), 3, 2, ceil_mode=True).shape


def test_unknown_op():
    with pytest.raises(ValueError, match="op='conv4d'"):
        ck.torch_code("conv4d", (1, 1, 3), (1, 1, 1))
