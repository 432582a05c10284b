"""A tværfagligt forum for the tests: Forum Nord, where Karen (PPR) advises and
Solsikken and Nordby Skole bring cases; Forum Syd, where Maja (PPR) advises."""

from datetime import date, time

from accounts.models import Role
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.models import NextStep, Owner
from tidlig.test import make_user


def make_forums(tc, *, meeting_on: date) -> None:
    tc.forum_nord = Forum.objects.create(name="Forum Nord", district=tc.nordby)
    tc.forum_nord.consultants.set([tc.karen])
    tc.forum_nord.units.set([tc.solsikken, tc.skolen])
    tc.maja = make_user("maja", tc.ppr, Role.KONSULENT, first_name="Maja")
    tc.forum_syd = Forum.objects.create(name="Forum Syd")
    tc.forum_syd.consultants.set([tc.maja])
    tc.nord_meeting = ForumMeeting.objects.create(
        forum=tc.forum_nord, date=meeting_on, starts_at=time(13, 0), location="Mødelokale 2"
    )
    tc.nord_meeting.participants.set([tc.karen])


def bring(tc, *, by, unit, meeting=None, **kw) -> ForumCase:
    data = {
        "age_years": 4,
        "unit_kind": unit.kind,
        "seen": "Græder ved aflevering og leger alene.",
        "zone": 3,
        "what_works": "En god ven på stuen.",
        "what_worries": "Meget fravær.",
        "what_must_happen": "Tal med forældrene.",
        "question": "Hvordan støtter vi legen?",
    }
    data.update(kw)
    return ForumCase.objects.create(
        forum=tc.forum_nord, meeting=meeting, brought_by=by, unit=unit, **data
    )


def step(case: ForumCase, owner, due: date, text: str = "Observér legen i en uge") -> NextStep:
    return NextStep.objects.create(
        forum_case=case,
        child=case.child,
        text=text,
        owner_kind=Owner.PROFESSIONAL,
        owner_user=owner,
        due=due,
    )
