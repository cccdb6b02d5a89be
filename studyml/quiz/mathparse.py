"""Safe parser for math typed in packs and by learners: Python's `ast` under a whitelist, no sympy."""

from __future__ import annotations

import ast
import io
import keyword
import math
import re
import tokenize
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NoReturn, Protocol, Union

# Limits keep hostile text cheap: depth bounds the recursion of every later walk of the tree,
# the exponent and digit bounds keep sympy's eager integer arithmetic from building giant numbers.
MAX_LEN = 1000
MAX_NODES = 300
MAX_DEPTH = 100
MAX_LITERAL_DIGITS = 30
MAX_LITERAL_EXP10 = 300
MAX_EXPONENT = 1000
MAX_DIGITS = 5000
FUNCTIONS = ("abs", "cos", "exp", "ln", "log", "sigmoid", "sin", "sqrt", "tan", "tanh")
CONSTANTS = {"pi": 4.0, "e": 3.0}  # upper bounds of their values, for the size estimates below


class MathError(ValueError):
    """Text that is not an allowed expression; `col` is the 1-based column of the offending part.

    The slips a learner makes most carry a `code` and its `values`, so a screen can say them in the learner's
    language (the message itself is English, for pack authors and the command line)."""

    def __init__(self, message: str, col: int, code: str = "", **values: str) -> None:
        super().__init__(message, col)
        self.message, self.col, self.code, self.values = message, col, code, values

    def __str__(self) -> str:
        return f"column {self.col}: {self.message}"


@dataclass(frozen=True)
class Num:
    """A number literal, exact; `text` is how it was written."""

    value: Fraction
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Sym:
    """A declared symbol."""

    name: str


@dataclass(frozen=True)
class Const:
    """`pi` or `e`."""

    name: str


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: MathTree


@dataclass(frozen=True)
class BinOp:
    """`left op right`."""

    op: str  # one of + - * / ^
    left: MathTree
    right: MathTree


@dataclass(frozen=True)
class Call:
    """An allowlisted function of one argument."""

    func: str
    arg: MathTree


