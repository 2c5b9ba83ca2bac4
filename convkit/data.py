"""Real sample data for the book: a photo, an MRI slice, two recorded signals, a 3-D phantom.

Everything comes from files that ship with matplotlib (``mpl-data/sample_data``),
so nothing is downloaded. matplotlib and Pillow are imported inside the
functions, so ``import convkit.data`` needs NumPy only, and pyplot is never
imported. Files are read once and cached; every call returns a fresh copy you
may modify.

=================  ===============================  ==========================
function           source file                      result
=================  ===============================  ==========================
``photo``          ``grace_hopper.jpg`` (600x512)   (H, W) or (H, W, 3) in [0, 1]
``mri``            ``s1045.ima.gz`` (256x256)       (H, W) in [0, 1]
``signal``         ``eeg.dat``, ``membrane.dat``    1-D float64
``phantom3d``      computed                         (D, D, D)
``video``          the grey photo, panned           (T, H, W) in [0, 1]
=================  ===============================  ==========================
"""
import functools
import io
import math

import numpy as np

from ._args import as_int

__all__ = ["photo", "mri", "signal", "SAMPLE_RATES", "EEG_CHANNELS", "phantom3d", "video",
           "impulse", "step_signal"]

#: Samples per second of the signals returned by :func:`signal`.
SAMPLE_RATES = {"eeg": 80.0, "membrane": 2000.0}
#: Electrode labels of the four EEG channels, as in matplotlib's ``mri_with_eeg`` example.
EEG_CHANNELS = ("PG3", "PG5", "PG7", "PG9")

_LUMA = np.array([0.299, 0.587, 0.114])


# --- argument checks --------------------------------------------------------------------------

def _positive_int(value, name):
    return as_int(value, name, minimum=1)


def _target_shape(size, name="size"):
    """None -> None; int -> ('square', n); (h, w) -> ('exact', (h, w))."""
    if size is None:
        return None
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"{name}={size!r} must be None, an int or a pair (height, width)")
        return "exact", tuple(_positive_int(v, name) for v in size)
    return "square", _positive_int(size, name)


# --- reading and resizing ---------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _sample_bytes(filename):
    """The bytes of a matplotlib sample file (``.gz`` files come back decompressed)."""
    from matplotlib import cbook
    with cbook.get_sample_data(filename) as f:
        return f.read()


def _resize(image, shape):
    """Area-average (box filter) resize of a 2-D float image to ``shape``, deterministic."""
    from PIL import Image
    h, w = shape
    if image.shape == (h, w):
        return image.copy()
    pil = Image.fromarray(np.ascontiguousarray(image, dtype=np.float32))  # mode "F"
    out = np.asarray(pil.resize((w, h), resample=Image.Resampling.BOX), dtype=np.float64)
    return out


def _apply_size(image, size):
    """Resize a (H, W) or (H, W, C) image as described in :func:`photo`."""
    target = _target_shape(size)
    if target is None:
        return image.copy()
    kind, value = target
    if kind == "square":
        h, w = image.shape[:2]
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        image = image[top:top + side, left:left + side]
        value = (value, value)
    if image.ndim == 2:
        out = _resize(image, value)
    else:
        out = np.stack([_resize(image[..., c], value) for c in range(image.shape[2])], axis=-1)
    return np.clip(out, 0.0, 1.0)


@functools.lru_cache(maxsize=None)
def _photo_rgb():
    from PIL import Image
    with Image.open(io.BytesIO(_sample_bytes("grace_hopper.jpg"))) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float64) / 255.0
    rgb.flags.writeable = False
    return rgb


# --- images -----------------------------------------------------------------------------------

def photo(size=None, grey=True):
    """Portrait of Grace Hopper (``grace_hopper.jpg``, 600 x 512 pixels), as floats in [0, 1].

    Parameters
    ----------
    size : None, int or (int, int)
        None keeps the full 600 x 512 image. An int ``n`` crops the central square
        (512 x 512) and resizes it to ``n x n``. A pair ``(h, w)`` resizes the whole image
        to exactly that shape (which may distort it). Resizing averages over areas (box
        filter), so shrinking does not alias.
    grey : bool
        True: luminance ``0.299 R + 0.587 G + 0.114 B``, shape (H, W).
        False: colour, shape (H, W, 3).

    Returns
    -------
    image : ndarray of float64, shape (H, W) or (H, W, 3)
    """
    rgb = _photo_rgb()
    image = rgb @ _LUMA if grey else rgb
    return _apply_size(image, size)


