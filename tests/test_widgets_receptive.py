"""Demo and drawings of the chapter *Receptive field* (convkit.widgets._receptive,
convkit.plot._receptive)."""
import re

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import DEFAULT_BUDGET, Frame, explore_receptive_field
from convkit.widgets._receptive import RECEPTIVE_STACKS, torch_sequential


@pytest.fixture(scope="module")
def demo():
    return explore_receptive_field()


# --- the demo ----------------------------------------------------------------------------------

def test_controls_and_frames(demo):
    assert demo.values == {"stack": list(RECEPTIVE_STACKS), "depth": [1, 2, 3, 4, 5, 6]}
    assert demo.defaults == {"stack": "3×3 convs", "depth": 3}
    assert demo.mode == "full" and len(demo.frame_keys()) == 36 <= DEFAULT_BUDGET


def _settings(d):
    """Every allowed value of every control, the others at their defaults."""
    for name, values in d.values.items():
        for v in values:
            yield {**d.defaults, name: v}


def test_every_value_renders_with_its_table_and_code(demo):
    for setting in _settings(demo):
        frame = demo.render(**setting)
        assert isinstance(frame, Frame)
        layers = RECEPTIVE_STACKS[setting["stack"]][:setting["depth"]]
        table = ck.receptive_field(layers, n=128)
        for i, f in enumerate(table, 1):
            assert f"{i}: r {f.r}, j {f.j}, start {f.start:g}" in frame.text
        q = table[-1].n // 2
        first, last = ck.receptive_field_empirical(layers, 128, q)
        assert f"sees rows and columns {first}–{last}" in frame.text
        seen = int(ck.receptive_field_empirical(layers, (128, 128), (q, q), result="mask").sum())
        assert f"{seen} of its {table[-1].r}×{table[-1].r}" in frame.text
        assert frame.code == torch_sequential(layers, (1, 1, 128, 128))


def test_every_combination_draws_the_measured_field(demo):
    """The highlighted pixels of the photo are the measured field of the centre unit."""
    image = ck.data.photo(128)
    for stack in demo.values["stack"]:
        for depth in (1, 6):
            fig = demo.render(stack=stack, depth=depth).figure
            shown = fig.images[0].get_array()[::2, ::2]         # drawn 2 x 2 per pixel
            layers = RECEPTIVE_STACKS[stack][:depth]
            q = ck.receptive_field(layers, n=128)[-1].n // 2
            mask = ck.receptive_field_empirical(layers, (128, 128), (q, q), result="mask")
            dimmed = np.isclose(shown[..., 0], 0.4 * image) & np.isclose(shown[..., 2], 0.4 * image)
            assert np.array_equal(~dimmed, mask)


def test_frames_have_one_size_and_fit_the_page(demo):
    frames = [f for _, f in demo.frames()]
    assert len({f.size for f in frames}) == 1
    assert demo.static_nbytes() < 1_500_000


def test_static_html_is_deterministic():
    assert explore_receptive_field().static_html() == explore_receptive_field().static_html()


def test_custom_stacks_and_image():
    d = explore_receptive_field(ck.data.photo(32), {"two 3×3": [("conv", 3, 1, 1, 1)] * 2,
                                                    "one 5×5": [dict(kind="conv", k=5, p=2)]})
    assert d.values == {"stack": ["two 3×3", "one 5×5"], "depth": [1, 2]}
    frame = d.render(stack="one 5×5", depth=2)          # a shorter stack uses all its layers
    assert "1: r 5, j 1, start 0" in frame.text and "2: r" not in frame.text
    assert "sees rows and columns 14–18" in frame.text


@pytest.mark.parametrize("kwargs, words", [
    (dict(image=np.zeros((8, 9))), ["image.shape=(8, 9)", "square"]),
    (dict(stacks={}), ["stacks is empty"]),
    (dict(image=np.zeros((8, 8)), stacks={"big": [("conv", 11)]}), ["layers[0]", "no output"]),
    (dict(stacks={"bad": [("dense", 3)]}), ["kind='dense'"]),
])
def test_bad_arguments(kwargs, words):
    with pytest.raises((ValueError, TypeError)) as info:
        explore_receptive_field(**kwargs)
    for word in words:
        assert word in str(info.value)


# --- torch_sequential --------------------------------------------------------------------------

def test_torch_sequential_text():
    code = torch_sequential([dict(kind="conv", k=3, s=2, p=1), dict(kind="pool", k=2),
                             dict(kind="conv", k=3, d=2, p=2), dict(kind="pool", k=3, s=2, p=1)],
                            (1, 1, 32, 32))
    lines = code.splitlines()
    calls = [line for line in lines if line.startswith("    nn.")]
    assert [c.split("#")[1].strip() for c in calls] == ["r=3, j=2", "r=5, j=4", "r=21, j=4",
                                                      "r=29, j=8"]
    assert len({c.index("#") for c in calls}) == 1            # comments aligned
    assert "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)," in calls[0]
    assert "nn.MaxPool2d(kernel_size=2)," in calls[1]          # stride = kernel: left out
    assert "nn.Conv2d(1, 1, kernel_size=3, padding=2, dilation=2)," in calls[2]
    assert "nn.MaxPool2d(kernel_size=3, stride=2, padding=1)," in calls[3]
    assert lines[-1] == "y = net(torch.randn(1, 1, 32, 32))  # y.shape == (1, 1, 4, 4)"


