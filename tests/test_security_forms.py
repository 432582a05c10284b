"""Every free-text field of every form takes hostile text and gives it back as text.

For each form, the corpus of tests/security_payloads.py is submitted through the
real view by someone who may use the form, and then:

- the value stored is the payload exactly (stripped, as Django's CharField strips
  surrounding whitespace; the LØFT draft is stored as typed, unstripped);
- every page that shows it (the detail page, the list, the PDF's HTML, another
  user's view of it) shows it escaped: `escape(line)` is in the page for each
  line of it, the raw line is not when it holds markup characters, and no tag,
  event handler, `javascript:` URL or htmx attribute turns up in the page that
  the payload could have brought;
- values that are refused (a search, a username, an invalid choice) are
  reflected escaped in the page that refuses them.

Each form is one table row and one test, which runs as many rounds as there
are payloads: in round r the form's k-th text field gets payload r + k, so every
field gets every payload exactly once, each round's fields get different ones,
and a failure names the field. Each round runs in a savepoint that is rolled
back, so a meeting can be held, or an assessment corrected, once per round.

`test_it_covers_every_free_text_field` walks every form class the project
defines: a new form with a text field fails until it has a row here.

Pia is a pædagog and Lars the leader at Børnehaven Solsikken, where Emma and
Noah go. Rasmus is a caseworker and coordinates Noah's case; Rikke is another
caseworker. Karen is a PPR psychologist, Frida works in the forvaltning and
Adam is the administrator.
"""

import csv
import functools
import importlib
import io
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.forms import (
    DistrictForm,
    EmailForm,
    MFACodeForm,
    NewUserForm,
    ResetPasswordForm,
    SetPasswordForm,
    UnitForm,
    UnitGroupForm,
    UserFilterForm,
    UserForm,
)
from accounts.models import District, Role, Unit, UnitGroup, User
from children.audit_forms import AuditFilterForm
from children.consent_forms import ConsentForm
from children.forms import ConcernForm
from children.models import Concern, Consent, Enrollment, Guardian, TransitionNote
from desk.forms import ChildSearchForm, TransitionNoteForm
from followups import reminders
from followups.forms import (
    CaseMemberForm,
    CaseSummaryForm,
    EscalationForm,
    HandoverForm,
    InterventionForm,
    MeetingForm,
    MeetingRescheduleForm,
    PreventionLevelForm,
    UnderretningAssessmentForm,
    UnderretningForm,
    UnderretningRegisterForm,
)
from followups.models import (
    Case,
    CaseMember,
    Decision,
    Escalation,
    Handover,
    Intervention,
    Meeting,
    Underretning,
)
from followups.receipt_views import FeedbackForm
from loeft.forms import DialogueForm, NextStepDoneForm, NextStepForm
from loeft.models import Dialogue, NextStep
from loeft.tests.factories import dialogue_post, final_dialogue, guardian
from reports.archive_views import ReportRequestForm
from reports.presentation import Table
from reports.views import csv_bytes, xlsx_bytes
from ruler.forms import AssessmentForm, ZoneGuideForm
from ruler.models import Assessment, Reason, ZoneGuide
from tests.security_payloads import PAYLOADS
from tidlig.lib import ics
from tidlig.test import BaseTestCase, log_in, make_child, make_cpr, make_user

# The corpus takes minutes: CI runs it once, on PostgreSQL (see .ci/run).
pytestmark = pytest.mark.corpus

PROJECT_APPS = ("accounts", "children", "ruler", "loeft", "followups", "reports", "tidlig")
BENIGN = "Emma leger godt med Alma"


# How a page is checked -----------------------------------------------------------

# Characters that make text markup or break out of an attribute.
MARKUP = re.compile(r"[<>\"']")
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "background", "poster",
    "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete",
}  # fmt: skip
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def lines_of(value: str) -> list[str]:
    # linebreaksbr, the zone guide and the "one per line" fields change the text at
    # line breaks, so each line is looked for on its own.
    return [line.strip() for line in value.splitlines() if line.strip()]


def escaping_problems(html: str, value: str, *, shown: bool, baseline: str) -> list[str]:
    """How `value` (as stored) fails to appear as text in `html`."""
    problems = []
    for line in lines_of(value):
        if shown and escape(line) not in html:
            problems.append(f"not shown escaped: {line[:80]!r}")
        # A raw line that is markup in the page as it is anyway (e.g. "</script>") says nothing.
        if MARKUP.search(line) and line in html and line not in baseline:
            problems.append(f"shown unescaped: {line[:80]!r}")
    return problems


