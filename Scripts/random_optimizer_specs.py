"""Random optimizer specs for the optimizers added in issue 16: random
options, groups, 1-D and 2-D parameters and schedulers, written as specs
for goldens.py, to cross-check Anneal against PyTorch outside the corpus.

    python Scripts/random_optimizer_specs.py OUT_DIR [--count N] [--seed S] [--types Adagrad,...] [--extreme F]
    python Scripts/goldens.py --specs OUT_DIR/specs --out OUT_DIR/golden
    anneal conformance OUT_DIR/golden
"""
import argparse
import json
import os
import random

FORMAT = "anneal-trace/1"
TYPES = ("Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Adafactor")


def r(rng, lo, hi):
    return round(rng.uniform(lo, hi), rng.choice([2, 3, 4, 6]))


def options(rng, typ):
    o = {}
    if rng.random() < 0.8:
        o["lr"] = rng.choice([1e-3, 3e-3, 0.01, 0.05, 0.1, 0.5, 1.0])
    if typ != "Rprop" and typ != "Adafactor" and rng.random() < 0.4:
        o["weight_decay"] = rng.choice([0.0, 1e-4, 0.01, 0.1])
    if typ == "Adafactor" and rng.random() < 0.4:
        o["weight_decay"] = rng.choice([0.0, 1e-3, 0.01])
    if rng.random() < 0.25:
        o["maximize"] = True
    if typ == "Adagrad":
        if rng.random() < 0.5: o["lr_decay"] = rng.choice([0.0, 1e-3, 0.05])
        if rng.random() < 0.5: o["initial_accumulator_value"] = rng.choice([0.0, 0.1, 1.0])
        if rng.random() < 0.3: o["eps"] = rng.choice([1e-10, 1e-6, 0.1])
    elif typ == "Adadelta":
        if rng.random() < 0.6: o["rho"] = rng.choice([0.0, 0.5, 0.9, 0.95, 0.99, 1.0])
        if rng.random() < 0.3: o["eps"] = rng.choice([1e-6, 1e-4, 1e-8])
    elif typ in ("Adamax", "NAdam", "RAdam"):
        if rng.random() < 0.5: o["betas"] = [rng.choice([0.0, 0.5, 0.8, 0.9, 0.95]), rng.choice([0.0, 0.9, 0.99, 0.999])]
        if rng.random() < 0.3: o["eps"] = rng.choice([1e-8, 1e-6, 0.1])
        if typ == "NAdam" and rng.random() < 0.5: o["momentum_decay"] = rng.choice([0.0, 4e-3, 0.05, 1.0])
        if typ != "Adamax" and rng.random() < 0.4: o["decoupled_weight_decay"] = True
    elif typ == "ASGD":
        if rng.random() < 0.5: o["lambd"] = rng.choice([1e-4, 1e-2, 0.5])
        if rng.random() < 0.5: o["alpha"] = rng.choice([0.5, 0.75, 1.0])
        if rng.random() < 0.6: o["t0"] = rng.choice([1.0, 5.0, 20.0, 1e6])
    elif typ == "Rprop":
        if rng.random() < 0.5: o["etas"] = [rng.choice([0.3, 0.5, 0.9]), rng.choice([1.1, 1.2, 2.0])]
        if rng.random() < 0.5: o["step_sizes"] = [rng.choice([1e-6, 1e-3, 0.01]), rng.choice([0.05, 1.0, 50])]
    elif typ == "Adafactor":
        if rng.random() < 0.5: o["beta2_decay"] = rng.choice([-0.8, -0.5, -1.0, 0.0])
        if rng.random() < 0.5: o["eps"] = [rng.choice([None, 1e-30, 1e-3]), rng.choice([1e-3, 1e-2, 0.0])]
        if rng.random() < 0.5: o["d"] = rng.choice([1.0, 2.0, 10.0])
    return o


def tensor(rng, two_d):
    if two_d:
        rows, cols = rng.choice([1, 2, 3, 5]), rng.choice([1, 2, 3, 7, 17])
        return [[r(rng, -3, 3) for _ in range(cols)] for _ in range(rows)]
    n = rng.choice([1, 2, 3, 5, 17, 37, 130, 1003])
    return [r(rng, -3, 3) for _ in range(n)]


def scheduler(rng, typ, steps):
    kind = rng.choice(["none", "none", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "OneCycleLR"])
    if kind == "none":
        return None
    if kind == "StepLR":
        return {"type": "StepLR", "args": {"step_size": rng.randint(1, 10), "gamma": rng.choice([0.5, 0.9])}}
    if kind == "ExponentialLR":
        return {"type": "ExponentialLR", "args": {"gamma": rng.choice([0.9, 0.99])}}
    if kind == "CosineAnnealingLR":
        return {"type": "CosineAnnealingLR", "args": {"T_max": rng.randint(5, 50)}}
    if kind == "LinearLR":
        return {"type": "LinearLR", "args": {"start_factor": 0.25, "total_iters": rng.randint(2, 20)}}
    return {"type": "OneCycleLR", "args": {"max_lr": 0.05, "total_steps": steps + 5,
                                           "cycle_momentum": typ in ("Adamax", "NAdam", "RAdam")}}


