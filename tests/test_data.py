"""Sample data: shapes, ranges, determinism, and that importing it stays NumPy-only."""
import subprocess
import sys

import numpy as np
import pytest

from convkit import data


def test_photo_shapes_and_range():
    grey = data.photo()
    assert grey.shape == (600, 512) and grey.dtype == np.float64
    rgb = data.photo(grey=False)
    assert rgb.shape == (600, 512, 3)
    for image in (grey, rgb, data.photo(64), data.photo((30, 40), grey=False)):
        assert image.min() >= 0 and image.max() <= 1
    assert data.photo(64).shape == (64, 64)
    assert data.photo((30, 40), grey=False).shape == (30, 40, 3)
    assert np.allclose(grey, rgb @ [0.299, 0.587, 0.114])
    assert grey.std() > 0.1                                  # a real picture, not a constant


def test_photo_downsampling_averages_areas():
    # the int form crops the central 512 x 512 square; halving it averages 2 x 2 blocks
    full = data.photo()[44:556]
    half = data.photo(256)
    blocks = full.reshape(256, 2, 256, 2).mean(axis=(1, 3))
    assert np.allclose(half, blocks, atol=1e-6)


def test_mri():
    image = data.mri()
    assert image.shape == (256, 256) and image.min() == 0 and image.max() == 1
    assert data.mri(64).shape == (64, 64)
    # a head in the middle of a dark background
    assert image[:8, :8].max() == 0 and image[96:160, 96:160].mean() > 0.2


def test_signals():
    eeg = data.signal("eeg")
    assert eeg.shape == (800,) and eeg.dtype == np.float64
    channels = np.stack([data.signal("eeg", c) for c in range(len(data.EEG_CHANNELS))])
    assert channels.shape == (4, 800) and np.all(np.abs(channels) < 10)
    assert not np.allclose(channels[0], channels[1])
    membrane = data.signal("membrane")
    assert membrane.shape == (12000,)
    assert -0.7 < membrane.min() < -0.6 and 0 < membrane.max() < 0.05   # x100 = mV
    assert data.SAMPLE_RATES == {"eeg": 80.0, "membrane": 2000.0}


def test_phantom3d():
    v = data.phantom3d(32)
    assert v.shape == (32, 32, 32) and v.dtype == np.float64
    assert v.min() == 0 and v.max() == 1
    # indexed [z, y, x] with row 0 at the top: air in the corner, brain (1 - 0.8) at the
    # centre, skull (1) just below the top of the middle slice
    assert v[0, 0, 0] == 0
    assert np.isclose(v[16, 16, 16], 0.2)
    assert v[16, 1, 16] == 1
    assert set(np.round(np.unique(v), 6)) <= {0.0, 0.1, 0.2, 0.3, 0.4, 1.0}


def test_video_pans_right():
    v = data.video(frames=5, size=32, step=3)
    assert v.shape == (5, 32, 32) and v.min() >= 0 and v.max() <= 1
    # frame t + 1 is frame t moved 3 pixels to the left
    assert np.array_equal(v[1][:, :-3], v[0][:, 3:])
    assert np.array_equal(data.video(frames=3, step=0)[2], data.video(frames=3, step=0)[0])


def test_results_are_deterministic_copies():
    a = data.photo(32)
    a[:] = 0
    assert np.array_equal(data.photo(32), data.photo(32)) and data.photo(32).max() > 0
    m = data.signal("membrane")
    m[:] = 0
    assert data.signal("membrane").min() < 0
    assert np.array_equal(data.phantom3d(16), data.phantom3d(16))
    assert np.array_equal(data.video(), data.video())


def test_impulse_and_step():
    assert np.array_equal(data.impulse(5, 2), [0, 0, 1, 0, 0])
    assert np.array_equal(data.step_signal(5, 2), [0, 0, 1, 1, 1])


@pytest.mark.parametrize("call, exc, words", [
    (lambda: data.photo(0), ValueError, "size=0"),
    (lambda: data.photo((1, 2, 3)), ValueError, "size"),
    (lambda: data.photo(2.5), TypeError, "size=2.5"),
    (lambda: data.mri(-1), ValueError, "size=-1"),
    (lambda: data.signal("ecg"), ValueError, "name='ecg'"),
    (lambda: data.signal("eeg", 4), ValueError, "channel=4"),
    (lambda: data.signal("membrane", 1), ValueError, "channel=1"),
    (lambda: data.phantom3d(0), ValueError, "size=0"),
    (lambda: data.video(frames=100), ValueError, "frames=100"),
    (lambda: data.video(step=-1), ValueError, "step=-1"),
    (lambda: data.impulse(3, 3), ValueError, "at=3"),
])
def test_argument_errors_name_the_parameter(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_import_is_numpy_only_and_never_imports_pyplot():
    code = (
        "import sys, convkit.data as d\n"
        "assert 'matplotlib' not in sys.modules, 'import convkit.data imported matplotlib'\n"
        "d.photo(16); d.mri(16); d.signal(); d.video(frames=2, size=8)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'convkit.data imported pyplot'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
