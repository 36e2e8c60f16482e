"""Regenerate docs/screenshot.png: the explorer page in headless Chromium, as the README shows it.

Starts `ailead serve` on a free port, opens the page at a laptop size, waits for the charts and
writes the PNG. Needs Debian's chromium (tools/install_chromium.sh) and the test extra.

    python tools/screenshot.py [--out docs/screenshot.png] [--query "?..."]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# web_local (the local-server and Chromium harness) lives with the tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from web_local import CHROMIUM, CHROMIUM_ARGS, local_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshot.png"))
    parser.add_argument("--query", default="", help="a shared-link query string to restore")
    args = parser.parse_args()
    with local_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/{args.query}")
        page.wait_for_function(
            "document.getElementById('chart-lead')?.data?.length > 0", timeout=30_000
        )
        page.wait_for_timeout(500)  # let plotly finish its layout
        page.screenshot(path=str(args.out), full_page=False)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
