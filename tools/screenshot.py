"""Regenerate the README's screenshots: the explorer page in headless Chromium, at a laptop size
(docs/screenshot.png, 1440x900) and as a phone shows it (docs/screenshot-phone.png, 390x844,
touch).

Starts `ailead serve` on a free port, opens the page with a shared-link query, waits for the
charts and writes the PNGs. Needs Debian's chromium (tools/install_chromium.sh) and the test
extra.

    python tools/screenshot.py [--out-dir docs] [--query "?..."]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# web_local (the local-server and Chromium harness) lives with the tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from web_local import CHROMIUM, CHROMIUM_ARGS, local_server  # noqa: E402

QUERY = "?preset=status-quo&distillation=strong&samples=200&seed=0&vs=status-quo"
SIZES = {
    "screenshot.png": {"viewport": {"width": 1440, "height": 900}},
    "screenshot-phone.png": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "has_touch": True,
        "is_mobile": True,
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=Path("docs"))
    parser.add_argument("--query", default=QUERY, help="a shared-link query string to restore")
    args = parser.parse_args()
    with local_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, options in SIZES.items():
            context = browser.new_context(**options)
            page = context.new_page()
            page.goto(f"{base}/{args.query}")
            page.wait_for_function(
                "window.ailead?.updates > 0 && !window.ailead.inFlight"
                " && document.getElementById('chart-lead')?.data?.length > 0",
                timeout=60_000,
            )
            page.wait_for_timeout(500)  # let plotly finish its layout
            out = args.out_dir / name
            page.screenshot(path=str(out), full_page=False)
            context.close()
            print(f"wrote {out}")
        browser.close()


if __name__ == "__main__":
    main()
