#!/usr/bin/env python3
"""Time one optimizer step over 10 million float32 parameters in Anneal and in
PyTorch 2.13 (CPU), in the same run, and check that Anneal's result is
PyTorch's `foreach=False` result bit for bit.

    python Scripts/bench_optim.py --anneal PATH [--baseline PATH] [--parameters N] [--repeats R]

Optimizers: AdamW (lr 1e-3, weight_decay 0.01), Adam (lr 1e-3) and SGD
(lr 1e-2, momentum 0.9), over four tensors of 40%, 30%, 20% and 10% of the
parameters. PyTorch runs each with `foreach=False` (the path Anneal
reproduces), `foreach=True` and `fused=True`. Every time is the median of
`--repeats` steady-state steps (after a first step that creates the state),
with PyTorch's default thread count; Anneal's kernels run on up to as many
threads as the machine has cores.

The memory-bandwidth bound is the bytes one step must move (AdamW and Adam
read the parameter, gradient, exp_avg and exp_avg_sq and write three of them:
28 bytes per parameter; SGD with momentum 20) over the copy bandwidth
`anneal-optim-bench` measures on the same bytes (memcpy, and a vector copy
loop on one and on all cores; the best of them, a copy's reads and writes
both counting).

`--anneal` is the build to measure (`make bench-optim` builds it for this
CPU's level, x86-64-v4 or x86-64-v3); `--baseline`, if given, is a build for the default
x86-64 target (no FMA instructions: each fused multiply-add is a libm call),
timed for comparison. Both are checked bit for bit against PyTorch.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

warnings.simplefilter("ignore")
import torch  # noqa: E402

OPTIMIZERS = {
    "AdamW": (torch.optim.AdamW, {"lr": 1e-3, "weight_decay": 0.01}),
    "Adam": (torch.optim.Adam, {"lr": 1e-3}),
    "SGD": (torch.optim.SGD, {"lr": 1e-2, "momentum": 0.9}),
}
VARIANTS = (("foreach=False", {"foreach": False}), ("foreach=True", {"foreach": True}), ("fused=True", {"fused": True}))


def sizes(total: int) -> list[int]:
    """As anneal-optim-bench: four tensors, 40/30/20/10% of the parameters."""
    result = [total * p // 10 for p in (4, 3, 2, 1)]
    result[0] += total - sum(result)
    return result


def values(offset: int, count: int, multiplier: int, width: float, low: float) -> torch.Tensor:
    """((i * m) mod 2^32) / 2^32 * width + low in float64, rounded to float32, as the Swift bench computes it."""
    i = torch.arange(offset, offset + count, dtype=torch.int64)
    hashed = (i * multiplier) & 0xFFFFFFFF
    return (hashed.double() / 4294967296.0 * width + low).float()


def setup(total: int) -> list[torch.nn.Parameter]:
    params = []
    offset = 0
    for count in sizes(total):
        p = torch.nn.Parameter(values(offset, count, 2654435761, 4.0, -2.0))
        p.grad = values(offset, count, 2246822519, 2.0, -1.0)
        params.append(p)
        offset += count
    return params


def time_pytorch(name: str, options: dict, total: int, repeats: int) -> float | None:
    cls, hyper = OPTIMIZERS[name]
    params = setup(total)
    try:
        optimizer = cls(params, **hyper, **options)
        optimizer.step()
    except (RuntimeError, ValueError, TypeError):
        return None  # this variant does not exist for this optimizer
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_bit_exact(anneal: str, total: int) -> dict[str, str]:
    """Three steps in Anneal and in PyTorch (foreach=False): identical float32 bits?"""
    out = {}
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([anneal, "--parameters", str(total), "--dump", directory], check=True, capture_output=True)
        for name, (cls, hyper) in OPTIMIZERS.items():
            params = setup(total)
            optimizer = cls(params, **hyper, foreach=False)
            for _ in range(3):
                optimizer.step()
            expected = torch.cat([p.detach().reshape(-1) for p in params])
            with open(os.path.join(directory, name + ".f32"), "rb") as f:
                got = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
            if got.numel() != expected.numel():
                out[name] = f"size mismatch ({got.numel()} vs {expected.numel()})"
                continue
            differ = int((got.view(torch.int32) != expected.view(torch.int32)).sum())
            out[name] = "yes" if differ == 0 else f"NO: {differ:,} of {total:,} values differ"
    return out


def run_anneal(path: str, total: int, repeats: int) -> tuple[dict, dict]:
    run = subprocess.run([path, "--parameters", str(total), "--repeats", str(repeats)],
                         check=True, capture_output=True, text=True)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    copy = next(line for line in lines if "copy_bandwidth" in line)
    return copy, {line["optimizer"]: line for line in lines if "optimizer" in line}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--anneal", required=True, help="the anneal-optim-bench executable to measure")
    ap.add_argument("--baseline", help="an anneal-optim-bench built for the default x86-64 target, for comparison")
    ap.add_argument("--parameters", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=3, help="alternating Anneal/PyTorch rounds (default 3)")
    args = ap.parse_args(argv)

    # Bit-exactness: the benchmark's size, and an odd size (tensors with
    # remainders, split among threads).
    builds = [("Anneal", args.anneal)] + ([("baseline", args.baseline)] if args.baseline else [])
    exact = {label: check_bit_exact(path, args.parameters) for label, path in builds}
    odd = {label: check_bit_exact(path, 1_000_003) for label, path in builds}

    # Rounds that alternate Anneal and PyTorch, keeping each one's fastest
    # median: the machine is shared and its memory bandwidth drifts, so one
    # measurement of each, minutes apart, compares two different machines.
    copy, anneal, baseline, pytorch, bytes_per_step = None, {}, {} if args.baseline else None, {}, {}

    def keep_fastest(best: dict, key, seconds):
        if seconds is not None and (key not in best or seconds < best[key]):
            best[key] = seconds

    for _ in range(args.rounds):
        round_copy, round_anneal = run_anneal(args.anneal, args.parameters, args.repeats)
        if copy is None or round_copy["copy_bandwidth"] > copy["copy_bandwidth"]:
            copy = round_copy
        for name, line in round_anneal.items():
            keep_fastest(anneal, name, line["seconds"])
            bytes_per_step[name] = line["bytes_per_step"]
        if args.baseline:
            for name, line in run_anneal(args.baseline, args.parameters, args.repeats)[1].items():
                keep_fastest(baseline, name, line["seconds"])
        for name in OPTIMIZERS:
            for label, options in VARIANTS:
                keep_fastest(pytorch, (name, label), time_pytorch(name, options, args.parameters, args.repeats))
    bandwidth = copy["copy_bandwidth"]

    print(f"One optimizer step over {args.parameters:,} float32 parameters (4 tensors); median of {args.repeats} "
          f"steps, the fastest of {args.rounds} alternating rounds; PyTorch {torch.__version__} with {torch.get_num_threads()} threads, Anneal with up to "
          f"{copy['cores']}.")
    print(f"Copy bandwidth: memcpy {copy['memcpy_bandwidth'] / 1e9:.1f} GB/s, copy loop {copy['loop_bandwidth'] / 1e9:.1f} GB/s, "
          f"copy loop on {copy['cores']} cores {copy['parallel_loop_bandwidth'] / 1e9:.1f} GB/s; the bound uses the best, "
          f"{bandwidth / 1e9:.1f} GB/s.")
    print()

    def ms(x):
        return "—" if x is None else f"{x * 1e3:.1f}"

    header = ["optimizer", "Anneal ms"] + (["baseline ms"] if baseline else []) + [
        "foreach=False ms", "foreach=True ms", "fused=True ms", "vs False", "vs True", "vs fused", "bound ms",
        "Anneal/bound", "bit-exact"]
    rows = []
    for name in OPTIMIZERS:
        ours = anneal[name]
        theirs = {label: pytorch.get((name, label)) for label, _ in VARIANTS}
        bound = bytes_per_step[name] / bandwidth

        def ratio(x):
            return "—" if x is None else f"{x / ours:.2f}x"

        verdicts = [exact[label][name] if exact[label][name] != "yes" else odd[label][name] for label, _ in builds]
        row = [name, ms(ours)] + ([ms(baseline[name])] if baseline else []) + [
            ms(theirs["foreach=False"]), ms(theirs["foreach=True"]), ms(theirs["fused=True"]),
            ratio(theirs["foreach=False"]), ratio(theirs["foreach=True"]), ratio(theirs["fused=True"]),
            ms(bound), f"{ours / bound:.2f}", ", ".join(sorted(set(verdicts)))]
        rows.append(row)
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()
    print("\"vs X\" is PyTorch's time over Anneal's (above 1: Anneal is faster). \"bound\" is the bytes a step "
          "moves over the copy bandwidth. \"bit-exact\": every parameter after three steps equals PyTorch's "
          f"foreach=False result, at {args.parameters:,} and at 1,000,003 parameters"
          + (", for both builds." if baseline else "."))
    ok = all(v == "yes" for d in list(exact.values()) + list(odd.values()) for v in d.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
