#!/usr/bin/env python3
"""Writes TrainingReference.generated.swift: PyTorch 2.13 training runs of the
seed documents' setups, started from the data and initial weights Anneal
draws for the same seed.

    .venv/bin/python Tests/AnnealTrainingTests/make_training_reference.py [OUTPUT]   (any Python with torch 2.13)
    (or `make regenerate-tests`, which runs all three generators)

The data and weights come from the plain-Python transcription of Anneal's
generator in ../AnnealTensorTests/make_reference.py (xoshiro256** seeded by
SplitMix64, `uniform` for nn.Linear's U(-1/sqrt(in), 1/sqrt(in)), Box-Muller
pairs for normals), drawn in Anneal's order: data first, then each layer's
weight and bias. The loop is the documents': per epoch, batches in order,
zero_grad, forward, MSELoss, backward, optimizer.step(); then
scheduler.step(); the epoch's loss is the mean of the batch losses.
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ inside a Swift test target
sys.path.insert(0, os.path.join(HERE, "..", "AnnealTensorTests"))
sys.path.insert(0, os.path.join(HERE, ".."))
from make_reference import Xoshiro, f32, hexfloat  # noqa: E402
from generated_source import fingerprint_line, output_path  # noqa: E402


def linear(rng, n_in, n_out):
    layer = nn.Linear(n_in, n_out)
    bound = f32(1 / math.sqrt(n_in))
    weight = [rng.uniform(-bound, bound) for _ in range(n_in * n_out)]
    bias = [rng.uniform(-bound, bound) for _ in range(n_out)]
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(weight, dtype=torch.float32).reshape(n_out, n_in))
        layer.bias.copy_(torch.tensor(bias, dtype=torch.float32))
    return layer


def normal(rng, count):
    values = []
    while len(values) + 1 < count:
        a, b = rng.normal_pair()
        values += [f32(a), f32(b)]
    if len(values) < count:
        values.append(f32(rng.normal()))
    return torch.tensor(values, dtype=torch.float32)


class FirstDocumentModel(nn.Module):
    def __init__(self, rng):
        super().__init__()
        self.fc1 = linear(rng, 1, 32)
        self.fc2 = linear(rng, 32, 10)
        self.fc3 = linear(rng, 10, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = torch.relu(self.fc3(x))
        return x


def setup(experiment, seed):
    rng = Xoshiro(seed=seed)
    if experiment == "seed1":
        x = torch.arange(start=0, end=10, step=0.5).reshape(-1, 1)
        y = torch.sin(x) + x**2
        return x, y, FirstDocumentModel(rng), 2
    x = normal(rng, 512 * 10).reshape(512, 10)
    w = normal(rng, 10).reshape(10, 1)
    y = x @ w + 0.1 * normal(rng, 512).reshape(512, 1)
    model = nn.Sequential(linear(rng, 10, 32), nn.ReLU(), linear(rng, 32, 1))
    return x, y, model, 512


def build(spec, parameters):
    optimizer_spec = spec["optimizer"]
    options = dict(optimizer_spec.get("options", {}))
    optimizer = getattr(torch.optim, optimizer_spec["type"])(parameters, foreach=False, **options)
    scheduler_spec = spec["scheduler"]
    scheduler = getattr(torch.optim.lr_scheduler, scheduler_spec["type"])(optimizer, **scheduler_spec.get("args", {}))
    return optimizer, scheduler


def run(name, experiment, seed, spec, epochs):
    x, y, model, batch_size = setup(experiment, seed)
    optimizer, scheduler = build(spec, model.parameters())
    criterion = nn.MSELoss()
    losses, lrs = [], []
    for _ in range(epochs):
        total, batches = 0.0, 0
        for start in range(0, len(x), batch_size):
            optimizer.zero_grad()
            loss = criterion(model(x[start:start + batch_size]), y[start:start + batch_size])
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(total / batches)
        else:
            scheduler.step()
        losses.append(total / batches)
        lrs.append(scheduler.get_last_lr()[0])
    return [
        "    TorchTrainingCase(",
        f"        name: {json.dumps(name)}, experiment: .{experiment}, seed: {seed},",
        f"        spec: {json.dumps(json.dumps(spec))},",
        "        losses: [" + ", ".join(hexfloat(v) for v in losses) + "],",
        "        lrs: [" + ", ".join(hexfloat(v) for v in lrs) + "]",
        "    ),",
    ]


ADAMW_STEPLR = {
    "optimizer": {"type": "AdamW", "options": {"lr": 0.001}},
    "scheduler": {"type": "StepLR", "args": {"step_size": 5, "gamma": 0.1}},
}
SGD_COSINE = {
    "optimizer": {"type": "SGD", "options": {"lr": 0.1}},
    "scheduler": {"type": "CosineAnnealingLR", "args": {"T_max": 20, "eta_min": 0.001}},
}
SGD_STEPLR = {
    "optimizer": {"type": "SGD", "options": {"lr": 0.1}},
    "scheduler": {"type": "StepLR", "args": {"step_size": 5, "gamma": 0.1}},
}
ADAM_PLATEAU = {
    "optimizer": {"type": "Adam", "options": {"lr": 0.01}},
    "scheduler": {"type": "ReduceLROnPlateau", "args": {"patience": 1, "factor": 0.5}},
}


def main():
    lines = [
        "// Generated by make_training_reference.py with torch " + torch.__version__ + "; do not edit.",
        fingerprint_line(os.path.abspath(__file__), os.path.join(HERE, "..", "AnnealTensorTests", "make_reference.py")),
        "// swift-format-ignore-file",
        "",
        "/// PyTorch's per-epoch losses and rates from Anneal's data and initial weights.",
        "let torchTrainingCases: [TorchTrainingCase] = [",
    ]
    lines += run("first document, AdamW + StepLR, seed 3", "seed1", 3, ADAMW_STEPLR, 20)
    lines += run("first document, Adam + ReduceLROnPlateau, seed 3", "seed1", 3, ADAM_PLATEAU, 20)
    lines += run("third document, SGD + cosine, seed 0", "seed3", 0, SGD_COSINE, 20)
    lines += run("third document, SGD + StepLR, seed 7", "seed3", 7, SGD_STEPLR, 20)
    lines.append("]")
    with open(output_path(os.path.join(HERE, "TrainingReference.generated.swift")), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
