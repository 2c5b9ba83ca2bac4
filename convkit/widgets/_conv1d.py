"""Demos of the chapter *1D convolution*: the sliding dot product, and filters on a real signal.

See Also
--------
convkit.plot.sliding_step, convkit.plot.frequency_response, convkit.convolve
Book: ``book/conv1d.ipynb``.
"""
from __future__ import annotations

import math

import numpy as np

from .. import data, plot
from .._signal import convolve, correlate
from ..plot._conv1d import (
    frequency_response, kernel_stems, mode_slice, new_host, signal_traces, sliding_step,
)
from ._demo import Choice, Demo, Frame, Slider, Step, Toggle

__all__ = ["explore_sliding", "explore_smoothing", "smoothing_kernel", "SMOOTHING_KINDS"]


# --- the sliding, flipped dot product ---------------------------------------------------------

def _dot_text(values, weights):
    """``1·0.5 + 2·1 + 3·0`` with the book's number format."""
    f = plot.format_number
    text = " + ".join(f"{f(a)}·{f(b)}" for a, b in zip(values, weights))
    return text.replace("+ \u2212", "\u2212 ")


def explore_sliding(x=(1, 2, 3), k=(0, 1, 0.5)):
    """Step through a 1-D convolution: pad, place the flipped kernel, multiply, add.

    Every frame shows the zero-padded input, the kernel under the window, the products
    and the 'full' output so far, with all the numbers, and the equation of the current
    output value as text. The chosen mode ('full', 'same', 'valid') is outlined as a
    slice of the full output. Turning the flip off shows cross-correlation instead.

    Parameters
    ----------
    x : sequence of float
        The input (short: 2-8 samples read well).
    k : sequence of float
        The kernel (1-5 taps).

    Returns
    -------
    Demo
        Controls: ``position`` (Step over the ``len(x) + len(k) - 1`` positions of the
        full output, with a play button), ``mode`` ('full', 'same', 'valid'), ``flip``
        (True: convolution, False: cross-correlation).

    See Also
    --------
    convkit.plot.sliding_step, convkit.convolve, convkit.correlate
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    if x.ndim != 1 or k.ndim != 1 or x.size == 0 or k.size == 0:
        raise ValueError(f"x and k must be non-empty 1-D sequences; got shapes {x.shape} and "
                         f"{k.shape}")
    n, K = x.size, k.size
    L = n + K - 1
    xp = np.concatenate([np.zeros(K - 1), x, np.zeros(K - 1)])
    f = plot.format_number

    def draw(position, mode, flip):
        ax = sliding_step(x, k, position, flip=flip, mode=mode)
        full = convolve(x, k) if flip else correlate(x, k)
        weights = k[::-1] if flip else k
        j = position
        text = f"y[{j}] = {_dot_text(xp[j:j + K], weights)} = {f(full[j])}"
        keep = mode_slice(n, K, mode)
        if mode == "full":
            text += f"   (full output: {L} values)"
        elif keep.start <= j < keep.stop:
            text += f"   (value {j - keep.start} of the {keep.stop - keep.start} in '{mode}')"
        else:
            text += f"   (not part of '{mode}': the kernel hangs over the padding)"
        name = "convolve" if flip else "correlate"
        code = f"ck.{name}(x, k, mode={mode!r})   # {_array_text(full[keep])}"
        return Frame(ax.figure, text=text, code=code)

    controls = [
        Step("position", L, "Output position", labels=[f"y[{j}]" for j in range(L)],
             interval=1400),
        Choice("mode", ["full", "same", "valid"], "Output mode"),
        Toggle("flip", "Flip the kernel (convolution)", default=True),
    ]
    return Demo(draw, controls, title="Sliding the flipped kernel along x",
                alt="Step-through of a 1-D convolution: padded input, kernel under the window, "
                    "products and output so far, with numbers.")


def _array_text(a):
    return "[" + ", ".join(plot.format_number(v).replace("\u2212", "-") for v in a) + "]"


# --- filters on a real signal -----------------------------------------------------------------

SMOOTHING_KINDS = ("moving average", "Gaussian", "difference", "causal exponential")
"""Kernel families of :func:`explore_smoothing` (see :func:`smoothing_kernel`)."""


def smoothing_kernel(kind, width):
    """A 1-D kernel of one of four families, and whether it is causal.

    Parameters
    ----------
    kind : {'moving average', 'Gaussian', 'difference', 'causal exponential'}
    width : int, >= 1
        'moving average': ``width`` taps of ``1 / width``.
        'Gaussian': the same standard deviation as the ``width``-point average,
        ``sigma = width / sqrt(12)``, sampled on ``2 ceil(3 sigma) + 1`` taps, sum 1.
        'difference': the first difference of the ``width``-point average,
        ``(x[n] - x[n - width]) / width``; ``width=1`` is ``[1, -1]``.
        'causal exponential': ``(1 - a) a^m`` for ``m >= 0`` with
        ``a = (width - 1) / (width + 1)`` (the same mean delay, ``(width - 1) / 2``, as a
        causal ``width``-point average), cut where ``a^m < 1e-3`` and scaled to sum 1.

    Returns
    -------
    k : ndarray, shape (K,)
        Tap ``k[0]`` multiplies the current sample ``x[n]`` of a causal kernel; a
        centred kernel (odd length) is centred on its middle tap.
    causal : bool
        True for 'difference' and 'causal exponential': use
        ``convolve(x, k)[:len(x)]`` (output ``n`` depends on ``x[n], x[n-1], ...``);
        False: ``convolve(x, k, 'same')``.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width={width!r} must be an int >= 1")
    w = int(width)
    if kind == "moving average":
        return np.full(w, 1.0 / w), False
    if kind == "Gaussian":
        sigma = w / math.sqrt(12)
        r = np.arange(-math.ceil(3 * sigma), math.ceil(3 * sigma) + 1)
        g = np.exp(-r ** 2 / (2 * sigma ** 2))
        return g / g.sum(), False
    if kind == "difference":
        k = np.zeros(w + 1)
        k[0], k[w] = 1.0 / w, -1.0 / w
        return k, True
    if kind == "causal exponential":
        a = (w - 1) / (w + 1)
        if a == 0:
            return np.ones(1), True
        m = np.arange(int(math.ceil(math.log(1e-3) / math.log(a))) + 1)
        e = (1 - a) * a ** m
        return e / e.sum(), True
    raise ValueError(f"kind={kind!r} must be one of {SMOOTHING_KINDS}")


