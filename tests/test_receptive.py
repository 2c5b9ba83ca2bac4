"""Receptive field: the recurrence against hand-worked stacks and against the empirical method."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import convkit as ck
from convkit._receptive import Layer, LayerField, layer_gradients

settings.register_profile("convkit", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("convkit")

CONV3 = dict(kind="conv", k=3)


def vgg16():
    layers = []
    for block, convs in enumerate([2, 2, 3, 3, 3], 1):
        layers += [dict(kind="conv", k=3, p=1, name=f"conv{block}_{c}") for c in range(1, convs + 1)]
        layers.append(dict(kind="pool", k=2, name=f"pool{block}"))
    return layers


# --- hand-worked stacks ------------------------------------------------------------------------

def test_three_3x3_convs_see_7():
    t = ck.receptive_field([CONV3, CONV3, CONV3])
    assert [f.r for f in t] == [3, 5, 7]
    assert [f.j for f in t] == [1, 1, 1]
    # valid convolutions: unit 0 of layer l is centred on input l
    assert [f.start for f in t] == [1, 2, 3]


def test_stride_2_then_3x3_sees_7_with_jump_2():
    t = ck.receptive_field([dict(kind="conv", k=3, s=2), CONV3])
    assert (t[0].r, t[0].j) == (3, 2)
    assert (t[1].r, t[1].j) == (7, 2)        # 3 + (3 - 1) * 2, not 3 + 3 - 1


def test_dilations_1_2_4_see_15():
    t = ck.receptive_field([dict(kind="conv", k=3, d=d, p=d) for d in (1, 2, 4)], n=32)
    assert [f.r for f in t] == [3, 7, 15]
    assert [f.layer.span for f in t] == [3, 5, 9]
    assert [f.start for f in t] == [0, 0, 0]          # 'same' padding: centred on the unit
    assert [f.n for f in t] == [32, 32, 32]


def test_vgg16_published_values():
    t = ck.receptive_field(vgg16(), n=224)
    assert [f.r for f in t] == [3, 5, 6, 10, 14, 16, 24, 32, 40, 44, 60, 76, 92, 100, 132, 164,
                                196, 212]
    assert t[-1].j == 32 and t[-1].n == 7
    assert t[-1].layer.name == "pool5"


def test_wavenet_like_stack():
    t = ck.receptive_field([dict(kind="conv", k=2, d=2 ** i) for i in range(10)])
    assert t[-1].r == 1024 and t[-1].j == 1


def test_pool_stride_defaults_to_k_and_even_windows_centre_between_pixels():
    t = ck.receptive_field([dict(kind="pool", k=2)])
    assert t[0].layer.s == 2 and t[0].j == 2 and t[0].start == 0.5
    assert t[0].bounds(3) == (6, 7)
    assert ck.receptive_field([("conv", 2)])[0].layer.s == 1


def test_layer_forms_are_equivalent():
    forms = [Layer("conv", 3, 2, 2, 1), dict(kind="conv", k=3, s=2, d=2, p=1), ("conv", 3, 2, 2, 1),
             ["conv", 3, 2, 2, 1]]
    tables = [ck.receptive_field([f, ("pool", 2)]) for f in forms]
    assert all(t == tables[0] for t in tables)
    assert isinstance(tables[0][0], LayerField)


def test_bounds_formula():
    layers = [dict(kind="conv", k=5, s=2, p=2), dict(kind="conv", k=3, d=2, p=1), ("pool", 3, 2, 1, 1)]
    t = ck.receptive_field(layers)
    for q in range(4):
        first, last = t[-1].bounds(q)
        # first = q*j - sum of p_l * j_{l-1}: an integer even when start is not
        assert first == q * t[-1].j - (2 * 1 + 1 * 2 + 1 * 2)
        assert last - first + 1 == t[-1].r
        assert (first + last) / 2 == t[-1].centre(q) == t[-1].start + q * t[-1].j


def test_output_sizes_match_the_ops():
    layers = [dict(kind="conv", k=5, s=2, p=2), dict(kind="conv", k=3, d=2, p=1),
              dict(kind="pool", k=3, s=2, p=1), dict(kind="pool", k=2)]
    t = ck.receptive_field(layers, n=37)
    x = np.ones((1, 37))
    for f in t:
        L = f.layer
        if L.kind == "conv":
            x = ck.conv1d(x, np.ones((1, 1, L.k)), stride=L.s, padding=L.p, dilation=L.d)
            assert f.n == ck.conv_output_size(37 if f is t[0] else prev, L.k, L.s, L.p, L.d)
        else:
            x = ck.max_pool1d(x, L.k, L.s, L.p)
            assert f.n == ck.pool_output_size(prev, L.k, L.s, L.p)
        assert x.shape[-1] == f.n
        prev = f.n


def test_table_prints():
    t = ck.receptive_field(vgg16()[:3], n=8)
    text = str(t)
    assert text.splitlines()[0].split() == ["layer", "name", "kind", "k", "s", "d", "p", "span", "r",
                                            "j", "start", "n_out"]
    assert text.splitlines()[3].split() == ["3", "pool1", "pool", "2", "2", "1", "0", "2", "6", "2",
                                            "0.5", "4"]
    assert ">pool1</td>" in t._repr_html_() and t._repr_html_().startswith("<table")


def test_empirical_hand_worked():
    assert ck.receptive_field_empirical([CONV3] * 3, 20, 5) == (5, 11)
    g = ck.receptive_field_empirical([CONV3] * 3, 9, 1, result="gradient")
    assert g.tolist() == [0, 1, 3, 6, 7, 6, 3, 1, 0]          # paths from each input
    # a dilated kernel has holes; the extent is still r = 5
    m = ck.receptive_field_empirical([dict(kind="conv", k=3, d=2)], 9, 2, result="mask")
    assert np.flatnonzero(m).tolist() == [2, 4, 6]
    assert ck.receptive_field_empirical([dict(kind="conv", k=3, d=2)], 9, 2) == (2, 6)
    # padding: unit 0 of a 'same' 5x5 conv sees inputs 0..2 only
    assert ck.receptive_field_empirical([dict(kind="conv", k=5, p=2)], 9, 0) == (0, 2)
    # a unit that sees only padding
    assert ck.receptive_field_empirical([dict(kind="conv", k=1, p=2)], 3, 0) is None


def test_empirical_2d():
    layers = [dict(kind="conv", k=3, s=2, p=1), dict(kind="conv", k=3, d=2, p=2)]
    assert ck.receptive_field_empirical(layers, (16, 20), (3, 4)) == ((1, 11), (3, 13))
    m = ck.receptive_field_empirical(layers, (16, 20), (3, 4), result="mask")
    assert m.shape == (16, 20) and m.dtype == bool


# --- the recurrence against the measurement ----------------------------------------------------

@st.composite
def stacks(draw):
    return [Layer(draw(st.sampled_from(["conv", "pool"])), draw(st.integers(1, 5)),
                  draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(0, 2)))
            for _ in range(draw(st.integers(1, 5)))]


def sizes(layers, n):
    out = [n]
    for L in layers:
        out.append((out[-1] + 2 * L.p - L.d * (L.k - 1) - 1) // L.s + 1)
    return out


def reference_taps(layers, n, position):
    """Input indices that can reach output unit `position`: composed by hand, layer by layer.

    Unit i of a layer reads positions i*s - p + t*d (t = 0..k-1) of the layer below; the
    positions that are padding (outside 0..n-1) carry no input.
    """
    ns = sizes(layers, n)
    units = {position}
    for L, n_below in zip(reversed(layers), reversed(ns[:-1])):
        units = {i * L.s - L.p + t * L.d for i in units for t in range(L.k)}
        units = {u for u in units if 0 <= u < n_below}
    return units


@given(stacks(), st.integers(0, 12), st.data())
def test_recurrence_equals_the_empirical_field(layers, extra, data):
    table = ck.receptive_field(layers)
    last = table[-1]
    jumps_before = [1] + [f.j for f in table[:-1]]
    overhang = sum(L.p * j for L, j in zip(layers, jumps_before))    # unit 0's field starts here
    n = last.r + 2 * overhang + 2 * last.j + extra
    ns = sizes(layers, n)
    assume(min(ns) >= 1)
    lo = math.ceil(overhang / last.j)                 # first >= 0
    hi = min((n - last.r + overhang) // last.j, ns[-1] - 1)    # last <= n - 1
    assume(lo <= hi)
    q = data.draw(st.integers(lo, hi))
    first, last_index = ck.receptive_field_empirical(layers, n, q)
    assert last_index - first + 1 == last.r
    assert (first + last_index) / 2 == last.start + q * last.j
    assert (first, last_index) == last.bounds(q)


@given(stacks(), st.integers(1, 40), st.data())
def test_empirical_support_is_the_composed_tap_set(layers, n, data):
    """Anywhere, borders included: the measured support is exactly the tap set, and lies
    within the recurrence's field clipped to the input."""
    ns = sizes(layers, n)
    assume(min(ns) >= 1)
    q = data.draw(st.integers(0, ns[-1] - 1))
    mask = ck.receptive_field_empirical(layers, n, q, result="mask")
    assert set(np.flatnonzero(mask).tolist()) == reference_taps(layers, n, q)
    first, last = ck.receptive_field(layers, n=n)[-1].bounds(q)
    hit = np.flatnonzero(mask)
    if hit.size:
        assert max(first, 0) <= hit[0] and hit[-1] <= min(last, n - 1)
        assert ck.receptive_field_empirical(layers, n, q) == (hit[0], hit[-1])
    else:
        assert ck.receptive_field_empirical(layers, n, q) is None


