#!/usr/bin/env python3
"""Writes ExpressionCases.generated.swift: expressions evaluated by real Python.

Usage:  python3 Tests/AnnealPythonTests/make_expression_cases.py [OUTPUT]
        (or `make regenerate-tests`, which runs all three generators)

Every case is a string in Anneal's expression grammar (a subset of Python,
see the "Expressions" section of the trace format) evaluated by CPython
itself, with `epoch` and `x` both bound to a variable value, the `math`
functions and constants and the `abs/min/max/float/int` built-ins. The
Swift tests (ExpressionDifferentialTests.swift) evaluate the same strings
with `Expression` and require the same type and the same bits (any NaN
equals any NaN), the same `repr`, or the same exception type and message.

Two things the format calls invalid input are made explicit, without
changing what Python computes otherwise:
- an `int` beyond 2**53 in magnitude, as a result or an intermediate,
  becomes AnnealRangeError("integer beyond 2**53 is not supported in
  expressions"), Anneal's marker for a value it does not represent (not a
  Python exception: the runner reports it as invalid input);
- a `complex` value (a negative float to a fractional power) is expected
  to be a ValueError whose message is not compared.

The output is deterministic (a fixed seed); regenerate and commit it after
changing this script. Run it with Python 3.11 (the version whose messages
the expectations hold).
"""

import ast
import math
import os
import random
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from generated_source import fingerprint_line, output_path  # noqa: E402

LIMIT = 2 ** 53
RANGE_MESSAGE = "integer beyond 2**53 is not supported in expressions"
DEFAULT_OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "ExpressionCases.generated.swift")


class ComplexResult(Exception):
    pass


class AnnealRangeError(Exception):
    """An int beyond the format's 2**53 (Anneal's PythonError.beyondAnneal)."""


def _chk(value):
    """Called on every operator and call result: the format's limits."""
    if type(value) is complex:
        raise ComplexResult()
    if type(value) is int and abs(value) > LIMIT:
        raise AnnealRangeError(RANGE_MESSAGE)
    return value


def _pow(a, b):
    """`a ** b`, refusing up front integer powers that are certainly beyond
    2**53 (so Python does not spend minutes on 10 ** 10 ** 10)."""
    if type(a) in (int, bool) and type(b) in (int, bool) and b > 53 and abs(a) >= 2:
        raise AnnealRangeError(RANGE_MESSAGE)
    return a ** b


