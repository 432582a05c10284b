from django.urls import path

from accounts import admin_views

urlpatterns = [
    path("", admin_views.admin_home, name="admin_home"),
    path("enheder/", admin_views.units, name="admin_units"),
    path("enheder/ny/", admin_views.unit_create, name="admin_unit_create"),
    path("enheder/<int:pk>/", admin_views.unit_edit, name="admin_unit_edit"),
    path(
        "enheder/<int:pk>/grupper/",
        admin_views.unit_group_create,
        name="admin_unit_group_create",
    ),
    path("grupper/<int:pk>/", admin_views.unit_group_edit, name="admin_unit_group_edit"),
    path("distrikter/", admin_views.districts, name="admin_districts"),
    path("brugere/", admin_views.users, name="admin_users"),
    path("brugere/ny/", admin_views.user_create, name="admin_user_create"),
    path("brugere/<int:pk>/", admin_views.user_edit, name="admin_user_edit"),
    path("brugere/<int:pk>/adgangskode/", admin_views.user_password, name="admin_user_password"),
    path("brugere/<int:pk>/tofaktor/", admin_views.user_mfa_reset, name="admin_user_mfa_reset"),
    path(
        "brugere/<int:pk>/medlemskaber/",
        admin_views.membership_create,
        name="admin_membership_create",
    ),
    path("medlemskaber/<int:pk>/", admin_views.membership_edit, name="admin_membership_edit"),
    path(
        "medlemskaber/<int:pk>/slet/",
        admin_views.membership_delete,
        name="admin_membership_delete",
    ),
]
