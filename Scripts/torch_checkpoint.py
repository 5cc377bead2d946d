#!/usr/bin/env python3
"""Convert between PyTorch state dicts and Anneal checkpoints.

An Anneal checkpoint is a safetensors file (any safetensors reader opens it)
whose ``__metadata__`` holds ``anneal``, a JSON manifest (format version 1:
counters, model parameter names and shapes, the optimizer's type,
``param_groups`` and non-tensor state, every scheduler's ``state_dict()``, the
RNG state, user metadata, each tensor's XXH3-128) and ``anneal.xxh3_128``, the
XXH3-128 of the manifest text. Tensors are float32, named ``model.<name>``
and ``optim.state.<index>.<key>``. See Sources/AnnealCheckpoint.

    python Scripts/torch_checkpoint.py export STATE.pt -o CHECKPOINT.safetensors
    python Scripts/torch_checkpoint.py import CHECKPOINT.safetensors -o STATE.pt
    python Scripts/torch_checkpoint.py verify CHECKPOINT.safetensors
    python Scripts/torch_checkpoint.py selftest [--anneal .build/debug/anneal]

STATE.pt (what ``export`` reads and ``import`` writes) is a ``torch.save``'d dict:

    {"model": model.state_dict(),
     "optimizer": optimizer.state_dict(),      # optional
     "optimizer_type": "AdamW",                # with "optimizer": any optimizer Anneal has
     "schedulers": [{"type": "StepLR", "state": scheduler.state_dict()}, ...],
     "step": 100, "epoch": 4,                  # optional, default 0
     "rng": [w0, w1, w2, w3],                  # optional: Anneal's xoshiro256** words
     "metadata": {...}}                        # optional: JSON-able user data

``import`` restores Python's types where JSON loses them (``Counter``
milestones, ``betas`` tuples), so each part loads with ``load_state_dict`` in
PyTorch 2.13. From Python code, ``export_checkpoint(path, model=...,
optimizer=..., schedulers=[...])`` takes live objects, and
``import_checkpoint(path)`` returns the dict above. Requirements: torch,
numpy, xxhash, safetensors (Scripts/requirements.txt).
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
import xxhash
from safetensors import safe_open

FORMAT = "anneal-checkpoint"
VERSION = 1
MANIFEST_KEY = "anneal"
MANIFEST_DIGEST_KEY = "anneal.xxh3_128"
CHECKSUM = "xxh3_128"
RNG_ALGORITHM = "xoshiro256**"
OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Adafactor")


class CheckpointError(Exception):
    """A checkpoint that cannot be written or read: the file and the problem."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


# ------------------------------------------------------------- JSON mapping

def to_json(value, where: str = "value"):
    """A state_dict value as the trace format's JSON (as Anneal's stateDict()
    writes it): Counters as objects, functions as null, 0-dim tensors as numbers."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):  # includes collections.Counter
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, (int, str)):
                raise TypeError(f"{where}: dict key {k!r} of type {type(k).__name__}")
            out[str(k)] = to_json(v, f"{where}.{k}")
        return out
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        return value.item()
    if callable(value):
        return None
    raise TypeError(f"{where}: no JSON mapping for a value of type {type(value).__name__}")


def from_json_state(value, key: str | None = None):
    """The reverse of to_json for scheduler states: MultiStepLR's
    ``milestones`` (an object, at any depth) becomes a Counter of ints."""
    if isinstance(value, dict):
        if key == "milestones":
            return collections.Counter({int(k): v for k, v in value.items()})
        return {k: from_json_state(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json_state(v) for v in value]
    return value


def param_group_from_json(group: dict) -> dict:
    """A param group as PyTorch holds it: its pairs (``betas``, ``etas``,
    ``step_sizes``, Adafactor's ``eps``) tuples."""
    group = dict(group)
    for key in ("betas", "etas", "step_sizes", "eps"):
        if isinstance(group.get(key), list):
            group[key] = tuple(group[key])
    return group


def utf8_key(text: str) -> bytes:
    return text.encode("utf-8")


def canonical_json(value) -> str:
    """JSON text as Anneal writes it: keys sorted (by UTF-8 bytes, which is
    code point order), Python's separators and float repr, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=True)


def header_string(text: str) -> str:
    """A JSON string as Anneal's header writer escapes it: '"' and '\\', and
    control characters as \\u00XX; everything else as is."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def hex_word(word: int) -> str:
    return f"{word:016x}"


# ------------------------------------------------- fields the readers check

INT64_MAX = 2**63 - 1  # Anneal's counters are Swift Ints


def check_counter(value, what: str) -> int:
    """A step or epoch as the Swift reader accepts it: an int (not a bool),
    0 <= value <= 2**63 - 1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT64_MAX:
        raise ValueError(f"{what} is {value!r}, not an integer from 0 to 2**63 - 1")
    return value


def check_parameter_names(names, what: str = "model") -> None:
    """Parameter names as the Swift reader accepts them: non-empty strings, each once."""
    seen = set()
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name:
            raise ValueError(f"{what} parameter {index} has an empty or non-string name {name!r}")
        if name in seen:
            raise ValueError(f"{what} parameter name {name!r} appears twice")
        seen.add(name)


def plain_int(value):
    """A 0-dimensional integer tensor as a Python int; anything else as is."""
    if isinstance(value, torch.Tensor) and value.dim() == 0 and not value.is_floating_point():
        return value.item()
    return value


def first_line(error: BaseException) -> str:
    """An exception as one line: its type, and the first line of its message."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()  # torch colours some messages
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


# ------------------------------------------------------------------ writing

def float32_bytes(tensor: torch.Tensor, name: str) -> bytes:
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"{name} is a {type(tensor).__name__}, not a tensor")
    if tensor.dtype != torch.float32:
        raise TypeError(f"{name} is {tensor.dtype}; Anneal checkpoints hold float32 tensors")
    array = tensor.detach().cpu().contiguous().numpy()
    return array.astype("<f4", copy=False).tobytes()


