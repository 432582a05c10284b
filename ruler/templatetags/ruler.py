from django import template
from django.utils.html import format_html

from ruler import zones

register = template.Library()


@register.simple_tag
def zone_badge(zone: int | None):
    """The zone as a badge: number and name on the zone's colour (never colour alone)."""
    style = zones.style(zone)
    if style is None:
        return ""
    return format_html(
        '<span class="tidlig-zone-badge {}">{} · {}</span>',
        style.css_class,
        style.number,
        style.label,
    )
