"""Reads that may come from a read replica.

When DATABASE_REPLICA_URL is set, the settings add a second database alias,
"replica" (a streaming replica of the primary). Code that only reads, and can
live with data a second or two old, runs its reads there inside `from_replica()`
or under `@reads_from_replica`: the quarterly figures, the report dashboards and
the audit viewer. Everything else — every write, every read outside such a
block, and every read inside one that follows a write in the same transaction —
goes to the primary. Without a replica the router sends everything to "default".

REPLICA_READS (on by default) turns the routing off without removing the alias;
the test suite runs with the alias pointing at its own database and turns the
reads on for the test that checks them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction

REPLICA = "replica"

_reading: ContextVar[bool] = ContextVar("tidlig_replica_reads", default=False)


@contextmanager
def from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args, **kwargs):
        with from_replica():
            return view(*args, **kwargs)

    return wrapper


def replica_in_use() -> bool:
    return (
        _reading.get()
        and getattr(settings, "REPLICA_READS", True)
        and REPLICA in settings.DATABASES
        # A block that has written on the primary reads its own writes there.
        and not transaction.get_connection().in_atomic_block
    )


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads in a from_replica() block to the replica."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if replica_in_use() else None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"  # the replica follows the primary's migrations