def encode(tensors: dict, manifest: dict) -> bytes:
    """The file of ``tensors`` (name -> (shape, float32 little-endian bytes))
    and ``manifest`` (without ``data``), in Anneal's layout: tensors in UTF-8
    order of their names, back to back; a compact header with __metadata__
    first; spaces to a multiple of 8 bytes."""
    names = sorted(tensors, key=utf8_key)
    manifest = dict(manifest)
    manifest["data"] = {
        "bytes": sum(len(tensors[name][1]) for name in names),
        CHECKSUM: {name: xxhash.xxh3_128_hexdigest(tensors[name][1]) for name in names},
    }
    manifest_text = canonical_json(manifest)
    metadata = {MANIFEST_KEY: manifest_text, MANIFEST_DIGEST_KEY: xxhash.xxh3_128_hexdigest(manifest_text.encode())}
    parts = ['"__metadata__":{' + ",".join(
        f"{header_string(k)}:{header_string(metadata[k])}" for k in sorted(metadata, key=utf8_key)) + "}"]
    offset = 0
    for name in names:
        shape, raw = tensors[name]
        dims = ",".join(str(d) for d in shape)
        parts.append(f'{header_string(name)}:{{"dtype":"F32","shape":[{dims}],"data_offsets":[{offset},{offset + len(raw)}]}}')
        offset += len(raw)
    text = ("{" + ",".join(parts) + "}").encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(tensors[name][1] for name in names)


