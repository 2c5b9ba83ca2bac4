"""Time convkit against PyTorch (CPU) and SciPy on ten typical float32 workloads.

Usage::

    .venv/bin/python benchmarks/bench_ops.py --torch-python /tmp/torchenv/bin/python
    .venv/bin/python benchmarks/bench_ops.py --cases a,b --repeat 11
    .venv/bin/python benchmarks/bench_ops.py --lib torch      # one library, human-readable

Each library runs in its own process (this script re-invokes itself with
``--lib convkit|scipy|torch --json``), so no library's thread pool or import side
effects touch another's timings. convkit and SciPy run in this interpreter;
torch runs in ``--torch-python`` (default: this interpreter), with
``torch.set_num_threads(os.cpu_count())``. A time is the best (minimum) of
``--repeat`` calls after ``--warmup`` calls, measured with ``time.perf_counter``;
``--rounds N`` (default 3) runs the three processes N times, interleaved, and keeps each
case's best. Every process builds the same seeded inputs, and the parent checks
that all libraries produced outputs of the same shape and sum of absolute values.

See ``benchmarks/README.md`` for the cases and the targets.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 0

# key: (description, op, x shape, weight shape or None, kwargs)
CASES = {
    "a": ("512x512 grey image, 3x3, valid", "conv2d", (1, 1, 512, 512), (1, 1, 3, 3), {}),
    "b": ("512x512 grey image, 15x15, valid", "conv2d", (1, 1, 512, 512), (1, 1, 15, 15), {}),
    "c": ("8x64x56x56, 3x3 64->64, p1", "conv2d", (8, 64, 56, 56), (64, 64, 3, 3),
          {"padding": 1}),
    "d": ("8x64x56x56, 3x3 64->64, p1 s2", "conv2d", (8, 64, 56, 56), (64, 64, 3, 3),
          {"padding": 1, "stride": 2}),
    "e": ("8x256x28x28, 1x1 256->64", "conv2d", (8, 256, 28, 28), (64, 256, 1, 1), {}),
    "f": ("8x128x56x56, depthwise 3x3, p1", "conv2d", (8, 128, 56, 56), (128, 1, 3, 3),
          {"padding": 1, "groups": 128}),
    "g": ("8x64x28x28, transpose 4x4 s2 p1 ->32", "conv_transpose2d", (8, 64, 28, 28),
          (64, 32, 4, 4), {"stride": 2, "padding": 1}),
    "h": ("8x64x112x112, max_pool 2x2", "max_pool2d", (8, 64, 112, 112), None,
          {"kernel_size": 2}),
    "i": ("8x64x112x112, avg_pool 3x3 s2 p1", "avg_pool2d", (8, 64, 112, 112), None,
          {"kernel_size": 3, "stride": 2, "padding": 1}),
    "j": ("1x8x32x32x32, conv3d 3x3x3 8->8, p1", "conv3d", (1, 8, 32, 32, 32), (8, 8, 3, 3, 3),
          {"padding": 1}),
}

# Largest allowed convkit time / other library's time.
TARGETS = {
    "a": {"torch": 1.0, "scipy": 1.0},
    "b": {"torch": 1.5, "scipy": 2.0},
    "c": {"torch": 2.0},
    "d": {"torch": 2.0},
    "e": {"torch": 1.2},
    "f": {"torch": 5.0},
    "g": {"torch": 2.5},
    "h": {"torch": 1.5},
    "i": {"torch": 1.5},
    "j": {"torch": 1.0},
}
SCIPY_CASES = ("a", "b")  # the only cases SciPy has a comparable op for
LIBS = ("convkit", "scipy", "torch", "blas")
# The matrix products of the matrix-product cases alone, with NumPy's BLAS: (A rows, inner,
# columns per sample). Direct methods must do at least this much BLAS work, so the time of
# these products over torch's time is the best ratio they can reach on this machine.
FLOORS = {
    "c": (64, 64 * 9, 56 * 56),  # im2col: (C_out, C_in*k*k) @ (C_in*k*k, H*W) per sample
    "d": (64, 64 * 9, 28 * 28),
    "e": (64, 256, 28 * 28),  # 1x1: (C_out, C_in) @ (C_in, H*W)
    "g": (32 * 16, 64, 28 * 28),  # scatter: (C_out*k*k, C_in) @ (C_in, H*W)
}


def make_inputs(key):
    """The same float32 arrays in every process: x, weight (or None), kwargs."""
    _, _, x_shape, w_shape, kwargs = CASES[key]
    rng = np.random.default_rng([SEED, ord(key)])
    x = rng.standard_normal(x_shape, dtype=np.float32)
    w = None if w_shape is None else rng.standard_normal(w_shape, dtype=np.float32)
    return x, w, kwargs


def best_ms(fn, repeat, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def summary(y):
    y = np.asarray(y)
    return {"shape": list(y.shape), "abs_sum": float(np.abs(y, dtype=np.float64).sum())}


# --------------------------------------------------------------------------- one library
def calls_convkit(keys):
    import convkit

    info = {"version": getattr(convkit, "__version__", "?"), "numpy": np.__version__}
    calls = {}
    for key in keys:
        x, w, kwargs = make_inputs(key)
        fn = getattr(convkit, CASES[key][1])
        args = (x,) if w is None else (x, w)
        calls[key] = {"convkit": lambda fn=fn, args=args, kw=kwargs: fn(*args, **kw)}
    return info, calls


def calls_scipy(keys):
    import scipy
    from scipy import ndimage, signal

    info = {"version": scipy.__version__, "numpy": np.__version__}
    calls = {}
    for key in keys:
        if key not in SCIPY_CASES:
            continue
        x, w, _ = make_inputs(key)
        img, k = x[0, 0], w[0, 0]
        kh, kw = k.shape
        valid = (slice(kh // 2, kh // 2 + img.shape[0] - kh + 1),
                 slice(kw // 2, kw // 2 + img.shape[1] - kw + 1))
        out = np.empty_like(img)
        calls[key] = {
            'signal.correlate(method="auto")':
                lambda img=img, k=k: signal.correlate(img, k, mode="valid", method="auto"),
            # Only the call is timed; cropping to the valid region happens in the check.
            "ndimage.correlate":
                lambda img=img, k=k, out=out: ndimage.correlate(img, k, output=out,
                                                                mode="constant"),
        }
        crop = {"ndimage.correlate": valid}
        calls[key]["_crop"] = crop
    return info, calls


def calls_torch(keys):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(os.cpu_count())
    info = {"version": torch.__version__, "threads": torch.get_num_threads(),
            "numpy": np.__version__}
    calls = {}
    for key in keys:
        x, w, kwargs = make_inputs(key)
        fn = getattr(F, CASES[key][1])
        args = (torch.from_numpy(x),) if w is None else (torch.from_numpy(x), torch.from_numpy(w))

        def call(fn=fn, args=args, kw=kwargs):
            with torch.inference_mode():
                return fn(*args, **kw)
        calls[key] = {"torch": call}
    return info, calls


def calls_blas(keys):
    """NumPy's matrix product on the shapes of FLOORS, one call for the whole batch."""
    info = {"version": f"numpy {np.__version__}", "numpy": np.__version__,
            "coretype": os.environ.get("OPENBLAS_CORETYPE", "(not set)")}
    calls = {}
    for key in keys:
        if key not in FLOORS:
            continue
        rows, inner, cols = FLOORS[key]
        n = CASES[key][2][0]
        rng = np.random.default_rng([SEED, ord(key), 1])
        a = rng.standard_normal((rows, inner), dtype=np.float32)
        b = rng.standard_normal((n, inner, cols), dtype=np.float32)
        out = np.empty((n, rows, cols), np.float32)
        calls[key] = {"matmul": lambda a=a, b=b, out=out: np.matmul(a, b, out=out)}
    return info, calls


