#!/usr/bin/env python3
"""Writes the torch.save fixtures of Fixtures/torch/ and their expectations.

Run with the pinned torch (2.13.0+cpu):  python Scripts/make_torch_fixtures.py [OUT_DIR] [--training-only | --skip-training]

Training states go to OUT_DIR/training/, each beside the Anneal checkpoint
Scripts/torch_checkpoint.py makes of it (--training-only writes just those,
--skip-training all but those and the Hugging Face checkpoint).

Every valid fixture is written by torch.save and read back by
torch.load(weights_only=True); expectations.json records what torch made of
it (Python types, dtypes, shapes, strides, storage offsets, which tensors
share a storage, and every value as hex bits), so the Swift tests need no
torch. Hostile fixtures are files torch.load(weights_only=True) refuses (or
that must be refused), each with the problem Anneal must report. Output is
deterministic: the same torch writes the same bytes.
"""
import collections
import io
import itertools
import json
import os
import struct
import sys
import zipfile
import zlib

import torch

_FLAGS = ("--training-only", "--skip-training")
_ARGS = [a for a in sys.argv[1:] if a not in _FLAGS]
OUT = _ARGS[0] if _ARGS else os.path.join(os.path.dirname(__file__), "..", "Fixtures", "torch")
assert torch.__version__.startswith("2.13."), f"torch 2.13 is pinned, this is {torch.__version__}"


# --- What torch made of a file --------------------------------------------------------------------------------


def element_hex(t):
    """Each element's bytes, little-endian, in row-major order."""
    size = t.element_size()
    if str(t.dtype)[len("torch.") :] in V3_DTYPES:
        # Dtypes with few kernels: read the storage's bytes by stride.
        storage = bytes(t.untyped_storage())
        out = []
        for index in itertools.product(*(range(n) for n in t.shape)):
            start = (t.storage_offset() + sum(k * s for k, s in zip(index, t.stride()))) * size
            out.append(storage[start : start + size].hex())
        return out
    c = t.detach().contiguous().reshape(-1)
    raw = c.view(torch.uint8).numpy().tobytes() if c.numel() else b""
    return [raw[i : i + size].hex() for i in range(0, len(raw), size)]


def describe(v, storages):
    if isinstance(v, torch.Tensor):
        # The storage itself, not its data pointer: empty storages all have pointer 0.
        ptr = v.untyped_storage()._cdata
        if ptr not in storages:
            storages[ptr] = len(storages)
        return {
            "type": "torch.nn.Parameter" if isinstance(v, torch.nn.Parameter) else "torch.Tensor",
            "dtype": str(v.dtype)[len("torch.") :],
            "shape": list(v.shape),
            "stride": list(v.stride()),
            "storage_offset": v.storage_offset(),
            "storage_group": storages[ptr],
            "storage_bytes": v.untyped_storage().nbytes(),
            "requires_grad": v.requires_grad,
            "hex": element_hex(v),
        }
    if v is None:
        return {"type": "NoneType"}
    if isinstance(v, bool):
        return {"type": "bool", "value": v}
    if isinstance(v, int):
        return {"type": "int", "value": str(v)}
    if isinstance(v, float):
        return {"type": "float", "bits": struct.pack("<d", v).hex()}
    if isinstance(v, complex):
        return {"type": "complex", "real": struct.pack("<d", v.real).hex(), "imag": struct.pack("<d", v.imag).hex()}
    if isinstance(v, str):
        return {"type": "str", "value": v}
    if type(v) is bytes:
        return {"type": "bytes", "hex": v.hex()}
    if type(v) is bytearray:
        return {"type": "bytearray", "hex": v.hex()}
    if isinstance(v, torch.Size):
        return {"type": "torch.Size", "value": list(v)}
    if isinstance(v, torch.device):
        return {"type": "torch.device", "device": v.type, "index": v.index}
    if isinstance(v, torch.dtype):
        return {"type": "torch.dtype", "value": str(v)[len("torch.") :]}
    if type(v) in (tuple, list, set):
        return {"type": type(v).__name__, "items": [describe(x, storages) for x in v]}
    if type(v) in (dict, collections.OrderedDict, collections.Counter):
        name = {dict: "dict", collections.OrderedDict: "collections.OrderedDict", collections.Counter: "collections.Counter"}[type(v)]
        out = {"type": name, "entries": [{"key": describe(k, storages), "value": describe(x, storages)} for k, x in v.items()]}
        if type(v) is collections.OrderedDict and v.__dict__:
            out["attributes"] = describe(dict(v.__dict__), storages)
        return out
    raise TypeError(f"no description for {type(v)}")


# --- Valid fixtures -------------------------------------------------------------------------------------------


def model():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    net.train()
    for _ in range(2):
        net(torch.randn(5, 3)).sum().backward()
    return net


def optimizer_state():
    net = model()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
    for _ in range(2):
        opt.zero_grad()
        net(torch.randn(5, 3)).sum().backward()
        opt.step()
    return net, opt


