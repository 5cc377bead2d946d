#!/usr/bin/env python3
"""Writes the ten trace specs of the seed figure (Examples/seed-figure/*.json).

The figure is the comparison cell at the end of section 10 ("When should you
choose which?") of the first seed document,
/work/shared/seeds/000_287357202cddedbb.txt: ten schedules over 200 steps
on Adam([torch.zeros(1)], lr=1e-3), each step `optimizer.step()` then
`scheduler.step()`, plotted with matplotlib.

Only the standard library is used, and the output is deterministic:

    python3 Examples/seed-figure/make_specs.py

The one computed input is ReduceLROnPlateau's synthetic validation loss,
`1 + np.sin(t / 15) * 0.1 + (t / steps) * 0.3` for t = 0..199. It is
evaluated here with `math.sin` (glibc's sin, as CPython's math module uses)
in the document's operation order; NumPy 2.4.6's `np.sin` gives the same 200
doubles on this machine. The values are written with Python's repr, which
round-trips.
"""
import json
import math
import os

STEPS = 200
BASE_LR = 1e-3
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = ("the comparison cell of section 10 ('When should you choose which?') of the first seed document "
          "(000_287357202cddedbb.txt)")


def adam(lr=BASE_LR):
    return {"type": "Adam", "options": {"lr": lr}}


def steps(n=STEPS):
    return [{"op": "step", "repeat": n}]


def plateau_losses():
    return [1 + math.sin(t / 15) * 0.1 + (t / STEPS) * 0.3 for t in range(STEPS)]


SPECS = [
    ("01-steplr", "StepLR", "StepLR(step_size=40, gamma=0.5)",
     adam(), {"type": "StepLR", "args": {"step_size": 40, "gamma": 0.5}}, steps()),
    ("02-cosine", "CosineAnnealing", "CosineAnnealingLR(T_max=200, eta_min=1e-6)",
     adam(), {"type": "CosineAnnealingLR", "args": {"T_max": STEPS, "eta_min": 1e-6}}, steps()),
    ("03-warmup-cosine", "Warmup+Cosine",
     "LinearLR(start_factor=0.1, total_iters=20) and CosineAnnealingLR(T_max=180, eta_min=1e-6), both built on the "
     "optimizer; the cell steps only the warmup scheduler for t < 20 and only the cosine one after (\"scheduler\": k)",
     adam(), [{"type": "LinearLR", "args": {"start_factor": 0.1, "total_iters": 20}},
              {"type": "CosineAnnealingLR", "args": {"T_max": STEPS - 20, "eta_min": 1e-6}}],
     [{"op": "step", "scheduler": 0, "repeat": 20}, {"op": "step", "scheduler": 1, "repeat": STEPS - 20}]),
    ("04-plateau", "ReduceLROnPlateau",
     "ReduceLROnPlateau(mode='min', factor=0.5, patience=10, threshold=1e-4) stepped with the cell's synthetic "
     "validation loss 1 + sin(t / 15) * 0.1 + (t / 200) * 0.3 for t = 0..199, computed by make_specs.py with "
     "math.sin (the same doubles as np.sin)",
     adam(), {"type": "ReduceLROnPlateau", "args": {"mode": "min", "factor": 0.5, "patience": 10, "threshold": 1e-4}},
     [{"op": "step", "metrics": plateau_losses()}]),
    ("05-exponential", "ExponentialLR", "ExponentialLR(gamma=0.97)",
     adam(), {"type": "ExponentialLR", "args": {"gamma": 0.97}}, steps()),
    ("06-polynomial", "PolynomialLR", "PolynomialLR(total_iters=200, power=2)",
     adam(), {"type": "PolynomialLR", "args": {"total_iters": STEPS, "power": 2}}, steps()),
    ("07-onecycle", "OneCycleLR",
     "OneCycleLR(max_lr=1e-2, total_steps=200) on Adam(lr=1e-4); it also cycles betas[0] between 0.95 and 0.85",
     adam(1e-4), {"type": "OneCycleLR", "args": {"max_lr": 1e-2, "total_steps": STEPS}}, steps()),
    ("08-cyclic", "CyclicLR",
     "CyclicLR(base_lr=1e-4, max_lr=1e-2, step_size_up=50, cycle_momentum=False) on Adam(lr=1e-4)",
     adam(1e-4), {"type": "CyclicLR", "args": {"base_lr": 1e-4, "max_lr": 1e-2, "step_size_up": STEPS // 4,
                                                "cycle_momentum": False}}, steps()),
    ("09-linear-warmup", "LinearWarmupOnly", "LinearLR(start_factor=1e-3, total_iters=200) on Adam(lr=1e-6)",
     adam(1e-6), {"type": "LinearLR", "args": {"start_factor": 1e-3, "total_iters": STEPS}}, steps()),
    ("10-lambda", "LambdaLR",
     "LambdaLR with the cell's inverse-sqrt decay 1.0 / np.sqrt(epoch + 1), as the expression 1.0 / sqrt(epoch + 1)",
     adam(), {"type": "LambdaLR", "args": {"lr_lambda": "1.0 / sqrt(epoch + 1)"}}, steps()),
]


def main():
    for slug, name, what, optimizer, scheduler, script in SPECS:
        spec = {
            "format": "anneal-trace/1",
            "name": name,
            "description": f"{what}, over {STEPS} steps: from {SOURCE}. Record t is the LR after t steps "
                           f"(the cell's lrs[t - 1]).",
            "optimizer": optimizer,
            "scheduler": scheduler,
            "script": script,
        }
        with open(os.path.join(HERE, slug + ".json"), "w") as file:
            json.dump(spec, file, indent=1)
            file.write("\n")


if __name__ == "__main__":
    main()
