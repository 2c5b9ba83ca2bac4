"""Receptive field of a stack of convolution and pooling layers: the recurrence, and a check.

:func:`receptive_field` runs the standard recurrence (Araujo, Norris & Sim, "Computing
Receptive Fields of Convolutional Neural Networks", Distill, 2019) layer by layer and
returns, for every layer, the receptive field size ``r``, the jump ``j`` (the distance in
input pixels between two neighbouring units of that layer) and ``start`` (the input
coordinate of the centre of the field of the layer's first unit).

:func:`receptive_field_empirical` measures the same thing without the formula: it puts a
gradient of 1 on one output unit and sends it back through the stack with
:func:`convkit.conv_transpose1d` (or ``2d``) and all-ones kernels; the inputs that receive a
non-zero gradient are the inputs that unit can see.

Layers are described by :class:`Layer`, a dict with the same keys, or a tuple in the same
order; one layer has the same ``k, s, d, p`` along every spatial dimension.
"""
from __future__ import annotations

import html
from typing import NamedTuple

import numpy as np

from ._args import as_int, as_tuple
from ._conv import conv_transpose1d, conv_transpose2d

__all__ = ["Layer", "LayerField", "FieldTable", "receptive_field", "receptive_field_empirical",
           "layer_gradients"]

KINDS = ("conv", "pool")
_RESULTS = ("bounds", "mask", "gradient")


class Layer(NamedTuple):
    """One layer of a stack: a convolution or a pooling window.

    Parameters
    ----------
    kind : {'conv', 'pool'}
        Only the window matters for the receptive field (a max and an average pool have
        the same field), so 'pool' differs from 'conv' in its default stride only.
    k : int >= 1
        Kernel (window) size.
    s : int >= 1, optional
        Stride. Default as in PyTorch: 1 for 'conv', ``k`` for 'pool'.
    d : int >= 1
        Dilation, counted from 1 as in PyTorch: ``d = 1`` is an ordinary kernel, ``d = 2``
        leaves one hole between taps. The kernel spans ``d*(k-1) + 1`` inputs.
    p : int >= 0
        Zero padding on each side.
    name : str, optional
        A label for tables (e.g. ``'conv1_1'``).
    """

    kind: str
    k: int
    s: int | None = None
    d: int = 1
    p: int = 0
    name: str = ""

    @property
    def span(self) -> int:
        """Inputs covered by one window: the effective kernel size ``d*(k-1) + 1``."""
        return self.d * (self.k - 1) + 1


class LayerField(NamedTuple):
    """The receptive field after one layer (one row of :func:`receptive_field`'s table).

    Attributes
    ----------
    layer : Layer
        The layer, with its stride filled in.
    r : int
        Receptive field size: how many consecutive input pixels (along one dimension)
        can change one unit of this layer.
    j : int
        Jump: distance, in input pixels, between the fields of two neighbouring units.
    start : float
        Input coordinate of the centre of the field of unit 0 (may be a half-integer or
        negative: with padding, the first unit's field hangs over the border).
    n : int or None
        Output size of the layer, if the input size was given.
    """

    layer: Layer
    r: int
    j: int
    start: float
    n: int | None = None

    def centre(self, position=0) -> float:
        """Input coordinate of the centre of the field of unit ``position``."""
        return self.start + position * self.j

    def bounds(self, position=0) -> tuple[int, int]:
        """(first, last) input index of the field of unit ``position``, before clipping.

        ``first = position*j - (sum of p_l times the jump before layer l)``, an integer;
        ``last = first + r - 1``. Indices below 0 or above ``n_in - 1`` are padding.
        """
        first = round(self.centre(position) - (self.r - 1) / 2)
        return first, first + self.r - 1


