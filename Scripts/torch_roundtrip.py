#!/usr/bin/env python3
"""Round-trips torch.save files through `anneal checkpoint convert a.pt b.pt`
and checks, in PyTorch 2.13, that torch.load(weights_only=True) gives back
the same tree: Python types, values (floats by their bits), tensors' dtype,
shape, stride, storage offset, bytes, requires_grad and Parameter-ness, and
which tensors share a storage.

    torch_roundtrip.py --anneal .build/debug/anneal [--random N] [--seed S] [FILES...]

With no FILES, every valid fixture of Fixtures/torch/expectations.json is
used, plus N random files (default 200) of random trees.
"""
import argparse
import collections
import io
import json
import math
import os
import random
import struct
import subprocess
import sys
import tempfile

import warnings

import torch

warnings.filterwarnings("ignore", message="TypedStorage is deprecated")

DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int8, torch.int16,
          torch.int32, torch.int64, torch.uint8, torch.bool, torch.complex64, torch.complex128]
# The dtypes torch.save writes with _rebuild_tensor_v3 over an UntypedStorage.
V3_DTYPES = sorted(torch.storage._new_dtypes(), key=str)


def float_bits(x):
    return struct.pack("<d", x)


class Mismatch(Exception):
    pass


def compare(a, b, path, storages_a, storages_b):
    """Raises Mismatch at the first difference; collects storages for sharing checks."""
    if type(a) is not type(b):
        raise Mismatch(f"{path}: type {type(a).__qualname__} vs {type(b).__qualname__}")
    if isinstance(a, torch.Tensor):
        for attribute in ("dtype", "shape", "requires_grad"):
            if getattr(a, attribute) != getattr(b, attribute):
                raise Mismatch(f"{path}: {attribute} {getattr(a, attribute)} vs {getattr(b, attribute)}")
        if a.stride() != b.stride() or a.storage_offset() != b.storage_offset():
            raise Mismatch(f"{path}: layout {a.stride()}+{a.storage_offset()} vs {b.stride()}+{b.storage_offset()}")
        sa, sb = a.untyped_storage(), b.untyped_storage()
        if bytes(sa) != bytes(sb):
            raise Mismatch(f"{path}: storage bytes differ")
        storages_a.append((path, sa.data_ptr()))
        storages_b.append((path, sb.data_ptr()))
        return
    if isinstance(a, (torch.storage.TypedStorage, torch.storage.UntypedStorage)):
        if isinstance(a, torch.storage.TypedStorage) and a.dtype != b.dtype:
            raise Mismatch(f"{path}: storage dtype {a.dtype} vs {b.dtype}")
        ua = a._untyped_storage if isinstance(a, torch.storage.TypedStorage) else a
        ub = b._untyped_storage if isinstance(b, torch.storage.TypedStorage) else b
        if bytes(ua) != bytes(ub):
            raise Mismatch(f"{path}: storage bytes differ")
        storages_a.append((path, ua.data_ptr()))
        storages_b.append((path, ub.data_ptr()))
        return
    if isinstance(a, float):
        if float_bits(a) != float_bits(b):
            raise Mismatch(f"{path}: {a!r} vs {b!r}")
        return
    if isinstance(a, complex):
        if float_bits(a.real) != float_bits(b.real) or float_bits(a.imag) != float_bits(b.imag):
            raise Mismatch(f"{path}: {a!r} vs {b!r}")
        return
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            raise Mismatch(f"{path}: length {len(a)} vs {len(b)}")
        for index, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{index}]", storages_a, storages_b)
        return
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()) or [type(k) for k in a] != [type(k) for k in b]:
            raise Mismatch(f"{path}: keys {list(a.keys())[:8]} vs {list(b.keys())[:8]}")
        for key in a:
            compare(a[key], b[key], f"{path}[{key!r}]", storages_a, storages_b)
        if isinstance(a, collections.OrderedDict):
            compare(vars(a), vars(b), f"{path}.__dict__", storages_a, storages_b)
        return
    if isinstance(a, set):
        if a != b:
            raise Mismatch(f"{path}: {a!r} vs {b!r}")
        return
    if a != b:
        raise Mismatch(f"{path}: {a!r} vs {b!r}")


