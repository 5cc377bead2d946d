#!/usr/bin/env python3
"""Time one scheduler.step() in PyTorch 2.13 and in Anneal, in the same run.

    python Scripts/bench_schedulers.py --anneal .build/release/anneal-bench [SPEC.json ...]

The specs (default: Fixtures/bench/schedulers/*.json) are trace specs; each is
built with 1 and with 8 param groups, by Scripts/goldens.py's builders for
PyTorch and by `anneal-bench` for Anneal. For PyTorch the best of 5 timed
batches of steps is taken, as anneal-bench does. Prints a table with both
times, the speed-up and Anneal's heap allocations per step.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
warnings.simplefilter("ignore")
import goldens  # noqa: E402  (the generator's builders: the same construction as the goldens)

GROUPS = (1, 8)


def pytorch_ns_per_step(spec: dict, groups: int, min_seconds: float) -> float:
    ospec = dict(spec["optimizer"])
    ospec["param_groups"] = [{"lr": 0.1 + 0.01 * i} for i in range(groups)]
    optimizer = goldens.build_optimizer(ospec)
    scheduler = goldens.build_scheduler(spec["scheduler"], optimizer)
    optimizer.step()
    if spec["scheduler"]["type"] == "ReduceLROnPlateau":
        metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]

        def run(n: int) -> None:
            step = scheduler.step
            for i in range(n):
                step(metrics[i & 7])
    else:
        def run(n: int) -> None:
            step = scheduler.step
            for _ in range(n):
                step()
    run(200)
    best = float("inf")
    for _ in range(5):
        steps = 0
        start = time.perf_counter_ns()
        elapsed = 0
        while elapsed < min_seconds * 1e9 / 5:
            run(500)
            steps += 500
            elapsed = time.perf_counter_ns() - start
        best = min(best, elapsed / steps)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anneal", required=True, help="path to the anneal-bench executable (release build)")
    parser.add_argument("--min-ms", type=int, default=100, help="measuring time per configuration and side")
    parser.add_argument("specs", nargs="*")
    args = parser.parse_args()
    specs = args.specs or sorted(glob.glob("Fixtures/bench/schedulers/*.json"))
    if not specs:
        print("bench_schedulers.py: no specs found", file=sys.stderr)
        return 2
    out = subprocess.run(
        [args.anneal, "--groups", ",".join(map(str, GROUPS)), "--min-ms", str(args.min_ms), *specs],
        check=True, capture_output=True, text=True,
    ).stdout
    anneal = {(row["spec"], row["groups"]): row for row in map(json.loads, out.splitlines())}
    print(f"torch {goldens.TORCH_VERSION}, one scheduler.step(); best of 5 batches each")
    print(f"{'scheduler':28} {'groups':>6} {'PyTorch ns':>11} {'Anneal ns':>10} {'speed-up':>9} {'allocs/step':>12}")
    worst = float("inf")
    for path in specs:
        spec = json.load(open(path))
        for groups in GROUPS:
            torch_ns = pytorch_ns_per_step(spec, groups, args.min_ms / 1000)
            row = anneal[(path, groups)]
            ratio = torch_ns / row["ns_per_step"]
            worst = min(worst, ratio)
            print(f"{spec['scheduler']['type']:28} {groups:>6} {torch_ns:>11.0f} {row['ns_per_step']:>10.1f} "
                  f"{ratio:>8.0f}x {row['allocations_per_step']:>12.2f}")
    print(f"smallest speed-up: {worst:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
