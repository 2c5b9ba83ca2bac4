"""Demo and drawings of the chapter *Transposed convolution*.

convkit.widgets._transposed (explore_transposed and its NumPy helpers gather_view,
overlap_count, interior_overlap) and convkit.plot._transposed.
"""
import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import convkit as ck
from convkit import plot
from convkit.plot._transposed import side_by_side
from convkit.widgets import DEFAULT_BUDGET, Demo, Frame, explore_transposed
from convkit.widgets._transposed import (
    _NS, _KS, _SS, _PS, _OPS, _DS, _X, _kernel, _problem, gather_view, interior_overlap,
    overlap_count,
)

CONTROLS = {"n": [2, 3, 4], "k": [1, 2, 3, 4], "s": [1, 2, 3], "p": [0, 1, 2], "op": [0, 1],
            "d": [1, 2]}
DEFAULTS = {"n": 3, "k": 3, "s": 2, "p": 1, "op": 1, "d": 1}
OPS = {1: ck.conv_transpose1d, 2: ck.conv_transpose2d, 3: ck.conv_transpose3d}


@pytest.fixture(scope="module")
def demo():
    return explore_transposed()


def _allowed(n, k, s, p, op, d):
    try:
        ck.conv_transpose_output_size(n, k, s, p, op, d)
    except ValueError:
        return False
    return True


# --- gather_view: zero insertion + padding + flipped kernel == conv_transpose ------------------

@settings(max_examples=150, deadline=None, derandomize=True)
@given(nd=st.integers(1, 3), n=st.integers(1, 5), k=st.integers(1, 4), s=st.integers(1, 3),
       p=st.integers(0, 4), op=st.integers(0, 2), d=st.integers(1, 3), seed=st.integers(0, 99))
def test_gather_view_equals_conv_transpose(nd, n, k, s, p, op, d, seed):
    if nd == 3:
        n = min(n, 3)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n,) * nd)
    w = rng.standard_normal((k,) * nd)
    kw = dict(stride=s, padding=p, output_padding=op, dilation=d)
    try:
        y = OPS[nd](x[None], w[None, None], **kw)[0]
    except ValueError:
        with pytest.raises(ValueError):
            gather_view(x, w, s, p, op, d)
        return
    z, kf, yg, start = gather_view(x, w, s, p, op, d)
    assert yg.shape == y.shape
    np.testing.assert_allclose(yg, y, atol=1e-12)
    assert np.array_equal(kf, w[(slice(None, None, -1),) * nd])
    assert start == d * (k - 1) - p


def test_gather_view_hand_worked():
    # x = [1, 2, 3], k = [1, 10, 100], s = 2: z = [0, 0, 1, 0, 2, 0, 3, 0, 0] (pad 2 each side)
    z, kf, y, start = gather_view(np.array([1.0, 2, 3]), np.array([1.0, 10, 100]), stride=2)
    assert z.tolist() == [0, 0, 1, 0, 2, 0, 3, 0, 0]
    assert kf.tolist() == [100, 10, 1]
    assert y.tolist() == [1, 10, 102, 20, 203, 30, 300]
    assert start == 2


def test_gather_view_crops_when_padding_exceeds_the_kernel_span():
    x = np.arange(1.0, 6.0)
    z, _, y, start = gather_view(x, np.array([1.0, 2.0]), stride=2, padding=2)
    assert start == -1 and z[0] == 0 and z[1] == x[1]     # x[0] and the zero after it cropped
    np.testing.assert_allclose(y, ck.conv_transpose1d(x[None], np.array([[[1.0, 2.0]]]),
                                                      stride=2, padding=2)[0])


def test_gather_view_rejects_what_conv_transpose_rejects():
    with pytest.raises(ValueError, match="output_padding"):
        gather_view(np.ones((3, 3)), np.ones((3, 3)), stride=1, output_padding=1)
    with pytest.raises(ValueError, match="same number of dimensions"):
        gather_view(np.ones((3, 3)), np.ones(3))


# --- overlap counts ----------------------------------------------------------------------------

def test_overlap_count_hand_worked():
    assert overlap_count(3, 3, 2, ndim=1).tolist() == [1, 1, 2, 1, 2, 1, 1]
    assert overlap_count(3, 2, 1, ndim=1).tolist() == [1, 2, 2, 1]
    assert overlap_count(3, 2, 2, ndim=1).tolist() == [1] * 6
    c = overlap_count(2, 3, 2)
    assert c.shape == (5, 5) and c[2, 2] == 4 and c[0, 0] == 1


