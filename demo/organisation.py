"""The demo municipality's districts, units, their groups and staff logins.

One login per role, with a published password and an authenticator "app" whose
key `seed_demo` prints. Everything is upserted by its natural key, so a second
run changes nothing that was not clicked away in the demo.
"""

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import District, GroupKind, Membership, Role, Unit, UnitGroup, UnitKind, User

NORDBY = "Nordby"
SOENDERMARK = "Søndermark"
VESTERVIG = "Vestervig Land"
DISTRICTS = [NORDBY, SOENDERMARK, VESTERVIG]

SOLSIKKEN = "Børnehaven Solsikken"
NORDBY_SKOLE = "Nordby Skole"
PPR = "PPR"
SUNDHEDSPLEJEN = "Sundhedsplejen"
RAADGIVNINGEN = "Børn & Ungerådgivningen"
FORVALTNINGEN = "Børn og Skole, forvaltningen"

# (name, kind, district); the services without a district cover the whole municipality.
UNITS: list[tuple[str, str, str | None]] = [
    ("Dagplejen Vestervig Land", UnitKind.DAGPLEJE, VESTERVIG),
    ("Vuggestuen Mælkebøtten", UnitKind.VUGGESTUE, NORDBY),
    ("Vuggestuen Spirerne", UnitKind.VUGGESTUE, SOENDERMARK),
    (SOLSIKKEN, UnitKind.BOERNEHAVE, NORDBY),
    ("Børnehaven Regnbuen", UnitKind.BOERNEHAVE, SOENDERMARK),
    ("Børnehaven Skovtrolden", UnitKind.BOERNEHAVE, VESTERVIG),
    (NORDBY_SKOLE, UnitKind.SKOLE, NORDBY),
    ("Søndermarkskolen", UnitKind.SKOLE, SOENDERMARK),
    ("Vestervig Landsbyskole", UnitKind.SKOLE, VESTERVIG),
    ("SFO Nordby", UnitKind.SFO, NORDBY),
    ("SFO Søndermark", UnitKind.SFO, SOENDERMARK),
    ("SFO Vestervig Land", UnitKind.SFO, VESTERVIG),
    ("Klubben Fyrtårnet", UnitKind.KLUB, NORDBY),
    (SUNDHEDSPLEJEN, UnitKind.SUNDHEDSPLEJE, None),
    (PPR, UnitKind.PPR, None),
    (RAADGIVNINGEN, UnitKind.RAADGIVNING, None),
    ("Ungeindsatsen", UnitKind.UNGEINDSATS, None),
    (FORVALTNINGEN, UnitKind.FORVALTNING, None),
]


# Groups (accounts.models.UnitGroup): Nordby Skole's classes, two in each grade
# from børnehaveklassen to 9th and one 10th, and Solsikken's three stuer.
# demo.children places the children enrolled there today in them.
CLASSES = [f"{grade}.{letter}" for grade in range(10) for letter in "AB"] + ["10.A"]
STUER = ["Solstuen", "Månestuen", "Stjernestuen"]
GROUPS: dict[str, tuple[str, list[str]]] = {
    NORDBY_SKOLE: (GroupKind.KLASSE, CLASSES),
    SOLSIKKEN: (GroupKind.STUE, STUER),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    title: str
    role: Role
    unit: str
    # A fagperson limited to these groups of the unit sees only their children.
    groups: tuple[str, ...] = ()

    @property
    def place(self) -> str:
        """The unit, and the groups if limited to some: as the login table shows it."""
        return f"{self.unit} ({', '.join(self.groups)})" if self.groups else self.unit


# One login per role, plus a second caseworker (Mette, who hands a case to Rasmus),
# Karen's colleagues in the tværfaglige forum (Hanne, Jonas),
# the leader of Børn & Ungerådgivningen (Rita, who follows the meetings) and a
# teacher at Nordby Skole limited to class 0.A (Sofie, who receives the child
# coming from Solsikken this month).
# Forvaltning and administrator have no unit kind of their own; what they may see
# comes from the role alone (municipality-wide aggregates / no child data), so their
# membership only anchors them in the organisation. Børn & Ungerådgivningen is the
# district-less unit closest to the department, and parking them there is less
# misleading than inventing a unit whose kind would lie (a second "rådgivning" would
# turn up in intake lists and counts).
USERS = [
    DemoUser("pia", "Pia", "Pedersen", "Pædagog", Role.FAGPERSON, SOLSIKKEN),
    DemoUser("lars", "Lars", "Holm", "Institutionsleder", Role.LEDER, SOLSIKKEN),
    DemoUser("sofie", "Sofie", "Krogh", "Lærer", Role.FAGPERSON, NORDBY_SKOLE, ("0.A",)),
    DemoUser("rasmus", "Rasmus", "Kjær", "Socialrådgiver", Role.RAADGIVER, RAADGIVNINGEN),
    DemoUser("mette", "Mette", "Juhl", "Socialrådgiver", Role.RAADGIVER, RAADGIVNINGEN),
    DemoUser("rita", "Rita", "Lund", "Afdelingsleder", Role.LEDER, RAADGIVNINGEN),
    DemoUser("karen", "Karen", "Vestergaard", "Psykolog", Role.KONSULENT, PPR),
    # Karen's colleagues in the tværfaglige forum (demo.sparring).
    DemoUser("hanne", "Hanne", "Mikkelsen", "Sundhedsplejerske", Role.KONSULENT, SUNDHEDSPLEJEN),
    DemoUser("jonas", "Jonas", "Friis", "Konsulent", Role.KONSULENT, RAADGIVNINGEN),
    DemoUser("frida", "Frida", "Dam", "Børne- og ungechef", Role.FORVALTNING, FORVALTNINGEN),
    DemoUser("adam", "Adam", "Berg", "Systemadministrator", Role.ADMINISTRATOR, FORVALTNINGEN),
]
SUPERUSER = "admin"
# The authenticator "app" seed_demo gives each demo user; demo_code reads only these.
DEMO_DEVICE_NAME = "Demo"
EMAIL_DOMAIN = "tidlig-kommune.example"


def demo_password(username: str) -> str:
    # Published on purpose: this is a demo, and the table printed at the end says so.
    return f"tidlig-demo-{username}"


def ensure_demo_authenticator(user: User) -> tuple[TOTPDevice, list[str]]:
    """The demo user's authenticator app and some recovery codes.

    Kept between runs, so an authenticator app set up with the printed key keeps
    working; `manage.py demo_code <username>` prints its current code for a
    tester without a phone. Recovery codes are made anew when few are left.
    """
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    codes = list(
        StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True)
    )
    if len(codes) < 3:
        codes = mfa.new_recovery_codes(user)
    return device, codes