class Guard(ast.NodeTransformer):
    """Wraps each operator and call in `_chk(...)`, and `**` in `_pow`.

    Wrapping keeps evaluation order and laziness (`A if C else B`)."""

    @staticmethod
    def _wrap(node):
        return ast.Call(func=ast.Name(id="_chk", ctx=ast.Load()), args=[node], keywords=[])

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            node = ast.Call(func=ast.Name(id="_pow", ctx=ast.Load()),
                            args=[node.left, node.right], keywords=[])
        return self._wrap(node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return self._wrap(node)

    def visit_Call(self, node):
        self.generic_visit(node)
        return self._wrap(node)


NAMESPACE = {
    "__builtins__": {},
    "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "cos": math.cos,
    "sin": math.sin, "tanh": math.tanh, "floor": math.floor, "ceil": math.ceil,
    "abs": abs, "min": min, "max": max, "float": float, "int": int,
    "pi": math.pi, "e": math.e,
    "_chk": _chk, "_pow": _pow,
}


def compile_expression(source):
    tree = ast.parse(source, mode="eval")
    tree = ast.fix_missing_locations(Guard().visit(tree))
    return compile(tree, "<expression>", "eval")


def evaluate(code, value):
    """('int'|'float'|'bool', value) or ('error', type, message or None)."""
    env = dict(NAMESPACE, epoch=value, x=value)
    try:
        result = eval(code, env)
    except ComplexResult:
        return ("error", "ValueError", None)
    except AnnealRangeError as error:
        return ("error", "AnnealRangeError", str(error))
    except OverflowError as error:
        if str(error) == "complex exponentiation":
            # Python's float ** float went complex and then overflowed.
            return ("error", "ValueError", None)
        return ("error", "OverflowError", str(error))
    except (ZeroDivisionError, ValueError, OverflowError) as error:
        return ("error", type(error).__name__, str(error))
    kind = type(result).__name__
    assert kind in ("int", "float", "bool"), (kind, result)
    return (kind, result)


# ---------------------------------------------------------------- table text
#
# The table is a raw string literal that the tests parse (a Swift array
# literal of thousands of elements takes the type checker far too long).
# One expression per block:
#
#     E<TAB>source
#     input-kind<TAB>input<TAB>kind<TAB>value<TAB>repr
#
# kinds: i (int, decimal), f (float, IEEE bits in hex), b (bool, 0/1);
# an exception is "error<TAB>Type<TAB>message", or "error?<TAB>Type<TAB>"
# when the message is not to be compared.

def bits(value):
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def table_value(value):
    kind = type(value).__name__
    if kind == "int":
        return "i\t%d" % value
    if kind == "bool":
        return "b\t%d" % int(value)
    return "f\t%016X" % bits(value)


def table_outcome(outcome):
    if outcome[0] == "error":
        _, name, message = outcome
        if message is None:
            return "error?\t%s\t" % name
        return "error\t%s\t%s" % (name, message)
    return "%s\t%s" % (table_value(outcome[1]), repr(outcome[1]))


def check_clean(text):
    assert "\t" not in text and "\n" not in text and '"""' not in text, text
    return text


# ------------------------------------------------------------------- cases

# Expressions a trace might really hold, and corners of Python's semantics.
HAND_WRITTEN = [
    # typical lr_lambda / scale_fn
    "0.95 ** epoch", "1 / (epoch + 1)", "0.1 * (epoch >= 10)", "epoch // 30",
    "0.1 ** (epoch // 30)", "min(1.0, (epoch + 1) / 5)", "1 - epoch / 100",
    "0.5 * (1 + cos(pi * epoch / 10))", "1 / (2. ** (x - 1))", "0.99 ** x",
    "1.0 if epoch < 5 else 0.1", "1/epoch if epoch > 0 else 1.0",
    "max(0.0, 1 - epoch / 50) ** 0.9", "(1 - epoch / 100) ** 2",
    "0.5 ** (epoch // 10) if epoch < 100 else 0.0", "sqrt(epoch + 1) / 10",
    "exp(-0.1 * epoch)", "1 / sqrt(max(epoch, 1))", "tanh(epoch / 10)",
    "1.0 if x < 1 else 0.5 ** floor(x)", "float(epoch % 2 == 0)",
    "int(epoch / 3)", "abs(epoch - 5)", "log(epoch + 1)", "log(epoch + 1, 2)",
    "log(x, 10)", "epoch", "x", "-x", "+x", "x * 1.0", "x + 0", "x ** 2",
    "2 ** x", "x ** -1", "x ** 0.5", "x ** x", "x // 1", "x % 1", "x % -1",
    "x // -1", "x / 3", "x // 3", "x % 3", "x // -3", "x % -3", "-x // 3",
    "-x % 3", "x % 0.7", "x // 0.7", "x // -0.7", "x % -0.7", "3 % x",
    "3 // x", "3 / x", "3.5 % x", "-3.5 // x", "0 ** x", "0.0 ** x",
    "(-2) ** x", "(-2.0) ** x", "(-8) ** (1/3)", "x ** (1/3)",
    "floor(x)", "ceil(x)", "floor(x / 2)", "ceil(-x / 2)", "int(x)",
    "int(-x / 4)", "float(x)", "abs(x)", "abs(-x)", "sqrt(x)", "exp(x)",
    "exp(x / 1000)", "log(x)", "log(x, 2)", "log(2, x)", "log(x, x)",
    "cos(x)", "sin(x)", "tanh(x)", "min(x, 1)", "max(x, 1)", "min(1, x)",
    "max(1, x)", "max(x, 1.0)", "max(1.0, x)", "min(x, -x)", "max(x, -x)",
    "min(x, 1, -1)", "max(0.5, x, 2)", "max(1, 1.0)", "max(1.0, 1)",
    "min(0.5, 1)", "min(1, 1 < 2)", "max(1 < 2, 1)", "max(x, x + 0.0)",
    "x < 1", "x <= 1", "x > 1", "x >= 1", "x == 1", "x != 1", "x == x",
    "x != x", "x < 0.5", "x == 0.0", "(x < 1) + (x > 1)", "-(x > 0)",
    "(x > 0) * 2.5", "(x > 0) ** 2", "(x > 0) / 2", "+(x > 0)",
    "abs(x > 0)", "float(x > 0)", "int(x > 0)", "floor(x > 0)",
    "x if x else 7", "1 if x > 0 else 2 if x < 0 else 3",
    "(1 if x else 2) * 3", "x if x > 0 else -x", "1 / x if x else 0",
    # precedence and associativity
    "-2 ** 2", "(-2) ** 2", "2 ** -1", "2 ** -2 ** 2", "2 ** 3 ** 2",
    "-x ** 2", "- - x", "--x", "-+-x", "2 * -x", "2 ** - x", "10 - 2 - 3",
    "100 / 10 / 5", "100 // 7 // 2", "2 * 3 % 4", "2 + 3 * 4 ** 2",
    "7 % 3 * 2", "-7 // 2", "-7 % 2", "7 // -2", "7 % -2", "-7 / 2",
    "1 - 2 < 3 - 4", "1 + (2 < 3)", "(2 < 3) + 1",
    # numbers
    "1_000 * x", ".5 + x", "5. * x", "1e-3 * x", "1E3 + x", "0x1F + x",
    "0o17 * x", "0b101 - x", "0.1 + 0.2", "1e308 * 10", "1e-320 / 2",
    "2.5e-3", "0_0", "00", "9007199254740992", "-9007199254740992",
    "9007199254740992 + 1", "9007199254740992 - 1", "4503599627370496 * 2",
    "4503599627370496 * 3", "2 ** 53", "2 ** 54", "-2 ** 53",
    "(-2) ** 53", "2 ** 53 // 3", "3 ** 33", "3 ** 34", "10 ** 15",
    "10 ** 16", "10 ** 100", "1 ** 1000", "(-1) ** 1001", "0 ** 0",
    "2 ** 1000 // 2 ** 990", "2.0 ** 1024", "2.0 ** -1070", "2 ** -1074",
    "(-2.0) ** 1025", "10.0 ** -320", "1e16", "1e15", "0.0001", "0.00001",
    "1 / 3", "2 / 3", "10 / 3", "9007199254740991 / 3",
    # errors
    "1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "1.0 // 0", "1.0 % 0", "1 % 0.0",
    "0 ** -1", "0.0 ** -1", "sqrt(-1)", "log(0)", "log(-1)", "log(1, 1)",
    "log(2, 1.0)", "log(0, 2)", "cos(1e308 * 10)", "exp(1000)",
    "floor(1e308 * 10)", "floor(-1e308 * 10)", "floor(1e308 * 10 - 1e308 * 10)",
    "int(1e308 * 10)", "int(1e308 * 10 * 0)", "ceil(1e300)", "int(1e16)",
    "floor(9007199254740992.0)", "floor(9007199254740994.0)",
    "(-8.0) ** 0.5", "1 / (x - x)", "1 // (x - x)", "1 % (x - x)",
    "x / 0", "x // 0", "x % 0", "x ** -1 if x else 0",
]

# Values bound to `epoch`/`x` for the hand-written expressions.
HAND_VALUES = [0, 1, 2, 3, 10, -1, -7, 99, 2 ** 53, 0.0, -0.0, 0.5, -2.5,
               1e-7, 3.75, 1e300, math.inf, -math.inf, math.nan, True, False]

# Values from which each random expression gets a few.
RANDOM_VALUES = [0, 1, -1, 2, 3, 5, 7, -13, 100, 12345, 2 ** 53, -(2 ** 53),
                 0.0, -0.0, 0.5, -2.5, 0.1, 1e-7, 3.75, 1e300, -1e300,
                 math.inf, -math.inf, math.nan, True, False]

NUMBERS = ["0", "1", "1", "2", "2", "3", "7", "10", "100", "0.5", "0.5", "1.5",
           ".5", "5.", "0.1", "3.0", "1e-3", "2.5e2", "1E3", "1_000", "0x1F",
           "0b101", "0.0", "1e308", "1e-320", "2.718", "0.9", "-1"]
NAMES = ["epoch", "x", "x", "epoch", "epoch", "x", "pi", "e"]
FUNCTIONS = [("sqrt", 1), ("exp", 1), ("log", 1), ("log", 2), ("cos", 1),
             ("sin", 1), ("tanh", 1), ("floor", 1), ("ceil", 1), ("abs", 1),
             ("min", 2), ("min", 3), ("max", 2), ("max", 3), ("float", 1),
             ("int", 1)]


class Generator:
    """Random strings of the grammar, production by production."""

    def __init__(self, seed):
        self.random = random.Random(seed)

    def space(self):
        return self.random.choice(["", " ", " "])

    def op(self, symbol):
        s = self.space()
        return s + symbol + s

    def cond(self, depth):
        text = self.compare(depth)
        if depth > 0 and self.random.random() < 0.15:
            text = "%s if %s else %s" % (text, self.compare(depth - 1), self.cond(depth - 1))
        return text

    def compare(self, depth):
        text = self.sum(depth)
        if self.random.random() < 0.12:
            symbol = self.random.choice(["<", "<=", ">", ">=", "==", "!="])
            text += self.op(symbol) + self.sum(depth)
        return text

    def sum(self, depth):
        text = self.term(depth)
        for _ in range(self.random.choice([0, 0, 1, 1, 2])):
            text += self.op(self.random.choice(["+", "-"])) + self.term(depth)
        return text

    def term(self, depth):
        text = self.unary(depth)
        for _ in range(self.random.choice([0, 0, 1, 1, 2])):
            text += self.op(self.random.choice(["*", "/", "//", "%"])) + self.unary(depth)
        return text

    def unary(self, depth):
        if self.random.random() < 0.15:
            return self.random.choice(["-", "+", "-"]) + self.space() + self.unary(depth)
        return self.power(depth)

    def power(self, depth):
        text = self.atom(depth)
        if self.random.random() < 0.15:
            text += self.op("**") + self.unary(max(depth - 2, 0))
        return text

    def atom(self, depth):
        roll = self.random.random()
        if depth <= 0 or roll < 0.35:
            return self.random.choice(NUMBERS + NAMES)
        if roll < 0.7:
            name, arity = self.random.choice(FUNCTIONS)
            arguments = ("," + self.space()).join(self.cond(depth - 1) for _ in range(arity))
            return "%s(%s)" % (name, arguments)
        return "(" + self.cond(depth - 1) + ")"


def random_expressions(count, seed):
    generator = Generator(seed)
    seen = set(HAND_WRITTEN)
    result = []
    while len(result) < count:
        source = generator.cond(generator.random.choice([1, 2, 2, 3]))
        if len(source) > 90 or source in seen:
            continue
        seen.add(source)
        values = generator.random.sample(RANDOM_VALUES, 4)
        result.append((source, values))
    return result


def random_doubles(count, seed):
    """Doubles to check Python's repr on: random bits, short decimals, and the
    fixed/scientific boundaries."""
    rng = random.Random(seed)
    values = [0.0, -0.0, 1e16, 9999999999999998.0, 1e15, 1e-4, 9.999999999999999e-05,
              0.0001, 1e-05, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
              0.1, 0.2, 0.30000000000000004, 1 / 3, 2 / 3, 100.0, 123456789.0, 1e22,
              1e23, 2.0 ** 53, 2.0 ** 53 + 2.0, 2.0 ** 63, 123456789012345680.0,
              -1.5, math.inf, -math.inf, math.nan]
    while len(values) < count:
        roll = rng.random()
        if roll < 0.4:
            value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isnan(value):
                continue
        elif roll < 0.6:
            value = float("%de%d" % (rng.randint(1, 999999), rng.randint(-30, 30)))
        elif roll < 0.7:
            # around the fixed/scientific switches at 1e-4 and 1e16
            value = rng.choice([1e-4, 1e16]) * rng.uniform(0.05, 20.0)
        else:
            value = rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-12, 20)
        values.append(value)
    return values


