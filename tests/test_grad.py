"""Gradients of conv2d (convkit._grad): finite differences, adjointness, reference loops."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convkit as ck
from convkit import reference

settings.register_profile("convkit", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("convkit")

# (N, C_in, C_out, (H, W), (kH, kW), kwargs): stride, padding, dilation, groups, 'same' with even k
CASES = [
    (1, 1, 1, (6, 7), (3, 3), {}),
    (2, 2, 3, (7, 6), (3, 2), dict(padding=1)),
    (2, 2, 2, (9, 8), (3, 3), dict(stride=2, padding=1)),
    (1, 4, 2, (9, 9), (2, 3), dict(stride=(2, 3), padding=(1, 0), dilation=(2, 1), groups=2)),
    (1, 3, 3, (8, 7), (3, 3), dict(dilation=2, padding=2, groups=3)),
    (2, 1, 2, (8, 8), (4, 4), dict(padding="same")),
    (1, 2, 2, (7, 8), (2, 3), dict(padding="same", dilation=2, groups=2)),
    (1, 2, 4, (10, 9), (3, 3), dict(stride=3, padding=2, dilation=2)),
    (2, 2, 2, (8, 8), (3, 3), dict(padding="valid", stride=2)),
]


def _arrays(N, cin, cout, n, k, kw, seed=0):
    rng = np.random.default_rng(seed)
    g = kw.get("groups", 1)
    x = rng.standard_normal((N, cin) + n)
    w = rng.standard_normal((cout, cin // g) + k)
    target = rng.standard_normal(ck.conv2d(x, w, **kw).shape)
    return x, w, target


def _loss(x, w, target, kw):
    return 0.5 * float(np.sum((ck.conv2d(x, w, **kw) - target) ** 2))


def _central_differences(f, a, h=1e-6):
    """d f / d a by central differences, one entry at a time."""
    grad = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        old = a[idx]
        a[idx] = old + h
        up = f()
        a[idx] = old - h
        down = f()
        a[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


# --- finite differences -----------------------------------------------------------------------

@pytest.mark.parametrize("N, cin, cout, n, k, kw", CASES)
def test_kernel_gradient_matches_finite_differences(N, cin, cout, n, k, kw):
    """L = 1/2 |conv2d(x, w) - t|^2: dL/dw = grad_weight(x, conv2d(x, w) - t) to ~1e-8."""
    x, w, t = _arrays(N, cin, cout, n, k, kw)
    error = ck.conv2d(x, w, **kw) - t
    analytic = ck.conv2d_grad_weight(x, error, w.shape, **kw)
    numeric = _central_differences(lambda: _loss(x, w, t, kw), w)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("N, cin, cout, n, k, kw", CASES)
def test_input_gradient_matches_finite_differences(N, cin, cout, n, k, kw):
    x, w, t = _arrays(N, cin, cout, n, k, kw, seed=1)
    error = ck.conv2d(x, w, **kw) - t
    analytic = ck.conv2d_grad_input(error, w, x.shape, **kw)
    numeric = _central_differences(lambda: _loss(x, w, t, kw), x)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


# --- against the plain loops of convkit.reference ---------------------------------------------

@pytest.mark.parametrize("N, cin, cout, n, k, kw", CASES)
def test_gradients_match_reference_loops(N, cin, cout, n, k, kw):
    """dL/dw[idx] = <grad_y, reference.conv(x, e_idx)>; dL/dx[idx] likewise with e_idx as input.

    Convolution is linear in each argument, so the gradient of <grad_y, y> along a basis
    array e_idx is the output of the loops for e_idx: the definition, with no shortcut.
    """
    x, w, _ = _arrays(N, cin, cout, n, k, kw, seed=2)
    rng = np.random.default_rng(3)
    gy = rng.standard_normal(ck.conv2d(x, w, **kw).shape)
    want_w = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = 1.0
        want_w[idx] = np.vdot(gy, reference.conv(x, e, **kw))
    want_x = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = 1.0
        want_x[idx] = np.vdot(gy, reference.conv(e, w, **kw))
    np.testing.assert_allclose(ck.conv2d_grad_weight(x, gy, w.shape, **kw), want_w, atol=1e-10)
    np.testing.assert_allclose(ck.conv2d_grad_input(gy, w, x.shape, **kw), want_x, atol=1e-10)


# --- adjoint identities (Hypothesis) ----------------------------------------------------------

@st.composite
def setting(draw):
    groups = draw(st.sampled_from([1, 2, 3]))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 4)) for _ in range(2))
    d = tuple(draw(st.integers(1, 3)) for _ in range(2))
    same = draw(st.booleans())
    s = (1, 1) if same else tuple(draw(st.integers(1, 3)) for _ in range(2))
    p = "same" if same else tuple(draw(st.integers(0, 2)) for _ in range(2))
    pp = (0, 0) if same else p
    n = tuple(max(draw(st.integers(1, 9)), dd * (kk - 1) + 1 - 2 * q)
              for kk, dd, q in zip(k, d, pp))
    N = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    return N, cin, cout, n, k, dict(stride=s, padding=p, dilation=d, groups=groups), seed


@given(setting())
def test_adjoint_identities(c):
    """<grad_y, conv2d(x, w)> = <grad_input(grad_y, w), x> = <grad_weight(x, grad_y), w>."""
    N, cin, cout, n, k, kw, seed = c
    x, w, _ = _arrays(N, cin, cout, n, k, kw, seed)
    y = ck.conv2d(x, w, **kw)
    gy = np.random.default_rng(seed + 1).standard_normal(y.shape)
    gx = ck.conv2d_grad_input(gy, w, x.shape, **kw)
    gw = ck.conv2d_grad_weight(x, gy, w.shape, **kw)
    assert gx.shape == x.shape and gw.shape == w.shape
    inner = np.vdot(gy, y)
    scale = 1 + np.abs(gy).sum() * np.abs(y).max()
    assert abs(np.vdot(gx, x) - inner) <= 1e-9 * scale
    assert abs(np.vdot(gw, w) - inner) <= 1e-9 * scale


@given(setting())
def test_input_gradient_is_conv_transpose_with_output_padding(c):
    """For integer padding the input gradient is literally conv_transpose2d(grad_y, w, ...)."""
    N, cin, cout, n, k, kw, seed = c
    if kw["padding"] == "same":
        return
    x, w, _ = _arrays(N, cin, cout, n, k, kw, seed)
    gy = np.random.default_rng(seed).standard_normal(ck.conv2d(x, w, **kw).shape)
    out = gy.shape[2:]
    op = tuple(nn + 2 * p - d * (kk - 1) - 1 - (o - 1) * s
               for nn, p, d, kk, o, s in zip(n, kw["padding"], kw["dilation"], k, out,
                                             kw["stride"]))
    want = ck.conv_transpose2d(gy, w, stride=kw["stride"], padding=kw["padding"], output_padding=op,
                               groups=kw["groups"], dilation=kw["dilation"])
    np.testing.assert_allclose(ck.conv2d_grad_input(gy, w, x.shape, **kw), want, atol=1e-12)


# --- hand-worked and special cases ------------------------------------------------------------

def test_kernel_gradient_is_valid_correlation_of_input_with_error():
    """Stride 1, one channel: dL/dk = correlate(x, e, 'valid'): a correlation, not a convolution."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((7, 8))
    e = rng.standard_normal((5, 5))                # the error of a 3x4 kernel
    gw = ck.conv2d_grad_weight(x[None], e[None], (1, 1, 3, 4))[0, 0]
    np.testing.assert_allclose(gw, ck.correlate(x, e, "valid"), atol=1e-12)
    assert not np.allclose(gw, ck.convolve(x, e, "valid"))