@pytest.mark.parametrize("k, s, d, expected", [(3, 2, 1, [2, 1]), (4, 2, 1, [2, 2]),
                                               (3, 1, 1, [3]), (3, 2, 2, [3, 0]),
                                               (2, 3, 1, [1, 1, 0]), (4, 3, 2, [2, 1, 1])])
def test_interior_overlap_hand_worked(k, s, d, expected):
    assert interior_overlap(k, s, d).tolist() == expected


@pytest.mark.parametrize("k, s, p, d", list(itertools.product([1, 2, 3, 4], [1, 2, 3], [0, 1],
                                                               [1, 2])))
def test_interior_overlap_is_the_count_away_from_the_border(k, s, p, d):
    n = 12
    count = overlap_count(n, k, s, p, 0, d, ndim=1)
    c = interior_overlap(k, s, d)
    margin = d * (k - 1) + s
    for j in range(margin, count.size - margin):
        assert count[j] == c[(j + p) % s]


def test_even_overlap_exactly_when_the_stride_divides_the_kernel():
    for k, s in itertools.product(range(1, 7), range(1, 4)):
        c = interior_overlap(k, s)
        assert (len(set(c.tolist())) == 1) == (k % s == 0)


# --- stamps (plot helper) ----------------------------------------------------------------------

@pytest.mark.parametrize("shape, kw", [((3,), dict(stride=2)), ((4,), dict(stride=3, padding=1)),
                                       ((2, 3), dict(stride=2, padding=1, output_padding=1)),
                                       ((3, 2), dict(stride=1, dilation=2))])
def test_stamps_sum_to_the_transposed_convolution(shape, kw):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    k = rng.standard_normal((3,) * len(shape))
    stamps = plot.transpose_stamps(x, k, **kw)
    assert len(stamps) == x.size
    total = np.nansum(np.stack(stamps), axis=0)
    np.testing.assert_allclose(total, OPS[len(shape)](x[None], k[None, None], **kw)[0], atol=1e-12)


def test_stamp_is_nan_where_the_input_writes_nothing():
    stamps = plot.transpose_stamps(np.array([1.0, 2.0, 3.0]), np.array([1.0, 10.0, 100.0]),
                                   stride=2)
    assert np.isnan(stamps[0][3:]).all() and stamps[0][:3].tolist() == [1, 10, 100]
    assert stamps[1][2:5].tolist() == [2, 20, 200]


def test_side_by_side():
    m = side_by_side(np.ones((2, 2)), np.zeros((3, 1)), gap=2)
    assert m.shape == (3, 5)
    assert np.isnan(m[:, 2:4]).all() and np.isnan(m[2, :2]).all()
    assert (m[:2, :2] == 1).all() and (m[:, 4] == 0).all()


def test_demo_picture_shows_both_results_and_the_count():
    x, k = _X[:3, :3], _kernel(3)
    y = ck.conv_transpose2d(x[None], k[None, None], stride=2, padding=1, output_padding=1)[0]
    z, _, yg, start = gather_view(x, k, 2, 1, 1, 1)
    count = overlap_count(3, 3, 2, 1, 1)
    fig = plot.show_transposed(x, k, y, z, count, stride=2, padding=1, dilation=1,
                               core_start=start, y_gather=yg)
    top, bottom = (ax.images[0].get_array() for ax in fig.axes)
    np.testing.assert_array_equal(top[:, :8], z)
    np.testing.assert_array_equal(top[:3, 9:12], k)
    np.testing.assert_array_equal(top[:3, 13:16], k[::-1, ::-1])
    np.testing.assert_array_equal(bottom[:, :6], y)
    np.testing.assert_array_equal(bottom[:, 7:13], yg)
    np.testing.assert_array_equal(bottom[:, 14:20], count)


def test_drawings_return_axes():
    ax = plot.show_stamps(np.array([1.0, 2.0, 3.0]), np.array([1.0, 10.0, 100.0]), stride=2)
    assert len(ax.get_yticklabels()) == 4
    z, kf, y, start = gather_view(np.ones((2, 2)), np.arange(9.0).reshape(3, 3), stride=2)
    axes = plot.show_gather(z, kf, y, core_start=start, core_size=3)
    assert len(axes) == 3
    z1, kf1, y1, start1 = gather_view(np.ones(3), np.arange(3.0), stride=2)
    assert len(plot.show_gather(z1, kf1, y1, core_start=start1, core_size=5)) == 3