BIG = (1e30, 1e38, 3e38, 3.5e38, 1e300)


def extreme(rng, typ, s):
    """Pushes one spec past float32's range (PyTorch's scalar checks): a huge
    lr, option or group value, a scheduler that grows lr or divides it back,
    or a user's set_lr (negative too)."""
    o, groups = s["optimizer"]["options"], s["optimizer"]["param_groups"]
    kind = rng.choice(["lr", "option", "group", "grow", "back", "set_lr"])
    if kind == "lr":
        o["lr"] = rng.choice(BIG)
    elif kind == "option":
        keys = {"Adagrad": ["weight_decay", "eps", "lr_decay", "initial_accumulator_value"],
                "Adadelta": ["weight_decay", "eps"], "Adamax": ["weight_decay", "eps"],
                "NAdam": ["weight_decay", "eps", "momentum_decay"], "RAdam": ["weight_decay", "eps"],
                "ASGD": ["weight_decay", "lambd", "alpha", "t0"], "Rprop": ["etas", "step_sizes"]}[typ]
        key = rng.choice(keys)
        if key == "etas":
            o[key] = [0.5, rng.choice(BIG)]
        elif key == "step_sizes":
            o[key] = rng.choice([[1e-6, rng.choice(BIG)], [-rng.choice(BIG), 50]])
        else:
            o[key] = rng.choice(BIG)
    elif kind == "group":
        # Group values are not validated: negative or >= 1 where the constructor refuses them.
        values = {"Adagrad": {"lr_decay": [-1.0, -0.5, -1e300]}, "Adadelta": {"rho": [1e300, -1e30, 2.0]},
                  "Adamax": {"betas": [[1.0, 0.999], [1e300, 0.9], [0.9, 1e300]]},
                  "NAdam": {"betas": [[1e300, 0.9], [0.9, 1e300], [1.0, 0.999]], "momentum_decay": [-1e300, -1e3]},
                  "RAdam": {"betas": [[0.9, 1.0], [1e300, 0.9], [0.9, 1e300], [1.0, 0.999]]},
                  "ASGD": {"alpha": [2.0, 10.0], "lambd": [-1.0, 1e300], "t0": [-1e300]},
                  "Rprop": {"etas": [[-1e300, 1.2], [0.5, 1e300]]}}[typ]
        key = rng.choice(sorted(values))
        rng.choice(groups)[key] = rng.choice(values[key])
    elif kind == "grow":
        s["scheduler"] = {"type": "ExponentialLR", "args": {"gamma": rng.choice([1e10, 1e20, 1e5])}}
    elif kind == "back":
        s["scheduler"] = {"type": "ConstantLR", "args": {"factor": 1e-300, "total_iters": rng.randint(2, 5)}}
        s["script"] = [{"op": "step", "repeat": rng.randint(1, 3)}, {"op": "set_lr", "group": 0, "value": 0.5},
                       {"op": "step", "repeat": 5}]
        return
    if kind in ("set_lr", "lr", "option") and rng.random() < 0.5 or kind == "set_lr":
        value = rng.choice(BIG) * rng.choice([1, -1])
        s["script"] = [{"op": "step", "repeat": rng.randint(1, 4)},
                       {"op": "set_lr", "group": rng.randrange(len(groups)), "value": value},
                       {"op": "step", "repeat": rng.randint(1, 10)}]


def spec(rng, typ, index, extreme_fraction=0.0):
    two_d = typ == "Adafactor" or rng.random() < 0.3
    groups = []
    for g in range(rng.choice([1, 1, 2, 3])):
        group = {"params": [tensor(rng, two_d and rng.random() < 0.8) for _ in range(rng.choice([1, 2]))]}
        if g > 0:
            group.update(options(rng, typ))
        groups.append(group)
    steps = rng.choice([5, 20, 60, 200])
    script = [{"op": "step", "repeat": steps}]
    if rng.random() < 0.4:
        script += [{"op": "reload"}, {"op": "step", "repeat": rng.randint(1, 30)}]
    s = {"format": FORMAT, "name": f"random/{typ}-{index}", "optimizer": {
        "type": typ, "options": options(rng, typ), "param_groups": groups}}
    sched = scheduler(rng, typ, steps + 40)
    if sched:
        s["scheduler"] = sched
    s["gradient"] = {"kind": "quadratic", "target": r(rng, -1, 1), "scale": rng.choice([0.5, 1.0, -0.3, 2.0])}
    s["script"] = script
    if extreme_fraction and rng.random() < extreme_fraction:
        extreme(rng, typ, s)
    return s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--extreme", type=float, default=0.0, help="fraction of specs pushed past float32's range")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    root = os.path.join(args.out, "specs")
    for typ in args.types.split(","):
        os.makedirs(os.path.join(root, typ), exist_ok=True)
        for i in range(args.count):
            with open(os.path.join(root, typ, f"{i}.json"), "w") as f:
                json.dump(spec(rng, typ, i, args.extreme), f, indent=1)


if __name__ == "__main__":
    main()
