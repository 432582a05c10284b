from django.urls import path

from children import import_views

urlpatterns = [
    path("", import_views.child_import, name="child_import"),
    path("skabelon.csv", import_views.child_import_template, name="child_import_template"),
]
