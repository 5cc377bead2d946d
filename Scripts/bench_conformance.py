#!/usr/bin/env python3
"""Time a whole-corpus replay by Anneal beside PyTorch's generator on the same specs.

    python Scripts/bench_conformance.py --anneal .build/release/anneal

Runs, in turns, `anneal conformance Golden` (parse every golden, run its
spec, compare), json-c's bare parse of the same files (`anneal-jsonc-parse
Golden`: read, parse into json-c's tree, free; nothing checked or compared),
and `Scripts/goldens.py` over `Fixtures/specs` into a temporary directory
(import torch, run every spec, write every golden); prints the best
wall-clock time of each and the ratios the project aims at: the replay at
least 35x faster than PyTorch generates the corpus, and within 2x of
json-c's parse. Exits 1 when a goal is missed.

The parse helper is built here (release, next to --anneal) unless --parser
names one.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anneal", required=True, help="path to the release build of anneal")
    parser.add_argument("--parser", help="path to anneal-jsonc-parse (default: build it next to --anneal)")
    parser.add_argument("--runs", type=int, default=5, help="turns of the Anneal and json-c timings (best kept)")
    parser.add_argument("--pytorch-runs", type=int, default=3)
    args = parser.parse_args()

    jsonc = args.parser
    if jsonc is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "anneal-jsonc-parse"], check=True,
                       stdout=subprocess.DEVNULL)
        jsonc = os.path.join(os.path.dirname(args.anneal), "anneal-jsonc-parse")

    specs = sum(len(files) for _, _, files in os.walk("Fixtures/specs"))
    goldens = sum(len([f for f in files if f.endswith(".json")]) for _, _, files in os.walk("Golden"))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk("Golden") for f in files if f.endswith(".json"))

    # In turns, so that a busy moment of the machine hits both alike.
    anneal = parse = float("inf")
    for _ in range(args.runs):
        anneal = min(anneal, run_once([args.anneal, "conformance", "Golden"]))
        parse = min(parse, run_once([jsonc, "Golden"]))
    pytorch = float("inf")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.py")
    for _ in range(args.pytorch_runs):
        with tempfile.TemporaryDirectory() as out:
            pytorch = min(pytorch, run_once([sys.executable, script, "--specs", "Fixtures/specs", "--out", out]))

    versus_pytorch = pytorch / anneal
    versus_parse = anneal / parse
    print(f"anneal conformance ({goldens} goldens, {size / 1e6:.1f} MB: read, run, compare): {anneal * 1000:.0f} ms")
    print(f"json-c bare parse of the same files (read, parse, free; one thread):  {parse * 1000:.0f} ms")
    print(f"PyTorch generator ({specs} specs: import torch, run, write):  {pytorch * 1000:.0f} ms")
    print(f"ratio: Anneal replays the corpus {versus_pytorch:.1f}x faster than PyTorch generates it "
          f"(goal: at least 35x) {'ok' if versus_pytorch >= 35 else 'MISSED'}")
    print(f"ratio: the replay takes {versus_parse:.2f}x json-c's bare parse "
          f"(goal: within 2x) {'ok' if versus_parse <= 2 else 'MISSED'}")
    return 0 if versus_pytorch >= 35 and versus_parse <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
