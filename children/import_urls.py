from django.urls import path

from children import import_views

urlpatterns = [
    path("", import_views.child_import, name="child_import"),
    path("skabelon.csv", import_views.child_import_template, name="child_import_template"),
    path("fravaer/", import_views.absence_import_page, name="absence_import"),
    path(
        "fravaer/skabelon.csv",
        import_views.absence_import_template,
        name="absence_import_template",
    ),
]
