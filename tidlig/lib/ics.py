"""A calendar invitation (RFC 5545) with one event, written by hand.

Small enough not to need a library: text values are escaped (section 3.3.11),
lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character (section 3.1), and times are written in UTC, so the file needs no
VTIMEZONE block.
"""

from datetime import UTC, datetime

from django.utils import timezone


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """The content line split into 75-octet pieces, each continued with CRLF + space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not pieces else 74  # a continuation starts with the space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    stamp: datetime | None = None,
    sequence: int = 0,
) -> str:
    """A VCALENDAR with one VEVENT; `start` and `end` must be timezone-aware.

    `sequence` counts the changes to the event: a calendar that has the same UID
    with a lower SEQUENCE replaces it (section 3.8.7.4)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tidlig//Tidlig//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape(uid)}",
        f"DTSTAMP:{_utc(stamp or timezone.now())}",
        f"SEQUENCE:{sequence}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
