#!/usr/bin/env python3
"""Write the Hugging Face transformers spec corpus (format anneal-trace/1).

    python Scripts/make_specs_transformers.py [--out Fixtures/specs/transformers]

Every spec is ``<out>/<name>/<slug>.json`` for one of transformers 5.23.0's
twelve ``SchedulerType`` names (``errors/`` holds the cases no name owns, an
unknown name), each a ``{"type": "transformers.get_scheduler", "args": {...}}``
scheduler (see /work/shared/golden-format.md, "Extensions"). The cases cover
every argument of every schedule function, no warmup, warmup at or past the
training steps, runs of 10,000+ steps (``repeat``), reloads mid-run, several
param groups, an int ``lr``, explicit (float) epochs, user writes to ``lr``,
and the errors transformers and Python raise. The script is deterministic and
needs no torch; files in the folders it owns that it did not write are removed.
It fails unless every name has at least 15 specs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

FORMAT = "anneal-trace/1"
TYPE = "transformers.get_scheduler"
NAMES = [
    "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
    "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr",
    "warmup_stable_decay", "greedy",
]
FOLDERS = NAMES + ["errors"]
MIN_PER_NAME = 15

# ------------------------------------------------------------------ helpers


def fmt(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, dict):
        return "{" + ",".join(f"{k}={fmt(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ";".join(fmt(x) for x in v) + "]"
    if v is None:
        return "None"
    return str(v)


def slugify(rest: str) -> str:
    s = re.sub(r"[\[\]{}`]", "", rest)
    s = re.sub(r"[^A-Za-z0-9._=,+-]+", "_", s).strip("_").lstrip("-+.")
    return s or "default"


OPT_PRESETS = {
    "SGD": ("SGD", {}),
    "SGD+momentum": ("SGD", {"momentum": 0.9}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {"weight_decay": 0.01}),
}


def optim(preset: str = "SGD", groups: int = 1, lr=0.1) -> dict:
    kind, opts = OPT_PRESETS[preset]
    lrs = [lr, 0.05, 0.01]
    pgs = [{} if i == 0 else {"lr": lrs[i]} for i in range(groups)]
    return {"type": kind, "options": {"lr": lr, **opts}, "param_groups": pgs}


def S(n: int = 1, **kw) -> dict:
    op = {"op": "step"}
    if n != 1:
        op["repeat"] = n
    op.update(kw)
    return op


def E(epoch) -> dict:
    return {"op": "step", "epoch": epoch}


def M(metric, n: int = 1) -> dict:
    op = {"op": "step", "metric": metric}
    if n != 1:
        op["repeat"] = n
    return op


def MS(metrics: list) -> dict:
    return {"op": "step", "metrics": list(metrics)}


SD = {"op": "state_dict"}
RELOAD = {"op": "reload"}


def SETLR(group: int, value) -> dict:
    return {"op": "set_lr", "group": group, "value": value}


def get_scheduler(name, warmup=None, training=None, kwargs=None, *, absent=()) -> dict:
    args = {"name": name}
    if warmup is not None:
        args["num_warmup_steps"] = warmup
    if training is not None:
        args["num_training_steps"] = training
    if kwargs is not None:
        args["scheduler_specific_kwargs"] = kwargs
    return {"type": TYPE, "args": args}


class Corpus:
    def __init__(self):
        self.entries = []  # (folder, slug, spec)
        self.names = set()

    def add(self, folder: str, rest: str, description: str, optimizer: dict, scheduler: dict,
            script: list) -> None:
        name = f"transformers/{folder}/{rest}"
        assert name not in self.names, f"duplicate name {name}"
        self.names.add(name)
        slug = slugify(rest)
        assert all(slug.lower() != s.lower() or f != folder for f, s, _ in self.entries), name
        spec = {"format": FORMAT, "name": name, "description": description,
                "optimizer": optimizer, "scheduler": scheduler, "script": script}
        self.entries.append((folder, slug, spec))


C = Corpus()


def case(name, label, description, *, warmup=None, training=None, kwargs=None, script,
         preset="SGD", groups=1, lr=0.1, folder=None):
    parts = [label]
    if warmup is not None:
        parts.append(f"warmup={fmt(warmup)}")
    if training is not None:
        parts.append(f"training={fmt(training)}")
    if kwargs:
        parts.append(fmt(kwargs))
    if groups != 1:
        parts.append(f"groups={groups}")
    if preset != "SGD":
        parts.append(preset)
    if lr != 0.1:
        parts.append(f"lr={fmt(lr)}")
    C.add(folder or name, ",".join(parts), description, optim(preset, groups, lr),
          get_scheduler(name, warmup, training, kwargs), script)


# ------------------------------------------------------- the LambdaLR names

# The arguments each LambdaLR name needs besides its steps, and variations
# of its scheduler_specific_kwargs (every argument of its function).
LAMBDA_NAMES = {
    "linear": (None, []),
    "cosine": (None, [{"num_cycles": 0.5}, {"num_cycles": 2.0}, {"num_cycles": 1}, {"num_cycles": 0.25}]),
    "cosine_with_restarts": (None, [{"num_cycles": 1}, {"num_cycles": 3}, {"num_cycles": 2.5}, {"num_cycles": 7}]),
    "polynomial": (None, [{"lr_end": 0.0}, {"lr_end": 1e-4, "power": 2.0}, {"power": 0.5},
                          {"lr_end": 0.01, "power": 3}, {"power": 1}]),
    "constant_with_warmup": (None, []),
    "inverse_sqrt": (None, [{"timescale": 1}, {"timescale": 50}, {"timescale": None}, {"timescale": 7.5}]),
    "cosine_with_min_lr": ({"min_lr_rate": 0.1},
                           [{"min_lr": 1e-3}, {"min_lr_rate": 0.05, "num_cycles": 1.5},
                            {"min_lr": 0.0}, {"min_lr_rate": 0}, {"min_lr": 0.02, "num_cycles": 0.5}]),
    "cosine_warmup_with_min_lr": ({"min_lr_rate": 0.1},
                                  [{"min_lr": 1e-3}, {"min_lr_rate": 0.05, "warmup_lr_rate": 0.1},
                                   {"min_lr_rate": 0.0, "warmup_lr_rate": 0}, {"min_lr": 0.01, "num_cycles": 1},
                                   {"min_lr_rate": 0.2, "warmup_lr_rate": None}]),
    "warmup_stable_decay": ({"num_decay_steps": 20},
                            [{"num_decay_steps": 30, "warmup_type": "cosine", "decay_type": "linear"},
                             {"num_decay_steps": 30, "warmup_type": "1-sqrt", "decay_type": "1-sqrt"},
                             {"num_decay_steps": 25, "decay_type": "cosine", "num_cycles": 1.0, "min_lr_ratio": 0.1},
                             {"num_decay_steps": 10, "num_stable_steps": 40, "warmup_type": "linear"},
                             {"num_decay_steps": 20, "min_lr_ratio": 0.05, "warmup_type": "cosine"}]),
}

# Names whose function takes num_training_steps from get_scheduler.
WITH_TRAINING = {"linear", "cosine", "cosine_with_restarts", "polynomial", "cosine_with_min_lr",
                 "cosine_warmup_with_min_lr", "warmup_stable_decay"}


def with_base(base, extra=None):
    if base is None and not extra:
        return None
    out = dict(base or {})
    out.update(extra or {})
    return out


def lambda_specs(name: str) -> None:
    base, variations = LAMBDA_NAMES[name]
    tr = name in WITH_TRAINING

    def c(label, description, warmup, training, kwargs=None, **kw):
        case(name, label, f"get_scheduler('{name}'): {description}", warmup=warmup,
             training=training if tr else None, kwargs=with_base(base, kwargs), **kw)

    c("run", "a warmup, the schedule, and steps past num_training_steps.", 10, 100, script=[S(110)])
    c("no_warmup", "num_warmup_steps=0.", 0, 50, script=[S(60)])
    c("warmup_past_training", "num_warmup_steps > num_training_steps.", 20, 10, script=[S(30)])
    c("warmup_equals_training", "num_warmup_steps == num_training_steps.", 10, 10, script=[S(15)])
    c("long", "10,000+ steps.", 100, 10000,
      {"num_decay_steps": 3000} if name == "warmup_stable_decay" else None, script=[S(10050)])
    c("reload", "state_dict and reload mid-run, twice.", 10, 100,
      script=[S(25), SD, RELOAD, S(25), SD, RELOAD, S(60), SD])
    c("groups", "three param groups with their own rates, Adam.", 5, 40, script=[S(5), SD, S(40)],
      preset="Adam", groups=3)
    c("int_lr", "an int lr (1): the factor times the int.", 4, 20, script=[S(25), SD], lr=1)
    c("epochs", "explicit epochs, int and float (LambdaLR's get_lr at that epoch).", 8, 40,
      script=[E(3), E(12), E(2.5), E(30.75), S(3), E(45), SD])
    c("set_lr", "a user write to lr, overwritten at the next step; SGD with momentum.", 3, 30,
      script=[S(5), {"op": "set_lr", "group": 0, "value": 0.5}, S(3), {"op": "scheduler_step"}, S(2)],
      preset="SGD+momentum")
    c("error_last_epoch", "last_epoch=5 through scheduler_specific_kwargs on a fresh optimizer: "
      "LambdaLR's KeyError for initial_lr.", 5, 50, {"last_epoch": 5}, script=[S(3)])
    c("error_unknown_kwarg", "an argument the function does not take: TypeError.", 5, 50,
      {"warmup_ratio": 0.1}, script=[S(3)])
    c("error_missing_warmup", "no num_warmup_steps: transformers' ValueError.", None, 50, script=[S(3)])
    c("error_duplicate_warmup", "num_warmup_steps also in scheduler_specific_kwargs: TypeError.", 5, 50,
      {"num_warmup_steps": 3}, script=[S(3)])
    if tr and name != "warmup_stable_decay":
        c("error_missing_training", "no num_training_steps: transformers' ValueError.", 5, None, script=[S(3)])
    for i, v in enumerate(variations):
        c(f"kwargs{i}", f"scheduler_specific_kwargs {fmt(v)}.", 10, 200, v, script=[S(60), SD, RELOAD, S(160)])
        c(f"kwargs{i}_no_warmup", f"scheduler_specific_kwargs {fmt(v)}, no warmup, two groups.", 0, 80, v,
          script=[S(100)], groups=2)


def name_specific_specs() -> None:
    n = "linear"
    case(n, "float_steps", "get_scheduler('linear') with float step counts (Python accepts them).",
         warmup=2.5, training=20.5, script=[S(25)])
    case(n, "one_step", "num_training_steps=1, num_warmup_steps=1.", warmup=1, training=1, script=[S(4)])

    n = "cosine"
    case(n, "cycles_zero", "num_cycles=0: a constant factor after warmup.", warmup=3, training=30,
         kwargs={"num_cycles": 0}, script=[S(35)])
    case(n, "error_restart_kwarg", "lr_end is polynomial's, not cosine's: TypeError.", warmup=3, training=30,
         kwargs={"lr_end": 0.0}, script=[S(2)])

    n = "cosine_with_restarts"
    case(n, "cycles_zero", "num_cycles=0: the % 1.0 of zero.", warmup=3, training=30, kwargs={"num_cycles": 0},
         script=[S(35)])

    n = "polynomial"
    case(n, "error_lr_end", "lr_end >= the optimizer's default lr: transformers' ValueError.", warmup=3,
         training=30, kwargs={"lr_end": 0.5}, script=[S(2)])
    case(n, "error_lr_end_equal", "lr_end == lr: ValueError (lr_init > lr_end is required).", warmup=3,
         training=30, kwargs={"lr_end": 0.1}, script=[S(2)])
    case(n, "defaults_lr_not_group", "lr_init is optimizer.defaults['lr'], not the groups' own rates.",
         warmup=2, training=20, kwargs={"lr_end": 0.001}, groups=3, preset="AdamW", script=[S(25), SD])
    case(n, "negative_power", "power=-1: 0.0 ** -1 at the last step raises ZeroDivisionError.", warmup=2,
         training=10, kwargs={"power": -1.0, "lr_end": 0.0}, script=[S(12)])

    n = "constant"
    case(n, "ignores_steps", "num_warmup_steps, num_training_steps and kwargs are ignored (even bad ones).",
         warmup=10, training=20, kwargs={"bogus": 1}, script=[S(30), SD])
    case(n, "run", "the factor 1 (an int): lr stays.", script=[S(20)])
    case(n, "long", "10,000+ steps.", script=[S(10005)])
    case(n, "reload", "state_dict and reload mid-run (lr_lambdas is [None]: a plain function).",
         script=[S(5), SD, RELOAD, S(5), SD])
    case(n, "groups", "three groups, Adam.", script=[S(10), SD], preset="Adam", groups=3)
    case(n, "int_lr", "an int lr (2): int times the int 1 stays an int.", script=[S(5), SD], lr=2)
    case(n, "epochs", "explicit epochs.", script=[E(4), E(2.5), S(2), SD])
    case(n, "set_lr", "a user write to lr, overwritten at the next step.", script=[S(2), SETLR(0, 0.7), S(2)])
    case(n, "scheduler_step_only", "scheduler.step() without optimizer.step(): PyTorch's warning only.",
         script=[{"op": "scheduler_step", "repeat": 3}, S(2)])
    case(n, "kwargs_null", "scheduler_specific_kwargs=None.", kwargs=None, script=[S(3)])
    case(n, "momentum", "SGD with momentum, momentum untouched.", script=[S(6)], preset="SGD+momentum")
    case(n, "adamw_groups2", "AdamW, two groups.", script=[S(4), RELOAD, S(4)], preset="AdamW", groups=2)
    case(n, "zero_lr", "lr=0.0.", script=[S(4), SD], lr=0.0)
    case(n, "warmup_only", "num_warmup_steps given and ignored.", warmup=5, script=[S(8)])
    case(n, "training_only", "num_training_steps given and ignored.", training=5, script=[S(8)])
    case(n, "big_lr", "lr=1e10.", script=[S(3)], lr=1e10)

    n = "constant_with_warmup"
    case(n, "kwargs_ignored", "scheduler_specific_kwargs are not passed to it (even unknown ones).",
         warmup=4, kwargs={"bogus": 1}, script=[S(8)])
    case(n, "warmup_one", "num_warmup_steps=1.", warmup=1, script=[S(4)])
    case(n, "warmup_fraction", "num_warmup_steps=0.5: max(1.0, 0.5).", warmup=0.5, script=[S(4)])

    n = "inverse_sqrt"
    case(n, "no_warmup_default_timescale", "num_warmup_steps=0: timescale = 0 or 10_000.", warmup=0,
         script=[S(30), SD])
    case(n, "error_timescale_zero", "timescale=0 (not None): ZeroDivisionError at the first step past warmup.",
         warmup=3, kwargs={"timescale": 0}, script=[S(6)])
    case(n, "error_negative_timescale", "timescale=-4: math.sqrt of a negative, ValueError.", warmup=2,
         kwargs={"timescale": -4}, script=[S(6)])
    case(n, "training_ignored", "num_training_steps given: get_scheduler does not pass it.", warmup=5,
         training=10, script=[S(12)])

    for n in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        case(n, "error_both", "min_lr and min_lr_rate both set: ValueError.", warmup=3, training=30,
             kwargs={"min_lr": 1e-3, "min_lr_rate": 0.1}, script=[S(2)])
        case(n, "error_neither", "neither min_lr nor min_lr_rate: ValueError.", warmup=3, training=30,
             script=[S(2)])
        case(n, "error_neither_none", "min_lr=None and min_lr_rate=None: ValueError.", warmup=3, training=30,
             kwargs={"min_lr": None, "min_lr_rate": None}, script=[S(2)])
        case(n, "min_lr_zero_lr", "min_lr with lr=0.0: min_lr / 0.0, ZeroDivisionError.", warmup=3,
             training=30, kwargs={"min_lr": 1e-3}, lr=0.0, script=[S(2)])
        case(n, "min_lr_above_lr", "min_lr above the lr: the factor exceeds 1 at the end.", warmup=2,
             training=20, kwargs={"min_lr": 0.3}, script=[S(25)])
    n = "cosine_warmup_with_min_lr"
    case(n, "warmup_lr_rate_one_warmup", "warmup_lr_rate with num_warmup_steps=1: max(1, 0.0).", warmup=1,
         training=10, kwargs={"min_lr_rate": 0.1, "warmup_lr_rate": 0.3}, script=[S(12)])

    n = "warmup_stable_decay"
    case(n, "error_no_training_no_stable", "neither num_training_steps nor num_stable_steps: ValueError.",
         warmup=5, kwargs={"num_decay_steps": 10}, script=[S(2)])
    case(n, "stable_only", "num_stable_steps without num_training_steps.", warmup=5,
         kwargs={"num_decay_steps": 10, "num_stable_steps": 20}, script=[S(40)])
    case(n, "both_training_and_stable", "both given: transformers warns, num_stable_steps wins.", warmup=5,
         training=100, kwargs={"num_decay_steps": 10, "num_stable_steps": 20}, script=[S(40)])
    case(n, "error_warmup_type", "an unknown warmup_type: ValueError.", warmup=5, training=50,
         kwargs={"num_decay_steps": 10, "warmup_type": "exp"}, script=[S(2)])
    case(n, "error_decay_type", "an unknown decay_type: ValueError.", warmup=5, training=50,
         kwargs={"num_decay_steps": 10, "decay_type": "step"}, script=[S(2)])
    case(n, "error_missing_decay", "no num_decay_steps: TypeError, a missing required argument.", warmup=5,
         training=50, script=[S(2)])
    case(n, "negative_stable", "num_training_steps below warmup + decay: a negative stable phase.", warmup=10,
         training=15, kwargs={"num_decay_steps": 10, "decay_type": "linear"}, script=[S(30)])
    case(n, "error_duplicate_training", "num_training_steps also in kwargs: TypeError.", warmup=5, training=50,
         kwargs={"num_decay_steps": 10, "num_training_steps": 40}, script=[S(2)])


# -------------------------------------------------- the metric-driven names

def plateau_specs() -> None:
    n = "reduce_lr_on_plateau"

    def c(label, description, kwargs, script, **kw):
        case(n, label, f"get_scheduler('{n}'): PyTorch's ReduceLROnPlateau: {description}", kwargs=kwargs,
             script=script, **kw)

    flat = [1.0] * 30
    c("defaults", "no kwargs, flat metrics.", None, [MS(flat), SD])
    c("steps_ignored", "num_warmup_steps and num_training_steps are not passed.", {"patience": 2},
      [MS(flat)], warmup=10, training=20)
    c("patience_factor", "patience and factor.", {"patience": 2, "factor": 0.5}, [MS(flat), SD])
    c("mode_max", "mode='max', rising then flat.", {"mode": "max", "patience": 1},
      [MS([0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.35, 0.35, 0.35])])
    c("threshold_abs", "threshold_mode='abs'.", {"threshold_mode": "abs", "threshold": 0.05, "patience": 1},
      [MS([1.0, 0.97, 0.9, 0.88, 0.87, 0.86, 0.7, 0.69, 0.69])])
    c("cooldown", "a cooldown after each reduction.", {"patience": 1, "cooldown": 3}, [MS(flat)])
    c("min_lr_list", "min_lr per group, three groups.", {"patience": 0, "min_lr": [0.01, 0.005, 0.001]},
      [MS(flat), SD], groups=3, preset="Adam")
    c("min_lr_float", "min_lr as a float.", {"patience": 0, "min_lr": 0.02}, [MS(flat)])
    c("eps", "eps large enough to stop reductions.", {"patience": 0, "eps": 0.001, "factor": 0.5}, [MS(flat)])
    c("reload", "reload mid-run.", {"patience": 1}, [MS(flat[:7]), SD, RELOAD, MS(flat[:10]), SD])
    c("long", "10,000+ steps with a fixed metric.", {"patience": 5, "min_lr": 1e-6}, [M(1.0, 10010)])
    c("nan_metrics", "NaN and infinite metrics.", {"patience": 1},
      [MS([float("nan"), 1.0, float("inf"), float("nan"), 0.5, 0.5, 0.5])])
    c("int_lr", "an int lr.", {"patience": 0}, [MS([1.0, 1.0, 1.0]), SD], lr=1)
    c("error_factor", "factor >= 1: ValueError.", {"factor": 1.0}, [MS([1.0])])
    c("error_unknown_kwarg", "an argument ReduceLROnPlateau does not take: TypeError.", {"warmup": 3},
      [MS([1.0])])
    c("error_no_metric", "step() without a metric: TypeError.", None, [S()])
    c("error_mode", "an unknown mode: ValueError.", {"mode": "median"}, [MS([1.0])])


def greedy_specs() -> None:
    n = "greedy"

    def c(label, description, kwargs, script, **kw):
        case(n, label, f"get_scheduler('{n}'): transformers' GreedyLR: {description}", kwargs=kwargs,
             script=script, **kw)

    improving = [1.0 - 0.01 * i for i in range(40)]
    flat = [1.0] * 40
    c("defaults_flat", "defaults, flat metrics.", None, [MS(flat), SD])
    c("defaults_improving", "defaults, improving metrics (the rate grows).", None, [MS(improving), SD])
    c("steps_ignored", "num_warmup_steps and num_training_steps are not passed.", {"patience": 1},
      [MS(flat[:10])], warmup=10, training=20)
    c("patience_factor", "patience and factor.", {"patience": 2, "factor": 0.5, "min_lr": 1e-4},
      [MS(improving[:15]), MS(flat[:20])])
    c("mode_max", "mode='max'.", {"mode": "max", "patience": 1},
      [MS([0.1, 0.2, 0.3, 0.4, 0.4, 0.4, 0.4, 0.5, 0.6, 0.7])])
    c("threshold_rel", "threshold_mode='rel'.", {"threshold_mode": "rel", "threshold": 0.01, "patience": 1},
      [MS([1.0, 0.995, 0.98, 0.979, 0.9, 0.89, 0.889, 0.889])])
    c("threshold_rel_max", "threshold_mode='rel', mode='max'.",
      {"threshold_mode": "rel", "threshold": 0.01, "patience": 0, "mode": "max"},
      [MS([1.0, 1.005, 1.02, 1.021, 1.2, 1.0, 1.0])])
    c("cooldown_warmup", "cooldown after reductions, warmup after increases.",
      {"patience": 1, "cooldown": 2, "warmup": 3}, [MS(improving[:12]), MS(flat[:12])])
    c("min_max_lists", "min_lr and max_lr per group, three groups.",
      {"patience": 0, "min_lr": [0.05, 0.02, 0.005], "max_lr": [0.2, 0.06, 0.011]},
      [MS(improving[:10]), MS(flat[:15]), SD], groups=3, preset="Adam")
    c("eps", "eps large enough to stop changes.", {"patience": 0, "eps": 0.01}, [MS(improving[:5]), MS(flat[:5])])
    c("smooth", "smooth=True with a window.", {"patience": 1, "smooth": True, "window_size": 4},
      [MS([1.0, 0.5, 1.5, 0.4, 0.45, 0.46, 0.47, 0.2, 0.9, 0.9]), SD])
    c("smooth_reload", "smooth=True, reload mid-run (the window is saved).",
      {"patience": 1, "smooth": True, "window_size": 3},
      [MS([1.0, 0.8, 0.9, 0.7]), SD, RELOAD, MS([0.7, 0.71, 0.72, 0.6]), SD])
    c("reset", "reset_start reductions at min_lr reset the scheduler.",
      {"patience": 0, "factor": 0.5, "min_lr": 0.02, "reset_start": 3}, [MS(flat[:20]), SD])
    c("reload", "reload mid-run.", {"patience": 1}, [MS(flat[:6]), SD, RELOAD, MS(flat[:10]), SD])
    c("long", "10,000+ steps, with resets.", {"patience": 2, "min_lr": 0.01, "reset_start": 20},
      [M(1.0, 10010), SD])
    c("nan_metrics", "NaN and infinite metrics.", {"patience": 0},
      [MS([float("nan"), 1.0, float("-inf"), float("nan"), 0.5])])
    c("int_lr", "an int lr.", {"patience": 0, "max_lr": 2.0}, [MS(improving[:5]), SD], lr=1)
    c("epoch", "an explicit epoch with the metric.", {"patience": 0},
      [{"op": "step", "metric": 1.0, "epoch": 10}, MS([1.0, 1.0]), SD])
    c("factor_zero", "factor=0: an improvement divides by zero, ZeroDivisionError.", {"patience": 0, "factor": 0.0},
      [MS([1.0, 0.5, 0.2])])
    c("error_factor", "factor >= 1: ValueError.", {"factor": 1.5}, [MS([1.0])])
    c("error_mode", "an unknown mode: ValueError.", {"mode": "median"}, [MS([1.0])])
    c("error_threshold_mode", "an unknown threshold_mode: ValueError.", {"threshold_mode": "pct"}, [MS([1.0])])
    c("error_min_lr_count", "a min_lr list of the wrong length: ValueError.", {"min_lr": [0.1, 0.2]},
      [MS([1.0])])
    c("error_unknown_kwarg", "an argument GreedyLR does not take: TypeError.", {"gamma": 0.5}, [MS([1.0])])
    c("error_no_metric", "step() without a metric: TypeError.", None, [S()])
    c("verbose", "verbose=True (transformers prints; the trace is the same).", {"verbose": True, "patience": 0},
      [MS(flat[:4])])


def error_specs() -> None:
    case("bogus", "unknown_name", "get_scheduler('bogus'): SchedulerType's ValueError.", warmup=1, training=10,
         script=[S()], folder="errors")
    case("Linear", "name_case", "get_scheduler('Linear'): names are case-sensitive, ValueError.", warmup=1,
         training=10, script=[S()], folder="errors")


# ----------------------------------------------------------------------- main

def build() -> None:
    for name in LAMBDA_NAMES:
        lambda_specs(name)
    name_specific_specs()
    plateau_specs()
    greedy_specs()
    error_specs()
    # The kwargs_null cases pass scheduler_specific_kwargs=None explicitly:
    # set it here, where case() (for which None means absent) cannot.
    for folder, _, spec in C.entries:
        if spec["name"].split("/")[-1].startswith("kwargs_null"):
            spec["scheduler"]["args"]["scheduler_specific_kwargs"] = None


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=1, allow_nan=True) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="Fixtures/specs/transformers", help="output root (default: %(default)s)")
    args = ap.parse_args(argv)
    build()
    counts = {n: 0 for n in FOLDERS}
    for folder, _, _ in C.entries:
        counts[folder] += 1
    short = [n for n in NAMES if counts[n] < MIN_PER_NAME]
    if short:
        print(f"make_specs_transformers: fewer than {MIN_PER_NAME} specs for {short}", file=sys.stderr)
        return 1
    wanted = set()
    written = 0
    for folder, slug, spec in C.entries:
        path = os.path.normpath(os.path.join(args.out, folder, slug + ".json"))
        assert path not in wanted, path
        wanted.add(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = dumps(spec)
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                old = fh.read()
        if old != text:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written += 1
    removed = 0
    for folder in FOLDERS:
        d = os.path.join(args.out, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.normpath(os.path.join(d, name))
            if name.endswith(".json") and p not in wanted:
                os.remove(p)
                removed += 1
    print(f"make_specs_transformers: {len(C.entries)} specs -> {args.out} ({written} written, {removed} stale removed); "
          + ", ".join(f"{f} {c}" for f, c in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
