"""Print the code a demo user's authenticator app would show now.

For trying the demo without a phone: seed_demo gives every demo user an
authenticator "app" whose key it prints; this reads that key. It refuses any
other device, so it is no way into a real user's account.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import app_code
from demo.organisation import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is False.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing with DEBUG=False: this is for the demo only.")
        device = TOTPDevice.objects.filter(
            user__username=options["username"], name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{options['username']} has no demo authenticator (seed_demo).")
        self.stdout.write(app_code(device))
