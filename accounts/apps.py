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
