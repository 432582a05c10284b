"""The base layout, the login and home pages, the error pages and the vendored assets."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from accounts.models import Membership, Role, Unit, UnitKind
from tidlig.test import authenticator, current_code, log_in

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"
PASSWORD = "solsikke-morgen-42"


@pytest.fixture
def pia(django_user_model):
    # Pia is a pædagog at Solsikken, a børnehave.
    pia = django_user_model.objects.create_user(
        "pia", password=PASSWORD, first_name="Pia", last_name="Holm", title="pædagog"
    )
    solsikken = Unit.objects.create(name="Solsikken", kind=UnitKind.BOERNEHAVE)
    Membership.objects.create(user=pia, unit=solsikken, role=Role.FAGPERSON)
    return pia


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"#?]+)', html)


@pytest.mark.django_db
def test_it_renders_the_login_page_in_danish_with_local_assets_only(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()

    assert '<html lang="da">' in html
    assert "Gå til indhold" in html
    assert "Brugernavn" in html and "Adgangskode" in html
    assert '<button type="submit" class="button button-primary mt-5">Log ind</button>' in html

    urls = static_urls(html)
    for expected in (
        "/static/vendor/dkfds/css/dkfds.min.css",
        "/static/css/tidlig.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/dkfds/js/dkfds.min.js",
        "/static/js/tidlig.js",
    ):
        assert expected in urls
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"

    # No CDN, no web font service, no analytics: nothing leaves the municipality's server.
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []


@pytest.mark.django_db
def test_it_logs_in_and_shows_the_users_units_and_roles(client, pia):
    response = client.post("/login/", {"username": "pia", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # Then the code from the authenticator app (accounts/tests/test_mfa.py).
    assert client.get("/")["Location"] == "/login/kode/"
    response = client.post("/login/kode/", {"code": current_code(authenticator(pia))})
    assert response["Location"] == "/"

    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Goddag, Pia" in html
    assert "Pia Holm, pædagog" in html
    assert "Solsikken" in html and "Børnehave" in html and "Fagperson" in html
    assert 'action="/logout/"' in html and "Log af" in html
    assert 'aria-current="page"><span>Forside</span>' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.django_db
def test_it_tells_a_user_without_units_what_to_do(client, django_user_model):
    # Rasmus is a new caseworker whose memberships have not been set up yet.
    rasmus = django_user_model.objects.create_user("rasmus", password=PASSWORD)
    log_in(client, rasmus)
    html = client.get("/").content.decode()
    assert "Du er endnu ikke tilknyttet en enhed" in html


@pytest.mark.django_db
def test_it_shows_the_danish_error_on_a_wrong_password(client, pia):
    response = client.post("/login/", {"username": "pia", "password": "forkert"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-module="error-summary"' in html
    assert "Du blev ikke logget ind" in html
    assert "Indtast venligst korrekt brugernavn og adgangskode" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_shows_field_errors_next_to_the_fields(client):
    html = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert 'class="form-group form-error"' in html
    assert 'id="id_username-error"' in html and 'aria-describedby="id_username-error"' in html
    assert "Dette felt er påkrævet." in html


@pytest.mark.django_db
def test_it_logs_out_with_the_post_form(client, pia):
    log_in(client, pia)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_it_renders_a_danish_404_that_reveals_nothing(client, pia):
    log_in(client, pia)
    response = client.get("/boern/12345/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden findes ikke, eller du har ikke adgang til den." in html
    assert "12345" not in html.replace('value="/boern/12345/"', "")


def test_it_renders_the_500_page_without_a_request_or_database():
    # Django's server_error renders 500.html with an empty context and no request.
    from django.views.defaults import server_error

    with translation.override("da"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Der opstod en fejl" in html
    assert "Traceback" not in html


def test_it_renders_the_csrf_failure_page_in_danish():
    from django.views.csrf import csrf_failure

    with translation.override("da"):
        response = csrf_failure(RequestFactory().post("/"), reason="CSRF token missing.")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formularen er udløbet" in html
    assert "CSRF token missing" not in html


def test_it_renders_messages_as_dkfds_alerts():
    with translation.override("da"):
        html = render_to_string(
            "includes/messages.html",
            {
                "messages": [
                    Message(constants.SUCCESS, "Vurderingen er gemt."),
                    Message(constants.ERROR, "Noget gik galt."),
                    Message(constants.DEBUG, "Kun til udviklere."),
                ]
            },
        )
    assert 'aria-label="Succes"' in html
    assert '<div class="alert alert-success">' in html
    assert '<div class="alert alert-error" role="alert">' in html
    assert '<div class="alert alert-info">' in html
    assert "Vurderingen er gemt." in html


def template_files() -> list[Path]:
    """Every template of the project: templates/ and the project's own apps."""
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for folder in engines["django"].dirs]
    for config in apps.get_app_configs():
        app_path = Path(config.path)
        if app_path.is_relative_to(base) and ".venv" not in app_path.parts:
            folders.append(app_path / "templates")
    return sorted(
        {f for folder in folders if folder.is_dir() for f in folder.rglob("*") if f.is_file()}
    )