@pytest.mark.parametrize("stack", list(RECEPTIVE_STACKS))
def test_torch_sequential_shape_is_what_convkit_computes(stack):
    """Run the same stack with convkit's ops; the shape in the code's comment must match."""
    x = np.ones((1, 1, 128, 128))
    for L in ck.receptive_field(RECEPTIVE_STACKS[stack]):
        L = L.layer
        if L.kind == "conv":
            x = ck.conv2d(x, np.ones((1, 1, L.k, L.k)), stride=L.s, padding=L.p, dilation=L.d)
        else:
            x = ck.max_pool2d(x, L.k, L.s, L.p)
    code = torch_sequential(RECEPTIVE_STACKS[stack], (1, 1, 128, 128))
    assert code.endswith(f"# y.shape == {tuple(x.shape)}")
    # every layer's arguments are in its line
    for line, f in zip([ln for ln in code.splitlines() if ln.startswith("    nn.")],
                       ck.receptive_field(RECEPTIVE_STACKS[stack])):
        L = f.layer
        assert f"kernel_size={L.k}" in line
        assert (f"stride={L.s}" in line) == (L.s != (L.k if L.kind == "pool" else 1))
        assert (f"padding={L.p}" in line) == (L.p != 0)
        assert (f"dilation={L.d}" in line) == (L.d != 1)
        assert line.strip().startswith("nn.Conv2d(1, 1," if L.kind == "conv" else "nn.MaxPool2d(")


def test_torch_sequential_1d():
    code = torch_sequential([dict(kind="conv", k=2, d=d) for d in (1, 2, 4)], (1, 1, 64))
    assert "nn.Conv1d(1, 1, kernel_size=2, dilation=4)," in code
    assert code.endswith("# y.shape == (1, 1, 57)")
    with pytest.raises(ValueError, match="x_shape"):
        torch_sequential([("conv", 3)], (1, 1, 4, 4, 4))


# --- drawings ----------------------------------------------------------------------------------

def test_show_field_tints_the_mask_and_dims_the_rest():
    image = np.linspace(0, 1, 36).reshape(6, 6)
    mask = np.zeros((6, 6), bool)
    mask[1:4, 2:5] = True
    ax = plot.show_field(image, mask, bounds=((1, 3), (2, 4)), centre=(2, 3), title="t")
    shown = ax.images[0].get_array()
    np.testing.assert_allclose(shown[~mask], np.repeat(0.4 * image[~mask][:, None], 3, 1))
    assert not np.allclose(shown[mask], np.repeat(0.4 * image[mask][:, None], 3, 1))
    assert len(ax.patches) == 2                       # halo + dashed outline
    assert plot.fig_to_png(ax.figure)[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="mask.shape"):
        plot.show_field(image, mask[:5])


def test_show_field_layers_marks_the_units_that_feed_the_output():
    layers = [dict(kind="conv", k=3, p=1), dict(kind="pool", k=2), dict(kind="conv", k=3, d=2, p=2)]
    ax = plot.show_field_layers(layers, 16, 4, title="units")
    hits = ax.collections[2]            # orange ticks (after the spans and the grey dots)
    grads = ck._receptive.layer_gradients(layers, 16, 4)
    assert len(hits.get_offsets()) == sum(int((g != 0).sum()) for g in grads)
    texts = [t for c in ax.collections if hasattr(c, "texts") for t in c.texts]
    assert texts[:4] == ["input", "1: conv 3×3", "2: pool 2×2", "3: conv 3×3 d2"]
    assert "units" in texts and "input position (pixels)" in texts
    # unit centres: layer 2 (pool, jump 2) sits at 0.5, 2.5, ...
    table = ck.receptive_field(layers, n=16)
    xs = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections[1:3]])
    ys = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections[1:3]])
    assert sorted(xs[ys == 2]) == [table[1].start + 2 * i for i in range(8)]


def test_show_field_pixels_is_pixel_exact():
    image = np.linspace(0, 1, 36).reshape(6, 6)
    mask = np.zeros((6, 6), bool)
    mask[1:4, 2:5] = True
    fig = plot.new_figure((1.0, 1.0), layout=None)            # 72 x 72 pixels
    plot.show_field_pixels(fig, image, mask, (10, 20), 3, bounds=((1, 3), (2, 4)), centre=(2, 3))
    big = fig.images[0].get_array()
    assert big.shape == (18, 18, 3)
    np.testing.assert_array_equal(big[::3, ::3], plot.field_rgb(image, mask))
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    # image row 0 is at the top: screen rows 72 - (20 + 18) .. 72 - 20, columns 10 .. 28
    top, left = 72 - 38, 10
    expected = np.round(plot.field_rgb(image, mask)[5, 0] * 255)   # bottom-left pixel
    np.testing.assert_allclose(rgb[top + 15 + 1, left + 1], expected, atol=1)
    kinds = sorted(type(a).__name__ for a in fig.artists)
    assert kinds == ["Line2D", "Rectangle", "Rectangle"]      # centre cross, halo, dashed outline
    rect = [a for a in fig.artists if type(a).__name__ == "Rectangle"][0]
    assert rect.get_clip_box().extents.tolist() == [10, 20, 28, 38]      # clipped to the image


def test_field_rgb_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="mask.shape"):
        plot.field_rgb(np.zeros((4, 4)), np.zeros((4, 5), bool))


@pytest.mark.parametrize("layer, text", [
    (dict(kind="conv", k=3), "conv 3×3"), (("conv", 3, 2), "conv 3×3 s2"),
    (dict(kind="conv", k=3, d=4, p=4), "conv 3×3 d4"), (("pool", 2), "pool 2×2"),
    (("pool", 3, 2, 1, 1), "pool 3×3 s2"), (("pool", 3, 3, 2), "pool 3×3 d2"),
])
def test_layer_label(layer, text):
    assert plot.layer_label(layer) == text


def test_nice_ticks_have_no_negative_zero():
    from convkit.plot._receptive import _nice_ticks
    ticks = _nice_ticks(-0.5, 127.5)
    assert ticks == [0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]
    assert all(not re.match("-0", f"{t:g}") for t in ticks)
