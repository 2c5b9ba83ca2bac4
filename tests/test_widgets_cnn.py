"""Demo and drawings of the chapter *A small CNN, by hand*: explore_cnn and the tiny network."""
import itertools

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import Frame, explore_cnn
from convkit.widgets._cnn import (
    CONV1_NAMES, CONV2_NAMES, INPUT_NAMES, SCORE_NAMES, STAGES, cnn_inputs, tiny_cnn,
    tiny_cnn_forward, tiny_cnn_torch_code,
)


@pytest.fixture(scope="module")
def demo():
    return explore_cnn()


@pytest.fixture(scope="module")
def inputs():
    return cnn_inputs()


# --- the network ------------------------------------------------------------------------------

def test_inputs(inputs):
    assert tuple(inputs) == INPUT_NAMES
    for img in inputs.values():
        assert img.shape == (64, 64) and img.min() >= 0 and img.max() <= 1
    stripes, dots = inputs["stripes"], inputs["dots"]
    assert np.array_equal(stripes[0, :9], [0, 0, 0, 0, 1, 1, 1, 1, 0])
    assert (stripes == stripes[0]).all()                             # vertical stripes
    assert dots.max() == 1 and dots[4, 4] == 1 and dots[12, 20] == 1  # a spot every 8 pixels
    np.testing.assert_array_equal(inputs["photo"], ck.data.photo(size=64))


def test_weights_come_from_the_book_kernels():
    net = tiny_cnn()
    sx, sy = ck.kernels.sobel_x(), ck.kernels.sobel_y()
    for c, k in enumerate([sx, -sx, sy, -sy, -ck.kernels.laplacian(4)]):
        np.testing.assert_array_equal(net["w1"][c, 0], k)
    assert net["w1"].shape == (5, 1, 3, 3) and net["b1"].tolist() == [0, 0, 0, 0, -1]
    assert net["w2"].shape == (3, 5, 3, 3) and net["b2"].tolist() == [-0.5, -0.5, 0]
    assert (net["w2"] >= 0).all() and np.count_nonzero(net["w2"]) == 3 + 3 + 3 + 3 + 9
    assert net["w3"].shape == (3, 3) and len(CONV1_NAMES) == 5 and len(CONV2_NAMES) == 3
    assert len(SCORE_NAMES) == 3


def test_forward_matches_the_ops_step_by_step(inputs):
    net = tiny_cnn()
    x = np.stack(list(inputs.values()))[:, None]
    out = tiny_cnn_forward(x)
    assert tuple(out) == STAGES
    assert {k: v.shape for k, v in out.items()} == {
        "input": (4, 1, 64, 64), "conv1": (4, 5, 62, 62), "relu1": (4, 5, 62, 62),
        "pool1": (4, 5, 31, 31), "conv2": (4, 3, 29, 29), "relu2": (4, 3, 29, 29),
        "gap": (4, 3), "linear": (4, 3)}
    h1 = ck.reference.conv(x, net["w1"], net["b1"])
    np.testing.assert_allclose(out["conv1"], h1, atol=1e-12)
    np.testing.assert_array_equal(out["relu1"], np.maximum(out["conv1"], 0))
    np.testing.assert_array_equal(out["pool1"], ck.reference.max_pool(out["relu1"], 2))
    np.testing.assert_allclose(out["conv2"], ck.reference.conv(out["pool1"], net["w2"], net["b2"]),
                               atol=1e-12)
    np.testing.assert_allclose(out["gap"], out["relu2"].mean(axis=(2, 3)), atol=1e-12)
    np.testing.assert_allclose(out["linear"], out["gap"] @ net["w3"].T + net["b3"], atol=1e-12)
    # unbatched input gives the first image's intermediates
    single = tiny_cnn_forward(x[0])
    for k in STAGES:
        np.testing.assert_allclose(single[k], out[k][0], atol=1e-12)


def test_relu_of_both_signs_is_the_magnitude(inputs):
    out = tiny_cnn_forward(inputs["photo"][None, None])
    np.testing.assert_allclose(out["relu1"][0, 0] + out["relu1"][0, 1], np.abs(out["conv1"][0, 0]))
    np.testing.assert_allclose(out["relu1"][0, 2] + out["relu1"][0, 3], np.abs(out["conv1"][0, 2]))


def test_scores_say_what_the_images_are(inputs):
    scores = {n: tiny_cnn_forward(img[None, None])["linear"][0] for n, img in inputs.items()}
    # stripes: strongly vertical, no horizontal edges, no spots
    g = tiny_cnn_forward(inputs["stripes"][None, None])["gap"][0]
    assert g[0] > 1 and g[1] == 0 and g[2] == 0
    assert scores["stripes"][1] == max(s[1] for s in scores.values())
    # transposed stripes: the orientation score changes sign, the others stay
    flipped = tiny_cnn_forward(inputs["stripes"].T[None, None])["linear"][0]
    np.testing.assert_allclose(flipped, scores["stripes"] * [1, -1, 1], atol=1e-12)
    # dots: the most spots, and as many vertical as horizontal edges
    assert scores["dots"][2] == max(s[2] for s in scores.values())
    assert abs(scores["dots"][1]) < 1e-12