def create_units() -> dict[str, Unit]:
    districts = {name: District.objects.get_or_create(name=name)[0] for name in DISTRICTS}
    units = {}
    for number, (name, kind, district) in enumerate(UNITS, start=10):
        units[name], _ = Unit.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "district": districts[district] if district else None,
                "active": True,
                "phone": f"12 34 56 {number}",  # made up, like everything here
            },
        )
    return units


def create_groups(units: dict[str, Unit]) -> dict[tuple[str, str], UnitGroup]:
    """The groups of GROUPS, open, by (unit name, group name)."""
    groups = {}
    for unit_name, (kind, names) in GROUPS.items():
        unit = units[unit_name]
        existing = {g.name: g for g in UnitGroup.objects.filter(unit=unit)}
        new = [UnitGroup(unit=unit, name=n, kind=kind) for n in names if n not in existing]
        UnitGroup.objects.bulk_create(new)
        for name in names:
            group = existing.get(name) or next(g for g in new if g.name == name)
            if (group.kind, group.active) != (kind, True):
                group.kind, group.active = kind, True
                group.save(update_fields=["kind", "active"])
            groups[(unit_name, name)] = group
    return groups


def create_users(
    units: dict[str, Unit], groups: dict[tuple[str, str], UnitGroup]
) -> dict[str, User]:
    users = {}
    for spec in USERS:
        user, created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "title": spec.title,
                "email": f"{spec.username}@{EMAIL_DOMAIN}",
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            },
        )
        _ensure_password(user, demo_password(spec.username), created)
        # Exactly the one membership described above, whatever was clicked in the demo.
        Membership.objects.filter(user=user).exclude(unit=units[spec.unit]).delete()
        membership, _ = Membership.objects.update_or_create(
            user=user, unit=units[spec.unit], defaults={"role": spec.role}
        )
        wanted = {groups[(spec.unit, name)].pk for name in spec.groups}
        if set(membership.groups.values_list("pk", flat=True)) != wanted:
            membership.groups.set(wanted)
        users[spec.username] = user
    return users


def create_superuser() -> User:
    user, created = User.objects.update_or_create(
        username=SUPERUSER,
        defaults={
            "first_name": "Demo",
            "last_name": "Superbruger",
            "email": f"{SUPERUSER}@{EMAIL_DOMAIN}",
            "is_active": True,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    _ensure_password(user, demo_password(SUPERUSER), created)
    return user


def _ensure_password(user: User, password: str, created: bool) -> None:
    # Only rehash when needed, so a second run leaves the row (salt included) alone.
    # Each hash costs a noticeable fraction of a second, hence no check on a new user.
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
