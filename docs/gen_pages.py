"""mkdocs-gen-files script: the site's reference pages, written from the code on every build.

The functions live in `tools/docs_pages.py` (the tests import them too); nothing generated is
committed, so the pages cannot drift from the code.
"""

import sys
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tools")]

import docs_pages  # noqa: E402

from ailead.inputs.registry import SWITCHES  # noqa: E402

PAGES = {
    "reference/model.md": docs_pages.model_reference,
    "reference/parameters.md": docs_pages.parameter_reference,
    "reference/diagram.md": docs_pages.diagram,
    "guides/other-levers.md": docs_pages.other_levers,
}
for path, write in PAGES.items():
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(write())

for switch in SWITCHES:
    runs = docs_pages.switch_runs(switch)
    with mkdocs_gen_files.open(f"guides/{switch}.svg", "w") as f:
        f.write(docs_pages.switch_chart(runs, switch))
    with mkdocs_gen_files.open(f"guides/{switch}.md", "w") as f:
        f.write(docs_pages.switch_guide(switch, runs))

with mkdocs_gen_files.open("limits-disagreements.md", "w") as f:
    f.write("# Where ailead disagrees with its sources\n\n")
    f.write(
        "Copied at build time from the validation table (`docs/validation.md`, written by "
        "`python tools/update_validation.py` from runs of the model).\n\n"
    )
    f.write(docs_pages.disagreements())
