"""convkit agrees with PyTorch on awkward cases, without torch installed.

The reference outputs in ``fixtures/torch_cases.npz`` were computed by
``torch.nn.functional`` in float64 (see ``fixtures/make_torch_fixtures.py``,
run by hand with a separate torch environment). Each case is an op, its inputs
and its keyword arguments: even kernels with ``padding="same"``, every
``padding_mode``, groups, dilation, unbatched input, transposed convolutions
with ``output_padding``, pools with ``ceil_mode`` edge windows and
``count_include_pad``.

Every case runs twice: in float64 it must match torch to rounding error; in
float32 it must stay float32 and match to float32 accuracy (the inputs are
exactly representable in float32, so only the arithmetic differs).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import convkit

FIXTURES = Path(__file__).parent / "fixtures" / "torch_cases.npz"

with np.load(FIXTURES) as _data:
    ARRAYS = {key: _data[key] for key in _data.files}
CASES = [json.loads(s) for s in ARRAYS["meta"]]
OPS = {f"{kind}{n}d" for kind in ("conv", "conv_transpose", "max_pool", "avg_pool") for n in (1, 2, 3)}


def _case(i: int):
    """(op, args, kwargs, expected) for case ``i``; lists in kwargs become tuples."""
    meta = CASES[i]
    get = ARRAYS.get
    args = [ARRAYS[f"case{i:03d}_x"]]
    if meta["op"].startswith("conv"):
        args += [ARRAYS[f"case{i:03d}_w"], get(f"case{i:03d}_b")]
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in meta["kwargs"].items()}
    return getattr(convkit, meta["op"]), args, kwargs, ARRAYS[f"case{i:03d}_y"]


PARAMS = [pytest.param(i, id=case["name"]) for i, case in enumerate(CASES)]


@pytest.mark.parametrize("i", PARAMS)
def test_matches_torch_float64(i):
    op, args, kwargs, expected = _case(i)
    y = op(*args, **kwargs)
    assert y.shape == expected.shape
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("i", PARAMS)
def test_matches_torch_float32(i):
    op, args, kwargs, expected = _case(i)
    args = [None if a is None else a.astype(np.float32) for a in args]
    y = op(*args, **kwargs)
    assert y.shape == expected.shape
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_fixtures_cover_every_op_batched_and_unbatched():
    for op in OPS:
        ndims = {ARRAYS[f"case{i:03d}_x"].ndim for i, c in enumerate(CASES) if c["op"] == op}
        n = int(op[-2])
        assert ndims == {n + 1, n + 2}, f"{op}: fixture input ranks {ndims}"
