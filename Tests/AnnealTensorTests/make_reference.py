#!/usr/bin/env python3
"""Writes ReferenceCases.generated.swift: expected values for AnnealTensorTests.

    .venv/bin/python Tests/AnnealTensorTests/make_reference.py [OUTPUT]   (any Python with torch 2.13)
    (or `make regenerate-tests`, which runs all three generators)

Two independent references:
- the random generator: a plain-Python transcription of the documented
  algorithms (SplitMix64, xoshiro256**, Lemire's bounded integers,
  Fisher-Yates, Box-Muller with the C library's log/cos/sin, which CPython's
  math module calls), so the Swift implementation is checked against a second
  implementation of the same specification;
- the multilayer perceptrons: PyTorch's forward and backward (autograd) on
  fixed weights, with MSELoss and CrossEntropyLoss.

Floats are written as hexadecimal literals, exact for float32 and float64.
The output is deterministic.
"""
import json
import math
import os
import struct
import sys

import torch

sys.dont_write_bytecode = True  # no __pycache__ inside the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from generated_source import fingerprint_line, output_path  # noqa: E402

MASK = (1 << 64) - 1


# --- The random generator, transcribed from the reference C code ---------

class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro:
    def __init__(self, seed=None, state=None):
        if state is None:
            mixer = SplitMix64(seed)
            state = [mixer.next() for _ in range(4)]
        self.s = list(state)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_float(self):
        return f32((self.next() >> 40) * 2.0**-24)

    def next_double(self):
        return (self.next() >> 11) * 2.0**-53

    def uniform(self, low, high):
        return f32(low + (high - low) * self.next_double())

    def normal_pair(self):
        u1 = 1 - self.next_double()
        u2 = self.next_double()
        radius = math.sqrt(-2 * math.log(u1))
        angle = 2 * math.pi * u2
        return radius * math.cos(angle), radius * math.sin(angle)

    def normal(self):
        return self.normal_pair()[0]

    def int_below(self, n):
        product = self.next() * n
        low = product & MASK
        if low < n:
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                product = self.next() * n
                low = product & MASK
        return product >> 64

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.int_below(i + 1)
            items[i], items[j] = items[j], items[i]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def hexfloat(x):
    x = float(x)
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    text = x.hex()  # e.g. -0x1.33d8be0000000p-1
    mantissa, exponent = text.split("p")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}p{exponent}"


def floats(values):
    return "[" + ", ".join(hexfloat(v) for v in values) + "]"


