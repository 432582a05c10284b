"""A small municipality for the archived quarterly report, and a MEDIA_ROOT per test.

On top of tidlig.test's people and children, Solsikken has seven boys called
Villum Kragh, all in zone 1 on 1 August 2026; Emma is in zone 3 and Noah and Oskar
are not assessed. At the end of 2026Q3 that is 10 children: 7 in zone 1 (88 % of
the 8 assessed), "<5" in zone 3 and "<5" not assessed. Gorm also works in the
forvaltning; Ole used to, but his user is deactivated.
"""

import io
import shutil
import tempfile
from datetime import date

from django.test import override_settings
from pypdf import PdfReader

from accounts.models import Role
from ruler.models import Assessment
from tidlig.test import BaseTestCase, make_child, make_user


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


class ArchiveTestCase(BaseTestCase):
    def setUp(self):
        # A MEDIA_ROOT for each test: a PDF archived by an earlier test would give
        # the next one of the same quarter a suffixed file name.
        media = tempfile.mkdtemp(prefix="tidlig-reports-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=media))

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gorm = make_user(
            "gorm", cls.forvaltningen, Role.FORVALTNING, first_name="Gorm", email="gorm@k.example"
        )
        cls.ole = make_user("ole", cls.forvaltningen, Role.FORVALTNING, is_active=False)
        cls.frida.email = "frida@k.example"
        cls.frida.save()
        for n in range(1, 8):
            child = make_child("Villum", "Kragh", date(2021, 1, n), unit=cls.solsikken)
            Assessment.objects.create(
                child=child, author=cls.pia, assessed_on=date(2026, 8, 1), zone=1
            )
        Assessment.objects.create(
            child=cls.emma, author=cls.pia, assessed_on=date(2026, 8, 2), zone=3
        )
