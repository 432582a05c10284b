"""Keep personal data out of the logs (design section 3: CPR never in logs).

`PrivacyFilter` sits on every handler in settings.LOGGING. It replaces a
record's traceback with the exception's class, where it was raised and a
reference, because an exception's message and the lines around it can carry
what a user typed or a row's values. The reference is a fingerprint of the
traceback's code locations, so the same fault logs the same reference every
time and a developer can find it again without the data. Whatever still looks
like a CPR number in the message is masked.
"""

import hashlib
import logging
import re
import traceback
from pathlib import Path

from django.conf import settings

# Ten digits, optionally with a dash after the sixth, not part of a longer number.
CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
CPR_MASK = "******-****"


def mask_cpr(text: str) -> str:
    return CPR.sub(CPR_MASK, text)


def exception_summary(exc_info: tuple) -> str:
    """`ValueError at children/views.py:42, ref 3f9c2a1b07`: no message, no values."""
    exc_type, _, tb = exc_info
    frames = traceback.extract_tb(tb) if tb is not None else []
    fingerprint = hashlib.sha256(exc_type.__qualname__.encode())
    for frame in frames:
        fingerprint.update(f"{frame.filename}:{frame.lineno}".encode())
    summary = exc_type.__qualname__
    if frames:
        path = Path(frames[-1].filename)
        base = Path(settings.BASE_DIR)
        where = path.relative_to(base) if path.is_relative_to(base) else path.name
        summary += f" at {where}:{frames[-1].lineno}"
    return f"{summary}, ref {fingerprint.hexdigest()[:10]}"


class PrivacyFilter(logging.Filter):
    """Drop tracebacks and mask CPR numbers; `tracebacks=True` keeps them (DEBUG only)."""

    def __init__(self, tracebacks: bool = False) -> None:
        super().__init__()
        self.tracebacks = tracebacks

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: log the template, not the arguments
            message = str(record.msg)
        if record.exc_info and record.exc_info[0] is not None and not self.tracebacks:
            message += f" [{exception_summary(record.exc_info)}]"
            record.exc_info = None
        if not self.tracebacks:
            record.exc_text = None
            record.stack_info = None
        record.msg, record.args = mask_cpr(message), None
        return True
