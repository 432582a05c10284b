"""`make lint`: every user-facing string has an English translation.

Extracts the strings with makemessages (needs GNU gettext's xgettext) and fails
on any untranslated or fuzzy entry in locale/en, naming them.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", ".tools", "var", "static", "node_modules"]


def main() -> int:
    if shutil.which("xgettext") is None:
        print("check_messages: xgettext not installed (apt-get install gettext); skipped")
        return 0
    ignores = [f"--ignore={path}" for path in IGNORE]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0", *ignores],
        cwd=ROOT,
        check=True,
    )
    catalog = polib.pofile(str(PO))
    missing = catalog.untranslated_entries() + catalog.fuzzy_entries()
    for entry in missing:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        print(f"untranslated: {entry.msgid!r} ({where})")
    if missing:
        print(f"{len(missing)} string(s) need an English translation in {PO.relative_to(ROOT)}")
        return 1
    print(f"check_messages: all {len(catalog)} strings translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
