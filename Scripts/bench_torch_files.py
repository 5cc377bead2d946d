#!/usr/bin/env python3
"""torch.save files: Anneal's reader and writer beside torch.load and torch.save, same file, same run.

    python Scripts/bench_torch_files.py --anneal .build/release/anneal-torch-bench
        [--parameters 10000000] [--repeat 5] [--dir DIR]

The file is a training state as PyTorch's tutorials save it, after one AdamW
step over N parameters (default 10 million, 120 MB):
torch.save({"epoch", "model": state_dict, "optimizer": state_dict}).

- load: Anneal reads the file with full validation (the zip structure, every
  record's CRC-32, the weights_only pickle, every storage and tensor against
  its record); its tensors borrow the mapped file. PyTorch:
  torch.load(weights_only=True, mmap=True), then every tensor is summed so
  every byte is touched (torch checks no CRC on a mapped load).
- save: Anneal writes the tree crash-safely (temporary file, fsync, rename,
  fsync of the directory); PyTorch: torch.save, then an fsync of the file.
- peak memory: each Anneal run is its own process, and reports its peak
  resident set; the goal is at most the file's size plus 10%.

Times are the best of --repeat runs (medians beside them), page cache warm.
Both loads are timed in a warm process: torch's after one untimed load in
this interpreter, Anneal's in one `anneal-torch-bench load FILE RUNS`
process after one untimed load there (each load maps the file anew).
Saves: torch's in this process, Anneal's one process per run.
Goals (issue 13): Anneal's load at most torch's mmap load; Anneal's save at
most torch.save plus fsync; Anneal's peak memory at most 1.1x the file.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import warnings

warnings.simplefilter("ignore")
import torch  # noqa: E402


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0], times[len(times) // 2]


def anneal(binary, *args):
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def anneal_timed(binary, repeat, *args):
    runs = [anneal(binary, *args) for _ in range(repeat)]
    times = sorted(run["seconds"] for run in runs)
    return times[0], times[len(times) // 2], max(run["peak_rss_bytes"] for run in runs)


def anneal_load_timed(binary, repeat, path):
    """`repeat` loads in one warm process (after an untimed one), as torch's."""
    run = anneal(binary, "load", path, str(repeat))
    times = sorted(run["seconds"])
    return times[0], times[len(times) // 2], run["peak_rss_bytes"], run["cold_seconds"]


def training_state(parameters):
    torch.manual_seed(0)
    # Tensors of a few sizes, as a model has (weights and biases).
    sizes = []
    remaining = parameters
    while remaining > 0:
        size = min(remaining, 1 << 20)
        sizes.append(size)
        remaining -= size
    model = torch.nn.ParameterList([torch.nn.Parameter(torch.randn(size)) for size in sizes])
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for p in model.parameters():
        p.grad = torch.randn_like(p)
    optimizer.step()
    return {"epoch": 1, "model": model.state_dict(), "optimizer": optimizer.state_dict()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--anneal", required=True)
    parser.add_argument("--parameters", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        path = os.path.join(work, "state.pt")
        state = training_state(args.parameters)
        torch.save(state, path)
        size = os.path.getsize(path)
        print(f"file: {size / 1e6:.1f} MB, {args.parameters:,} parameters (AdamW: parameters, exp_avg, exp_avg_sq)")

        def torch_load():
            loaded = torch.load(path, weights_only=True, mmap=True)
            total = 0.0
            for tensor in loaded["model"].values():
                total += float(tensor.sum())
            for entry in loaded["optimizer"]["state"].values():
                for tensor in entry.values():
                    total += float(tensor.sum())
            return total

        def torch_save():
            out = os.path.join(work, "torch-out.pt")
            torch.save(state, out)
            with open(out, "rb+") as f:
                os.fsync(f.fileno())

        torch_load()  # warm the page cache
        load_best, load_median = timed(torch_load, args.repeat)
        save_best, save_median = timed(torch_save, args.repeat)
        a_load_best, a_load_median, load_peak, a_load_cold = anneal_load_timed(args.anneal, args.repeat, path)
        a_save_best, a_save_median, save_peak = anneal_timed(
            args.anneal, args.repeat, "save", path, os.path.join(work, "anneal-out.pt"))
        # The Anneal-written file loads in torch and equals the original.
        back = torch.load(os.path.join(work, "anneal-out.pt"), weights_only=True)
        for name, tensor in state["model"].items():
            assert torch.equal(back["model"][name], tensor), name

        def row(what, best, median):
            print(f"  {what:<58} {best * 1e3:8.1f} ms  (median {median * 1e3:.1f})")

        print("load")
        row("torch.load(weights_only=True, mmap=True) + sum every tensor", load_best, load_median)
        row("Anneal TorchFile, full validation (CRC-32 of every record)", a_load_best, a_load_median)
        print(f"  {'  (the first load in its process, not in the ratio)':<58} {a_load_cold * 1e3:8.1f} ms")
        print("save")
        row("torch.save + fsync", save_best, save_median)
        row("Anneal TorchFileWriter (temporary, fsync, rename, fsync dir)", a_save_best, a_save_median)
        print("ratios (Anneal / PyTorch, best runs; goal <= 1.00)")
        print(f"  load {a_load_best / load_best:.2f}   save {a_save_best / save_best:.2f}")
        print("peak resident memory of Anneal's process (goal <= 1.10 x file)")
        print(f"  load {load_peak / 1e6:.1f} MB = {load_peak / size:.2f} x file   "
              f"save {save_peak / 1e6:.1f} MB = {save_peak / size:.2f} x file")


if __name__ == "__main__":
    main()
