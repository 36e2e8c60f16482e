"""The essay's calibration targets at the registry defaults, and the README table showing them."""

import re
from pathlib import Path

import pytest

from ailead.checks.essay import TARGETS, check_targets, markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("check", check_targets(), ids=[t.claim for t in TARGETS])
def test_essay_target(check):
    assert check.passed, f"{check.target.claim}: ailead gives {check.shown}, wants {check.allowed}"


def test_readme_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- targets:start -->\n(.*?)\n?<!-- targets:end -->", text, re.S)
    assert found, "README.md lacks the targets table markers"
    assert found.group(1).strip() == markdown_table().strip(), (
        "README targets table is stale: run `python tools/update_readme.py`"
    )
