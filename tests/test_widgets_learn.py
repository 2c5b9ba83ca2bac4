"""Demo and drawings of the chapter *Learning a kernel*: explore_learning and its helpers."""
import itertools

import numpy as np
import pytest

import convkit as ck
from convkit import plot
from convkit.widgets import Frame, explore_learning
from convkit.widgets._learn import HIDDEN, SNAPSHOTS, learn_kernel, learning_pair


@pytest.fixture(scope="module")
def demo():
    return explore_learning()


# --- helpers ----------------------------------------------------------------------------------

def test_learning_pair():
    x, y = learning_pair(HIDDEN["edge"])
    assert x.shape == (1, 64, 64) and y.shape == (1, 62, 62)
    assert abs(x.mean()) < 1e-12
    np.testing.assert_allclose(x[0] + ck.data.photo(size=64).mean(), ck.data.photo(size=64))
    np.testing.assert_allclose(y, ck.conv2d(x, HIDDEN["edge"][None, None]))


def test_learn_kernel_is_gradient_descent_with_momentum():
    """Two iterations by hand: k1 = -lr g0, k2 = k1 + momentum (k1 - k0) - lr g1."""
    x, y = learning_pair(HIDDEN["blur"], size=16)
    lr, m = 1e-3, 0.5
    ks, losses = learn_kernel(x, y, (3, 3), steps=3, lr=lr, momentum=m)
    k0 = np.zeros((1, 1, 3, 3))
    g0 = ck.conv2d_grad_weight(x, ck.conv2d(x, k0) - y, k0.shape)
    k1 = k0 - lr * g0
    g1 = ck.conv2d_grad_weight(x, ck.conv2d(x, k1) - y, k0.shape)
    k2 = k1 + m * (k1 - k0) - lr * g1
    np.testing.assert_allclose(ks[0], 0)
    np.testing.assert_allclose(ks[1], k1[0, 0], atol=1e-15)
    np.testing.assert_allclose(ks[2], k2[0, 0], atol=1e-15)
    np.testing.assert_allclose(losses[0], 0.5 * np.sum(y ** 2))
    np.testing.assert_allclose(losses[2], 0.5 * np.sum((ck.conv2d(x, k2) - y) ** 2))


@pytest.mark.parametrize("name", list(HIDDEN))
def test_learn_kernel_recovers_each_hidden_kernel(name):
    x, y = learning_pair(HIDDEN[name])
    ks, losses = learn_kernel(x, y, (3, 3), steps=200)
    assert ks.shape == (200, 3, 3) and losses.shape == (200,)
    np.testing.assert_allclose(ks[-1], HIDDEN[name], atol=1e-3)
    assert losses[-1] < 1e-5 * losses[0]


def test_plain_gradient_descent_never_increases_the_loss():
    """With momentum 0 and the default step (below 2 / curvature) the loss only falls."""
    x, y = learning_pair(HIDDEN["sharpen"], size=32)
    _, losses = learn_kernel(x, y, (3, 3), steps=50, momentum=0)
    assert np.all(np.diff(losses) <= 1e-12)


def test_loss_curve():
    ax = plot.loss_curve(np.logspace(3, -6, 50), upto=10)
    lines = ax.get_lines()
    assert len(lines[1].get_xdata()) == 11                         # drawn up to 10
    assert ax.get_ylim()[0] < -6 and ax.get_ylim()[1] > 3          # log10 of the losses
    labels = [t.get_text() for t in ax.texts]
    assert "1000" in labels and "1e\u22123" in labels
    with pytest.raises(ValueError, match="positive"):
        plot.loss_curve([1.0, 0.0])
    with pytest.raises(ValueError, match="upto"):
        plot.loss_curve([1.0, 0.5], upto=2)


# --- explore_learning -------------------------------------------------------------------------

def test_controls(demo):
    assert demo.values == {"hidden": list(HIDDEN), "step": list(range(len(SNAPSHOTS)))}
    assert demo.defaults == {"hidden": "blur", "step": 0}
    assert demo.mode == "full" and len(demo.frame_keys()) == 3 * 20


def test_renders_every_setting(demo):
    sizes = set()
    for hidden, step in itertools.product(*demo.values.values()):
        frame = demo.render(hidden=hidden, step=step)
        assert isinstance(frame, Frame) and frame.text.startswith(f"Iteration {SNAPSHOTS[step]}:")
        sizes.add(tuple(frame.figure.get_size_inches()))
    assert len(sizes) == 1


def test_frame_text_matches_the_trajectory(demo):
    for name in HIDDEN:
        x, y = learning_pair(HIDDEN[name])
        ks, losses = learn_kernel(x, y, (3, 3), steps=SNAPSHOTS[-1] + 1)
        for step in (0, 7, len(SNAPSHOTS) - 1):
            t = SNAPSHOTS[step]
            text = demo.render(hidden=name, step=step).text
            err = np.abs(ks[t] - HIDDEN[name]).max()
            assert f"loss {losses[t]:.3g}," in text and f"error {err:.2g}" in text
    last = demo.render(hidden="edge", step=len(SNAPSHOTS) - 1).text
    assert "loss 0" not in last


def test_frames_fit_the_budget(demo):
    sizes = [len(f.png) for _, f in demo.frames()]
    assert max(sizes) < 25_000 and sum(sizes) < 1_000_000


def test_static_html_is_deterministic():
    assert explore_learning().static_html() == explore_learning().static_html()


def test_place_image_puts_crisp_pixels_where_asked():
    fig = plot.new_figure((2.0, 1.0), dpi=72, layout=None)
    img = np.array([[0.0, 1.0], [1.0, 0.0]])
    plot.place_image(fig, img, 10, 5, zoom=3, vmin=0, vmax=1)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    h = rgba.shape[0]
    top = h - 5 - (2 * 3 + 2)                     # figure pixels count from the bottom
    block = rgba[top + 1:top + 7, 11:17, 0]       # inside the one-pixel frame
    assert (block[:3, :3] == 0).all() and (block[:3, 3:] == 255).all()
    assert (block[3:, :3] == 255).all() and (block[3:, 3:] == 0).all()
    with pytest.raises(ValueError, match="expected"):
        plot.place_image(fig, np.zeros(3), 0, 0)
