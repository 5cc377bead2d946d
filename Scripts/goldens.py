#!/usr/bin/env python3
"""Ask PyTorch for the truth: turn trace specs into goldens (format anneal-trace/1).

    python Scripts/goldens.py [--specs Fixtures/specs] [--out Golden] [SPEC.json ...]

Reads every spec (``*.json`` under ``--specs``, recursively, or only the files
named on the command line) and writes one golden per spec at the same relative
path under ``--out``. The format is defined in ``golden-format.md`` (the shared
trace-format contract); this script implements it against PyTorch 2.13.0 (CPU).

A malformed spec (unknown op or scheduler type, unknown or mistyped key, an
expression outside the expression grammar, ...) is a bug in the corpus: the
script stops with the file name and the reason and exits with status 2. An
exception PyTorch raises while building or running a *valid* spec is part of
the truth and is recorded in the golden.

Output is deterministic: running the script twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import ast
import copy
import inspect
import io
import json
import math
import os
import sys
import time
import tokenize
import types
import warnings

warnings.simplefilter("ignore")

import torch  # noqa: E402
import torch.optim  # noqa: E402
from torch.optim import lr_scheduler  # noqa: E402
from torch.optim.swa_utils import SWALR  # noqa: E402

warnings.simplefilter("ignore")

FORMAT = "anneal-trace/1"
REFERENCE_VERSION = "2.13.0"

TORCH_VERSION = torch.__version__.split("+")[0]
SOURCE = {"kind": "pytorch", "version": TORCH_VERSION}

OPTIMIZER_TYPES = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
                   "ASGD", "Rprop", "Adafactor")
# Optimizer keyword arguments the format allows (intersected with each class's
# signature below). `foreach` is always passed as False by the generator.
OPTIMIZER_OPTIONS = (
    "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize",
    "betas", "eps", "amsgrad", "alpha", "centered", "lr_decay", "initial_accumulator_value", "rho",
    "momentum_decay", "decoupled_weight_decay", "lambd", "t0", "etas", "step_sizes", "beta2_decay", "d",
)
# Options that are pairs (tuples in PyTorch).
PAIR_OPTIONS = ("betas", "etas", "step_sizes")

SCHEDULER_CLASSES = {
    "LambdaLR": lr_scheduler.LambdaLR,
    "MultiplicativeLR": lr_scheduler.MultiplicativeLR,
    "StepLR": lr_scheduler.StepLR,
    "MultiStepLR": lr_scheduler.MultiStepLR,
    "ConstantLR": lr_scheduler.ConstantLR,
    "LinearLR": lr_scheduler.LinearLR,
    "ExponentialLR": lr_scheduler.ExponentialLR,
    "SequentialLR": lr_scheduler.SequentialLR,
    "PolynomialLR": lr_scheduler.PolynomialLR,
    "CosineAnnealingLR": lr_scheduler.CosineAnnealingLR,
    "ChainedScheduler": lr_scheduler.ChainedScheduler,
    "ReduceLROnPlateau": lr_scheduler.ReduceLROnPlateau,
    "CyclicLR": lr_scheduler.CyclicLR,
    "CosineAnnealingWarmRestarts": lr_scheduler.CosineAnnealingWarmRestarts,
    "OneCycleLR": lr_scheduler.OneCycleLR,
    "SWALR": SWALR,
}
NESTED_TYPES = ("SequentialLR", "ChainedScheduler")
NO_LAST_EPOCH_ARG = ("ChainedScheduler", "ReduceLROnPlateau")

# Other libraries' schedulers (the format's "transformers" and "timm"
# extensions), imported only when a spec names one.
TRANSFORMERS_TYPE = "transformers.get_scheduler"
TRANSFORMERS_ARGS = ("name", "num_warmup_steps", "num_training_steps", "scheduler_specific_kwargs")
TRANSFORMERS_VERSION = "5.23.0"
TIMM_VERSION = "1.0.31"
TIMM_MODULES = {
    "CosineLRScheduler": "cosine_lr", "TanhLRScheduler": "tanh_lr", "StepLRScheduler": "step_lr",
    "MultiStepLRScheduler": "multistep_lr", "PlateauLRScheduler": "plateau_lr", "PolyLRScheduler": "poly_lr",
    "WSDLRScheduler": "wsd_lr",
}
TIMM_TYPES = tuple("timm." + name for name in TIMM_MODULES)


def is_family_type(typ: object) -> bool:
    return typ == TRANSFORMERS_TYPE or typ in TIMM_TYPES


def transformers_module():
    """transformers, at the version the goldens are made with."""
    try:
        import transformers
    except ImportError as exc:
        raise SpecError(f"the spec needs transformers {TRANSFORMERS_VERSION} ({exc}); run `make goldens`") from exc
    if transformers.__version__ != TRANSFORMERS_VERSION:
        raise SpecError(f"transformers {TRANSFORMERS_VERSION} required, found {transformers.__version__}")
    return transformers


_TIMM_CLASSES: dict = {}


def timm_class(typ: str):
    """A timm scheduler class, imported without timm's top-level __init__
    (which imports torchvision, which the schedulers do not need and which
    the generator's environment does not have): `timm` and `timm.scheduler`
    are bare packages over timm's folders, and each scheduler module is
    imported from its own file."""
    if typ in _TIMM_CLASSES:
        return _TIMM_CLASSES[typ]
    import importlib
    import importlib.metadata
    import importlib.util
    try:
        version = importlib.metadata.version("timm")
    except importlib.metadata.PackageNotFoundError as exc:
        raise SpecError(f"the spec needs timm {TIMM_VERSION}; run `make goldens`") from exc
    if version != TIMM_VERSION:
        raise SpecError(f"timm {TIMM_VERSION} required, found {version}")
    if "timm" not in sys.modules:
        found = importlib.util.find_spec("timm")
        root = os.path.dirname(found.origin)
        for name, path in (("timm", root), ("timm.scheduler", os.path.join(root, "scheduler"))):
            package = types.ModuleType(name)
            package.__path__ = [path]
            sys.modules[name] = package
    short = typ[len("timm."):]
    cls = getattr(importlib.import_module("timm.scheduler." + TIMM_MODULES[short]), short)
    _TIMM_CLASSES[typ] = cls
    return cls

TOP_KEYS = ("format", "name", "description", "optimizer", "scheduler",
            "gradient", "script", "tolerance")
GOLDEN_ONLY_KEYS = ("source", "trace", "error")

# op name -> allowed keys besides "op"
OP_KEYS = {
    "step": {"repeat", "epoch", "metric", "metrics", "scheduler"},
    "step_update": {"repeat", "num_updates", "metric", "metrics", "scheduler"},
    "optimizer_step": {"repeat"},
    "scheduler_step": {"repeat", "epoch", "metric", "metrics", "scheduler"},
    "set_lr": {"group", "value"},
    "state_dict": set(),
    "reload": set(),
    "rebuild": set(),
}

# ---------------------------------------------------------------- expressions

EXPR_ENV = {
    "__builtins__": {},
    "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "cos": math.cos,
    "sin": math.sin, "tanh": math.tanh, "floor": math.floor, "ceil": math.ceil,
    "pi": math.pi, "e": math.e,
    "abs": abs, "min": min, "max": max, "float": float, "int": int,
}
ONE_ARG_FNS = {"sqrt", "exp", "log", "cos", "sin", "tanh", "floor", "ceil",
               "abs", "float", "int"}
MANY_ARG_FNS = {"min", "max"}
BIN_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
CMP_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
NUMBER_CHARS = set("0123456789.eE+-")


class SpecError(Exception):
    """The spec is malformed: a bug in the corpus, not a fact about PyTorch."""


def check_expression(src: object, var: str, where: str) -> None:
    """Reject anything outside the format's expression grammar."""
    if not isinstance(src, str):
        raise SpecError(f"{where}: expression must be a string, got {type(src).__name__}")
    try:
        tree = ast.parse(src.strip(), mode="eval")
        tokens = list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (SyntaxError, tokenize.TokenError) as exc:
        raise SpecError(f"{where}: cannot parse expression {src!r}: {exc}") from None
    for tok in tokens:
        if tok.type == tokenize.NUMBER:
            text = tok.string
            if not set(text) <= NUMBER_CHARS:
                raise SpecError(f"{where}: number literal {text!r} is outside the grammar")

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, BIN_OPS):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            visit(node.operand)
        elif isinstance(node, ast.Compare):
            if len(node.ops) != 1 or not isinstance(node.ops[0], CMP_OPS):
                raise SpecError(f"{where}: chained or unsupported comparison in {src!r}")
            visit(node.left)
            visit(node.comparators[0])
        elif isinstance(node, ast.IfExp):
            visit(node.test)
            visit(node.body)
            visit(node.orelse)
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise SpecError(f"{where}: constant {node.value!r} is not a number in {src!r}")
        elif isinstance(node, ast.Name):
            if node.id not in (var, "pi", "e"):
                raise SpecError(f"{where}: unknown name {node.id!r} in {src!r} (variable is {var!r})")
        elif isinstance(node, ast.Call):
            fn = node.func.id if isinstance(node.func, ast.Name) else None
            if fn not in ONE_ARG_FNS and fn not in MANY_ARG_FNS:
                raise SpecError(f"{where}: unknown function in {src!r}")
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise SpecError(f"{where}: keyword or starred arguments in {src!r}")
            if fn in ONE_ARG_FNS and len(node.args) != 1:
                raise SpecError(f"{where}: {fn} takes exactly one argument in {src!r}")
            if fn in MANY_ARG_FNS and len(node.args) < 2:
                raise SpecError(f"{where}: {fn} takes at least two arguments in {src!r}")
            for a in node.args:
                visit(a)
        else:
            raise SpecError(f"{where}: {type(node).__name__} is outside the expression grammar in {src!r}")

    visit(tree.body)


