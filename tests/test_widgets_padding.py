"""Demos and drawings of the chapter *Padding* (convkit.widgets._padding, convkit.plot._padding)."""
import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_padding, explore_padding_photo
from convkit.widgets._padding import PADDING_MODE_NOTES

MODES = ["zeros", "reflect", "replicate", "circular"]


@pytest.fixture(scope="module")
def numbers():
    return explore_padding()


@pytest.fixture(scope="module")
def photo():
    return explore_padding_photo()


# --- padding_pairs: the NumPy-only helper --------------------------------------------------------

@pytest.mark.parametrize("k, expected", [(1, (0, 0)), (2, (0, 1)), (3, (1, 1)), (4, (1, 2)),
                                         (5, (2, 2)), (6, (2, 3))])
def test_same_padding_puts_the_extra_row_after(k, expected):
    assert plot.padding_pairs("same", (k, k)) == (expected, expected)


@pytest.mark.parametrize("kh, kw", [(2, 4), (4, 2), (3, 4), (5, 6)])
def test_same_pairs_reproduce_convkit_same(kh, kw):
    rng = np.random.default_rng(kh * 10 + kw)
    x = rng.standard_normal((1, 7, 8))
    w = rng.standard_normal((1, 1, kh, kw))
    (t, b), (l, r) = plot.padding_pairs("same", (kh, kw))
    manual = ck.conv2d(np.pad(x, ((0, 0), (t, b), (l, r))), w)
    np.testing.assert_allclose(manual, ck.conv2d(x, w, padding="same"))
    assert manual.shape[-2:] == (7, 8)


def test_padding_pairs_forms():
    assert plot.padding_pairs(2) == ((2, 2), (2, 2))
    assert plot.padding_pairs((1, 3)) == ((1, 1), (3, 3))
    assert plot.padding_pairs(((0, 1), (2, 3))) == ((0, 1), (2, 3))
    assert plot.padding_pairs("valid", 5) == ((0, 0), (0, 0))
    with pytest.raises(ValueError):
        plot.padding_pairs(-1)


def test_show_padding_draws_two_axes_for_arrays_and_images():
    ax_in, ax_out = plot.show_padding(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), 1, "reflect")
    assert ax_in.figure is ax_out.figure
    ax_in, ax_out = plot.show_padding(ck.data.photo(32), np.ones((3, 3)) / 9, 2, "zeros",
                                      window=(0, 0, 10, 10))
    assert ax_in.get_xlim()[0] == pytest.approx(-0.5)     # 2 cells of padding shown on the left
    assert ax_in.get_xlim()[1] == pytest.approx(11.5)


def test_show_padded_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        plot.show_padded(np.ones((3, 3)), 1, "symmetric")


# --- explore_padding -----------------------------------------------------------------------------

def test_numbers_demo_controls(numbers):
    assert numbers.values == {"p": [0, 1, 2], "mode": MODES, "k": [2, 3, 4, 5]}
    assert numbers.defaults == {"p": 1, "mode": "zeros", "k": 3}
    assert numbers.mode == "full" and len(numbers.frame_keys()) == 48 <= DEFAULT_BUDGET


def test_photo_demo_controls(photo):
    assert photo.values == {"p": [0, 2, 4], "mode": MODES, "k": [3, 5, 9]}
    assert photo.defaults == {"p": 2, "mode": "zeros", "k": 5}
    assert photo.mode == "full" and len(photo.frame_keys()) == 36 <= DEFAULT_BUDGET


def _settings(demo):
    """Every allowed value of every control, the others at their defaults."""
    for name, values in demo.values.items():
        for v in values:
            yield {**demo.defaults, name: v}


@pytest.mark.parametrize("which, shape", [("numbers", (5, 5)), ("photo", (64, 64))])
def test_every_value_renders_with_the_right_size_and_code(which, shape, request):
    demo = request.getfixturevalue(which)
    for setting in _settings(demo):
        frame = demo.render(**setting)
        assert isinstance(frame, Frame)
        p, mode, k = setting["p"], setting["mode"], setting["k"]
        out = ck.conv_output_size(shape[1], k, 1, p)
        assert f"= {out}." in frame.text
        assert PADDING_MODE_NOTES[mode] in frame.text
        assert frame.code == ck.torch_code("conv2d", (1, 1) + shape, (1, 1, k, k), padding=p,
                                           padding_mode=mode)
        has_pad = 'F.pad(' in frame.code
        assert has_pad == (mode != "zeros" and p > 0)
        if has_pad:
            assert f'mode="{mode}"' in frame.code
        assert f"y.shape == (1, 1, {out}, {out})" in frame.code


def test_pytorch_code_runs_the_same_computation_in_convkit(numbers):
    """The shape written in the code is what convkit computes for the setting."""
    x = np.arange(1.0, 26.0).reshape(1, 1, 5, 5)
    for mode in MODES:
        y = ck.conv2d(x, np.ones((1, 1, 4, 4)), padding=2, padding_mode=mode)
        assert f"y.shape == {tuple(y.shape)}" in numbers.render(p=2, mode=mode, k=4).code


@pytest.mark.parametrize("which", ["numbers", "photo"])
def test_frames_have_one_size_and_fit_the_page(which, request):
    demo = request.getfixturevalue(which)
    frames = [f for _, f in demo.frames()]
    assert len({f.size for f in frames}) == 1
    assert demo.static_nbytes() < 900_000


@pytest.mark.parametrize("make", [explore_padding, explore_padding_photo])
def test_static_html_is_deterministic(make):
    assert make().static_html() == make().static_html()


def test_bad_inputs():
    with pytest.raises(ValueError, match="x.shape"):
        explore_padding(np.ones((9, 9)))
    with pytest.raises(ValueError, match="image.shape"):
        explore_padding_photo(np.ones((8, 8)))
