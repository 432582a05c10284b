"""A small municipality with known figures for 2026Q2 and 2026Q3.

On top of tidlig.test's Solsikken and Nordby Skole (district Nordby) there is a
district Sydby with Sydby Skole and Sydby SFO, and Vuggestuen Mælkebøtten in Nordby.

Children and their zones (latest current assessment in the quarter):

| child  | born       | enrolled                                   | 2026Q2 | 2026Q3          |
|--------|------------|--------------------------------------------|--------|-----------------|
| Emma   | 2021-03-04 | Solsikken                                  | 3 → 2  | 1 (concern)     |
| Noah   | 2020-11-30 | Solsikken                                  | 3      | 5 corrected → 4 |
| Oskar  | 2016-06-01 | Nordby Skole                               | 3      | 3               |
| Lukas  | 2020-09-30 | Solsikken to 2026-07-31, then Nordby Skole | 2      | 2 (turns 6 on   |
|        |            | and Sydby SFO from 2026-08-10              |        | the last day)   |
| Ida    | 2018-02-10 | Sydby Skole and Sydby SFO                  | –      | 5               |
| Viktor | 2008-10-01 | Sydby Skole (zone 2 on 2025-09-30)         | 2      | – (stale)       |
| Freja  | 2008-08-01 | Sydby Skole; turns 18 on 2026-08-01        | –      | too old         |
| Alma   | 2025-01-15 | Mælkebøtten from 2026-08-01                | –      | –               |

Today is frozen at 2026-10-15, so meetings due in the quarters have passed.
"""

from datetime import UTC, date, datetime

import time_machine

from accounts.models import District, Unit, UnitKind
from children.models import Child, Concern, Enrollment, Guardian, Relation
from followups.models import Case, CaseMember, Intervention, Meeting, Underretning
from followups.workdays import COPENHAGEN
from loeft.models import Dialogue, Status
from ruler.models import Assessment
from tidlig.test import BaseTestCase, make_child

TODAY = datetime(2026, 10, 15, 10, tzinfo=COPENHAGEN)


