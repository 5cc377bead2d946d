#!/usr/bin/env python3
"""Time one optimizer step over 10 million float32 parameters in Anneal and in
PyTorch 2.13 (CPU), in the same run, and check that Anneal's result is
PyTorch's `foreach=False` result bit for bit.

    python Scripts/bench_optim.py --anneal PATH [--baseline PATH] [--parameters N] [--repeats R] [--rounds K]

Optimizers: AdamW (lr 1e-3, weight_decay 0.01), Adam (lr 1e-3), SGD
(lr 1e-2, momentum 0.9), RMSprop (lr 1e-2, momentum 0.9; PyTorch has no
fused RMSprop), Adagrad (lr 1e-2, lr_decay 1e-4), Adadelta (lr 1), Adamax
(lr 2e-3), NAdam (lr 2e-3), RAdam (lr 1e-3), ASGD (lr 1e-2, t0 2), Rprop
(lr 1e-2) and Adafactor (lr 1e-2; vectors: the unfactored path), over four
tensors of 40%, 30%, 20% and 10% of the
parameters. PyTorch runs each with `foreach=False` (the path Anneal
reproduces), `foreach=True` and `fused=True`, with PyTorch's default thread
count; Anneal's kernels run on up to as many threads as the machine has
cores.

The machine is shared and its memory bandwidth drifts by a factor of two
within seconds, so two measurements a minute apart compare two different
machines. Anneal therefore runs as a server (`anneal-optim-bench --serve`)
holding its optimizer, and the script takes turns: in each of `--rounds`
rounds, `--repeats` steps of Anneal, then of each PyTorch variant (fused
first), then of the baseline build (in reverse order every other round),
each sample the median of its steps. A
time printed is the median of its samples; a ratio ("vs X") is the median
over rounds of the ratio within each round, so both sides of every ratio
were measured within milliseconds of each other.

The memory-bandwidth bound is the bytes one step must move (AdamW and Adam
read the parameter, gradient, exp_avg and exp_avg_sq and write three of them:
28 bytes per parameter; SGD with momentum 20; RMSprop with momentum, as Adam, 28) over the copy bandwidth
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
    "RMSprop": (torch.optim.RMSprop, {"lr": 1e-2, "momentum": 0.9}),
    "Adagrad": (torch.optim.Adagrad, {"lr": 1e-2, "lr_decay": 1e-4}),
    "Adadelta": (torch.optim.Adadelta, {"lr": 1.0}),
    "Adamax": (torch.optim.Adamax, {"lr": 2e-3}),
    "NAdam": (torch.optim.NAdam, {"lr": 2e-3}),
    "RAdam": (torch.optim.RAdam, {"lr": 1e-3}),
    "ASGD": (torch.optim.ASGD, {"lr": 1e-2, "t0": 2.0}),
    "Rprop": (torch.optim.Rprop, {"lr": 1e-2}),
    "Adafactor": (torch.optim.Adafactor, {"lr": 1e-2}),
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


def prepare_pytorch(name: str, options: dict, total: int) -> torch.optim.Optimizer | None:
    """A fresh PyTorch optimizer with its first step taken (None: no such variant)."""
    cls, hyper = OPTIMIZERS[name]
    params = setup(total)
    try:
        optimizer = cls(params, **hyper, **options)
        optimizer.step()
    except (RuntimeError, ValueError, TypeError):
        return None  # this variant does not exist for this optimizer
    return optimizer


def time_pytorch(optimizer: torch.optim.Optimizer, repeats: int) -> float:
    """The median time of `repeats` steps."""
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


class AnnealServer:
    """`anneal-optim-bench --serve`: one command a line, one JSON line back."""

    def __init__(self, path: str, total: int):
        self.path = path
        self.process = subprocess.Popen([path, "--parameters", str(total), "--serve"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.path} exited (status {self.process.wait()}) after '{command}'")
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"{self.path}: {answer['error']}")
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--anneal", required=True, help="the anneal-optim-bench executable to measure")
    ap.add_argument("--baseline", help="an anneal-optim-bench built for the default x86-64 target, for comparison")
    ap.add_argument("--parameters", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=5, help="steps per sample (default 5)")
    ap.add_argument("--rounds", type=int, default=25, help="rounds of turns between Anneal and PyTorch (default 25)")
    ap.add_argument("--optimizers", nargs="+", choices=list(OPTIMIZERS), help="time only these (default: all)")
    args = ap.parse_args(argv)
    names = args.optimizers or list(OPTIMIZERS)

    # Bit-exactness: the benchmark's size, and an odd size (tensors with
    # remainders, split among threads).
    builds = [("Anneal", args.anneal)] + ([("baseline", args.baseline)] if args.baseline else [])
    exact = {label: check_bit_exact(path, args.parameters) for label, path in builds}
    odd = {label: check_bit_exact(path, 1_000_003) for label, path in builds}

    servers = {label: AnnealServer(path, args.parameters) for label, path in builds}
    copy = None
    # samples[name][contender]: one time per round; contenders are the
    # builds' labels and PyTorch's variants.
    samples: dict[str, dict[str, list[float]]] = {}
    bytes_per_step = {}
    for name in names:
        for server in servers.values():
            server.ask(f"setup {name}")
        torch_optimizers = {label: prepare_pytorch(name, options, args.parameters) for label, options in VARIANTS}
        # Anneal and PyTorch's fused step, the comparison that matters most,
        # take their turns next to each other (whichever way a round runs).
        anneal = [(label, lambda server=server: server.ask(f"steps {args.repeats}")) for label, server in servers.items()]
        pytorch = [(label, lambda optimizer=optimizer: {"seconds": time_pytorch(optimizer, args.repeats)})
                   for label, optimizer in reversed(torch_optimizers.items()) if optimizer is not None]
        turns = anneal[:1] + pytorch + anneal[1:]
        samples[name] = {label: [] for label, _ in turns}
        for round_index in range(args.rounds):
            for label, turn in (turns if round_index % 2 == 0 else list(reversed(turns))):
                answer = turn()
                samples[name][label].append(answer["seconds"])
                if "bytes_per_step" in answer:
                    bytes_per_step[name] = answer["bytes_per_step"]
        del torch_optimizers, turns, pytorch
        # The copy bandwidth between optimizers, keeping the best.
        measured = servers["Anneal"].ask("copy")
        if copy is None or measured["copy_bandwidth"] > copy["copy_bandwidth"]:
            copy = measured
    for server in servers.values():
        server.close()
    bandwidth = copy["copy_bandwidth"]

    print(f"One optimizer step over {args.parameters:,} float32 parameters (4 tensors): {args.rounds} rounds taking turns, "
          f"{args.repeats} steps a turn; PyTorch {torch.__version__} with {torch.get_num_threads()} threads, Anneal with up to "
          f"{copy['cores']}.")
    print(f"Copy bandwidth: memcpy {copy['memcpy_bandwidth'] / 1e9:.1f} GB/s, copy loop {copy['loop_bandwidth'] / 1e9:.1f} GB/s, "
          f"copy loop on {copy['cores']} cores {copy['parallel_loop_bandwidth'] / 1e9:.1f} GB/s; the bound uses the best, "
          f"{bandwidth / 1e9:.1f} GB/s.")
    print()

    def ms(x):
        return "—" if x is None else f"{x * 1e3:.1f}"

    header = ["optimizer", "Anneal ms"] + (["baseline ms"] if args.baseline else []) + [
        "foreach=False ms", "foreach=True ms", "fused=True ms", "vs False", "vs True", "vs fused", "middle half", "bound ms",
        "Anneal/bound", "bit-exact"]
    rows = []
    for name in names:
        series = samples[name]
        ours = statistics.median(series["Anneal"])
        bound = bytes_per_step[name] / bandwidth

        def typical(label):
            return statistics.median(series[label]) if label in series else None

        def ratios(label):
            """Each round's PyTorch time over the same round's Anneal time."""
            return [t / a for t, a in zip(series[label], series["Anneal"])]

        def ratio(label):
            return f"{statistics.median(ratios(label)):.2f}x" if label in series else "—"

        def spread(label):
            """The middle half of the rounds' ratios."""
            if label not in series or len(series[label]) < 4:
                return "—"
            quartiles = statistics.quantiles(ratios(label), n=4)
            return f"{quartiles[0]:.2f}–{quartiles[2]:.2f}"

        verdicts = [exact[label][name] if exact[label][name] != "yes" else odd[label][name] for label, _ in builds]
        row = [name, ms(ours)] + ([ms(typical("baseline"))] if args.baseline else []) + [
            ms(typical("foreach=False")), ms(typical("foreach=True")), ms(typical("fused=True")),
            ratio("foreach=False"), ratio("foreach=True"), ratio("fused=True"), spread("fused=True"),
            ms(bound), f"{ours / bound:.2f}", ", ".join(sorted(set(verdicts)))]
        rows.append(row)
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()
    print("Times are medians over the rounds. \"vs X\" is PyTorch's time over Anneal's in the same round, the median over "
          "rounds (above 1: Anneal is faster); \"middle half\" is the range of the middle half of the rounds' fused ratios. "
          "\"bound\" is the bytes a step "
          "moves over the copy bandwidth. \"bit-exact\": every parameter after three steps equals PyTorch's "
          f"foreach=False result, at {args.parameters:,} and at 1,000,003 parameters"
          + (", for both builds." if args.baseline else "."))
    ok = all(v == "yes" for d in list(exact.values()) + list(odd.values()) for v in d.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