@functools.lru_cache(maxsize=None)
def _mri_raw():
    raw = np.frombuffer(_sample_bytes("s1045.ima.gz"), dtype=">u2").reshape(256, 256)
    image = raw.astype(np.float64) / raw.max()
    image.flags.writeable = False
    return image


def mri(size=None):
    """An MRI slice of a head (``s1045.ima.gz``, 256 x 256), as floats in [0, 1].

    The file is raw 16-bit big-endian unsigned integers with values 0-215, scaled here so
    the brightest pixel is 1. (matplotlib's ``mri_demo`` reads it in native byte order;
    because every value is below 256 that gives the same picture times 256.)

    Parameters
    ----------
    size : None, int or (int, int)
        As in :func:`photo` (the slice is already square).

    Returns
    -------
    image : ndarray of float64, shape (H, W)
    """
    return _apply_size(_mri_raw(), size)


# --- signals ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _signal_raw(name):
    if name == "eeg":
        data = np.frombuffer(_sample_bytes("eeg.dat"), dtype="<f8").reshape(800, 4)
    else:
        data = np.frombuffer(_sample_bytes("membrane.dat"), dtype="<f4").astype(np.float64)
    return data


def signal(name="eeg", channel=0):
    """A recorded 1-D signal from matplotlib's sample data, as float64.

    ``"eeg"``
        ``eeg.dat``: 800 x 4 little-endian float64 values, four EEG channels
        (:data:`EEG_CHANNELS`) over 10 s, so 80 samples per second (the timing used in
        matplotlib's ``mri_with_eeg`` example). ``channel`` picks one (0-3).
    ``"membrane"``
        ``membrane.dat``: 12 000 little-endian float32 samples of a membrane potential,
        sample interval 0.5 ms (2000 per second), 6 s in all. Multiply by 100 for
        millivolts (the values then run from about -68 to +4 mV). ``channel`` must be 0.

    Sampling rates are in :data:`SAMPLE_RATES`.

    Parameters
    ----------
    name : {"eeg", "membrane"}
    channel : int

    Returns
    -------
    x : ndarray of float64, shape (800,) or (12000,)
    """
    if name not in SAMPLE_RATES:
        raise ValueError(f"name={name!r} must be one of {sorted(SAMPLE_RATES)}")
    n_channels = len(EEG_CHANNELS) if name == "eeg" else 1
    if isinstance(channel, bool) or not isinstance(channel, (int, np.integer)) \
            or not 0 <= channel < n_channels:
        raise ValueError(f"channel={channel!r} must be an int from 0 to {n_channels - 1} "
                         f"for name={name!r}")
    data = _signal_raw(name)
    return np.array(data[:, channel] if name == "eeg" else data, dtype=np.float64)


def impulse(n, at=0):
    """Unit impulse of length ``n``: 1 at index ``at``, 0 elsewhere.

    Parameters
    ----------
    n : int, >= 1
    at : int, 0 <= at < n

    Returns
    -------
    x : ndarray of float64, shape (n,)
    """
    n = _positive_int(n, "n")
    if isinstance(at, bool) or not isinstance(at, (int, np.integer)) or not 0 <= at < n:
        raise ValueError(f"at={at!r} must be an int from 0 to {n - 1}")
    x = np.zeros(n)
    x[at] = 1.0
    return x


def step_signal(n, at=0):
    """Unit step of length ``n``: 0 before index ``at``, 1 from ``at`` on.

    Parameters
    ----------
    n : int, >= 1
    at : int, 0 <= at <= n

    Returns
    -------
    x : ndarray of float64, shape (n,)
    """
    n = _positive_int(n, "n")
    if isinstance(at, bool) or not isinstance(at, (int, np.integer)) or not 0 <= at <= n:
        raise ValueError(f"at={at!r} must be an int from 0 to {n}")
    x = np.zeros(n)
    x[at:] = 1.0
    return x


# --- volumes ----------------------------------------------------------------------------------

