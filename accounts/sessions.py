"""Sessions: the login time, the last activity and the user's list of sessions.

The timeouts themselves are enforced by tidlig.middleware.SessionTimeoutMiddleware.
"""

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone

# Seconds since the epoch, in the session itself, so the check costs no query.
LOGIN_AT = "tidlig_login_at"
SEEN_AT = "tidlig_seen_at"


@receiver(user_logged_in)
def _start_session(sender, request, user, **kwargs) -> None:
    from accounts.models import UserSession

    now = timezone.now()
    request.session[LOGIN_AT] = request.session[SEEN_AT] = int(now.timestamp())
    # login() has just created the session row under its new key.
    UserSession.objects.update_or_create(
        session_id=request.session.session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen": now,
            "user_agent": request.headers.get("User-Agent", "")[:200],
        },
    )


def rotate_key(request) -> None:
    """A new session key once the second factor is accepted, as login() gives one
    after the password: a key seen before the code (on a shared computer, in a log)
    is worth nothing after it. The user's row in Mine sessioner follows the session
    (its old row goes with the old Session row, CASCADE)."""
    from accounts.models import UserSession

    row = (
        UserSession.objects.filter(session_id=request.session.session_key)
        .values("user_id", "created_at", "last_seen", "user_agent")
        .first()
    )
    request.session.cycle_key()
    if row is not None:
        UserSession.objects.create(session_id=request.session.session_key, **row)


def end_sessions_for(user) -> int:
    """Delete every live session of `user`; returns how many.

    Sessions started before UserSession existed are named only inside their
    encoded data, so every live session is decoded, not just the listed ones.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    user.sessions.all().delete()
    return ended