def valid_fixtures():
    net, opt = optimizer_state()
    sgd_net = model()
    sgd = torch.optim.SGD(sgd_net.parameters(), lr=0.1, momentum=0.9)
    sgd_net(torch.randn(5, 3)).sum().backward()
    sgd.step()
    sched_opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    step = torch.optim.lr_scheduler.StepLR(sched_opt, step_size=3, gamma=0.5)
    multi = torch.optim.lr_scheduler.MultiStepLR(sched_opt, milestones=[2, 2, 5], gamma=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(sched_opt)
    for _ in range(4):
        sched_opt.step()
        step.step()
        multi.step()
        plateau.step(1.0)
    base = torch.arange(24, dtype=torch.float32)
    grid = base.view(4, 6)
    yield "scheduler_steplr.pt", step.state_dict()
    yield "scheduler_multisteplr.pt", multi.state_dict()
    yield "scheduler_plateau.pt", plateau.state_dict()
    yield "optimizer_adamw.pt", opt.state_dict()
    yield "optimizer_sgd_momentum.pt", sgd.state_dict()
    yield "model_batchnorm.pt", net.state_dict()
    yield "training_state.pt", {"epoch": 3, "model": net.state_dict(), "optimizer": opt.state_dict(), "scheduler": step.state_dict()}
    yield "dtypes.pt", {
        "float32": torch.tensor([1.5, -0.0, float("nan"), float("inf"), -float("inf"), 1e-45]),
        "float64": torch.tensor([0.1, -0.0, float("nan"), 2.0**-1074], dtype=torch.float64),
        "float16": torch.tensor([1.0, -0.0, 65504.0, 2.0**-24, float("nan")], dtype=torch.float16),
        "bfloat16": torch.tensor([1.0, -0.0, 3.0e38, float("-inf")], dtype=torch.bfloat16),
        "int8": torch.tensor([-128, 0, 127], dtype=torch.int8),
        "int16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "int32": torch.tensor([-(2**31), 2**31 - 1], dtype=torch.int32),
        "int64": torch.tensor([-(2**63), 2**63 - 1], dtype=torch.int64),
        "uint8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "complex64": torch.tensor([1 + 2j, -0.0 - 1j], dtype=torch.complex64),
        "complex128": torch.tensor([3.5 - 0.25j], dtype=torch.complex128),
        "scalar": torch.tensor(7, dtype=torch.int64),
        "empty": torch.zeros(0, 3),
    }
    yield "views.pt", {
        "base": base,
        "transposed": grid.t(),
        "slice": base[5:11],
        "strided": grid[:, ::2],
        "element": base[7],
        "expanded": base[:1].expand(3, 2),
        "other": torch.ones(2, 2, dtype=torch.float64),
    }
    yield "dtypes_v3.pt", v3_tree()
    param = torch.nn.Parameter(torch.tensor([[1.0, 2.0]]))
    frozen = torch.nn.Parameter(torch.tensor([3.0]), requires_grad=False)
    yield "nested.pt", {
        "ints": [0, 1, -1, 255, 65535, 2**31, -(2**31) - 1, 2**63 - 1, -(2**63), 2**64, 2**100, -(2**70)],
        "floats": (0.1, -0.0, float("nan"), float("inf"), 1e300, 5e-324),
        "nested": {"a": {"b": {"c": [1, (2, 3), {"d": None}]}}, 7: "int key", (1, "x"): "tuple key", 2.5: "float key"},
        "bool": True,
        "none": None,
        "str": "héllo \u2603\n",
        "bytes": b"\x00\xffab",
        "bytearray": bytearray(b"xyz"),
        "set": {1, 2, 3},
        "complex": 1.5 - 2j,
        "size": torch.Size([2, 3]),
        "device": torch.device("cpu"),
        "cuda_device": torch.device("cuda", 1),
        "dtype": torch.float16,
        "counter": collections.Counter({2: 2, 5: 1}),
        "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
        "parameter": param,
        "frozen": frozen,
        "requires_grad": torch.tensor([1.0], requires_grad=True),
        "empty_list": [],
        "empty_dict": {},
        "empty_tuple": (),
    }


# The dtypes torch.save writes with _rebuild_tensor_v3 over an UntypedStorage (torch.storage._new_dtypes()).
V3_DTYPES = sorted(str(d)[len("torch.") :] for d in torch.storage._new_dtypes())
FLOAT8 = ["float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu"]


def v3_tree():
    """Every _rebuild_tensor_v3 dtype; views, transposes and offsets of several
    dtypes over one untyped storage; Parameters; 0-d and empty tensors."""
    every = torch.arange(256, dtype=torch.uint8)
    base = torch.arange(24, dtype=torch.int32).to(torch.uint16)
    grid = base.view(4, 6)
    octets = torch.arange(6, dtype=torch.uint8)
    tree = {
        "uint16": torch.tensor([0, 1, 32768, 65535], dtype=torch.uint16),
        "uint32": torch.tensor([0, 1, 2**31, 2**32 - 1], dtype=torch.uint32),
        "uint64": torch.tensor([0, 1, 2**63, 2**64 - 1], dtype=torch.uint64),
        # complex32 is two float16s.
        "complex32": torch.tensor([1 + 2j, complex(-0.0, -1), complex(float("inf"), 65504), complex(float("nan"), 2**-24)],
                                  dtype=torch.complex64).to(torch.complex32),
        "float4_e2m1fn_x2": torch.arange(16, dtype=torch.uint8).view(torch.float4_e2m1fn_x2),
        "bits8": torch.arange(4, dtype=torch.uint8).view(torch.bits8),
        "bits16": torch.arange(3, dtype=torch.int16).view(torch.bits16),
        "bits1x8": torch.tensor([0x81], dtype=torch.uint8).view(torch.bits1x8),
        "bits2x4": torch.tensor([0x1B], dtype=torch.uint8).view(torch.bits2x4),
        "bits4x2": torch.tensor([0xF0], dtype=torch.uint8).view(torch.bits4x2),
        # One untyped storage seen as uint16 views, a uint32 and a float8 view of it.
        "shared": {
            "base": base,
            "transposed": grid.t(),
            "slice": base[5:11],
            "strided": grid[:, ::2],
            "element": base[7],
            "expanded": base[:1].expand(3, 2),
            "as_uint32": base[2:].view(torch.uint32),
            "as_float8": base.view(torch.float8_e5m2)[10:20],
        },
        # A ByteStorage (v2) and an UntypedStorage (v3) under one key.
        "bytes_and_halfwords": [octets, octets.view(torch.uint16)],
        "parameter_uint16": torch.nn.Parameter(torch.tensor([5, 6], dtype=torch.uint16), requires_grad=False),
        "parameter_float8": torch.nn.Parameter(torch.tensor([0.5, -2.0], dtype=torch.float32).to(torch.float8_e4m3fn)),
        "scalar_uint32": torch.tensor(7, dtype=torch.uint32),
        "scalar_offset": base[23],
        "empty_uint64": torch.zeros(0, 3, dtype=torch.uint64),
        "empty_float8": torch.zeros(2, 0, dtype=torch.float8_e4m3fn),
    }
    # Every bit pattern of each float8 (decoded values are checked against torch's).
    for name in FLOAT8:
        tree[name] = every.clone().view(getattr(torch, name))
    missing = set(V3_DTYPES) - {str(t.dtype)[len("torch.") :] for t in tree.values() if isinstance(t, torch.Tensor)}
    assert not missing, f"dtypes without a fixture tensor: {missing}"
    return tree


def decoded_values(tree):
    """What torch makes of each float8 and complex32 element (as float64/complex128 bits): the preview's values."""
    out = {}
    for key, t in tree.items():
        if isinstance(t, torch.Tensor) and str(t.dtype)[len("torch.") :] in FLOAT8 + ["complex32"]:
            wide = t.detach().to(torch.complex128 if t.dtype == torch.complex32 else torch.float64).reshape(-1).tolist()
            if t.dtype == torch.complex32:
                out[key] = [[struct.pack("<d", z.real).hex(), struct.pack("<d", z.imag).hex()] for z in wide]
            else:
                out[key] = [struct.pack("<d", x).hex() for x in wide]
    return out


# Hand-made pickles: GLOBAL, BINUNICODE, ints, tuples, persistent ids.
def g(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def i(n):
    return b"K" + bytes([n]) if 0 <= n < 256 else b"J" + struct.pack("<i", n)


def tup(items):
    return b"(" + b"".join(items) + b"t"


def pid(storage_type, key, numel):
    module, name = storage_type.rsplit(".", 1)
    return tup([binunicode("storage"), g(module, name), binunicode(key), binunicode("cpu"), i(numel)]) + b"Q"


UNTYPED = "torch.storage.UntypedStorage"
ORDERED = g("collections", "OrderedDict") + b")R"


def v3(storage, offset=0, size=(6,), stride=(1,), requires_grad=b"\x89", hooks=ORDERED, dtype=g("torch", "uint16"),
       extra=(), nargs=7, size_item=None, stride_item=None):
    args = [storage, i(offset), size_item or tup([i(n) for n in size]), stride_item or tup([i(n) for n in stride]),
            requires_grad, hooks, dtype][:nargs]
    return g("torch._utils", "_rebuild_tensor_v3") + tup(args + list(extra)) + b"R"


def pickled_dict(entries):
    return b"\x80\x02}(" + b"".join(binunicode(k) + v for k, v in entries) + b"u."


def archive_of(pickle, records):
    """An archive as torch.save lays out its records, written by Python's zipfile."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        put(z, "archive/data.pkl", pickle)
        put(z, "archive/byteorder", b"little")
        for key, data in records.items():
            put(z, f"archive/data/{key}", data)
        put(z, "archive/version", b"3\n")
    return out.getvalue()


def v3_forms():
    """Every form of _rebuild_tensor_v3's arguments torch.load accepts but
    torch.save does not write: a typed storage, a storage whose size the
    element size does not divide, stride None, sizes as list and torch.Size,
    falsy metadata, requires_grad None, hooks None, a float32 v3 tensor and a
    v2 uint8 tensor over one untyped storage, the v1 _rebuild_tensor."""
    records = {"0": bytes(range(12)), "1": bytes(range(100, 105)), "2": bytes(range(12)), "3": struct.pack("<2f", 1.5, -2.0)}
    float_storage = pid("torch.FloatStorage", "0", 3)
    size_list = b"]" + i(2) + b"a"
    size_object = g("torch", "Size") + tup([i(3)]) + b"\x85R"
    pickle = pickled_dict([
        ("typed_storage", v3(float_storage)),
        ("typed_storage_as_float", g("torch._utils", "_rebuild_tensor") + tup([pid("torch.FloatStorage", "0", 3), i(1), tup([i(2)]), tup([i(1)])]) + b"R"),
        ("odd_bytes", v3(pid(UNTYPED, "1", 5), size=(2,))),
        ("stride_none", v3(pid(UNTYPED, "2", 12), size=(2, 3), stride_item=b"N")),
        ("size_list", v3(pid(UNTYPED, "2", 12), offset=1, size_item=size_list, stride_item=b"]" + i(2) + b"a")),
        ("size_object", v3(pid(UNTYPED, "2", 12), size_item=size_object, stride_item=size_object.replace(i(3), i(1)))),
        ("metadata_empty", v3(pid(UNTYPED, "2", 12), extra=[b"}"])),
        ("metadata_none", v3(pid(UNTYPED, "2", 12), extra=[b"N"])),
        ("requires_grad_none", v3(pid(UNTYPED, "2", 12), requires_grad=b"N", hooks=b"N")),
        ("float32_over_untyped", v3(pid(UNTYPED, "3", 8), size=(2,), dtype=g("torch", "float32"))),
        ("uint8_over_untyped", g("torch._utils", "_rebuild_tensor_v2") + tup([pid(UNTYPED, "3", 8), i(0), tup([i(8)]), tup([i(1)]), b"\x89", ORDERED]) + b"R"),
        ("empty_far_offset", v3(pid(UNTYPED, "2", 12), offset=200, size=(0, 4), stride=(4, 1))),
    ])
    return archive_of(pickle, records)


def v3_hostile():
    """_rebuild_tensor_v3 files torch.load(weights_only=True) refuses, each with Anneal's problem."""
    storage = lambda: pid(UNTYPED, "0", 12)
    records = {"0": bytes(range(12))}
    cases = [
        ("hostile_v3_short_storage.pt", v3(storage(), size=(7,)), "reach byte 14 of a storage of 12 bytes"),
        ("hostile_v3_offset_past_end.pt", v3(storage(), offset=1, size=(1,), dtype=g("torch", "uint64")), "reach byte 16 of a storage of 12 bytes"),
        ("hostile_v3_dtype_arg.pt", v3(storage(), dtype=i(3)), "the dtype is a int, not a torch.dtype"),
        ("hostile_v3_missing_dtype.pt", v3(storage(), nargs=6), "takes 7 or 8 arguments, not 6"),
        ("hostile_v3_requires_grad_int.pt", v3(storage(), requires_grad=b"\x88"), "a torch.uint16 tensor cannot require grad"),
        ("hostile_v3_requires_grad_float8.pt", v3(storage(), size=(1,), requires_grad=b"\x88", dtype=g("torch", "float8_e4m3fn")), "torch cannot rebuild it"),
        ("hostile_v3_metadata.pt", v3(storage(), extra=[b"}" + binunicode("conj") + b"\x88s"]), "tensor metadata (conjugate or negative bits)"),
        ("hostile_v3_storage_arg.pt", v3(i(3)), "the storage is a int, not a storage"),
        ("hostile_v3_bool_size.pt", v3(storage(), size_item=tup([b"\x88"])), "size is a bool, not an int"),
        ("hostile_v3_negative_stride.pt", v3(storage(), offset=5, size=(2,), stride=(-1,)), "negative stride"),
        ("hostile_v3_overflow.pt", v3(storage(), size=(2**31 - 1,) * 3, stride=(2**31 - 1,) * 3), "overflow"),
    ]
    for name, tensor, problem in cases:
        yield name, archive_of(b"\x80\x02" + tensor + b".", records), problem


# --- Hostile and damaged files ------------------------------------------------------------------------------


def saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def put(z, name, data, compress=zipfile.ZIP_STORED):
    """A record with a fixed date (zipfile would stamp the current time), so the output is deterministic."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compress
    z.writestr(info, data)


def rezip(data, replace=None, drop=(), compress=zipfile.ZIP_STORED):
    """The archive's records rewritten by Python's zipfile, some replaced."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as z:
        for info in src.infolist():
            if info.filename in drop:
                continue
            put(z, info.filename, replace.get(info.filename, src.read(info.filename)), compress)
    return out.getvalue()


class Evil:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def binunicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def hostile_fixtures():
    good = saved({"w": torch.arange(4, dtype=torch.float32)})
    z = zipfile.ZipFile(io.BytesIO(good))
    info = {i.filename: i for i in z.infolist()}
    pickle = z.read("archive/data.pkl")

    yield "hostile_global.pt", saved({"x": Evil()}), "global posix.system is not allowed"
    # SETITEM on a list (CVE-2026-24747's first case).
    setitem = b"\x80\x02]q\x00" + binunicode("a") + binunicode("b") + b"s."
    yield "hostile_setitem_list.pt", rezip(good, {"archive/data.pkl": setitem}), "SETITEM on a list"
    # APPEND on a dict.
    append = b"\x80\x02}q\x00K\x01a."
    yield "hostile_append_dict.pt", rezip(good, {"archive/data.pkl": append}), "APPEND to a dict"
    # A storage shorter than its numel (CVE-2026-24747's second case).
    yield "hostile_short_storage.pt", rezip(good, {"archive/data/0": b"\x00" * 8}), "need 16 bytes, the record has 8"
    # A view reaching past its storage: size 4 → 5 in _rebuild_tensor_v2's size tuple.
    assert pickle.count(b"K\x04\x85") == 1
    yield "hostile_view_out_of_bounds.pt", rezip(good, {"archive/data.pkl": pickle.replace(b"K\x04\x85", b"K\x05\x85")}), "reach element 4 of a storage of 4"
    # An opcode torch.load(weights_only=True) does not run (INST).
    yield "hostile_opcode.pt", rezip(good, {"archive/data.pkl": b"\x80\x02ios\nsystem\n."}), "opcode 0x69"
    # REDUCE on an allowed global that is not a callable Anneal models (a dtype).
    yield "hostile_reduce_dtype.pt", rezip(good, {"archive/data.pkl": b"\x80\x02ctorch\nfloat32\n)R."}), "REDUCE torch.float32"
    # Billion laughs: one list referenced 2^30 times through the memo.
    laughs = b"\x80\x02]q\x00" + b"h\x00h\x00\x86q\x00" * 30 + b"."
    yield "hostile_memo_bomb.pt", rezip(good, {"archive/data.pkl": laughs}), "limit exceeded"
    # Deep nesting.
    yield "hostile_deep.pt", rezip(good, {"archive/data.pkl": b"\x80\x02" + b"]" * 400 + b"a" * 399 + b"."}), "nested deeper"
    # A persistent id that is not a storage.
    yield "hostile_persid.pt", rezip(good, {"archive/data.pkl": b"\x80\x02" + binunicode("module") + b"\x85Q."}), "only persistent_load of storage"
    # Damaged containers.
    yield "truncated.pt", good[: len(good) // 2], "zip archive"
    crc = bytearray(good)
    start = info["archive/data/0"].header_offset
    offset = start + 30 + len(b"archive/data/0") + struct.unpack("<H", good[start + 28 : start + 30])[0]
    crc[offset] ^= 0x01
    yield "crc_mismatch.pt", bytes(crc), "CRC-32 mismatch"
    dup = io.BytesIO()
    with zipfile.ZipFile(dup, "w") as d:
        put(d, "archive/data.pkl", pickle)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            put(d, "archive/data.pkl", pickle)
    yield "duplicate_name.pt", dup.getvalue(), "appears twice"
    yield "missing_storage.pt", rezip(good, drop={"archive/data/0"}), "data/0 is missing"
    yield "missing_version.pt", rezip(good, drop={"archive/version"}), "archive/version is missing"
    yield "unsupported_version.pt", rezip(good, {"archive/version": b"99\n"}), "torch 2.13 reads versions 1 to 10"
    # TorchScript (CVE-2025-32434's path) and the legacy format.
    class M(torch.nn.Module):
        def forward(self, x):
            return x + 1

    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(M()), buf)
    # torch.jit.save stamps a random serialization id: a fixed one keeps the fixture deterministic.
    yield from v3_hostile()
    yield from zip_damaged_fixtures(good)
    yield "torchscript.pt", rezip(buf.getvalue(), {"archive/.data/serialization_id": b"0" * 40}), "TorchScript"
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf, _use_new_zipfile_serialization=False)
    yield "legacy.pt", deterministic_legacy(buf.getvalue()), "legacy"


class Zip:
    """A zip archive built field by field, so that each field can be damaged
    (Python's zipfile only writes consistent archives)."""

    def __init__(self):
        self.out = bytearray()
        self.central = []

    def add(self, name, data, method=0, flags=0, local=None, central=None, local_extra=b"", central_extra=b""):
        stored = data
        if method == 8:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            stored = packer.compress(data) + packer.flush()
        fields = {"version": 20, "flags": flags, "method": method, "time": 0, "date": 0x21, "crc": zlib.crc32(data),
                  "csize": len(stored), "size": len(data), "name": name.encode()}
        lf = {**fields, **(local or {})}
        offset = len(self.out)
        self.out += struct.pack("<IHHHHHIIIHH", 0x04034B50, lf["version"], lf["flags"], lf["method"], lf["time"], lf["date"],
                                lf["crc"], lf["csize"], lf["size"], len(lf["name"]), len(local_extra)) + lf["name"] + local_extra
        self.out += lf.get("data", stored)
        self.central.append(({**fields, "offset": offset, **(central or {})}, central_extra))

    def finish(self, count=None, comment=b"", tail=b""):
        start = len(self.out)
        for cf, extra in self.central:
            self.out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, cf["version"], cf["flags"], cf["method"], cf["time"],
                                    cf["date"], cf["crc"], cf["csize"], cf["size"], len(cf["name"]), len(extra), 0, 0, 0, 0,
                                    cf["offset"]) + cf["name"] + extra
        n = len(self.central) if count is None else count
        self.out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(self.out) - start, start, len(comment) + len(tail))
        return bytes(self.out) + comment + tail


