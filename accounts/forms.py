from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, Unit, User


class DkfdsFormMixin:
    """Give every widget Det Fælles Designsystem's classes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-checkbox")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-input")


class UnitForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "district", "active"]


class UserForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "title", "is_active"]
        labels = {"is_active": _("Aktiv (kan logge ind)")}

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


class SetPasswordForm(DkfdsFormMixin, forms.Form):
    password1 = forms.CharField(label=_("Ny adgangskode"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Gentag adgangskoden"), widget=forms.PasswordInput)

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("De to adgangskoder er ikke ens."))
        password_validation.validate_password(second, self.user)
        return second


class NewUserForm(UserForm):
    unit = forms.ModelChoiceField(Unit.objects.filter(active=True), label=_("Enhed"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Rolle"))

    class Meta(UserForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "title"]


class MembershipForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "role"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.filter(active=True)

    def clean_unit(self) -> Unit:
        unit = self.cleaned_data["unit"]
        if Membership.objects.filter(user=self.user, unit=unit).exists():
            raise forms.ValidationError(_("Brugeren er allerede medlem af denne enhed."))
        return unit
