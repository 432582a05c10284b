"""Danish is the source language; English comes from the committed locale/en catalogue."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tidlig.test import log_in

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def back_to_danish():
    # A request in English leaves English active in this thread; later tests expect Danish.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def translations(entries) -> dict:
    result = {}
    for entry in entries:
        if not entry.msgid or getattr(entry, "obsolete", False):
            continue  # the header, and strings no longer in the code
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = value
    return result


def test_it_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 50


def test_it_ships_a_compiled_catalogue_matching_the_po_file():
    # The .mo is committed because a fresh machine may not have gettext to compile it.
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    assert translations(mo) == translations(po), (
        "locale/en/LC_MESSAGES/django.mo is stale: run manage.py compilemessages --ignore=.venv"
    )


@pytest.mark.django_db
def test_it_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"

    html = client.get("/login/").content.decode()
    assert '<html lang="en">' in html
    # These strings exist only in our own catalogue, so they prove the .mo is used.
    assert "Skip to content" in html
    assert '<button type="submit" class="button button-primary mt-5">Log in</button>' in html
    assert "Username" in html and "Password" in html
    assert "Adgangskode" not in html
    assert 'value="da" lang="da">Dansk</button>' in html

    client.post("/i18n/setlang/", {"language": "da", "next": "/login/"})
    html = client.get("/login/").content.decode()
    assert '<html lang="da">' in html and "Log ind" in html


@pytest.mark.django_db
def test_it_shows_model_choices_in_english(client, django_user_model):
    from accounts.models import Membership, Role, Unit, UnitKind

    # Sara is a visiting consultant from PPR who prefers English.
    sara = django_user_model.objects.create_user("sara", first_name="Sara")
    ppr = Unit.objects.create(name="PPR Nord", kind=UnitKind.PPR)
    Membership.objects.create(user=sara, unit=ppr, role=Role.KONSULENT)
    log_in(client, sara)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/").content.decode()
    assert "Hello, Sara" in html
    assert "Educational psychology (PPR)" in html and "Consultant" in html
    assert "Whole municipality" in html
