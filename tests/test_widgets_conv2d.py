"""Demos and drawings of the chapter "2D convolution and image kernels" (book/conv2d.ipynb).

explore_conv2d_steps, explore_kernels, explore_canny (convkit.widgets._conv2d) and the
drawing functions of convkit.plot._conv2d. Properties are checked against convkit's
operations and hand-worked numbers, not against snapshots.
"""
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

import convkit as ck
from convkit import edges, kernels, plot
from convkit.widgets import DEFAULT_BUDGET, Frame, KernelText, Step
from convkit.widgets._conv2d import (
    NOTE_INPUT, explore_canny, explore_conv2d_steps, explore_kernels, filter_image,
    step_arithmetic,
)

SHARPEN = kernels.sharpen()


def image_of(ax):
    """The AxesImage drawn into `ax`."""
    (im,) = ax.get_images()
    return im


# --- explore_conv2d_steps ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def steps_demo():
    return explore_conv2d_steps()


def test_steps_controls_and_budget(steps_demo):
    assert steps_demo.values == {"padding": ["valid", "same"], "step": list(range(16))}
    assert steps_demo.defaults == {"padding": "valid", "step": 0}
    assert isinstance(steps_demo.controls[1], Step) and steps_demo.controls[1].play
    assert steps_demo.mode == "full" and len(steps_demo.frame_keys()) == 32 <= DEFAULT_BUDGET


def test_steps_note_example_is_right_for_valid_padding():
    y = ck.conv2d(NOTE_INPUT[None], SHARPEN[None, None])[0]
    assert np.array_equal(y, [[10, 20], [40, 50]])


@pytest.mark.parametrize("padding, p", [("valid", 0), ("same", 1)])
def test_steps_every_frame_shows_the_right_sum_and_code(steps_demo, padding, p):
    y = ck.conv2d(NOTE_INPUT[None], SHARPEN[None, None], padding=p)[0]
    code = ck.torch_code("conv2d", (1, 1, 4, 4), (1, 1, 3, 3), padding=p)
    for step in steps_demo.values["step"]:
        frame = steps_demo.render(padding=padding, step=step)
        assert isinstance(frame, Frame) and isinstance(frame.figure, Figure)
        assert frame.code == code
        assert f"y.shape == (1, 1, {y.shape[0]}, {y.shape[1]})" in frame.code
        if step < y.size:
            r, c = divmod(step, y.shape[1])
            assert frame.text.startswith(f"y[{r}, {c}] = ")
            value = frame.text.split(" = ")[-1].split()[0].replace("\u2212", "-")
            assert float(value) == y[r, c]
        else:               # valid: past the last of its positions, the output is done
            assert padding == "valid" and frame.text.startswith("Done")


def test_steps_worked_numbers_of_the_note(steps_demo):
    text = steps_demo.render(padding="valid", step=0).text
    m, dot = "\u2212", "\u00b7"
    assert text == (f"y[0, 0] = ({m}1){dot}20 + ({m}1){dot}10 + 5{dot}20 + ({m}1){dot}30 + "
                    f"({m}1){dot}30 = 10  (4 terms with weight 0 left out)")
    # zero padding: the top-right corner is 5*40 - 30 - 40 = 130
    assert steps_demo.render(padding="same", step=3).text.endswith("= 130  (4 terms with weight "
                                                                  "0 left out)")


def test_steps_frames_have_one_size(steps_demo):
    sizes = {f.size for _, f in steps_demo.frames()}
    assert len(sizes) == 1


def test_steps_static_html_is_deterministic(steps_demo):
    assert explore_conv2d_steps().static_html() == steps_demo.static_html()


def test_steps_custom_input_and_kernel():
    demo = explore_conv2d_steps(np.arange(9.0).reshape(3, 3), np.ones((3, 3)))
    assert demo.values["step"] == list(range(9))
    frame = demo.render(padding="valid", step=0)
    assert frame.text.endswith("= 36")          # 0 + 1 + ... + 8, no zero weights
    assert demo.render(padding="valid", step=1).text.startswith("Done")


