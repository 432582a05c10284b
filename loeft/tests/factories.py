from datetime import date

from children.models import Guardian
from loeft.models import Dialogue, DialogueVersion, NextStep, Owner, Status


def guardian(child, name="Maria Holm", relation="mor") -> Guardian:
    return Guardian.objects.create(child=child, name=name, relation=relation)


def final_dialogue(child, author, *, held_on=date(2025, 9, 1), steps=(), **fields) -> Dialogue:
    fields.setdefault("agreements", "Vi mødes igen om en måned.")
    dialogue = Dialogue.objects.create(
        child=child, author=author, status=Status.FINAL, held_on=held_on, version=1, **fields
    )
    DialogueVersion.objects.create(
        dialogue=dialogue, number=1, saved_by=author, data=dialogue.snapshot()
    )
    for text, owner, due in steps:
        NextStep.objects.create(
            dialogue=dialogue,
            child=child,
            text=text,
            owner_kind=Owner.PROFESSIONAL,
            owner_user=owner,
            due=due,
        )
    return dialogue


def dialogue_post(**overrides) -> dict:
    """A complete form as the browser sends it, with one next step."""
    data = {
        "held_on": "2025-09-01",
        "others": "Mormor Inge",
        "what_works": "Emma leger godt med Alma om formiddagen.",
        "wished_future": "Aflevering uden gråd.",
        "scale_now": "4",
        "scale_goal": "7",
        "scale_step": "Far afleverer to dage om ugen.",
        "child_voice": "Jeg kan godt lide gyngerne.",
        "agreements": "Emma afleveres af far tirsdag og torsdag.",
        "skridt-TOTAL_FORMS": "3",
        "skridt-INITIAL_FORMS": "0",
        "skridt-MIN_NUM_FORMS": "3",
        "skridt-MAX_NUM_FORMS": "12",
        "skridt-0-text": "",
        "skridt-0-owner": "",
        "skridt-0-due": "",
        "skridt-1-text": "",
        "skridt-1-owner": "",
        "skridt-1-due": "",
        "skridt-2-text": "",
        "skridt-2-owner": "",
        "skridt-2-due": "",
    }
    data.update(overrides)
    return data
