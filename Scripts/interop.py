#!/usr/bin/env python3
"""Train in PyTorch, resume in Anneal, compare with PyTorch's run that never stopped.

For every configuration below (an optimizer and its schedulers, written as an
``anneal train`` spec), this script

1. trains the first seed document's model (a 1-32-10-1 MLP named fc1, fc2,
   fc3 with a ReLU after every layer, on sin(x) + x^2 for x = 0, 0.5, ...,
   9.5 in batches of 2, in order; MSELoss; schedulers stepped once per epoch,
   ReduceLROnPlateau with the epoch's mean loss) for K epochs in PyTorch
   2.13, with the optimizer and schedulers built from the spec by the golden
   generator (``Scripts/goldens.py``);
2. exports that state with ``Scripts/torch_checkpoint.py`` into an empty
   directory as the checkpoint of epoch K;
3. runs ``anneal train SPEC --model seed1 --epochs K+M --checkpoint-dir DIR
   --resume --keep 0``, which restores it and trains M more epochs, saving a
   checkpoint after each;
4. keeps training PyTorch's run for the same M epochs and, after every one,
   compares it with Anneal's checkpoint of that epoch: every learning rate,
   momentum and ``betas`` of the param groups, every scheduler's
   ``state_dict()``, every parameter, every optimizer state tensor and
   scalar, and the line Anneal printed for the epoch (learning rate and
   loss) -- all bit for bit.

Anneal's optimizers are bit-exact with PyTorch's ``foreach=False`` path, and
its forward and backward passes compute this model's gradients with the same
float32 roundings as PyTorch's CPU kernels for these sizes, so every value is
expected to be identical; the report says which differ and by how many ULPs.

    python Scripts/interop.py --anneal .build/debug/anneal [--k 5] [--m 7]

Exit status 0 when everything matches, 1 otherwise. ``make interop`` sets up
PyTorch (Scripts/requirements.txt) and runs it; it is not part of CI.
"""
from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goldens  # noqa: E402  (the generator's spec -> PyTorch object builders)
import torch_checkpoint  # noqa: E402

BATCH_SIZE = 2

