"""Bad input gets a ValueError/TypeError naming the parameter, the value and what is allowed."""
import numpy as np
import pytest

import convkit as ck

X = np.zeros((1, 2, 6, 6))
W = np.zeros((4, 2, 3, 3))


@pytest.mark.parametrize("call,exc,words", [
    (lambda: ck.conv2d(X, W, stride=0), ValueError, ["stride=0", ">= 1"]),
    (lambda: ck.conv2d(X, W, dilation=(1, 0)), ValueError, ["dilation=0", ">= 1"]),
    (lambda: ck.conv2d(X, W, padding=-1), ValueError, ["padding=-1", ">= 0"]),
    (lambda: ck.conv2d(X, W, padding="full"), ValueError, ["padding='full'", "'valid'", "'same'"]),
    (lambda: ck.conv2d(X, W, padding_mode="mirror"), ValueError, ["padding_mode='mirror'", "'reflect'"]),
    (lambda: ck.conv2d(X, np.zeros((4, 1, 3, 3)), groups=3), ValueError, ["groups=3", "divide"]),
    (lambda: ck.conv2d(X, np.zeros((4, 3, 3, 3))), ValueError, ["x has 2 channels", "weight.shape[1]"]),
    (lambda: ck.conv2d(X, np.zeros((1, 2, 7, 7))), ValueError, ["kernel", "larger than the padded input", "7"]),
    (lambda: ck.conv2d(X, W, padding=6, padding_mode="reflect"), ValueError,
     ["padding_mode='reflect'", "< the input size", "6"]),
    (lambda: ck.conv2d(X, W, padding=7, padding_mode="circular"), ValueError,
     ["padding_mode='circular'", "<= the input size"]),
    (lambda: ck.conv2d(np.zeros((6, 6)), W), ValueError, ["x has shape (6, 6)", "(C, H, W)"]),
    (lambda: ck.conv2d(X, np.zeros((3, 3))), ValueError, ["weight has shape (3, 3)", "4 dimensions"]),
    (lambda: ck.conv2d(X, W, stride=2, padding="same"), ValueError, ["padding='same'", "stride 1"]),
    (lambda: ck.conv2d(X, W, stride=(1, 2, 3)), ValueError, ["stride=(1, 2, 3)", "2 ints"]),
    (lambda: ck.conv2d(X, W, stride=1.5), TypeError, ["stride", "integer", "1.5"]),
    (lambda: ck.conv2d(X.astype(complex), W), TypeError, ["x is complex"]),
    (lambda: ck.conv2d(np.array([["a"]]), W), TypeError, ["x must be a real numeric array"]),
    (lambda: ck.conv2d(np.zeros((1, 2, 0, 6)), W), ValueError, ["x is empty"]),
    (lambda: ck.conv2d(X, W, bias=np.zeros(3)), ValueError, ["bias has shape (3,)", "(4,)"]),
    (lambda: ck.conv_transpose2d(X, np.zeros((2, 2, 3, 3)), stride=2, output_padding=2), ValueError,
     ["output_padding=2", "max(stride, dilation)"]),
    (lambda: ck.conv_transpose2d(X, np.zeros((3, 2, 3, 3))), ValueError, ["weight.shape[0] = 3"]),
    (lambda: ck.conv_transpose2d(X, np.zeros((2, 2, 3, 3)), padding="same"), ValueError, ["padding='same'"]),
    (lambda: ck.max_pool2d(X, 3, padding=2), ValueError, ["padding=2", "half the kernel"]),
    (lambda: ck.avg_pool2d(X, 8), ValueError, ["kernel_size=8", "larger than the padded input"]),
    (lambda: ck.max_pool2d(X, 2, stride=0), ValueError, ["stride=0"]),
    (lambda: ck.max_pool2d(X, 2, ceil_mode="yes"), TypeError, ["ceil_mode", "'yes'"]),
    (lambda: ck.correlate(np.zeros(3), np.zeros((3, 3))), ValueError, ["in1 has 1 dimensions", "in2 has 2"]),
    (lambda: ck.correlate(np.zeros(3), np.zeros(3), mode="wide"), ValueError, ["mode='wide'", "'full'"]),
    (lambda: ck.correlate(np.zeros((3, 5)), np.zeros((5, 3)), mode="valid"), ValueError,
     ["mode='valid'", "at least as large"]),
    (lambda: ck.convolve(np.ones(3) * 1j, np.ones(2)), TypeError, ["in1 is complex"]),
    (lambda: ck.conv_output_size(5, 3, stride=0), ValueError, ["stride=0"]),
    (lambda: ck.conv_output_size(5, 7), ValueError, ["kernel_size=7", "no output"]),
    (lambda: ck.conv_transpose_output_size(4, 3, stride=2, output_padding=2), ValueError, ["output_padding=2"]),
    (lambda: ck.pool_output_size(5, 3, padding=2), ValueError, ["padding=2", "half"]),
    (lambda: ck.conv_cost((3, 8, 8), (4, 2, 3, 3)), ValueError, ["weight_shape=(4, 2, 3, 3)", "C_in=3"]),
    (lambda: ck.pool_cost((3, 8, 8), 2, kind="min"), ValueError, ["kind='min'", "'max'"]),
    (lambda: ck.conv_matrix((100, 100), np.ones((3, 3))), ValueError, ["input_shape=(100, 100)", "4096"]),
])
def test_error_names_parameter_value_and_rule(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