def sharing(storages):
    """Which paths share a storage, as a partition independent of addresses (by
    data pointer: torch.load gives each reference to an empty storage a new
    one, unless the pickle's memo made them one tensor, which Anneal's writer
    does not keep; their pointers are all 0)."""
    groups = collections.defaultdict(list)
    for path, pointer in storages:
        groups[pointer].append(path)
    return sorted(sorted(group) for group in groups.values())


def check_pair(original, converted):
    a = torch.load(original, weights_only=True)
    b = torch.load(converted, weights_only=True)
    storages_a, storages_b = [], []
    compare(a, b, "root", storages_a, storages_b)
    if sharing(storages_a) != sharing(storages_b):
        raise Mismatch("storage sharing differs")


# Random trees ----------------------------------------------------------------

def random_float(rng):
    return rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan, 1e-310, 1.5, -2.25e300,
                       rng.uniform(-1e6, 1e6), float.fromhex("0x1.fffffffffffffp+1023")])


def random_int(rng):
    return rng.choice([0, 1, -1, 255, 256, 65535, 65536, -129, 2**31 - 1, -2**31, 2**31, 2**63 - 1, -2**63,
                       2**64, -2**64 - 1, 10**40, -(10**40), rng.randrange(-10**6, 10**6)])


def random_tensor(rng, pool):
    if pool and rng.random() < 0.3:
        base = rng.choice(pool)
        views = [lambda t: t, lambda t: t.reshape(-1)[1:] if t.numel() > 1 else t,
                 lambda t: t.t() if t.dim() == 2 else t, lambda t: t[..., ::2] if t.dim() >= 1 else t,
                 lambda t: same_size_view(rng, t)]
        return rng.choice(views)(base)
    dtype = rng.choice(DTYPES + V3_DTYPES)
    shape = [rng.randrange(0, 4) for _ in range(rng.randrange(0, 4))]
    generator = torch.Generator().manual_seed(rng.randrange(2**31))
    if dtype in V3_DTYPES:
        # Random bytes: most of these dtypes have no random or conversion kernels.
        t = torch.randint(0, 256, shape + [dtype.itemsize], generator=generator, dtype=torch.uint8).view(dtype).squeeze(-1)
    elif dtype == torch.bool:
        t = torch.randint(0, 2, shape, generator=generator).bool()
    elif dtype.is_floating_point or dtype.is_complex:
        t = (torch.randn(shape, generator=generator, dtype=torch.float64) * 100).to(dtype)
    else:
        info = torch.iinfo(dtype)
        t = torch.randint(max(info.min, -1000), min(info.max, 1000) + 1, shape, generator=generator, dtype=dtype)
    if t.dim() == 2 and rng.random() < 0.3:
        t = t.t()
    if rng.random() < 0.2 and (dtype.is_floating_point or dtype.is_complex):
        t = torch.nn.Parameter(t, requires_grad=rng.random() < 0.7)
    elif rng.random() < 0.1 and (dtype.is_floating_point or dtype.is_complex):
        t.requires_grad_(True)
    pool.append(t.detach() if isinstance(t, torch.nn.Parameter) else t)
    return t


def same_size_view(rng, t):
    """A view of a v3 tensor as another v3 dtype of its element size (one untyped storage, two dtypes)."""
    others = [d for d in V3_DTYPES if d.itemsize == t.element_size() and d != t.dtype]
    if t.dtype not in V3_DTYPES or not others or t.dim() == 0 or t.stride(-1) != 1:
        return t
    return t.view(rng.choice(others))


