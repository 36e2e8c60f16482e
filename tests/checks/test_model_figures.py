"""The README's generated tables on what the model does (verdict shares, frontier growth, the
loop's strength, the switches' effects, the counter-moves) are the ones the current model gives:
a change of the model that moves them must regenerate them
(`python tools/update_model_figures.py`)."""

import re
from pathlib import Path

import pytest
from update_model_figures import blocks

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def fresh():
    return blocks(chart=False)


@pytest.mark.parametrize("name", ["verdict", "growth", "loop", "switches", "counter"])
def test_the_readme_block_is_the_generated_one(fresh, name):
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name}:start -->\n(.*?)\n?<!-- {name}:end -->", text, re.S)
    assert found, f"README.md lacks the {name} markers"
    assert found.group(1).strip() == fresh[name].strip(), (
        f"README.md's {name} table is stale: run `python tools/update_model_figures.py`"
    )
