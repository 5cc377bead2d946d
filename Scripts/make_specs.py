#!/usr/bin/env python3
"""Write the spec corpus (format anneal-trace/1) and its coverage table.

    python Scripts/make_specs.py [--out Fixtures/specs] [--readme Golden/README.md]

Every spec is written as ``<out>/<Folder>/<slug>.json``: one folder per
scheduler type, plus ``Compound/`` (several schedulers on one optimizer),
``Optimizer/`` (optimizer arithmetic with quadratic gradients, with or without a
scheduler, and optimizer-only traces), ``Errors/`` (optimizer construction errors)
and ``Limits/`` (integers near 64 bits and the format's ``repeat`` extension:
values that once trapped or were silently rounded).
The corpus is hand-designed cases expressed in Python below plus seeded random
variations; the script is deterministic (same output on every run and every
machine). Files in the folders this script owns that it did not write are
removed, so renaming a case leaves no stale spec behind.

The coverage table (per scheduler type: specs, arguments, modes, ops) is
computed from the specs themselves and written into the README, so it stays
true. The script also checks its own coverage targets (every constructor
argument of every type used, at least 20 specs per type, at least 450 specs)
and fails if they are not met. It imports torch only to read constructor
signatures for that check.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import random
import re
import sys
import warnings

FORMAT = "anneal-trace/1"
INF = math.inf
NAN = math.nan

TYPES = [
    "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR",
    "LinearLR", "ExponentialLR", "SequentialLR", "PolynomialLR",
    "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR",
    "CosineAnnealingWarmRestarts", "OneCycleLR", "SWALR",
]
EXTRA_FOLDERS = ["Compound", "Optimizer", "Errors", "Limits"]
MIN_PER_TYPE = 20
MIN_TOTAL = 450
MODE_ARGS = ("mode", "threshold_mode", "anneal_strategy", "scale_mode",
             "cycle_momentum", "three_phase")


# ------------------------------------------------------------------ helpers

def fmt(v) -> str:
    """Render an argument value for a spec name."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if isinstance(v, list):
        return "[" + ";".join(fmt(x) for x in v) + "]"
    if isinstance(v, dict):  # a child scheduler
        return v["type"]
    if v is None:
        return "None"
    return str(v)


def fmt_args(args: dict) -> str:
    parts = []
    for k, v in args.items():
        if k == "schedulers":
            parts.append("[" + "+".join(c["type"] for c in v) + "]")
        else:
            parts.append(f"{k}={fmt(v)}")
    return ",".join(parts) if parts else "defaults"


def slugify(rest: str) -> str:
    s = re.sub(r"[\[\]`]", "", rest)
    s = re.sub(r"[^A-Za-z0-9._=,+-]+", "_", s).strip("_").lstrip("-+.")
    return s or "default"


def sched(typ: str, **args) -> dict:
    return {"type": typ, "args": args}


# optimizers ---------------------------------------------------------------

OPT_PRESETS = {
    "SGD": ("SGD", {}),
    "SGD+momentum": ("SGD", {"momentum": 0.9}),
    "SGD+nesterov": ("SGD", {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-4}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {"weight_decay": 0.01}),
    "RMSprop": ("RMSprop", {"momentum": 0.5}),
    "RMSprop-nomomentum": ("RMSprop", {}),
}


def group_lrs(lr: float, groups: int) -> list:
    """Distinct, realistic learning rates for groups 1.. (group 0 uses options.lr)."""
    return [lr, round(lr / 2, 12), round(lr / 10, 12)][:groups]


def optim(preset: str = "SGD", groups: int = 1, lr=0.1, lrs: list | None = None,
          params: list | None = None, **extra) -> dict:
    kind, opts = OPT_PRESETS[preset]
    options = {"lr": lr, **opts, **extra}
    lrs = lrs or group_lrs(lr, groups)
    pgs = []
    for i in range(groups):
        g = {}
        if i > 0:
            g["lr"] = lrs[i]
        if params is not None:
            g["params"] = params[i]
        pgs.append(g)
    return {"type": kind, "options": options, "param_groups": pgs}


# ops ----------------------------------------------------------------------

def S(n: int = 1, **kw) -> dict:
    op = {"op": "step"}
    if n != 1:
        op["repeat"] = n
    op.update(kw)
    return op


def E(epoch) -> dict:
    return {"op": "step", "epoch": epoch}


def M(metric, **kw) -> dict:
    return {"op": "step", "metric": metric, **kw}


def MS(metrics: list, **kw) -> dict:
    return {"op": "step", "metrics": list(metrics), **kw}


def SS(n: int = 1, **kw) -> dict:
    op = {"op": "scheduler_step"}
    if n != 1:
        op["repeat"] = n
    op.update(kw)
    return op


OS = {"op": "optimizer_step"}
SD = {"op": "state_dict"}
RELOAD = {"op": "reload"}
REBUILD = {"op": "rebuild"}


def SETLR(group: int, value) -> dict:
    return {"op": "set_lr", "group": group, "value": value}


QUAD = {"kind": "quadratic", "target": 1.0, "scale": 0.5}


# ------------------------------------------------------------------- corpus

# Traces with `gradient` check the optimizers' float32 arithmetic (AnnealOptim's
# SGD, Adam, AdamW and RMSprop). Setting this to False leaves them out, for a
# build of Anneal without the tensor optimizers.
INCLUDE_GRADIENTS = True


class Corpus:
    def __init__(self):
        self.entries = []  # (folder, slug, spec, meta)
        self.names = set()
        self.paths = set()

    def add(self, folder: str, rest: str, description: str, optimizer: dict,
            scheduler, script: list, *, gradient=None, slug: str | None = None,
            error: str | None = None) -> None:
        if gradient is not None and not INCLUDE_GRADIENTS:
            return
        name = f"{folder}/{rest}"
        assert name not in self.names, f"duplicate name {name}"
        slug = slug or slugify(rest)
        path = f"{folder}/{slug}.json"
        assert path.lower() not in self.paths, f"duplicate path {path} ({name})"
        self.names.add(name)
        self.paths.add(path.lower())
        spec = {"format": FORMAT, "name": name, "description": description,
                "optimizer": optimizer}
        if scheduler is not None:
            spec["scheduler"] = scheduler
        if gradient is not None:
            spec["gradient"] = gradient
        spec["script"] = script
        self.entries.append((folder, slug, spec, {"error": error}))


C = Corpus()


# ------------------------------------------------------- the standard suite

