#!/usr/bin/env python3
"""Peak memory of the command line on long traces: `make bench-memory`.

    python3 Scripts/bench_memory.py --anneal .build/release/anneal [--steps 10000000]

Measures the peak resident set size (the kernel's ru_maxrss of each child,
from wait4) and the wall-clock time of:

- `anneal run` of a StepLR spec whose script is one `{"op": "step", "repeat": N}`
  (N = --steps, 10^7 by default: a candidate of about 1 GB);
- `anneal plot` of that spec without a script, with `--steps N`, to an SVG;
- `anneal diff GOLDEN CANDIDATE` of a ~117 MB trace (10^6 steps) against a
  copy of itself, and `anneal diff GOLDEN` (running its spec), each compared
  with the file's size.

The goals: run and plot under 64 MB whatever N, diff within 2x of the
file's size. Needs only the anneal binary and about 1.2 GB of free disk in
the temporary directory. Exits 1 when a goal is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_SOURCE = os.path.join(REPOSITORY, "Fixtures", "compare", "StepLR.golden.json")
MIB = 1024 * 1024


def measure(command: list[str]) -> tuple[float, int]:
    """Runs `command` (output discarded); returns (seconds, peak RSS in bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.strip()}")
    return seconds, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def spec(steps: int | None) -> dict:
    """The comparator fixture's StepLR spec with `steps` plain steps (no script for None)."""
    with open(SPEC_SOURCE) as file:
        document = json.load(file)
    for key in ("trace", "source", "error"):
        document.pop(key, None)
    if steps is None:
        document.pop("script")
    else:
        document["script"] = [{"op": "step", "repeat": steps}]
    return document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anneal", required=True, help="path to the release build of anneal")
    parser.add_argument("--steps", type=int, default=10_000_000, help="steps for run and plot (default 10^7)")
    parser.add_argument("--diff-steps", type=int, default=1_000_000, help="steps of the diffed trace (default 10^6, ~117 MB)")
    args = parser.parse_args()
    anneal = os.path.abspath(args.anneal)

    rows: list[tuple[str, float, int, str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="anneal-bench-memory-") as work:
        def write(name: str, document: dict) -> str:
            path = os.path.join(work, name)
            with open(path, "w") as file:
                json.dump(document, file)
            return path

        long_spec = write("long.json", spec(args.steps))
        seconds, peak = measure([anneal, "run", long_spec, "-o", os.path.join(work, "long.candidate.json")])
        size = os.path.getsize(os.path.join(work, "long.candidate.json"))
        rows.append((f"run, {args.steps:,} steps ({size / MIB:,.0f} MiB written)", seconds, peak, "< 64 MiB", peak < 64 * MIB))
        os.remove(os.path.join(work, "long.candidate.json"))

        plain_spec = write("plain.json", spec(None))
        seconds, peak = measure([anneal, "plot", plain_spec, "--steps", str(args.steps), "-o", os.path.join(work, "plot.svg")])
        svg = os.path.getsize(os.path.join(work, "plot.svg"))
        rows.append((f"plot, {args.steps:,} steps ({svg / 1024:,.0f} KiB SVG)", seconds, peak, "< 64 MiB", peak < 64 * MIB))

        diff_spec = write("diff.json", spec(args.diff_steps))
        golden = os.path.join(work, "diff.golden.json")
        candidate = os.path.join(work, "diff.candidate.json")
        measure([anneal, "run", diff_spec, "-o", golden])
        shutil.copyfile(golden, candidate)
        size = os.path.getsize(golden)
        seconds, peak = measure([anneal, "diff", golden, candidate])
        rows.append((f"diff GOLDEN CANDIDATE, {size / MIB:,.0f} MiB each", seconds, peak, "<= 2x file", peak <= 2 * size))
        seconds, peak = measure([anneal, "diff", golden])
        rows.append((f"diff GOLDEN (runs its spec), {size / MIB:,.0f} MiB", seconds, peak, "<= 2x file", peak <= 2 * size))

    width = max(len(row[0]) for row in rows)
    print(f"{'command':<{width}}  {'time':>8}  {'peak RSS':>10}  goal")
    for label, seconds, peak, goal, met in rows:
        print(f"{label:<{width}}  {seconds:>7.2f}s  {peak / MIB:>7.1f} MiB  {goal} {'ok' if met else 'MISSED'}")
    return 0 if all(row[4] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