@pytest.mark.parametrize("x, k, match", [
    (np.zeros((4, 4)), np.ones((2, 2)), "odd"),
    (np.zeros((7, 7)), np.ones((3, 3)), "larger than"),
    (np.zeros((2, 2)), np.ones((3, 3)), "smaller than"),
    (np.zeros((4, 4)), np.ones((3, 5)), "square"),
])
def test_steps_bad_arguments_are_explained(x, k, match):
    with pytest.raises(ValueError, match=match):
        explore_conv2d_steps(x, k)


def test_step_arithmetic_matches_conv2d():
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = rng.integers(-5, 6, size=(4, 5)).astype(float)
        k = rng.integers(-2, 3, size=(3, 3)).astype(float)
        for p in (0, 1):
            y = ck.conv2d(x[None], k[None, None], padding=p)[0]
            for pos in range(y.size):
                text, value = step_arithmetic(x, k, pos, p)
                assert value == y.flat[pos]
                n_terms = int(np.count_nonzero(k))
                assert text.count("\u00b7") == n_terms


# --- explore_kernels ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kernels_demo():
    return explore_kernels()


def test_kernels_presets_are_the_gallery(kernels_demo):
    (control,) = kernels_demo.controls
    assert isinstance(control, KernelText) and control.name == "k"
    assert control.labels == list(kernels.GALLERY)
    for value, make in zip(kernels_demo.values["k"], kernels.GALLERY.values()):
        assert np.array_equal(value, make())
    assert kernels_demo.mode == "full" and len(kernels_demo.frame_keys()) == 10


def test_kernels_every_preset_renders_with_its_sum_and_code(kernels_demo):
    for name, k in zip(kernels.GALLERY, kernels_demo.values["k"]):
        frame = kernels_demo.render(k=k)
        assert isinstance(frame, Frame)
        if abs(k.sum()) < 1e-12:
            assert frame.text.startswith("Weights sum to 0"), name
        else:
            assert frame.text.startswith("Weights sum to 1"), name
        pad = k.shape[0] // 2
        assert f"weight = torch.randn(1, 1, {k.shape[0]}, {k.shape[1]})" in frame.code
        assert f'F.pad(x, ({pad}, {pad}, {pad}, {pad}), mode="reflect")' in frame.code
        assert "y.shape == (1, 1, 112, 112)" in frame.code


def test_kernels_detectors_are_drawn_diverging_and_images_grey(kernels_demo):
    sobel = kernels_demo.render(k=kernels.sobel_x()).figure
    blur = kernels_demo.render(k=kernels.box()).figure
    out_sobel, out_blur = sobel.axes[2], blur.axes[2]
    assert image_of(out_sobel).get_cmap().name.startswith(plot.DIVERGING)
    lo, hi = image_of(out_sobel).get_clim()
    assert lo == -hi > -np.inf
    assert image_of(out_blur).get_cmap().name.startswith(plot.GREY)
    assert image_of(out_blur).get_clim() == (0.0, 1.0)


def test_kernels_accept_a_typed_kernel_of_any_size(kernels_demo):
    k = kernels.parse_kernel("1 2 1; 2 4 2; 1 2 1")
    frame = kernels_demo.render(k=k)
    assert frame.text.startswith("Weights sum to 16: flat areas are multiplied by 16")
    frame = kernels_demo.render(k=np.ones((9, 9)) / 81)
    assert "9, 9)" in frame.code and frame.figure.axes[1].get_title() == "kernel 9\u00d79"


def test_kernels_live_widget_rejects_bad_text_and_keeps_the_last_kernel():
    demo = explore_kernels(ck.data.photo(32))
    w = demo.widget()
    before = w.image.value
    w.set(k="1 2 1; 2 four 2; 1 2 1")
    assert "four" in w.message.value and "not a number" in w.message.value
    assert w.image.value == before
    w.set(k="0 0 0; 0 2 0; 0 0 0")
    assert w.message.value == "" and w.image.value != before