def run_lib(lib, keys, repeat, warmup):
    """Time one library on ``keys``; returns a JSON-able dict (``error`` if it cannot run)."""
    try:
        info, calls = {"convkit": calls_convkit, "scipy": calls_scipy,
                       "torch": calls_torch, "blas": calls_blas}[lib](keys)
    except Exception as exc:  # ImportError, or a broken install
        return {"lib": lib, "error": f"{type(exc).__name__}: {exc}", "python": sys.executable}
    results = {}
    for key, variants in calls.items():
        crop = variants.pop("_crop", {})
        per_variant = {}
        for name, fn in variants.items():
            try:
                y = fn()
                if not isinstance(y, np.ndarray):
                    y = y.numpy()
                y = y[(Ellipsis,) + crop[name]] if name in crop else y
                per_variant[name] = {"ms": best_ms(fn, repeat, warmup), **summary(y)}
            except Exception as exc:
                per_variant[name] = {"error": f"{type(exc).__name__}: {exc}"}
        timed = {n: v for n, v in per_variant.items() if "ms" in v}
        best = min(timed, key=lambda n: timed[n]["ms"]) if timed else None
        results[key] = {"variants": per_variant, "best": best,
                        **(timed[best] if best else {"error": next(iter(per_variant.values()))
                                                     .get("error", "no result")})}
    return {"lib": lib, "python": sys.executable, "cpu_count": os.cpu_count(),
            **info, "results": results}


