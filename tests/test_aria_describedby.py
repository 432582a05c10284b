"""Hints and errors reach screen readers (WCAG 1.3.1, 3.3.1): on every form page,
empty and after a POST with errors, each id a field's aria-describedby names is an
element of the page, and each hint and error of templates/includes/field.html is
named by its field. axe-core does not check this.

The pages are the access matrix's (tests/test_access_matrix.py): every URL a role
may GET, opened as the first such role, with the matrix's fixtures.
"""

import re
from html.parser import HTMLParser

import tests.test_access_matrix as matrix

# The ids field.html gives a field's hint and its errors (Django's own names, which
# BoundField.aria_describedby points to).
DESCRIPTION_ID = re.compile(r"_(helptext|error)$")


class Ids(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element, ids it names)
        self.forms: list[str] = []  # the actions of the POST forms
        self.filters: list[str] = []  # the names in the GET forms (filters, searches)
        self._in_get_form = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby") is not None:
            name = attrs.get("name") or attrs.get("id") or tag
            self.described.append((f"<{tag} {name}>", attrs["aria-describedby"]))
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append(attrs.get("action") or "")
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        if tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.filters.append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def problems(html: str) -> list[str]:
    page = Ids(html)
    found = []
    named: set[str] = set()
    for element, ids in page.described:
        named.update(ids.split())
        if not ids.split():
            found.append(f"{element}: empty aria-describedby")
        found.extend(
            f"{element}: aria-describedby names #{i}, not in the page"
            for i in ids.split()
            if i not in page.ids
        )
    found.extend(
        f"#{i} describes no field" for i in sorted(page.ids - named) if DESCRIPTION_ID.search(i)
    )
    return found


def test_it_finds_a_hint_the_field_does_not_point_to():
    page = '<span id="id_x-hint">Hint</span><input name="x" aria-describedby="id_x_helptext">'
    assert problems(page) == ["<input x>: aria-describedby names #id_x_helptext, not in the page"]
    assert problems('<span id="id_x_helptext">Hint</span><input name="x">') == [
        "#id_x_helptext describes no field"
    ]


class FormPagesTestCase(matrix.AccessMatrixTestCase):
    """The access matrix's fixtures; its own tests run in their own module."""

    def test_every_aria_describedby_names_an_element_of_the_page(self):
        failures, forms = [], 0
        for name, route in matrix.MATRIX.items():
            allowed = [
                r for r, status in route.expect.items() if status == 200 and r != "anonymous"
            ]
            if route.method != "get" or not allowed or name in matrix.ROLE_INDEPENDENT:
                continue
            url, response = self._call(name, route, allowed[0])
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            failures.extend(f"{name} GET {url}: {p}" for p in problems(html))
            # A filter with nonsense in every field, so that it shows its errors.
            if filters := Ids(html).filters:
                bad = self.clients[allowed[0]].get(url, dict.fromkeys(filters, "x31-02"))
                if bad.status_code == 200 and "html" in bad.get("Content-Type", ""):
                    failures.extend(
                        f"{name} filtered {url}: {p}" for p in problems(bad.content.decode())
                    )
            # A POST with nothing filled in, so that the required fields show errors.
            for action in dict.fromkeys(Ids(html).forms):
                if action not in ("", url):
                    continue
                forms += 1
                after = self.clients[allowed[0]].post(url, {})
                if after.status_code == 200 and "html" in after.get("Content-Type", ""):
                    failures.extend(
                        f"{name} POST {url}: {p}" for p in problems(after.content.decode())
                    )
                self.clients.clear()  # a POST may have ended the session
        assert forms > 20, f"only {forms} forms were posted; did the matrix change?"
        assert not failures, "\n".join(failures)


# Only the fixtures come from the access matrix, not its tests.
for _name in dir(matrix.AccessMatrixTestCase):
    if _name.startswith("test") and _name not in FormPagesTestCase.__dict__:
        setattr(FormPagesTestCase, _name, None)
