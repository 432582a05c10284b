"""docs/access.md cannot drift from children/sharing.py: every purpose that needs
consent and every share without one, with its legal basis, stands on the page."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from children.sharing import CONSENT_LAW, CONSENT_PURPOSES, LEGAL_SHARES, Purpose

DOC = Path(settings.BASE_DIR) / "docs" / "access.md"


def test_every_purpose_and_legal_share_is_on_the_access_page():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    missing = []
    with translation.override("da"):
        for purpose in Purpose:
            basis = CONSENT_PURPOSES[purpose]
            for part in (f"`{purpose.value}`", purpose.label, basis.grants):
                if " ".join(str(part).split()) not in text:
                    missing.append(str(part))
        for share in LEGAL_SHARES:
            for part in (share.name, share.shares, share.law):
                if " ".join(str(part).split()) not in text:
                    missing.append(str(part))
        if str(CONSENT_LAW) not in text:
            missing.append(str(CONSENT_LAW))
    assert not missing, "docs/access.md lacks: " + " | ".join(missing)


def test_the_access_page_names_no_path_outside_the_repository():
    text = DOC.read_text(encoding="utf-8")
    for link in ("](/", "](..", "file://", "/work/", "/home/"):
        assert link not in text, link