class MarkupFinder(HTMLParser):
    """What a page holds that an injected payload could have put there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        if tag in FORBIDDEN_TAGS:
            self.found.add(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "srcdoc" or name.startswith("hx-on"):
                self.found.add(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "vbscript:", "data:")):
                self.found.add(f"<{tag} {name}={value[:30]}>")
            if name.startswith("hx-") and "/xss" in value:
                self.found.add(f"<{tag} {name}={value[:30]}>")
            if tag == "meta" and name == "http-equiv" and value == "refresh":
                self.found.add("<meta http-equiv=refresh>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert" in data:
            self.found.add("<script>alert…</script>")


@functools.lru_cache(maxsize=4)  # the baseline is parsed again every round
def injected_markup(html: str) -> set[str]:
    finder = MarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class HTMLAsIs:
    """Stands in for weasyprint.HTML: the "PDF" is the HTML it would have printed."""

    def __init__(self, *, string: str, **kwargs) -> None:
        self.string = string

    def write_pdf(self, **kwargs) -> bytes:
        return self.string.encode()


# The table of forms ----------------------------------------------------------------


@dataclass
class Text:
    """One free-text field: its form field, and where the value is stored."""

    form: type[forms.Form | forms.ModelForm]
    name: str
    get: Callable[[Any], str] | None = None  # the stored value; default: obj.<name>
    shown: bool = True  # False: no page shows it, so only raw markup is looked for
    strip: bool = True  # Django's CharField strips surrounding whitespace
    collapse: bool = False  # the form joins all whitespace into single spaces (a name)

    def sent(self, value: str) -> str:
        if self.collapse:
            return " ".join(value.split())
        return value.strip() if self.strip else value

    @property
    def max_length(self) -> int | None:
        return getattr(self.form.base_fields.get(self.name), "max_length", None)

    def stored(self, obj) -> str:
        return self.get(obj) if self.get else getattr(obj, self.name)


@dataclass
class Row:
    """One form: who submits it where, and what shows the result.

    `saved` returns the object the submission wrote (None for a form that stores
    nothing: a search, a refused value; then its own answer is checked); `pages`
    the (viewer, URL) pairs that show the stored text. All callables take the
    test case, which holds the fixtures.
    """

    user: str
    url: Callable[[Any], str]
    fields: dict[str, Text]
    data: Callable[[Any], dict] = lambda t: {}
    saved: Callable[[Any], Any] | None = None
    pages: Callable[[Any, Any], list[tuple[str, str]]] = lambda t, obj: []
    status: tuple[int, ...] = (302,)
    method: str = "post"
    prepare: Callable[[Any], None] | None = None  # before each round, e.g. a fresh draft
    also_check: Callable[[Any, Any, dict, list], None] | None = None  # more, for a round


def started_by(meeting: Meeting) -> Intervention:
    """The intervention a meeting's decision started."""
    return meeting.case.interventions.latest("start", "pk")


def days(n: int) -> str:
    return str(timezone.localdate() + timedelta(days=n))


def url(name: str, *args) -> str:
    return reverse(name, args=[getattr(arg, "pk", arg) for arg in args])


def open_reset_link(t) -> None:
    """Karen opens the link from her email; Django moves the token into the session."""
    uid = urlsafe_base64_encode(force_bytes(t.karen.pk))
    link = reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(t.karen)]
    )
    t.reset_url = t.clients["anonymous"].get(link)["Location"]


def new_draft(t) -> None:
    t.draft = Dialogue.objects.create(child=t.emma, author=t.pia)


def draft_value(key: str) -> Callable[[Dialogue], str]:
    return lambda dialogue: dialogue.draft_data[key][-1]


DIALOGUE_TEXT = ["others", "what_works", "wished_future", "scale_step", "child_voice", "agreements"]


def check_ics(t, meeting, values: dict, failures: list) -> None:
    """The location goes into the calendar file: escaped as iCalendar text, one line."""
    body = t.clients["rasmus"].get(url("meeting_ics", meeting)).content.decode()
    lines = body.replace("\r\n ", "").split("\r\n")  # unfolded content lines
    names = {line.split(":", 1)[0] for line in lines if line}
    allowed = {"BEGIN", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "DTSTAMP", "DTSTART"}
    allowed |= {"SEQUENCE", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "END"}
    location = values["location"].strip()
    if names - allowed:
        failures.append(f"meeting_ics: {location[:40]!r} added lines {sorted(names - allowed)}")
    if f"LOCATION:{ics.escape(location)}" not in lines:
        failures.append(f"meeting_ics: LOCATION is not {location[:40]!r} escaped")


def unsend_feedback(item: Underretning) -> None:
    Underretning.objects.filter(pk=item.pk).update(
        feedback_sent_on=None, decision="ingen", decision_reason="Grundløs."
    )


def user_data(t, username="nybruger") -> dict:
    return {"username": username, "email": f"{username}@example.dk", "is_active": "on"}


