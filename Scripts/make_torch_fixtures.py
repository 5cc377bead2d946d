#!/usr/bin/env python3
"""Writes the torch.save fixtures of Fixtures/torch/ and their expectations.

Run with the pinned torch (2.13.0+cpu):  python Scripts/make_torch_fixtures.py [OUT_DIR] [--training-only]

Training states go to OUT_DIR/training/, each beside the Anneal checkpoint
Scripts/torch_checkpoint.py makes of it (--training-only writes just those).

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
import json
import os
import struct
import sys
import zipfile
import zlib

import torch

_ARGS = [a for a in sys.argv[1:] if a != "--training-only"]
OUT = _ARGS[0] if _ARGS else os.path.join(os.path.dirname(__file__), "..", "Fixtures", "torch")
assert torch.__version__.startswith("2.13."), f"torch 2.13 is pinned, this is {torch.__version__}"


# --- What torch made of a file --------------------------------------------------------------------------------


def element_hex(t):
    """Each element's bytes, little-endian, in row-major order."""
    c = t.detach().contiguous().reshape(-1)
    size = c.element_size()
    raw = c.view(torch.uint8).numpy().tobytes() if c.numel() else b""
    return [raw[i : i + size].hex() for i in range(0, len(raw), size)]


def describe(v, storages):
    if isinstance(v, torch.Tensor):
        ptr = v.untyped_storage().data_ptr()
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
    yield "torchscript.pt", rezip(buf.getvalue(), {"archive/.data/serialization_id": b"0" * 40}), "TorchScript"
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf, _use_new_zipfile_serialization=False)
    yield "legacy.pt", deterministic_legacy(buf.getvalue()), "legacy"


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
