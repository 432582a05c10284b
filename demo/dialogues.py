"""Synthetic LØFT dialogues for `seed_demo`.

Pia and Lars at Børnehaven Solsikken have held dialogues with the families of the
children they are concerned about: one to three each, some weeks apart, with the
family's scaling answer mostly rising, next steps that were done for the older
dialogues and are open (one overdue) for the latest, one dialogue that Lars
edited afterwards (two versions), and one draft of Pia's waiting to be finished.
All names and texts are invented.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from children.models import Child, Enrollment, written_in
from loeft.models import Dialogue, DialogueVersion, NextStep, Owner, Status
from ruler.models import Assessment

WHAT_WORKS = [
    "Om morgenen, når far afleverer, og de har god tid, går det bedst. {first} falder til "
    "ro ved puslespillet sammen med en kendt voksen.",
    "{first} leger godt med én fast ven, og når dagen har faste rammer. Hjemme hjælper det "
    "at spise morgenmad sammen.",
    "Det går bedre, når {first} ved, hvad der skal ske. Billedskemaet derhjemme virker, og "
    "mormor henter om fredagen.",
    "{first} er glad i de små grupper og på legepladsen. Forældrene har fundet en god "
    "rytme med tidlig sengetid.",
]
WISHED_FUTURE = [
    "At {first} siger farvel ved døren uden at græde og går ind til de andre. Det vil "
    "mor opdage først, og pædagogerne vil se det i garderoben.",
    "At aftenerne er rolige, og at {first} sover hele natten. Så ville {first} være mere "
    "frisk om morgenen, og det ville de voksne i børnehaven lægge mærke til.",
    "At {first} har en ven mere at lege med og tør spørge om at være med. Far siger, at "
    "han ville se det på, at {first} fortæller om børnehaven ved aftensmaden.",
]
SCALE_STEPS = [
    "At aflevering tager under fem minutter to dage om ugen.",
    "At {first} spiser madpakken om formiddagen.",
    "At {first} er med i en leg i ti minutter uden en voksen ved siden af.",
]
CHILD_VOICES = [
    "Jeg kan godt lide gyngerne og når far henter.",
    "Jeg vil gerne lege med Alma. Jeg bliver ked af det, når det er larmende.",
    "Jeg er ikke træt, når jeg har sovet i min egen seng.",
    "Det er sjovt at bygge huler. Jeg kan ikke lide at sige farvel.",
]
AGREEMENTS = [
    "Far afleverer tirsdag og torsdag, og en fast voksen tager imod {first} ved døren. "
    "Vi taler sammen igen om seks uger.",
    "Forældrene prøver en fast aftenrytme med sengetid kl. 19.30. Børnehaven giver besked, "
    "hvis {first} virker træt. Vi mødes igen efter efterårsferien.",
    "{first} får en legeaftale med én ven om ugen i små grupper. Forældrene inviterer en "
    "ven med hjem. Næste møde om to måneder.",
    "Sundhedsplejersken ser på søvnen. Børnehaven laver et billedskema, som forældrene også "
    "bruger derhjemme. Vi følger op om en måned.",
]
PARENT_STEPS = [
    "Afleverer tirsdag og torsdag og siger farvel ved døren",
    "Prøver fast sengetid kl. 19.30 i to uger",
    "Inviterer en ven med hjem efter børnehave",
    "Bruger billedskemaet om morgenen",
]
STAFF_STEPS = [
    "Tager imod ved døren om morgenen",
    "Laver billedskema til dagen i børnehaven",
    "Sætter {first} i en lille legegruppe to gange om ugen",
    "Ringer til forældrene efter to uger og fortæller, hvordan det går",
]
CHILD_STEPS = [
    "Tegner en tegning til far, når han er gået",
    "Vælger selv, hvem der skal være med i legen",
    "Siger godnat til bamsen kl. 19.30",
]
OTHERS = ["", "", "Sundhedsplejerske Hanne", "Mormor Inge", "Jens, PPR"]
DONE_COMMENTS = ["", "Det gik godt.", "Gjort, men kun den ene dag.", "Mor fortæller, at det hjalp."]


def create_dialogues(
    rng: random.Random, children: list[Child], pia: User, lars: User, solsikken, today: date
) -> list[Dialogue]:
    """Dialogues with the families of Solsikken's children in zone 2–5."""
    here = {
        e.child_id
        for e in Enrollment.objects.active(today).filter(unit=solsikken, child__in=children)
    }
    latest: dict[int, Assessment] = {}
    first_concern: dict[int, date] = {}
    for a in Assessment.objects.current().filter(child_id__in=here).order_by("assessed_on", "pk"):
        latest[a.child_id] = a
        if a.zone >= 2:
            first_concern.setdefault(a.child_id, a.assessed_on)
    by_pk = {child.pk: child for child in children}
    chosen = sorted(
        pk for pk, a in latest.items() if a.zone >= 3 or (a.zone == 2 and rng.random() < 0.5)
    )

    dialogues: list[Dialogue] = []
    for number, pk in enumerate(chosen):
        child = by_pk[pk]
        count = 1 + rng.randrange(3)
        # The latest dialogue is recent (its steps are still open), the earlier
        # ones some weeks apart, none before the first concern.
        start = first_concern.get(pk, today - timedelta(days=200))
        latest_on = max(start, today - timedelta(days=3 + rng.randrange(45)))
        days = sorted(
            {latest_on - timedelta(days=i * (40 + rng.randrange(25))) for i in range(count)}
        )
        days = [d for d in days if d >= start] or [latest_on]
        scale = 2 + rng.randrange(3)
        for i, held_on in enumerate(days):
            last = i == len(days) - 1
            dialogue = _dialogue(
                rng, child, pia if rng.random() < 0.8 else lars, held_on, scale, pia, lars
            )
            dialogues.append(dialogue)
            _next_steps(rng, dialogue, held_on, pia, today, done=not last)
            scale = min(10, scale + rng.choice((0, 1, 1, 2)))
        if number == 0:
            _edit_afterwards(dialogues[-1], lars)
    if chosen:
        _draft(rng, by_pk[chosen[-1]], pia, today)
    return dialogues