@given(stacks(), st.integers(1, 24), st.integers(1, 24), st.data())
def test_2d_field_is_separable(layers, h, w, data):
    hs, ws = sizes(layers, h), sizes(layers, w)
    assume(min(hs) >= 1 and min(ws) >= 1)
    q = (data.draw(st.integers(0, hs[-1] - 1)), data.draw(st.integers(0, ws[-1] - 1)))
    mask = ck.receptive_field_empirical(layers, (h, w), q, result="mask")
    rows = ck.receptive_field_empirical(layers, h, q[0], result="mask")
    cols = ck.receptive_field_empirical(layers, w, q[1], result="mask")
    assert np.array_equal(mask, np.outer(rows, cols))


def test_clipping_at_an_intermediate_layer():
    # floor mode drops input 4 (unit 2 of layer 1 does not exist); layer 2's padding stands
    # where it would be, so the measured field ends at 3 although the recurrence says 5
    layers = [dict(kind="conv", k=2, s=2), dict(kind="conv", k=3, p=1)]
    assert ck.receptive_field(layers, n=5)[-1].bounds(1) == (0, 5)
    assert ck.receptive_field_empirical(layers, 5, 1) == (0, 3)


def test_layer_gradients():
    grads = layer_gradients([CONV3, dict(kind="pool", k=2)], 8, 1)
    assert [g.shape for g in grads] == [(8,), (6,), (3,)]
    assert grads[-1].tolist() == [0, 1, 0]
    assert grads[1].tolist() == [0, 0, 1, 1, 0, 0]
    assert grads[0].tolist() == [0, 0, 1, 2, 2, 1, 0, 0]


