from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.groups import clean_name, default_kind, same_name_group, sort_key
from accounts.models import (
    District,
    GroupKind,
    Membership,
    Role,
    Unit,
    UnitGroup,
    UnitKind,
    User,
)
from tidlig.lib.forms import DKFDSFormMixin


class UnitForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "district", "phone", "active"]
        help_texts = {
            "active": _(
                "En lukket enhed slettes ikke, fordi børnenes indskrivninger peger på den, "
                "men den kan ikke vælges til nye medlemskaber."
            )
        }


class UnitFilterForm(DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Alle typer")), *UnitKind.choices], required=False
    )
    district = forms.ModelChoiceField(
        District.objects.all(),
        label=_("Distrikt"),
        empty_label=_("Alle distrikter"),
        required=False,
    )

    def filter(self, units: QuerySet[Unit]) -> QuerySet[Unit]:
        if self.is_valid():
            if self.cleaned_data["kind"]:
                units = units.filter(kind=self.cleaned_data["kind"])
            if self.cleaned_data["district"]:
                units = units.filter(district=self.cleaned_data["district"])
        return units


class DistrictForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = District
        fields = ["name"]


class UserForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "title", "is_active"]
        labels = {"is_active": _("Aktiv (kan logge ind)")}
        help_texts = {
            "is_active": _(
                "Fjern fluebenet, når medarbejderen holder op. Brugeren logges straks ud "
                "alle steder; brugeren slettes ikke, så historikken bevares."
            )
        }

    def __init__(self, *args, editor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean_is_active(self) -> bool:
        active = self.cleaned_data["is_active"]
        if not active and self.instance.pk == self.editor.pk:
            raise forms.ValidationError(_("Du kan ikke deaktivere dig selv."))
        return active


class UserFilterForm(DKFDSFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Søg på navn, brugernavn eller e-mail"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    unit = forms.ModelChoiceField(
        Unit.objects.all(), label=_("Enhed"), empty_label=_("Alle enheder"), required=False
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=[("", _("Alle roller")), *Role.choices], required=False
    )

    def filter(self, users: QuerySet[User]) -> QuerySet[User]:
        if not self.is_valid():
            return users
        for word in self.cleaned_data["q"].split():
            users = users.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        # One filter() call, so unit and role must hold for the same membership.
        membership = {}
        if self.cleaned_data["unit"]:
            membership["memberships__unit"] = self.cleaned_data["unit"]
        if self.cleaned_data["role"]:
            membership["memberships__role"] = self.cleaned_data["role"]
        if membership:
            users = users.filter(**membership).distinct()
        return users


class SetPasswordForm(DKFDSFormMixin, forms.Form):
    password1 = forms.CharField(label=_("Ny adgangskode"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Gentag adgangskoden"), widget=forms.PasswordInput)

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.user)
        return password

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("De to adgangskoder er ikke ens."))
        return second


class ResetPasswordForm(SetPasswordForm):
    """The same form behind an emailed reset link: Django's reset view passes
    the user first and saves through the form."""

    user: User

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"

    def save(self, commit: bool = True) -> User:
        self.user.set_password(self.cleaned_data["password2"])
        if commit:
            self.user.save(update_fields=["password"])
        return self.user


class EmailForm(DKFDSFormMixin, PasswordResetForm):
    """Glemt adgangskode: Django's form, which emails a link to an active user."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mailadresse")


ROLE_CHOICES = [("", _("Vælg rolle")), *Role.choices]


class NewUserForm(UserForm):
    unit = forms.ModelChoiceField(
        Unit.objects.filter(active=True), label=_("Enhed"), empty_label=_("Vælg enhed")
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, label=_("Rolle"))

    class Meta(UserForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "title"]


class MembershipForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "role"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = Unit.objects.filter(active=True)
        unit.empty_label = _("Vælg enhed")
        cast(forms.ChoiceField, self.fields["role"]).choices = ROLE_CHOICES

    def clean_unit(self) -> Unit:
        unit = self.cleaned_data["unit"]
        if Membership.objects.filter(user=self.user, unit=unit).exists():
            raise forms.ValidationError(_("Brugeren er allerede medlem af denne enhed."))
        return unit


class UnitGroupForm(DKFDSFormMixin, forms.ModelForm):
    """A group of `unit`: a new one (always active) or an existing one, renamed,
    of another kind, or closed."""

    class Meta:
        model = UnitGroup
        fields = ["name", "kind", "active"]
        # Not just "Navn" and "Type": on the unit's page they stand beside the unit's own.
        labels = {"name": _("Gruppens navn"), "kind": _("Gruppetype"), "active": _("Aktiv")}
        help_texts = {
            "active": _(
                "En lukket gruppe slettes ikke, fordi indskrivninger og medlemskaber kan pege "
                "på den, men den kan ikke vælges til nye medlemskaber eller ved import."
            )
        }

    def __init__(self, *args, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["name"].widget.attrs["class"] = "form-input input-width-s"
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", _("Vælg type")), *GroupKind.choices]
        if self.instance.pk is None:
            kind.initial = default_kind(unit)
            del self.fields["active"]

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        other = same_name_group(self.unit, name)
        if other is not None and other.pk != self.instance.pk:
            raise forms.ValidationError(
                _("Enheden har allerede en gruppe, der hedder %(name)s.") % {"name": other.name}
            )
        return name

    def save(self, commit: bool = True) -> UnitGroup:
        self.instance.unit = self.unit
        return super().save(commit)


class GroupChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        for group in sorted(self.queryset, key=lambda g: sort_key(g.name)):
            yield self.choice(group)


class GroupChoiceField(forms.ModelMultipleChoiceField):
    """A unit's groups as checkboxes, 9.B before 10.A."""

    iterator = GroupChoiceIterator

    def label_from_instance(self, obj: UnitGroup) -> str:
        return obj.name if obj.active else str(_("%(name)s (lukket)") % {"name": obj.name})


class MembershipEditForm(DKFDSFormMixin, forms.ModelForm):
    """A membership's role and, for a fagperson, the groups of the unit it is
    limited to (none: the whole unit). The unit itself is not changed: remove the
    membership and add another."""

    groups = GroupChoiceField(
        UnitGroup.objects.none(),
        label=_("Begræns til grupper"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kun for fagpersoner: fagpersonen ser kun børnene i de valgte grupper. "
            "Vælg ingen for hele enheden. En leder ser altid hele enheden."
        ),
    )

    class Meta:
        model = Membership
        fields = ["role", "groups"]

    def __init__(self, *args, editor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        unit = self.instance.unit
        # The unit's active groups, and the closed ones the membership still names
        # (so that saving the page does not drop them unasked).
        chosen = self.instance.groups.values("pk") if self.instance.pk else []
        groups = cast(GroupChoiceField, self.fields["groups"])
        groups.queryset = UnitGroup.objects.filter(unit=unit).filter(
            Q(active=True) | Q(pk__in=chosen)
        )

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        own_admin = self.instance.user_id == self.editor.pk
        if own_admin and self.instance.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
            raise forms.ValidationError(_("Du kan ikke fjerne din egen administratorrolle."))
        return role

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        role, groups = cleaned.get("role"), cleaned.get("groups")
        if role and groups and role != Role.FAGPERSON:
            if role == Role.LEDER:
                message = _(
                    "En leder ser altid hele enheden. Fjern grupperne, eller vælg rollen fagperson."
                )
            else:
                message = _("Kun en fagpersons medlemskab kan begrænses til grupper.")
            self.add_error("groups", message)
        return cleaned


class MFACodeForm(DKFDSFormMixin, forms.Form):
    """The code after the password: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode"),
        max_length=32,
        error_messages={"required": _("Skriv koden fra din godkenderapp.")},
        widget=forms.TextInput(
            attrs={
                "class": "input-width-s",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
