"""The archive of quarterly reports, for the forvaltning.

The forvaltning reads the archived PDFs and may order any past quarter; the
report is made by a worker (reports.tasks.generate_report) while the progress
page polls with htmx. The reports hold aggregates only, with small counts
suppressed, and an archived report is never changed: there is no edit or
delete view.
"""

from typing import cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from reports import generate
from reports.models import QuarterlyReport
from reports.tasks import generate_report
from tidlig.lib.dates import Quarter
from tidlig.lib.forms import DKFDSFormMixin
from tidlig.lib.once import submit_once
from tidlig.lib.pdf import pdf_response
from tidlig.lib.tasks import enqueue_on_commit

# How many past quarters can be ordered: three years back.
ORDERABLE_QUARTERS = 12


def past_quarters(today=None) -> list[Quarter]:
    quarter = Quarter.containing(today or timezone.localdate()).previous()
    result = []
    for _i in range(ORDERABLE_QUARTERS):
        result.append(quarter)
        quarter = quarter.previous()
    return result


class ReportRequestForm(DKFDSFormMixin, forms.Form):
    quarter = forms.ChoiceField(label=_("Kvartal"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarter = cast(forms.ChoiceField, self.fields["quarter"])
        quarter.choices = [(str(q), q.label) for q in past_quarters()]

    def clean_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])


def _archive(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    reports = QuarterlyReport.objects.select_related("requested_by")
    return render(
        request, "reports/archive.html", {"reports": reports, "form": form}, status=status
    )


@role_required(Role.FORVALTNING)
@require_GET
def report_archive(request: HttpRequest) -> HttpResponse:
    return _archive(request, ReportRequestForm())


@role_required(Role.FORVALTNING)
@require_POST
@submit_once
def report_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return _archive(request, form, status=400)
    report = generate.report_request(quarter=form.cleaned_data["quarter"], user=request.user)
    # If the broker is down, the row waits for the 5-minute run (generate_stale_reports).
    enqueue_on_commit(generate_report, report.pk)
    return redirect("report_progress", pk=report.pk)


@role_required(Role.FORVALTNING)
@require_GET
def report_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(QuarterlyReport.objects.select_related("requested_by"), pk=pk)
    template = "reports/progress.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"report": report})


@role_required(Role.FORVALTNING)
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(QuarterlyReport, pk=pk)
    if not report.is_done or not report.pdf:
        raise Http404
    with report.pdf.open("rb") as pdf:
        return pdf_response(pdf.read(), report.filename)
