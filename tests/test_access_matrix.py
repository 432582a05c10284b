"""Every URL of the project × every role: who gets what.

The matrix below must name every URL pattern the project has; a new URL that is
not placed here fails `test_it_places_every_url_in_the_matrix`. Deny by default:
a role missing from a row's `expect` is expected to be refused (403 or 404), and
an anonymous visitor is expected to be sent to the login page.

Pia is a pædagog and Lars the leader at Børnehaven Solsikken, where Emma goes;
Sofie teaches at Nordby Skole, where Oskar goes. Rasmus is a caseworker, Karen a
PPR psychologist, Frida works in the forvaltning and Adam is the administrator.
Lise leads Børn & Ungerådgivningen; she is called only on the rows that name her.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import OPEN_URL_NAMES
from accounts.models import Role, Unit, UnitGroup, UnitKind, UserSession
from children.models import Consent, Enrollment, Guardian, Relation, TransitionNote
from children.sharing import Purpose
from followups.models import (
    Case,
    CaseMember,
    Escalation,
    Handover,
    Intervention,
    Meeting,
    Reminder,
    Underretning,
)
from forum.tests.factories import bring, make_forums, step
from loeft.models import Dialogue
from loeft.tests.factories import final_dialogue
from reports.models import QuarterlyReport
from ruler.models import Assessment
from tidlig.lib.dates import Quarter
from tidlig.test import BaseTestCase, authenticator, log_in, make_child, make_user

ROLES = ("anonymous", "pia", "lars", "sofie", "rasmus", "karen", "frida", "adam")
PUBLIC = dict.fromkeys(ROLES, 200)
EVERY_USER = {role: 200 for role in ROLES if role != "anonymous"}
UNIT_STAFF = {"pia": 200, "lars": 200, "sofie": 200, "rasmus": 200, "karen": 200}
ADMIN_ONLY = {"adam": 200}


@dataclass
class Route:
    """How to call one URL and what each role gets.

    `args` name fixture attributes (e.g. "emma") resolved to their pk; other
    values (3, "xlsx") are passed as they are. `expect`
    lists the roles that are let in, with the status they get; everyone else
    must be refused. `method="post"` for views that only take POST.
    """

    expect: dict[str, int]
    args: tuple[str | int, ...] = ()
    method: str = "get"
    data: dict = field(default_factory=dict)
    # For a POST that succeeds with a redirect: the status a permitted role gets.
    note: str = ""


# Emma goes to Solsikken, Pia and Lars's unit; Oskar goes to Nordby Skole.
EMMA = {"pia": 200, "lars": 200}

MATRIX: dict[str, Route] = {
    "login": Route(expect=PUBLIC | dict.fromkeys(EVERY_USER, 302)),
    "logout": Route(method="post", expect=dict.fromkeys(ROLES, 302)),
    # Glemt adgangskode: open to everyone; a made-up link gets the "link does not
    # work" page (accounts/tests/test_password_reset.py).
    "password_reset": Route(expect=PUBLIC),
    "password_reset_done": Route(expect=PUBLIC),
    "password_reset_confirm": Route(args=("MQ", "ugyldigt-link"), expect=PUBLIC),
    "password_reset_complete": Route(expect=PUBLIC),
    # The idle warning's "Bliv logget ind": 401 to a visitor whose session has ended,
    # so that the script sends the browser to the login page (accounts.views).
    "session_keepalive": Route(
        method="post", expect=dict.fromkeys(EVERY_USER, 204) | {"anonymous": 401}
    ),
    # Mine sessioner: everyone their own; Pia's other session is hers alone to end.
    "my_sessions": Route(expect=EVERY_USER),
    "my_session_end": Route(args=("pias_session",), method="post", expect={"pia": 302}),
    "my_sessions_end_others": Route(method="post", expect=dict.fromkeys(EVERY_USER, 302)),
    # Tofaktor-login (accounts.mfa). Everyone logged in here has given the code, so
    # the code page sends them on and the codes page, with no new codes, to the
    # settings; what a session without the code gets is test_it_shows_nothing_...
    "mfa_verify": Route(expect=dict.fromkeys(EVERY_USER, 302)),
    "mfa_enrol": Route(expect=EVERY_USER),
    "mfa_codes": Route(expect=dict.fromkeys(EVERY_USER, 302)),
    "mfa_settings": Route(expect=EVERY_USER),
    "mfa_new_codes": Route(method="post", expect=dict.fromkeys(EVERY_USER, 302)),
    "home": Route(expect=EVERY_USER),
    "health": Route(expect={}, note="public; status depends on the worker heartbeat"),
    "set_language": Route(method="post", expect=dict.fromkeys(ROLES, 302)),
    # Mine børn: everyone logged in gets the page; forvaltning and the administrator
    # get an explanation and no child (checked in children/tests/test_child_list.py).
    "child_list": Route(expect=EVERY_USER),
    "child": Route(args=("emma",), expect=EMMA),
    "child_reveal_cpr": Route(args=("emma",), method="post", expect=EMMA),
    # The export for a parent's access request: the leader of the child's unit or a
    # caseworker on its case; Pia, a pædagog, is refused (children.access.may_export).
    "child_export_pdf": Route(args=("emma",), expect={"lars": 200}),
    # One form for a concern and its zone (ruler.views.concern_create); a concern
    # without a zone sends the user back to the child page. The form's GET is in
    # ruler/tests/test_concern_create.py.
    "concern_create": Route(
        args=("emma",),
        method="post",
        data={"observed_on": "2025-10-01", "text": "Emma græder ved aflevering."},
        expect={"pia": 302, "lars": 302},
    ),
    # The parents' consent: recorded and withdrawn by those who may change the child
    # (children.consent_views); Karen, whom no consent covers here, is refused.
    "consent_create": Route(args=("emma",), expect=EMMA),
    "consent_withdraw": Route(args=("emmas_consent",), expect=EMMA),
    # Børnelinealen. Pia wrote Emma's assessment, so only she may correct it; Lars
    # makes a new assessment instead.
    # The assessment form's old address redirects to the one form above.
    "assessment_create": Route(args=("emma",), expect={"pia": 302, "lars": 302}),
    "assessment": Route(args=("emmas_assessment",), expect=EMMA),
    "assessment_correct": Route(args=("emmas_assessment",), expect={"pia": 200}),
    "unit_overview": Route(expect={"pia": 200, "lars": 200, "sofie": 200}),
    # Overgange. Ella left Solsikken three days ago for Nordby Skole: Solsikken
    # writes the overleveringsnotat (for 14 days after her last day there), the
    # school reads it from her first day and acknowledges it (desk.transition_views).
    "transition_note_edit": Route(args=("ellas_old", "ellas_new"), expect=EMMA),
    "transition_note": Route(args=("ellas_note",), expect={**EMMA, "sofie": 200}),
    "transition_note_acknowledge": Route(
        args=("ellas_note",), method="post", expect={"sofie": 302}
    ),
    "admin_zone_guides": Route(expect=ADMIN_ONLY),
    "admin_zone_guide_edit": Route(args=(3,), expect=ADMIN_ONLY),
    "admin_zone_guide_reset": Route(args=(3,), method="post", expect={"adam": 302}),
    # LØFT. Pia's draft is hers alone until she finalises it; the autosave answers an
    # expired session with a status line (200), not a login page (loeft.views).
    "dialogue_create": Route(args=("emma",), method="post", expect={"pia": 302, "lars": 302}),
    "dialogue": Route(args=("emmas_dialogue",), expect=EMMA),
    "dialogue_edit": Route(args=("emmas_dialogue",), expect=EMMA),
    "dialogue_autosave": Route(
        args=("pias_draft",), method="post", expect={"anonymous": 200, "pia": 200}
    ),
    "dialogue_pdf": Route(args=("emmas_dialogue",), expect=EMMA),
    "draft_delete": Route(args=("pias_draft",), method="post", expect={"pia": 302}),
    "next_step_update": Route(
        args=("emmas_step",), method="post", expect={"pia": 302, "lars": 302}
    ),
    "my_tasks": Route(expect=UNIT_STAFF),
    # Børn & Ungerådgivningen. Rasmus coordinates the case of Noah (Solsikken), so
    # he sees Noah, not Emma; accepting Noah's escalation opens a second case.
    "escalate": Route(args=("emma",), expect=EMMA),
    "underretning_create": Route(args=("emma",), expect=EMMA),
    "intake": Route(expect={"rasmus": 200}),
    # Underretninger (followups.underretninger): the intake's staff while one is open
    # (Lise leads the rådgivning); only a caseworker registers, assesses and closes.
    # They are about Noah, whom Rasmus sees already as his case's coordinator.
    "underretning_register": Route(expect={"rasmus": 200}),
    "underretning": Route(args=("noahs_underretning",), expect={"rasmus": 200, "lise": 200}),
    "underretning_assess": Route(
        args=("noahs_underretning",), method="post", expect={"rasmus": 200}
    ),
    "underretning_close": Route(
        args=("closable_underretning",), method="post", expect={"rasmus": 302}
    ),
    # The receipt and the tilbagemelding to Pia, who made an underretning about Noah:
    # she and the intake read the letters (Lars, her leader, is refused); only a
    # caseworker records them (followups.receipt_views).
    "underretning_receipt_pdf": Route(
        args=("pias_underretning",), expect={"pia": 200, "rasmus": 200, "lise": 200}
    ),
    "underretning_receipt_send": Route(
        args=("pias_underretning",), method="post", expect={"rasmus": 302}
    ),
    "underretning_feedback": Route(
        args=("pias_underretning",), method="post", expect={"rasmus": 302}
    ),
    "underretning_feedback_pdf": Route(
        args=("pias_underretning",), expect={"pia": 200, "rasmus": 200, "lise": 200}
    ),
    "escalation_accept": Route(args=("noahs_escalation",), method="post", expect={"rasmus": 302}),
    # Case material is the team's: Pia and Lars see Noah, his case's coordinator and
    # its shared summary on his page, never the case itself (children.access).
    "case": Route(args=("noahs_case",), expect={"rasmus": 200}),
    "case_summary": Route(args=("noahs_case",), expect={"rasmus": 200}),
    # Only the coordinator changes the case. Rikke, another caseworker, is asked to
    # take the case over: the offer is hers alone to read and answer.
    "case_edit": Route(args=("noahs_case",), expect={"rasmus": 200}),
    "case_member_add": Route(args=("noahs_case",), expect={"rasmus": 200}),
    "case_member_remove": Route(
        args=("noahs_case", "noahs_member"), method="post", expect={"rasmus": 302}
    ),
    "intervention_create": Route(args=("noahs_case",), expect={"rasmus": 200}),
    "intervention_end": Route(args=("noahs_case", "noahs_intervention"), expect={"rasmus": 200}),
    "handover_create": Route(args=("noahs_case",), expect={"rasmus": 200}),
    "handover_answer": Route(args=("noahs_handover",), expect={"rikke": 200}),
    "handover_withdraw": Route(
        args=("noahs_case", "noahs_handover"), method="post", expect={"rasmus": 302}
    ),
    # Noah's follow-up meetings: those who see Noah see them; only Rasmus, the
    # coordinator, moves (or records) one. Minutes exist for a held meeting only.
    "meeting": Route(args=("noahs_meeting",), expect={"rasmus": 200}),
    "meeting_reschedule": Route(args=("noahs_meeting",), expect={"rasmus": 200}),
    "meeting_pdf": Route(args=("noahs_held_meeting",), expect={"rasmus": 200}),
    "meeting_ics": Route(args=("noahs_meeting",), expect={"rasmus": 200}),
    # Lists across cases. A notification is its recipient's alone (Rasmus's here).
    "notifications": Route(expect=EVERY_USER),
    "notification_open": Route(args=("rasmus_reminder",), method="post", expect={"rasmus": 302}),
    "notifications_read_all": Route(method="post", expect=dict.fromkeys(EVERY_USER, 302)),
    "my_meetings": Route(expect=UNIT_STAFF),
    "my_cases": Route(expect={"rasmus": 200}),
    # Lise leads the rådgivning; Lars, who leads Solsikken, is refused.
    "meeting_punctuality": Route(expect={"lise": 200}),
    "underretning_overview": Route(expect={"lise": 200}),
    # Kvartalsstatus: Frida sees the municipality, Lars his own unit (Lise, who
    # leads the rådgivning, is refused: reports/tests/test_dashboard.py).
    "report_dashboard": Route(expect={"frida": 200, "lars": 200}),
    "report_export": Route(args=("xlsx",), expect={"frida": 200, "lars": 200}),
    # A leader's status (reports.leader_views): Lars prints his unit's quarterly
    # status (Frida's PDF is the committee's, in the archive); Lise, who leads the
    # rådgivning, gets its status as a page and a PDF.
    "leader_status_pdf": Route(expect={"lars": 200}),
    "raadgivning_status": Route(expect={"lise": 200}),
    "raadgivning_status_pdf": Route(expect={"lise": 200}),
    # The archive of quarterly PDFs is the forvaltning's alone; Frida may order a
    # past quarter (a waiting report, redirect to its progress page).
    "report_archive": Route(expect={"frida": 200}),
    "report_request": Route(
        method="post",
        data={"quarter": str(Quarter.containing(date.today()).previous())},
        expect={"frida": 302},
    ),
    "report_progress": Route(args=("quarterly_report",), expect={"frida": 200}),
    "report_download": Route(args=("quarterly_report",), expect={"frida": 200}),
    # The audit viewer shows children by id, initials and birth year only.
    "admin_audit": Route(expect=ADMIN_ONLY),
    "admin_audit_export": Route(expect=ADMIN_ONLY),
    "admin_audit_sample": Route(expect=ADMIN_ONLY),
    "child_import": Route(expect=ADMIN_ONLY),
    "child_import_template": Route(expect=ADMIN_ONLY),
    # The monthly absence (children.absence_import): counts only, the administrator.
    "absence_import": Route(expect=ADMIN_ONLY),
    "absence_import_template": Route(expect=ADMIN_ONLY),
    "admin_home": Route(expect=ADMIN_ONLY),
    "admin_units": Route(expect=ADMIN_ONLY),
    "admin_unit_create": Route(expect=ADMIN_ONLY),
    "admin_unit_edit": Route(args=("solsikken",), expect=ADMIN_ONLY),
    # A unit's groups (stuer, klasser…): only the administrator adds and changes them.
    "admin_unit_group_create": Route(
        args=("solsikken",),
        method="post",
        data={"group-name": "Månestuen", "group-kind": "stue"},
        expect={"adam": 302},
    ),
    "admin_unit_group_edit": Route(args=("solsikkens_group",), expect=ADMIN_ONLY),
    "admin_districts": Route(expect=ADMIN_ONLY),
    "admin_users": Route(expect=ADMIN_ONLY),
    "admin_user_create": Route(expect=ADMIN_ONLY),
    "admin_user_edit": Route(args=("karen",), expect=ADMIN_ONLY),
    "admin_user_password": Route(args=("karen",), expect=ADMIN_ONLY),
    "admin_user_mfa_reset": Route(args=("karen",), method="post", expect={"adam": 302}),
    "admin_membership_create": Route(
        args=("karen",), method="post", data={"role": "konsulent"}, expect={"adam": 400}
    ),
    "admin_membership_edit": Route(args=("karens_membership",), expect=ADMIN_ONLY),
    # Tværfagligt forum (forum.access). Karen advises in Forum Nord, where Pia brought
    # Emma anonymously and Sofie brought Oskar; Maja advises in Forum Syd. A case is
    # read by the forum's consultants, its bringer and the bringing unit's leader;
    # the meeting (with every unit's cases) by the consultants only.
    "forum_home": Route(expect={"pia": 200, "lars": 200, "sofie": 200, "karen": 200}),
    "forum_meeting": Route(args=("nord_meeting",), expect={"karen": 200}),
    "forum_meeting_edit": Route(args=("nord_meeting",), expect={"karen": 200}),
    "forum_meeting_pdf": Route(args=("nord_meeting",), expect={"karen": 200}),
    "forum_meeting_create": Route(args=("forum_nord",), expect={"karen": 200}),
    "forum_case": Route(args=("emmas_forum_case",), expect={"pia": 200, "lars": 200, "karen": 200}),
    "forum_case_advice": Route(args=("emmas_forum_case",), expect={"karen": 200}),
    "forum_case_link": Route(args=("emmas_forum_case",), expect={"pia": 200, "lars": 200}),
    "forum_step_update": Route(
        args=("emmas_forum_step",),
        method="post",
        expect={"pia": 302, "lars": 302, "karen": 302},
    ),
    "forum_bring": Route(args=("emma",), expect=EMMA),
    "admin_forums": Route(expect=ADMIN_ONLY),
    "admin_forum_create": Route(expect=ADMIN_ONLY),
    "admin_forum_edit": Route(args=("forum_nord",), expect=ADMIN_ONLY),
    # Adam is called last, so the membership still exists when he deletes it.
    "admin_membership_delete": Route(
        args=("karens_membership",), method="post", expect={"adam": 302}
    ),
}

# For the 404 test: each of Emma's objects and its counterpart at Oskar's school.
OTHER_UNIT = {
    "emma": "oskar",
    "emmas_assessment": "oskars_assessment",
    "emmas_dialogue": "oskars_dialogue",
    "pias_draft": "sofies_draft",
    "emmas_step": "oskars_step",
    "ellas_old": "viggos_old",
    "ellas_note": "viggos_note",
    "emmas_consent": "oskars_consent",
    "noahs_case": "oskars_case",
    "noahs_meeting": "oskars_meeting",
    "noahs_held_meeting": "oskars_held_meeting",
    "emmas_forum_case": "oskars_forum_case",
    "emmas_forum_step": "oskars_forum_step",
}

# URLs whose answer does not depend on the role at all.
ROLE_INDEPENDENT = {"health"}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin is mounted in DEBUG only, for developers
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + str(entry.pattern)


def project_urls() -> dict[str | None, str]:
    return dict(_walk(get_resolver().url_patterns))


CHILD_NAMES = ("Emma", "Noah", "Oskar", "Holm", "Lund", "Berg", "Ella", "Viggo")
# A CSRF token is 64 random letters and digits, and about 2 in 100,000 contain
# "Emma", "Noah", … somewhere: the tokens are taken out before the names are looked
# for, wherever a page carries them (form fields, the hx-headers on <body>).
CSRF_TOKEN = re.compile(rf"[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}")


def names_shown(html: str) -> list[str]:
    """The children's names on a page, anywhere but in its CSRF tokens."""
    html = CSRF_TOKEN.sub("", html)
    return [name for name in CHILD_NAMES if name in html]


