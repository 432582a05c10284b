"""Building an email from its three templates, as Healthchecks does.

An email called `name` is `templates/emails/<name>-subject.txt`,
`<name>-body-text.txt` and `<name>-body-html.html`. The text templates turn
autoescaping off themselves: plain text must not show `&amp;`.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def make_message(name: str, to: str, ctx: dict) -> EmailMultiAlternatives:
    # In the site's language, whoever's request or task sends it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}-subject.txt", ctx)
        text = render_to_string(f"emails/{name}-body-text.txt", ctx)
        html = render_to_string(f"emails/{name}-body-html.html", ctx)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    return message