MathTree = Union[Num, Sym, Const, Neg, BinOp, Call]

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_BAD_OPS = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
_REFUSED = {
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and' and 'or' are not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.Starred: "starred arguments are not allowed",
}
_DECIMAL = re.compile(r"(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_BLANKS = "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000"
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# Look-alikes learners paste from documents; each maps to one ASCII operator.
_LOOKALIKE = {"−": "-", "×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "∕": "/"}
# A Greek letter as the prompt shows it, typed for the symbol named after it: σ^2/τ^2 was "unknown name 'σ'".
_GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip


def parse(text: str, symbols: Sequence[str]) -> MathTree:
    """Parse `text` into a tree using only numbers, `symbols`, + - * / ** ^, FUNCTIONS, pi and e."""
    if len(text) > MAX_LEN:
        raise MathError(f"expression too long: {len(text)} characters (at most {MAX_LEN})", MAX_LEN + 1)
    src, cols, kwnames = _prepare(text, list(symbols))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "invalid decimal literal" for `1if`, reported below
            tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        _implicit_product(text, src, cols)
        where = cols[min(max((exc.offset or 1) - 1, 0), len(src))] + 1
        raise MathError(f"could not read the expression: {exc.msg}", where, "unreadable") from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise MathError("could not read the expression", 1, "unreadable") from None
    return _Walker(text, src, cols, list(symbols), kwnames).visit(tree.body, 0)[0]


def _prepare(text: str, symbols: list[str]) -> tuple[str, list[int], dict[str, str]]:
    """Rewrite `^`, look-alikes, superscripts and keyword-named symbols; map each column back."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if start >= end:
        raise MathError("empty expression", 1)
    for i in range(start, end):
        ch = text[i]
        if ch not in _BLANKS and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            raise MathError(f"character U+{ord(ch):04X} is not allowed", i + 1)
    # Python keywords are legal symbol names in packs (lambda is everywhere in ML) but not in `ast`.
    kwnames = {f"_kw_{s}": s for s in symbols if keyword.iskeyword(s)}
    greek = {ch: name for ch, name in _GREEK_NAMES.items() if name in symbols or name == "pi"}
    alts = [r"\^", "[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+", "[" + "".join(_LOOKALIKE) + _BLANKS + "]"]
    if greek:
        alts.append("[" + "".join(greek) + "]")
    alts += [rf"(?<!\w){re.escape(s)}(?!\w)" for s in kwnames.values()]
    out: list[str] = []
    cols: list[int] = []
    pos = start
    for m in re.finditer("|".join(alts), text[:end]):
        if m.start() < start:
            continue
        out.append(text[pos : m.start()])
        cols.extend(range(pos, m.start()))
        tok = m.group()
        if tok == "^":
            new = "**"
        elif tok in _LOOKALIKE:
            new = _LOOKALIKE[tok]
        elif tok in greek:  # spaced, so that σx stays two names (and says so) rather than one unknown one
            name = f"_kw_{greek[tok]}" if greek[tok] in kwnames.values() else greek[tok]
            new = (" " if m.start() > start else "") + name + " "  # a leading space is an indent to `ast`
        elif tok in _BLANKS:
            new = " "
        elif tok[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺":
            new = "**(" + tok.translate(_SUPERSCRIPT) + ")"
        else:
            new = f"_kw_{tok}"
        out.append(new)
        cols.extend([m.start()] * len(new))
        pos = m.end()
    out.append(text[pos:end])
    cols.extend(range(pos, end + 1))
    return "".join(out), cols, kwnames


def _implicit_product(text: str, src: str, cols: list[int]) -> None:
    """Explain the usual syntax error of learners, a missing `*` (`2x`, `x y`, `(a)b`)."""
    try:
        toks = [
            t
            for t in tokenize.generate_tokens(io.StringIO(src).readline)
            if t.type in (tokenize.NUMBER, tokenize.NAME, tokenize.OP)
        ]
    except (tokenize.TokenError, SyntaxError, ValueError):
        return
    for a, b in zip(toks, toks[1:]):
        if keyword.iskeyword(a.string) or keyword.iskeyword(b.string):
            return
        left = a.type in (tokenize.NUMBER, tokenize.NAME) or a.string == ")"
        right = b.type in (tokenize.NUMBER, tokenize.NAME) or (b.string == "(" and a.type != tokenize.NAME)
        if left and right:
            sa = text[cols[a.start[1]] : cols[a.end[1] - 1] + 1]
            sb = text[cols[b.start[1]] : cols[b.end[1] - 1] + 1]
            fix = ("(...)" if sa == ")" else sa) + "*" + ("(...)" if sb == "(" else sb)
            raise _missing_operator(sa, sb, fix, cols[b.start[1]] + 1)


def _missing_operator(left: str, right: str, fix: str, col: int) -> MathError:
    """`2(x+1)`, `x y`, `w(x)` for a symbol w: the commonest slip, with the product to write instead."""
    return MathError(
        f"missing operator between '{left}' and '{right}': write {fix}",
        col,
        "missing_operator",
        left=left,
        right=right,
        fix=fix,
    )


class _Located(Protocol):
    """An `ast` node with a position: expressions and keyword arguments."""

    col_offset: int
    end_col_offset: int | None


def _end(node: _Located) -> int:
    # `ast.parse` always fills end positions; only hand-built nodes lack them.
    assert node.end_col_offset is not None, "parsed nodes carry end positions"
    return node.end_col_offset


class _Walker:
    """Turn an `ast` tree into a MathTree, refusing anything off the whitelist."""

    def __init__(self, text: str, src: str, cols: list[int], symbols: list[str], kwnames: dict[str, str]):
        self.text, self.src, self.cols, self.kwnames = text, src, cols, kwnames
        self.order, self.symbols = list(dict.fromkeys(symbols)), set(symbols)
        self.ascii = src.isascii()
        self.raw = src.encode()
        self.nodes = 0

    def _char(self, byte_offset: int) -> int:
        """`ast` columns count UTF-8 bytes; learners' text may hold Korean."""
        if self.ascii:
            return byte_offset
        return len(self.raw[:byte_offset].decode("utf-8", errors="ignore"))

    def col(self, node: _Located) -> int:
        return self.cols[self._char(node.col_offset)] + 1

    def segment(self, node: _Located) -> str:
        a, b = self._char(node.col_offset), self._char(_end(node))
        seg = self.text[self.cols[a] : self.cols[b - 1] + 1]
        return seg if len(seg) <= 40 else seg[:37] + "..."

    def find(self, needle: str, after: _Located, before: _Located | None = None) -> int:
        """Column of `needle` between two nodes, e.g. of the operator of a BinOp."""
        a = self._char(_end(after))
        b = self._char(before.col_offset) if before is not None else len(self.src)
        i = self.src.find(needle, a, b)
        return self.cols[i if i >= 0 else a] + 1

    def fail(self, message: str, col: int, code: str = "", **values: str) -> NoReturn:
        raise MathError(message, col, code, **values)

    def visit(self, node: ast.expr, depth: int) -> tuple[MathTree, int, float]:
        """Return (tree, digit bound, coefficient bound); the bounds keep sympy off giant integers."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(f"expression too large: more than {MAX_NODES} parts", self.col(node))
        if depth > MAX_DEPTH:
            self.fail(
                f"expression nested too deeply: more than {MAX_DEPTH} levels (every operator in a chain such as "
                "x+x+x is a level: write it shorter, e.g. 3*x)",
                self.col(node),
            )
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            message = _REFUSED.get(type(node), f"'{self.segment(node)}' is not allowed")
            self.fail(message, self.col(node))
        return method(node, depth + 1)

    def visit_Constant(self, node: ast.Constant, depth: int):
        v = node.value
        if isinstance(v, (str, bytes)):
            self.fail("strings are not allowed", self.col(node))
        if isinstance(v, complex):
            self.fail("complex numbers are not allowed", self.col(node))
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            self.fail(f"'{self.segment(node)}' is not allowed", self.col(node))
        seg = self.segment(node)
        m = _DECIMAL.fullmatch(self.src[self._char(node.col_offset) : self._char(_end(node))])
        if not m:
            self.fail(f"only plain decimal numbers are allowed: '{seg}'", self.col(node))
        ndigits = sum(c.isdigit() for c in m.group(1))
        if ndigits > MAX_LITERAL_DIGITS:
            self.fail(f"number too long: {ndigits} digits (at most {MAX_LITERAL_DIGITS})", self.col(node))
        if m.group(2) and abs(int(m.group(2))) > MAX_LITERAL_EXP10:
            self.fail(f"number out of range: '{seg}'", self.col(node))
        value = Fraction(m.group())
        size = len(str(value.numerator)) + len(str(value.denominator))
        return Num(value, m.group()), size, float(max(abs(value.numerator), value.denominator))

    def visit_Name(self, node: ast.Name, depth: int):
        name = node.id
        if name.startswith("__") or name.endswith("__"):
            self.fail(f"names with double underscores are not allowed: '{name}'", self.col(node))
        if name in self.kwnames:
            return Sym(self.kwnames[name]), 1, 1.0
        if name in self.symbols:
            return Sym(name), 1, 1.0
        if name in CONSTANTS:
            return Const(name), 1, CONSTANTS[name]
        if name in FUNCTIONS:
            self.fail(f"'{name}' is a function: write {name}(...)", self.col(node), "is_function", name=name)
        known = ", ".join(self.order)
        tail = f"this item's symbols are: {known}" if known else "this item has no symbols"
        self.fail(f"unknown name '{name}'; {tail}", self.col(node), "unknown_name", name=name, known=known)

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int):
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            tree, size, bound = self.visit(node.operand, depth)
            return (Neg(tree) if isinstance(node.op, ast.USub) else tree), size, bound
        sym = "not" if isinstance(node.op, ast.Not) else "~"
        self.fail(f"operator '{sym}' is not allowed; use + - * / and ** or ^", self.col(node), "operator", op=sym)

    def visit_BinOp(self, node: ast.BinOp, depth: int):
        left, ls, lb = self.visit(node.left, depth)
        if type(node.op) not in _OPS:
            sym = _BAD_OPS.get(type(node.op), "?")
            col = self.find(sym, node.left, node.right)
            self.fail(f"operator '{sym}' is not allowed; use + - * / and ** or ^", col, "operator", op=sym)
        op = _OPS[type(node.op)]
        right, rs, rb = self.visit(node.right, depth)
        if op in "+-":
            size, bound = max(ls, rs) + 1, lb + rb
        elif op in "*/":
            size, bound = ls + rs, lb * rb
        else:
            # Bounds, not values: `10**10**8` or `2**99999` is refused before anything is computed.
            if rb > MAX_EXPONENT:
                self.fail(
                    f"exponent '{self.segment(node.right)}' is too large (at most {MAX_EXPONENT} in absolute value)",
                    self.col(node.right),
                )
            size = ls * max(1, math.ceil(rb))
            try:
                bound = lb**rb
            except OverflowError:
                bound = math.inf
        if size > MAX_DIGITS:
            self.fail(
                f"numbers in this expression could grow too large (over {MAX_DIGITS} digits, counted before anything is "
                "computed: a product as the sum of its factors' digits, a power as its base's digits times the exponent, "
                "so 10**1000 counts 2000)",
                self.find("*" if op == "^" else op, node.left, node.right),
            )
        return BinOp(op, left, right), size, bound

    def visit_Call(self, node: ast.Call, depth: int):
        func = node.func
        if not isinstance(func, ast.Name):
            if not (isinstance(func, ast.Constant) and type(func.value) in (int, float)):
                self.visit(func, depth)
            seg = self.segment(func)
            left = seg if isinstance(func, ast.Constant) else "(...)"
            raise _missing_operator(seg, "(", f"{left}*(...)", self.find("(", func))
        name = func.id
        if name.startswith("__") or name.endswith("__"):
            self.fail(f"names with double underscores are not allowed: '{name}'", self.col(func))
        if name not in FUNCTIONS:
            if name in self.symbols or name in self.kwnames or name in CONSTANTS:
                shown = self.kwnames.get(name, name)
                raise _missing_operator(shown, "(", f"{shown}*(...)", self.find("(", func))
            allowed = ", ".join(FUNCTIONS)
            self.fail(
                f"unknown function '{name}'; allowed functions: {allowed}",
                self.col(func),
                "unknown_function",
                name=name,
                allowed=allowed,
            )
        parts: list[ast.expr | ast.keyword] = [*node.args, *node.keywords]
        for part in sorted(parts, key=lambda n: n.col_offset):
            if isinstance(part, ast.Starred):
                self.fail("starred arguments are not allowed", self.col(part))
            if isinstance(part, ast.keyword):
                what = f"'{part.arg}='" if part.arg else "'**'"
                self.fail(f"keyword arguments are not allowed: {what}", self.col(part))
        if len(node.args) != 1:
            self.fail(f"{name}() takes exactly one argument ({len(node.args)} given)", self.col(func))
        arg, size, bound = self.visit(node.args[0], depth)
        if name == "exp":
            bound = math.exp(bound) if bound < 700 else math.inf
        return Call(name, arg), size, bound

    def visit_Attribute(self, node: ast.Attribute, depth: int):
        self.visit(node.value, depth)
        dot = self.src.rfind(".", 0, self._char(_end(node)) - len(node.attr))
        self.fail(f"attribute access is not allowed: '.{node.attr}'", self.cols[max(dot, 0)] + 1)

    def visit_Subscript(self, node: ast.Subscript, depth: int):
        self.visit(node.value, depth)
        self.fail("subscripts are not allowed: '[...]'", self.find("[", node.value))


class Algebra:
    """What one walk of a MathTree does at each node; `interpret` is the only walk that computes.

    Subclasses give the arithmetic: floats (`evaluate`), exact fractions (grading of plain numbers),
    sympy (symbolic grading in the worker), or numbers substituted for symbols (template keys).
    """

    def num(self, t: Num):
        raise NotImplementedError

    def sym(self, t: Sym):
        raise NotImplementedError

    def const(self, t: Const):
        raise NotImplementedError

    def neg(self, a):
        return -a

    def call(self, func: str, a):
        raise NotImplementedError

    def binop(self, op: str, a, b):
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return a / b if op == "/" else self.power(a, b)

    def power(self, a, b):
        raise NotImplementedError


def interpret(tree: MathTree, algebra: Algebra):
    """Compute `tree` bottom-up with `algebra`'s operations (depth is bounded by the parser)."""
    if isinstance(tree, Num):
        return algebra.num(tree)
    if isinstance(tree, Sym):
        return algebra.sym(tree)
    if isinstance(tree, Const):
        return algebra.const(tree)
    if isinstance(tree, Neg):
        return algebra.neg(interpret(tree.operand, algebra))
    if isinstance(tree, Call):
        return algebra.call(tree.func, interpret(tree.arg, algebra))
    return algebra.binop(tree.op, interpret(tree.left, algebra), interpret(tree.right, algebra))


class _Sympy(Algebra):
    def __init__(self, positive: bool = True) -> None:
        import sympy

        self.sp, self.positive = sympy, positive
        self.funcs = {
            "abs": sympy.Abs,
            "cos": sympy.cos,
            "exp": sympy.exp,
            "ln": sympy.log,
            "log": sympy.log,
            "sin": sympy.sin,
            "sqrt": sympy.sqrt,
            "tan": sympy.tan,
            "tanh": sympy.tanh,
            "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)),
        }

    def num(self, t: Num):
        return self.sp.Rational(t.value.numerator, t.value.denominator)

    def sym(self, t: Sym):
        return sympy_symbol(t.name, self.positive)

    def const(self, t: Const):
        return self.sp.pi if t.name == "pi" else self.sp.E

    def power(self, a, b):
        return self.sp.Pow(a, b)

    def call(self, func: str, a):
        return self.funcs[func](a)


def sympy_symbol(name: str, positive: bool = True):
    """The sympy symbol of an expr item's symbol: a positive real, or any real (a `signed` symbol's other values)."""
    import sympy

    return sympy.Symbol(name, positive=True) if positive else sympy.Symbol(name, real=True)


def to_sympy(tree: MathTree, positive: bool = True):
    """Build the sympy expression from the tree (never from text); symbols are positive reals (or any reals)."""
    return interpret(tree, _Sympy(positive))


def _sigmoid(x: float) -> float:
    # Written both ways so neither exp call can overflow.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


_FLOAT_FUNCS: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "cos": math.cos,
    "exp": math.exp,
    "ln": math.log,
    "log": math.log,
    "sigmoid": _sigmoid,
    "sin": math.sin,
    "sqrt": math.sqrt,
    "tan": math.tan,
    "tanh": math.tanh,
}


class FloatAlgebra(Algebra):
    """Floats; symbols take their values from `values`."""

    def __init__(self, values: dict[str, float]) -> None:
        self.values = values

    def num(self, t: Num) -> float:
        v = t.value
        return v.numerator / v.denominator  # what float(Fraction) does, without its generic dispatch

    def sym(self, t: Sym) -> float:
        if t.name not in self.values:
            raise ValueError(f"no value for symbol '{t.name}'")
        return float(self.values[t.name])

    def const(self, t: Const) -> float:
        return math.pi if t.name == "pi" else math.e

    def power(self, a: float, b: float) -> float:
        return math.pow(a, b)  # unlike `**`, never turns a negative base into a complex number

    def call(self, func: str, a: float) -> float:
        return _FLOAT_FUNCS[func](a)


class NotExact(ValueError):
    """The tree is not plain arithmetic on exact numbers."""


class ExactAlgebra(Algebra):
    """Exact fractions for plain arithmetic (`0.8`, `1/4`, `2^10`); raises NotExact otherwise."""

    def num(self, t: Num) -> Fraction:
        return t.value

    def sym(self, t: Sym):
        raise NotExact(t.name)

    def const(self, t: Const):
        raise NotExact(t.name)

    def call(self, func: str, a):
        raise NotExact(func)

    def binop(self, op: str, a: Fraction, b: Fraction) -> Fraction:
        if op in "/^" and (b == 0 or (op == "^" and (b.denominator != 1 or (a == 0 and b < 0)))):
            raise NotExact(op)
        return super().binop(op, a, b)

    def power(self, a: Fraction, b: Fraction) -> Fraction:
        return a ** int(b)  # the parser bounds the exponent


def exact_value(tree: MathTree) -> Fraction | None:
    """The exact value of plain arithmetic, None for anything else (symbols, functions, 1/0)."""
    try:
        return interpret(tree, ExactAlgebra())
    except NotExact:
        return None


def evaluate(tree: MathTree, values: dict[str, float]) -> float:
    """Value of the tree in floats; raises ValueError off the domain, on overflow or a missing symbol."""
    try:
        result = interpret(tree, FloatAlgebra(values))
    except (ArithmeticError, ValueError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    if not math.isfinite(result):
        raise ValueError("the value is not finite")
    return result


_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def _prec(t: MathTree) -> int:
    if isinstance(t, BinOp):
        return _PREC[t.op]
    return _PREC["neg"] if isinstance(t, Neg) else 5


def to_text(tree: MathTree) -> str:
    """Readable one-line form that parses back to the same tree, e.g. `2/(n_in + n_out)`."""

    def wrap(t: MathTree, needs: bool) -> str:
        s = show(t)
        return f"({s})" if needs else s

    def show(t: MathTree) -> str:
        if isinstance(t, Num):
            return t.text or (
                str(t.value) if t.value.denominator == 1 else f"({t.value.numerator}/{t.value.denominator})"
            )
        if isinstance(t, (Sym, Const)):
            return t.name
        if isinstance(t, Neg):
            return "-" + wrap(t.operand, _prec(t.operand) < 3)
        if isinstance(t, Call):
            return f"{t.func}({show(t.arg)})"
        p = _PREC[t.op]
        if t.op == "^":
            return f"{wrap(t.left, _prec(t.left) <= 4)}^{wrap(t.right, _prec(t.right) <= 3)}"
        right_needs = _prec(t.right) <= p or isinstance(t.right, Neg)
        sep = f" {t.op} " if p == 1 else t.op
        return f"{wrap(t.left, _prec(t.left) < p)}{sep}{wrap(t.right, right_needs)}"

    return show(tree)