def write_atomically(path: str, payload: bytes) -> None:
    """Temporary file in the same directory, fsync, rename, fsync the directory."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def build_checkpoint(state: dict) -> bytes:
    """The bytes of the checkpoint of a STATE dict (see the module docstring)."""
    tensors: dict[str, tuple[list[int], bytes]] = {}

    def add(name: str, tensor: torch.Tensor) -> None:
        if name in tensors:
            raise ValueError(f"tensor {name!r} appears twice")
        tensors[name] = (list(tensor.shape), float32_bytes(tensor, name))

    if not isinstance(state, dict) or not isinstance(state.get("model"), dict):
        raise ValueError('a STATE dict needs "model": a state_dict (see the module docstring)')
    check_parameter_names(list(state["model"]))
    parameters = []
    for name, tensor in state["model"].items():
        add("model." + name, tensor)
        parameters.append({"name": name, "shape": list(tensor.shape)})

    optimizer = None
    if state.get("optimizer") is not None:
        kind = state.get("optimizer_type")
        if kind not in OPTIMIZERS:
            raise ValueError(f"optimizer_type must be one of {', '.join(OPTIMIZERS)}, got {kind!r}")
        saved = state["optimizer"]
        groups = [to_json(g, f"param_groups[{i}]") for i, g in enumerate(saved["param_groups"])]
        entries = []
        for index in sorted(saved["state"]):
            values = saved["state"][index]
            scalars, tensor_shapes = {}, {}
            for key in sorted(values):
                value = values[key]
                if isinstance(value, torch.Tensor):
                    add(f"optim.state.{index}.{key}", value)
                    tensor_shapes[key] = list(value.shape)
                else:
                    scalars[key] = to_json(value, f"state[{index}].{key}")
            entries.append({"index": int(index), "scalars": scalars, "tensors": tensor_shapes})
        optimizer = {"type": kind, "param_groups": groups, "state": entries}

    rng = None
    if state.get("rng") is not None:
        words = [int(w) for w in state["rng"]]
        if len(words) != 4 or not any(words) or not all(0 <= w < 2**64 for w in words):
            raise ValueError("rng must be 4 unsigned 64-bit words, not all zero (Anneal's xoshiro256** state)")
        rng = {"algorithm": RNG_ALGORITHM, "state": [hex_word(w) for w in words]}

    manifest = {
        "epoch": check_counter(plain_int(state.get("epoch", 0)), "epoch"),
        "format": FORMAT,
        "metadata": to_json(state.get("metadata") or {}, "metadata"),
        "model": {"parameters": parameters},
        "optimizer": optimizer,
        "rng": rng,
        "schedulers": [{"state": to_json(s["state"], s["type"]), "type": s["type"]} for s in state.get("schedulers", [])],
        "step": check_counter(plain_int(state.get("step", 0)), "step"),
        "version": VERSION,
    }
    return encode(tensors, manifest)


def export_checkpoint(path: str, *, model=None, model_state=None, optimizer=None, optimizer_state=None,
                      optimizer_type=None, schedulers=(), step=0, epoch=0, rng=None, metadata=None) -> None:
    """Writes an Anneal checkpoint from live objects (``model``, ``optimizer``,
    ``schedulers``) or their state dicts (``model_state``, ``optimizer_state``
    with ``optimizer_type``, ``schedulers`` as ``{"type", "state"}`` dicts)."""
    if model is not None:
        model_state = model.state_dict()
    if optimizer is not None:
        optimizer_state = optimizer.state_dict()
        optimizer_type = type(optimizer).__name__
    records = []
    for s in schedulers:
        records.append(s if isinstance(s, dict) else {"type": type(s).__name__, "state": s.state_dict()})
    payload = build_checkpoint({
        "model": model_state, "optimizer": optimizer_state, "optimizer_type": optimizer_type,
        "schedulers": records, "step": step, "epoch": epoch, "rng": rng, "metadata": metadata,
    })
    write_atomically(path, payload)


# ------------------------------------------------------------------ reading

def read_checkpoint(path: str) -> tuple[dict, dict]:
    """The manifest and the tensors (by file name) of a verified checkpoint.
    safetensors' reader checks the container; this checks the manifest's
    checksum and fields, the tensor table against it, and every tensor's XXH3-128."""
    try:
        with safe_open(path, framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()}
    except Exception as error:  # safetensors raises its own error types
        raise CheckpointError(path, f"not a valid safetensors file: {error}") from None
    text = metadata.get(MANIFEST_KEY)
    if text is None:
        raise CheckpointError(path, 'not an Anneal checkpoint: __metadata__ has no "anneal" manifest')
    recorded = metadata.get(MANIFEST_DIGEST_KEY)
    actual = xxhash.xxh3_128_hexdigest(text.encode())
    if recorded != actual:
        raise CheckpointError(path, f"manifest checksum mismatch: recorded {recorded}, computed {actual}")
    try:
        manifest = json.loads(text)
    except ValueError as error:
        raise CheckpointError(path, f"the manifest is not valid JSON: {first_line(error)}") from None
    if not isinstance(manifest, dict):
        raise CheckpointError(path, "the manifest is not a JSON object")
    try:
        return _check_manifest(path, manifest, tensors), tensors
    except CheckpointError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise CheckpointError(path, f"invalid manifest: {first_line(error)}") from None


