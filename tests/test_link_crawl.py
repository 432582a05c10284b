"""No link leads to a 403, a 404 or a 500 (issue 20).

The demo municipality (`manage.py seed_demo`) is built once for the module. Then,
for each demo login, a crawler starts at the front page and follows, breadth
first, the same-site `<a href>` links of the pages it reaches, as that user, and
collects every link that answers 403, 404, 405 (a link to a POST-only view) or
5xx, with the page that showed it.

It is bounded, so that the whole file stays within half a minute:
- links that differ only in their query values (?page=2, ?page=3) are one link;
- a page's links are read on the first EXPAND_PER_KIND pages of each kind (the
  same URL pattern and query parameter names: three child pages, not thirty);
- of each page read, the first LINKS_PER_KIND new links of each kind are
  checked (five of the thirty children in a list, but every kind of link);
- a file (PDF, calendar, spreadsheet) is checked once per kind: it is made from
  the same access check as its page, and is slow to make;
- at most PAGES requests per user.
Following links must not change anything: the rows of the apps' tables are
counted before and after each user's crawl.
"""

from collections import Counter, deque
from datetime import datetime
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urljoin, urlsplit
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import TestCase
from django.urls import Resolver404, resolve, reverse

from accounts.models import User
from demo.organisation import USERS
from tidlig.test import log_in

# The demo's day, a Monday, as in tests/test_seed_demo.py.
NOW = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))
PAGES = 150
EXPAND_PER_KIND = 3
LINKS_PER_KIND = 5
FAILING = {403, 404, 405} | set(range(500, 600))
# Not pages of the app: its static files, and the health check (it answers 503 on
# purpose here, where no Celery worker runs).
SKIP = ("/static/", "/media/", "/health/")
# What reading a page writes on purpose: the audit trail of who read which child,
# the alert it raises on many reads, the user's sessions, and the quarterly figures
# worked out once on the first look (reports.snapshot).
WRITTEN_BY_READING = {
    "children.bulkreadalert",
    "accounts.usersession",
    "reports.quartersnapshot",
    "reports.quarterstate",
}
APPS = ("accounts", "children", "ruler", "loeft", "followups", "reports")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(page_url: str, html: str) -> list[str]:
    """The page's links to pages of the app, as path and query."""
    parser = LinkParser()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(page_url, href.strip()))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # mailto:, tel:, another site
        if parts.path.startswith(SKIP):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def query_names(url: str) -> str:
    return "&".join(sorted({name for name, _ in parse_qsl(urlsplit(url).query, True)}))


def same_link(url: str) -> str:
    return f"{urlsplit(url).path}?{query_names(url)}"


def kind(url: str) -> str:
    """The URL pattern and query parameter names: /boern/<int:pk>/?fane."""
    path = urlsplit(url).path
    try:
        route = resolve(path).route
    except Resolver404:
        route = path
    return f"{route}?{query_names(url)}"


def table_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for name in APPS
        for model in apps.get_app_config(name).get_models()
        if model._meta.label_lower not in WRITTEN_BY_READING
    }


@time_machine.travel(NOW, tick=False)
class LinkCrawlTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", "--force", "--no-report", "--quiet", stdout=StringIO())

    def crawl(self, username: str) -> list[str]:
        """Follow the links `username` is shown; the ones that fail, and where."""
        self.client.raise_request_exception = False  # a 500 is a finding, not a crash
        log_in(self.client, User.objects.get(username=username))
        queue = deque([("/", "(the front page)")])
        seen = {same_link("/")}
        read: Counter[str] = Counter()
        files: set[str] = set()
        failures = []
        fetched = 0
        while queue and fetched < PAGES:
            url, source = queue.popleft()
            if kind(url) in files:
                continue
            fetched += 1
            response = self.client.get(url)
            status = response.status_code
            if status in FAILING:
                failures.append(f"{status} {url}  (linked from {source})")
                continue
            if status in (301, 302):
                if urlsplit(response["Location"]).path == reverse("login"):
                    failures.append(f"{status} to the login page: {url}  (linked from {source})")
                    continue
                found = [response["Location"]]
            elif status == 200 and response["Content-Type"].startswith("text/html"):
                read[kind(url)] += 1
                if read[kind(url)] > EXPAND_PER_KIND:
                    continue
                found = links(url, response.content.decode())
            else:
                files.add(kind(url))
                continue
            new: Counter[str] = Counter()
            for link in found:
                if same_link(link) in seen:
                    continue
                seen.add(same_link(link))
                new[kind(link)] += 1
                if new[kind(link)] <= LINKS_PER_KIND:
                    queue.append((link, url))
        return failures

    def test_it_shows_no_demo_user_a_link_that_fails(self):
        failures = []
        for spec in USERS:
            before = table_counts()
            failures += [f"{spec.username}: {failure}" for failure in self.crawl(spec.username)]
            after = table_counts()
            changed = {t: (n, after[t]) for t, n in before.items() if after[t] != n}
            if changed:
                failures.append(f"{spec.username}: following links changed rows: {changed}")
        assert not failures, "\n".join(["Links that fail (status, link, the page):", *failures])
