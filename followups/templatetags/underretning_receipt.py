"""For the receipt and tilbagemelding panel on an underretning's page
(templates/followups/includes/underretning_receipt_panel.html)."""

from django import template

from followups import receipt_views
from followups.models import Underretning

register = template.Library()


@register.simple_tag
def feedback_form(item: Underretning) -> "receipt_views.FeedbackForm":
    """The tilbagemelding form, its text suggested from the decision."""
    return receipt_views.FeedbackForm.suggested(item)


@register.filter
def may_give_feedback(item: Underretning) -> bool:
    return receipt_views.may_give_feedback(item)
