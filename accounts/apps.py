from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere og enheder")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        import accounts.oidc
        import accounts.sessions  # noqa: F401  (connects the login signal)
        from accounts.models import District, Membership, Unit, UnitGroup, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Unit)
        auditlog.register(District)
        auditlog.register(Membership, m2m_fields={"groups"})
        auditlog.register(UnitGroup)

        # User.membership_list reads a user's memberships once per user object;
        # a change here makes every copy read them again.
        from django.db.models import signals

        from accounts.models import MEMBERSHIPS

        for model in (Membership, Unit, UnitGroup):
            signals.post_save.connect(MEMBERSHIPS.bump, sender=model, weak=False)
            signals.post_delete.connect(MEMBERSHIPS.bump, sender=model, weak=False)
        signals.m2m_changed.connect(MEMBERSHIPS.bump, sender=Membership.groups.through, weak=False)
