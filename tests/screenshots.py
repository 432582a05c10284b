"""Screenshots of pages as a user sees them, for docs/screenshots/.

Usage (against a running demo, e.g. `make demo`):

    python -m tests.screenshots http://127.0.0.1:8000 pia /boern/ child_list

logs in as the demo user (the code from `manage.py demo_code`, so run it with the
server's TIDLIG_VAR_DIR) and saves docs/screenshots/<name>.png (full page).
Uses Debian's Chromium through Playwright.
"""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]


def demo_code(username: str) -> str:
    # The demo server's database: the same TIDLIG_VAR_DIR as the server's.
    command = [sys.executable, "manage.py", "demo_code", username]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def main(base: str, username: str, *pairs: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", f"tidlig-demo-{username}")
        page.click("button[type=submit]")
        if "/login/kode/" in page.url:
            page.fill("input[name=code]", demo_code(username))
            page.click("form[action='/login/kode/'] button[type=submit]")
        for path, name in zip(pairs[::2], pairs[1::2], strict=True):
            page.goto(base + path)
            target = ROOT / "docs" / "screenshots" / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