def random_key(rng):
    return rng.choice([rng.choice(["lr", "state", "param_groups", "é", "", "a" * 40]), random_int(rng),
                       rng.choice([True, False, None, 1.5, (1, "x")])])


def random_value(rng, depth, pool):
    kinds = ["none", "bool", "int", "float", "str", "bytes", "tensor", "complex", "dtype", "size", "device"]
    if depth < 4:
        kinds += ["list", "tuple", "dict", "ordered", "counter", "set", "bytearray"] * 2
    kind = rng.choice(kinds)
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return random_int(rng)
    if kind == "float":
        return random_float(rng)
    if kind == "complex":
        return complex(random_float(rng), random_float(rng))
    if kind == "str":
        return rng.choice(["", "a", "héllo", "\u2603 snow", "x" * 300, "tab\tnew\nline"])
    if kind == "bytes":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 6)))
    if kind == "bytearray":
        return bytearray(rng.randrange(256) for _ in range(rng.randrange(0, 6)))
    if kind == "tensor":
        return random_tensor(rng, pool)
    if kind == "dtype":
        return rng.choice(DTYPES + V3_DTYPES)
    if kind == "size":
        return torch.Size([rng.randrange(5) for _ in range(rng.randrange(4))])
    if kind == "device":
        return rng.choice([torch.device("cpu"), torch.device("cuda", 1), torch.device("cuda"), torch.device("meta")])
    count = rng.randrange(0, 6)
    if kind == "list":
        return [random_value(rng, depth + 1, pool) for _ in range(count)]
    if kind == "tuple":
        return tuple(random_value(rng, depth + 1, pool) for _ in range(count))
    if kind == "set":
        return {random_int(rng) for _ in range(count)} | {"s"}
    if kind == "counter":
        return collections.Counter({f"k{i}": random_int(rng) for i in range(count)})
    entries = {}
    for _ in range(count):
        key = random_key(rng)
        try:
            entries[key] = random_value(rng, depth + 1, pool)
        except TypeError:
            pass
    if kind == "ordered":
        ordered = collections.OrderedDict(entries)
        if rng.random() < 0.5:
            ordered._metadata = {"": {"version": rng.randrange(3)}}
        return ordered
    return entries


def random_file(rng, path):
    """A random tree torch itself loads back (it refuses some, e.g. an empty bytes)."""
    while True:
        try:
            random_tree_file(rng, path)
            torch.load(path, weights_only=True)
            return
        except Exception:
            pass


def random_tree_file(rng, path):
    pool = []
    value = {"epoch": random_int(rng), "tree": random_value(rng, 0, pool), "tensors": [random_tensor(rng, pool) for _ in range(rng.randrange(4))]}
    if rng.random() < 0.3:
        value["storage"] = rng.choice(pool).storage() if pool and rng.random() < 0.5 else torch.arange(3.).untyped_storage()
    torch.save(value, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--anneal", required=True)
    parser.add_argument("--random", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    files = list(args.files)
    if not files:
        fixtures = os.path.join(here, "..", "Fixtures", "torch")
        with open(os.path.join(fixtures, "expectations.json")) as f:
            expectations = json.load(f)
        files += [os.path.join(fixtures, name) for name in sorted(expectations["valid"])]
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        rng = random.Random(args.seed)
        for index in range(args.random):
            path = os.path.join(work, f"random-{index}.pt")
            random_file(rng, path)
            files.append(path)
        for index, original in enumerate(files):
            converted = os.path.join(work, f"converted-{index}.pt")
            run = subprocess.run([args.anneal, "checkpoint", "convert", original, converted], capture_output=True, text=True)
            if run.returncode != 0:
                failures += 1
                print(f"FAIL {original}: anneal exited {run.returncode}: {run.stderr.strip()}")
                continue
            try:
                check_pair(original, converted)
            except Mismatch as mismatch:
                failures += 1
                print(f"FAIL {original}: {mismatch}")
    print(f"{len(files) - failures} of {len(files)} files round-trip through anneal checkpoint convert")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
