"""The administrator's pages: units, users and their memberships.

Administrators manage the organisation, never child data.
Every change is written to the audit trail by django-auditlog (accounts.apps).
"""

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import mfa
from accounts.decorators import role_required
from accounts.forms import (
    DistrictForm,
    MembershipEditForm,
    MembershipForm,
    NewUserForm,
    SetPasswordForm,
    UnitFilterForm,
    UnitForm,
    UnitGroupForm,
    UserFilterForm,
    UserForm,
)
from accounts.groups import sort_key
from accounts.http import AuthenticatedHttpRequest
from accounts.models import District, Membership, Role, Unit, UnitGroup, User
from accounts.sessions import end_sessions_for
from tidlig.lib.once import submit_once

administrator_only = role_required(Role.ADMINISTRATOR)


@administrator_only
def admin_home(request: HttpRequest) -> HttpResponse:
    ctx = {
        "unit_count": Unit.objects.filter(active=True).count(),
        "user_count": User.objects.filter(is_active=True).count(),
        "district_count": District.objects.count(),
    }
    return render(request, "accounts/admin/home.html", ctx)


@administrator_only
def units(request: HttpRequest) -> HttpResponse:
    filter_form = UnitFilterForm(request.GET)
    unit_list = filter_form.filter(
        Unit.objects.select_related("district").annotate(
            members=Count("memberships", distinct=True),
            group_count=Count("groups", filter=Q(groups__active=True), distinct=True),
        )
    )
    ctx = {"units": unit_list, "filter_form": filter_form}
    return render(request, "accounts/admin/units.html", ctx)


def _unit_groups(unit: Unit) -> list[UnitGroup]:
    """The unit's groups, open ones first, with how many memberships are limited to
    each and how many children are enrolled in each today (a number, never who)."""
    today = timezone.localdate()
    enrolled_today = Q(enrollments__start__lte=today) & (
        Q(enrollments__end__isnull=True) | Q(enrollments__end__gte=today)
    )
    groups = unit.groups.annotate(
        staff=Count("memberships", distinct=True),
        enrolled=Count("enrollments", filter=enrolled_today, distinct=True),
    )
    return sorted(groups, key=lambda g: (not g.active, sort_key(g.name)))


