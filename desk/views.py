"""The pages a person works from, each combining several apps: the front page,
Mine børn, the child page, the unit overview, an assessment with what to do next,
and the access-request PDF.

Every page that shows a child starts with `get_child_for_user` (children.access).
The apps below offer plain queries (ruler.queries, loeft.queries,
followups.queries); the pages call them directly.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, Unit
from children import absence, audit, consent_views
from children.access import (
    UNIT_ROLES,
    get_child_for_export,
    get_child_for_user,
    get_child_object,
    may_change_child,
    may_export,
    may_see_case,
    readable_absence,
    readable_entries,
    visible_children,
)
from children.models import AbsenceRecord, Child, Concern, Enrollment
from desk import export, front, history, timeline, transition_views
from desk.forms import ChildSearchForm
from desk.next_actions import next_actions
from followups import queries as followups_queries
from loeft import queries as loeft_queries
from ruler import queries as ruler_queries
from ruler import zones
from ruler.models import Assessment, ZoneGuide, annotate_latest
from tidlig.lib.pdf import pdf_response, render_pdf

PAGE_SIZE = 50


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The day's work, per role (desk.front); one audit entry names the children shown."""
    context = front.front_page(request.user)
    audit.log_list_view(request, context.pop("child_ids"))
    return render(request, "desk/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def child_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The search term may be a CPR number. A GET form would put it in the URL, and
    # from there in the browser history and every server and proxy log on the way,
    # so the search form posts. The unit and zone filters and the page number are
    # harmless: a plain listing keeps them in the query string, where a page can be
    # bookmarked. With a term, the pagination buttons submit the same form
    # (name="side"), so the term travels in the POST body from page to page.
    # Nothing changes on a search, so there is no redirect after the POST (it would
    # need the term in the URL or the session); the results are rendered directly.
    if request.user.has_role(Role.FORVALTNING, Role.ADMINISTRATOR):
        return render(request, "desk/child_list.html", {"no_child_data": True})

    params = request.POST if request.method == "POST" else request.GET
    filter_names = ["enhed", "zone"]
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

    children = visible_children(request.user)
    if unit is not None:
        in_unit = Enrollment.objects.active().filter(child=OuterRef("pk"), unit=unit)
        children = children.filter(Exists(in_unit))
    if form.has_error("q"):
        children = children.none()
    elif term:
        children = children.search(term)
    listed = annotate_latest(children).order_by("first_name", "last_name", "pk")
    if zone := form.cleaned_data.get("zone"):
        listed = ruler_queries.filter_by_zone(listed, zone)
    listed = listed.prefetch_related(
        Prefetch(
            "enrollments",
            queryset=Enrollment.objects.active().select_related("unit"),
            to_attr="active_enrollments",
        )
    )
    page = Paginator(listed, PAGE_SIZE).get_page(params.get("side"))
    if term:
        audit.log_search(request.user, term, [child.pk for child in page])
    else:
        # A plain listing names the children too: one entry for the page shown.
        audit.log_list_view(request, [child.pk for child in page])

    context = {
        "form": form,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "term": term,
        "unit": unit,
        "filter_query": filter_query,
    }
    template = "desk/child_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def child_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk)
    return _child_page(request, child)


@login_required
@require_POST
def child_reveal_cpr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk, action=audit.Event.REVEAL_CPR)
    if request.htmx:
        context = {"child": child, "cpr": child.reveal_cpr()}
        return render(request, "desk/child_detail.html#cpr", context)
    return _child_page(request, child, cpr=child.reveal_cpr())


