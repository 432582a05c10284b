"""CSRF protection on every URL of the project.

The URLs are enumerated, not listed: every pattern `project_urls()` finds (the
access matrix of tests/test_access_matrix.py must place each of them, so a new
URL is covered here without further ado). Each is called, as someone the
matrix lets in, with a POST (and PUT, PATCH, DELETE) that carries no CSRF
token; it must get the Danish "Formularen er udløbet" page with 403, and
nothing in the database may change. Django's CsrfViewMiddleware runs before
any view, so a GET-only URL refuses the tokenless POST the same way; which
URLs take a POST at all is found by calling them with a valid token (405 means
GET only; some pages, e.g. the home page, answer a POST like a GET and change
nothing), which also shows that the refusals are for the missing token.

The login page counts (a forged login would put the victim in the attacker's
account), and so do logout, the language switch and the LØFT autosave, which
answers a visitor whose session has expired.

Pia is a pædagog and Lars the leader at Børnehaven Solsikken; Rasmus is a
caseworker, Rikke another one, Lise leads the rådgivning, Frida works in the
forvaltning and Adam is the administrator (the fixtures of the access matrix).
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The module, not the class: a test class imported here would run here too.
from tests import test_access_matrix as matrix
from tests.test_access_matrix import MATRIX, ROLES, project_urls
from tidlig.test import log_in

CSRF_PAGE = "Formularen er udløbet"

# URLs allowed to take a POST without a token, and why. None: even `health`,
# which answers any method and changes nothing, refuses a tokenless POST.
EXEMPT: dict[str, str] = {}

# Who calls a URL, when it is not just the first person the matrix lets in.
CALLERS = {
    "login": ("anonymous",),
    "health": ("anonymous",),
    "logout": ("anonymous", "pia"),
    "set_language": ("anonymous", "pia"),
    "dialogue_autosave": ("anonymous", "pia"),
}


def callbacks(patterns=None):
    """(name, view) for every URL pattern, as project_urls() walks them."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver) and entry.namespace != "admin":
            yield from callbacks(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry.name, entry.callback


def database_state() -> dict[str, int]:
    """Rows per model, the audit trail included: a refused request adds none."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


class CsrfTestCase(matrix.AccessMatrixTestCase):
    def calls(self):
        """(name, url, role, route) for every URL and the people who call it."""
        for name in sorted(project_urls()):
            route = MATRIX[name]
            let_in = [role for role in route.expect if role != "anonymous"]
            for role in CALLERS.get(name, tuple(let_in[:1]) or ("anonymous",)):
                args = [
                    getattr(self, arg).pk if hasattr(self, str(arg)) else arg for arg in route.args
                ]
                yield name, reverse(name, args=args), role, route

    def client_for(self, role: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        if role not in ("anonymous", None):
            log_in(client, getattr(self, role))
        return client

    def test_it_refuses_every_url_a_request_without_a_csrf_token(self):
        failures = []
        checked = set()
        for name, url, role, route in self.calls():
            if name in EXEMPT:
                continue
            client = self.client_for(role)
            before = database_state()
            for method in ("post", "put", "patch", "delete"):
                response = getattr(client, method)(url, route.data)
                refused = response.status_code == 403 and CSRF_PAGE in text(response)
                if not refused:
                    failures.append(f"{method.upper()} {url} ({name}) as {role}: not refused")
            if database_state() != before:
                failures.append(f"{url} ({name}) as {role}: data changed")
            checked.add(name)
        assert not failures, "\n".join(failures)
        assert checked == set(project_urls()) - set(EXEMPT)

    def test_it_takes_the_same_request_with_a_token(self):
        # With a token the answer is the view's own: a redirect, a form with
        # errors, 404 for a gone object, or 405 for a GET-only URL; never the
        # CSRF page. Each call is rolled back, so that one does not undo another.
        failures, takes_post = [], set()
        for name, url, role, route in self.calls():
            client = self.client_for(role)
            token = _get_new_csrf_string()
            client.cookies[settings.CSRF_COOKIE_NAME] = token
            with transaction.atomic():
                response = client.post(url, {**route.data, "csrfmiddlewaretoken": token})
                transaction.set_rollback(True)
            if CSRF_PAGE in text(response):
                failures.append(f"POST {url} ({name}) as {role}: refused with a token")
            if response.status_code != 405:
                takes_post.add(name)
        assert not failures, "\n".join(failures)
        # Not vacuous: the POST-only views and the forms are among them.
        forms = {"login", "concern_create", "assessment_create", "meeting", "admin_user_edit"}
        posts = {name for name, route in MATRIX.items() if route.method == "post"}
        assert posts | forms <= takes_post, sorted(posts | forms - takes_post)

    def test_it_takes_the_token_from_the_htmx_header(self):
        # htmx sends the token in X-CSRFToken (hx-headers on <body>), e.g. the autosave.
        client = self.client_for("pia")
        url = reverse("dialogue_autosave", args=[self.pias_draft.pk])
        assert client.post(url, {"what_works": "Hej"}).status_code == 403
        token = _get_new_csrf_string()
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        response = client.post(url, {"what_works": "Hej"}, headers={"X-CSRFToken": token})
        assert response.status_code == 200
        self.pias_draft.refresh_from_db()
        assert self.pias_draft.draft_data["what_works"] == ["Hej"]

    def test_it_refuses_a_wrong_token(self):
        client = self.client_for("pia")
        client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
        before = database_state()
        response = client.post(
            reverse("concern_create", args=[self.emma.pk]),
            {**MATRIX["concern_create"].data, "csrfmiddlewaretoken": _get_new_csrf_string()},
        )
        assert response.status_code == 403 and CSRF_PAGE in response.content.decode()
        assert database_state() == before

    def test_it_exempts_no_view_from_csrf(self):
        exempt = sorted(name for name, view in callbacks() if getattr(view, "csrf_exempt", False))
        assert exempt == sorted(EXEMPT)

    def test_it_names_only_known_roles(self):
        roles = set(ROLES) | {"rikke", "lise"}
        assert {role for callers in CALLERS.values() for role in callers} <= roles

    def test_pages_that_only_show_refuse_other_methods(self):
        # Reading pages: a POST is not quietly answered as a GET.
        for name, role in (
            ("home", "pia"),
            ("unit_overview", "lars"),
            ("admin_zone_guides", "adam"),
            ("child_import_template", "adam"),
        ):
            client = Client()  # a token is not the point here
            log_in(client, getattr(self, role))
            assert client.get(reverse(name)).status_code == 200, name
            assert client.post(reverse(name)).status_code == 405, name


# Only the matrix's fixtures are wanted here; its own tests run in its own file.
for _name in dir(matrix.AccessMatrixTestCase):
    if _name.startswith("test_") and _name not in CsrfTestCase.__dict__:
        setattr(CsrfTestCase, _name, None)