def make_function(src: str, var: str) -> types.FunctionType:
    fn = eval(f"lambda {var}: {src}", EXPR_ENV)  # noqa: S307 - grammar-checked above
    assert isinstance(fn, types.FunctionType)
    return fn


# ----------------------------------------------------------------- validation

def is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_plain_value(v: object) -> bool:
    """A JSON scalar, or an array of JSON scalars (what scheduler args take)."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, list):
        return all(x is None or isinstance(x, (bool, int, float, str)) for x in v)
    return False


def is_tensor_value(t: object) -> bool:
    """A 1-D tensor (numbers) or a 2-D one (non-empty equal-length rows of numbers)."""
    if not isinstance(t, list):
        return False
    if all(is_number(x) for x in t):
        return True
    return bool(t) and all(isinstance(r, list) and len(r) == len(t[0]) and all(is_number(x) for x in r) for r in t)


def signature_params(cls) -> dict:
    return dict(inspect.signature(cls).parameters)


def validate_optimizer(o: object) -> None:
    if not isinstance(o, dict):
        raise SpecError("optimizer must be an object")
    extra = set(o) - {"type", "options", "param_groups"}
    if extra:
        raise SpecError(f"optimizer: unknown keys {sorted(extra)}")
    typ = o.get("type")
    if typ not in OPTIMIZER_TYPES:
        raise SpecError(f"optimizer.type {typ!r} is not one of {OPTIMIZER_TYPES}")
    allowed = set(OPTIMIZER_OPTIONS) & set(signature_params(getattr(torch.optim, typ)))

    def check_options(d: dict, where: str, allow_params: bool) -> None:
        for k, v in d.items():
            if k == "params" and allow_params:
                if not isinstance(v, list) or not all(is_tensor_value(t) for t in v):
                    raise SpecError(f"{where}.params must be an array of tensors "
                                    "(arrays of numbers, or arrays of equal-length rows)")
                continue
            if k not in allowed:
                raise SpecError(f"{where}: unknown {typ} option {k!r}")
            if k == "eps" and typ == "Adafactor":
                # Adafactor's eps=(eps1, eps2): eps1 may be None (JSON null).
                if not (isinstance(v, list) and len(v) == 2 and (v[0] is None or is_number(v[0]))
                        and is_number(v[1])):
                    raise SpecError(f"{where}.eps must be a 2-element array [number or null, number]")
            elif k in PAIR_OPTIONS:
                if not (isinstance(v, list) and len(v) == 2 and all(is_number(x) for x in v)):
                    raise SpecError(f"{where}.{k} must be a 2-element array of numbers")
            elif not (v is None or isinstance(v, (bool, int, float))):
                raise SpecError(f"{where}.{k} must be a number or boolean")

    options = o.get("options", {})
    if not isinstance(options, dict):
        raise SpecError("optimizer.options must be an object")
    check_options(options, "optimizer.options", allow_params=False)
    groups = o.get("param_groups", [{}])
    if not isinstance(groups, list) or not groups or not all(isinstance(g, dict) for g in groups):
        raise SpecError("optimizer.param_groups must be a non-empty array of objects")
    for i, g in enumerate(groups):
        check_options(g, f"optimizer.param_groups[{i}]", allow_params=True)


def validate_scheduler(s: object, where: str) -> None:
    if not isinstance(s, dict):
        raise SpecError(f"{where} must be an object")
    extra = set(s) - {"type", "args"}
    if extra:
        raise SpecError(f"{where}: unknown keys {sorted(extra)}")
    typ = s.get("type")
    if typ not in SCHEDULER_CLASSES and not is_family_type(typ):
        raise SpecError(f"{where}.type {typ!r} is not a known scheduler type")
    args = s.get("args", {})
    if not isinstance(args, dict):
        raise SpecError(f"{where}.args must be an object")
    if typ == TRANSFORMERS_TYPE:
        # Any keys the format allows; transformers itself judges their values.
        for k, v in args.items():
            if k not in TRANSFORMERS_ARGS:
                raise SpecError(f"{where}: {typ} has no argument {k!r}")
            if k == "scheduler_specific_kwargs":
                if not (v is None or (isinstance(v, dict) and all(is_plain_value(x) for x in v.values()))):
                    raise SpecError(f"{where}.args.{k} must be an object of plain values or null")
            elif not is_plain_value(v):
                raise SpecError(f"{where}.args.{k} must be a plain value")
        return
    params = signature_params(timm_class(typ) if typ in TIMM_TYPES else SCHEDULER_CLASSES[typ])
    params.pop("optimizer", None)
    for k, v in args.items():
        w = f"{where}.args.{k}"
        if k not in params:
            raise SpecError(f"{where}: {typ} has no argument {k!r}")
        if k == "schedulers":
            if not isinstance(v, list):
                raise SpecError(f"{w} must be an array of scheduler specs")
            for i, child in enumerate(v):
                validate_scheduler(child, f"{w}[{i}]")
        elif k == "lr_lambda":
            if isinstance(v, list):
                for i, src in enumerate(v):
                    check_expression(src, "epoch", f"{w}[{i}]")
            else:
                check_expression(v, "epoch", w)
        elif k == "scale_fn":
            if v is not None:
                check_expression(v, "x", w)
        elif not is_plain_value(v):
            raise SpecError(f"{w} must be a number, string, boolean, null or array of those")
    for name, p in params.items():
        if p.default is inspect.Parameter.empty and name not in args:
            raise SpecError(f"{where}: {typ} requires argument {name!r}")


def scheduler_list(spec: dict) -> list:
    s = spec.get("scheduler")
    if s is None:
        return []
    return s if isinstance(s, list) else [s]


def validate_spec(spec: object) -> None:
    if not isinstance(spec, dict):
        raise SpecError("a spec must be a JSON object")
    for k in GOLDEN_ONLY_KEYS:
        if k in spec:
            raise SpecError(f"a spec has no {k!r} (is this a golden?)")
    extra = set(spec) - set(TOP_KEYS)
    if extra:
        raise SpecError(f"unknown top-level keys {sorted(extra)}")
    if spec.get("format") != FORMAT:
        raise SpecError(f"format must be {FORMAT!r}")
    if not isinstance(spec.get("name"), str) or not spec["name"]:
        raise SpecError("name must be a non-empty string")
    if "description" in spec and not isinstance(spec["description"], str):
        raise SpecError("description must be a string")
    if "optimizer" not in spec:
        raise SpecError("optimizer is required")
    validate_optimizer(spec["optimizer"])
    n_groups = len(spec["optimizer"].get("param_groups", [{}]))

    sched = spec.get("scheduler")
    if isinstance(sched, list):
        if not sched:
            raise SpecError("scheduler array must not be empty")
        for i, s in enumerate(sched):
            validate_scheduler(s, f"scheduler[{i}]")
    elif sched is not None:
        validate_scheduler(sched, "scheduler")
    scheds = scheduler_list(spec)
    multi = isinstance(sched, list)

    grad = spec.get("gradient")
    if grad is not None:
        if not isinstance(grad, dict) or set(grad) != {"kind", "target", "scale"} \
                or grad["kind"] != "quadratic" \
                or not is_number(grad["target"]) or not is_number(grad["scale"]):
            raise SpecError('gradient must be {"kind": "quadratic", "target": number, "scale": number}')

    tol = spec.get("tolerance")
    if tol is not None:
        if not isinstance(tol, dict) or len(tol) != 1 or not (
                (is_int(tol.get("ulps")) and tol["ulps"] >= 0) or
                (is_number(tol.get("abs")) and tol["abs"] >= 0)):
            raise SpecError('tolerance must be {"ulps": N} or {"abs": X}')

    script = spec.get("script")
    if not isinstance(script, list):
        raise SpecError("script must be an array of ops")
    for i, op in enumerate(script):
        w = f"script[{i}]"
        if not isinstance(op, dict) or "op" not in op:
            raise SpecError(f"{w} must be an object with an 'op'")
        name = op["op"]
        if name not in OP_KEYS:
            raise SpecError(f"{w}: unknown op {name!r}")
        extra = set(op) - OP_KEYS[name] - {"op"}
        if extra:
            raise SpecError(f"{w}: op {name!r} takes no keys {sorted(extra)}")
        if "repeat" in op and not (is_int(op["repeat"]) and op["repeat"] >= 0):
            raise SpecError(f"{w}.repeat must be a non-negative integer")
        if "epoch" in op and not is_number(op["epoch"]):
            raise SpecError(f"{w}.epoch must be a number")
        if name == "step_update" and not is_number(op.get("num_updates")):
            raise SpecError(f"{w}.num_updates must be a number")
        if "metric" in op and not is_number(op["metric"]):
            raise SpecError(f"{w}.metric must be a number")
        if "metrics" in op:
            if not isinstance(op["metrics"], list) or not op["metrics"] \
                    or not all(is_number(m) for m in op["metrics"]):
                raise SpecError(f"{w}.metrics must be a non-empty array of numbers")
            if "metric" in op or "repeat" in op:
                raise SpecError(f"{w}: metrics excludes metric and repeat")
        if "scheduler" in op:
            if not multi:
                raise SpecError(f"{w}.scheduler needs a scheduler array")
            if not (is_int(op["scheduler"]) and 0 <= op["scheduler"] < len(scheds)):
                raise SpecError(f"{w}.scheduler must index the scheduler array")
        if not scheds:
            if name in ("scheduler_step", "state_dict", "rebuild", "step_update"):
                raise SpecError(f"{w}: op {name!r} needs a scheduler")
            if any(k in op for k in ("epoch", "metric", "metrics")):
                raise SpecError(f"{w}: epoch/metric arguments need a scheduler")
        if name == "set_lr":
            if not (is_int(op.get("group")) and 0 <= op["group"] < n_groups):
                raise SpecError(f"{w}.group must index the optimizer's param groups")
            if not is_number(op.get("value")):
                raise SpecError(f"{w}.value must be a number")
        if name == "rebuild":
            bad = [s["type"] for s in scheds if s["type"] in NO_LAST_EPOCH_ARG or is_family_type(s["type"])]
            if bad:
                raise SpecError(f"{w}: rebuild is not defined for {bad[0]}")


# ------------------------------------------------------------------- building

def option_value(key: str, value):
    if key in PAIR_OPTIONS or isinstance(value, list):  # Adafactor's eps pair too
        return tuple(value)
    return value


def build_optimizer(ospec: dict, params_per_group=None):
    cls = getattr(torch.optim, ospec["type"])
    groups = []
    for gi, g in enumerate(ospec.get("param_groups", [{}])):
        group = {}
        if params_per_group is not None:
            group["params"] = params_per_group[gi]
        else:
            group["params"] = [
                torch.nn.Parameter(torch.tensor(values, dtype=torch.float32))
                for values in g.get("params", [[0.0]])
            ]
        for k, v in g.items():
            if k != "params":
                group[k] = option_value(k, v)
        groups.append(group)
    options = {k: option_value(k, v) for k, v in ospec.get("options", {}).items()}
    return cls(groups, **options, foreach=False)


def build_scheduler(sspec: dict, opt, last_epoch=None):
    typ = sspec["type"]
    args = sspec.get("args", {})
    if typ == TRANSFORMERS_TYPE:
        # get_scheduler(name, optimizer, ...): the keys given, by keyword.
        return transformers_module().get_scheduler(optimizer=opt, **copy.deepcopy(args))
    if typ in TIMM_TYPES:
        return timm_class(typ)(opt, **{k: list(v) if isinstance(v, list) else v for k, v in args.items()})
    kwargs = {}
    children = None
    for k, v in args.items():
        if k == "schedulers":
            children = [build_scheduler(c, opt) for c in v]
            continue
        if k == "lr_lambda":
            v = [make_function(s, "epoch") for s in v] if isinstance(v, list) \
                else make_function(v, "epoch")
        elif k == "scale_fn" and v is not None:
            v = make_function(v, "x")
        elif isinstance(v, list):
            v = list(v)
        kwargs[k] = v
    if last_epoch is not None:
        kwargs["last_epoch"] = last_epoch
    if typ == "ChainedScheduler":
        return lr_scheduler.ChainedScheduler(children, optimizer=opt)
    if typ == "SequentialLR":
        return lr_scheduler.SequentialLR(opt, schedulers=children, **kwargs)
    return SCHEDULER_CLASSES[typ](opt, **kwargs)


# --------------------------------------------------------------- JSON mapping

class MappingError(Exception):
    pass


def to_json(value):
    """Map a Python/PyTorch value to JSON per the format's mapping rules."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):  # includes collections.Counter
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, (int, str)):
                raise MappingError(f"dict key {k!r} of type {type(k).__name__}")
            out[str(k)] = to_json(v)
        return out
    if isinstance(value, torch.Tensor):
        return value.item() if value.dim() == 0 else value.tolist()
    if callable(value):
        return None
    raise MappingError(f"no JSON mapping for a value of type {type(value).__name__}")


