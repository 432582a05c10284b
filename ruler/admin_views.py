"""The administrator's pages for the zone guide (handleguide) texts.

Until a municipality writes its own, each zone shows Tidlig's default text
(`ruler.guide_defaults`). Saving writes a `ZoneGuide` row; resetting deletes
it, so the default applies again. auditlog records both (ruler.apps).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from ruler import zones
from ruler.forms import ZoneGuideForm
from ruler.models import ZoneGuide

administrator_only = role_required(Role.ADMINISTRATOR)


def _guide(zone: int) -> ZoneGuide:
    if zone not in zones.STYLES:
        raise Http404
    return ZoneGuide.for_zone(zone)


@administrator_only
@require_GET
def zone_guides(request: HttpRequest) -> HttpResponse:
    saved = {guide.zone: guide for guide in ZoneGuide.objects.select_related("updated_by")}
    guides = [saved.get(zone) or ZoneGuide.for_zone(zone) for zone in zones.STYLES]
    return render(request, "ruler/admin/zone_guides.html", {"guides": guides})


@administrator_only
def zone_guide_edit(request: HttpRequest, zone: int) -> HttpResponse:
    guide = _guide(zone)
    form = ZoneGuideForm(request.POST or None, instance=guide)
    if request.method == "POST" and form.is_valid():
        guide = form.save(commit=False)
        guide.updated_by = request.user
        guide.save()
        messages.success(
            request,
            _("Handleguiden for zone %(number)s · %(label)s er gemt.")
            % {"number": zone, "label": guide.style.label},
        )
        return redirect("admin_zone_guides")
    return render(request, "ruler/admin/zone_guide_form.html", {"form": form, "guide": guide})


@administrator_only
@require_POST
def zone_guide_reset(request: HttpRequest, zone: int) -> HttpResponse:
    guide = _guide(zone)
    if not guide.is_default:
        guide.delete()
        messages.success(
            request,
            _("Handleguiden for zone %(number)s · %(label)s bruger nu Tidligs standardtekst.")
            % {"number": zone, "label": guide.style.label},
        )
    return redirect("admin_zone_guides")
