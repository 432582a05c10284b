import re
from datetime import date
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ENROLLING_KINDS, Role, Unit, User
from children.models import Child, Guardian
from children.validators import validate_not_too_early, validate_planned_date
from forum.models import Forum, ForumCase, ForumMeeting
from ruler.zones import Zone
from tidlig.lib.forms import DateInput, DKFDSFormMixin

TEXTAREA = {"class": "input-width-xl", "rows": 4}
DESCRIPTION = [
    "age_years",
    "unit_kind",
    "seen",
    "zone",
    "what_works",
    "what_worries",
    "what_must_happen",
    "question",
]


def _name_pattern(child: Child) -> re.Pattern:
    names = [re.escape(n) for n in (child.first_name, child.last_name) if n]
    return re.compile(rf"\b({'|'.join(names)})\b", re.IGNORECASE)


def names_child(text: str, child: Child) -> bool:
    return bool(_name_pattern(child).search(text))


def without_names(text: str, child: Child) -> str:
    """The text with the child's first and last name replaced by »barnet«."""
    return _name_pattern(child).sub(str(_("barnet")), text)


class Mode:
    ANONYMOUS = "anonym"
    CONSENT = "samtykke"


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, guardian: Guardian) -> str:
        return f"{guardian.name} ({guardian.get_relation_display().lower()})"


def check_consent(form: forms.BaseForm, *, needed: bool) -> None:
    """With consent, the guardian and the day it was given are required."""
    if not needed:
        return
    if not form.cleaned_data.get("guardian"):
        form.add_error("guardian", _("Vælg den forælder, der har givet samtykke."))
    given_on = form.cleaned_data.get("given_on")
    if given_on is None:
        form.add_error("given_on", _("Skriv datoen for samtykket."))
    elif given_on > timezone.localdate():
        form.add_error("given_on", _("Datoen kan ikke ligge i fremtiden."))


class GuardianOfChildField(forms.ModelChoiceField):
    """A guardian among several children's: named with the child's first name."""

    def label_from_instance(self, guardian: Guardian) -> str:
        relation = guardian.get_relation_display().lower()
        return f"{guardian.name} ({relation}, {guardian.child.first_name})"


class ConsentFields(forms.Form):
    """The guardian who consented and the day: the consent for
    children.sharing.Purpose.MEETING that links a case to the child."""

    guardian = GuardianChoiceField(
        label=_("Hvilken forælder har givet samtykke?"),
        queryset=Guardian.objects.none(),
        required=False,
        empty_label=_("Vælg forælder"),
    )
    given_on = forms.DateField(
        label=_("Samtykket er givet den"),
        required=False,
        widget=DateInput(attrs={"class": "input-width-s"}),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )


class BringForm(DKFDSFormMixin, forms.ModelForm):
    """Bring a child to a forum: the description (prefilled from the child, editable)
    and whether it is anonymous or linked with the parents' consent."""

    mode = forms.ChoiceField(
        label=_("Skal barnet drøftes anonymt?"),
        choices=[
            (Mode.ANONYMOUS, _("Anonymt: uden navn og CPR-nummer")),
            (Mode.CONSENT, _("Med navn: forældrene har givet samtykke")),
        ],
        initial=Mode.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    guardian = ConsentFields.base_fields["guardian"]
    given_on = ConsentFields.base_fields["given_on"]

    class Meta:
        model = ForumCase
        fields = ["forum", *DESCRIPTION]
        widgets = {
            "age_years": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "seen": forms.Textarea(attrs=TEXTAREA),
            "what_works": forms.Textarea(attrs=TEXTAREA),
            "what_worries": forms.Textarea(attrs=TEXTAREA),
            "what_must_happen": forms.Textarea(attrs=TEXTAREA),
            "question": forms.Textarea(attrs=TEXTAREA),
        }
        labels = {
            "forum": _("Forum"),
            "age_years": _("Alder (år)"),
            "unit_kind": _("Type enhed"),
            "seen": _("Hvad har I set?"),
            "zone": _("Zone på Børnelinealen"),
            "what_works": _("Det der fungerer"),
            "what_worries": _("Det der bekymrer"),
            "what_must_happen": _("Det der skal ske"),
            "question": _("Hvad vil I gerne have sparring om?"),
        }
        help_texts = {
            "seen": _("Beskriv det, I har set og hørt, uden navne på barnet eller familien."),
            "question": _("Det spørgsmål, I gerne vil have konsulenternes råd om."),
        }
        error_messages = {
            "seen": {"required": _("Skriv, hvad I har set.")},
            "question": {"required": _("Skriv, hvad I gerne vil have sparring om.")},
            "age_years": {"required": _("Skriv barnets alder.")},
            "forum": {"required": _("Vælg et forum.")},
        }

    def __init__(self, *args, forums: QuerySet[Forum], child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        forum = cast(forms.ModelChoiceField, self.fields["forum"])
        forum.queryset = forums
        forum.empty_label = None
        zone = cast(forms.TypedChoiceField, self.fields["zone"])
        zone.choices = [("", _("Ikke vurderet"))] + [
            (z.value, f"{z.value} {z.label}") for z in Zone
        ]
        guardian = cast(forms.ModelChoiceField, self.fields["guardian"])
        guardian.queryset = child.guardians.filter(has_custody=True)
        self.child = child

    def clean(self) -> dict:
        super().clean()
        check_consent(self, needed=self.cleaned_data.get("mode") == Mode.CONSENT)
        if self.cleaned_data.get("mode") == Mode.ANONYMOUS:
            # An anonymous description must not name the child after all.
            for name in DESCRIPTION:
                value = self.cleaned_data.get(name)
                if isinstance(value, str) and names_child(value, self.child):
                    self.add_error(
                        name,
                        _(
                            "Teksten nævner barnets navn. Skriv »barnet« i stedet, "
                            "når det er anonymt."
                        ),
                    )
        return self.cleaned_data

    @property
    def with_consent(self) -> bool:
        return self.cleaned_data.get("mode") == Mode.CONSENT


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return str(child)


class LinkForm(DKFDSFormMixin, ConsentFields):
    """Link an anonymous case to the child, now that the parents have consented."""

    child = ChildChoiceField(
        label=_("Barnet"),
        queryset=Child.objects.none(),
        empty_label=_("Vælg barnet"),
        error_messages={"required": _("Vælg barnet.")},
    )
    field_order = ["child", "guardian", "given_on"]

    def __init__(self, *args, children: QuerySet[Child], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
        guardian = GuardianOfChildField(
            label=self.fields["guardian"].label,
            queryset=Guardian.objects.filter(child__in=children, has_custody=True).select_related(
                "child"
            ),
            required=False,
            empty_label=_("Vælg forælder"),
        )
        guardian.widget.attrs["class"] = "form-select"
        self.fields["guardian"] = guardian

    def clean(self) -> dict:
        super().clean()
        check_consent(self, needed=True)
        guardian, child = self.cleaned_data.get("guardian"), self.cleaned_data.get("child")
        if guardian and child and guardian.child_id != child.pk:
            self.add_error("guardian", _("Forælderen hører ikke til det valgte barn."))
        return self.cleaned_data


class AdviceForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = ForumCase
        fields = ["advice"]
        widgets = {"advice": forms.Textarea(attrs=TEXTAREA)}
        labels = {"advice": _("Forummets råd")}
        help_texts = {"advice": _("Det, forummet anbefaler. Skridtene skrives nedenfor.")}


class MeetingForm(DKFDSFormMixin, forms.ModelForm):
    held = forms.BooleanField(label=_("Mødet er holdt"), required=False)

    class Meta:
        model = ForumMeeting
        fields = ["date", "starts_at", "location", "participants", "minutes"]
        widgets = {
            "date": DateInput(attrs={"class": "input-width-s"}),
            "starts_at": forms.TimeInput(attrs={"type": "time", "class": "input-width-xs"}),
            "participants": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"class": "input-width-xl", "rows": 6}),
        }
        labels = {
            "date": _("Dato"),
            "starts_at": _("Klokken"),
            "location": _("Sted"),
            "participants": _("Deltagere"),
            "minutes": _("Referat"),
        }
        help_texts = {
            "minutes": _("Det generelle fra mødet. Rådene til hver sag skrives ved sagen."),
        }
        error_messages = {
            "date": {"required": _("Skriv mødets dato."), "invalid": _("Skriv en gyldig dato.")}
        }

    def __init__(self, *args, forum: Forum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])
        participants.queryset = User.objects.filter(is_active=True, forums=forum).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["held"].initial = self.instance.is_held
        if not self.instance.pk:
            del self.fields["held"]

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        validate_not_too_early(day)
        validate_planned_date(day)
        return day


class ForumAdminForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "district", "consultants", "units", "active"]
        widgets = {
            "consultants": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
        }
        labels = {"name": _("Navn"), "district": _("Distrikt"), "active": _("Aktivt")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        consultants = cast(forms.ModelMultipleChoiceField, self.fields["consultants"])
        consultants.queryset = (
            User.objects.filter(
                is_active=True, memberships__role__in=(Role.KONSULENT, Role.RAADGIVER)
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        units = cast(forms.ModelMultipleChoiceField, self.fields["units"])
        units.queryset = Unit.objects.filter(active=True, kind__in=ENROLLING_KINDS)