def error_json(exc: BaseException) -> dict:
    return {"type": type(exc).__name__, "message": str(exc)}


# ------------------------------------------------------------------- running

class Run:
    def __init__(self, spec: dict):
        self.spec = spec
        self.sched_specs = scheduler_list(spec)
        self.multi = isinstance(spec.get("scheduler"), list)
        self.grad = spec.get("gradient")
        self.opt = None
        self.scheds: list = []

    # -- construction
    def construct(self) -> None:
        self.opt = build_optimizer(self.spec["optimizer"])
        for s in self.sched_specs:
            self.scheds.append(build_scheduler(s, self.opt))

    # -- records
    def record(self, with_state_dict: bool = False) -> dict:
        opt = self.opt
        rec = {"lr": [to_json(g["lr"]) for g in opt.param_groups]}
        # timm's schedulers have neither get_last_lr() nor last_epoch: the
        # keys are left out when no scheduler has them, null in a list.
        if any(hasattr(s, "get_last_lr") for s in self.scheds):
            last_lr = [to_json(s.get_last_lr()) if hasattr(s, "get_last_lr") else None for s in self.scheds]
            epochs = [to_json(s.last_epoch) if hasattr(s, "last_epoch") else None
                      for s in self.scheds]
            if self.multi:
                rec["last_lr"] = last_lr
                rec["last_epoch"] = epochs
            else:
                rec["last_lr"] = last_lr[0]
                if hasattr(self.scheds[0], "last_epoch"):
                    rec["last_epoch"] = epochs[0]
        if "momentum" in opt.defaults:
            rec["momentum"] = [to_json(g["momentum"]) for g in opt.param_groups]
        elif "betas" in opt.defaults:
            rec["momentum"] = [to_json(g["betas"][0]) for g in opt.param_groups]
        if self.grad is not None:
            rec["params"] = [[p.detach().tolist() for p in g["params"]]
                             for g in opt.param_groups]
        if with_state_dict:
            sds = [to_json(s.state_dict()) for s in self.scheds]
            rec["state_dict"] = sds if self.multi else sds[0]
        return rec

    # -- actions
    def optimizer_step(self) -> None:
        if self.grad is not None:
            target, scale = self.grad["target"], self.grad["scale"]
            with torch.no_grad():
                for g in self.opt.param_groups:
                    for p in g["params"]:
                        p.grad = (p.detach() - target) * scale
        self.opt.step()

    def scheduler_steps(self, op: dict, metric) -> None:
        targets = self.scheds if "scheduler" not in op else [self.scheds[op["scheduler"]]]
        for i, s in enumerate(self.scheds):
            if s not in targets:
                continue
            has_epoch = "epoch" in op
            if self.sched_specs[i]["type"] in TIMM_TYPES:
                # timm: step(epoch, metric=None); without an epoch, Python's TypeError.
                args = [op["epoch"]] if has_epoch else []
                if metric is not None:
                    s.step(*args, metric=metric)
                else:
                    s.step(*args)
                continue
            if metric is not None and has_epoch:
                s.step(metric, op["epoch"])
            elif metric is not None:
                s.step(metric)
            elif has_epoch:
                s.step(op["epoch"])
            else:
                s.step()

    def reload(self) -> None:
        saved_opt = copy.deepcopy(self.opt.state_dict())
        saved_scheds = [copy.deepcopy(s.state_dict()) for s in self.scheds]
        params = [list(g["params"]) for g in self.opt.param_groups]
        opt = build_optimizer(self.spec["optimizer"], params)
        scheds = [build_scheduler(s, opt) for s in self.sched_specs]
        opt.load_state_dict(saved_opt)
        for s, sd in zip(scheds, saved_scheds):
            s.load_state_dict(sd)
        self.opt, self.scheds = opt, scheds

    def rebuild(self) -> None:
        for i, s in enumerate(self.sched_specs):
            self.scheds[i] = build_scheduler(s, self.opt, last_epoch=self.scheds[i].last_epoch)

    def iterations(self, op: dict) -> list:
        """The metric for each repetition of an op (None: no metric)."""
        if "metrics" in op:
            return list(op["metrics"])
        return [op.get("metric")] * op.get("repeat", 1)

    def run_op(self, op: dict, metric) -> bool:
        """Run one repetition of an op; return False if it raised."""
        name = op["op"]
        if name == "step":
            self.optimizer_step()
            if self.scheds:
                self.scheduler_steps(op, metric)
        elif name == "step_update":
            self.optimizer_step()
            targets = self.scheds if "scheduler" not in op else [self.scheds[op["scheduler"]]]
            for s in targets:
                if metric is not None:
                    s.step_update(op["num_updates"], metric=metric)
                else:
                    s.step_update(op["num_updates"])
        elif name == "optimizer_step":
            self.optimizer_step()
        elif name == "scheduler_step":
            self.scheduler_steps(op, metric)
        elif name == "set_lr":
            self.opt.param_groups[op["group"]]["lr"] = op["value"]
        elif name == "state_dict":
            pass
        elif name == "reload":
            self.reload()
        elif name == "rebuild":
            self.rebuild()
        else:  # validated before
            raise AssertionError(name)
        return True

    def trace(self) -> tuple[list, dict | None]:
        try:
            self.construct()
        except MappingError:
            raise
        except Exception as exc:  # PyTorch rejected the construction
            return [], error_json(exc)
        trace = [self.record()]
        for op in self.spec["script"]:
            for metric in self.iterations(op):
                try:
                    self.run_op(op, metric)
                    rec = self.record(with_state_dict=op["op"] == "state_dict")
                except MappingError:
                    raise
                except Exception as exc:
                    trace.append({"error": error_json(exc)})
                    return trace, None
                trace.append(rec)
        return trace, None


