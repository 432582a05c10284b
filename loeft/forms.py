from datetime import date
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from children.models import Child, Enrollment
from children.validators import validate_event_date
from loeft.models import SCALE, Dialogue, NextStep, Owner
from ruler.models import Assessment
from tidlig.lib.forms import DateInput, DKFDSFormMixin

TEXTAREA = {"class": "input-width-xl", "rows": 4}

# The solution-focused questions shown beside the fields:
# hints, never mandatory boxes.
HINTS = {
    "what_works": _(
        "Hvornår går det bare lidt bedre? Hvad er anderledes da? "
        "Hvordan har I klaret det indtil nu?"
    ),
    "wished_future": _(
        "Forestil jer, at problemet er væk i morgen. Hvad ville I lægge mærke til først? "
        "Hvem ville ellers opdage det?"
    ),
    "scale_now": _(
        "På en skala fra 0 til 10, hvor 10 er sådan, som I gerne vil have det: hvor er I i dag?"
    ),
    "scale_goal": _("Hvor på skalaen vil I gerne være, næste gang vi ses?"),
    "scale_step": _("Hvad gør, at det ikke er lavere? Hvad ville et skridt op ad skalaen være?"),
    "child_voice": _("Barnets egne ord, så vidt muligt ordret."),
    "agreements": _("Hvad har I aftalt? Skriv det, så forældrene kan læse det."),
}


