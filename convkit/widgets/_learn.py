"""Demo of the chapter *Learning a kernel*: gradient descent recovers a hidden kernel.

An image ``x`` and its filtered copy ``y = conv2d(x, hidden)`` are given; a 3 x 3 kernel
``k`` starts at zero and follows the gradient of ``L = 1/2 |conv2d(x, k) - y|^2``, which
:func:`convkit.conv2d_grad_weight` computes as the correlation of ``x`` with the error.

See Also
--------
convkit.conv2d_grad_weight, convkit.plot.loss_curve
Book: ``book/learning_a_kernel.ipynb``.
"""
from __future__ import annotations

import numpy as np

from .. import conv2d, conv2d_grad_weight, data, kernels, plot
from ._demo import Choice, Demo, Frame, Step

__all__ = ["HIDDEN", "SNAPSHOTS", "learning_pair", "learn_kernel", "explore_learning"]

HIDDEN = {"blur": kernels.gaussian(3, 1.0), "edge": kernels.sobel_x(),
          "sharpen": kernels.sharpen()}
"""The hidden kernels of the demo: a Gaussian blur (sigma 1), Sobel x and sharpen."""

SNAPSHOTS = (0, 1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25, 30, 40, 50, 65, 80, 100, 140, 199)
"""Iterations the demo's step control shows (dense at the start, where most happens)."""


def learning_pair(hidden, size=64):
    """The image pair ``(x, y)``: the photo minus its mean, and its filtered copy.

    Parameters
    ----------
    hidden : ndarray, shape (kH, kW)
        The kernel to be recovered.
    size : int
        Side of the (square) photo.

    Returns
    -------
    x : ndarray, shape (1, size, size)
        :func:`convkit.data.photo` with its mean subtracted (a zero-mean input makes
        gradient descent converge many times faster).
    y : ndarray, shape (1, size - kH + 1, size - kW + 1)
        ``conv2d(x, hidden)`` (no padding).
    """
    x = data.photo(size=size)
    x = (x - x.mean())[None]
    hidden = np.asarray(hidden, dtype=np.float64)
    return x, conv2d(x, hidden[None, None])