ROWS: dict[str, Row] = {
    # Pia writes down what she saw; it shows on Emma's page.
    "concern": Row(
        user="pia",
        url=lambda t: url("concern_create", t.emma),
        data=lambda t: {"observed_on": days(-1)},
        fields={"text": Text(ConcernForm, "text")},
        saved=lambda t: Concern.objects.latest("pk"),
        pages=lambda t, obj: [("pia", url("child", t.emma))],
    ),
    # Pia places Emma on Børnelinealen (zone 3: the three columns are required).
    "assessment": Row(
        user="pia",
        url=lambda t: url("assessment_create", t.emma),
        data=lambda t: {"assessed_on": days(-1), "reason": Reason.CONCERN, "zone": "3"},
        fields={
            "concern_text": Text(AssessmentForm, "concern_text", get=lambda a: a.concern.text),
            "what_works": Text(AssessmentForm, "what_works"),
            "what_worries": Text(AssessmentForm, "what_worries"),
            "what_must_happen": Text(AssessmentForm, "what_must_happen"),
            "others_involved": Text(AssessmentForm, "others_involved"),
        },
        saved=lambda t: Assessment.objects.latest("pk"),
        pages=lambda t, obj: [("pia", url("assessment", obj))],
    ),
    # Pia corrects her own assessment; the note shows in the versions table.
    "assessment_correction": Row(
        user="pia",
        url=lambda t: url("assessment_correct", t.emmas_assessment),
        data=lambda t: {"assessed_on": days(-10), "reason": Reason.ONGOING, "zone": "3"},
        fields={
            name: Text(AssessmentForm, name)
            for name in (
                "what_works",
                "what_worries",
                "what_must_happen",
                "others_involved",
                "correction_note",
            )
        },
        saved=lambda t: Assessment.objects.get(pk=t.emmas_assessment.pk).corrected_by,
        pages=lambda t, obj: [("pia", url("assessment", obj))],
    ),
    # Adam writes the municipality's guide for zone 3; Pia reads it beside Emma's assessment.
    "zone_guide": Row(
        user="adam",
        url=lambda t: url("admin_zone_guide_edit", 3),
        fields={"text": Text(ZoneGuideForm, "text")},
        saved=lambda t: ZoneGuide.objects.get(zone=3),
        pages=lambda t, obj: [("pia", url("assessment", t.emmas_assessment))],
    ),
    # The LØFT draft is autosaved as typed and put back into the form.
    "dialogue_draft": Row(
        user="pia",
        prepare=new_draft,
        url=lambda t: url("dialogue_autosave", t.draft),
        data=lambda t: dialogue_post(held_on=days(-1)),
        fields={
            **{
                name: Text(DialogueForm, name, get=draft_value(name), strip=False)
                for name in DIALOGUE_TEXT
            },
            "skridt-0-text": Text(
                NextStepForm, "text", get=draft_value("skridt-0-text"), strip=False
            ),
        },
        saved=lambda t: Dialogue.objects.get(pk=t.draft.pk),
        pages=lambda t, obj: [("pia", url("dialogue_edit", obj))],
        status=(200,),
    ),
    # Pia finalises a dialogue with a next step; the page, her tasks and the PDF show it.
    "dialogue": Row(
        user="pia",
        prepare=new_draft,
        url=lambda t: url("dialogue_edit", t.draft),
        data=lambda t: dialogue_post(
            held_on=days(-1),
            afslut="1",
            **{"skridt-0-owner": f"u{t.pia.pk}", "skridt-0-due": days(7)},
        ),
        fields={
            **{name: Text(DialogueForm, name) for name in DIALOGUE_TEXT},
            "skridt-0-text": Text(NextStepForm, "text", get=lambda d: d.next_steps.get().text),
        },
        saved=lambda t: Dialogue.objects.get(pk=t.draft.pk),
        pages=lambda t, obj: [("pia", url("dialogue", obj)), ("pia", url("dialogue_pdf", obj))],
    ),
    # Pia saves a dialogue Lars saved meanwhile: both versions side by side, hers escaped.
    "dialogue_conflict": Row(
        user="pia",
        url=lambda t: url("dialogue_edit", t.emmas_dialogue),
        data=lambda t: dialogue_post(held_on=days(-30), version="0"),
        fields={name: Text(DialogueForm, name) for name in DIALOGUE_TEXT},
        status=(200,),
    ),
    # Pia marks a next step done with a comment.
    "next_step_done": Row(
        user="pia",
        url=lambda t: url("next_step_update", t.emmas_step),
        data=lambda t: {"done_on": days(-1)},
        fields={"comment": Text(NextStepDoneForm, "comment", get=lambda s: s.done_comment)},
        saved=lambda t: NextStep.objects.get(pk=t.emmas_step.pk),
        pages=lambda t, obj: [("pia", url("dialogue", t.emmas_dialogue))],
    ),
    # Lars sends Emma to the rådgivning; Rasmus reads why in the intake queue.
    "escalation": Row(
        user="lars",
        url=lambda t: url("escalate", t.emma),
        fields={"reason": Text(EscalationForm, "reason")},
        saved=lambda t: Escalation.objects.latest("pk"),
        pages=lambda t, obj: [("rasmus", url("intake"))],
    ),
    # Pia records an underretning; Rasmus reads it in the intake queue.
    "underretning": Row(
        user="pia",
        url=lambda t: url("underretning_create", t.emma),
        fields={"about": Text(UnderretningForm, "about")},
        saved=lambda t: Underretning.objects.latest("pk"),
        pages=lambda t, obj: [("rasmus", url("intake")), ("rasmus", url("underretning", obj))],
    ),
    # Rasmus registers one that came by phone, about a child Tidlig does not know
    # yet (a new CPR number each round), and reads it on its page and in the intake.
    "underretning_register": Row(
        user="rasmus",
        url=lambda t: url("underretning_register"),
        data=lambda t: {
            "cpr": make_cpr(date(2019, 5, 17)),
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "telefon",
            "source": "fagperson",
        },
        fields={
            "about": Text(UnderretningRegisterForm, "about"),
            "notifier": Text(UnderretningRegisterForm, "notifier"),
            "notifier_contact": Text(UnderretningRegisterForm, "notifier_contact"),
            "first_name": Text(
                UnderretningRegisterForm, "first_name", get=lambda u: u.child.first_name
            ),
            "last_name": Text(
                UnderretningRegisterForm, "last_name", get=lambda u: u.child.last_name
            ),
        },
        saved=lambda t: Underretning.objects.latest("pk"),
        pages=lambda t, obj: [("rasmus", url("underretning", obj)), ("rasmus", url("intake"))],
    ),
    # Rasmus decides that Oskar's underretning needs no more, and why.
    "underretning_assessment": Row(
        user="rasmus",
        url=lambda t: url("underretning_assess", t.oskars_underretning),
        data=lambda t: {
            "assessed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "acute": "nej",
            "decision": "ingen",
        },
        fields={"decision_reason": Text(UnderretningAssessmentForm, "decision_reason")},
        saved=lambda t: Underretning.objects.get(pk=t.oskars_underretning.pk),
        pages=lambda t, obj: [("rasmus", url("underretning", obj))],
    ),
    # Rasmus writes the tilbagemelding to the teacher who made it; sent once, so a
    # round starts with it unsent.
    "underretning_feedback": Row(
        user="rasmus",
        url=lambda t: url("underretning_feedback", t.oskars_underretning),
        fields={"text": Text(FeedbackForm, "text", get=lambda u: u.feedback_text)},
        prepare=lambda t: unsend_feedback(t.oskars_underretning),
        saved=lambda t: Underretning.objects.get(pk=t.oskars_underretning.pk),
        pages=lambda t, obj: [("rasmus", url("underretning", obj))],
    ),
    # Rasmus puts Karen on Noah's team with her profession.
    "case_member": Row(
        user="rasmus",
        url=lambda t: url("case_member_add", t.noahs_case),
        data=lambda t: {"user": t.karen.pk},
        fields={"profession": Text(CaseMemberForm, "profession")},
        saved=lambda t: CaseMember.objects.get(case=t.noahs_case, user=t.karen),
        pages=lambda t, obj: [("rasmus", url("case", t.noahs_case))],
    ),
    "intervention": Row(
        user="rasmus",
        url=lambda t: url("intervention_create", t.noahs_case),
        data=lambda t: {"step": "2", "start": days(0), "end_current": "on"},
        fields={
            "kind": Text(InterventionForm, "kind"),
            "provider": Text(InterventionForm, "provider"),
        },
        saved=lambda t: Intervention.objects.latest("pk"),
        pages=lambda t, obj: [("rasmus", url("case", t.noahs_case))],
    ),
    # Rasmus offers the case to Rikke with a note; she reads it on the offer.
    "handover": Row(
        user="rasmus",
        url=lambda t: url("handover_create", t.noahs_case),
        data=lambda t: {"to_user": t.rikke.pk},
        fields={"note": Text(HandoverForm, "note")},
        saved=lambda t: Handover.objects.latest("pk"),
        pages=lambda t, obj: [("rikke", url("handover_answer", obj))],
    ),
    # Rasmus records Noah's follow-up meeting; the minutes show on the page and in
    # the PDF, what helps and what worries in the assessment the meeting made.
    "meeting": Row(
        user="rasmus",
        url=lambda t: url("meeting", t.noahs_meeting),
        data=lambda t: {
            "held_on": days(0),
            "participants": [t.rasmus.pk],
            "zone": "2",
            "decision": Decision.ADJUST,
            "new_step": "2",
            "new_kind": "Familiebehandling",
            "next_on": days(90),
            "skridt-TOTAL_FORMS": "3",
            "skridt-INITIAL_FORMS": "0",
            **{"skridt-0-owner": f"u{t.rasmus.pk}", "skridt-0-due": days(30)},
        },
        fields={
            "others": Text(MeetingForm, "others"),
            "what_works": Text(MeetingForm, "what_works", get=lambda m: m.assessment.what_works),
            "what_worries": Text(
                MeetingForm, "what_worries", get=lambda m: m.assessment.what_worries
            ),
            "minutes": Text(MeetingForm, "minutes"),
            # The intervention the decision starts: in the minutes and on the case page.
            "new_kind": Text(MeetingForm, "new_kind", get=lambda m: started_by(m).kind),
            "new_provider": Text(MeetingForm, "new_provider", get=lambda m: started_by(m).provider),
            # A next step agreed at the meeting (LØFT's rows): on the page and in the PDF.
            "skridt-0-text": Text(NextStepForm, "text", get=lambda m: m.next_steps.get().text),
        },
        saved=lambda t: Meeting.objects.get(pk=t.noahs_meeting.pk),
        pages=lambda t, obj: [
            ("rasmus", url("meeting", obj)),
            ("rasmus", url("meeting_pdf", obj)),
            ("rasmus", url("assessment", obj.assessment)),
            ("rasmus", url("case", obj.case)),
        ],
    ),
    # Rasmus moves the meeting to a room; the place goes into the calendar file too.
    "meeting_location": Row(
        user="rasmus",
        url=lambda t: url("meeting_reschedule", t.noahs_meeting),
        data=lambda t: {"scheduled_on": days(14), "starts_at": "09:30"},
        fields={"location": Text(MeetingRescheduleForm, "location")},
        saved=lambda t: Meeting.objects.get(pk=t.noahs_meeting.pk),
        pages=lambda t, obj: [("rasmus", url("meeting", obj))],
        also_check=check_ics,
    ),
    # Adam's organisation pages. A unit's name reaches everyone's pages.
    "unit_create": Row(
        user="adam",
        url=lambda t: url("admin_unit_create"),
        data=lambda t: {"kind": "boernehave", "district": t.nordby.pk, "active": "on"},
        # The phone is printed in the parents' LØFT PDF, no page shows it.
        fields={"name": Text(UnitForm, "name"), "phone": Text(UnitForm, "phone", shown=False)},
        saved=lambda t: Unit.objects.latest("pk"),
        pages=lambda t, obj: [("adam", url("admin_units"))],
    ),
    "unit_edit": Row(
        user="adam",
        url=lambda t: url("admin_unit_edit", t.solsikken),
        data=lambda t: {"kind": "boernehave", "district": t.nordby.pk, "active": "on"},
        fields={"name": Text(UnitForm, "name")},
        saved=lambda t: Unit.objects.get(pk=t.solsikken.pk),
        # The audit viewer names the organisation's records: "Enhed: <name>".
        pages=lambda t, obj: [
            ("adam", url("admin_units")),
            ("pia", url("home")),
            ("adam", url("admin_audit")),
        ],
    ),
    "district": Row(
        user="adam",
        url=lambda t: url("admin_districts"),
        fields={"name": Text(DistrictForm, "name")},
        saved=lambda t: District.objects.latest("pk"),
        pages=lambda t, obj: [("adam", url("admin_districts"))],
    ),
    "user_create": Row(
        user="adam",
        url=lambda t: url("admin_user_create"),
        data=lambda t: {
            **user_data(t),
            "unit": t.solsikken.pk,
            "role": Role.FAGPERSON,
            "password1": "Gyngerne-i-Solsikken-2025",
            "password2": "Gyngerne-i-Solsikken-2025",
        },
        fields={name: Text(NewUserForm, name) for name in ("first_name", "last_name", "title")},
        saved=lambda t: User.objects.get(username="nybruger"),
        pages=lambda t, obj: [("adam", url("admin_user_edit", obj))],
    ),
    # Adam renames Karen; her own pages greet her by name and title.
    "user_edit": Row(
        user="adam",
        url=lambda t: url("admin_user_edit", t.karen),
        data=lambda t: user_data(t, "karen"),
        fields={name: Text(UserForm, name) for name in ("first_name", "last_name", "title")},
        saved=lambda t: User.objects.get(pk=t.karen.pk),
        pages=lambda t, obj: [("adam", url("admin_users")), ("karen", url("home"))],
    ),
    # Values that are refused come back in the form that refuses them.
    "user_create_refused": Row(
        user="adam",
        url=lambda t: url("admin_user_create"),
        data=lambda t: {"unit": t.solsikken.pk, "role": Role.FAGPERSON},
        fields={
            name: Text(NewUserForm, name)
            for name in ("username", "email", "first_name", "last_name", "title")
        },
        status=(200,),
    ),
    "user_edit_refused": Row(
        user="adam",
        url=lambda t: url("admin_user_edit", t.karen),
        data=lambda t: {"is_active": "on"},
        fields={
            name: Text(UserForm, name)
            for name in ("username", "email", "first_name", "last_name", "title")
        },
        status=(200,),
    ),
    # A password is never shown again, not even when it is refused.
    "password": Row(
        user="adam",
        url=lambda t: url("admin_user_password", t.karen),
        fields={
            "password1": Text(SetPasswordForm, "password1", shown=False),
            "password2": Text(SetPasswordForm, "password2", shown=False),
        },
        status=(200, 302),  # 302: the payload happened to pass the password validators
    ),
    # The same form behind the emailed reset link, opened before each round.
    "password_reset_link": Row(
        user="anonymous",
        prepare=lambda t: open_reset_link(t),
        url=lambda t: t.reset_url,
        fields={
            "password1": Text(ResetPasswordForm, "password1", shown=False),
            "password2": Text(ResetPasswordForm, "password2", shown=False),
        },
        status=(200, 302),
    ),
    "login": Row(
        user="anonymous",
        url=lambda t: url("login"),
        data=lambda t: {"password": "forkert"},
        fields={"username": Text(AuthenticationForm, "username")},
        status=(200,),
    ),
    # Glemt adgangskode: a refused address comes back in the form (no payload is
    # a valid address, so none is sent on).
    "password_reset": Row(
        user="anonymous",
        url=lambda t: url("password_reset"),
        fields={"email": Text(EmailForm, "email")},
        status=(200,),
    ),
    # Setting up a new authenticator app: a wrong code comes back in the form (the
    # code page itself sends a verified user on without reading the form).
    "mfa_code": Row(
        user="pia",
        url=lambda t: url("mfa_enrol"),
        fields={"code": Text(MFACodeForm, "code")},
        status=(200,),
    ),
    # Pia sends Ella's overleveringsnotat to Nordby Skole; it shows on the note's
    # page and, for Lars, in the form to correct it.
    "transition_note": Row(
        user="pia",
        url=lambda t: url("transition_note_edit", t.ellas_old, t.ellas_new),
        data=lambda t: {"handling": "send", "parents_seen": "on"},
        fields={
            "what_works": Text(TransitionNoteForm, "what_works"),
            "needs": Text(TransitionNoteForm, "needs"),
            "parents_wish": Text(TransitionNoteForm, "parents_wish"),
            "open_steps": Text(TransitionNoteForm, "open_steps"),
        },
        saved=lambda t: TransitionNote.objects.latest("pk"),
        pages=lambda t, obj: [
            ("pia", obj.get_absolute_url()),
            ("lars", url("transition_note_edit", t.ellas_old, t.ellas_new)),
        ],
    ),
    # Rasmus shares a summary of Noah's case: Lars reads it on Noah's page.
    "case_summary": Row(
        user="rasmus",
        url=lambda t: url("case_summary", t.noahs_case),
        fields={"shared_summary": Text(CaseSummaryForm, "shared_summary")},
        saved=lambda t: Case.objects.get(pk=t.noahs_case.pk),
        pages=lambda t, obj: [("rasmus", url("case", obj)), ("lars", url("child", t.noah))],
    ),
    # Rasmus chooses Noah's prevention level himself, with the reason, on the case page.
    "case_prevention_level": Row(
        user="rasmus",
        url=lambda t: url("case_edit", t.noahs_case),
        data=lambda t: {"level": "tertiaer"},
        fields={
            "reason": Text(PreventionLevelForm, "reason", get=lambda c: c.prevention_level_reason)
        },
        saved=lambda t: Case.objects.get(pk=t.noahs_case.pk),
        pages=lambda t, obj: [("rasmus", url("case", obj))],
    ),
    # Pia records the parents' consent with a note; it shows on Emma's page.
    "consent": Row(
        user="pia",
        url=lambda t: url("consent_create", t.emma),
        data=lambda t: {
            "guardian": Guardian.objects.filter(child=t.emma).values_list("pk", flat=True)[0],
            "purpose": "andre_enheder",
            "units": [t.skolen.pk],
            "given_on": days(0),
        },
        fields={"note": Text(ConsentForm, "note")},
        saved=lambda t: Consent.objects.latest("pk"),
        pages=lambda t, obj: [("pia", url("child", t.emma))],
    ),
    # Adam adds a stue to Solsikken; its name shows on the unit's page.
    "unit_group": Row(
        user="adam",
        url=lambda t: url("admin_unit_group_create", t.solsikken),
        data=lambda t: {"group-kind": "stue"},  # the unit page's group form has a prefix
        fields={"group-name": Text(UnitGroupForm, "name", collapse=True)},
        saved=lambda t: UnitGroup.objects.latest("pk"),
        pages=lambda t, obj: [("adam", url("admin_unit_edit", t.solsikken))],
    ),
    # Searches store nothing but the audit entry; the term comes back in the form.
    "child_search": Row(
        user="pia",
        url=lambda t: url("child_list"),
        fields={"q": Text(ChildSearchForm, "q")},
        status=(200,),
    ),
    "user_search": Row(
        user="adam",
        method="get",
        url=lambda t: url("admin_users"),
        fields={"q": Text(UserFilterForm, "q")},
        status=(200,),
    ),
    # A user typed into the audit viewer's filter: refused, and named in the error.
    "audit_user_filter": Row(
        user="adam",
        method="get",
        url=lambda t: url("admin_audit"),
        fields={"user": Text(AuditFilterForm, "user")},
        status=(200,),
    ),
    # An invalid choice is named in the error message (the quarter list is not text).
    "report_quarter": Row(
        user="frida",
        url=lambda t: url("report_request"),
        fields={"quarter": Text(ReportRequestForm, "quarter", shown=False)},
        status=(400,),
    ),
}