def test_hand_worked_kernel_gradient():
    # x = 0..15 in a 4x4; grad_y all ones (2x2): each tap sums the 2x2 window it saw
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    gw = ck.conv2d_grad_weight(x, np.ones((1, 1, 2, 2)), (1, 1, 3, 3))
    np.testing.assert_array_equal(gw[0, 0], [[10, 14, 18], [26, 30, 34], [42, 46, 50]])
    # stride 2, kernel 2x2 on the 4x4: the windows do not overlap, grad_y = [[1, 0], [0, 0]]
    gy = np.array([[[[1.0, 0], [0, 0]]]])
    gw = ck.conv2d_grad_weight(x, gy, (1, 1, 2, 2), stride=2)
    np.testing.assert_array_equal(gw[0, 0], [[0, 1], [4, 5]])


def test_hand_worked_input_gradient_stamps_the_kernel():
    k = np.array([[[[1.0, 2], [3, 4]]]])
    gx = ck.conv2d_grad_input(np.ones((1, 2, 2)), k, (1, 3, 3))
    np.testing.assert_array_equal(gx[0], [[1, 3, 2], [4, 10, 6], [3, 7, 4]])
    # stride 2 on a 5x5 input: the last row and column are never read, so get gradient 0
    gx = ck.conv2d_grad_input(np.ones((1, 2, 2)), k, (1, 5, 5), stride=2)
    np.testing.assert_array_equal(gx[0], [[1, 2, 1, 2, 0], [3, 4, 3, 4, 0], [1, 2, 1, 2, 0],
                                          [3, 4, 3, 4, 0], [0, 0, 0, 0, 0]])