# The Content-Security-Policy allows scripts and styles from our own static files only,
# so inline code of any kind would silently stop working. htmx's hx-on is inline code too.
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
FORBIDDEN = [
    (re.compile(r"<style\b", re.IGNORECASE), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"\shx-on[:-]", re.IGNORECASE), "hx-on handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_it_finds_the_templates_it_scans():
    names = {f.name for f in template_files()}
    assert {"base.html", "login.html", "500.html"} <= names


def test_it_has_no_inline_script_or_style_in_any_template():
    offenders = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(settings.BASE_DIR)

        def line(pos: int, text: str = text) -> int:
            return text.count("\n", 0, pos) + 1

        for match in SCRIPT_TAG.finditer(text):
            attributes, body = match.groups()
            if "src=" not in attributes or body.strip():
                offenders.append(f"{where}:{line(match.start())}: inline <script>")
        for pattern, what in FORBIDDEN:
            for match in pattern.finditer(text):
                offenders.append(f"{where}:{line(match.start())}: {what}")
        stray = len(re.findall(r"<script\b", text, re.IGNORECASE)) - len(SCRIPT_TAG.findall(text))
        if stray:
            offenders.append(f"{where}: <script> without a closing tag")
    assert offenders == [], "Inline code the CSP will block:\n" + "\n".join(offenders)


def css_references(css: Path) -> list[str]:
    refs = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css.read_text(encoding="utf-8"))
    return sorted({r.split("?")[0].split("#")[0] for r in refs if not r.startswith(("data:", "#"))})


def test_it_has_every_file_the_vendored_css_references():
    css = VENDOR / "dkfds" / "css" / "dkfds.min.css"
    refs = css_references(css)
    assert any(r.endswith(".woff2") for r in refs)
    missing = [r for r in refs if not (css.parent / r).is_file()]
    assert missing == []
    for minified in (css, VENDOR / "dkfds" / "js" / "dkfds.min.js"):
        source_map = re.search(r"sourceMappingURL=(\S+?)\s*(?:\*/)?\s*$", minified.read_text())
        assert source_map and (minified.parent / source_map.group(1)).is_file()


def test_it_records_the_vendored_versions_and_their_integrity():
    versions = (VENDOR / "VERSIONS.txt").read_text()
    assert re.search(r"^dkfds \S+ sha512-\S+$", versions, re.MULTILINE)
    assert re.search(r"^htmx\.org \S+ sha512-\S+$", versions, re.MULTILINE)
    assert (VENDOR / "dkfds" / "LICENSE.md").is_file()
    assert (VENDOR / "htmx" / "LICENSE").is_file()


def test_it_builds_the_hashed_static_files_for_production(settings, tmp_path):
    # ManifestStaticFilesStorage rewrites every url(...) and sourceMappingURL and
    # fails the deploy on a missing file; prove it succeeds before a deploy does.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").is_file()


def test_it_renders_a_menu_badge_with_its_meaning_for_screen_readers():
    menu = [
        {"name": "home", "url": "/", "label": "Forside", "current": True},
        {"name": "notifications", "url": "/notifikationer/", "label": "Notifikationer"},
    ]
    context = {"menu": menu, "unread_notifications": 3}
    html = render_to_string("includes/menu_items.html", context)
    assert '<a href="/" class="nav-link" aria-current="page"><span>Forside</span></a>' in html
    assert (
        '<a href="/notifikationer/" class="nav-link"><span>Notifikationer '
        '<span class="badge badge-info">3<span class="sr-only"> ulæste</span></span></span></a>'
    ) in html
    html = render_to_string("includes/menu_items.html", {**context, "unread_notifications": 0})
    assert "badge" not in html
