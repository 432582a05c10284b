"""How long the record of logins is kept.

django-axes writes every login and logout (AccessLog) and every wrong password
(AccessFailureLog) with the IP address and browser. They are there to look into
a lockout or an account that may have been misused, not to keep forever: the
nightly retention sweep (desk.retention) deletes rows older than
LOGIN_LOG_RETENTION_MONTHS. The lockout counters themselves (AccessAttempt)
expire with AXES_COOLOFF_HOURS, as axes does it.
"""

from axes.models import AccessFailureLog, AccessLog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone


def purge_expired_login_logs() -> dict[str, int]:
    cutoff = timezone.now() - relativedelta(months=settings.LOGIN_LOG_RETENTION_MONTHS)
    counts = {}
    for model in (AccessLog, AccessFailureLog):
        deleted, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        counts[model._meta.label] = deleted
    return counts