def records_of(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, z.read(info.filename)) for info in z.infolist()]


def rebuilt(records, change=None, **finish):
    """The records as a Zip, `change(index, name)` giving add()'s keyword arguments for each."""
    z = Zip()
    for index, (name, data) in enumerate(records):
        z.add(name, data, **((change and change(index, name)) or {}))
    return z.finish(**finish)


def zip_valid_fixtures(good):
    """Archives torch.load reads though torch.save does not write them so: zip64 extra fields,
    zip64 end records, a comment, data descriptors."""
    records = records_of(good)

    def python_zip(**options):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", **options) as z:
            for name, data in records:
                with z.open(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as f:
                    f.write(data)
        return out.getvalue()

    yield "zip_force_zip64.pt", python_zip()
    # zip64 end records and central zip64 extra fields everywhere (as for a file over 4 GB).
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT = zipfile.ZIP_FILECOUNT_LIMIT = 0
    try:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name, data in records:
                put(z, name, data)
        yield "zip_zip64_end_record.pt", out.getvalue()
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    yield "zip_comment.pt", rebuilt(records, comment=b"a comment")
    # Data descriptors (flag 0x08): zeros in the local headers, sizes after the data (as miniz and streams write).
    z = Zip()
    for name, data in records:
        descriptor = struct.pack("<IIII", 0x08074B50, zlib.crc32(data), len(data), len(data))
        z.add(name, data, flags=0x08, local={"crc": 0, "csize": 0, "size": 0, "data": data + descriptor})
    yield "zip_data_descriptor.pt", z.finish()


def zip_damaged_fixtures(good):
    """Damaged containers: each refused with the problem named (torch's verdict recorded beside:
    torch's reader, miniz, ignores local headers and overlaps and reads some of these; Anneal
    refuses every file two zip readers could read differently)."""
    records = records_of(good)
    names = [name for name, _ in records]
    pkl = names.index("archive/data.pkl")
    data0 = names.index("archive/data/0")
    pickle_size = len(records[pkl][1])

    def only(index, **change):
        return lambda k, name: change if k == index else None

    # The pickle's sizes grow over the next entry's local header (its CRC is never reached).
    grow = {"csize": pickle_size + 40, "size": pickle_size + 40}
    yield "zip_overlap.pt", rebuilt(records, only(pkl, local=grow, central=grow)), "overlaps the next entry"
    # Two central entries pointing to one local header.
    z = Zip()
    for name, data in records:
        z.add(name, data)
    z.central[data0][0]["offset"] = z.central[pkl][0]["offset"]
    yield "zip_shared_local_header.pt", z.finish(), "the local header names another file"
    yield "zip_offset_out_of_file.pt", rebuilt(records, only(data0, central={"offset": 1 << 30})), "local header offset 1073741824 is past the end of the file"
    big = {"csize": 1 << 20, "size": 1 << 20}
    yield "zip_size_out_of_file.pt", rebuilt(records, only(data0, central=big, local=big)), "compressed size 1048576 is past the end of the file"
    yield "zip_local_name.pt", rebuilt(records, only(data0, local={"name": b"archive/data/1"})), "the local header names another file"
    yield "zip_local_sizes.pt", rebuilt(records, only(data0, local={"csize": 8, "size": 8})), "the local header's CRC or sizes differ"
    yield "zip_local_crc.pt", rebuilt(records, only(data0, local={"crc": 1})), "the local header's CRC or sizes differ"
    yield "zip_local_method.pt", rebuilt(records, only(data0, local={"method": 8})), "the local header's method differs"
    yield "zip_local_flags.pt", rebuilt(records, only(data0, local={"flags": 1})), "the local header's flags (0x1) differ from the central directory's (0x0)"
    yield "zip_encrypted.pt", rebuilt(records, only(data0, local={"flags": 1}, central={"flags": 1})), "entry archive/data/0 is encrypted"
    yield "zip_method_bzip2.pt", rebuilt(records, only(data0, local={"method": 12}, central={"method": 12})), "compression method 12"
    yield "zip_count_short.pt", rebuilt(records, count=len(records) - 1), "entries take"
    yield "zip_count_long.pt", rebuilt(records, count=len(records) + 1), "a damaged central directory header"
    # A second end record at the very end, inside the real one's comment, pointing nowhere.
    fake = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, 46, 0, 0)
    yield "zip_two_end_records.pt", rebuilt(records, tail=fake), "does not end where its end record starts"
    # miniz takes the last end record signature it finds, even inside the comment.
    yield "zip_comment_signature.pt", rebuilt(records, comment=b"a comment PK\x05\x06 with a signature in it"), "another end of central directory signature"
    # A zip64 extra field too short for the sizes its entry saturates.
    short = struct.pack("<HHQ", 1, 8, len(records[data0][1]))
    saturate = {"csize": 0xFFFFFFFF, "size": 0xFFFFFFFF}
    yield "zip_zip64_short_extra.pt", rebuilt(records, lambda k, n: {"central": saturate, "central_extra": short} if k == data0 else None), "a short zip64 extra field"
    # The pickle deflated, its stream damaged (the CRC is the original's).
    def damaged(index, name):
        if index != pkl:
            return None
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        stream = bytearray(packer.compress(records[pkl][1]) + packer.flush())
        stream[len(stream) // 2] ^= 0xFF
        return {"method": 8, "local": {"data": bytes(stream), "csize": len(stream)}, "central": {"csize": len(stream)}}
    yield "zip_deflate_damaged.pt", rebuilt(records, damaged), "record archive/data.pkl: CRC-32 mismatch"
    def truncated(index, name):
        if index != pkl:
            return None
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        stream = (packer.compress(records[pkl][1]) + packer.flush())[:-8]
        return {"method": 8, "local": {"data": stream, "csize": len(stream)}, "central": {"csize": len(stream)}}
    yield "zip_deflate_truncated.pt", rebuilt(records, truncated), "the deflated data is damaged or does not inflate"


def deterministic_legacy(data):
    """The legacy format keys storages by id(): each key becomes a counter of the same length."""
    import re

    keys = []
    for match in re.finditer(rb"X(....)(\d{6,})", data):
        if struct.unpack("<I", match.group(1))[0] == len(match.group(2)) and match.group(2) not in keys:
            keys.append(match.group(2))
    for number, key in enumerate(keys):
        data = data.replace(key, str(number + 1).zfill(len(key)).encode())
    return data


def training_state_fixtures():
    """Training states (Fixtures/torch/training/) and, beside each, the
    Anneal checkpoint the independent Python converter (torch_checkpoint.py)
    makes of it: what `anneal checkpoint convert X.pt X.safetensors` must
    give. Also states a checkpoint cannot hold, which must be refused."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch_checkpoint
    from torch.optim import lr_scheduler as L
    out = os.path.join(OUT, "training")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(3)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-2, weight_decay=0.05)
    sched = L.SequentialLR(opt, [L.LinearLR(opt, start_factor=0.25, total_iters=2),
                                 L.MultiStepLR(opt, milestones=[2, 4, 4], gamma=0.5)], milestones=[2])
    for _ in range(3):
        opt.zero_grad()
        (net(torch.randn(5, 3)) ** 2).mean().backward()
        opt.step()
        sched.step()
    sgd = torch.optim.SGD([{"params": list(net.parameters())[:2]}, {"params": list(net.parameters())[2:], "lr": 0.01}],
                          lr=0.1, momentum=0.9, nesterov=True)
    opt_sgd_net = net
    (opt_sgd_net(torch.randn(5, 3)) ** 2).mean().backward()
    sgd.step()
    lam = L.LambdaLR(sgd, lambda e: 0.9 ** e)
    lam.step()
    cases = {
        "tutorial": ({"epoch": 3, "model": net.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict()},
                     dict(optimizer_type="AdamW", schedulers=[{"type": "SequentialLR", "state": sched.state_dict()}],
                          epoch=3)),
        "official": ({"epoch": 7, "model_state_dict": net.state_dict(), "optimizer_state_dict": sgd.state_dict(),
                      "loss": torch.tensor(0.5)},
                     dict(optimizer_type="SGD", epoch=7, metadata={"loss": 0.5})),
        "model_only": (net.state_dict(), {}),
    }
    for name, (obj, export) in cases.items():
        torch.save(obj, os.path.join(out, name + ".pt"))
        model = obj.get("model", obj.get("model_state_dict", obj))
        optimizer = obj.get("optimizer", obj.get("optimizer_state_dict"))
        torch_checkpoint.export_checkpoint(os.path.join(out, name + ".safetensors"), model_state=model,
                                           optimizer_state=optimizer, **export)
    # A PyTorch run of the first seed document's model for `anneal train --resume FILE.pt`: 5 epochs
    # saved as the tutorials do, the spec it was built from, and the learning rates PyTorch prints
    # for epochs 6-8 (the losses depend on the gradient kernels; the rates must be identical).
    import interop
    spec = {"optimizer": {"type": "AdamW", "options": {"lr": 0.01, "weight_decay": 0.05}},
            "scheduler": [{"type": "StepLR", "args": {"step_size": 2, "gamma": 0.5}},
                          {"type": "LambdaLR", "args": {"lr_lambda": "0.9 ** epoch"}}]}
    with open(os.path.join(out, "seed1_adamw.json"), "w") as f:
        json.dump(spec, f, indent=1, sort_keys=True)
        f.write("\n")
    run = interop.Run(spec, 0, "autograd")
    for _ in range(5):
        run.train_epoch()
    run.save_torch(os.path.join(out, "seed1_adamw.pt"))
    # The same state saved part by part (`--resume MODEL.pt --resume-optimizer ... --resume-epoch 5`).
    torch.save(run.model.state_dict(), os.path.join(out, "seed1_adamw.model.pt"))
    torch.save(run.optimizer.state_dict(), os.path.join(out, "seed1_adamw.optimizer.pt"))
    for index, scheduler in enumerate(run.schedulers):
        torch.save(scheduler.state_dict(), os.path.join(out, f"seed1_adamw.scheduler{index}.pt"))
    lines = []
    for _ in range(3):
        lr, _ = run.train_epoch()
        lines.append(f"Epoch {run.epoch}: LR = {lr:.5f}")
    with open(os.path.join(out, "seed1_adamw.lr.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    # Refused: a LambdaLR state (MultiplicativeLR's keys too) without a type, an int64 buffer,
    # more model entries than optimizer parameters.
    torch.save({"model": net.state_dict(), "optimizer": sgd.state_dict(), "scheduler": lam.state_dict()},
               os.path.join(out, "lambda_untyped.pt"))
    torch.manual_seed(5)
    bn = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    torch.save({"model": bn.state_dict()}, os.path.join(out, "int64_buffer.pt"))
    extra = dict(net.state_dict())
    extra["scale"] = torch.ones(2)
    torch.save({"model": extra, "optimizer": opt.state_dict()}, os.path.join(out, "count_mismatch.pt"))


def huggingface_fixture():
    """A real transformers Trainer checkpoint (Scripts/hf_trainer_run.py, 5
    epochs, saved after each): Fixtures/torch/huggingface/checkpoint-30/ as
    the Trainer wrote it, the spec `anneal train` resumes it with, and the
    learning rates the Trainer's checkpoints 40 and 50 hold (what Anneal must
    print for epochs 4 and 5)."""
    import shutil
    import tempfile
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import hf_trainer_run
    out = os.path.join(OUT, "huggingface")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with tempfile.TemporaryDirectory() as work:
        hf_trainer_run.run(work)
        shutil.copytree(os.path.join(work, "checkpoint-30"), os.path.join(out, "checkpoint-30"))
        lines = []
        for epoch, step in ((4, 40), (5, 50)):
            groups = torch.load(os.path.join(work, f"checkpoint-{step}", "optimizer.pt"), weights_only=True)["param_groups"]
            lines.append(f"Epoch {epoch}: LR = {groups[0]['lr']:.5f}")
    with open(os.path.join(out, "spec.json"), "w") as f:
        json.dump(hf_trainer_run.SPEC, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out, "lr.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    if "--training-only" in sys.argv[1:]:
        training_state_fixtures()
        huggingface_fixture()
        print(f"training states in {os.path.join(OUT, 'training')}")
        return
    os.makedirs(OUT, exist_ok=True)
    if "--skip-training" not in sys.argv[1:]:
        training_state_fixtures()
        huggingface_fixture()
    expectations = {"torch": torch.__version__, "valid": {}, "hostile": {}}
    for name, obj in valid_fixtures():
        path = os.path.join(OUT, name)
        torch.save(obj, path)
        loaded = torch.load(path, weights_only=True)
        expectations["valid"][name] = describe(loaded, {})
    # A file as Python's zipfile writes it (deflated, no alignment), with other top-level folder names.
    good = saved({"w": torch.arange(6.0).reshape(2, 3).t(), "n": 2**80})
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            put(z, "my_checkpoint" + info.filename[len("archive") :], src.read(info.filename), zipfile.ZIP_DEFLATED)
    path = os.path.join(OUT, "zipfile_deflated.pt")
    with open(path, "wb") as f:
        f.write(out.getvalue())
    expectations["valid"]["zipfile_deflated.pt"] = describe(torch.load(path, weights_only=True), {})
    # Files torch.load reads that torch.save does not write.
    for name, data in [("v3_forms.pt", v3_forms()), *zip_valid_fixtures(saved({"w": torch.arange(4, dtype=torch.float32)}))]:
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(data)
        expectations["valid"][name] = describe(torch.load(path, weights_only=True), {})
    expectations["decoded"] = {"dtypes_v3.pt": decoded_values(torch.load(os.path.join(OUT, "dtypes_v3.pt"), weights_only=True))}
    for name, data, problem in hostile_fixtures():
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(data)
        try:
            torch.load(path, weights_only=True)
            refused_by_torch = False
        except Exception:
            refused_by_torch = True
        expectations["hostile"][name] = {"problem": problem, "refused_by_torch": refused_by_torch}
    # Each archive's data.pkl alone: the fuzz target's seeds for the unpickler.
    os.makedirs(os.path.join(OUT, "pickles"), exist_ok=True)
    for name in sorted(os.listdir(OUT)):
        path = os.path.join(OUT, name)
        if not name.endswith(".pt") or not zipfile.is_zipfile(path):
            continue
        try:
            with zipfile.ZipFile(path) as z:
                pickles = [n for n in z.namelist() if n.endswith("/data.pkl")]
                if pickles:
                    with open(os.path.join(OUT, "pickles", name[: -len(".pt")] + ".pkl"), "wb") as f:
                        f.write(z.read(pickles[0]))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            pass
    with open(os.path.join(OUT, "expectations.json"), "w") as f:
        json.dump(expectations, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(expectations['valid'])} valid and {len(expectations['hostile'])} hostile fixtures in {OUT}")


if __name__ == "__main__":
    main()
