from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 10


class ChildImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        validators=[
            FileExtensionValidator(
                ["csv"], message=_("Vælg en CSV-fil. Filnavnet skal slutte på .csv.")
            )
        ],
        error_messages={
            "required": _("Vælg den CSV-fil, der skal importeres."),
            "empty": _("Filen er tom."),
        },
    )
    dry_run = forms.BooleanField(
        label=_("Kontrollér kun filen, og importér ikke noget"), required=False
    )

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                _("Filen fylder for meget. Den må højst fylde %(max)d MB.") % {"max": MAX_UPLOAD_MB}
            )
        return file
