"""Regenerate the calibration-targets table in README.md from the model (never typed by hand)."""

import re
from pathlib import Path

from ailead.checks.essay import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"

text = README.read_text(encoding="utf-8")
new = re.sub(
    r"<!-- targets:start -->\n(?:.*?\n)?<!-- targets:end -->",
    lambda _: f"<!-- targets:start -->\n{markdown_table()}\n<!-- targets:end -->",
    text,
    flags=re.S,
)
README.write_text(new, encoding="utf-8")
print(markdown_table())