# Free-text fields ("module.Form.field") that no row submits, and why.
NOT_COVERED: dict[str, str] = {
    # Ten digits or refused with a Danish message; what is stored is the encrypted
    # number, never shown but masked (children/tests/test_import.py, the CPR tests).
    "followups.forms.UnderretningRegisterForm.cpr": "validated to a CPR number",
}


def fit(payload: str, max_length: int | None) -> str:
    """The payload, clipped to the field's limit (the long text is longer than most)."""
    return payload[:max_length] if max_length else payload


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SecurityFormsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.nordby = cls.solsikken.district
        cls.rikke = make_user("rikke", cls.raadgivningen, Role.RAADGIVER, first_name="Rikke")
        guardian(cls.emma)
        cls.emmas_assessment = Assessment.objects.create(
            child=cls.emma,
            author=cls.pia,
            assessed_on=today - timedelta(days=10),
            zone=3,
            what_works="Alma",
            what_worries="Aflevering",
            what_must_happen="Far afleverer",
        )
        cls.emmas_dialogue = final_dialogue(
            cls.emma,
            cls.pia,
            held_on=today - timedelta(days=30),
            steps=[("Ring til mor", cls.pia, today + timedelta(days=7))],
        )
        cls.emmas_step = cls.emmas_dialogue.next_steps.get()
        cls.noahs_case = Case.objects.create(
            child=cls.noah, coordinator=cls.rasmus, opened_on=today - timedelta(days=30)
        )
        cls.noahs_meeting = cls.noahs_case.schedule_first_meeting()
        cls.oskars_underretning = Underretning.objects.create(
            child=cls.oskar,
            received_at=timezone.now() - timedelta(hours=2),
            about="Oskar er sulten.",
            notifier="Sofie, lærer",
        )
        # Ella leaves Solsikken for Nordby Skole in a month (children.transitions).
        ella = make_child("Ella", "Krogh", date(2020, 5, 5))
        cls.ellas_old = Enrollment.objects.create(
            child=ella, unit=cls.solsikken, start=date(2024, 8, 1), end=today + timedelta(days=30)
        )
        cls.ellas_new = Enrollment.objects.create(
            child=ella, unit=cls.skolen, start=today + timedelta(days=31)
        )

    def run_row(self, row: Row) -> None:
        # Logged in before the rounds: a session made in a round would be rolled back.
        self.clients = {"anonymous": Client()}
        for name in ("pia", "lars", "rasmus", "rikke", "karen", "frida", "adam"):
            self.clients[name] = Client()
            log_in(self.clients[name], getattr(self, name))
        failures: list[str] = []
        with mock.patch("tidlig.lib.pdf.HTML", HTMLAsIs):
            # A first round with plain text: the row works, and the pages as they
            # are without a payload tell which markup is the app's own.
            baseline = self.submit(row, dict.fromkeys(row.fields, BENIGN), failures)
            assert not failures, "\n".join(failures)
            keys = list(row.fields)
            for round_ in range(len(PAYLOADS)):
                values = {
                    key: fit(PAYLOADS[(round_ + k) % len(PAYLOADS)], row.fields[key].max_length)
                    for k, key in enumerate(keys)
                }
                self.submit(row, values, failures, baseline=baseline)
        assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])

    def submit(self, row: Row, values: dict, failures: list, baseline: str = "") -> str:
        """One round in a savepoint that is rolled back: submit, read back, look."""
        with transaction.atomic():
            html = self._submit(row, values, failures, baseline)
            transaction.set_rollback(True)
        return html

    def _submit(self, row: Row, values: dict, failures: list, baseline: str) -> str:
        if row.prepare:
            row.prepare(self)
        client = self.clients[row.user]
        send = client.post if row.method == "post" else client.get
        target = row.url(self)
        response = send(target, {**row.data(self), **values})
        sent_to = response.get("Location", "").split("?")[0]
        sent_to_login = sent_to in (reverse("login"), reverse("mfa_verify"))
        if response.status_code not in row.status or sent_to_login:
            failures.append(f"{target}: {response.status_code} for {values}")
            return ""
        pages = [response.content.decode()]
        if row.saved is not None:
            obj = row.saved(self)
            for key, text in row.fields.items():
                want = text.sent(values[key])
                got = text.stored(obj)
                if got != want:
                    failures.append(f"{key}: stored {got[:60]!r}, sent {want[:60]!r}")
            for viewer, page_url in row.pages(self, obj):
                page = self.clients[viewer].get(page_url)
                if page.status_code != 200:
                    failures.append(f"{page_url} as {viewer}: {page.status_code}")
                pages.append(page.content.decode())
            if row.also_check:
                row.also_check(self, obj, values, failures)
        html = "\n".join(pages)
        for key, text in row.fields.items():
            value = text.sent(values[key])
            for problem in escaping_problems(html, value, shown=text.shown, baseline=baseline):
                failures.append(f"{key}: {problem}")
        for markup in injected_markup(html) - injected_markup(baseline or html):
            sent = {key: value[:30] for key, value in values.items()}
            failures.append(f"{target} with {sent}: the page has {markup}")
        return html

    def test_it_covers_every_free_text_field(self):
        for app in PROJECT_APPS:
            package = importlib.import_module(app)
            for module in pkgutil.walk_packages(package.__path__, f"{app}."):
                if not re.search(r"\.(tests|migrations|management)(\.|$)", module.name):
                    importlib.import_module(module.name)

        def subclasses(cls):
            for sub in cls.__subclasses__():
                yield sub
                yield from subclasses(sub)

        covered = {(t.form, t.name) for row in ROWS.values() for t in row.fields.values()}
        project_forms = {
            form
            for form in subclasses(forms.BaseForm)
            if form.__module__.startswith(tuple(f"{app}." for app in PROJECT_APPS))
        }
        assert {ConcernForm, MeetingForm, ReportRequestForm, UnitForm} <= project_forms
        # base_fields: the declared and model fields. A text field added in a form's
        # __init__ would not be seen here (none is: extensions add choice fields).
        missing = []
        for form in project_forms:
            for name, form_field in getattr(form, "base_fields", {}).items():
                key = f"{form.__module__}.{form.__qualname__}.{name}"
                free_text = isinstance(form_field, forms.CharField)
                if free_text and key not in NOT_COVERED and (form, name) not in covered:
                    missing.append(key)
        assert not missing, f"add a row to ROWS for: {sorted(missing)}"

    def test_it_would_notice_a_payload_shown_as_markup(self):
        # The checks themselves: raw output fails them, escaped output passes.
        for payload in PAYLOADS:
            raw, escaped = f"<p>{payload}</p>", f"<p>{escape(payload)}</p>"
            assert not escaping_problems(escaped, payload, shown=True, baseline="")
            if MARKUP.search(payload):
                assert escaping_problems(raw, payload, shown=True, baseline=""), payload
        assert injected_markup("<p><img src=x onerror=alert(1)></p>") == {"<img onerror=…>"}
        assert injected_markup('<a href=" JavaScript:alert(1)">x</a>') == {
            "<a href=javascript:alert(1)>"
        }
        assert injected_markup('<div hx-get="/xss" hx-trigger="load">') == {"<div hx-get=/xss>"}
        assert injected_markup("<script>alert(1)</script><iframe srcdoc=x>") == {
            "<script>alert…</script>",
            "<iframe>",
            "<iframe srcdoc=…>",
        }
        assert not injected_markup(f"<p>{escape('<img src=x onerror=alert(1)>')}</p>")

    def test_it_has_a_corpus_of_at_least_50_payloads(self):
        assert len(PAYLOADS) >= 50
        assert len(set(PAYLOADS)) == len(PAYLOADS)
        assert not any("\x00" in payload for payload in PAYLOADS)

    def test_it_prints_payloads_as_text_in_the_loeft_pdf(self):
        # WeasyPrint would drop a tag it was given as markup; the text in the PDF
        # holding the tag's characters shows it was escaped.
        payloads = [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "<b>fed</b> {{7*7}} {% debug %}",
            "&lt;i&gt;kursiv&lt;/i&gt;",
            "' OR '1'='1",
            '<div hx-get="/xss" hx-trigger="load">mere</div>',
        ]
        fields = ["what_works", "wished_future", "scale_step", "child_voice", "agreements"]
        dialogue = final_dialogue(
            self.emma,
            self.pia,
            steps=[(payloads[-1], self.pia, date(2025, 10, 8))],
            scale_now=4,
            **dict(zip(fields, payloads, strict=False)),
        )
        self.login(self.pia)
        response = self.client.get(url("dialogue_pdf", dialogue))
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        for payload in payloads:
            assert "".join(payload.split()) in text, payload

    def test_it_prints_payloads_as_text_in_the_meeting_minutes(self):
        meeting = self.noahs_meeting
        meeting.held_on, meeting.zone, meeting.decision = timezone.localdate(), 2, "juster"
        meeting.minutes = "<script>alert(1)</script> <b>fed</b>"
        meeting.agreements = '"><img src=x onerror=alert(1)> {{7*7}}'
        meeting.others = "<i>Mormor</i> Inge"
        meeting.save()
        self.login(self.rasmus)
        response = self.client.get(url("meeting_pdf", meeting))
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        for payload in (meeting.minutes, meeting.agreements, meeting.others):
            assert "".join(payload.split()) in text, payload

    def test_it_writes_a_unit_name_as_text_in_the_exports(self):
        # Lars leads Solsikken: its name heads his exports ("Omfang") and his
        # dashboard. A spreadsheet runs a cell that starts like a formula, so the
        # CSV quotes it with an apostrophe, and the XLSX stores it as a string.
        self.login(self.lars)
        formulas = ('=HYPERLINK("https://evil.example/","Klik")', "@SUM(1+1)", "+cmd|' /C calc'!A0")
        for name in formulas:
            Unit.objects.filter(pk=self.solsikken.pk).update(name=name)
            content = self.client.get(url("report_export", "csv")).content.decode("utf-8-sig")
            assert ["Omfang", "'" + name] in csv.reader(io.StringIO(content), delimiter=";")
            content = self.client.get(url("report_export", "xlsx")).content
            sheet = load_workbook(io.BytesIO(content)).active
            scope = next(row for row in sheet.iter_rows() if row[0].value == "Omfang")[1]
            assert (scope.value, scope.data_type) == (name, "s")
        name = '"><img src=x onerror=alert(1)> <div hx-get="/xss" hx-trigger="load">'
        Unit.objects.filter(pk=self.solsikken.pk).update(name=name)
        html = self.client.get(url("report_dashboard")).content.decode()
        assert not escaping_problems(html, name, shown=True, baseline="")
        assert not injected_markup(html) & {"<img onerror=…>", "<div hx-get=/xss>"}

    def test_it_writes_every_payload_as_text_in_csv_and_xlsx(self):
        # The writers behind the exports, with the corpus in every kind of cell: a
        # title, a column heading, a row's first cell and a note.
        failures = []
        for payload in PAYLOADS:
            table = Table("x", payload, [payload, "Antal"], [[payload, "7"]], note=payload)
            content = csv_bytes([[payload]], [table]).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(content), delimiter=";"))
            cells = [cell for row in rows for cell in row if cell not in ("", "Antal", "7")]
            formula = payload[:1] in "=@" or (
                payload[:1] in "+-" and not re.match(r"^[+-]?\d+([.,]\d+)?$", payload)
            )
            wanted = "'" + payload if formula else payload
            failures += [
                f"csv: {payload[:40]!r} as {cell[:40]!r}" for cell in cells if cell != wanted
            ]

            sheet = load_workbook(io.BytesIO(xlsx_bytes([[payload]], [table]))).active
            cells = [
                c for row in sheet.iter_rows() for c in row if c.value not in (None, "Antal", 7)
            ]
            # XML turns CRLF into LF; that is not a difference that matters here.
            written = payload.replace("\r\n", "\n").replace("\r", "\n")
            failures += [
                f"xlsx: {payload[:40]!r} as {c.value!r} ({c.data_type})"
                for c in cells
                if c.value != written or c.data_type != "s"
            ]
        assert not failures, "\n".join(failures)