# --- the demo ----------------------------------------------------------------------------------

def test_works_without_arguments_and_has_the_documented_controls(demo):
    assert isinstance(demo, Demo)
    assert demo.values == CONTROLS
    assert demo.defaults == DEFAULTS
    assert [c.label for c in demo.controls] == ["input size n", "kernel size k", "stride s",
                                                 "padding p", "output_padding", "dilation d"]


def test_problem_matches_convkit_for_every_combination():
    for n, k, s, p, op, d in itertools.product(_NS, _KS, _SS, _PS, _OPS, _DS):
        assert (_problem(n, k, s, p, op, d) is None) == _allowed(n, k, s, p, op, d)


def _setting(name, value):
    return {**DEFAULTS, name: value}


@pytest.mark.parametrize("name, value", [(n, v) for n, vs in CONTROLS.items() for v in vs])
def test_render_every_value_at_the_defaults_of_the_others(demo, name, value):
    values = _setting(name, value)
    frame = demo.render(**values)
    assert isinstance(frame, Frame)
    assert tuple(frame.figure.get_size_inches()) == (5.6, 3.9)
    assert len(frame.figure.axes) == 2            # several arrays per Axes: fast frames
    if _allowed(*(values[c] for c in CONTROLS)):
        assert "Scatter and gather agree (largest difference 0)" in frame.text
        assert frame.code is not None
    else:
        assert frame.text.startswith("Not allowed") and frame.code is None


def test_frame_text_states_the_output_size_and_overlap(demo):
    text = demo.render().text
    assert text.startswith("Output 6×6")
    assert "1, 2, 4 stamps" in text and "checkerboard" in text
    assert "even overlap" in demo.render(k=4).text
    assert "gaps" in demo.render(d=2, op=0).text


SHAPE = re.compile(r"# y\.shape == \((\d+), (\d+), (\d+), (\d+)\)")


@pytest.mark.parametrize("values", [DEFAULTS, _setting("k", 4), _setting("s", 3),
                                    _setting("p", 0), _setting("op", 0), _setting("d", 2),
                                    {**DEFAULTS, "s": 1, "op": 0, "p": 2, "k": 4, "n": 4}])
def test_pytorch_code_matches_the_setting(demo, values):
    n, k, s, p, op, d = (values[c] for c in CONTROLS)
    code = demo.render(**values).code
    assert f"x = torch.randn(1, 1, {n}, {n})" in code
    assert f"weight = torch.randn(1, 1, {k}, {k})" in code
    call = code.splitlines()[-1]
    assert call.startswith("y = F.conv_transpose2d(x, weight")
    for key, value, default in (("stride", s, 1), ("padding", p, 0), ("output_padding", op, 0),
                                ("dilation", d, 1)):
        assert (f"{key}={value}" in call) == (value != default)
    y = ck.conv_transpose2d(_X[None, :n, :n], _kernel(k)[None, None], stride=s, padding=p,
                            output_padding=op, dilation=d)
    assert tuple(map(int, SHAPE.search(call).groups())) == (1, 1) + y.shape[1:]


def test_frames_fit_the_budget_and_share_one_size(demo):
    frames = demo.frames()
    assert demo.mode == "sweep" and len(frames) <= DEFAULT_BUDGET
    assert len(frames) == 1 + sum(len(v) - 1 for v in CONTROLS.values())
    assert len({f.size for _, f in frames}) == 1
    assert demo.static_nbytes() < 600_000


def test_static_html_is_deterministic():
    assert explore_transposed().static_html() == explore_transposed().static_html()


def test_colour_limits_cover_every_setting():
    ymax = 0.0
    for n, k, s, p, op, d in itertools.product(_NS, _KS, _SS, _PS, _OPS, _DS):
        if _allowed(n, k, s, p, op, d):
            y = ck.conv_transpose2d(_X[None, :n, :n], _kernel(k)[None, None], stride=s,
                                    padding=p, output_padding=op, dilation=d)
            ymax = max(ymax, float(y.max()))
            assert y.min() >= 0
    assert ymax == 7
    assert _X.max() == 2 and _kernel(4).max() == 2
