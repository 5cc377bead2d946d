#!/usr/bin/env python3
"""Write the timm spec corpus (format anneal-trace/1, the "timm schedulers" extension).

    python Scripts/make_specs_timm.py [--out Fixtures/specs/timm]

One folder per class (``<out>/<Class>/<slug>.json``) for timm 1.0.31's
CosineLRScheduler, TanhLRScheduler, StepLRScheduler, MultiStepLRScheduler,
PlateauLRScheduler, PolyLRScheduler and WSDLRScheduler. The cases cover every
constructor argument, warmup edge cases (warmup_t 0/1/long, warmup_prefix,
warmup_lr_init), cycles (cycle_mul, cycle_decay, cycle_limit), k_decay,
t_in_epochs true and false with ``step`` (epoch) and ``step_update``
(num_updates), noise (noise_range_t as a number and as a range, noise_pct,
noise_std, several noise_seed values, and the plateau's uniform noise_type),
reloads and state dicts mid-run, several param groups,
plateau metrics in both modes, runs of 10,000+ updates, and constructor
errors (unknown keywords are the generator's spec errors, so Swift unit tests
cover them). The script is deterministic; files in the class folders that it did
not write are removed. It checks its own targets: at least 15 specs per class
and every keyword argument of every class (read from timm's signatures when
timm is importable) used at least once.

Goldens: ``/work/venv-fam/bin/python Scripts/goldens.py`` (all specs) or with
the paths of these specs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

FORMAT = "anneal-trace/1"
MIN_PER_CLASS = 15
CLASSES = [
    "CosineLRScheduler", "TanhLRScheduler", "StepLRScheduler", "MultiStepLRScheduler",
    "PlateauLRScheduler", "PolyLRScheduler", "WSDLRScheduler",
]
MODULES = {
    "CosineLRScheduler": "cosine_lr", "TanhLRScheduler": "tanh_lr", "StepLRScheduler": "step_lr",
    "MultiStepLRScheduler": "multistep_lr", "PlateauLRScheduler": "plateau_lr",
    "PolyLRScheduler": "poly_lr", "WSDLRScheduler": "wsd_lr",
}

# ------------------------------------------------------------------ helpers

def sgd(*lrs, momentum=0.9, extra=None):
    groups = [{} if i == 0 else {"lr": lr} for i, lr in enumerate(lrs)]
    for i, e in (extra or {}).items():
        groups[i].update(e)
    return {"type": "SGD", "options": {"lr": lrs[0], "momentum": momentum}, "param_groups": groups}


def adamw(lr=1e-3):
    return {"type": "AdamW", "options": {"lr": lr}, "param_groups": [{}]}


def epochs(start, stop, metric=None):
    ops = []
    for e in range(start, stop):
        op = {"op": "step", "epoch": e}
        if metric is not None:
            op["metric"] = metric(e) if callable(metric) else metric
        ops.append(op)
    return ops


def updates(start, stop):
    return [{"op": "step_update", "num_updates": n} for n in range(start, stop)]


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ";".join(fmt(x) for x in v) + "]"
    if v is None:
        return "None"
    return repr(v) if isinstance(v, float) else str(v)


def slug_of(args: dict, tag: str) -> str:
    parts = [f"{k}={fmt(v)}" for k, v in args.items()]
    text = ",".join(parts) if parts else "defaults"
    if tag:
        text = tag + ":" + text if text else tag
    return text.replace("/", "_").replace(" ", "_")[:150]


SPECS: dict[str, list[dict]] = {c: [] for c in CLASSES}


def case(cls, args, script, *, optimizer=None, tag="", description="", gradient=False):
    slug = slug_of(args, tag)
    spec = {
        "format": FORMAT,
        "name": f"timm/{cls}/{slug}",
        "description": description or f"timm {cls}({', '.join(f'{k}={fmt(v)}' for k, v in args.items())}){': ' + tag if tag else ''}.",
        "optimizer": optimizer or sgd(0.1),
        "scheduler": {"type": "timm." + cls, "args": args},
        "script": script,
    }
    if gradient:
        spec["gradient"] = {"kind": "quadratic", "target": 1.0, "scale": 0.5}
    SPECS[cls].append((slug, spec))


def reload_mid(ops, at):
    """`ops` with a state_dict record and a reload after the first `at`."""
    return ops[:at] + [{"op": "state_dict"}, {"op": "reload"}, {"op": "state_dict"}] + ops[at:]


# ------------------------------------------------------------- the families

def cycle_family(cls, extra_args: dict):
    """The cases Cosine, Tanh and Poly share (t_initial, cycles, warmup, noise)."""
    e = dict(extra_args)
    case(cls, {"t_initial": 10, **e}, epochs(0, 15))
    case(cls, {"t_initial": 10, "lr_min": 1e-4, **e}, epochs(0, 13), optimizer=sgd(0.1, 0.05, 0.3))
    case(cls, {"t_initial": 10, "warmup_t": 3, "warmup_lr_init": 1e-3, **e}, epochs(0, 14))
    case(cls, {"t_initial": 10, "warmup_t": 3, "warmup_lr_init": 1e-3, "warmup_prefix": True, **e}, epochs(0, 16))
    case(cls, {"t_initial": 10, "warmup_t": 1, **e}, epochs(0, 12), tag="warmup_t=1")
    case(cls, {"t_initial": 5, "warmup_t": 20, "warmup_lr_init": 0.0, "warmup_prefix": True, **e}, epochs(0, 30),
         tag="warmup longer than the cycle")
    case(cls, {"t_initial": 8, "cycle_limit": 3, "cycle_decay": 0.5, **e}, epochs(0, 30))
    case(cls, {"t_initial": 4, "cycle_mul": 2.0, "cycle_limit": 4, **e}, epochs(0, 64))
    case(cls, {"t_initial": 4, "cycle_mul": 2, "cycle_limit": 3, "cycle_decay": 0.8, "lr_min": 0.001, **e},
         epochs(0, 32), tag="int cycle_mul")
    case(cls, {"t_initial": 7, "cycle_mul": 1.5, "cycle_decay": 0.9, "cycle_limit": 5, "warmup_t": 2,
               "warmup_prefix": True, **e}, epochs(0, 60))
    case(cls, {"t_initial": 10, "t_in_epochs": False, "warmup_t": 4, "warmup_lr_init": 1e-5, **e},
         updates(0, 25) + epochs(0, 3), tag="per update")
    case(cls, {"t_initial": 10, "noise_range_t": 3, "noise_seed": 7, **e}, epochs(0, 14))
    case(cls, {"t_initial": 12, "noise_range_t": [2, 8], "noise_pct": 0.2, "noise_std": 0.5, **e}, epochs(0, 12))
    case(cls, {"t_initial": 12, "noise_range_t": [0, 12], "noise_pct": 0.05, "noise_std": 2.0, "noise_seed": 1234,
               **e}, epochs(0, 12), tag="many redraws")
    case(cls, {"t_initial": 20, "noise_range_t": 0, "noise_seed": 0, "t_in_epochs": False, **e},
         updates(0, 20), tag="noise per update")
    case(cls, {"t_initial": 10, "cycle_limit": 2, "warmup_t": 2, "noise_range_t": 4, **e},
         reload_mid(epochs(0, 20), 9), tag="reload")
    case(cls, {"t_initial": 6, "initialize": False, **e},
         [{"op": "state_dict"}] + epochs(0, 4), optimizer=sgd(0.1), tag="error:no initial_lr")
    case(cls, {"t_initial": 0, **e}, epochs(0, 2), tag="error")
    case(cls, {"t_initial": 10, **e}, [{"op": "step"}], tag="error:step without epoch")
    case(cls, {"t_initial": 10, **e}, epochs(0, 3, 0.25) + [{"op": "state_dict"},
         {"op": "step_update", "num_updates": 7, "metric": 2}, {"op": "state_dict"}, {"op": "step", "epoch": 4},
         {"op": "state_dict"}], tag="metrics")
    case(cls, {"t_initial": 10, "warmup_t": 2, **e}, epochs(0, 4) + [{"op": "state_dict"}],
         optimizer=sgd(0.1, 0.02, 0.5), tag="three groups")
    case(cls, {"t_initial": 10, **e}, [{"op": "step", "epoch": 2.5}, {"op": "step", "epoch": 7.25}],
         tag="float epochs")
    case(cls, {"t_initial": 10, "noise_range_t": 1, **e}, [{"op": "step", "epoch": 1}, {"op": "step", "epoch": 2.5}],
         tag="error:float epoch in the noise range")
    case(cls, {"t_initial": 10.0, "lr_min": 0, "warmup_t": 2.0, **e}, epochs(0, 12), tag="float t_initial")
    case(cls, {"t_initial": 50, "warmup_t": 5, "t_in_epochs": False, **e}, epochs(0, 3) + updates(0, 60),
         optimizer=adamw(), gradient=True, tag="adamw")


def cosine():
    cls = "CosineLRScheduler"
    cycle_family(cls, {})
    case(cls, {"t_initial": 10, "k_decay": 2.0}, epochs(0, 12))
    case(cls, {"t_initial": 10, "k_decay": 0.5, "cycle_limit": 2, "cycle_mul": 1.5}, epochs(0, 30))
    case(cls, {"t_initial": 9000, "warmup_t": 1000, "warmup_lr_init": 1e-6, "lr_min": 1e-5, "t_in_epochs": False,
               "noise_range_t": [5000, 8000], "noise_pct": 0.1},
         reload_mid(updates(0, 10_050), 6000), tag="10k updates")


def tanh():
    cls = "TanhLRScheduler"
    cycle_family(cls, {})
    case(cls, {"t_initial": 10, "lb": -3.0, "ub": 5.0}, epochs(0, 12))
    case(cls, {"t_initial": 10, "lb": 1, "ub": 2, "warmup_t": 3}, epochs(0, 12), tag="int bounds")
    case(cls, {"t_initial": 10, "lb": 2.0, "ub": 1.0}, epochs(0, 2), tag="error:lb>=ub")
    case(cls, {"t_initial": 10, "warmup_lr_init": -0.1}, epochs(0, 2), tag="error")


def poly():
    cls = "PolyLRScheduler"
    cycle_family(cls, {})
    case(cls, {"t_initial": 10, "power": 1.0}, epochs(0, 12))
    case(cls, {"t_initial": 10, "power": 2, "k_decay": 1.5, "cycle_limit": 2}, epochs(0, 22))
    case(cls, {"t_initial": 10, "power": 0.9, "k_decay": 0.5, "lr_min": 1e-3}, epochs(0, 12))


def step_family(cls, decay_t, decay_t_alt, decay_t_long):
    case(cls, {"decay_t": decay_t}, epochs(0, 12))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5}, epochs(0, 20), optimizer=sgd(0.1, 0.05))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.1, "warmup_t": 3, "warmup_lr_init": 1e-4}, epochs(0, 20))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.1, "warmup_t": 3, "warmup_prefix": False}, epochs(0, 20))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "warmup_t": 1}, epochs(0, 12), tag="warmup_t=1")
    case(cls, {"decay_t": decay_t_alt, "decay_rate": 0.7}, epochs(0, 20), tag="alt")
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "t_in_epochs": False, "warmup_t": 2}, updates(0, 25))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "noise_range_t": 2, "noise_seed": 3}, epochs(0, 14))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "noise_range_t": [4, 9], "noise_pct": 0.3,
               "noise_std": 0.8, "noise_seed": 99}, epochs(0, 12))
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "noise_range_t": [0, 100], "noise_pct": 0.1},
         epochs(0, 12), tag="tight noise")
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5, "warmup_t": 2, "noise_range_t": 3},
         reload_mid(epochs(0, 16), 7), tag="reload")
    case(cls, {"decay_t": decay_t, "initialize": False}, epochs(0, 2), tag="error:no initial_lr")
    case(cls, {"decay_t": decay_t}, [{"op": "step"}], tag="error:step without epoch")
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5}, epochs(0, 5) + [{"op": "state_dict"}],
         optimizer=sgd(0.2, 0.1, 0.3), tag="three groups")
    case(cls, {"decay_t": decay_t, "decay_rate": 0.5}, [{"op": "step", "epoch": 3.5}, {"op": "step", "epoch": 8.0}],
         tag="float epochs")
    case(cls, {"decay_t": decay_t_long, "decay_rate": 0.5, "t_in_epochs": False, "warmup_t": 100},
         updates(0, 3_000), optimizer=adamw(), tag="3k updates")


def step():
    cls = "StepLRScheduler"
    step_family(cls, 3, 2.5, 400)
    case(cls, {"decay_t": 0}, epochs(0, 2), tag="error:zero decay_t")


def multistep():
    cls = "MultiStepLRScheduler"
    step_family(cls, [3, 6, 9], [1, 1, 4], [500, 1500, 2500])
    case(cls, {"decay_t": [], "decay_rate": 0.5}, epochs(0, 4), tag="no milestones")
    case(cls, {"decay_t": [2.5, 7.5], "decay_rate": 0.5}, epochs(0, 10), tag="float milestones")


def plateau():
    cls = "PlateauLRScheduler"
    flat = lambda e: 1.0
    falling = lambda e: 1.0 / (e + 1)
    rising = lambda e: float(e)
    case(cls, {}, epochs(1, 30, flat))
    case(cls, {"mode": "min", "patience_t": 1}, epochs(0, 6, flat), tag="epoch 0 without warmup is warmup_lr_init")
    case(cls, {"mode": "min", "patience_t": 1}, epochs(1, 12, flat))
    case(cls, {"mode": "min", "patience_t": 2, "decay_rate": 0.5, "cooldown_t": 2}, epochs(1, 20, flat),
         optimizer=sgd(0.1, 0.05))
    case(cls, {"mode": "min", "patience_t": 1, "lr_min": 0.02}, epochs(1, 14, flat))
    case(cls, {"mode": "min", "patience_t": 1, "threshold": 0.5}, epochs(1, 14, falling))
    case(cls, {"mode": "max", "patience_t": 1}, epochs(1, 14, rising))
    case(cls, {"mode": "max", "patience_t": 0}, epochs(1, 8, flat), tag="patience 0")
    case(cls, {"mode": "min", "patience_t": 1, "warmup_t": 3, "warmup_lr_init": 1e-3}, epochs(1, 12, flat))
    case(cls, {"mode": "min", "patience_t": 1}, epochs(1, 6), tag="no metric")
    case(cls, {"mode": "min", "patience_t": 1, "noise_range_t": 2, "noise_seed": 5}, epochs(1, 12, flat))
    case(cls, {"mode": "min", "patience_t": 1, "noise_range_t": [3, 7], "noise_type": "uniform",
               "noise_pct": 0.3}, epochs(1, 10, flat))
    case(cls, {"mode": "min", "patience_t": 2, "noise_range_t": 1, "noise_std": 0.5, "noise_pct": 0.2},
         epochs(1, 12, falling))
    case(cls, {"mode": "min", "patience_t": 1}, reload_mid(epochs(1, 14, flat), 5), tag="reload")
    case(cls, {"mode": "min", "patience_t": 1}, epochs(1, 6, flat) + updates(0, 5), tag="step_update does nothing")
    case(cls, {"decay_rate": 1.0}, epochs(1, 2), tag="error:factor")
    case(cls, {"mode": "median"}, epochs(1, 2), tag="error:mode")
    case(cls, {"initialize": False}, epochs(1, 2), tag="error:no initial_lr")
    case(cls, {"mode": "min"}, [{"op": "step", "metric": 1.0}], tag="error:step without epoch")
    case(cls, {"mode": "min", "patience_t": 5, "cooldown_t": 3, "warmup_t": 50},
         epochs(1, 2000, lambda e: 1.0 / (1 + e // 40)), tag="long")


def wsd():
    cls = "WSDLRScheduler"
    case(cls, {"t_initial": 10, "decay_t": 4}, epochs(0, 14))
    for fn in ("linear", "1-sqrt", "cosine", "power", "exp"):
        case(cls, {"t_initial": 10, "decay_t": 5, "decay_fn": fn, "lr_min": 1e-3}, epochs(0, 13))
    case(cls, {"t_initial": 10, "decay_t": 5, "decay_fn": "power", "decay_power": 2.0}, epochs(0, 12))
    case(cls, {"t_initial": 10, "decay_t": 5, "decay_fn": "exp", "decay_ratio": 0.01}, epochs(0, 12))
    case(cls, {"t_initial": 12, "decay_t": 4, "stable_fn": "rsqrt", "warmup_t": 3, "warmup_lr_init": 1e-4},
         epochs(0, 18))
    case(cls, {"t_initial": 12, "decay_t": 4, "stable_fn": "power", "stable_power": 1.5, "stable_timescale": 2.0,
               "lr_min": 0.02}, epochs(0, 18), tag="stable below lr_min")
    case(cls, {"t_initial": 12, "decay_t": 12, "stable_fn": "rsqrt", "stable_timescale": 4}, epochs(0, 14),
         tag="all decay")
    case(cls, {"t_initial": 10, "decay_t": 3, "warmup_t": 4}, epochs(0, 16), optimizer=sgd(0.1, 0.3, 0.01))
    case(cls, {"t_initial": 10, "decay_t": 3, "warmup_t": 1}, epochs(0, 14), tag="warmup_t=1")
    case(cls, {"t_initial": 40, "decay_t": 10, "warmup_t": 5, "t_in_epochs": False}, updates(0, 50) + epochs(0, 2))
    case(cls, {"t_initial": 10, "decay_t": 4, "noise_range_t": 2, "noise_seed": 11}, epochs(0, 14))
    case(cls, {"t_initial": 10, "decay_t": 4, "noise_range_t": [3, 9], "noise_pct": 0.1, "noise_std": 0.3},
         epochs(0, 14))
    case(cls, {"t_initial": 10, "decay_t": 4, "warmup_t": 2, "noise_range_t": 5},
         reload_mid(epochs(0, 15), 8), tag="reload")
    case(cls, {"t_initial": 10, "decay_t": 4, "decay_fn": None}, epochs(0, 12), tag="decay_fn None")
    case(cls, {"t_initial": 9000, "decay_t": 3000, "warmup_t": 1000, "t_in_epochs": False, "decay_fn": "cosine",
               "stable_fn": "rsqrt"}, reload_mid(updates(0, 10_010), 7000), tag="10k updates")
    for bad, tag in (({"t_initial": 0, "decay_t": 1}, "t_initial"), ({"t_initial": 5, "decay_t": 6}, "decay_t"),
                     ({"t_initial": 5, "decay_t": 2, "lr_min": -1.0}, "lr_min"),
                     ({"t_initial": 5, "decay_t": 2, "stable_fn": "sqrt"}, "stable_fn"),
                     ({"t_initial": 5, "decay_t": 2, "decay_fn": "step"}, "decay_fn"),
                     ({"t_initial": 5, "decay_t": 2, "decay_ratio": 1.0}, "decay_ratio"),
                     ({"t_initial": 5, "decay_t": 2, "decay_power": 0}, "decay_power"),
                     ({"t_initial": 5, "decay_t": 2, "stable_power": -1.0}, "stable_power"),
                     ({"t_initial": 5, "decay_t": 2, "stable_fn": "rsqrt"}, "stable_timescale"),
                     ({"t_initial": 5, "decay_t": 2, "initialize": False}, "no initial_lr")):
        case(cls, bad, epochs(0, 2), tag="error:" + tag)


# ---------------------------------------------------------------- checking

def timm_keywords(cls: str):
    """The class's keyword arguments from timm's signature, or None without timm."""
    try:
        import importlib.util
        import inspect
        import types
        found = importlib.util.find_spec("timm")
    except Exception:
        return None
    if found is None or not found.submodule_search_locations:
        return None
    root = list(found.submodule_search_locations)[0]
    for name, path in (("timm", root), ("timm.scheduler", os.path.join(root, "scheduler"))):
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.__path__ = [path]
            sys.modules[name] = module
    import importlib
    try:
        module = importlib.import_module("timm.scheduler." + MODULES[cls])
    except Exception:
        return None
    params = inspect.signature(getattr(module, cls).__init__).parameters
    return [p for p in params if p not in ("self", "optimizer")]


def check(specs: dict) -> None:
    for cls in CLASSES:
        count = len(specs[cls])
        if count < MIN_PER_CLASS:
            raise SystemExit(f"make_specs_timm.py: {cls} has {count} specs, fewer than {MIN_PER_CLASS}")
        keywords = timm_keywords(cls)
        if keywords is None:
            continue
        used = {k for _, s in specs[cls] for k in s["scheduler"]["args"]}
        missing = [k for k in keywords if k not in used]
        if missing:
            raise SystemExit(f"make_specs_timm.py: {cls} never uses {missing}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="Fixtures/specs/timm")
    args = ap.parse_args(argv)
    for build in (cosine, tanh, step, multistep, plateau, poly, wsd):
        build()
    check(SPECS)
    total = 0
    for cls in CLASSES:
        folder = os.path.join(args.out, cls)
        os.makedirs(folder, exist_ok=True)
        written = set()
        for slug, spec in SPECS[cls]:
            name = slug + ".json"
            if name in written:
                raise SystemExit(f"make_specs_timm.py: two {cls} specs named {slug}")
            written.add(name)
            with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
                json.dump(spec, f, indent=1)
                f.write("\n")
        for stale in set(os.listdir(folder)) - written:
            if stale.endswith(".json"):
                os.remove(os.path.join(folder, stale))
        total += len(written)
        print(f"{cls}: {len(written)} specs")
    print(f"total: {total} specs in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