# (name, spec). Every optimizer, momentum and betas[0] cycling, compound and
# several schedulers on one optimizer, ReduceLROnPlateau on the epoch's loss.
CONFIGURATIONS = [
    ("SGD nesterov, OneCycleLR cycling momentum",
     {"optimizer": {"type": "SGD", "options": {"lr": 0.001, "momentum": 0.9, "nesterov": True}},
      "scheduler": {"type": "OneCycleLR", "args": {"max_lr": 0.002, "total_steps": 20}}}),
    ("Adam, CyclicLR cycling betas[0]",
     {"optimizer": {"type": "Adam", "options": {"lr": 0.01}},
      "scheduler": {"type": "CyclicLR", "args": {"base_lr": 0.001, "max_lr": 0.02, "step_size_up": 3,
                                                 "mode": "triangular2"}}}),
    ("AdamW, SequentialLR(LinearLR, CosineAnnealingLR)",
     {"optimizer": {"type": "AdamW", "options": {"lr": 0.01, "weight_decay": 0.05}},
      "scheduler": {"type": "SequentialLR", "args": {
          "schedulers": [{"type": "LinearLR", "args": {"start_factor": 0.25, "total_iters": 3}},
                         {"type": "CosineAnnealingLR", "args": {"T_max": 9, "eta_min": 0.0001}}],
          "milestones": [3]}}}),
    ("RMSprop centered with momentum, ReduceLROnPlateau",
     {"optimizer": {"type": "RMSprop", "options": {"lr": 0.003, "momentum": 0.5, "centered": True}},
      "scheduler": {"type": "ReduceLROnPlateau", "args": {"patience": 0, "factor": 0.5, "threshold": 0.05}}}),
    ("SGD weight decay, StepLR and ExponentialLR on one optimizer",
     {"optimizer": {"type": "SGD", "options": {"lr": 0.0005, "momentum": 0.8, "dampening": 0.1,
                                                "weight_decay": 0.001}},
      "scheduler": [{"type": "StepLR", "args": {"step_size": 2, "gamma": 0.7}},
                    {"type": "ExponentialLR", "args": {"gamma": 0.95}}]}),
    ("Adam amsgrad, LambdaLR",
     {"optimizer": {"type": "Adam", "options": {"lr": 0.02, "amsgrad": True, "betas": [0.8, 0.99]}},
      "scheduler": {"type": "LambdaLR", "args": {"lr_lambda": "0.9 ** epoch"}}}),
    ("AdamW maximize=False, CosineAnnealingWarmRestarts",
     {"optimizer": {"type": "AdamW", "options": {"lr": 0.01}},
      "scheduler": {"type": "CosineAnnealingWarmRestarts", "args": {"T_0": 3, "T_mult": 2, "eta_min": 0.001}}}),
    ("RMSprop, ChainedScheduler(ConstantLR, PolynomialLR)",
     {"optimizer": {"type": "RMSprop", "options": {"lr": 0.002, "alpha": 0.9, "weight_decay": 0.01}},
      "scheduler": {"type": "ChainedScheduler", "args": {"schedulers": [
          {"type": "ConstantLR", "args": {"factor": 0.5, "total_iters": 4}},
          {"type": "PolynomialLR", "args": {"total_iters": 10, "power": 2.0}}]}}}),
    ("Adagrad lr_decay, MultiStepLR",
     {"optimizer": {"type": "Adagrad", "options": {"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1}},
      "scheduler": {"type": "MultiStepLR", "args": {"milestones": [3, 6, 6, 9], "gamma": 0.5}}}),
    ("Adadelta, ExponentialLR",
     {"optimizer": {"type": "Adadelta", "options": {"lr": 0.5, "rho": 0.8, "weight_decay": 0.001}},
      "scheduler": {"type": "ExponentialLR", "args": {"gamma": 0.9}}}),
    ("Adamax, OneCycleLR cycling betas[0]",
     {"optimizer": {"type": "Adamax", "options": {"lr": 0.002}},
      "scheduler": {"type": "OneCycleLR", "args": {"max_lr": 0.01, "total_steps": 20}}}),
    ("NAdam decoupled weight decay, CosineAnnealingLR",
     {"optimizer": {"type": "NAdam", "options": {"lr": 0.005, "weight_decay": 0.01, "decoupled_weight_decay": True}},
      "scheduler": {"type": "CosineAnnealingLR", "args": {"T_max": 8}}}),
    ("RAdam, LinearLR",
     {"optimizer": {"type": "RAdam", "options": {"lr": 0.01}},
      "scheduler": {"type": "LinearLR", "args": {"start_factor": 0.5, "total_iters": 6}}}),
    ("ASGD t0, StepLR",
     {"optimizer": {"type": "ASGD", "options": {"lr": 0.001, "t0": 20.0}},
      "scheduler": {"type": "StepLR", "args": {"step_size": 3, "gamma": 0.8}}}),
    ("Adafactor (factored 2-D state), LinearLR",
     {"optimizer": {"type": "Adafactor", "options": {"lr": 0.01, "weight_decay": 0.01}},
      "scheduler": {"type": "LinearLR", "args": {"start_factor": 0.5, "total_iters": 6}}}),
    ("Rprop, MultiplicativeLR",
     {"optimizer": {"type": "Rprop", "options": {"lr": 0.001, "etas": [0.4, 1.1]}},
      "scheduler": {"type": "MultiplicativeLR", "args": {"lr_lambda": "0.95"}}}),
]


class Seed1Model(torch.nn.Module):
    """The first seed document's model, with its names."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(1, 32)
        self.fc2 = torch.nn.Linear(32, 10)
        self.fc3 = torch.nn.Linear(10, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return torch.relu(self.fc3(x))


# The "ordered" gradients: the same model, loss and gradients computed with
# float32 element-wise torch operations in the order Anneal's loops use
# (Sources/AnnealTensor: Tensor+MatMul, Linear, ReLU, MSELoss), so both sides
# hand their optimizers bit-identical gradients and every parameter must
# match. With "autograd", PyTorch's own kernels (MKL's sgemm sums in its own
# order) give gradients a few ULPs away, so only the learning rates, momenta
# and scheduler states must match and parameters are reported.

def _dot_rows(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, j] = 0 + sum_p a[i, p] * b[j, p], summed left to right from 0."""
    total = torch.zeros(a.shape[0], b.shape[0])
    for p in range(a.shape[1]):
        total = total + a[:, p:p + 1] * b[:, p].unsqueeze(0)
    return torch.zeros_like(total) + total


def _accumulate_products(a_t: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C = A^T B as C[i, :] += A[p, i] * B[p, :] for p in order, from 0."""
    total = torch.zeros(a_t.shape[1], b.shape[1])
    for p in range(a_t.shape[0]):
        total = total + a_t[p, :].unsqueeze(1) * b[p, :].unsqueeze(0)
    return total


def _sum_rows(g: torch.Tensor) -> torch.Tensor:
    total = torch.zeros(g.shape[1])
    for row in g:
        total = total + row
    return total


def _relu(x: torch.Tensor) -> torch.Tensor:
    return torch.where((x > 0) | torch.isnan(x), x, torch.zeros_like(x))


def ordered_gradients(model: "Seed1Model", x: torch.Tensor, y: torch.Tensor) -> float:
    """Sets every parameter's .grad as Anneal computes it; returns the loss."""
    with torch.no_grad():
        layers = [model.fc1, model.fc2, model.fc3]
        inputs, outputs = [], []
        h = x
        for layer in layers:
            inputs.append(h)
            h = _relu(_dot_rows(h, layer.weight) + layer.bias)
            outputs.append(h)
        difference = h - y
        squares = (difference * difference).reshape(-1).tolist()
        # Squares rounded to float32, summed in double, the mean rounded to float32.
        loss = float(torch.tensor(_sequential_sum(squares) / len(squares), dtype=torch.float32))
        factor = torch.tensor(2 / difference.numel(), dtype=torch.float32)
        g = factor * difference
        for layer, layer_input, layer_output in reversed(list(zip(layers, inputs, outputs))):
            g = torch.where(layer_output > 0, g, torch.zeros_like(g))
            layer.weight.grad = _accumulate_products(g, layer_input)
            layer.bias.grad = _sum_rows(g)
            g = _accumulate_products(g.t(), layer.weight)
    return loss


def _sequential_sum(values: list[float]) -> float:
    total = 0.0
    for v in values:
        total += v
    return total


class Run:
    """PyTorch's side: the model, data, optimizer and schedulers of a spec."""

    def __init__(self, spec: dict, seed: int, gradients: str):
        torch.manual_seed(seed)
        self.model = Seed1Model()
        self.gradients = gradients
        self.x = torch.arange(start=0, end=10, step=0.5).reshape(-1, 1)
        if gradients == "autograd":
            self.y = torch.sin(self.x) + self.x ** 2
        else:
            # Anneal's targets: glibc's sinf, then x * x, then the sum.
            sinf = ctypes.CDLL(ctypes.util.find_library("m")).sinf
            sinf.restype, sinf.argtypes = ctypes.c_float, [ctypes.c_float]
            sines = torch.tensor([sinf(v) for v in self.x.reshape(-1).tolist()], dtype=torch.float32).reshape(-1, 1)
            self.y = sines + self.x * self.x
        self.optimizer = goldens.build_optimizer(spec["optimizer"], [list(self.model.parameters())])
        self.schedulers = [goldens.build_scheduler(s, self.optimizer) for s in goldens.scheduler_list(spec)]
        self.epoch = 0

    def train_epoch(self) -> tuple[float, float]:
        """One epoch as Anneal's Trainer runs it; returns (lr, mean loss)."""
        total = 0.0
        batches = 0
        for start in range(0, len(self.x), BATCH_SIZE):
            x, y = self.x[start:start + BATCH_SIZE], self.y[start:start + BATCH_SIZE]
            self.optimizer.zero_grad()
            if self.gradients == "autograd":
                loss = torch.nn.functional.mse_loss(self.model(x), y)
                loss.backward()
                loss = loss.item()
            else:
                loss = ordered_gradients(self.model, x, y)
            self.optimizer.step()
            total += loss
            batches += 1
        mean = total / batches
        for s in self.schedulers:
            if isinstance(s, torch.optim.lr_scheduler.ReduceLROnPlateau):
                s.step(mean)
            else:
                s.step()
        self.epoch += 1
        last = self.schedulers[-1]
        lr = (last.get_last_lr() if hasattr(last, "get_last_lr") else last._last_lr)[0]
        return lr, mean

    def save_torch(self, path: str) -> None:
        """The tutorial dict, as a PyTorch user saves a run with torch.save."""
        states = [s.state_dict() for s in self.schedulers]
        torch.save({"epoch": self.epoch, "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                    "scheduler": states[0] if len(states) == 1 else states}, path)

    def load_torch(self, state: dict) -> None:
        """PyTorch resuming from a file: load_state_dict of every part."""
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        schedulers = state["scheduler"] if "scheduler" in state else [r["state"] for r in state["schedulers"]]
        if isinstance(schedulers, dict):
            schedulers = [schedulers]
        for s, saved in zip(self.schedulers, schedulers, strict=True):
            s.load_state_dict(saved)
        self.epoch = state["epoch"]

    def as_state(self) -> dict:
        """This run's state in the layout compare_state reads."""
        return {"epoch": self.epoch, "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "optimizer_type": type(self.optimizer).__name__,
                "schedulers": [{"type": type(s).__name__, "state": s.state_dict()} for s in self.schedulers]}

    def export(self, path: str) -> None:
        steps_per_epoch = math.ceil(len(self.x) / BATCH_SIZE)
        torch_checkpoint.export_checkpoint(
            path, model=self.model, optimizer=self.optimizer, schedulers=self.schedulers,
            step=self.epoch * steps_per_epoch, epoch=self.epoch, metadata={"exported_by": "Scripts/interop.py"})


def fixed(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def ulp_distance(a: float, b: float) -> int:
    """ULPs between two float32 values (0 for equal, NaNs equal to NaNs)."""
    if math.isnan(a) or math.isnan(b):
        return 0 if math.isnan(a) and math.isnan(b) else 2**31

    def ordered(v: float) -> int:
        (bits,) = struct.unpack("<i", struct.pack("<f", v))
        return bits if bits >= 0 else -(bits & 0x7FFFFFFF)

    return abs(ordered(a) - ordered(b))


class Comparison:
    """Collects the differences of one epoch."""

    def __init__(self, where: str, tensors_must_match: bool):
        self.where = where
        self.tensors_must_match = tensors_must_match
        self.problems: list[str] = []   # differences that fail the test
        self.reported: list[str] = []   # tensor differences expected with "autograd" gradients
        self.worst_ulp = 0
        self.compared = 0

    def tensor(self, name: str, expected: torch.Tensor, got: torch.Tensor) -> None:
        self.compared += 1
        if tuple(expected.shape) != tuple(got.shape):
            self.problems.append(f"{name}: shape {tuple(got.shape)}, expected {tuple(expected.shape)}")
            return
        e = expected.detach().reshape(-1).to(torch.float32)
        g = got.detach().reshape(-1).to(torch.float32)
        if torch.equal(e.view(torch.int32), g.view(torch.int32)):
            return
        worst = max(range(len(e)), key=lambda i: ulp_distance(e[i].item(), g[i].item()))
        distance = ulp_distance(e[worst].item(), g[worst].item())
        self.worst_ulp = max(self.worst_ulp, distance)
        differing = sum(1 for i in range(len(e)) if e[i].view(torch.int32) != g[i].view(torch.int32))
        (self.problems if self.tensors_must_match else self.reported).append(
            f"{name}: {differing} of {len(e)} values differ, worst at [{worst}]: expected {e[worst].item()!r}, "
            f"got {g[worst].item()!r} ({distance} ULP)")

    def value(self, name: str, expected, got) -> None:
        self.compared += 1
        if not torch_checkpoint._equal(torch_checkpoint.to_json(expected), torch_checkpoint.to_json(got)):
            self.problems.append(f"{name}: expected {torch_checkpoint.to_json(expected)!r}, got {torch_checkpoint.to_json(got)!r}")


def compare_state(run: Run, state: dict, where: str) -> Comparison:
    """PyTorch's live run against an imported Anneal checkpoint."""
    c = Comparison(where, tensors_must_match=run.gradients == "ordered")
    c.value("epoch", run.epoch, state["epoch"])
    expected_model = run.model.state_dict()
    c.value("model parameter names", sorted(expected_model), sorted(state["model"]))
    for name in sorted(set(expected_model) & set(state["model"])):
        c.tensor(f"model.{name}", expected_model[name], state["model"][name])

    expected = run.optimizer.state_dict()
    got = state["optimizer"]
    c.value("optimizer type", type(run.optimizer).__name__, state["optimizer_type"])
    for i, (eg, gg) in enumerate(zip(expected["param_groups"], got["param_groups"])):
        for key in sorted(set(eg) | set(gg)):
            c.value(f"param_groups[{i}].{key}", eg.get(key, "<missing>"), gg.get(key, "<missing>"))
    c.value("param group count", len(expected["param_groups"]), len(got["param_groups"]))
    c.value("optimizer state indices", sorted(expected["state"]), sorted(got["state"]))
    for index in sorted(set(expected["state"]) & set(got["state"])):
        es, gs = expected["state"][index], got["state"][index]
        c.value(f"optim.state.{index} keys", sorted(es), sorted(gs))
        for key in sorted(set(es) & set(gs)):
            if isinstance(es[key], torch.Tensor) and es[key].dim() > 0:
                c.tensor(f"optim.state.{index}.{key}", es[key], gs[key])
            else:
                c.value(f"optim.state.{index}.{key}", es[key], gs[key])

    c.value("scheduler count", len(run.schedulers), len(state["schedulers"]))
    for i, (s, record) in enumerate(zip(run.schedulers, state["schedulers"])):
        c.value(f"schedulers[{i}].type", type(s).__name__, record["type"])
        c.value(f"schedulers[{i}].state_dict()", s.state_dict(), record["state"])
    return c


def run_configuration(name: str, spec: dict, anneal: str, k: int, m: int, seed: int, gradients: str,
                      work: str, verbose: bool, via: str = "native") -> tuple[int, int]:
    """Returns (epochs that match, epochs with failing differences, the worst
    parameter or state difference in ULPs). `via` "native": torch.save, then
    `anneal train --resume FILE.pt --save-torch DIR`, then PyTorch resumes
    from Anneal's last torch.save file and trains M more epochs beside the
    run that never stopped; "python": the Python converter's checkpoint in
    the directory and `--resume`."""
    directory = os.path.join(work, "run")
    torch_directory = os.path.join(work, "torch")
    for d in (directory, torch_directory):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(directory)
    spec_path = os.path.join(work, "spec.json")
    with open(spec_path, "w") as f:
        json.dump({"name": name, **spec}, f)

    run = Run(spec, seed, gradients)
    for _ in range(k):
        run.train_epoch()
    steps_per_epoch = math.ceil(len(run.x) / BATCH_SIZE)
    command = [anneal, "train", spec_path, "--model", "seed1", "--epochs", str(k + m), "--checkpoint-dir", directory,
               "--keep", "0"]
    if via == "native":
        saved = os.path.join(work, "pytorch.pt")
        run.save_torch(saved)
        command += ["--resume", saved, "--save-torch", torch_directory]
    else:
        run.export(os.path.join(directory, f"checkpoint-{k * steps_per_epoch:08d}.safetensors"))
        command += ["--resume"]
    result = subprocess.run(command, capture_output=True, text=True)
    name = f"{name} [{via}]"
    if result.returncode != 0:
        print(f"FAIL {name} ({gradients}): anneal train exited {result.returncode}: {result.stderr.strip()}")
        return 0, m, 0
    lines = result.stdout.splitlines()
    if len(lines) != m:
        print(f"FAIL {name} ({gradients}): anneal printed {len(lines)} lines for {m} epochs:\n{result.stdout}")
        return 0, m, 0

    exported = {name: value.clone() for name, value in run.model.state_dict().items()}
    equal = different = worst_ulp = 0
    for j in range(m):
        lr, loss = run.train_epoch()
        where = f"epoch {run.epoch}"
        path = os.path.join(directory, f"checkpoint-{run.epoch * steps_per_epoch:08d}.safetensors")
        try:
            state = torch_checkpoint.import_checkpoint(path)
        except (OSError, torch_checkpoint.CheckpointError) as error:
            print(f"FAIL {name} ({gradients}), {where}: {error}")
            different += 1
            continue
        c = compare_state(run, state, where)
        if via == "native":
            # The torch.save file Anneal wrote beside the checkpoint, as PyTorch loads it.
            torch_path = os.path.join(torch_directory, f"checkpoint-{run.epoch * steps_per_epoch:08d}.pt")
            try:
                handed = torch.load(torch_path, weights_only=True)
                for problem in compare_state(run, handed, where).problems:
                    c.problems.append(f"{os.path.basename(torch_path)}: {problem}")
            except Exception as error:  # a missing or unloadable file is a failure of this epoch
                c.problems.append(f"{torch_path}: {type(error).__name__}: {error}")
        expected_line = f"Epoch {run.epoch}: LR = {fixed(lr, 5)} | loss = {fixed(loss, 4)}"
        if gradients == "ordered":
            c.value("printed line", expected_line, lines[j])
        else:  # the loss comes from the gradients' forward pass: only the learning rate must match
            c.value("printed learning rate", expected_line.split(" | ")[0], lines[j].split(" | ")[0])
        worst_ulp = max(worst_ulp, c.worst_ulp)
        if c.problems:
            different += 1
            print(f"FAIL {name} ({gradients}), {where}:")
            for problem in c.problems:
                print(f"    {problem}")
        else:
            equal += 1
        if verbose:
            for note in c.reported:
                print(f"  note {name} ({gradients}), {where}: {note}")
            if not c.problems:
                print(f"  ok {name} ({gradients}), {where}: {c.compared} values ({lines[j]})")
    if via == "native":
        # Hand back: PyTorch resumes from Anneal's last file and continues beside the run that never stopped.
        resumed = Run(spec, seed + 1, gradients)
        try:
            resumed.load_torch(torch.load(os.path.join(torch_directory, f"checkpoint-{run.epoch * steps_per_epoch:08d}.pt"),
                                          weights_only=True))
        except Exception as error:
            print(f"FAIL {name} ({gradients}): PyTorch cannot resume from Anneal's torch.save file: "
                  f"{type(error).__name__}: {error}")
            return equal, different + 1, worst_ulp
        for _ in range(m):
            run.train_epoch()
            resumed.train_epoch()
            c = compare_state(run, resumed.as_state(), f"epoch {run.epoch}, PyTorch resumed from Anneal")
            worst_ulp = max(worst_ulp, c.worst_ulp)
            if c.problems:
                different += 1
                print(f"FAIL {name} ({gradients}), epoch {run.epoch} after PyTorch resumed from Anneal:")
                for problem in c.problems:
                    print(f"    {problem}")
            else:
                equal += 1
    # A model whose ReLUs are all dead would match trivially: every tensor must have moved.
    frozen = [name for name, value in run.model.state_dict().items() if torch.equal(value, exported[name])]
    if frozen:
        print(f"FAIL {name} ({gradients}): {', '.join(frozen)} never changed in the resumed epochs; "
              f"pick another --seed")
        different += 1
    return equal, different, worst_ulp


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anneal", required=True, help="the anneal executable")
    parser.add_argument("--k", type=int, default=5, help="epochs in PyTorch before the export (default 5)")
    parser.add_argument("--m", type=int, default=7, help="epochs resumed in Anneal (default 7)")
    parser.add_argument("--seed", type=int, default=0,
                        help="torch.manual_seed for the initialization (default 0, which leaves every configuration's "
                             "model trainable: the output ReLU is not dead)")
    parser.add_argument("--gradients", choices=["ordered", "autograd", "both"], default="both",
                        help="ordered: PyTorch computes the gradients in Anneal's summation order, so everything must "
                             "match; autograd: PyTorch's own kernels, so learning rates, momenta and scheduler states "
                             "must match and parameter differences are reported (default both)")
    parser.add_argument("--via", choices=["native", "python", "both"], default="both",
                        help="native: torch.save -> anneal train --resume FILE.pt --save-torch -> PyTorch resumes; "
                             "python: the Python converter's checkpoint (the independent cross-check); default both")
    parser.add_argument("--verbose", action="store_true", help="a line for every epoch, and the reported differences")
    args = parser.parse_args(argv)
    if args.k < 0 or args.m < 1:
        parser.error("--k must be 0 or more and --m 1 or more")
    if not (os.path.isfile(args.anneal) and os.access(args.anneal, os.X_OK)):
        parser.error(f"--anneal '{args.anneal}' is not an executable (build it: swift build --product anneal)")
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)

    work = tempfile.mkdtemp(prefix="anneal-interop-")
    failed = False
    try:
        for gradients in (["ordered", "autograd"] if args.gradients == "both" else [args.gradients]):
            total_equal = total_different = 0
            for (name, spec), via in ((c, v) for c in CONFIGURATIONS
                                     for v in (["native", "python"] if args.via == "both" else [args.via])):
                equal, different, worst = run_configuration(name, spec, args.anneal, args.k, args.m, args.seed,
                                                            gradients, work, args.verbose, via)
                name = f"{name} [{via}]"
                total_equal += equal
                total_different += different
                status = "ok  " if different == 0 else "FAIL"
                if gradients == "ordered":
                    print(f"{status} {name} (ordered gradients): {equal} of {equal + different} resumed epochs "
                          f"identical to PyTorch's")
                else:
                    print(f"{status} {name} (autograd): learning rates, momenta and scheduler states identical in "
                          f"{equal} of {equal + different} epochs; parameters and optimizer state within {worst} ULP")
            print(f"{gradients}: {len(CONFIGURATIONS)} configurations ({args.via}), {args.k} epochs in PyTorch then {args.m} in "
                  f"Anneal: {total_equal} epochs match, {total_different} differ\n")
            failed = failed or total_different > 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