def test_torch_code_lists_every_layer_with_its_shape(inputs):
    out = tiny_cnn_forward(inputs["photo"][None, None])
    shapes = {k: v.shape[1:] for k, v in out.items()}
    code = tiny_cnn_torch_code(shapes)
    assert "nn.Conv2d(1, 5, kernel_size=3),  # (5, 62, 62)" in code
    assert "nn.MaxPool2d(2),                 # (5, 31, 31)" in code
    assert "nn.Conv2d(5, 3, kernel_size=3),  # (3, 29, 29)" in code
    assert "global pool: (3, 1, 1)" in code and "nn.Linear(3, 3)" in code
    assert "<-- shown" not in code
    compile(code, "<torch code>", "exec")                           # valid Python
    for stage in ("conv1", "pool1", "conv2"):
        marked = [line for line in tiny_cnn_torch_code(shapes, mark=stage).splitlines()
                  if "<-- shown" in line]
        assert len(marked) == 1 and shapes[stage] and str(shapes[stage][1]) in marked[0]
    assert len([line for line in tiny_cnn_torch_code(shapes, mark="gap").splitlines()
                if "<-- shown" in line]) == 3                        # pool, flatten, linear


# --- drawings ---------------------------------------------------------------------------------

def test_feature_maps_size_does_not_depend_on_channels():
    a = plot.feature_maps(np.zeros((1, 62, 62)), ncols=5, label="x")
    b = plot.feature_maps(np.ones((5, 31, 31)), ncols=5, label="y")
    assert tuple(a.get_size_inches()) == tuple(b.get_size_inches())
    with pytest.raises(ValueError, match="ncols"):
        plot.feature_maps(np.zeros((3, 4, 4)), ncols=2)
    with pytest.raises(ValueError, match="titles"):
        plot.feature_maps(np.zeros((3, 4, 4)), titles=["a"])


def test_feature_maps_colours_are_on_the_given_scale():
    maps = np.array([[[-2.0, 0.0], [2.0, 1.0]]])
    fig = plot.feature_maps(maps, signed=True, vmax=2.0, panel_size=1.0)
    canvas = fig.axes[0].images[0].get_array()
    from matplotlib import colormaps
    cm = colormaps[plot.DIVERGING]
    colours = {tuple(np.round(canvas[r, c], 6)) for r in range(canvas.shape[0])
               for c in range(canvas.shape[1])}
    for v in (-2.0, 0.0, 2.0, 1.0):
        assert tuple(np.round(cm((v + 2) / 4)[:3], 6)) in colours


def test_cnn_scores_and_fixed_limits():
    fig = plot.cnn_scores([1, 0, 0.5], [1.5, -0.5, 0.5], feature_names=CONV2_NAMES,
                          score_names=SCORE_NAMES, feature_lim=(0, 2), score_lim=(-1, 2))
    left, right = fig.axes
    assert left.get_xlim() == (0, 2) and right.get_xlim() == (-1, 2)
    texts = [t.get_text() for t in right.texts]
    assert "-0.50" in texts and "1.50" in texts and "0.50" in texts


# --- explore_cnn ------------------------------------------------------------------------------

def test_controls(demo):
    assert demo.values == {"image": list(INPUT_NAMES), "layer": list(range(7))}
    assert demo.defaults == {"image": "photo", "layer": 0}
    assert demo.mode == "full" and len(demo.frame_keys()) == 28


def test_renders_every_setting_with_text_and_code(demo, inputs):
    sizes = set()
    for image, layer in itertools.product(*demo.values.values()):
        frame = demo.render(image=image, layer=layer)
        assert isinstance(frame, Frame) and frame.text and frame.code
        assert "nn.Sequential(" in frame.code and "<-- shown" in frame.code
        sizes.add(tuple(frame.figure.get_size_inches()))
    assert len(sizes) == 1                                           # one frame size


def test_frame_text_matches_the_layer(demo, inputs):
    net = tiny_cnn()
    c1 = ck.conv_cost((1, 64, 64), net["w1"].shape)
    c2 = ck.conv_cost((5, 31, 31), net["w2"].shape)
    text = demo.render(layer=1).text
    assert f"{c1.macs:,} MACs" in text and "(5, 62, 62)" in text
    assert f"{c2.params} parameters" in demo.render(layer=4).text
    assert "(5, 31, 31)" in demo.render(layer=3).text
    for name, img in inputs.items():
        text = demo.render(image=name, layer=6).text
        y = tiny_cnn_forward(img[None, None])["linear"][0]
        assert f"spots {y[2]:.2f}" in text and "12 parameters, 9 MACs" in text
    marked = [line for line in demo.render(layer=4).code.splitlines() if "<-- shown" in line]
    assert len(marked) == 1 and "nn.Conv2d(5, 3" in marked[0]


def test_frames_fit_the_budget(demo):
    sizes = [len(f.png) for _, f in demo.frames()]
    assert max(sizes) < 40_000 and sum(sizes) < 600_000
    assert demo.static_nbytes() < 1_000_000


def test_static_html_is_deterministic():
    assert explore_cnn().static_html() == explore_cnn().static_html()