def _child_page(request: AuthenticatedHttpRequest, child: Child, *, cpr: str = "") -> HttpResponse:
    # One query per relation, whatever the child's history; the timeline reads the
    # same prefetched rows and lists as the panels.
    # What the user reads in full of the child's history (children.access): the
    # rest is listed by unit without its content (desk.history).
    readable = readable_entries(request.user, child)
    prefetch_related_objects(
        [child],
        "guardians",
        Prefetch(
            "enrollments", queryset=Enrollment.objects.select_related("unit").order_by("-start")
        ),
        Prefetch("concerns", queryset=Concern.objects.filter(readable).select_related("author")),
    )
    enrollments = child.enrollments.all()
    assessments = ruler_queries.current_assessments(child, readable)
    latest = ruler_queries.latest_assessment(child)
    dialogues = loeft_queries.dialogues_of(child, request.user, readable)
    final = [d for d in dialogues if not d.is_draft]
    cases = followups_queries.cases_of(child)
    # Read only through the intake queue or a consent: no buttons to forms that
    # would answer 404 (children.access.get_child_to_change).
    may_change = may_change_child(request.user, child.pk)
    months = absence.months_of(child, readable_absence(request.user, child))
    context = {
        "child": child,
        "cpr": cpr,
        "may_change": may_change,
        "enrollments": enrollments,
        "current_units": [enrollment.unit for enrollment in enrollments if enrollment.is_active],
        "events": timeline.events_for(child, assessments=assessments, dialogues=dialogues),
        # Overgange: the child's moves between units and their overleveringsnotater.
        "transitions": transition_views.child_transitions(request.user, child),
        "may_export": may_export(request.user, child.pk),
        # Børnelinealen: the latest zone in the header, the zone history panel.
        "zone": {
            "assessments": assessments,
            "latest": latest,
            # The latest zone is the handover summary: shown to all who see the
            # child, linked only for those who read the assessment itself.
            "latest_readable": latest is not None and latest in assessments,
            "chart": ruler_queries.zone_chart(assessments),
        },
        # Fravær: the months the user reads (the unit's data), as a chart and a table.
        "absence": {
            "months": months,
            "chart": absence.absence_chart(months),
            "limit": settings.ABSENCE_FLAG_LAST_MONTH_PCT,
        },
        "hidden_notes": history.hidden_notes(child, readable),
        # LØFT: this user's drafts, the dialogues, open next steps and the scaling.
        "loeft": {
            "dialogues": list(reversed(final)),
            "drafts": [d for d in dialogues if d.is_draft],
            "open_steps": loeft_queries.open_steps(child),
            "scaled": [d for d in final if d.scale_now is not None],
            "chart": loeft_queries.scale_chart(final),
        },
        # Børn & Ungerådgivningen: the child's cases, or whether it waits for one, and
        # the underretninger of the last year for those who handle them.
        "casework": {
            "cases": cases,
            # Outside the team a case is its coordinator and the shared summary.
            "team_cases": {case.pk for case in cases if may_see_case(request.user, case)},
            "waiting": followups_queries.escalation_waiting(child),
            "may_escalate": followups_queries.escalating_unit(request.user, child) is not None,
            "underretninger": followups_queries.underretninger_for(child, request.user),
        },
        # The parents' consents with their status, and whether the user records them.
        "consents": consent_views.panel(child, may_change=may_change),
    }
    return render(request, "desk/child_detail.html", context)


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One assessment with its zone's handleguide and what to do next; shown right
    after the assessment is saved."""
    queryset = Assessment.objects.select_related("author", "concern")
    assessment = get_child_object(request, queryset, pk)
    current = assessment
    while hasattr(current, "corrected_by"):
        current = current.corrected_by
    may_change = may_change_child(request.user, assessment.child_id)
    ctx = {
        "child": assessment.child,
        "assessment": assessment,
        "current": current,
        "guide": ZoneGuide.for_zone(assessment.zone),
        "actions": next_actions(assessment, request.user, may_change=may_change),
        "styles": zones.STYLES.values(),
        "may_correct": may_change
        and assessment == current
        and assessment.author_id == request.user.pk,
        "versions": current.versions(),
    }
    return render(request, "desk/assessment_detail.html", ctx)


def _selected_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    wanted = request.GET.get("enhed", "")
    if not wanted:
        return units[0] if units else None
    for unit in units:
        if str(unit.pk) == wanted:
            return unit
    raise Http404  # not one of the user's units, or not a unit at all


# The unit overview lists this many open next steps before "Vis alle".
OVERVIEW_STEPS = 10


@role_required(Role.LEDER, Role.FAGPERSON)
@require_GET
def unit_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unit's children by latest zone, those to reassess first, those flagged for
    their absence, those never assessed and the open next steps: a fixed number of
    queries per unit."""
    units = list(request.user.units_with_role(*UNIT_ROLES).order_by("name"))
    unit = _selected_unit(request, units)
    context: dict[str, object] = {
        "units": units,
        "unit": unit,
        "stale_days": zones.STALE_AFTER_DAYS,
    }
    if unit is not None:
        by_zone = ruler_queries.children_by_zone(request.user, unit)
        steps = loeft_queries.unit_open_steps(unit, request.user, child_ids=by_zone["child_ids"])
        transitions = transition_views.unit_transitions(request.user, unit)
        # The children by_zone has already found, by id: the access rule again
        # (a UNION) inside the absence query cost more than the records.
        unit_children = Child.objects.filter(pk__in=by_zone["child_ids"])
        flagged = absence.flags(unit_children, [unit.pk])
        context.update(by_zone)
        context["absence_flags"] = flagged
        context["absence_settings"] = {
            "last_month": settings.ABSENCE_FLAG_LAST_MONTH_PCT,
            "three_months": settings.ABSENCE_FLAG_THREE_MONTHS_PCT,
            "quiet_days": settings.ABSENCE_FLAG_QUIET_DAYS,
        }
        # The soonest due first; the rest on request (`?skridt=alle`), as each
        # step is a row with its own form.
        context["steps_total"] = len(steps)
        if request.GET.get("skridt") != "alle":
            steps = steps[:OVERVIEW_STEPS]
        context["steps"] = steps
        context["transitions"] = transitions
        # One entry for the children the page names: by zone, never assessed,
        # their open steps and the children moving in or out.
        audit.log_list_view(
            request,
            [
                *by_zone["shown_ids"],
                *(flag.child.pk for flag in flagged),
                *(step.child_id for step in steps),
                *(
                    row.transition.receiving.child_id
                    for row in transitions["incoming"] + transitions["outgoing"]
                ),
            ],
        )
    return render(request, "desk/unit_overview.html", context)


