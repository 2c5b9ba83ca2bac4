"""Demo of the chapter *A small CNN, by hand*: a tiny network with hand-made weights.

The network (``conv -> ReLU -> max pool -> conv -> ReLU -> global average pool ->
linear``) has weights chosen by hand from the book's kernels, so that every channel
has a name: edges of each polarity and bright spots in the first layer, vertical
edges, horizontal edges and spots in the second, and three scores at the end.

See Also
--------
convkit.plot.feature_maps, convkit.plot.cnn_scores
Book: ``book/cnn_by_hand.ipynb``.
"""
from __future__ import annotations

import numpy as np

from .. import conv2d, conv_cost, data, global_avg_pool, kernels, max_pool2d, plot
from ._demo import Choice, Demo, Frame, Step

__all__ = ["SIZE", "INPUT_NAMES", "CONV1_NAMES", "CONV2_NAMES", "FEATURE_NAMES", "SCORE_NAMES",
           "STAGES", "cnn_inputs", "tiny_cnn", "tiny_cnn_forward", "tiny_cnn_torch_code",
           "explore_cnn"]

SIZE = 64
"""Height and width of the network's input images."""
INPUT_NAMES = ("photo", "MRI", "stripes", "dots")
CONV1_NAMES = ("brighter \u2192", "brighter \u2190", "brighter \u2193", "brighter \u2191",
               "bright spot")
"""What each first-layer filter responds to: an edge with the brighter side to the right,
left, below, above (Sobel x, -Sobel x, Sobel y, -Sobel y), and a bright spot."""
CONV2_NAMES = ("vertical edges", "horizontal edges", "spots")
FEATURE_NAMES = CONV2_NAMES
SCORE_NAMES = ("edges", "vertical \u2212 horizontal", "spots")
STAGES = ("input", "conv1", "relu1", "pool1", "conv2", "relu2", "gap", "linear")
"""Keys of :func:`tiny_cnn_forward`'s result, in order."""