def _render_unit(
    request: HttpRequest,
    unit: Unit | None,
    form: UnitForm,
    group_form: UnitGroupForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ctx: dict = {"form": form, "unit": unit}
    if unit is not None:
        groups = _unit_groups(unit)
        ctx |= {
            "groups": groups,
            "group_form": group_form or UnitGroupForm(unit=unit, prefix="group"),
            # Groups narrow a fagperson's view of the children enrolled in them.
            "offers_groups": unit.enrolls_children or bool(groups),
        }
    return render(request, "accounts/admin/unit_form.html", ctx, status=status)


def _unit_form(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Enheden %(name)s er gemt.") % {"name": saved.name})
        return redirect("admin_units")
    return _render_unit(request, unit, form)


@administrator_only
def unit_create(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, None)


@administrator_only
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form(request, get_object_or_404(Unit, pk=pk))


def _unit_groups_url(unit_id: int) -> str:
    return reverse("admin_unit_edit", args=[unit_id]) + "#grupper"


@administrator_only
@require_POST
@submit_once
def unit_group_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    group_form = UnitGroupForm(request.POST, unit=unit, prefix="group")
    if group_form.is_valid():
        group = group_form.save()
        messages.success(
            request,
            _("Gruppen %(name)s er oprettet på %(unit)s.") % {"name": group.name, "unit": unit},
        )
        return redirect(_unit_groups_url(unit.pk))
    return _render_unit(request, unit, UnitForm(instance=unit), group_form, status=400)


@administrator_only
def unit_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(UnitGroup.objects.select_related("unit"), pk=pk)
    was_active = group.active
    form = UnitGroupForm(request.POST or None, instance=group, unit=group.unit)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        if was_active and not group.active:
            text = _("Gruppen %(name)s er lukket.")
        elif group.active and not was_active:
            text = _("Gruppen %(name)s er åbnet igen.")
        else:
            text = _("Gruppen %(name)s er gemt.")
        messages.success(request, text % {"name": group.name})
        return redirect(_unit_groups_url(group.unit_id))
    (counted,) = [g for g in _unit_groups(group.unit) if g.pk == group.pk]
    enrolled: int = counted.enrolled  # type: ignore[attr-defined]
    ctx = {
        "group": group,
        "form": form,
        "staff": group.memberships.select_related("user").order_by(
            "user__first_name", "user__last_name"
        ),
        "enrolled": enrolled,
    }
    return render(request, "accounts/admin/group_form.html", ctx)


@administrator_only
def districts(request: HttpRequest) -> HttpResponse:
    form = DistrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        district = form.save()
        messages.success(request, _("Distriktet %(name)s er oprettet.") % {"name": district})
        return redirect("admin_districts")
    ctx = {"form": form, "districts": District.objects.annotate(unit_count=Count("units"))}
    return render(request, "accounts/admin/districts.html", ctx)


@administrator_only
def users(request: HttpRequest) -> HttpResponse:
    filter_form = UserFilterForm(request.GET)
    user_list = filter_form.filter(
        User.objects.prefetch_related("memberships__unit", "memberships__groups").order_by(
            "first_name", "last_name", "username"
        )
    )
    page = Paginator(user_list, 50).get_page(request.GET.get("side"))
    ctx = {
        "page": page,
        "filter_form": filter_form,
    }
    return render(request, "accounts/admin/users.html", ctx)


@administrator_only
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None, editor=request.user)
    password_form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and password_form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.set_password(password_form.cleaned_data["password2"])
            user.save()
            Membership.objects.create(
                user=user, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
            )
        messages.success(request, _("Brugeren %(name)s er oprettet.") % {"name": user})
        return redirect("admin_user_edit", user.pk)
    ctx = {"form": form, "password_form": password_form}
    return render(request, "accounts/admin/user_create.html", ctx)


def _render_user_edit(
    request: HttpRequest,
    user: User,
    form: UserForm,
    membership_form: MembershipForm,
    status: int = 200,
) -> HttpResponse:
    ctx = {
        "edited": user,
        "form": form,
        "membership_form": membership_form,
        "memberships": user.memberships.select_related("unit")
        .prefetch_related("groups")
        .annotate(group_count=Count("unit__groups", filter=Q(unit__groups__active=True))),
        "mfa_set_up": mfa.has_device(user),
    }
    return render(request, "accounts/admin/user_edit.html", ctx, status=status)


@administrator_only
def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, instance=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            ended = 0 if user.is_active else end_sessions_for(user)
        messages.success(request, _("Brugeren %(name)s er gemt.") % {"name": user})
        if ended:
            messages.info(request, _("Brugeren er logget ud alle steder."))
        return redirect("admin_user_edit", user.pk)
    return _render_user_edit(request, user, form, MembershipForm(user=user))


@administrator_only
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.set_password(form.cleaned_data["password2"])
            user.save(update_fields=["password"])
            # The password field is left out of the audit trail, so auditlog sees no
            # change; record that it was changed, never what to.
            LogEntry.objects.log_create(
                user,
                action=LogEntry.Action.UPDATE,
                changes={"password": ["***", "***"]},
                actor=request.user,
            )
        messages.success(request, _("Adgangskoden er ændret."))
        return redirect("admin_user_edit", user.pk)
    return render(request, "accounts/admin/user_password.html", {"edited": user, "form": form})


@administrator_only
@require_POST
@submit_once
def membership_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    membership_form = MembershipForm(request.POST, user=user)
    if membership_form.is_valid():
        membership = membership_form.save(commit=False)
        membership.user = user
        membership.save()
        if membership.role == Role.FAGPERSON and membership.unit.groups.filter(active=True):
            # The next thing to decide: the whole unit, or some of its groups.
            messages.success(
                request,
                _(
                    "Medlemskabet er tilføjet. %(unit)s har grupper: vælg dem, hvis "
                    "fagpersonen kun skal se børnene i nogle af dem."
                )
                % {"unit": membership.unit},
            )
            return redirect("admin_membership_edit", membership.pk)
        messages.success(request, _("Medlemskabet er tilføjet."))
        return redirect("admin_user_edit", user.pk)
    form = UserForm(instance=user, editor=request.user)
    return _render_user_edit(request, user, form, membership_form, status=400)


@administrator_only
def membership_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user", "unit"), pk=pk)
    form = MembershipEditForm(request.POST or None, instance=membership, editor=request.user)
    if request.method == "POST" and form.is_valid():
        # The role and the groups together, or neither.
        with transaction.atomic():
            form.save()
        messages.success(request, _("Medlemskabet er gemt."))
        return redirect("admin_user_edit", membership.user_id)
    ctx = {
        "membership": membership,
        "edited": membership.user,
        "form": form,
        "unit_has_groups": membership.unit.groups.exists(),
    }
    return render(request, "accounts/admin/membership_form.html", ctx)


@administrator_only
@require_POST
def membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk)
    if membership.user_id == request.user.pk and membership.role == Role.ADMINISTRATOR:
        messages.error(request, _("Du kan ikke fjerne din egen administratorrolle."))
    else:
        membership.delete()
        messages.success(request, _("Medlemskabet er fjernet."))
    return redirect("admin_user_edit", membership.user_id)


@administrator_only
@require_POST
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """For a user who has lost both the phone and the recovery codes: their app
    and codes are forgotten and their sessions ended, so the next login (with
    the password) sets up a new app. The administrator should first make sure,
    outside Tidlig, that it really is the user asking."""
    user = get_object_or_404(User, pk=pk)
    with transaction.atomic():
        mfa.forget_devices(user)
        end_sessions_for(user)
        LogEntry.objects.log_create(
            user,
            action=LogEntry.Action.UPDATE,
            changes={"tofaktor": ["***", _("nulstillet")]},
            actor=request.user,
        )
    messages.success(
        request,
        _(
            "Tofaktor-login for %(name)s er nulstillet. Brugeren sætter en ny "
            "godkenderapp op ved næste login."
        )
        % {"name": user},
    )
    return redirect("admin_user_edit", user.pk)
