#!/usr/bin/env python3
"""Training states through Anneal's native converter, checked in PyTorch 2.13.

    torch_training_state.py --anneal .build/debug/anneal [--random N] [--seed S]

For every optimizer Anneal has and a spread of schedulers (SequentialLR and
ChainedScheduler with children, MultiStepLR's Counter, ReduceLROnPlateau,
OneCycleLR, CyclicLR, ...), trains a small model a few steps in PyTorch and
saves the tutorial dict ``{"epoch", "model", "optimizer", "scheduler"}`` (or
the official tutorial's ``model_state_dict``/``optimizer_state_dict``/``loss``)
with torch.save, then:

1. ``anneal checkpoint convert a.pt a.safetensors`` (no Python involved);
2. the independent Python converter (``Scripts/torch_checkpoint.py``) reads
   a.safetensors: its model, optimizer state_dict and scheduler states must
   equal the originals (tensors by their bits, Python types kept where JSON
   keeps them), and its step and epoch the file's;
3. ``anneal checkpoint convert a.safetensors b.pt``; ``torch.load(b.pt,
   weights_only=True)`` must give the originals with Python's exact types
   (tuples, Counter, int keys, 0-dim float32 ``step``), and fresh objects
   that ``load_state_dict`` them must continue exactly as the originals do
   for 3 more steps (parameters, learning rates, scheduler states).

4. a real Hugging Face Trainer run: its checkpoint-30 resumed by ``anneal
   train --resume DIR --save-torch T`` and handed back to the Trainer, whose
   learning rates, param groups and scheduler states must equal its own
   uninterrupted checkpoints (``huggingface_case``).

Prints one line per failing case and ``N passed, M failed``; exits 1 on a failure.
"""
from __future__ import annotations

import argparse
import collections
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")

import torch  # noqa: E402
import torch.optim.swa_utils  # noqa: E402
from torch.optim import lr_scheduler as L  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_checkpoint  # noqa: E402

OPTIMIZERS = {
    "SGD": lambda p, r: torch.optim.SGD(p, lr=0.05, momentum=r.choice([0.0, 0.9]), nesterov=False),
    "Adam": lambda p, r: torch.optim.Adam(p, lr=0.01, amsgrad=r.random() < 0.5),
    "AdamW": lambda p, r: torch.optim.AdamW(p, lr=0.01, weight_decay=0.05),
    "RMSprop": lambda p, r: torch.optim.RMSprop(p, lr=0.01, momentum=r.choice([0.0, 0.5]), centered=r.random() < 0.5),
    "Adagrad": lambda p, r: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01),
    "Adadelta": lambda p, r: torch.optim.Adadelta(p, lr=1.0, rho=0.8),
    "Adamax": lambda p, r: torch.optim.Adamax(p, lr=0.01),
    "NAdam": lambda p, r: torch.optim.NAdam(p, lr=0.01, decoupled_weight_decay=r.random() < 0.5, weight_decay=0.01),
    "RAdam": lambda p, r: torch.optim.RAdam(p, lr=0.01),
    "ASGD": lambda p, r: torch.optim.ASGD(p, lr=0.05, t0=2.0),
    "Rprop": lambda p, r: torch.optim.Rprop(p, lr=0.01, etas=(0.4, 1.3)),
    "Adafactor": lambda p, r: torch.optim.Adafactor(p, lr=0.01, weight_decay=r.choice([0.0, 0.01])),
}
MOMENTUM = {"SGD", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "RAdam"}


def schedulers(opt, typ, r):
    """(scheduler, name, explicit type) choices for an optimizer."""
    choices = [
        (lambda: L.StepLR(opt, step_size=2, gamma=0.5), None),
        (lambda: L.MultiStepLR(opt, milestones=[2, 3, 3, 6], gamma=0.5), None),
        (lambda: L.ExponentialLR(opt, gamma=0.9), None),
        (lambda: L.CosineAnnealingLR(opt, T_max=7, eta_min=1e-4), None),
        (lambda: L.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2), None),
        (lambda: L.LinearLR(opt, start_factor=0.25, total_iters=4), None),
        (lambda: L.ConstantLR(opt, factor=0.5, total_iters=3), None),
        (lambda: L.PolynomialLR(opt, total_iters=6, power=2.0), None),
        (lambda: L.LambdaLR(opt, lambda e: 0.95 ** e), "LambdaLR"),
        (lambda: L.MultiplicativeLR(opt, lambda e: 0.95), "MultiplicativeLR"),
        (lambda: L.ReduceLROnPlateau(opt, patience=0, factor=0.5), None),
        (lambda: torch.optim.swa_utils.SWALR(opt, swa_lr=0.005, anneal_epochs=3), None),
        (lambda: L.SequentialLR(opt, [L.LinearLR(opt, start_factor=0.5, total_iters=2),
                                      L.MultiStepLR(opt, milestones=[3, 5])], milestones=[2]), None),
        (lambda: L.ChainedScheduler([L.ConstantLR(opt, factor=0.5, total_iters=2), L.ExponentialLR(opt, gamma=0.9)]), None),
    ]
    if typ in MOMENTUM:
        choices.append((lambda: L.OneCycleLR(opt, max_lr=0.05, total_steps=20), None))
        choices.append((lambda: L.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=2), None))
    make, explicit = r.choice(choices)
    return make(), explicit


