"""Safe YAML: YAML 1.2 booleans, bounded nesting, bounded alias expansion, bounded file size.

PyYAML follows YAML 1.1, where `off`, `on`, `yes` and `no` become booleans; a scenario file saying
`compute: off` must keep the word `off`. A file is refused plainly when it is larger than
`MAX_BYTES`, not UTF-8, nested deeper than `MAX_DEPTH` or, counting every alias as the copy it
stands for, holds more than `MAX_NODES` values (a "billion laughs" document holds billions).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ailead.errors import AileadError

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 100_000


class _Refused(yaml.composer.ComposerError):
    """Well-formed YAML beyond the loader's bounds."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts nesting depth and expanded size while composing nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise _Refused(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if id(node) not in self._sizes:  # an alias's node is counted again, as its copy
            self._sizes[id(node)] = 1 + sum(self._sizes.get(id(c), 1) for c in _children(node))
        if self._sizes[id(node)] > MAX_NODES:
            problem = f"more than {MAX_NODES} values once aliases are expanded"
            raise _Refused(None, None, problem, node.start_mark)
        return node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse YAML text (raises yaml.YAMLError on malformed or oversized input)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def parse_yaml(text: str, label: str) -> Any:
    """Parse YAML text; AileadError naming `label`, the line and the problem if it cannot."""
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        if isinstance(exc, _Refused):
            raise AileadError(f"{label}: YAML refused{at}: {problem}") from None
        raise AileadError(f"{label}: malformed YAML{at}: {problem}") from None


def read_yaml_text(path: Path, label: str) -> str:
    """A YAML file's text; AileadError naming `label` if it is too large, unreadable or not
    UTF-8."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AileadError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise AileadError(f"{label}: larger than {MAX_BYTES} bytes; allowed: at most {MAX_BYTES}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        near = data[max(0, exc.start - 8) : exc.start + 8]
        raise AileadError(
            f"{label}: byte {exc.start} is not UTF-8 (near {near!r}); allowed: a UTF-8 text file"
        ) from None
