from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions_for(user) -> int:
    """Delete every live session of `user`; returns how many.

    Sessions live in the database (Django's default backend), keyed by a random
    id, so the only way to find a user's sessions is to decode them.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
