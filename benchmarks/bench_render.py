"""Time every demo's ``render`` for one setting, uncached, as a live widget redraws it.

    .venv/bin/python benchmarks/bench_render.py [--settings 25] [--strict]

For each ``convkit.widgets.explore_*`` function: build a fresh demo (no frames cached),
then draw settings not seen before -- the defaults and settings spread over the
static frames' keys -- timing ``render(**values)`` plus the PNG encoding the widget
does (``plot.fig_to_png``). Prints the median and 95th percentile per demo and the
size of one frame. Targets: median <= 50 ms, p95 <= 100 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=int, default=25, help="settings timed per demo")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    from convkit import plot, widgets

    names = sorted(n for n in dir(widgets) if n.startswith("explore_"))
    if not names:
        print("no explore_* demos found")
        return 1
    rows, failed = [], []
    for name in names:
        t0 = time.perf_counter()
        demo = getattr(widgets, name)()
        build = time.perf_counter() - t0
        keys = demo.frame_keys()
        step = max(1, len(keys) // args.settings)
        settings = [dict(zip([c.name for c in demo.controls], [c.values[i] for c, i in zip(demo.controls, key)]))
                    for key in keys[::step][:args.settings]]
        times, size = [], 0
        for values in settings:
            t = time.perf_counter()
            frame = demo.render(**values)
            png = plot.fig_to_png(frame.figure)
            times.append(time.perf_counter() - t)
            size = max(size, len(png))
        times.sort()
        median = statistics.median(times) * 1e3
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] * 1e3
        ok = median <= 50 and p95 <= 100
        if not ok:
            failed.append(name)
        rows.append((name, len(times), median, p95, size / 1024, build * 1e3, "PASS" if ok else "FAIL"))
    print("| demo | settings | median ms | p95 ms | largest frame kB | build ms | target |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.0f} | {r[6]} |")
    if failed:
        print(f"\nover the target (median <= 50 ms, p95 <= 100 ms): {', '.join(failed)}")
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
