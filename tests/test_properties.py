"""Hypothesis properties: linearity, flipping, commutativity, adjointness, shape formulas."""
import numpy as np
from hypothesis import given, settings, strategies as st

import convkit as ck

settings.register_profile("convkit", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("convkit")


@st.composite
def conv_setting(draw, nd=None):
    nd = nd or draw(st.integers(1, 3))
    groups = draw(st.sampled_from([1, 2]))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    s = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    d = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    p = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    n = tuple(max(draw(st.integers(1, 7)), dd * (kk - 1) + 1 - 2 * pp) for kk, dd, pp in zip(k, d, p))
    seed = draw(st.integers(0, 2**32 - 1))
    return dict(nd=nd, groups=groups, cin=cin, cout=cout, k=k, s=s, d=d, p=p, n=n, seed=seed)


def _arrays(c):
    rng = np.random.default_rng(c["seed"])
    x = rng.standard_normal((2, c["cin"]) + c["n"])
    w = rng.standard_normal((c["cout"], c["cin"] // c["groups"]) + c["k"])
    return rng, x, w


def _conv(c):
    return getattr(ck, f"conv{c['nd']}d")


@given(conv_setting(), st.floats(-3, 3), st.floats(-3, 3))
def test_linearity(c, a, b):
    rng, x, w = _arrays(c)
    x2 = rng.standard_normal(x.shape)
    f = _conv(c)
    kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"], groups=c["groups"])
    np.testing.assert_allclose(f(a * x + b * x2, w, **kw), a * f(x, w, **kw) + b * f(x2, w, **kw),
                               atol=1e-9)


@given(conv_setting())
def test_transpose_is_adjoint(c):
    """<conv(x), y> = <x, conv_transpose(y)> with the same stride, padding, dilation, groups."""
    rng, x, w = _arrays(c)
    nd = c["nd"]
    f = _conv(c)
    ft = getattr(ck, f"conv_transpose{nd}d")
    kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"], groups=c["groups"])
    y_shape = f(x, w, **kw).shape
    y = rng.standard_normal(y_shape)
    # conv_transpose's weight layout (C_in_t, C_out_t/groups, *k) with C_in_t = the conv's C_out
    # is exactly the conv weight's (C_out, C_in/groups, *k): the same array serves both
    wt = w
    # output_padding makes conv_transpose's output as large as x
    op = tuple(n + 2 * p - dd * (k - 1) - 1 - (o - 1) * s
               for n, p, dd, k, o, s in zip(c["n"], c["p"], c["d"], c["k"], y_shape[2:], c["s"]))
    if any(o >= max(s, dd) for o, s, dd in zip(op, c["s"], c["d"])):
        return  # no output_padding reaches x's size; PyTorch cannot express this adjoint
    xt = ft(y, wt, output_padding=op, **kw)
    assert xt.shape == x.shape
    np.testing.assert_allclose(np.vdot(f(x, w, **kw), y), np.vdot(x, xt), rtol=1e-9, atol=1e-9)


@given(st.integers(1, 3), st.integers(0, 2**32 - 1), st.sampled_from(["full", "same", "valid"]))
def test_convolution_is_correlation_with_flipped_kernel(nd, seed, mode):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(tuple(rng.integers(3, 7, nd)))
    b = rng.standard_normal(tuple(rng.integers(1, 4, nd)))
    flipped = b[(slice(None, None, -1),) * nd]
    np.testing.assert_allclose(ck.convolve(a, b, mode), ck.correlate(a, flipped, mode), atol=1e-12)


@given(st.lists(st.floats(-5, 5), min_size=1, max_size=9), st.lists(st.floats(-5, 5), min_size=1, max_size=9))
def test_full_1d_convolution_commutes(f, g):
    np.testing.assert_allclose(ck.convolve(f, g), ck.convolve(g, f), atol=1e-9)


@given(conv_setting())
def test_size_helpers_equal_op_shapes(c):
    rng, x, w = _arrays(c)
    nd = c["nd"]
    kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"])
    y = _conv(c)(x, w, groups=c["groups"], **kw)
    assert y.shape[2:] == ck.conv_output_size(c["n"], c["k"], **kw)
    assert ck.conv_cost(x.shape, w.shape, groups=c["groups"], **kw).output_shape == y.shape
    op = tuple(min(o, max(s, d) - 1) for o, s, d in zip((1,) * nd, c["s"], c["d"]))
    wt = rng.standard_normal((c["cin"], 1) + c["k"])
    yt = getattr(ck, f"conv_transpose{nd}d")(x, wt, output_padding=op, **kw) if all(
        (n - 1) * s - 2 * p + d * (k - 1) + o + 1 >= 1
        for n, s, p, d, k, o in zip(c["n"], c["s"], c["p"], c["d"], c["k"], op)) else None
    if yt is not None:
        assert yt.shape[2:] == ck.conv_transpose_output_size(c["n"], c["k"], output_padding=op, **kw)
        assert ck.conv_cost(x.shape, wt.shape, transposed=True, output_padding=op,
                            **kw).output_shape == yt.shape


@given(st.integers(1, 3), st.integers(0, 2**32 - 1), st.booleans())
def test_pool_size_helper_equals_op_shape(nd, seed, ceil_mode):
    rng = np.random.default_rng(seed)
    k = tuple(int(v) for v in rng.integers(1, 4, nd))
    s = tuple(int(v) for v in rng.integers(1, 4, nd))
    p = tuple(int(rng.integers(0, kk // 2 + 1)) for kk in k)
    n = tuple(int(max(rng.integers(1, 8), kk - 2 * pp)) for kk, pp in zip(k, p))
    x = rng.standard_normal((1, 2) + n)
    y = getattr(ck, f"max_pool{nd}d")(x, k, s, p, ceil_mode)
    assert y.shape[2:] == ck.pool_output_size(n, k, s, p, ceil_mode)
    assert ck.pool_cost(x.shape, k, s, p, ceil_mode).output_shape == y.shape