# Modified 3-D Shepp-Logan phantom (Toft's contrast values), the table used by
# M. Schabel's phantom3d and many CT toolboxes:
#   A: added intensity; a, b, c: semi-axes; x0, y0, z0: centre; phi, theta, psi: Euler
#   angles (z-x-z, degrees). Coordinates run over [-1, 1] in each direction.
_SHEPP_LOGAN_3D = np.array([
    #   A      a      b      c      x0     y0      z0    phi  theta  psi
    [ 1.0, .6900, .920, .810,  0.00,  0.0000,  0.00,   0.0, 0.0,  0.0],
    [-0.8, .6624, .874, .780,  0.00, -0.0184,  0.00,   0.0, 0.0,  0.0],
    [-0.2, .1100, .310, .220,  0.22,  0.0000,  0.00, -18.0, 0.0, 10.0],
    [-0.2, .1600, .410, .280, -0.22,  0.0000,  0.00,  18.0, 0.0, 10.0],
    [ 0.1, .2100, .250, .410,  0.00,  0.3500, -0.15,   0.0, 0.0,  0.0],
    [ 0.1, .0460, .046, .050,  0.00,  0.1000,  0.25,   0.0, 0.0,  0.0],
    [ 0.1, .0460, .046, .050,  0.00, -0.1000,  0.25,   0.0, 0.0,  0.0],
    [ 0.1, .0460, .023, .050, -0.08, -0.6050,  0.00,   0.0, 0.0,  0.0],
    [ 0.1, .0230, .023, .020,  0.00, -0.6060,  0.00,   0.0, 0.0,  0.0],
    [ 0.1, .0230, .046, .020,  0.06, -0.6050,  0.00,   0.0, 0.0,  0.0],
])


def _euler_zxz(phi, theta, psi):
    """Rotation matrix taking world coordinates into an ellipsoid's own axes."""
    cphi, sphi = math.cos(phi), math.sin(phi)
    cth, sth = math.cos(theta), math.sin(theta)
    cpsi, spsi = math.cos(psi), math.sin(psi)
    return np.array([
        [cpsi * cphi - cth * sphi * spsi, cpsi * sphi + cth * cphi * spsi, spsi * sth],
        [-spsi * cphi - cth * sphi * cpsi, -spsi * sphi + cth * cphi * cpsi, cpsi * sth],
        [sth * sphi, -sth * cphi, cth],
    ])


def phantom3d(size=64):
    """3-D modified Shepp-Logan head phantom: ten ellipsoids added on a cube.

    Uses the standard table of the modified phantom (Toft's contrast values, as in
    Schabel's ``phantom3d``): a skull of intensity 1, brain 0.2, two darker ventricles
    and small brighter spots. Voxel centres sample [-1, 1] in each direction; the array
    is indexed ``[z, y, x]`` with ``y`` pointing up the image (row 0 is the top), so
    ``phantom3d(n)[n // 2]`` looks like the familiar 2-D phantom.

    Parameters
    ----------
    size : int
        Voxels per side, >= 1.

    Returns
    -------
    volume : ndarray of float64, shape (size, size, size)
        Values in [0, 1].
    """
    size = _positive_int(size, "size")
    c = (2 * np.arange(size) + 1) / size - 1            # voxel centres in (-1, 1)
    z, y, x = np.meshgrid(c, -c, c, indexing="ij")
    points = np.stack([x, y, z], axis=-1)
    volume = np.zeros((size, size, size))
    for A, a, b, cc, x0, y0, z0, phi, theta, psi in _SHEPP_LOGAN_3D:
        R = _euler_zxz(*np.deg2rad([phi, theta, psi]))
        q = (points - [x0, y0, z0]) @ R.T               # coordinates in the ellipsoid's axes
        inside = (q[..., 0] / a) ** 2 + (q[..., 1] / b) ** 2 + (q[..., 2] / cc) ** 2 <= 1
        volume[inside] += A
    return np.clip(volume, 0.0, 1.0)                    # remove round-off below 0


def video(frames=16, size=64, step=2):
    """A short grey video: a square window panning right across the photo.

    The grey :func:`photo` is shrunk so its height is ``2 * size`` (width about
    ``1.7 * size``); frame ``t`` is the ``size x size`` window at the vertical centre whose
    left edge is at column ``t * step``. Useful as a (T, H, W) volume for 3-D convolution:
    content moves ``step`` pixels left per frame.

    Parameters
    ----------
    frames : int, >= 1
    size : int, >= 1
    step : int, >= 0
        Pixels moved per frame.

    Returns
    -------
    volume : ndarray of float64, shape (frames, size, size)
        Values in [0, 1].
    """
    frames = _positive_int(frames, "frames")
    size = _positive_int(size, "size")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 0:
        raise ValueError(f"step={step!r} must be an int >= 0")
    grey = photo(grey=True)
    height = 2 * size
    width = round(grey.shape[1] * height / grey.shape[0])
    image = np.clip(_resize(grey, (height, width)), 0.0, 1.0)
    needed = (frames - 1) * step + size
    if needed > width:
        most = (width - size) // step + 1 if step else frames
        raise ValueError(f"frames={frames} with step={step} pans {needed} pixels but the "
                         f"photo is {width} pixels wide at size={size}; use at most "
                         f"{most} frames or a smaller step")
    top = (height - size) // 2
    return np.stack([image[top:top + size, t * step:t * step + size] for t in range(frames)])