def _fill(text: str, child: Child) -> str:
    return text.format(first=child.first_name)


def _dialogue(rng, child, author, held_on, scale, pia, lars) -> Dialogue:
    guardians = list(child.guardians.all())
    assessment = (
        Assessment.objects.current()
        .filter(child=child, assessed_on__lte=held_on)
        .latest_first()
        .first()
    )
    dialogue = Dialogue.objects.create(
        child=child,
        author=author,
        # Where the child went that day, not today (save() would take today).
        unit=written_in(author, child.pk, on=held_on),
        status=Status.FINAL,
        held_on=held_on,
        assessment=assessment,
        others=rng.choice(OTHERS),
        child_took_part=child.age(held_on) >= 4 and rng.random() < 0.6,
        what_works=_fill(rng.choice(WHAT_WORKS), child),
        wished_future=_fill(rng.choice(WISHED_FUTURE), child),
        scale_now=scale,
        scale_goal=min(10, scale + 2 + rng.randrange(3)),
        scale_step=_fill(rng.choice(SCALE_STEPS), child),
        child_voice=rng.choice(CHILD_VOICES) if rng.random() < 0.7 else "",
        agreements=_fill(rng.choice(AGREEMENTS), child),
        version=1,
        finalised_at=timezone.now(),
    )
    dialogue.professionals.set([pia, lars] if rng.random() < 0.4 else [author])
    dialogue.guardians.set(guardians[: 1 + rng.randrange(2)] if guardians else [])
    DialogueVersion.objects.create(
        dialogue=dialogue, number=1, saved_by=author, data=dialogue.snapshot()
    )
    return dialogue


def _next_steps(
    rng, dialogue: Dialogue, held_on: date, pia: User, today: date, *, done: bool
) -> None:
    child = dialogue.child
    guardian = child.guardians.first()
    rows = [(Owner.PROFESSIONAL, _fill(rng.choice(STAFF_STEPS), child))]
    if guardian is not None:
        rows.append((Owner.PARENT, rng.choice(PARENT_STEPS)))
    if rng.random() < 0.5:
        rows.append((Owner.CHILD, rng.choice(CHILD_STEPS)))
    for kind, text in rows:
        due = held_on + timedelta(days=10 + rng.randrange(30))
        step = NextStep(
            dialogue=dialogue,
            child=child,
            text=text,
            owner_kind=kind,
            owner_user=pia if kind == Owner.PROFESSIONAL else None,
            owner_guardian=guardian if kind == Owner.PARENT else None,
            due=due,
        )
        # Older dialogues' steps are mostly done; so are the latest's long overdue ones.
        long_ago = due < today - timedelta(days=21)
        if (done and rng.random() < 0.85) or (long_ago and rng.random() < 0.7):
            step.done_on = min(today, due - timedelta(days=rng.randrange(5)))
            step.done_comment = rng.choice(DONE_COMMENTS)
            step.done_by = pia
        step.save()


def _edit_afterwards(dialogue: Dialogue, lars: User) -> None:
    """Lars adds to the agreements after the meeting: version 2."""
    dialogue.agreements += " Lars har talt med PPR om en observation."
    dialogue.version = 2
    dialogue.save(update_fields=["agreements", "version"])
    DialogueVersion.objects.create(
        dialogue=dialogue, number=2, saved_by=lars, data=dialogue.snapshot()
    )


def _draft(rng, child: Child, pia: User, today: date) -> None:
    """A draft Pia started after today's talk with the family and has not finished."""
    Dialogue.objects.create(
        child=child,
        author=pia,
        draft_data={
            "held_on": [today.isoformat()],
            "what_works": [_fill(rng.choice(WHAT_WORKS), child)],
            "wished_future": [_fill(rng.choice(WISHED_FUTURE), child)],
            "scale_now": ["5"],
        },
        draft_saved_at=timezone.now(),
    )
