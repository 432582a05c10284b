"""Form widgets in Det Fælles Designsystem's (DKFDS) markup."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        # The browser's date picker sends and expects ISO dates, whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


def dkfds_class(widget: forms.Widget) -> str:
    """The class DKFDS styles this kind of widget by ("" for none)."""
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
        return "form-checkbox"
    if widget.is_hidden or isinstance(widget, forms.RadioSelect):
        # Radios are drawn one by one (includes/field.html, the ruler), with form-radio.
        return ""
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"


class DKFDSFormMixin:
    """Give every widget its DKFDS class. A class set on the widget (a width such
    as `input-width-s`) comes after it."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            base = dkfds_class(widget)
            if base:
                widget.attrs["class"] = " ".join([base, *widget.attrs.get("class", "").split()])