def _check_manifest(path: str, manifest: dict, tensors: dict) -> dict:
    """The checks of read_checkpoint after the manifest's checksum."""
    if manifest.get("version") != VERSION:
        raise CheckpointError(path, f"unsupported manifest version {manifest.get('version')!r}")
    if manifest.get("format") != FORMAT:
        raise CheckpointError(path, f"manifest format is {manifest.get('format')!r}, not {FORMAT!r}")
    for key in ("step", "epoch"):
        try:
            check_counter(manifest.get(key), key)
        except ValueError as error:
            raise CheckpointError(path, f"manifest {error}") from None
    try:
        check_parameter_names([p["name"] for p in manifest["model"]["parameters"]], "manifest model")
    except ValueError as error:
        raise CheckpointError(path, str(error)) from None
    expected = {"model." + p["name"]: p["shape"] for p in manifest["model"]["parameters"]}
    for entry in (manifest.get("optimizer") or {}).get("state", []):
        for key, shape in entry["tensors"].items():
            expected[f"optim.state.{entry['index']}.{key}"] = shape
    for name in sorted(set(expected) | set(tensors), key=utf8_key):
        if name not in tensors:
            raise CheckpointError(path, f"tensor {name!r} is in the manifest but not in the file")
        if name not in expected:
            raise CheckpointError(path, f"tensor {name!r} is in the file but not in the manifest")
        tensor = tensors[name]
        if tensor.dtype != torch.float32:
            raise CheckpointError(path, f"tensor {name!r} is {tensor.dtype}, not float32")
        if list(tensor.shape) != expected[name]:
            raise CheckpointError(path, f"tensor {name!r} has shape {list(tensor.shape)}, the manifest says {expected[name]}")
        digest = xxhash.xxh3_128_hexdigest(float32_bytes(tensor, name))
        if digest != manifest["data"][CHECKSUM].get(name):
            raise CheckpointError(path, f"tensor {name!r}: data checksum mismatch")
    return manifest


def import_checkpoint(path: str) -> dict:
    """A verified checkpoint as a STATE dict whose parts load with
    ``load_state_dict`` in PyTorch 2.13."""
    manifest, tensors = read_checkpoint(path)
    model = collections.OrderedDict(
        (p["name"], tensors["model." + p["name"]]) for p in manifest["model"]["parameters"])
    state = {
        "model": model,
        "step": manifest["step"],
        "epoch": manifest["epoch"],
        "metadata": manifest["metadata"],
        "rng": [int(w, 16) for w in manifest["rng"]["state"]] if manifest.get("rng") else None,
        "schedulers": [{"type": s["type"], "state": from_json_state(s["state"])} for s in manifest["schedulers"]],
        "optimizer": None,
        "optimizer_type": None,
    }
    optimizer = manifest.get("optimizer")
    if optimizer is not None:
        saved_state = {}
        for entry in optimizer["state"]:
            values = dict(entry["scalars"])
            for key in entry["tensors"]:
                values[key] = tensors[f"optim.state.{entry['index']}.{key}"]
            saved_state[entry["index"]] = dict(sorted(values.items()))
        state["optimizer"] = {
            "state": saved_state,
            "param_groups": [param_group_from_json(g) for g in optimizer["param_groups"]],
        }
        state["optimizer_type"] = optimizer["type"]
    return state


# ---------------------------------------------------------------- self-test