def _fmt_start(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


class FieldTable(list):
    """A list of :class:`LayerField`, one per layer, that prints as a table.

    ``str(table)`` and the notebook's text view give an aligned text table;
    Jupyter shows an HTML table.
    """

    def rows(self):
        """Header and rows of the table, as strings."""
        has_n = any(f.n is not None for f in self)
        has_name = any(f.layer.name for f in self)
        head = ["layer"] + (["name"] if has_name else []) + ["kind", "k", "s", "d", "p",
                                                               "span", "r", "j", "start"]
        head += ["n_out"] if has_n else []
        rows = []
        for i, f in enumerate(self, 1):
            L = f.layer
            row = [str(i)] + ([L.name] if has_name else []) + [
                L.kind, str(L.k), str(L.s), str(L.d), str(L.p), str(L.span), str(f.r), str(f.j),
                _fmt_start(f.start)]
            row += [str(f.n)] if has_n else []
            rows.append(row)
        return head, rows

    def __str__(self):
        head, rows = self.rows()
        widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
        lines = ["  ".join(t.rjust(w) for t, w in zip(r, widths)) for r in [head] + rows]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_html_(self):
        head, rows = self.rows()
        e = html.escape
        cell = 'style="text-align:right;padding:0.15em 0.7em"'
        th = "".join(f"<th {cell}>{e(t)}</th>" for t in head)
        body = "".join("<tr>" + "".join(f"<td {cell}>{e(t)}</td>" for t in r) + "</tr>"
                       for r in rows)
        # class "dataframe": the book's theme (and JupyterLab) style it like a pandas table
        return (f'<table class="dataframe" style="border-collapse:collapse">'
                f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>")


# --- argument checking -------------------------------------------------------------------------

_FIELDS = Layer._fields


def _as_layer(spec, index: int) -> Layer:
    """A Layer, dict or tuple -> a checked Layer with its stride filled in."""
    where = f"layers[{index}]"
    if isinstance(spec, Layer):
        values = spec._asdict()
    elif isinstance(spec, dict):
        unknown = [key for key in spec if key not in _FIELDS]
        if unknown:
            raise ValueError(f"{where} has unknown key(s) {unknown}; allowed keys: "
                             + ", ".join(repr(f) for f in _FIELDS))
        if "kind" not in spec or "k" not in spec:
            raise ValueError(f"{where}={spec!r} needs at least 'kind' and 'k'")
        values = dict(spec)
    elif isinstance(spec, (tuple, list)):
        if not 2 <= len(spec) <= len(_FIELDS):
            raise ValueError(f"{where}={tuple(spec)!r} has {len(spec)} entries; expected 2 to "
                             f"{len(_FIELDS)} in the order {_FIELDS}")
        values = dict(zip(_FIELDS, spec))
    else:
        raise TypeError(f"{where} must be a Layer, a dict or a tuple (kind, k, s, d, p); got "
                        f"{spec!r} of type {type(spec).__name__}")
    kind = values.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind={kind!r} is not allowed; allowed: "
                         + ", ".join(repr(k) for k in KINDS))
    k = as_int(values["k"], f"{where}: k", minimum=1)
    s = values.get("s")
    s = (k if kind == "pool" else 1) if s is None else as_int(s, f"{where}: s", minimum=1)
    d = as_int(values.get("d", 1), f"{where}: d", minimum=1, allowed="(1 = no holes)")
    p = as_int(values.get("p", 0), f"{where}: p", minimum=0)
    name = values.get("name", "")
    if not isinstance(name, str):
        raise TypeError(f"{where}: name must be a str; got {name!r}")
    return Layer(kind, k, s, d, p, name)


def _as_layers(layers) -> list[Layer]:
    if isinstance(layers, (Layer, dict)) or (isinstance(layers, tuple) and layers
                                             and isinstance(layers[0], str)):
        raise TypeError(f"layers must be a sequence of layers; got a single layer {layers!r}: "
                        "put it in a list")
    try:
        items = list(layers)
    except TypeError:
        raise TypeError(f"layers must be a sequence of Layer/dict/tuple; got {layers!r}") from None
    if not items:
        raise ValueError("layers is empty; give at least one layer")
    return [_as_layer(spec, i) for i, spec in enumerate(items)]


def _layer_out(layer: Layer, n: int, index: int) -> int:
    out = (n + 2 * layer.p - layer.span) // layer.s + 1
    if out < 1:
        raise ValueError(
            f"layers[{index}] ({layer.kind}, k={layer.k}, d={layer.d}: spans {layer.span}) is "
            f"larger than its padded input {n} + 2*{layer.p} = {n + 2 * layer.p}: no output; "
            f"the input must be at least {layer.span - 2 * layer.p} there")
    return out


def _sizes(layers, n) -> list[int]:
    sizes = [n]
    for i, layer in enumerate(layers):
        sizes.append(_layer_out(layer, sizes[-1], i))
    return sizes


# --- the recurrence ----------------------------------------------------------------------------

def receptive_field(layers, n=None):
    """Receptive field size, jump and start after every layer of a stack.

    The standard recurrence, from the input (``r_0 = 1``, ``j_0 = 1``, ``start_0 = 0``)
    to the last layer, with ``k'_l = d_l (k_l - 1) + 1`` the span of layer ``l``::

        r_l     = r_{l-1} + (k'_l - 1) * j_{l-1}
        j_l     = j_{l-1} * s_l
        start_l = start_{l-1} + ((k'_l - 1)/2 - p_l) * j_{l-1}

    ``start`` is the input coordinate of the centre of unit 0's field (pixel ``i`` of the
    input has coordinate ``i``); it may be fractional (even kernels) or negative (padding).
    Unit ``i`` of layer ``l`` is centred on ``start_l + i*j_l`` and sees the ``r_l``
    inputs from ``start_l + i*j_l - (r_l-1)/2`` to ``start_l + i*j_l + (r_l-1)/2``
    (see :meth:`LayerField.bounds`), clipped to the input: the part outside is padding.
    Along each dimension of a 2-D or 3-D stack the same numbers hold.

    Parameters
    ----------
    layers : sequence of Layer, dict or tuple
        In order from the input. A dict uses the keys ``kind`` ('conv' or 'pool'), ``k``,
        and optionally ``s`` (default 1 for 'conv', ``k`` for 'pool', as in PyTorch),
        ``d`` (default 1), ``p`` (default 0) and ``name``; a tuple gives the same values in
        that order.
    n : int, optional
        Input size along one dimension; if given, each row also has the layer's output
        size (floor mode, as in :func:`convkit.conv_output_size`) and a layer with no
        output raises ValueError.

    Returns
    -------
    FieldTable
        A list of :class:`LayerField` ``(layer, r, j, start, n)``, one per layer; it prints
        as a table.

    Examples
    --------
    >>> conv3 = dict(kind="conv", k=3)
    >>> [f.r for f in receptive_field([conv3, conv3, conv3])]
    [3, 5, 7]
    >>> last = receptive_field([dict(kind="conv", k=3, s=2), conv3])[-1]
    >>> last.r, last.j
    (7, 2)

    See Also
    --------
    receptive_field_empirical, conv_output_size, book/receptive_field.ipynb
    """
    stack = _as_layers(layers)
    sizes = None if n is None else _sizes(stack, as_int(n, "n", minimum=1))
    r, j, start = 1, 1, 0.0
    table = FieldTable()
    for i, layer in enumerate(stack):
        r = r + (layer.span - 1) * j
        start = start + ((layer.span - 1) / 2 - layer.p) * j
        j = j * layer.s
        table.append(LayerField(layer, r, j, start, None if sizes is None else sizes[i + 1]))
    return table


# --- the measurement ---------------------------------------------------------------------------

def _backprop(stack, sizes_per_axis, position):
    """Gradients at every layer of a one-hot gradient on output unit `position`.

    ``sizes_per_axis`` holds, per spatial dimension (1 or 2), the sizes input first.
    Returns a list, input first, of arrays of shape ``(sizes[l] per axis)``. With all-ones
    kernels each value counts the paths from that unit to the output unit.
    """
    nd = len(sizes_per_axis)
    g = np.zeros(tuple(sizes[-1] for sizes in sizes_per_axis))
    g[tuple(position)] = 1.0
    grads = [g]
    transpose = conv_transpose1d if nd == 1 else conv_transpose2d
    for i in reversed(range(len(stack))):
        layer = stack[i]
        # the output_padding that gives back the layer's input size (the inputs that a
        # strided window never reached)
        extra = tuple((sizes[i] + 2 * layer.p - layer.span) % layer.s for sizes in sizes_per_axis)
        ones = np.ones((1, 1) + (layer.k,) * nd)
        g = transpose(g[None], ones, stride=layer.s, padding=layer.p, output_padding=extra,
                      dilation=layer.d)[0]
        grads.append(g)
    return grads[::-1]


def receptive_field_empirical(layers, n, position, *, result="bounds"):
    """Measure which inputs one output unit can see, by backpropagating its gradient.

    A gradient of 1 is put on output unit ``position`` of the last layer (0 elsewhere) and
    sent back through the stack, last layer first, with :func:`convkit.conv_transpose1d`
    (``conv_transpose2d`` in 2-D): each layer's kernel is all ones, with the layer's stride,
    dilation and padding, and the ``output_padding`` that gives back the layer's input size.
    A pooling window is treated like an all-ones kernel: whether a max pool passes the
    gradient depends on the data, but every input in the window *can* change the output.
    The inputs whose gradient is non-zero are the receptive field, clipped to the input.

    Parameters
    ----------
    layers : sequence of Layer, dict or tuple
        As for :func:`receptive_field`.
    n : int or (int, int)
        Input size; a pair ``(H, W)`` measures in 2-D (the same layers along both axes).
    position : int or (int, int)
        Index of the output unit in the last layer (a pair in 2-D).
    result : {'bounds', 'mask', 'gradient'}
        What to return (see below).

    Returns
    -------
    bounds : (int, int) or ((int, int), (int, int)) or None
        ``result='bounds'``: ``(first, last)``, the smallest and largest input index with
        a non-zero gradient; in 2-D ``((first_row, last_row), (first_col, last_col))``.
        None if the unit sees only padding.
    mask : ndarray of bool, shape (n,) or (H, W)
        ``result='mask'``: True where the gradient is non-zero. A mask may have holes
        (dilated or strided stacks): ``first .. last`` is the extent, not every pixel in it.
    gradient : ndarray of float64, shape (n,) or (H, W)
        ``result='gradient'``: the gradient itself; each value is the number of paths
        from that input to the output unit.

    Examples
    --------
    >>> conv3 = dict(kind="conv", k=3)
    >>> receptive_field_empirical([conv3, conv3, conv3], 20, 5)
    (5, 11)
    >>> receptive_field_empirical([conv3, conv3, conv3], 9, 1, result="gradient")
    array([1., 3., 6., 7., 6., 3., 1., 0., 0.])

    See Also
    --------
    receptive_field, conv_transpose1d, conv_transpose2d, book/receptive_field.ipynb
    """
    stack = _as_layers(layers)
    nd = len(n) if isinstance(n, (tuple, list)) else 1
    if nd not in (1, 2):
        raise ValueError(f"n={n!r} must be an int (1-D) or a pair (H, W) (2-D)")
    if result not in _RESULTS:
        raise ValueError(f"result={result!r} is not allowed; allowed: "
                         + ", ".join(repr(r) for r in _RESULTS))
    shape = as_tuple(n, nd, "n", minimum=1)
    if nd == 2 and not isinstance(position, (tuple, list)):
        raise ValueError(f"position={position!r}: with n={tuple(shape)!r} (2-D) give a pair "
                         "(row, col)")
    if nd == 1 and isinstance(position, (tuple, list)):
        raise ValueError(f"position={tuple(position)!r}: with n={n!r} (1-D) give an int")
    pos = as_tuple(position, nd, "position", minimum=0)
    sizes_per_axis = [_sizes(stack, m) for m in shape]
    for axis, (q, sizes) in enumerate(zip(pos, sizes_per_axis)):
        if q >= sizes[-1]:
            raise ValueError(f"position={position!r} is outside the last layer's output "
                             f"(size {sizes[-1]} in dimension {axis}); allowed: 0 to "
                             f"{sizes[-1] - 1}")
    g = _backprop(stack, sizes_per_axis, pos)[0]
    if result == "gradient":
        return g
    mask = g != 0
    if result == "mask":
        return mask
    if not mask.any():
        return None
    spans = []
    for axis in range(nd):
        hit = np.flatnonzero(mask.any(axis=tuple(a for a in range(nd) if a != axis)))
        spans.append((int(hit[0]), int(hit[-1])))
    return spans[0] if nd == 1 else tuple(spans)


def layer_gradients(layers, n, position):
    """The backpropagated gradient at every layer, input first (1-D), for drawings.

    Returns
    -------
    list of ndarray
        ``grads[0]`` has the input's size ``n``, ``grads[l]`` the output size of layer
        ``l``; ``grads[-1]`` is the one-hot gradient on unit ``position``.
    """
    stack = _as_layers(layers)
    sizes = _sizes(stack, as_int(n, "n", minimum=1))
    q = as_int(position, "position", minimum=0)
    if q >= sizes[-1]:
        raise ValueError(f"position={q} is outside the last layer's output (size {sizes[-1]}); "
                         f"allowed: 0 to {sizes[-1] - 1}")
    return _backprop(stack, [sizes], (q,))
