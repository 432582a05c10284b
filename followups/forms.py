from datetime import date, timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, UnitKind, User
from children import cpr
from children.models import Child
from children.validators import validate_not_too_early, validate_planned_date
from followups.models import (
    CHANGES_INTERVENTION,
    Case,
    Decision,
    Escalation,
    Handover,
    Intervention,
    Meeting,
    NewIntervention,
    PreventionLevel,
    Step,
    Underretning,
    follow_up_date,
)
from loeft.forms import NextStepForm, owner_choices
from loeft.models import NextStep, Status
from ruler import zones
from ruler.forms import ZoneField
from tidlig.lib.forms import DateInput, DKFDSFormMixin

TEXTAREA = {"class": "input-width-xl", "rows": 4}


class EscalationForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Escalation
        fields = ["reason"]
        labels = {"reason": _("Hvorfor skal rådgivningen ind over?")}
        help_texts = {
            "reason": _(
                "Kort: hvad er prøvet, hvad bekymrer jer nu, og hvad håber I, rådgivningen kan."
            )
        }
        error_messages = {"reason": {"required": _("Skriv kort, hvorfor I sender barnet videre.")}}
        widgets = {"reason": forms.Textarea(attrs=TEXTAREA)}


class UnderretningForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Underretning
        fields = ["about"]
        labels = {"about": _("Hvad handler underretningen om?")}
        help_texts = {
            "about": _(
                "Det, du har set eller hørt, og hvornår. Underretningen skal også sendes til "
                "kommunen ad den vej, kommunen har anvist; her registrerer du, at den er lavet."
            )
        }
        error_messages = {"about": {"required": _("Skriv, hvad underretningen handler om.")}}
        widgets = {"about": forms.Textarea(attrs=TEXTAREA)}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        # The browser's picker sends and expects ISO local times, whatever the language.
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _not_in_the_future(moment, message) -> None:
    # A minute's grace for a clock that runs a little ahead of the server's.
    if moment > timezone.now() + timedelta(minutes=1):
        raise ValidationError(message)


