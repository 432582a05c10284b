"""Bad input never gives a 500 (issue 19).

Every URL of the access matrix (tests/test_access_matrix.py), called as a user
who may use it, gets junk: control characters with NUL, digits that are not
ASCII ("²", "٣"), huge and negative numbers, far dates, very long strings,
empty values and lists. POSTs go to every field of the forms that send there
(read from the pages' HTML, hidden fields and buttons too); GETs carry the query
parameters the views read (found in the source) and the fields of the pages'
GET forms. No answer may be a 5xx. (/health/ is left out: it answers 503 on
purpose when the worker is down.)

Each example runs in a savepoint that is rolled back, so a POST that deletes
or ends something does not change what the next example finds. The examples are
derandomised, so CI sees the same ones every run; besides the random ones, every
field at once gets "²" and a NUL, as each role let in.
"""

import copy
import inspect
import re
import sys
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import test_access_matrix as matrix
from tests.test_access_matrix import MATRIX, ROLE_INDEPENDENT, Route
from tidlig.test import log_in

# The values most likely to break a parser, a lookup or the database.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x1f\x7f\x85",
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "31-12-9999",
    "0000Q1",
    "0001Q1",
    "9999Q4",
    "25:61",
    "x" * 5000,
    "æøå" * 2000,
]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
JUNK = st.one_of(
    st.sampled_from(NASTY),
    TEXT,
    st.integers().map(str),
    st.dates().map(str),
)
VALUE = st.one_of(JUNK, st.lists(JUNK, min_size=2, max_size=3))

# Few examples per URL keep the file within a minute; the PDFs and spreadsheets
# take long to make, so they get fewer.
EXAMPLES = 3
SLOW_EXAMPLES = 1
# Besides those: every field at once gets each of these (a digit int() cannot read,
# a NUL, which PostgreSQL refuses in text).
EVERYWHERE = ("²", "a\x00b")
SLOW = re.compile(r"pdf|export|ics")

