"""Page helpers.

{% pagination page %}: DKFDS page links under a paginated table.

The links keep the page's other query parameters (filters, search) and replace
only `side`, the page number.

{% submit_key %}: the hidden one-time key of a create form (tidlig.lib.once).

{{ years|years_old }}: an age, "4 år". The lists of children show one on every row:
a filter costs a tenth of a {% blocktranslate count %} there.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from tidlig.lib import once

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page) -> dict:
    return {
        "request": context.get("request"),
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }


@register.simple_tag
def submit_key() -> str:
    """The one-time key of a create form (tidlig.lib.once): one per page shown."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_key())


@register.filter
def years_old(years: int) -> str:
    return ngettext("%(years)s år", "%(years)s år", years) % {"years": years}
