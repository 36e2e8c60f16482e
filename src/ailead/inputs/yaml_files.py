"""YAML loading with YAML 1.2 booleans: only true/false are booleans.

PyYAML follows YAML 1.1, where `off`, `on`, `yes` and `no` become booleans; a scenario file saying
`compute: off` must keep the word `off`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse YAML text (raises yaml.YAMLError on malformed input)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
