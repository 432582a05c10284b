from django.core.management.base import BaseCommand

from followups import reminders


class Command(BaseCommand):
    help = (
        "Write the reminders due today (and any missed in the last days) and email them. "
        "Safe to run any number of times: nothing is sent twice."
    )

    def handle(self, *args, **options):
        planned, sent = reminders.sweep()
        self.stdout.write(f"{planned} nye påmindelser, {sent} sendt.")