def cph(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


@time_machine.travel(TODAY, tick=False)
class MunicipalityTestCase(BaseTestCase):
    sydby: District
    sydby_skole: Unit
    sydby_sfo: Unit
    maelkeboetten: Unit
    lukas: Child
    ida: Child
    viktor: Child
    freja: Child
    alma: Child
    emma_concern: Concern
    noah_case: Case
    ida_case: Case
    viktor_case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sydby = District.objects.create(name="Sydby")
        cls.sydby_skole = Unit.objects.create(
            name="Sydby Skole", kind=UnitKind.SKOLE, district=cls.sydby
        )
        cls.sydby_sfo = Unit.objects.create(name="Sydby SFO", kind=UnitKind.SFO, district=cls.sydby)
        cls.maelkeboetten = Unit.objects.create(
            name="Vuggestuen Mælkebøtten", kind=UnitKind.VUGGESTUE, district=cls.nordby
        )

        cls.lukas = make_child("Lukas", "Dahl", date(2020, 9, 30))
        Enrollment.objects.create(
            child=cls.lukas, unit=cls.solsikken, start=date(2025, 8, 1), end=date(2026, 7, 31)
        )
        Enrollment.objects.create(child=cls.lukas, unit=cls.skolen, start=date(2026, 8, 10))
        Enrollment.objects.create(child=cls.lukas, unit=cls.sydby_sfo, start=date(2026, 8, 10))
        cls.ida = make_child("Ida", "Krogh", date(2018, 2, 10), unit=cls.sydby_skole)
        Enrollment.objects.create(child=cls.ida, unit=cls.sydby_sfo, start=date(2025, 8, 1))
        cls.viktor = make_child("Viktor", "Munk", date(2008, 10, 1), unit=cls.sydby_skole)
        cls.freja = make_child("Freja", "Skov", date(2008, 8, 1), unit=cls.sydby_skole)
        cls.alma = make_child(
            "Alma", "Vinter", date(2025, 1, 15), unit=cls.maelkeboetten, start=date(2026, 8, 1)
        )

        cls.emma_concern = cls.concern(cls.emma, date(2026, 7, 5))
        cls.concern(cls.emma, date(2026, 9, 10))
        cls.concern(cls.noah, date(2026, 5, 1))
        cls.concern(cls.noah, date(2026, 8, 1))
        cls.concern(cls.ida, date(2026, 8, 15))
        cls.concern(cls.alma, date(2026, 9, 1))
        cls.concern(cls.oskar, date(2026, 7, 1))

        cls.assess(cls.emma, date(2026, 4, 2), 3)
        cls.assess(cls.emma, date(2026, 4, 10), 2)
        cls.assess(cls.emma, date(2026, 7, 6), 1, concern=cls.emma_concern)
        cls.assess(cls.emma, date(2026, 10, 2), 5)  # after the quarter
        cls.assess(cls.noah, date(2026, 5, 3), 3)
        wrong = cls.assess(cls.noah, date(2026, 8, 5), 5)
        wrong.correct(author=cls.pia, note="Forkert zone", zone=4)
        cls.assess(cls.oskar, date(2026, 6, 1), 3)
        cls.assess(cls.oskar, date(2026, 8, 15), 3)  # 45 days after his concern
        cls.assess(cls.lukas, date(2026, 6, 15), 2)
        cls.assess(cls.lukas, date(2026, 9, 1), 2)
        cls.assess(cls.ida, date(2026, 8, 20), 5)  # 5 days after her concern
        cls.assess(cls.viktor, date(2025, 9, 30), 2)
        cls.assess(cls.freja, date(2026, 7, 10), 3)

        # Dialogues: Emma 10 days after her first concern, with her mother and her
        # own words; Ida after 14 days, she took part; Oskar after 30 days, with
        # his father (a blank child's voice does not count); Alma's is a draft.
        mother = Guardian.objects.create(
            child=cls.emma, name="Mette Holm", relation=Relation.MOTHER
        )
        father = Guardian.objects.create(
            child=cls.oskar, name="Peter Berg", relation=Relation.FATHER
        )
        cls.dialogue(cls.emma, date(2026, 7, 15), guardians=[mother], child_voice="Jeg bygger")
        cls.dialogue(cls.ida, date(2026, 8, 29), child_took_part=True)
        cls.dialogue(cls.oskar, date(2026, 7, 31), guardians=[father], child_voice="  ")
        Dialogue.objects.create(
            child=cls.alma, author=cls.pia, status=Status.DRAFT, held_on=date(2026, 9, 5)
        )

        # Underretninger: on time; received on a Friday (the weekend does not count:
        # deadline Monday 5 October) but assessed after 25 hours; not handled yet,
        # received late on the last evening; and one received half an hour into
        # 1 October (still 30 September in UTC), which belongs to Q4.
        cls.underretning(cls.noah, cph(2026, 7, 2, 10), cph(2026, 7, 3, 9), date(2026, 7, 10))
        cls.underretning(cls.ida, cph(2026, 9, 25, 15), cph(2026, 9, 26, 16), date(2026, 10, 5))
        cls.underretning(cls.viktor, cph(2026, 9, 30, 23, 30), None, None)
        cls.underretning(cls.oskar, cph(2026, 10, 1, 0, 30), cph(2026, 10, 1, 8), date(2026, 10, 2))
        # Q2: received the day before Maundy Thursday. Skærtorsdag, langfredag and
        # 2. påskedag are holidays, so the sixth working day is Tuesday 14 April.
        cls.underretning(cls.noah, cph(2026, 4, 1, 14), cph(2026, 4, 2, 9), date(2026, 4, 14))
        cls.underretning(cls.emma, cph(2026, 4, 1, 15), cph(2026, 4, 2, 16), date(2026, 4, 15))

        # Cases: Noah's (psychologist and caseworker), Ida's (two caseworkers,
        # spelt differently), Viktor's closed in Q3.
        cls.noah_case = Case.objects.create(
            child=cls.noah, coordinator=cls.rasmus, opened_on=date(2026, 5, 10)
        )
        CaseMember.objects.create(case=cls.noah_case, user=cls.rasmus, profession="Socialrådgiver")
        CaseMember.objects.create(case=cls.noah_case, user=cls.karen, profession="Psykolog")
        cls.ida_case = Case.objects.create(
            child=cls.ida, coordinator=cls.rasmus, opened_on=date(2026, 8, 21)
        )
        CaseMember.objects.create(case=cls.ida_case, user=cls.rasmus, profession="Socialrådgiver")
        CaseMember.objects.create(case=cls.ida_case, user=cls.sofie, profession="socialrådgiver ")
        cls.viktor_case = Case.objects.create(
            child=cls.viktor,
            coordinator=cls.rasmus,
            opened_on=date(2026, 2, 1),
            closed_on=date(2026, 8, 31),
        )
        CaseMember.objects.create(case=cls.viktor_case, user=cls.karen, profession="Psykolog")
        CaseMember.objects.create(case=cls.viktor_case, user=cls.sofie, profession="Lærer")

        Meeting.objects.create(
            case=cls.noah_case, scheduled_on=date(2026, 8, 10), held_on=date(2026, 8, 10)
        )
        Meeting.objects.create(
            case=cls.noah_case,
            scheduled_on=date(2026, 9, 20),
            overdue_from=date(2026, 9, 1),
            held_on=date(2026, 9, 20),
        )
        Meeting.objects.create(case=cls.viktor_case, scheduled_on=date(2026, 8, 15))
        # Due after Viktor's case closed: never due.
        Meeting.objects.create(case=cls.viktor_case, scheduled_on=date(2026, 9, 15))
        Meeting.objects.create(case=cls.ida_case, scheduled_on=date(2026, 11, 20))
        # Due in Q2, held (late) in Q3.
        Meeting.objects.create(
            case=cls.noah_case,
            scheduled_on=date(2026, 7, 5),
            overdue_from=date(2026, 6, 25),
            held_on=date(2026, 7, 5),
        )

        # Indsatstrappen: Noah steps down 3 → 2, Ida starts on 4 and goes up to 5,
        # Viktor gets a second effort on the same step.
        cls.intervene(cls.noah_case, 3, date(2026, 5, 15), date(2026, 7, 31))
        cls.intervene(cls.noah_case, 2, date(2026, 8, 1))
        cls.intervene(cls.ida_case, 4, date(2026, 8, 25))
        cls.intervene(cls.ida_case, 5, date(2026, 9, 10))
        cls.intervene(cls.viktor_case, 1, date(2026, 2, 10), date(2026, 8, 31))
        cls.intervene(cls.viktor_case, 1, date(2026, 7, 1), date(2026, 8, 31))

    @classmethod
    def concern(cls, child, observed_on: date) -> Concern:
        return Concern.objects.create(
            child=child, author=cls.pia, observed_on=observed_on, text=f"Bekymret for {child}"
        )

    @classmethod
    def assess(cls, child, assessed_on: date, zone: int, **kw) -> Assessment:
        return Assessment.objects.create(
            child=child,
            author=cls.pia,
            assessed_on=assessed_on,
            zone=zone,
            what_worries=f"{child.first_name} er ked af det",
            **kw,
        )

    @classmethod
    def dialogue(cls, child, held_on: date, *, guardians=(), **kw) -> Dialogue:
        dialogue = Dialogue.objects.create(
            child=child, author=cls.pia, status=Status.FINAL, held_on=held_on, **kw
        )
        dialogue.guardians.set(guardians)
        return dialogue

    @classmethod
    def underretning(cls, child, received_at, assessed_at, receipt_sent_on) -> Underretning:
        return Underretning.objects.create(
            child=child,
            notifier="Lærer på skolen",
            received_at=received_at.astimezone(UTC),
            about=f"{child.first_name} kommer sulten i skole",
            assessed_at=assessed_at,
            receipt_sent_on=receipt_sent_on,
        )

    @classmethod
    def intervene(cls, case, step: int, start: date, end: date | None = None) -> Intervention:
        return Intervention.objects.create(
            case=case, step=step, kind="Familiebehandling", start=start, end=end
        )
