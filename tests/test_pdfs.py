"""Every kind of PDF the app makes is a tagged PDF/UA document that downloads.

The quarterly status goes out with the committee's agenda on the municipality's
website (webtilgængelighedsloven), and parents read their LØFT PDF with whatever
they have: each PDF has a structure tree (headings, tables with header cells,
charts with alternative text), the language "da" and a title, and comes as a
download with a Danish file name that names no child (tidlig.lib.pdf).

Pia is a pædagog and Lars the leader at Børnehaven Solsikken, where Emma goes;
Rasmus is a caseworker and coordinates Emma's case; Lise leads Børn &
Ungerådgivningen; Frida works in the forvaltning. It is 15 October 2026.
"""

import io
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from accounts.models import Role
from followups.models import Case, Decision, Meeting, Underretning
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.tests.factories import final_dialogue
from reports import generate
from ruler.tests.factories import assess
from tidlig.lib.dates import Quarter
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 10, 15, 10, tzinfo=CPH)


def structure_tags(pdf: bytes) -> list[tuple[str, DictionaryObject]]:
    """Every element of the PDF's structure tree as (tag, element), depth first."""
    # pypdf's objects are typed as the base PdfObject: Any, as in a PDF.
    root: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found: list[tuple[str, DictionaryObject]] = []
    stack = [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if not isinstance(node, DictionaryObject):
            continue
        if "/S" in node:
            found.append((str(node["/S"]), node))
        kids = node.get("/K")
        if isinstance(kids, IndirectObject):
            kids = kids.get_object()
        if isinstance(kids, ArrayObject):
            stack.extend(reversed(kids))
        elif isinstance(kids, DictionaryObject):
            stack.append(kids)
    return found


def assert_accessible(pdf: bytes, *, title: str) -> list[str]:
    """The PDF/UA basics; returns the structure's tags for further checks."""
    reader = PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "da"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None and reader.metadata.title == title
    # PDF/UA-1's identification in the XMP metadata.
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    tags = [tag for tag, _element in structure_tags(pdf)]
    assert "/H1" in tags
    return tags


def assert_tables_have_headers(pdf: bytes) -> None:
    """Every table has header cells, and every data cell points at its headers."""
    elements = structure_tags(pdf)
    tags = [tag for tag, _element in elements]
    assert "/Table" in tags and "/TH" in tags
    cells: list[Any] = [element for tag, element in elements if tag == "/TD"]
    assert cells and all(cell["/A"].get("/Headers") for cell in cells)


def assert_no_heading_ends_a_page(pdf: bytes) -> None:
    """No page but the last ends with a heading (nor holds only headings): the
    document's top-level elements on each page, in order, end with something else."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [cast(IndirectObject, page.indirect_reference).idnum for page in reader.pages]
    document: Any = next(e for tag, e in structure_tags(pdf) if tag == "/Document")
    last_on_page: dict[int, str] = {}
    for kid in document["/K"]:
        element = kid.get_object()
        last_on_page[element.raw_get("/Pg").idnum] = str(element["/S"])
    for number, page in enumerate(pages[:-1], start=1):
        assert not last_on_page.get(page, "").startswith("/H"), f"page {number} ends with a heading"


def disposition(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response["Content-Disposition"]


@time_machine.travel(NOW, tick=False)
class PdfTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        cls.pia.title = "pædagog"
        cls.pia.email = "pia@solsikken.example"
        cls.pia.save()
        cls.solsikken.phone = "12 34 56 78"
        cls.solsikken.save()
        assess(cls.emma, cls.pia, 3, on=date(2026, 8, 15))
        assess(cls.noah, cls.pia, 4, on=date(2026, 8, 15))
        cls.dialogue = final_dialogue(
            cls.emma,
            cls.pia,
            held_on=date(2026, 10, 1),
            steps=[("Pia tager imod Emma ved døren", cls.pia, date(2026, 11, 1))],
        )
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        cls.meeting = Meeting.objects.create(
            case=cls.case,
            scheduled_on=date(2026, 9, 30),
            held_on=date(2026, 9, 30),
            held_by=cls.rasmus,
            zone=3,
            decision=Decision.CONTINUE,
            minutes="Emma græder mindre ved aflevering.",
        )
        cls.underretning = Underretning.objects.create(
            child=cls.noah,
            made_by=cls.pia,
            notifier="Pia, pædagog",
            received_at=datetime(2026, 10, 1, 9, tzinfo=CPH),
            about="Noah har blå mærker.",
            receipt_sent_on=date(2026, 10, 2),
            feedback_sent_on=date(2026, 10, 10),
            feedback_text="Underretningen har ikke givet anledning til indsatser.",
        )

    def _get(self, user, url: str, **params):
        self.login(user)
        return self.client.get(url, params)

    def test_the_committees_quarterly_status_is_tagged_with_charts_described(self):
        report = generate.report_request(quarter=Quarter(2026, 3), user=self.frida)
        generate.report_generate(report)
        response = self._get(self.frida, reverse("report_download", args=[report.pk]))
        assert disposition(response) == 'attachment; filename="kvartalsstatus-2026-K3.pdf"'
        tags = assert_accessible(
            response.content, title="Kvartalsstatus til Børne- og Skoleudvalget, 3. kvartal 2026"
        )
        assert {"/H1", "/H2", "/Table", "/TH", "/L", "/LI"} <= set(tags)
        assert_tables_have_headers(response.content)
        assert_no_heading_ends_a_page(response.content)
        figures = [e for tag, e in structure_tags(response.content) if tag == "/Figure"]
        alts = [str(figure.get("/Alt", "")) for figure in figures]
        # The title and the figures in words (tidlig.lib.charts.for_pdf).
        assert len(alts) == 3 and all(". " in alt for alt in alts), alts
        assert any(
            "Børn fordelt på zoner. Zone 1 Trivsel: 0; Zone 2 Moderat trivsel: 0; Zone 3 Sårbar: <5"
            in alt
            for alt in alts
        ), alts

    def test_a_leaders_quarterly_status_of_the_unit_is_tagged_and_downloads(self):
        response = self._get(self.lars, reverse("leader_status_pdf"), kvartal="2026Q3")
        assert disposition(response) == (
            "attachment; filename*=utf-8''kvartalsstatus-b%C3%B8rnehaven-solsikken-2026-K3.pdf"
        )
        assert_accessible(
            response.content, title="Kvartalsstatus for Børnehaven Solsikken, 3. kvartal 2026"
        )
        assert_tables_have_headers(response.content)

    def test_the_raadgivning_status_is_tagged_and_downloads(self):
        response = self._get(self.lise, reverse("raadgivning_status_pdf"), kvartal="2026Q4")
        assert disposition(response) == 'attachment; filename="status-raadgivningen-2026-K4.pdf"'
        assert_accessible(
            response.content, title="Status for Børn & Ungerådgivningen, 4. kvartal 2026"
        )
        assert_tables_have_headers(response.content)

    def test_the_parents_loeft_pdf_is_tagged_and_ends_with_the_contact_person(self):
        response = self._get(self.pia, reverse("dialogue_pdf", args=[self.dialogue.pk]))
        assert disposition(response) == 'attachment; filename="loeft-dialog-2026-10-01.pdf"'
        assert_accessible(response.content, title="Det aftalte vi den 1. oktober 2026")
        assert_tables_have_headers(response.content)
        text = PdfReader(io.BytesIO(response.content)).pages[-1].extract_text()
        end = text[text.index("Jeres kontaktperson") :]
        for part in (
            "Pia, pædagog",
            "Børnehaven Solsikken",
            "Telefon: 12 34 56 78",
            "E-mail: pia@solsikken.example",
        ):
            assert part in end

    def test_the_minutes_are_tagged_and_download(self):
        response = self._get(self.rasmus, reverse("meeting_pdf", args=[self.meeting.pk]))
        assert disposition(response) == (
            'attachment; filename="referat-opfoelgningsmoede-2026-09-30.pdf"'
        )
        assert_accessible(response.content, title="Referat af opfølgningsmøde 30. september 2026")

    def test_no_page_of_the_minutes_ends_with_a_heading_however_long_they_are(self):
        said = "Mor fortæller, at morgenerne er blevet roligere, siden de står op til fast tid. "
        self.login(self.rasmus)
        for lines in range(20, 120, 7):
            self.meeting.minutes = "\n".join(said * (1 + n % 3) for n in range(lines))
            self.meeting.agreements = "\n".join(f"Aftale {n}." for n in range(lines // 4))
            self.meeting.save()
            response = self.client.get(reverse("meeting_pdf", args=[self.meeting.pk]))
            assert_no_heading_ends_a_page(response.content)

    def test_the_forums_minutes_are_tagged_and_name_no_child(self):
        forum = Forum.objects.create(name="Forum Nord")
        forum.consultants.set([self.karen])
        meeting = ForumMeeting.objects.create(forum=forum, date=date(2026, 10, 20))
        meeting.participants.set([self.karen])
        ForumCase.objects.create(
            forum=forum,
            meeting=meeting,
            brought_by=self.pia,
            unit=self.solsikken,
            age_years=5,
            unit_kind="boernehave",
            seen="Leger alene.",
            question="Hvordan hjælper vi legen?",
            advice="Små legegrupper.",
        )
        response = self._get(self.karen, reverse("forum_meeting_pdf", args=[meeting.pk]))
        assert disposition(response) == (
            'attachment; filename="referat-tvaerfagligt-forum-2026-10-20.pdf"'
        )
        assert_accessible(response.content, title="Referat af Forum Nord 20. oktober 2026")

    def test_the_access_request_export_is_tagged_and_names_no_child_in_its_file_name(self):
        response = self._get(self.lars, reverse("child_export_pdf", args=[self.emma.pk]))
        assert disposition(response) == 'attachment; filename="indsigt-2026-10-15.pdf"'
        tags = assert_accessible(response.content, title="Indsigt: oplysninger om Emma Holm")
        assert "/H3" in tags
        assert_tables_have_headers(response.content)

    def test_the_letters_to_a_notifier_are_tagged_and_download(self):
        for name, title, filename in (
            ("underretning_receipt_pdf", "Kvittering for modtagelse af underretning", "kvittering"),
            ("underretning_feedback_pdf", "Tilbagemelding på underretning", "tilbagemelding"),
        ):
            response = self._get(self.rasmus, reverse(name, args=[self.underretning.pk]))
            assert disposition(response) == (
                f'attachment; filename="{filename}-underretning-{self.underretning.pk}.pdf"'
            )
            assert_accessible(response.content, title=title)