# The query parameters a view reads: request.GET.get("x"), request.GET["x"]…
GET_KEY = re.compile(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")


def query_keys(url: str) -> set[str]:
    """The query parameters read in the module of the view behind `url`."""
    view = inspect.unwrap(resolve(url).func)
    return set(GET_KEY.findall(inspect.getsource(sys.modules[view.__module__])))


class FormParser(HTMLParser):
    """The forms of a page: where each sends to, how, and its fields with the
    values the page fills in (a select's selected or first option, a ticked box)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _field(self, name: str, value: str | None) -> None:
        assert self._form is not None
        fields = self._form["fields"]
        fields.setdefault(name, [])
        if value is not None:
            fields[name].append(value)

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "targets": {t for t in (a.get("action"), a.get("hx-post"), a.get("hx-get")) if t},
                "fields": {},
            }
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self._field(name, a.get("value", "on") if "checked" in a else None)
            elif kind not in ("submit", "file", "image", "reset"):
                self._field(name, a.get("value", ""))
            else:
                self._field(name, None)
        elif tag == "button":
            self._field(name, None)
        elif tag == "textarea":
            self._textarea = name
            self._field(name, None)
        elif tag == "select":
            self._select = name
            self._field(name, None)
        elif tag == "option" and self._select:
            values = self._form["fields"][self._select]
            if "selected" in a or not values:
                values[:] = [a.get("value", "")]

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def roles_for(route: Route) -> list[str]:
    """Those the route lets in: the logged-in users, if it has any."""
    users = [role for role, status in route.expect.items() if role != "anonymous" and status < 400]
    return users or ["anonymous"]


# The autosave sends the edit page's form, which the matrix shows for a finished
# dialogue only (a draft's page is the one that autosaves).
FORM_OF = {"dialogue_autosave": "dialogue_edit"}


class NoServerErrorTestCase(matrix.AccessMatrixTestCase):
    post_fields: dict[str, dict[str, list[str]]]
    get_fields: dict[str, dict[str, list[str]]]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The fields of the forms that send to each URL name (POST) and of the
        # pages' GET forms, from every page.
        cls.post_fields = {}
        cls.get_fields = {}
        for name, route in MATRIX.items():
            if route.method != "get" or SLOW.search(name) or name in ROLE_INDEPENDENT:
                continue
            url = cls.url(name, route)
            client = cls.client_for(roles_for(route)[0])
            response = client.get(url)
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                for target in form["targets"] or {url}:
                    path = urlsplit(target).path or url
                    try:
                        target_name = resolve(path).url_name
                    except Resolver404:
                        continue
                    found = cls.post_fields if form["method"] == "post" else cls.get_fields
                    found.setdefault(target_name, {}).update(form["fields"])

    def setUp(self):
        super().setUp()
        self.cookies: dict[str, SimpleCookie] = {}

    @classmethod
    def url(cls, name: str, route: Route) -> str:
        args = [getattr(cls, str(a)).pk if hasattr(cls, str(a)) else a for a in route.args]
        return reverse(name, args=args)

    @classmethod
    def client_for(cls, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            log_in(client, getattr(cls, role))
        return client

    def check(self, name: str) -> None:
        route = MATRIX[name]
        url = self.url(name, route)
        roles = roles_for(route)
        inputs: dict[str, dict[str, list[str]]] = {}
        posted = self.post_fields.get(FORM_OF.get(name, name), {})
        posted = {**posted, **{k: [v] for k, v in route.data.items()}}
        if posted or route.method == "post":
            inputs["post"] = posted
        if route.method == "get":
            queried = {key: [""] for key in query_keys(url)} | self.get_fields.get(name, {})
            inputs["get"] = queried
        if not any(inputs.values()):
            # Nothing to send junk in: the call as it is, once.
            self.assert_no_5xx(roles[0], route.method, url, {})
            return

        def fields(baseline: dict[str, list[str]]):
            # Junk in one field and what the page fills in elsewhere (a form's own
            # checks run on it), or junk everywhere.
            one = st.sampled_from(sorted(baseline)).flatmap(
                lambda key: st.fixed_dictionaries({key: VALUE}).map(lambda j: baseline | j)
            )
            every = st.fixed_dictionaries(dict.fromkeys(baseline, VALUE))
            return st.one_of(one, every)

        methods = sorted(method for method, baseline in inputs.items() if baseline)
        calls = st.tuples(st.sampled_from(roles), st.sampled_from(methods)).flatmap(
            lambda rm: st.tuples(st.just(rm[0]), st.just(rm[1]), fields(inputs[rm[1]]))
        )

        @given(calls)
        def call(role_method_sent):
            self.assert_no_5xx(*role_method_sent[:2], url, role_method_sent[2])

        for role in roles:
            for method in methods:
                for value in EVERYWHERE:
                    call = example((role, method, dict.fromkeys(inputs[method], value)))(call)
        settings(
            max_examples=SLOW_EXAMPLES if SLOW.search(name) else EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(call)()

    def assert_no_5xx(self, role: str, method: str, url: str, sent: dict) -> None:
        client = self.clients.get(role)
        if client is None:
            client = self.clients[role] = self.client_for(role)
            self.cookies[role] = copy.deepcopy(client.cookies)
        client.cookies = copy.deepcopy(self.cookies[role])  # a logout ends on rollback
        with transaction.atomic():
            response = getattr(client, method)(url, sent)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{method.upper()} {url} as {role}: {sent!r}"


def _make_test(name: str):
    def test(self):
        self.check(name)

    test.__name__ = f"test_it_never_answers_5xx_{name}"
    return test


for _name in MATRIX:
    if _name not in ROLE_INDEPENDENT:
        setattr(NoServerErrorTestCase, f"test_it_never_answers_5xx_{_name}", _make_test(_name))

# The matrix's own tests run in tests/test_access_matrix.py.
for _inherited in (
    "test_it_places_every_url_in_the_matrix",
    "test_it_lets_in_exactly_the_roles_in_the_matrix_and_lets_no_answer_be_stored",
    "test_it_shows_nothing_before_the_code",
    "test_it_answers_404_for_another_units_child",
):
    setattr(NoServerErrorTestCase, _inherited, None)