def _equal(a, b) -> bool:
    """Exact equality of state dict values: tensors bit for bit, types kept."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dtype == b.dtype
                and a.shape == b.shape and torch.equal(a.view(torch.int32) if a.dtype == torch.float32 else a,
                                                        b.view(torch.int32) if b.dtype == torch.float32 else b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _configurations():
    """(name, optimizer factory, scheduler factory) for the round trips."""
    from torch.optim import SGD, Adam, AdamW, RMSprop, lr_scheduler as L

    return [
        ("AdamW, SequentialLR(LinearLR, CosineAnnealingLR)",
         lambda p: AdamW(p, lr=1e-3, weight_decay=0.01),
         lambda o: [L.SequentialLR(o, [L.LinearLR(o, start_factor=0.1, total_iters=3), L.CosineAnnealingLR(o, T_max=10)], milestones=[3])]),
        ("SGD momentum, MultiStepLR and ExponentialLR",
         lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True),
         lambda o: [L.MultiStepLR(o, milestones=[2, 4, 4], gamma=0.5), L.ExponentialLR(o, gamma=0.95)]),
        ("SGD without momentum, StepLR",
         lambda p: SGD(p, lr=0.05),
         lambda o: [L.StepLR(o, step_size=2, gamma=0.5)]),
        ("Adam amsgrad, ChainedScheduler(ConstantLR, MultiStepLR)",
         lambda p: Adam(p, lr=0.01, amsgrad=True),
         lambda o: [L.ChainedScheduler([L.ConstantLR(o, factor=0.5, total_iters=2), L.MultiStepLR(o, milestones=[3])])]),
        ("RMSprop centered with momentum, OneCycleLR",
         lambda p: RMSprop(p, lr=0.01, momentum=0.9, centered=True),
         lambda o: [L.OneCycleLR(o, max_lr=0.1, total_steps=20)]),
        ("Adam, ReduceLROnPlateau",
         lambda p: Adam(p, lr=0.01),
         lambda o: [L.ReduceLROnPlateau(o, patience=1)]),
        ("SGD, LambdaLR and CyclicLR",
         lambda p: SGD(p, lr=0.1, momentum=0.8),
         lambda o: [L.LambdaLR(o, lambda e: 0.9 ** e), L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3)]),
    ]


def _train(model, optimizer, schedulers, steps, generator):
    for _ in range(steps):
        x = torch.randn(8, 3, generator=generator)
        y = torch.randn(8, 1, generator=generator)
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        for s in schedulers:
            if isinstance(s, torch.optim.lr_scheduler.ReduceLROnPlateau):
                s.step(loss.item())
            else:
                s.step()


def selftest(anneal: str | None) -> int:
    """Export→import round trips in PyTorch; prints 'N passed, N failed'."""
    import warnings
    warnings.simplefilter("ignore")
    passed = failed = 0

    def check(condition: bool, what: str) -> None:
        nonlocal passed, failed
        if condition:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    work = tempfile.mkdtemp(prefix="anneal-torch-checkpoint-")
    for name, make_optimizer, make_schedulers in _configurations():
        torch.manual_seed(0)

        def build():
            model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
            optimizer = make_optimizer(model.parameters())
            return model, optimizer, make_schedulers(optimizer)

        model, optimizer, schedulers = build()
        generator = torch.Generator().manual_seed(1)
        _train(model, optimizer, schedulers, 5, generator)
        path = os.path.join(work, "c.safetensors")
        export_checkpoint(path, model=model, optimizer=optimizer, schedulers=schedulers, step=5, epoch=1,
                          rng=[1, 2, 3, 2**64 - 1], metadata={"config": name})
        state = import_checkpoint(path)

        # The imported parts equal the originals, types included.
        check(_equal(state["model"], model.state_dict()), f"{name}: model state_dict")
        check(_equal(state["optimizer"], optimizer.state_dict()), f"{name}: optimizer state_dict")
        for s, record in zip(schedulers, state["schedulers"]):
            check(record["type"] == type(s).__name__, f"{name}: scheduler type")
            expected = {k: v for k, v in s.state_dict().items()}
            check(_equal(to_json(record["state"]), to_json(expected)), f"{name}: {type(s).__name__} state_dict (JSON)")
        check(state["step"] == 5 and state["epoch"] == 1 and state["rng"] == [1, 2, 3, 2**64 - 1], f"{name}: counters and rng")
        check(state["metadata"] == {"config": name}, f"{name}: metadata")

        # export → import → export gives the same bytes (before load_state_dict,
        # which may keep the imported tensors and update them in place); a
        # flipped byte is caught.
        again = os.path.join(work, "again.safetensors")
        export_checkpoint(again, model_state=state["model"], optimizer_state=state["optimizer"],
                          optimizer_type=state["optimizer_type"], schedulers=state["schedulers"], step=5, epoch=1,
                          rng=state["rng"], metadata=state["metadata"])
        with open(path, "rb") as a, open(again, "rb") as b:
            first = a.read()
            check(first == b.read(), f"{name}: export of the import is byte-identical")
        damaged = bytearray(first)
        damaged[-3] ^= 0x10
        with open(again, "wb") as f:
            f.write(damaged)
        try:
            read_checkpoint(again)
            check(False, f"{name}: a flipped data byte was accepted")
        except CheckpointError as error:
            check("checksum mismatch" in str(error), f"{name}: flipped byte: {error}")
        # Loading into fresh objects and continuing gives the same run, bit for bit.
        torch.manual_seed(123)  # different initial values, all overwritten
        model2, optimizer2, schedulers2 = build()
        model2.load_state_dict(state["model"])
        optimizer2.load_state_dict(state["optimizer"])
        for s, record in zip(schedulers2, state["schedulers"]):
            s.load_state_dict(record["state"])
        g1, g2 = torch.Generator().manual_seed(7), torch.Generator().manual_seed(7)
        _train(model, optimizer, schedulers, 6, g1)
        _train(model2, optimizer2, schedulers2, 6, g2)
        check(_equal(model.state_dict(), model2.state_dict()), f"{name}: parameters after resuming")
        check(_equal(optimizer.state_dict(), optimizer2.state_dict()), f"{name}: optimizer after resuming")
        check([s.get_last_lr() if hasattr(s, "get_last_lr") else s._last_lr for s in schedulers]
              == [s.get_last_lr() if hasattr(s, "get_last_lr") else s._last_lr for s in schedulers2],
              f"{name}: learning rates after resuming")

        if anneal:
            result = subprocess.run([anneal, "checkpoint", "verify", path], capture_output=True, text=True)
            check(result.returncode == 0, f"{name}: anneal checkpoint verify: {result.stderr.strip()}")

    # Anneal's own file: Python reads it, and writes it back byte for byte.
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "checkpoints", "valid.safetensors")
    if os.path.exists(fixture):
        state = import_checkpoint(fixture)
        out = os.path.join(work, "fixture.safetensors")
        export_checkpoint(out, model_state=state["model"], optimizer_state=state["optimizer"],
                          optimizer_type=state["optimizer_type"], schedulers=state["schedulers"], step=state["step"],
                          epoch=state["epoch"], rng=state["rng"], metadata=state["metadata"])
        with open(fixture, "rb") as a, open(out, "rb") as b:
            check(a.read() == b.read(), "Anneal's valid.safetensors re-exported by Python is byte-identical")
    else:
        check(False, f"missing {fixture}")
    # Non-float32 tensors are refused with the tensor's name.
    try:
        build_checkpoint({"model": {"count": torch.tensor([1, 2])}})
        check(False, "an int64 tensor was accepted")
    except TypeError as error:
        check("model.count is torch.int64" in str(error), f"int64 tensor: {error}")

    for name in os.listdir(work):
        os.unlink(os.path.join(work, name))
    os.rmdir(work)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


# --------------------------------------------------------------- the command

def load_state(path: str) -> dict:
    """``torch.load(path, weights_only=True)``: any failure (a missing,
    empty or junk file, a pickle that asks for a blocked global) is a
    CheckpointError naming the file, in one line."""
    try:
        with torch.serialization.safe_globals([collections.Counter, collections.OrderedDict]):
            return torch.load(path, weights_only=True)
    except Exception as error:  # pickle, zipfile and torch raise many types
        raise CheckpointError(path, f"cannot load a STATE dict: {first_line(error)}") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="STATE.pt (torch.save'd dict) -> Anneal checkpoint")
    p.add_argument("state")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("import", help="Anneal checkpoint -> STATE.pt")
    p.add_argument("checkpoint")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("verify", help="check a checkpoint (exit 0 valid, 65 invalid)")
    p.add_argument("checkpoint")
    p = sub.add_parser("selftest", help="export->import round trips in PyTorch")
    p.add_argument("--anneal", help="an anneal executable, to verify the exported files too")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            state = load_state(args.state)
            try:
                payload = build_checkpoint(state)
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                raise CheckpointError(args.state, f"cannot export: {first_line(error)}") from None
            write_atomically(args.output, payload)
        elif args.command == "import":
            torch.save(import_checkpoint(args.checkpoint), args.output)
        elif args.command == "verify":
            manifest, tensors = read_checkpoint(args.checkpoint)
            print(f"{args.checkpoint}: valid (step {manifest['step']}, epoch {manifest['epoch']}, {len(tensors)} tensors)")
        else:
            return selftest(args.anneal)
    except CheckpointError as error:
        print(f"torch_checkpoint.py: {error}", file=sys.stderr)
        return 65
    except (OSError, ValueError, TypeError, KeyError) as error:
        print(f"torch_checkpoint.py: {first_line(error)}", file=sys.stderr)
        return 65
    return 0


if __name__ == "__main__":
    sys.exit(main())