def test_batch_is_summed_for_the_kernel_and_kept_for_the_input():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 2, 6, 6))
    w = rng.standard_normal((2, 2, 3, 3))
    gy = rng.standard_normal((3, 2, 4, 4))
    total = sum(ck.conv2d_grad_weight(x[i], gy[i], w.shape) for i in range(3))
    np.testing.assert_allclose(ck.conv2d_grad_weight(x, gy, w.shape), total, atol=1e-12)
    for i in range(3):  # unbatched input gives the batched result's slice
        np.testing.assert_allclose(ck.conv2d_grad_input(gy[i], w, x.shape[1:]),
                                   ck.conv2d_grad_input(gy, w, x.shape)[i], atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    x = np.ones((1, 5, 5), dtype)
    gy = np.ones((1, 3, 3), dtype)
    w = np.ones((1, 1, 3, 3), dtype)
    assert ck.conv2d_grad_weight(x, gy, w.shape).dtype == dtype
    assert ck.conv2d_grad_input(gy, w, x.shape).dtype == dtype


def test_inputs_are_not_modified():
    rng = np.random.default_rng(6)
    x, gy, w = rng.standard_normal((1, 2, 6, 6)), rng.standard_normal((1, 2, 2, 2)), \
        rng.standard_normal((2, 1, 3, 3))
    copies = [a.copy() for a in (x, gy, w)]
    ck.conv2d_grad_weight(x, gy, w.shape, stride=2, groups=2)
    ck.conv2d_grad_input(gy, w, x.shape, stride=2, groups=2)
    for a, b in zip((x, gy, w), copies):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("call, match", [
    (lambda: ck.conv2d_grad_weight(np.ones((1, 5, 5)), np.ones((1, 4, 4)), (1, 1, 3, 3)),
     "grad_y must have that shape"),
    (lambda: ck.conv2d_grad_weight(np.ones((1, 1, 5, 5)), np.ones((1, 3, 3)), (1, 1, 3, 3)),
     "both batched"),
    (lambda: ck.conv2d_grad_weight(np.ones((2, 5, 5)), np.ones((1, 3, 3)), (1, 1, 3, 3)),
     "weight_shape"),
    (lambda: ck.conv2d_grad_weight(np.ones((3, 5, 5)), np.ones((2, 3, 3)), (2, 3, 3, 3), groups=2),
     "groups=2 must divide"),
    (lambda: ck.conv2d_grad_weight(np.ones((1, 5, 5)), np.ones((1, 3, 3)), (1, 1, 3)),
     "4 entries"),
    (lambda: ck.conv2d_grad_weight(np.ones((1, 2, 2)), np.ones((1, 1, 1)), (1, 1, 3, 3)),
     "larger than the padded input"),
    (lambda: ck.conv2d_grad_input(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), (1, 1, 5, 5)),
     "batched like grad_y"),
    (lambda: ck.conv2d_grad_input(np.ones((1, 3, 3)), np.ones((1, 1, 3)), (1, 5, 5)),
     "4 dimensions"),
    (lambda: ck.conv2d_grad_input(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), (1, 5, 5), stride=0),
     "stride"),
    (lambda: ck.conv2d_grad_input(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), (1, 6, 6)),
     "grad_y must have that shape"),
])
def test_errors_name_the_problem(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
