"""The tværfaglige forum in the demo (forum app): Tværfagligt forum Nord, where
Karen (PPR), Hanne (sundhedsplejen) and Jonas (the rådgivning's consultative
function) advise Solsikken and Nordby Skole.

An upcoming meeting has two anonymous cases, from Pia and Sofie, and one linked
to a Solsikken child with the parents' consent; a meeting held four weeks ago has
the forum's advice on Pia's anonymous case and its next steps: one for Pia, open
and due within the week (her Mine opgaver and front page), one done by Karen.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import District, Unit, User
from children.models import Child, Enrollment
from demo.organisation import NORDBY, NORDBY_SKOLE, SOLSIKKEN
from followups import workdays
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.models import NextStep, Owner

FORUM_NAME = "Tværfagligt forum Nord"


def _weekday_on_or_after(day: date, weekday: int) -> date:
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while not workdays.is_hverdag(day):
        day += timedelta(days=7)
    return day


def create_forum(users: dict[str, User], units: dict[str, Unit], today: date) -> Forum:
    forum, _ = Forum.objects.get_or_create(
        name=FORUM_NAME, defaults={"district": District.objects.get(name=NORDBY)}
    )
    consultants = [users["karen"], users["hanne"], users["jonas"]]
    forum.consultants.set(consultants)
    forum.units.set([units[SOLSIKKEN], units[NORDBY_SKOLE]])
    # A re-seed (--reset) starts the forum's meetings and cases over.
    ForumCase.objects.filter(forum=forum).delete()
    ForumMeeting.objects.filter(forum=forum).delete()

    held_on = _weekday_on_or_after(today - timedelta(days=28), 3)
    past = ForumMeeting.objects.create(
        forum=forum,
        date=held_on,
        starts_at=time(13, 0),
        location="Mødelokalet, Nordby Skole",
        minutes="Tre sager drøftet. Næste møde om fire uger.",
        held_at=timezone.make_aware(datetime.combine(held_on, time(15, 0)), workdays.COPENHAGEN),
        held_by=users["karen"],
    )
    upcoming = ForumMeeting.objects.create(
        forum=forum,
        date=_weekday_on_or_after(today + timedelta(days=3), 3),
        starts_at=time(13, 0),
        location="Mødelokalet, Nordby Skole",
    )
    for meeting in (past, upcoming):
        meeting.participants.set(consultants)

    pia, sofie, karen = users["pia"], users["sofie"], users["karen"]
    advised = ForumCase.objects.create(
        forum=forum,
        meeting=past,
        brought_by=pia,
        unit=units[SOLSIKKEN],
        age_years=4,
        unit_kind=units[SOLSIKKEN].kind,
        seen="Barnet trækker sig fra legen og græder ofte ved aflevering. Taler lidt.",
        zone=3,
        what_works="En fast voksen om morgenen. Leger godt med én bestemt ven.",
        what_worries="Sproget halter efter, og barnet bliver ked af det i store grupper.",
        what_must_happen="Forældrene og stuen skal aftale en rolig aflevering.",
        question="Skal vi bede om en sprogvurdering, og hvordan støtter vi legen?",
        advice=(
            "Sæt små legegrupper med to-tre børn. Sundhedsplejen ser på hørelsen. "
            "PPR tilbyder en sprogvurdering, når forældrene er med på det."
        ),
        advice_by=karen,
        advice_on=held_on,
    )
    NextStep.objects.create(
        forum_case=advised,
        text="Sæt en fast legegruppe med to børn tre gange om ugen",
        owner_kind=Owner.PROFESSIONAL,
        owner_user=pia,
        due=today + timedelta(days=4),
    )
    NextStep.objects.create(
        forum_case=advised,
        text="Send materiale om sprogstimulering til stuen",
        owner_kind=Owner.PROFESSIONAL,
        owner_user=karen,
        due=held_on + timedelta(days=7),
        done_on=held_on + timedelta(days=3),
        done_by=karen,
    )
    ForumCase.objects.create(
        forum=forum,
        meeting=upcoming,
        brought_by=pia,
        unit=units[SOLSIKKEN],
        age_years=5,
        unit_kind=units[SOLSIKKEN].kind,
        seen="Barnet slår, når det bliver uenigt med de andre børn, flere gange om dagen.",
        zone=3,
        what_works="Roligt, når det får en opgave, og når det er ude.",
        what_worries="De andre børn er begyndt at holde sig væk.",
        what_must_happen="Faste rammer i overgangene, sammen med forældrene.",
        question="Hvordan hjælper vi barnet med at stoppe op, før det slår?",
    )
    ForumCase.objects.create(
        forum=forum,
        meeting=upcoming,
        brought_by=sofie,
        unit=units[NORDBY_SKOLE],
        age_years=6,
        unit_kind=units[NORDBY_SKOLE].kind,
        seen="Fravær 18 % den seneste måned. Siger, at maven gør ondt om morgenen.",
        zone=3,
        what_works="Kommer gerne de dage, hvor der er idræt.",
        what_worries="Fraværet stiger, og forældrene virker pressede.",
        what_must_happen="En plan for morgenerne sammen med familien.",
        question="Hvordan får vi en god snak med forældrene om fraværet?",
    )
    _linked_case(forum, upcoming, pia, units, today)
    return forum


def _linked_case(forum, meeting, pia, units, today) -> None:
    """A Solsikken child discussed by name: the parents consented (Purpose.MEETING)."""
    enrolled = Enrollment.objects.active(today).filter(unit=units[SOLSIKKEN]).values("child_id")
    child = (
        # One without other consents, so that the demo's consent panels stay as they are.
        Child.objects.filter(pk__in=enrolled, guardians__has_custody=True, consents__isnull=True)
        .order_by("first_name", "last_name", "pk")
        .distinct()
        .first()
    )
    if child is None:
        return
    guardian = child.guardians.filter(has_custody=True).order_by("pk").first()
    if guardian is None:
        return
    case = ForumCase.objects.create(
        forum=forum,
        meeting=meeting,
        brought_by=pia,
        unit=units[SOLSIKKEN],
        age_years=child.age(today),
        unit_kind=units[SOLSIKKEN].kind,
        seen="Spiser meget lidt i børnehaven og er ofte træt.",
        zone=2,
        what_works="Glad for at være ude og for de voksne på stuen.",
        what_worries="Vægten; forældrene er selv bekymrede.",
        what_must_happen="Sundhedsplejen og forældrene taler sammen.",
        question="Hvad kan vi gøre ved måltiderne, og skal sundhedsplejen inddrages?",
    )
    # As Pia links it on the case's page: the consent recorded on the child.
    case.link(child=child, guardian=guardian, given_on=today - timedelta(days=2), by=pia)
