"""Shared test fixtures: a small municipality with named people.

Pia is a pædagog at Børnehaven Solsikken and Lars leads it; Sofie teaches at
Nordby Skole. Rasmus is a caseworker in Børn & Ungerådgivningen, Karen a PPR
psychologist, Frida works in the forvaltning and Adam administers the system.
Emma and Noah go to Solsikken, Oskar goes to Nordby Skole.
"""

import itertools
from datetime import date

from django.test import Client, TestCase
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import app_code
from accounts.models import District, Membership, Role, Unit, UnitKind, User
from children.models import Child, Enrollment

PASSWORD = "password-for-tests"  # noqa: S105
_serials = itertools.count(4001)


def make_cpr(birth: date, *, boy: bool = False) -> str:
    serial = next(_serials)
    if (serial % 2 == 1) != boy:
        serial = next(_serials)
    return birth.strftime("%d%m%y") + f"{serial:04d}"


def make_child(first_name: str, last_name: str, birth: date, *, unit=None, start=None, **kw):
    child = Child(first_name=first_name, last_name=last_name, **kw)
    child.set_cpr(make_cpr(birth, boy=kw.get("gender") == "dreng"))
    child.save()
    if unit is not None:
        Enrollment.objects.create(child=child, unit=unit, start=start or date(2025, 8, 1))
    return child


def make_user(username: str, unit: Unit, role: str, **kw) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **kw)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def authenticator(user: User) -> TOTPDevice:
    """The user's authenticator app (a confirmed TOTP device), made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


# The code the user's app shows (the next one if that was just used: a test may
# log in twice within 30 seconds).
current_code = app_code


def log_in(client: Client, user: User) -> None:
    """Log `user` in on `client` as after the password and the code.

    The session is verified the way django-otp's own login marks it.
    """
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def log_in_through_the_pages(username: str, password: str = PASSWORD, **client_kw) -> Client:
    """A browser that logs in as a person does: the password, then the app's code."""
    client = Client(**client_kw)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"{username} was not let in with the password"
    device = authenticator(User.objects.get(username=username))
    response = client.post(reverse("mfa_verify"), {"code": current_code(device)})
    assert response.status_code == 302, f"{username} was not let in with the code"
    return client


def can_log_in(username: str, password: str) -> bool:
    """Whether the login page lets this username and password in.

    Not Client.login(): django-axes watches every login and needs its request,
    which Client.login() does not pass to authenticate().
    """
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


class BaseTestCase(TestCase):
    nordby: District
    solsikken: Unit
    skolen: Unit
    raadgivningen: Unit
    ppr: Unit
    forvaltningen: Unit
    pia: User
    lars: User
    sofie: User
    rasmus: User
    karen: User
    frida: User
    adam: User
    emma: Child
    noah: Child
    oskar: Child

    @classmethod
    def setUpTestData(cls) -> None:
        cls.nordby = District.objects.create(name="Nordby")
        cls.solsikken = Unit.objects.create(
            name="Børnehaven Solsikken", kind=UnitKind.BOERNEHAVE, district=cls.nordby
        )
        cls.skolen = Unit.objects.create(
            name="Nordby Skole", kind=UnitKind.SKOLE, district=cls.nordby
        )
        cls.raadgivningen = Unit.objects.create(
            name="Børn & Ungerådgivningen", kind=UnitKind.RAADGIVNING
        )
        cls.ppr = Unit.objects.create(name="PPR", kind=UnitKind.PPR)
        cls.forvaltningen = Unit.objects.create(name="Forvaltningen", kind=UnitKind.FORVALTNING)

        cls.pia = make_user("pia", cls.solsikken, Role.FAGPERSON, first_name="Pia")
        cls.lars = make_user("lars", cls.solsikken, Role.LEDER, first_name="Lars")
        cls.sofie = make_user("sofie", cls.skolen, Role.FAGPERSON, first_name="Sofie")
        cls.rasmus = make_user("rasmus", cls.raadgivningen, Role.RAADGIVER, first_name="Rasmus")
        cls.karen = make_user("karen", cls.ppr, Role.KONSULENT, first_name="Karen")
        cls.frida = make_user("frida", cls.forvaltningen, Role.FORVALTNING, first_name="Frida")
        cls.adam = make_user("adam", cls.forvaltningen, Role.ADMINISTRATOR, first_name="Adam")

        cls.emma = make_child("Emma", "Holm", date(2021, 3, 4), unit=cls.solsikken)
        cls.noah = make_child("Noah", "Lund", date(2020, 11, 30), unit=cls.solsikken)
        cls.oskar = make_child("Oskar", "Berg", date(2016, 6, 1), unit=cls.skolen)

    def login(self, user: User) -> None:
        log_in(self.client, user)
