"""The administrator's forum pages: which consultants advise in which forum, and
which units bring their cases to it. No case content."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import role_required
from accounts.models import Role
from forum.forms import ForumAdminForm
from forum.models import Forum

administrator_only = role_required(Role.ADMINISTRATOR)


@administrator_only
def forums(request: HttpRequest) -> HttpResponse:
    found = Forum.objects.select_related("district").annotate(
        consultant_count=Count("consultants", distinct=True),
        unit_count=Count("units", distinct=True),
    )
    return render(request, "forum/admin/forums.html", {"forums": found})


def _form(request: HttpRequest, forum: Forum | None) -> HttpResponse:
    form = ForumAdminForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Forummet %(name)s er gemt.") % {"name": saved.name})
        return redirect("admin_forums")
    ctx = {"form": form, "forum": forum}
    return render(request, "forum/admin/forum_form.html", ctx, status=400 if form.is_bound else 200)


@administrator_only
def forum_create(request: HttpRequest) -> HttpResponse:
    return _form(request, None)


@administrator_only
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(Forum, pk=pk))
