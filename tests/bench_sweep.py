"""The daily reminder sweep (followups.reminders.sweep) with many sent reminders in
the table (issue 17). Run it against a copy of a seed_scale database, never the
database itself: it writes into the reminder table.

    createdb -h 127.0.0.1 -U postgres -T tidlig_scale_100k tidlig_h6_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidlig_h6_scale \
        python -m tests.bench_sweep --sent 1000000 --today 2026-12-04

The first run adds `--sent` sent reminders (INSERT ... SELECT generate_series,
object_key "bench:<n>", due over the 1,000 days before the catch-up window, to
the active users in turn). Then it times one sweep (plan and send, emails to
Django's in-memory backend so that only Tidlig's own work is timed), counts its
queries by statement, and deletes the reminders the sweep wrote, so that the next
run plans and sends the same ones again.
"""

import argparse
import os
import re
import time
from collections import Counter
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from followups import reminders  # noqa: E402
from followups.models import Reminder  # noqa: E402

PREFIX = "bench:"


def add_sent(count: int, today: date) -> int:
    """Add sent reminders until `count` of them are in the table; returns how many were added."""
    have = Reminder.objects.filter(object_key__startswith=PREFIX).count()
    if have >= count:
        return 0
    first_day = today.toordinal() - reminders.CATCH_UP_DAYS - 1
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO followups_reminder
                (kind, object_key, recipient_id, due_on, subject, text, url, created_at, sent_at)
            SELECT %s, %s || n, users.ids[1 + n %% array_length(users.ids, 1)],
                   %s::date - (n %% 1000), 'Møde om 14 dage', 'Et møde om 14 dage.', '',
                   now(), now()
            FROM generate_series(%s, %s) AS n,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_user
                  WHERE is_active) AS users
            """,
            [
                Reminder.Kind.MEETING_14,
                PREFIX,
                date.fromordinal(first_day),
                have + 1,
                count,
            ],
        )
        cursor.execute("ANALYZE followups_reminder")
    return count - have


def _shape(sql: str) -> str:
    """A statement with its values left out, to count repeats of one query."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sent", type=int, default=1_000_000)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args()

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or name.startswith("tidlig_scale_"):
        raise SystemExit(f"Run this on a PostgreSQL copy of a seed_scale database, not {name}.")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = args.today or date.today()

    start = time.perf_counter()
    added = add_sent(args.sent, today)
    print(f"{added} sent reminders added in {time.perf_counter() - start:.1f} s")
    print(f"reminders in the table: {Reminder.objects.count()}")

    last_pk = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            planned = reminders.plan(today)
            planning = time.perf_counter() - start
            sent = reminders.send_pending()
            total = time.perf_counter() - start
    finally:
        Reminder.objects.filter(pk__gt=last_pk).delete()
    print(f"sweep: {planned} planned, {sent} sent")
    print(f"time: {total:.1f} s (plan {planning:.1f} s, send {total - planning:.1f} s)")
    print(f"queries: {len(queries)}")
    for shape, repeats in Counter(_shape(q["sql"]) for q in queries).most_common(5):
        print(f"  {repeats:6} x {shape}")


if __name__ == "__main__":
    main()
