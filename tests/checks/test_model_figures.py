"""The generated tables on what the model does (verdict shares, frontier growth, the loop's
strength, the switches' effects, the counter-moves), in the README and docs/model.md, are the ones
the current model gives: a change of the model that moves them must regenerate them
(`python tools/update_model_figures.py`)."""

import re

import pytest
from update_model_figures import PAGES, blocks


@pytest.fixture(scope="module")
def fresh():
    return blocks(chart=False)


@pytest.mark.parametrize(
    "name", ["verdict", "growth", "loop", "switches", "counter", "signposts"]
)
def test_every_page_holding_the_block_holds_the_generated_one(fresh, name):
    held = 0
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        found = re.search(rf"<!-- {name}:start -->\n(.*?)\n?<!-- {name}:end -->", text, re.S)
        if found:
            held += 1
            assert found.group(1).strip() == fresh[name].strip(), (
                f"{page.name}'s {name} table is stale: run `python tools/update_model_figures.py`"
            )
    assert held, f"no page holds the {name} markers"