def build(typ, seed):
    r = random.Random(seed)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
    opt = OPTIMIZERS[typ](model.parameters(), r)
    sched, explicit = schedulers(opt, typ, r)
    return model, opt, sched, explicit


def train(model, opt, sched, steps, generator):
    for _ in range(steps):
        x = torch.randn(4, 3, generator=generator)
        opt.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        opt.step()
        if isinstance(sched, L.ReduceLROnPlateau):
            sched.step(loss.item())
        else:
            sched.step()
    return loss


def exact(a, b, where="") -> str | None:
    """The first difference between two state values, types included."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
            return f"{where}: {type(a).__name__} vs {type(b).__name__}"
        if a.dtype != b.dtype or a.shape != b.shape:
            return f"{where}: {a.dtype}{list(a.shape)} vs {b.dtype}{list(b.shape)}"
        if not torch.equal(a.contiguous().view(torch.int32), b.contiguous().view(torch.int32)):
            return f"{where}: tensor bits differ"
        return None
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} {a!r} vs {type(b).__name__} {b!r}"
    if isinstance(a, dict):
        if set(a) != set(b):
            return f"{where}: keys {sorted(map(str, a))} vs {sorted(map(str, b))}"
        for k in a:
            d = exact(a[k], b[k], f"{where}[{k!r}]")
            if d:
                return d
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = exact(x, y, f"{where}[{i}]")
            if d:
                return d
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b)) \
        else f"{where}: {a!r} vs {b!r}"


def run(anneal, *args):
    result = subprocess.run([anneal, "checkpoint", "convert", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"anneal checkpoint convert {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")


def case(anneal, typ, seed, work, official) -> list[str]:
    model, opt, sched, explicit = build(typ, seed)
    generator = torch.Generator().manual_seed(seed)
    loss = train(model, opt, sched, 3 + seed % 4, generator)
    a = os.path.join(work, "a.pt")
    if official:
        torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                    "scheduler_state_dict": sched.state_dict(), "loss": loss.detach()}, a)
    else:
        torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict(),
                    "scheduler": sched.state_dict()}, a)
    c, b = os.path.join(work, "a.safetensors"), os.path.join(work, "b.pt")
    run(anneal, a, c, *(["--scheduler-type", explicit] if explicit else []))
    problems = []

    # The independent Python reader of Anneal checkpoints.
    imported = torch_checkpoint.import_checkpoint(c)
    for label, x, y in [("model", imported["model"], model.state_dict()),
                        ("optimizer", imported["optimizer"], opt.state_dict())]:
        d = exact(dict(x), dict(y), label)
        if d:
            problems.append("python reader: " + d)
    if imported["optimizer_type"] != typ:
        problems.append(f"python reader: optimizer_type {imported['optimizer_type']!r}")
    record = imported["schedulers"][0]
    if record["type"] != type(sched).__name__:
        problems.append(f"python reader: scheduler type {record['type']!r}")
    if torch_checkpoint.to_json(record["state"]) != torch_checkpoint.to_json(sched.state_dict()):
        problems.append("python reader: scheduler state (JSON) differs")
    if imported["epoch"] != 3:
        problems.append(f"python reader: epoch {imported['epoch']}")

    # Back to torch.save, read with weights_only=True.
    run(anneal, c, b)
    back = torch.load(b, weights_only=True)
    for label, x, y in [("model", back["model"], model.state_dict()), ("optimizer", back["optimizer"], opt.state_dict()),
                        ("scheduler", back["scheduler"], sched.state_dict())]:
        d = exact(dict(x), dict(y), label)
        if d:
            problems.append("b.pt: " + d)
    if back["epoch"] != 3 or back["optimizer_type"] != typ:
        problems.append(f"b.pt: epoch {back['epoch']!r}, optimizer_type {back['optimizer_type']!r}")

    # Fresh objects continue exactly as the originals.
    model2, opt2, sched2, _ = build(typ, seed)
    model2.load_state_dict(back["model"])
    opt2.load_state_dict(back["optimizer"])
    sched2.load_state_dict(back["scheduler"])
    g1, g2 = torch.Generator().manual_seed(99), torch.Generator().manual_seed(99)
    train(model, opt, sched, 3, g1)
    train(model2, opt2, sched2, 3, g2)
    d = exact(dict(model2.state_dict()), dict(model.state_dict()), "continued model") \
        or exact(opt2.state_dict(), opt.state_dict(), "continued optimizer") \
        or exact(torch_checkpoint.to_json(sched2.state_dict()), torch_checkpoint.to_json(sched.state_dict()), "continued scheduler")
    if d:
        problems.append(d)
    return [f"{typ}+{type(sched).__name__} (seed {seed}{', official layout' if official else ''}): {p}" for p in problems]


def huggingface_case(anneal, work) -> list[str]:
    """A real Trainer run (Scripts/hf_trainer_run.py): its checkpoint-30
    resumed by `anneal train --resume DIR --save-torch T` for epoch 4, then
    T/checkpoint-40 resumed by the Trainer for epoch 5. Learning rates,
    param groups, scheduler states and step counts must equal the Trainer's
    own uninterrupted checkpoints 40 and 50. (Parameters differ: the Trainer
    shuffles the data and sums gradients in MKL's order.)"""
    import json
    import hf_trainer_run
    problems = []
    hf, handed = os.path.join(work, "hf"), os.path.join(work, "handed")
    hf_trainer_run.run(hf)
    spec = os.path.join(work, "hf_spec.json")
    with open(spec, "w") as f:
        json.dump(hf_trainer_run.SPEC, f)
    result = subprocess.run([anneal, "train", spec, "--model", "seed1", "--epochs", "4", "--resume",
                             os.path.join(hf, "checkpoint-30"), "--save-torch", handed], capture_output=True, text=True)
    if result.returncode != 0:
        return [f"huggingface: anneal train exited {result.returncode}: {result.stderr.strip()}"]

    def compare(step, ours):
        for file in ("scheduler.pt", "optimizer.pt"):
            a = torch.load(os.path.join(ours, f"checkpoint-{step}", file), weights_only=True)
            b = torch.load(os.path.join(hf, f"checkpoint-{step}", file), weights_only=True)
            if file == "optimizer.pt":
                d = exact(a["param_groups"], b["param_groups"], f"checkpoint-{step}/optimizer.pt param_groups")
                steps = sorted({v["step"].item() for v in a["state"].values()})
                if not d and steps != [float(step)]:
                    d = f"checkpoint-{step}/optimizer.pt: steps {steps}"
                if not d and sorted(a["state"]) != sorted(b["state"]):
                    d = f"checkpoint-{step}/optimizer.pt: state indices differ"
            else:
                d = exact(a, b, f"checkpoint-{step}/scheduler.pt")
            if d:
                problems.append("huggingface: " + d)
        with open(os.path.join(ours, f"checkpoint-{step}", "trainer_state.json")) as f:
            state = json.load(f)
        if state["global_step"] != step:
            problems.append(f"huggingface: checkpoint-{step}/trainer_state.json global_step {state['global_step']}")

    compare(40, handed)
    hf_trainer_run.run(handed, resume=os.path.join(handed, "checkpoint-40"))
    compare(50, handed)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--anneal", required=True)
    ap.add_argument("--random", type=int, default=3, help="cases per optimizer (default %(default)s)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="anneal-training-state-") as work:
        for typ in OPTIMIZERS:
            for k in range(args.random):
                seed = args.seed * 1000 + k * 17 + len(typ)
                try:
                    problems = case(args.anneal, typ, seed, work, official=k % 2 == 1)
                except Exception as error:  # a converter failure is a failed case
                    problems = [f"{typ} (seed {seed}): {type(error).__name__}: {error}"]
                for p in problems:
                    print("FAIL:", p)
                if problems:
                    failed += 1
                else:
                    passed += 1
        problems = huggingface_case(args.anneal, work)
        for p in problems:
            print("FAIL:", p)
        passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
