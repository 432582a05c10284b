"""The administrator's import of children from a CSV file (docs/import.md).

Administrators see no child data anywhere in Tidlig, so these pages show counts
and error lines only, never a name or CPR number of a child already in Tidlig.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from children import absence_import
from children.import_forms import MAX_UPLOAD_MB, ChildImportForm
from children.importer import import_children, template_csv


@role_required(Role.ADMINISTRATOR)
def child_import(request: HttpRequest) -> HttpResponse:
    result = None
    form = ChildImportForm()
    if request.method == "POST":
        form = ChildImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_children(
                form.cleaned_data["file"],
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            # Ready for the next (or the corrected) file.
            form = ChildImportForm()
    ctx = {"form": form, "result": result, "max_upload_mb": MAX_UPLOAD_MB}
    return render(request, "children/import/import.html", ctx)


@role_required(Role.ADMINISTRATOR)
@require_GET
def child_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tidlig-import-skabelon.csv"'
    return response


@role_required(Role.ADMINISTRATOR)
def absence_import_page(request: HttpRequest) -> HttpResponse:
    """The monthly absence (fravær) from the schools' and day care's systems
    (children.absence_import): counts and error lines only, like the import of children."""
    result = None
    form = ChildImportForm()
    if request.method == "POST":
        form = ChildImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = absence_import.import_absence(
                form.cleaned_data["file"],
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            form = ChildImportForm()
    ctx = {"form": form, "result": result, "max_upload_mb": MAX_UPLOAD_MB}
    return render(request, "children/import/absence.html", ctx)


@role_required(Role.ADMINISTRATOR)
@require_GET
def absence_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(absence_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tidlig-fravaer-skabelon.csv"'
    return response
