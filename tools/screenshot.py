"""Regenerate docs/screenshot.png: the explorer page in headless Chromium, as the README shows it.

Starts `ailead serve` on a free port, opens the page at a laptop size, waits for the charts and
writes the PNG. Needs Debian's chromium (tools/install_chromium.sh) and the test extra.

    python tools/screenshot.py [--out docs/screenshot.png] [--query "?..."]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshot.png"))
    parser.add_argument("--query", default="", help="a shared-link query string to restore")
    args = parser.parse_args()
    port = free_port()
    ailead = Path(sys.executable).with_name("ailead")
    server = subprocess.Popen(
        [str(ailead), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/scenarios", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("screenshot: ailead serve did not start")
            time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/{args.query}")
            page.wait_for_function(
                "document.getElementById('chart-lead')?.data?.length > 0", timeout=30_000
            )
            page.wait_for_timeout(500)  # let plotly finish its layout
            page.screenshot(path=str(args.out), full_page=False)
            browser.close()
        print(f"wrote {args.out}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