def test_kernels_static_html_is_deterministic(kernels_demo):
    assert explore_kernels().static_html() == kernels_demo.static_html()


def test_kernels_rejects_colour_images():
    with pytest.raises(ValueError, match="grey"):
        explore_kernels(np.zeros((8, 8, 3)))


def test_filter_image_is_same_size_correlation():
    rng = np.random.default_rng(1)
    x, k = rng.random((9, 11)), rng.standard_normal((3, 5))
    assert np.allclose(filter_image(x, k, "zeros"), ck.correlate(x, k, "same"))
    padded = np.pad(x, ((1, 1), (2, 2)), mode="reflect")
    assert np.allclose(filter_image(x, k), ck.correlate(padded, k, "valid"))


# --- explore_canny -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def canny_demo():
    return explore_canny()


def test_canny_controls_and_budget(canny_demo):
    assert canny_demo.values == {"sigma": [1.0, 1.4, 2.0, 3.0], "high": [0.15, 0.25, 0.35],
                                 "ratio": [0.3, 0.6]}
    assert canny_demo.defaults == {"sigma": 1.4, "high": 0.25, "ratio": 0.3}
    assert canny_demo.mode == "full" and len(canny_demo.frame_keys()) == 24 <= DEFAULT_BUDGET


def test_canny_every_value_renders_with_the_counts_of_canny(canny_demo):
    image = ck.data.photo(96)
    d = canny_demo.defaults
    settings = [dict(d, **{name: v}) for name, values in canny_demo.values.items()
                for v in values]
    for s in settings:
        frame = canny_demo.render(**s)
        low = s["ratio"] * s["high"]
        st = edges.canny(image, sigma=s["sigma"], low=low, high=s["high"])
        numbers = [int(n) for n in re.findall(r"\d+", frame.text)]
        assert numbers == [st.strong.sum(), st.weak.sum(), (st.edges & st.weak).sum(),
                           st.edges.sum()]
        assert frame.code == (f"steps = ck.edges.canny(image, sigma={s['sigma']}, "
                              f"low={plot.format_number(low, 4)}, high={s['high']})")


def test_canny_frames_have_one_size_and_html_is_deterministic(canny_demo):
    assert len({f.size for _, f in canny_demo.frames()}) == 1
    assert explore_canny().static_html() == canny_demo.static_html()


# --- drawings (convkit.plot._conv2d) -----------------------------------------------------------

def test_conv2d_step_fills_the_output_up_to_the_position():
    for p, n in ((0, 4), (1, 16)):
        for pos in (0, n - 1):
            fig = plot.conv2d_step(NOTE_INPUT, SHARPEN, pos, padding=p)
            out = image_of(fig.axes[3]).get_array()
            assert out.shape == ((2, 2) if p == 0 else (4, 4))
            assert int(np.ma.count(out)) == pos + 1     # later cells are blank
    done = plot.conv2d_step(NOTE_INPUT, SHARPEN, None)
    assert np.ma.count(image_of(done.axes[2]).get_array()) == 0
    assert np.array_equal(image_of(done.axes[3]).get_array(), [[10, 20], [40, 50]])


def test_conv2d_step_products_are_window_times_kernel():
    fig = plot.conv2d_step(NOTE_INPUT, SHARPEN, 3, padding=0)
    r, c = divmod(3, 2)
    assert np.array_equal(image_of(fig.axes[2]).get_array(),
                          NOTE_INPUT[r:r + 3, c:c + 3] * SHARPEN)