def test_it_finds_a_name_on_a_page_but_not_in_a_csrf_token():
    token = "Emma" + "x" * (CSRF_TOKEN_LENGTH - 4)
    page = (
        f'<body hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    )
    assert names_shown(page) == []
    assert names_shown(page + "<p>Emmas zone</p>") == ["Emma"]
    assert names_shown(page + f'<a title="{token[:-1]}">') == ["Emma"]


class AccessMatrixTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.karens_membership = cls.karen.memberships.get()
        cls.solsikkens_group = UnitGroup.objects.create(
            unit=cls.solsikken, name="Solstuen", kind="stue"
        )
        pias_tablet = SessionStore()
        pias_tablet["_auth_user_id"] = str(cls.pia.pk)
        pias_tablet.create()
        cls.pias_session = UserSession.objects.create(
            user=cls.pia, session_id=pias_tablet.session_key
        )
        cls.emmas_assessment = Assessment.objects.create(
            child=cls.emma, author=cls.pia, assessed_on=date(2025, 10, 1), zone=3
        )
        cls.oskars_assessment = Assessment.objects.create(
            child=cls.oskar, author=cls.sofie, assessed_on=date(2025, 10, 1), zone=2
        )
        for name, child, unit in (
            ("emmas", cls.emma, cls.solsikken),
            ("oskars", cls.oskar, cls.skolen),
        ):
            parent = Guardian.objects.create(child=child, name="Forælder", relation=Relation.MOTHER)
            consent = Consent.objects.create(
                child=child,
                guardian=parent,
                purpose=Purpose.OTHER_UNITS_NOTES,
                given_on=timezone.localdate(),
                recorded_by=cls.lars if child == cls.emma else cls.sofie,
            )
            consent.units.set([unit])
            setattr(cls, f"{name}_consent", consent)
        cls.emmas_dialogue = final_dialogue(
            cls.emma, cls.pia, steps=[("Ring til mor", cls.pia, date(2025, 10, 8))]
        )
        cls.emmas_step = cls.emmas_dialogue.next_steps.get()
        cls.oskars_dialogue = final_dialogue(
            cls.oskar, cls.sofie, steps=[("Ring til far", cls.sofie, date(2025, 10, 8))]
        )
        cls.oskars_step = cls.oskars_dialogue.next_steps.get()
        cls.pias_draft = Dialogue.objects.create(child=cls.emma, author=cls.pia)
        cls.noahs_escalation = Escalation.objects.create(
            child=cls.noah, from_unit=cls.solsikken, escalated_by=cls.lars, reason="Bekymring"
        )
        cls.noahs_case = Case.objects.create(
            child=cls.noah, coordinator=cls.rasmus, opened_on=date(2025, 10, 1)
        )
        cls.oskars_case = Case.objects.create(
            child=cls.oskar, coordinator=cls.rasmus, opened_on=date(2025, 10, 1)
        )
        cls.sofies_draft = Dialogue.objects.create(child=cls.oskar, author=cls.sofie)
        cls.mads = make_user("mads", cls.skolen, Role.FAGPERSON, first_name="Mads")
        cls.rikke = make_user("rikke", cls.raadgivningen, Role.RAADGIVER, first_name="Rikke")
        cls.noahs_member = CaseMember.objects.create(
            case=cls.noahs_case, user=cls.mads, profession="Lærer"
        )
        cls.noahs_intervention = Intervention.objects.create(
            case=cls.noahs_case, step=2, kind="Familiebehandling", start=date(2025, 10, 1)
        )
        cls.noahs_handover = Handover.objects.create(
            case=cls.noahs_case, from_user=cls.rasmus, to_user=cls.rikke
        )
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        cls.rasmus_reminder = Reminder.objects.create(
            kind=Reminder.Kind.MEETING_14,
            object_key=f"meeting:{cls.noahs_case.pk}",
            recipient=cls.rasmus,
            due_on=date(2025, 10, 1),
            subject="Opfølgningsmøde om 14 dage",
            text="",
            url=cls.noahs_case.get_absolute_url(),
        )
        for name, case in (("noahs", cls.noahs_case), ("oskars", cls.oskars_case)):
            held = Meeting.objects.create(
                case=case, scheduled_on=date(2025, 11, 1), held_on=date(2025, 11, 3), zone=2
            )
            setattr(cls, f"{name}_held_meeting", held)
            setattr(cls, f"{name}_meeting", case.schedule_first_meeting())
        cls.noahs_underretning = Underretning.objects.create(
            child=cls.noah, received_at=timezone.now(), about="Noah har blå mærker."
        )
        cls.pias_underretning = Underretning.objects.create(
            child=cls.noah,
            made_by=cls.pia,
            notifier="Pia, pædagog",
            received_at=timezone.now(),
            about="Noah har blå mærker.",
            decision=Underretning.Decision.NO_ACTION,
            feedback_sent_on=timezone.localdate(),
            feedback_text="Underretningen har ikke givet anledning til indsatser.",
        )
        cls.closable_underretning = Underretning.objects.create(
            child=cls.noah,
            received_at=timezone.now(),
            about="Noah er sulten.",
            source=Underretning.Source.CITIZEN,
            assessed_at=timezone.now(),
            decision=Underretning.Decision.NO_ACTION,
            decision_reason="Grundløs.",
        )
        cls.quarterly_report = QuarterlyReport(
            quarter="2026Q2", kind=QuarterlyReport.Kind.AUTOMATIC, status="færdig", progress=100
        )
        cls.quarterly_report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        cls.quarterly_report.save()
        # Ella moved from Solsikken to Nordby Skole, Viggo from Nordby Skole to
        # Nordby Klub, whose note is none of Solsikken's business.
        today = timezone.localdate()
        klubben = Unit.objects.create(name="Nordby Klub", kind=UnitKind.KLUB, district=cls.nordby)
        for name, old_unit, new_unit, author in (
            ("ella", cls.solsikken, cls.skolen, cls.pia),
            ("viggo", cls.skolen, klubben, cls.sofie),
        ):
            child = make_child(name.title(), "Krogh", date(2019, 5, 5))
            old = Enrollment.objects.create(
                child=child, unit=old_unit, start=date(2024, 8, 1), end=today - timedelta(days=3)
            )
            new = Enrollment.objects.create(
                child=child, unit=new_unit, start=today - timedelta(days=2)
            )
            note = TransitionNote.objects.create(
                from_enrollment=old,
                to_enrollment=new,
                author=author,
                needs="Ro om morgenen.",
                parents_seen=True,
                finished_at=timezone.now(),
            )
            setattr(cls, f"{name}s_old", old)
            setattr(cls, f"{name}s_new", new)
            setattr(cls, f"{name}s_note", note)

        # The tværfaglige forum: Emma's case is anonymous (no child stored).
        make_forums(cls, meeting_on=today + timedelta(days=7))
        cls.emmas_forum_case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)
        cls.emmas_forum_step = step(cls.emmas_forum_case, cls.pia, today + timedelta(days=14))
        cls.oskars_forum_case = bring(cls, by=cls.sofie, unit=cls.skolen, meeting=cls.nord_meeting)
        cls.oskars_forum_step = step(cls.oskars_forum_case, cls.sofie, today + timedelta(days=14))

    def test_it_places_every_url_in_the_matrix(self):
        urls = project_urls()
        assert None not in urls, f"a URL pattern without a name: {urls.get(None)}"
        missing = sorted(set(urls) - set(MATRIX))
        assert not missing, f"add these URLs to the access matrix: {missing}"
        stale = sorted(set(MATRIX) - set(urls))
        assert not stale, f"these matrix rows name no URL: {stale}"

    def _user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    def setUp(self):
        self.clients: dict[str, Client] = {}

    def _call(self, name: str, route: Route, role: str):
        # A browser per role, logged in once. A POST may end sessions (logging out,
        # Mine sessioner, an administrator's reset), so after one they log in again.
        if role not in self.clients:
            self.clients[role] = Client()
            if role != "anonymous":
                log_in(self.clients[role], self._user(role))
        client = self.clients[role]
        args = [getattr(self, str(a)).pk if hasattr(self, str(a)) else a for a in route.args]
        url = reverse(name, args=args)
        if route.method == "post":
            self.clients.clear()
            return url, client.post(url, route.data)
        return url, client.get(url, route.data)

    def test_it_lets_in_exactly_the_roles_in_the_matrix_and_lets_no_answer_be_stored(self):
        failures = []
        for name, route in MATRIX.items():
            if name in ROLE_INDEPENDENT:
                continue
            extra = [role for role in route.expect if role not in ROLES]
            for role in (*ROLES, *extra):
                url, response = self._call(name, route, role)
                got = response.status_code
                if role in route.expect:
                    ok = got == route.expect[role]
                elif role == "anonymous":
                    ok = got == 302 and "/login/" in response["Location"]
                else:
                    ok = got in (403, 404)
                if not ok:
                    wanted = route.expect.get(role, "login redirect or 403/404")
                    failures.append(f"{name} {url} as {role}: got {got}, wanted {wanted}")
                # An answer to a user let in may show a child; a shared computer's
                # cache must not keep it (tidlig.middleware.PrivacyHeadersMiddleware).
                cache_control = response.get("Cache-Control", "")
                stored = "no-store" not in cache_control or response.get("Pragma") != "no-cache"
                if role in route.expect and role != "anonymous" and stored:
                    failures.append(f"{name} {url} as {role}: Cache-Control {cache_control!r}")
        assert not failures, "\n".join(failures)

    def test_it_shows_nothing_before_the_code(self):
        # The acceptance test for MFA: every role, every URL, with the password
        # given but not the code (a user with an app, and one who has none yet).
        # A page is the code page (or setting up the app); anything else is
        # answered as for a visitor who is not logged in.
        failures = []
        for with_app in (True, False):
            target = reverse("mfa_verify" if with_app else "mfa_enrol")
            for role in ROLES[1:]:
                user = self._user(role)
                if with_app:
                    authenticator(user)
                else:
                    TOTPDevice.objects.filter(user=user).delete()
                # One password-only session goes through every URL: a URL that let it
                # further, or ended it, fails the URLs after it as well.
                client = Client()
                client.force_login(user)
                for name, route in MATRIX.items():
                    if name in OPEN_URL_NAMES or name in ROLE_INDEPENDENT:
                        continue
                    args = [getattr(self, a).pk if hasattr(self, str(a)) else a for a in route.args]
                    url = reverse(name, args=args)
                    if route.method == "post":
                        response = client.post(url, route.data)
                        wanted = route.expect.get("anonymous", "login")
                        got = response.status_code
                        ok = got == wanted or (
                            wanted == "login" and got == 302 and "/login/" in response["Location"]
                        )
                    else:
                        response = client.get(url, follow=True)
                        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
                        ok = response.status_code == 200 and landed.startswith(target)
                    shown = names_shown(response.content.decode(errors="replace"))
                    if not ok or shown:
                        failures.append(f"{name} {url} as {role}: {response.status_code} {shown}")
        assert not failures, "\n".join(failures)

    def test_it_answers_404_for_another_units_child(self):
        child_routes = {n: r for n, r in MATRIX.items() if r.args and r.args[0] in OTHER_UNIT}
        assert len(child_routes) >= 6
        for name, route in child_routes.items():
            other = (OTHER_UNIT[route.args[0]], *route.args[1:])
            oskar_route = Route(expect={}, args=other, method=route.method, data=route.data)
            for role in ("pia", "lars"):
                url, response = self._call(name, oskar_route, role)
                assert response.status_code == 404, f"{name} {url} as {role}"
