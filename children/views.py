from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from children import audit, export, listing, timeline
from children.access import (
    EXPORT_ROLES,
    UNIT_ROLES,
    get_child_for_export,
    get_child_for_user,
    visible_children,
)
from children.forms import ChildSearchForm, ConcernForm
from children.models import Child, Concern, Enrollment
from tidlig.lib.pdf import pdf_response, render_pdf

PAGE_SIZE = 50


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def child_list(request: HttpRequest) -> HttpResponse:
    # The search term may be a CPR number. A GET form would put it in the URL, and
    # from there in the browser history and every server and proxy log on the way,
    # so the search form posts. The unit filter and the page number are harmless:
    # a plain listing keeps them in the query string, where a page can be
    # bookmarked. With a term, the pagination buttons submit the same form
    # (name="side"), so the term travels in the POST body from page to page.
    # Nothing changes on a search, so there is no redirect after the POST (it would
    # need the term in the URL or the session); the results are rendered directly.
    if request.user.has_role(Role.FORVALTNING, Role.ADMINISTRATOR):
        return render(request, "children/child_list.html", {"no_child_data": True})

    params = request.POST if request.method == "POST" else request.GET
    extensions = listing.extensions()
    filter_names = ["enhed", *(extension.name for extension in extensions)]
    form = ChildSearchForm(
        {"q": request.POST.get("q", ""), **{name: params.get(name, "") for name in filter_names}},
        units=list(request.user.units_with_role(*UNIT_ROLES)),
    )
    form.is_valid()
    term = form.cleaned_data.get("q", "")
    unit = form.cleaned_data.get("enhed")
    # The filters in force, for the page links (never the term: it may be a CPR number).
    filter_query = urlencode(
        {name: form.data[name] for name in filter_names if form.cleaned_data.get(name)}
    )

    children = visible_children(request.user).order_by("first_name", "last_name", "pk")
    if unit is not None:
        in_unit = Enrollment.objects.active().filter(child=OuterRef("pk"), unit=unit)
        children = children.filter(Exists(in_unit))
    for extension in extensions:
        children = extension.annotate(children)
        if value := form.cleaned_data.get(extension.name):
            children = extension.apply(children, value)
    if form.has_error("q"):
        children = children.none()
    elif term:
        children = children.search(term)
    children = children.prefetch_related(
        Prefetch(
            "enrollments",
            queryset=Enrollment.objects.active().select_related("unit"),
            to_attr="active_enrollments",
        )
    )
    page = Paginator(children, PAGE_SIZE).get_page(params.get("side"))
    if term:
        audit.log_search(request.user, term, [child.pk for child in page])

    context = {
        "form": form,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "term": term,
        "unit": unit,
        "filter_query": filter_query,
        "extensions": extensions,
    }
    template = "children/child_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@never_cache
@require_http_methods(["GET"])
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk)
    return _child_page(request, child, concern_form=ConcernForm())


@login_required
@never_cache
@require_POST
def child_reveal_cpr(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk, action=audit.Event.REVEAL_CPR)
    if request.htmx:
        context = {"child": child, "cpr": child.reveal_cpr()}
        return render(request, "children/child_detail.html#cpr", context)
    return _child_page(request, child, concern_form=ConcernForm(), cpr=child.reveal_cpr())


@login_required
@never_cache
@require_POST
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk, action=audit.Event.CHANGE)
    form = ConcernForm(request.POST)
    if form.is_valid():
        concern = form.save(commit=False)
        concern.child = child
        concern.author = request.user
        concern.save()
        messages.success(request, _("Bekymringen er gemt."))
        return redirect(child)

    # Nothing was saved, so auditlog wrote nothing; showing the child page again is a read.
    audit.log_access(request.user, child, audit.Event.READ, what=request.path)
    return _child_page(request, child, concern_form=form)


@login_required
@never_cache
@require_http_methods(["GET"])
def child_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the child, for a parent's access request (children.export).

    The export is logged before the PDF is made, so the trail it prints ends with it.
    """
    child = get_child_for_export(request, pk)
    prefetch_related_objects(
        [child],
        "guardians",
        Prefetch("enrollments", queryset=Enrollment.objects.select_related("unit")),
        Prefetch(
            "concerns", queryset=Concern.objects.select_related("author").order_by("observed_on")
        ),
    )
    context = {
        "child": child,
        "sections": export.sections_for(child),
        "trail": export.trail_rows(child),
        "municipality": settings.MUNICIPALITY_NAME,
        "printed_on": timezone.localdate(),
        "printed_by": request.user,
    }
    pdf = render_pdf("children/export_pdf.html", context, request=request)
    return pdf_response(pdf, f"indsigt-{child.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


def _child_page(
    request: HttpRequest, child: Child, *, concern_form: ConcernForm, cpr: str = ""
) -> HttpResponse:
    # One query per relation, whatever the child's history; the timeline providers
    # of children.timeline_providers read the same prefetched rows.
    prefetch_related_objects(
        [child],
        "guardians",
        Prefetch(
            "enrollments", queryset=Enrollment.objects.select_related("unit").order_by("-start")
        ),
        Prefetch("concerns", queryset=Concern.objects.select_related("author")),
    )
    enrollments = child.enrollments.all()
    context = {
        "child": child,
        "cpr": cpr,
        "concern_form": concern_form,
        "enrollments": enrollments,
        "current_units": [enrollment.unit for enrollment in enrollments if enrollment.is_active],
        "events": timeline.events_for(child, request.user),
        "panels": timeline.panels_for(child, request),
        "header_panels": timeline.panels_for(child, request, slot="header"),
        "may_export": request.user.has_role(*EXPORT_ROLES),
    }
    return render(request, "children/child_detail.html", context)