# --- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call,exc,words", [
    (lambda: ck.receptive_field([dict(kind="dense", k=3)]), ValueError,
     ["layers[0]", "kind='dense'", "'conv'", "'pool'"]),
    (lambda: ck.receptive_field([CONV3, dict(kind="conv", k=0)]), ValueError, ["layers[1]: k=0", ">= 1"]),
    (lambda: ck.receptive_field([dict(kind="conv", k=3, s=1.5)]), TypeError, ["s", "integer", "1.5"]),
    (lambda: ck.receptive_field([dict(kind="conv", k=3, d=0)]), ValueError, ["d=0", ">= 1", "no holes"]),
    (lambda: ck.receptive_field([dict(kind="conv", k=3, p=-1)]), ValueError, ["p=-1", ">= 0"]),
    (lambda: ck.receptive_field([dict(kind="conv", k=3, stride=2)]), ValueError,
     ["unknown key", "'stride'", "'s'"]),
    (lambda: ck.receptive_field([dict(k=3)]), ValueError, ["'kind'"]),
    (lambda: ck.receptive_field([("conv",)]), ValueError, ["1 entries", "kind"]),
    (lambda: ck.receptive_field([3]), TypeError, ["layers[0]", "Layer, a dict or a tuple"]),
    (lambda: ck.receptive_field(CONV3), TypeError, ["single layer", "list"]),
    (lambda: ck.receptive_field([]), ValueError, ["empty"]),
    (lambda: ck.receptive_field([CONV3] * 3, n=6), ValueError,
     ["layers[2]", "spans 3", "larger than its padded input 2", "no output"]),
    (lambda: ck.receptive_field([CONV3], n=0), ValueError, ["n=0", ">= 1"]),
    (lambda: ck.receptive_field_empirical([CONV3], 5, 3), ValueError, ["position=3", "0 to 2"]),
    (lambda: ck.receptive_field_empirical([CONV3], (5, 5), 1), ValueError, ["position=1", "pair"]),
    (lambda: ck.receptive_field_empirical([CONV3], 5, (1, 1)), ValueError, ["position=(1, 1)", "int"]),
    (lambda: ck.receptive_field_empirical([CONV3], (5, 5, 5), (1, 1, 1)), ValueError, ["n=(5, 5, 5)"]),
    (lambda: ck.receptive_field_empirical([CONV3], 5, 1, result="set"), ValueError,
     ["result='set'", "'bounds'", "'mask'", "'gradient'"]),
])
def test_errors_name_parameter_value_and_rule(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
