#!/usr/bin/env python3
"""Writes the inputs of Scripts/torch_checkpoint.py that must exit 65 (see
../README.md): STATE.pt files `export` must refuse, and checkpoints both
verifiers must call invalid. Run from this directory with the venv's python."""
import collections
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Scripts"))
import torch_checkpoint as tc  # noqa: E402

weight = torch.tensor([[1.0, 2.0]])
torch.save({"model": {"w": weight}, "extra": collections.deque([1])}, "blocked-pickle.pt")
with open("junk.pt", "wb") as f:
    f.write(b"this is not a pickle\n")
open("empty.pt", "wb").close()
torch.save({"model": {"w": weight}, "step": -5}, "negative-step.pt")
torch.save({"model": {"w": weight}, "epoch": 2**70}, "huge-epoch.pt")
torch.save({"model": {"": weight}}, "empty-name.pt")


def manifest(**fields):
    base = {"epoch": 0, "format": tc.FORMAT, "metadata": {}, "model": {"parameters": [{"name": "w", "shape": [1, 2]}]},
            "optimizer": None, "rng": None, "schedulers": [], "step": 0, "version": tc.VERSION}
    base.update(fields)
    return base


raw = tc.float32_bytes(weight, "w")
with open("negative-step.safetensors", "wb") as f:
    f.write(tc.encode({"model.w": ([1, 2], raw)}, manifest(step=-5)))
with open("huge-epoch.safetensors", "wb") as f:
    f.write(tc.encode({"model.w": ([1, 2], raw)}, manifest(epoch=2**70)))
with open("empty-name.safetensors", "wb") as f:
    f.write(tc.encode({"model.": ([1, 2], raw)}, manifest(model={"parameters": [{"name": "", "shape": [1, 2]}]})))
