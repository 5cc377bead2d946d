#!/usr/bin/env python3
"""Time a whole-corpus replay by Anneal beside PyTorch's generator on the same specs.

    python Scripts/bench_conformance.py --anneal .build/release/anneal

Runs, three times each, `anneal conformance Golden` (parse every golden, run
its spec, compare) and `Scripts/goldens.py` over `Fixtures/specs` into a
temporary directory (import torch, run every spec, write every golden), and
prints the best wall-clock times and their ratio.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time


def best_of(runs: int, command: list[str]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anneal", required=True, help="path to the release build of anneal")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    specs = sum(len(files) for _, _, files in os.walk("Fixtures/specs"))
    goldens = sum(len([f for f in files if f.endswith(".json")]) for _, _, files in os.walk("Golden"))
    anneal = best_of(args.runs, [args.anneal, "conformance", "Golden"])
    with tempfile.TemporaryDirectory() as out:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.py")
        pytorch = best_of(args.runs, [sys.executable, script, "--specs", "Fixtures/specs", "--out", out])
    print(f"anneal conformance ({goldens} goldens: read, run, compare): {anneal * 1000:.0f} ms")
    print(f"PyTorch generator ({specs} specs: import torch, run, write):  {pytorch * 1000:.0f} ms")
    print(f"ratio: Anneal replays the corpus {pytorch / anneal:.1f}x faster than PyTorch generates it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