def main():
    if sys.version_info[:2] != (3, 11):
        print("warning: expectations are meant to come from Python 3.11, this is %s"
              % sys.version.split()[0], file=sys.stderr)
    version = sys.version.split()[0]
    lines = [
        "// Generated by make_expression_cases.py from Python %s; do not edit." % version,
        fingerprint_line(os.path.abspath(__file__)),
        "// Format: see make_expression_cases.py; parsed by ExpressionCase.swift.",
        "",
        "/// Expressions and what CPython computes for them at several values.",
        'let generatedExpressionTable = #"""',
    ]
    cases = [(source, HAND_VALUES) for source in HAND_WRITTEN]
    cases += random_expressions(400, seed=20240611)
    checks = 0
    for source, values in cases:
        code = compile_expression(source)
        names = {node.id for node in ast.walk(ast.parse(source, mode="eval"))
                 if isinstance(node, ast.Name)}
        if not names & {"epoch", "x"}:
            values = [0]  # a constant: one check is enough
        lines.append("E\t" + check_clean(source))
        for value in values:
            line = table_value(value) + "\t" + table_outcome(evaluate(code, value))
            assert "\n" not in line and '"""' not in line, line
            lines.append(line)
            checks += 1
    lines.append('"""#')
    lines.append("")
    lines.append("/// Doubles (IEEE bits in hex) and Python's `repr` of each.")
    lines.append('let generatedReprTable = #"""')
    for value in random_doubles(1000, seed=7):
        lines.append("%016X\t%s" % (bits(value), repr(value)))
    lines.append('"""#')
    lines.append("")
    output_file = output_path(DEFAULT_OUTPUT)
    with open(output_file, "w") as output:
        output.write("\n".join(lines))
    print("wrote %d expressions, %d checks to %s" % (len(cases), checks, output_file))


if __name__ == "__main__":
    main()
