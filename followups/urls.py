from django.urls import path

from followups import (
    list_views,
    meeting_views,
    receipt_views,
    underretning_overview,
    underretning_views,
    views,
)

urlpatterns = [
    path("boern/<int:pk>/send-videre/", views.escalate, name="escalate"),
    path("boern/<int:pk>/underretning/", views.underretning_create, name="underretning_create"),
    path("raadgivning/indgang/", views.intake, name="intake"),
    path(
        "raadgivning/underretninger/ny/",
        underretning_views.underretning_register,
        name="underretning_register",
    ),
    path("underretninger/<int:pk>/", underretning_views.underretning_detail, name="underretning"),
    path(
        "underretninger/<int:pk>/vurdering/",
        underretning_views.underretning_assess,
        name="underretning_assess",
    ),
    path(
        "underretninger/<int:pk>/luk/",
        underretning_views.underretning_close,
        name="underretning_close",
    ),
    path(
        "underretninger/<int:pk>/kvittering.pdf",
        receipt_views.receipt_pdf,
        name="underretning_receipt_pdf",
    ),
    path(
        "underretninger/<int:pk>/kvittering/",
        receipt_views.receipt_send,
        name="underretning_receipt_send",
    ),
    path(
        "underretninger/<int:pk>/tilbagemelding/",
        receipt_views.feedback_send,
        name="underretning_feedback",
    ),
    path(
        "underretninger/<int:pk>/tilbagemelding.pdf",
        receipt_views.feedback_pdf,
        name="underretning_feedback_pdf",
    ),
    path(
        "raadgivning/henvendelser/<int:pk>/tag/", views.escalation_accept, name="escalation_accept"
    ),
    path("sager/<int:pk>/", views.case_detail, name="case"),
    path("sager/<int:pk>/ret/", views.case_edit, name="case_edit"),
    path("sager/<int:pk>/resume/", views.case_summary, name="case_summary"),
    path("sager/<int:pk>/team/tilfoej/", views.case_member_add, name="case_member_add"),
    path(
        "sager/<int:pk>/team/<int:member_pk>/fjern/",
        views.case_member_remove,
        name="case_member_remove",
    ),
    path("sager/<int:pk>/indsatser/ny/", views.intervention_create, name="intervention_create"),
    path(
        "sager/<int:pk>/indsatser/<int:intervention_pk>/afslut/",
        views.intervention_end,
        name="intervention_end",
    ),
    path("sager/<int:pk>/tovholder/", views.handover_create, name="handover_create"),
    path(
        "sager/<int:pk>/tovholder/<int:handover_pk>/tilbagekald/",
        views.handover_withdraw,
        name="handover_withdraw",
    ),
    path("tovholder/<int:pk>/", views.handover_answer, name="handover_answer"),
    path("notifikationer/", list_views.notifications, name="notifications"),
    path("notifikationer/<int:pk>/", list_views.notification_open, name="notification_open"),
    path(
        "notifikationer/alle-laest/",
        list_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path("mine-moeder/", list_views.my_meetings, name="my_meetings"),
    path("mine-sager/", list_views.my_cases, name="my_cases"),
    path(
        "raadgivning/moeder-til-tiden/",
        list_views.meeting_punctuality_view,
        name="meeting_punctuality",
    ),
    path(
        "raadgivning/underretninger/",
        underretning_overview.underretning_overview,
        name="underretning_overview",
    ),
    path("moeder/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("moeder/<int:pk>/flyt/", meeting_views.meeting_reschedule, name="meeting_reschedule"),
    path("moeder/<int:pk>/referat.pdf", meeting_views.meeting_pdf, name="meeting_pdf"),
    path("moeder/<int:pk>/invitation.ics", meeting_views.meeting_ics, name="meeting_ics"),
]