def _describe(kind, w, k, fs):
    f = plot.format_number
    sec = f(w / fs, 3)
    if kind == "moving average":
        if w == 1:
            return "moving average of 1 sample: the identity, nothing changes"
        return (f"moving average of {w} samples ({sec} s), centred: |H| is 0 at multiples of "
                f"fs/{w} = {f(fs / w, 1)} Hz")
    if kind == "Gaussian":
        return (f"Gaussian with sigma = {f(w / math.sqrt(12), 2)} samples (the spread of a "
                f"{w}-point average), {k.size} taps: gain falls smoothly, no zeros")
    if kind == "difference":
        if w == 1:
            return "difference x[n] − x[n−1]: gain 0 at 0 Hz rising to 2 at fs/2 (high-pass)"
        return (f"difference of the {w}-point average, (x[n] − x[n−{w}])/{w}: 0 at 0 Hz and "
                f"at multiples of {f(fs / w, 1)} Hz (band-pass)")
    a = (w - 1) / (w + 1)
    if w == 1:
        return "causal exponential with a = 0: the identity"
    return (f"causal exponential, a = {f(a, 3)}: y[n] = {f(a, 3)}·y[n−1] + {f(1 - a, 3)}·x[n]; "
            f"only the past counts, so the output lags by about {f((w - 1) / 2 / fs, 3)} s")


def explore_smoothing(x=None, fs=None, widths=(1, 3, 5, 9, 15, 25), *, start=5.0, stop=10.0):
    """Filter a real signal with four kinds of kernel and see the frequency response.

    Top: the signal (grey) and the filtered signal. Bottom left: the kernel's taps.
    Bottom right: the kernel's gain ``|H(f)|`` at each frequency (the magnitude of its
    DFT) over the signal's own amplitude spectrum (grey, scaled to 1).

    Parameters
    ----------
    x : array_like, shape (N,), optional
        Default: channel 0 of the EEG sample (``convkit.data.signal("eeg")``).
    fs : float, optional
        Sampling rate in Hz; default 80 (the EEG's), required with a custom `x`.
    widths : sequence of int
        Widths offered by the width slider (see :func:`smoothing_kernel`).
    start, stop : float
        Time window shown, in seconds.

    Returns
    -------
    Demo
        Controls: ``kind`` (one of :data:`SMOOTHING_KINDS`) and ``width`` (samples).
    """
    if x is None:
        x = data.signal("eeg")
        fs = data.SAMPLE_RATES["eeg"] if fs is None else fs
    elif fs is None:
        raise ValueError("fs (samples per second) is required with a custom signal x")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x.shape={x.shape}: expected a 1-D signal of at least 2 samples")
    fs = float(fs)
    i0, i1 = int(round(start * fs)), int(round(stop * fs))
    lim = 1.08 * float(np.abs(x[i0:i1]).max())
    spectrum = np.abs(np.fft.rfft(x - x.mean()))
    spectrum /= spectrum.max()
    freqs = np.fft.rfftfreq(x.size, 1 / fs)

    def draw(kind, width):
        k, causal = smoothing_kernel(kind, width)
        y = convolve(x, k)[:x.size] if causal else convolve(x, k, "same")
        host = new_host((7.0, 4.1))
        signal_traces({"signal": x, f"filtered: {kind}, width {width}": y}, fs, host,
                      rect=(0.5, 2.55, 6.35, 1.45), start=start, stop=stop, ylim=(-lim, lim))
        kernel_stems(k, host, rect=(0.62, 0.52, 2.15, 1.3), start=0 if causal else -(k.size // 2),
                     title=f"kernel k: {k.size} tap{'s' if k.size > 1 else ''}")
        zeros = [fs / width * i for i in range(1, width // 2 + 1)] \
            if kind in ("moving average", "difference") and width > 1 else ()
        frequency_response({"gain |H(f)| of k": k}, fs, host, rect=(3.65, 0.52, 3.2, 1.45),
                           ylim=(0, 2.1), zeros=zeros, background=(freqs, spectrum))
        fig = host.figure
        taps = f"k: {k.size} tap{'s' if k.size > 1 else ''}"
        code = (f"y = ck.convolve(x, k)[:len(x)]   # {taps}, causal: y[n] uses x[n], x[n-1], ..."
                if causal else f"y = ck.convolve(x, k, mode='same')   # {taps}, centred: no delay")
        return Frame(fig, text=_describe(kind, width, k, fs), code=code)

    controls = [Choice("kind", list(SMOOTHING_KINDS), "Kernel", buttons=True),
                Slider("width", list(widths), "Width (samples)", default=9 if 9 in widths
                       else None)]
    return Demo(draw, controls, title="Filtering a recorded signal",
                alt="A signal and its filtered version, the kernel's taps and its frequency "
                    "response.")
