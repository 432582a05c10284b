"""{% pagination page %}: DKFDS page links under a paginated table.

The links keep the page's other query parameters (filters, search) and replace
only `side`, the page number.
"""

from django import template

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page) -> dict:
    return {
        "request": context.get("request"),
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }
