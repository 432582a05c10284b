"""Glemt adgangskode: a reset link by email, through Django's own views and tokens.

The page always answers "sent", so it does not tell whether an address is known;
inactive users and users without a usable password get no email (Django's
PasswordResetForm). The link is valid for PASSWORD_RESET_TIMEOUT and only once:
the token is made from the password hash, which the reset changes.

The link only sets a new password. It never logs in (post_reset_login stays
False), so the user logs in afterwards with the new password and still gives a
code (accounts.mfa): a reset cannot get past the second factor. Every session of
the user is ended, and django-axes' lockout of the username is lifted: whoever
holds the mailbox could set the password anyway, and the failed attempts stay in
axes' AccessFailureLog.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.utils import timezone
from django.utils.timesince import timeuntil

from accounts.forms import EmailForm, ResetPasswordForm
from accounts.sessions import end_sessions_for


def link_lifetime() -> str:
    """How long a link works, in words ("1 time")."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"

    def form_valid(self, form):
        # The link starts with SITE_ROOT, never with the Host header of the request:
        # a forged header must not put another site's address in the email.
        self.extra_email_context = {
            "site_root": settings.SITE_ROOT.rstrip("/"),
            "municipality": settings.MUNICIPALITY_NAME,
            "lifetime": link_lifetime(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(lifetime=link_lifetime(), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # The administrator's set-password form: the same fields, rules and messages.
    # Not a subclass of Django's, but made (user first) and saved the same way.
    form_class = ResetPasswordForm  # type: ignore[assignment]
    template_name = "accounts/password_reset_confirm.html"

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # The password field is left out of the audit trail (accounts.apps): record
        # that it was changed, never what to, as the administrator's page does.
        LogEntry.objects.log_create(
            user, action=LogEntry.Action.UPDATE, changes={"password": ["***", "***"]}
        )
        if self.request.user.pk == user.pk:
            # This browser is one of the sessions ended below; it gets a fresh one.
            logout(self.request)
        end_sessions_for(user)
        axes_reset(username=user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