def professionals_for(child: Child) -> list[User]:
    """Staff of the units the child goes to: the people who usually take part."""
    units = Enrollment.objects.active().filter(child=child).values("unit_id")
    return list(
        User.objects.filter(
            is_active=True,
            memberships__unit_id__in=units,
            memberships__role__in=(Role.FAGPERSON, Role.LEDER),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class DialogueForm(DKFDSFormMixin, forms.ModelForm):
    """The dialogue itself. The people on the lists depend on the child."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dialogue
        fields = [*Dialogue.COMPARED_FIELDS, "assessment"]
        widgets = {
            "held_on": DateInput(attrs={"class": "input-width-s"}),
            "professionals": forms.CheckboxSelectMultiple,
            "guardians": forms.CheckboxSelectMultiple,
            "others": forms.Textarea(attrs={"class": "input-width-xl", "rows": 2}),
            "what_works": forms.Textarea(attrs=TEXTAREA),
            "wished_future": forms.Textarea(attrs=TEXTAREA),
            "scale_now": forms.RadioSelect,
            "scale_goal": forms.RadioSelect,
            "scale_step": forms.Textarea(attrs=TEXTAREA),
            "child_voice": forms.Textarea(attrs=TEXTAREA),
            "agreements": forms.Textarea(attrs=TEXTAREA),
        }
        labels = {
            "others": _("Andre deltagere"),
            "child_took_part": _("Barnet var med i dialogen"),
        }
        help_texts = {
            **HINTS,
            "held_on": _("Den dag, I talte sammen."),
            "others": _("Én pr. linje, med navn og rolle. Fx »Mormor Inge« eller »Jens, PPR«."),
        }
        error_messages = {
            "held_on": {
                "required": _("Skriv datoen for dialogen."),
                "invalid": _("Skriv en gyldig dato."),
            },
        }

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        today = timezone.localdate()
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()
        self.fields["held_on"].required = True
        professionals = cast(forms.ModelMultipleChoiceField, self.fields["professionals"])
        professionals.queryset = User.objects.filter(
            pk__in=[user.pk for user in professionals_for(child)]
            + list(
                self.instance.professionals.values_list("pk", flat=True) if self.instance.pk else []
            )
        ).order_by("first_name", "last_name", "username")
        guardians = cast(forms.ModelMultipleChoiceField, self.fields["guardians"])
        guardians.queryset = child.guardians.all()
        assessment = cast(forms.ModelChoiceField, self.fields["assessment"])
        assessment.queryset = Assessment.objects.current().filter(child=child)
        assessment.empty_label = _("Ingen")
        cast(forms.ChoiceField, self.fields["scale_now"]).choices = SCALE
        cast(forms.ChoiceField, self.fields["scale_goal"]).choices = SCALE

    def clean_held_on(self) -> date:
        held_on = self.cleaned_data["held_on"]
        validate_event_date(held_on, self.child)
        return held_on


def owner_choices(child: Child, professionals: list[User]) -> list[tuple[str, str]]:
    """The owner select: the professionals, the child's parents and the child itself."""
    choices = [("", str(_("Vælg hvem")))]
    choices += [(f"u{user.pk}", f"{user} ({_('fagperson')})") for user in professionals]
    choices += [
        (f"g{g.pk}", f"{g.name} ({g.get_relation_display().lower()})")
        for g in child.guardians.all()
    ]
    choices.append((Owner.CHILD.value, str(_("Barnet selv"))))
    return choices


class NextStepForm(DKFDSFormMixin, forms.Form):
    """One row of next steps. A blank row is left out, wherever it stands; once the
    row has anything in it, all three fields are required. So the labels tell the
    truth: none says "(valgfrit)", and each says "(skal udfyldes)" once the row is
    used (loeft/includes/step_rows.html; static/js/tidlig.js while typing)."""

    # An empty row is allowed: no field is required until the row is used.
    use_required_attribute = False

    text = forms.CharField(
        label=_("Næste skridt"),
        max_length=500,
        required=False,
    )
    owner = forms.ChoiceField(
        label=_("Hvem gør det?"),
        error_messages={"required": _("Vælg, hvem der gør det.")},
    )
    due = forms.DateField(
        label=_("Senest"),
        widget=DateInput(),
        error_messages={
            "required": _("Skriv, hvornår det senest skal være gjort."),
            "invalid": _("Skriv en gyldig dato."),
        },
    )

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners
        # A row left blank is not validated (Form.full_clean), whether it is one of
        # the formset's first rows or one added later.
        self.empty_permitted = True
        if self.is_used:
            for field in self.fields.values():
                field.widget.attrs["aria-required"] = "true"

    @property
    def is_used(self) -> bool:
        """Anything written or chosen in the row (sent, or from a saved draft)."""
        return any(str(self[name].value() or "").strip() for name in self.fields)

    def clean(self) -> dict:
        super().clean()
        if not self.cleaned_data.get("text", "").strip():
            self.add_error("text", _("Skriv, hvad næste skridt er."))
        return self.cleaned_data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("text", "").strip() or data.get("owner") or data.get("due"))

    def to_step(self, child: Child | None) -> NextStep:
        owner = self.cleaned_data["owner"]
        step = NextStep(
            child=child, text=self.cleaned_data["text"].strip(), due=self.cleaned_data["due"]
        )
        if owner.startswith("u"):
            step.owner_kind, step.owner_user_id = Owner.PROFESSIONAL, int(owner[1:])
        elif owner.startswith("g"):
            step.owner_kind, step.owner_guardian_id = Owner.PARENT, int(owner[1:])
        else:
            step.owner_kind = Owner.CHILD
        return step


def step_errors(steps) -> list[tuple[str, str]]:
    """A formset of next steps' errors for the page's error summary: (anchor, message)."""
    if steps is None or not steps.is_bound:
        return []
    errors = [("naeste-skridt", error) for error in steps.non_form_errors()]
    for number, step in enumerate(steps.forms, start=1):
        for field in step:
            for error in field.errors:
                label = _("Skridt %(number)s, %(field)s") % {"number": number, "field": field.label}
                errors.append((field.id_for_label, f"{label}: {error}"))
    return errors


class BaseNextStepFormSet(forms.BaseFormSet):
    # Each form gets its owner choices through form_kwargs={"owners": ...}.

    def clean(self) -> None:
        if any(self.errors):
            return
        if all(form.is_blank for form in self.forms):
            raise ValidationError(
                _(
                    "Skriv mindst ét næste skridt: hvad er det mindste, der kan flytte "
                    "det et skridt?"
                )
            )


NextStepFormSet = forms.formset_factory(
    NextStepForm, formset=BaseNextStepFormSet, extra=0, min_num=3, max_num=12
)


class NextStepDoneForm(DKFDSFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Gjort den"),
        required=False,  # today, when left out (the one-click button on lists)
        widget=DateInput(attrs={"class": "input-width-s"}),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, child: Child | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # None for a step of an anonymous forum case: no birth date to check against.
        self.child = child

    def clean_done_on(self) -> date:
        done_on = self.cleaned_data["done_on"] or timezone.localdate()
        if self.child is not None:
            validate_event_date(done_on, self.child)
        elif done_on > timezone.localdate():
            raise ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        return done_on