# --------------------------------------------------------------------------- parent
def spawn(lib, python, args):
    cmd = [python, str(Path(__file__).resolve()), "--lib", lib, "--json",
           "--cases", ",".join(args.cases), "--repeat", str(args.repeat),
           "--warmup", str(args.warmup)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"lib": lib, "error": f"process failed (exit {proc.returncode}): {tail}",
                "python": python}


def import_time(python, n=5):
    """Best of ``n``: convkit's cumulative import time (-X importtime) and wall times."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cumulative, wall, bare = [], [], []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([python, "-c", "pass"], cwd=ROOT, env=env, check=True)
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        proc = subprocess.run([python, "-X", "importtime", "-c", "import convkit"],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        wall.append(time.perf_counter() - t0)
        if proc.returncode:
            return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
        for line in proc.stderr.splitlines():
            m = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s?(\s*)(\S+)$", line)
            if m and m.group(3) == "convkit" and not m.group(2):
                cumulative.append(int(m.group(1)) / 1e3)
    heavy = subprocess.run(
        [python, "-c", "import sys, convkit; print(','.join(m for m in "
         "('scipy', 'matplotlib', 'ipywidgets', 'torch') if m in sys.modules))"],
        cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip()
    return {"cumulative_ms": min(cumulative) if cumulative else None,
            "wall_ms": min(wall) * 1e3, "bare_ms": min(bare) * 1e3, "heavy": heavy}


def fmt_ms(r):
    return f"{r['ms']:.2f}" if r and "ms" in r else "—"


def check_outputs(key, runs):
    """Problems if the libraries disagree on the output's shape or sum of |y|."""
    found = {lib: run["results"][key] for lib, run in runs.items()
             if lib != "blas" and "results" in run and "ms" in run["results"].get(key, {})}
    problems = []
    for lib, r in found.items():
        for name, v in r["variants"].items():
            if "error" in v:
                problems.append(f"{lib} {name}: {v['error']}")
    ref_lib = "torch" if "torch" in found else next(iter(found), None)
    if ref_lib is None:
        return problems
    ref = found[ref_lib]
    for lib, r in found.items():
        for name, v in r["variants"].items():
            if "ms" not in v:
                continue
            if v["shape"][-2:] != ref["shape"][-2:] or not np.isclose(
                    v["abs_sum"], ref["abs_sum"], rtol=1e-3):
                problems.append(f"{lib} {name} disagrees with {ref_lib}: shape {v['shape']} "
                                f"vs {ref['shape']}, sum|y| {v['abs_sum']:.6g} "
                                f"vs {ref['abs_sum']:.6g}")
    return problems


def merge(old, new):
    """Keep, per case, the faster of two runs of the same library."""
    if "error" in new or old is None or "error" in old:
        return new if old is None or "error" in old else old
    for key, r in new["results"].items():
        o = old["results"].get(key, {})
        if "ms" in r and ("ms" not in o or r["ms"] < o["ms"]):
            old["results"][key] = r
    return old


