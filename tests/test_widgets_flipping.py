"""Demo of the chapter *Flipping* (convkit.widgets._flipping)."""
import itertools

import numpy as np
import pytest

import convkit as ck
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_flip
from convkit.widgets._flipping import FLIP_KERNELS, flip_square


@pytest.fixture(scope="module")
def flip():
    return explore_flip()


def test_flip_controls(flip):
    assert flip.values == {"flip": [False, True], "kernel": list(FLIP_KERNELS),
                           "picture": ["square", "photo"]}
    assert flip.defaults["flip"] is True
    assert flip.mode == "full" and len(flip.frames()) == 12 <= DEFAULT_BUDGET


def test_flip_renders_every_setting(flip):
    for f, kernel, picture in itertools.product(*flip.values.values()):
        frame = flip.render(flip=f, kernel=kernel, picture=picture)
        assert isinstance(frame, Frame)
        assert frame.text.startswith("Convolution" if f else "Cross-correlation")
        if f:
            assert "ck.convolve(image, K" in frame.code
        else:
            assert "ck.conv2d(image[None], K[None, None], padding='same')" in frame.code


def test_flip_texts_say_what_changes(flip):
    assert "after the spike" in flip.render(flip=True, kernel="echo (one-sided)").text
    assert "before the spike" in flip.render(flip=False, kernel="echo (one-sided)").text
    assert "same result" in flip.render(kernel="blur (symmetric)").text


def test_flip_frames_are_one_size_and_light(flip):
    frames = [f for _, f in flip.frames()]
    assert len({f.size for f in frames}) == 1
    assert flip.static_nbytes() < 800_000


def test_flip_static_html_is_deterministic():
    assert explore_flip().static_html() == explore_flip().static_html()


def test_flip_with_your_own_image():
    demo = explore_flip(image=ck.data.mri(32))
    assert demo.values["picture"] == ["yours"]
    assert isinstance(demo.render(kernel="derivative (Sobel x)"), Frame)
    with pytest.raises(ValueError):
        explore_flip(image=np.zeros((4, 4, 3)))


# --- the facts the demo shows ------------------------------------------------------------------

@pytest.mark.parametrize("name", list(FLIP_KERNELS))
def test_convolution_is_correlation_with_the_reversed_kernel(name):
    k1, k2 = FLIP_KERNELS[name]
    x = np.arange(10.0) ** 2 % 7
    img = ck.data.photo(24)
    np.testing.assert_allclose(ck.convolve(x, k1, "same"), ck.correlate(x, k1[::-1], "same"))
    np.testing.assert_allclose(ck.convolve(img, k2, "same"),
                               ck.correlate(img, k2[::-1, ::-1], "same"), atol=1e-12)
    # conv2d (deep learning's "convolution") is correlation
    np.testing.assert_allclose(ck.conv2d(img[None], k2[None, None], padding="same")[0],
                               ck.correlate(img, k2, "same"), atol=1e-12)


def test_what_each_kernel_does_under_the_flip():
    spike = ck.data.impulse(14, at=5)
    k1, _ = FLIP_KERNELS["echo (one-sided)"]
    assert np.flatnonzero(ck.convolve(spike, k1, "same")).tolist() == [5, 8]     # echo after
    assert np.flatnonzero(ck.correlate(spike, k1, "same")).tolist() == [2, 5]    # echo before
    d1, d2 = FLIP_KERNELS["derivative (Sobel x)"]
    step = ck.data.step_signal(8, at=4)
    assert ck.convolve(step, d1, "same")[3] < 0 < ck.correlate(step, d1, "same")[3]
    np.testing.assert_allclose(ck.convolve(flip_square(), d2, "same"),
                               -ck.correlate(flip_square(), d2, "same"))
    b1, b2 = FLIP_KERNELS["blur (symmetric)"]
    np.testing.assert_allclose(ck.convolve(step, b1, "same"), ck.correlate(step, b1, "same"))


def test_flip_square():
    img = flip_square(32)
    assert img.shape == (32, 32) and set(np.unique(img)) == {0.0, 1.0}
    assert img.sum() == 12 * 12