def test_signed_limit_is_a_percentile_of_the_magnitude_and_never_zero():
    y = np.concatenate([np.linspace(-1, 1, 1001), [50.0]])
    assert plot.signed_limit(y, 100) == 50.0
    assert plot.signed_limit(y, 99) == pytest.approx(np.percentile(np.abs(y), 99))
    assert plot.signed_limit(np.zeros(5)) == 1.0
    sparse = np.zeros(1000)
    sparse[0] = -3.0
    assert plot.signed_limit(sparse) == 3.0     # the percentile is 0: fall back to the max


def test_show_filtered_chooses_by_the_kernel_sum():
    y = np.linspace(-0.5, 1.5, 16).reshape(4, 4)
    ax = plot.show_filtered(y, kernel_sum=0.0)
    lo, hi = image_of(ax).get_clim()
    assert lo == -hi and image_of(ax).get_cmap().name.startswith(plot.DIVERGING)
    ax = plot.show_filtered(y, kernel_sum=1.0)
    assert image_of(ax).get_clim() == (0.0, 1.0)
    assert image_of(ax).get_array().min() == 0.0 and image_of(ax).get_array().max() == 1.0


def test_kernel_gallery_pairs_kernels_and_results():
    x = ck.data.photo(16)
    ks = {"box": kernels.box(), "Sobel x": kernels.sobel_x()}
    fig = plot.kernel_gallery(ks, {n: filter_image(x, k) for n, k in ks.items()})
    assert [ax.get_title() for ax in fig.axes] == ["box", "", "Sobel x", ""]
    with pytest.raises(ValueError, match="no image"):
        plot.kernel_gallery(ks, {"box": x})


def test_image_grid_places_panels_and_checks_shapes():
    a, b = np.zeros((4, 6, 3)), np.ones((4, 6, 3))
    fig = plot.image_grid({"a": a, "b": b}, zoom=2, gap=1, title_px=4)
    canvas = image_of(fig.axes[0]).get_array()
    assert canvas.shape == (2 + 4 + 1, 1 + 2 * (6 + 1), 3)
    assert np.all(canvas[2:6, 1:7] == 0) and np.all(canvas[2:6, 8:14] == 1)
    assert [t.get_text() for t in fig.axes[0].texts] == ["a", "b"]
    with pytest.raises(ValueError, match="shape"):
        plot.image_grid({"a": a, "b": np.zeros((5, 6, 3))})


def test_show_thresholds_colours():
    strong = np.array([[True, False, False]])
    weak = np.array([[False, True, False]])
    rgb = image_of(plot.show_thresholds(strong, weak)).get_array()
    assert np.allclose(rgb[0, 0], 0) and np.allclose(rgb[0, 2], 1)
    assert np.allclose(rgb[0, 1], [0xE6 / 255, 0x9F / 255, 0])


def test_canny_and_gradient_panels():
    st = edges.canny(ck.data.photo(24), sigma=1.0)
    fig = plot.canny_panels(st, ("smoothed", "thresholds", "edges"))
    assert [t.get_text() for t in fig.axes[0].texts] == ["1 smoothed", "4 strong / weak",
                                                           "5 hysteresis"]
    with pytest.raises(ValueError, match="unknown panel"):
        plot.canny_panels(st, ("smoothed", "blur"))
    fig = plot.gradient_panels(st.gx, st.gy, st.magnitude, st.angle, image=st.smoothed)
    assert len(fig.axes[0].texts) == 5


def test_conv2d_step_without_the_kernel_panel():
    fig = plot.conv2d_step(NOTE_INPUT, SHARPEN, 0, show_kernel=False)
    assert [ax.get_title() for ax in fig.axes] == ["input", "window \u00d7 kernel",
                                                   "output 2\u00d72"]


def test_steps_caption_states_the_kernel(steps_demo):
    assert steps_demo.caption.startswith("Kernel k (3\u00d73): 0 -1 0; -1 5 -1; 0 -1 0")
    assert np.array_equal(kernels.parse_kernel(steps_demo.caption.split(": ")[1].split("  ")[0]),
                          SHARPEN)
