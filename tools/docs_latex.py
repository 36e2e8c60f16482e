"""The mechanisms' equations in LaTeX, read from their docstrings' plain-text equations.

The docstrings write equations as Python-like expressions (`S = sigma0 * (1 - enforcement) * U`,
`P_2025 * g**y`, `min(q * x**lambda, g_max)`), so each side is parsed with `ast` and printed as
LaTeX: products, fractions, powers, min/max/exp/log, subscripts after an underscore and Greek
letters by name, `inf` as infinity. Logic reads as Python too: `a if condition else b` is a
case distinction (conditions joined by `and`/`or`, `==` for equality), `sum(x(m) for m in S)` or
`max(y for c in S if condition)` a sum or maximum over a set and `for tau in range(t)` runs from
0 to t - 1. A line that does not parse as `expression = expression [= ...]` is left to the
verbatim docstring beside it, so nothing is rendered that the code does not say.
"""

from __future__ import annotations

import ast
import re

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "lambda", "mu",
    "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
}  # fmt: skip
FUNCTIONS = {"min": r"\min", "max": r"\max", "exp": r"\exp", "ln": r"\ln", "log": r"\ln"}
OPS = {ast.Add: "+", ast.Sub: "-"}
COMPARE = {ast.LtE: r"\le", ast.GtE: r"\ge", ast.Lt: "<", ast.Gt: ">", ast.Eq: "="}
BOOL = {ast.And: r"\land", ast.Or: r"\lor"}
REDUCE = {"sum": r"\sum", "min": r"\min", "max": r"\max"}
KEYWORD = "lambda"


def _name(name: str) -> str:
    if name == "inf":
        return r"\infty"
    name = name.replace(KEYWORD + "_kw", KEYWORD)
    prime = name.endswith("__prime")
    name = name.removesuffix("__prime")
    head, _, sub = name.partition("_")
    match = re.fullmatch(r"([a-zA-Z]+?)(\d+)", head)
    if not sub and match and match.group(1) in GREEK:  # sigma0 -> \sigma_{0}
        head, sub = match.groups()
    if head in GREEK:
        head = "\\" + head
    elif len(head) > 1:
        head = r"\mathrm{" + head + "}"
    text = head + (r"_{\mathrm{" + sub.replace("_", r"\_") + "}}" if sub else "")
    return text + ("'" if prime else "")


def _group(node: ast.AST) -> str:
    text = _tex(node)
    return f"\\left({text}\\right)" if isinstance(node, ast.BinOp | ast.Compare) else text