def learn_kernel(x, y, kernel_size=(3, 3), steps=200, lr=None, momentum=0.9):
    """Fit ``k`` to ``y = conv2d(x, k)`` by gradient descent with momentum, from ``k = 0``.

    Each iteration: error ``e = conv2d(x, k) - y``, loss ``L = 1/2 sum(e^2)``, gradient
    ``g = conv2d_grad_weight(x, e, k.shape)`` (the correlation of x with e), then
    ``v = momentum * v - lr * g`` and ``k = k + v``.

    Parameters
    ----------
    x : ndarray, shape (1, H, W)
    y : ndarray, shape (1, H_out, W_out)
    kernel_size : (int, int)
    steps : int
        Number of iterations.
    lr : float, optional
        Step size. Default ``1 / (kH kW sum(x^2))``: the loss's curvature (the largest
        eigenvalue of ``sum over windows of patch patch^T``) is at most its trace, which is
        about that, so the step is always stable.
    momentum : float
        0 gives plain gradient descent.

    Returns
    -------
    ks : ndarray, shape (steps, kH, kW)
        The kernel at the start of each iteration (``ks[0]`` is zero).
    losses : ndarray, shape (steps,)
        The loss of ``ks[t]``.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    shape = (1, 1) + tuple(kernel_size)
    if lr is None:
        lr = 1.0 / (shape[2] * shape[3] * float(np.sum(x ** 2)))
    k = np.zeros(shape)
    v = np.zeros(shape)
    ks, losses = [], []
    for _ in range(int(steps)):
        e = conv2d(x, k) - y
        ks.append(k[0, 0].copy())
        losses.append(0.5 * float(np.sum(e ** 2)))
        v = momentum * v - lr * conv2d_grad_weight(x, e, shape)
        k = k + v
    return np.array(ks), np.array(losses)


def explore_learning(hidden=None, snapshots=SNAPSHOTS):
    """Watch gradient descent recover a hidden 3 x 3 kernel from an image pair.

    Controls: ``hidden`` (blur, edge, sharpen) and ``step`` (the iterations in
    `snapshots`): 3 x 20 = 60 frames, all precomputed. Each frame shows the current
    kernel beside the hidden one (numbers in the cells, one colour scale), the current
    output ``conv2d(x, k)`` (on the target's colour scale), and the loss curve up to this
    iteration on a log scale. The trajectories are computed once, when the demo is made.

    Parameters
    ----------
    hidden : dict[str, ndarray], optional
        Name -> 3 x 3 kernel (default :data:`HIDDEN`).
    snapshots : sequence of int
        Iterations to show, increasing; the last one sets the number of iterations.

    Returns
    -------
    Demo
    """
    hidden = dict(HIDDEN if hidden is None else hidden)
    snapshots = [int(t) for t in snapshots]
    steps = snapshots[-1] + 1
    runs = {}
    for name, kh in hidden.items():
        kh = np.asarray(kh, dtype=np.float64)
        x, y = learning_pair(kh)
        ks, losses = learn_kernel(x, y, kh.shape, steps)
        outs = conv2d(x, ks[snapshots][:, None])        # (T, H, W): every snapshot in one pass
        kmax = float(np.abs(kh).max())
        brightness = abs(float(kh.sum())) > 1e-9              # blur, sharpen: grey images
        lim = float(np.percentile(np.abs(y), 99.5))
        runs[name] = dict(kh=kh, y=y[0], ks=ks, losses=losses, outs=outs, kmax=kmax,
                          brightness=brightness, lim=lim,
                          ylim=(losses.min() / 3, losses.max() * 3))

    def draw(hidden, step):
        r = runs[hidden]
        t = snapshots[step]
        fig = plot.new_figure((8.4, 2.5), layout=None)
        k_ax = fig.add_axes((0.015, 0.06, 0.36, 0.7))
        loss_ax = fig.add_axes((0.7, 0.2, 0.285, 0.6))
        k_now = r["ks"][t]
        # both kernels in one picture, a blank (NaN) column between them: one Axes fewer
        pair = np.hstack([k_now, np.full((k_now.shape[0], 1), np.nan), r["kh"]])
        plot.show_array(pair, k_ax, signed=True, vmin=-r["kmax"], vmax=r["kmax"])
        n = k_now.shape[1]
        for centre, title in (((n - 1) / 2, f"learned, t = {t}"),
                              (n + 1 + (n - 1) / 2, f"hidden: {hidden}")):
            k_ax.text(centre, -0.62, title, ha="center", va="bottom", fontsize=10)
        # the output as a bare image (no Axes): 62 x 62 pixels enlarged twice
        plot.place_image(fig, r["outs"][step], 0.405 * fig.get_figwidth() * fig.dpi, 12, zoom=2,
                         signed=not r["brightness"], vmin=-r["lim"], vmax=r["lim"],
                         title="conv2d(x, kernel)")
        plot.loss_curve(r["losses"], loss_ax, upto=t, ylim=r["ylim"], title="loss (log scale)")
        err = float(np.abs(k_now - r["kh"]).max())
        text = (f"Iteration {t}: loss {r['losses'][t]:.3g}, largest kernel error {err:.2g} "
                f"(the hidden kernel's largest weight is {r['kmax']:.3g}).")
        return Frame(fig, text=text)

    return Demo(draw, [
        Choice("hidden", {n: n for n in hidden}, "Hidden kernel"),
        Step("step", len(snapshots), "Iteration", labels=[str(t) for t in snapshots],
             interval=600),
    ], title="Learning a kernel by gradient descent",
        alt="The kernel being learned beside the hidden kernel, the current output beside the "
            "target, and the loss curve")