def cnn_inputs(size=SIZE):
    """The four input images of the chapter, each (size, size) with values in [0, 1].

    ``photo`` (:func:`convkit.data.photo`), ``MRI`` (:func:`convkit.data.mri`),
    ``stripes`` (vertical stripes 4 pixels wide: 0 then 1) and ``dots`` (a bright
    Gaussian spot, sigma 0.8, every 8 pixels, scaled so the brightest pixel is 1).

    Returns
    -------
    dict[str, ndarray]
        In the order of :data:`INPUT_NAMES`.
    """
    i = np.arange(size)
    stripes = np.tile(i // 4 % 2, (size, 1)).astype(float)
    dots = np.zeros((size, size))
    dots[4::8, 4::8] = 1
    dots = conv2d(dots[None], kernels.gaussian(5, 0.8)[None, None], padding=2)[0]
    dots /= dots.max()
    return {"photo": data.photo(size=size), "MRI": data.mri(size=size), "stripes": stripes,
            "dots": dots}


def tiny_cnn():
    """The hand-made weights of the chapter's network.

    - ``w1`` (5, 1, 3, 3), ``b1`` (5,): Sobel x, -Sobel x, Sobel y, -Sobel y (edges with
      the brighter side right, left, below, above: a ReLU keeps one polarity, so each
      direction needs both signs) and minus the Laplacian with bias -1 (a pixel brighter
      than its four neighbours by more than 1 in total: a bright spot).
    - ``w2`` (3, 5, 3, 3), ``b2`` (3,): vertical edges = the two x-edge maps averaged
      along a vertical line of 3 (``ReLU(g) + ReLU(-g) = |g|``), horizontal edges
      likewise along a horizontal line, both with bias -0.5 (faint edges are ignored);
      spots = the sum of the spot map over 3 x 3.
    - ``w3`` (3, 3), ``b3`` (3,): a linear layer (``scores = w3 @ features + b3``, PyTorch's
      ``nn.Linear`` layout): edges = vertical + horizontal, vertical - horizontal, spots.

    Returns
    -------
    dict[str, ndarray]
    """
    sx, sy = kernels.sobel_x(), kernels.sobel_y()
    w1 = np.stack([sx, -sx, sy, -sy, -kernels.laplacian(4)])[:, None]
    b1 = np.array([0.0, 0.0, 0.0, 0.0, -1.0])
    line = np.zeros((3, 3))
    line[:, 1] = 1 / 3
    w2 = np.zeros((3, 5, 3, 3))
    w2[0, 0] = w2[0, 1] = line
    w2[1, 2] = w2[1, 3] = line.T
    w2[2, 4] = np.ones((3, 3))
    b2 = np.array([-0.5, -0.5, 0.0])
    w3 = np.array([[1.0, 1.0, 0.0], [1.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
    b3 = np.zeros(3)
    return {"w1": w1, "b1": b1, "w2": w2, "b2": b2, "w3": w3, "b3": b3}


def tiny_cnn_forward(x, net=None):
    """Run the network and keep every intermediate.

    Parameters
    ----------
    x : ndarray, shape (N, 1, H, W) or (1, H, W)
    net : dict, optional
        Weights as returned by :func:`tiny_cnn` (the default).

    Returns
    -------
    dict[str, ndarray]
        ``input``, ``conv1``, ``relu1``, ``pool1``, ``conv2``, ``relu2``, ``gap``
        (global average pool) and ``linear`` (the scores), batched like `x`.
    """
    net = tiny_cnn() if net is None else net
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (3, 4):
        raise ValueError(f"x.shape={x.shape}: expected (N, 1, H, W) or (1, H, W)")
    if x.ndim == 3:          # global_avg_pool needs the batch axis to know H, W from C
        return {k: v[0] for k, v in tiny_cnn_forward(x[None], net).items()}
    out = {"input": x}
    out["conv1"] = conv2d(x, net["w1"], net["b1"])
    out["relu1"] = np.maximum(out["conv1"], 0)
    out["pool1"] = max_pool2d(out["relu1"], 2)
    out["conv2"] = conv2d(out["pool1"], net["w2"], net["b2"])
    out["relu2"] = np.maximum(out["conv2"], 0)
    out["gap"] = global_avg_pool(out["relu2"])
    out["linear"] = out["gap"] @ net["w3"].T + net["b3"]
    return out


_TORCH_LINES = (
    ("", "import torch"),
    ("", "import torch.nn as nn"),
    ("", "net = nn.Sequential("),
    ("conv1", "    nn.Conv2d(1, 5, kernel_size=3),  # {conv1}"),
    ("relu1", "    nn.ReLU(),                       # {relu1}"),
    ("pool1", "    nn.MaxPool2d(2),                 # {pool1}"),
    ("conv2", "    nn.Conv2d(5, 3, kernel_size=3),  # {conv2}"),
    ("relu2", "    nn.ReLU(),                       # {relu2}"),
    ("gap", "    nn.AdaptiveAvgPool2d(1),         # global pool: {gap11}"),
    ("gap", "    nn.Flatten(),                    # {gap}"),
    ("linear", "    nn.Linear(3, 3),                 # scores: {linear}"),
    ("", ")"),
    ("", "with torch.no_grad():  # the hand-made weights (NumPy arrays w1, b1, ...)"),
    ("", "    for i, (w, b) in zip((0, 3, 7), ((w1, b1), (w2, b2), (w3, b3))):"),
    ("", "        net[i].weight.copy_(torch.tensor(w))"),
    ("", "        net[i].bias.copy_(torch.tensor(b))"),
    ("input", "x = torch.tensor(x[None], dtype=torch.float32)  # {batch_input}"),
    ("", "scores = net(x)                                  # {batch_linear}"),
)


def _shape(a):
    return "(" + ", ".join(str(v) for v in a.shape) + ("," if a.ndim == 1 else "") + ")"


def tiny_cnn_torch_code(shapes, mark=None):
    """The network as ``torch.nn.Sequential`` code, with each layer's output shape.

    Parameters
    ----------
    shapes : dict[str, tuple]
        Unbatched output shape of each stage of :data:`STAGES`.
    mark : str, optional
        A stage whose line(s) get a ``<-- shown`` marker.

    Returns
    -------
    str
    """
    fmt = {k: "(" + ", ".join(str(v) for v in s) + ("," if len(s) == 1 else "") + ")"
           for k, s in shapes.items()}
    fmt["gap11"] = "(" + ", ".join(str(v) for v in tuple(shapes["gap"]) + (1, 1)) + ")"
    for key in ("input", "linear"):
        fmt[f"batch_{key}"] = "(" + ", ".join(str(v) for v in (1,) + tuple(shapes[key])) + ")"
    lines = []
    for stage, text in _TORCH_LINES:
        line = text.format(**fmt)
        together = {"gap", "linear"}          # one frame shows both
        if stage and (stage == mark or (mark in together and stage in together)):
            line += "  <-- shown" if "#" in line else "  # <-- shown"
        lines.append(line)
    return "\n".join(lines)


_STEP_LABELS = ("input", "conv1", "ReLU", "max pool", "conv2", "ReLU", "pool + linear")
_STEP_STAGES = ("input", "conv1", "relu1", "pool1", "conv2", "relu2", "linear")


def _percentile_limit(arrays, q=99.5):
    return max(float(np.percentile(np.abs(a), q)) for a in arrays) or 1.0


def explore_cnn(images=None):
    """Step through the tiny network, layer by layer, for one of four input images.

    Controls: ``image`` (photo, MRI, stripes, dots) and ``layer`` (a step through input,
    conv1, ReLU, max pool, conv2, ReLU, global average pool + linear): 4 x 7 = 28
    frames. Each frame shows that layer's channels as small multiples on one fixed
    colour scale per layer (diverging, white = 0, so the ReLU visibly removes the
    blue), the layer's output shape, parameters and MACs as text, and the network as
    ``torch.nn.Sequential`` code with the layer marked.

    Parameters
    ----------
    images : dict[str, ndarray], optional
        Name -> (H, W) image (default :func:`cnn_inputs`).

    Returns
    -------
    Demo
    """
    images = cnn_inputs() if images is None else dict(images)
    names = list(images)
    acts = {name: tiny_cnn_forward(np.asarray(img, dtype=np.float64)[None, None])
            for name, img in images.items()}
    net = tiny_cnn()
    first = acts[names[0]]
    shapes = {k: v.shape[1:] for k, v in first.items()}
    lim1 = _percentile_limit([a["conv1"] for a in acts.values()])
    lim2 = _percentile_limit([a["conv2"] for a in acts.values()])
    gap_max = max(float(a["gap"].max()) for a in acts.values())
    scores = np.array([a["linear"] for a in acts.values()])
    feature_lim = (0.0, 1.3 * gap_max)
    score_lim = (min(0.0, float(scores.min())) * 1.3 - 0.1, 1.3 * float(scores.max()))
    cost1 = conv_cost(shapes["input"], net["w1"].shape)
    cost2 = conv_cost(shapes["pool1"], net["w2"].shape)
    n_in, n_out = net["w3"].shape[1], net["w3"].shape[0]
    panel = 128 / 72                   # inches: 128 pixels, a whole multiple of 64, 62, 31
    figsize = tuple(plot.feature_maps(np.zeros((1, SIZE, SIZE)), ncols=5, panel_size=panel,
                                      label="size").get_size_inches())

    def s(stage):
        return _shape(first[stage][0])

    texts = {
        "input": f"Input {s('input')}: one grey channel, values 0 (black) to 1 (white).",
        "conv1": f"conv1: 5 filters of 3\u00d73 (plus bias) turn {s('input')} into {s('conv1')} "
                 f"(no padding: 2 rows and columns fewer); {cost1.params} parameters, "
                 f"{cost1.macs:,} MACs.",
        "relu1": f"ReLU: max(0, value) keeps the shape {s('relu1')}; every negative (blue) "
                 "response becomes 0. No parameters.",
        "pool1": f"2\u00d72 max pool, stride 2: {s('relu1')} \u2192 {s('pool1')}, the "
                 "strongest response of each window. No parameters.",
        "conv2": f"conv2: 3 filters of 5\u00d73\u00d73 (plus bias) turn {s('pool1')} into "
                 f"{s('conv2')}; {cost2.params} parameters, {cost2.macs:,} MACs.",
        "relu2": f"ReLU: {s('relu2')}; the bias \u22120.5 of the edge channels has removed "
                 "faint edges.",
    }

    def draw(image, layer):
        a = acts[image]
        stage = _STEP_STAGES[layer]
        code = tiny_cnn_torch_code(shapes, mark="gap" if stage == "linear" else stage)
        if stage == "linear":
            g, y = a["gap"][0], a["linear"][0]
            fig = plot.cnn_scores(g, y, feature_names=FEATURE_NAMES, score_names=SCORE_NAMES,
                                  feature_lim=feature_lim, score_lim=score_lim,
                                  figsize=figsize,
                                  label=f"{image}: global average pool {_shape(g)}, "
                                        f"linear {_shape(y)}")
            text = (f"Global average pool: {s('relu2')} \u2192 {_shape(g)}, one mean per "
                    f"channel; linear layer {n_in} \u2192 {n_out}: {net['w3'].size + n_out} "
                    f"parameters, {net['w3'].size} MACs. Scores: "
                    + ", ".join(f"{n} {v:.2f}" for n, v in zip(SCORE_NAMES, y)) + ".")
            return Frame(fig, text=text, code=code)
        maps = a[stage][0]
        if stage == "input":
            kw = dict(titles=[image], signed=False, vmax=1.0, cmap=plot.GREY)
        elif stage in ("conv1", "relu1", "pool1"):
            kw = dict(titles=CONV1_NAMES, signed=True, vmax=lim1)
        else:
            kw = dict(titles=CONV2_NAMES, signed=True, vmax=lim2)
        label = f"{image}: {_STEP_LABELS[layer]} {_shape(maps)}"
        fig = plot.feature_maps(maps, ncols=5, panel_size=panel, label=label, **kw)
        return Frame(fig, text=texts[stage], code=code)

    return Demo(draw, [
        Choice("image", {n: n for n in names}, "Input image"),
        Step("layer", len(_STEP_STAGES), "Layer", labels=list(_STEP_LABELS), interval=1200),
    ], title="A tiny CNN, layer by layer",
        alt="The channels of one layer of a tiny convolutional network for one input image")