@login_required
@require_GET
def child_export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everything held about the child, for a parent's access request (desk.export).

    The export is logged before the PDF is made, so the trail it prints ends with it.
    """
    child = get_child_for_export(request, pk)
    prefetch_related_objects(
        [child],
        "guardians",
        Prefetch("enrollments", queryset=Enrollment.objects.select_related("unit")),
        Prefetch(
            "absences",
            queryset=AbsenceRecord.objects.select_related("unit").order_by("month", "unit__name"),
        ),
        Prefetch(
            "concerns", queryset=Concern.objects.select_related("author").order_by("observed_on")
        ),
    )
    context = {
        "child": child,
        "assessments": ruler_queries.all_assessments(child),
        "dialogues": loeft_queries.final_dialogues(child),
        **followups_queries.records_for_export(child),
        # The tværfaglige forum's cases linked to the child with the parents' consent
        # (an anonymous case is not linked to any child, so it cannot be found here).
        "forum_cases": child.forum_cases.select_related("forum", "meeting", "unit", "brought_by")
        .prefetch_related("next_steps__owner_user")
        .order_by("created_at"),
        "trail": export.trail_rows(child),
        "municipality": settings.MUNICIPALITY_NAME,
        "printed_on": timezone.localdate(),
        "printed_by": request.user,
    }
    pdf = render_pdf("desk/export_pdf.html", context, request=request)
    # Named by the date only: a file name ends up in download folders and logs.
    return pdf_response(pdf, f"indsigt-{timezone.localdate():%Y-%m-%d}.pdf")
