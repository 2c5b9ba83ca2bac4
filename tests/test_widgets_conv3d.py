"""The demo and drawing of the chapter *3D convolution* (book/conv3d.ipynb)."""
import numpy as np
import pytest
from matplotlib.colors import Normalize

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_conv3d
from convkit.widgets._conv3d import KERNELS_3D

SLICES = [8, 14, 20, 26, 32, 38, 44, 50, 56]
NAMES = list(KERNELS_3D)


@pytest.fixture(scope="module")
def demo():
    return explore_conv3d()


# --- the demo -----------------------------------------------------------------------------------

def test_works_without_arguments_and_has_the_documented_controls(demo):
    assert demo.values == {"z": SLICES, "kernel": NAMES, "stride": [1, 2]}
    assert demo.defaults == {"z": 26, "kernel": NAMES[0], "stride": 1}
    assert all(z % 2 == 0 for z in SLICES)          # an output slice is centred on each, stride 2


def test_every_combination_is_precomputed(demo):
    assert demo.mode == "full"
    assert len(demo.frames()) == 9 * 3 * 2 <= DEFAULT_BUDGET


@pytest.mark.parametrize("values", [{"z": z} for z in SLICES] + [{"kernel": n} for n in NAMES]
                         + [{"stride": s} for s in (1, 2)], ids=str)
def test_every_value_renders_with_its_code(demo, values):
    frame = demo.render(**values)
    assert isinstance(frame, Frame)
    s = values.get("stride", 1)
    z = values.get("z", 26)
    n = ck.conv_output_size(64, 3, s, 1)
    assert f"output 1 × {n} × {n} × {n}" in frame.text
    assert f"Input slice {z} ↔ output slice {z // s}." in frame.text
    assert frame.code == ck.torch_code("conv3d", (1, 1, 64, 64, 64), (1, 1, 3, 3, 3),
                                       stride=s, padding=1)
    assert frame.code.endswith(f"# y.shape == (1, 1, {n}, {n}, {n})")


def test_every_frame_has_the_same_size(demo):
    assert len({f.size for _, f in demo.frames()}) == 1


def test_static_html_is_deterministic():
    assert explore_conv3d().static_html() == explore_conv3d().static_html()


def test_cache_keeps_draw_pure():
    fresh = plot.fig_to_png(explore_conv3d().render(kernel=NAMES[1], stride=2, z=14).figure)
    used = explore_conv3d()
    for name in NAMES:
        for s in (1, 2):
            used.render(kernel=name, stride=s)
    assert plot.fig_to_png(used.render(kernel=NAMES[1], stride=2, z=14).figure) == fresh


def test_other_volumes_and_slice_counts():
    demo = explore_conv3d(volume=np.zeros((20, 10, 12)), n_slices=4)
    assert all(0 <= z < 20 and z % 2 == 0 for z in demo.values["z"])
    assert len(demo.values["z"]) == 4
    assert isinstance(demo.render(stride=2), Frame)
    with pytest.raises(ValueError, match="volume"):
        explore_conv3d(volume=np.zeros((8, 8)))


# --- the 3D kernels -----------------------------------------------------------------------------

def kernel(name):
    k, div, _ = KERNELS_3D[name]
    return k / div


def test_box_blur_is_the_mean_of_27_voxels():
    k = kernel(NAMES[0])
    assert k.shape == (3, 3, 3) and np.allclose(k, 1 / 27)
    x = np.random.default_rng(0).random((5, 5, 5))
    y = ck.conv3d(x[None], k[None, None])[0]
    assert np.isclose(y[1, 1, 1], x[1:4, 1:4, 1:4].mean())


def test_sobel_z_is_a_derivative_along_depth():
    k = kernel(NAMES[1])
    assert np.array_equal(k, np.einsum("i,j,k->ijk", [-1, 0, 1], [1, 2, 1], [1, 2, 1]))
    d, h, w = np.meshgrid(np.arange(6.0), np.arange(6.0), np.arange(6.0), indexing="ij")
    # slope 1 along depth: [-1, 0, 1] gives 2, the smoothing weights sum to 16
    assert np.allclose(ck.conv3d(d[None], k[None, None]), 32)
    assert np.allclose(ck.conv3d(h[None], k[None, None]), 0)     # blind to height and width
    assert np.allclose(ck.conv3d(w[None], k[None, None]), 0)


def test_laplacian_is_zero_on_linear_volumes_and_six_on_a_point():
    k = kernel(NAMES[2])
    assert k.sum() == 0 and k[1, 1, 1] == -6 and np.count_nonzero(k) == 7
    d, h, w = np.meshgrid(np.arange(5.0), np.arange(5.0), np.arange(5.0), indexing="ij")
    assert np.allclose(ck.conv3d((d + 2 * h - w)[None], k[None, None]), 0)
    assert np.allclose(ck.conv3d((d ** 2)[None], k[None, None]), 2)   # second derivative


# --- the slice viewer ---------------------------------------------------------------------------

def test_volume_slices_shows_the_matching_slices():
    x = np.random.default_rng(1).random((8, 8, 8))
    y = ck.conv3d(x[None], kernel(NAMES[0])[None, None], stride=2, padding=1)[0]
    fig = plot.volume_slices(x, y, 4, stride=2, row=2, kernel=KERNELS_3D[NAMES[0]][0],
                             y_range=(0, 1))
    mosaic = fig.axes[0].images[0].get_array()
    grey = plot._conv3d._rgb
    title = plot._conv3d._TITLE
    assert np.allclose(mosaic[title:title + 8, :8], grey(x[4], "gray", 0, 1))        # input slice
    out = np.repeat(np.repeat(y[2], 2, axis=0), 2, axis=1)                   # at input scale
    r0 = 2 * title + 8 + plot._conv3d._GAP
    assert np.allclose(mosaic[r0:r0 + 8, :8], grey(out, "gray", 0, 1))              # output slice
    labels = [c for c in fig.axes[0].collections if hasattr(c, "texts")]
    shown = [t for c in labels for t in c.texts]
    assert "input, slice z = 4" in shown and "output, slice 2" in shown
    assert "depth 2" in shown and "1" in shown                                        # kernel


def test_volume_slices_signed_output_uses_the_diverging_map():
    x = np.zeros((4, 4, 4))
    y = np.full((4, 4, 4), -1.0)
    fig = plot.volume_slices(x, y, 0, y_range=(-2, 2))
    mosaic = fig.axes[0].images[0].get_array()
    r0 = 2 * plot._conv3d._TITLE + 4 + plot._conv3d._GAP
    expected = plot._conv3d.colormaps[plot.DIVERGING](Normalize(-2, 2)(-1.0))[:3]
    assert np.allclose(mosaic[r0, 0], expected)


def test_volume_slices_rejects_a_slice_between_strides():
    x = np.zeros((8, 8, 8))
    with pytest.raises(ValueError, match="multiple of stride"):
        plot.volume_slices(x, x[::2, ::2, ::2], 3, stride=2)
