"""The causal system as the code wires it: which lever and which mechanism feed which mechanism.

A static reading of `src/ailead/sim/` (the monthly step and its inputs) and of
`src/ailead/outputs/dataset.py` (the lead, the fronts and the verdict read from the paths), with
no hand-drawn edge: every name a statement assigns is tagged with the mechanisms (`ailead.model`
modules), registry parameters and levers its value comes from, through local names, the fields
of `State`, `Inputs`, `Frontier` and `Monthly`, the keys of the constants' dicts and the values
other functions return, until nothing changes. A call to a mechanism then gets an edge from
every lever and mechanism its arguments carry. `docs/gen_pages.py` draws the edges as the site's
diagram; `tests/docs/test_site.py` checks that every lever reaches the lead through them.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ailead"
FILES = sorted((PACKAGE / "sim").glob("*.py")) + [
    PACKAGE / "outputs" / "dataset.py",
    PACKAGE / "outputs" / "verdict.py",
]
MODEL_MODULES = sorted(
    p.stem for p in (PACKAGE / "model").glob("*.py") if p.stem not in ("__init__", "arrays")
)


def _model_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound to `ailead.model.<module>` by `from ailead.model import ...`."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ailead.model":
            for name in node.names:
                if name.name in MODEL_MODULES:
                    aliases[name.asname or name.name] = name.name
    return aliases


class _Reader:
    """Tags of expressions: 'model:<module>', 'param:<name>' (registry parameters and levers)."""

    def __init__(self, parameters: set[str]):
        self.parameters = parameters
        self.fields: dict[str, set[str]] = defaultdict(set)  # attribute or dict key -> tags
        self.returns: dict[str, set[str]] = defaultdict(set)  # function name -> tags
        self.arguments: dict[tuple[str, int], set[str]] = defaultdict(set)  # (function, i) -> tags
        self.edges: dict[tuple[str, str], set[str]] = defaultdict(set)  # (from, to) -> where
        self.records: dict[str, list[str]] = {}  # NamedTuple class -> its fields in order

    def tags(self, node: ast.AST, local: dict[str, set[str]], aliases: dict[str, str]) -> set[str]:
        """What a value comes from directly: a mechanism's result carries that mechanism only."""
        if isinstance(node, ast.Call):
            func = node.func
            is_attribute = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            if is_attribute and func.value.id in aliases:
                return {"model:" + aliases[func.value.id]}
            if isinstance(func, ast.Name) and func.id in self.returns:  # a function of sim/
                return self._returned(func.id, node, local, aliases)
            return set().union(
                *(self.tags(child, local, aliases) for child in ast.iter_child_nodes(node))
            )
        if isinstance(node, ast.Name):
            return set(local.get(node.id, set()))
        if isinstance(node, ast.Attribute):  # a known field stands for itself alone
            if node.attr in self.fields:
                return set(self.fields[node.attr])
            if node.attr == "T":  # a transposed array is the array
                return self.tags(node.value, local, aliases)
            return set()  # a container's other attributes (paths.monthly, .shape): no value
        if isinstance(node, ast.Subscript):  # so does a known key: c.frontier["retention"]
            key = node.slice
            named = isinstance(key, ast.Constant) and isinstance(key.value, str)
            if named and (key.value in self.parameters or key.value in self.fields):
                return self.tags(key, local, aliases)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in self.parameters:
                return {"param:" + node.value}
            return set(self.fields.get(node.value, set()))
        if isinstance(node, ast.JoinedStr):
            # p[f"largest_run_share_{bloc}"]: every parameter the pattern can name
            head = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            return {"param:" + n for n in self.parameters if head and n.startswith(head)}
        return set().union(
            *(self.tags(child, local, aliases) for child in ast.iter_child_nodes(node))
        )

    def _returned(self, name: str, node: ast.Call, local, aliases) -> set[str]:
        """What a call returns: what the function adds, and the arguments its return reads."""
        found = set()
        for tag in self.returns[name]:
            if not tag.startswith("arg:"):
                found.add(tag)
            elif int(tag[4:]) < len(node.args):
                found |= self.tags(node.args[int(tag[4:])], local, aliases)
        return found

    def function(self, fn: ast.FunctionDef, aliases: dict[str, str], where: str) -> None:
        """Two readings: with the arguments untagged, what the function adds to what it is given
        (its return); with them tagged as its callers pass them, the fields and edges."""
        self._body(fn, aliases, where, seeded=False)
        self._body(fn, aliases, where, seeded=True)

    def _body(self, fn: ast.FunctionDef, aliases: dict[str, str], where: str, seeded: bool):
        local = {
            arg.arg: set(self.arguments[(fn.name, i)]) if seeded else {f"arg:{i}"}
            for i, arg in enumerate(fn.args.args)
        }
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and seeded:
                self._call(node, local, aliases, where)
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                value = node.value
                if value is None:
                    continue
                tags = self.tags(value, local, aliases)
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            local[name.id] = local.get(name.id, set()) | tags
            if isinstance(node, ast.Dict) and seeded and where.startswith("sim/"):  # constants
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        self.fields[key.value] |= self.tags(value, local, aliases)
            if isinstance(node, ast.Return) and node.value is not None and not seeded:
                self.returns[fn.name] |= self.tags(node.value, local, aliases)

    def _call(self, node: ast.Call, local, aliases, where: str) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.records:  # Frontier(remote, ...)
            for field, arg in zip(self.records[func.id], node.args, strict=False):
                if isinstance(arg, ast.Starred):  # Monthly(*stacked): field by field elsewhere
                    break
                self.fields[field] |= self.tags(arg, local, aliases)
        for kw in node.keywords:  # NamedTuple fields: State(stock=...), Monthly(...), ...
            if kw.arg:
                self.fields[kw.arg] |= self.tags(kw.value, local, aliases)
        func = node.func
        if isinstance(func, ast.Name):  # a function of sim/ or outputs/: its arguments' tags
            for i, arg in enumerate(node.args):
                self.arguments[(func.id, i)] |= self.tags(arg, local, aliases)
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        module = aliases.get(func.value.id)
        if module is None:
            return
        args = [*node.args, *(kw.value for kw in node.keywords)]
        for arg in args:
            for tag in self.tags(arg, local, aliases):
                if tag != "model:" + module:
                    self.edges[(tag, "model:" + module)].add(f"{where}.{func.attr}")


def _records(tree: ast.Module) -> dict[str, list[str]]:
    """The NamedTuple classes of a module and their fields in order."""
    return {
        node.name: [f.target.id for f in node.body if isinstance(f, ast.AnnAssign)]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == "NamedTuple" for b in node.bases)
    }


def _size(reader: _Reader) -> int:
    tables = (reader.fields, reader.returns, reader.arguments)
    return sum(len(v) for table in tables for v in table.values())


def causal_edges(parameters: set[str]) -> dict[tuple[str, str], set[str]]:
    """Edges (from, to) -> {'file:function.mechanism_function', ...} read from the code."""
    reader = _Reader(parameters)
    trees = [(path, ast.parse(path.read_text())) for path in FILES]
    for _ in range(10):  # fields and returns flow between functions: iterate to a fixpoint
        before = _size(reader)
        for path, tree in trees:
            aliases = _model_aliases(tree)
            reader.records.update(_records(tree))
            for fn in ast.walk(tree):
                if isinstance(fn, ast.FunctionDef):
                    where = f"{path.relative_to(PACKAGE).as_posix()}:{fn.name}"
                    reader.function(fn, aliases, where)
        after = _size(reader)
        if after == before:
            break
    return dict(reader.edges)