class UnderretningRegisterForm(DKFDSFormMixin, forms.ModelForm):
    """An underretning that reached Børn & Ungerådgivningen by phone, letter, e-mail,
    Digital Post or in person. The child is found by CPR number, or created from it
    when Tidlig does not know it yet (`child` after validation; None means create)."""

    cpr = forms.CharField(
        label=_("Barnets CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg."),
        error_messages={"required": _("Skriv barnets CPR-nummer.")},
        widget=forms.TextInput(attrs={"class": "input-width-s", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("Barnets fornavn"),
        max_length=100,
        required=False,
        help_text=_("Kun hvis barnet ikke findes i Tidlig i forvejen."),
    )
    last_name = forms.CharField(label=_("Barnets efternavn"), max_length=100, required=False)

    class Meta:
        model = Underretning
        fields = ["received_at", "channel", "source", "notifier", "notifier_contact", "about"]
        labels = {
            "received_at": _("Hvornår modtog kommunen underretningen?"),
            "notifier": _("Underretterens navn og funktion"),
        }
        help_texts = {
            "received_at": _(
                "Fristerne (vurdering inden for 24 timer, kvittering inden for 6 hverdage) "
                "regnes fra dette tidspunkt."
            ),
            "notifier": _("Tomt, hvis underretningen er anonym."),
            "about": _("Underretningens indhold: hvad er set eller hørt, og hvornår."),
        }
        error_messages = {
            "received_at": {
                "required": _("Skriv, hvornår kommunen modtog underretningen."),
                "invalid": _("Skriv en gyldig dato og et gyldigt klokkeslæt."),
            },
            "about": {"required": _("Skriv, hvad underretningen handler om.")},
        }
        widgets = {
            "received_at": DateTimeInput(attrs={"class": "input-width-m"}),
            "channel": forms.RadioSelect,
            "source": forms.RadioSelect,
            "about": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child: Child | None = None
        self.cpr_digits = ""
        now = timezone.localtime()
        received = cast(forms.DateTimeField, self.fields["received_at"])
        # In self.initial: a ModelForm's initial from its (new) instance would win.
        self.initial.setdefault("received_at", None)
        self.initial["received_at"] = self.initial["received_at"] or now.replace(
            second=0, microsecond=0
        )
        received.widget.attrs["max"] = now.strftime("%Y-%m-%dT%H:%M")
        # "I Tidlig" is how a professional's own registration comes in, not a choice here.
        channel = cast(forms.ChoiceField, self.fields["channel"])
        channel.choices = [c for c in Underretning.Channel.choices if c[0] != "tidlig"]
        channel.initial = Underretning.Channel.PHONE

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        _not_in_the_future(received_at, _("Tidspunktet kan ikke ligge i fremtiden."))
        validate_not_too_early(received_at.date())
        return received_at

    def clean_cpr(self) -> str:
        self.cpr_digits = cpr.validate(self.cleaned_data["cpr"])
        self.child = Child.objects.with_cpr(self.cpr_digits).first()
        return self.cpr_digits

    def clean(self) -> dict:
        data = super().clean() or {}
        if self.cpr_digits and self.child is None:
            for name in ("first_name", "last_name"):
                if not data.get(name, "").strip():
                    self.add_error(
                        name,
                        _("Barnet findes ikke i Tidlig endnu: skriv navnet, så det oprettes."),
                    )
        source = data.get("source")
        if source == Underretning.Source.PROFESSIONAL and not data.get("notifier", "").strip():
            self.add_error(
                "notifier",
                _("Skriv fagpersonens navn og funktion: fagpersonen skal have en kvittering."),
            )
        if source == Underretning.Source.ANONYMOUS:
            data["notifier"] = data["notifier_contact"] = ""
        return data


class UnderretningAssessmentForm(DKFDSFormMixin, forms.ModelForm):
    """The assessment within 24 hours and the decision (Barnets Lov § 136; §§ 18-20)."""

    acute = forms.TypedChoiceField(
        label=_("Er barnets sundhed eller udvikling i akut fare?"),
        choices=[("ja", _("Ja, der skal handles nu")), ("nej", _("Nej"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, om barnet er i akut fare.")},
    )

    class Meta:
        model = Underretning
        fields = ["assessed_at", "acute", "decision", "decision_reason"]
        labels = {
            "assessed_at": _("Vurderet"),
            "decision": _("Beslutning"),
            "decision_reason": _("Begrundelse"),
        }
        help_texts = {
            "decision_reason": _(
                "Skal udfyldes, når underretningen ikke fører til yderligere handling."
            ),
        }
        error_messages = {
            "assessed_at": {
                "required": _("Skriv, hvornår underretningen blev vurderet."),
                "invalid": _("Skriv en gyldig dato og et gyldigt klokkeslæt."),
            },
            "decision": {
                "required": _("Vælg en beslutning."),
                # The only choice that can go: sending it to a case the child does not have.
                "invalid_choice": _("Barnet har ingen åben sag. Vælg en anden beslutning."),
            },
        }
        widgets = {
            "assessed_at": DateTimeInput(attrs={"class": "input-width-m"}),
            "decision": forms.RadioSelect,
            "decision_reason": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, open_case: Case | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.open_case = open_case
        for name in ("assessed_at", "decision"):
            self.fields[name].required = True
        assessed = cast(forms.DateTimeField, self.fields["assessed_at"])
        now = timezone.localtime()
        assessed.widget.attrs["max"] = now.strftime("%Y-%m-%dT%H:%M")
        if self.instance.assessed_at is None:
            # In self.initial: the instance's empty value would win over a field's.
            self.initial["assessed_at"] = now.replace(second=0, microsecond=0)
        if self.instance.acute is not None:
            self.initial["acute"] = "ja" if self.instance.acute else "nej"
        decision = cast(forms.ChoiceField, self.fields["decision"])
        choices = list(Underretning.Decision.choices)
        if open_case is None:
            choices = [c for c in choices if c[0] != Underretning.Decision.COORDINATOR]
        decision.choices = choices

    def clean_assessed_at(self):
        assessed_at = self.cleaned_data["assessed_at"]
        _not_in_the_future(assessed_at, _("Tidspunktet kan ikke ligge i fremtiden."))
        # The form has minutes; an underretning received at 16:48:30 and assessed at
        # 16:48 was assessed in the same minute, not before it came.
        if assessed_at < self.instance.received_at.replace(second=0, microsecond=0):
            raise ValidationError(_("Vurderingen kan ikke ligge før underretningen blev modtaget."))
        return assessed_at

    def clean(self) -> dict:
        data = super().clean() or {}
        no_action = data.get("decision") == Underretning.Decision.NO_ACTION
        if no_action and not data.get("decision_reason", "").strip():
            self.add_error("decision_reason", _("Skriv, hvorfor der ikke skal ske mere."))
        return data


# Roles whose people can be on a case's team: never forvaltning or the administrator.
TEAM_ROLES = (Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT)


def _people_by_unit(memberships) -> list:
    """Grouped choices (unit → people) for a select, from Membership rows."""
    groups: dict[str, list] = {}
    for m in memberships.select_related("unit", "user").order_by(
        "unit__name", "user__first_name", "user__last_name"
    ):
        label = m.user.get_full_name() or m.user.username
        if m.user.title:
            label = f"{label}, {m.user.title}"
        groups.setdefault(m.unit.name, []).append((m.user_id, label))
    return [("", _("Vælg en person")), *groups.items()]


# The choice that gives the level back to the rule (Case.set_prevention_level).
DERIVED = "afledt"


class PreventionLevelForm(DKFDSFormMixin, forms.Form):
    """The coordinator's choice of prevention level, against the one derived from
    the step and the zone, with the reason; or back to the derived one."""

    level = forms.ChoiceField(
        label=_("Forebyggelsesniveau"),
        help_text=_(
            "Primær: for alle børn. Sekundær: for børn med begyndende vanskeligheder. "
            "Tertiær: for børn med store eller langvarige vanskeligheder."
        ),
        error_messages={"required": _("Vælg et forebyggelsesniveau.")},
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        required=False,
        help_text=_(
            "Skal udfyldes, når du selv vælger niveauet: hvorfor passer det afledte ikke på barnet?"
        ),
        widget=forms.Textarea(attrs={"class": "input-width-xl", "rows": 3}),
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        derived = PreventionLevel(case.derived_prevention_level())
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            (
                DERIVED,
                _("Afledt af trin og zone (nu: %(level)s)") % {"level": derived.label},
            ),
            *PreventionLevel.choices,
        ]
        self.initial.setdefault("level", case.prevention_level_override or DERIVED)
        self.initial.setdefault("reason", case.prevention_level_reason)

    def clean(self) -> dict:
        data = super().clean() or {}
        level = data.get("level")
        if level == DERIVED:
            data["level"], data["reason"] = "", ""
        elif level and not data.get("reason", "").strip():
            self.add_error(
                "reason", _("Skriv, hvorfor sagen skal have et andet niveau end det afledte.")
            )
        return data


class CaseSummaryForm(DKFDSFormMixin, forms.ModelForm):
    """What the coordinator shares of the case with the child's units: all they
    see of it (children.access.may_see_case)."""

    class Meta:
        model = Case
        fields = ["shared_summary"]
        labels = {"shared_summary": _("Resumé til barnets dagtilbud, skole og SFO")}
        widgets = {"shared_summary": forms.Textarea(attrs={"rows": 6})}


class CaseMemberForm(DKFDSFormMixin, forms.Form):
    user = forms.TypedChoiceField(
        label=_("Hvem skal med i teamet?"),
        coerce=int,
        error_messages={"required": _("Vælg den fagperson, der skal med i teamet.")},
    )
    profession = forms.CharField(
        label=_("Faglighed"),
        max_length=100,
        required=False,
        help_text=_("F.eks. pædagog, lærer, psykolog, sundhedsplejerske. Tom: personens stilling."),
        widget=forms.TextInput(attrs={"class": "input-width-l"}),
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        taken = [case.coordinator_id, *case.members.values_list("user_id", flat=True)]
        memberships = Membership.objects.filter(role__in=TEAM_ROLES, user__is_active=True).exclude(
            user_id__in=taken
        )
        cast(forms.ChoiceField, self.fields["user"]).choices = _people_by_unit(memberships)

    def clean_user(self) -> User:
        return User.objects.get(pk=self.cleaned_data["user"])

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        user = data.get("user")
        if user is not None and not data.get("profession"):
            if not user.title:
                self.add_error("profession", _("Skriv personens faglighed."))
            data["profession"] = user.title
        return data


class InterventionForm(DKFDSFormMixin, forms.ModelForm):
    end_current = forms.BooleanField(
        label=_("Afslut de nuværende indsatser, når den nye starter"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Intervention
        fields = ["step", "kind", "provider", "start", "end"]
        labels = {
            "step": _("Trin på Indsatstrappen"),
            "kind": _("Indsats"),
            "provider": _("Leverandør"),
            "start": _("Start"),
            "end": _("Slut"),
        }
        help_texts = {
            "kind": _("F.eks. familiebehandling, støtte i dagtilbuddet, kontaktperson."),
            "provider": _("Hvem udfører indsatsen?"),
            "end": _("Kan vente, til indsatsen er slut."),
        }
        error_messages = {
            "step": {"required": _("Vælg et trin på Indsatstrappen.")},
            "kind": {"required": _("Skriv, hvilken indsats det er.")},
            "start": {
                "required": _("Skriv, hvornår indsatsen starter."),
                "invalid": _("Skriv datoen som dd-mm-åååå."),
            },
            "end": {"invalid": _("Skriv datoen som dd-mm-åååå.")},
        }
        widgets = {
            "step": forms.RadioSelect,
            "kind": forms.TextInput(attrs={"class": "input-width-xl"}),
            "provider": forms.TextInput(attrs={"class": "input-width-xl"}),
            "start": DateInput(),
            "end": DateInput(),
        }

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        cast(forms.ChoiceField, self.fields["step"]).choices = list(Step.choices)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < self.case.opened_on:
            self.add_error(
                "start",
                _("Indsatsen kan ikke starte før sagen blev åbnet (%(date)s).")
                % {"date": self.case.opened_on.strftime("%d.%m.%Y")},
            )
        return start

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatoen skal være samme dag som starten eller senere."))
        return data


class InterventionEndForm(DKFDSFormMixin, forms.Form):
    end = forms.DateField(
        label=_("Slut"),
        error_messages={
            "required": _("Skriv, hvornår indsatsen sluttede."),
            "invalid": _("Skriv datoen som dd-mm-åååå."),
        },
        widget=DateInput(),
    )

    def __init__(self, *args, intervention: Intervention, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention

    def clean_end(self):
        end = self.cleaned_data["end"]
        if end < self.intervention.start:
            raise forms.ValidationError(
                _("Slutdatoen skal være samme dag som starten eller senere.")
            )
        return end


class HandoverForm(DKFDSFormMixin, forms.ModelForm):
    to_user = forms.TypedChoiceField(
        label=_("Ny tovholder"),
        coerce=int,
        help_text=_("En rådgiver i Børn & Ungerådgivningen. Vedkommende skal sige ja først."),
        error_messages={"required": _("Vælg den rådgiver, der skal overtage sagen.")},
    )

    class Meta:
        model = Handover
        fields = ["to_user", "note", "stay_on_team"]
        labels = {
            "note": _("Besked til den nye tovholder"),
            "stay_on_team": _("Jeg bliver i teamet efter overdragelsen"),
        }
        help_texts = {
            "note": _("Hvad skal den nye tovholder vide først?"),
        }
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        memberships = Membership.objects.filter(
            role=Role.RAADGIVER, unit__kind=UnitKind.RAADGIVNING, user__is_active=True
        ).exclude(user_id=case.coordinator_id)
        cast(forms.ChoiceField, self.fields["to_user"]).choices = _people_by_unit(memberships)

    def clean_to_user(self) -> User:
        return User.objects.get(pk=self.cleaned_data["to_user"])


# The follow-up meeting (followups.meeting_views). A meeting starts from the last
# agreements: what was done, what helped, where on the scale now, the zone now,
# and then the decision.


class StepChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, step: NextStep) -> str:
        return _("%(text)s (%(owner)s, senest %(due)s)") % {
            "text": step.text,
            "owner": step.owner_label,
            "due": step.due.strftime("%d.%m.%Y"),
        }


class MeetingForm(DKFDSFormMixin, forms.ModelForm):
    """The meeting as held: who came, the steps done, the zone now, minutes, decision.

    The zone also becomes an assessment on Børnelinealen (with `what_works` and
    `what_worries`), and the steps ticked are marked done (meeting_views). The next
    steps agreed at the meeting are a formset of LØFT's rows (MeetingStepFormSet).
    """

    steps_done = StepChoiceField(
        label=_("Næste skridt, der er gjort"),
        queryset=NextStep.objects.none(),
        required=False,
        help_text=_(
            "Hvad er gjort siden sidst? Sæt flueben ved de skridt, der er gjort. "
            "De andre forbliver åbne."
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    what_works = forms.CharField(
        label=_("Det der hjælper"),
        required=False,
        help_text=_("Hvad hjalp? Hvad fungerer nu, som ikke gjorde før? Hvad gør I mere af?"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    zone = ZoneField(
        label=_("Zonen på Børnelinealen nu"),
        error_messages={"required": _("Vælg barnets zone på Børnelinealen nu.")},
    )
    what_worries = forms.CharField(
        label=_("Det der stadig bekymrer"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    decision = forms.ChoiceField(
        label=_("Beslutning"),
        choices=Decision.choices,
        help_text=_(
            "Fortsæt som nu, justér indsatsen, gå et trin ned eller op ad Indsatstrappen, "
            "eller afslut sagen."
        ),
        error_messages={"required": _("Vælg mødets beslutning.")},
        widget=forms.RadioSelect,
    )
    new_step = forms.TypedChoiceField(
        label=_("Trin på Indsatstrappen"),
        choices=Step.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    new_kind = forms.CharField(
        label=_("Indsats"),
        max_length=200,
        required=False,
        help_text=_("F.eks. familiebehandling, støtte i dagtilbuddet, kontaktperson."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    new_provider = forms.CharField(
        label=_("Leverandør"),
        max_length=200,
        required=False,
        help_text=_("Hvem udfører indsatsen?"),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    next_on = forms.DateField(
        label=_("Næste møde"),
        required=False,
        help_text=_(
            "Som udgangspunkt tre måneder efter mødet; ret datoen, hvis I aftaler en anden. "
            "Tom: tre måneder efter mødet. Bruges ikke, når sagen afsluttes."
        ),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
        widget=DateInput(attrs={"class": "input-width-s"}),
    )

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "participants",
            "parents_present",
            "others",
            "zone",
            "minutes",
            "decision",
        ]
        labels = {
            "held_on": _("Mødet blev holdt"),
            "participants": _("Fagpersoner, der deltog"),
            "parents_present": _("Forældrene deltog"),
            "others": _("Andre deltagere"),
            "minutes": _("Referat"),
        }
        help_texts = {
            "others": _("Én pr. linje, med navn og rolle. Fx »Mormor Inge« eller »Jens, PPR«."),
            "minutes": _(
                "Hvad blev gjort siden sidst, hvad hjalp, og hvor er I nu på skalaen fra 0 "
                "til 10? Skriv det, så forældrene kan læse det."
            ),
        }
        error_messages = {
            "held_on": {
                "required": _("Skriv datoen for mødet."),
                "invalid": _("Skriv en gyldig dato."),
            },
            "minutes": {"required": _("Skriv et kort referat af mødet.")},
        }
        widgets = {
            "held_on": DateInput(attrs={"class": "input-width-s"}),
            "participants": forms.CheckboxSelectMultiple,
            "others": forms.Textarea(attrs={"class": "input-width-xl", "rows": 2}),
            "minutes": forms.Textarea(attrs={"class": "input-width-xl", "rows": 8}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance.case
        self.case = case
        team = [case.coordinator_id, *case.members.values_list("user_id", flat=True)]
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])
        participants.queryset = User.objects.filter(pk__in=team).order_by(
            "first_name", "last_name", "username"
        )
        # The open steps, and those ticked that someone marked done meanwhile (not an error).
        data = cast(MultiValueDict, self.data)  # request.POST, or empty when unbound
        ticked = [pk for pk in data.getlist(self.add_prefix("steps_done")) if pk.isdecimal()]
        steps_done = cast(forms.ModelMultipleChoiceField, self.fields["steps_done"])
        steps_done.queryset = (
            NextStep.objects.filter(
                Q(dialogue__status=Status.FINAL) | Q(meeting__case=case), child_id=case.child_id
            )
            .filter(Q(done_on__isnull=True) | Q(pk__in=ticked))
            .select_related("owner_user", "owner_guardian")
            .order_by("due", "pk")
        )
        self.fields["held_on"].required = True
        self.fields["minutes"].required = True
        today = timezone.localdate()
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()
        if not self.instance.is_held:
            # The instance's empty values would win over a field's initial value.
            self.initial.update(
                held_on=today,
                participants=[case.coordinator_id],
                next_on=follow_up_date(today),
            )
        # The step the decision moves from: the highest under way today, else the
        # last one the case had (None: it never had one).
        self.current_step = case.current_step()
        if self.current_step is None:
            last = case.interventions.order_by("-start", "-pk").first()
            self.last_step = last.step if last else None
        else:
            self.last_step = self.current_step
        # Down is the direction of travel: one step below, to start from.
        if self.last_step is not None:
            self.initial.setdefault("new_step", max(self.last_step - 1, Step.EARLY))
        new_step = cast(forms.ChoiceField, self.fields["new_step"])
        new_step.help_text = self._step_hint()
        new_step.choices = [(step.value, f"{step.value} · {step.label}") for step in Step]

    def _step_hint(self) -> str:
        if self.current_step is not None:
            return _("Sagen er nu på trin %(step)s.") % {"step": self.current_step}
        if self.last_step is not None:
            return _("Sagen har ingen indsats i gang; den seneste var på trin %(step)s.") % {
                "step": self.last_step
            }
        return str(_("Sagen har ingen indsats endnu."))

    @property
    def zone_options(self) -> list[tuple]:
        """(radio, zone style) for the clickable ruler (ruler/includes/ruler_input.html)."""
        return [(radio, zones.style(int(radio.data["value"]))) for radio in self["zone"]]

    def clean_held_on(self) -> date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("Et møde kan ikke være holdt i fremtiden."))
        if held_on < self.case.opened_on:
            raise ValidationError(
                _("Datoen kan ikke ligge før sagen blev åbnet (%(date)s).")
                % {"date": self.case.opened_on.strftime("%d.%m.%Y")}
            )
        return held_on

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        held_on, next_on = cleaned.get("held_on"), cleaned.get("next_on")
        self._clean_new_intervention(cleaned)
        if cleaned.get("decision") == Decision.CLOSE:
            cleaned["next_on"] = None  # the case closes: no next meeting
        elif held_on and next_on and next_on <= held_on:
            self.add_error("next_on", _("Næste møde skal ligge efter dette møde."))
        elif next_on:
            try:
                validate_planned_date(next_on)
            except ValidationError as error:
                self.add_error("next_on", error)
        return cleaned

    def _clean_new_intervention(self, cleaned: dict) -> None:
        """Trin ned, trin op and justér start a new intervention (`new_intervention`,
        else None): its step must go the way the decision says."""
        cleaned["new_intervention"] = None
        decision = cleaned.get("decision")
        if decision not in CHANGES_INTERVENTION:
            return
        step, kind = cleaned.get("new_step"), cleaned.get("new_kind", "").strip()
        if step is None:
            self.add_error("new_step", _("Vælg trinnet for den nye indsats."))
        if not kind:
            self.add_error("new_kind", _("Skriv, hvilken indsats barnet skal have nu."))
        before = self.last_step
        if step is not None and before is not None:
            if decision == Decision.STEP_DOWN and step >= before:
                self.add_error(
                    "new_step",
                    _("Trin ned skal være et lavere trin end det nuværende (trin %(step)s).")
                    % {"step": before},
                )
            elif decision == Decision.STEP_UP and step <= before:
                self.add_error(
                    "new_step",
                    _("Trin op skal være et højere trin end det nuværende (trin %(step)s).")
                    % {"step": before},
                )
        if step is not None and kind and not self.has_error("new_step"):
            cleaned["new_intervention"] = NewIntervention(
                step=step, kind=kind, provider=cleaned.get("new_provider", "").strip()
            )


# The next steps agreed at a meeting: LØFT's rows, none required (a meeting that
# closes the case may agree none).
MeetingStepFormSet = forms.formset_factory(NextStepForm, extra=0, min_num=3, max_num=12)


def meeting_step_owners(case: Case) -> list[tuple[str, str]]:
    """Who may own a step agreed at the meeting: the case team (who alone see the
    meeting's steps), the child's parents and the child."""
    team = User.objects.filter(
        Q(pk=case.coordinator_id) | Q(case_memberships__case=case)
    ).distinct()
    return owner_choices(case.child, list(team.order_by("first_name", "last_name", "username")))


class MeetingRescheduleForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["scheduled_on", "starts_at", "location"]
        labels = {
            "scheduled_on": _("Dato"),
            "starts_at": _("Klokken"),
            "location": _("Sted"),
        }
        help_texts = {
            "location": _(
                "Fx »Rådhuset, mødelokale 2«. Skriv ikke barnets navn: stedet står også i "
                "kalenderinvitationen."
            ),
        }
        error_messages = {
            "scheduled_on": {
                "required": _("Skriv datoen for mødet."),
                "invalid": _("Skriv en gyldig dato."),
            },
            "starts_at": {
                "required": _("Skriv, hvornår mødet begynder."),
                "invalid": _("Skriv et gyldigt klokkeslæt, fx 09:30."),
            },
        }
        widgets = {
            "scheduled_on": DateInput(attrs={"class": "input-width-s"}),
            "starts_at": forms.TimeInput(
                attrs={"class": "input-width-xs", "type": "time"}, format="%H:%M"
            ),
            "location": forms.TextInput(attrs={"class": "input-width-xl"}),
        }

    def clean_scheduled_on(self) -> date:
        scheduled_on = self.cleaned_data["scheduled_on"]
        if scheduled_on < timezone.localdate():
            raise ValidationError(_("Vælg en dato fra i dag og frem."))
        validate_planned_date(scheduled_on)
        return scheduled_on
