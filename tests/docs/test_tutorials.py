"""Every tutorial's code runs: its ```bash blocks in a shell, its ```python blocks in-process, in
order, in one scratch directory per tutorial (sample counts in the pages keep this short)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import docs_pages
import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
RUN = ("bash", "python")
SHOWN = ("text",)  # shown, not run: commands that start a server, or output


def blocks(page: Path) -> list[tuple[str, str]]:
    return FENCE.findall(page.read_text())


def test_every_tutorial_block_is_run_or_marked_as_shown():
    pages = docs_pages.tutorial_pages()
    assert len(pages) >= 6
    for page in pages:
        found = blocks(page)
        assert any(lang in RUN for lang, _ in found), f"{page.name} runs nothing"
        for lang, _ in found:
            assert lang in RUN + SHOWN, f"{page.name}: a ```{lang} block would be skipped"


@pytest.mark.parametrize("page", docs_pages.tutorial_pages(), ids=lambda p: p.stem)
def test_tutorial_runs(page, tmp_path, monkeypatch):
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for i, (lang, code) in enumerate(blocks(page)):
        where = f"{page.name}, block {i + 1}"
        if lang == "bash":
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", code],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, f"{where}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        elif lang == "python":
            exec(compile(code, where, "exec"), namespace)