def ints(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def random_section():
    lines = ["/// Known answers for the random generator, from make_reference.py's transcription.", "enum RandomReference {"]
    g = Xoshiro(seed=42)
    lines.append(f"    /// `Xoshiro256StarStar(seed: 42)`: its state and first outputs.")
    lines.append(f"    static let seed42State: [UInt64] = {ints(g.s)}")
    lines.append(f"    static let seed42Outputs: [UInt64] = {ints([g.next() for _ in range(6)])}")
    g = Xoshiro(seed=0)
    lines.append(f"    /// `nextFloat()` from seed 0.")
    lines.append(f"    static let seed0Floats: [Float] = {floats([g.next_float() for _ in range(6)])}")
    g = Xoshiro(seed=0)
    lines.append(f"    /// `nextDouble()` from seed 0.")
    lines.append(f"    static let seed0Doubles: [Double] = {floats([g.next_double() for _ in range(6)])}")
    g = Xoshiro(seed=3)
    lines.append(f"    /// `uniform(-0.5, 0.5)` from seed 3.")
    lines.append(f"    static let seed3Uniforms: [Float] = {floats([g.uniform(-0.5, 0.5) for _ in range(6)])}")
    g = Xoshiro(seed=5)
    lines.append(f"    /// `normal()` from seed 5.")
    lines.append(f"    static let seed5Normals: [Double] = {floats([g.normal() for _ in range(6)])}")
    g = Xoshiro(seed=5)
    values = []
    for _ in range(3):
        a, b = g.normal_pair()
        values += [f32(a), f32(b)]
    a, _ = g.normal_pair()
    values.append(f32(a))
    lines.append(f"    /// `Tensor.normal([7], using:)` from seed 5: three pairs, then one cosine half.")
    lines.append(f"    static let seed5NormalTensor: [Float] = {floats(values)}")
    g = Xoshiro(seed=9)
    lines.append(f"    /// `int(below: 10)` from seed 9.")
    lines.append(f"    static let seed9Below10: [Int] = {ints([g.int_below(10) for _ in range(12)])}")
    g = Xoshiro(seed=9)
    big = (1 << 62) + 12345
    lines.append(f"    /// `int(below: 2^62 + 12345)` from seed 9 (rejections are likely).")
    lines.append(f"    static let seed9BelowLarge: [Int] = {ints([g.int_below(big) for _ in range(12)])}")
    g = Xoshiro(seed=1)
    order = list(range(10))
    g.shuffle(order)
    lines.append(f"    /// `permutation(10)` from seed 1.")
    lines.append(f"    static let seed1Permutation: [Int] = {ints(order)}")
    lines.append("}")
    return lines


# --- Multilayer perceptrons through PyTorch ------------------------------

def mlp_case(name, sizes, final_relu, loss, batch, seed):
    torch.manual_seed(seed)
    layers = []
    modules = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        modules.append(linear)
        if i < len(sizes) - 2 or final_relu:
            modules.append(torch.nn.ReLU())
        layers.append(linear)
    model = torch.nn.Sequential(*modules)
    x = torch.randn(batch, sizes[0], requires_grad=True)
    output = model(x)
    classes = []
    if loss == "mse":
        target = torch.randn(batch, sizes[-1])
        value = torch.nn.MSELoss()(output, target)
    elif loss == "classes":
        classes = torch.randint(0, sizes[-1], (batch,))
        target = torch.zeros(0)
        value = torch.nn.CrossEntropyLoss()(output, classes)
        classes = classes.tolist()
    else:
        target = torch.softmax(torch.randn(batch, sizes[-1]), dim=1)
        value = torch.nn.CrossEntropyLoss()(output, target)
    value.backward()
    parameters = [p for layer in layers for p in (layer.weight, layer.bias)]
    return [
        f"    TorchMLPCase(",
        f"        name: {json.dumps(name)}, sizes: {ints(sizes)}, finalReLU: {str(final_relu).lower()}, kind: .{loss},",
        f"        parameters: [" + ", ".join(floats(p.detach().flatten().tolist()) for p in parameters) + "],",
        f"        input: {floats(x.detach().flatten().tolist())},",
        f"        target: {floats(target.flatten().tolist())}, classes: {ints(classes)},",
        f"        output: {floats(output.detach().flatten().tolist())},",
        f"        loss: {hexfloat(value.item())},",
        f"        gradients: [" + ", ".join(floats(p.grad.flatten().tolist()) for p in parameters) + "],",
        f"        inputGradient: {floats(x.grad.flatten().tolist())}",
        f"    ),",
    ]


def mlp_section():
    lines = [
        "/// Forward and backward passes of PyTorch 2.13 on fixed weights.",
        "let torchMLPCases: [TorchMLPCase] = [",
    ]
    lines += mlp_case("3-5-4-2 ReLU, MSE", [3, 5, 4, 2], False, "mse", 4, 0)
    lines += mlp_case("1-32-10-1 ReLU after every layer (the first document's model), MSE", [1, 32, 10, 1], True, "mse", 2, 1)
    lines += mlp_case("10-32-1 ReLU (the third document's model), MSE", [10, 32, 1], False, "mse", 16, 7)
    lines += mlp_case("4-6-3 ReLU, cross-entropy with class indices", [4, 6, 3], False, "classes", 5, 2)
    lines += mlp_case("4-6-3 ReLU, cross-entropy with class probabilities", [4, 6, 3], False, "probabilities", 5, 3)
    lines.append("]")
    return lines


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [
        "// Generated by make_reference.py with torch " + torch.__version__ + "; do not edit.",
        fingerprint_line(os.path.abspath(__file__)),
        "// swift-format-ignore-file",
        "",
    ]
    lines += random_section()
    lines.append("")
    lines += mlp_section()
    with open(output_path(os.path.join(here, "ReferenceCases.generated.swift")), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