def _row_test(name: str) -> Callable:
    def test(self):
        self.run_row(ROWS[name])

    test.__name__ = f"test_it_stores_and_escapes_{name}"
    test.__doc__ = f"The corpus through the {name} form."
    return test


# One test per row of the table, so that a failure names the form.
for _name in ROWS:
    setattr(SecurityFormsTestCase, f"test_it_stores_and_escapes_{_name}", _row_test(_name))


class NotificationTextTestCase(BaseTestCase):
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_it_escapes_a_name_in_a_notification_once(self):
        # Rasmus, whose surname has an apostrophe, offers his case to Rikke. The
        # notification's text is plain text, as in the email's text part; the page
        # and the email's HTML part escape it, once.
        rikke = make_user(
            "rikke", self.raadgivningen, Role.RAADGIVER, first_name="Rikke", email="r@example.dk"
        )
        case = Case.objects.create(
            child=self.noah, coordinator=self.rasmus, opened_on=date(2025, 10, 1)
        )
        for name in ("O'Neill & <Søn>", '"><img src=x onerror=alert(1)>'):
            User.objects.filter(pk=self.rasmus.pk).update(last_name=name)
            Handover.objects.all().delete()
            self.login(self.rasmus)
            response = self.client.post(url("handover_create", case), {"to_user": rikke.pk})
            assert response.status_code == 302
            offer = f"Rasmus {name} vil gerne"
            assert offer in rikke.reminders.latest("pk").text
            self.login(rikke)
            html = self.client.get(url("notifications")).content.decode()
            assert escape(offer) in html
            assert escape(escape(name)) not in html
            reminders.send_pending()
            email = mail.outbox[-1]
            assert offer in email.body
            assert escape(offer) in email.alternatives[0][0]