def report(args):
    libs = [lib for lib in LIBS if lib != "blas" or any(k in FLOORS for k in args.cases)]
    runs = dict.fromkeys(libs)
    load_before = os.getloadavg()[0]
    for round_ in range(args.rounds):
        for lib in libs:
            python = args.torch_python if lib == "torch" else sys.executable
            print(f"round {round_ + 1}/{args.rounds}: {lib} in {python} ...", file=sys.stderr,
                  flush=True)
            runs[lib] = merge(runs[lib], spawn(lib, python, args))
    load_after = os.getloadavg()[0]

    print(f"# convkit benchmarks ({platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.python_version()}, best of {args.repeat} after {args.warmup} warm-up"
          f"{f', best of {args.rounds} rounds' if args.rounds > 1 else ''})\n")
    busy = max(load_before, 0.0) > 0.5
    print(f"- load average (1 min) before: {load_before:.2f}, after: {load_after:.2f}"
          + (" -- the machine was busy before the run started: timings are unreliable, "
             "rerun when it is idle" if busy else ""))
    for lib, run in runs.items():
        if "error" in run:
            print(f"- {lib}: NOT AVAILABLE ({run['error']}) [{run['python']}]")
        elif lib == "blas":
            print(f"- matrix-product floor: NumPy's matmul alone, OPENBLAS_CORETYPE="
                  f"{run['coretype']} [{run['python']}]")
        else:
            extra = f", {run['threads']} threads" if "threads" in run else ""
            print(f"- {lib} {run['version']} (numpy {run['numpy']}{extra}) [{run['python']}]")
    if "error" in runs["torch"]:
        print("\n**torch not available: this run is not a result** "
              "(only the SciPy ratios below mean anything).")
    if "error" in runs["convkit"]:
        print("\n**convkit could not be imported: there is nothing to compare.**")
    print()

    head = ["case", "what", "convkit ms", "torch ms", "scipy-best ms", "convkit÷torch",
            "convkit÷scipy", "target", "result"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    notes, failed = [], False
    for key in args.cases:
        r = {lib: runs[lib].get("results", {}).get(key) for lib in ("convkit", "scipy", "torch")}
        ck = r["convkit"]
        cells, verdicts = [], []
        for other in ("torch", "scipy"):
            o = r[other]
            limit = TARGETS[key].get(other)
            if other == "scipy" and key not in SCIPY_CASES:
                cells.append("N/A")
                continue
            if ck and "ms" in ck and o and "ms" in o:
                ratio = ck["ms"] / o["ms"]
                cells.append(f"{ratio:.2f}")
                if limit is not None:
                    ok = ratio <= limit
                    failed |= not ok
                    verdicts.append(f"{'PASS' if ok else 'FAIL'} ({other})")
            else:
                cells.append("—")
                if limit is not None:
                    verdicts.append(f"n/a ({other})")
        target = ", ".join(f"≤{v:g}× {lib}" for lib, v in TARGETS[key].items())
        scipy_ms = fmt_ms(r["scipy"]) if key in SCIPY_CASES else "N/A"
        print(f"| {key} | {CASES[key][0]} | {fmt_ms(ck)} | {fmt_ms(r['torch'])} | {scipy_ms} | "
              f"{cells[0]} | {cells[1]} | {target} | {', '.join(verdicts)} |")
        if r["scipy"] and r["scipy"].get("best"):
            v = r["scipy"]["variants"]
            notes.append(f"{key}: SciPy best is {r['scipy']['best']} ("
                         + ", ".join(f"{n} {fmt_ms(x)} ms" for n, x in v.items()) + ")")
        for problem in check_outputs(key, runs):
            notes.append(f"{key}: {problem}")
        if ck and "error" in ck:
            notes.append(f"{key}: convkit failed: {ck['error']}")

    blas = runs.get("blas") or {}
    floors = [(key, blas["results"][key], r_t) for key in args.cases
              if key in FLOORS and "results" in blas and "ms" in blas["results"].get(key, {})
              for r_t in [runs["torch"].get("results", {}).get(key)]]
    if floors:
        print("\nMatrix-product floor (NumPy's BLAS doing only the products a direct method "
              "needs; floor÷torch is the best ratio im2col or scatter can reach here):\n")
        print("| case | products (per sample) | floor ms | floor÷torch | target |")
        print("|---|---|---|---|---|")
        for key, f, t in floors:
            rows, inner, cols = FLOORS[key]
            ratio = f"{f['ms'] / t['ms']:.2f}" if t and "ms" in t else "—"
            print(f"| {key} | ({rows}×{inner}) @ ({inner}×{cols}) × {CASES[key][2][0]} | "
                  f"{f['ms']:.2f} | {ratio} | ≤{TARGETS[key]['torch']:g} |")

    it = import_time(sys.executable)
    print()
    if "error" in it:
        print(f"import convkit: FAILED ({it['error']})")
    else:
        print(f"import convkit: {it['cumulative_ms']:.1f} ms cumulative (-X importtime), "
              f"`python -c 'import convkit'` {it['wall_ms']:.0f} ms wall vs "
              f"{it['bare_ms']:.0f} ms for a bare interpreter (best of 5); "
              f"heavy modules imported: {it['heavy'] or 'none'}")
    if notes:
        print("\nNotes:")
        for note in notes:
            print(f"- {note}")
    return 1 if failed and args.strict else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES),
                        help="comma-separated subset of " + ",".join(CASES))
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per case (best counts)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls before timing")
    parser.add_argument("--rounds", type=int, default=3,
                        help="run every library's process this many times, interleaved, and "
                             "keep each case's best (steadier on a shared machine)")
    parser.add_argument("--torch-python", default=sys.executable,
                        help="interpreter that has torch (default: this one)")
    parser.add_argument("--lib", choices=LIBS, help="time one library in this process")
    parser.add_argument("--json", action="store_true", help="with --lib: print one JSON line")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any target fails")
    args = parser.parse_args(argv)
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {unknown}; choose from {','.join(CASES)}")

    if args.lib is None:
        return report(args)
    result = run_lib(args.lib, args.cases, args.repeat, args.warmup)
    if args.json:
        print(json.dumps(result))
    elif "error" in result:
        print(f"{args.lib} not available: {result['error']}")
        if args.lib == "torch":
            print("torch not available: this run is not a result")
        return 1
    else:
        for key, r in result["results"].items():
            print(f"{key} {CASES[key][0]}: {fmt_ms(r)} ms ({r.get('best')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