def make_golden(spec: dict) -> dict:
    trace, error = Run(spec).trace()
    golden = dict(spec)
    golden["source"] = dict(SOURCE)
    types_used = [s["type"] for s in scheduler_list(spec)]
    if TRANSFORMERS_TYPE in types_used:
        golden["source"]["transformers"] = transformers_module().__version__
    if any(t in TIMM_TYPES for t in types_used):
        golden["source"]["timm"] = TIMM_VERSION
    golden["trace"] = trace
    if error is not None:
        golden["error"] = error
    return golden


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=1, allow_nan=True) + "\n"


# ----------------------------------------------------------------------- main

def find_specs(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in filenames:
            if f.endswith(".json"):
                out.append(os.path.join(dirpath, f))
    return sorted(out, key=lambda p: os.path.relpath(p, root))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--specs", default="Fixtures/specs", help="spec corpus root (default: %(default)s)")
    ap.add_argument("--out", default="Golden", help="golden output root (default: %(default)s)")
    ap.add_argument("files", nargs="*", metavar="SPEC.json", help="only these specs")
    args = ap.parse_args(argv)

    if TORCH_VERSION != REFERENCE_VERSION:
        print(f"goldens.py: PyTorch {REFERENCE_VERSION} required, found {torch.__version__}",
              file=sys.stderr)
        return 2

    started = time.monotonic()
    full_run = not args.files
    files = find_specs(args.specs) if full_run else list(args.files)
    if full_run and not files:
        print(f"goldens.py: no specs under {args.specs}", file=sys.stderr)
        return 2

    names: dict[str, str] = {}
    written = unchanged = construct_errors = op_errors = records = 0
    expected_outputs = set()
    for path in files:
        rel = os.path.relpath(path, args.specs)
        if rel.startswith(os.pardir):
            rel = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                spec = json.load(f)
            validate_spec(spec)
            if spec["name"] in names:
                raise SpecError(f"name {spec['name']!r} is also used by {names[spec['name']]}")
            names[spec["name"]] = path
            golden = make_golden(spec)
            text = dumps(golden)
        except (SpecError, MappingError, json.JSONDecodeError, OSError) as exc:
            print(f"goldens.py: {path}: {exc}", file=sys.stderr)
            return 2
        out_path = os.path.join(args.out, rel)
        expected_outputs.add(os.path.normpath(out_path))
        os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
        old = None
        if os.path.exists(out_path):
            with open(out_path, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(out_path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            written += 1
        else:
            unchanged += 1
        if "error" in golden:
            construct_errors += 1
        elif golden["trace"] and "error" in golden["trace"][-1]:
            op_errors += 1
        records += len(golden["trace"])

    stale = []
    if full_run and os.path.isdir(args.out):
        documents = os.path.join(args.out, "Documents")  # transcribed by document_goldens.py
        for p in find_specs(args.out):
            if os.path.normpath(p).startswith(os.path.normpath(documents) + os.sep):
                continue
            if os.path.normpath(p) not in expected_outputs:
                stale.append(p)
        for p in stale:
            print(f"goldens.py: stale golden (no spec): {p}", file=sys.stderr)

    elapsed = time.monotonic() - started
    print(f"goldens: {len(files)} specs -> {args.out} ({written} written, {unchanged} unchanged; "
          f"{records} records; {construct_errors} construction errors, {op_errors} op errors recorded; "
          f"{len(stale)} stale) with PyTorch {TORCH_VERSION} in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
