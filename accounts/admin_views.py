"""The administrator's pages: units, users and their memberships.

Administrators manage the organisation, never child data.
Every change is written to the audit trail by django-auditlog (accounts.apps).
"""

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import mfa
from accounts.decorators import role_required
from accounts.forms import (
    DistrictForm,
    MembershipForm,
    NewUserForm,
    SetPasswordForm,
    UnitFilterForm,
    UnitForm,
    UserFilterForm,
    UserForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import District, Membership, Role, Unit, User
from accounts.sessions import end_sessions_for

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
        Unit.objects.select_related("district").annotate(members=Count("memberships"))
    )
    ctx = {"units": unit_list, "filter_form": filter_form}
    return render(request, "accounts/admin/units.html", ctx)


def _unit_form(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Enheden %(name)s er gemt.") % {"name": saved.name})
        return redirect("admin_units")
    return render(request, "accounts/admin/unit_form.html", {"form": form, "unit": unit})


@administrator_only
def unit_create(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, None)


@administrator_only
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form(request, get_object_or_404(Unit, pk=pk))


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
        User.objects.prefetch_related("memberships__unit").order_by(
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
        "memberships": user.memberships.select_related("unit"),
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
def membership_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    membership_form = MembershipForm(request.POST, user=user)
    if membership_form.is_valid():
        membership = membership_form.save(commit=False)
        membership.user = user
        membership.save()
        messages.success(request, _("Medlemskabet er tilføjet."))
        return redirect("admin_user_edit", user.pk)
    form = UserForm(instance=user, editor=request.user)
    return _render_user_edit(request, user, form, membership_form, status=400)


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
