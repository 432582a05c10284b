"""Create forms that create once, however often they are sent.

A double-click, a browser that resends after a lost answer or a race of parallel
requests must not make two assessments. Each create form carries a one-time key
(`{% submit_key %}` from tidlig.templatetags.pages), and its view is wrapped in
`@submit_once`:

- the first request with a key stores it (tidlig.models.Submission, unique per
  user and key) in the same transaction as everything the view saves, and notes
  where the view sent the user afterwards;
- a later request with the same key meets the unique constraint (on PostgreSQL it
  waits for the first to commit; on SQLite the write lock does the same) and is
  sent to the first request's result with a message, having saved nothing;
- a request whose form had errors keeps nothing: the key is released, so the
  corrected form can be sent again.

A POST without a key (an old page, a script) is handled as before.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "submit_key"


def new_key() -> str:
    return str(uuid.uuid4())


def _key(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _is_result(response: HttpResponse) -> bool:
    return 300 <= response.status_code < 400 and "Location" in response


KEEP = timedelta(days=2)


def purge_old() -> int:
    """Forget keys older than KEEP (a resend comes within seconds); returns how many."""
    from tidlig.models import Submission

    deleted, _ = Submission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted


def submit_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a create view at most once per submit key (see the module's docstring).

    Goes below the login and role decorators, so that the user is known.
    """
    from tidlig.models import Submission

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request)
        user_id = request.user.pk
        if key is None or user_id is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                submission = Submission.objects.create(user_id=user_id, key=key)
                response = view(request, *args, **kwargs)
                if _is_result(response):
                    submission.result_url = response["Location"][:500]
                    submission.save(update_fields=["result_url"])
                else:
                    submission.delete()  # errors on the form: the key may be sent again
                return response
        except IntegrityError:
            first = Submission.objects.filter(user_id=user_id, key=key).first()
            if first is None:
                raise  # not the key: the view's own constraint failed
        messages.info(
            request,
            _("Det var allerede gemt: formularen blev sendt to gange, men er kun gemt én gang."),
        )
        return redirect(first.result_url or "home")

    return wrapper