def standard_suite(typ: str, args: dict, n: int, *, per_group=None, epoch=True,
                   negative=True, floats=True, rebuild=True, lr=0.1,
                   optimizers=("SGD", "Adam", "RMSprop", "SGD+momentum", "AdamW")) -> None:
    """The ops every scheduler is run through.

    per_group(groups) -> dict of per-group array arguments replacing scalars.
    """
    a = fmt_args(args)
    s1 = sched(typ, **args)
    mid = max(2, n // 2)

    def grouped(groups):
        if per_group is None:
            return dict(args)
        return {**args, **per_group(groups)}

    o0, o1, o2, o3, o4 = (list(optimizers) * 2)[:5]
    C.add(typ, f"{a},steps={n}",
          f"{typ} with {a} on {o0}, one param group, stepped {n} times (optimizer.step then scheduler.step).",
          optim(o0, 1, lr), s1, [S(n)])
    g2 = grouped(2)
    C.add(typ, f"{fmt_args(g2)},groups=2,{o1}",
          f"{typ} over two param groups with different lrs on {o1}"
          + (" with per-group argument arrays" if per_group else "") + f"; {n} steps.",
          optim(o1, 2, lr), sched(typ, **g2), [S(n)], slug=slugify(f"{a},groups=2,{o1}"))
    g3 = grouped(3)
    C.add(typ, f"{fmt_args(g3)},groups=3,{o2}",
          f"{typ} over three param groups with different lrs on {o2}"
          + (" with per-group argument arrays" if per_group else "") + f"; {n} steps.",
          optim(o2, 3, lr), sched(typ, **g3), [S(n)], slug=slugify(f"{a},groups=3,{o2}"))
    C.add(typ, f"{a},state_dict@0,{mid},{n}",
          f"{typ} state_dict() recorded right after construction, mid-run (step {mid}) and at the end (step {n}).",
          optim(o3, 2, lr), sched(typ, **g2), [SD, S(mid), SD, S(n - mid), SD])
    C.add(typ, f"{a},reload@{mid}",
          f"{typ}: run {mid} steps, save optimizer and scheduler state_dicts, rebuild both from the spec, "
          f"load the states and continue {n - mid + 2} steps; must continue exactly as without the reload.",
          optim(o4, 2, lr), sched(typ, **g2), [S(mid), RELOAD, SD, S(n - mid + 2)])
    if rebuild:
        C.add(typ, f"{a},rebuild@{mid}",
              f"{typ}: run {mid} steps, then construct a fresh {typ} on the same optimizer with "
              f"last_epoch=<current last_epoch> (PyTorch's resume path, which steps once more) and continue.",
              optim(o0, 1, lr), s1, [S(mid), REBUILD, SD, S(n - mid)])
    C.add(typ, f"{a},set_lr@{mid}",
          f"{typ}: the user overwrites group lrs mid-run (param_groups[i]['lr'] = x); "
          f"chainable schedulers continue from the user's lr, closed-form ones ignore it.",
          optim(o1, 2, lr), sched(typ, **g2),
          [S(mid), SETLR(0, 0.02), S(2), SETLR(1, 0.5), S(n - mid)])
    C.add(typ, f"{a},interleaved",
          f"{typ}: optimizer_step and scheduler_step separately, including scheduler steps "
          f"with no optimizer step in between and optimizer steps with no scheduler step.",
          optim(o2, 1, lr), s1,
          [SS(), OS, SS(2), OS, OS, SS(), S(3), SS(n // 2)])
    if epoch:
        C.add(typ, f"{a},epoch=int",
              f"{typ} stepped with explicit integer epochs (deprecated closed-form path where PyTorch has one), "
              f"out of order, then plain steps continuing from the explicit epoch.",
              optim(o3, 2, lr), sched(typ, **g2),
              [E(3), E(7), E(2), S(2), E(0), S(), E(n), S(2)])
        C.add(typ, f"{a},metric_as_epoch",
              f"{typ}.step(M) with a metric argument: a non-plateau scheduler takes it as the epoch.",
              optim(o4, 1, lr), s1, [M(4), S(), M(1), S(2)])
    if epoch and floats:
        C.add(typ, f"{a},epoch=float",
              f"{typ} stepped with explicit float epochs (last_epoch becomes a float), then plain steps.",
              optim(o0, 1, lr), s1,
              [E(1.5), E(2.5), S(), E(0.25), E(6.0), S(2), SS(epoch=3.75)])
    if epoch and negative:
        C.add(typ, f"{a},epoch=negative",
              f"{typ} stepped with negative explicit epochs, then plain steps.",
              optim(o1, 1, lr), s1, [E(-1), S(2), E(-3), S(), E(-2.5), S()])


def random_suite(typ: str, count: int, seed: int, make_args, *, epoch=True, negative=True,
                 floats=True, rebuild=True, max_groups=3, lr=0.1) -> None:
    """Seeded random variations: random arguments, groups, optimizer and script."""
    rng = random.Random(seed)
    presets = ["SGD", "SGD+momentum", "SGD+nesterov", "Adam", "AdamW", "RMSprop", "RMSprop-nomomentum"]
    for i in range(count):
        groups = 1 + int(rng.random() * max_groups)
        preset = presets[int(rng.random() * len(presets))]
        args = make_args(rng, groups)
        script = []
        total = 0
        for _ in range(3 + int(rng.random() * 6)):
            r = rng.random()
            if r < 0.40:
                k = 1 + int(rng.random() * 8)
                script.append(S(k))
                total += k
            elif r < 0.50:
                script.append(SD)
            elif r < 0.58:
                script.append(RELOAD)
            elif r < 0.64 and rebuild:
                script.append(REBUILD)
            elif r < 0.72:
                script.append(SETLR(int(rng.random() * groups), round(0.001 + rng.random() * 0.2, 4)))
            elif r < 0.80:
                script.append(OS)
            elif r < 0.88:
                script.append(SS())
            elif epoch:
                if floats and rng.random() < 0.4:
                    ep = round(rng.random() * 20, 2)
                else:
                    ep = int(rng.random() * 20)
                if negative and rng.random() < 0.15:
                    ep = -ep
                script.append(E(ep))
            else:
                script.append(S())
        script.append(S(3))
        C.add(typ, f"random-{i:02d},{fmt_args(args)},groups={groups},{preset}",
              f"Seeded random variation {i} (seed {seed}) of {typ}: random arguments, "
              f"{groups} param group(s) on {preset}, random ops.",
              optim(preset, groups, lr), sched(typ, **args), script,
              slug=f"random-{i:02d}")


def rnd(rng, lo, hi, digits=3):
    return round(lo + rng.random() * (hi - lo), digits)


def rint(rng, lo, hi):
    return lo + int(rng.random() * (hi - lo + 1))


def pick(rng, items):
    return items[int(rng.random() * len(items))]


def error_case(typ: str, label: str, args: dict, why: str, *, groups=1, preset="SGD",
               script=None, folder=None, scheduler=None) -> None:
    C.add(folder or typ, f"error:{label}",
          f"{typ} construction or step that PyTorch rejects: {why}",
          optim(preset, groups), scheduler if scheduler is not None else sched(typ, **args),
          script if script is not None else [S(3)], error=why)


def fresh_resume_error(typ: str, args: dict) -> None:
    error_case(typ, "last_epoch=5,fresh_optimizer", {**args, "last_epoch": 5},
               "last_epoch=5 on an optimizer no scheduler has touched: KeyError, param 'initial_lr' is not specified.")


# ===================================================================== types

def lambda_specs() -> None:
    typ = "LambdaLR"
    # (slug, expression, description, safe for negative and float epochs)
    exprs = [
        ("pow", "0.95 ** epoch", "float power of the epoch", True),
        ("recip", "1 / (epoch + 1)", "true division (always float)", False),
        ("floordiv", "0.5 ** (epoch // 3)", "floor division (int for int epochs, float for float ones)", True),
        ("max-linear", "max(0.1, 1 - epoch / 20)", "max() of int and float", True),
        ("warmup-min", "min(1.0, (epoch + 1) / 5)", "linear warmup with min()", True),
        ("ifelse", "0.1 if epoch >= 10 else 1", "conditional with int and float branches", True),
        ("mod", "(epoch % 4) * 0.25 + 0.25", "modulo, floors toward -inf for negative epochs", True),
        ("cos", "cos(pi * epoch / 20) * 0.5 + 0.5", "math.cos and pi", True),
        ("exp", "exp(-0.1 * epoch)", "math.exp", True),
        ("bool-arith", "1 + (epoch >= 5) * -0.5", "a comparison counted as 0 or 1", True),
        ("sqrt", "sqrt(epoch + 1) / (epoch + 1)", "math.sqrt", False),
        ("int-neg-pow", "2 ** -epoch", "int ** negative int gives a float; 2 ** 0 stays int", True),
        ("unary-pow", "1 + -2 ** 2 * 0.01 * epoch", "unary minus binds looser than ** (-2 ** 2 == -4)", True),
        ("tanh", "1 - tanh(epoch / 10)", "math.tanh", True),
        ("log", "1 / (log(epoch + 1) + 1)", "math.log", False),
        ("floor", "floor(epoch / 2.5) * 0.1 + 1", "math.floor returns an int", True),
        ("ceil", "1 / (1 + abs(ceil(epoch / 3)))", "math.ceil returns an int", True),
        ("abs", "abs(epoch - 5) / 5 + 0.1", "abs()", True),
        ("float-int", "float(epoch) / 10 + int(epoch / 3) + 1", "float() and int() (int truncates toward 0)", True),
        ("sin2", "sin(epoch) ** 2 + 0.1", "math.sin squared", True),
        ("e-name", "e ** (-epoch / 10)", "the constant e", True),
        ("mod-neg", "(epoch % 3 - 1) * 0.1 + 1", "modulo of negative numbers", True),
        ("floordiv-neg-divisor", "(epoch // -2) * 0.1 + 2", "floor division by a negative number", True),
        ("pow-right-assoc", "(epoch + 1) * 10 ** 2 ** -1 / 100", "** is right-associative: 10 ** (2 ** -1)", True),
        ("nested-ifelse", "1 if epoch < 3 else 0.5 if epoch < 6 else 0.25", "nested conditional", True),
        ("const-int", "1", "an int constant: lr = base_lr * 1", True),
        ("ne-eq", "(epoch != 4) * 1.0 + (epoch == 4) * 0.01", "== and != comparisons", True),
    ]
    for slug, src, what, safe in exprs:
        C.add(typ, f"lr_lambda=`{src}`",
              f"LambdaLR with lr_lambda = lambda epoch: {src} ({what}); 12 steps"
              + (", then explicit float, negative and integer epochs." if safe else ", then explicit integer epochs."),
              optim("SGD", 1, 0.1), sched(typ, lr_lambda=src),
              [S(12)] + ([E(2.5), E(-3), E(-0.5), E(7)] if safe else [E(3), E(9)]) + [S(2)],
              slug=f"expr-{slug}")
    base = {"lr_lambda": "0.95 ** epoch"}
    standard_suite(typ, base, 10,
                   per_group=lambda g: {"lr_lambda": ["0.95 ** epoch", "1 / (epoch + 1)", "0.5 ** (epoch // 3)"][:g]},
                   negative=False)
    C.add(typ, "lr_lambda=[3 exprs],groups=3,warmup",
          "LambdaLR with one lambda per group (warmup, step decay, constant) over 3 groups, 15 steps.",
          optim("SGD+momentum", 3), sched(typ, lr_lambda=["min(1.0, (epoch + 1) / 5)", "0.1 ** (epoch // 5)", "1"]),
          [S(15), SD])
    C.add(typ, "lr=1(int),lr_lambda=`1`",
          "Integer lr (SGD lr=1) times an integer lambda: lr stays the int 1 (JSON 1, not 1.0).",
          optim("SGD", 1, 1), sched(typ, lr_lambda="1"), [S(3), SD])
    error_case(typ, "lr_lambda_count=2,groups=1", {"lr_lambda": ["0.9 ** epoch", "0.8 ** epoch"]},
               "two lr_lambdas for one param group: ValueError Expected 1 lr_lambdas, but got 2.")
    error_case(typ, "lr_lambda_count=1,groups=3", {"lr_lambda": ["0.9 ** epoch"]},
               "one lr_lambda for three param groups: ValueError.", groups=3)
    fresh_resume_error(typ, {"lr_lambda": "0.9 ** epoch"})
    C.add(typ, "last_epoch=3,after_StepLR",
          "LambdaLR built with last_epoch=3 after a StepLR set initial_lr: the resume path (no KeyError).",
          optim("SGD"), [sched("StepLR", step_size=2), sched(typ, lr_lambda="0.9 ** epoch", last_epoch=3)],
          [S(4), SD])
    safe_exprs = [src for _, src, _, safe in exprs if safe]
    random_suite(typ, 6, 101, lambda rng, g: {"lr_lambda": pick(rng, safe_exprs) if g == 1 or rng.random() < 0.5
                                              else [pick(rng, safe_exprs) for _ in range(g)]})


def multiplicative_specs() -> None:
    typ = "MultiplicativeLR"
    exprs = [
        ("const", "0.95", "a constant factor", True),
        ("every3", "0.9 if epoch % 3 == 0 else 1.0", "decay every third epoch", True),
        ("linear", "1 - 0.01 * epoch", "a factor that shrinks with the epoch", True),
        ("max-pow", "max(0.5, 0.99 ** epoch)", "max() of a power", True),
        ("int-one", "1", "the int 1: the lr is multiplied by an int", True),
        ("growth", "1.05", "a factor above 1: the lr grows", True),
        ("cos", "0.5 + 0.5 * cos(epoch / 4)", "math.cos", True),
        ("step-bool", "1 - 0.5 * (epoch == 5)", "a comparison as 0/1", True),
    ]
    for slug, src, what, safe in exprs:
        C.add(typ, f"lr_lambda=`{src}`",
              f"MultiplicativeLR with lr_lambda = lambda epoch: {src} ({what}); 12 steps, then explicit epochs "
              f"(no closed form: get_lr multiplies the current lr by lambda(epoch)).",
              optim("SGD", 1, 0.1), sched(typ, lr_lambda=src), [S(12), E(2.5), E(-3), E(7), S(2)],
              slug=f"expr-{slug}")
    base = {"lr_lambda": "0.95"}
    standard_suite(typ, base, 10,
                   per_group=lambda g: {"lr_lambda": ["0.95", "0.9 if epoch % 3 == 0 else 1.0", "1 - 0.01 * epoch"][:g]})
    error_case(typ, "lr_lambda_count=3,groups=2", {"lr_lambda": ["0.9", "0.8", "0.7"]},
               "three lr_lambdas for two param groups: ValueError.", groups=2)
    fresh_resume_error(typ, {"lr_lambda": "0.9"})
    safe_exprs = [src for _, src, _, safe in exprs if safe]
    random_suite(typ, 6, 202, lambda rng, g: {"lr_lambda": pick(rng, safe_exprs) if g == 1 or rng.random() < 0.5
                                              else [pick(rng, safe_exprs) for _ in range(g)]})


def step_specs() -> None:
    typ = "StepLR"
    standard_suite(typ, {"step_size": 3, "gamma": 0.5}, 12)
    for ss, gamma in [(1, 0.9), (2, 0.1), (5, 0.5), (10, 0.95), (4, 0.25)]:
        C.add(typ, f"step_size={ss},gamma={gamma}",
              f"StepLR decays by {gamma} every {ss} steps; {3 * ss + 1} steps.",
              optim("SGD+momentum"), sched(typ, step_size=ss, gamma=gamma), [S(3 * ss + 1)])
    C.add(typ, "step_size=3,default_gamma", "StepLR with the default gamma 0.1.",
          optim("SGD"), sched(typ, step_size=3), [S(10), SD])
    C.add(typ, "step_size=2.5,gamma=0.5",
          "A float step_size: last_epoch % 2.5 is float arithmetic; decays at 5, 10.",
          optim("SGD"), sched(typ, step_size=2.5, gamma=0.5), [S(11), E(7), E(7.5)])
    C.add(typ, "step_size=0",
          "step_size=0 constructs fine (last_epoch == 0 short-circuits) but the first step raises ZeroDivisionError.",
          optim("SGD"), sched(typ, step_size=0), [S(2)], error="ZeroDivisionError on first step")
    C.add(typ, "lr=1(int),step_size=2,gamma=0.5",
          "Integer lr (SGD lr=1): StepLR keeps the int until the first decay (JSON 1, then 0.5).",
          optim("SGD", 1, 1), sched(typ, step_size=2, gamma=0.5), [S(5), SD])
    C.add(typ, "step_size=2,gamma=0.5,gradient=quadratic,reload@3",
          "StepLR with SGD momentum on real params with quadratic gradients; a reload mid-run restores "
          "the momentum buffers too.",
          optim("SGD+momentum", 1, 0.1, params=[[[0.5, -1.25, 3.0]]]), sched(typ, step_size=2, gamma=0.5),
          [S(3), RELOAD, S(4)], gradient=QUAD)
    fresh_resume_error(typ, {"step_size": 3})
    random_suite(typ, 6, 303, lambda rng, g: {"step_size": rint(rng, 1, 6), "gamma": rnd(rng, 0.1, 0.99, 2)})


def multistep_specs() -> None:
    typ = "MultiStepLR"
    standard_suite(typ, {"milestones": [2, 5, 8], "gamma": 0.5}, 10)
    cases = [
        ([3, 3, 6], 0.5, "a repeated milestone decays by gamma**2 at once"),
        ([8, 2, 5], 0.1, "unsorted milestones (a Counter: order irrelevant for step, sorted for the closed form)"),
        ([], 0.1, "no milestones: the lr never changes"),
        ([0, 3], 0.1, "milestone 0: the decay already happens at construction"),
        ([1, 2, 3, 4, 5], 0.9, "a milestone at every step"),
        ([4, 4, 4, 9], 0.5, "a milestone repeated three times"),
        ([5, 10], 0.3, "default-like decays"),
    ]
    for ms, gamma, what in cases:
        C.add(typ, f"milestones={fmt(ms)},gamma={gamma}",
              f"MultiStepLR: {what}; 12 steps, then explicit epochs (closed form via bisect of sorted milestones).",
              optim("SGD+momentum"), sched(typ, milestones=ms, gamma=gamma), [S(12), E(4), E(3), E(11), S(), SD])
    C.add(typ, "milestones=[2;4],default_gamma", "MultiStepLR with the default gamma 0.1.",
          optim("Adam", 1, 0.001), sched(typ, milestones=[2, 4]), [S(6)])
    fresh_resume_error(typ, {"milestones": [2, 4]})
    random_suite(typ, 6, 404, lambda rng, g: {
        "milestones": [rint(rng, 0, 15) for _ in range(rint(rng, 1, 4))], "gamma": rnd(rng, 0.1, 0.99, 2)})


def constant_specs() -> None:
    typ = "ConstantLR"
    standard_suite(typ, {"factor": 0.5, "total_iters": 4}, 8)
    for factor, ti, what in [
        (0.25, 10, "a long constant phase"),
        (1.0, 3, "factor 1: no change (1/factor is 1.0)"),
        (0.5, 0, "total_iters 0: the factor applies at construction and is never undone"),
        (0.5, 1, "total_iters 1: undone at the first step"),
        (0.1, 5, "small factor: 1/factor is inexact"),
        (0.3, 2, "0.3: lr * (1/0.3) does not return to the base lr bit-exactly"),
    ]:
        C.add(typ, f"factor={factor},total_iters={ti}",
              f"ConstantLR: {what}; {ti + 4} steps, then explicit epochs (closed form).",
              optim("SGD"), sched(typ, factor=factor, total_iters=ti), [S(ti + 4), E(0), E(ti), E(ti + 2), SD])
    C.add(typ, "defaults", "ConstantLR with default factor 1/3 and total_iters 5.",
          optim("Adam", 2, 0.001), sched(typ), [S(7)])
    C.add(typ, "factor=0,total_iters=3",
          "factor 0: the lr is zero until total_iters, where lr * (1.0 / 0) raises ZeroDivisionError.",
          optim("SGD"), sched(typ, factor=0, total_iters=3), [S(5)], error="ZeroDivisionError at total_iters")
    error_case(typ, "factor=1.5", {"factor": 1.5}, "factor > 1: ValueError.")
    error_case(typ, "factor=-0.1", {"factor": -0.1}, "factor < 0: ValueError.")
    fresh_resume_error(typ, {"factor": 0.5})
    random_suite(typ, 5, 505, lambda rng, g: {"factor": rnd(rng, 0.05, 1.0, 2), "total_iters": rint(rng, 0, 8)})


def linear_specs() -> None:
    typ = "LinearLR"
    standard_suite(typ, {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 6}, 10)
    for sf, ef, ti, what in [
        (0.1, 1.0, 10, "warmup from 0.1"),
        (1.0, 0.1, 8, "linear decay from 1 to 0.1"),
        (1.0, 0.0, 5, "decay to zero"),
        (0.5, 0.5, 4, "start == end: a constant factor"),
        (0.2, 1.0, 0, "total_iters 0: stays at start_factor; the closed form divides by zero"),
        (0.2, 0.8, 1, "total_iters 1"),
        (0.001, 1.0, 20, "tiny start factor"),
    ]:
        C.add(typ, f"start_factor={sf},end_factor={ef},total_iters={ti}",
              f"LinearLR: {what}; {ti + 3} steps, then explicit epochs (closed form).",
              optim("SGD+momentum"), sched(typ, start_factor=sf, end_factor=ef, total_iters=ti),
              [S(ti + 3), E(1), E(ti + 1), SD])
    C.add(typ, "defaults", "LinearLR with default start 1/3, end 1.0, total_iters 5.",
          optim("AdamW", 2, 0.001), sched(typ), [S(7)])
    error_case(typ, "start_factor=0", {"start_factor": 0}, "start_factor 0: ValueError.")
    error_case(typ, "start_factor=1.5", {"start_factor": 1.5}, "start_factor > 1: ValueError.")
    error_case(typ, "end_factor=1.5", {"end_factor": 1.5}, "end_factor > 1: ValueError.")
    error_case(typ, "end_factor=-0.5", {"end_factor": -0.5}, "end_factor < 0: ValueError.")
    fresh_resume_error(typ, {"start_factor": 0.5})
    random_suite(typ, 5, 606, lambda rng, g: {"start_factor": rnd(rng, 0.01, 1.0, 2),
                                              "end_factor": rnd(rng, 0.0, 1.0, 2), "total_iters": rint(rng, 1, 10)})


def exponential_specs() -> None:
    typ = "ExponentialLR"
    standard_suite(typ, {"gamma": 0.9}, 10)
    for gamma, n, what in [(0.5, 20, "halving"), (0.99, 50, "slow decay"), (1.0, 5, "gamma 1: constant"),
                           (1.1, 10, "gamma > 1: growth"), (0.95, 30, "typical decay"),
                           (0.1, 8, "fast decay")]:
        C.add(typ, f"gamma={gamma},steps={n}",
              f"ExponentialLR {what}: {n} recursive multiplications vs. the closed form at explicit epochs.",
              optim("SGD"), sched(typ, gamma=gamma), [S(n), E(n), E(n // 2), S()])
    C.add(typ, "gamma=0.5,steps=1100,subnormal",
          "ExponentialLR(0.5) for 1100 steps: the lr goes through float64 subnormals to exactly 0.",
          optim("SGD", 1, 0.1), sched(typ, gamma=0.5), [S(1100)])
    fresh_resume_error(typ, {"gamma": 0.9})
    C.add(typ, "last_epoch=4,after_StepLR",
          "ExponentialLR with last_epoch=4 after a StepLR set initial_lr: resumes without a KeyError.",
          optim("SGD"), [sched("StepLR", step_size=3), sched(typ, gamma=0.9, last_epoch=4)], [S(5), SD])
    random_suite(typ, 5, 707, lambda rng, g: {"gamma": rnd(rng, 0.5, 0.999, 3)})


def polynomial_specs() -> None:
    typ = "PolynomialLR"
    standard_suite(typ, {"total_iters": 8, "power": 2.0}, 12)
    for ti, power, what in [(5, 1.0, "linear (power 1)"), (10, 0.5, "square root"), (4, 3.5, "steep"),
                            (1, 1.0, "total_iters 1"), (0, 1.0, "total_iters 0: never changes; closed form divides by zero"),
                            (6, 2, "integer power")]:
        C.add(typ, f"total_iters={ti},power={power}",
              f"PolynomialLR {what}; runs past total_iters, then explicit epochs (closed form).",
              optim("SGD+momentum"), sched(typ, total_iters=ti, power=power), [S(ti + 3), E(2), E(ti + 5), SD])
    C.add(typ, "defaults", "PolynomialLR defaults: total_iters 5, power 1.",
          optim("Adam", 3, 0.001), sched(typ), [S(7)])
    fresh_resume_error(typ, {"total_iters": 5})
    random_suite(typ, 6, 808, lambda rng, g: {"total_iters": rint(rng, 1, 12), "power": rnd(rng, 0.5, 3.0, 2)})


def cosine_specs() -> None:
    typ = "CosineAnnealingLR"
    standard_suite(typ, {"T_max": 10, "eta_min": 0.001}, 14)
    for tm, em, n, what in [
        (10, 0.0, 10, "to the minimum exactly"),
        (10, 0.0, 35, "past T_max: it goes back up and down (the special recursive branch)"),
        (5, 0.01, 32, "eta_min > 0, three periods"),
        (1, 0.0, 6, "T_max 1: alternates"),
        (1, 0.05, 6, "T_max 1 with eta_min"),
        (7, 0.002, 30, "odd T_max"),
    ]:
        C.add(typ, f"T_max={tm},eta_min={em},steps={n}",
              f"CosineAnnealingLR {what}: {n} recursive steps, then explicit epochs (closed form).",
              optim("SGD+momentum"), sched(typ, T_max=tm, eta_min=em), [S(n), E(3), E(tm), S(2)])
    C.add(typ, "T_max=10,rebuild@4,twice",
          "Rebuild twice: the fresh scheduler's first step uses the closed-form branch (_step_count == 1, last_epoch > 0).",
          optim("SGD"), sched(typ, T_max=10), [S(4), REBUILD, S(2), REBUILD, S(6)])
    C.add(typ, "T_max=0", "T_max 0: the first step raises ZeroDivisionError (modulo by zero).",
          optim("SGD"), sched(typ, T_max=0), [S(2)], error="ZeroDivisionError on first step")
    C.add(typ, "T_max=2500,eta_min=1e-05,steps=10000",
          "Long run: 10,000 recursive steps over four half-periods; accumulated rounding must match bit for bit.",
          optim("SGD", 1, 0.1), sched(typ, T_max=2500, eta_min=1e-05), [S(10000)], slug="long-T_max=2500,steps=10000")
    C.add(typ, "T_max=10000,steps=10000",
          "Long run: a single 10,000-step cosine decay to 0.",
          optim("Adam", 1, 0.001), sched(typ, T_max=10000), [S(10000)], slug="long-T_max=10000,steps=10000")
    fresh_resume_error(typ, {"T_max": 10})
    C.add(typ, "last_epoch=3,after_LinearLR",
          "CosineAnnealingLR with last_epoch=3 after a LinearLR set initial_lr (valid resume path).",
          optim("SGD"), [sched("LinearLR", start_factor=0.5), sched(typ, T_max=10, last_epoch=3)], [S(6), SD])
    random_suite(typ, 5, 909, lambda rng, g: {"T_max": rint(rng, 1, 20), "eta_min": pick(rng, [0.0, 0.001, 0.01, 1e-05])})


def warm_restarts_specs() -> None:
    typ = "CosineAnnealingWarmRestarts"
    standard_suite(typ, {"T_0": 5, "T_mult": 2, "eta_min": 0.001}, 16, negative=False)
    for t0, tm, em, n in [(5, 1, 0.0, 17), (3, 2, 0.0, 25), (2, 3, 0.01, 30), (1, 1, 0.0, 5), (1, 2, 0.0, 16), (10, 1, 0.005, 25)]:
        C.add(typ, f"T_0={t0},T_mult={tm},eta_min={em},steps={n}",
              f"CosineAnnealingWarmRestarts T_0={t0}, T_mult={tm}: restarts across {n} steps.",
              optim("SGD+momentum"), sched(typ, T_0=t0, T_mult=tm, eta_min=em), [S(n), SD])
    for t0, tm in [(4, 1), (3, 2), (2, 3)]:
        epochs = [round(e + i / 4, 2) for e in range(6) for i in range(4)]
        C.add(typ, f"T_0={t0},T_mult={tm},fractional_epochs",
              f"step(epoch + i / iters) for 6 epochs of 4 iterations, as in the PyTorch docs (T_mult={tm}: "
              f"the log-based restart computation with float epochs).",
              optim("SGD"), sched(typ, T_0=t0, T_mult=tm), [E(e) for e in epochs])
    C.add(typ, "T_0=5,T_mult=2,interleaved_epochs",
          "Docs example: 20 plain steps, step(26), then step() continues from 27.",
          optim("SGD"), sched(typ, T_0=5, T_mult=2), [S(20), E(26), S(3), E(2.5), S(), E(100), S()])
    C.add(typ, "T_0=10,T_mult=1,epoch=0.1-steps",
          "Explicit epochs 0, 0.1, ..., 2.0: float T_cur with T_mult 1 (epoch % T_0).",
          optim("SGD"), sched(typ, T_0=10), [E(round(i * 0.1, 1)) for i in range(21)] + [E(10.5), E(23.7)])
    C.add(typ, "T_0=5,epoch=-1", "A negative explicit epoch raises ValueError Expected non-negative epoch.",
          optim("SGD"), sched(typ, T_0=5), [S(2), E(-1)], error="ValueError negative epoch")
    C.add(typ, "T_0=50,T_mult=2,steps=10000",
          "Long run: 10,000 steps through restarts at 50, 150, 350, ... (T_i doubling).",
          optim("SGD", 1, 0.1), sched(typ, T_0=50, T_mult=2, eta_min=1e-05), [S(10000)],
          slug="long-T_0=50,T_mult=2,steps=10000")
    error_case(typ, "T_0=0", {"T_0": 0}, "T_0 0: ValueError Expected positive integer T_0.")
    error_case(typ, "T_0=2.5", {"T_0": 2.5}, "float T_0: ValueError.")
    error_case(typ, "T_0=-3", {"T_0": -3}, "negative T_0: ValueError.")
    error_case(typ, "T_mult=0", {"T_0": 5, "T_mult": 0}, "T_mult 0: ValueError Expected integer T_mult >= 1.")
    error_case(typ, "T_mult=1.5", {"T_0": 5, "T_mult": 1.5}, "float T_mult: ValueError.")
    error_case(typ, "eta_min=string", {"T_0": 5, "eta_min": "0.01"}, "string eta_min: ValueError Expected float or int eta_min.")
    fresh_resume_error(typ, {"T_0": 5})
    random_suite(typ, 5, 1010, lambda rng, g: {"T_0": rint(rng, 1, 8), "T_mult": rint(rng, 1, 3),
                                               "eta_min": pick(rng, [0.0, 0.001, 0.0001])}, negative=False)


def cyclic_specs() -> None:
    typ = "CyclicLR"
    base = {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4}
    standard_suite(typ, base, 20, lr=0.001, optimizers=("SGD+momentum", "Adam", "RMSprop", "AdamW", "SGD+momentum"),
                   per_group=lambda g: {"base_lr": [0.001, 0.0005, 0.0001][:g], "max_lr": [0.01, 0.005, 0.001][:g],
                                        "base_momentum": [0.8, 0.85, 0.7][:g], "max_momentum": [0.9, 0.95, 0.99][:g]})
    for mode, extra, n in [("triangular", {}, 25), ("triangular2", {}, 40), ("exp_range", {"gamma": 0.9}, 40),
                           ("exp_range", {"gamma": 0.99994}, 30), ("triangular", {"step_size_down": 2}, 25),
                           ("triangular2", {"step_size_down": 6}, 40), ("exp_range", {"gamma": 0.95, "step_size_down": 3}, 30)]:
        args = {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 5, "mode": mode, **extra}
        C.add(typ, fmt_args(args),
              f"CyclicLR mode {mode}" + (f" with {fmt_args(extra)}" if extra else "") + f"; {n} steps with momentum cycling.",
              optim("SGD+momentum", 1, 0.001), sched(typ, **args), [S(n), SD])
    for fn, sm, what in [("1 / (2.0 ** (x - 1))", "cycle", "triangular2 written as a custom function"),
                         ("0.5 * (1 + sin(x * pi / 2))", "cycle", "a sine of the cycle number"),
                         ("0.99 ** x", "iterations", "exp_range written as a custom function of iterations"),
                         ("1 / (1 + x / 10)", "iterations", "a hyperbolic decay of iterations")]:
        args = {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 3, "scale_fn": fn, "scale_mode": sm}
        C.add(typ, f"scale_fn=`{fn}`,scale_mode={sm}",
              f"CyclicLR with a custom scale_fn = lambda x: {fn} ({what}), scale_mode {sm}; 30 steps; "
              f"the state_dict holds null for the function and survives a reload.",
              optim("SGD+momentum", 1, 0.001), sched(typ, **args), [S(14), SD, RELOAD, S(16)],
              slug=f"scale_fn-{sm}-{slugify(fn)[:30]}")
    C.add(typ, "mode=bogus,scale_fn=`0.9 ** x`",
          "An unknown mode is accepted when a scale_fn is given (mode is ignored).",
          optim("SGD+momentum", 1, 0.001),
          sched(typ, base_lr=0.001, max_lr=0.1, step_size_up=2, mode="bogus", scale_fn="0.9 ** x"), [S(10)])
    C.add(typ, "cycle_momentum=false,Adam",
          "cycle_momentum false: betas are left alone.",
          optim("Adam", 2, 0.001), sched(typ, base_lr=0.001, max_lr=0.006, step_size_up=3, cycle_momentum=False), [S(12), SD])
    C.add(typ, "cycle_momentum=true,SGD_momentum=0",
          "cycle_momentum with SGD momentum 0: CyclicLR overwrites the momentum with max_momentum and cycles it.",
          optim("SGD", 1, 0.001), sched(typ, base_lr=0.001, max_lr=0.01, step_size_up=2), [S(8)])
    C.add(typ, "cycle_momentum=true,AdamW,betas",
          "cycle_momentum on AdamW cycles betas[0] between base_momentum and max_momentum.",
          optim("AdamW", 3, 0.001), sched(typ, base_lr=0.0001, max_lr=0.001, step_size_up=3, base_momentum=0.85,
                                         max_momentum=0.95), [S(13), SD])
    C.add(typ, "step_size_up=1,step_size_down=1",
          "The shortest cycle: up one step, down one step.",
          optim("SGD+momentum", 1, 0.001), sched(typ, base_lr=0.001, max_lr=0.01, step_size_up=1, step_size_down=1), [S(8)])
    C.add(typ, "step_size_up=2.5", "A float step_size_up (converted with float()).",
          optim("SGD+momentum", 1, 0.001), sched(typ, base_lr=0.001, max_lr=0.01, step_size_up=2.5), [S(12)])
    C.add(typ, "long,triangular2,steps=12000",
          "Long run: 12,000 steps of triangular2 (amplitude halves each cycle, down to subnormal scale factors).",
          optim("SGD+momentum", 1, 0.001), sched(typ, base_lr=0.0001, max_lr=0.01, step_size_up=300, mode="triangular2"),
          [S(12000)], slug="long-triangular2,steps=12000")
    C.add(typ, "long,exp_range,steps=10000",
          "Long run: 10,000 steps of exp_range with gamma 0.9995 and an asymmetric cycle.",
          optim("Adam", 1, 0.001), sched(typ, base_lr=0.0001, max_lr=0.003, step_size_up=200, step_size_down=800,
                                         mode="exp_range", gamma=0.9995),
          [S(10000)], slug="long-exp_range,steps=10000")
    error_case(typ, "mode=sawtooth", {"base_lr": 0.001, "max_lr": 0.01, "mode": "sawtooth"},
               "unknown mode without scale_fn: ValueError mode is invalid and scale_fn is None.")
    error_case(typ, "base_lr_count=2,groups=1", {"base_lr": [0.001, 0.002], "max_lr": 0.01},
               "a base_lr array of the wrong length: ValueError.")
    error_case(typ, "max_momentum_count=1,groups=2", {"base_lr": 0.001, "max_lr": 0.01, "max_momentum": [0.9]},
               "a max_momentum array of the wrong length: ValueError.", groups=2, preset="SGD+momentum")
    error_case(typ, "step_size_up=0", {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 0},
               "step_size_up 0 and no step_size_down: ZeroDivisionError computing step_ratio.")
    fresh_resume_error(typ, {"base_lr": 0.001, "max_lr": 0.01})
    random_suite(typ, 6, 1111, lambda rng, g: {
        "base_lr": rnd(rng, 0.0001, 0.001, 5), "max_lr": rnd(rng, 0.002, 0.1, 4), "step_size_up": rint(rng, 1, 6),
        **({"step_size_down": rint(rng, 1, 6)} if rng.random() < 0.5 else {}),
        "mode": pick(rng, ["triangular", "triangular2", "exp_range"]), "gamma": rnd(rng, 0.8, 1.0, 3)}, lr=0.001)


def one_cycle_specs() -> None:
    typ = "OneCycleLR"
    base = {"max_lr": 0.1, "total_steps": 30}
    standard_suite(typ, base, 20, optimizers=("SGD+momentum", "Adam", "RMSprop", "AdamW", "SGD+momentum"),
                   per_group=lambda g: {"max_lr": [0.1, 0.05, 0.01][:g], "base_momentum": [0.85, 0.8, 0.75][:g],
                                        "max_momentum": [0.95, 0.9, 0.99][:g]})
    for extra, what in [
        ({"anneal_strategy": "linear"}, "linear annealing"),
        ({"three_phase": True}, "three phases"),
        ({"three_phase": True, "anneal_strategy": "linear"}, "three linear phases"),
        ({"pct_start": 0.25}, "pct_start 0.25"),
        ({"pct_start": 0.5, "div_factor": 10.0, "final_div_factor": 100.0}, "div factors"),
        ({"pct_start": 0.0}, "pct_start 0.0: no warmup phase"),
        ({"pct_start": 1.0}, "pct_start 1.0: the last step divides by zero in the final phase"),
        ({"cycle_momentum": False}, "cycle_momentum false"),
        ({"div_factor": 1.0, "final_div_factor": 1.0}, "div factors 1: a flat start"),
        ({"pct_start": 0.3, "three_phase": True, "div_factor": 5, "final_div_factor": 1000}, "int div factors"),
    ]:
        args = {"max_lr": 0.1, "total_steps": 20, **extra}
        C.add(typ, fmt_args(args), f"OneCycleLR {what}; steps to total_steps.",
              optim("SGD+momentum"), sched(typ, **args), [S(10), SD, S(10)])
    C.add(typ, "max_lr=0.1,epochs=4,steps_per_epoch=5",
          "total_steps inferred from epochs * steps_per_epoch.",
          optim("SGD+momentum"), sched(typ, max_lr=0.1, epochs=4, steps_per_epoch=5), [S(20), SD])
    C.add(typ, "max_lr=0.1,total_steps=10,past_end",
          "Stepping past total_steps: the 11th step raises ValueError Tried to step 11 times.",
          optim("SGD+momentum"), sched(typ, max_lr=0.1, total_steps=10), [S(12)], error="ValueError past total_steps")
    C.add(typ, "max_lr=0.01,total_steps=5,Adam,betas",
          "cycle_momentum with Adam cycles betas[0].",
          optim("Adam", 2, 0.001), sched(typ, max_lr=0.01, total_steps=5), [S(5), SD])
    C.add(typ, "long,three_phase,steps=10000",
          "Long run: exactly 10,000 steps of a three-phase cosine cycle.",
          optim("SGD+momentum", 1, 0.1), sched(typ, max_lr=0.1, total_steps=10000, three_phase=True),
          [S(10000)], slug="long-three_phase,steps=10000")
    C.add(typ, "long,linear,steps=10000",
          "Long run: 10,000 steps of a two-phase linear cycle with Adam betas cycling.",
          optim("Adam", 1, 0.001), sched(typ, max_lr=0.003, epochs=100, steps_per_epoch=100, anneal_strategy="linear"),
          [S(10000)], slug="long-linear,steps=10000")
    error_case(typ, "no_total_steps", {"max_lr": 0.1}, "neither total_steps nor epochs and steps_per_epoch: ValueError.")
    error_case(typ, "epochs_only", {"max_lr": 0.1, "epochs": 5}, "epochs without steps_per_epoch: ValueError.")
    error_case(typ, "total_steps=0", {"max_lr": 0.1, "total_steps": 0}, "total_steps 0: ValueError.")
    error_case(typ, "total_steps=2.5", {"max_lr": 0.1, "total_steps": 2.5}, "float total_steps: ValueError.")
    error_case(typ, "epochs=0", {"max_lr": 0.1, "epochs": 0, "steps_per_epoch": 5}, "epochs 0: ValueError.")
    error_case(typ, "steps_per_epoch=-1", {"max_lr": 0.1, "epochs": 2, "steps_per_epoch": -1}, "negative steps_per_epoch: ValueError.")
    error_case(typ, "pct_start=1(int)", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1},
               "int pct_start 1: ValueError (pct_start must be a float).")
    error_case(typ, "pct_start=1.5", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}, "pct_start > 1: ValueError.")
    error_case(typ, "anneal_strategy=exp", {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "exp"},
               "unknown anneal_strategy: ValueError.")
    error_case(typ, "max_lr_count=2,groups=3", {"max_lr": [0.1, 0.2], "total_steps": 10}, "a max_lr array of the wrong length: ValueError.", groups=3)
    fresh_resume_error(typ, {"max_lr": 0.1, "total_steps": 10})
    random_suite(typ, 6, 1212, lambda rng, g: {
        "max_lr": rnd(rng, 0.01, 0.5, 3), "total_steps": rint(rng, 20, 60), "pct_start": rnd(rng, 0.1, 0.6, 2),
        "anneal_strategy": pick(rng, ["cos", "linear"]), "three_phase": rng.random() < 0.3}, epoch=False)


def plateau_specs() -> None:
    typ = "ReduceLROnPlateau"
    down_then_flat = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79995, 0.8, 0.81, 0.7, 0.7, 0.7, 0.7, 0.7]
    up_then_flat = [0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.30002, 0.3, 0.29, 0.4, 0.4, 0.4, 0.4, 0.4]
    for mode, tm, seq in [("min", "rel", down_then_flat), ("min", "abs", down_then_flat),
                          ("max", "rel", up_then_flat), ("max", "abs", up_then_flat)]:
        for patience in (0, 2):
            args = {"mode": mode, "threshold_mode": tm, "patience": patience, "factor": 0.5}
            C.add(typ, fmt_args(args),
                  f"ReduceLROnPlateau mode {mode}, threshold_mode {tm}, patience {patience}: reductions on a "
                  f"plateau, including a change smaller than the threshold.",
                  optim("SGD"), sched(typ, **args), [MS(seq), SD])
    cases = [
        ({"patience": 1, "cooldown": 2, "factor": 0.5}, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], "cooldown"),
        ({"patience": 0, "factor": 0.5, "min_lr": 0.02}, [3, 3, 3, 3, 3, 3], "a scalar min_lr floor"),
        ({"patience": 0, "factor": 0.1, "eps": 0.1}, [3, 3, 3, 3], "eps large enough to suppress every reduction"),
        ({"patience": 0, "factor": 0.5, "eps": 0.05}, [3, 3, 3, 3], "eps equal to the first reduction (strict >)"),
        ({"patience": 1, "threshold": 0}, [2, 2, 1.9999999, 2, 2, 2], "threshold 0: any improvement counts"),
        ({"patience": 0, "factor": 0.0}, [1, 1, 1], "factor 0: lr drops straight to min_lr (0)"),
        ({"patience": 0}, [NAN, NAN, 1.0, NAN, 1.0, 1.0], "NaN metrics are never better"),
        ({"patience": 0}, [INF, INF, 5.0, 5.0], "Infinity in min mode is never better than the initial inf"),
        ({"patience": 0, "mode": "max"}, [-INF, 1.0, INF, INF, 2.0], "max mode with -Infinity and Infinity"),
        ({"patience": 0}, [-INF, -INF, 0.0], "-Infinity in min mode: becomes best, nothing beats it"),
        ({"patience": 2, "threshold": 0.1}, [-1.0, -1.05, -1.2, -1.25, -1.3, -1.31], "negative metrics with rel threshold (direction flips)"),
        ({}, [1.0] * 14, "defaults: patience 10, factor 0.1"),
        ({"patience": 0, "cooldown": 1, "factor": 0.7, "threshold_mode": "abs", "threshold": 0.5},
         [10, 9.6, 9.0, 9.0, 8.4, 8.4, 8.4], "abs threshold with cooldown"),
        ({"patience": 0, "factor": 0.5}, [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
         "repeated reductions until the eps check stops them"),
    ]
    for args, seq, what in cases:
        C.add(typ, f"{fmt_args(args)},metrics={fmt(seq[:4])}{'...' if len(seq) > 4 else ''}",
              f"ReduceLROnPlateau: {what}.", optim("SGD+momentum"), sched(typ, **args), [MS(seq), SD],
              slug=slugify(what)[:60].rstrip("_,"))
    C.add(typ, "min_lr=[0.02;0.01],groups=2",
          "Per-group min_lr floors with two groups.",
          optim("Adam", 2, 0.1), sched(typ, patience=0, factor=0.5, min_lr=[0.02, 0.01]), [MS([1] * 8), SD])
    C.add(typ, "min_lr=[0.01;0.001;0.0],groups=3,RMSprop",
          "Per-group min_lr over three groups on RMSprop.",
          optim("RMSprop", 3, 0.1), sched(typ, patience=1, factor=0.3, min_lr=[0.01, 0.001, 0.0]), [MS([2] * 12)])
    C.add(typ, "state_dict+reload",
          "state_dict mid-run (best, num_bad_epochs, cooldown_counter, mode_worse Infinity) and a reload that continues exactly.",
          optim("SGD+momentum", 2), sched(typ, patience=1, cooldown=1, factor=0.5),
          [SD, MS([1.0, 0.9, 0.9]), SD, RELOAD, SD, MS([0.9, 0.9, 0.9, 0.95, 0.8])])
    C.add(typ, "set_lr",
          "A user lr change mid-run: the next reduction multiplies the user's lr.",
          optim("SGD", 2), sched(typ, patience=0, factor=0.5), [M(1.0), SETLR(0, 0.3), M(1.0), SETLR(1, 0.001), M(1.0)])
    C.add(typ, "metric+epoch",
          "step(metric, epoch): the deprecated explicit epoch sets last_epoch (floats too).",
          optim("SGD"), sched(typ, patience=0), [M(1.0, epoch=5), M(2.0, epoch=2.5), M(3.0), MS([1.0, 1.0], epoch=10)])
    C.add(typ, "epoch_only",
          "step(E) with only an epoch: ReduceLROnPlateau takes the number as the metric.",
          optim("SGD"), sched(typ, patience=0), [E(3), E(5), E(5), E(1), SS(epoch=0.5)])
    C.add(typ, "int_metrics",
          "Integer metrics are converted with float().",
          optim("SGD"), sched(typ, patience=0, factor=0.5), [MS([3, 2, 2, 1, 1, 1])])
    C.add(typ, "interleaved",
          "optimizer_step and scheduler_step separately, with metrics on scheduler_step.",
          optim("AdamW", 1, 0.01), sched(typ, patience=0, factor=0.5),
          [OS, SS(metric=1.0), SS(metrics=[1.0, 1.0]), OS, OS, SS(metric=0.5), SS(metric=0.6)])
    C.add(typ, "step_without_metric",
          "A plain step() raises TypeError (metrics is required).",
          optim("SGD"), sched(typ), [M(1.0), S()], error="TypeError missing metrics")
    C.add(typ, "lr=1(int)",
          "Integer lr: ReduceLROnPlateau converts with float() when reducing.",
          optim("SGD", 1, 1), sched(typ, patience=0, factor=0.5), [MS([1, 1, 1])])
    error_case(typ, "factor=1.0", {"factor": 1.0}, "factor 1.0: ValueError Factor should be < 1.0.", script=[M(1.0)])
    error_case(typ, "factor=1.5", {"factor": 1.5}, "factor > 1: ValueError.", script=[M(1.0)])
    error_case(typ, "mode=avg", {"mode": "avg"}, "unknown mode: ValueError mode avg is unknown!", script=[M(1.0)])
    error_case(typ, "threshold_mode=pct", {"threshold_mode": "pct"}, "unknown threshold_mode: ValueError.", script=[M(1.0)])
    error_case(typ, "min_lr_count=2,groups=1", {"min_lr": [0.1, 0.2]}, "min_lr of the wrong length: ValueError.", script=[M(1.0)])
    error_case(typ, "min_lr_count=2,groups=3", {"min_lr": [0.1, 0.2]}, "min_lr of the wrong length: ValueError.",
               groups=3, script=[M(1.0)])

    rng = random.Random(1313)
    for i in range(6):
        groups = rint(rng, 1, 3)
        args = {"mode": pick(rng, ["min", "max"]), "factor": rnd(rng, 0.1, 0.9, 2), "patience": rint(rng, 0, 3),
                "threshold": pick(rng, [0.0, 1e-4, 0.01]), "threshold_mode": pick(rng, ["rel", "abs"]),
                "cooldown": rint(rng, 0, 2), "min_lr": pick(rng, [0.0, 0.001])}
        metrics = [round(rng.random() * 2 - 0.5, 3) for _ in range(rint(rng, 10, 25))]
        script = [MS(metrics[:8]), SD, RELOAD, MS(metrics[8:]), SD]
        C.add(typ, f"random-{i:02d},{fmt_args(args)},groups={groups}",
              f"Seeded random variation {i} (seed 1313) of ReduceLROnPlateau with random metrics and a reload.",
              optim("SGD+momentum", groups), sched(typ, **args), script, slug=f"random-{i:02d}")


def swalr_specs() -> None:
    typ = "SWALR"
    standard_suite(typ, {"swa_lr": 0.05, "anneal_epochs": 4, "anneal_strategy": "cos"}, 10,
                   per_group=lambda g: {"swa_lr": [0.05, 0.02, 0.005][:g]})
    for ae, strat, n in [(0, "cos", 5), (0, "linear", 5), (1, "cos", 5), (1, "linear", 5), (3, "linear", 8),
                         (10, "cos", 14), (10, "linear", 14), (5, "cos", 9)]:
        C.add(typ, f"swa_lr=0.01,anneal_epochs={ae},anneal_strategy={strat}",
              f"SWALR anneals to swa_lr over {ae} epochs ({strat}); {n} steps, past the annealing.",
              optim("SGD+momentum"), sched(typ, swa_lr=0.01, anneal_epochs=ae, anneal_strategy=strat), [S(n), SD])
    C.add(typ, "swa_lr=0.2,above_lr", "swa_lr above the current lr: annealing upward.",
          optim("SGD"), sched(typ, swa_lr=0.2, anneal_epochs=3), [S(5)])
    C.add(typ, "swa_lr=0.05,defaults", "SWALR defaults: anneal_epochs 10, cos.",
          optim("Adam", 1, 0.001), sched(typ, swa_lr=0.05), [S(12)])
    C.add(typ, "after_MultiplicativeLR", "The docs pattern: MultiplicativeLR first, then SWALR takes over (k-th scheduler steps).",
          optim("SGD+momentum"), [sched("MultiplicativeLR", lr_lambda="0.9"), sched(typ, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")],
          [S(4, scheduler=0), S(6, scheduler=1), SD])
    error_case(typ, "anneal_epochs=-1", {"swa_lr": 0.05, "anneal_epochs": -1}, "negative anneal_epochs: ValueError.")
    error_case(typ, "anneal_epochs=2.5", {"swa_lr": 0.05, "anneal_epochs": 2.5}, "float anneal_epochs: ValueError.")
    error_case(typ, "anneal_strategy=exp", {"swa_lr": 0.05, "anneal_strategy": "exp"}, "unknown anneal_strategy: ValueError.")
    error_case(typ, "swa_lr_count=3,groups=2", {"swa_lr": [0.1, 0.2, 0.3]}, "swa_lr array of the wrong length: ValueError.", groups=2)
    fresh_resume_error(typ, {"swa_lr": 0.05})
    random_suite(typ, 5, 1414, lambda rng, g: {"swa_lr": rnd(rng, 0.001, 0.1, 4), "anneal_epochs": rint(rng, 0, 8),
                                               "anneal_strategy": pick(rng, ["cos", "linear"])})


def sequential_specs() -> None:
    typ = "SequentialLR"
    warm_cos = {"schedulers": [sched("LinearLR", start_factor=0.1, total_iters=5), sched("CosineAnnealingLR", T_max=15)],
                "milestones": [5]}
    standard_suite(typ, warm_cos, 22, epoch=False, rebuild=True)
    C.add(typ, "[LinearLR+CosineAnnealingLR],epoch=3",
          "SequentialLR.step takes no epoch: step(3) raises TypeError.",
          optim("SGD"), sched(typ, **warm_cos), [S(2), E(3)], error="TypeError step() takes 1 positional argument")
    cases = [
        ("[ConstantLR+ExponentialLR],milestones=[20]",
         [sched("ConstantLR", factor=0.1, total_iters=20), sched("ExponentialLR", gamma=0.9)], [20], 30,
         "the PyTorch docs example"),
        ("[LinearLR+ConstantLR+StepLR],milestones=[3;8]",
         [sched("LinearLR", start_factor=0.5, total_iters=3), sched("ConstantLR", factor=0.5, total_iters=2),
          sched("StepLR", step_size=2, gamma=0.5)], [3, 8], 16, "three children"),
        ("[LinearLR+ExponentialLR+StepLR+CosineAnnealingLR],milestones=[3;6;10]",
         [sched("LinearLR", start_factor=0.2, total_iters=3), sched("ExponentialLR", gamma=0.8),
          sched("StepLR", step_size=2, gamma=0.5), sched("CosineAnnealingLR", T_max=8, eta_min=0.001)], [3, 6, 10], 22,
         "four children"),
        ("[ConstantLR+ExponentialLR],milestones=[0]",
         [sched("ConstantLR", factor=0.5), sched("ExponentialLR", gamma=0.9)], [0], 6,
         "milestone 0: the second child does the initial step"),
        ("[LinearLR+ExponentialLR+StepLR],milestones=[4;4]",
         [sched("LinearLR", start_factor=0.5, total_iters=4), sched("ExponentialLR", gamma=0.9),
          sched("StepLR", step_size=2)], [4, 4], 10, "duplicate milestones: the middle child never runs"),
        ("[ExponentialLR+StepLR],milestones=[6]",
         [sched("ExponentialLR", gamma=0.9), sched("StepLR", step_size=3)], [6], 12, "plain exponential then step"),
        ("[MultiStepLR+LambdaLR],milestones=[5]",
         [sched("MultiStepLR", milestones=[2, 4], gamma=0.5), sched("LambdaLR", lr_lambda="0.9 ** epoch")], [5], 12,
         "a LambdaLR after a milestone is restarted at epoch 0"),
        ("[LinearLR+OneCycleLR],milestones=[3]",
         [sched("LinearLR", start_factor=0.5, total_iters=3), sched("OneCycleLR", max_lr=0.2, total_steps=10)], [3], 12,
         "a OneCycleLR child (it overwrites initial_lr at construction)"),
        ("[LinearLR+CyclicLR],milestones=[4]",
         [sched("LinearLR", start_factor=0.25, total_iters=4), sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3)],
         [4], 16, "a CyclicLR child (it sets the group lrs at construction)"),
        ("[PolynomialLR+SWALR],milestones=[5]",
         [sched("PolynomialLR", total_iters=5, power=2.0), sched("SWALR", swa_lr=0.01, anneal_epochs=3)], [5], 12,
         "SWALR after a polynomial decay"),
        ("[LinearLR+MultiplicativeLR],milestones=[3]",
         [sched("LinearLR", start_factor=0.5, total_iters=3), sched("MultiplicativeLR", lr_lambda="0.95")], [3], 10,
         "MultiplicativeLR child"),
        ("[CosineAnnealingWarmRestarts+ConstantLR],milestones=[7]",
         [sched("CosineAnnealingWarmRestarts", T_0=3), sched("ConstantLR", factor=0.5, total_iters=2)], [7], 12,
         "warm restarts child"),
    ]
    for rest, children, milestones, n, what in cases:
        if len(milestones) != len(children) - 1:
            continue
        C.add(typ, rest, f"SequentialLR: {what}; {n} steps with state_dicts.",
              optim("SGD+momentum"), sched(typ, schedulers=children, milestones=milestones), [S(n // 2), SD, S(n - n // 2), SD])
    C.add(typ, "nested_SequentialLR",
          "A SequentialLR inside a SequentialLR.",
          optim("SGD"), sched(typ, schedulers=[
              sched(typ, schedulers=[sched("LinearLR", start_factor=0.5, total_iters=2), sched("ExponentialLR", gamma=0.9)],
                    milestones=[2]),
              sched("StepLR", step_size=2, gamma=0.5)], milestones=[5]), [S(10), SD])
    C.add(typ, "nested_ChainedScheduler",
          "A ChainedScheduler inside a SequentialLR (recursive_undo reaches its children).",
          optim("SGD+momentum", 2), sched(typ, schedulers=[
              sched("ChainedScheduler", schedulers=[sched("ConstantLR", factor=0.5, total_iters=3),
                                                     sched("ExponentialLR", gamma=0.9)]),
              sched("CosineAnnealingLR", T_max=6)], milestones=[4]), [S(10), SD, RELOAD, S(2)])
    C.add(typ, "groups=3,Adam,[LinearLR+StepLR]",
          "SequentialLR over three groups on Adam.",
          optim("Adam", 3, 0.001), sched(typ, schedulers=[sched("LinearLR", start_factor=0.1, total_iters=4),
                                                          sched("StepLR", step_size=3, gamma=0.5)], milestones=[4]), [S(12)])
    C.add(typ, "last_epoch=5",
          "SequentialLR built with last_epoch=5 (children fresh): its last_epoch starts at 6.",
          optim("SGD"), sched(typ, schedulers=[sched("ConstantLR", factor=0.5, total_iters=2), sched("ExponentialLR", gamma=0.9)],
                              milestones=[3], last_epoch=5), [S(3), SD])
    error_case(typ, "milestones_count=2,schedulers=2",
               {"schedulers": [sched("LinearLR"), sched("ExponentialLR", gamma=0.9)], "milestones": [2, 4]},
               "two milestones for two schedulers: ValueError.")
    error_case(typ, "milestones_count=0,schedulers=3",
               {"schedulers": [sched("LinearLR"), sched("ExponentialLR", gamma=0.9), sched("StepLR", step_size=2)], "milestones": []},
               "no milestones for three schedulers: ValueError.")
    error_case(typ, "no_schedulers", {"schedulers": [], "milestones": []}, "zero schedulers: ValueError.")
    error_case(typ, "ReduceLROnPlateau_child",
               {"schedulers": [sched("LinearLR"), sched("ReduceLROnPlateau")], "milestones": [3]},
               "a ReduceLROnPlateau child: ValueError.")

    rng = random.Random(1515)
    pool = [lambda: sched("LinearLR", start_factor=rnd(rng, 0.1, 0.9, 2), total_iters=rint(rng, 1, 5)),
            lambda: sched("ExponentialLR", gamma=rnd(rng, 0.8, 0.99, 2)),
            lambda: sched("StepLR", step_size=rint(rng, 1, 4), gamma=rnd(rng, 0.1, 0.9, 2)),
            lambda: sched("CosineAnnealingLR", T_max=rint(rng, 3, 10), eta_min=pick(rng, [0.0, 0.001])),
            lambda: sched("ConstantLR", factor=rnd(rng, 0.1, 0.9, 2), total_iters=rint(rng, 1, 4)),
            lambda: sched("PolynomialLR", total_iters=rint(rng, 2, 6), power=rnd(rng, 0.5, 2, 1))]
    for i in range(6):
        k = rint(rng, 2, 4)
        children = [pick(rng, pool)() for _ in range(k)]
        ms = sorted(rint(rng, 1, 12) for _ in range(k - 1))
        groups = rint(rng, 1, 3)
        script = [S(rint(rng, 2, 6)), SD, pick(rng, [RELOAD, REBUILD, SETLR(0, 0.05)]), S(rint(rng, 4, 10)), SD]
        C.add(typ, f"random-{i:02d},[{'+'.join(c['type'] for c in children)}],milestones={fmt(ms)},groups={groups}",
              f"Seeded random variation {i} (seed 1515): {k} random children, random milestones.",
              optim("SGD+momentum", groups), sched(typ, schedulers=children, milestones=ms), script, slug=f"random-{i:02d}")


def chained_specs() -> None:
    typ = "ChainedScheduler"
    doc = {"schedulers": [sched("ConstantLR", factor=0.1, total_iters=20), sched("ExponentialLR", gamma=0.9)]}
    standard_suite(typ, doc, 24, epoch=False, rebuild=False)
    C.add(typ, "[ConstantLR+ExponentialLR],epoch=3",
          "ChainedScheduler.step takes no epoch: step(3) raises TypeError.",
          optim("SGD"), sched(typ, **doc), [S(2), E(3)], error="TypeError")
    C.add(typ, "[ConstantLR+ExponentialLR],metric=1.0",
          "ChainedScheduler.step(1.0) raises TypeError.",
          optim("SGD"), sched(typ, **doc), [M(1.0)], error="TypeError")
    cases = [
        ("[StepLR+ExponentialLR]", [sched("StepLR", step_size=3, gamma=0.5), sched("ExponentialLR", gamma=0.95)], 12),
        ("[LinearLR+MultiStepLR+ExponentialLR]", [sched("LinearLR", start_factor=0.2, total_iters=4),
                                                  sched("MultiStepLR", milestones=[5, 8]), sched("ExponentialLR", gamma=0.97)], 12),
        ("[ExponentialLR]", [sched("ExponentialLR", gamma=0.9)], 6),
        ("[LinearLR+CosineAnnealingLR]", [sched("LinearLR", start_factor=0.1, total_iters=5), sched("CosineAnnealingLR", T_max=10)], 15),
        ("[CyclicLR+ExponentialLR]", [sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3), sched("ExponentialLR", gamma=0.9)], 12),
        ("[MultiplicativeLR+StepLR]", [sched("MultiplicativeLR", lr_lambda="0.98"), sched("StepLR", step_size=4, gamma=0.5)], 12),
        ("[LambdaLR+ExponentialLR]", [sched("LambdaLR", lr_lambda="0.5 ** (epoch // 3)"), sched("ExponentialLR", gamma=0.9)], 10),
        ("[PolynomialLR+ConstantLR+SWALR]", [sched("PolynomialLR", total_iters=6), sched("ConstantLR", factor=0.5, total_iters=3),
                                             sched("SWALR", swa_lr=0.02, anneal_epochs=4)], 10),
    ]
    for rest, children, n in cases:
        C.add(typ, rest, f"ChainedScheduler of {len(children)}: every child steps on each step; {n} steps.",
              optim("SGD+momentum"), sched(typ, schedulers=children), [S(n // 2), SD, S(n - n // 2)])
    C.add(typ, "nested_SequentialLR",
          "A SequentialLR inside a ChainedScheduler alongside an ExponentialLR.",
          optim("SGD", 2), sched(typ, schedulers=[
              sched("SequentialLR", schedulers=[sched("LinearLR", start_factor=0.5, total_iters=3),
                                                sched("StepLR", step_size=2, gamma=0.5)], milestones=[3]),
              sched("ExponentialLR", gamma=0.95)]), [S(10), SD, RELOAD, S(3)])
    C.add(typ, "nested_ChainedScheduler",
          "A ChainedScheduler inside a ChainedScheduler.",
          optim("Adam", 1, 0.001), sched(typ, schedulers=[
              sched(typ, schedulers=[sched("ExponentialLR", gamma=0.9), sched("StepLR", step_size=2, gamma=0.5)]),
              sched("ConstantLR", factor=0.5, total_iters=3)]), [S(8), SD])
    C.add(typ, "groups=3,RMSprop,[LinearLR+ExponentialLR]",
          "ChainedScheduler over three groups on RMSprop.",
          optim("RMSprop", 3, 0.01), sched(typ, schedulers=[sched("LinearLR", start_factor=0.5, total_iters=3),
                                                            sched("ExponentialLR", gamma=0.9)]), [S(8)])
    error_case(typ, "no_schedulers", {"schedulers": []}, "zero schedulers: ValueError.")
    error_case(typ, "ReduceLROnPlateau_child", {"schedulers": [sched("ExponentialLR", gamma=0.9), sched("ReduceLROnPlateau")]},
               "a ReduceLROnPlateau child: ValueError.")

    rng = random.Random(1616)
    pool = [lambda: sched("ExponentialLR", gamma=rnd(rng, 0.8, 0.99, 2)),
            lambda: sched("StepLR", step_size=rint(rng, 1, 4), gamma=rnd(rng, 0.1, 0.9, 2)),
            lambda: sched("ConstantLR", factor=rnd(rng, 0.1, 0.9, 2), total_iters=rint(rng, 1, 4)),
            lambda: sched("LinearLR", start_factor=rnd(rng, 0.1, 0.9, 2), total_iters=rint(rng, 1, 5)),
            lambda: sched("MultiStepLR", milestones=[rint(rng, 1, 5), rint(rng, 4, 9)], gamma=rnd(rng, 0.3, 0.9, 2))]
    for i in range(6):
        children = [pick(rng, pool)() for _ in range(rint(rng, 2, 3))]
        groups = rint(rng, 1, 3)
        script = [S(rint(rng, 2, 6)), SD, pick(rng, [RELOAD, SETLR(0, 0.05), OS]), S(rint(rng, 3, 8)), SD]
        C.add(typ, f"random-{i:02d},[{'+'.join(c['type'] for c in children)}],groups={groups}",
              f"Seeded random variation {i} (seed 1616): random children.",
              optim("SGD+momentum", groups), sched(typ, schedulers=children), script, slug=f"random-{i:02d}")


def compound_specs() -> None:
    f = "Compound"
    cases = [
        ("[StepLR+ExponentialLR]", [sched("StepLR", step_size=3, gamma=0.5), sched("ExponentialLR", gamma=0.9)],
         [S(5), SD, S(5)], "two chainable schedulers stepping in order on one optimizer"),
        ("[LinearLR+CosineAnnealingLR]", [sched("LinearLR", start_factor=0.1, total_iters=5), sched("CosineAnnealingLR", T_max=20)],
         [S(10), SD, S(12)], "warmup and cosine both active every step"),
        ("[LinearLR+StepLR+ExponentialLR]", [sched("LinearLR", start_factor=0.5, total_iters=4), sched("StepLR", step_size=3),
                                             sched("ExponentialLR", gamma=0.95)], [S(12), SD], "three schedulers"),
        ("[ExponentialLR],array_of_one", [sched("ExponentialLR", gamma=0.9)], [S(4), SD, RELOAD, REBUILD, S(2)],
         "a scheduler array of length 1: per-scheduler arrays in the records"),
        ("[StepLR+ExponentialLR],scheduler=k", [sched("StepLR", step_size=2, gamma=0.5), sched("ExponentialLR", gamma=0.9)],
         [S(3, scheduler=0), S(3, scheduler=1), SS(scheduler=0), SS(2, scheduler=1), S(2)], "stepping only the k-th scheduler"),
        ("[LinearLR+CosineAnnealingLR],reload", [sched("LinearLR", start_factor=0.2, total_iters=4), sched("CosineAnnealingLR", T_max=10)],
         [S(5), RELOAD, SD, S(6)], "reload of every scheduler in order"),
        ("[StepLR+MultiStepLR],rebuild", [sched("StepLR", step_size=3, gamma=0.5), sched("MultiStepLR", milestones=[4, 7])],
         [S(5), REBUILD, SD, S(5)], "rebuild of every scheduler with its own last_epoch"),
        ("[ReduceLROnPlateau+StepLR],metric_to_both", [sched("ReduceLROnPlateau", patience=0, factor=0.5), sched("StepLR", step_size=2)],
         [M(1.0), M(1.0), M(3.0)], "step(M) steps both: StepLR takes the metric as its epoch"),
        ("[ReduceLROnPlateau+StepLR],scheduler=k", [sched("ReduceLROnPlateau", patience=0, factor=0.5), sched("StepLR", step_size=2)],
         [S(scheduler=1), M(1.0, scheduler=0), S(scheduler=1), M(1.0, scheduler=0), MS([1.0, 1.0], scheduler=0), S(2, scheduler=1), SD],
         "the metric goes to the plateau scheduler only"),
        ("[StepLR+CosineAnnealingLR(last_epoch=3)]", [sched("StepLR", step_size=3), sched("CosineAnnealingLR", T_max=10, last_epoch=3)],
         [S(5), SD], "a later scheduler resumes with last_epoch (initial_lr set by the first)"),
        ("[CyclicLR+ExponentialLR]", [sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3), sched("ExponentialLR", gamma=0.9)],
         [S(10), SD], "a non-chainable scheduler followed by a chainable one"),
        ("[ChainedScheduler+StepLR]", [sched("ChainedScheduler", schedulers=[sched("ExponentialLR", gamma=0.9)]),
                                       sched("StepLR", step_size=2)], [S(5), SD, RELOAD, S(2)],
         "a ChainedScheduler in the array: its last_epoch entry is null"),
        ("[OneCycleLR+ConstantLR]", [sched("OneCycleLR", max_lr=0.1, total_steps=12), sched("ConstantLR", factor=0.5, total_iters=4)],
         [S(10), SD], "OneCycleLR and ConstantLR fighting over the lr"),
        ("[SequentialLR+ExponentialLR]", [sched("SequentialLR", schedulers=[sched("LinearLR", start_factor=0.5, total_iters=2),
                                                                            sched("StepLR", step_size=2)], milestones=[2]),
                                          sched("ExponentialLR", gamma=0.9)], [S(8), SD, REBUILD, S(2)],
         "a SequentialLR and an ExponentialLR side by side"),
        ("[StepLR+ExponentialLR],epoch", [sched("StepLR", step_size=3, gamma=0.5), sched("ExponentialLR", gamma=0.9)],
         [S(2), E(6), S(2), E(1.5), S()], "explicit epochs go to every scheduler (closed forms)"),
        ("[StepLR+ExponentialLR],set_lr", [sched("StepLR", step_size=3, gamma=0.5), sched("ExponentialLR", gamma=0.9)],
         [S(2), SETLR(0, 0.5), S(4), SETLR(0, 0.01), S(2)], "user lr changes with two chainable schedulers"),
        ("[SWALR+CosineAnnealingLR],interleaved", [sched("CosineAnnealingLR", T_max=10), sched("SWALR", swa_lr=0.01, anneal_epochs=2)],
         [OS, SS(), SS(scheduler=0), OS, SS(scheduler=1), S(4)], "optimizer_step and scheduler_step with a k-th scheduler"),
        ("[LambdaLR+MultiplicativeLR],groups=2", [sched("LambdaLR", lr_lambda=["0.9 ** epoch", "1 / (epoch + 1)"]),
                                                  sched("MultiplicativeLR", lr_lambda="0.95")], [S(6), SD],
         "two lambda schedulers over two groups"),
        ("[WarmRestarts+LinearLR],groups=3", [sched("CosineAnnealingWarmRestarts", T_0=4, T_mult=2), sched("LinearLR", start_factor=0.5, total_iters=6)],
         [S(10), SD], "warm restarts plus linear warmup over three groups"),
        ("[PolynomialLR+StepLR],gradient", [sched("PolynomialLR", total_iters=6, power=2.0), sched("StepLR", step_size=2)],
         [S(4), RELOAD, S(4)], "two schedulers on SGD momentum with real gradients and a reload"),
    ]
    for rest, scheds, script, what in cases:
        groups = 3 if "groups=3" in rest else 2 if "groups=2" in rest else 1
        preset = "SGD+momentum" if "gradient" in rest or "CyclicLR" in rest or "OneCycle" in rest else "SGD"
        params = [[[0.5, -1.5]], [[2.0]], [[0.25]]][:groups] if "gradient" in rest else None
        C.add(f, rest, f"Several schedulers on one optimizer: {what}.",
              optim(preset, groups, params=params), scheds, script, gradient=QUAD if "gradient" in rest else None)


def optimizer_specs() -> None:
    f = "Optimizer"
    p1 = [[[0.5, -1.25, 3.0], [2.0]]]
    p2 = [[[0.5, -1.25, 3.0]], [[2.0, -0.75]]]
    cases = [
        ("SGD,lr=0.1", optim("SGD", 1, 0.1, params=p1), [S(10)], "plain SGD"),
        ("SGD,momentum=0.9,dampening=0.1,weight_decay=0.01",
         optim("SGD", 1, 0.1, params=p1, momentum=0.9, dampening=0.1, weight_decay=0.01), [S(10)], "SGD with momentum, dampening and weight decay"),
        ("SGD,nesterov,groups=2", optim("SGD+nesterov", 2, 0.1, params=p2), [S(6), RELOAD, S(4)],
         "Nesterov SGD over two groups with a reload (momentum buffers restored)"),
        ("SGD,maximize", optim("SGD", 1, 0.05, params=p1, momentum=0.5, maximize=True), [S(8)], "SGD maximize"),
        ("Adam,groups=2", optim("Adam", 2, 0.01, params=p2), [S(8), SETLR(1, 0.05), S(4)], "Adam with a user lr change"),
        ("Adam,amsgrad,betas=[0.8;0.99]", optim("Adam", 1, 0.01, params=p1, amsgrad=True, betas=[0.8, 0.99]), [S(10), RELOAD, S(3)],
         "Adam with amsgrad and custom betas, with a reload"),
        ("AdamW,weight_decay=0.1", optim("AdamW", 1, 0.01, params=p1, weight_decay=0.1), [S(10)], "AdamW decoupled weight decay"),
        ("RMSprop,centered,momentum=0.9", optim("RMSprop", 1, 0.01, params=p1, centered=True, momentum=0.9, alpha=0.95), [S(10)],
         "centered RMSprop with momentum"),
        ("RMSprop,eps=1e-6,groups=2", optim("RMSprop-nomomentum", 2, 0.01, params=p2, eps=1e-6), [S(6), OS, OS]),
    ]
    for case in cases:
        rest, o, script = case[0], case[1], case[2]
        what = case[3] if len(case) > 3 else rest
        C.add(f, rest, f"Optimizer only (no scheduler), quadratic gradients (target 1.0, scale 0.5): {what}.",
              o, None, script, gradient=QUAD)
    C.add(f, "SGD,no_gradient,set_lr",
          "Optimizer only, no gradients: parameters never change; set_lr and a reload.",
          optim("SGD+momentum", 2), None, [S(2), SETLR(0, 0.5), OS, RELOAD, S()])
    C.add(f, "SGD,group_lr=-0.01",
          "A negative lr in a group override is not validated by SGD (only the default lr is).",
          optim("SGD", 2, 0.1, lrs=[0.1, -0.01]), None, [S(2)])



# ------------------------------------------------------ optimizer arithmetic

def P(n: int, seed: int, lo: float = -3.0, hi: float = 3.0) -> list:
    """n initial parameter values with three decimals (deterministic)."""
    rng = random.Random(seed)
    return [round(rng.uniform(lo, hi), 3) for _ in range(n)]


def gopt(typ: str, options: dict, groups: list) -> dict:
    """An optimizer spec: `groups` is a list of (overrides, params) pairs."""
    return {"type": typ, "options": options,
            "param_groups": [{**g, "params": ps} for g, ps in groups]}


def GRAD(target: float, scale: float) -> dict:
    return {"kind": "quadratic", "target": target, "scale": scale}


# Small tensors run through ATen's scalar loop, the 37-element one through its
# 32-lane vectorized loop and the scalar remainder: both paths are checked.
T3 = [0.5, -1.25, 3.0]
T37 = P(37, 4)
QUAD2 = GRAD(-0.25, 0.3)     # scalars that are not float32 values
QUAD3 = GRAD(0.1, 2.0)
QUADMAX = GRAD(2.5, -0.7)    # with maximize=True: ascends -(p - T)^2, so it converges


def gradient_specs() -> None:
    """Optimizer arithmetic: every optimizer and option, several groups with
    per-group options, long runs, schedulers that cycle momentum or
    betas[0], and reloads (state_dict with tensors) mid-run."""
    f = "Optimizer"
    one = lambda ps=None: [({}, ps or [T3])]
    cases = [
        # SGD
        ("SGD,momentum=0.9,37_elements", gopt("SGD", {"lr": 0.05, "momentum": 0.9}, one([T37, [2.0]])), None,
         [S(60)], QUAD, "SGD momentum over a 37-element tensor and a scalar one"),
        ("SGD,nesterov,weight_decay=0.001,2500_steps",
         gopt("SGD", {"lr": 0.002, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001}, one([T3, [-2.0, 0.75]])),
         None, [S(1200), RELOAD, S(1300)], QUAD2, "a long Nesterov run with weight decay and a reload at step 1200"),
        ("SGD,momentum=0.5,dampening=0.5,weight_decay=0.01,maximize",
         gopt("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.5, "weight_decay": 0.01, "maximize": True}, one()),
         None, [S(40)], QUADMAX, "maximize with dampening and weight decay"),
        ("SGD,weight_decay=0.1", gopt("SGD", {"lr": 0.1, "weight_decay": 0.1}, one([T3, T37])), None, [S(30)], QUAD3,
         "weight decay without momentum"),
        ("SGD,groups=3,per-group_options",
         gopt("SGD", {"lr": 0.05, "momentum": 0.9},
              [({}, [T3]), ({"momentum": 0, "weight_decay": 0.05, "lr": 0.1}, [[1.5, -0.5]]),
               ({"nesterov": True, "dampening": 0, "momentum": 0.8, "maximize": True}, [[-2.0]])]),
         None, [S(20), RELOAD, S(20)], QUAD, "three groups: momentum, plain SGD with weight decay, Nesterov maximizing"),
        ("SGD,lr=1(int),momentum=0.25", gopt("SGD", {"lr": 1, "momentum": 0.25}, one()), None, [S(25)], QUAD,
         "an int lr (alpha=-1)"),
        ("SGD,momentum=0.9,set_lr,reload",
         gopt("SGD", {"lr": 0.01, "momentum": 0.9}, [({}, [T3]), ({"lr": 0.02}, [[0.25, 4.0]])]), None,
         [S(10), SETLR(0, 0.05), S(5), RELOAD, SETLR(1, 0.001), S(10), RELOAD, S(5)], QUAD2,
         "user lr changes and two reloads"),
        # Adam
        ("Adam,defaults,3000_steps", gopt("Adam", {}, one([T3, [0.0]])), None, [S(3000)], QUAD,
         "Adam with every default (lr 1e-3) for 3000 steps: the bias corrections go to 1"),
        ("Adam,weight_decay=0.1", gopt("Adam", {"lr": 0.01, "weight_decay": 0.1}, one([T3, T37])), None, [S(50)], QUAD3,
         "Adam's weight decay added to the gradient"),
        ("Adam,maximize,eps=1e-6", gopt("Adam", {"lr": 0.003, "maximize": True, "eps": 1e-6}, one()), None, [S(40)],
         QUADMAX, "maximize"),
        ("Adam,betas=[0.5;0.9],eps=0.1", gopt("Adam", {"lr": 0.05, "betas": [0.5, 0.9], "eps": 0.1}, one()), None,
         [S(40)], QUAD2, "a large eps and small betas (lerp weight 0.5: the other lerp formula)"),
        ("Adam,amsgrad,weight_decay=0.01,maximize",
         gopt("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.01, "maximize": True}, one([T3, T37])), None,
         [S(30), RELOAD, S(30)], QUADMAX, "amsgrad with weight decay and maximize, reloaded (max_exp_avg_sq restored)"),
        ("Adam,groups=3,per-group_options",
         gopt("Adam", {"lr": 0.01},
              [({}, [T3]), ({"betas": [0.8, 0.99], "amsgrad": True, "lr": 0.02}, [[1.5, -0.5]]),
               ({"eps": 1e-4, "weight_decay": 0.05, "maximize": False}, [[-2.0], [0.3]])]),
         None, [S(25), RELOAD, S(25)], QUAD, "three groups with their own betas, amsgrad, eps and weight decay"),
        ("Adam,betas=[0.0;0.0]", gopt("Adam", {"lr": 0.01, "betas": [0.0, 0.0]}, one()), None, [S(20)], QUAD,
         "beta1 = beta2 = 0: no averaging, bias corrections 1"),
        ("Adam,betas=[0.99;0.9999],lr=0.1,37_elements", gopt("Adam", {"lr": 0.1, "betas": [0.99, 0.9999]}, one([T37])),
         None, [S(100)], QUAD2, "fast Adam over 37 elements"),
        # AdamW
        ("AdamW,defaults,2000_steps", gopt("AdamW", {}, one([T3, [-0.5, 1.75]])), None, [S(1000), RELOAD, S(1000)],
         QUAD2, "AdamW with every default (weight_decay 0.01) for 2000 steps, reloaded halfway"),
        ("AdamW,amsgrad", gopt("AdamW", {"lr": 0.01, "amsgrad": True}, one([T3, T37])), None, [S(50)], QUAD, "amsgrad"),
        ("AdamW,maximize,weight_decay=0.05", gopt("AdamW", {"lr": 0.01, "maximize": True, "weight_decay": 0.05}, one()),
         None, [S(40)], QUADMAX, "maximize with decoupled weight decay"),
        ("AdamW,groups=2,per-group_weight_decay",
         gopt("AdamW", {"lr": 0.01, "weight_decay": 0.1}, [({}, [T3]), ({"weight_decay": 0, "lr": 0.005}, [[0.4, -0.6]])]),
         None, [S(30)], QUAD3, "one group without weight decay"),
        ("AdamW,betas=[0.95;0.9999],eps=1e-10,37_elements",
         gopt("AdamW", {"lr": 0.02, "betas": [0.95, 0.9999], "eps": 1e-10}, one([T37])), None, [S(80)], QUAD, "tiny eps"),
        # RMSprop
        ("RMSprop,lr=0.001,2000_steps", gopt("RMSprop", {"lr": 0.001}, one([T3, [1.0]])), None, [S(2000)], QUAD3,
         "RMSprop with the default alpha 0.99 and eps for 2000 steps, slow enough to be moving throughout"),
        ("RMSprop,momentum=0.5", gopt("RMSprop", {"lr": 0.01, "momentum": 0.5}, one([T3, T37])), None, [S(40)], QUAD2,
         "momentum"),
        ("RMSprop,centered", gopt("RMSprop", {"lr": 0.01, "centered": True}, one()), None, [S(40)], QUAD, "centered"),
        ("RMSprop,weight_decay=0.01,maximize", gopt("RMSprop", {"lr": 0.01, "weight_decay": 0.01, "maximize": True}, one()),
         None, [S(40)], QUADMAX, "weight decay and maximize"),
        ("RMSprop,alpha=0.5,eps=1e-4,centered,37_elements",
         gopt("RMSprop", {"lr": 0.005, "alpha": 0.5, "eps": 1e-4, "centered": True}, one([T37])),
         None, [S(60)], QUAD, "alpha 0.5: grad_avg's lerp weight 0.5 takes lerp's other formula"),
        ("RMSprop,alpha=0,centered,momentum=0.9",
         gopt("RMSprop", {"lr": 0.001, "alpha": 0.0, "centered": True, "momentum": 0.9}, one()), None, [S(30)], QUAD2,
         "alpha = 0: square_avg is the rounded squared gradient and grad_avg the gradient, so the centered "
         "variance is the rounding error of g * g, negative for some elements; its sqrt is NaN in PyTorch too"),
        ("RMSprop,groups=3,per-group_options",
         gopt("RMSprop", {"lr": 0.01},
              [({}, [T3]), ({"momentum": 0.9, "centered": True}, [[1.5, -0.5]]),
               ({"alpha": 0.9, "weight_decay": 0.1, "lr": 0.02}, [[-2.0]])]),
         None, [S(25), RELOAD, S(25)], QUAD3, "three groups: plain, centered with momentum, weight decay"),
        ("RMSprop,centered,momentum=0.9,weight_decay=0.001,2000_steps",
         gopt("RMSprop", {"lr": 0.001, "centered": True, "momentum": 0.9, "weight_decay": 0.001}, one([T3, [-0.75]])),
         None, [S(700), RELOAD, S(1300)], QUAD2, "a long centered run with momentum, reloaded at step 700"),
        # with a scheduler
        ("SGD,momentum=0.9+CyclicLR,cycle_momentum",
         gopt("SGD", {"lr": 0.01, "momentum": 0.9}, one([T3, T37])),
         sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=5, base_momentum=0.8, max_momentum=0.95), [S(40)], QUAD,
         "CyclicLR cycling SGD's lr and momentum"),
        ("SGD,nesterov+OneCycleLR",
         gopt("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, one()),
         sched("OneCycleLR", max_lr=0.2, total_steps=60), [S(30), RELOAD, S(30)], QUAD2,
         "OneCycleLR cycling a Nesterov SGD's momentum, reloaded mid-cycle"),
        ("SGD,momentum=0.9+CosineAnnealingWarmRestarts,2000_steps",
         gopt("SGD", {"lr": 0.001, "momentum": 0.9, "weight_decay": 0.01}, one([T3, [0.1, -0.1]])),
         sched("CosineAnnealingWarmRestarts", T_0=50, T_mult=2), [S(2000)], QUAD, "restarts over 2000 steps"),
        ("SGD+ReduceLROnPlateau", gopt("SGD", {"lr": 0.1, "momentum": 0.5}, one()),
         sched("ReduceLROnPlateau", patience=1, factor=0.5), [MS([1.0, 0.9, 0.95, 0.97, 0.99, 0.5, 0.6, 0.7, 0.8])],
         QUAD, "lr cut on plateaus of a metric"),
        ("SGD,momentum=0.9+SWALR", gopt("SGD", {"lr": 0.05, "momentum": 0.9}, one()),
         sched("SWALR", swa_lr=0.01, anneal_epochs=5), [S(15)], QUAD2, "SWALR annealing"),
        ("Adam+OneCycleLR,cycle_betas",
         gopt("Adam", {"lr": 0.01}, one([T3, T37])), sched("OneCycleLR", max_lr=0.05, total_steps=80), [S(80)], QUAD,
         "OneCycleLR cycling Adam's lr and betas[0] (0.95 -> 0.85 -> 0.95)"),
        ("AdamW+OneCycleLR,three_phase,groups=2",
         gopt("AdamW", {"lr": 0.01, "weight_decay": 0.05}, [({}, [T3]), ({"lr": 0.005}, [[1.25, -0.25]])]),
         sched("OneCycleLR", max_lr=[0.05, 0.02], total_steps=60, three_phase=True), [S(25), RELOAD, S(35)], QUAD2,
         "three-phase OneCycleLR over two groups with per-group max_lr, reloaded"),
        ("Adam+CyclicLR,cycle_betas",
         gopt("Adam", {"lr": 0.001, "amsgrad": True}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=4, mode="triangular2"), [S(40)], QUAD3,
         "CyclicLR cycling Adam's betas[0] (base_momentum 0.8, max_momentum 0.9)"),
        ("AdamW+CyclicLR,exp_range,2000_steps",
         gopt("AdamW", {"lr": 0.001}, one([T3, [0.0, 2.0]])),
         sched("CyclicLR", base_lr=0.0005, max_lr=0.005, step_size_up=100, mode="exp_range", gamma=0.999),
         [S(2000)], QUAD, "a long CyclicLR run cycling AdamW's betas[0]"),
        ("RMSprop,momentum=0.5+CyclicLR,cycle_momentum",
         gopt("RMSprop", {"lr": 0.01, "momentum": 0.5}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3), [S(20)], QUAD2,
         "CyclicLR cycling RMSprop's momentum"),
        ("Adam+CosineAnnealingLR", gopt("Adam", {"lr": 0.05}, one([T3, T37])),
         sched("CosineAnnealingLR", T_max=50, eta_min=0.001), [S(60)], QUAD, "cosine annealing"),
        ("Adam,amsgrad+ExponentialLR,reload", gopt("Adam", {"lr": 0.02, "amsgrad": True}, one()),
         sched("ExponentialLR", gamma=0.95), [S(15), RELOAD, S(15)], QUAD2, "exponential decay and a reload"),
        ("RMSprop,centered+StepLR", gopt("RMSprop", {"lr": 0.01, "centered": True}, one()),
         sched("StepLR", step_size=10, gamma=0.5), [S(40)], QUAD3, "step decay"),
        ("RMSprop+PolynomialLR", gopt("RMSprop", {"lr": 0.02, "momentum": 0.3}, one([T37])),
         sched("PolynomialLR", total_iters=30, power=2.0), [S(35)], QUAD, "polynomial decay to 0"),
        ("AdamW+SequentialLR[LinearLR+CosineAnnealingLR],reload",
         gopt("AdamW", {"lr": 0.01}, one()),
         sched("SequentialLR", schedulers=[sched("LinearLR", start_factor=0.1, total_iters=10),
                                           sched("CosineAnnealingLR", T_max=40)], milestones=[10]),
         [S(20), RELOAD, S(30)], QUAD2, "warmup then cosine, reloaded"),
        ("Adam+StepLR,set_lr", gopt("Adam", {"lr": 0.01}, [({}, [T3]), ({"lr": 0.02}, [[0.5]])]),
         sched("StepLR", step_size=5, gamma=0.5), [S(8), SETLR(1, 0.05), S(8)], QUAD, "a user lr change under StepLR"),
        ("RMSprop,momentum=0.9+OneCycleLR,cycle_momentum",
         gopt("RMSprop", {"lr": 0.01, "momentum": 0.9}, one([T3, T37])),
         sched("OneCycleLR", max_lr=0.02, total_steps=50, base_momentum=0.8, max_momentum=0.95), [S(25), RELOAD, S(25)],
         QUAD2, "OneCycleLR cycling RMSprop's momentum, reloaded mid-cycle"),
        ("AdamW,amsgrad,groups=3+CosineAnnealingWarmRestarts",
         gopt("AdamW", {"lr": 0.01, "amsgrad": True},
              [({}, [T3]), ({"lr": 0.005, "weight_decay": 0.1}, [[1.5, -0.5]]), ({"betas": [0.5, 0.9]}, [[-2.0], [0.3]])]),
         sched("CosineAnnealingWarmRestarts", T_0=7, T_mult=2, eta_min=0.0001), [S(30)], QUAD3,
         "warm restarts over three groups with their own weight decay and betas"),
        ("Adam+ChainedScheduler[ConstantLR+ExponentialLR]",
         gopt("Adam", {"lr": 0.02, "eps": 1e-6}, one()),
         sched("ChainedScheduler", schedulers=[sched("ConstantLR", factor=0.5, total_iters=4),
                                               sched("ExponentialLR", gamma=0.9)]),
         [S(10), RELOAD, S(10)], QUAD, "a chained schedule and a reload"),
        ("SGD+LambdaLR,optimizer_step,scheduler_step",
         gopt("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}, one()),
         sched("LambdaLR", lr_lambda="0.9 ** epoch"), [OS, OS, SS(), S(5), OS, SS(2)], QUAD3,
         "optimizer steps without scheduler steps and the reverse"),
    ]
    for rest, o, s, script, grad, what in cases:
        C.add(f, rest, f"Optimizer arithmetic (float32 params, quadratic gradient target {grad['target']}, "
                       f"scale {grad['scale']}): {what}.", o, s, script, gradient=grad)

    c = "Compound"
    compound = [
        ("[LinearLR+ExponentialLR],Adam,gradient",
         gopt("Adam", {"lr": 0.01}, one([T3, T37])),
         [sched("LinearLR", start_factor=0.2, total_iters=10), sched("ExponentialLR", gamma=0.97)],
         [S(15), RELOAD, S(15)], QUAD, "warmup and decay on Adam with real gradients, reloaded"),
        ("[StepLR+ExponentialLR],RMSprop,centered,groups=2,gradient",
         gopt("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}, [({}, [T3]), ({"lr": 0.005}, [[1.0, -1.0]])]),
         [sched("StepLR", step_size=4, gamma=0.5), sched("ExponentialLR", gamma=0.95)], [S(20)], QUAD2,
         "two chainable schedulers on a centered RMSprop over two groups"),
        ("[CyclicLR+ExponentialLR],SGD,momentum,gradient",
         gopt("SGD", {"lr": 0.01, "momentum": 0.9}, one()),
         [sched("CyclicLR", base_lr=0.01, max_lr=0.05, step_size_up=3), sched("ExponentialLR", gamma=0.98)],
         [S(20), RELOAD, S(10)], QUAD3, "CyclicLR cycling momentum beside ExponentialLR"),
        ("[OneCycleLR+ConstantLR],AdamW,gradient",
         gopt("AdamW", {"lr": 0.01, "amsgrad": True}, one([T3, [0.5, 1.5]])),
         [sched("OneCycleLR", max_lr=0.03, total_steps=40), sched("ConstantLR", factor=0.5, total_iters=8)],
         [S(40)], QUAD, "OneCycleLR cycling AdamW's betas[0] with ConstantLR"),
    ]
    for rest, o, scheds, script, grad, what in compound:
        C.add(c, rest, f"Several schedulers on one optimizer with real gradients (target {grad['target']}, "
                       f"scale {grad['scale']}): {what}.", o, scheds, script, gradient=grad)


def error_specs() -> None:
    f = "Errors"
    cases = [
        ("SGD,lr=-0.1", {"type": "SGD", "options": {"lr": -0.1}}, "negative lr"),
        ("SGD,momentum=-0.5", {"type": "SGD", "options": {"lr": 0.1, "momentum": -0.5}}, "negative momentum"),
        ("SGD,nesterov,momentum=0", {"type": "SGD", "options": {"lr": 0.1, "nesterov": True}}, "nesterov without momentum"),
        ("SGD,nesterov,dampening=0.5", {"type": "SGD", "options": {"lr": 0.1, "momentum": 0.9, "nesterov": True, "dampening": 0.5}},
         "nesterov with dampening"),
        ("SGD,weight_decay=-1", {"type": "SGD", "options": {"lr": 0.1, "weight_decay": -1}}, "negative weight_decay"),
        ("Adam,betas=[1.0;0.999]", {"type": "Adam", "options": {"lr": 0.001, "betas": [1.0, 0.999]}}, "beta1 = 1"),
        ("Adam,betas=[0.9;1.5]", {"type": "Adam", "options": {"lr": 0.001, "betas": [0.9, 1.5]}}, "beta2 > 1"),
        ("Adam,betas=[-0.1;0.999]", {"type": "Adam", "options": {"lr": 0.001, "betas": [-0.1, 0.999]}}, "negative beta1"),
        ("Adam,eps=-1e-8", {"type": "Adam", "options": {"lr": 0.001, "eps": -1e-8}}, "negative eps"),
        ("AdamW,lr=-1", {"type": "AdamW", "options": {"lr": -1}}, "negative int lr"),
        ("RMSprop,alpha=-0.5", {"type": "RMSprop", "options": {"lr": 0.01, "alpha": -0.5}}, "negative alpha"),
        ("RMSprop,momentum=-1", {"type": "RMSprop", "options": {"lr": 0.01, "momentum": -1}}, "negative momentum"),
        ("Adam,betas=[0;0.999]", {"type": "Adam", "options": {"lr": 0.001, "betas": [0, 0.999]}},
         "an int beta (betas must be floats, or tensors)"),
    ]
    for rest, o, what in cases:
        o = {**o, "param_groups": [{}]}
        C.add(f, rest, f"Optimizer construction error: {what} (recorded as the golden's error, trace []).",
              o, sched("StepLR", step_size=2), [S(2)], error=what)


# ------------------------------------------- the optimizers of issue 16

# Two-dimensional parameters (`tensor.tolist()` rows): 3 x 5 and 1 x 17.
M35 = [P(5, 11 + row) for row in range(3)]
M117 = [P(17, 21)]

# Per optimizer: a lr for the runs, then option variants (each one case) that
# together cover every option, and construction errors.
NEW_OPTIMIZERS = {
    "Adagrad": (0.1, [
        {"lr_decay": 0.01}, {"initial_accumulator_value": 0.5}, {"weight_decay": 0.05}, {"eps": 0.1},
        {"maximize": True, "weight_decay": 0.01}, {"lr_decay": 0.001, "initial_accumulator_value": 0.1, "eps": 1e-6},
    ], [("lr_decay=-0.1", {"lr_decay": -0.1}, "negative lr_decay"),
        ("initial_accumulator_value=-1", {"initial_accumulator_value": -1}, "negative initial_accumulator_value"),
        ("eps=-1e-10", {"eps": -1e-10}, "negative eps")]),
    "Adadelta": (1.0, [
        {"rho": 0.5}, {"rho": 0.99, "eps": 1e-4}, {"weight_decay": 0.01}, {"maximize": True},
        {"rho": 0.0}, {"rho": 1.0, "eps": 1e-3}, {"lr": 0.5, "eps": 1e-8, "weight_decay": 0.1},
    ], [("rho=1.5", {"rho": 1.5}, "rho above 1"), ("rho=-0.1", {"rho": -0.1}, "negative rho"),
        ("weight_decay=-1", {"weight_decay": -1}, "negative weight_decay")]),
    "Adamax": (0.01, [
        {"betas": [0.5, 0.9]}, {"betas": [0.0, 0.0]}, {"eps": 0.1}, {"weight_decay": 0.05},
        {"maximize": True}, {"betas": [0.95, 0.9999], "eps": 1e-10},
    ], [("betas=[1.0;0.999]", {"betas": [1.0, 0.999]}, "beta1 = 1"),
        ("betas=[0.9;-0.5]", {"betas": [0.9, -0.5]}, "negative beta2"), ("eps=-1", {"eps": -1}, "negative eps")]),
    "NAdam": (0.01, [
        {"momentum_decay": 0.05}, {"momentum_decay": 0.0}, {"weight_decay": 0.05},
        {"weight_decay": 0.05, "decoupled_weight_decay": True}, {"betas": [0.5, 0.9], "eps": 1e-6},
        {"maximize": True, "momentum_decay": 1.0}, {"betas": [0.0, 0.99]},
    ], [("momentum_decay=-0.1", {"momentum_decay": -0.1}, "negative momentum_decay"),
        ("betas=[0.9;1.0]", {"betas": [0.9, 1.0]}, "beta2 = 1"), ("lr=-0.01", {"lr": -0.01}, "negative lr")]),
    "RAdam": (0.01, [
        {"betas": [0.9, 0.9]}, {"weight_decay": 0.05}, {"weight_decay": 0.05, "decoupled_weight_decay": True},
        {"eps": 0.1}, {"maximize": True}, {"betas": [0.5, 0.999]}, {"betas": [0.0, 0.5]},
    ], [("betas=[-0.1;0.999]", {"betas": [-0.1, 0.999]}, "negative beta1"),
        ("weight_decay=-0.5", {"weight_decay": -0.5}, "negative weight_decay"), ("eps=-1e-8", {"eps": -1e-8}, "negative eps")]),
    "ASGD": (0.05, [
        {"t0": 10.0}, {"t0": 1.0, "alpha": 1.0}, {"lambd": 0.1}, {"alpha": 0.5, "lambd": 0.01},
        {"weight_decay": 0.05}, {"maximize": True, "t0": 5.0},
    ], [("lr=-0.1", {"lr": -0.1}, "negative lr"), ("weight_decay=-0.01", {"weight_decay": -0.01}, "negative weight_decay")]),
    "Rprop": (0.01, [
        {"etas": [0.3, 1.5]}, {"etas": [0.9, 1.1]}, {"step_sizes": [0.001, 0.05]}, {"step_sizes": [1e-6, 1]},
        {"maximize": True}, {"etas": [0.5, 2.0], "step_sizes": [0.005, 0.5]},
    ], [("etas=[1.5;2.0]", {"etas": [1.5, 2.0]}, "etaminus above 1"),
        ("etas=[0.5;0.9]", {"etas": [0.5, 0.9]}, "etaplus below 1"), ("lr=-1", {"lr": -1}, "negative lr")]),
    "Adafactor": (0.05, [
        {"beta2_decay": -0.5}, {"weight_decay": 0.05}, {"eps": [0.001, 0.01]}, {"d": 1.5}, {"maximize": True},
        {"eps": [None, 0.1], "beta2_decay": -1.0}, {"lr": 1.0}, {"beta2_decay": 0.0},
    ], [("lr=-0.01", {"lr": -0.01}, "negative lr"), ("beta2_decay=0.5", {"beta2_decay": 0.5}, "positive beta2_decay"),
        ("eps=[-1.0;0.001]", {"eps": [-1.0, 0.001]}, "negative epsilon1"),
        ("eps=[None;-0.001]", {"eps": [None, -0.001]}, "negative epsilon2"),
        ("d=0.5", {"d": 0.5}, "clipping threshold below 1"),
        ("weight_decay=-0.1", {"weight_decay": -0.1}, "negative weight_decay")]),
}

M89 = [P(9, 40 + row) for row in range(8)]
M337 = [P(7, 60 + row) for row in range(33)]
M171 = [[x] for x in P(17, 80)]
M64130 = [P(130, 100 + row) for row in range(64)]


def adafactor_specs() -> None:
    """Adafactor beyond the common cases: the factored path's reductions over
    shapes with and without lane tails (8 x 9, 33 x 7, 17 x 1, 64 x 130), the
    float32 scalar check at its clamps and `alpha=`, and cycling refused (no
    momentum, no betas)."""
    f = "Optimizer"
    cases = [
        ("Adafactor,2d,8x9_33x7_17x1", gopt("Adafactor", {"lr": 0.05}, [({}, [M89, M337, M171, P(130, 90)])]), None,
         [S(20), RELOAD, S(20)], QUAD2, "2-D shapes whose rows, columns and factors fill 8-lane vectors or not, reloaded"),
        ("Adafactor,2d,64x130,weight_decay", gopt("Adafactor", {"lr": 0.05, "weight_decay": 0.01}, [({}, [M64130])]),
         None, [S(6)], QUAD3, "a 64 x 130 parameter: multi-block rows and a 64-row factor mean"),
        ("Adafactor,2d,maximize,d=1.2+CosineAnnealingLR",
         gopt("Adafactor", {"lr": 0.1, "maximize": True, "d": 1.2}, [({}, [M89, M35])]),
         sched("CosineAnnealingLR", T_max=40), [S(40)], QUADMAX, "maximize and clipping on 2-D parameters, annealed"),
    ]
    for rest, o, sc, script, grad, what in cases:
        C.add(f, rest, f"Optimizer arithmetic (float32 params, quadratic gradient target {grad['target']}, "
                       f"scale {grad['scale']}): {what}.", o, sc, script, gradient=grad)
    big = 1e300
    overflow = [
        ("Overflow,Adafactor,eps=[1e300;0.001]", {"eps": [big, 0.001]}, [S(2)],
         "eps1 = 1e300: the vector's clamp at eps1 * eps1 = inf passes; the matrix's clamp_(min=eps1) raises after "
         "its factors were updated"),
        ("Overflow,Adafactor,eps=[1e20;0.001]", {"eps": [1e20, 0.001]}, [S(2)],
         "eps1 * eps1 = 1e40 out of range at clamp_, after the vector's variance was updated"),
        ("Overflow,Adafactor,eps=[None;1e300]", {"eps": [None, big]}, [S(2)],
         "alpha = eps2 * rho out of range at add_(alpha=), the state already updated"),
        ("Overflow,Adafactor,eps=[None;3e38]", {"eps": [None, 3e38]}, [S(3)],
         "alpha = 3e38 * rho in range"),
        ("Overflow,Adafactor,lr=1e300", {"lr": big}, [S(3)], "lr only enters through min(lr, 1 / sqrt(step)): no error"),
        ("Overflow,Adafactor,lr=1e300,weight_decay=0.01", {"lr": big, "weight_decay": 0.01}, [S(3)],
         "mul_(1 - lr * weight_decay) does not check: infinities and NaN, no error"),
    ]
    for rest, opts, script, what in overflow:
        C.add(f, rest, f"PyTorch's float32 scalar check (quadratic gradient): {what}.",
              gopt("Adafactor", opts, [({}, [T3, M35])]), None, script, gradient=QUAD)
    C.add(f, "Overflow,Adafactor,groups=2,eps=[1e20;0.001]_in_group_1",
          "PyTorch's float32 scalar check (quadratic gradient): the second group raises after the first stepped.",
          gopt("Adafactor", {"lr": 0.05}, [({}, [T3, M35]), ({"eps": [1e20, 0.001]}, [[0.25], M117])]), None, [S(2)],
          gradient=QUAD)
    for typ, s1 in (("CyclicLR", sched("CyclicLR", base_lr=0.01, max_lr=0.05, step_size_up=3)),
                    ("OneCycleLR", sched("OneCycleLR", max_lr=0.05, total_steps=20))):
        C.add("Errors", f"Adafactor+{typ},cycle_momentum",
              f"Scheduler construction error: {typ} cycles momentum by default, and Adafactor has neither momentum "
              "nor betas (recorded as the golden's error, trace []).",
              {"type": "Adafactor", "options": {"lr": 0.01}, "param_groups": [{}]}, s1, [S(2)],
              error="cycle_momentum without momentum or betas")


def new_optimizer_specs() -> None:
    """At least 15 gradient traces per optimizer added in issue 16 (every
    option, groups with their own options, schedulers, reloads, 2-D
    parameters, a 1,200-step run), plus its construction errors."""
    f = "Optimizer"
    for typ, (lr, variants, errors) in NEW_OPTIMIZERS.items():
        has_betas = any("betas" in v for v in variants)
        cases = [
            (f"{typ},defaults,1200_steps", gopt(typ, {}, [({}, [T3, [0.0]])]), None, [S(600), RELOAD, S(600)], QUAD2,
             "every default for 1200 steps, reloaded halfway"),
            (f"{typ},2d", gopt(typ, {"lr": lr}, [({}, [M35, M117])]), None, [S(30), RELOAD, S(10)], QUAD,
             "2-D parameters (3 x 5 and 1 x 17), reloaded"),
            (f"{typ},groups=3,per-group_options",
             gopt(typ, {"lr": lr}, [({}, [T3]), ({**variants[0], "lr": lr / 2}, [[1.5, -0.5], M35]),
                                    ({**variants[-1]}, [[-2.0], [0.3]])]),
             None, [S(25), RELOAD, S(25)], QUAD3, "three groups with their own options, reloaded"),
            (f"{typ}+StepLR,set_lr", gopt(typ, {"lr": lr}, [({}, [T3]), ({"lr": lr * 2}, [[0.5]])]),
             sched("StepLR", step_size=5, gamma=0.5), [S(8), SETLR(1, lr / 4), S(8)], QUAD, "StepLR and a user lr change"),
            (f"{typ}+CosineAnnealingLR", gopt(typ, {"lr": lr}, [({}, [T3, T37])]),
             sched("CosineAnnealingLR", T_max=30, eta_min=lr / 100), [S(40)], QUAD2, "cosine annealing"),
            (f"{typ}+OneCycleLR" + (",cycle_betas" if has_betas else ""),
             gopt(typ, {"lr": lr}, [({}, [T3, M117])]),
             sched("OneCycleLR", max_lr=lr * 2, total_steps=50, cycle_momentum=has_betas), [S(25), RELOAD, S(25)],
             QUAD3, "OneCycleLR" + (" cycling betas[0]" if has_betas else " without momentum") + ", reloaded mid-cycle"),
            (f"{typ}+ExponentialLR,37_elements", gopt(typ, {"lr": lr}, [({}, [T37])]),
             sched("ExponentialLR", gamma=0.95), [S(15), RELOAD, S(15)], QUADMAX if typ != "Rprop" else QUAD,
             "exponential decay over 37 elements and a reload"),
            (f"{typ}+LambdaLR,optimizer_step,scheduler_step", gopt(typ, {"lr": lr}, [({}, [T3])]),
             sched("LambdaLR", lr_lambda="0.9 ** epoch"), [OS, OS, SS(), S(5), OS, SS(2)], QUAD3,
             "optimizer steps without scheduler steps and the reverse"),
            (f"{typ},2d,groups=2+LinearLR",
             gopt(typ, {"lr": lr}, [({}, [M35]), ({**variants[1], "lr": lr / 2}, [M117, [[0.25], [-1.5]]])]),
             sched("LinearLR", start_factor=0.2, total_iters=20), [S(200)], QUAD2,
             "2-D parameters (including 2 x 1) in two groups with their own options, under a warmup"),
        ]
        for v in variants:
            label = ",".join(f"{k}={fmt(x)}" if not isinstance(x, bool) else k for k, x in v.items())
            grad = QUADMAX if v.get("maximize") else QUAD2
            cases.append((f"{typ},{label}", gopt(typ, {"lr": lr, **v}, [({}, [T3, T37])]), None, [S(60)], grad,
                          f"options {label}"))
        for rest, o, sc, script, grad, what in cases:
            C.add(f, rest, f"Optimizer arithmetic (float32 params, quadratic gradient target {grad['target']}, "
                           f"scale {grad['scale']}): {typ}, {what}.", o, sc, script, gradient=grad)
        for label, opts, what in errors:
            o = {"type": typ, "options": opts, "param_groups": [{}]}
            C.add("Errors", f"{typ},{label}", f"Optimizer construction error: {what} (recorded as the golden's error, trace []).",
                  o, sched("StepLR", step_size=2), [S(2)], error=what)


def limit_specs() -> None:
    """Integers PyTorch holds exactly that a double would round (past 2**53,
    up to 2**63 - 1), and `repeat` as the format's extension has it."""
    f = "Limits"
    big = 2 ** 63 - 1
    cases = [
        ("StepLR,epoch=2**63-1", optim("SGD"), sched("StepLR", step_size=2), [E(big)],
         "step(epoch) at the largest 64-bit int: last_epoch is recorded exactly"),
        ("StepLR,epoch=2**53+1", optim("SGD"), sched("StepLR", step_size=2, gamma=0.5), [E(2 ** 53 + 1), S(2)],
         "an odd epoch past 2**53 (a double would make it even), then chainable steps"),
        ("StepLR,epoch=2**62+3,step_size=3", optim("SGD"), sched("StepLR", step_size=3, gamma=0.5),
         [E(2 ** 62 + 3), S(4), SD], "int % and // past 2**53 decide when StepLR decays"),
        ("CosineAnnealingLR,epoch=2**60", optim("SGD"), sched("CosineAnnealingLR", T_max=7),
         [E(2 ** 60), S(3), E(2 ** 60 + 14), S(2)], "the restart test (last_epoch - 1 - T_max) % (2 T_max) on big ints"),
        ("ExponentialLR,epoch=2**63-2", optim("SGD"), sched("ExponentialLR", gamma=0.999999), [E(big - 1), S(1)],
         "step(epoch) just below 2**63 - 1, then one chainable step to it"),
        ("MultiStepLR,milestone=2**55+1", optim("SGD"), sched("MultiStepLR", milestones=[2 ** 55 + 1], gamma=0.5),
         [E(2 ** 55), S(1), S(1), SD], "a milestone past 2**53 reached exactly"),
        ("SGD,momentum=2**63-1", optim("SGD", momentum=big), sched("StepLR", step_size=2), [S(2), SD],
         "an int momentum of 2**63 - 1 (no gradients: the step leaves parameters alone) is recorded exactly"),
        ("ReduceLROnPlateau,metric,repeat=7", optim("SGD"), sched("ReduceLROnPlateau", patience=1),
         [M(1.0), M(2.0, repeat=7)], "repeat repeats a metric: seven steps with metric 2.0"),
        ("ReduceLROnPlateau,scheduler_step,metric,repeat=4", optim("SGD"), sched("ReduceLROnPlateau", patience=0),
         [SS(4, metric=3.0), M(1.0, repeat=0), SS(2, metric=5.0)],
         "scheduler_step with a repeated metric; a repeat of 0 yields no record"),
        ("StepLR,repeat=0", optim("SGD"), sched("StepLR", step_size=2), [S(0), S(3), SS(0), S(0)],
         "repeat 0 yields no record"),
        ("StepLR,optimizer_step,repeat=3", optim("SGD"), sched("StepLR", step_size=2),
         [{"op": "optimizer_step", "repeat": 3}, S(2)], "optimizer_step takes repeat too"),
        ("ConstantLR,total_iters=2**60", optim("SGD"), sched("ConstantLR", factor=0.5, total_iters=2 ** 60),
         [E(2 ** 60 + 5), S(3), E(2 ** 60), S(1)], "last_epoch == total_iters decided exactly past 2**53"),
        ("LinearLR,total_iters=2**61+1", optim("SGD+momentum"), sched("LinearLR", start_factor=0.5, total_iters=2 ** 61 + 1),
         [E(2 ** 61), S(3), SD], "float(last_epoch - 1) rounded once, and min(total_iters, last_epoch)"),
        ("PolynomialLR,total_iters=2**62+7", optim("SGD"), sched("PolynomialLR", total_iters=2 ** 62 + 7, power=2.0),
         [E(2 ** 62 - 1), S(3), E(2 ** 53 + 1), S(2)], "int / int correctly rounded (not float(a) / float(b))"),
        ("OneCycleLR,total_steps=2**62", optim("SGD+momentum"), sched("OneCycleLR", max_lr=0.5, total_steps=2 ** 62),
         [E(2 ** 62 - 1), S(1), SD, S(1)], "the last phase's int end_step, exactly, and stepping past total_steps"),
        ("CosineAnnealingWarmRestarts,epoch=2**60+5", optim("SGD"), sched("CosineAnnealingWarmRestarts", T_0=7),
         [E(2 ** 60 + 5), S(3), SD], "epoch % T_0 in ints"),
        ("CosineAnnealingWarmRestarts,T_mult=2,epoch=2**56+1", optim("SGD"),
         sched("CosineAnnealingWarmRestarts", T_0=7, T_mult=2), [E(2 ** 56 + 1), S(2), SD], "the restart count past 2**53"),
        ("CyclicLR,epoch=2**57+3", optim("SGD+momentum"), sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3),
         [E(2 ** 57 + 3), S(2)], "the cycle position at a big epoch"),
        ("SequentialLR,milestone=2**56+1", optim("SGD"),
         sched("SequentialLR", schedulers=[sched("ConstantLR", factor=0.5, total_iters=2), sched("ExponentialLR", gamma=0.9)],
               milestones=[2 ** 56 + 1]), [S(3)], "a milestone past 2**53"),
        ("ReduceLROnPlateau,epoch=2**63-3", optim("SGD"), sched("ReduceLROnPlateau", patience=0),
         [M(1.0, epoch=2 ** 63 - 3), M(2.0, repeat=2), SD], "an explicit epoch near 2**63, then counted steps"),
    ]
    for rest, o, s1, script, what in cases:
        C.add(f, rest, f"Limits: {what}.", o, s1, script)


def overflow_specs() -> None:
    """PyTorch's float32 check on the Python scalars an optimizer step hands
    to an op (`alpha=`, `value=`, a lerp weight): out of float32's range the
    step raises `RuntimeError: value cannot be converted to type float without
    overflow` and the trace ends; `mul_`, `add_` and `/` by a scalar do not
    check (infinities go on). Set directly, reached by a scheduler, or
    divided back by ConstantLR; on every optimizer and option."""
    f = "Optimizer"
    one = lambda ps=None: [({}, ps or [T3, [0.25]])]
    big = 1e300
    constant_back = sched("ConstantLR", factor=1e-300, total_iters=3)
    grow = sched("ExponentialLR", gamma=1e10)
    cases = [
        # SGD
        ("SGD,lr=1e300", gopt("SGD", {"lr": big}, one()), None, [S(2)], "alpha=-lr out of range at the first step"),
        ("SGD,set_lr=-1e300", gopt("SGD", {"lr": 0.1}, one()), None, [S(1), SETLR(0, -big), S(2)],
         "a negative lr out of range, set by the user (the constructor refuses one)"),
        ("SGD,lr=1e300,maximize", gopt("SGD", {"lr": big, "maximize": True}, one()), None, [S(2)], "maximize"),
        ("SGD,weight_decay=1e300", gopt("SGD", {"lr": 0.1, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay out of range"),
        ("SGD,momentum=1e300", gopt("SGD", {"lr": 0.1, "momentum": big}, one()), None, [S(3)],
         "buf.mul_(momentum) does not check: infinities and NaN, no error"),
        ("SGD,momentum=1e300,nesterov", gopt("SGD", {"lr": 0.1, "momentum": big, "nesterov": True}, one()), None,
         [S(2)], "Nesterov's alpha=momentum checks"),
        ("SGD,momentum=0.9,dampening=1e300", gopt("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": big}, one()), None,
         [S(3)], "alpha=1 - dampening checks from the second step (the first clones the gradient)"),
        ("SGD,momentum=0.9,lr=1e300", gopt("SGD", {"lr": big, "momentum": 0.9}, one()), None, [S(2)],
         "with momentum"),
        ("SGD,momentum=0.9+ConstantLR,factor=1e-300,set_lr",
         gopt("SGD", {"lr": 0.1, "momentum": 0.9}, one()), constant_back, [S(2), SETLR(0, 0.5), S(3)],
         "ConstantLR dividing a user's lr back by 1e-300"),
        ("SGD,nesterov+ExponentialLR,gamma=1e10",
         gopt("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, one()), grow, [S(8)],
         "lr grown past float32's range by a scheduler"),
        ("SGD,groups=2,lr=1e300_in_group_1",
         gopt("SGD", {"lr": 0.1, "momentum": 0.5}, [({}, [T3]), ({"lr": big}, [[0.25]])]), None, [S(2)],
         "the second group raises after the first stepped"),
        # Adam, AdamW
        ("Adam,lr=1e300", gopt("Adam", {"lr": big}, one()), None, [S(2)], "value=-step_size out of range"),
        ("Adam,maximize,set_lr=-1e300", gopt("Adam", {"lr": 0.01, "maximize": True}, one()), None,
         [S(1), SETLR(0, -big), S(2)], "a negative lr set by the user"),
        ("Adam,lr=1e38", gopt("Adam", {"lr": 1e38}, one()), None, [S(2)],
         "lr in range but step_size = lr / (1 - beta1) is not"),
        ("Adam,lr=3e37", gopt("Adam", {"lr": 3e37}, one()), None, [S(3)],
         "step_size = 3e38 at the first step, in range"),
        ("Adam,amsgrad,lr=1e300", gopt("Adam", {"lr": big, "amsgrad": True}, one()), None, [S(2)], "amsgrad"),
        ("Adam,weight_decay=1e300", gopt("Adam", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "Adam's alpha=weight_decay checks"),
        ("Adam,eps=1e300", gopt("Adam", {"lr": 0.01, "eps": big}, one()), None, [S(3)],
         "denom.add_(eps) does not check"),
        ("Adam+ConstantLR,factor=1e-300,set_lr", gopt("Adam", {"lr": 0.01}, one()), constant_back,
         [S(2), SETLR(0, 0.5), S(3)], "ConstantLR dividing back"),
        ("Adam,amsgrad,weight_decay=0.1+ExponentialLR,gamma=1e10",
         gopt("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}, one()), grow, [S(8)], "lr grown by a scheduler"),
        ("Adam+CyclicLR,max_momentum=1e300",
         gopt("Adam", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, base_momentum=0.8, max_momentum=big), [S(3)],
         "betas[0] cycled to 1e300: the lerp weight 1 - beta1 checks"),
        ("Adam+CyclicLR,max_momentum=1",
         gopt("Adam", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, base_momentum=0.8, max_momentum=1.0), [S(3)],
         "betas[0] cycled to 1: bias_correction1 is 0, a ZeroDivisionError after the moments"),
        ("Adam,amsgrad,beta2=1.5_in_group", gopt("Adam", {"lr": 0.01, "amsgrad": True},
         [({"betas": [0.9, 1.5]}, [T3, [0.25]])]), None, [S(2)],
         "a group's beta2 1.5 (not validated): bias_correction2 ** 0.5 is complex in Python, and addcdiv_ refuses "
         "the complex denominator (RuntimeError)"),
        ("AdamW,lr=1e300", gopt("AdamW", {"lr": big}, one()), None, [S(2)],
         "param.mul_(1 - lr * weight_decay) does not check, value=-step_size does"),
        ("AdamW,lr=1e38", gopt("AdamW", {"lr": 1e38}, one()), None, [S(2)], "step_size out of range"),
        ("AdamW,weight_decay=1e300", gopt("AdamW", {"lr": 0.01, "weight_decay": big}, one()), None, [S(3)],
         "AdamW's decay is a mul_: no check"),
        ("AdamW,amsgrad,eps=1e300", gopt("AdamW", {"lr": 0.01, "eps": big, "amsgrad": True}, one()), None, [S(3)],
         "eps: no check"),
        ("AdamW+ConstantLR,factor=1e-300,set_lr", gopt("AdamW", {"lr": 0.01}, one()), constant_back,
         [S(2), SETLR(0, 0.5), S(3)], "ConstantLR dividing back"),
        ("AdamW,groups=2+ExponentialLR,gamma=1e10",
         gopt("AdamW", {"lr": 0.01}, [({}, [T3]), ({"lr": 0.001, "weight_decay": 0.1}, [[0.25]])]), grow, [S(8)],
         "lr grown by a scheduler over two groups"),
        # RMSprop
        ("RMSprop,lr=1e300", gopt("RMSprop", {"lr": big}, one()), None, [S(2)], "value=-lr out of range"),
        ("RMSprop,set_lr=-1e300", gopt("RMSprop", {"lr": 0.01}, one()), None, [S(1), SETLR(0, -big), S(2)],
         "a negative lr set by the user"),
        ("RMSprop,alpha=1e300", gopt("RMSprop", {"lr": 0.01, "alpha": big}, one()), None, [S(2)],
         "mul_(alpha) does not check, value=1 - alpha does"),
        ("RMSprop,centered,alpha=1e300", gopt("RMSprop", {"lr": 0.01, "alpha": big, "centered": True}, one()), None,
         [S(2)], "centered"),
        ("RMSprop,weight_decay=1e300", gopt("RMSprop", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay"),
        ("RMSprop,eps=1e300", gopt("RMSprop", {"lr": 0.01, "eps": big}, one()), None, [S(3)], "add_(eps): no check"),
        ("RMSprop,momentum=1e300", gopt("RMSprop", {"lr": 0.01, "momentum": big}, one()), None, [S(3)],
         "buf.mul_(momentum): no check"),
        ("RMSprop,momentum=0.9,lr=1e300", gopt("RMSprop", {"lr": big, "momentum": 0.9}, one()), None, [S(2)],
         "alpha=-lr with momentum"),
        ("RMSprop,centered,momentum=0.5,set_lr=-1e300",
         gopt("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}, one()), None, [S(1), SETLR(0, -big), S(2)],
         "centered with momentum"),
        ("RMSprop,momentum=0.5+ConstantLR,factor=1e-300,set_lr", gopt("RMSprop", {"lr": 0.01, "momentum": 0.5}, one()),
         constant_back, [S(2), SETLR(0, 0.5), S(3)], "ConstantLR dividing back"),
        ("RMSprop,centered+ExponentialLR,gamma=1e10", gopt("RMSprop", {"lr": 0.01, "centered": True}, one()), grow,
         [S(8)], "lr grown by a scheduler"),
    ]
    # The seven newer optimizers: per optimizer the same lr cases, then each option that reaches an op.
    def lr_cases(typ: str, options: dict, what: dict) -> list:
        """lr=1e300, a user's negative lr, maximize, ConstantLR dividing back, ExponentialLR growing lr and
        two groups where the second raises (`what` says what each does on this optimizer)."""
        o = lambda **kw: gopt(typ, {**options, **kw}, one())
        return [
            (f"{typ},lr=1e300", o(lr=big), None, [S(2)], what["lr"]),
            (f"{typ},set_lr=-1e300", o(), None, [S(1), SETLR(0, -big), S(2)],
             "a negative lr out of range, set by the user (the constructor refuses one): " + what["neg"]),
            (f"{typ},lr=1e300,maximize", o(lr=big, maximize=True), None, [S(2)], "maximize: " + what["lr"]),
            (f"{typ}+ConstantLR,factor=1e-300,set_lr", o(), constant_back, [S(2), SETLR(0, 0.5), S(3)],
             "ConstantLR dividing a user's lr back by 1e-300: " + what["back"]),
            (f"{typ}+ExponentialLR,gamma=1e10", o(**({} if typ == "Rprop" else {"weight_decay": 0.01})), grow, [S(8)],
             "lr grown past float32's range by a scheduler: " + what["grow"]),
            (f"{typ},groups=2,{what['group2'][0]}_in_group_1",
             gopt(typ, options, [({}, [T3]), (what["group2"][1], [[0.25]])]), None, [S(2)],
             "the second group raises after the first stepped"),
        ]
    checks_lr = {"lr": "value=-clr out of range after the sum was written", "neg": "raises",
                 "back": "raises", "grow": "raises", "group2": ("lr=1e300", {"lr": big})}
    cases += lr_cases("Adagrad", {"lr": 0.1}, checks_lr) + [
        ("Adagrad,weight_decay=1e300", gopt("Adagrad", {"lr": 0.1, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay out of range, before any write"),
        ("Adagrad,eps=1e300", gopt("Adagrad", {"lr": 0.1, "eps": big}, one()), None, [S(3)],
         "std.add_(eps) does not check"),
        ("Adagrad,lr_decay=1e300", gopt("Adagrad", {"lr": 0.1, "lr_decay": big}, one()), None, [S(3)],
         "lr_decay is Python arithmetic: clr goes to 0, no error"),
        ("Adagrad,lr_decay=-1_in_group", gopt("Adagrad", {"lr": 0.1}, [({"lr_decay": -1.0}, [T3, [0.25]])]), None,
         [S(3)], "a group's lr_decay (not validated): 1 + (step - 1) * lr_decay is 0 at the second step, "
         "a ZeroDivisionError before the sum"),
        ("Adagrad,initial_accumulator_value=1e300", gopt("Adagrad", {"lr": 0.1, "initial_accumulator_value": big},
         one()), None, [S(2)], "torch.full_like checks: the constructor raises"),
    ]
    cases += lr_cases("Adadelta", {}, {**checks_lr, "lr": "alpha=-lr out of range after both averages were written"}) + [
        ("Adadelta,weight_decay=1e300", gopt("Adadelta", {"weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay out of range"),
        ("Adadelta,eps=1e300", gopt("Adadelta", {"eps": big}, one()), None, [S(3)], "add(eps) does not check"),
        ("Adadelta,rho=1e300_in_group", gopt("Adadelta", {"weight_decay": 0.1}, [({"rho": big}, [T3, [0.25]])]),
         None, [S(2)], "a group's rho (not validated): mul_(rho) does not check, value=1 - rho does"),
        ("Adadelta,rho=-1e30_in_group", gopt("Adadelta", {}, [({"rho": -1e30}, [T3, [0.25]])]),
         None, [S(3)], "rho -1e30: 1 - rho in range, no error"),
    ]
    cases += lr_cases("Adamax", {"lr": 0.01}, {**checks_lr, "lr": "value=-clr out of range after both moments"}) + [
        ("Adamax,lr=1e38", gopt("Adamax", {"lr": 1e38}, one()), None, [S(2)],
         "lr in range but clr = lr / (1 - beta1) is not"),
        ("Adamax,weight_decay=1e300", gopt("Adamax", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay"),
        ("Adamax,eps=1e300", gopt("Adamax", {"lr": 0.01, "eps": big}, one()), None, [S(3)], "add_(eps): no check"),
        ("Adamax,betas=1e300_in_group", gopt("Adamax", {"lr": 0.01}, [({"betas": [big, 0.999]}, [T3, [0.25]])]),
         None, [S(2)], "a group's beta1 (not validated): the lerp weight 1 - beta1 checks"),
        ("Adamax,beta2=1e300_in_group", gopt("Adamax", {"lr": 0.01}, [({"betas": [0.9, big]}, [T3, [0.25]])]),
         None, [S(3)], "exp_inf.mul_(beta2) does not check"),
        ("Adamax+CyclicLR,max_momentum=1", gopt("Adamax", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, base_momentum=0.8, max_momentum=1.0), [S(3)],
         "betas[0] cycled to 1: bias_correction is 0, a ZeroDivisionError after the moments"),
    ]
    cases += lr_cases("NAdam", {"lr": 0.01}, {**checks_lr, "lr": "the first addcdiv_'s value out of range"}) + [
        ("NAdam,momentum_decay=1000,lr=2e38", gopt("NAdam", {"lr": 2e38, "momentum_decay": 1000.0}, one()), None,
         [S(2)], "the first addcdiv_'s value in range, the second's not"),
        ("NAdam,weight_decay=1e300", gopt("NAdam", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay"),
        ("NAdam,decoupled_weight_decay,weight_decay=1e300",
         gopt("NAdam", {"lr": 0.01, "weight_decay": big, "decoupled_weight_decay": True}, one()), None, [S(3)],
         "the decoupled param.mul_ does not check"),
        ("NAdam,eps=1e300", gopt("NAdam", {"lr": 0.01, "eps": big}, one()), None, [S(3)], "add_(eps): no check"),
        ("NAdam,momentum_decay=1e300", gopt("NAdam", {"lr": 0.01, "momentum_decay": big}, one()), None, [S(3)],
         "0.96 ** (step * momentum_decay) underflows to 0: no error"),
        ("NAdam,momentum_decay=-1e300_in_group",
         gopt("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
              [({"momentum_decay": -big}, [T3, [0.25]])]), None, [S(2)],
         "a group's momentum_decay (not validated): 0.96 ** -1e300 is an OverflowError after the decoupled decay"),
        ("NAdam,betas=1e300_in_group", gopt("NAdam", {"lr": 0.01}, [({"betas": [big, 0.999]}, [T3, [0.25]])]),
         None, [S(2)], "beta1 1e300: mu_product *= mu, then the lerp weight checks"),
        ("NAdam,beta2=1e300_in_group", gopt("NAdam", {"lr": 0.01}, [({"betas": [0.9, big]}, [T3, [0.25]])]),
         None, [S(2)], "beta2 1e300: value=1 - beta2 checks"),
        ("NAdam,beta2=1e200_in_group", gopt("NAdam", {"lr": 0.01}, [({"betas": [0.9, 1e200]}, [T3, [0.25]])]),
         None, [S(2)], "beta2 1e200: value=1 - beta2 checks"),
        ("NAdam+CyclicLR,max_momentum=1e300", gopt("NAdam", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, base_momentum=0.8, max_momentum=big), [S(3)],
         "betas[0] cycled to 1e300"),
    ]
    radam_lr = {"lr": "lr only multiplies a tensor (no check): infinities and NaN", "neg": "no check",
                "back": "no check", "grow": "no check", "group2": ("weight_decay=1e300", {"weight_decay": big})}
    cases += lr_cases("RAdam", {"lr": 0.01}, radam_lr) + [
        ("RAdam,weight_decay=1e300", gopt("RAdam", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay"),
        ("RAdam,decoupled_weight_decay,weight_decay=1e300",
         gopt("RAdam", {"lr": 0.01, "weight_decay": big, "decoupled_weight_decay": True}, one()), None, [S(3)],
         "the decoupled param.mul_ does not check"),
        ("RAdam,eps=1e300", gopt("RAdam", {"lr": 0.01, "eps": big}, one()), None, [S(8)],
         "add_(eps): no check (rectified from the 6th step)"),
        ("RAdam,beta2=1_in_group",
         gopt("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
              [({"betas": [0.9, 1.0]}, [T3, [0.25]])]), None, [S(2)],
         "a group's beta2 1 (not validated): rho_inf's 2 / (1 - beta2) is a ZeroDivisionError after the moments"),
        ("RAdam,beta2=1.5_in_group", gopt("RAdam", {"lr": 0.01}, [({"betas": [0.9, 1.5]}, [T3, [0.25]])]),
         None, [S(6)], "beta2 1.5: rectified from the 5th step, where bias_correction2 ** 0.5 is complex in "
         "Python and param.add_ refuses the complex update (RuntimeError) after the moments"),
        ("RAdam,betas=1e300_in_group", gopt("RAdam", {"lr": 0.01}, [({"betas": [big, 0.999]}, [T3, [0.25]])]),
         None, [S(2)], "beta1 1e300: the lerp weight checks"),
        ("RAdam,beta1=1_in_group", gopt("RAdam", {"lr": 0.01}, [({"betas": [1.0, 0.999]}, [T3, [0.25]])]),
         None, [S(3)], "beta1 1: exp_avg / 0 is a tensor division, no error"),
        ("RAdam,beta2=1e300_in_group", gopt("RAdam", {"lr": 0.01}, [({"betas": [0.9, big]}, [T3, [0.25]])]),
         None, [S(2)], "beta2 1e300: value=1 - beta2 checks"),
        ("RAdam+CyclicLR,max_momentum=1e300", gopt("RAdam", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, base_momentum=0.8, max_momentum=big), [S(3)],
         "betas[0] cycled to 1e300"),
    ]
    asgd_lr = {"lr": "eta = as_tensor(lr) does not check: infinities, no error", "neg": "the new eta is complex in Python",
               "back": "no check", "grow": "no check", "group2": ("weight_decay=1e300", {"weight_decay": big})}
    cases += lr_cases("ASGD", {"lr": 0.01}, asgd_lr) + [
        ("ASGD,weight_decay=1e300", gopt("ASGD", {"lr": 0.01, "weight_decay": big}, one()), None, [S(2)],
         "alpha=weight_decay"),
        ("ASGD,lambd=1e300", gopt("ASGD", {"lr": 0.01, "lambd": big}, one()), None, [S(3)],
         "param.mul_(1 - lambd * eta) does not check"),
        ("ASGD,alpha=1e300", gopt("ASGD", {"lr": 0.01, "alpha": big}, one()), None, [S(3)],
         "(1 + lambd * lr * step) ** alpha: no overflow with this base"),
        ("ASGD,alpha=2,lr=1e300", gopt("ASGD", {"lr": big, "alpha": 2.0}, one()), None, [S(2)],
         "(1 + lambd * lr * step) ** alpha is an OverflowError after the parameter and ax were written"),
        ("ASGD,t0=1e300", gopt("ASGD", {"lr": 0.01, "t0": big}, one()), None, [S(3)], "1 / max(1, step - t0): no error"),
        ("ASGD,t0=-1e300", gopt("ASGD", {"lr": 0.01, "t0": -big}, one()), None, [S(3)],
         "mu = 1 / (step + 1e300) rounds to 0 in float32: no error"),
    ]
    rprop_lr = {"lr": "torch.full_like(grad, lr) checks when the state is made", "neg": "lr is read only for new state",
                "back": "no effect", "grow": "no effect", "group2": ("lr=1e300", {"lr": big})}
    cases += lr_cases("Rprop", {"lr": 0.01}, rprop_lr) + [
        ("Rprop,etaplus=1e300", gopt("Rprop", {"lr": 0.01, "etas": [0.5, big]}, one()), None, [S(2)],
         "sign[sign.gt(0)] = etaplus checks (the constructor accepts it)"),
        ("Rprop,etaminus=-1e300_in_group", gopt("Rprop", {"lr": 0.01}, [({"etas": [-big, 1.2]}, [T3, [0.25]])]),
         None, [S(2)], "a group's etaminus (not validated) checks"),
        ("Rprop,step_sizes=1e300", gopt("Rprop", {"lr": 0.01, "step_sizes": [1e-6, big]}, one()), None, [S(2)],
         "clamp_'s max checks, after mul_ wrote the step sizes"),
        ("Rprop,step_sizes=-1e300", gopt("Rprop", {"lr": 0.01, "step_sizes": [-big, 50]}, one()), None, [S(2)],
         "clamp_'s min checks"),
        ("Rprop,etaplus=1e30", gopt("Rprop", {"lr": 0.01, "etas": [0.5, 1e30]}, one()), None, [S(4)],
         "etaplus 1e30 converts; step sizes grow to the clamp's max"),
    ]
    for rest, o, s1, script, what in cases:
        C.add(f, "Overflow," + rest, f"PyTorch's float32 scalar check (quadratic gradient): {what}.", o, s1, script,
              gradient=QUAD)


def cycling_specs() -> None:
    """CyclicLR and OneCycleLR with cycle_momentum over every optimizer and
    real gradients: betas[0] where the optimizer's defaults have `betas`,
    `momentum` otherwise (also a default momentum of 0, which cycling turns on)."""
    f = "Optimizer"
    one = lambda ps=None: [({}, ps or [T3, [0.25, -2.0]])]
    cases = [
        ("SGD,momentum=0+OneCycleLR", gopt("SGD", {"lr": 0.05}, one()), sched("OneCycleLR", max_lr=0.1, total_steps=30),
         [S(15), RELOAD, S(15)], "SGD's default momentum 0 cycled from 0.95: momentum buffers from the first step"),
        ("SGD,nesterov+CyclicLR,base_momentum=0.5",
         gopt("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}, one()),
         sched("CyclicLR", base_lr=0.01, max_lr=0.05, step_size_up=3, base_momentum=0.5, max_momentum=0.9), [S(20)],
         "Nesterov momentum cycled"),
        ("RMSprop,momentum=0+CyclicLR", gopt("RMSprop", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=4), [S(10), RELOAD, S(10)],
         "RMSprop's default momentum 0 cycled from 0.9"),
        ("RMSprop,centered+OneCycleLR,three_phase", gopt("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}, one()),
         sched("OneCycleLR", max_lr=0.02, total_steps=24, three_phase=True), [S(24)], "three phases over a centered RMSprop"),
        ("Adam+OneCycleLR,groups=2,per-group_momentum",
         gopt("Adam", {"lr": 0.01}, [({}, [T3]), ({"betas": [0.5, 0.9], "lr": 0.005}, [[1.5, -0.5]])]),
         sched("OneCycleLR", max_lr=[0.02, 0.01], total_steps=30, base_momentum=[0.8, 0.6], max_momentum=[0.9, 0.7]),
         [S(10), RELOAD, S(20)], "per-group betas[0] bounds, beta2 kept per group"),
        ("AdamW,amsgrad+CyclicLR,cycle_momentum=False", gopt("AdamW", {"lr": 0.01, "amsgrad": True}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3, cycle_momentum=False), [S(15)],
         "without cycle_momentum betas stay"),
        ("AdamW+CyclicLR,triangular2,reload", gopt("AdamW", {"lr": 0.01, "weight_decay": 0.05}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, mode="triangular2", base_momentum=0.7,
               max_momentum=0.95), [S(9), RELOAD, S(9)], "AdamW's betas[0] cycled between 0.7 and 0.95, reloaded"),
        ("Adamax+CyclicLR,reload", gopt("Adamax", {"lr": 0.01}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3, base_momentum=0.7, max_momentum=0.9),
         [S(8), RELOAD, S(8)], "Adamax's betas[0] cycled, reloaded"),
        ("NAdam,decoupled_weight_decay+CyclicLR,exp_range",
         gopt("NAdam", {"lr": 0.01, "weight_decay": 0.01, "decoupled_weight_decay": True}, one()),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2, mode="exp_range", gamma=0.9), [S(15)],
         "NAdam's betas[0] cycled (mu reads it every step)"),
        ("RAdam,groups=2+CyclicLR,triangular2",
         gopt("RAdam", {"lr": 0.01}, [({}, [T3]), ({"betas": [0.5, 0.99]}, [[1.5, -0.5]])]),
         sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3, mode="triangular2", base_momentum=0.6,
               max_momentum=0.95), [S(10), RELOAD, S(10)], "RAdam's betas[0] cycled per group, beta2 kept"),
    ]
    # Optimizers whose defaults have neither momentum nor betas: cycle_momentum (the default) is
    # PyTorch's ValueError at the scheduler's construction; without it the schedulers run.
    for typ in ("Adagrad", "Adadelta", "ASGD", "Rprop"):
        cases += [
            (f"{typ}+CyclicLR,cycle_momentum", gopt(typ, {"lr": 0.01}, one()),
             sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=2), [S(3)],
             "no momentum or betas to cycle: ValueError"),
            (f"{typ}+OneCycleLR,cycle_momentum", gopt(typ, {"lr": 0.01}, one()),
             sched("OneCycleLR", max_lr=0.05, total_steps=10), [S(3)], "no momentum or betas to cycle: ValueError"),
            (f"{typ}+CyclicLR,cycle_momentum=False", gopt(typ, {"lr": 0.01}, one()),
             sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3, cycle_momentum=False),
             [S(8), RELOAD, S(4)], "without cycle_momentum"),
        ]
    for rest, o, s1, script, what in cases:
        C.add(f, "Cycling," + rest, f"Momentum cycling with real gradients (quadratic): {what}.", o, s1, script,
              gradient=QUAD)


def int_lr_specs() -> None:
    """An `lr` or `gamma` given as a Python int stays an int in PyTorch's
    records (`param_groups[i]["lr"]`, `last_lr`, `base_lrs`, `gamma`) until
    float arithmetic touches it: int * int is an int, `1.0 / factor` is not."""
    f = "Optimizer"
    one = lambda: [({}, [T3])]
    cases = [
        ("SGD,lr=1+StepLR,gamma=1", gopt("SGD", {"lr": 1}, one()), sched("StepLR", step_size=2, gamma=1), [S(4), SD],
         "int * int: lr stays the int 1"),
        ("SGD,lr=1+StepLR,gamma=0.5", gopt("SGD", {"lr": 1}, one()), sched("StepLR", step_size=2, gamma=0.5), [S(4), SD],
         "an int until the first decay"),
        ("SGD,lr=2+MultiStepLR,gamma=3,reload", gopt("SGD", {"lr": 2, "momentum": 0.5}, one()),
         sched("MultiStepLR", milestones=[2], gamma=3), [S(4), SD, RELOAD, S(2)], "an int lr tripled by an int gamma"),
        ("Adam,lr=1+ExponentialLR,gamma=1", gopt("Adam", {"lr": 1}, one()), sched("ExponentialLR", gamma=1), [S(3), SD],
         "Adam with an int lr and gamma"),
        ("RMSprop,lr=1,reload", gopt("RMSprop", {"lr": 1}, one()), None, [S(2), RELOAD, S(1)], "no scheduler"),
        ("SGD+StepLR,gamma=2,set_lr=3", gopt("SGD", {"lr": 0.5}, one()), sched("StepLR", step_size=2, gamma=2),
         [S(1), SETLR(0, 3), S(3)], "a user's int lr, doubled by an int gamma"),
        ("SGD,lr=1,groups=2+StepLR,gamma=1", gopt("SGD", {"lr": 1}, [({}, [T3]), ({"lr": 2}, [[0.5]])]),
         sched("StepLR", step_size=1, gamma=1), [S(2)], "int lrs in two groups"),
        ("SGD,lr=1+ConstantLR,factor=1", gopt("SGD", {"lr": 1}, one()), sched("ConstantLR", factor=1, total_iters=2),
         [S(3)], "lr * factor stays an int, lr * (1.0 / factor) does not"),
        ("SGD,lr=1+MultiplicativeLR,int", gopt("SGD", {"lr": 1}, one()), sched("MultiplicativeLR", lr_lambda="2"), [S(3)],
         "an int lambda doubling an int lr"),
        ("SGD,lr=1+LambdaLR,int", gopt("SGD", {"lr": 1}, one()), sched("LambdaLR", lr_lambda="2"), [S(3)],
         "base_lr * an int lambda"),
    ]
    # The seven newer optimizers: the int lr in their groups (and Rprop's step sizes, ASGD's eta).
    for typ in ("Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"):
        cases += [
            (f"{typ},lr=1+StepLR,gamma=1,reload", gopt(typ, {"lr": 1}, one()), sched("StepLR", step_size=2, gamma=1),
             [S(3), SD, RELOAD, S(2)], "int * int: lr stays the int 1 through a reload"),
            (f"{typ},lr=2,groups=2+ConstantLR,factor=1", gopt(typ, {"lr": 2}, [({}, [T3]), ({"lr": 1}, [[0.5]])]),
             sched("ConstantLR", factor=1, total_iters=2), [S(3)], "ints in two groups until 1.0 / factor"),
            (f"{typ}+MultiStepLR,gamma=2,set_lr=1", gopt(typ, {"lr": 0.5}, one()),
             sched("MultiStepLR", milestones=[2], gamma=2), [S(1), SETLR(0, 1), S(3)],
             "a user's int lr, doubled by an int gamma"),
        ]
    for rest, o, s1, script, what in cases:
        C.add(f, "IntLR," + rest, f"Python ints in lr and gamma (quadratic gradient): {what}.", o, s1, script,
              gradient=QUAD)


# ------------------------------------------------------------ coverage table

def walk_scheds(s):
    if s is None:
        return
    if isinstance(s, list):
        for x in s:
            yield from walk_scheds(x)
        return
    yield s
    for c in s.get("args", {}).get("schedulers", []) or []:
        yield from walk_scheds(c)


def op_labels(op: dict) -> set:
    name = op["op"]
    out = {name}
    if "repeat" in op:
        out.add(f"{name}+repeat")
    if "epoch" in op:
        e = op["epoch"]
        out.add("epoch:float" if isinstance(e, float) else "epoch:int")
        if e < 0:
            out.add("epoch:negative")
    if "metric" in op or "metrics" in op:
        out.add("metric")
        vals = op.get("metrics", [op.get("metric")])
        if any(isinstance(v, float) and not math.isfinite(v) for v in vals):
            out.add("metric:non-finite")
    if "scheduler" in op:
        out.add("scheduler=k")
    return out


OP_ORDER = ["step", "step+repeat", "epoch:int", "epoch:float", "epoch:negative", "metric", "metric:non-finite",
            "optimizer_step", "scheduler_step", "scheduler_step+repeat", "set_lr", "state_dict", "reload", "rebuild",
            "scheduler=k"]


def coverage(entries) -> tuple[list, dict]:
    warnings.simplefilter("ignore")
    import torch  # noqa: F401  (signatures only)
    from torch.optim import lr_scheduler
    from torch.optim.swa_utils import SWALR
    classes = {t: (SWALR if t == "SWALR" else getattr(lr_scheduler, t)) for t in TYPES}
    rows = []
    problems = []
    per_folder = {}
    for folder, _, spec, meta in entries:
        per_folder.setdefault(folder, []).append((spec, meta))
    for t in TYPES:
        params = inspect.signature(classes[t]).parameters
        sig = [p for p in params if p != "optimizer"]
        used_args, modes, ops, optims, groups = set(), {}, set(), set(), set()
        anywhere = 0
        for folder, _, spec, meta in entries:
            found = [s for s in walk_scheds(spec.get("scheduler")) if s["type"] == t]
            if not found:
                continue
            anywhere += 1
            for s in found:
                args = s.get("args", {})
                used_args |= set(args)
                for k in MODE_ARGS:
                    if k in args:
                        modes.setdefault(k, set()).add(fmt(args[k]))
                    elif k in params:  # the default is exercised too
                        modes.setdefault(k, set()).add(fmt(params[k].default))
            optims.add(spec["optimizer"]["type"])
            groups.add(len(spec["optimizer"].get("param_groups", [{}])))
            for op in spec["script"]:
                ops |= op_labels(op)
        own = per_folder.get(t, [])
        errors = sum(1 for _, m in own if m["error"])
        missing = [a for a in sig if a not in used_args]
        if missing:
            problems.append(f"{t}: constructor arguments never used: {missing}")
        if len(own) < MIN_PER_TYPE:
            problems.append(f"{t}: only {len(own)} specs (< {MIN_PER_TYPE})")
        rows.append({
            "type": t, "specs": len(own), "anywhere": anywhere, "errors": errors,
            "args": [a for a in sig if a in used_args], "n_args": len(sig),
            "modes": {k: sorted(v) for k, v in sorted(modes.items())},
            "ops": [o for o in OP_ORDER if o in ops],
            "optimizers": sorted(optims), "groups": sorted(groups),
        })
    counts = {f: len(per_folder.get(f, [])) for f in TYPES + EXTRA_FOLDERS}
    long_runs = []
    for folder, slug, spec, _ in entries:
        steps = sum(op.get("repeat", 1) if op["op"] in ("step", "scheduler_step") else 0 for op in spec["script"])
        if steps >= 10000:
            long_runs.append((f"{folder}/{slug}.json", steps))
    if len(long_runs) < 3:
        problems.append(f"only {len(long_runs)} runs of 10,000+ steps (< 3)")
    if len(entries) < MIN_TOTAL:
        problems.append(f"only {len(entries)} specs in total (< {MIN_TOTAL})")
    return rows, {"counts": counts, "problems": problems, "long_runs": long_runs}


def coverage_markdown(rows, info, total: int) -> str:
    lines = [
        f"Total: **{total} specs**. Per folder: "
        + ", ".join(f"`{f}/` {n}" for f, n in info["counts"].items()) + ".",
        "",
        "| type | specs (folder / anywhere) | error cases | constructor args used | modes | optimizers | groups | ops |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        modes = "; ".join(f"{k}: {', '.join(v)}" for k, v in r["modes"].items()) or "—"
        lines.append(
            f"| {r['type']} | {r['specs']} / {r['anywhere']} | {r['errors']} | "
            f"{len(r['args'])}/{r['n_args']}: {', '.join(r['args'])} | {modes} | {', '.join(r['optimizers'])} | "
            f"{', '.join(map(str, r['groups']))} | {', '.join(r['ops'])} |")
    lines.append("")
    lines.append("Long runs (10,000+ steps, written with `repeat`): "
                 + ", ".join(f"`{p}` ({n:,})" for p, n in info["long_runs"]) + ".")
    lines.append("")
    lines.append("Op labels: `epoch:int`/`epoch:float`/`epoch:negative` are explicit-epoch steps, `metric` is "
                 "`metric`/`metrics`, `metric:non-finite` uses NaN or ±Infinity, `scheduler=k` steps only the "
                 "k-th scheduler of an array. \"anywhere\" counts specs using the type at any depth (children of "
                 "SequentialLR/ChainedScheduler, scheduler arrays). \"modes\" lists every value used, including "
                 "the default when the argument is absent and the invalid values of error cases. \"error cases\" "
                 "counts the folder's specs designed to make PyTorch raise (at construction or during the script).")
    return "\n".join(lines)


README_HEAD = """# Golden traces

Every file here is a **golden**: a spec from `Fixtures/specs/` (same relative
path) plus what PyTorch did with it — `source`, `trace`, and `error` when
construction raised. The format is `anneal-trace/1` (see the project's
trace-format document, `golden-format.md`). The files are generated; never edit
them by hand.

## How they are made

```sh
python Scripts/make_specs.py   # writes Fixtures/specs/** and this README (coverage table below)
python Scripts/goldens.py      # runs every spec through PyTorch, writes Golden/**
```

`make goldens` runs both in a virtual environment with the pinned reference
from `Scripts/requirements.txt` (`torch==2.13.0+cpu`). `goldens.py` refuses any
other PyTorch version, passes `foreach=False` to every optimizer, suppresses
warnings, and is deterministic: running it twice gives byte-identical files
(`json.dump(..., indent=1, allow_nan=True)` plus a trailing newline; non-finite
numbers are written as `NaN`/`Infinity`/`-Infinity`). It also accepts single
spec files (`python Scripts/goldens.py Fixtures/specs/StepLR/step_size=3,default_gamma.json`) and
`--specs DIR --out DIR`. A malformed spec (unknown op, type, argument or key, a
mistyped value, an expression outside the grammar) stops it with exit status 2
and the file name; an exception PyTorch raises on a valid spec is recorded.
Goldens whose spec no longer exists are reported, not deleted.

## Other libraries' schedules

`transformers/` (from `Scripts/make_specs_transformers.py`) and `timm/` (from
`Scripts/make_specs_timm.py`) hold goldens of Hugging Face transformers 5.23.0's
`get_scheduler` (all 12 names) and of timm 1.0.31's seven scheduler classes,
recorded by the same `goldens.py` over the same PyTorch with those packages
installed beside it (`source` names their versions). The coverage table below
counts only the `torch.optim.lr_scheduler` corpus; each of those scripts
prints its own counts.

## Document goldens

`Documents/` holds goldens transcribed from the seed tutorials by
`Scripts/document_goldens.py` (`source.kind = "document"`, an `abs` tolerance of
the printed precision). `Documents/README.md` lists them and every place where a
document's printed value is not what PyTorch produces (the golden then keeps
PyTorch's value).

## Optimizer goldens

Specs with a `gradient` (most of `Optimizer/`, a few in `Compound/` and one in
`StepLR/`) check the optimizers' float32 arithmetic: SGD, Adam, AdamW and
RMSprop with every option (momentum, dampening, nesterov, weight decay,
maximize; betas, eps, amsgrad; alpha, centered), one to three groups with
per-group options, runs of 2,000 steps and more, schedulers that cycle SGD's
and RMSprop's `momentum` or Adam's `betas[0]` (`CyclicLR`, `OneCycleLR`), and
`reload` mid-run (the optimizer state, tensors included, saved and loaded
into a fresh optimizer over the same parameters). Every record holds
`params`: each tensor's float32 values after the op. Tensors of one to three
elements run through ATen's scalar loop; the 37-element ones also through
its vectorized loop. Their `description` names the gradient's target and
scale; some are not float32 values, so the rounding of Python scalars to
float32 is exercised too.

PyTorch's float32 `sqrt` on CPU (Adam's and RMSprop's denominators) is
Intel MKL's `vsSqrt`, which is not correctly rounded and whose code path
depends on the CPU (on the machine that recorded these goldens, an AMD EPYC,
MKL's generic SSE kernel built on `rsqrtps`). The goldens are what that
machine's PyTorch computes; Anneal reproduces that computation everywhere.

## Tolerance

PyTorch goldens are compared at **0 ULP**: every number must be bit-identical
(NaN equals NaN, +0 equals -0). No spec in this corpus sets `tolerance`. Error
records match on the exception type; the message is reported, not compared.

## Interpretation notes

- Parameters are float32; the quadratic gradient is `(p - T) * S` with `T` and
  `S` rounded to float32 first (PyTorch converts the Python scalars to the
  tensor's dtype), each op rounded to float32.
- `repeat` and `metrics` are accepted on `step` and `scheduler_step`; they are
  mutually exclusive on one op. `"scheduler": k` is only valid with a scheduler
  array and only on `step`/`scheduler_step`.
- A spec with a missing required constructor argument is malformed (the
  generator refuses it) rather than a recorded `TypeError`.
- `str(KeyError(...))` is Python's repr of the message, quotes included; that
  is what `message` holds for KeyErrors.

## Coverage

Generated by `Scripts/make_specs.py` from the specs themselves.

"""


# --------------------------------------------------------------------- main

def build_corpus() -> Corpus:
    lambda_specs()
    multiplicative_specs()
    step_specs()
    multistep_specs()
    constant_specs()
    linear_specs()
    exponential_specs()
    sequential_specs()
    polynomial_specs()
    cosine_specs()
    chained_specs()
    plateau_specs()
    cyclic_specs()
    warm_restarts_specs()
    one_cycle_specs()
    swalr_specs()
    compound_specs()
    optimizer_specs()
    gradient_specs()
    error_specs()
    new_optimizer_specs()
    adafactor_specs()
    limit_specs()
    overflow_specs()
    cycling_specs()
    int_lr_specs()
    return C


def dumps(spec: dict) -> str:
    return json.dumps(spec, indent=1, allow_nan=True) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Write the spec corpus and its coverage table.")
    ap.add_argument("--out", default="Fixtures/specs", help="spec corpus root (default: %(default)s)")
    ap.add_argument("--readme", default="Golden/README.md", help="README to write the coverage table into (default: %(default)s)")
    args = ap.parse_args(argv)

    corpus = build_corpus()
    rows, info = coverage(corpus.entries)
    if info["problems"]:
        for p in info["problems"]:
            print(f"make_specs.py: coverage target missed: {p}", file=sys.stderr)
        return 1

    wanted = set()
    written = 0
    for folder, slug, spec, _ in corpus.entries:
        path = os.path.join(args.out, folder, slug + ".json")
        wanted.add(os.path.normpath(path))
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
    for folder in TYPES + EXTRA_FOLDERS:
        d = os.path.join(args.out, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.normpath(os.path.join(d, name))
            if name.endswith(".json") and p not in wanted:
                os.remove(p)
                removed += 1

    table = coverage_markdown(rows, info, len(corpus.entries))
    if args.readme:
        os.makedirs(os.path.dirname(args.readme) or ".", exist_ok=True)
        with open(args.readme, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(README_HEAD + table + "\n")
    print(f"make_specs: {len(corpus.entries)} specs -> {args.out} ({written} written, {removed} stale removed); "
          + ", ".join(f"{f} {n}" for f, n in info["counts"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
