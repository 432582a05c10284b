"""Counting a browser journey for the usability targets of docs/usability.md.

A journey starts on a page that is already open (the child page, say) and counts
from there:

- screens: the documents the tab loads, each page after a click or a sent form
  (a redirect and the page it leads to count once); a PDF opened or downloaded is
  a screen too;
- clicks: every pointer click, a click into a text field included;
- keys: the Tab presses that move from one text field straight to the next, as a
  fast user does instead of clicking the next field.

`record()` writes the figures to <TIDLIG_VAR_DIR>/usability/<name>.json and prints
them, so that they can be copied into docs/usability.md.
"""

import json
from typing import Any

from django.conf import settings
from django.utils import timezone


class Journey:
    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name
        self.screens: list[str] = []
        self.clicks = 0
        self.keys = 0
        page.on("response", self._on_response)
        page.on("download", self._on_download)

    def _on_response(self, response: Any) -> None:
        request = response.request
        if request.resource_type != "document" or request.frame != self.page.main_frame:
            return
        if 300 <= response.status < 400:
            return  # the page it redirects to is the screen
        if response.url not in self.screens[-1:]:
            self.screens.append(response.url)

    def _on_download(self, download: Any) -> None:
        # A PDF sent as an attachment: no document in the tab, but a screen to read.
        if download.url not in self.screens[-1:]:
            self.screens.append(download.url)

    def click(self, locator: Any) -> None:
        self.clicks += 1
        locator.click()

    def type(self, locator: Any, text: str) -> None:
        """Click into a text field and type."""
        self.click(locator)
        locator.fill(text)

    def tab_and_type(self, text: str) -> None:
        """Tab to the next text field and type."""
        self.keys += 1
        self.page.keyboard.press("Tab")
        self.page.keyboard.insert_text(text)

    def figures(self) -> dict:
        return {
            "journey": self.name,
            "screens": len(self.screens),
            "clicks": self.clicks,
            "keys": self.keys,
            "date": timezone.localdate().isoformat(),
            "pages": self.screens,
        }

    def record(self) -> dict:
        figures = self.figures()
        folder = settings.VAR_DIR / "usability"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.name}.json").write_text(json.dumps(figures, indent=2) + "\n")
        print(f"usability {self.name}: {json.dumps(figures)}")
        return figures