def _tex(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return _name(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        mantissa, _, exponent = f"{node.value:g}".partition("e")
        if not exponent:
            return mantissa
        power = "10^{" + str(int(exponent)) + "}"
        return power if mantissa == "1" else mantissa + r" \times " + power
    if isinstance(node, ast.IfExp):
        return r"\begin{cases} " + _cases(node) + r" \end{cases}"
    if isinstance(node, ast.BoolOp):
        return f" {BOOL[type(node.op)]} ".join(_tex(v) for v in node.values)
    if (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and isinstance(node.args[0], ast.GeneratorExp)
    ):
        return _reduce(node.func, node.args[0])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return "-" + _group(node.operand)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Div):
            return r"\frac{" + _tex(node.left) + "}{" + _tex(node.right) + "}"
        if isinstance(node.op, ast.Pow):
            return "{" + _group(node.left) + "}^{" + _tex(node.right) + "}"
        if isinstance(node.op, ast.Mult):
            return _factor(node.left) + r" \, " + _factor(node.right)
        if type(node.op) in OPS:
            right = _factor(node.right) if isinstance(node.op, ast.Sub) else _tex(node.right)
            return _tex(node.left) + f" {OPS[type(node.op)]} " + right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        args = ", ".join(_tex(a) for a in node.args)
        name = node.func.id
        if name == "log10":
            return r"\log_{10}\left(" + args + r"\right)"
        return FUNCTIONS.get(name, _name(name)) + r"\left(" + args + r"\right)"
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARE:
        return f"{_tex(node.left)} {COMPARE[type(node.ops[0])]} {_tex(node.comparators[0])}"
    if isinstance(node, ast.Subscript):
        return _tex(node.value) + "[" + _tex(node.slice) + "]"
    if isinstance(node, ast.Tuple):
        return ", ".join(_tex(e) for e in node.elts)
    raise ValueError(f"no LaTeX for {ast.dump(node)[:40]}")


def _cases(node: ast.IfExp) -> str:
    """`a if c else b` as LaTeX cases; a chain of `else ... if` gives one case each."""
    case = _tex(node.body) + r" & \text{if } " + _tex(node.test) + r" \\ "
    if isinstance(node.orelse, ast.IfExp):
        return case + _cases(node.orelse)
    return case + _tex(node.orelse) + r" & \text{otherwise}"


def _reduce(func: ast.expr, gen: ast.GeneratorExp) -> str:
    """`sum(x for v in S if c)` as a sum (or min, max) over v in S with c; range(t) is 0..t-1."""
    if not isinstance(func, ast.Name) or func.id not in REDUCE or len(gen.generators) != 1:
        raise ValueError("no LaTeX for this generator")
    loop = gen.generators[0]
    var, within = _tex(loop.target), loop.iter
    if isinstance(within, ast.Call) and getattr(within.func, "id", "") == "range":
        if len(within.args) != 1:
            raise ValueError("range with one argument only")
        below = _tex(ast.BinOp(within.args[0], ast.Sub(), ast.Constant(1)))
        limits = "_{" + var + "=0}^{" + below + "}"
    else:
        limits = "_{" + var + r" \in " + _tex(within)
        limits += "".join(r",\, " + _tex(c) for c in loop.ifs) + "}"
    return REDUCE[func.id] + limits + " " + _factor(gen.elt)


def _factor(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp) and type(node.op) in OPS:
        return r"\left(" + _tex(node) + r"\right)"
    return _tex(node)


def _python(text: str) -> str:
    text = re.sub(r"\b" + KEYWORD + r"\b", KEYWORD + "_kw", text)
    return re.sub(r"(\w)'", r"\1__prime", text)


def _parse(text: str) -> ast.expr | None:
    try:
        return ast.parse(_python(text.strip().rstrip(".,;:")), mode="eval").body
    except SyntaxError:
        return None


def _usable(node: ast.expr | None) -> bool:
    return node is not None and not isinstance(node, ast.Tuple)


def _suffix(text: str) -> ast.expr | None:
    """The longest run of words at the end that parses: the left side after its prose."""
    words = text.split()
    for k in range(len(words), 0, -1):
        node = _parse(" ".join(words[-k:]))
        if _usable(node):
            return node
    return None


def _prefix(text: str) -> ast.expr | None:
    """The longest part before a comma that parses: a right side before its prose."""
    cuts = [m.start() for m in re.finditer(r",\s", text)] + [len(text)]
    for cut in reversed(cuts):
        node = _parse(text[:cut])
        if _usable(node):
            return node
    return None


def _computes(node: ast.expr | None) -> bool:
    """Whether an expression computes something (not a lone name or a call like a(I))."""
    return node is not None and any(isinstance(n, ast.BinOp | ast.IfExp) for n in ast.walk(node))


def _candidate(text: str) -> str | None:
    """One clause as LaTeX: `lhs = rhs [= ...]` or an expression, or None.

    Words joined by a hyphen ("US-bloc", "H_mid-2025") are prose or names, not subtractions, so
    a clause with one is left alone; so is one whose right side runs into prose before a comma.
    """
    if re.search(r"\w-\w", re.sub(r"\d[eE]-\d", "0", text)):  # 1e-6 is a number
        return None
    sides = re.split(r"(?<![<>=!])=(?!=)", text)
    try:
        if len(sides) == 1:
            node = _prefix(text)
            return _tex(node) if _computes(node) else None
        nodes = [_suffix(sides[0]), *(_parse(s) for s in sides[1:-1]), _prefix(sides[-1])]
        if not all(_usable(n) for n in nodes) or not any(_computes(n) for n in nodes):
            return None
        return " = ".join(_tex(n) for n in nodes)
    except ValueError:
        return None


def equations(docstring: str) -> list[str]:
    """Every equation of a docstring that parses, in LaTeX, in order, without repeats.

    Units in brackets are dropped; a line is cut into clauses at semicolons, colons, wide gaps
    and commas followed by a wide gap; each clause gives `lhs = rhs` or an expression that
    computes something.
    """
    found: list[str] = []
    for line in (docstring or "").splitlines():
        line = re.sub(r"(^|\s+)\[[^\]]*\]", "", line.strip())  # not x[i]
        line = re.sub(r"\s{2,}=", " =", line)
        for clause in re.split(r";\s+|:\s+|\s{3,}|,\s{2,}", line):
            tex = _candidate(clause.strip().rstrip(".,;:")) if clause.strip() else None
            if tex and tex not in found:
                found.append(tex)
    return found
